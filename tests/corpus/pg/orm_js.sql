-- Statement shapes Node.js ORMs emit on PostgreSQL: Sequelize (quoted aliases, $n binds, "AS"
-- pagination), TypeORM ("User"."id" AS "User_id", DISTINCT pagination subqueries), Prisma
-- (schema-qualified names, "public"."User", OFFSET $n).
SELECT "id", "firstName", "lastName", "email", "createdAt", "updatedAt" FROM "Users" AS "User" WHERE "User"."id" = 7962
SELECT "id", "title", "userId" FROM "Posts" AS "Post" WHERE "Post"."userId" = $1 ORDER BY "Post"."createdAt" DESC LIMIT 49 OFFSET 135
INSERT INTO "Users" ("id","firstName","lastName","email","createdAt","updatedAt") VALUES (DEFAULT,$1,$2,$3,$4,$5) RETURNING "id","firstName","lastName","email","createdAt","updatedAt"
UPDATE "Users" SET "lastName"=$1,"updatedAt"=$2 WHERE "id" = $3
DELETE FROM "Sessions" WHERE "expires" < '2025-03-23 20:28:48'
SELECT count(*) AS "count" FROM "Posts" AS "Post" WHERE "Post"."userId" = 5434
SELECT "User"."id" AS "User_id", "User"."name" AS "User_name", "User"."email" AS "User_email" FROM "user" "User" WHERE "User"."id" IN (4, 130)
SELECT DISTINCT "distinctAlias"."User_id" AS "ids_User_id" FROM (SELECT "User"."id" AS "User_id", "User"."name" AS "User_name" FROM "user" "User" LEFT JOIN "photo" "photos" ON "photos"."userId"="User"."id") "distinctAlias" ORDER BY "User_id" ASC LIMIT 12
INSERT INTO "photo"("url", "userId") VALUES ($1, $2) RETURNING "id"
SELECT "public"."User"."id", "public"."User"."email", "public"."User"."name" FROM "public"."User" WHERE ("public"."User"."id" = $1 AND 1=1) LIMIT $2 OFFSET $3
SELECT "public"."Post"."id", "public"."Post"."title", "public"."Post"."authorId" FROM "public"."Post" WHERE "public"."Post"."authorId" IN ($1,$2,$3) OFFSET $4
INSERT INTO "public"."Post" ("title","content","published","authorId") VALUES ($1,$2,$3,$4) RETURNING "public"."Post"."id"
UPDATE "public"."Post" SET "published" = $1 WHERE ("public"."Post"."id" = $2 AND 1=1) RETURNING "public"."Post"."id"
SELECT COUNT(*) FROM (SELECT "public"."Post"."id" FROM "public"."Post" WHERE "public"."Post"."published" = $1 OFFSET $2) AS "sub"
SELECT * FROM "typeorm_metadata" WHERE "type" = $1
SELECT "Comment"."id", "Comment"."body" FROM "Comments" AS "Comment" INNER JOIN "Posts" AS "Post" ON "Comment"."postId" = "Post"."id" AND "Post"."userId" = 363
SELECT "id", "firstName", "lastName", "email", "createdAt", "updatedAt" FROM "Users" AS "User" WHERE "User"."id" = 6197
SELECT "id", "title", "userId" FROM "Posts" AS "Post" WHERE "Post"."userId" = $1 ORDER BY "Post"."createdAt" DESC LIMIT 46 OFFSET 119
DELETE FROM "Sessions" WHERE "expires" < '2025-08-05 03:35:27'
SELECT count(*) AS "count" FROM "Posts" AS "Post" WHERE "Post"."userId" = 5134
SELECT "User"."id" AS "User_id", "User"."name" AS "User_name", "User"."email" AS "User_email" FROM "user" "User" WHERE "User"."id" IN (55, 165)
SELECT DISTINCT "distinctAlias"."User_id" AS "ids_User_id" FROM (SELECT "User"."id" AS "User_id", "User"."name" AS "User_name" FROM "user" "User" LEFT JOIN "photo" "photos" ON "photos"."userId"="User"."id") "distinctAlias" ORDER BY "User_id" ASC LIMIT 15
SELECT "Comment"."id", "Comment"."body" FROM "Comments" AS "Comment" INNER JOIN "Posts" AS "Post" ON "Comment"."postId" = "Post"."id" AND "Post"."userId" = 235
SELECT "id", "firstName", "lastName", "email", "createdAt", "updatedAt" FROM "Users" AS "User" WHERE "User"."id" = 3988
SELECT "id", "title", "userId" FROM "Posts" AS "Post" WHERE "Post"."userId" = $1 ORDER BY "Post"."createdAt" DESC LIMIT 46 OFFSET 7
DELETE FROM "Sessions" WHERE "expires" < '2025-11-12 03:09:23'
SELECT count(*) AS "count" FROM "Posts" AS "Post" WHERE "Post"."userId" = 7568
SELECT "User"."id" AS "User_id", "User"."name" AS "User_name", "User"."email" AS "User_email" FROM "user" "User" WHERE "User"."id" IN (64, 142)
SELECT DISTINCT "distinctAlias"."User_id" AS "ids_User_id" FROM (SELECT "User"."id" AS "User_id", "User"."name" AS "User_name" FROM "user" "User" LEFT JOIN "photo" "photos" ON "photos"."userId"="User"."id") "distinctAlias" ORDER BY "User_id" ASC LIMIT 49
SELECT "Comment"."id", "Comment"."body" FROM "Comments" AS "Comment" INNER JOIN "Posts" AS "Post" ON "Comment"."postId" = "Post"."id" AND "Post"."userId" = 659
SELECT "id", "firstName", "lastName", "email", "createdAt", "updatedAt" FROM "Users" AS "User" WHERE "User"."id" = 140
SELECT "id", "title", "userId" FROM "Posts" AS "Post" WHERE "Post"."userId" = $1 ORDER BY "Post"."createdAt" DESC LIMIT 11 OFFSET 106
DELETE FROM "Sessions" WHERE "expires" < '2025-10-12 12:58:15'
SELECT count(*) AS "count" FROM "Posts" AS "Post" WHERE "Post"."userId" = 8280
SELECT "User"."id" AS "User_id", "User"."name" AS "User_name", "User"."email" AS "User_email" FROM "user" "User" WHERE "User"."id" IN (70, 168)
SELECT "Comment"."id", "Comment"."body" FROM "Comments" AS "Comment" INNER JOIN "Posts" AS "Post" ON "Comment"."postId" = "Post"."id" AND "Post"."userId" = 492
SELECT "id", "firstName", "lastName", "email", "createdAt", "updatedAt" FROM "Users" AS "User" WHERE "User"."id" = 7773
SELECT "id", "title", "userId" FROM "Posts" AS "Post" WHERE "Post"."userId" = $1 ORDER BY "Post"."createdAt" DESC LIMIT 27 OFFSET 56
DELETE FROM "Sessions" WHERE "expires" < '2025-02-04 16:00:40'
SELECT count(*) AS "count" FROM "Posts" AS "Post" WHERE "Post"."userId" = 2492
SELECT "User"."id" AS "User_id", "User"."name" AS "User_name", "User"."email" AS "User_email" FROM "user" "User" WHERE "User"."id" IN (40, 144)
SELECT DISTINCT "distinctAlias"."User_id" AS "ids_User_id" FROM (SELECT "User"."id" AS "User_id", "User"."name" AS "User_name" FROM "user" "User" LEFT JOIN "photo" "photos" ON "photos"."userId"="User"."id") "distinctAlias" ORDER BY "User_id" ASC LIMIT 33
SELECT "Comment"."id", "Comment"."body" FROM "Comments" AS "Comment" INNER JOIN "Posts" AS "Post" ON "Comment"."postId" = "Post"."id" AND "Post"."userId" = 873
SELECT "id", "firstName", "lastName", "email", "createdAt", "updatedAt" FROM "Users" AS "User" WHERE "User"."id" = 8398
SELECT "id", "title", "userId" FROM "Posts" AS "Post" WHERE "Post"."userId" = $1 ORDER BY "Post"."createdAt" DESC LIMIT 42 OFFSET 56
DELETE FROM "Sessions" WHERE "expires" < '2025-05-14 20:14:25'
SELECT count(*) AS "count" FROM "Posts" AS "Post" WHERE "Post"."userId" = 6114
SELECT "User"."id" AS "User_id", "User"."name" AS "User_name", "User"."email" AS "User_email" FROM "user" "User" WHERE "User"."id" IN (54, 182)
SELECT DISTINCT "distinctAlias"."User_id" AS "ids_User_id" FROM (SELECT "User"."id" AS "User_id", "User"."name" AS "User_name" FROM "user" "User" LEFT JOIN "photo" "photos" ON "photos"."userId"="User"."id") "distinctAlias" ORDER BY "User_id" ASC LIMIT 32
SELECT "Comment"."id", "Comment"."body" FROM "Comments" AS "Comment" INNER JOIN "Posts" AS "Post" ON "Comment"."postId" = "Post"."id" AND "Post"."userId" = 184
SELECT "id", "firstName", "lastName", "email", "createdAt", "updatedAt" FROM "Users" AS "User" WHERE "User"."id" = 9918
SELECT "id", "title", "userId" FROM "Posts" AS "Post" WHERE "Post"."userId" = $1 ORDER BY "Post"."createdAt" DESC LIMIT 26 OFFSET 8
DELETE FROM "Sessions" WHERE "expires" < '2025-01-27 22:01:21'
SELECT count(*) AS "count" FROM "Posts" AS "Post" WHERE "Post"."userId" = 5295
SELECT "User"."id" AS "User_id", "User"."name" AS "User_name", "User"."email" AS "User_email" FROM "user" "User" WHERE "User"."id" IN (71, 162)
SELECT "Comment"."id", "Comment"."body" FROM "Comments" AS "Comment" INNER JOIN "Posts" AS "Post" ON "Comment"."postId" = "Post"."id" AND "Post"."userId" = 790
SELECT "id", "firstName", "lastName", "email", "createdAt", "updatedAt" FROM "Users" AS "User" WHERE "User"."id" = 8035
SELECT "id", "title", "userId" FROM "Posts" AS "Post" WHERE "Post"."userId" = $1 ORDER BY "Post"."createdAt" DESC LIMIT 14 OFFSET 46
DELETE FROM "Sessions" WHERE "expires" < '2025-06-28 01:10:33'
SELECT count(*) AS "count" FROM "Posts" AS "Post" WHERE "Post"."userId" = 676
SELECT "User"."id" AS "User_id", "User"."name" AS "User_name", "User"."email" AS "User_email" FROM "user" "User" WHERE "User"."id" IN (30, 194)
SELECT DISTINCT "distinctAlias"."User_id" AS "ids_User_id" FROM (SELECT "User"."id" AS "User_id", "User"."name" AS "User_name" FROM "user" "User" LEFT JOIN "photo" "photos" ON "photos"."userId"="User"."id") "distinctAlias" ORDER BY "User_id" ASC LIMIT 35
SELECT "Comment"."id", "Comment"."body" FROM "Comments" AS "Comment" INNER JOIN "Posts" AS "Post" ON "Comment"."postId" = "Post"."id" AND "Post"."userId" = 919
SELECT "id", "firstName", "lastName", "email", "createdAt", "updatedAt" FROM "Users" AS "User" WHERE "User"."id" = 9241
SELECT "id", "title", "userId" FROM "Posts" AS "Post" WHERE "Post"."userId" = $1 ORDER BY "Post"."createdAt" DESC LIMIT 22 OFFSET 24
DELETE FROM "Sessions" WHERE "expires" < '2025-02-27 16:48:42'
SELECT count(*) AS "count" FROM "Posts" AS "Post" WHERE "Post"."userId" = 3565
SELECT "User"."id" AS "User_id", "User"."name" AS "User_name", "User"."email" AS "User_email" FROM "user" "User" WHERE "User"."id" IN (30, 102)
SELECT DISTINCT "distinctAlias"."User_id" AS "ids_User_id" FROM (SELECT "User"."id" AS "User_id", "User"."name" AS "User_name" FROM "user" "User" LEFT JOIN "photo" "photos" ON "photos"."userId"="User"."id") "distinctAlias" ORDER BY "User_id" ASC LIMIT 45
SELECT "Comment"."id", "Comment"."body" FROM "Comments" AS "Comment" INNER JOIN "Posts" AS "Post" ON "Comment"."postId" = "Post"."id" AND "Post"."userId" = 972
SELECT "id", "firstName", "lastName", "email", "createdAt", "updatedAt" FROM "Users" AS "User" WHERE "User"."id" = 4599
SELECT "id", "title", "userId" FROM "Posts" AS "Post" WHERE "Post"."userId" = $1 ORDER BY "Post"."createdAt" DESC LIMIT 30 OFFSET 156
DELETE FROM "Sessions" WHERE "expires" < '2025-07-22 12:42:12'
SELECT count(*) AS "count" FROM "Posts" AS "Post" WHERE "Post"."userId" = 80
SELECT "User"."id" AS "User_id", "User"."name" AS "User_name", "User"."email" AS "User_email" FROM "user" "User" WHERE "User"."id" IN (39, 137)
SELECT DISTINCT "distinctAlias"."User_id" AS "ids_User_id" FROM (SELECT "User"."id" AS "User_id", "User"."name" AS "User_name" FROM "user" "User" LEFT JOIN "photo" "photos" ON "photos"."userId"="User"."id") "distinctAlias" ORDER BY "User_id" ASC LIMIT 29
SELECT "Comment"."id", "Comment"."body" FROM "Comments" AS "Comment" INNER JOIN "Posts" AS "Post" ON "Comment"."postId" = "Post"."id" AND "Post"."userId" = 255
SELECT "id", "firstName", "lastName", "email", "createdAt", "updatedAt" FROM "Users" AS "User" WHERE "User"."id" = 2172
SELECT "id", "title", "userId" FROM "Posts" AS "Post" WHERE "Post"."userId" = $1 ORDER BY "Post"."createdAt" DESC LIMIT 18 OFFSET 116
DELETE FROM "Sessions" WHERE "expires" < '2025-06-05 20:11:42'
SELECT count(*) AS "count" FROM "Posts" AS "Post" WHERE "Post"."userId" = 2793
SELECT "User"."id" AS "User_id", "User"."name" AS "User_name", "User"."email" AS "User_email" FROM "user" "User" WHERE "User"."id" IN (21, 143)
SELECT DISTINCT "distinctAlias"."User_id" AS "ids_User_id" FROM (SELECT "User"."id" AS "User_id", "User"."name" AS "User_name" FROM "user" "User" LEFT JOIN "photo" "photos" ON "photos"."userId"="User"."id") "distinctAlias" ORDER BY "User_id" ASC LIMIT 13
SELECT "Comment"."id", "Comment"."body" FROM "Comments" AS "Comment" INNER JOIN "Posts" AS "Post" ON "Comment"."postId" = "Post"."id" AND "Post"."userId" = 238
SELECT "id", "firstName", "lastName", "email", "createdAt", "updatedAt" FROM "Users" AS "User" WHERE "User"."id" = 5936
SELECT "id", "title", "userId" FROM "Posts" AS "Post" WHERE "Post"."userId" = $1 ORDER BY "Post"."createdAt" DESC LIMIT 25 OFFSET 186
DELETE FROM "Sessions" WHERE "expires" < '2025-02-28 12:58:08'
SELECT count(*) AS "count" FROM "Posts" AS "Post" WHERE "Post"."userId" = 1771
SELECT "User"."id" AS "User_id", "User"."name" AS "User_name", "User"."email" AS "User_email" FROM "user" "User" WHERE "User"."id" IN (48, 106)
SELECT DISTINCT "distinctAlias"."User_id" AS "ids_User_id" FROM (SELECT "User"."id" AS "User_id", "User"."name" AS "User_name" FROM "user" "User" LEFT JOIN "photo" "photos" ON "photos"."userId"="User"."id") "distinctAlias" ORDER BY "User_id" ASC LIMIT 40
SELECT "Comment"."id", "Comment"."body" FROM "Comments" AS "Comment" INNER JOIN "Posts" AS "Post" ON "Comment"."postId" = "Post"."id" AND "Post"."userId" = 513
SELECT "id", "firstName", "lastName", "email", "createdAt", "updatedAt" FROM "Users" AS "User" WHERE "User"."id" = 6168
SELECT "id", "title", "userId" FROM "Posts" AS "Post" WHERE "Post"."userId" = $1 ORDER BY "Post"."createdAt" DESC LIMIT 44 OFFSET 136
DELETE FROM "Sessions" WHERE "expires" < '2025-01-27 06:01:54'
SELECT count(*) AS "count" FROM "Posts" AS "Post" WHERE "Post"."userId" = 8034
SELECT "User"."id" AS "User_id", "User"."name" AS "User_name", "User"."email" AS "User_email" FROM "user" "User" WHERE "User"."id" IN (38, 156)
SELECT DISTINCT "distinctAlias"."User_id" AS "ids_User_id" FROM (SELECT "User"."id" AS "User_id", "User"."name" AS "User_name" FROM "user" "User" LEFT JOIN "photo" "photos" ON "photos"."userId"="User"."id") "distinctAlias" ORDER BY "User_id" ASC LIMIT 42
SELECT "Comment"."id", "Comment"."body" FROM "Comments" AS "Comment" INNER JOIN "Posts" AS "Post" ON "Comment"."postId" = "Post"."id" AND "Post"."userId" = 195
SELECT "id", "firstName", "lastName", "email", "createdAt", "updatedAt" FROM "Users" AS "User" WHERE "User"."id" = 3049
SELECT "id", "title", "userId" FROM "Posts" AS "Post" WHERE "Post"."userId" = $1 ORDER BY "Post"."createdAt" DESC LIMIT 12 OFFSET 12
DELETE FROM "Sessions" WHERE "expires" < '2025-03-19 09:02:38'
SELECT count(*) AS "count" FROM "Posts" AS "Post" WHERE "Post"."userId" = 9417
SELECT "User"."id" AS "User_id", "User"."name" AS "User_name", "User"."email" AS "User_email" FROM "user" "User" WHERE "User"."id" IN (64, 184)
SELECT DISTINCT "distinctAlias"."User_id" AS "ids_User_id" FROM (SELECT "User"."id" AS "User_id", "User"."name" AS "User_name" FROM "user" "User" LEFT JOIN "photo" "photos" ON "photos"."userId"="User"."id") "distinctAlias" ORDER BY "User_id" ASC LIMIT 10
SELECT "Comment"."id", "Comment"."body" FROM "Comments" AS "Comment" INNER JOIN "Posts" AS "Post" ON "Comment"."postId" = "Post"."id" AND "Post"."userId" = 241
SELECT "id", "firstName", "lastName", "email", "createdAt", "updatedAt" FROM "Users" AS "User" WHERE "User"."id" = 6543
SELECT "id", "title", "userId" FROM "Posts" AS "Post" WHERE "Post"."userId" = $1 ORDER BY "Post"."createdAt" DESC LIMIT 17 OFFSET 132
DELETE FROM "Sessions" WHERE "expires" < '2025-07-22 23:48:28'
SELECT count(*) AS "count" FROM "Posts" AS "Post" WHERE "Post"."userId" = 6770
SELECT "User"."id" AS "User_id", "User"."name" AS "User_name", "User"."email" AS "User_email" FROM "user" "User" WHERE "User"."id" IN (4, 191)
SELECT DISTINCT "distinctAlias"."User_id" AS "ids_User_id" FROM (SELECT "User"."id" AS "User_id", "User"."name" AS "User_name" FROM "user" "User" LEFT JOIN "photo" "photos" ON "photos"."userId"="User"."id") "distinctAlias" ORDER BY "User_id" ASC LIMIT 34
SELECT "Comment"."id", "Comment"."body" FROM "Comments" AS "Comment" INNER JOIN "Posts" AS "Post" ON "Comment"."postId" = "Post"."id" AND "Post"."userId" = 373
SELECT "id", "firstName", "lastName", "email", "createdAt", "updatedAt" FROM "Users" AS "User" WHERE "User"."id" = 4939
SELECT "id", "title", "userId" FROM "Posts" AS "Post" WHERE "Post"."userId" = $1 ORDER BY "Post"."createdAt" DESC LIMIT 10 OFFSET 96
DELETE FROM "Sessions" WHERE "expires" < '2025-09-17 15:51:21'
SELECT count(*) AS "count" FROM "Posts" AS "Post" WHERE "Post"."userId" = 3401
SELECT "User"."id" AS "User_id", "User"."name" AS "User_name", "User"."email" AS "User_email" FROM "user" "User" WHERE "User"."id" IN (18, 190)
SELECT DISTINCT "distinctAlias"."User_id" AS "ids_User_id" FROM (SELECT "User"."id" AS "User_id", "User"."name" AS "User_name" FROM "user" "User" LEFT JOIN "photo" "photos" ON "photos"."userId"="User"."id") "distinctAlias" ORDER BY "User_id" ASC LIMIT 41
SELECT "Comment"."id", "Comment"."body" FROM "Comments" AS "Comment" INNER JOIN "Posts" AS "Post" ON "Comment"."postId" = "Post"."id" AND "Post"."userId" = 746
SELECT "id", "firstName", "lastName", "email", "createdAt", "updatedAt" FROM "Users" AS "User" WHERE "User"."id" = 1320
SELECT "id", "title", "userId" FROM "Posts" AS "Post" WHERE "Post"."userId" = $1 ORDER BY "Post"."createdAt" DESC LIMIT 39 OFFSET 30
DELETE FROM "Sessions" WHERE "expires" < '2025-03-13 21:31:16'
SELECT count(*) AS "count" FROM "Posts" AS "Post" WHERE "Post"."userId" = 7218
SELECT "User"."id" AS "User_id", "User"."name" AS "User_name", "User"."email" AS "User_email" FROM "user" "User" WHERE "User"."id" IN (23, 175)
SELECT "Comment"."id", "Comment"."body" FROM "Comments" AS "Comment" INNER JOIN "Posts" AS "Post" ON "Comment"."postId" = "Post"."id" AND "Post"."userId" = 411
SELECT "id", "firstName", "lastName", "email", "createdAt", "updatedAt" FROM "Users" AS "User" WHERE "User"."id" = 9514
SELECT "id", "title", "userId" FROM "Posts" AS "Post" WHERE "Post"."userId" = $1 ORDER BY "Post"."createdAt" DESC LIMIT 36 OFFSET 183
DELETE FROM "Sessions" WHERE "expires" < '2025-08-21 14:28:29'
SELECT count(*) AS "count" FROM "Posts" AS "Post" WHERE "Post"."userId" = 7735
SELECT "User"."id" AS "User_id", "User"."name" AS "User_name", "User"."email" AS "User_email" FROM "user" "User" WHERE "User"."id" IN (19, 137)
SELECT "Comment"."id", "Comment"."body" FROM "Comments" AS "Comment" INNER JOIN "Posts" AS "Post" ON "Comment"."postId" = "Post"."id" AND "Post"."userId" = 995
SELECT "id", "firstName", "lastName", "email", "createdAt", "updatedAt" FROM "Users" AS "User" WHERE "User"."id" = 353
SELECT "id", "title", "userId" FROM "Posts" AS "Post" WHERE "Post"."userId" = $1 ORDER BY "Post"."createdAt" DESC LIMIT 35 OFFSET 192
DELETE FROM "Sessions" WHERE "expires" < '2025-03-21 09:17:19'
SELECT count(*) AS "count" FROM "Posts" AS "Post" WHERE "Post"."userId" = 6448
SELECT "User"."id" AS "User_id", "User"."name" AS "User_name", "User"."email" AS "User_email" FROM "user" "User" WHERE "User"."id" IN (15, 121)
SELECT DISTINCT "distinctAlias"."User_id" AS "ids_User_id" FROM (SELECT "User"."id" AS "User_id", "User"."name" AS "User_name" FROM "user" "User" LEFT JOIN "photo" "photos" ON "photos"."userId"="User"."id") "distinctAlias" ORDER BY "User_id" ASC LIMIT 18
SELECT "Comment"."id", "Comment"."body" FROM "Comments" AS "Comment" INNER JOIN "Posts" AS "Post" ON "Comment"."postId" = "Post"."id" AND "Post"."userId" = 767
SELECT "id", "firstName", "lastName", "email", "createdAt", "updatedAt" FROM "Users" AS "User" WHERE "User"."id" = 2765
SELECT "id", "title", "userId" FROM "Posts" AS "Post" WHERE "Post"."userId" = $1 ORDER BY "Post"."createdAt" DESC LIMIT 37 OFFSET 64
DELETE FROM "Sessions" WHERE "expires" < '2025-07-05 23:08:55'
SELECT count(*) AS "count" FROM "Posts" AS "Post" WHERE "Post"."userId" = 4662
SELECT "User"."id" AS "User_id", "User"."name" AS "User_name", "User"."email" AS "User_email" FROM "user" "User" WHERE "User"."id" IN (8, 115)
SELECT DISTINCT "distinctAlias"."User_id" AS "ids_User_id" FROM (SELECT "User"."id" AS "User_id", "User"."name" AS "User_name" FROM "user" "User" LEFT JOIN "photo" "photos" ON "photos"."userId"="User"."id") "distinctAlias" ORDER BY "User_id" ASC LIMIT 24
SELECT "Comment"."id", "Comment"."body" FROM "Comments" AS "Comment" INNER JOIN "Posts" AS "Post" ON "Comment"."postId" = "Post"."id" AND "Post"."userId" = 904
