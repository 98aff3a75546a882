-- Statement shapes WordPress core (wpdb) sends to MySQL: options autoload, posts and postmeta,
-- terms, users and usermeta, comments, transients.
SELECT option_name, option_value FROM wp_options WHERE autoload = 'yes'
SELECT option_value FROM wp_options WHERE option_name = '_transient_t1704' LIMIT 1
INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('_transient_t4898', 'a:0:{}', 'no') ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`), `option_value` = VALUES(`option_value`), `autoload` = VALUES(`autoload`)
SELECT wp_posts.* FROM wp_posts WHERE ID = 36976 LIMIT 1
SELECT SQL_CALC_FOUND_ROWS  wp_posts.ID FROM wp_posts  WHERE 1=1  AND wp_posts.post_type = 'post' AND (wp_posts.post_status = 'publish')  ORDER BY wp_posts.post_date DESC LIMIT 100, 10
SELECT FOUND_ROWS()
SELECT post_id, meta_key, meta_value FROM wp_postmeta WHERE post_id IN (363,1737,2123) ORDER BY meta_id ASC
SELECT t.*, tt.*, tr.object_id FROM wp_terms AS t  INNER JOIN wp_term_taxonomy AS tt ON t.term_id = tt.term_id INNER JOIN wp_term_relationships AS tr ON tr.term_taxonomy_id = tt.term_taxonomy_id WHERE tt.taxonomy IN ('category', 'post_tag', 'post_format') AND tr.object_id IN (588, 1327) ORDER BY t.name ASC
SELECT * FROM wp_users WHERE user_login = 'grace' LIMIT 1
SELECT user_id, meta_key, meta_value FROM wp_usermeta WHERE user_id IN (383) ORDER BY umeta_id ASC
UPDATE `wp_usermeta` SET `meta_value` = 'a:1:{}' WHERE `user_id` = 510 AND `meta_key` = 'session_tokens'
SELECT comment_approved, COUNT( * ) AS total FROM wp_comments WHERE comment_post_ID = 6085 GROUP BY comment_approved
INSERT INTO `wp_comments` (`comment_post_ID`, `comment_author`, `comment_author_email`, `comment_content`, `comment_date`, `comment_approved`) VALUES (9392, 'erin', 'alice503@example.com', 'Nice post', '2025-06-08 23:40:29', '0')
DELETE FROM `wp_options` WHERE `option_name` = '_transient_timeout_t6185'
UPDATE `wp_posts` SET `comment_count` = 20 WHERE `ID` = 791
SELECT ID, post_name, post_parent, post_type FROM wp_posts WHERE post_name IN ('about','contact') AND post_type IN ('page','attachment')
SELECT option_value FROM wp_options WHERE option_name = '_transient_t1742' LIMIT 1
INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('_transient_t4558', 'a:0:{}', 'no') ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`), `option_value` = VALUES(`option_value`), `autoload` = VALUES(`autoload`)
SELECT wp_posts.* FROM wp_posts WHERE ID = 39230 LIMIT 1
SELECT post_id, meta_key, meta_value FROM wp_postmeta WHERE post_id IN (776,1307,2656) ORDER BY meta_id ASC
SELECT t.*, tt.*, tr.object_id FROM wp_terms AS t  INNER JOIN wp_term_taxonomy AS tt ON t.term_id = tt.term_id INNER JOIN wp_term_relationships AS tr ON tr.term_taxonomy_id = tt.term_taxonomy_id WHERE tt.taxonomy IN ('category', 'post_tag', 'post_format') AND tr.object_id IN (863, 1901) ORDER BY t.name ASC
SELECT * FROM wp_users WHERE user_login = 'erin' LIMIT 1
SELECT user_id, meta_key, meta_value FROM wp_usermeta WHERE user_id IN (19) ORDER BY umeta_id ASC
UPDATE `wp_usermeta` SET `meta_value` = 'a:1:{}' WHERE `user_id` = 55 AND `meta_key` = 'session_tokens'
SELECT comment_approved, COUNT( * ) AS total FROM wp_comments WHERE comment_post_ID = 5904 GROUP BY comment_approved
INSERT INTO `wp_comments` (`comment_post_ID`, `comment_author`, `comment_author_email`, `comment_content`, `comment_date`, `comment_approved`) VALUES (2791, 'frank', 'erin861@example.com', 'Nice post', '2025-10-03 00:39:12', '0')
DELETE FROM `wp_options` WHERE `option_name` = '_transient_timeout_t5937'
UPDATE `wp_posts` SET `comment_count` = 44 WHERE `ID` = 4430
SELECT option_value FROM wp_options WHERE option_name = '_transient_t4514' LIMIT 1
INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('_transient_t7315', 'a:0:{}', 'no') ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`), `option_value` = VALUES(`option_value`), `autoload` = VALUES(`autoload`)
SELECT wp_posts.* FROM wp_posts WHERE ID = 56926 LIMIT 1
SELECT post_id, meta_key, meta_value FROM wp_postmeta WHERE post_id IN (384,1597,2628) ORDER BY meta_id ASC
SELECT t.*, tt.*, tr.object_id FROM wp_terms AS t  INNER JOIN wp_term_taxonomy AS tt ON t.term_id = tt.term_id INNER JOIN wp_term_relationships AS tr ON tr.term_taxonomy_id = tt.term_taxonomy_id WHERE tt.taxonomy IN ('category', 'post_tag', 'post_format') AND tr.object_id IN (868, 1442) ORDER BY t.name ASC
SELECT * FROM wp_users WHERE user_login = 'frank' LIMIT 1
SELECT user_id, meta_key, meta_value FROM wp_usermeta WHERE user_id IN (621) ORDER BY umeta_id ASC
UPDATE `wp_usermeta` SET `meta_value` = 'a:1:{}' WHERE `user_id` = 480 AND `meta_key` = 'session_tokens'
SELECT comment_approved, COUNT( * ) AS total FROM wp_comments WHERE comment_post_ID = 3030 GROUP BY comment_approved
INSERT INTO `wp_comments` (`comment_post_ID`, `comment_author`, `comment_author_email`, `comment_content`, `comment_date`, `comment_approved`) VALUES (6305, 'bob', 'frank667@example.com', 'Nice post', '2025-01-02 04:24:29', '0')
DELETE FROM `wp_options` WHERE `option_name` = '_transient_timeout_t1507'
UPDATE `wp_posts` SET `comment_count` = 7 WHERE `ID` = 1396
SELECT option_value FROM wp_options WHERE option_name = '_transient_t5670' LIMIT 1
INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('_transient_t7991', 'a:0:{}', 'no') ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`), `option_value` = VALUES(`option_value`), `autoload` = VALUES(`autoload`)
SELECT wp_posts.* FROM wp_posts WHERE ID = 95327 LIMIT 1
SELECT SQL_CALC_FOUND_ROWS  wp_posts.ID FROM wp_posts  WHERE 1=1  AND wp_posts.post_type = 'post' AND (wp_posts.post_status = 'publish')  ORDER BY wp_posts.post_date DESC LIMIT 40, 10
SELECT post_id, meta_key, meta_value FROM wp_postmeta WHERE post_id IN (4,1634,2451) ORDER BY meta_id ASC
SELECT t.*, tt.*, tr.object_id FROM wp_terms AS t  INNER JOIN wp_term_taxonomy AS tt ON t.term_id = tt.term_id INNER JOIN wp_term_relationships AS tr ON tr.term_taxonomy_id = tt.term_taxonomy_id WHERE tt.taxonomy IN ('category', 'post_tag', 'post_format') AND tr.object_id IN (302, 1765) ORDER BY t.name ASC
SELECT * FROM wp_users WHERE user_login = 'alice' LIMIT 1
SELECT user_id, meta_key, meta_value FROM wp_usermeta WHERE user_id IN (904) ORDER BY umeta_id ASC
UPDATE `wp_usermeta` SET `meta_value` = 'a:1:{}' WHERE `user_id` = 548 AND `meta_key` = 'session_tokens'
SELECT comment_approved, COUNT( * ) AS total FROM wp_comments WHERE comment_post_ID = 3736 GROUP BY comment_approved
INSERT INTO `wp_comments` (`comment_post_ID`, `comment_author`, `comment_author_email`, `comment_content`, `comment_date`, `comment_approved`) VALUES (2763, 'alice', 'dave182@example.com', 'Nice post', '2025-02-04 22:59:17', '0')
DELETE FROM `wp_options` WHERE `option_name` = '_transient_timeout_t8117'
UPDATE `wp_posts` SET `comment_count` = 33 WHERE `ID` = 4799
SELECT option_value FROM wp_options WHERE option_name = '_transient_t5636' LIMIT 1
INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('_transient_t1862', 'a:0:{}', 'no') ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`), `option_value` = VALUES(`option_value`), `autoload` = VALUES(`autoload`)
SELECT wp_posts.* FROM wp_posts WHERE ID = 94051 LIMIT 1
SELECT SQL_CALC_FOUND_ROWS  wp_posts.ID FROM wp_posts  WHERE 1=1  AND wp_posts.post_type = 'post' AND (wp_posts.post_status = 'publish')  ORDER BY wp_posts.post_date DESC LIMIT 90, 10
SELECT post_id, meta_key, meta_value FROM wp_postmeta WHERE post_id IN (728,1144,2990) ORDER BY meta_id ASC
SELECT t.*, tt.*, tr.object_id FROM wp_terms AS t  INNER JOIN wp_term_taxonomy AS tt ON t.term_id = tt.term_id INNER JOIN wp_term_relationships AS tr ON tr.term_taxonomy_id = tt.term_taxonomy_id WHERE tt.taxonomy IN ('category', 'post_tag', 'post_format') AND tr.object_id IN (66, 1775) ORDER BY t.name ASC
SELECT user_id, meta_key, meta_value FROM wp_usermeta WHERE user_id IN (302) ORDER BY umeta_id ASC
UPDATE `wp_usermeta` SET `meta_value` = 'a:1:{}' WHERE `user_id` = 284 AND `meta_key` = 'session_tokens'
SELECT comment_approved, COUNT( * ) AS total FROM wp_comments WHERE comment_post_ID = 4617 GROUP BY comment_approved
INSERT INTO `wp_comments` (`comment_post_ID`, `comment_author`, `comment_author_email`, `comment_content`, `comment_date`, `comment_approved`) VALUES (7132, 'heidi', 'heidi213@example.com', 'Nice post', '2025-06-12 02:08:16', '0')
DELETE FROM `wp_options` WHERE `option_name` = '_transient_timeout_t5671'
UPDATE `wp_posts` SET `comment_count` = 87 WHERE `ID` = 9968
SELECT option_value FROM wp_options WHERE option_name = '_transient_t5568' LIMIT 1
INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('_transient_t2916', 'a:0:{}', 'no') ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`), `option_value` = VALUES(`option_value`), `autoload` = VALUES(`autoload`)
SELECT wp_posts.* FROM wp_posts WHERE ID = 52604 LIMIT 1
SELECT SQL_CALC_FOUND_ROWS  wp_posts.ID FROM wp_posts  WHERE 1=1  AND wp_posts.post_type = 'post' AND (wp_posts.post_status = 'publish')  ORDER BY wp_posts.post_date DESC LIMIT 70, 10
SELECT post_id, meta_key, meta_value FROM wp_postmeta WHERE post_id IN (121,1707,2633) ORDER BY meta_id ASC
SELECT t.*, tt.*, tr.object_id FROM wp_terms AS t  INNER JOIN wp_term_taxonomy AS tt ON t.term_id = tt.term_id INNER JOIN wp_term_relationships AS tr ON tr.term_taxonomy_id = tt.term_taxonomy_id WHERE tt.taxonomy IN ('category', 'post_tag', 'post_format') AND tr.object_id IN (232, 1104) ORDER BY t.name ASC
SELECT user_id, meta_key, meta_value FROM wp_usermeta WHERE user_id IN (120) ORDER BY umeta_id ASC
UPDATE `wp_usermeta` SET `meta_value` = 'a:1:{}' WHERE `user_id` = 251 AND `meta_key` = 'session_tokens'
SELECT comment_approved, COUNT( * ) AS total FROM wp_comments WHERE comment_post_ID = 7792 GROUP BY comment_approved
INSERT INTO `wp_comments` (`comment_post_ID`, `comment_author`, `comment_author_email`, `comment_content`, `comment_date`, `comment_approved`) VALUES (8853, 'erin', 'frank294@example.com', 'Nice post', '2025-01-23 18:21:58', '0')
DELETE FROM `wp_options` WHERE `option_name` = '_transient_timeout_t5289'
UPDATE `wp_posts` SET `comment_count` = 0 WHERE `ID` = 4240
SELECT option_value FROM wp_options WHERE option_name = '_transient_t4691' LIMIT 1
INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('_transient_t1279', 'a:0:{}', 'no') ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`), `option_value` = VALUES(`option_value`), `autoload` = VALUES(`autoload`)
SELECT wp_posts.* FROM wp_posts WHERE ID = 27193 LIMIT 1
SELECT post_id, meta_key, meta_value FROM wp_postmeta WHERE post_id IN (340,1355,2735) ORDER BY meta_id ASC
SELECT t.*, tt.*, tr.object_id FROM wp_terms AS t  INNER JOIN wp_term_taxonomy AS tt ON t.term_id = tt.term_id INNER JOIN wp_term_relationships AS tr ON tr.term_taxonomy_id = tt.term_taxonomy_id WHERE tt.taxonomy IN ('category', 'post_tag', 'post_format') AND tr.object_id IN (377, 1506) ORDER BY t.name ASC
SELECT user_id, meta_key, meta_value FROM wp_usermeta WHERE user_id IN (798) ORDER BY umeta_id ASC
UPDATE `wp_usermeta` SET `meta_value` = 'a:1:{}' WHERE `user_id` = 99 AND `meta_key` = 'session_tokens'
SELECT comment_approved, COUNT( * ) AS total FROM wp_comments WHERE comment_post_ID = 6813 GROUP BY comment_approved
INSERT INTO `wp_comments` (`comment_post_ID`, `comment_author`, `comment_author_email`, `comment_content`, `comment_date`, `comment_approved`) VALUES (7195, 'erin', 'carol214@example.com', 'Nice post', '2025-01-11 16:22:27', '0')
DELETE FROM `wp_options` WHERE `option_name` = '_transient_timeout_t1658'
UPDATE `wp_posts` SET `comment_count` = 4 WHERE `ID` = 8578
SELECT option_value FROM wp_options WHERE option_name = '_transient_t8388' LIMIT 1
INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('_transient_t7281', 'a:0:{}', 'no') ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`), `option_value` = VALUES(`option_value`), `autoload` = VALUES(`autoload`)
SELECT wp_posts.* FROM wp_posts WHERE ID = 44488 LIMIT 1
SELECT post_id, meta_key, meta_value FROM wp_postmeta WHERE post_id IN (474,1812,2037) ORDER BY meta_id ASC
SELECT t.*, tt.*, tr.object_id FROM wp_terms AS t  INNER JOIN wp_term_taxonomy AS tt ON t.term_id = tt.term_id INNER JOIN wp_term_relationships AS tr ON tr.term_taxonomy_id = tt.term_taxonomy_id WHERE tt.taxonomy IN ('category', 'post_tag', 'post_format') AND tr.object_id IN (830, 1294) ORDER BY t.name ASC
SELECT user_id, meta_key, meta_value FROM wp_usermeta WHERE user_id IN (132) ORDER BY umeta_id ASC
UPDATE `wp_usermeta` SET `meta_value` = 'a:1:{}' WHERE `user_id` = 448 AND `meta_key` = 'session_tokens'
SELECT comment_approved, COUNT( * ) AS total FROM wp_comments WHERE comment_post_ID = 44 GROUP BY comment_approved
INSERT INTO `wp_comments` (`comment_post_ID`, `comment_author`, `comment_author_email`, `comment_content`, `comment_date`, `comment_approved`) VALUES (1542, 'grace', 'grace530@example.com', 'Nice post', '2025-10-09 13:36:47', '0')
DELETE FROM `wp_options` WHERE `option_name` = '_transient_timeout_t2500'
UPDATE `wp_posts` SET `comment_count` = 70 WHERE `ID` = 646
SELECT option_value FROM wp_options WHERE option_name = '_transient_t7172' LIMIT 1
INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('_transient_t9374', 'a:0:{}', 'no') ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`), `option_value` = VALUES(`option_value`), `autoload` = VALUES(`autoload`)
SELECT wp_posts.* FROM wp_posts WHERE ID = 95821 LIMIT 1
SELECT SQL_CALC_FOUND_ROWS  wp_posts.ID FROM wp_posts  WHERE 1=1  AND wp_posts.post_type = 'post' AND (wp_posts.post_status = 'publish')  ORDER BY wp_posts.post_date DESC LIMIT 30, 10
SELECT post_id, meta_key, meta_value FROM wp_postmeta WHERE post_id IN (503,1592,2053) ORDER BY meta_id ASC
SELECT t.*, tt.*, tr.object_id FROM wp_terms AS t  INNER JOIN wp_term_taxonomy AS tt ON t.term_id = tt.term_id INNER JOIN wp_term_relationships AS tr ON tr.term_taxonomy_id = tt.term_taxonomy_id WHERE tt.taxonomy IN ('category', 'post_tag', 'post_format') AND tr.object_id IN (210, 1440) ORDER BY t.name ASC
SELECT * FROM wp_users WHERE user_login = 'carol' LIMIT 1
SELECT user_id, meta_key, meta_value FROM wp_usermeta WHERE user_id IN (263) ORDER BY umeta_id ASC
UPDATE `wp_usermeta` SET `meta_value` = 'a:1:{}' WHERE `user_id` = 670 AND `meta_key` = 'session_tokens'
SELECT comment_approved, COUNT( * ) AS total FROM wp_comments WHERE comment_post_ID = 6354 GROUP BY comment_approved
INSERT INTO `wp_comments` (`comment_post_ID`, `comment_author`, `comment_author_email`, `comment_content`, `comment_date`, `comment_approved`) VALUES (8077, 'frank', 'carol410@example.com', 'Nice post', '2025-09-11 23:47:46', '0')
DELETE FROM `wp_options` WHERE `option_name` = '_transient_timeout_t9327'
UPDATE `wp_posts` SET `comment_count` = 56 WHERE `ID` = 739
SELECT option_value FROM wp_options WHERE option_name = '_transient_t321' LIMIT 1
INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('_transient_t6210', 'a:0:{}', 'no') ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`), `option_value` = VALUES(`option_value`), `autoload` = VALUES(`autoload`)
SELECT wp_posts.* FROM wp_posts WHERE ID = 54992 LIMIT 1
SELECT post_id, meta_key, meta_value FROM wp_postmeta WHERE post_id IN (545,1353,2182) ORDER BY meta_id ASC
SELECT t.*, tt.*, tr.object_id FROM wp_terms AS t  INNER JOIN wp_term_taxonomy AS tt ON t.term_id = tt.term_id INNER JOIN wp_term_relationships AS tr ON tr.term_taxonomy_id = tt.term_taxonomy_id WHERE tt.taxonomy IN ('category', 'post_tag', 'post_format') AND tr.object_id IN (239, 1383) ORDER BY t.name ASC
SELECT user_id, meta_key, meta_value FROM wp_usermeta WHERE user_id IN (584) ORDER BY umeta_id ASC
UPDATE `wp_usermeta` SET `meta_value` = 'a:1:{}' WHERE `user_id` = 560 AND `meta_key` = 'session_tokens'
SELECT comment_approved, COUNT( * ) AS total FROM wp_comments WHERE comment_post_ID = 2279 GROUP BY comment_approved
INSERT INTO `wp_comments` (`comment_post_ID`, `comment_author`, `comment_author_email`, `comment_content`, `comment_date`, `comment_approved`) VALUES (2705, 'carol', 'dave593@example.com', 'Nice post', '2025-12-01 17:45:45', '0')
DELETE FROM `wp_options` WHERE `option_name` = '_transient_timeout_t1363'
UPDATE `wp_posts` SET `comment_count` = 47 WHERE `ID` = 9233
SELECT option_value FROM wp_options WHERE option_name = '_transient_t9133' LIMIT 1
INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('_transient_t7767', 'a:0:{}', 'no') ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`), `option_value` = VALUES(`option_value`), `autoload` = VALUES(`autoload`)
SELECT wp_posts.* FROM wp_posts WHERE ID = 56704 LIMIT 1
SELECT SQL_CALC_FOUND_ROWS  wp_posts.ID FROM wp_posts  WHERE 1=1  AND wp_posts.post_type = 'post' AND (wp_posts.post_status = 'publish')  ORDER BY wp_posts.post_date DESC LIMIT 20, 10
SELECT post_id, meta_key, meta_value FROM wp_postmeta WHERE post_id IN (613,1539,2552) ORDER BY meta_id ASC
SELECT t.*, tt.*, tr.object_id FROM wp_terms AS t  INNER JOIN wp_term_taxonomy AS tt ON t.term_id = tt.term_id INNER JOIN wp_term_relationships AS tr ON tr.term_taxonomy_id = tt.term_taxonomy_id WHERE tt.taxonomy IN ('category', 'post_tag', 'post_format') AND tr.object_id IN (221, 1830) ORDER BY t.name ASC
SELECT user_id, meta_key, meta_value FROM wp_usermeta WHERE user_id IN (191) ORDER BY umeta_id ASC
UPDATE `wp_usermeta` SET `meta_value` = 'a:1:{}' WHERE `user_id` = 837 AND `meta_key` = 'session_tokens'
SELECT comment_approved, COUNT( * ) AS total FROM wp_comments WHERE comment_post_ID = 2593 GROUP BY comment_approved
INSERT INTO `wp_comments` (`comment_post_ID`, `comment_author`, `comment_author_email`, `comment_content`, `comment_date`, `comment_approved`) VALUES (1362, 'alice', 'dave347@example.com', 'Nice post', '2025-04-09 16:03:28', '0')
DELETE FROM `wp_options` WHERE `option_name` = '_transient_timeout_t3215'
UPDATE `wp_posts` SET `comment_count` = 65 WHERE `ID` = 564
SELECT option_value FROM wp_options WHERE option_name = '_transient_t4254' LIMIT 1
INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('_transient_t9294', 'a:0:{}', 'no') ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`), `option_value` = VALUES(`option_value`), `autoload` = VALUES(`autoload`)
SELECT wp_posts.* FROM wp_posts WHERE ID = 60348 LIMIT 1
SELECT SQL_CALC_FOUND_ROWS  wp_posts.ID FROM wp_posts  WHERE 1=1  AND wp_posts.post_type = 'post' AND (wp_posts.post_status = 'publish')  ORDER BY wp_posts.post_date DESC LIMIT 50, 10
SELECT post_id, meta_key, meta_value FROM wp_postmeta WHERE post_id IN (935,1002,2443) ORDER BY meta_id ASC
SELECT t.*, tt.*, tr.object_id FROM wp_terms AS t  INNER JOIN wp_term_taxonomy AS tt ON t.term_id = tt.term_id INNER JOIN wp_term_relationships AS tr ON tr.term_taxonomy_id = tt.term_taxonomy_id WHERE tt.taxonomy IN ('category', 'post_tag', 'post_format') AND tr.object_id IN (722, 1850) ORDER BY t.name ASC
SELECT * FROM wp_users WHERE user_login = 'heidi' LIMIT 1
SELECT user_id, meta_key, meta_value FROM wp_usermeta WHERE user_id IN (55) ORDER BY umeta_id ASC
UPDATE `wp_usermeta` SET `meta_value` = 'a:1:{}' WHERE `user_id` = 30 AND `meta_key` = 'session_tokens'
SELECT comment_approved, COUNT( * ) AS total FROM wp_comments WHERE comment_post_ID = 7481 GROUP BY comment_approved
INSERT INTO `wp_comments` (`comment_post_ID`, `comment_author`, `comment_author_email`, `comment_content`, `comment_date`, `comment_approved`) VALUES (6800, 'alice', 'frank530@example.com', 'Nice post', '2025-06-14 18:00:30', '0')
DELETE FROM `wp_options` WHERE `option_name` = '_transient_timeout_t1739'
UPDATE `wp_posts` SET `comment_count` = 99 WHERE `ID` = 2892
SELECT option_value FROM wp_options WHERE option_name = '_transient_t2424' LIMIT 1
INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('_transient_t5743', 'a:0:{}', 'no') ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`), `option_value` = VALUES(`option_value`), `autoload` = VALUES(`autoload`)
SELECT wp_posts.* FROM wp_posts WHERE ID = 39351 LIMIT 1
SELECT post_id, meta_key, meta_value FROM wp_postmeta WHERE post_id IN (891,1757,2313) ORDER BY meta_id ASC
SELECT t.*, tt.*, tr.object_id FROM wp_terms AS t  INNER JOIN wp_term_taxonomy AS tt ON t.term_id = tt.term_id INNER JOIN wp_term_relationships AS tr ON tr.term_taxonomy_id = tt.term_taxonomy_id WHERE tt.taxonomy IN ('category', 'post_tag', 'post_format') AND tr.object_id IN (129, 1569) ORDER BY t.name ASC
SELECT user_id, meta_key, meta_value FROM wp_usermeta WHERE user_id IN (598) ORDER BY umeta_id ASC
UPDATE `wp_usermeta` SET `meta_value` = 'a:1:{}' WHERE `user_id` = 818 AND `meta_key` = 'session_tokens'
SELECT comment_approved, COUNT( * ) AS total FROM wp_comments WHERE comment_post_ID = 4044 GROUP BY comment_approved
INSERT INTO `wp_comments` (`comment_post_ID`, `comment_author`, `comment_author_email`, `comment_content`, `comment_date`, `comment_approved`) VALUES (5574, 'alice', 'frank299@example.com', 'Nice post', '2025-05-27 20:23:11', '0')
DELETE FROM `wp_options` WHERE `option_name` = '_transient_timeout_t4993'
UPDATE `wp_posts` SET `comment_count` = 96 WHERE `ID` = 2276
SELECT option_value FROM wp_options WHERE option_name = '_transient_t86' LIMIT 1
INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('_transient_t3866', 'a:0:{}', 'no') ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`), `option_value` = VALUES(`option_value`), `autoload` = VALUES(`autoload`)
SELECT wp_posts.* FROM wp_posts WHERE ID = 34881 LIMIT 1
SELECT post_id, meta_key, meta_value FROM wp_postmeta WHERE post_id IN (780,1855,2037) ORDER BY meta_id ASC
SELECT t.*, tt.*, tr.object_id FROM wp_terms AS t  INNER JOIN wp_term_taxonomy AS tt ON t.term_id = tt.term_id INNER JOIN wp_term_relationships AS tr ON tr.term_taxonomy_id = tt.term_taxonomy_id WHERE tt.taxonomy IN ('category', 'post_tag', 'post_format') AND tr.object_id IN (532, 1228) ORDER BY t.name ASC
SELECT * FROM wp_users WHERE user_login = 'dave' LIMIT 1
SELECT user_id, meta_key, meta_value FROM wp_usermeta WHERE user_id IN (124) ORDER BY umeta_id ASC
UPDATE `wp_usermeta` SET `meta_value` = 'a:1:{}' WHERE `user_id` = 996 AND `meta_key` = 'session_tokens'
SELECT comment_approved, COUNT( * ) AS total FROM wp_comments WHERE comment_post_ID = 3046 GROUP BY comment_approved
INSERT INTO `wp_comments` (`comment_post_ID`, `comment_author`, `comment_author_email`, `comment_content`, `comment_date`, `comment_approved`) VALUES (8716, 'bob', 'grace701@example.com', 'Nice post', '2025-09-12 10:25:11', '0')
DELETE FROM `wp_options` WHERE `option_name` = '_transient_timeout_t9844'
UPDATE `wp_posts` SET `comment_count` = 4 WHERE `ID` = 7250
SELECT option_value FROM wp_options WHERE option_name = '_transient_t655' LIMIT 1
INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('_transient_t5536', 'a:0:{}', 'no') ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`), `option_value` = VALUES(`option_value`), `autoload` = VALUES(`autoload`)
SELECT wp_posts.* FROM wp_posts WHERE ID = 14135 LIMIT 1
SELECT SQL_CALC_FOUND_ROWS  wp_posts.ID FROM wp_posts  WHERE 1=1  AND wp_posts.post_type = 'post' AND (wp_posts.post_status = 'publish')  ORDER BY wp_posts.post_date DESC LIMIT 10, 10
SELECT post_id, meta_key, meta_value FROM wp_postmeta WHERE post_id IN (734,1844,2921) ORDER BY meta_id ASC
SELECT t.*, tt.*, tr.object_id FROM wp_terms AS t  INNER JOIN wp_term_taxonomy AS tt ON t.term_id = tt.term_id INNER JOIN wp_term_relationships AS tr ON tr.term_taxonomy_id = tt.term_taxonomy_id WHERE tt.taxonomy IN ('category', 'post_tag', 'post_format') AND tr.object_id IN (578, 1726) ORDER BY t.name ASC
SELECT user_id, meta_key, meta_value FROM wp_usermeta WHERE user_id IN (213) ORDER BY umeta_id ASC
UPDATE `wp_usermeta` SET `meta_value` = 'a:1:{}' WHERE `user_id` = 904 AND `meta_key` = 'session_tokens'
SELECT comment_approved, COUNT( * ) AS total FROM wp_comments WHERE comment_post_ID = 1846 GROUP BY comment_approved
INSERT INTO `wp_comments` (`comment_post_ID`, `comment_author`, `comment_author_email`, `comment_content`, `comment_date`, `comment_approved`) VALUES (4991, 'frank', 'carol454@example.com', 'Nice post', '2025-10-12 02:40:20', '0')
DELETE FROM `wp_options` WHERE `option_name` = '_transient_timeout_t7865'
UPDATE `wp_posts` SET `comment_count` = 87 WHERE `ID` = 6651
SELECT option_value FROM wp_options WHERE option_name = '_transient_t8989' LIMIT 1
INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('_transient_t3297', 'a:0:{}', 'no') ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`), `option_value` = VALUES(`option_value`), `autoload` = VALUES(`autoload`)
SELECT wp_posts.* FROM wp_posts WHERE ID = 86742 LIMIT 1
SELECT post_id, meta_key, meta_value FROM wp_postmeta WHERE post_id IN (414,1232,2914) ORDER BY meta_id ASC
SELECT t.*, tt.*, tr.object_id FROM wp_terms AS t  INNER JOIN wp_term_taxonomy AS tt ON t.term_id = tt.term_id INNER JOIN wp_term_relationships AS tr ON tr.term_taxonomy_id = tt.term_taxonomy_id WHERE tt.taxonomy IN ('category', 'post_tag', 'post_format') AND tr.object_id IN (368, 1521) ORDER BY t.name ASC
SELECT user_id, meta_key, meta_value FROM wp_usermeta WHERE user_id IN (957) ORDER BY umeta_id ASC
UPDATE `wp_usermeta` SET `meta_value` = 'a:1:{}' WHERE `user_id` = 755 AND `meta_key` = 'session_tokens'
SELECT comment_approved, COUNT( * ) AS total FROM wp_comments WHERE comment_post_ID = 2885 GROUP BY comment_approved
INSERT INTO `wp_comments` (`comment_post_ID`, `comment_author`, `comment_author_email`, `comment_content`, `comment_date`, `comment_approved`) VALUES (4447, 'erin', 'grace326@example.com', 'Nice post', '2025-12-24 20:43:27', '0')
DELETE FROM `wp_options` WHERE `option_name` = '_transient_timeout_t77'
UPDATE `wp_posts` SET `comment_count` = 50 WHERE `ID` = 712
SELECT option_value FROM wp_options WHERE option_name = '_transient_t755' LIMIT 1
INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('_transient_t7931', 'a:0:{}', 'no') ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`), `option_value` = VALUES(`option_value`), `autoload` = VALUES(`autoload`)
SELECT wp_posts.* FROM wp_posts WHERE ID = 78317 LIMIT 1
SELECT post_id, meta_key, meta_value FROM wp_postmeta WHERE post_id IN (571,1007,2268) ORDER BY meta_id ASC
SELECT t.*, tt.*, tr.object_id FROM wp_terms AS t  INNER JOIN wp_term_taxonomy AS tt ON t.term_id = tt.term_id INNER JOIN wp_term_relationships AS tr ON tr.term_taxonomy_id = tt.term_taxonomy_id WHERE tt.taxonomy IN ('category', 'post_tag', 'post_format') AND tr.object_id IN (960, 1295) ORDER BY t.name ASC
SELECT * FROM wp_users WHERE user_login = 'bob' LIMIT 1
SELECT user_id, meta_key, meta_value FROM wp_usermeta WHERE user_id IN (779) ORDER BY umeta_id ASC
UPDATE `wp_usermeta` SET `meta_value` = 'a:1:{}' WHERE `user_id` = 127 AND `meta_key` = 'session_tokens'
SELECT comment_approved, COUNT( * ) AS total FROM wp_comments WHERE comment_post_ID = 9380 GROUP BY comment_approved
INSERT INTO `wp_comments` (`comment_post_ID`, `comment_author`, `comment_author_email`, `comment_content`, `comment_date`, `comment_approved`) VALUES (6283, 'carol', 'dave743@example.com', 'Nice post', '2025-04-01 07:27:53', '0')
DELETE FROM `wp_options` WHERE `option_name` = '_transient_timeout_t8407'
UPDATE `wp_posts` SET `comment_count` = 18 WHERE `ID` = 453
SELECT option_value FROM wp_options WHERE option_name = '_transient_t5868' LIMIT 1
INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('_transient_t5889', 'a:0:{}', 'no') ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`), `option_value` = VALUES(`option_value`), `autoload` = VALUES(`autoload`)
SELECT wp_posts.* FROM wp_posts WHERE ID = 64684 LIMIT 1
SELECT post_id, meta_key, meta_value FROM wp_postmeta WHERE post_id IN (476,1093,2911) ORDER BY meta_id ASC
SELECT t.*, tt.*, tr.object_id FROM wp_terms AS t  INNER JOIN wp_term_taxonomy AS tt ON t.term_id = tt.term_id INNER JOIN wp_term_relationships AS tr ON tr.term_taxonomy_id = tt.term_taxonomy_id WHERE tt.taxonomy IN ('category', 'post_tag', 'post_format') AND tr.object_id IN (479, 1904) ORDER BY t.name ASC
SELECT user_id, meta_key, meta_value FROM wp_usermeta WHERE user_id IN (702) ORDER BY umeta_id ASC
UPDATE `wp_usermeta` SET `meta_value` = 'a:1:{}' WHERE `user_id` = 292 AND `meta_key` = 'session_tokens'
SELECT comment_approved, COUNT( * ) AS total FROM wp_comments WHERE comment_post_ID = 3337 GROUP BY comment_approved
INSERT INTO `wp_comments` (`comment_post_ID`, `comment_author`, `comment_author_email`, `comment_content`, `comment_date`, `comment_approved`) VALUES (9047, 'frank', 'dave760@example.com', 'Nice post', '2025-02-19 11:37:15', '0')
DELETE FROM `wp_options` WHERE `option_name` = '_transient_timeout_t1627'
UPDATE `wp_posts` SET `comment_count` = 93 WHERE `ID` = 9003
SELECT option_value FROM wp_options WHERE option_name = '_transient_t3147' LIMIT 1
INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('_transient_t3433', 'a:0:{}', 'no') ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`), `option_value` = VALUES(`option_value`), `autoload` = VALUES(`autoload`)
SELECT wp_posts.* FROM wp_posts WHERE ID = 14918 LIMIT 1
SELECT post_id, meta_key, meta_value FROM wp_postmeta WHERE post_id IN (246,1867,2277) ORDER BY meta_id ASC
SELECT t.*, tt.*, tr.object_id FROM wp_terms AS t  INNER JOIN wp_term_taxonomy AS tt ON t.term_id = tt.term_id INNER JOIN wp_term_relationships AS tr ON tr.term_taxonomy_id = tt.term_taxonomy_id WHERE tt.taxonomy IN ('category', 'post_tag', 'post_format') AND tr.object_id IN (395, 1853) ORDER BY t.name ASC
SELECT user_id, meta_key, meta_value FROM wp_usermeta WHERE user_id IN (761) ORDER BY umeta_id ASC
UPDATE `wp_usermeta` SET `meta_value` = 'a:1:{}' WHERE `user_id` = 387 AND `meta_key` = 'session_tokens'
SELECT comment_approved, COUNT( * ) AS total FROM wp_comments WHERE comment_post_ID = 975 GROUP BY comment_approved
INSERT INTO `wp_comments` (`comment_post_ID`, `comment_author`, `comment_author_email`, `comment_content`, `comment_date`, `comment_approved`) VALUES (2992, 'carol', 'dave923@example.com', 'Nice post', '2025-01-19 06:20:50', '0')
DELETE FROM `wp_options` WHERE `option_name` = '_transient_timeout_t3798'
UPDATE `wp_posts` SET `comment_count` = 95 WHERE `ID` = 9324
SELECT option_value FROM wp_options WHERE option_name = '_transient_t8530' LIMIT 1
INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('_transient_t3092', 'a:0:{}', 'no') ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`), `option_value` = VALUES(`option_value`), `autoload` = VALUES(`autoload`)
SELECT wp_posts.* FROM wp_posts WHERE ID = 67662 LIMIT 1
SELECT SQL_CALC_FOUND_ROWS  wp_posts.ID FROM wp_posts  WHERE 1=1  AND wp_posts.post_type = 'post' AND (wp_posts.post_status = 'publish')  ORDER BY wp_posts.post_date DESC LIMIT 60, 10
SELECT post_id, meta_key, meta_value FROM wp_postmeta WHERE post_id IN (460,1053,2859) ORDER BY meta_id ASC
SELECT t.*, tt.*, tr.object_id FROM wp_terms AS t  INNER JOIN wp_term_taxonomy AS tt ON t.term_id = tt.term_id INNER JOIN wp_term_relationships AS tr ON tr.term_taxonomy_id = tt.term_taxonomy_id WHERE tt.taxonomy IN ('category', 'post_tag', 'post_format') AND tr.object_id IN (855, 1055) ORDER BY t.name ASC
SELECT user_id, meta_key, meta_value FROM wp_usermeta WHERE user_id IN (485) ORDER BY umeta_id ASC
UPDATE `wp_usermeta` SET `meta_value` = 'a:1:{}' WHERE `user_id` = 655 AND `meta_key` = 'session_tokens'
SELECT comment_approved, COUNT( * ) AS total FROM wp_comments WHERE comment_post_ID = 560 GROUP BY comment_approved
INSERT INTO `wp_comments` (`comment_post_ID`, `comment_author`, `comment_author_email`, `comment_content`, `comment_date`, `comment_approved`) VALUES (4152, 'erin', 'dave763@example.com', 'Nice post', '2025-01-21 16:29:29', '0')
DELETE FROM `wp_options` WHERE `option_name` = '_transient_timeout_t1852'
UPDATE `wp_posts` SET `comment_count` = 57 WHERE `ID` = 7529
