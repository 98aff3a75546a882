-- TPC-C transaction statements (New-Order, Payment, Order-Status, Delivery, Stock-Level)
-- in the shape of the TPC-C specification's clause 2 SQL, as used by sysbench-tpcc and HammerDB.
SELECT c_discount, c_last, c_credit, w_tax FROM customer, warehouse WHERE w_id = ? AND c_w_id = w_id AND c_d_id = ? AND c_id = ?
SELECT d_next_o_id, d_tax FROM district WHERE d_w_id = ? AND d_id = ? FOR UPDATE
UPDATE district SET d_next_o_id = ? + 1 WHERE d_id = ? AND d_w_id = ?
INSERT INTO orders (o_id, o_d_id, o_w_id, o_c_id, o_entry_d, o_ol_cnt, o_all_local) VALUES(?,?,?,?,?,?,?)
INSERT INTO new_orders (no_o_id, no_d_id, no_w_id) VALUES (?,?,?)
SELECT i_price, i_name, i_data FROM item WHERE i_id = ?
SELECT s_quantity, s_data, s_dist_01, s_dist_02, s_dist_03, s_dist_04, s_dist_05, s_dist_06, s_dist_07, s_dist_08, s_dist_09, s_dist_10 FROM stock WHERE s_i_id = ? AND s_w_id = ? FOR UPDATE
UPDATE stock SET s_quantity = ? WHERE s_i_id = ? AND s_w_id = ?
INSERT INTO order_line (ol_o_id, ol_d_id, ol_w_id, ol_number, ol_i_id, ol_supply_w_id, ol_quantity, ol_amount, ol_dist_info) VALUES (?,?,?,?,?,?,?,?,?)
UPDATE warehouse SET w_ytd = w_ytd + ? WHERE w_id = ?
SELECT w_street_1, w_street_2, w_city, w_state, w_zip, w_name FROM warehouse WHERE w_id = ?
UPDATE district SET d_ytd = d_ytd + ? WHERE d_w_id = ? AND d_id= ?
SELECT d_street_1, d_street_2, d_city, d_state, d_zip, d_name FROM district WHERE d_w_id = ? AND d_id = ?
SELECT count(c_id) FROM customer WHERE c_w_id = ? AND c_d_id = ? AND c_last = ?
SELECT c_id FROM customer WHERE c_w_id = ? AND c_d_id = ? AND c_last = ? ORDER BY c_first
SELECT c_first, c_middle, c_last, c_street_1, c_street_2, c_city, c_state, c_zip, c_phone, c_credit, c_credit_lim, c_discount, c_balance, c_since FROM customer WHERE c_w_id = ? AND c_d_id = ? AND c_id = ? FOR UPDATE
SELECT c_data FROM customer WHERE c_w_id = ? AND c_d_id = ? AND c_id = ?
UPDATE customer SET c_balance = ?, c_data = ? WHERE c_w_id = ? AND c_d_id = ? AND c_id = ?
UPDATE customer SET c_balance = ? WHERE c_w_id = ? AND c_d_id = ? AND c_id = ?
INSERT INTO history(h_c_d_id, h_c_w_id, h_c_id, h_d_id, h_w_id, h_date, h_amount, h_data) VALUES(?,?,?,?,?,?,?,?)
SELECT c_balance, c_first, c_middle, c_last FROM customer WHERE c_w_id = ? AND c_d_id = ? AND c_id = ?
SELECT o_id, o_carrier_id, o_entry_d FROM orders WHERE o_w_id = ? AND o_d_id = ? AND o_c_id = ? AND o_id = (SELECT MAX(o_id) FROM orders WHERE o_w_id = ? AND o_d_id = ? AND o_c_id = ?)
SELECT ol_i_id, ol_supply_w_id, ol_quantity, ol_amount, ol_delivery_d FROM order_line WHERE ol_w_id = ? AND ol_d_id = ? AND ol_o_id = ?
SELECT COALESCE(MIN(no_o_id),0) FROM new_orders WHERE no_d_id = ? AND no_w_id = ?
DELETE FROM new_orders WHERE no_o_id = ? AND no_d_id = ? AND no_w_id = ?
SELECT o_c_id FROM orders WHERE o_id = ? AND o_d_id = ? AND o_w_id = ?
UPDATE orders SET o_carrier_id = ? WHERE o_id = ? AND o_d_id = ? AND o_w_id = ?
UPDATE order_line SET ol_delivery_d = ? WHERE ol_o_id = ? AND ol_d_id = ? AND ol_w_id = ?
SELECT SUM(ol_amount) FROM order_line WHERE ol_o_id = ? AND ol_d_id = ? AND ol_w_id = ?
UPDATE customer SET c_balance = c_balance + ?, c_delivery_cnt = c_delivery_cnt + 1 WHERE c_id = ? AND c_d_id = ? AND c_w_id = ?
SELECT d_next_o_id FROM district WHERE d_id = ? AND d_w_id= ?
SELECT COUNT(DISTINCT (s_i_id)) FROM order_line, stock WHERE ol_w_id = ? AND ol_d_id = ? AND ol_o_id < ? AND ol_o_id >= ? AND s_w_id= ? AND s_i_id=ol_i_id AND s_quantity < ?
SELECT count(*) FROM stock WHERE s_w_id = ? AND s_i_id = ? AND s_quantity < ?
SELECT c_discount, c_last, c_credit, w_tax FROM customer, warehouse WHERE w_id = 1 AND c_w_id = w_id AND c_d_id = 6 AND c_id = 1184
SELECT d_next_o_id, d_tax FROM district WHERE d_w_id = 1 AND d_id = 6 FOR UPDATE
UPDATE stock SET s_quantity = 51 WHERE s_i_id = 20043 AND s_w_id = 1
SELECT c_id FROM customer WHERE c_w_id = 1 AND c_d_id = 6 AND c_last = 'BARBARABLE' ORDER BY c_first
DELETE FROM new_orders WHERE no_o_id = 2893 AND no_d_id = 6 AND no_w_id = 1
SELECT SUM(ol_amount) FROM order_line WHERE ol_o_id = 2671 AND ol_d_id = 6 AND ol_w_id = 1
SELECT c_discount, c_last, c_credit, w_tax FROM customer, warehouse WHERE w_id = 2 AND c_w_id = w_id AND c_d_id = 7 AND c_id = 2542
SELECT d_next_o_id, d_tax FROM district WHERE d_w_id = 2 AND d_id = 7 FOR UPDATE
UPDATE stock SET s_quantity = 97 WHERE s_i_id = 10192 AND s_w_id = 2
SELECT c_id FROM customer WHERE c_w_id = 2 AND c_d_id = 7 AND c_last = 'BARBARABLE' ORDER BY c_first
DELETE FROM new_orders WHERE no_o_id = 2400 AND no_d_id = 7 AND no_w_id = 2
SELECT SUM(ol_amount) FROM order_line WHERE ol_o_id = 2531 AND ol_d_id = 7 AND ol_w_id = 2
SELECT c_discount, c_last, c_credit, w_tax FROM customer, warehouse WHERE w_id = 3 AND c_w_id = w_id AND c_d_id = 4 AND c_id = 1820
SELECT d_next_o_id, d_tax FROM district WHERE d_w_id = 3 AND d_id = 4 FOR UPDATE
UPDATE stock SET s_quantity = 47 WHERE s_i_id = 17884 AND s_w_id = 3
SELECT c_id FROM customer WHERE c_w_id = 3 AND c_d_id = 4 AND c_last = 'BARBARABLE' ORDER BY c_first
DELETE FROM new_orders WHERE no_o_id = 2356 AND no_d_id = 4 AND no_w_id = 3
SELECT SUM(ol_amount) FROM order_line WHERE ol_o_id = 1564 AND ol_d_id = 4 AND ol_w_id = 3
SELECT c_discount, c_last, c_credit, w_tax FROM customer, warehouse WHERE w_id = 4 AND c_w_id = w_id AND c_d_id = 10 AND c_id = 651
SELECT d_next_o_id, d_tax FROM district WHERE d_w_id = 4 AND d_id = 10 FOR UPDATE
UPDATE stock SET s_quantity = 52 WHERE s_i_id = 75117 AND s_w_id = 4
SELECT c_id FROM customer WHERE c_w_id = 4 AND c_d_id = 10 AND c_last = 'BARBARABLE' ORDER BY c_first
DELETE FROM new_orders WHERE no_o_id = 2109 AND no_d_id = 10 AND no_w_id = 4
SELECT SUM(ol_amount) FROM order_line WHERE ol_o_id = 1489 AND ol_d_id = 10 AND ol_w_id = 4
SELECT c_discount, c_last, c_credit, w_tax FROM customer, warehouse WHERE w_id = 5 AND c_w_id = w_id AND c_d_id = 1 AND c_id = 1863
SELECT d_next_o_id, d_tax FROM district WHERE d_w_id = 5 AND d_id = 1 FOR UPDATE
UPDATE stock SET s_quantity = 31 WHERE s_i_id = 47867 AND s_w_id = 5
SELECT c_id FROM customer WHERE c_w_id = 5 AND c_d_id = 1 AND c_last = 'BARBARABLE' ORDER BY c_first
DELETE FROM new_orders WHERE no_o_id = 2902 AND no_d_id = 1 AND no_w_id = 5
SELECT SUM(ol_amount) FROM order_line WHERE ol_o_id = 1486 AND ol_d_id = 1 AND ol_w_id = 5
