// Statement effects (what pins a MySQL client to its backend) and SET tracking.
#include "mysql/session_state.hpp"

#include <gtest/gtest.h>

namespace {

using shardgate::proxy::mysql::classify_set;
using shardgate::proxy::mysql::found_rows_label;
using shardgate::proxy::mysql::scan_effects;
using shardgate::proxy::mysql::SessionSettings;
using shardgate::proxy::mysql::SetKind;

TEST(MysqlStatementEffects, PlainStatementsPinNothing) {
    const auto effects = scan_effects("SELECT c FROM sbtest1 WHERE id = 5");
    EXPECT_FALSE(effects.pins());
    EXPECT_FALSE(effects.reads_state());
    EXPECT_FALSE(scan_effects("SELECT @@version_comment LIMIT 1").pins());
    EXPECT_FALSE(scan_effects("INSERT INTO users (email) VALUES ('a@b.example')").pins());
    EXPECT_FALSE(scan_effects("SELECT 1 -- @x\n").pins());
    EXPECT_FALSE(scan_effects("SELECT 1 /* @x */").pins());
}

TEST(MysqlStatementEffects, StateThatLivesOnTheConnectionPins) {
    EXPECT_TRUE(scan_effects("SELECT @x := 1").user_variable);
    EXPECT_TRUE(scan_effects("SELECT * FROM t WHERE id = @`weird name`").user_variable);
    EXPECT_TRUE(scan_effects("CREATE TEMPORARY TABLE t (id int)").temporary_table);
    EXPECT_TRUE(scan_effects("SELECT GET_LOCK('x', 1)").named_lock);
    EXPECT_TRUE(scan_effects("LOCK TABLES t WRITE").table_lock);
    EXPECT_TRUE(scan_effects("FLUSH TABLES WITH READ LOCK").table_lock);
    EXPECT_TRUE(scan_effects("PREPARE s FROM 'SELECT 1'").sql_prepared);
    EXPECT_TRUE(scan_effects("CALL refresh_counts(3)").pins());
    EXPECT_TRUE(scan_effects("/* audit */ call p()").procedure_call);
    EXPECT_FALSE(scan_effects("SELECT 'call me'").procedure_call);
    EXPECT_TRUE(scan_effects("SELECT /*!40001 SQL_CALC_FOUND_ROWS */ * FROM t").found_rows);
    EXPECT_TRUE(scan_effects("SELECT LAST_INSERT_ID()").reads_state());
    EXPECT_FALSE(scan_effects("SELECT LAST_INSERT_ID()").pins());
    // The system variables that read the same value (no user variable: nothing to pin)
    EXPECT_TRUE(scan_effects("SELECT @@identity").last_insert_id);
    EXPECT_TRUE(scan_effects("select @@SESSION.last_insert_id").last_insert_id);
    EXPECT_FALSE(scan_effects("SELECT @@identity").pins());
    EXPECT_FALSE(scan_effects("SELECT @@session.autocommit").last_insert_id);
    EXPECT_FALSE(scan_effects("SELECT '@@identity'").last_insert_id);
    // LAST_INSERT_ID(expr) sets the value; LAST_INSERT_ID() only reads it
    EXPECT_FALSE(scan_effects("SELECT LAST_INSERT_ID()").last_insert_id_set);
    EXPECT_FALSE(scan_effects("SELECT last_insert_id ( )").last_insert_id_set);
    EXPECT_TRUE(scan_effects("SELECT LAST_INSERT_ID(5)").last_insert_id_set);
    EXPECT_TRUE(scan_effects("UPDATE s SET v = last_insert_id( v + 1 )").last_insert_id_set);
    EXPECT_FALSE(scan_effects("SELECT 'LAST_INSERT_ID(5)'").last_insert_id);
}

TEST(MysqlStatementEffects, LoadDataLocalIsSeen) {
    EXPECT_TRUE(scan_effects("LOAD DATA LOCAL INFILE '/etc/passwd' INTO TABLE t").local_infile);
    EXPECT_TRUE(scan_effects("load xml local infile 'x' into table t").local_infile);
    EXPECT_FALSE(scan_effects("LOAD DATA INFILE '/tmp/x' INTO TABLE t").local_infile);
}

TEST(MysqlSetTracking, SessionVariablesAreReplayedInOrder) {
    SessionSettings settings;
    EXPECT_EQ(settings.apply("SET NAMES utf8mb4"), SetKind::session);
    EXPECT_EQ(settings.apply("SET SESSION sql_mode = 'ANSI', @@session.time_zone = '+00:00'"),
              SetKind::session);
    EXPECT_EQ(settings.apply("set sql_mode='TRADITIONAL'"), SetKind::session);
    EXPECT_EQ(settings.replay_sql(),
              "SET NAMES utf8mb4, sql_mode='TRADITIONAL', time_zone = '+00:00'");
    settings.record("autocommit", "ON");
    settings.record("max_join_size", "1000");
    EXPECT_EQ(settings.replay_sql(), "SET NAMES utf8mb4, sql_mode='TRADITIONAL', "
                                     "time_zone = '+00:00', autocommit = 'ON', "
                                     "max_join_size = 1000");
    settings.clear();
    EXPECT_EQ(settings.replay_sql(), "");
}

// A TIMESTAMP column reads a time in the session's time_zone: the router refuses time keys
// outside UTC sessions (RouteContext::utc_session).
TEST(MysqlSetTracking, KnowsWhetherTheTimeZoneIsUtc) {
    SessionSettings settings;
    EXPECT_TRUE(settings.utc_time_zone()); // the servers' zone (UTC)
    const auto after = [&](std::string_view sql) {
        EXPECT_EQ(settings.apply(sql), SetKind::session) << sql;
        return settings.utc_time_zone();
    };
    EXPECT_FALSE(after("SET time_zone = '+09:00'"));
    EXPECT_TRUE(after("SET @@session.time_zone = '+00:00'"));
    EXPECT_FALSE(after("SET SESSION time_zone='Europe/Berlin'"));
    EXPECT_TRUE(after("set TIME_ZONE = \"UTC\""));
    EXPECT_FALSE(after("SET time_zone = '-05:00', sql_mode = 'ANSI'"));
    EXPECT_FALSE(after("SET time_zone = SYSTEM"));               // the host's zone: not checked
    EXPECT_FALSE(after("SET time_zone = CONCAT('+0', '9:00')")); // not read: not UTC
    EXPECT_TRUE(after("SET time_zone = DEFAULT"));
    settings.record("time_zone", "+01:00"); // session tracking in an OK packet
    EXPECT_FALSE(settings.utc_time_zone());
    settings.record("time_zone", "+00:00");
    EXPECT_TRUE(settings.utc_time_zone());
    settings.zone_unknown(); // SET time_zone = @v
    EXPECT_FALSE(settings.utc_time_zone());
    EXPECT_FALSE(after("SET sql_mode = 'ANSI'"));
    EXPECT_TRUE(after("SET time_zone = 'UTC'"));
}

TEST(MysqlSetTracking, KindsThatAreNotReplayed) {
    EXPECT_EQ(classify_set("SET @a = 1"), SetKind::pinning);
    EXPECT_EQ(classify_set("SET sql_mode = @old_mode"), SetKind::pinning);
    EXPECT_EQ(classify_set("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"), SetKind::pinning);
    EXPECT_EQ(classify_set("SET GLOBAL max_connections = 10"), SetKind::global);
    EXPECT_EQ(classify_set("SET @@global.max_connections = 10"), SetKind::global);
    EXPECT_EQ(classify_set("SET PASSWORD = PASSWORD('x')"), SetKind::password);
    EXPECT_EQ(classify_set("SET STATEMENT max_statement_time=1 FOR SELECT 1"), SetKind::password);
    SessionSettings settings;
    EXPECT_EQ(settings.apply("SET @a = 1"), SetKind::pinning);
    EXPECT_TRUE(settings.empty());
}

} // namespace

