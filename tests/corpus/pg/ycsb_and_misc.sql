-- Statement shapes of the YCSB JDBC binding (usertable, field0..field9) and of PostgreSQL
-- features applications use: MERGE (PostgreSQL 15), data-modifying WITH queries, JOIN USING.
SELECT * FROM usertable WHERE YCSB_KEY = 'user584795649'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user252179444' ORDER BY YCSB_KEY LIMIT 26
UPDATE usertable SET FIELD2 = '591374' WHERE YCSB_KEY = 'user789910656'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1, FIELD2) VALUES ('user958403689', 'a658', 'b73', 'c780')
DELETE FROM usertable WHERE YCSB_KEY = 'user250303129'
MERGE INTO accounts a USING (VALUES (945, 45)) AS v(id, delta) ON a.id = v.id WHEN MATCHED THEN UPDATE SET balance = a.balance + v.delta WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (v.id, v.delta)
MERGE INTO inventory t USING staged_inventory s ON t.sku = s.sku AND t.warehouse_id = 9 WHEN MATCHED AND s.qty = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT (sku, warehouse_id, qty) VALUES (s.sku, 6, s.qty)
WITH moved AS (DELETE FROM orders WHERE customer_id = 6881 AND status = 'archived' RETURNING *) INSERT INTO orders_archive SELECT * FROM moved
WITH updated AS (UPDATE jobs SET state = 'running', locked_at = now() WHERE id = 48719 RETURNING id) SELECT id FROM updated
SELECT o.id, i.sku FROM orders o JOIN order_items i USING (customer_id) WHERE customer_id = 3878
SELECT * FROM orders NATURAL JOIN order_items WHERE customer_id = 8528
SELECT id, name FROM customers WHERE id = 8587 UNION ALL SELECT id, name FROM customers WHERE id = 1773
SELECT * FROM usertable WHERE YCSB_KEY = 'user479523453'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user183359687' ORDER BY YCSB_KEY LIMIT 5
UPDATE usertable SET FIELD1 = '133140' WHERE YCSB_KEY = 'user783712763'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1, FIELD2) VALUES ('user624335219', 'a652', 'b264', 'c388')
DELETE FROM usertable WHERE YCSB_KEY = 'user184750082'
MERGE INTO accounts a USING (VALUES (321, 81)) AS v(id, delta) ON a.id = v.id WHEN MATCHED THEN UPDATE SET balance = a.balance + v.delta WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (v.id, v.delta)
MERGE INTO inventory t USING staged_inventory s ON t.sku = s.sku AND t.warehouse_id = 9 WHEN MATCHED AND s.qty = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT (sku, warehouse_id, qty) VALUES (s.sku, 4, s.qty)
WITH moved AS (DELETE FROM orders WHERE customer_id = 4716 AND status = 'archived' RETURNING *) INSERT INTO orders_archive SELECT * FROM moved
WITH updated AS (UPDATE jobs SET state = 'running', locked_at = now() WHERE id = 28125 RETURNING id) SELECT id FROM updated
SELECT o.id, i.sku FROM orders o JOIN order_items i USING (customer_id) WHERE customer_id = 5045
SELECT * FROM orders NATURAL JOIN order_items WHERE customer_id = 695
SELECT id, name FROM customers WHERE id = 9277 UNION ALL SELECT id, name FROM customers WHERE id = 8373
SELECT * FROM usertable WHERE YCSB_KEY = 'user173639288'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user226856618' ORDER BY YCSB_KEY LIMIT 80
UPDATE usertable SET FIELD3 = '900112' WHERE YCSB_KEY = 'user199469777'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1, FIELD2) VALUES ('user451609262', 'a204', 'b605', 'c569')
DELETE FROM usertable WHERE YCSB_KEY = 'user626103655'
MERGE INTO accounts a USING (VALUES (851, 62)) AS v(id, delta) ON a.id = v.id WHEN MATCHED THEN UPDATE SET balance = a.balance + v.delta WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (v.id, v.delta)
MERGE INTO inventory t USING staged_inventory s ON t.sku = s.sku AND t.warehouse_id = 9 WHEN MATCHED AND s.qty = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT (sku, warehouse_id, qty) VALUES (s.sku, 9, s.qty)
WITH moved AS (DELETE FROM orders WHERE customer_id = 7549 AND status = 'archived' RETURNING *) INSERT INTO orders_archive SELECT * FROM moved
WITH updated AS (UPDATE jobs SET state = 'running', locked_at = now() WHERE id = 85670 RETURNING id) SELECT id FROM updated
SELECT o.id, i.sku FROM orders o JOIN order_items i USING (customer_id) WHERE customer_id = 5958
SELECT * FROM orders NATURAL JOIN order_items WHERE customer_id = 5966
SELECT id, name FROM customers WHERE id = 8457 UNION ALL SELECT id, name FROM customers WHERE id = 9353
SELECT * FROM usertable WHERE YCSB_KEY = 'user566810244'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user774454506' ORDER BY YCSB_KEY LIMIT 79
UPDATE usertable SET FIELD8 = '779201' WHERE YCSB_KEY = 'user431132329'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1, FIELD2) VALUES ('user779060207', 'a950', 'b261', 'c396')
DELETE FROM usertable WHERE YCSB_KEY = 'user305869403'
MERGE INTO accounts a USING (VALUES (133, 63)) AS v(id, delta) ON a.id = v.id WHEN MATCHED THEN UPDATE SET balance = a.balance + v.delta WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (v.id, v.delta)
MERGE INTO inventory t USING staged_inventory s ON t.sku = s.sku AND t.warehouse_id = 3 WHEN MATCHED AND s.qty = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT (sku, warehouse_id, qty) VALUES (s.sku, 7, s.qty)
WITH moved AS (DELETE FROM orders WHERE customer_id = 4088 AND status = 'archived' RETURNING *) INSERT INTO orders_archive SELECT * FROM moved
WITH updated AS (UPDATE jobs SET state = 'running', locked_at = now() WHERE id = 3025 RETURNING id) SELECT id FROM updated
SELECT o.id, i.sku FROM orders o JOIN order_items i USING (customer_id) WHERE customer_id = 4123
SELECT * FROM orders NATURAL JOIN order_items WHERE customer_id = 606
SELECT id, name FROM customers WHERE id = 592 UNION ALL SELECT id, name FROM customers WHERE id = 8337
SELECT * FROM usertable WHERE YCSB_KEY = 'user317278260'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user834325086' ORDER BY YCSB_KEY LIMIT 30
UPDATE usertable SET FIELD7 = '982437' WHERE YCSB_KEY = 'user575824416'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1, FIELD2) VALUES ('user761328123', 'a99', 'b628', 'c689')
DELETE FROM usertable WHERE YCSB_KEY = 'user798970202'
MERGE INTO accounts a USING (VALUES (400, 75)) AS v(id, delta) ON a.id = v.id WHEN MATCHED THEN UPDATE SET balance = a.balance + v.delta WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (v.id, v.delta)
MERGE INTO inventory t USING staged_inventory s ON t.sku = s.sku AND t.warehouse_id = 5 WHEN MATCHED AND s.qty = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT (sku, warehouse_id, qty) VALUES (s.sku, 3, s.qty)
WITH moved AS (DELETE FROM orders WHERE customer_id = 3181 AND status = 'archived' RETURNING *) INSERT INTO orders_archive SELECT * FROM moved
WITH updated AS (UPDATE jobs SET state = 'running', locked_at = now() WHERE id = 36164 RETURNING id) SELECT id FROM updated
SELECT o.id, i.sku FROM orders o JOIN order_items i USING (customer_id) WHERE customer_id = 4035
SELECT * FROM orders NATURAL JOIN order_items WHERE customer_id = 8858
SELECT id, name FROM customers WHERE id = 3305 UNION ALL SELECT id, name FROM customers WHERE id = 631
SELECT * FROM usertable WHERE YCSB_KEY = 'user885722158'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user861866453' ORDER BY YCSB_KEY LIMIT 31
UPDATE usertable SET FIELD0 = '769096' WHERE YCSB_KEY = 'user921430751'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1, FIELD2) VALUES ('user774908146', 'a483', 'b789', 'c290')
DELETE FROM usertable WHERE YCSB_KEY = 'user920982351'
MERGE INTO accounts a USING (VALUES (493, 65)) AS v(id, delta) ON a.id = v.id WHEN MATCHED THEN UPDATE SET balance = a.balance + v.delta WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (v.id, v.delta)
MERGE INTO inventory t USING staged_inventory s ON t.sku = s.sku AND t.warehouse_id = 2 WHEN MATCHED AND s.qty = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT (sku, warehouse_id, qty) VALUES (s.sku, 2, s.qty)
WITH moved AS (DELETE FROM orders WHERE customer_id = 5 AND status = 'archived' RETURNING *) INSERT INTO orders_archive SELECT * FROM moved
WITH updated AS (UPDATE jobs SET state = 'running', locked_at = now() WHERE id = 95295 RETURNING id) SELECT id FROM updated
SELECT o.id, i.sku FROM orders o JOIN order_items i USING (customer_id) WHERE customer_id = 326
SELECT * FROM orders NATURAL JOIN order_items WHERE customer_id = 8572
SELECT id, name FROM customers WHERE id = 5770 UNION ALL SELECT id, name FROM customers WHERE id = 2245
SELECT * FROM usertable WHERE YCSB_KEY = 'user477783827'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user472423220' ORDER BY YCSB_KEY LIMIT 93
UPDATE usertable SET FIELD2 = '300061' WHERE YCSB_KEY = 'user189148646'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1, FIELD2) VALUES ('user929272303', 'a359', 'b994', 'c864')
DELETE FROM usertable WHERE YCSB_KEY = 'user107337152'
MERGE INTO accounts a USING (VALUES (935, 95)) AS v(id, delta) ON a.id = v.id WHEN MATCHED THEN UPDATE SET balance = a.balance + v.delta WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (v.id, v.delta)
MERGE INTO inventory t USING staged_inventory s ON t.sku = s.sku AND t.warehouse_id = 8 WHEN MATCHED AND s.qty = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT (sku, warehouse_id, qty) VALUES (s.sku, 1, s.qty)
WITH moved AS (DELETE FROM orders WHERE customer_id = 8793 AND status = 'archived' RETURNING *) INSERT INTO orders_archive SELECT * FROM moved
WITH updated AS (UPDATE jobs SET state = 'running', locked_at = now() WHERE id = 36905 RETURNING id) SELECT id FROM updated
SELECT o.id, i.sku FROM orders o JOIN order_items i USING (customer_id) WHERE customer_id = 7723
SELECT * FROM orders NATURAL JOIN order_items WHERE customer_id = 9815
SELECT id, name FROM customers WHERE id = 8392 UNION ALL SELECT id, name FROM customers WHERE id = 8761
SELECT * FROM usertable WHERE YCSB_KEY = 'user141227678'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user423341832' ORDER BY YCSB_KEY LIMIT 61
UPDATE usertable SET FIELD8 = '530695' WHERE YCSB_KEY = 'user146424501'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1, FIELD2) VALUES ('user876704437', 'a518', 'b983', 'c901')
DELETE FROM usertable WHERE YCSB_KEY = 'user207812273'
MERGE INTO accounts a USING (VALUES (993, 18)) AS v(id, delta) ON a.id = v.id WHEN MATCHED THEN UPDATE SET balance = a.balance + v.delta WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (v.id, v.delta)
MERGE INTO inventory t USING staged_inventory s ON t.sku = s.sku AND t.warehouse_id = 4 WHEN MATCHED AND s.qty = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT (sku, warehouse_id, qty) VALUES (s.sku, 6, s.qty)
WITH moved AS (DELETE FROM orders WHERE customer_id = 5495 AND status = 'archived' RETURNING *) INSERT INTO orders_archive SELECT * FROM moved
WITH updated AS (UPDATE jobs SET state = 'running', locked_at = now() WHERE id = 91985 RETURNING id) SELECT id FROM updated
SELECT o.id, i.sku FROM orders o JOIN order_items i USING (customer_id) WHERE customer_id = 2055
SELECT * FROM orders NATURAL JOIN order_items WHERE customer_id = 2652
SELECT id, name FROM customers WHERE id = 2696 UNION ALL SELECT id, name FROM customers WHERE id = 1931
SELECT * FROM usertable WHERE YCSB_KEY = 'user867093177'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user765229461' ORDER BY YCSB_KEY LIMIT 38
UPDATE usertable SET FIELD2 = '835226' WHERE YCSB_KEY = 'user742418453'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1, FIELD2) VALUES ('user717572909', 'a676', 'b291', 'c421')
DELETE FROM usertable WHERE YCSB_KEY = 'user417963411'
MERGE INTO accounts a USING (VALUES (444, 4)) AS v(id, delta) ON a.id = v.id WHEN MATCHED THEN UPDATE SET balance = a.balance + v.delta WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (v.id, v.delta)
WITH moved AS (DELETE FROM orders WHERE customer_id = 1976 AND status = 'archived' RETURNING *) INSERT INTO orders_archive SELECT * FROM moved
WITH updated AS (UPDATE jobs SET state = 'running', locked_at = now() WHERE id = 17917 RETURNING id) SELECT id FROM updated
SELECT o.id, i.sku FROM orders o JOIN order_items i USING (customer_id) WHERE customer_id = 1016
SELECT * FROM orders NATURAL JOIN order_items WHERE customer_id = 8723
SELECT id, name FROM customers WHERE id = 2075 UNION ALL SELECT id, name FROM customers WHERE id = 2631
SELECT * FROM usertable WHERE YCSB_KEY = 'user848823655'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user527386949' ORDER BY YCSB_KEY LIMIT 94
UPDATE usertable SET FIELD3 = '156676' WHERE YCSB_KEY = 'user961496539'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1, FIELD2) VALUES ('user558404733', 'a753', 'b534', 'c232')
DELETE FROM usertable WHERE YCSB_KEY = 'user689493733'
MERGE INTO accounts a USING (VALUES (235, 11)) AS v(id, delta) ON a.id = v.id WHEN MATCHED THEN UPDATE SET balance = a.balance + v.delta WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (v.id, v.delta)
MERGE INTO inventory t USING staged_inventory s ON t.sku = s.sku AND t.warehouse_id = 2 WHEN MATCHED AND s.qty = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT (sku, warehouse_id, qty) VALUES (s.sku, 9, s.qty)
WITH moved AS (DELETE FROM orders WHERE customer_id = 3483 AND status = 'archived' RETURNING *) INSERT INTO orders_archive SELECT * FROM moved
WITH updated AS (UPDATE jobs SET state = 'running', locked_at = now() WHERE id = 69989 RETURNING id) SELECT id FROM updated
SELECT o.id, i.sku FROM orders o JOIN order_items i USING (customer_id) WHERE customer_id = 5125
SELECT * FROM orders NATURAL JOIN order_items WHERE customer_id = 5541
SELECT id, name FROM customers WHERE id = 8233 UNION ALL SELECT id, name FROM customers WHERE id = 2790
SELECT * FROM usertable WHERE YCSB_KEY = 'user142332097'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user403692947' ORDER BY YCSB_KEY LIMIT 25
UPDATE usertable SET FIELD8 = '569232' WHERE YCSB_KEY = 'user554160715'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1, FIELD2) VALUES ('user352906733', 'a938', 'b420', 'c526')
DELETE FROM usertable WHERE YCSB_KEY = 'user332554940'
MERGE INTO accounts a USING (VALUES (336, 3)) AS v(id, delta) ON a.id = v.id WHEN MATCHED THEN UPDATE SET balance = a.balance + v.delta WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (v.id, v.delta)
MERGE INTO inventory t USING staged_inventory s ON t.sku = s.sku AND t.warehouse_id = 3 WHEN MATCHED AND s.qty = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT (sku, warehouse_id, qty) VALUES (s.sku, 4, s.qty)
WITH moved AS (DELETE FROM orders WHERE customer_id = 9829 AND status = 'archived' RETURNING *) INSERT INTO orders_archive SELECT * FROM moved
WITH updated AS (UPDATE jobs SET state = 'running', locked_at = now() WHERE id = 15584 RETURNING id) SELECT id FROM updated
SELECT o.id, i.sku FROM orders o JOIN order_items i USING (customer_id) WHERE customer_id = 8450
SELECT * FROM orders NATURAL JOIN order_items WHERE customer_id = 6644
SELECT id, name FROM customers WHERE id = 5062 UNION ALL SELECT id, name FROM customers WHERE id = 4615
SELECT * FROM usertable WHERE YCSB_KEY = 'user759881674'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user170066381' ORDER BY YCSB_KEY LIMIT 75
UPDATE usertable SET FIELD4 = '276944' WHERE YCSB_KEY = 'user778203806'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1, FIELD2) VALUES ('user279104191', 'a873', 'b493', 'c478')
DELETE FROM usertable WHERE YCSB_KEY = 'user735217851'
MERGE INTO accounts a USING (VALUES (646, 78)) AS v(id, delta) ON a.id = v.id WHEN MATCHED THEN UPDATE SET balance = a.balance + v.delta WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (v.id, v.delta)
MERGE INTO inventory t USING staged_inventory s ON t.sku = s.sku AND t.warehouse_id = 1 WHEN MATCHED AND s.qty = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT (sku, warehouse_id, qty) VALUES (s.sku, 4, s.qty)
WITH moved AS (DELETE FROM orders WHERE customer_id = 49 AND status = 'archived' RETURNING *) INSERT INTO orders_archive SELECT * FROM moved
WITH updated AS (UPDATE jobs SET state = 'running', locked_at = now() WHERE id = 93813 RETURNING id) SELECT id FROM updated
SELECT o.id, i.sku FROM orders o JOIN order_items i USING (customer_id) WHERE customer_id = 8031
SELECT * FROM orders NATURAL JOIN order_items WHERE customer_id = 2826
SELECT id, name FROM customers WHERE id = 6787 UNION ALL SELECT id, name FROM customers WHERE id = 2095
SELECT * FROM usertable WHERE YCSB_KEY = 'user957239878'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user367031387' ORDER BY YCSB_KEY LIMIT 87
UPDATE usertable SET FIELD2 = '121943' WHERE YCSB_KEY = 'user332235096'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1, FIELD2) VALUES ('user447734497', 'a958', 'b271', 'c290')
DELETE FROM usertable WHERE YCSB_KEY = 'user442449360'
MERGE INTO accounts a USING (VALUES (257, 14)) AS v(id, delta) ON a.id = v.id WHEN MATCHED THEN UPDATE SET balance = a.balance + v.delta WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (v.id, v.delta)
MERGE INTO inventory t USING staged_inventory s ON t.sku = s.sku AND t.warehouse_id = 7 WHEN MATCHED AND s.qty = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT (sku, warehouse_id, qty) VALUES (s.sku, 2, s.qty)
WITH moved AS (DELETE FROM orders WHERE customer_id = 8202 AND status = 'archived' RETURNING *) INSERT INTO orders_archive SELECT * FROM moved
WITH updated AS (UPDATE jobs SET state = 'running', locked_at = now() WHERE id = 20893 RETURNING id) SELECT id FROM updated
SELECT o.id, i.sku FROM orders o JOIN order_items i USING (customer_id) WHERE customer_id = 5777
SELECT * FROM orders NATURAL JOIN order_items WHERE customer_id = 429
SELECT id, name FROM customers WHERE id = 4956 UNION ALL SELECT id, name FROM customers WHERE id = 211
SELECT * FROM usertable WHERE YCSB_KEY = 'user822909763'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user864754275' ORDER BY YCSB_KEY LIMIT 35
UPDATE usertable SET FIELD7 = '590411' WHERE YCSB_KEY = 'user833764982'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1, FIELD2) VALUES ('user556634727', 'a499', 'b795', 'c6')
DELETE FROM usertable WHERE YCSB_KEY = 'user592601423'
MERGE INTO accounts a USING (VALUES (895, 94)) AS v(id, delta) ON a.id = v.id WHEN MATCHED THEN UPDATE SET balance = a.balance + v.delta WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (v.id, v.delta)
MERGE INTO inventory t USING staged_inventory s ON t.sku = s.sku AND t.warehouse_id = 3 WHEN MATCHED AND s.qty = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT (sku, warehouse_id, qty) VALUES (s.sku, 9, s.qty)
WITH moved AS (DELETE FROM orders WHERE customer_id = 3399 AND status = 'archived' RETURNING *) INSERT INTO orders_archive SELECT * FROM moved
WITH updated AS (UPDATE jobs SET state = 'running', locked_at = now() WHERE id = 91169 RETURNING id) SELECT id FROM updated
SELECT * FROM orders NATURAL JOIN order_items WHERE customer_id = 7768
SELECT id, name FROM customers WHERE id = 655 UNION ALL SELECT id, name FROM customers WHERE id = 2745
SELECT * FROM usertable WHERE YCSB_KEY = 'user898051990'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user367289024' ORDER BY YCSB_KEY LIMIT 13
UPDATE usertable SET FIELD4 = '186424' WHERE YCSB_KEY = 'user763039243'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1, FIELD2) VALUES ('user179763568', 'a80', 'b541', 'c691')
DELETE FROM usertable WHERE YCSB_KEY = 'user857587815'
MERGE INTO accounts a USING (VALUES (859, 25)) AS v(id, delta) ON a.id = v.id WHEN MATCHED THEN UPDATE SET balance = a.balance + v.delta WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (v.id, v.delta)
MERGE INTO inventory t USING staged_inventory s ON t.sku = s.sku AND t.warehouse_id = 8 WHEN MATCHED AND s.qty = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT (sku, warehouse_id, qty) VALUES (s.sku, 9, s.qty)
WITH moved AS (DELETE FROM orders WHERE customer_id = 7640 AND status = 'archived' RETURNING *) INSERT INTO orders_archive SELECT * FROM moved
WITH updated AS (UPDATE jobs SET state = 'running', locked_at = now() WHERE id = 57748 RETURNING id) SELECT id FROM updated
SELECT o.id, i.sku FROM orders o JOIN order_items i USING (customer_id) WHERE customer_id = 5294
SELECT * FROM orders NATURAL JOIN order_items WHERE customer_id = 7493
SELECT id, name FROM customers WHERE id = 6825 UNION ALL SELECT id, name FROM customers WHERE id = 4317
SELECT * FROM usertable WHERE YCSB_KEY = 'user236825618'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user696467242' ORDER BY YCSB_KEY LIMIT 89
UPDATE usertable SET FIELD0 = '541408' WHERE YCSB_KEY = 'user702373888'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1, FIELD2) VALUES ('user292204044', 'a775', 'b594', 'c760')
DELETE FROM usertable WHERE YCSB_KEY = 'user782611020'
MERGE INTO accounts a USING (VALUES (577, 8)) AS v(id, delta) ON a.id = v.id WHEN MATCHED THEN UPDATE SET balance = a.balance + v.delta WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (v.id, v.delta)
MERGE INTO inventory t USING staged_inventory s ON t.sku = s.sku AND t.warehouse_id = 4 WHEN MATCHED AND s.qty = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT (sku, warehouse_id, qty) VALUES (s.sku, 9, s.qty)
WITH moved AS (DELETE FROM orders WHERE customer_id = 6725 AND status = 'archived' RETURNING *) INSERT INTO orders_archive SELECT * FROM moved
WITH updated AS (UPDATE jobs SET state = 'running', locked_at = now() WHERE id = 90043 RETURNING id) SELECT id FROM updated
SELECT o.id, i.sku FROM orders o JOIN order_items i USING (customer_id) WHERE customer_id = 2209
SELECT * FROM orders NATURAL JOIN order_items WHERE customer_id = 2468
SELECT id, name FROM customers WHERE id = 9032 UNION ALL SELECT id, name FROM customers WHERE id = 6802
SELECT * FROM usertable WHERE YCSB_KEY = 'user859098081'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user995051669' ORDER BY YCSB_KEY LIMIT 27
UPDATE usertable SET FIELD1 = '110822' WHERE YCSB_KEY = 'user336981562'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1, FIELD2) VALUES ('user346574271', 'a645', 'b623', 'c289')
DELETE FROM usertable WHERE YCSB_KEY = 'user226952041'
MERGE INTO accounts a USING (VALUES (299, 83)) AS v(id, delta) ON a.id = v.id WHEN MATCHED THEN UPDATE SET balance = a.balance + v.delta WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (v.id, v.delta)
MERGE INTO inventory t USING staged_inventory s ON t.sku = s.sku AND t.warehouse_id = 6 WHEN MATCHED AND s.qty = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT (sku, warehouse_id, qty) VALUES (s.sku, 4, s.qty)
WITH moved AS (DELETE FROM orders WHERE customer_id = 7243 AND status = 'archived' RETURNING *) INSERT INTO orders_archive SELECT * FROM moved
WITH updated AS (UPDATE jobs SET state = 'running', locked_at = now() WHERE id = 20974 RETURNING id) SELECT id FROM updated
SELECT o.id, i.sku FROM orders o JOIN order_items i USING (customer_id) WHERE customer_id = 234
SELECT * FROM orders NATURAL JOIN order_items WHERE customer_id = 8710
SELECT id, name FROM customers WHERE id = 2836 UNION ALL SELECT id, name FROM customers WHERE id = 6534
SELECT * FROM usertable WHERE YCSB_KEY = 'user697396346'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user851928920' ORDER BY YCSB_KEY LIMIT 21
UPDATE usertable SET FIELD8 = '461179' WHERE YCSB_KEY = 'user876744168'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1, FIELD2) VALUES ('user743849500', 'a290', 'b178', 'c728')
DELETE FROM usertable WHERE YCSB_KEY = 'user301255546'
MERGE INTO accounts a USING (VALUES (230, 18)) AS v(id, delta) ON a.id = v.id WHEN MATCHED THEN UPDATE SET balance = a.balance + v.delta WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (v.id, v.delta)
MERGE INTO inventory t USING staged_inventory s ON t.sku = s.sku AND t.warehouse_id = 5 WHEN MATCHED AND s.qty = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT (sku, warehouse_id, qty) VALUES (s.sku, 7, s.qty)
WITH moved AS (DELETE FROM orders WHERE customer_id = 4813 AND status = 'archived' RETURNING *) INSERT INTO orders_archive SELECT * FROM moved
WITH updated AS (UPDATE jobs SET state = 'running', locked_at = now() WHERE id = 47049 RETURNING id) SELECT id FROM updated
SELECT o.id, i.sku FROM orders o JOIN order_items i USING (customer_id) WHERE customer_id = 385
SELECT * FROM orders NATURAL JOIN order_items WHERE customer_id = 8423
SELECT id, name FROM customers WHERE id = 4563 UNION ALL SELECT id, name FROM customers WHERE id = 376
SELECT * FROM usertable WHERE YCSB_KEY = 'user595614823'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user703278759' ORDER BY YCSB_KEY LIMIT 44
UPDATE usertable SET FIELD3 = '650326' WHERE YCSB_KEY = 'user946468023'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1, FIELD2) VALUES ('user191004282', 'a528', 'b13', 'c758')
DELETE FROM usertable WHERE YCSB_KEY = 'user429461717'
MERGE INTO accounts a USING (VALUES (586, 27)) AS v(id, delta) ON a.id = v.id WHEN MATCHED THEN UPDATE SET balance = a.balance + v.delta WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (v.id, v.delta)
MERGE INTO inventory t USING staged_inventory s ON t.sku = s.sku AND t.warehouse_id = 7 WHEN MATCHED AND s.qty = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT (sku, warehouse_id, qty) VALUES (s.sku, 4, s.qty)
WITH moved AS (DELETE FROM orders WHERE customer_id = 1948 AND status = 'archived' RETURNING *) INSERT INTO orders_archive SELECT * FROM moved
WITH updated AS (UPDATE jobs SET state = 'running', locked_at = now() WHERE id = 62604 RETURNING id) SELECT id FROM updated
SELECT o.id, i.sku FROM orders o JOIN order_items i USING (customer_id) WHERE customer_id = 5611
SELECT * FROM orders NATURAL JOIN order_items WHERE customer_id = 9613
SELECT id, name FROM customers WHERE id = 3350 UNION ALL SELECT id, name FROM customers WHERE id = 3775
SELECT * FROM usertable WHERE YCSB_KEY = 'user834186421'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user510726752' ORDER BY YCSB_KEY LIMIT 64
UPDATE usertable SET FIELD0 = '436622' WHERE YCSB_KEY = 'user687949611'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1, FIELD2) VALUES ('user464184096', 'a767', 'b872', 'c648')
DELETE FROM usertable WHERE YCSB_KEY = 'user164174454'
MERGE INTO accounts a USING (VALUES (588, 33)) AS v(id, delta) ON a.id = v.id WHEN MATCHED THEN UPDATE SET balance = a.balance + v.delta WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (v.id, v.delta)
MERGE INTO inventory t USING staged_inventory s ON t.sku = s.sku AND t.warehouse_id = 2 WHEN MATCHED AND s.qty = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT (sku, warehouse_id, qty) VALUES (s.sku, 1, s.qty)
WITH moved AS (DELETE FROM orders WHERE customer_id = 11 AND status = 'archived' RETURNING *) INSERT INTO orders_archive SELECT * FROM moved
WITH updated AS (UPDATE jobs SET state = 'running', locked_at = now() WHERE id = 17643 RETURNING id) SELECT id FROM updated
SELECT o.id, i.sku FROM orders o JOIN order_items i USING (customer_id) WHERE customer_id = 632
SELECT * FROM orders NATURAL JOIN order_items WHERE customer_id = 6533
SELECT id, name FROM customers WHERE id = 4844 UNION ALL SELECT id, name FROM customers WHERE id = 7779
