-- Statement shapes of large Rails applications on PostgreSQL (GitLab: projects, issues,
-- merge requests, namespaces; Mastodon: statuses, accounts, follows, home timelines).
SELECT "projects".* FROM "projects" WHERE "projects"."id" = 79347 LIMIT 1
SELECT "namespaces".* FROM "namespaces" WHERE "namespaces"."type" = 'Group' AND "namespaces"."id" = 7685 LIMIT 1
SELECT "issues".* FROM "issues" WHERE "issues"."project_id" = 785 AND "issues"."iid" = 7 LIMIT 1
SELECT COUNT(*) FROM "issues" WHERE "issues"."project_id" = 3888 AND ("issues"."state_id" IN (1))
SELECT "merge_requests".* FROM "merge_requests" WHERE "merge_requests"."target_project_id" = 3508 AND "merge_requests"."state_id" = 1 ORDER BY "merge_requests"."id" DESC LIMIT 20
UPDATE "projects" SET "last_activity_at" = '2025-12-14 06:12:50' WHERE "projects"."id" = 53625 AND ("projects"."last_activity_at" <= '2025-08-19 23:49:47')
INSERT INTO "events" ("project_id", "author_id", "target_id", "target_type", "action", "created_at", "updated_at") VALUES (3487, 9602, 3200, 'Issue', 1, '2025-03-25 10:42:08', '2025-02-16 03:50:22') RETURNING "id"
SELECT 1 AS one FROM "project_authorizations" WHERE "project_authorizations"."user_id" = 9745 AND "project_authorizations"."project_id" = 9593 LIMIT 1
SELECT "statuses"."id", "statuses"."updated_at" FROM "statuses" WHERE "statuses"."account_id" = 55008 AND "statuses"."deleted_at" IS NULL ORDER BY "statuses"."id" DESC LIMIT 20
SELECT "accounts".* FROM "accounts" WHERE "accounts"."id" = 59764 LIMIT 1
SELECT "follows"."target_account_id" FROM "follows" WHERE "follows"."account_id" = 67816
INSERT INTO "favourites" ("account_id", "status_id", "created_at", "updated_at") VALUES (6028, 1575206364, '2025-01-17 14:18:01', '2025-09-13 17:00:38') RETURNING "id"
UPDATE "status_stats" SET "favourites_count" = COALESCE("favourites_count", 0) + 1 WHERE "status_stats"."id" = 29246
SELECT "statuses".* FROM "statuses" WHERE "statuses"."id" IN (7507261355, 3596868676, 1920089963) AND "statuses"."deleted_at" IS NULL
SELECT "notifications".* FROM "notifications" WHERE "notifications"."account_id" = 87040 AND "notifications"."id" < 2234602 ORDER BY "notifications"."id" DESC LIMIT 40
DELETE FROM "session_activations" WHERE "session_activations"."user_id" = 2202 AND "session_activations"."id" NOT IN (SELECT "session_activations"."id" FROM "session_activations" WHERE "session_activations"."user_id" = 5904 ORDER BY "session_activations"."updated_at" DESC LIMIT 10)
SELECT "projects".* FROM "projects" WHERE "projects"."id" = 11639 LIMIT 1
SELECT "namespaces".* FROM "namespaces" WHERE "namespaces"."type" = 'Group' AND "namespaces"."id" = 6617 LIMIT 1
SELECT "issues".* FROM "issues" WHERE "issues"."project_id" = 7311 AND "issues"."iid" = 279 LIMIT 1
SELECT COUNT(*) FROM "issues" WHERE "issues"."project_id" = 5764 AND ("issues"."state_id" IN (1))
SELECT "merge_requests".* FROM "merge_requests" WHERE "merge_requests"."target_project_id" = 4259 AND "merge_requests"."state_id" = 1 ORDER BY "merge_requests"."id" DESC LIMIT 20
UPDATE "projects" SET "last_activity_at" = '2025-09-12 01:57:57' WHERE "projects"."id" = 68989 AND ("projects"."last_activity_at" <= '2025-11-12 13:12:32')
INSERT INTO "events" ("project_id", "author_id", "target_id", "target_type", "action", "created_at", "updated_at") VALUES (8165, 1064, 3253, 'Issue', 1, '2025-12-27 23:18:35', '2025-03-14 18:40:20') RETURNING "id"
SELECT 1 AS one FROM "project_authorizations" WHERE "project_authorizations"."user_id" = 7343 AND "project_authorizations"."project_id" = 3353 LIMIT 1
SELECT "statuses"."id", "statuses"."updated_at" FROM "statuses" WHERE "statuses"."account_id" = 77494 AND "statuses"."deleted_at" IS NULL ORDER BY "statuses"."id" DESC LIMIT 20
SELECT "accounts".* FROM "accounts" WHERE "accounts"."id" = 14858 LIMIT 1
SELECT "follows"."target_account_id" FROM "follows" WHERE "follows"."account_id" = 38729
INSERT INTO "favourites" ("account_id", "status_id", "created_at", "updated_at") VALUES (45603, 1823660921, '2025-12-25 08:04:06', '2025-03-07 18:06:30') RETURNING "id"
UPDATE "status_stats" SET "favourites_count" = COALESCE("favourites_count", 0) + 1 WHERE "status_stats"."id" = 51141
SELECT "statuses".* FROM "statuses" WHERE "statuses"."id" IN (8547316154, 7292732886, 8330383164) AND "statuses"."deleted_at" IS NULL
SELECT "notifications".* FROM "notifications" WHERE "notifications"."account_id" = 40397 AND "notifications"."id" < 7724017 ORDER BY "notifications"."id" DESC LIMIT 40
DELETE FROM "session_activations" WHERE "session_activations"."user_id" = 3016 AND "session_activations"."id" NOT IN (SELECT "session_activations"."id" FROM "session_activations" WHERE "session_activations"."user_id" = 6400 ORDER BY "session_activations"."updated_at" DESC LIMIT 10)
SELECT "projects".* FROM "projects" WHERE "projects"."id" = 48504 LIMIT 1
SELECT "namespaces".* FROM "namespaces" WHERE "namespaces"."type" = 'Group' AND "namespaces"."id" = 6457 LIMIT 1
SELECT "issues".* FROM "issues" WHERE "issues"."project_id" = 4960 AND "issues"."iid" = 805 LIMIT 1
SELECT COUNT(*) FROM "issues" WHERE "issues"."project_id" = 4737 AND ("issues"."state_id" IN (1))
SELECT "merge_requests".* FROM "merge_requests" WHERE "merge_requests"."target_project_id" = 4942 AND "merge_requests"."state_id" = 1 ORDER BY "merge_requests"."id" DESC LIMIT 20
UPDATE "projects" SET "last_activity_at" = '2025-01-17 21:12:06' WHERE "projects"."id" = 68537 AND ("projects"."last_activity_at" <= '2025-07-12 19:19:26')
INSERT INTO "events" ("project_id", "author_id", "target_id", "target_type", "action", "created_at", "updated_at") VALUES (8029, 2943, 3292, 'Issue', 1, '2025-09-15 16:47:40', '2025-11-06 02:35:01') RETURNING "id"
SELECT 1 AS one FROM "project_authorizations" WHERE "project_authorizations"."user_id" = 7557 AND "project_authorizations"."project_id" = 4944 LIMIT 1
SELECT "statuses"."id", "statuses"."updated_at" FROM "statuses" WHERE "statuses"."account_id" = 91939 AND "statuses"."deleted_at" IS NULL ORDER BY "statuses"."id" DESC LIMIT 20
SELECT "accounts".* FROM "accounts" WHERE "accounts"."id" = 76662 LIMIT 1
SELECT "follows"."target_account_id" FROM "follows" WHERE "follows"."account_id" = 69979
INSERT INTO "favourites" ("account_id", "status_id", "created_at", "updated_at") VALUES (97790, 5833160593, '2025-06-14 15:54:31', '2025-08-27 07:58:35') RETURNING "id"
UPDATE "status_stats" SET "favourites_count" = COALESCE("favourites_count", 0) + 1 WHERE "status_stats"."id" = 14360
SELECT "statuses".* FROM "statuses" WHERE "statuses"."id" IN (9930175162, 1885833387, 7855465124) AND "statuses"."deleted_at" IS NULL
SELECT "notifications".* FROM "notifications" WHERE "notifications"."account_id" = 2225 AND "notifications"."id" < 5654170 ORDER BY "notifications"."id" DESC LIMIT 40
DELETE FROM "session_activations" WHERE "session_activations"."user_id" = 3238 AND "session_activations"."id" NOT IN (SELECT "session_activations"."id" FROM "session_activations" WHERE "session_activations"."user_id" = 8080 ORDER BY "session_activations"."updated_at" DESC LIMIT 10)
SELECT "projects".* FROM "projects" WHERE "projects"."id" = 84196 LIMIT 1
SELECT "namespaces".* FROM "namespaces" WHERE "namespaces"."type" = 'Group' AND "namespaces"."id" = 5413 LIMIT 1
SELECT "issues".* FROM "issues" WHERE "issues"."project_id" = 7793 AND "issues"."iid" = 903 LIMIT 1
SELECT COUNT(*) FROM "issues" WHERE "issues"."project_id" = 8480 AND ("issues"."state_id" IN (1))
SELECT "merge_requests".* FROM "merge_requests" WHERE "merge_requests"."target_project_id" = 5778 AND "merge_requests"."state_id" = 1 ORDER BY "merge_requests"."id" DESC LIMIT 20
UPDATE "projects" SET "last_activity_at" = '2025-06-03 02:33:11' WHERE "projects"."id" = 79118 AND ("projects"."last_activity_at" <= '2025-03-23 04:19:35')
INSERT INTO "events" ("project_id", "author_id", "target_id", "target_type", "action", "created_at", "updated_at") VALUES (6716, 8343, 9810, 'Issue', 1, '2025-08-16 16:22:51', '2025-04-07 05:00:08') RETURNING "id"
SELECT 1 AS one FROM "project_authorizations" WHERE "project_authorizations"."user_id" = 6448 AND "project_authorizations"."project_id" = 9389 LIMIT 1
SELECT "statuses"."id", "statuses"."updated_at" FROM "statuses" WHERE "statuses"."account_id" = 74154 AND "statuses"."deleted_at" IS NULL ORDER BY "statuses"."id" DESC LIMIT 20
SELECT "accounts".* FROM "accounts" WHERE "accounts"."id" = 37543 LIMIT 1
SELECT "follows"."target_account_id" FROM "follows" WHERE "follows"."account_id" = 37171
INSERT INTO "favourites" ("account_id", "status_id", "created_at", "updated_at") VALUES (20965, 7613363944, '2025-03-16 20:32:06', '2025-09-16 03:11:03') RETURNING "id"
UPDATE "status_stats" SET "favourites_count" = COALESCE("favourites_count", 0) + 1 WHERE "status_stats"."id" = 6598
SELECT "statuses".* FROM "statuses" WHERE "statuses"."id" IN (4201561090, 9291266387, 4268257241) AND "statuses"."deleted_at" IS NULL
SELECT "notifications".* FROM "notifications" WHERE "notifications"."account_id" = 81406 AND "notifications"."id" < 5392976 ORDER BY "notifications"."id" DESC LIMIT 40
DELETE FROM "session_activations" WHERE "session_activations"."user_id" = 9823 AND "session_activations"."id" NOT IN (SELECT "session_activations"."id" FROM "session_activations" WHERE "session_activations"."user_id" = 8925 ORDER BY "session_activations"."updated_at" DESC LIMIT 10)
SELECT "projects".* FROM "projects" WHERE "projects"."id" = 27019 LIMIT 1
SELECT "namespaces".* FROM "namespaces" WHERE "namespaces"."type" = 'Group' AND "namespaces"."id" = 4698 LIMIT 1
SELECT "issues".* FROM "issues" WHERE "issues"."project_id" = 6594 AND "issues"."iid" = 235 LIMIT 1
SELECT COUNT(*) FROM "issues" WHERE "issues"."project_id" = 2746 AND ("issues"."state_id" IN (1))
SELECT "merge_requests".* FROM "merge_requests" WHERE "merge_requests"."target_project_id" = 9168 AND "merge_requests"."state_id" = 1 ORDER BY "merge_requests"."id" DESC LIMIT 20
UPDATE "projects" SET "last_activity_at" = '2025-11-22 08:51:13' WHERE "projects"."id" = 48253 AND ("projects"."last_activity_at" <= '2025-07-03 09:03:56')
INSERT INTO "events" ("project_id", "author_id", "target_id", "target_type", "action", "created_at", "updated_at") VALUES (4780, 1390, 5320, 'Issue', 1, '2025-06-02 17:27:46', '2025-01-11 11:47:42') RETURNING "id"
SELECT 1 AS one FROM "project_authorizations" WHERE "project_authorizations"."user_id" = 9601 AND "project_authorizations"."project_id" = 244 LIMIT 1
SELECT "statuses"."id", "statuses"."updated_at" FROM "statuses" WHERE "statuses"."account_id" = 5929 AND "statuses"."deleted_at" IS NULL ORDER BY "statuses"."id" DESC LIMIT 20
SELECT "accounts".* FROM "accounts" WHERE "accounts"."id" = 5395 LIMIT 1
SELECT "follows"."target_account_id" FROM "follows" WHERE "follows"."account_id" = 53075
INSERT INTO "favourites" ("account_id", "status_id", "created_at", "updated_at") VALUES (70058, 7703370979, '2025-03-05 22:18:56', '2025-07-12 11:08:02') RETURNING "id"
UPDATE "status_stats" SET "favourites_count" = COALESCE("favourites_count", 0) + 1 WHERE "status_stats"."id" = 14406
SELECT "statuses".* FROM "statuses" WHERE "statuses"."id" IN (9164624662, 7531550669, 3750919594) AND "statuses"."deleted_at" IS NULL
SELECT "notifications".* FROM "notifications" WHERE "notifications"."account_id" = 81685 AND "notifications"."id" < 1296525 ORDER BY "notifications"."id" DESC LIMIT 40
DELETE FROM "session_activations" WHERE "session_activations"."user_id" = 9670 AND "session_activations"."id" NOT IN (SELECT "session_activations"."id" FROM "session_activations" WHERE "session_activations"."user_id" = 1059 ORDER BY "session_activations"."updated_at" DESC LIMIT 10)
SELECT "projects".* FROM "projects" WHERE "projects"."id" = 61167 LIMIT 1
SELECT "namespaces".* FROM "namespaces" WHERE "namespaces"."type" = 'Group' AND "namespaces"."id" = 1737 LIMIT 1
SELECT "issues".* FROM "issues" WHERE "issues"."project_id" = 9818 AND "issues"."iid" = 526 LIMIT 1
SELECT COUNT(*) FROM "issues" WHERE "issues"."project_id" = 1136 AND ("issues"."state_id" IN (1))
SELECT "merge_requests".* FROM "merge_requests" WHERE "merge_requests"."target_project_id" = 4817 AND "merge_requests"."state_id" = 1 ORDER BY "merge_requests"."id" DESC LIMIT 20
UPDATE "projects" SET "last_activity_at" = '2025-10-23 01:21:05' WHERE "projects"."id" = 54249 AND ("projects"."last_activity_at" <= '2025-07-06 13:25:06')
INSERT INTO "events" ("project_id", "author_id", "target_id", "target_type", "action", "created_at", "updated_at") VALUES (1051, 4895, 4775, 'Issue', 1, '2025-12-21 23:58:00', '2025-02-28 18:57:25') RETURNING "id"
SELECT 1 AS one FROM "project_authorizations" WHERE "project_authorizations"."user_id" = 4828 AND "project_authorizations"."project_id" = 6178 LIMIT 1
SELECT "statuses"."id", "statuses"."updated_at" FROM "statuses" WHERE "statuses"."account_id" = 5810 AND "statuses"."deleted_at" IS NULL ORDER BY "statuses"."id" DESC LIMIT 20
SELECT "accounts".* FROM "accounts" WHERE "accounts"."id" = 14637 LIMIT 1
SELECT "follows"."target_account_id" FROM "follows" WHERE "follows"."account_id" = 9759
INSERT INTO "favourites" ("account_id", "status_id", "created_at", "updated_at") VALUES (85200, 2443189593, '2025-06-05 21:36:28', '2025-06-08 08:55:10') RETURNING "id"
UPDATE "status_stats" SET "favourites_count" = COALESCE("favourites_count", 0) + 1 WHERE "status_stats"."id" = 31754
SELECT "statuses".* FROM "statuses" WHERE "statuses"."id" IN (8256182891, 6915767760, 3611318625) AND "statuses"."deleted_at" IS NULL
SELECT "notifications".* FROM "notifications" WHERE "notifications"."account_id" = 4259 AND "notifications"."id" < 7131122 ORDER BY "notifications"."id" DESC LIMIT 40
DELETE FROM "session_activations" WHERE "session_activations"."user_id" = 4700 AND "session_activations"."id" NOT IN (SELECT "session_activations"."id" FROM "session_activations" WHERE "session_activations"."user_id" = 1590 ORDER BY "session_activations"."updated_at" DESC LIMIT 10)
SELECT "projects".* FROM "projects" WHERE "projects"."id" = 29619 LIMIT 1
SELECT "namespaces".* FROM "namespaces" WHERE "namespaces"."type" = 'Group' AND "namespaces"."id" = 8404 LIMIT 1
SELECT "issues".* FROM "issues" WHERE "issues"."project_id" = 5788 AND "issues"."iid" = 156 LIMIT 1
SELECT COUNT(*) FROM "issues" WHERE "issues"."project_id" = 8117 AND ("issues"."state_id" IN (1))
SELECT "merge_requests".* FROM "merge_requests" WHERE "merge_requests"."target_project_id" = 72 AND "merge_requests"."state_id" = 1 ORDER BY "merge_requests"."id" DESC LIMIT 20
UPDATE "projects" SET "last_activity_at" = '2025-03-23 07:43:31' WHERE "projects"."id" = 70626 AND ("projects"."last_activity_at" <= '2025-09-01 00:09:03')
INSERT INTO "events" ("project_id", "author_id", "target_id", "target_type", "action", "created_at", "updated_at") VALUES (5489, 6945, 4224, 'Issue', 1, '2025-01-24 07:53:18', '2025-01-01 20:42:20') RETURNING "id"
SELECT 1 AS one FROM "project_authorizations" WHERE "project_authorizations"."user_id" = 8446 AND "project_authorizations"."project_id" = 9956 LIMIT 1
SELECT "statuses"."id", "statuses"."updated_at" FROM "statuses" WHERE "statuses"."account_id" = 94352 AND "statuses"."deleted_at" IS NULL ORDER BY "statuses"."id" DESC LIMIT 20
SELECT "accounts".* FROM "accounts" WHERE "accounts"."id" = 7755 LIMIT 1
SELECT "follows"."target_account_id" FROM "follows" WHERE "follows"."account_id" = 29906
INSERT INTO "favourites" ("account_id", "status_id", "created_at", "updated_at") VALUES (799, 9144540917, '2025-10-20 04:23:34', '2025-04-05 08:54:17') RETURNING "id"
UPDATE "status_stats" SET "favourites_count" = COALESCE("favourites_count", 0) + 1 WHERE "status_stats"."id" = 26025
SELECT "statuses".* FROM "statuses" WHERE "statuses"."id" IN (6605523064, 8089563573, 9783918517) AND "statuses"."deleted_at" IS NULL
SELECT "notifications".* FROM "notifications" WHERE "notifications"."account_id" = 26996 AND "notifications"."id" < 2033970 ORDER BY "notifications"."id" DESC LIMIT 40
DELETE FROM "session_activations" WHERE "session_activations"."user_id" = 5310 AND "session_activations"."id" NOT IN (SELECT "session_activations"."id" FROM "session_activations" WHERE "session_activations"."user_id" = 3432 ORDER BY "session_activations"."updated_at" DESC LIMIT 10)
SELECT "projects".* FROM "projects" WHERE "projects"."id" = 68206 LIMIT 1
SELECT "namespaces".* FROM "namespaces" WHERE "namespaces"."type" = 'Group' AND "namespaces"."id" = 2774 LIMIT 1
SELECT "issues".* FROM "issues" WHERE "issues"."project_id" = 51 AND "issues"."iid" = 385 LIMIT 1
SELECT COUNT(*) FROM "issues" WHERE "issues"."project_id" = 9218 AND ("issues"."state_id" IN (1))
SELECT "merge_requests".* FROM "merge_requests" WHERE "merge_requests"."target_project_id" = 3849 AND "merge_requests"."state_id" = 1 ORDER BY "merge_requests"."id" DESC LIMIT 20
UPDATE "projects" SET "last_activity_at" = '2025-04-06 05:17:05' WHERE "projects"."id" = 707 AND ("projects"."last_activity_at" <= '2025-11-06 06:48:58')
INSERT INTO "events" ("project_id", "author_id", "target_id", "target_type", "action", "created_at", "updated_at") VALUES (4109, 8819, 4056, 'Issue', 1, '2025-07-11 15:04:58', '2025-09-06 08:37:58') RETURNING "id"
SELECT 1 AS one FROM "project_authorizations" WHERE "project_authorizations"."user_id" = 5222 AND "project_authorizations"."project_id" = 9406 LIMIT 1
SELECT "statuses"."id", "statuses"."updated_at" FROM "statuses" WHERE "statuses"."account_id" = 27696 AND "statuses"."deleted_at" IS NULL ORDER BY "statuses"."id" DESC LIMIT 20
SELECT "accounts".* FROM "accounts" WHERE "accounts"."id" = 580 LIMIT 1
SELECT "follows"."target_account_id" FROM "follows" WHERE "follows"."account_id" = 95239
INSERT INTO "favourites" ("account_id", "status_id", "created_at", "updated_at") VALUES (22906, 7068659980, '2025-02-09 14:35:37', '2025-05-25 08:28:37') RETURNING "id"
UPDATE "status_stats" SET "favourites_count" = COALESCE("favourites_count", 0) + 1 WHERE "status_stats"."id" = 45162
SELECT "statuses".* FROM "statuses" WHERE "statuses"."id" IN (7752471815, 3584084752, 9409478243) AND "statuses"."deleted_at" IS NULL
SELECT "notifications".* FROM "notifications" WHERE "notifications"."account_id" = 38963 AND "notifications"."id" < 5903663 ORDER BY "notifications"."id" DESC LIMIT 40
DELETE FROM "session_activations" WHERE "session_activations"."user_id" = 754 AND "session_activations"."id" NOT IN (SELECT "session_activations"."id" FROM "session_activations" WHERE "session_activations"."user_id" = 1170 ORDER BY "session_activations"."updated_at" DESC LIMIT 10)
SELECT "projects".* FROM "projects" WHERE "projects"."id" = 85964 LIMIT 1
SELECT "namespaces".* FROM "namespaces" WHERE "namespaces"."type" = 'Group' AND "namespaces"."id" = 7340 LIMIT 1
SELECT "issues".* FROM "issues" WHERE "issues"."project_id" = 7190 AND "issues"."iid" = 42 LIMIT 1
SELECT COUNT(*) FROM "issues" WHERE "issues"."project_id" = 2722 AND ("issues"."state_id" IN (1))
SELECT "merge_requests".* FROM "merge_requests" WHERE "merge_requests"."target_project_id" = 9238 AND "merge_requests"."state_id" = 1 ORDER BY "merge_requests"."id" DESC LIMIT 20
UPDATE "projects" SET "last_activity_at" = '2025-05-27 15:36:46' WHERE "projects"."id" = 26229 AND ("projects"."last_activity_at" <= '2025-06-14 06:48:28')
INSERT INTO "events" ("project_id", "author_id", "target_id", "target_type", "action", "created_at", "updated_at") VALUES (8568, 7540, 8412, 'Issue', 1, '2025-07-15 22:12:04', '2025-12-08 08:40:36') RETURNING "id"
SELECT 1 AS one FROM "project_authorizations" WHERE "project_authorizations"."user_id" = 1239 AND "project_authorizations"."project_id" = 1069 LIMIT 1
SELECT "statuses"."id", "statuses"."updated_at" FROM "statuses" WHERE "statuses"."account_id" = 38917 AND "statuses"."deleted_at" IS NULL ORDER BY "statuses"."id" DESC LIMIT 20
SELECT "accounts".* FROM "accounts" WHERE "accounts"."id" = 52531 LIMIT 1
SELECT "follows"."target_account_id" FROM "follows" WHERE "follows"."account_id" = 18055
INSERT INTO "favourites" ("account_id", "status_id", "created_at", "updated_at") VALUES (23709, 1629923104, '2025-02-28 16:08:31', '2025-02-14 03:40:16') RETURNING "id"
UPDATE "status_stats" SET "favourites_count" = COALESCE("favourites_count", 0) + 1 WHERE "status_stats"."id" = 35554
SELECT "statuses".* FROM "statuses" WHERE "statuses"."id" IN (9144316276, 3293702661, 8111759048) AND "statuses"."deleted_at" IS NULL
SELECT "notifications".* FROM "notifications" WHERE "notifications"."account_id" = 84454 AND "notifications"."id" < 3059702 ORDER BY "notifications"."id" DESC LIMIT 40
DELETE FROM "session_activations" WHERE "session_activations"."user_id" = 6367 AND "session_activations"."id" NOT IN (SELECT "session_activations"."id" FROM "session_activations" WHERE "session_activations"."user_id" = 4976 ORDER BY "session_activations"."updated_at" DESC LIMIT 10)
SELECT "projects".* FROM "projects" WHERE "projects"."id" = 56037 LIMIT 1
SELECT "namespaces".* FROM "namespaces" WHERE "namespaces"."type" = 'Group' AND "namespaces"."id" = 351 LIMIT 1
SELECT "issues".* FROM "issues" WHERE "issues"."project_id" = 9466 AND "issues"."iid" = 245 LIMIT 1
SELECT COUNT(*) FROM "issues" WHERE "issues"."project_id" = 4281 AND ("issues"."state_id" IN (1))
SELECT "merge_requests".* FROM "merge_requests" WHERE "merge_requests"."target_project_id" = 7837 AND "merge_requests"."state_id" = 1 ORDER BY "merge_requests"."id" DESC LIMIT 20
UPDATE "projects" SET "last_activity_at" = '2025-02-21 10:27:12' WHERE "projects"."id" = 82175 AND ("projects"."last_activity_at" <= '2025-10-02 20:52:46')
INSERT INTO "events" ("project_id", "author_id", "target_id", "target_type", "action", "created_at", "updated_at") VALUES (9831, 5628, 991, 'Issue', 1, '2025-09-22 16:19:26', '2025-08-18 18:11:17') RETURNING "id"
SELECT 1 AS one FROM "project_authorizations" WHERE "project_authorizations"."user_id" = 1763 AND "project_authorizations"."project_id" = 8109 LIMIT 1
SELECT "statuses"."id", "statuses"."updated_at" FROM "statuses" WHERE "statuses"."account_id" = 80959 AND "statuses"."deleted_at" IS NULL ORDER BY "statuses"."id" DESC LIMIT 20
SELECT "accounts".* FROM "accounts" WHERE "accounts"."id" = 52883 LIMIT 1
SELECT "follows"."target_account_id" FROM "follows" WHERE "follows"."account_id" = 38739
INSERT INTO "favourites" ("account_id", "status_id", "created_at", "updated_at") VALUES (82438, 4767652671, '2025-07-19 22:47:02', '2025-09-21 02:11:19') RETURNING "id"
UPDATE "status_stats" SET "favourites_count" = COALESCE("favourites_count", 0) + 1 WHERE "status_stats"."id" = 94650
SELECT "statuses".* FROM "statuses" WHERE "statuses"."id" IN (1847658326, 9372786528, 6807476157) AND "statuses"."deleted_at" IS NULL
SELECT "notifications".* FROM "notifications" WHERE "notifications"."account_id" = 34941 AND "notifications"."id" < 7812173 ORDER BY "notifications"."id" DESC LIMIT 40
DELETE FROM "session_activations" WHERE "session_activations"."user_id" = 31 AND "session_activations"."id" NOT IN (SELECT "session_activations"."id" FROM "session_activations" WHERE "session_activations"."user_id" = 6681 ORDER BY "session_activations"."updated_at" DESC LIMIT 10)
SELECT "projects".* FROM "projects" WHERE "projects"."id" = 82809 LIMIT 1
SELECT "namespaces".* FROM "namespaces" WHERE "namespaces"."type" = 'Group' AND "namespaces"."id" = 6579 LIMIT 1
SELECT "issues".* FROM "issues" WHERE "issues"."project_id" = 2474 AND "issues"."iid" = 614 LIMIT 1
SELECT COUNT(*) FROM "issues" WHERE "issues"."project_id" = 7799 AND ("issues"."state_id" IN (1))
SELECT "merge_requests".* FROM "merge_requests" WHERE "merge_requests"."target_project_id" = 4340 AND "merge_requests"."state_id" = 1 ORDER BY "merge_requests"."id" DESC LIMIT 20
UPDATE "projects" SET "last_activity_at" = '2025-01-04 13:28:27' WHERE "projects"."id" = 41936 AND ("projects"."last_activity_at" <= '2025-06-05 12:01:21')
INSERT INTO "events" ("project_id", "author_id", "target_id", "target_type", "action", "created_at", "updated_at") VALUES (2876, 6717, 5875, 'Issue', 1, '2025-02-25 10:08:32', '2025-01-20 19:42:02') RETURNING "id"
SELECT 1 AS one FROM "project_authorizations" WHERE "project_authorizations"."user_id" = 1056 AND "project_authorizations"."project_id" = 37 LIMIT 1
SELECT "statuses"."id", "statuses"."updated_at" FROM "statuses" WHERE "statuses"."account_id" = 77100 AND "statuses"."deleted_at" IS NULL ORDER BY "statuses"."id" DESC LIMIT 20
SELECT "accounts".* FROM "accounts" WHERE "accounts"."id" = 84053 LIMIT 1
SELECT "follows"."target_account_id" FROM "follows" WHERE "follows"."account_id" = 95361
INSERT INTO "favourites" ("account_id", "status_id", "created_at", "updated_at") VALUES (73351, 4767243662, '2025-09-12 07:22:35', '2025-04-18 13:42:59') RETURNING "id"
UPDATE "status_stats" SET "favourites_count" = COALESCE("favourites_count", 0) + 1 WHERE "status_stats"."id" = 4753
SELECT "statuses".* FROM "statuses" WHERE "statuses"."id" IN (6946125238, 7259773531, 8504769244) AND "statuses"."deleted_at" IS NULL
SELECT "notifications".* FROM "notifications" WHERE "notifications"."account_id" = 65965 AND "notifications"."id" < 2941539 ORDER BY "notifications"."id" DESC LIMIT 40
DELETE FROM "session_activations" WHERE "session_activations"."user_id" = 7058 AND "session_activations"."id" NOT IN (SELECT "session_activations"."id" FROM "session_activations" WHERE "session_activations"."user_id" = 1484 ORDER BY "session_activations"."updated_at" DESC LIMIT 10)
SELECT "projects".* FROM "projects" WHERE "projects"."id" = 38893 LIMIT 1
SELECT "namespaces".* FROM "namespaces" WHERE "namespaces"."type" = 'Group' AND "namespaces"."id" = 6087 LIMIT 1
SELECT "issues".* FROM "issues" WHERE "issues"."project_id" = 6560 AND "issues"."iid" = 969 LIMIT 1
SELECT COUNT(*) FROM "issues" WHERE "issues"."project_id" = 9411 AND ("issues"."state_id" IN (1))
SELECT "merge_requests".* FROM "merge_requests" WHERE "merge_requests"."target_project_id" = 3740 AND "merge_requests"."state_id" = 1 ORDER BY "merge_requests"."id" DESC LIMIT 20
UPDATE "projects" SET "last_activity_at" = '2025-01-10 03:32:18' WHERE "projects"."id" = 75369 AND ("projects"."last_activity_at" <= '2025-10-10 14:09:54')
INSERT INTO "events" ("project_id", "author_id", "target_id", "target_type", "action", "created_at", "updated_at") VALUES (7023, 1649, 6105, 'Issue', 1, '2025-11-23 05:36:22', '2025-12-11 21:37:05') RETURNING "id"
SELECT 1 AS one FROM "project_authorizations" WHERE "project_authorizations"."user_id" = 9213 AND "project_authorizations"."project_id" = 7931 LIMIT 1
SELECT "statuses"."id", "statuses"."updated_at" FROM "statuses" WHERE "statuses"."account_id" = 81363 AND "statuses"."deleted_at" IS NULL ORDER BY "statuses"."id" DESC LIMIT 20
SELECT "accounts".* FROM "accounts" WHERE "accounts"."id" = 44346 LIMIT 1
SELECT "follows"."target_account_id" FROM "follows" WHERE "follows"."account_id" = 4640
INSERT INTO "favourites" ("account_id", "status_id", "created_at", "updated_at") VALUES (99879, 1136559399, '2025-08-05 14:13:33', '2025-09-01 01:40:00') RETURNING "id"
UPDATE "status_stats" SET "favourites_count" = COALESCE("favourites_count", 0) + 1 WHERE "status_stats"."id" = 98465
SELECT "statuses".* FROM "statuses" WHERE "statuses"."id" IN (5127071953, 5807959284, 7103776950) AND "statuses"."deleted_at" IS NULL
SELECT "notifications".* FROM "notifications" WHERE "notifications"."account_id" = 579 AND "notifications"."id" < 4703903 ORDER BY "notifications"."id" DESC LIMIT 40
DELETE FROM "session_activations" WHERE "session_activations"."user_id" = 5760 AND "session_activations"."id" NOT IN (SELECT "session_activations"."id" FROM "session_activations" WHERE "session_activations"."user_id" = 5777 ORDER BY "session_activations"."updated_at" DESC LIMIT 10)
SELECT "projects".* FROM "projects" WHERE "projects"."id" = 89135 LIMIT 1
SELECT "namespaces".* FROM "namespaces" WHERE "namespaces"."type" = 'Group' AND "namespaces"."id" = 7864 LIMIT 1
SELECT "issues".* FROM "issues" WHERE "issues"."project_id" = 3670 AND "issues"."iid" = 430 LIMIT 1
SELECT COUNT(*) FROM "issues" WHERE "issues"."project_id" = 2307 AND ("issues"."state_id" IN (1))
SELECT "merge_requests".* FROM "merge_requests" WHERE "merge_requests"."target_project_id" = 1514 AND "merge_requests"."state_id" = 1 ORDER BY "merge_requests"."id" DESC LIMIT 20
UPDATE "projects" SET "last_activity_at" = '2025-05-13 07:34:32' WHERE "projects"."id" = 26551 AND ("projects"."last_activity_at" <= '2025-11-11 15:25:10')
INSERT INTO "events" ("project_id", "author_id", "target_id", "target_type", "action", "created_at", "updated_at") VALUES (4096, 4930, 9358, 'Issue', 1, '2025-10-25 00:03:43', '2025-05-11 18:31:39') RETURNING "id"
SELECT 1 AS one FROM "project_authorizations" WHERE "project_authorizations"."user_id" = 2779 AND "project_authorizations"."project_id" = 4426 LIMIT 1
SELECT "statuses"."id", "statuses"."updated_at" FROM "statuses" WHERE "statuses"."account_id" = 65594 AND "statuses"."deleted_at" IS NULL ORDER BY "statuses"."id" DESC LIMIT 20
SELECT "accounts".* FROM "accounts" WHERE "accounts"."id" = 96646 LIMIT 1
SELECT "follows"."target_account_id" FROM "follows" WHERE "follows"."account_id" = 96084
INSERT INTO "favourites" ("account_id", "status_id", "created_at", "updated_at") VALUES (14847, 1906224573, '2025-01-18 01:54:56', '2025-07-23 06:25:03') RETURNING "id"
UPDATE "status_stats" SET "favourites_count" = COALESCE("favourites_count", 0) + 1 WHERE "status_stats"."id" = 98358
SELECT "statuses".* FROM "statuses" WHERE "statuses"."id" IN (4862725238, 8731546774, 1639281823) AND "statuses"."deleted_at" IS NULL
SELECT "notifications".* FROM "notifications" WHERE "notifications"."account_id" = 648 AND "notifications"."id" < 1606870 ORDER BY "notifications"."id" DESC LIMIT 40
DELETE FROM "session_activations" WHERE "session_activations"."user_id" = 7665 AND "session_activations"."id" NOT IN (SELECT "session_activations"."id" FROM "session_activations" WHERE "session_activations"."user_id" = 9017 ORDER BY "session_activations"."updated_at" DESC LIMIT 10)
SELECT "projects".* FROM "projects" WHERE "projects"."id" = 22078 LIMIT 1
SELECT "namespaces".* FROM "namespaces" WHERE "namespaces"."type" = 'Group' AND "namespaces"."id" = 4824 LIMIT 1
SELECT "issues".* FROM "issues" WHERE "issues"."project_id" = 3969 AND "issues"."iid" = 93 LIMIT 1
SELECT COUNT(*) FROM "issues" WHERE "issues"."project_id" = 8473 AND ("issues"."state_id" IN (1))
SELECT "merge_requests".* FROM "merge_requests" WHERE "merge_requests"."target_project_id" = 1426 AND "merge_requests"."state_id" = 1 ORDER BY "merge_requests"."id" DESC LIMIT 20
UPDATE "projects" SET "last_activity_at" = '2025-03-07 05:47:32' WHERE "projects"."id" = 2323 AND ("projects"."last_activity_at" <= '2025-08-01 02:02:10')
INSERT INTO "events" ("project_id", "author_id", "target_id", "target_type", "action", "created_at", "updated_at") VALUES (2118, 8362, 8209, 'Issue', 1, '2025-12-24 14:46:34', '2025-06-20 06:37:50') RETURNING "id"
SELECT 1 AS one FROM "project_authorizations" WHERE "project_authorizations"."user_id" = 1694 AND "project_authorizations"."project_id" = 6011 LIMIT 1
SELECT "statuses"."id", "statuses"."updated_at" FROM "statuses" WHERE "statuses"."account_id" = 90502 AND "statuses"."deleted_at" IS NULL ORDER BY "statuses"."id" DESC LIMIT 20
SELECT "accounts".* FROM "accounts" WHERE "accounts"."id" = 26941 LIMIT 1
SELECT "follows"."target_account_id" FROM "follows" WHERE "follows"."account_id" = 52240
INSERT INTO "favourites" ("account_id", "status_id", "created_at", "updated_at") VALUES (70798, 4679732670, '2025-06-02 17:52:48', '2025-07-14 13:17:51') RETURNING "id"
UPDATE "status_stats" SET "favourites_count" = COALESCE("favourites_count", 0) + 1 WHERE "status_stats"."id" = 10432
SELECT "statuses".* FROM "statuses" WHERE "statuses"."id" IN (8743979734, 9536256107, 5124170226) AND "statuses"."deleted_at" IS NULL
SELECT "notifications".* FROM "notifications" WHERE "notifications"."account_id" = 3694 AND "notifications"."id" < 2920597 ORDER BY "notifications"."id" DESC LIMIT 40
DELETE FROM "session_activations" WHERE "session_activations"."user_id" = 1556 AND "session_activations"."id" NOT IN (SELECT "session_activations"."id" FROM "session_activations" WHERE "session_activations"."user_id" = 1925 ORDER BY "session_activations"."updated_at" DESC LIMIT 10)
SELECT "projects".* FROM "projects" WHERE "projects"."id" = 53802 LIMIT 1
SELECT "namespaces".* FROM "namespaces" WHERE "namespaces"."type" = 'Group' AND "namespaces"."id" = 5509 LIMIT 1
SELECT "issues".* FROM "issues" WHERE "issues"."project_id" = 6479 AND "issues"."iid" = 497 LIMIT 1
SELECT COUNT(*) FROM "issues" WHERE "issues"."project_id" = 4018 AND ("issues"."state_id" IN (1))
SELECT "merge_requests".* FROM "merge_requests" WHERE "merge_requests"."target_project_id" = 7979 AND "merge_requests"."state_id" = 1 ORDER BY "merge_requests"."id" DESC LIMIT 20
UPDATE "projects" SET "last_activity_at" = '2025-06-22 15:37:53' WHERE "projects"."id" = 26909 AND ("projects"."last_activity_at" <= '2025-05-06 15:23:41')
INSERT INTO "events" ("project_id", "author_id", "target_id", "target_type", "action", "created_at", "updated_at") VALUES (911, 2839, 1104, 'Issue', 1, '2025-12-26 19:37:56', '2025-10-21 23:54:35') RETURNING "id"
SELECT 1 AS one FROM "project_authorizations" WHERE "project_authorizations"."user_id" = 9489 AND "project_authorizations"."project_id" = 3240 LIMIT 1
SELECT "statuses"."id", "statuses"."updated_at" FROM "statuses" WHERE "statuses"."account_id" = 70548 AND "statuses"."deleted_at" IS NULL ORDER BY "statuses"."id" DESC LIMIT 20
SELECT "accounts".* FROM "accounts" WHERE "accounts"."id" = 43297 LIMIT 1
SELECT "follows"."target_account_id" FROM "follows" WHERE "follows"."account_id" = 66909
INSERT INTO "favourites" ("account_id", "status_id", "created_at", "updated_at") VALUES (76062, 6507951887, '2025-05-22 10:12:06', '2025-06-05 07:04:52') RETURNING "id"
UPDATE "status_stats" SET "favourites_count" = COALESCE("favourites_count", 0) + 1 WHERE "status_stats"."id" = 38927
SELECT "statuses".* FROM "statuses" WHERE "statuses"."id" IN (4999915744, 6901979709, 6411700587) AND "statuses"."deleted_at" IS NULL
SELECT "notifications".* FROM "notifications" WHERE "notifications"."account_id" = 8286 AND "notifications"."id" < 1254307 ORDER BY "notifications"."id" DESC LIMIT 40
DELETE FROM "session_activations" WHERE "session_activations"."user_id" = 3995 AND "session_activations"."id" NOT IN (SELECT "session_activations"."id" FROM "session_activations" WHERE "session_activations"."user_id" = 7288 ORDER BY "session_activations"."updated_at" DESC LIMIT 10)
SELECT "projects".* FROM "projects" WHERE "projects"."id" = 17892 LIMIT 1
SELECT "namespaces".* FROM "namespaces" WHERE "namespaces"."type" = 'Group' AND "namespaces"."id" = 2414 LIMIT 1
SELECT "issues".* FROM "issues" WHERE "issues"."project_id" = 3563 AND "issues"."iid" = 983 LIMIT 1
SELECT COUNT(*) FROM "issues" WHERE "issues"."project_id" = 4525 AND ("issues"."state_id" IN (1))
SELECT "merge_requests".* FROM "merge_requests" WHERE "merge_requests"."target_project_id" = 6457 AND "merge_requests"."state_id" = 1 ORDER BY "merge_requests"."id" DESC LIMIT 20
UPDATE "projects" SET "last_activity_at" = '2025-09-28 09:00:17' WHERE "projects"."id" = 40208 AND ("projects"."last_activity_at" <= '2025-07-04 17:15:23')
INSERT INTO "events" ("project_id", "author_id", "target_id", "target_type", "action", "created_at", "updated_at") VALUES (3288, 570, 1, 'Issue', 1, '2025-02-12 11:08:19', '2025-04-03 06:22:38') RETURNING "id"
SELECT 1 AS one FROM "project_authorizations" WHERE "project_authorizations"."user_id" = 6786 AND "project_authorizations"."project_id" = 7932 LIMIT 1
SELECT "statuses"."id", "statuses"."updated_at" FROM "statuses" WHERE "statuses"."account_id" = 38623 AND "statuses"."deleted_at" IS NULL ORDER BY "statuses"."id" DESC LIMIT 20
SELECT "accounts".* FROM "accounts" WHERE "accounts"."id" = 59266 LIMIT 1
SELECT "follows"."target_account_id" FROM "follows" WHERE "follows"."account_id" = 58214
INSERT INTO "favourites" ("account_id", "status_id", "created_at", "updated_at") VALUES (70258, 6356261554, '2025-02-24 08:33:14', '2025-12-02 07:53:45') RETURNING "id"
UPDATE "status_stats" SET "favourites_count" = COALESCE("favourites_count", 0) + 1 WHERE "status_stats"."id" = 66391
SELECT "statuses".* FROM "statuses" WHERE "statuses"."id" IN (8410939650, 4427451108, 7876016094) AND "statuses"."deleted_at" IS NULL
SELECT "notifications".* FROM "notifications" WHERE "notifications"."account_id" = 81965 AND "notifications"."id" < 6997840 ORDER BY "notifications"."id" DESC LIMIT 40
DELETE FROM "session_activations" WHERE "session_activations"."user_id" = 6880 AND "session_activations"."id" NOT IN (SELECT "session_activations"."id" FROM "session_activations" WHERE "session_activations"."user_id" = 4465 ORDER BY "session_activations"."updated_at" DESC LIMIT 10)
SELECT "projects".* FROM "projects" WHERE "projects"."id" = 14912 LIMIT 1
SELECT "namespaces".* FROM "namespaces" WHERE "namespaces"."type" = 'Group' AND "namespaces"."id" = 2291 LIMIT 1
SELECT "issues".* FROM "issues" WHERE "issues"."project_id" = 6731 AND "issues"."iid" = 870 LIMIT 1
SELECT COUNT(*) FROM "issues" WHERE "issues"."project_id" = 1929 AND ("issues"."state_id" IN (1))
SELECT "merge_requests".* FROM "merge_requests" WHERE "merge_requests"."target_project_id" = 7928 AND "merge_requests"."state_id" = 1 ORDER BY "merge_requests"."id" DESC LIMIT 20
UPDATE "projects" SET "last_activity_at" = '2025-04-03 09:19:26' WHERE "projects"."id" = 55922 AND ("projects"."last_activity_at" <= '2025-09-14 03:49:43')
INSERT INTO "events" ("project_id", "author_id", "target_id", "target_type", "action", "created_at", "updated_at") VALUES (1063, 1270, 631, 'Issue', 1, '2025-06-03 17:28:25', '2025-12-28 11:52:52') RETURNING "id"
SELECT 1 AS one FROM "project_authorizations" WHERE "project_authorizations"."user_id" = 9 AND "project_authorizations"."project_id" = 9705 LIMIT 1
SELECT "statuses"."id", "statuses"."updated_at" FROM "statuses" WHERE "statuses"."account_id" = 36965 AND "statuses"."deleted_at" IS NULL ORDER BY "statuses"."id" DESC LIMIT 20
SELECT "accounts".* FROM "accounts" WHERE "accounts"."id" = 20458 LIMIT 1
SELECT "follows"."target_account_id" FROM "follows" WHERE "follows"."account_id" = 53849
INSERT INTO "favourites" ("account_id", "status_id", "created_at", "updated_at") VALUES (29527, 1918802613, '2025-07-08 09:50:39', '2025-07-09 23:09:18') RETURNING "id"
UPDATE "status_stats" SET "favourites_count" = COALESCE("favourites_count", 0) + 1 WHERE "status_stats"."id" = 99389
SELECT "statuses".* FROM "statuses" WHERE "statuses"."id" IN (3335937557, 1626800255, 7194843742) AND "statuses"."deleted_at" IS NULL
SELECT "notifications".* FROM "notifications" WHERE "notifications"."account_id" = 49635 AND "notifications"."id" < 2818374 ORDER BY "notifications"."id" DESC LIMIT 40
DELETE FROM "session_activations" WHERE "session_activations"."user_id" = 2151 AND "session_activations"."id" NOT IN (SELECT "session_activations"."id" FROM "session_activations" WHERE "session_activations"."user_id" = 6708 ORDER BY "session_activations"."updated_at" DESC LIMIT 10)
SELECT "projects".* FROM "projects" WHERE "projects"."id" = 90739 LIMIT 1
SELECT "namespaces".* FROM "namespaces" WHERE "namespaces"."type" = 'Group' AND "namespaces"."id" = 9017 LIMIT 1
SELECT "issues".* FROM "issues" WHERE "issues"."project_id" = 8754 AND "issues"."iid" = 331 LIMIT 1
SELECT COUNT(*) FROM "issues" WHERE "issues"."project_id" = 8574 AND ("issues"."state_id" IN (1))
SELECT "merge_requests".* FROM "merge_requests" WHERE "merge_requests"."target_project_id" = 8980 AND "merge_requests"."state_id" = 1 ORDER BY "merge_requests"."id" DESC LIMIT 20
UPDATE "projects" SET "last_activity_at" = '2025-09-14 13:01:27' WHERE "projects"."id" = 12513 AND ("projects"."last_activity_at" <= '2025-04-03 19:56:53')
INSERT INTO "events" ("project_id", "author_id", "target_id", "target_type", "action", "created_at", "updated_at") VALUES (1286, 2392, 9830, 'Issue', 1, '2025-10-07 05:54:38', '2025-07-19 00:16:00') RETURNING "id"
SELECT 1 AS one FROM "project_authorizations" WHERE "project_authorizations"."user_id" = 393 AND "project_authorizations"."project_id" = 3117 LIMIT 1
SELECT "statuses"."id", "statuses"."updated_at" FROM "statuses" WHERE "statuses"."account_id" = 442 AND "statuses"."deleted_at" IS NULL ORDER BY "statuses"."id" DESC LIMIT 20
SELECT "accounts".* FROM "accounts" WHERE "accounts"."id" = 64129 LIMIT 1
SELECT "follows"."target_account_id" FROM "follows" WHERE "follows"."account_id" = 871
INSERT INTO "favourites" ("account_id", "status_id", "created_at", "updated_at") VALUES (38333, 7938600704, '2025-12-16 18:06:55', '2025-12-18 00:00:17') RETURNING "id"
UPDATE "status_stats" SET "favourites_count" = COALESCE("favourites_count", 0) + 1 WHERE "status_stats"."id" = 19733
SELECT "statuses".* FROM "statuses" WHERE "statuses"."id" IN (8278598324, 7840483909, 4954932363) AND "statuses"."deleted_at" IS NULL
SELECT "notifications".* FROM "notifications" WHERE "notifications"."account_id" = 40140 AND "notifications"."id" < 6001117 ORDER BY "notifications"."id" DESC LIMIT 40
DELETE FROM "session_activations" WHERE "session_activations"."user_id" = 9508 AND "session_activations"."id" NOT IN (SELECT "session_activations"."id" FROM "session_activations" WHERE "session_activations"."user_id" = 4429 ORDER BY "session_activations"."updated_at" DESC LIMIT 10)
SELECT "projects".* FROM "projects" WHERE "projects"."id" = 76880 LIMIT 1
SELECT "namespaces".* FROM "namespaces" WHERE "namespaces"."type" = 'Group' AND "namespaces"."id" = 2870 LIMIT 1
SELECT "issues".* FROM "issues" WHERE "issues"."project_id" = 7434 AND "issues"."iid" = 415 LIMIT 1
SELECT COUNT(*) FROM "issues" WHERE "issues"."project_id" = 354 AND ("issues"."state_id" IN (1))
SELECT "merge_requests".* FROM "merge_requests" WHERE "merge_requests"."target_project_id" = 823 AND "merge_requests"."state_id" = 1 ORDER BY "merge_requests"."id" DESC LIMIT 20
UPDATE "projects" SET "last_activity_at" = '2025-01-17 13:57:31' WHERE "projects"."id" = 51363 AND ("projects"."last_activity_at" <= '2025-05-19 04:23:47')
INSERT INTO "events" ("project_id", "author_id", "target_id", "target_type", "action", "created_at", "updated_at") VALUES (6799, 3147, 4584, 'Issue', 1, '2025-10-10 03:55:39', '2025-12-23 18:06:06') RETURNING "id"
SELECT 1 AS one FROM "project_authorizations" WHERE "project_authorizations"."user_id" = 1198 AND "project_authorizations"."project_id" = 7995 LIMIT 1
SELECT "statuses"."id", "statuses"."updated_at" FROM "statuses" WHERE "statuses"."account_id" = 8862 AND "statuses"."deleted_at" IS NULL ORDER BY "statuses"."id" DESC LIMIT 20
SELECT "accounts".* FROM "accounts" WHERE "accounts"."id" = 33816 LIMIT 1
SELECT "follows"."target_account_id" FROM "follows" WHERE "follows"."account_id" = 26668
INSERT INTO "favourites" ("account_id", "status_id", "created_at", "updated_at") VALUES (58751, 8002769049, '2025-04-15 13:12:15', '2025-06-11 02:11:27') RETURNING "id"
UPDATE "status_stats" SET "favourites_count" = COALESCE("favourites_count", 0) + 1 WHERE "status_stats"."id" = 34041
SELECT "statuses".* FROM "statuses" WHERE "statuses"."id" IN (1524145976, 7630118280, 1751739138) AND "statuses"."deleted_at" IS NULL
SELECT "notifications".* FROM "notifications" WHERE "notifications"."account_id" = 68805 AND "notifications"."id" < 8759191 ORDER BY "notifications"."id" DESC LIMIT 40
DELETE FROM "session_activations" WHERE "session_activations"."user_id" = 9348 AND "session_activations"."id" NOT IN (SELECT "session_activations"."id" FROM "session_activations" WHERE "session_activations"."user_id" = 5964 ORDER BY "session_activations"."updated_at" DESC LIMIT 10)
SELECT "projects".* FROM "projects" WHERE "projects"."id" = 8509 LIMIT 1
SELECT "namespaces".* FROM "namespaces" WHERE "namespaces"."type" = 'Group' AND "namespaces"."id" = 7223 LIMIT 1
SELECT "issues".* FROM "issues" WHERE "issues"."project_id" = 4306 AND "issues"."iid" = 268 LIMIT 1
SELECT COUNT(*) FROM "issues" WHERE "issues"."project_id" = 4946 AND ("issues"."state_id" IN (1))
SELECT "merge_requests".* FROM "merge_requests" WHERE "merge_requests"."target_project_id" = 3480 AND "merge_requests"."state_id" = 1 ORDER BY "merge_requests"."id" DESC LIMIT 20
UPDATE "projects" SET "last_activity_at" = '2025-10-28 02:51:34' WHERE "projects"."id" = 27713 AND ("projects"."last_activity_at" <= '2025-03-26 15:16:28')
INSERT INTO "events" ("project_id", "author_id", "target_id", "target_type", "action", "created_at", "updated_at") VALUES (5989, 3238, 4538, 'Issue', 1, '2025-05-06 22:56:39', '2025-05-28 02:41:41') RETURNING "id"
SELECT 1 AS one FROM "project_authorizations" WHERE "project_authorizations"."user_id" = 6790 AND "project_authorizations"."project_id" = 3134 LIMIT 1
SELECT "statuses"."id", "statuses"."updated_at" FROM "statuses" WHERE "statuses"."account_id" = 27039 AND "statuses"."deleted_at" IS NULL ORDER BY "statuses"."id" DESC LIMIT 20
SELECT "accounts".* FROM "accounts" WHERE "accounts"."id" = 70668 LIMIT 1
SELECT "follows"."target_account_id" FROM "follows" WHERE "follows"."account_id" = 26258
INSERT INTO "favourites" ("account_id", "status_id", "created_at", "updated_at") VALUES (28148, 9110117668, '2025-11-08 17:12:44', '2025-12-08 04:30:20') RETURNING "id"
UPDATE "status_stats" SET "favourites_count" = COALESCE("favourites_count", 0) + 1 WHERE "status_stats"."id" = 13278
SELECT "statuses".* FROM "statuses" WHERE "statuses"."id" IN (6256705624, 2071258906, 3459857401) AND "statuses"."deleted_at" IS NULL
SELECT "notifications".* FROM "notifications" WHERE "notifications"."account_id" = 16155 AND "notifications"."id" < 5068647 ORDER BY "notifications"."id" DESC LIMIT 40
DELETE FROM "session_activations" WHERE "session_activations"."user_id" = 7503 AND "session_activations"."id" NOT IN (SELECT "session_activations"."id" FROM "session_activations" WHERE "session_activations"."user_id" = 4740 ORDER BY "session_activations"."updated_at" DESC LIMIT 10)
