-- Statement shapes the Laravel Eloquent query builder emits on PostgreSQL (double-quoted names,
-- "insert ... returning", pagination, eager loading with IN lists, soft deletes).
select * from "users" where "users"."id" = 42469 limit 1
select * from "users" where "email" = 'heidi490@example.com' and "users"."deleted_at" is null limit 1
insert into "users" ("name", "email", "password", "updated_at", "created_at") values ('carol', 'dave432@example.com', '$2y$10$abc134', '2025-08-13 07:32:10', '2025-09-28 19:14:41') returning "id"
update "users" set "remember_token" = 'tok5835', "updated_at" = '2025-06-04 23:52:40' where "id" = 23249
select count(*) as aggregate from "posts" where "posts"."user_id" = 9549 and "posts"."deleted_at" is null
select * from "posts" where "posts"."user_id" in (44, 101, 298) and "posts"."deleted_at" is null
select * from "posts" where "published_at" is not null order by "published_at" desc limit 10 offset 270
select "tags".*, "post_tag"."post_id" as "pivot_post_id", "post_tag"."tag_id" as "pivot_tag_id" from "tags" inner join "post_tag" on "tags"."id" = "post_tag"."tag_id" where "post_tag"."post_id" in (706, 1719)
delete from "sessions" where "last_activity" <= 1750035730
select exists(select * from "users" where "email" = 'grace26@example.com') as "exists"
update "posts" set "deleted_at" = '2025-08-15 00:46:35', "updated_at" = '2025-07-21 03:38:22' where "id" = 8962
insert into "jobs" ("queue", "payload", "attempts", "reserved_at", "available_at", "created_at") values ('default', '{"job":"SendEmail"}', 0, null, 1738214746, 1701288785) returning "id"
select * from "jobs" where "queue" = 'default' and (("reserved_at" is null and "available_at" <= 1717724953) or ("reserved_at" <= 1745318600)) order by "id" asc limit 1 for update skip locked
select * from "personal_access_tokens" where "personal_access_tokens"."id" = 8211 limit 1
select "migration" from "migrations" order by "batch" asc, "migration" asc
select max("batch") as aggregate from "migrations"
insert into "failed_jobs" ("uuid", "connection", "queue", "payload", "exception", "failed_at") values ('432030804-ab', 'database', 'default', '{}', 'Exception', '2025-04-10 12:31:45')
select * from "users" where "users"."id" = 17038 limit 1
select * from "users" where "email" = 'bob831@example.com' and "users"."deleted_at" is null limit 1
insert into "users" ("name", "email", "password", "updated_at", "created_at") values ('grace', 'carol591@example.com', '$2y$10$abc554', '2025-06-24 19:02:56', '2025-12-16 22:08:02') returning "id"
update "users" set "remember_token" = 'tok9791', "updated_at" = '2025-10-10 17:48:03' where "id" = 18585
select count(*) as aggregate from "posts" where "posts"."user_id" = 9184 and "posts"."deleted_at" is null
select * from "posts" where "posts"."user_id" in (58, 180, 227) and "posts"."deleted_at" is null
select * from "posts" where "published_at" is not null order by "published_at" desc limit 25 offset 195
select "tags".*, "post_tag"."post_id" as "pivot_post_id", "post_tag"."tag_id" as "pivot_tag_id" from "tags" inner join "post_tag" on "tags"."id" = "post_tag"."tag_id" where "post_tag"."post_id" in (650, 1426)
delete from "sessions" where "last_activity" <= 1740765076
select exists(select * from "users" where "email" = 'grace749@example.com') as "exists"
update "posts" set "deleted_at" = '2025-07-05 05:03:11', "updated_at" = '2025-07-20 08:26:03' where "id" = 8534
insert into "jobs" ("queue", "payload", "attempts", "reserved_at", "available_at", "created_at") values ('default', '{"job":"SendEmail"}', 0, null, 1708384194, 1700061500) returning "id"
select * from "jobs" where "queue" = 'default' and (("reserved_at" is null and "available_at" <= 1713838482) or ("reserved_at" <= 1748442050)) order by "id" asc limit 1 for update skip locked
select * from "personal_access_tokens" where "personal_access_tokens"."id" = 7082 limit 1
insert into "failed_jobs" ("uuid", "connection", "queue", "payload", "exception", "failed_at") values ('875038479-ab', 'database', 'default', '{}', 'Exception', '2025-09-21 12:41:17')
select * from "users" where "users"."id" = 6904 limit 1
select * from "users" where "email" = 'carol780@example.com' and "users"."deleted_at" is null limit 1
insert into "users" ("name", "email", "password", "updated_at", "created_at") values ('erin', 'grace104@example.com', '$2y$10$abc844', '2025-04-23 06:20:17', '2025-01-03 04:16:32') returning "id"
update "users" set "remember_token" = 'tok3845', "updated_at" = '2025-06-17 16:03:04' where "id" = 71218
select count(*) as aggregate from "posts" where "posts"."user_id" = 2610 and "posts"."deleted_at" is null
select * from "posts" where "posts"."user_id" in (42, 183, 279) and "posts"."deleted_at" is null
select * from "posts" where "published_at" is not null order by "published_at" desc limit 15 offset 105
select "tags".*, "post_tag"."post_id" as "pivot_post_id", "post_tag"."tag_id" as "pivot_tag_id" from "tags" inner join "post_tag" on "tags"."id" = "post_tag"."tag_id" where "post_tag"."post_id" in (668, 1073)
delete from "sessions" where "last_activity" <= 1709197147
select exists(select * from "users" where "email" = 'dave995@example.com') as "exists"
update "posts" set "deleted_at" = '2025-08-14 05:14:20', "updated_at" = '2025-09-14 13:22:39' where "id" = 4832
insert into "jobs" ("queue", "payload", "attempts", "reserved_at", "available_at", "created_at") values ('default', '{"job":"SendEmail"}', 0, null, 1705917679, 1704607942) returning "id"
select * from "jobs" where "queue" = 'default' and (("reserved_at" is null and "available_at" <= 1708457253) or ("reserved_at" <= 1733617953)) order by "id" asc limit 1 for update skip locked
select * from "personal_access_tokens" where "personal_access_tokens"."id" = 5280 limit 1
insert into "failed_jobs" ("uuid", "connection", "queue", "payload", "exception", "failed_at") values ('891331598-ab', 'database', 'default', '{}', 'Exception', '2025-11-01 05:43:19')
select * from "users" where "users"."id" = 28466 limit 1
select * from "users" where "email" = 'erin301@example.com' and "users"."deleted_at" is null limit 1
insert into "users" ("name", "email", "password", "updated_at", "created_at") values ('bob', 'erin309@example.com', '$2y$10$abc478', '2025-11-06 18:25:05', '2025-03-22 16:23:43') returning "id"
update "users" set "remember_token" = 'tok9474', "updated_at" = '2025-08-12 00:26:58' where "id" = 22354
select count(*) as aggregate from "posts" where "posts"."user_id" = 7972 and "posts"."deleted_at" is null
select * from "posts" where "posts"."user_id" in (16, 139, 286) and "posts"."deleted_at" is null
select * from "posts" where "published_at" is not null order by "published_at" desc limit 25 offset 255
select "tags".*, "post_tag"."post_id" as "pivot_post_id", "post_tag"."tag_id" as "pivot_tag_id" from "tags" inner join "post_tag" on "tags"."id" = "post_tag"."tag_id" where "post_tag"."post_id" in (233, 1797)
delete from "sessions" where "last_activity" <= 1730241042
select exists(select * from "users" where "email" = 'carol429@example.com') as "exists"
update "posts" set "deleted_at" = '2025-04-18 07:13:39', "updated_at" = '2025-05-01 14:55:06' where "id" = 6162
insert into "jobs" ("queue", "payload", "attempts", "reserved_at", "available_at", "created_at") values ('default', '{"job":"SendEmail"}', 0, null, 1745351404, 1755232112) returning "id"
select * from "jobs" where "queue" = 'default' and (("reserved_at" is null and "available_at" <= 1721860283) or ("reserved_at" <= 1739133589)) order by "id" asc limit 1 for update skip locked
select * from "personal_access_tokens" where "personal_access_tokens"."id" = 2383 limit 1
insert into "failed_jobs" ("uuid", "connection", "queue", "payload", "exception", "failed_at") values ('643168446-ab', 'database', 'default', '{}', 'Exception', '2025-07-19 10:38:14')
select * from "users" where "users"."id" = 26498 limit 1
select * from "users" where "email" = 'carol750@example.com' and "users"."deleted_at" is null limit 1
insert into "users" ("name", "email", "password", "updated_at", "created_at") values ('erin', 'erin22@example.com', '$2y$10$abc511', '2025-01-18 17:42:06', '2025-12-20 19:46:59') returning "id"
update "users" set "remember_token" = 'tok6682', "updated_at" = '2025-03-28 21:29:56' where "id" = 18022
select count(*) as aggregate from "posts" where "posts"."user_id" = 1373 and "posts"."deleted_at" is null
select * from "posts" where "posts"."user_id" in (16, 106, 225) and "posts"."deleted_at" is null
select * from "posts" where "published_at" is not null order by "published_at" desc limit 10 offset 180
select "tags".*, "post_tag"."post_id" as "pivot_post_id", "post_tag"."tag_id" as "pivot_tag_id" from "tags" inner join "post_tag" on "tags"."id" = "post_tag"."tag_id" where "post_tag"."post_id" in (842, 1990)
delete from "sessions" where "last_activity" <= 1725981013
select exists(select * from "users" where "email" = 'erin871@example.com') as "exists"
update "posts" set "deleted_at" = '2025-11-06 00:51:48', "updated_at" = '2025-02-21 13:56:58' where "id" = 733
insert into "jobs" ("queue", "payload", "attempts", "reserved_at", "available_at", "created_at") values ('default', '{"job":"SendEmail"}', 0, null, 1719619811, 1700750265) returning "id"
select * from "jobs" where "queue" = 'default' and (("reserved_at" is null and "available_at" <= 1738144893) or ("reserved_at" <= 1720581753)) order by "id" asc limit 1 for update skip locked
select * from "personal_access_tokens" where "personal_access_tokens"."id" = 5379 limit 1
insert into "failed_jobs" ("uuid", "connection", "queue", "payload", "exception", "failed_at") values ('235650081-ab', 'database', 'default', '{}', 'Exception', '2025-02-17 02:01:26')
select * from "users" where "users"."id" = 83301 limit 1
select * from "users" where "email" = 'erin431@example.com' and "users"."deleted_at" is null limit 1
insert into "users" ("name", "email", "password", "updated_at", "created_at") values ('erin', 'frank184@example.com', '$2y$10$abc317', '2025-04-26 13:07:21', '2025-04-18 18:20:27') returning "id"
update "users" set "remember_token" = 'tok5659', "updated_at" = '2025-09-14 08:28:30' where "id" = 88615
select count(*) as aggregate from "posts" where "posts"."user_id" = 9287 and "posts"."deleted_at" is null
select * from "posts" where "posts"."user_id" in (76, 137, 290) and "posts"."deleted_at" is null
select * from "posts" where "published_at" is not null order by "published_at" desc limit 25 offset 180
select "tags".*, "post_tag"."post_id" as "pivot_post_id", "post_tag"."tag_id" as "pivot_tag_id" from "tags" inner join "post_tag" on "tags"."id" = "post_tag"."tag_id" where "post_tag"."post_id" in (222, 1987)
delete from "sessions" where "last_activity" <= 1735760591
select exists(select * from "users" where "email" = 'erin718@example.com') as "exists"
update "posts" set "deleted_at" = '2025-03-02 18:50:59', "updated_at" = '2025-09-04 00:58:52' where "id" = 5852
insert into "jobs" ("queue", "payload", "attempts", "reserved_at", "available_at", "created_at") values ('default', '{"job":"SendEmail"}', 0, null, 1747136083, 1735586315) returning "id"
select * from "jobs" where "queue" = 'default' and (("reserved_at" is null and "available_at" <= 1723730983) or ("reserved_at" <= 1709140894)) order by "id" asc limit 1 for update skip locked
select * from "personal_access_tokens" where "personal_access_tokens"."id" = 9257 limit 1
insert into "failed_jobs" ("uuid", "connection", "queue", "payload", "exception", "failed_at") values ('476342158-ab', 'database', 'default', '{}', 'Exception', '2025-04-19 00:33:43')
select * from "users" where "users"."id" = 25786 limit 1
select * from "users" where "email" = 'dave566@example.com' and "users"."deleted_at" is null limit 1
insert into "users" ("name", "email", "password", "updated_at", "created_at") values ('frank', 'frank19@example.com', '$2y$10$abc499', '2025-07-28 00:03:16', '2025-09-12 20:02:17') returning "id"
update "users" set "remember_token" = 'tok7081', "updated_at" = '2025-12-03 13:24:50' where "id" = 40788
select count(*) as aggregate from "posts" where "posts"."user_id" = 5893 and "posts"."deleted_at" is null
select * from "posts" where "posts"."user_id" in (62, 153, 273) and "posts"."deleted_at" is null
select * from "posts" where "published_at" is not null order by "published_at" desc limit 15 offset 75
select "tags".*, "post_tag"."post_id" as "pivot_post_id", "post_tag"."tag_id" as "pivot_tag_id" from "tags" inner join "post_tag" on "tags"."id" = "post_tag"."tag_id" where "post_tag"."post_id" in (41, 1821)
delete from "sessions" where "last_activity" <= 1740193702
select exists(select * from "users" where "email" = 'alice430@example.com') as "exists"
update "posts" set "deleted_at" = '2025-10-20 06:43:33', "updated_at" = '2025-08-04 01:10:21' where "id" = 7406
insert into "jobs" ("queue", "payload", "attempts", "reserved_at", "available_at", "created_at") values ('default', '{"job":"SendEmail"}', 0, null, 1730425100, 1712211898) returning "id"
select * from "jobs" where "queue" = 'default' and (("reserved_at" is null and "available_at" <= 1731805608) or ("reserved_at" <= 1710377548)) order by "id" asc limit 1 for update skip locked
select * from "personal_access_tokens" where "personal_access_tokens"."id" = 2954 limit 1
insert into "failed_jobs" ("uuid", "connection", "queue", "payload", "exception", "failed_at") values ('911153341-ab', 'database', 'default', '{}', 'Exception', '2025-08-18 08:18:11')
select * from "users" where "users"."id" = 45563 limit 1
select * from "users" where "email" = 'bob316@example.com' and "users"."deleted_at" is null limit 1
insert into "users" ("name", "email", "password", "updated_at", "created_at") values ('carol', 'grace689@example.com', '$2y$10$abc921', '2025-04-13 14:53:53', '2025-09-16 18:41:00') returning "id"
update "users" set "remember_token" = 'tok2460', "updated_at" = '2025-02-17 07:01:32' where "id" = 43165
select count(*) as aggregate from "posts" where "posts"."user_id" = 7258 and "posts"."deleted_at" is null
select * from "posts" where "posts"."user_id" in (22, 106, 220) and "posts"."deleted_at" is null
select * from "posts" where "published_at" is not null order by "published_at" desc limit 15 offset 135
select "tags".*, "post_tag"."post_id" as "pivot_post_id", "post_tag"."tag_id" as "pivot_tag_id" from "tags" inner join "post_tag" on "tags"."id" = "post_tag"."tag_id" where "post_tag"."post_id" in (865, 1751)
delete from "sessions" where "last_activity" <= 1705959788
select exists(select * from "users" where "email" = 'grace633@example.com') as "exists"
update "posts" set "deleted_at" = '2025-03-09 15:23:20', "updated_at" = '2025-01-10 17:38:38' where "id" = 9125
insert into "jobs" ("queue", "payload", "attempts", "reserved_at", "available_at", "created_at") values ('default', '{"job":"SendEmail"}', 0, null, 1757428305, 1725587700) returning "id"
select * from "jobs" where "queue" = 'default' and (("reserved_at" is null and "available_at" <= 1754821762) or ("reserved_at" <= 1703966575)) order by "id" asc limit 1 for update skip locked
select * from "personal_access_tokens" where "personal_access_tokens"."id" = 5793 limit 1
insert into "failed_jobs" ("uuid", "connection", "queue", "payload", "exception", "failed_at") values ('421432603-ab', 'database', 'default', '{}', 'Exception', '2025-09-27 14:51:23')
select * from "users" where "users"."id" = 39222 limit 1
select * from "users" where "email" = 'heidi631@example.com' and "users"."deleted_at" is null limit 1
insert into "users" ("name", "email", "password", "updated_at", "created_at") values ('dave', 'heidi40@example.com', '$2y$10$abc135', '2025-09-04 15:01:55', '2025-12-05 06:16:57') returning "id"
update "users" set "remember_token" = 'tok6749', "updated_at" = '2025-01-01 14:51:40' where "id" = 68845
select count(*) as aggregate from "posts" where "posts"."user_id" = 1707 and "posts"."deleted_at" is null
select * from "posts" where "posts"."user_id" in (65, 100, 260) and "posts"."deleted_at" is null
select * from "posts" where "published_at" is not null order by "published_at" desc limit 25 offset 120
select "tags".*, "post_tag"."post_id" as "pivot_post_id", "post_tag"."tag_id" as "pivot_tag_id" from "tags" inner join "post_tag" on "tags"."id" = "post_tag"."tag_id" where "post_tag"."post_id" in (563, 1422)
delete from "sessions" where "last_activity" <= 1734840705
select exists(select * from "users" where "email" = 'grace234@example.com') as "exists"
update "posts" set "deleted_at" = '2025-04-18 05:52:52', "updated_at" = '2025-11-11 00:26:33' where "id" = 5039
insert into "jobs" ("queue", "payload", "attempts", "reserved_at", "available_at", "created_at") values ('default', '{"job":"SendEmail"}', 0, null, 1702732254, 1726387929) returning "id"
select * from "jobs" where "queue" = 'default' and (("reserved_at" is null and "available_at" <= 1726735021) or ("reserved_at" <= 1709432298)) order by "id" asc limit 1 for update skip locked
select * from "personal_access_tokens" where "personal_access_tokens"."id" = 8838 limit 1
insert into "failed_jobs" ("uuid", "connection", "queue", "payload", "exception", "failed_at") values ('457758694-ab', 'database', 'default', '{}', 'Exception', '2025-04-12 22:44:35')
select * from "users" where "users"."id" = 31698 limit 1
select * from "users" where "email" = 'grace821@example.com' and "users"."deleted_at" is null limit 1
insert into "users" ("name", "email", "password", "updated_at", "created_at") values ('bob', 'bob98@example.com', '$2y$10$abc658', '2025-03-06 19:39:59', '2025-02-02 06:21:47') returning "id"
update "users" set "remember_token" = 'tok1474', "updated_at" = '2025-12-09 06:45:41' where "id" = 96213
select count(*) as aggregate from "posts" where "posts"."user_id" = 4558 and "posts"."deleted_at" is null
select * from "posts" where "posts"."user_id" in (35, 135, 210) and "posts"."deleted_at" is null
select * from "posts" where "published_at" is not null order by "published_at" desc limit 10 offset 15
select "tags".*, "post_tag"."post_id" as "pivot_post_id", "post_tag"."tag_id" as "pivot_tag_id" from "tags" inner join "post_tag" on "tags"."id" = "post_tag"."tag_id" where "post_tag"."post_id" in (474, 1397)
delete from "sessions" where "last_activity" <= 1704019033
select exists(select * from "users" where "email" = 'bob212@example.com') as "exists"
update "posts" set "deleted_at" = '2025-12-07 21:04:26', "updated_at" = '2025-09-07 13:07:01' where "id" = 1183
insert into "jobs" ("queue", "payload", "attempts", "reserved_at", "available_at", "created_at") values ('default', '{"job":"SendEmail"}', 0, null, 1758862746, 1721996995) returning "id"
select * from "jobs" where "queue" = 'default' and (("reserved_at" is null and "available_at" <= 1707965344) or ("reserved_at" <= 1747285219)) order by "id" asc limit 1 for update skip locked
select * from "personal_access_tokens" where "personal_access_tokens"."id" = 8859 limit 1
insert into "failed_jobs" ("uuid", "connection", "queue", "payload", "exception", "failed_at") values ('805109745-ab', 'database', 'default', '{}', 'Exception', '2025-04-13 10:26:29')
select * from "users" where "users"."id" = 67197 limit 1
select * from "users" where "email" = 'frank838@example.com' and "users"."deleted_at" is null limit 1
insert into "users" ("name", "email", "password", "updated_at", "created_at") values ('dave', 'erin235@example.com', '$2y$10$abc906', '2025-01-26 21:09:13', '2025-02-18 11:06:18') returning "id"
update "users" set "remember_token" = 'tok9653', "updated_at" = '2025-04-24 10:29:01' where "id" = 16855
select count(*) as aggregate from "posts" where "posts"."user_id" = 4317 and "posts"."deleted_at" is null
select * from "posts" where "posts"."user_id" in (84, 119, 231) and "posts"."deleted_at" is null
select * from "posts" where "published_at" is not null order by "published_at" desc limit 15 offset 60
select "tags".*, "post_tag"."post_id" as "pivot_post_id", "post_tag"."tag_id" as "pivot_tag_id" from "tags" inner join "post_tag" on "tags"."id" = "post_tag"."tag_id" where "post_tag"."post_id" in (899, 1113)
delete from "sessions" where "last_activity" <= 1708380124
select exists(select * from "users" where "email" = 'dave759@example.com') as "exists"
update "posts" set "deleted_at" = '2025-02-08 02:43:35', "updated_at" = '2025-05-23 11:43:19' where "id" = 1628
insert into "jobs" ("queue", "payload", "attempts", "reserved_at", "available_at", "created_at") values ('default', '{"job":"SendEmail"}', 0, null, 1705950065, 1720958468) returning "id"
select * from "jobs" where "queue" = 'default' and (("reserved_at" is null and "available_at" <= 1742609742) or ("reserved_at" <= 1701910666)) order by "id" asc limit 1 for update skip locked
select * from "personal_access_tokens" where "personal_access_tokens"."id" = 8940 limit 1
insert into "failed_jobs" ("uuid", "connection", "queue", "payload", "exception", "failed_at") values ('954783140-ab', 'database', 'default', '{}', 'Exception', '2025-07-03 10:46:01')
select * from "users" where "users"."id" = 58102 limit 1
select * from "users" where "email" = 'erin342@example.com' and "users"."deleted_at" is null limit 1
insert into "users" ("name", "email", "password", "updated_at", "created_at") values ('alice', 'grace524@example.com', '$2y$10$abc137', '2025-06-14 02:33:03', '2025-05-14 19:43:02') returning "id"
update "users" set "remember_token" = 'tok5164', "updated_at" = '2025-02-20 03:50:22' where "id" = 90359
select count(*) as aggregate from "posts" where "posts"."user_id" = 5399 and "posts"."deleted_at" is null
select * from "posts" where "posts"."user_id" in (26, 173, 272) and "posts"."deleted_at" is null
select * from "posts" where "published_at" is not null order by "published_at" desc limit 10 offset 75
select "tags".*, "post_tag"."post_id" as "pivot_post_id", "post_tag"."tag_id" as "pivot_tag_id" from "tags" inner join "post_tag" on "tags"."id" = "post_tag"."tag_id" where "post_tag"."post_id" in (403, 1924)
delete from "sessions" where "last_activity" <= 1702158985
select exists(select * from "users" where "email" = 'alice807@example.com') as "exists"
update "posts" set "deleted_at" = '2025-02-19 16:25:00', "updated_at" = '2025-03-14 10:28:34' where "id" = 6086
insert into "jobs" ("queue", "payload", "attempts", "reserved_at", "available_at", "created_at") values ('default', '{"job":"SendEmail"}', 0, null, 1742616647, 1734554334) returning "id"
select * from "jobs" where "queue" = 'default' and (("reserved_at" is null and "available_at" <= 1752423000) or ("reserved_at" <= 1705786269)) order by "id" asc limit 1 for update skip locked
select * from "personal_access_tokens" where "personal_access_tokens"."id" = 4659 limit 1
insert into "failed_jobs" ("uuid", "connection", "queue", "payload", "exception", "failed_at") values ('996320173-ab', 'database', 'default', '{}', 'Exception', '2025-09-22 03:07:44')
select * from "users" where "users"."id" = 61565 limit 1
select * from "users" where "email" = 'alice513@example.com' and "users"."deleted_at" is null limit 1
insert into "users" ("name", "email", "password", "updated_at", "created_at") values ('carol', 'grace475@example.com', '$2y$10$abc684', '2025-12-13 03:15:17', '2025-03-22 03:58:11') returning "id"
update "users" set "remember_token" = 'tok3853', "updated_at" = '2025-04-08 00:49:13' where "id" = 32268
select count(*) as aggregate from "posts" where "posts"."user_id" = 2516 and "posts"."deleted_at" is null
select * from "posts" where "posts"."user_id" in (41, 188, 280) and "posts"."deleted_at" is null
select * from "posts" where "published_at" is not null order by "published_at" desc limit 15 offset 90
select "tags".*, "post_tag"."post_id" as "pivot_post_id", "post_tag"."tag_id" as "pivot_tag_id" from "tags" inner join "post_tag" on "tags"."id" = "post_tag"."tag_id" where "post_tag"."post_id" in (552, 1566)
delete from "sessions" where "last_activity" <= 1758952051
select exists(select * from "users" where "email" = 'erin323@example.com') as "exists"
update "posts" set "deleted_at" = '2025-10-03 07:11:33', "updated_at" = '2025-10-23 22:56:38' where "id" = 9276
insert into "jobs" ("queue", "payload", "attempts", "reserved_at", "available_at", "created_at") values ('default', '{"job":"SendEmail"}', 0, null, 1729252299, 1727933765) returning "id"
select * from "jobs" where "queue" = 'default' and (("reserved_at" is null and "available_at" <= 1741357927) or ("reserved_at" <= 1737349489)) order by "id" asc limit 1 for update skip locked
select * from "personal_access_tokens" where "personal_access_tokens"."id" = 1469 limit 1
insert into "failed_jobs" ("uuid", "connection", "queue", "payload", "exception", "failed_at") values ('796638720-ab', 'database', 'default', '{}', 'Exception', '2025-10-05 18:03:57')
select * from "users" where "users"."id" = 78356 limit 1
select * from "users" where "email" = 'heidi820@example.com' and "users"."deleted_at" is null limit 1
insert into "users" ("name", "email", "password", "updated_at", "created_at") values ('bob', 'alice740@example.com', '$2y$10$abc765', '2025-05-03 08:07:14', '2025-01-25 09:05:47') returning "id"
update "users" set "remember_token" = 'tok2138', "updated_at" = '2025-05-24 02:54:18' where "id" = 67533
select count(*) as aggregate from "posts" where "posts"."user_id" = 1617 and "posts"."deleted_at" is null
select * from "posts" where "posts"."user_id" in (71, 100, 201) and "posts"."deleted_at" is null
select "tags".*, "post_tag"."post_id" as "pivot_post_id", "post_tag"."tag_id" as "pivot_tag_id" from "tags" inner join "post_tag" on "tags"."id" = "post_tag"."tag_id" where "post_tag"."post_id" in (613, 1608)
delete from "sessions" where "last_activity" <= 1729458221
select exists(select * from "users" where "email" = 'erin832@example.com') as "exists"
update "posts" set "deleted_at" = '2025-08-04 13:53:13', "updated_at" = '2025-10-15 00:03:45' where "id" = 5291
insert into "jobs" ("queue", "payload", "attempts", "reserved_at", "available_at", "created_at") values ('default', '{"job":"SendEmail"}', 0, null, 1711426796, 1713884168) returning "id"
select * from "jobs" where "queue" = 'default' and (("reserved_at" is null and "available_at" <= 1746942014) or ("reserved_at" <= 1741276156)) order by "id" asc limit 1 for update skip locked
select * from "personal_access_tokens" where "personal_access_tokens"."id" = 4303 limit 1
insert into "failed_jobs" ("uuid", "connection", "queue", "payload", "exception", "failed_at") values ('169376101-ab', 'database', 'default', '{}', 'Exception', '2025-05-15 23:05:52')
select * from "users" where "users"."id" = 73484 limit 1
select * from "users" where "email" = 'erin525@example.com' and "users"."deleted_at" is null limit 1
insert into "users" ("name", "email", "password", "updated_at", "created_at") values ('alice', 'heidi826@example.com', '$2y$10$abc400', '2025-05-15 14:24:10', '2025-05-06 02:32:56') returning "id"
update "users" set "remember_token" = 'tok2984', "updated_at" = '2025-08-08 21:46:24' where "id" = 72144
select count(*) as aggregate from "posts" where "posts"."user_id" = 765 and "posts"."deleted_at" is null
select * from "posts" where "posts"."user_id" in (11, 130, 278) and "posts"."deleted_at" is null
select "tags".*, "post_tag"."post_id" as "pivot_post_id", "post_tag"."tag_id" as "pivot_tag_id" from "tags" inner join "post_tag" on "tags"."id" = "post_tag"."tag_id" where "post_tag"."post_id" in (772, 1564)
delete from "sessions" where "last_activity" <= 1724631104
select exists(select * from "users" where "email" = 'grace290@example.com') as "exists"
update "posts" set "deleted_at" = '2025-08-15 18:51:19', "updated_at" = '2025-04-05 19:37:43' where "id" = 6887
insert into "jobs" ("queue", "payload", "attempts", "reserved_at", "available_at", "created_at") values ('default', '{"job":"SendEmail"}', 0, null, 1702726698, 1718639923) returning "id"
select * from "jobs" where "queue" = 'default' and (("reserved_at" is null and "available_at" <= 1745150906) or ("reserved_at" <= 1708182604)) order by "id" asc limit 1 for update skip locked
select * from "personal_access_tokens" where "personal_access_tokens"."id" = 2899 limit 1
insert into "failed_jobs" ("uuid", "connection", "queue", "payload", "exception", "failed_at") values ('702700499-ab', 'database', 'default', '{}', 'Exception', '2025-09-05 07:42:46')
select * from "users" where "users"."id" = 57179 limit 1
select * from "users" where "email" = 'dave522@example.com' and "users"."deleted_at" is null limit 1
insert into "users" ("name", "email", "password", "updated_at", "created_at") values ('alice', 'erin959@example.com', '$2y$10$abc158', '2025-04-02 10:53:46', '2025-10-07 11:11:21') returning "id"
update "users" set "remember_token" = 'tok4039', "updated_at" = '2025-07-23 06:27:24' where "id" = 58306
select count(*) as aggregate from "posts" where "posts"."user_id" = 6507 and "posts"."deleted_at" is null
select * from "posts" where "posts"."user_id" in (16, 147, 217) and "posts"."deleted_at" is null
select * from "posts" where "published_at" is not null order by "published_at" desc limit 10 offset 90
select "tags".*, "post_tag"."post_id" as "pivot_post_id", "post_tag"."tag_id" as "pivot_tag_id" from "tags" inner join "post_tag" on "tags"."id" = "post_tag"."tag_id" where "post_tag"."post_id" in (786, 1108)
delete from "sessions" where "last_activity" <= 1720911101
select exists(select * from "users" where "email" = 'carol44@example.com') as "exists"
update "posts" set "deleted_at" = '2025-06-21 10:57:57', "updated_at" = '2025-12-08 01:56:01' where "id" = 6913
insert into "jobs" ("queue", "payload", "attempts", "reserved_at", "available_at", "created_at") values ('default', '{"job":"SendEmail"}', 0, null, 1735089982, 1729095963) returning "id"
select * from "jobs" where "queue" = 'default' and (("reserved_at" is null and "available_at" <= 1748382841) or ("reserved_at" <= 1719011725)) order by "id" asc limit 1 for update skip locked
select * from "personal_access_tokens" where "personal_access_tokens"."id" = 2616 limit 1
insert into "failed_jobs" ("uuid", "connection", "queue", "payload", "exception", "failed_at") values ('858365660-ab', 'database', 'default', '{}', 'Exception', '2025-07-03 20:57:44')
select * from "users" where "users"."id" = 33541 limit 1
select * from "users" where "email" = 'alice145@example.com' and "users"."deleted_at" is null limit 1
insert into "users" ("name", "email", "password", "updated_at", "created_at") values ('carol', 'dave311@example.com', '$2y$10$abc602', '2025-09-06 04:00:41', '2025-10-18 13:41:55') returning "id"
update "users" set "remember_token" = 'tok3452', "updated_at" = '2025-04-07 04:30:40' where "id" = 95593
select count(*) as aggregate from "posts" where "posts"."user_id" = 9577 and "posts"."deleted_at" is null
select * from "posts" where "posts"."user_id" in (63, 181, 277) and "posts"."deleted_at" is null
select * from "posts" where "published_at" is not null order by "published_at" desc limit 15 offset 0
select "tags".*, "post_tag"."post_id" as "pivot_post_id", "post_tag"."tag_id" as "pivot_tag_id" from "tags" inner join "post_tag" on "tags"."id" = "post_tag"."tag_id" where "post_tag"."post_id" in (318, 1823)
delete from "sessions" where "last_activity" <= 1739470089
select exists(select * from "users" where "email" = 'frank89@example.com') as "exists"
update "posts" set "deleted_at" = '2025-04-11 04:29:47', "updated_at" = '2025-12-09 21:43:07' where "id" = 9603
insert into "jobs" ("queue", "payload", "attempts", "reserved_at", "available_at", "created_at") values ('default', '{"job":"SendEmail"}', 0, null, 1709557826, 1729829105) returning "id"
select * from "jobs" where "queue" = 'default' and (("reserved_at" is null and "available_at" <= 1727380591) or ("reserved_at" <= 1712240639)) order by "id" asc limit 1 for update skip locked
select * from "personal_access_tokens" where "personal_access_tokens"."id" = 422 limit 1
insert into "failed_jobs" ("uuid", "connection", "queue", "payload", "exception", "failed_at") values ('970155318-ab', 'database', 'default', '{}', 'Exception', '2025-11-16 02:45:10')
select * from "users" where "users"."id" = 29763 limit 1
select * from "users" where "email" = 'bob802@example.com' and "users"."deleted_at" is null limit 1
insert into "users" ("name", "email", "password", "updated_at", "created_at") values ('bob', 'frank949@example.com', '$2y$10$abc492', '2025-04-19 07:58:59', '2025-04-26 21:25:51') returning "id"
update "users" set "remember_token" = 'tok1223', "updated_at" = '2025-07-05 19:21:43' where "id" = 7878
select count(*) as aggregate from "posts" where "posts"."user_id" = 2337 and "posts"."deleted_at" is null
select * from "posts" where "posts"."user_id" in (23, 129, 263) and "posts"."deleted_at" is null
select * from "posts" where "published_at" is not null order by "published_at" desc limit 10 offset 300
select "tags".*, "post_tag"."post_id" as "pivot_post_id", "post_tag"."tag_id" as "pivot_tag_id" from "tags" inner join "post_tag" on "tags"."id" = "post_tag"."tag_id" where "post_tag"."post_id" in (439, 1606)
delete from "sessions" where "last_activity" <= 1738859289
select exists(select * from "users" where "email" = 'bob303@example.com') as "exists"
update "posts" set "deleted_at" = '2025-10-24 11:43:30', "updated_at" = '2025-12-03 00:16:46' where "id" = 9314
insert into "jobs" ("queue", "payload", "attempts", "reserved_at", "available_at", "created_at") values ('default', '{"job":"SendEmail"}', 0, null, 1758004983, 1718438455) returning "id"
select * from "jobs" where "queue" = 'default' and (("reserved_at" is null and "available_at" <= 1755262782) or ("reserved_at" <= 1710227423)) order by "id" asc limit 1 for update skip locked
select * from "personal_access_tokens" where "personal_access_tokens"."id" = 7734 limit 1
insert into "failed_jobs" ("uuid", "connection", "queue", "payload", "exception", "failed_at") values ('503185632-ab', 'database', 'default', '{}', 'Exception', '2025-09-26 13:42:40')
select * from "users" where "users"."id" = 16445 limit 1
select * from "users" where "email" = 'frank334@example.com' and "users"."deleted_at" is null limit 1
insert into "users" ("name", "email", "password", "updated_at", "created_at") values ('carol', 'erin600@example.com', '$2y$10$abc610', '2025-11-09 23:31:08', '2025-07-24 01:27:54') returning "id"
update "users" set "remember_token" = 'tok8634', "updated_at" = '2025-11-23 16:30:16' where "id" = 67210
select count(*) as aggregate from "posts" where "posts"."user_id" = 8187 and "posts"."deleted_at" is null
select * from "posts" where "posts"."user_id" in (42, 139, 259) and "posts"."deleted_at" is null
select * from "posts" where "published_at" is not null order by "published_at" desc limit 15 offset 240
select "tags".*, "post_tag"."post_id" as "pivot_post_id", "post_tag"."tag_id" as "pivot_tag_id" from "tags" inner join "post_tag" on "tags"."id" = "post_tag"."tag_id" where "post_tag"."post_id" in (742, 1549)
delete from "sessions" where "last_activity" <= 1754196232
select exists(select * from "users" where "email" = 'grace306@example.com') as "exists"
update "posts" set "deleted_at" = '2025-02-20 03:47:45', "updated_at" = '2025-10-24 05:26:44' where "id" = 7220
insert into "jobs" ("queue", "payload", "attempts", "reserved_at", "available_at", "created_at") values ('default', '{"job":"SendEmail"}', 0, null, 1738766100, 1744007013) returning "id"
select * from "jobs" where "queue" = 'default' and (("reserved_at" is null and "available_at" <= 1751259930) or ("reserved_at" <= 1727093031)) order by "id" asc limit 1 for update skip locked
select * from "personal_access_tokens" where "personal_access_tokens"."id" = 8497 limit 1
insert into "failed_jobs" ("uuid", "connection", "queue", "payload", "exception", "failed_at") values ('746431013-ab', 'database', 'default', '{}', 'Exception', '2025-08-11 04:37:02')
select * from "users" where "users"."id" = 21541 limit 1
select * from "users" where "email" = 'dave673@example.com' and "users"."deleted_at" is null limit 1
insert into "users" ("name", "email", "password", "updated_at", "created_at") values ('grace', 'carol704@example.com', '$2y$10$abc462', '2025-02-19 21:55:38', '2025-11-23 00:59:26') returning "id"
update "users" set "remember_token" = 'tok3571', "updated_at" = '2025-02-28 05:52:36' where "id" = 75105
select count(*) as aggregate from "posts" where "posts"."user_id" = 1583 and "posts"."deleted_at" is null
select * from "posts" where "posts"."user_id" in (12, 197, 277) and "posts"."deleted_at" is null
select * from "posts" where "published_at" is not null order by "published_at" desc limit 10 offset 255
select "tags".*, "post_tag"."post_id" as "pivot_post_id", "post_tag"."tag_id" as "pivot_tag_id" from "tags" inner join "post_tag" on "tags"."id" = "post_tag"."tag_id" where "post_tag"."post_id" in (864, 1871)
delete from "sessions" where "last_activity" <= 1735145836
select exists(select * from "users" where "email" = 'bob27@example.com') as "exists"
update "posts" set "deleted_at" = '2025-12-20 05:04:34', "updated_at" = '2025-04-13 19:04:39' where "id" = 1711
insert into "jobs" ("queue", "payload", "attempts", "reserved_at", "available_at", "created_at") values ('default', '{"job":"SendEmail"}', 0, null, 1723100284, 1743891892) returning "id"
select * from "jobs" where "queue" = 'default' and (("reserved_at" is null and "available_at" <= 1739517443) or ("reserved_at" <= 1737416034)) order by "id" asc limit 1 for update skip locked
select * from "personal_access_tokens" where "personal_access_tokens"."id" = 2276 limit 1
insert into "failed_jobs" ("uuid", "connection", "queue", "payload", "exception", "failed_at") values ('915980907-ab', 'database', 'default', '{}', 'Exception', '2025-04-26 14:44:13')
