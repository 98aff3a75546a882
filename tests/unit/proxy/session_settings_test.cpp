// Tests of SET/RESET tracking and statement splitting.
#include "common/statement_split.hpp"
#include "pg/session_settings.hpp"

#include <gtest/gtest.h>

namespace {

using shardgate::proxy::leading_words;
using shardgate::proxy::split_statements;
using shardgate::proxy::pg::SessionSettings;

TEST(SessionSettings, RecordsSetAndReset) {
    SessionSettings settings;
    EXPECT_EQ(settings.apply("SET search_path = public, app").tag, "SET");
    EXPECT_EQ(settings.apply("set SESSION statement_timeout TO 5000").tag, "SET");
    EXPECT_EQ(settings.apply("SET TIME ZONE 'UTC'").tag, "SET");
    EXPECT_EQ(settings.statements().size(), 3u);
    EXPECT_EQ(settings.apply("RESET statement_timeout").tag, "RESET");
    EXPECT_EQ(settings.statements().size(), 2u);
    EXPECT_EQ(settings.replay_sql(),
              "RESET ALL\n; SET search_path = public, app\n; SET TIME ZONE 'UTC'");
    settings.apply("RESET ALL");
    EXPECT_TRUE(settings.statements().empty());
}

TEST(SessionSettings, LocalAndUnsupportedForms) {
    SessionSettings settings;
    EXPECT_EQ(settings.apply("SET LOCAL work_mem = '1MB'").tag, "SET");
    EXPECT_TRUE(settings.statements().empty());
    EXPECT_FALSE(settings.apply("SET ROLE admin").error.empty());
    EXPECT_FALSE(settings.apply("SET SESSION AUTHORIZATION admin").error.empty());
}

// Routing assumes unqualified tables live in schema public: a search_path that looks
// elsewhere first would make shardgate route by the wrong table, so it is refused.
TEST(SessionSettings, SearchPathMustSearchPublicFirst) {
    SessionSettings settings;
    EXPECT_EQ(settings.apply("SET search_path TO \"$user\", public").tag, "SET");
    EXPECT_EQ(settings.apply("SET search_path = pg_catalog, PUBLIC, archive").tag, "SET");
    EXPECT_EQ(settings.apply("SET search_path TO 'public, archive'").tag, "SET");
    EXPECT_EQ(settings.apply("SET search_path TO DEFAULT").tag, "SET");
    EXPECT_NE(settings.apply("SET search_path = archive, public").error.find("public"),
              std::string::npos);
    EXPECT_FALSE(settings.apply("SET search_path TO archive").error.empty());
    EXPECT_FALSE(settings.apply("set SESSION search_path = \"Public\"").error.empty());
    EXPECT_EQ(settings.statements().at("search_path"), "SET search_path TO DEFAULT");
}

// pgjdbc's setReadOnly(false) and ORMs send SET SESSION CHARACTERISTICS: recorded as the
// default_transaction_* parameters it sets.
TEST(SessionSettings, SessionCharacteristicsBecomeDefaultTransactionParameters) {
    SessionSettings settings;
    EXPECT_EQ(settings.apply("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE").tag, "SET");
    EXPECT_EQ(settings
                  .apply("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL "
                         "REPEATABLE READ, NOT DEFERRABLE")
                  .tag,
              "SET");
    EXPECT_EQ(settings.statements().at("default_transaction_read_only"),
              "SET default_transaction_read_only TO off");
    EXPECT_EQ(settings.statements().at("default_transaction_isolation"),
              "SET default_transaction_isolation TO 'repeatable read'");
    EXPECT_EQ(settings.statements().at("default_transaction_deferrable"),
              "SET default_transaction_deferrable TO off");
    EXPECT_FALSE(
        settings.apply("SET SESSION CHARACTERISTICS AS TRANSACTION SOMETHING").error.empty());
}

TEST(SessionSettings, StartupParametersAreQuoted) {
    SessionSettings settings;
    settings.set_parameter("application_name", "it's");
    EXPECT_EQ(settings.statements().at("application_name"), "SET application_name TO 'it''s'");
}

TEST(StatementSplit, RespectsQuotesAndComments) {
    const auto parts =
        split_statements("SELECT ';' ; /* a; b */ SELECT $$x;y$$; -- c;\n SELECT 3;;");
    ASSERT_EQ(parts.size(), 3u);
    EXPECT_EQ(parts[0], "SELECT ';' ");
    EXPECT_EQ(parts[2], " -- c;\n SELECT 3"); // comments stay with the statement
    EXPECT_TRUE(split_statements(" ; -- only a comment").empty());
}

TEST(StatementSplit, PlainTextIsCutAtSemicolonsWithoutLexing) {
    const auto parts = split_statements("SELECT abalance FROM t WHERE aid = 7;\n");
    ASSERT_EQ(parts.size(), 1u);
    EXPECT_EQ(parts[0], "SELECT abalance FROM t WHERE aid = 7");
    const auto two = split_statements("SET a = 1; SELECT 2 ;  ;");
    ASSERT_EQ(two.size(), 2u);
    EXPECT_EQ(two[1], " SELECT 2 ");
    // a semicolon in a quoted identifier needs the lexer
    EXPECT_EQ(split_statements("SELECT 1 AS \"a;b\";").size(), 1u);
}

TEST(StatementSplit, LeadingWords) {
    EXPECT_EQ(leading_words("/* hint */ -- x\n  Rollback TO s", 3),
              (std::vector<std::string>{"rollback", "to", "s"}));
    EXPECT_TRUE(leading_words("(select 1)", 1).empty());
}

TEST(SessionSettings, KnowsWhetherTheTimeZoneIsUtc) {
    SessionSettings settings;
    EXPECT_TRUE(settings.utc_time_zone()); // the servers' default, announced as UTC
    const auto after = [&](std::string_view sql) {
        EXPECT_EQ(settings.apply(sql).tag, "SET") << sql;
        return settings.utc_time_zone();
    };
    EXPECT_FALSE(after("SET TIME ZONE 'Asia/Tokyo'"));
    EXPECT_TRUE(after("SET timezone = 'UTC'"));
    EXPECT_FALSE(after("SET SESSION TIME ZONE '+03'"));
    EXPECT_TRUE(after("SET timezone TO DEFAULT"));
    EXPECT_FALSE(after("SET timezone TO 'Etc/GMT-3'"));
    EXPECT_TRUE(after("set time zone 'Etc/UTC'"));
    EXPECT_FALSE(after("SET TIME ZONE 'Asia/Tokyo' -- timezone = utc"));
    EXPECT_FALSE(after("SET TIME ZONE INTERVAL '+05:00' HOUR TO MINUTE"));
    EXPECT_EQ(settings.apply("RESET TIME ZONE").tag, "RESET");
    EXPECT_TRUE(settings.utc_time_zone());
    settings.set_parameter("TimeZone", "America/New_York"); // pgjdbc, libpq's PGTZ
    EXPECT_FALSE(settings.utc_time_zone());
    EXPECT_EQ(settings.apply("RESET ALL").tag, "RESET");
    EXPECT_TRUE(settings.utc_time_zone());
    settings.set_parameter("TimeZone", "GMT");
    EXPECT_TRUE(settings.utc_time_zone());
}

// In a transaction block: SET LOCAL's zone lasts until the block ends, a session SET made in a
// block that rolls back is undone (as the server undoes it), one that commits stays.
TEST(SessionSettings, FollowsTransactionBlocks) {
    SessionSettings settings;
    settings.apply("SET statement_timeout = 5000");
    EXPECT_EQ(settings.apply("SET LOCAL TIME ZONE 'Asia/Tokyo'", true).tag, "SET");
    EXPECT_FALSE(settings.utc_time_zone());
    EXPECT_EQ(settings.local_sql(), "SET LOCAL TIME ZONE 'Asia/Tokyo'");
    settings.apply("SET LOCAL work_mem = '1MB' -- note", true);
    EXPECT_EQ(settings.local_sql(),
              "SET LOCAL TIME ZONE 'Asia/Tokyo'\n; SET LOCAL work_mem = '1MB' -- note");
    EXPECT_EQ(settings.statements().size(), 1u); // (SET LOCAL is not session state)
    settings.transaction_ended(false);
    EXPECT_TRUE(settings.utc_time_zone());
    EXPECT_EQ(settings.local_sql(), "");

    settings.apply("SET LOCAL timezone = 'UTC'", true);
    EXPECT_TRUE(settings.utc_time_zone());
    settings.apply("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", true);
    EXPECT_FALSE(settings.apply("SET LOCAL search_path = archive", true).error.empty());
    settings.apply("SET TIME ZONE 'Europe/Berlin'", true); // the session's, for the block too
    // (the SET LOCAL of the zone would win over it where the block's SETs run again)
    EXPECT_EQ(settings.local_sql(), "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
    settings.apply("RESET statement_timeout", true);
    EXPECT_FALSE(settings.utc_time_zone());
    EXPECT_EQ(settings.statements().count("statement_timeout"), 0u);
    settings.transaction_ended(true); // rolled back: both undone
    EXPECT_TRUE(settings.utc_time_zone());
    EXPECT_EQ(settings.statements().at("statement_timeout"), "SET statement_timeout = 5000");
    EXPECT_EQ(settings.statements().count("timezone"), 0u);

    settings.apply("SET TIME ZONE 'Europe/Berlin'", true);
    settings.transaction_ended(false); // committed: kept
    EXPECT_FALSE(settings.utc_time_zone());
    EXPECT_EQ(settings.apply("RESET ALL", true).tag, "RESET");
    EXPECT_TRUE(settings.utc_time_zone());
    settings.transaction_ended(true);
    EXPECT_FALSE(settings.utc_time_zone()); // the RESET ALL was rolled back
}

// ROLLBACK TO SAVEPOINT undoes on the server what was SET after the savepoint, SET LOCAL too:
// the recorded zone follows (before, a session in Tokyo that set UTC after a savepoint and
// rolled back to it was taken as UTC while the server read times in Tokyo).
TEST(SessionSettings, FollowsSavepoints) {
    SessionSettings settings;
    settings.apply("SET TIME ZONE 'Asia/Tokyo'");
    EXPECT_FALSE(settings.utc_time_zone());
    settings.savepoint("SAVEPOINT a");
    settings.apply("SET TIME ZONE UTC", true);
    EXPECT_TRUE(settings.utc_time_zone());
    settings.savepoint("savepoint \"B c\";");
    settings.apply("SET LOCAL TIME ZONE 'Europe/Berlin'", true);
    settings.apply("SET LOCAL work_mem = '1MB'", true);
    EXPECT_FALSE(settings.utc_time_zone());
    settings.rollback_to("ROLLBACK TO SAVEPOINT \"B c\""); // the SET LOCALs undone
    EXPECT_TRUE(settings.utc_time_zone());
    EXPECT_EQ(settings.local_sql(), "");
    settings.rollback_to("rollback work to A ;"); // (names fold to lower case)
    EXPECT_FALSE(settings.utc_time_zone());
    EXPECT_EQ(settings.statements().at("timezone"), "SET TIME ZONE 'Asia/Tokyo'");
    settings.apply("SET TIME ZONE UTC", true);
    settings.rollback_to("ROLLBACK TO a"); // a is kept after a ROLLBACK TO: again
    EXPECT_FALSE(settings.utc_time_zone());
    settings.release("RELEASE SAVEPOINT a");
    settings.apply("SET TIME ZONE UTC", true);
    settings.rollback_to("ROLLBACK TO a"); // released: the server refuses; unknown meanwhile
    EXPECT_FALSE(settings.utc_time_zone());
    settings.transaction_ended(false); // (as if committed: the session SET of UTC stands)
    EXPECT_TRUE(settings.utc_time_zone());
    // A savepoint's name the settings never saw: the zone is unknown until the block ends.
    settings.rollback_to("ROLLBACK TO SAVEPOINT nowhere");
    EXPECT_FALSE(settings.utc_time_zone());
    settings.transaction_ended(true);
    EXPECT_TRUE(settings.utc_time_zone());
    // A comment after the name; a name longer than 63 bytes is the server's first 63.
    settings.savepoint("SAVEPOINT c -- before the zone");
    settings.savepoint("SAVEPOINT " + std::string(70, 'x'));
    settings.apply("SET TIME ZONE 'Asia/Tokyo'", true);
    settings.rollback_to("ROLLBACK TO " + std::string(63, 'x') + " /* c */");
    EXPECT_TRUE(settings.utc_time_zone());
    settings.apply("SET TIME ZONE 'Asia/Tokyo'", true);
    settings.rollback_to("ROLLBACK TO c");
    EXPECT_TRUE(settings.utc_time_zone());
    settings.transaction_ended(false);
    // One savepoint per statement (pgjdbc autosave): the oldest are forgotten past 256.
    for (int i = 0; i < 300; ++i) {
        settings.savepoint("SAVEPOINT s" + std::to_string(i));
    }
    settings.apply("SET TIME ZONE 'Asia/Tokyo'", true);
    settings.rollback_to("ROLLBACK TO s299");
    EXPECT_TRUE(settings.utc_time_zone());
    settings.rollback_to("ROLLBACK TO s10"); // forgotten: unknown
    EXPECT_FALSE(settings.utc_time_zone());
    settings.transaction_ended(true);
}

// set_config() names its setting in a value: the zone is unknown after a call that mentions
// one, for the block (is_local true) or for the session until the zone is set by name.
TEST(SessionSettings, SetConfigOfTheZoneMakesItUnknown) {
    SessionSettings settings;
    const std::vector<std::optional<std::string>> none;
    settings.set_config_called("SELECT set_config('request.id', '7', true)", none, false, true);
    EXPECT_TRUE(settings.utc_time_zone());
    settings.set_config_called("SELECT set_config('TimeZone', 'UTC', true)", none, false, true);
    EXPECT_FALSE(settings.utc_time_zone()); // (its value is not read: unknown)
    settings.transaction_ended(false);
    EXPECT_TRUE(settings.utc_time_zone());
    settings.set_config_called("SELECT set_config('TimeZone', 'UTC', true)", none, false, false);
    EXPECT_TRUE(settings.utc_time_zone()); // outside a block it ends with the statement
    const std::vector<std::optional<std::string>> params{std::string("TIMEZONE"), std::nullopt};
    settings.set_config_called("SELECT set_config($1, $2, false)", params, true, false);
    EXPECT_FALSE(settings.utc_time_zone());
    settings.apply("SET datestyle = ISO");
    EXPECT_FALSE(settings.utc_time_zone());
    settings.apply("SET TIME ZONE 'UTC'");
    EXPECT_TRUE(settings.utc_time_zone());
    settings.set_config_called("SELECT set_config('timezone', 'Asia/Tokyo', false)", none, true,
                               true);
    EXPECT_FALSE(settings.utc_time_zone());
    settings.transaction_ended(true);
    EXPECT_TRUE(settings.utc_time_zone());
}

} // namespace
