-- Statement shapes Node.js ORMs emit on MySQL: Sequelize (`Model` aliases, ? binds), TypeORM
-- (`User`.`id` AS `User_id`), Prisma (schema-qualified backquoted names, LIMIT ? OFFSET ?).
SELECT `id`, `firstName`, `lastName`, `email`, `createdAt`, `updatedAt` FROM `Users` AS `User` WHERE `User`.`id` = 3026
SELECT `id`, `title`, `userId` FROM `Posts` AS `Post` WHERE `Post`.`userId` = ? ORDER BY `Post`.`createdAt` DESC LIMIT 81, 39
INSERT INTO `Users` (`id`,`firstName`,`lastName`,`email`,`createdAt`,`updatedAt`) VALUES (DEFAULT,?,?,?,?,?)
UPDATE `Users` SET `lastName`=?,`updatedAt`=? WHERE `id` = ?
DELETE FROM `Sessions` WHERE `expires` < '2025-11-14 05:07:09'
SELECT count(*) AS `count` FROM `Posts` AS `Post` WHERE `Post`.`userId` = 9115
SELECT `User`.`id` AS `User_id`, `User`.`name` AS `User_name` FROM `user` `User` WHERE `User`.`id` IN (53, 193)
SELECT DISTINCT `distinctAlias`.`User_id` AS `ids_User_id` FROM (SELECT `User`.`id` AS `User_id` FROM `user` `User` LEFT JOIN `photo` `photos` ON `photos`.`userId`=`User`.`id`) `distinctAlias` ORDER BY `User_id` ASC LIMIT 11
INSERT INTO `photo`(`id`, `url`, `userId`) VALUES (DEFAULT, ?, ?)
SELECT `app`.`User`.`id`, `app`.`User`.`email`, `app`.`User`.`name` FROM `app`.`User` WHERE (`app`.`User`.`id` = ? AND 1=1) LIMIT ? OFFSET ?
SELECT `app`.`Post`.`id`, `app`.`Post`.`title` FROM `app`.`Post` WHERE `app`.`Post`.`authorId` IN (?,?,?)
INSERT INTO `app`.`Post` (`title`,`content`,`published`,`authorId`) VALUES (?,?,?,?)
UPDATE `app`.`Post` SET `published` = ? WHERE (`app`.`Post`.`id` = ? AND 1=1)
SELECT COUNT(*) FROM (SELECT `app`.`Post`.`id` FROM `app`.`Post` WHERE `app`.`Post`.`published` = ?) AS `sub`
SELECT `Comment`.`id`, `Comment`.`body` FROM `Comments` AS `Comment` INNER JOIN `Posts` AS `Post` ON `Comment`.`postId` = `Post`.`id` AND `Post`.`userId` = 532
SELECT `id`, `firstName`, `lastName`, `email`, `createdAt`, `updatedAt` FROM `Users` AS `User` WHERE `User`.`id` = 1972
SELECT `id`, `title`, `userId` FROM `Posts` AS `Post` WHERE `Post`.`userId` = ? ORDER BY `Post`.`createdAt` DESC LIMIT 191, 22
DELETE FROM `Sessions` WHERE `expires` < '2025-06-13 09:43:37'
SELECT count(*) AS `count` FROM `Posts` AS `Post` WHERE `Post`.`userId` = 6517
SELECT `User`.`id` AS `User_id`, `User`.`name` AS `User_name` FROM `user` `User` WHERE `User`.`id` IN (73, 178)
SELECT DISTINCT `distinctAlias`.`User_id` AS `ids_User_id` FROM (SELECT `User`.`id` AS `User_id` FROM `user` `User` LEFT JOIN `photo` `photos` ON `photos`.`userId`=`User`.`id`) `distinctAlias` ORDER BY `User_id` ASC LIMIT 41
SELECT `Comment`.`id`, `Comment`.`body` FROM `Comments` AS `Comment` INNER JOIN `Posts` AS `Post` ON `Comment`.`postId` = `Post`.`id` AND `Post`.`userId` = 235
SELECT `id`, `firstName`, `lastName`, `email`, `createdAt`, `updatedAt` FROM `Users` AS `User` WHERE `User`.`id` = 5161
SELECT `id`, `title`, `userId` FROM `Posts` AS `Post` WHERE `Post`.`userId` = ? ORDER BY `Post`.`createdAt` DESC LIMIT 58, 46
DELETE FROM `Sessions` WHERE `expires` < '2025-12-25 00:03:50'
SELECT count(*) AS `count` FROM `Posts` AS `Post` WHERE `Post`.`userId` = 5465
SELECT `User`.`id` AS `User_id`, `User`.`name` AS `User_name` FROM `user` `User` WHERE `User`.`id` IN (3, 180)
SELECT DISTINCT `distinctAlias`.`User_id` AS `ids_User_id` FROM (SELECT `User`.`id` AS `User_id` FROM `user` `User` LEFT JOIN `photo` `photos` ON `photos`.`userId`=`User`.`id`) `distinctAlias` ORDER BY `User_id` ASC LIMIT 24
SELECT `Comment`.`id`, `Comment`.`body` FROM `Comments` AS `Comment` INNER JOIN `Posts` AS `Post` ON `Comment`.`postId` = `Post`.`id` AND `Post`.`userId` = 40
SELECT `id`, `firstName`, `lastName`, `email`, `createdAt`, `updatedAt` FROM `Users` AS `User` WHERE `User`.`id` = 7327
SELECT `id`, `title`, `userId` FROM `Posts` AS `Post` WHERE `Post`.`userId` = ? ORDER BY `Post`.`createdAt` DESC LIMIT 104, 49
DELETE FROM `Sessions` WHERE `expires` < '2025-07-20 19:05:36'
SELECT count(*) AS `count` FROM `Posts` AS `Post` WHERE `Post`.`userId` = 863
SELECT `User`.`id` AS `User_id`, `User`.`name` AS `User_name` FROM `user` `User` WHERE `User`.`id` IN (29, 140)
SELECT DISTINCT `distinctAlias`.`User_id` AS `ids_User_id` FROM (SELECT `User`.`id` AS `User_id` FROM `user` `User` LEFT JOIN `photo` `photos` ON `photos`.`userId`=`User`.`id`) `distinctAlias` ORDER BY `User_id` ASC LIMIT 23
SELECT `Comment`.`id`, `Comment`.`body` FROM `Comments` AS `Comment` INNER JOIN `Posts` AS `Post` ON `Comment`.`postId` = `Post`.`id` AND `Post`.`userId` = 298
SELECT `id`, `firstName`, `lastName`, `email`, `createdAt`, `updatedAt` FROM `Users` AS `User` WHERE `User`.`id` = 3494
SELECT `id`, `title`, `userId` FROM `Posts` AS `Post` WHERE `Post`.`userId` = ? ORDER BY `Post`.`createdAt` DESC LIMIT 112, 22
DELETE FROM `Sessions` WHERE `expires` < '2025-03-16 07:10:01'
SELECT count(*) AS `count` FROM `Posts` AS `Post` WHERE `Post`.`userId` = 6562
SELECT `User`.`id` AS `User_id`, `User`.`name` AS `User_name` FROM `user` `User` WHERE `User`.`id` IN (42, 110)
SELECT DISTINCT `distinctAlias`.`User_id` AS `ids_User_id` FROM (SELECT `User`.`id` AS `User_id` FROM `user` `User` LEFT JOIN `photo` `photos` ON `photos`.`userId`=`User`.`id`) `distinctAlias` ORDER BY `User_id` ASC LIMIT 49
SELECT `Comment`.`id`, `Comment`.`body` FROM `Comments` AS `Comment` INNER JOIN `Posts` AS `Post` ON `Comment`.`postId` = `Post`.`id` AND `Post`.`userId` = 32
SELECT `id`, `firstName`, `lastName`, `email`, `createdAt`, `updatedAt` FROM `Users` AS `User` WHERE `User`.`id` = 8755
SELECT `id`, `title`, `userId` FROM `Posts` AS `Post` WHERE `Post`.`userId` = ? ORDER BY `Post`.`createdAt` DESC LIMIT 22, 12
DELETE FROM `Sessions` WHERE `expires` < '2025-01-22 20:12:23'
SELECT count(*) AS `count` FROM `Posts` AS `Post` WHERE `Post`.`userId` = 2640
SELECT `User`.`id` AS `User_id`, `User`.`name` AS `User_name` FROM `user` `User` WHERE `User`.`id` IN (36, 193)
SELECT DISTINCT `distinctAlias`.`User_id` AS `ids_User_id` FROM (SELECT `User`.`id` AS `User_id` FROM `user` `User` LEFT JOIN `photo` `photos` ON `photos`.`userId`=`User`.`id`) `distinctAlias` ORDER BY `User_id` ASC LIMIT 50
SELECT `Comment`.`id`, `Comment`.`body` FROM `Comments` AS `Comment` INNER JOIN `Posts` AS `Post` ON `Comment`.`postId` = `Post`.`id` AND `Post`.`userId` = 876
SELECT `id`, `firstName`, `lastName`, `email`, `createdAt`, `updatedAt` FROM `Users` AS `User` WHERE `User`.`id` = 2469
SELECT `id`, `title`, `userId` FROM `Posts` AS `Post` WHERE `Post`.`userId` = ? ORDER BY `Post`.`createdAt` DESC LIMIT 78, 29
DELETE FROM `Sessions` WHERE `expires` < '2025-04-04 21:24:24'
SELECT count(*) AS `count` FROM `Posts` AS `Post` WHERE `Post`.`userId` = 5215
SELECT `User`.`id` AS `User_id`, `User`.`name` AS `User_name` FROM `user` `User` WHERE `User`.`id` IN (76, 124)
SELECT DISTINCT `distinctAlias`.`User_id` AS `ids_User_id` FROM (SELECT `User`.`id` AS `User_id` FROM `user` `User` LEFT JOIN `photo` `photos` ON `photos`.`userId`=`User`.`id`) `distinctAlias` ORDER BY `User_id` ASC LIMIT 27
SELECT `Comment`.`id`, `Comment`.`body` FROM `Comments` AS `Comment` INNER JOIN `Posts` AS `Post` ON `Comment`.`postId` = `Post`.`id` AND `Post`.`userId` = 92
SELECT `id`, `firstName`, `lastName`, `email`, `createdAt`, `updatedAt` FROM `Users` AS `User` WHERE `User`.`id` = 2093
SELECT `id`, `title`, `userId` FROM `Posts` AS `Post` WHERE `Post`.`userId` = ? ORDER BY `Post`.`createdAt` DESC LIMIT 162, 26
DELETE FROM `Sessions` WHERE `expires` < '2025-12-01 01:41:01'
SELECT count(*) AS `count` FROM `Posts` AS `Post` WHERE `Post`.`userId` = 4485
SELECT `User`.`id` AS `User_id`, `User`.`name` AS `User_name` FROM `user` `User` WHERE `User`.`id` IN (67, 174)
SELECT DISTINCT `distinctAlias`.`User_id` AS `ids_User_id` FROM (SELECT `User`.`id` AS `User_id` FROM `user` `User` LEFT JOIN `photo` `photos` ON `photos`.`userId`=`User`.`id`) `distinctAlias` ORDER BY `User_id` ASC LIMIT 16
SELECT `Comment`.`id`, `Comment`.`body` FROM `Comments` AS `Comment` INNER JOIN `Posts` AS `Post` ON `Comment`.`postId` = `Post`.`id` AND `Post`.`userId` = 156
SELECT `id`, `firstName`, `lastName`, `email`, `createdAt`, `updatedAt` FROM `Users` AS `User` WHERE `User`.`id` = 7446
SELECT `id`, `title`, `userId` FROM `Posts` AS `Post` WHERE `Post`.`userId` = ? ORDER BY `Post`.`createdAt` DESC LIMIT 115, 30
DELETE FROM `Sessions` WHERE `expires` < '2025-10-06 21:04:55'
SELECT count(*) AS `count` FROM `Posts` AS `Post` WHERE `Post`.`userId` = 3920
SELECT `User`.`id` AS `User_id`, `User`.`name` AS `User_name` FROM `user` `User` WHERE `User`.`id` IN (68, 110)
SELECT DISTINCT `distinctAlias`.`User_id` AS `ids_User_id` FROM (SELECT `User`.`id` AS `User_id` FROM `user` `User` LEFT JOIN `photo` `photos` ON `photos`.`userId`=`User`.`id`) `distinctAlias` ORDER BY `User_id` ASC LIMIT 22
SELECT `Comment`.`id`, `Comment`.`body` FROM `Comments` AS `Comment` INNER JOIN `Posts` AS `Post` ON `Comment`.`postId` = `Post`.`id` AND `Post`.`userId` = 927
SELECT `id`, `firstName`, `lastName`, `email`, `createdAt`, `updatedAt` FROM `Users` AS `User` WHERE `User`.`id` = 5330
SELECT `id`, `title`, `userId` FROM `Posts` AS `Post` WHERE `Post`.`userId` = ? ORDER BY `Post`.`createdAt` DESC LIMIT 193, 18
DELETE FROM `Sessions` WHERE `expires` < '2025-05-01 13:12:29'
SELECT count(*) AS `count` FROM `Posts` AS `Post` WHERE `Post`.`userId` = 8437
SELECT `User`.`id` AS `User_id`, `User`.`name` AS `User_name` FROM `user` `User` WHERE `User`.`id` IN (12, 127)
SELECT DISTINCT `distinctAlias`.`User_id` AS `ids_User_id` FROM (SELECT `User`.`id` AS `User_id` FROM `user` `User` LEFT JOIN `photo` `photos` ON `photos`.`userId`=`User`.`id`) `distinctAlias` ORDER BY `User_id` ASC LIMIT 33
SELECT `Comment`.`id`, `Comment`.`body` FROM `Comments` AS `Comment` INNER JOIN `Posts` AS `Post` ON `Comment`.`postId` = `Post`.`id` AND `Post`.`userId` = 888
SELECT `id`, `firstName`, `lastName`, `email`, `createdAt`, `updatedAt` FROM `Users` AS `User` WHERE `User`.`id` = 4728
SELECT `id`, `title`, `userId` FROM `Posts` AS `Post` WHERE `Post`.`userId` = ? ORDER BY `Post`.`createdAt` DESC LIMIT 30, 38
DELETE FROM `Sessions` WHERE `expires` < '2025-07-19 18:17:32'
SELECT count(*) AS `count` FROM `Posts` AS `Post` WHERE `Post`.`userId` = 482
SELECT `User`.`id` AS `User_id`, `User`.`name` AS `User_name` FROM `user` `User` WHERE `User`.`id` IN (85, 117)
SELECT DISTINCT `distinctAlias`.`User_id` AS `ids_User_id` FROM (SELECT `User`.`id` AS `User_id` FROM `user` `User` LEFT JOIN `photo` `photos` ON `photos`.`userId`=`User`.`id`) `distinctAlias` ORDER BY `User_id` ASC LIMIT 26
SELECT `Comment`.`id`, `Comment`.`body` FROM `Comments` AS `Comment` INNER JOIN `Posts` AS `Post` ON `Comment`.`postId` = `Post`.`id` AND `Post`.`userId` = 513
SELECT `id`, `firstName`, `lastName`, `email`, `createdAt`, `updatedAt` FROM `Users` AS `User` WHERE `User`.`id` = 5740
SELECT `id`, `title`, `userId` FROM `Posts` AS `Post` WHERE `Post`.`userId` = ? ORDER BY `Post`.`createdAt` DESC LIMIT 168, 36
DELETE FROM `Sessions` WHERE `expires` < '2025-05-02 15:29:36'
SELECT count(*) AS `count` FROM `Posts` AS `Post` WHERE `Post`.`userId` = 4830
SELECT `User`.`id` AS `User_id`, `User`.`name` AS `User_name` FROM `user` `User` WHERE `User`.`id` IN (56, 118)
SELECT `Comment`.`id`, `Comment`.`body` FROM `Comments` AS `Comment` INNER JOIN `Posts` AS `Post` ON `Comment`.`postId` = `Post`.`id` AND `Post`.`userId` = 533
SELECT `id`, `firstName`, `lastName`, `email`, `createdAt`, `updatedAt` FROM `Users` AS `User` WHERE `User`.`id` = 2659
SELECT `id`, `title`, `userId` FROM `Posts` AS `Post` WHERE `Post`.`userId` = ? ORDER BY `Post`.`createdAt` DESC LIMIT 144, 17
DELETE FROM `Sessions` WHERE `expires` < '2025-11-02 07:39:06'
SELECT count(*) AS `count` FROM `Posts` AS `Post` WHERE `Post`.`userId` = 9567
SELECT `User`.`id` AS `User_id`, `User`.`name` AS `User_name` FROM `user` `User` WHERE `User`.`id` IN (60, 125)
SELECT DISTINCT `distinctAlias`.`User_id` AS `ids_User_id` FROM (SELECT `User`.`id` AS `User_id` FROM `user` `User` LEFT JOIN `photo` `photos` ON `photos`.`userId`=`User`.`id`) `distinctAlias` ORDER BY `User_id` ASC LIMIT 35
SELECT `Comment`.`id`, `Comment`.`body` FROM `Comments` AS `Comment` INNER JOIN `Posts` AS `Post` ON `Comment`.`postId` = `Post`.`id` AND `Post`.`userId` = 521
SELECT `id`, `firstName`, `lastName`, `email`, `createdAt`, `updatedAt` FROM `Users` AS `User` WHERE `User`.`id` = 8147
SELECT `id`, `title`, `userId` FROM `Posts` AS `Post` WHERE `Post`.`userId` = ? ORDER BY `Post`.`createdAt` DESC LIMIT 124, 30
DELETE FROM `Sessions` WHERE `expires` < '2025-10-13 23:34:42'
SELECT count(*) AS `count` FROM `Posts` AS `Post` WHERE `Post`.`userId` = 9413
SELECT `User`.`id` AS `User_id`, `User`.`name` AS `User_name` FROM `user` `User` WHERE `User`.`id` IN (28, 196)
SELECT `Comment`.`id`, `Comment`.`body` FROM `Comments` AS `Comment` INNER JOIN `Posts` AS `Post` ON `Comment`.`postId` = `Post`.`id` AND `Post`.`userId` = 354
SELECT `id`, `firstName`, `lastName`, `email`, `createdAt`, `updatedAt` FROM `Users` AS `User` WHERE `User`.`id` = 5145
SELECT `id`, `title`, `userId` FROM `Posts` AS `Post` WHERE `Post`.`userId` = ? ORDER BY `Post`.`createdAt` DESC LIMIT 107, 26
DELETE FROM `Sessions` WHERE `expires` < '2025-09-17 23:35:31'
SELECT count(*) AS `count` FROM `Posts` AS `Post` WHERE `Post`.`userId` = 4272
SELECT `User`.`id` AS `User_id`, `User`.`name` AS `User_name` FROM `user` `User` WHERE `User`.`id` IN (26, 110)
SELECT DISTINCT `distinctAlias`.`User_id` AS `ids_User_id` FROM (SELECT `User`.`id` AS `User_id` FROM `user` `User` LEFT JOIN `photo` `photos` ON `photos`.`userId`=`User`.`id`) `distinctAlias` ORDER BY `User_id` ASC LIMIT 20
SELECT `Comment`.`id`, `Comment`.`body` FROM `Comments` AS `Comment` INNER JOIN `Posts` AS `Post` ON `Comment`.`postId` = `Post`.`id` AND `Post`.`userId` = 787
SELECT `id`, `firstName`, `lastName`, `email`, `createdAt`, `updatedAt` FROM `Users` AS `User` WHERE `User`.`id` = 1710
SELECT `id`, `title`, `userId` FROM `Posts` AS `Post` WHERE `Post`.`userId` = ? ORDER BY `Post`.`createdAt` DESC LIMIT 76, 34
DELETE FROM `Sessions` WHERE `expires` < '2025-10-11 19:21:12'
SELECT count(*) AS `count` FROM `Posts` AS `Post` WHERE `Post`.`userId` = 7663
SELECT `User`.`id` AS `User_id`, `User`.`name` AS `User_name` FROM `user` `User` WHERE `User`.`id` IN (96, 137)
SELECT `Comment`.`id`, `Comment`.`body` FROM `Comments` AS `Comment` INNER JOIN `Posts` AS `Post` ON `Comment`.`postId` = `Post`.`id` AND `Post`.`userId` = 386
SELECT `id`, `firstName`, `lastName`, `email`, `createdAt`, `updatedAt` FROM `Users` AS `User` WHERE `User`.`id` = 2946
SELECT `id`, `title`, `userId` FROM `Posts` AS `Post` WHERE `Post`.`userId` = ? ORDER BY `Post`.`createdAt` DESC LIMIT 25, 17
DELETE FROM `Sessions` WHERE `expires` < '2025-01-09 00:39:09'
SELECT count(*) AS `count` FROM `Posts` AS `Post` WHERE `Post`.`userId` = 1165
SELECT `User`.`id` AS `User_id`, `User`.`name` AS `User_name` FROM `user` `User` WHERE `User`.`id` IN (3, 125)
SELECT DISTINCT `distinctAlias`.`User_id` AS `ids_User_id` FROM (SELECT `User`.`id` AS `User_id` FROM `user` `User` LEFT JOIN `photo` `photos` ON `photos`.`userId`=`User`.`id`) `distinctAlias` ORDER BY `User_id` ASC LIMIT 38
SELECT `Comment`.`id`, `Comment`.`body` FROM `Comments` AS `Comment` INNER JOIN `Posts` AS `Post` ON `Comment`.`postId` = `Post`.`id` AND `Post`.`userId` = 676
SELECT `id`, `firstName`, `lastName`, `email`, `createdAt`, `updatedAt` FROM `Users` AS `User` WHERE `User`.`id` = 4672
SELECT `id`, `title`, `userId` FROM `Posts` AS `Post` WHERE `Post`.`userId` = ? ORDER BY `Post`.`createdAt` DESC LIMIT 148, 50
DELETE FROM `Sessions` WHERE `expires` < '2025-10-16 22:06:38'
SELECT count(*) AS `count` FROM `Posts` AS `Post` WHERE `Post`.`userId` = 4037
SELECT `User`.`id` AS `User_id`, `User`.`name` AS `User_name` FROM `user` `User` WHERE `User`.`id` IN (55, 188)
SELECT DISTINCT `distinctAlias`.`User_id` AS `ids_User_id` FROM (SELECT `User`.`id` AS `User_id` FROM `user` `User` LEFT JOIN `photo` `photos` ON `photos`.`userId`=`User`.`id`) `distinctAlias` ORDER BY `User_id` ASC LIMIT 47
SELECT `Comment`.`id`, `Comment`.`body` FROM `Comments` AS `Comment` INNER JOIN `Posts` AS `Post` ON `Comment`.`postId` = `Post`.`id` AND `Post`.`userId` = 984
SELECT `id`, `firstName`, `lastName`, `email`, `createdAt`, `updatedAt` FROM `Users` AS `User` WHERE `User`.`id` = 448
SELECT `id`, `title`, `userId` FROM `Posts` AS `Post` WHERE `Post`.`userId` = ? ORDER BY `Post`.`createdAt` DESC LIMIT 52, 47
DELETE FROM `Sessions` WHERE `expires` < '2025-02-24 23:58:46'
SELECT count(*) AS `count` FROM `Posts` AS `Post` WHERE `Post`.`userId` = 3532
SELECT `User`.`id` AS `User_id`, `User`.`name` AS `User_name` FROM `user` `User` WHERE `User`.`id` IN (86, 196)
SELECT DISTINCT `distinctAlias`.`User_id` AS `ids_User_id` FROM (SELECT `User`.`id` AS `User_id` FROM `user` `User` LEFT JOIN `photo` `photos` ON `photos`.`userId`=`User`.`id`) `distinctAlias` ORDER BY `User_id` ASC LIMIT 44
SELECT `Comment`.`id`, `Comment`.`body` FROM `Comments` AS `Comment` INNER JOIN `Posts` AS `Post` ON `Comment`.`postId` = `Post`.`id` AND `Post`.`userId` = 727
SELECT `id`, `firstName`, `lastName`, `email`, `createdAt`, `updatedAt` FROM `Users` AS `User` WHERE `User`.`id` = 270
SELECT `id`, `title`, `userId` FROM `Posts` AS `Post` WHERE `Post`.`userId` = ? ORDER BY `Post`.`createdAt` DESC LIMIT 54, 47
DELETE FROM `Sessions` WHERE `expires` < '2025-02-10 10:07:20'
SELECT count(*) AS `count` FROM `Posts` AS `Post` WHERE `Post`.`userId` = 212
SELECT `User`.`id` AS `User_id`, `User`.`name` AS `User_name` FROM `user` `User` WHERE `User`.`id` IN (67, 144)
SELECT DISTINCT `distinctAlias`.`User_id` AS `ids_User_id` FROM (SELECT `User`.`id` AS `User_id` FROM `user` `User` LEFT JOIN `photo` `photos` ON `photos`.`userId`=`User`.`id`) `distinctAlias` ORDER BY `User_id` ASC LIMIT 18
SELECT `Comment`.`id`, `Comment`.`body` FROM `Comments` AS `Comment` INNER JOIN `Posts` AS `Post` ON `Comment`.`postId` = `Post`.`id` AND `Post`.`userId` = 560
