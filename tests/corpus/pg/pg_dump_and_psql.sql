-- Statement shapes of pg_dump output (SET lines, CREATE/ALTER, COPY ... FROM stdin, setval) and
-- of psql's \d / \dt introspection queries against the system catalogs.
SET statement_timeout = 0
SET lock_timeout = 0
SET client_encoding = 'UTF8'
SET standard_conforming_strings = on
SELECT pg_catalog.set_config('search_path', '', false)
SET check_function_bodies = false
SET default_tablespace = ''
COPY public.orders (id, customer_id, total, created_at) FROM stdin
COPY public.customers (id, name, email) FROM stdin
SELECT pg_catalog.setval('public.orders_id_seq', 41748, true)
ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id)
CREATE INDEX orders_customer_id_idx ON public.orders USING btree (customer_id)
SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname OPERATOR(pg_catalog.~) '^(orders)$' COLLATE pg_catalog.default AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 2, 3
SELECT n.nspname as "Schema", c.relname as "Name", CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' END as "Type", pg_catalog.pg_get_userbyid(c.relowner) as "Owner" FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p','') AND n.nspname <> 'pg_catalog' AND n.nspname !~ '^pg_toast' AND n.nspname <> 'information_schema' AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 1,2
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '72536' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
COPY (SELECT id, customer_id, total FROM orders WHERE customer_id = 9794) TO STDOUT WITH (FORMAT csv, HEADER true)
COPY orders TO STDOUT
SELECT pg_catalog.setval('public.orders_id_seq', 6803, true)
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '68333' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
COPY (SELECT id, customer_id, total FROM orders WHERE customer_id = 522) TO STDOUT WITH (FORMAT csv, HEADER true)
SELECT pg_catalog.setval('public.orders_id_seq', 24741, true)
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '90985' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
COPY (SELECT id, customer_id, total FROM orders WHERE customer_id = 2944) TO STDOUT WITH (FORMAT csv, HEADER true)
SELECT pg_catalog.setval('public.orders_id_seq', 49110, true)
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '71033' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
COPY (SELECT id, customer_id, total FROM orders WHERE customer_id = 2316) TO STDOUT WITH (FORMAT csv, HEADER true)
SELECT pg_catalog.setval('public.orders_id_seq', 435, true)
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '16919' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
COPY (SELECT id, customer_id, total FROM orders WHERE customer_id = 2587) TO STDOUT WITH (FORMAT csv, HEADER true)
SELECT pg_catalog.setval('public.orders_id_seq', 52768, true)
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '43101' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
COPY (SELECT id, customer_id, total FROM orders WHERE customer_id = 7491) TO STDOUT WITH (FORMAT csv, HEADER true)
SELECT pg_catalog.setval('public.orders_id_seq', 8818, true)
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '72044' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
COPY (SELECT id, customer_id, total FROM orders WHERE customer_id = 5618) TO STDOUT WITH (FORMAT csv, HEADER true)
SELECT pg_catalog.setval('public.orders_id_seq', 83243, true)
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '97260' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
COPY (SELECT id, customer_id, total FROM orders WHERE customer_id = 4343) TO STDOUT WITH (FORMAT csv, HEADER true)
SELECT pg_catalog.setval('public.orders_id_seq', 31385, true)
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '83468' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
COPY (SELECT id, customer_id, total FROM orders WHERE customer_id = 5884) TO STDOUT WITH (FORMAT csv, HEADER true)
SELECT pg_catalog.setval('public.orders_id_seq', 75819, true)
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '25429' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
COPY (SELECT id, customer_id, total FROM orders WHERE customer_id = 3378) TO STDOUT WITH (FORMAT csv, HEADER true)
SELECT pg_catalog.setval('public.orders_id_seq', 70651, true)
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '50042' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
COPY (SELECT id, customer_id, total FROM orders WHERE customer_id = 2320) TO STDOUT WITH (FORMAT csv, HEADER true)
SELECT pg_catalog.setval('public.orders_id_seq', 36743, true)
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '29405' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
COPY (SELECT id, customer_id, total FROM orders WHERE customer_id = 759) TO STDOUT WITH (FORMAT csv, HEADER true)
SELECT pg_catalog.setval('public.orders_id_seq', 92687, true)
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '39198' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
COPY (SELECT id, customer_id, total FROM orders WHERE customer_id = 8384) TO STDOUT WITH (FORMAT csv, HEADER true)
SELECT pg_catalog.setval('public.orders_id_seq', 11726, true)
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '24310' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
COPY (SELECT id, customer_id, total FROM orders WHERE customer_id = 4209) TO STDOUT WITH (FORMAT csv, HEADER true)
SELECT pg_catalog.setval('public.orders_id_seq', 67124, true)
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '52803' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
COPY (SELECT id, customer_id, total FROM orders WHERE customer_id = 9751) TO STDOUT WITH (FORMAT csv, HEADER true)
SELECT pg_catalog.setval('public.orders_id_seq', 93272, true)
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '59238' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
COPY (SELECT id, customer_id, total FROM orders WHERE customer_id = 9563) TO STDOUT WITH (FORMAT csv, HEADER true)
SELECT pg_catalog.setval('public.orders_id_seq', 74809, true)
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '72124' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
COPY (SELECT id, customer_id, total FROM orders WHERE customer_id = 1171) TO STDOUT WITH (FORMAT csv, HEADER true)
SELECT pg_catalog.setval('public.orders_id_seq', 27197, true)
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '57677' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
COPY (SELECT id, customer_id, total FROM orders WHERE customer_id = 7702) TO STDOUT WITH (FORMAT csv, HEADER true)
SELECT pg_catalog.setval('public.orders_id_seq', 61286, true)
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '99798' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
COPY (SELECT id, customer_id, total FROM orders WHERE customer_id = 8296) TO STDOUT WITH (FORMAT csv, HEADER true)
SELECT pg_catalog.setval('public.orders_id_seq', 87513, true)
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '97155' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
COPY (SELECT id, customer_id, total FROM orders WHERE customer_id = 9689) TO STDOUT WITH (FORMAT csv, HEADER true)