namespace {

using shardgate::proxy::mysql::sql_mode_value;

// The session's sql_mode decides how shardgate reads its statements: only literal values
// (and DEFAULT) can be followed.
TEST(MysqlSqlMode, LiteralValuesAreReadExpressionsAreNot) {
    SessionSettings settings;
    EXPECT_EQ(settings.apply("SET SESSION sql_mode = 'ANSI_QUOTES,STRICT_ALL_TABLES'"),
              SetKind::session);
    ASSERT_NE(settings.assignment("sql_mode"), nullptr);
    EXPECT_EQ(sql_mode_value(*settings.assignment("sql_mode")), "ANSI_QUOTES,STRICT_ALL_TABLES");
    settings.apply("SET @@sql_mode = \"NO_BACKSLASH_ESCAPES\"");
    EXPECT_EQ(sql_mode_value(*settings.assignment("sql_mode")), "NO_BACKSLASH_ESCAPES");
    EXPECT_EQ(sql_mode_value("sql_mode = DEFAULT"), "DEFAULT");
    EXPECT_EQ(sql_mode_value("sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')"), std::nullopt);
    EXPECT_EQ(sql_mode_value("sql_mode = 'a\\'b'"), std::nullopt);
    EXPECT_EQ(settings.assignment("time_zone"), nullptr);
}

} // namespace

namespace {

using shardgate::proxy::mysql::evaluate_sql_mode;

// Connector/J sends `sql_mode = concat(@@sql_mode,',STRICT_TRANS_TABLES')` at connect.
TEST(MysqlSqlMode, DriverExpressionsOfTheCurrentModeAreEvaluated) {
    EXPECT_EQ(evaluate_sql_mode("sql_mode = concat(@@sql_mode,',STRICT_TRANS_TABLES')",
                                "NO_ENGINE_SUBSTITUTION"),
              "NO_ENGINE_SUBSTITUTION,STRICT_TRANS_TABLES");
    EXPECT_EQ(evaluate_sql_mode("sql_mode = REPLACE(@@SESSION.sql_mode, 'ANSI_QUOTES', '')",
                                "STRICT_ALL_TABLES,ANSI_QUOTES"),
              "STRICT_ALL_TABLES,");
    EXPECT_EQ(
        evaluate_sql_mode("sql_mode=CONCAT('ANSI_QUOTES,', REPLACE(@@sql_mode,'A','A'))", "X"),
        "ANSI_QUOTES,X");
    EXPECT_EQ(evaluate_sql_mode("sql_mode = (SELECT 'ANSI')", ""), std::nullopt);
    EXPECT_EQ(evaluate_sql_mode("sql_mode = concat(@@sql_mode, @x)", ""), std::nullopt);
    EXPECT_EQ(evaluate_sql_mode("sql_mode = concat(@@sql_mode, 'a') junk", ""), std::nullopt);
}

} // namespace

