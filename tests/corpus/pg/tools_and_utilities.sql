-- Statement shapes from pg_dump output, psql's \d family, ORM housekeeping (Django, Rails,
-- SQLAlchemy, Prisma, TypeORM, Sequelize), YCSB, and the maintenance, EXPLAIN and session
-- statements operators send.
SET statement_timeout = 0
SET lock_timeout = 0
SET idle_in_transaction_session_timeout = 0
SET client_encoding = 'UTF8'
SET standard_conforming_strings = on
SELECT pg_catalog.set_config('search_path', '', false)
SET check_function_bodies = false
SET xmloption = content
SET client_min_messages = warning
SET row_security = off
SET default_tablespace = ''
SET default_table_access_method = heap
CREATE TABLE public.customers (id bigint NOT NULL, name text, created_at timestamp with time zone DEFAULT now() NOT NULL)
ALTER TABLE public.customers OWNER TO shop
CREATE SEQUENCE public.customers_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1
ALTER TABLE ONLY public.customers ALTER COLUMN id SET DEFAULT nextval('public.customers_id_seq'::regclass)
ALTER TABLE ONLY public.customers ADD CONSTRAINT customers_pkey PRIMARY KEY (id)
CREATE INDEX orders_customer_id_idx ON public.orders USING btree (customer_id)
ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers(id)
SELECT pg_catalog.setval('public.customers_id_seq', 42, true)
COMMENT ON TABLE public.customers IS 'people who order'
COMMENT ON COLUMN public.customers.name IS 'full name'
COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams'
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public
CREATE SCHEMA app
CREATE TYPE public.order_status AS ENUM ('new', 'paid', 'shipped')
GRANT SELECT ON TABLE public.customers TO reporting
CREATE TRIGGER customers_touch BEFORE UPDATE ON public.customers FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at()
SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname OPERATOR(pg_catalog.~) '^(customers)$' COLLATE pg_catalog.default AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 2, 3
SELECT n.nspname as "Schema", c.relname as "Name", CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' END as "Type", pg_catalog.pg_get_userbyid(c.relowner) as "Owner" FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p','') AND n.nspname <> 'pg_catalog' AND n.nspname !~ '^pg_toast' AND n.nspname <> 'information_schema' AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 1,2
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) FROM pg_catalog.pg_attrdef d WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '16384' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
SELECT c2.relname, i.indisprimary, i.indisunique, pg_catalog.pg_get_indexdef(i.indexrelid, 0, true) FROM pg_catalog.pg_class c, pg_catalog.pg_class c2, pg_catalog.pg_index i WHERE c.oid = '16384' AND c.oid = i.indrelid AND i.indexrelid = c2.oid ORDER BY i.indisprimary DESC, c2.relname
SELECT n.nspname AS "Name", pg_catalog.pg_get_userbyid(n.nspowner) AS "Owner" FROM pg_catalog.pg_namespace n WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' ORDER BY 1
SELECT d.datname as "Name", pg_catalog.pg_get_userbyid(d.datdba) as "Owner", pg_catalog.pg_encoding_to_char(d.encoding) as "Encoding" FROM pg_catalog.pg_database d ORDER BY 1
SELECT "django_session"."session_key", "django_session"."session_data", "django_session"."expire_date" FROM "django_session" WHERE ("django_session"."expire_date" > '2025-06-01T10:00:00+00:00'::timestamptz AND "django_session"."session_key" = 'k2v9x') LIMIT 21
SELECT EXTRACT(YEAR FROM "shop_order"."created_at" AT TIME ZONE 'UTC') AS "year", COUNT("shop_order"."id") AS "n" FROM "shop_order" GROUP BY 1
SELECT "shop_order"."id" FROM "shop_order" WHERE "shop_order"."status" = 'new' ORDER BY "shop_order"."id" ASC LIMIT 10 FOR UPDATE SKIP LOCKED
SELECT "shop_item"."id", "shop_item"."data" FROM "shop_item" WHERE ("shop_item"."data" -> 'color') = '"red"'::jsonb
SELECT "shop_item"."id" FROM "shop_item" WHERE "shop_item"."data" @> '{"size": "L"}'::jsonb
SELECT "shop_item"."id" FROM "shop_item" WHERE "shop_item"."data" #>> '{dims,width}' = '10'
SELECT "shop_item"."id" FROM "shop_item" WHERE "shop_item"."search" @@ plainto_tsquery('english', 'red shoe')
SELECT "shop_item"."id" FROM "shop_item" WHERE "shop_item"."data" @? '$.tags[*] ? (@ == "sale")'
SELECT "shop_item"."id", ts_rank("shop_item"."search", to_tsquery('english', 'shoe')) AS "rank" FROM "shop_item" ORDER BY "rank" DESC
SAVEPOINT "s140234_x1"
RELEASE SAVEPOINT "s140234_x1"
ROLLBACK TO SAVEPOINT "s140234_x1"
SELECT "schema_migrations"."version" FROM "schema_migrations" ORDER BY "schema_migrations"."version" ASC
SELECT pg_try_advisory_lock(6502935420374925480)
SELECT pg_advisory_unlock(6502935420374925480)
SHOW max_identifier_length
SELECT "ar_internal_metadata"."value" FROM "ar_internal_metadata" WHERE "ar_internal_metadata"."key" = $1 LIMIT $2
select current_schema()
show standard_conforming_strings
SELECT t.oid, typarray FROM pg_type t JOIN pg_namespace ns ON typnamespace = ns.oid WHERE typname = 'hstore'
SELECT "public"."User"."id", "public"."User"."email" FROM "public"."User" WHERE ("public"."User"."email" = $1 AND 1=1) LIMIT $2 OFFSET $3
SELECT * FROM current_schema()
SELECT version()
INSERT INTO "Users" ("id","name","createdAt","updatedAt") VALUES (DEFAULT,$1,$2,$3) RETURNING "id","name","createdAt","updatedAt"
select nextval('hibernate_sequence')
select o1_0.id, o1_0.status from orders o1_0 where o1_0.customer_id=$1 for no key update skip locked
SELECT * FROM usertable WHERE YCSB_KEY = 'user6284781860667377211'
UPDATE usertable SET FIELD4 = 'q%d2' WHERE YCSB_KEY = 'user8517097267634966620'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user1914468127' ORDER BY YCSB_KEY LIMIT 35
VACUUM
VACUUM (VERBOSE, ANALYZE) public.customers
VACUUM FULL public.orders
ANALYZE VERBOSE public.orders (total, status)
CLUSTER public.customers USING customers_pkey
REINDEX TABLE CONCURRENTLY public.orders
REFRESH MATERIALIZED VIEW CONCURRENTLY public.order_totals
CHECKPOINT
EXPLAIN SELECT * FROM customers WHERE id = 42
EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT * FROM orders WHERE customer_id = 7
EXPLAIN ANALYZE UPDATE orders SET total = 0 WHERE id = 3
PREPARE by_id (bigint) AS SELECT * FROM customers WHERE id = $1
EXECUTE by_id(42)
DEALLOCATE PREPARE by_id
DEALLOCATE ALL
DISCARD ALL
RESET search_path
RESET ALL
DO $$BEGIN PERFORM pg_sleep(0); END$$
CALL archive_orders(2025)
LOCK TABLE orders IN SHARE ROW EXCLUSIVE MODE NOWAIT
LISTEN order_events
NOTIFY order_events, 'created'
UNLISTEN *
START TRANSACTION READ ONLY
BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ
PREPARE TRANSACTION 'shop-tx-1'
COMMIT PREPARED 'shop-tx-1'
ROLLBACK PREPARED 'shop-tx-1'
TABLE customers
SELECT * FROM orders TABLESAMPLE BERNOULLI (5) REPEATABLE (17)
SELECT * FROM ROWS FROM (generate_series(1, 3), unnest(ARRAY['a', 'b'])) AS t(n, s)
SELECT * FROM accounts WHERE id BETWEEN SYMMETRIC 500 AND 100
SELECT * FROM orders WHERE (customer_id, id) IN (SELECT customer_id, max(id) FROM orders GROUP BY customer_id)
SELECT * FROM customers WHERE id = ANY(ARRAY[42, 7, 9])
SELECT * FROM customers WHERE id = CAST('42' AS bigint)
SELECT created_at AT TIME ZONE 'Europe/Berlin' FROM events WHERE created_at >= '2025-12-01' AND created_at < '2026-01-01'
SELECT a::double precision, b::character varying, c::timestamp without time zone FROM measurements
SELECT * FROM customers ORDER BY name COLLATE "C"
