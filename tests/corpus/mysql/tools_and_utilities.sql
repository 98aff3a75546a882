-- Statement shapes from mysqldump output, the mysql CLI, WordPress, Laravel, YCSB, and the
-- maintenance, EXPLAIN and session statements operators send to MariaDB.
DROP TABLE IF EXISTS `users`
CREATE TABLE `users` (`id` bigint(20) NOT NULL AUTO_INCREMENT, `name` varchar(255) NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB AUTO_INCREMENT=42 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
LOCK TABLES `users` WRITE
ALTER TABLE `users` DISABLE KEYS
INSERT INTO `users` VALUES (1,'ada'),(2,'grace'),(3,'linus')
ALTER TABLE `users` ENABLE KEYS
UNLOCK TABLES
SELECT DATABASE()
select @@version_comment limit 1
SHOW DATABASES
SHOW TABLES
SHOW FULL COLUMNS FROM `users`
SHOW CREATE TABLE `users`
SELECT option_name, option_value FROM wp_options WHERE autoload = 'yes'
SELECT SQL_CALC_FOUND_ROWS wp_posts.ID FROM wp_posts WHERE 1=1 AND wp_posts.post_type = 'post' AND (wp_posts.post_status = 'publish') ORDER BY wp_posts.post_date DESC LIMIT 0, 10
SELECT FOUND_ROWS()
INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('_transient_doing_cron', '1718000000.1', 'yes') ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`), `option_value` = VALUES(`option_value`), `autoload` = VALUES(`autoload`)
select * from `users` where `email` = ? limit 1
insert into `migrations` (`migration`, `batch`) values (?, ?)
select * from `jobs` where `queue` = ? and ((`reserved_at` is null and `available_at` <= ?) or (`reserved_at` <= ?)) order by `id` asc limit 1 for update skip locked
SELECT * FROM usertable WHERE YCSB_KEY = 'user6284781860667377211'
UPDATE usertable SET FIELD4 = 'q%d2' WHERE YCSB_KEY = 'user8517097267634966620'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user1914468127' ORDER BY YCSB_KEY LIMIT 35
ANALYZE TABLE users, posts
ANALYZE NO_WRITE_TO_BINLOG TABLE users PERSISTENT FOR ALL
OPTIMIZE TABLE audit
CHECK TABLE tags FOR UPGRADE
CHECKSUM TABLE likes QUICK
REPAIR TABLE messages QUICK
FLUSH TABLES users WITH READ LOCK
FLUSH PRIVILEGES
EXPLAIN SELECT * FROM users WHERE id = 5
EXPLAIN FORMAT=JSON SELECT * FROM posts WHERE user_id = 5 ORDER BY id DESC LIMIT 20
EXPLAIN EXTENDED SELECT * FROM users
ANALYZE FORMAT=JSON SELECT * FROM users WHERE id = 9
DESCRIBE users
DESC `posts`
EXPLAIN users
PREPARE s FROM 'SELECT * FROM users WHERE id = ?'
EXECUTE s USING @id
DEALLOCATE PREPARE s
DO RELEASE_LOCK('import')
DO SLEEP(0.1)
CALL recount_likes(5)
LOCK TABLES users READ, posts AS p WRITE
HANDLER audit OPEN
HANDLER audit READ `PRIMARY` FIRST
HANDLER audit CLOSE
KILL QUERY 1234
LOAD DATA LOCAL INFILE '/tmp/users.csv' INTO TABLE users FIELDS TERMINATED BY ','
SELECT NEXT VALUE FOR ticket_seq
SELECT PREVIOUS VALUE FOR ticket_seq
XA START 'social-1'
XA END 'social-1'
XA PREPARE 'social-1'
XA COMMIT 'social-1'
XA RECOVER
START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY
START TRANSACTION READ WRITE
SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED
RENAME TABLE users TO users_old, users_new TO users
ALTER TABLE users ADD COLUMN bio TEXT, ALGORITHM=INPLACE, LOCK=NONE
ALTER ONLINE TABLE posts ADD INDEX posts_created (created_at)
CREATE INDEX posts_created ON posts (created_at) ALGORITHM=INPLACE LOCK=NONE
SELECT * FROM users FOR SYSTEM_TIME AS OF TIMESTAMP '2020-01-01 00:00:00' WHERE id = 5
SELECT * FROM users FOR SYSTEM_TIME ALL WHERE id = 5
SELECT id, MATCH (title, body) AGAINST ('mariadb galera' IN NATURAL LANGUAGE MODE) AS score FROM posts WHERE MATCH (title, body) AGAINST ('+mariadb -mysql' IN BOOLEAN MODE)
SELECT * FROM users WHERE name = BINARY 'Ada' COLLATE utf8mb4_bin
SELECT * FROM users WHERE id = 5 FOR UPDATE WAIT 5
SELECT * FROM users WHERE id = 5 FOR UPDATE NOWAIT
SELECT * FROM users WHERE (id, name) IN ((5, 'a'), (6, 'b'))
SELECT * FROM users WHERE id = CAST('5' AS SIGNED)
SELECT doc->>'$.name', doc->'$.tags' FROM profiles WHERE doc->>'$.region' = 'eu'
