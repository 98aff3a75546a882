// Tests of transaction control and session statements.
#include "../parse_helpers.hpp"

namespace {

using namespace shardgate::parser;
using test_support::parse_ok;

TEST(Transaction, BeginVariantsAndAccessModes) {
    auto p = parse_ok("START TRANSACTION READ ONLY");
    EXPECT_EQ(p.facts.kind, StatementKind::transaction);
    EXPECT_EQ(p.facts.transaction.kind, ast::TransactionKind::begin);
    EXPECT_EQ(p.facts.transaction.access, ast::AccessMode::read_only);
    EXPECT_EQ(parse_ok("BEGIN ISOLATION LEVEL SERIALIZABLE, READ WRITE", Dialect::pg)
                  .facts.transaction.access,
              ast::AccessMode::read_write);
    EXPECT_EQ(parse_ok("BEGIN").facts.transaction.access, ast::AccessMode::unspecified);
}

TEST(Transaction, EndingAndSavepoints) {
    EXPECT_EQ(parse_ok("COMMIT WORK").facts.transaction.kind, ast::TransactionKind::commit);
    EXPECT_EQ(parse_ok("END", Dialect::pg).facts.transaction.kind, ast::TransactionKind::commit);
    EXPECT_EQ(parse_ok("ROLLBACK").facts.transaction.kind, ast::TransactionKind::rollback);
    auto to = parse_ok("ROLLBACK TO SAVEPOINT s1");
    EXPECT_EQ(to.facts.transaction.kind, ast::TransactionKind::rollback_to);
    EXPECT_EQ(to.facts.transaction.savepoint, "s1");
    EXPECT_EQ(parse_ok("SAVEPOINT s2").facts.transaction.savepoint, "s2");
    EXPECT_EQ(parse_ok("RELEASE SAVEPOINT s2").facts.transaction.kind,
              ast::TransactionKind::release);
    EXPECT_EQ(parse_ok("SET TRANSACTION READ ONLY").facts.transaction.kind,
              ast::TransactionKind::set_transaction);
}

TEST(Session, SetShowUse) {
    auto s = parse_ok("SET NAMES utf8mb4, @@session.sql_mode = 'x', autocommit = 0");
    EXPECT_EQ(s.facts.kind, StatementKind::set);
    EXPECT_EQ(s.facts.session_names,
              (std::vector<std::string>{"names", "@@session.sql_mode", "autocommit"}));
    EXPECT_EQ(parse_ok("SET search_path TO app, public", Dialect::pg).facts.session_names[0],
              "search_path");
    for (const char* sql : {"SET TIME ZONE 'Asia/Tokyo'", "SET LOCAL TIME ZONE 'Asia/Tokyo'",
                            "SET SESSION TIME ZONE DEFAULT", "SET LOCAL TIME ZONE LOCAL"}) {
        const auto zone = parse_ok(sql, Dialect::pg);
        EXPECT_EQ(zone.facts.kind, StatementKind::set) << sql;
        EXPECT_EQ(zone.facts.session_names, (std::vector<std::string>{"timezone"})) << sql;
    }
    EXPECT_EQ(parse_ok("SET LOCAL time_zone = '+02:00'").facts.session_names[0], "time_zone");
    EXPECT_EQ(parse_ok("SHOW VARIABLES LIKE 'x'").facts.kind, StatementKind::show);
    auto u = parse_ok("USE shop");
    EXPECT_EQ(u.facts.kind, StatementKind::use);
    EXPECT_EQ(u.facts.session_names[0], "shop");
}

} // namespace
