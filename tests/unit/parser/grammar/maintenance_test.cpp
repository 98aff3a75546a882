// Tests of maintenance statements: kinds and the tables they name.
#include "../parse_helpers.hpp"

namespace {

using namespace shardgate::parser;
using test_support::parse_ok;

TEST(Maintenance, ClassifiesAndCollectsTables) {
    struct Case {
        const char* sql;
        Dialect dialect;
        ast::MaintenanceKind kind;
        std::size_t tables;
    };
    using K = ast::MaintenanceKind;
    const Case cases[] = {
        {"VACUUM", Dialect::pg, K::vacuum, 0},
        {"vacuum analyze pgbench_branches", Dialect::pg, K::vacuum, 1},
        {"VACUUM (VERBOSE, ANALYZE) a, s.b (x, y)", Dialect::pg, K::vacuum, 2},
        {"VACUUM FULL FREEZE VERBOSE t", Dialect::pg, K::vacuum, 1},
        {"ANALYZE", Dialect::pg, K::analyze, 0},
        {"ANALYZE VERBOSE t (a, b)", Dialect::pg, K::analyze, 1},
        {"CLUSTER VERBOSE t USING t_pkey", Dialect::pg, K::cluster, 1},
        {"CLUSTER", Dialect::pg, K::cluster, 0},
        {"REINDEX TABLE CONCURRENTLY t", Dialect::pg, K::reindex, 1},
        {"REINDEX (VERBOSE) INDEX t_pkey", Dialect::pg, K::reindex, 0},
        {"REINDEX DATABASE shop", Dialect::pg, K::reindex, 0},
        {"REFRESH MATERIALIZED VIEW CONCURRENTLY mv WITH DATA", Dialect::pg, K::refresh_view, 1},
        {"CHECKPOINT", Dialect::pg, K::checkpoint, 0},
        {"ANALYZE TABLE a, b", Dialect::mysql, K::analyze, 2},
        {"ANALYZE NO_WRITE_TO_BINLOG TABLE a PERSISTENT FOR ALL", Dialect::mysql, K::analyze, 1},
        {"OPTIMIZE LOCAL TABLE a", Dialect::mysql, K::optimize, 1},
        {"CHECK TABLE a, b FOR UPGRADE", Dialect::mysql, K::check, 2},
        {"CHECKSUM TABLE a QUICK", Dialect::mysql, K::checksum, 1},
        {"REPAIR TABLE a QUICK EXTENDED", Dialect::mysql, K::repair, 1},
        {"FLUSH TABLES a, b WITH READ LOCK", Dialect::mysql, K::flush, 2},
        {"FLUSH TABLES", Dialect::mysql, K::flush, 0},
        {"FLUSH PRIVILEGES", Dialect::mysql, K::flush, 0},
    };
    for (const Case& c : cases) {
        auto p = parse_ok(c.sql, c.dialect);
        EXPECT_EQ(p.facts.kind, StatementKind::maintenance) << c.sql;
        EXPECT_EQ(p.facts.maintenance, c.kind) << c.sql;
        EXPECT_EQ(p.facts.tables.size(), c.tables) << c.sql;
        EXPECT_TRUE(p.facts.is_write) << c.sql;
    }
}

} // namespace
