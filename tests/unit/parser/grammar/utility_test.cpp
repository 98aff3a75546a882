// Tests of utility statements (prepared statements in SQL, DO, CALL, LOCK, HANDLER, LISTEN,
// KILL, LOAD DATA), RESET, two-phase commit forms and sequence calls.
#include "../parse_helpers.hpp"

namespace {

using namespace shardgate::parser;
using test_support::parse_ok;

TEST(Utility, ClassifiesSessionAndUtilityStatements) {
    struct Case {
        const char* sql;
        Dialect dialect;
        ast::UtilityKind kind;
        std::size_t tables;
    };
    using K = ast::UtilityKind;
    const Case cases[] = {
        {"PREPARE q (bigint) AS SELECT * FROM t WHERE id = $1", Dialect::pg, K::prepare, 1},
        {"EXECUTE q(42)", Dialect::pg, K::execute, 0},
        {"DEALLOCATE PREPARE q", Dialect::pg, K::deallocate, 0},
        {"DEALLOCATE ALL", Dialect::pg, K::deallocate, 0},
        {"DISCARD ALL", Dialect::pg, K::discard, 0},
        {"DISCARD TEMP", Dialect::pg, K::discard, 0},
        {"DO $$BEGIN PERFORM 1; END$$", Dialect::pg, K::do_block, 0},
        {"DO LANGUAGE plpgsql $$BEGIN NULL; END$$", Dialect::pg, K::do_block, 0},
        {"CALL refresh_stats(1, 'x')", Dialect::pg, K::call, 0},
        {"LOCK TABLE a, b IN SHARE ROW EXCLUSIVE MODE NOWAIT", Dialect::pg, K::lock_tables, 2},
        {"LOCK a", Dialect::pg, K::lock_tables, 1},
        {"LISTEN jobs", Dialect::pg, K::listen, 0},
        {"NOTIFY jobs, 'payload'", Dialect::pg, K::notify, 0},
        {"UNLISTEN *", Dialect::pg, K::unlisten, 0},
        {"PREPARE s FROM 'SELECT * FROM t WHERE id = ?'", Dialect::mysql, K::prepare, 0},
        {"EXECUTE s USING @a, @b", Dialect::mysql, K::execute, 0},
        {"DEALLOCATE PREPARE s", Dialect::mysql, K::deallocate, 0},
        {"DROP PREPARE s", Dialect::mysql, K::deallocate, 0},
        {"DO SLEEP(1), RELEASE_LOCK('x')", Dialect::mysql, K::do_expressions, 0},
        {"CALL p(@x)", Dialect::mysql, K::call, 0},
        {"LOCK TABLES a READ, b AS c WRITE, d LOW_PRIORITY WRITE, e READ LOCAL", Dialect::mysql,
         K::lock_tables, 4},
        {"UNLOCK TABLES", Dialect::mysql, K::unlock_tables, 0},
        {"HANDLER t OPEN AS h", Dialect::mysql, K::handler, 1},
        {"HANDLER t READ `PRIMARY` = (5)", Dialect::mysql, K::handler, 1},
        {"HANDLER t CLOSE", Dialect::mysql, K::handler, 1},
        {"KILL QUERY 42", Dialect::mysql, K::kill, 0},
        {"LOAD DATA LOCAL INFILE '/tmp/x.csv' INTO TABLE t", Dialect::mysql, K::load_data, 0},
    };
    for (const Case& c : cases) {
        auto p = parse_ok(c.sql, c.dialect);
        EXPECT_EQ(p.facts.kind, StatementKind::utility) << c.sql;
        EXPECT_EQ(p.facts.utility, c.kind) << c.sql;
        EXPECT_EQ(p.facts.tables.size(), c.tables) << c.sql;
        EXPECT_FALSE(p.facts.is_write) << c.sql;
    }
    EXPECT_EQ(parse_ok("EXECUTE q(42)", Dialect::pg).facts.session_names[0], "q");
}

TEST(Utility, ResetIsASetting) {
    auto p = parse_ok("RESET search_path", Dialect::pg);
    EXPECT_EQ(p.facts.kind, StatementKind::set);
    EXPECT_EQ(p.facts.session_names[0], "search_path");
    EXPECT_EQ(parse_ok("RESET ALL", Dialect::pg).facts.session_names[0], "all");
}

TEST(Utility, TwoPhaseCommitForms) {
    using K = ast::TransactionKind;
    EXPECT_EQ(parse_ok("PREPARE TRANSACTION 'g1'", Dialect::pg).facts.transaction.kind,
              K::prepare_transaction);
    EXPECT_EQ(parse_ok("COMMIT PREPARED 'g1'", Dialect::pg).facts.transaction.kind,
              K::commit_prepared);
    EXPECT_EQ(parse_ok("ROLLBACK PREPARED 'g1'", Dialect::pg).facts.transaction.kind,
              K::rollback_prepared);
    for (const char* sql : {"XA START 'x'", "XA END 'x'", "XA PREPARE 'x'", "XA COMMIT 'x'",
                            "XA ROLLBACK 'x'", "XA RECOVER"}) {
        EXPECT_EQ(parse_ok(sql).facts.transaction.kind, K::xa) << sql;
    }
    auto s = parse_ok("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
    EXPECT_EQ(s.facts.transaction.access, ast::AccessMode::read_only);
    EXPECT_EQ(parse_ok("START TRANSACTION READ WRITE").facts.transaction.access,
              ast::AccessMode::read_write);
}

TEST(Utility, SequenceCallsAreWrites) {
    EXPECT_TRUE(parse_ok("SELECT NEXT VALUE FOR order_seq").facts.is_write);
    EXPECT_TRUE(parse_ok("SELECT nextval('order_seq')", Dialect::pg).facts.is_write);
    EXPECT_TRUE(parse_ok("SELECT setval('s', 42)", Dialect::pg).facts.is_write);
    EXPECT_FALSE(parse_ok("SELECT PREVIOUS VALUE FOR order_seq").facts.is_write);
    EXPECT_FALSE(parse_ok("SELECT currval('s')", Dialect::pg).facts.is_write);
}

} // namespace
