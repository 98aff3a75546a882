-- Statement shapes of the YCSB JDBC binding on MySQL (usertable) and of SQLAlchemy's mysqlclient
-- dialect (labelled columns, %s binds rendered as literals).
SELECT * FROM usertable WHERE YCSB_KEY = 'user701835220'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user604066559' ORDER BY YCSB_KEY LIMIT 42
UPDATE usertable SET FIELD0 = '370476' WHERE YCSB_KEY = 'user542207730'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1) VALUES ('user750375815', 'a893', 'b495')
DELETE FROM usertable WHERE YCSB_KEY = 'user864721530'
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 45883
INSERT INTO users (name, fullname) VALUES ('heidi', 'Grace')
UPDATE users SET fullname='Carol' WHERE users.id = 97106
SELECT users.id AS users_id, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 2684
SELECT count(*) AS count_1 FROM (SELECT users.id AS users_id FROM users WHERE users.name LIKE '%frank%') AS anon_1
SELECT posts.id, posts.user_id FROM posts JOIN likes USING (user_id) WHERE user_id = 3595
SELECT id FROM users WHERE id = 640 UNION ALL SELECT id FROM users WHERE id = 1661
SELECT * FROM usertable WHERE YCSB_KEY = 'user971882604'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user990818249' ORDER BY YCSB_KEY LIMIT 3
UPDATE usertable SET FIELD4 = '788714' WHERE YCSB_KEY = 'user849291068'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1) VALUES ('user145436269', 'a470', 'b568')
DELETE FROM usertable WHERE YCSB_KEY = 'user466746940'
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 21822
INSERT INTO users (name, fullname) VALUES ('heidi', 'Erin')
UPDATE users SET fullname='Carol' WHERE users.id = 60253
SELECT users.id AS users_id, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 3625
SELECT count(*) AS count_1 FROM (SELECT users.id AS users_id FROM users WHERE users.name LIKE '%heidi%') AS anon_1
SELECT posts.id, posts.user_id FROM posts JOIN likes USING (user_id) WHERE user_id = 8748
SELECT id FROM users WHERE id = 3261 UNION ALL SELECT id FROM users WHERE id = 3798
SELECT * FROM usertable WHERE YCSB_KEY = 'user562939927'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user393689709' ORDER BY YCSB_KEY LIMIT 12
UPDATE usertable SET FIELD2 = '489068' WHERE YCSB_KEY = 'user232816536'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1) VALUES ('user518795074', 'a857', 'b492')
DELETE FROM usertable WHERE YCSB_KEY = 'user893920881'
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 72951
INSERT INTO users (name, fullname) VALUES ('erin', 'Heidi')
UPDATE users SET fullname='Carol' WHERE users.id = 97374
SELECT users.id AS users_id, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 1027
SELECT count(*) AS count_1 FROM (SELECT users.id AS users_id FROM users WHERE users.name LIKE '%alice%') AS anon_1
SELECT posts.id, posts.user_id FROM posts JOIN likes USING (user_id) WHERE user_id = 5333
SELECT id FROM users WHERE id = 6816 UNION ALL SELECT id FROM users WHERE id = 3385
SELECT * FROM usertable WHERE YCSB_KEY = 'user702374295'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user389968364' ORDER BY YCSB_KEY LIMIT 48
UPDATE usertable SET FIELD8 = '267317' WHERE YCSB_KEY = 'user226299764'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1) VALUES ('user553773380', 'a656', 'b120')
DELETE FROM usertable WHERE YCSB_KEY = 'user613356326'
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 48777
INSERT INTO users (name, fullname) VALUES ('grace', 'Grace')
UPDATE users SET fullname='Heidi' WHERE users.id = 44181
SELECT users.id AS users_id, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 3043
SELECT posts.id, posts.user_id FROM posts JOIN likes USING (user_id) WHERE user_id = 3414
SELECT id FROM users WHERE id = 1144 UNION ALL SELECT id FROM users WHERE id = 2935
SELECT * FROM usertable WHERE YCSB_KEY = 'user825418426'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user960459033' ORDER BY YCSB_KEY LIMIT 99
UPDATE usertable SET FIELD7 = '352301' WHERE YCSB_KEY = 'user382738915'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1) VALUES ('user879432638', 'a186', 'b817')
DELETE FROM usertable WHERE YCSB_KEY = 'user587299882'
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 987
INSERT INTO users (name, fullname) VALUES ('dave', 'Carol')
UPDATE users SET fullname='Frank' WHERE users.id = 49373
SELECT users.id AS users_id, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 9623
SELECT count(*) AS count_1 FROM (SELECT users.id AS users_id FROM users WHERE users.name LIKE '%carol%') AS anon_1
SELECT posts.id, posts.user_id FROM posts JOIN likes USING (user_id) WHERE user_id = 5272
SELECT id FROM users WHERE id = 9688 UNION ALL SELECT id FROM users WHERE id = 7049
SELECT * FROM usertable WHERE YCSB_KEY = 'user294741111'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user993617323' ORDER BY YCSB_KEY LIMIT 20
UPDATE usertable SET FIELD4 = '341883' WHERE YCSB_KEY = 'user320241323'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1) VALUES ('user928256838', 'a849', 'b974')
DELETE FROM usertable WHERE YCSB_KEY = 'user250632558'
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 81594
UPDATE users SET fullname='Grace' WHERE users.id = 28961
SELECT users.id AS users_id, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 7729
SELECT posts.id, posts.user_id FROM posts JOIN likes USING (user_id) WHERE user_id = 8025
SELECT id FROM users WHERE id = 6976 UNION ALL SELECT id FROM users WHERE id = 1596
SELECT * FROM usertable WHERE YCSB_KEY = 'user262157722'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user686624367' ORDER BY YCSB_KEY LIMIT 19
UPDATE usertable SET FIELD0 = '761359' WHERE YCSB_KEY = 'user806932169'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1) VALUES ('user685448479', 'a433', 'b280')
DELETE FROM usertable WHERE YCSB_KEY = 'user914407486'
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 7957
INSERT INTO users (name, fullname) VALUES ('dave', 'Alice')
UPDATE users SET fullname='Alice' WHERE users.id = 43504
SELECT users.id AS users_id, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 9603
SELECT count(*) AS count_1 FROM (SELECT users.id AS users_id FROM users WHERE users.name LIKE '%erin%') AS anon_1
SELECT posts.id, posts.user_id FROM posts JOIN likes USING (user_id) WHERE user_id = 1136
SELECT id FROM users WHERE id = 8400 UNION ALL SELECT id FROM users WHERE id = 356
SELECT * FROM usertable WHERE YCSB_KEY = 'user236124598'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user406054252' ORDER BY YCSB_KEY LIMIT 100
UPDATE usertable SET FIELD2 = '440680' WHERE YCSB_KEY = 'user202549845'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1) VALUES ('user768637179', 'a317', 'b255')
DELETE FROM usertable WHERE YCSB_KEY = 'user429912293'
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 82201
INSERT INTO users (name, fullname) VALUES ('alice', 'Carol')
UPDATE users SET fullname='Carol' WHERE users.id = 30128
SELECT users.id AS users_id, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 5709
SELECT posts.id, posts.user_id FROM posts JOIN likes USING (user_id) WHERE user_id = 9396
SELECT id FROM users WHERE id = 4824 UNION ALL SELECT id FROM users WHERE id = 5588
SELECT * FROM usertable WHERE YCSB_KEY = 'user668068709'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user580826256' ORDER BY YCSB_KEY LIMIT 58
UPDATE usertable SET FIELD5 = '502105' WHERE YCSB_KEY = 'user677914527'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1) VALUES ('user866361668', 'a703', 'b694')
DELETE FROM usertable WHERE YCSB_KEY = 'user820433235'
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 6954
INSERT INTO users (name, fullname) VALUES ('frank', 'Dave')
UPDATE users SET fullname='Carol' WHERE users.id = 91880
SELECT users.id AS users_id, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 5639
SELECT posts.id, posts.user_id FROM posts JOIN likes USING (user_id) WHERE user_id = 3881
SELECT id FROM users WHERE id = 7802 UNION ALL SELECT id FROM users WHERE id = 3443
SELECT * FROM usertable WHERE YCSB_KEY = 'user785251993'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user659685988' ORDER BY YCSB_KEY LIMIT 6
UPDATE usertable SET FIELD4 = '655582' WHERE YCSB_KEY = 'user699058555'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1) VALUES ('user531072157', 'a151', 'b829')
DELETE FROM usertable WHERE YCSB_KEY = 'user219005900'
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 5763
UPDATE users SET fullname='Grace' WHERE users.id = 59425
SELECT users.id AS users_id, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 8525
SELECT posts.id, posts.user_id FROM posts JOIN likes USING (user_id) WHERE user_id = 1344
SELECT id FROM users WHERE id = 9818 UNION ALL SELECT id FROM users WHERE id = 88
SELECT * FROM usertable WHERE YCSB_KEY = 'user177730278'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user929122477' ORDER BY YCSB_KEY LIMIT 90
UPDATE usertable SET FIELD0 = '867316' WHERE YCSB_KEY = 'user813269153'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1) VALUES ('user940409888', 'a450', 'b967')
DELETE FROM usertable WHERE YCSB_KEY = 'user150401814'
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 98666
INSERT INTO users (name, fullname) VALUES ('frank', 'Bob')
UPDATE users SET fullname='Carol' WHERE users.id = 26800
SELECT users.id AS users_id, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 197
SELECT posts.id, posts.user_id FROM posts JOIN likes USING (user_id) WHERE user_id = 1512
SELECT id FROM users WHERE id = 6422 UNION ALL SELECT id FROM users WHERE id = 3820
SELECT * FROM usertable WHERE YCSB_KEY = 'user137036281'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user239552079' ORDER BY YCSB_KEY LIMIT 6
UPDATE usertable SET FIELD9 = '213337' WHERE YCSB_KEY = 'user212642964'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1) VALUES ('user412637395', 'a703', 'b937')
DELETE FROM usertable WHERE YCSB_KEY = 'user782852584'
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 29172
INSERT INTO users (name, fullname) VALUES ('bob', 'Erin')
UPDATE users SET fullname='Heidi' WHERE users.id = 42363
SELECT users.id AS users_id, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 5118
SELECT posts.id, posts.user_id FROM posts JOIN likes USING (user_id) WHERE user_id = 3644
SELECT id FROM users WHERE id = 7762 UNION ALL SELECT id FROM users WHERE id = 8519
SELECT * FROM usertable WHERE YCSB_KEY = 'user723882618'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user344100123' ORDER BY YCSB_KEY LIMIT 38
UPDATE usertable SET FIELD6 = '364827' WHERE YCSB_KEY = 'user978368977'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1) VALUES ('user272818204', 'a363', 'b3')
DELETE FROM usertable WHERE YCSB_KEY = 'user277011697'
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 34563
INSERT INTO users (name, fullname) VALUES ('grace', 'Carol')
UPDATE users SET fullname='Dave' WHERE users.id = 86534
SELECT users.id AS users_id, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 2191
SELECT posts.id, posts.user_id FROM posts JOIN likes USING (user_id) WHERE user_id = 2383
SELECT id FROM users WHERE id = 6518 UNION ALL SELECT id FROM users WHERE id = 5739
SELECT * FROM usertable WHERE YCSB_KEY = 'user750102589'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user623619055' ORDER BY YCSB_KEY LIMIT 13
UPDATE usertable SET FIELD7 = '912594' WHERE YCSB_KEY = 'user374527910'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1) VALUES ('user878485082', 'a876', 'b79')
DELETE FROM usertable WHERE YCSB_KEY = 'user282314505'
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 97992
INSERT INTO users (name, fullname) VALUES ('carol', 'Heidi')
UPDATE users SET fullname='Erin' WHERE users.id = 47283
SELECT users.id AS users_id, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 8936
SELECT count(*) AS count_1 FROM (SELECT users.id AS users_id FROM users WHERE users.name LIKE '%dave%') AS anon_1
SELECT posts.id, posts.user_id FROM posts JOIN likes USING (user_id) WHERE user_id = 2338
SELECT id FROM users WHERE id = 4559 UNION ALL SELECT id FROM users WHERE id = 8732
SELECT * FROM usertable WHERE YCSB_KEY = 'user865393186'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user320131996' ORDER BY YCSB_KEY LIMIT 9
UPDATE usertable SET FIELD8 = '119704' WHERE YCSB_KEY = 'user616943529'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1) VALUES ('user710901960', 'a296', 'b167')
DELETE FROM usertable WHERE YCSB_KEY = 'user124399942'
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 62724
INSERT INTO users (name, fullname) VALUES ('dave', 'Dave')
UPDATE users SET fullname='Alice' WHERE users.id = 18449
SELECT users.id AS users_id, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 2487
SELECT count(*) AS count_1 FROM (SELECT users.id AS users_id FROM users WHERE users.name LIKE '%grace%') AS anon_1
SELECT posts.id, posts.user_id FROM posts JOIN likes USING (user_id) WHERE user_id = 4885
SELECT id FROM users WHERE id = 9312 UNION ALL SELECT id FROM users WHERE id = 7616
SELECT * FROM usertable WHERE YCSB_KEY = 'user816003763'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user690226978' ORDER BY YCSB_KEY LIMIT 92
UPDATE usertable SET FIELD8 = '505784' WHERE YCSB_KEY = 'user756234707'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1) VALUES ('user405099202', 'a155', 'b512')
DELETE FROM usertable WHERE YCSB_KEY = 'user722379109'
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 84448
INSERT INTO users (name, fullname) VALUES ('dave', 'Bob')
UPDATE users SET fullname='Grace' WHERE users.id = 94039
SELECT users.id AS users_id, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 7155
SELECT posts.id, posts.user_id FROM posts JOIN likes USING (user_id) WHERE user_id = 7393
SELECT id FROM users WHERE id = 6031 UNION ALL SELECT id FROM users WHERE id = 2341
SELECT * FROM usertable WHERE YCSB_KEY = 'user540096605'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user505675120' ORDER BY YCSB_KEY LIMIT 8
UPDATE usertable SET FIELD2 = '224221' WHERE YCSB_KEY = 'user979108693'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1) VALUES ('user953525918', 'a578', 'b976')
DELETE FROM usertable WHERE YCSB_KEY = 'user612345530'
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 81549
UPDATE users SET fullname='Erin' WHERE users.id = 14590
SELECT users.id AS users_id, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 8135
SELECT posts.id, posts.user_id FROM posts JOIN likes USING (user_id) WHERE user_id = 5187
SELECT id FROM users WHERE id = 2544 UNION ALL SELECT id FROM users WHERE id = 9067
SELECT * FROM usertable WHERE YCSB_KEY = 'user996361952'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user409354951' ORDER BY YCSB_KEY LIMIT 27
UPDATE usertable SET FIELD3 = '827765' WHERE YCSB_KEY = 'user572741016'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1) VALUES ('user833448295', 'a433', 'b194')
DELETE FROM usertable WHERE YCSB_KEY = 'user840335133'
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 41632
INSERT INTO users (name, fullname) VALUES ('heidi', 'Alice')
UPDATE users SET fullname='Erin' WHERE users.id = 63149
SELECT users.id AS users_id, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 9703
SELECT count(*) AS count_1 FROM (SELECT users.id AS users_id FROM users WHERE users.name LIKE '%bob%') AS anon_1
SELECT posts.id, posts.user_id FROM posts JOIN likes USING (user_id) WHERE user_id = 9558
SELECT id FROM users WHERE id = 4234 UNION ALL SELECT id FROM users WHERE id = 6035
SELECT * FROM usertable WHERE YCSB_KEY = 'user573395260'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user414172384' ORDER BY YCSB_KEY LIMIT 75
UPDATE usertable SET FIELD5 = '591818' WHERE YCSB_KEY = 'user520051399'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1) VALUES ('user602422002', 'a60', 'b625')
DELETE FROM usertable WHERE YCSB_KEY = 'user751070257'
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 7921
INSERT INTO users (name, fullname) VALUES ('erin', 'Dave')
UPDATE users SET fullname='Alice' WHERE users.id = 97161
SELECT users.id AS users_id, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 3816
SELECT posts.id, posts.user_id FROM posts JOIN likes USING (user_id) WHERE user_id = 9555
SELECT id FROM users WHERE id = 121 UNION ALL SELECT id FROM users WHERE id = 4464
SELECT * FROM usertable WHERE YCSB_KEY = 'user653618155'
SELECT * FROM usertable WHERE YCSB_KEY >= 'user211791153' ORDER BY YCSB_KEY LIMIT 14
UPDATE usertable SET FIELD9 = '834342' WHERE YCSB_KEY = 'user310070084'
INSERT INTO usertable (YCSB_KEY, FIELD0, FIELD1) VALUES ('user586346359', 'a447', 'b44')
DELETE FROM usertable WHERE YCSB_KEY = 'user348415321'
SELECT users.id AS users_id, users.name AS users_name, users.fullname AS users_fullname FROM users WHERE users.id = 58989
INSERT INTO users (name, fullname) VALUES ('heidi', 'Carol')
UPDATE users SET fullname='Dave' WHERE users.id = 55478
SELECT users.id AS users_id, addresses_1.id AS addresses_1_id, addresses_1.email_address AS addresses_1_email_address FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = 4489
SELECT posts.id, posts.user_id FROM posts JOIN likes USING (user_id) WHERE user_id = 8765
SELECT id FROM users WHERE id = 3653 UNION ALL SELECT id FROM users WHERE id = 5590
