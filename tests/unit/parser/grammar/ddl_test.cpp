// Tests of DDL classification and the tables it names.
#include "../parse_helpers.hpp"

namespace {

using namespace shardgate::parser;
using test_support::parse_ok;

TEST(Ddl, ClassifiesTableAndIndexStatements) {
    struct Case {
        const char* sql;
        ast::DdlKind kind;
        std::size_t tables;
    };
    const Case cases[] = {
        {"CREATE TABLE t (id INT PRIMARY KEY, u INT REFERENCES users(id))",
         ast::DdlKind::create_table, 2},
        {"CREATE TABLE IF NOT EXISTS s.t (id INT)", ast::DdlKind::create_table, 1},
        {"ALTER TABLE t ADD COLUMN x INT", ast::DdlKind::alter_table, 1},
        {"DROP TABLE IF EXISTS a, b", ast::DdlKind::drop_table, 2},
        {"CREATE UNIQUE INDEX i ON t (a, b)", ast::DdlKind::create_index, 1},
        {"DROP INDEX i ON t", ast::DdlKind::drop_index, 1},
        {"TRUNCATE TABLE t", ast::DdlKind::truncate, 1},
        {"CREATE DATABASE shop", ast::DdlKind::other, 0},
    };
    for (const Case& c : cases) {
        auto p = parse_ok(c.sql);
        EXPECT_EQ(p.facts.kind, StatementKind::ddl) << c.sql;
        EXPECT_EQ(p.facts.ddl, c.kind) << c.sql;
        EXPECT_EQ(p.facts.tables.size(), c.tables) << c.sql;
        EXPECT_TRUE(p.facts.is_write);
    }
}

TEST(Ddl, ReferencedTablesAreNotTargets) {
    auto p = parse_ok("CREATE TABLE t (u INT REFERENCES users(id))", Dialect::pg);
    EXPECT_TRUE(p.facts.tables[0].target);
    EXPECT_FALSE(p.facts.tables[1].target);
}

} // namespace
