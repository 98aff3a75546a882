-- TPC-C transaction statements (clause 2 of the TPC-C specification) with $n parameters.
SELECT c_discount, c_last, c_credit, w_tax FROM customer, warehouse WHERE w_id = $1 AND c_w_id = w_id AND c_d_id = $2 AND c_id = $3
SELECT d_next_o_id, d_tax FROM district WHERE d_w_id = $1 AND d_id = $2 FOR UPDATE
UPDATE district SET d_next_o_id = $1 + 1 WHERE d_id = $2 AND d_w_id = $3
INSERT INTO orders (o_id, o_d_id, o_w_id, o_c_id, o_entry_d, o_ol_cnt, o_all_local) VALUES($1,$2,$3,$4,$5,$6,$7)
INSERT INTO new_orders (no_o_id, no_d_id, no_w_id) VALUES ($1,$2,$3)
SELECT i_price, i_name, i_data FROM item WHERE i_id = $1
SELECT s_quantity, s_data, s_dist_01, s_dist_02, s_dist_03, s_dist_04, s_dist_05, s_dist_06, s_dist_07, s_dist_08, s_dist_09, s_dist_10 FROM stock WHERE s_i_id = $1 AND s_w_id = $2 FOR UPDATE
UPDATE stock SET s_quantity = $1 WHERE s_i_id = $2 AND s_w_id = $3
INSERT INTO order_line (ol_o_id, ol_d_id, ol_w_id, ol_number, ol_i_id, ol_supply_w_id, ol_quantity, ol_amount, ol_dist_info) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
UPDATE warehouse SET w_ytd = w_ytd + $1 WHERE w_id = $2
SELECT w_street_1, w_street_2, w_city, w_state, w_zip, w_name FROM warehouse WHERE w_id = $1
UPDATE district SET d_ytd = d_ytd + $1 WHERE d_w_id = $2 AND d_id= $3
SELECT d_street_1, d_street_2, d_city, d_state, d_zip, d_name FROM district WHERE d_w_id = $1 AND d_id = $2
SELECT count(c_id) FROM customer WHERE c_w_id = $1 AND c_d_id = $2 AND c_last = $3
SELECT c_id FROM customer WHERE c_w_id = $1 AND c_d_id = $2 AND c_last = $3 ORDER BY c_first
SELECT c_first, c_middle, c_last, c_street_1, c_street_2, c_city, c_state, c_zip, c_phone, c_credit, c_credit_lim, c_discount, c_balance, c_since FROM customer WHERE c_w_id = $1 AND c_d_id = $2 AND c_id = $3 FOR UPDATE
SELECT c_data FROM customer WHERE c_w_id = $1 AND c_d_id = $2 AND c_id = $3
UPDATE customer SET c_balance = $1, c_data = $2 WHERE c_w_id = $3 AND c_d_id = $4 AND c_id = $5
UPDATE customer SET c_balance = $1 WHERE c_w_id = $2 AND c_d_id = $3 AND c_id = $4
INSERT INTO history(h_c_d_id, h_c_w_id, h_c_id, h_d_id, h_w_id, h_date, h_amount, h_data) VALUES($1,$2,$3,$4,$5,$6,$7,$8)
SELECT c_balance, c_first, c_middle, c_last FROM customer WHERE c_w_id = $1 AND c_d_id = $2 AND c_id = $3
SELECT o_id, o_carrier_id, o_entry_d FROM orders WHERE o_w_id = $1 AND o_d_id = $2 AND o_c_id = $3 AND o_id = (SELECT MAX(o_id) FROM orders WHERE o_w_id = $4 AND o_d_id = $5 AND o_c_id = $6)
SELECT ol_i_id, ol_supply_w_id, ol_quantity, ol_amount, ol_delivery_d FROM order_line WHERE ol_w_id = $1 AND ol_d_id = $2 AND ol_o_id = $3
SELECT COALESCE(MIN(no_o_id),0) FROM new_orders WHERE no_d_id = $1 AND no_w_id = $2
DELETE FROM new_orders WHERE no_o_id = $1 AND no_d_id = $2 AND no_w_id = $3
SELECT o_c_id FROM orders WHERE o_id = $1 AND o_d_id = $2 AND o_w_id = $3
UPDATE orders SET o_carrier_id = $1 WHERE o_id = $2 AND o_d_id = $3 AND o_w_id = $4
UPDATE order_line SET ol_delivery_d = $1 WHERE ol_o_id = $2 AND ol_d_id = $3 AND ol_w_id = $4
SELECT SUM(ol_amount) FROM order_line WHERE ol_o_id = $1 AND ol_d_id = $2 AND ol_w_id = $3
UPDATE customer SET c_balance = c_balance + $1, c_delivery_cnt = c_delivery_cnt + 1 WHERE c_id = $2 AND c_d_id = $3 AND c_w_id = $4
SELECT d_next_o_id FROM district WHERE d_id = $1 AND d_w_id= $2
SELECT COUNT(DISTINCT (s_i_id)) FROM order_line, stock WHERE ol_w_id = $1 AND ol_d_id = $2 AND ol_o_id < $3 AND ol_o_id >= $4 AND s_w_id= $5 AND s_i_id=ol_i_id AND s_quantity < $6
SELECT count(*) FROM stock WHERE s_w_id = $1 AND s_i_id = $2 AND s_quantity < $3
SELECT c_discount, c_last, c_credit, w_tax FROM customer, warehouse WHERE w_id = 1 AND c_w_id = w_id AND c_d_id = 5 AND c_id = 375
SELECT d_next_o_id, d_tax FROM district WHERE d_w_id = 1 AND d_id = 5 FOR UPDATE
UPDATE stock SET s_quantity = 43 WHERE s_i_id = 63368 AND s_w_id = 1
SELECT c_id FROM customer WHERE c_w_id = 1 AND c_d_id = 5 AND c_last = 'BARBARABLE' ORDER BY c_first
DELETE FROM new_orders WHERE no_o_id = 2327 AND no_d_id = 5 AND no_w_id = 1
SELECT SUM(ol_amount) FROM order_line WHERE ol_o_id = 2622 AND ol_d_id = 5 AND ol_w_id = 1
SELECT c_discount, c_last, c_credit, w_tax FROM customer, warehouse WHERE w_id = 2 AND c_w_id = w_id AND c_d_id = 8 AND c_id = 2473
SELECT d_next_o_id, d_tax FROM district WHERE d_w_id = 2 AND d_id = 8 FOR UPDATE
UPDATE stock SET s_quantity = 18 WHERE s_i_id = 19494 AND s_w_id = 2
SELECT c_id FROM customer WHERE c_w_id = 2 AND c_d_id = 8 AND c_last = 'BARBARABLE' ORDER BY c_first
DELETE FROM new_orders WHERE no_o_id = 2344 AND no_d_id = 8 AND no_w_id = 2
SELECT SUM(ol_amount) FROM order_line WHERE ol_o_id = 283 AND ol_d_id = 8 AND ol_w_id = 2
SELECT c_discount, c_last, c_credit, w_tax FROM customer, warehouse WHERE w_id = 3 AND c_w_id = w_id AND c_d_id = 5 AND c_id = 544
SELECT d_next_o_id, d_tax FROM district WHERE d_w_id = 3 AND d_id = 5 FOR UPDATE
UPDATE stock SET s_quantity = 16 WHERE s_i_id = 21407 AND s_w_id = 3
SELECT c_id FROM customer WHERE c_w_id = 3 AND c_d_id = 5 AND c_last = 'BARBARABLE' ORDER BY c_first
DELETE FROM new_orders WHERE no_o_id = 2507 AND no_d_id = 5 AND no_w_id = 3
SELECT SUM(ol_amount) FROM order_line WHERE ol_o_id = 2384 AND ol_d_id = 5 AND ol_w_id = 3
SELECT c_discount, c_last, c_credit, w_tax FROM customer, warehouse WHERE w_id = 4 AND c_w_id = w_id AND c_d_id = 10 AND c_id = 2242
SELECT d_next_o_id, d_tax FROM district WHERE d_w_id = 4 AND d_id = 10 FOR UPDATE
UPDATE stock SET s_quantity = 78 WHERE s_i_id = 34385 AND s_w_id = 4
SELECT c_id FROM customer WHERE c_w_id = 4 AND c_d_id = 10 AND c_last = 'BARBARABLE' ORDER BY c_first
DELETE FROM new_orders WHERE no_o_id = 2118 AND no_d_id = 10 AND no_w_id = 4
SELECT SUM(ol_amount) FROM order_line WHERE ol_o_id = 2148 AND ol_d_id = 10 AND ol_w_id = 4
SELECT c_discount, c_last, c_credit, w_tax FROM customer, warehouse WHERE w_id = 5 AND c_w_id = w_id AND c_d_id = 4 AND c_id = 646
SELECT d_next_o_id, d_tax FROM district WHERE d_w_id = 5 AND d_id = 4 FOR UPDATE
UPDATE stock SET s_quantity = 22 WHERE s_i_id = 26934 AND s_w_id = 5
SELECT c_id FROM customer WHERE c_w_id = 5 AND c_d_id = 4 AND c_last = 'BARBARABLE' ORDER BY c_first
DELETE FROM new_orders WHERE no_o_id = 2132 AND no_d_id = 4 AND no_w_id = 5
SELECT SUM(ol_amount) FROM order_line WHERE ol_o_id = 1297 AND ol_d_id = 4 AND ol_w_id = 5
