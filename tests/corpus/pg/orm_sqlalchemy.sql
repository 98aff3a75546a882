-- Statement shapes SQLAlchemy (Core and ORM, psycopg2 dialect) emits on PostgreSQL: labelled
-- columns, anonymous bind names rendered as literals, RETURNING on insert, joined eager loads.
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 66815
SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name = 'frank' LIMIT 5
INSERT INTO users (name, fullname) VALUES ('grace', 'Dave Heidi') RETURNING users.id
UPDATE users SET fullname='Heidi' WHERE users.id = 1427
DELETE FROM addresses WHERE addresses.id = 99689
SELECT addresses.id AS addresses_id, addresses.email_address AS addresses_email_address, addresses.user_id AS addresses_user_id FROM addresses WHERE 7925 = addresses.user_id
SELECT users.id AS users_id, users.name AS users_name, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 4671
SELECT count(*) AS count_1 FROM (SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name LIKE '%bob%') AS anon_1
SELECT users.id, users.name FROM users WHERE users.id IN (38, 148, 249, 381)
SELECT anon_1.users_id AS anon_1_users_id FROM (SELECT users.id AS users_id FROM users ORDER BY users.id LIMIT 38 OFFSET 225) AS anon_1
SELECT pg_catalog.pg_class.relname FROM pg_catalog.pg_class JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace WHERE pg_catalog.pg_class.relname = 'users' AND pg_catalog.pg_class.relkind = ANY (ARRAY['r', 'p', 'f', 'v', 'm']) AND pg_catalog.pg_table_is_visible(pg_catalog.pg_class.oid) AND pg_catalog.pg_namespace.nspname != 'pg_catalog'
select pg_catalog.version()
select current_schema()
show standard_conforming_strings
SELECT orders.id, orders.customer_id, orders.total FROM orders WHERE orders.customer_id = 7863 AND orders.created_at >= '2025-11-15 17:46:39' ORDER BY orders.created_at DESC
INSERT INTO orders (customer_id, total, status) VALUES (7170, 36.93, 'new'), (5023, 442.29, 'new') RETURNING orders.id
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 96208
SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name = 'carol' LIMIT 2
INSERT INTO users (name, fullname) VALUES ('bob', 'Frank Erin') RETURNING users.id
UPDATE users SET fullname='Alice' WHERE users.id = 46367
DELETE FROM addresses WHERE addresses.id = 8699
SELECT addresses.id AS addresses_id, addresses.email_address AS addresses_email_address, addresses.user_id AS addresses_user_id FROM addresses WHERE 3101 = addresses.user_id
SELECT users.id AS users_id, users.name AS users_name, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 6235
SELECT count(*) AS count_1 FROM (SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name LIKE '%grace%') AS anon_1
SELECT users.id, users.name FROM users WHERE users.id IN (51, 143, 222, 324)
SELECT anon_1.users_id AS anon_1_users_id FROM (SELECT users.id AS users_id FROM users ORDER BY users.id LIMIT 37 OFFSET 277) AS anon_1
SELECT orders.id, orders.customer_id, orders.total FROM orders WHERE orders.customer_id = 274 AND orders.created_at >= '2025-08-17 08:29:30' ORDER BY orders.created_at DESC
INSERT INTO orders (customer_id, total, status) VALUES (9012, 539.91, 'new'), (5, 498.10, 'new') RETURNING orders.id
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 77042
SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name = 'frank' LIMIT 3
INSERT INTO users (name, fullname) VALUES ('dave', 'Grace Grace') RETURNING users.id
UPDATE users SET fullname='Alice' WHERE users.id = 58755
DELETE FROM addresses WHERE addresses.id = 15221
SELECT addresses.id AS addresses_id, addresses.email_address AS addresses_email_address, addresses.user_id AS addresses_user_id FROM addresses WHERE 9097 = addresses.user_id
SELECT users.id AS users_id, users.name AS users_name, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 9970
SELECT count(*) AS count_1 FROM (SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name LIKE '%carol%') AS anon_1
SELECT users.id, users.name FROM users WHERE users.id IN (58, 160, 239, 351)
SELECT anon_1.users_id AS anon_1_users_id FROM (SELECT users.id AS users_id FROM users ORDER BY users.id LIMIT 20 OFFSET 386) AS anon_1
SELECT orders.id, orders.customer_id, orders.total FROM orders WHERE orders.customer_id = 8808 AND orders.created_at >= '2025-05-13 19:40:28' ORDER BY orders.created_at DESC
INSERT INTO orders (customer_id, total, status) VALUES (152, 737.96, 'new'), (2003, 350.84, 'new') RETURNING orders.id
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 79902
SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name = 'carol' LIMIT 3
INSERT INTO users (name, fullname) VALUES ('dave', 'Bob Frank') RETURNING users.id
UPDATE users SET fullname='Bob' WHERE users.id = 27441
DELETE FROM addresses WHERE addresses.id = 66134
SELECT addresses.id AS addresses_id, addresses.email_address AS addresses_email_address, addresses.user_id AS addresses_user_id FROM addresses WHERE 8983 = addresses.user_id
SELECT users.id AS users_id, users.name AS users_name, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 7084
SELECT count(*) AS count_1 FROM (SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name LIKE '%frank%') AS anon_1
SELECT users.id, users.name FROM users WHERE users.id IN (89, 159, 227, 340)
SELECT anon_1.users_id AS anon_1_users_id FROM (SELECT users.id AS users_id FROM users ORDER BY users.id LIMIT 20 OFFSET 329) AS anon_1
SELECT orders.id, orders.customer_id, orders.total FROM orders WHERE orders.customer_id = 9317 AND orders.created_at >= '2025-12-11 16:38:54' ORDER BY orders.created_at DESC
INSERT INTO orders (customer_id, total, status) VALUES (1145, 235.47, 'new'), (798, 118.72, 'new') RETURNING orders.id
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 63198
SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name = 'erin' LIMIT 5
INSERT INTO users (name, fullname) VALUES ('heidi', 'Dave Grace') RETURNING users.id
UPDATE users SET fullname='Dave' WHERE users.id = 13995
DELETE FROM addresses WHERE addresses.id = 27020
SELECT addresses.id AS addresses_id, addresses.email_address AS addresses_email_address, addresses.user_id AS addresses_user_id FROM addresses WHERE 5524 = addresses.user_id
SELECT users.id AS users_id, users.name AS users_name, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 1880
SELECT users.id, users.name FROM users WHERE users.id IN (82, 110, 287, 318)
SELECT anon_1.users_id AS anon_1_users_id FROM (SELECT users.id AS users_id FROM users ORDER BY users.id LIMIT 23 OFFSET 388) AS anon_1
SELECT orders.id, orders.customer_id, orders.total FROM orders WHERE orders.customer_id = 6051 AND orders.created_at >= '2025-04-18 08:30:41' ORDER BY orders.created_at DESC
INSERT INTO orders (customer_id, total, status) VALUES (4357, 447.24, 'new'), (367, 701.63, 'new') RETURNING orders.id
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 25481
SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name = 'bob' LIMIT 1
INSERT INTO users (name, fullname) VALUES ('heidi', 'Frank Frank') RETURNING users.id
UPDATE users SET fullname='Grace' WHERE users.id = 58221
DELETE FROM addresses WHERE addresses.id = 13369
SELECT addresses.id AS addresses_id, addresses.email_address AS addresses_email_address, addresses.user_id AS addresses_user_id FROM addresses WHERE 931 = addresses.user_id
SELECT users.id AS users_id, users.name AS users_name, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 826
SELECT users.id, users.name FROM users WHERE users.id IN (79, 176, 278, 306)
SELECT anon_1.users_id AS anon_1_users_id FROM (SELECT users.id AS users_id FROM users ORDER BY users.id LIMIT 47 OFFSET 225) AS anon_1
SELECT orders.id, orders.customer_id, orders.total FROM orders WHERE orders.customer_id = 6476 AND orders.created_at >= '2025-03-07 14:36:00' ORDER BY orders.created_at DESC
INSERT INTO orders (customer_id, total, status) VALUES (8873, 824.18, 'new'), (2101, 840.94, 'new') RETURNING orders.id
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 46137
SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name = 'alice' LIMIT 2
INSERT INTO users (name, fullname) VALUES ('grace', 'Heidi Carol') RETURNING users.id
UPDATE users SET fullname='Bob' WHERE users.id = 71422
DELETE FROM addresses WHERE addresses.id = 44825
SELECT addresses.id AS addresses_id, addresses.email_address AS addresses_email_address, addresses.user_id AS addresses_user_id FROM addresses WHERE 101 = addresses.user_id
SELECT users.id AS users_id, users.name AS users_name, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 6729
SELECT count(*) AS count_1 FROM (SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name LIKE '%alice%') AS anon_1
SELECT users.id, users.name FROM users WHERE users.id IN (7, 132, 228, 395)
SELECT anon_1.users_id AS anon_1_users_id FROM (SELECT users.id AS users_id FROM users ORDER BY users.id LIMIT 30 OFFSET 364) AS anon_1
SELECT orders.id, orders.customer_id, orders.total FROM orders WHERE orders.customer_id = 3203 AND orders.created_at >= '2025-06-13 10:54:36' ORDER BY orders.created_at DESC
INSERT INTO orders (customer_id, total, status) VALUES (2315, 138.85, 'new'), (6699, 6.32, 'new') RETURNING orders.id
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 36733
SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name = 'frank' LIMIT 2
INSERT INTO users (name, fullname) VALUES ('frank', 'Erin Dave') RETURNING users.id
UPDATE users SET fullname='Carol' WHERE users.id = 10935
DELETE FROM addresses WHERE addresses.id = 4053
SELECT addresses.id AS addresses_id, addresses.email_address AS addresses_email_address, addresses.user_id AS addresses_user_id FROM addresses WHERE 1925 = addresses.user_id
SELECT users.id AS users_id, users.name AS users_name, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 8884
SELECT users.id, users.name FROM users WHERE users.id IN (24, 152, 294, 357)
SELECT anon_1.users_id AS anon_1_users_id FROM (SELECT users.id AS users_id FROM users ORDER BY users.id LIMIT 49 OFFSET 206) AS anon_1
SELECT orders.id, orders.customer_id, orders.total FROM orders WHERE orders.customer_id = 6651 AND orders.created_at >= '2025-08-27 14:33:53' ORDER BY orders.created_at DESC
INSERT INTO orders (customer_id, total, status) VALUES (4682, 7.94, 'new'), (2124, 989.22, 'new') RETURNING orders.id
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 81996
SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name = 'frank' LIMIT 1
INSERT INTO users (name, fullname) VALUES ('alice', 'Carol Erin') RETURNING users.id
UPDATE users SET fullname='Heidi' WHERE users.id = 78118
DELETE FROM addresses WHERE addresses.id = 96937
SELECT addresses.id AS addresses_id, addresses.email_address AS addresses_email_address, addresses.user_id AS addresses_user_id FROM addresses WHERE 9707 = addresses.user_id
SELECT users.id AS users_id, users.name AS users_name, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 5708
SELECT count(*) AS count_1 FROM (SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name LIKE '%heidi%') AS anon_1
SELECT users.id, users.name FROM users WHERE users.id IN (89, 180, 203, 363)
SELECT anon_1.users_id AS anon_1_users_id FROM (SELECT users.id AS users_id FROM users ORDER BY users.id LIMIT 22 OFFSET 447) AS anon_1
SELECT orders.id, orders.customer_id, orders.total FROM orders WHERE orders.customer_id = 8286 AND orders.created_at >= '2025-08-28 14:52:06' ORDER BY orders.created_at DESC
INSERT INTO orders (customer_id, total, status) VALUES (7478, 544.95, 'new'), (4624, 734.96, 'new') RETURNING orders.id
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 28845
SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name = 'grace' LIMIT 1
INSERT INTO users (name, fullname) VALUES ('dave', 'Erin Bob') RETURNING users.id
UPDATE users SET fullname='Heidi' WHERE users.id = 55279
DELETE FROM addresses WHERE addresses.id = 93586
SELECT addresses.id AS addresses_id, addresses.email_address AS addresses_email_address, addresses.user_id AS addresses_user_id FROM addresses WHERE 300 = addresses.user_id
SELECT users.id AS users_id, users.name AS users_name, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 2773
SELECT users.id, users.name FROM users WHERE users.id IN (69, 152, 248, 387)
SELECT anon_1.users_id AS anon_1_users_id FROM (SELECT users.id AS users_id FROM users ORDER BY users.id LIMIT 14 OFFSET 36) AS anon_1
SELECT orders.id, orders.customer_id, orders.total FROM orders WHERE orders.customer_id = 344 AND orders.created_at >= '2025-08-17 09:47:57' ORDER BY orders.created_at DESC
INSERT INTO orders (customer_id, total, status) VALUES (2199, 460.69, 'new'), (428, 963.96, 'new') RETURNING orders.id
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 80442
SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name = 'heidi' LIMIT 4
INSERT INTO users (name, fullname) VALUES ('alice', 'Alice Grace') RETURNING users.id
UPDATE users SET fullname='Heidi' WHERE users.id = 2412
DELETE FROM addresses WHERE addresses.id = 94698
SELECT addresses.id AS addresses_id, addresses.email_address AS addresses_email_address, addresses.user_id AS addresses_user_id FROM addresses WHERE 6107 = addresses.user_id
SELECT users.id AS users_id, users.name AS users_name, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 9652
SELECT count(*) AS count_1 FROM (SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name LIKE '%dave%') AS anon_1
SELECT users.id, users.name FROM users WHERE users.id IN (50, 186, 269, 355)
SELECT anon_1.users_id AS anon_1_users_id FROM (SELECT users.id AS users_id FROM users ORDER BY users.id LIMIT 8 OFFSET 218) AS anon_1
SELECT orders.id, orders.customer_id, orders.total FROM orders WHERE orders.customer_id = 7387 AND orders.created_at >= '2025-05-07 13:13:33' ORDER BY orders.created_at DESC
INSERT INTO orders (customer_id, total, status) VALUES (355, 904.91, 'new'), (6492, 848.48, 'new') RETURNING orders.id
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 81777
SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name = 'carol' LIMIT 4
INSERT INTO users (name, fullname) VALUES ('grace', 'Carol Dave') RETURNING users.id
UPDATE users SET fullname='Grace' WHERE users.id = 80225
DELETE FROM addresses WHERE addresses.id = 17280
SELECT addresses.id AS addresses_id, addresses.email_address AS addresses_email_address, addresses.user_id AS addresses_user_id FROM addresses WHERE 3442 = addresses.user_id
SELECT users.id AS users_id, users.name AS users_name, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 8998
SELECT users.id, users.name FROM users WHERE users.id IN (92, 158, 257, 343)
SELECT anon_1.users_id AS anon_1_users_id FROM (SELECT users.id AS users_id FROM users ORDER BY users.id LIMIT 11 OFFSET 359) AS anon_1
SELECT orders.id, orders.customer_id, orders.total FROM orders WHERE orders.customer_id = 9217 AND orders.created_at >= '2025-05-24 00:35:23' ORDER BY orders.created_at DESC
INSERT INTO orders (customer_id, total, status) VALUES (5020, 841.85, 'new'), (2458, 201.66, 'new') RETURNING orders.id
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 79021
SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name = 'heidi' LIMIT 3
INSERT INTO users (name, fullname) VALUES ('dave', 'Erin Grace') RETURNING users.id
UPDATE users SET fullname='Erin' WHERE users.id = 16338
DELETE FROM addresses WHERE addresses.id = 65657
SELECT addresses.id AS addresses_id, addresses.email_address AS addresses_email_address, addresses.user_id AS addresses_user_id FROM addresses WHERE 2174 = addresses.user_id
SELECT users.id AS users_id, users.name AS users_name, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 5533
SELECT users.id, users.name FROM users WHERE users.id IN (88, 167, 235, 357)
SELECT anon_1.users_id AS anon_1_users_id FROM (SELECT users.id AS users_id FROM users ORDER BY users.id LIMIT 30 OFFSET 352) AS anon_1
SELECT orders.id, orders.customer_id, orders.total FROM orders WHERE orders.customer_id = 8494 AND orders.created_at >= '2025-08-09 21:02:07' ORDER BY orders.created_at DESC
INSERT INTO orders (customer_id, total, status) VALUES (7073, 371.80, 'new'), (3019, 846.90, 'new') RETURNING orders.id
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 29883
SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name = 'grace' LIMIT 2
INSERT INTO users (name, fullname) VALUES ('bob', 'Grace Dave') RETURNING users.id
UPDATE users SET fullname='Dave' WHERE users.id = 1295
DELETE FROM addresses WHERE addresses.id = 7432
SELECT addresses.id AS addresses_id, addresses.email_address AS addresses_email_address, addresses.user_id AS addresses_user_id FROM addresses WHERE 2445 = addresses.user_id
SELECT users.id AS users_id, users.name AS users_name, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 502
SELECT users.id, users.name FROM users WHERE users.id IN (71, 180, 291, 390)
SELECT anon_1.users_id AS anon_1_users_id FROM (SELECT users.id AS users_id FROM users ORDER BY users.id LIMIT 36 OFFSET 64) AS anon_1
SELECT orders.id, orders.customer_id, orders.total FROM orders WHERE orders.customer_id = 5766 AND orders.created_at >= '2025-11-25 15:48:57' ORDER BY orders.created_at DESC
INSERT INTO orders (customer_id, total, status) VALUES (3818, 686.95, 'new'), (7777, 949.59, 'new') RETURNING orders.id
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 25564
SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name = 'heidi' LIMIT 1
INSERT INTO users (name, fullname) VALUES ('frank', 'Dave Carol') RETURNING users.id
UPDATE users SET fullname='Frank' WHERE users.id = 49293
DELETE FROM addresses WHERE addresses.id = 74499
SELECT addresses.id AS addresses_id, addresses.email_address AS addresses_email_address, addresses.user_id AS addresses_user_id FROM addresses WHERE 6082 = addresses.user_id
SELECT users.id AS users_id, users.name AS users_name, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 403
SELECT users.id, users.name FROM users WHERE users.id IN (90, 142, 249, 352)
SELECT anon_1.users_id AS anon_1_users_id FROM (SELECT users.id AS users_id FROM users ORDER BY users.id LIMIT 9 OFFSET 189) AS anon_1
SELECT orders.id, orders.customer_id, orders.total FROM orders WHERE orders.customer_id = 5288 AND orders.created_at >= '2025-08-21 02:16:16' ORDER BY orders.created_at DESC
INSERT INTO orders (customer_id, total, status) VALUES (8248, 94.87, 'new'), (4562, 805.53, 'new') RETURNING orders.id
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 52638
SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name = 'heidi' LIMIT 2
INSERT INTO users (name, fullname) VALUES ('dave', 'Alice Grace') RETURNING users.id
UPDATE users SET fullname='Carol' WHERE users.id = 90027
DELETE FROM addresses WHERE addresses.id = 28449
SELECT addresses.id AS addresses_id, addresses.email_address AS addresses_email_address, addresses.user_id AS addresses_user_id FROM addresses WHERE 1946 = addresses.user_id
SELECT users.id AS users_id, users.name AS users_name, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 4370
SELECT users.id, users.name FROM users WHERE users.id IN (97, 132, 255, 343)
SELECT anon_1.users_id AS anon_1_users_id FROM (SELECT users.id AS users_id FROM users ORDER BY users.id LIMIT 22 OFFSET 116) AS anon_1
SELECT orders.id, orders.customer_id, orders.total FROM orders WHERE orders.customer_id = 2462 AND orders.created_at >= '2025-12-26 17:53:54' ORDER BY orders.created_at DESC
INSERT INTO orders (customer_id, total, status) VALUES (8671, 682.33, 'new'), (2944, 925.83, 'new') RETURNING orders.id
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 88441
INSERT INTO users (name, fullname) VALUES ('erin', 'Alice Bob') RETURNING users.id
UPDATE users SET fullname='Carol' WHERE users.id = 57278
DELETE FROM addresses WHERE addresses.id = 22048
SELECT addresses.id AS addresses_id, addresses.email_address AS addresses_email_address, addresses.user_id AS addresses_user_id FROM addresses WHERE 9366 = addresses.user_id
SELECT users.id AS users_id, users.name AS users_name, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 9071
SELECT users.id, users.name FROM users WHERE users.id IN (70, 124, 291, 323)
SELECT anon_1.users_id AS anon_1_users_id FROM (SELECT users.id AS users_id FROM users ORDER BY users.id LIMIT 50 OFFSET 189) AS anon_1
SELECT orders.id, orders.customer_id, orders.total FROM orders WHERE orders.customer_id = 5341 AND orders.created_at >= '2025-08-27 14:25:15' ORDER BY orders.created_at DESC
INSERT INTO orders (customer_id, total, status) VALUES (7707, 698.55, 'new'), (3379, 646.32, 'new') RETURNING orders.id
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 66389
INSERT INTO users (name, fullname) VALUES ('bob', 'Grace Erin') RETURNING users.id
UPDATE users SET fullname='Grace' WHERE users.id = 35668
DELETE FROM addresses WHERE addresses.id = 57285
SELECT addresses.id AS addresses_id, addresses.email_address AS addresses_email_address, addresses.user_id AS addresses_user_id FROM addresses WHERE 8495 = addresses.user_id
SELECT users.id AS users_id, users.name AS users_name, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 4712
SELECT users.id, users.name FROM users WHERE users.id IN (67, 168, 230, 387)
SELECT anon_1.users_id AS anon_1_users_id FROM (SELECT users.id AS users_id FROM users ORDER BY users.id LIMIT 40 OFFSET 482) AS anon_1
SELECT orders.id, orders.customer_id, orders.total FROM orders WHERE orders.customer_id = 5613 AND orders.created_at >= '2025-06-13 16:03:35' ORDER BY orders.created_at DESC
INSERT INTO orders (customer_id, total, status) VALUES (9471, 610.55, 'new'), (1354, 388.40, 'new') RETURNING orders.id
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 76334
SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name = 'alice' LIMIT 3
INSERT INTO users (name, fullname) VALUES ('frank', 'Grace Frank') RETURNING users.id
UPDATE users SET fullname='Heidi' WHERE users.id = 6301
DELETE FROM addresses WHERE addresses.id = 16243
SELECT addresses.id AS addresses_id, addresses.email_address AS addresses_email_address, addresses.user_id AS addresses_user_id FROM addresses WHERE 6362 = addresses.user_id
SELECT users.id AS users_id, users.name AS users_name, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 6438
SELECT users.id, users.name FROM users WHERE users.id IN (2, 197, 268, 382)
SELECT anon_1.users_id AS anon_1_users_id FROM (SELECT users.id AS users_id FROM users ORDER BY users.id LIMIT 12 OFFSET 274) AS anon_1
SELECT orders.id, orders.customer_id, orders.total FROM orders WHERE orders.customer_id = 3816 AND orders.created_at >= '2025-07-09 18:22:10' ORDER BY orders.created_at DESC
INSERT INTO orders (customer_id, total, status) VALUES (9661, 711.66, 'new'), (9254, 205.30, 'new') RETURNING orders.id
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 47132
SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name = 'dave' LIMIT 3
UPDATE users SET fullname='Grace' WHERE users.id = 52500
DELETE FROM addresses WHERE addresses.id = 61136
SELECT addresses.id AS addresses_id, addresses.email_address AS addresses_email_address, addresses.user_id AS addresses_user_id FROM addresses WHERE 5769 = addresses.user_id
SELECT users.id AS users_id, users.name AS users_name, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 991
SELECT count(*) AS count_1 FROM (SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name LIKE '%erin%') AS anon_1
SELECT users.id, users.name FROM users WHERE users.id IN (38, 151, 202, 308)
SELECT anon_1.users_id AS anon_1_users_id FROM (SELECT users.id AS users_id FROM users ORDER BY users.id LIMIT 44 OFFSET 86) AS anon_1
SELECT orders.id, orders.customer_id, orders.total FROM orders WHERE orders.customer_id = 4506 AND orders.created_at >= '2025-01-14 16:44:18' ORDER BY orders.created_at DESC
INSERT INTO orders (customer_id, total, status) VALUES (6138, 369.67, 'new'), (2301, 777.74, 'new') RETURNING orders.id