namespace {

// SET SESSION TRANSACTION changes every later transaction of the session: tracked and
// replayed as tx_isolation / tx_read_only (Connector/J's setTransactionIsolation sends it).
TEST(MysqlSessionSettings, SessionTransactionModesAreReplayedAsVariables) {
    SessionSettings settings;
    EXPECT_EQ(settings.apply("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ WRITE"),
              SetKind::session);
    EXPECT_EQ(settings.replay_sql(), "SET tx_isolation = 'REPEATABLE-READ', tx_read_only = 0");
    EXPECT_EQ(settings.apply("set session transaction read only"), SetKind::session);
    EXPECT_EQ(settings.replay_sql(), "SET tx_isolation = 'REPEATABLE-READ', tx_read_only = 1");
    EXPECT_EQ(settings.apply("SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE"),
              SetKind::session);
    EXPECT_EQ(settings.replay_sql(), "SET tx_isolation = 'SERIALIZABLE', tx_read_only = 1");
    // Without SESSION it is for the next transaction only: the session stays on its backend.
    EXPECT_EQ(classify_set("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"), SetKind::pinning);
    EXPECT_EQ(classify_set("SET SESSION TRANSACTION SOMETHING ELSE"), SetKind::pinning);
}

TEST(MysqlFoundRowsLabel, OnlyThePlainCallWithAnOptionalAlias) {
    EXPECT_EQ(found_rows_label("SELECT FOUND_ROWS()"), "FOUND_ROWS()");
    EXPECT_EQ(found_rows_label("  select found_rows ( ) ;  "), "found_rows ( )");
    EXPECT_EQ(found_rows_label("SELECT FOUND_ROWS() AS total"), "total");
    EXPECT_EQ(found_rows_label("SELECT FOUND_ROWS() ascii;"), "ascii");
    EXPECT_EQ(found_rows_label("SELECT FOUND_ROWS() + 0"), std::nullopt);
    EXPECT_EQ(found_rows_label("SELECT FOUND_ROWS() AS"), std::nullopt);
    EXPECT_EQ(found_rows_label("SELECT FOUND_ROWS() FROM dual"), std::nullopt);
    EXPECT_EQ(found_rows_label("SELECT FOUND_ROWS(), 1"), std::nullopt);
    EXPECT_EQ(found_rows_label("SELECT FOUND_ROWS() AS `t`"), std::nullopt);
    EXPECT_EQ(found_rows_label("SELECT FOUND_ROWSX()"), std::nullopt);
    EXPECT_EQ(found_rows_label("SELECTFOUND_ROWS()"), std::nullopt);
    EXPECT_EQ(found_rows_label("/* c */ SELECT FOUND_ROWS()"), std::nullopt);
}

TEST(MysqlStatementEffects, SequenceValuesReadAndAdvanced) {
    const auto read = scan_effects("SET @a = LASTVAL(s), @b = PREVIOUS  VALUE FOR t");
    EXPECT_TRUE(read.reads_sequence);
    EXPECT_FALSE(read.advances_sequence);
    const auto next = scan_effects("SET @a = nextval (s) + (NEXT value FOR t)");
    EXPECT_FALSE(next.reads_sequence);
    EXPECT_TRUE(next.advances_sequence);
    const auto columns = scan_effects("SELECT previous, next, lastval FROM t");
    EXPECT_FALSE(columns.reads_sequence);
    EXPECT_FALSE(columns.advances_sequence);
}

TEST(MysqlStatementEffects, FoundRowsSetAndReadApart) {
    const auto calc = scan_effects("SELECT SQL_CALC_FOUND_ROWS * FROM t LIMIT 1");
    EXPECT_TRUE(calc.calc_found_rows);
    EXPECT_FALSE(calc.reads_row_counts);
    const auto read = scan_effects("SELECT FOUND_ROWS(), ROW_COUNT()");
    EXPECT_FALSE(read.calc_found_rows);
    EXPECT_TRUE(read.reads_row_counts);
    EXPECT_TRUE(read.reads_found_rows);
    EXPECT_TRUE(read.found_rows);
    const auto column = scan_effects("SELECT row_count, found_rows FROM jobs");
    EXPECT_FALSE(column.reads_row_counts);
    EXPECT_FALSE(scan_effects("SELECT ROW_COUNT()").reads_found_rows);
}

} // namespace
