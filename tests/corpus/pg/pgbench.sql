-- pgbench (PostgreSQL 15) built-in scripts: tpcb-like, simple-update, select-only, with literal
-- substitutions and with $n parameters (-M extended/prepared), plus its initialisation statements.
UPDATE pgbench_accounts SET abalance = abalance + -1636 WHERE aid = 71222;
SELECT abalance FROM pgbench_accounts WHERE aid = 71222;
UPDATE pgbench_tellers SET tbalance = tbalance + -1636 WHERE tid = 49;
UPDATE pgbench_branches SET bbalance = bbalance + -1636 WHERE bid = 8;
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (49, 8, 71222, -1636, CURRENT_TIMESTAMP);
UPDATE pgbench_accounts SET abalance = abalance + 2973 WHERE aid = 40786;
SELECT abalance FROM pgbench_accounts WHERE aid = 40786;
UPDATE pgbench_tellers SET tbalance = tbalance + 2973 WHERE tid = 30;
UPDATE pgbench_branches SET bbalance = bbalance + 2973 WHERE bid = 7;
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (30, 7, 40786, 2973, CURRENT_TIMESTAMP);
UPDATE pgbench_accounts SET abalance = abalance + -3125 WHERE aid = 52437;
SELECT abalance FROM pgbench_accounts WHERE aid = 52437;
UPDATE pgbench_tellers SET tbalance = tbalance + -3125 WHERE tid = 10;
UPDATE pgbench_branches SET bbalance = bbalance + -3125 WHERE bid = 2;
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (10, 2, 52437, -3125, CURRENT_TIMESTAMP);
UPDATE pgbench_accounts SET abalance = abalance + 2109 WHERE aid = 81391;
SELECT abalance FROM pgbench_accounts WHERE aid = 81391;
UPDATE pgbench_tellers SET tbalance = tbalance + 2109 WHERE tid = 66;
UPDATE pgbench_branches SET bbalance = bbalance + 2109 WHERE bid = 6;
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (66, 6, 81391, 2109, CURRENT_TIMESTAMP);
UPDATE pgbench_accounts SET abalance = abalance + -1792 WHERE aid = 54512;
SELECT abalance FROM pgbench_accounts WHERE aid = 54512;
UPDATE pgbench_tellers SET tbalance = tbalance + -1792 WHERE tid = 9;
UPDATE pgbench_branches SET bbalance = bbalance + -1792 WHERE bid = 8;
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (9, 8, 54512, -1792, CURRENT_TIMESTAMP);
UPDATE pgbench_accounts SET abalance = abalance + 1921 WHERE aid = 83485;
SELECT abalance FROM pgbench_accounts WHERE aid = 83485;
UPDATE pgbench_tellers SET tbalance = tbalance + 1921 WHERE tid = 62;
UPDATE pgbench_branches SET bbalance = bbalance + 1921 WHERE bid = 5;
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (62, 5, 83485, 1921, CURRENT_TIMESTAMP);
UPDATE pgbench_accounts SET abalance = abalance + 1088 WHERE aid = 15490;
SELECT abalance FROM pgbench_accounts WHERE aid = 15490;
UPDATE pgbench_tellers SET tbalance = tbalance + 1088 WHERE tid = 22;
UPDATE pgbench_branches SET bbalance = bbalance + 1088 WHERE bid = 9;
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (22, 9, 15490, 1088, CURRENT_TIMESTAMP);
UPDATE pgbench_accounts SET abalance = abalance + -2554 WHERE aid = 21342;
SELECT abalance FROM pgbench_accounts WHERE aid = 21342;
UPDATE pgbench_tellers SET tbalance = tbalance + -2554 WHERE tid = 91;
UPDATE pgbench_branches SET bbalance = bbalance + -2554 WHERE bid = 3;
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (91, 3, 21342, -2554, CURRENT_TIMESTAMP);
UPDATE pgbench_accounts SET abalance = abalance + -763 WHERE aid = 42803;
SELECT abalance FROM pgbench_accounts WHERE aid = 42803;
UPDATE pgbench_tellers SET tbalance = tbalance + -763 WHERE tid = 44;
UPDATE pgbench_branches SET bbalance = bbalance + -763 WHERE bid = 8;
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (44, 8, 42803, -763, CURRENT_TIMESTAMP);
UPDATE pgbench_accounts SET abalance = abalance + -2236 WHERE aid = 71024;
SELECT abalance FROM pgbench_accounts WHERE aid = 71024;
UPDATE pgbench_tellers SET tbalance = tbalance + -2236 WHERE tid = 91;
UPDATE pgbench_branches SET bbalance = bbalance + -2236 WHERE bid = 1;
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (91, 1, 71024, -2236, CURRENT_TIMESTAMP);
BEGIN;
END;
UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2
SELECT abalance FROM pgbench_accounts WHERE aid = $1
UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2
UPDATE pgbench_branches SET bbalance = bbalance + $1 WHERE bid = $2
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP)
select count(*) from pgbench_branches
select o.n, p.partstrat, pg_catalog.count(i.inhparent) from pg_catalog.pg_class as c join pg_catalog.pg_namespace as n on (n.oid = c.relnamespace) cross join lateral (select pg_catalog.array_position(pg_catalog.current_schemas(true), n.nspname)) as o(n) left join pg_catalog.pg_partitioned_table as p on (p.partrelid = c.oid) left join pg_catalog.pg_inherits as i on (c.oid = i.inhparent) where c.relname = 'pgbench_accounts' and o.n is not null group by 1, 2 order by 1 asc limit 1
drop table if exists pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers
create table pgbench_history(tid int,bid int,aid int,delta int,mtime timestamp,filler char(22))
create table pgbench_tellers(tid int not null,bid int,tbalance int,filler char(84)) with (fillfactor=100)
create table pgbench_accounts(aid int not null,bid int,abalance int,filler char(84)) with (fillfactor=100)
create table pgbench_branches(bid int not null,bbalance int,filler char(88)) with (fillfactor=100)
alter table pgbench_branches add primary key (bid)
alter table pgbench_tellers add primary key (tid)
alter table pgbench_accounts add primary key (aid)
alter table pgbench_tellers add constraint pgbench_tellers_bid_fkey foreign key (bid) references pgbench_branches
truncate table pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers
insert into pgbench_branches(bid,bbalance) values(1,0)
insert into pgbench_tellers(tid,bid,tbalance) values (1,1,0)
insert into pgbench_accounts(aid,bid,abalance,filler) select aid, (aid - 1) / 100000 + 1, 0, '' from generate_series(1, 100000) as aid
vacuum analyze pgbench_branches
