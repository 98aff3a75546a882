-- Examples in the style of the PostgreSQL 15 documentation (tutorial, SELECT, INSERT, UPDATE, DELETE,
-- WITH, window functions, transactions, SET/SHOW, DDL).
BEGIN
BEGIN TRANSACTION
BEGIN ISOLATION LEVEL SERIALIZABLE
BEGIN READ ONLY
BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY
START TRANSACTION READ WRITE
COMMIT
COMMIT AND NO CHAIN
END
ROLLBACK
ABORT
SAVEPOINT my_savepoint
ROLLBACK TO SAVEPOINT my_savepoint
RELEASE SAVEPOINT my_savepoint
RELEASE my_savepoint
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE
SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY
SET search_path TO my_schema, public
SET search_path = "$user", public
SET statement_timeout = '5s'
SET LOCAL lock_timeout = 1000
SET TIME ZONE 'UTC'
SET application_name TO 'shardgate'
SET client_encoding TO DEFAULT
SHOW search_path
SHOW ALL
SHOW server_version
SELECT 1
SELECT version(), current_database(), current_user, now()
SELECT current_setting('search_path')
SELECT pg_is_in_recovery()
SELECT pg_sleep(0.1)
SELECT * FROM weather WHERE city = 'San Francisco' AND prcp > 0.0
SELECT city, temp_lo, temp_hi, prcp, date FROM weather
SELECT city, (temp_hi+temp_lo)/2 AS temp_avg, date FROM weather
SELECT DISTINCT city FROM weather ORDER BY city
SELECT * FROM weather, cities WHERE city = name
SELECT weather.city, weather.temp_lo, weather.temp_hi, weather.prcp, weather.date, cities.location FROM weather JOIN cities ON weather.city = cities.name
SELECT * FROM weather LEFT OUTER JOIN cities ON weather.city = cities.name
SELECT w1.city, w1.temp_lo AS low, w1.temp_hi AS high, w2.city, w2.temp_lo AS low, w2.temp_hi AS high FROM weather w1 JOIN weather w2 ON w1.temp_lo < w2.temp_lo AND w1.temp_hi > w2.temp_hi
SELECT max(temp_lo) FROM weather
SELECT city FROM weather WHERE temp_lo = (SELECT max(temp_lo) FROM weather)
SELECT city, count(*), max(temp_lo) FROM weather GROUP BY city HAVING max(temp_lo) < 40
SELECT city, count(*) FILTER (WHERE temp_lo < 45), max(temp_lo) FROM weather GROUP BY city
SELECT depname, empno, salary, avg(salary) OVER (PARTITION BY depname) FROM empsalary
SELECT depname, empno, salary, rank() OVER (PARTITION BY depname ORDER BY salary DESC) FROM empsalary
SELECT salary, sum(salary) OVER () FROM empsalary
SELECT depname, empno, salary, enroll_date FROM (SELECT depname, empno, salary, enroll_date, rank() OVER (PARTITION BY depname ORDER BY salary DESC, empno) AS pos FROM empsalary) AS ss WHERE pos < 3
SELECT sum(salary) OVER w, avg(salary) OVER w FROM empsalary WINDOW w AS (PARTITION BY depname ORDER BY salary DESC)
SELECT c.relname, n.nspname FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname <> 'pg_catalog'
SELECT '42'::int, 42::text, CAST('1.5' AS numeric(10,2)), '2024-01-01'::date
SELECT E'line\nbreak', $$dollar 'quoted'$$, $tag$with $$ inside$tag$
SELECT "Mixed Case Column" FROM "Some Table" WHERE "Id" = 5
SELECT * FROM public.users WHERE id = $1
SELECT * FROM users WHERE email ILIKE '%@example.com' AND name NOT ILIKE 'test%'
SELECT * FROM users WHERE name ~ '^A' OR name ~* 'b$' OR name !~ 'x'
SELECT * FROM users WHERE name SIMILAR TO '%(b|d)%'
SELECT * FROM users WHERE id = ANY($1)
SELECT * FROM users WHERE id = ANY(ARRAY[1, 2, 3])
SELECT * FROM users WHERE tags @> ARRAY['a']
SELECT data->'a', data->>'b', data#>'{c,d}', data#>>'{e}' FROM docs WHERE data ? 'a'
SELECT * FROM users WHERE deleted_at IS NULL AND a IS DISTINCT FROM b
SELECT * FROM users WHERE active IS TRUE AND NOT verified IS FALSE
SELECT * FROM users ORDER BY last_login DESC NULLS LAST, id ASC NULLS FIRST LIMIT 10 OFFSET 5
SELECT * FROM users OFFSET 10 ROWS FETCH FIRST 5 ROWS ONLY
SELECT * FROM users LIMIT ALL
SELECT * FROM accounts WHERE id = 1 FOR UPDATE
SELECT * FROM accounts WHERE id = 1 FOR NO KEY UPDATE
SELECT * FROM accounts WHERE id = 1 FOR SHARE
SELECT * FROM accounts WHERE id = 1 FOR KEY SHARE SKIP LOCKED
SELECT * FROM accounts a JOIN owners o ON o.id = a.owner_id WHERE a.id = 3 FOR UPDATE OF a NOWAIT
SELECT * FROM generate_series(1, 10) AS g(n)
SELECT * FROM unnest(ARRAY[1,2,3]) WITH ORDINALITY AS t(v, i)
SELECT * FROM users u, LATERAL (SELECT * FROM orders o WHERE o.user_id = u.id ORDER BY created_at DESC LIMIT 1) last_order
SELECT DISTINCT ON (user_id) user_id, created_at FROM orders ORDER BY user_id, created_at DESC
WITH regional_sales AS (SELECT region, SUM(amount) AS total_sales FROM orders GROUP BY region), top_regions AS (SELECT region FROM regional_sales WHERE total_sales > (SELECT SUM(total_sales)/10 FROM regional_sales)) SELECT region, product, SUM(quantity) AS product_units, SUM(amount) AS product_sales FROM orders WHERE region IN (SELECT region FROM top_regions) GROUP BY region, product
WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n+1 FROM t WHERE n < 100) SELECT sum(n) FROM t
WITH w AS MATERIALIZED (SELECT * FROM big_table) SELECT * FROM w WHERE key = 123
SELECT * FROM t1 INTERSECT SELECT * FROM t2
SELECT * FROM t1 EXCEPT ALL SELECT * FROM t2
VALUES (1, 'one'), (2, 'two'), (3, 'three')
SELECT * FROM (VALUES (1, 'one'), (2, 'two')) AS t (num, letter)
SELECT CASE WHEN a = 1 THEN 'one' WHEN a = 2 THEN 'two' ELSE 'other' END FROM test
SELECT COALESCE(description, short_description, '(none)') FROM products
SELECT NULLIF(value, '(none)'), GREATEST(a, b), LEAST(a, b) FROM t
SELECT extract(epoch FROM now()), date_trunc('day', created_at) FROM events
SELECT now() - interval '1 day', created_at + interval '2 hours' FROM events
SELECT string_agg(name, ', ' ORDER BY name) FROM users
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY salary) FROM empsalary
SELECT array_agg(DISTINCT tag) FROM tags
SELECT substring('Thomas' from 2 for 3), position('om' in 'Thomas'), trim(both 'xyz' from 'yxTomxx'), overlay_demo FROM t
SELECT count(*) FROM pg_stat_activity WHERE state = 'active'
SELECT * FROM ONLY cities WHERE altitude > 500
SELECT * FROM measurements TABLESAMPLE SYSTEM (10)
SELECT 1 /* nested /* comment */ still comment */ + 2
INSERT INTO products (product_no, name, price) VALUES (1, 'Cheese', 9.99)
INSERT INTO products VALUES (1, 'Cheese', DEFAULT)
INSERT INTO products DEFAULT VALUES
INSERT INTO products (product_no, name, price) VALUES (1, 'Cheese', 9.99), (2, 'Bread', 1.99), (3, 'Milk', 2.99)
INSERT INTO products (product_no, name, price) SELECT product_no, name, price FROM new_products WHERE release_date = 'today'
INSERT INTO users (name, email) VALUES ('a', 'a@b.c') RETURNING id
INSERT INTO users AS u (id, name) VALUES (1, 'x') ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name WHERE u.name <> EXCLUDED.name
INSERT INTO users (id, name) VALUES (1, 'x') ON CONFLICT DO NOTHING
INSERT INTO users (id, name) VALUES (1, 'x') ON CONFLICT ON CONSTRAINT users_pkey DO NOTHING
INSERT INTO counters (key, n) VALUES ($1, 1) ON CONFLICT (key) DO UPDATE SET n = counters.n + 1 RETURNING n
UPDATE products SET price = 10 WHERE price = 5
UPDATE products SET price = price * 1.10 RETURNING name, price AS new_price
UPDATE employees SET sales_count = sales_count + 1 FROM accounts WHERE accounts.name = 'Acme Corporation' AND employees.id = accounts.sales_person
UPDATE accounts SET contact_first_name = first_name, contact_last_name = last_name FROM employees WHERE employees.id = accounts.sales_person
UPDATE ONLY films SET kind = 'Dramatic' WHERE kind = 'Drama'
UPDATE weather SET temp_hi = temp_hi + 1, temp_lo = temp_lo + 1, prcp = DEFAULT WHERE city = 'San Francisco' AND date = '2003-07-03' RETURNING temp_lo, temp_hi, prcp
DELETE FROM products WHERE price = 10
DELETE FROM products WHERE obsoletion_date = 'today' RETURNING *
DELETE FROM films USING producers WHERE producer_id = producers.id AND producers.name = 'foo'
DELETE FROM tasks WHERE status = 'DONE' RETURNING *
DELETE FROM ONLY films f WHERE f.id = 3
CREATE TABLE products (product_no integer PRIMARY KEY, name text NOT NULL, price numeric CHECK (price > 0))
CREATE TABLE orders (order_id integer PRIMARY KEY, product_no integer REFERENCES products (product_no), quantity integer)
CREATE TABLE IF NOT EXISTS measurement (city_id int not null, logdate date not null, peaktemp int) PARTITION BY RANGE (logdate)
CREATE TEMP TABLE tmp_ids (id bigint)
CREATE UNLOGGED TABLE cache_items (k text primary key, v jsonb)
CREATE TABLE films_recent AS SELECT * FROM films WHERE date_prod >= '2002-01-01'
CREATE INDEX test1_id_index ON test1 (id)
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_users_email ON users (lower(email))
CREATE INDEX ON orders USING btree (created_at) WHERE status = 'open'
ALTER TABLE products ADD COLUMN description text
ALTER TABLE products DROP COLUMN description CASCADE
ALTER TABLE products ALTER COLUMN price TYPE numeric(10,2)
ALTER TABLE IF EXISTS products RENAME TO items
ALTER TABLE orders ADD CONSTRAINT fk_product FOREIGN KEY (product_no) REFERENCES products (product_no)
DROP TABLE products
DROP TABLE IF EXISTS products, orders CASCADE
DROP INDEX test1_id_index
DROP INDEX CONCURRENTLY IF EXISTS idx_users_email
TRUNCATE bigtable, fattable
TRUNCATE TABLE orders RESTART IDENTITY CASCADE
CREATE SCHEMA IF NOT EXISTS app
CREATE VIEW active_users AS SELECT * FROM users WHERE active
CREATE SEQUENCE serial START 101
DROP SCHEMA app CASCADE
COMMENT ON TABLE users IS 'application users'
GRANT SELECT ON users TO readonly
SELECT nextval('serial')
