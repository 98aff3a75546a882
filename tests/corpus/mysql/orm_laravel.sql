-- Statement shapes the Laravel Eloquent query builder emits on MySQL/MariaDB (backquoted names,
-- pagination, eager loading with IN lists, soft deletes, the database queue driver).
select * from `users` where `users`.`id` = 75651 limit 1
select * from `users` where `email` = 'grace699@example.com' and `users`.`deleted_at` is null limit 1
insert into `users` (`name`, `email`, `password`, `updated_at`, `created_at`) values ('heidi', 'carol346@example.com', '$2y$10$x479', '2025-06-18 13:47:26', '2025-07-01 00:44:18')
update `users` set `remember_token` = 't8734', `users`.`updated_at` = '2025-11-12 23:05:20' where `id` = 78181
select count(*) as aggregate from `posts` where `posts`.`user_id` = 401 and `posts`.`deleted_at` is null
select * from `posts` where `posts`.`user_id` in (36, 180, 244) and `posts`.`deleted_at` is null
select * from `posts` where `published_at` is not null order by `published_at` desc limit 25 offset 240
select `tags`.*, `post_tag`.`post_id` as `pivot_post_id`, `post_tag`.`tag_id` as `pivot_tag_id` from `tags` inner join `post_tag` on `tags`.`id` = `post_tag`.`tag_id` where `post_tag`.`post_id` in (898, 1482)
delete from `sessions` where `last_activity` <= 1712009731
select exists(select * from `users` where `email` = 'heidi292@example.com') as `exists`
update `posts` set `deleted_at` = '2025-05-16 13:29:21', `posts`.`updated_at` = '2025-02-07 03:31:00' where `id` = 8751
insert into `jobs` (`queue`, `attempts`, `reserved_at`, `available_at`, `created_at`, `payload`) values ('default', 0, null, 1711638378, 1716433797, '{"job":"x"}')
select * from `jobs` where `queue` = 'default' and ((`reserved_at` is null and `available_at` <= 1737119169) or (`reserved_at` <= 1758883769)) order by `id` asc limit 1 for update skip locked
select `migration` from `migrations` order by `batch` asc, `migration` asc
select * from `cache` where `key` = 'laravel_cache:k1043' limit 1
insert into `cache` (`key`, `value`, `expiration`) values ('laravel_cache:k600', 's:1:"x";', 1701980816) on duplicate key update `value` = values(`value`), `expiration` = values(`expiration`)
select * from `password_reset_tokens` where `email` = 'carol911@example.com' limit 1
select * from `users` where `users`.`id` = 9373 limit 1
select * from `users` where `email` = 'frank678@example.com' and `users`.`deleted_at` is null limit 1
insert into `users` (`name`, `email`, `password`, `updated_at`, `created_at`) values ('alice', 'frank412@example.com', '$2y$10$x831', '2025-02-06 16:38:56', '2025-01-05 03:52:09')
update `users` set `remember_token` = 't1537', `users`.`updated_at` = '2025-04-19 08:04:17' where `id` = 88795
select count(*) as aggregate from `posts` where `posts`.`user_id` = 8586 and `posts`.`deleted_at` is null
select * from `posts` where `posts`.`user_id` in (31, 198, 293) and `posts`.`deleted_at` is null
select * from `posts` where `published_at` is not null order by `published_at` desc limit 15 offset 165
select `tags`.*, `post_tag`.`post_id` as `pivot_post_id`, `post_tag`.`tag_id` as `pivot_tag_id` from `tags` inner join `post_tag` on `tags`.`id` = `post_tag`.`tag_id` where `post_tag`.`post_id` in (879, 1151)
delete from `sessions` where `last_activity` <= 1737826557
select exists(select * from `users` where `email` = 'erin388@example.com') as `exists`
update `posts` set `deleted_at` = '2025-01-05 00:35:36', `posts`.`updated_at` = '2025-11-07 22:11:43' where `id` = 5872
insert into `jobs` (`queue`, `attempts`, `reserved_at`, `available_at`, `created_at`, `payload`) values ('default', 0, null, 1701729580, 1748131719, '{"job":"x"}')
select * from `jobs` where `queue` = 'default' and ((`reserved_at` is null and `available_at` <= 1738428966) or (`reserved_at` <= 1704776880)) order by `id` asc limit 1 for update skip locked
select * from `cache` where `key` = 'laravel_cache:k706' limit 1
insert into `cache` (`key`, `value`, `expiration`) values ('laravel_cache:k7401', 's:1:"x";', 1729299806) on duplicate key update `value` = values(`value`), `expiration` = values(`expiration`)
select * from `password_reset_tokens` where `email` = 'erin490@example.com' limit 1
select * from `users` where `users`.`id` = 25722 limit 1
select * from `users` where `email` = 'alice29@example.com' and `users`.`deleted_at` is null limit 1
insert into `users` (`name`, `email`, `password`, `updated_at`, `created_at`) values ('dave', 'alice646@example.com', '$2y$10$x241', '2025-03-07 23:57:57', '2025-07-20 07:23:41')
update `users` set `remember_token` = 't7668', `users`.`updated_at` = '2025-04-18 16:11:19' where `id` = 85755
select count(*) as aggregate from `posts` where `posts`.`user_id` = 3549 and `posts`.`deleted_at` is null
select * from `posts` where `posts`.`user_id` in (68, 151, 225) and `posts`.`deleted_at` is null
select * from `posts` where `published_at` is not null order by `published_at` desc limit 15 offset 225
select `tags`.*, `post_tag`.`post_id` as `pivot_post_id`, `post_tag`.`tag_id` as `pivot_tag_id` from `tags` inner join `post_tag` on `tags`.`id` = `post_tag`.`tag_id` where `post_tag`.`post_id` in (816, 1984)
delete from `sessions` where `last_activity` <= 1747758858
select exists(select * from `users` where `email` = 'bob948@example.com') as `exists`
update `posts` set `deleted_at` = '2025-11-22 23:40:12', `posts`.`updated_at` = '2025-02-25 08:19:54' where `id` = 72
insert into `jobs` (`queue`, `attempts`, `reserved_at`, `available_at`, `created_at`, `payload`) values ('default', 0, null, 1737695718, 1735028441, '{"job":"x"}')
select * from `jobs` where `queue` = 'default' and ((`reserved_at` is null and `available_at` <= 1726148203) or (`reserved_at` <= 1730674688)) order by `id` asc limit 1 for update skip locked
select * from `cache` where `key` = 'laravel_cache:k2806' limit 1
insert into `cache` (`key`, `value`, `expiration`) values ('laravel_cache:k3743', 's:1:"x";', 1704885379) on duplicate key update `value` = values(`value`), `expiration` = values(`expiration`)
select * from `password_reset_tokens` where `email` = 'heidi869@example.com' limit 1
select * from `users` where `users`.`id` = 97676 limit 1
select * from `users` where `email` = 'erin532@example.com' and `users`.`deleted_at` is null limit 1
insert into `users` (`name`, `email`, `password`, `updated_at`, `created_at`) values ('grace', 'dave881@example.com', '$2y$10$x154', '2025-04-10 02:31:08', '2025-04-05 21:13:17')
update `users` set `remember_token` = 't8282', `users`.`updated_at` = '2025-08-15 19:43:40' where `id` = 95761
select count(*) as aggregate from `posts` where `posts`.`user_id` = 5014 and `posts`.`deleted_at` is null
select * from `posts` where `posts`.`user_id` in (97, 129, 244) and `posts`.`deleted_at` is null
select * from `posts` where `published_at` is not null order by `published_at` desc limit 25 offset 270
select `tags`.*, `post_tag`.`post_id` as `pivot_post_id`, `post_tag`.`tag_id` as `pivot_tag_id` from `tags` inner join `post_tag` on `tags`.`id` = `post_tag`.`tag_id` where `post_tag`.`post_id` in (538, 1560)
delete from `sessions` where `last_activity` <= 1744828536
select exists(select * from `users` where `email` = 'grace902@example.com') as `exists`
update `posts` set `deleted_at` = '2025-09-13 14:00:34', `posts`.`updated_at` = '2025-11-02 12:55:57' where `id` = 9242
insert into `jobs` (`queue`, `attempts`, `reserved_at`, `available_at`, `created_at`, `payload`) values ('default', 0, null, 1720637536, 1704536884, '{"job":"x"}')
select * from `jobs` where `queue` = 'default' and ((`reserved_at` is null and `available_at` <= 1719279754) or (`reserved_at` <= 1731932559)) order by `id` asc limit 1 for update skip locked
select * from `cache` where `key` = 'laravel_cache:k5342' limit 1
insert into `cache` (`key`, `value`, `expiration`) values ('laravel_cache:k4249', 's:1:"x";', 1732793040) on duplicate key update `value` = values(`value`), `expiration` = values(`expiration`)
select * from `password_reset_tokens` where `email` = 'carol812@example.com' limit 1
select * from `users` where `users`.`id` = 68729 limit 1
select * from `users` where `email` = 'alice817@example.com' and `users`.`deleted_at` is null limit 1
insert into `users` (`name`, `email`, `password`, `updated_at`, `created_at`) values ('frank', 'bob133@example.com', '$2y$10$x551', '2025-11-16 09:04:07', '2025-10-22 10:20:00')
update `users` set `remember_token` = 't3661', `users`.`updated_at` = '2025-02-17 18:00:55' where `id` = 16946
select count(*) as aggregate from `posts` where `posts`.`user_id` = 3189 and `posts`.`deleted_at` is null
select * from `posts` where `posts`.`user_id` in (51, 125, 206) and `posts`.`deleted_at` is null
select * from `posts` where `published_at` is not null order by `published_at` desc limit 15 offset 300
select `tags`.*, `post_tag`.`post_id` as `pivot_post_id`, `post_tag`.`tag_id` as `pivot_tag_id` from `tags` inner join `post_tag` on `tags`.`id` = `post_tag`.`tag_id` where `post_tag`.`post_id` in (795, 1577)
delete from `sessions` where `last_activity` <= 1731854947
select exists(select * from `users` where `email` = 'frank602@example.com') as `exists`
update `posts` set `deleted_at` = '2025-08-03 20:58:18', `posts`.`updated_at` = '2025-06-18 10:37:23' where `id` = 1379
insert into `jobs` (`queue`, `attempts`, `reserved_at`, `available_at`, `created_at`, `payload`) values ('default', 0, null, 1744875471, 1757926888, '{"job":"x"}')
select * from `jobs` where `queue` = 'default' and ((`reserved_at` is null and `available_at` <= 1705226454) or (`reserved_at` <= 1758564266)) order by `id` asc limit 1 for update skip locked
select * from `cache` where `key` = 'laravel_cache:k2668' limit 1
insert into `cache` (`key`, `value`, `expiration`) values ('laravel_cache:k1334', 's:1:"x";', 1725593013) on duplicate key update `value` = values(`value`), `expiration` = values(`expiration`)
select * from `password_reset_tokens` where `email` = 'frank526@example.com' limit 1
select * from `users` where `users`.`id` = 68183 limit 1
select * from `users` where `email` = 'frank435@example.com' and `users`.`deleted_at` is null limit 1
insert into `users` (`name`, `email`, `password`, `updated_at`, `created_at`) values ('grace', 'heidi846@example.com', '$2y$10$x976', '2025-10-14 14:33:33', '2025-03-15 01:16:06')
update `users` set `remember_token` = 't7857', `users`.`updated_at` = '2025-08-05 04:05:12' where `id` = 88258
select count(*) as aggregate from `posts` where `posts`.`user_id` = 4042 and `posts`.`deleted_at` is null
select * from `posts` where `posts`.`user_id` in (42, 114, 288) and `posts`.`deleted_at` is null
select * from `posts` where `published_at` is not null order by `published_at` desc limit 15 offset 90
select `tags`.*, `post_tag`.`post_id` as `pivot_post_id`, `post_tag`.`tag_id` as `pivot_tag_id` from `tags` inner join `post_tag` on `tags`.`id` = `post_tag`.`tag_id` where `post_tag`.`post_id` in (387, 1385)
delete from `sessions` where `last_activity` <= 1750606761
select exists(select * from `users` where `email` = 'grace161@example.com') as `exists`
update `posts` set `deleted_at` = '2025-05-10 00:11:55', `posts`.`updated_at` = '2025-12-06 05:15:45' where `id` = 1609
insert into `jobs` (`queue`, `attempts`, `reserved_at`, `available_at`, `created_at`, `payload`) values ('default', 0, null, 1719291625, 1711611629, '{"job":"x"}')
select * from `jobs` where `queue` = 'default' and ((`reserved_at` is null and `available_at` <= 1745642190) or (`reserved_at` <= 1734486554)) order by `id` asc limit 1 for update skip locked
select * from `cache` where `key` = 'laravel_cache:k1980' limit 1
insert into `cache` (`key`, `value`, `expiration`) values ('laravel_cache:k6965', 's:1:"x";', 1732071781) on duplicate key update `value` = values(`value`), `expiration` = values(`expiration`)
select * from `password_reset_tokens` where `email` = 'grace252@example.com' limit 1
select * from `users` where `users`.`id` = 38117 limit 1
select * from `users` where `email` = 'heidi193@example.com' and `users`.`deleted_at` is null limit 1
insert into `users` (`name`, `email`, `password`, `updated_at`, `created_at`) values ('erin', 'heidi636@example.com', '$2y$10$x284', '2025-02-04 23:41:19', '2025-10-25 12:56:01')
update `users` set `remember_token` = 't7133', `users`.`updated_at` = '2025-11-23 07:51:58' where `id` = 58154
select count(*) as aggregate from `posts` where `posts`.`user_id` = 82 and `posts`.`deleted_at` is null
select * from `posts` where `posts`.`user_id` in (85, 181, 241) and `posts`.`deleted_at` is null
select `tags`.*, `post_tag`.`post_id` as `pivot_post_id`, `post_tag`.`tag_id` as `pivot_tag_id` from `tags` inner join `post_tag` on `tags`.`id` = `post_tag`.`tag_id` where `post_tag`.`post_id` in (75, 1690)
delete from `sessions` where `last_activity` <= 1756456543
select exists(select * from `users` where `email` = 'carol225@example.com') as `exists`
update `posts` set `deleted_at` = '2025-04-09 23:23:09', `posts`.`updated_at` = '2025-11-12 02:12:54' where `id` = 8065
insert into `jobs` (`queue`, `attempts`, `reserved_at`, `available_at`, `created_at`, `payload`) values ('default', 0, null, 1758396275, 1745710372, '{"job":"x"}')
select * from `jobs` where `queue` = 'default' and ((`reserved_at` is null and `available_at` <= 1702527179) or (`reserved_at` <= 1707922372)) order by `id` asc limit 1 for update skip locked
select * from `cache` where `key` = 'laravel_cache:k5071' limit 1
insert into `cache` (`key`, `value`, `expiration`) values ('laravel_cache:k2818', 's:1:"x";', 1752189303) on duplicate key update `value` = values(`value`), `expiration` = values(`expiration`)
select * from `password_reset_tokens` where `email` = 'bob691@example.com' limit 1
select * from `users` where `users`.`id` = 86977 limit 1
select * from `users` where `email` = 'carol932@example.com' and `users`.`deleted_at` is null limit 1
insert into `users` (`name`, `email`, `password`, `updated_at`, `created_at`) values ('alice', 'erin584@example.com', '$2y$10$x443', '2025-07-06 23:57:19', '2025-10-19 15:40:34')
update `users` set `remember_token` = 't6319', `users`.`updated_at` = '2025-08-11 10:15:29' where `id` = 51128
select count(*) as aggregate from `posts` where `posts`.`user_id` = 4406 and `posts`.`deleted_at` is null
select * from `posts` where `posts`.`user_id` in (26, 148, 218) and `posts`.`deleted_at` is null
select * from `posts` where `published_at` is not null order by `published_at` desc limit 15 offset 210
select `tags`.*, `post_tag`.`post_id` as `pivot_post_id`, `post_tag`.`tag_id` as `pivot_tag_id` from `tags` inner join `post_tag` on `tags`.`id` = `post_tag`.`tag_id` where `post_tag`.`post_id` in (240, 1481)
delete from `sessions` where `last_activity` <= 1704430320
select exists(select * from `users` where `email` = 'alice475@example.com') as `exists`
update `posts` set `deleted_at` = '2025-02-11 14:18:22', `posts`.`updated_at` = '2025-06-05 07:09:56' where `id` = 7832
insert into `jobs` (`queue`, `attempts`, `reserved_at`, `available_at`, `created_at`, `payload`) values ('default', 0, null, 1701593306, 1718639252, '{"job":"x"}')
select * from `jobs` where `queue` = 'default' and ((`reserved_at` is null and `available_at` <= 1740664101) or (`reserved_at` <= 1716214761)) order by `id` asc limit 1 for update skip locked
select * from `cache` where `key` = 'laravel_cache:k9449' limit 1
insert into `cache` (`key`, `value`, `expiration`) values ('laravel_cache:k8259', 's:1:"x";', 1708902201) on duplicate key update `value` = values(`value`), `expiration` = values(`expiration`)
select * from `password_reset_tokens` where `email` = 'alice303@example.com' limit 1
select * from `users` where `users`.`id` = 43682 limit 1
select * from `users` where `email` = 'dave434@example.com' and `users`.`deleted_at` is null limit 1
insert into `users` (`name`, `email`, `password`, `updated_at`, `created_at`) values ('carol', 'carol604@example.com', '$2y$10$x793', '2025-02-20 08:36:46', '2025-10-28 08:59:36')
update `users` set `remember_token` = 't7354', `users`.`updated_at` = '2025-03-17 19:24:49' where `id` = 10240
select count(*) as aggregate from `posts` where `posts`.`user_id` = 1025 and `posts`.`deleted_at` is null
select * from `posts` where `posts`.`user_id` in (72, 199, 204) and `posts`.`deleted_at` is null
select * from `posts` where `published_at` is not null order by `published_at` desc limit 25 offset 300
select `tags`.*, `post_tag`.`post_id` as `pivot_post_id`, `post_tag`.`tag_id` as `pivot_tag_id` from `tags` inner join `post_tag` on `tags`.`id` = `post_tag`.`tag_id` where `post_tag`.`post_id` in (722, 1443)
delete from `sessions` where `last_activity` <= 1718599219
select exists(select * from `users` where `email` = 'heidi582@example.com') as `exists`
update `posts` set `deleted_at` = '2025-11-24 20:41:04', `posts`.`updated_at` = '2025-10-23 14:49:35' where `id` = 6034
insert into `jobs` (`queue`, `attempts`, `reserved_at`, `available_at`, `created_at`, `payload`) values ('default', 0, null, 1709522665, 1728570848, '{"job":"x"}')
select * from `jobs` where `queue` = 'default' and ((`reserved_at` is null and `available_at` <= 1744963091) or (`reserved_at` <= 1753299461)) order by `id` asc limit 1 for update skip locked
select * from `cache` where `key` = 'laravel_cache:k982' limit 1
insert into `cache` (`key`, `value`, `expiration`) values ('laravel_cache:k4513', 's:1:"x";', 1733005698) on duplicate key update `value` = values(`value`), `expiration` = values(`expiration`)
select * from `password_reset_tokens` where `email` = 'bob649@example.com' limit 1
select * from `users` where `users`.`id` = 76146 limit 1
select * from `users` where `email` = 'grace363@example.com' and `users`.`deleted_at` is null limit 1
insert into `users` (`name`, `email`, `password`, `updated_at`, `created_at`) values ('frank', 'erin487@example.com', '$2y$10$x114', '2025-06-24 13:06:55', '2025-05-23 01:00:13')
update `users` set `remember_token` = 't8589', `users`.`updated_at` = '2025-11-04 04:51:35' where `id` = 25893
select count(*) as aggregate from `posts` where `posts`.`user_id` = 3482 and `posts`.`deleted_at` is null
select * from `posts` where `posts`.`user_id` in (81, 162, 241) and `posts`.`deleted_at` is null
select * from `posts` where `published_at` is not null order by `published_at` desc limit 10 offset 210
select `tags`.*, `post_tag`.`post_id` as `pivot_post_id`, `post_tag`.`tag_id` as `pivot_tag_id` from `tags` inner join `post_tag` on `tags`.`id` = `post_tag`.`tag_id` where `post_tag`.`post_id` in (248, 1321)
delete from `sessions` where `last_activity` <= 1707551794
select exists(select * from `users` where `email` = 'grace933@example.com') as `exists`
update `posts` set `deleted_at` = '2025-06-13 22:43:29', `posts`.`updated_at` = '2025-08-15 20:56:41' where `id` = 9478
insert into `jobs` (`queue`, `attempts`, `reserved_at`, `available_at`, `created_at`, `payload`) values ('default', 0, null, 1733146690, 1729613310, '{"job":"x"}')
select * from `jobs` where `queue` = 'default' and ((`reserved_at` is null and `available_at` <= 1723539156) or (`reserved_at` <= 1725132312)) order by `id` asc limit 1 for update skip locked
select * from `cache` where `key` = 'laravel_cache:k3924' limit 1
insert into `cache` (`key`, `value`, `expiration`) values ('laravel_cache:k9330', 's:1:"x";', 1743465029) on duplicate key update `value` = values(`value`), `expiration` = values(`expiration`)
select * from `password_reset_tokens` where `email` = 'grace324@example.com' limit 1
select * from `users` where `users`.`id` = 80097 limit 1
select * from `users` where `email` = 'carol257@example.com' and `users`.`deleted_at` is null limit 1
insert into `users` (`name`, `email`, `password`, `updated_at`, `created_at`) values ('erin', 'carol122@example.com', '$2y$10$x236', '2025-07-15 03:19:36', '2025-04-09 23:41:13')
update `users` set `remember_token` = 't5899', `users`.`updated_at` = '2025-04-20 04:25:24' where `id` = 72732
select count(*) as aggregate from `posts` where `posts`.`user_id` = 8563 and `posts`.`deleted_at` is null
select * from `posts` where `posts`.`user_id` in (20, 118, 212) and `posts`.`deleted_at` is null
select * from `posts` where `published_at` is not null order by `published_at` desc limit 10 offset 240
select `tags`.*, `post_tag`.`post_id` as `pivot_post_id`, `post_tag`.`tag_id` as `pivot_tag_id` from `tags` inner join `post_tag` on `tags`.`id` = `post_tag`.`tag_id` where `post_tag`.`post_id` in (49, 1234)
delete from `sessions` where `last_activity` <= 1714811842
select exists(select * from `users` where `email` = 'erin288@example.com') as `exists`
update `posts` set `deleted_at` = '2025-01-25 03:15:31', `posts`.`updated_at` = '2025-07-09 13:57:48' where `id` = 8726
insert into `jobs` (`queue`, `attempts`, `reserved_at`, `available_at`, `created_at`, `payload`) values ('default', 0, null, 1702010884, 1718443295, '{"job":"x"}')
select * from `jobs` where `queue` = 'default' and ((`reserved_at` is null and `available_at` <= 1739242788) or (`reserved_at` <= 1725267498)) order by `id` asc limit 1 for update skip locked
select * from `cache` where `key` = 'laravel_cache:k2971' limit 1
insert into `cache` (`key`, `value`, `expiration`) values ('laravel_cache:k2678', 's:1:"x";', 1732838340) on duplicate key update `value` = values(`value`), `expiration` = values(`expiration`)
select * from `password_reset_tokens` where `email` = 'carol271@example.com' limit 1
select * from `users` where `users`.`id` = 53665 limit 1
select * from `users` where `email` = 'dave24@example.com' and `users`.`deleted_at` is null limit 1
insert into `users` (`name`, `email`, `password`, `updated_at`, `created_at`) values ('carol', 'frank731@example.com', '$2y$10$x994', '2025-03-27 21:21:38', '2025-09-07 17:43:28')
update `users` set `remember_token` = 't9466', `users`.`updated_at` = '2025-05-17 16:48:36' where `id` = 11803
select count(*) as aggregate from `posts` where `posts`.`user_id` = 489 and `posts`.`deleted_at` is null
select * from `posts` where `posts`.`user_id` in (99, 150, 297) and `posts`.`deleted_at` is null
select `tags`.*, `post_tag`.`post_id` as `pivot_post_id`, `post_tag`.`tag_id` as `pivot_tag_id` from `tags` inner join `post_tag` on `tags`.`id` = `post_tag`.`tag_id` where `post_tag`.`post_id` in (139, 1934)
delete from `sessions` where `last_activity` <= 1742623903
select exists(select * from `users` where `email` = 'dave407@example.com') as `exists`
update `posts` set `deleted_at` = '2025-09-28 04:43:23', `posts`.`updated_at` = '2025-10-05 08:12:53' where `id` = 7829
insert into `jobs` (`queue`, `attempts`, `reserved_at`, `available_at`, `created_at`, `payload`) values ('default', 0, null, 1718065928, 1716136158, '{"job":"x"}')
select * from `jobs` where `queue` = 'default' and ((`reserved_at` is null and `available_at` <= 1738940605) or (`reserved_at` <= 1719469509)) order by `id` asc limit 1 for update skip locked
select * from `cache` where `key` = 'laravel_cache:k8046' limit 1
insert into `cache` (`key`, `value`, `expiration`) values ('laravel_cache:k1484', 's:1:"x";', 1705857970) on duplicate key update `value` = values(`value`), `expiration` = values(`expiration`)
select * from `password_reset_tokens` where `email` = 'heidi380@example.com' limit 1
select * from `users` where `users`.`id` = 62016 limit 1
select * from `users` where `email` = 'bob108@example.com' and `users`.`deleted_at` is null limit 1
insert into `users` (`name`, `email`, `password`, `updated_at`, `created_at`) values ('erin', 'bob79@example.com', '$2y$10$x800', '2025-04-16 09:20:25', '2025-05-17 11:18:25')
update `users` set `remember_token` = 't7696', `users`.`updated_at` = '2025-07-08 06:32:42' where `id` = 16324
select count(*) as aggregate from `posts` where `posts`.`user_id` = 4405 and `posts`.`deleted_at` is null
select * from `posts` where `posts`.`user_id` in (33, 112, 222) and `posts`.`deleted_at` is null
select * from `posts` where `published_at` is not null order by `published_at` desc limit 10 offset 0
select `tags`.*, `post_tag`.`post_id` as `pivot_post_id`, `post_tag`.`tag_id` as `pivot_tag_id` from `tags` inner join `post_tag` on `tags`.`id` = `post_tag`.`tag_id` where `post_tag`.`post_id` in (110, 1589)
delete from `sessions` where `last_activity` <= 1717767842
update `posts` set `deleted_at` = '2025-07-17 09:49:06', `posts`.`updated_at` = '2025-01-13 20:06:13' where `id` = 4140
insert into `jobs` (`queue`, `attempts`, `reserved_at`, `available_at`, `created_at`, `payload`) values ('default', 0, null, 1706262645, 1707319577, '{"job":"x"}')
select * from `jobs` where `queue` = 'default' and ((`reserved_at` is null and `available_at` <= 1701217734) or (`reserved_at` <= 1743447979)) order by `id` asc limit 1 for update skip locked
select * from `cache` where `key` = 'laravel_cache:k7045' limit 1
insert into `cache` (`key`, `value`, `expiration`) values ('laravel_cache:k7124', 's:1:"x";', 1714709371) on duplicate key update `value` = values(`value`), `expiration` = values(`expiration`)
select * from `password_reset_tokens` where `email` = 'carol595@example.com' limit 1
select * from `users` where `users`.`id` = 70071 limit 1
select * from `users` where `email` = 'erin4@example.com' and `users`.`deleted_at` is null limit 1
insert into `users` (`name`, `email`, `password`, `updated_at`, `created_at`) values ('erin', 'bob510@example.com', '$2y$10$x791', '2025-05-18 19:46:03', '2025-03-06 18:14:43')
update `users` set `remember_token` = 't5981', `users`.`updated_at` = '2025-02-16 23:37:20' where `id` = 7083
select count(*) as aggregate from `posts` where `posts`.`user_id` = 608 and `posts`.`deleted_at` is null
select * from `posts` where `posts`.`user_id` in (64, 192, 209) and `posts`.`deleted_at` is null
select `tags`.*, `post_tag`.`post_id` as `pivot_post_id`, `post_tag`.`tag_id` as `pivot_tag_id` from `tags` inner join `post_tag` on `tags`.`id` = `post_tag`.`tag_id` where `post_tag`.`post_id` in (545, 1042)
delete from `sessions` where `last_activity` <= 1729854131
select exists(select * from `users` where `email` = 'frank56@example.com') as `exists`
update `posts` set `deleted_at` = '2025-03-22 23:32:14', `posts`.`updated_at` = '2025-06-22 16:45:59' where `id` = 3961
insert into `jobs` (`queue`, `attempts`, `reserved_at`, `available_at`, `created_at`, `payload`) values ('default', 0, null, 1721999111, 1714568018, '{"job":"x"}')
select * from `jobs` where `queue` = 'default' and ((`reserved_at` is null and `available_at` <= 1701975920) or (`reserved_at` <= 1728830303)) order by `id` asc limit 1 for update skip locked
select * from `cache` where `key` = 'laravel_cache:k2032' limit 1
insert into `cache` (`key`, `value`, `expiration`) values ('laravel_cache:k5027', 's:1:"x";', 1745442326) on duplicate key update `value` = values(`value`), `expiration` = values(`expiration`)
select * from `password_reset_tokens` where `email` = 'frank297@example.com' limit 1
select * from `users` where `users`.`id` = 86188 limit 1
select * from `users` where `email` = 'alice279@example.com' and `users`.`deleted_at` is null limit 1
insert into `users` (`name`, `email`, `password`, `updated_at`, `created_at`) values ('frank', 'bob475@example.com', '$2y$10$x136', '2025-08-20 23:40:22', '2025-07-03 16:24:13')
update `users` set `remember_token` = 't9191', `users`.`updated_at` = '2025-05-12 15:07:48' where `id` = 51527
select count(*) as aggregate from `posts` where `posts`.`user_id` = 4559 and `posts`.`deleted_at` is null
select * from `posts` where `posts`.`user_id` in (66, 116, 246) and `posts`.`deleted_at` is null
select * from `posts` where `published_at` is not null order by `published_at` desc limit 10 offset 105
select `tags`.*, `post_tag`.`post_id` as `pivot_post_id`, `post_tag`.`tag_id` as `pivot_tag_id` from `tags` inner join `post_tag` on `tags`.`id` = `post_tag`.`tag_id` where `post_tag`.`post_id` in (671, 1057)
delete from `sessions` where `last_activity` <= 1727461603
select exists(select * from `users` where `email` = 'grace785@example.com') as `exists`
update `posts` set `deleted_at` = '2025-02-10 08:10:56', `posts`.`updated_at` = '2025-05-01 09:41:58' where `id` = 8211
insert into `jobs` (`queue`, `attempts`, `reserved_at`, `available_at`, `created_at`, `payload`) values ('default', 0, null, 1745207479, 1752854723, '{"job":"x"}')
select * from `jobs` where `queue` = 'default' and ((`reserved_at` is null and `available_at` <= 1700907524) or (`reserved_at` <= 1740283920)) order by `id` asc limit 1 for update skip locked
select * from `cache` where `key` = 'laravel_cache:k2095' limit 1
insert into `cache` (`key`, `value`, `expiration`) values ('laravel_cache:k5188', 's:1:"x";', 1709799772) on duplicate key update `value` = values(`value`), `expiration` = values(`expiration`)
select * from `password_reset_tokens` where `email` = 'frank772@example.com' limit 1
select * from `users` where `users`.`id` = 46658 limit 1
select * from `users` where `email` = 'frank134@example.com' and `users`.`deleted_at` is null limit 1
insert into `users` (`name`, `email`, `password`, `updated_at`, `created_at`) values ('frank', 'dave895@example.com', '$2y$10$x660', '2025-11-25 00:18:12', '2025-05-28 01:52:02')
update `users` set `remember_token` = 't1304', `users`.`updated_at` = '2025-12-01 03:27:11' where `id` = 75205
select count(*) as aggregate from `posts` where `posts`.`user_id` = 47 and `posts`.`deleted_at` is null
select * from `posts` where `posts`.`user_id` in (12, 103, 282) and `posts`.`deleted_at` is null
select * from `posts` where `published_at` is not null order by `published_at` desc limit 15 offset 15
select `tags`.*, `post_tag`.`post_id` as `pivot_post_id`, `post_tag`.`tag_id` as `pivot_tag_id` from `tags` inner join `post_tag` on `tags`.`id` = `post_tag`.`tag_id` where `post_tag`.`post_id` in (203, 1719)
delete from `sessions` where `last_activity` <= 1723106190
select exists(select * from `users` where `email` = 'dave780@example.com') as `exists`
update `posts` set `deleted_at` = '2025-01-03 10:15:25', `posts`.`updated_at` = '2025-04-08 11:42:06' where `id` = 271
insert into `jobs` (`queue`, `attempts`, `reserved_at`, `available_at`, `created_at`, `payload`) values ('default', 0, null, 1714625692, 1741424360, '{"job":"x"}')
select * from `jobs` where `queue` = 'default' and ((`reserved_at` is null and `available_at` <= 1759930058) or (`reserved_at` <= 1713498394)) order by `id` asc limit 1 for update skip locked
select * from `cache` where `key` = 'laravel_cache:k4469' limit 1
insert into `cache` (`key`, `value`, `expiration`) values ('laravel_cache:k762', 's:1:"x";', 1712399220) on duplicate key update `value` = values(`value`), `expiration` = values(`expiration`)
select * from `password_reset_tokens` where `email` = 'heidi457@example.com' limit 1
select * from `users` where `users`.`id` = 82700 limit 1
select * from `users` where `email` = 'dave557@example.com' and `users`.`deleted_at` is null limit 1
insert into `users` (`name`, `email`, `password`, `updated_at`, `created_at`) values ('carol', 'alice633@example.com', '$2y$10$x527', '2025-10-16 15:51:02', '2025-11-11 16:09:06')
update `users` set `remember_token` = 't7516', `users`.`updated_at` = '2025-07-04 21:31:15' where `id` = 88127
select count(*) as aggregate from `posts` where `posts`.`user_id` = 7707 and `posts`.`deleted_at` is null
select * from `posts` where `posts`.`user_id` in (3, 188, 288) and `posts`.`deleted_at` is null
select * from `posts` where `published_at` is not null order by `published_at` desc limit 10 offset 150
select `tags`.*, `post_tag`.`post_id` as `pivot_post_id`, `post_tag`.`tag_id` as `pivot_tag_id` from `tags` inner join `post_tag` on `tags`.`id` = `post_tag`.`tag_id` where `post_tag`.`post_id` in (978, 1197)
delete from `sessions` where `last_activity` <= 1705019602
select exists(select * from `users` where `email` = 'alice193@example.com') as `exists`
update `posts` set `deleted_at` = '2025-03-03 17:59:00', `posts`.`updated_at` = '2025-05-13 13:41:47' where `id` = 1064
insert into `jobs` (`queue`, `attempts`, `reserved_at`, `available_at`, `created_at`, `payload`) values ('default', 0, null, 1729877279, 1759275993, '{"job":"x"}')
select * from `jobs` where `queue` = 'default' and ((`reserved_at` is null and `available_at` <= 1718477509) or (`reserved_at` <= 1742294080)) order by `id` asc limit 1 for update skip locked
select * from `cache` where `key` = 'laravel_cache:k5143' limit 1
insert into `cache` (`key`, `value`, `expiration`) values ('laravel_cache:k2068', 's:1:"x";', 1750801960) on duplicate key update `value` = values(`value`), `expiration` = values(`expiration`)
select * from `password_reset_tokens` where `email` = 'alice459@example.com' limit 1
select * from `users` where `users`.`id` = 35747 limit 1
select * from `users` where `email` = 'frank170@example.com' and `users`.`deleted_at` is null limit 1
insert into `users` (`name`, `email`, `password`, `updated_at`, `created_at`) values ('grace', 'carol519@example.com', '$2y$10$x137', '2025-09-13 01:14:01', '2025-01-11 13:14:43')
update `users` set `remember_token` = 't4520', `users`.`updated_at` = '2025-07-07 16:49:51' where `id` = 77716
select count(*) as aggregate from `posts` where `posts`.`user_id` = 7842 and `posts`.`deleted_at` is null
select * from `posts` where `posts`.`user_id` in (81, 173, 281) and `posts`.`deleted_at` is null
select * from `posts` where `published_at` is not null order by `published_at` desc limit 15 offset 45
select `tags`.*, `post_tag`.`post_id` as `pivot_post_id`, `post_tag`.`tag_id` as `pivot_tag_id` from `tags` inner join `post_tag` on `tags`.`id` = `post_tag`.`tag_id` where `post_tag`.`post_id` in (777, 1507)
delete from `sessions` where `last_activity` <= 1723422427
select exists(select * from `users` where `email` = 'dave705@example.com') as `exists`
update `posts` set `deleted_at` = '2025-06-13 10:15:51', `posts`.`updated_at` = '2025-06-03 19:37:40' where `id` = 3052
insert into `jobs` (`queue`, `attempts`, `reserved_at`, `available_at`, `created_at`, `payload`) values ('default', 0, null, 1724997401, 1700251961, '{"job":"x"}')
select * from `jobs` where `queue` = 'default' and ((`reserved_at` is null and `available_at` <= 1744779310) or (`reserved_at` <= 1703236478)) order by `id` asc limit 1 for update skip locked
select * from `cache` where `key` = 'laravel_cache:k8880' limit 1
insert into `cache` (`key`, `value`, `expiration`) values ('laravel_cache:k9680', 's:1:"x";', 1718790924) on duplicate key update `value` = values(`value`), `expiration` = values(`expiration`)
select * from `password_reset_tokens` where `email` = 'dave774@example.com' limit 1
select * from `users` where `users`.`id` = 45270 limit 1
select * from `users` where `email` = 'bob629@example.com' and `users`.`deleted_at` is null limit 1
insert into `users` (`name`, `email`, `password`, `updated_at`, `created_at`) values ('alice', 'grace624@example.com', '$2y$10$x285', '2025-11-09 07:49:52', '2025-05-17 10:45:57')
update `users` set `remember_token` = 't9475', `users`.`updated_at` = '2025-10-03 18:09:48' where `id` = 76674
select count(*) as aggregate from `posts` where `posts`.`user_id` = 8015 and `posts`.`deleted_at` is null
select * from `posts` where `posts`.`user_id` in (95, 167, 241) and `posts`.`deleted_at` is null
select * from `posts` where `published_at` is not null order by `published_at` desc limit 10 offset 90
select `tags`.*, `post_tag`.`post_id` as `pivot_post_id`, `post_tag`.`tag_id` as `pivot_tag_id` from `tags` inner join `post_tag` on `tags`.`id` = `post_tag`.`tag_id` where `post_tag`.`post_id` in (487, 1567)
delete from `sessions` where `last_activity` <= 1731092572
select exists(select * from `users` where `email` = 'grace439@example.com') as `exists`
update `posts` set `deleted_at` = '2025-09-07 06:14:26', `posts`.`updated_at` = '2025-03-04 16:09:46' where `id` = 1177
insert into `jobs` (`queue`, `attempts`, `reserved_at`, `available_at`, `created_at`, `payload`) values ('default', 0, null, 1751028351, 1716485727, '{"job":"x"}')
select * from `jobs` where `queue` = 'default' and ((`reserved_at` is null and `available_at` <= 1701789048) or (`reserved_at` <= 1721186163)) order by `id` asc limit 1 for update skip locked
select * from `cache` where `key` = 'laravel_cache:k9079' limit 1
insert into `cache` (`key`, `value`, `expiration`) values ('laravel_cache:k645', 's:1:"x";', 1748458508) on duplicate key update `value` = values(`value`), `expiration` = values(`expiration`)
select * from `password_reset_tokens` where `email` = 'carol374@example.com' limit 1
select * from `users` where `users`.`id` = 52625 limit 1
select * from `users` where `email` = 'carol865@example.com' and `users`.`deleted_at` is null limit 1
insert into `users` (`name`, `email`, `password`, `updated_at`, `created_at`) values ('frank', 'bob247@example.com', '$2y$10$x683', '2025-06-05 13:18:59', '2025-03-03 09:15:13')
update `users` set `remember_token` = 't9863', `users`.`updated_at` = '2025-04-17 06:16:11' where `id` = 90243
select count(*) as aggregate from `posts` where `posts`.`user_id` = 2251 and `posts`.`deleted_at` is null
select * from `posts` where `posts`.`user_id` in (65, 150, 241) and `posts`.`deleted_at` is null
select * from `posts` where `published_at` is not null order by `published_at` desc limit 25 offset 120
select `tags`.*, `post_tag`.`post_id` as `pivot_post_id`, `post_tag`.`tag_id` as `pivot_tag_id` from `tags` inner join `post_tag` on `tags`.`id` = `post_tag`.`tag_id` where `post_tag`.`post_id` in (542, 1702)
delete from `sessions` where `last_activity` <= 1733140807
select exists(select * from `users` where `email` = 'grace728@example.com') as `exists`
update `posts` set `deleted_at` = '2025-08-13 23:33:26', `posts`.`updated_at` = '2025-06-05 08:15:48' where `id` = 7828
insert into `jobs` (`queue`, `attempts`, `reserved_at`, `available_at`, `created_at`, `payload`) values ('default', 0, null, 1727468075, 1751416506, '{"job":"x"}')
select * from `jobs` where `queue` = 'default' and ((`reserved_at` is null and `available_at` <= 1756901371) or (`reserved_at` <= 1738915762)) order by `id` asc limit 1 for update skip locked
select * from `cache` where `key` = 'laravel_cache:k8152' limit 1
insert into `cache` (`key`, `value`, `expiration`) values ('laravel_cache:k3116', 's:1:"x";', 1717124219) on duplicate key update `value` = values(`value`), `expiration` = values(`expiration`)
select * from `password_reset_tokens` where `email` = 'bob349@example.com' limit 1
