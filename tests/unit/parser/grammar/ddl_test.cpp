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
        {"CREATE INDEX ON t (c)", ast::DdlKind::create_index, 1},
        {"CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON ONLY s.t USING btree (c)",
         ast::DdlKind::create_index, 1},
        {"COMMENT ON TABLE s.t IS 'x'", ast::DdlKind::comment, 1},
        {"COMMENT ON COLUMN s.t.c IS 'x'", ast::DdlKind::comment, 1},
        {"COMMENT ON INDEX i IS 'x'", ast::DdlKind::other, 0},
        {"RENAME TABLE a TO a_old, b TO a", ast::DdlKind::rename_table, 2},
        {"ALTER TABLE t ADD COLUMN x INT, ALGORITHM=INPLACE, LOCK=NONE", ast::DdlKind::alter_table,
         1},
        {"ALTER ONLINE TABLE t ADD INDEX i (c)", ast::DdlKind::alter_table, 1},
        {"CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1", ast::DdlKind::other,
         1},
        {"DROP TRIGGER IF EXISTS trg ON t", ast::DdlKind::other, 1},
        {"CREATE MATERIALIZED VIEW mv AS SELECT a FROM t WITH NO DATA", ast::DdlKind::other, 2},
    };
    for (const Case& c : cases) {
        auto p = parse_ok(c.sql);
        EXPECT_EQ(p.facts.kind, StatementKind::ddl) << c.sql;
        EXPECT_EQ(p.facts.ddl, c.kind) << c.sql;
        EXPECT_EQ(p.facts.tables.size(), c.tables) << c.sql;
        EXPECT_TRUE(p.facts.is_write);
    }
}

TEST(Ddl, CommentOnColumnNamesItsTable) {
    auto p = parse_ok("COMMENT ON COLUMN shop.customers.name IS 'full name'", Dialect::pg);
    ASSERT_EQ(p.facts.tables.size(), 1u);
    EXPECT_EQ(p.facts.tables[0].schema, "shop");
    EXPECT_EQ(p.facts.tables[0].name, "customers");
    EXPECT_TRUE(p.facts.tables[0].target);
}

TEST(Ddl, RenameTableKeepsTheOldNames) {
    auto p = parse_ok("RENAME TABLE users TO users_old, users_new TO users");
    ASSERT_EQ(p.facts.tables.size(), 2u);
    EXPECT_EQ(p.facts.tables[0].name, "users");
    EXPECT_EQ(p.facts.tables[1].name, "users_new");
    EXPECT_TRUE(p.facts.tables[1].target);
}

TEST(Ddl, ReferencedTablesAreNotTargets) {
    auto p = parse_ok("CREATE TABLE t (u INT REFERENCES users(id))", Dialect::pg);
    EXPECT_TRUE(p.facts.tables[0].target);
    EXPECT_FALSE(p.facts.tables[1].target);
}

} // namespace
