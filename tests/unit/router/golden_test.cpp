// Golden routing cases: tests/unit/router/golden/*.cases (one "DATABASE SQL" per line) and the
// expected plans in the matching .golden file. SHARDGATE_UPDATE_GOLDEN=1 rewrites the .golden
// files; review the diff like code.
#include "planner_support.hpp"
#include "shardgate/parser/parser.hpp"
#include "shardgate/router/merge.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iostream>
#include <map>
#include <sstream>

namespace {

using namespace shardgate::router;
using namespace shardgate::router::testing;

std::string render_cases(const std::filesystem::path& cases) {
    std::ifstream in(cases);
    std::ostringstream out;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        const auto space = line.find(' ');
        const auto database = line.substr(0, space);
        const auto sql = line.substr(space + 1);
        out << "> " << database << ": " << sql << "\n" << describe(route(database, sql)) << "\n";
    }
    return out.str();
}

TEST(Golden, PlansMatchGoldenFiles) {
    const std::filesystem::path dir =
        std::filesystem::path(SHARDGATE_SOURCE_DIR) / "tests/unit/router/golden";
    const bool update = std::getenv("SHARDGATE_UPDATE_GOLDEN") != nullptr;
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".cases") {
            continue;
        }
        ++files;
        auto golden_path = entry.path();
        golden_path.replace_extension(".golden");
        const auto actual = render_cases(entry.path());
        if (update) {
            std::ofstream(golden_path) << actual;
            continue;
        }
        std::ifstream in(golden_path);
        ASSERT_TRUE(in) << golden_path << " missing: run with SHARDGATE_UPDATE_GOLDEN=1";
        std::stringstream expected;
        expected << in.rdbuf();
        EXPECT_EQ(expected.str(), actual) << "plans changed for " << entry.path()
                                          << "; if intended, rerun with SHARDGATE_UPDATE_GOLDEN=1";
    }
    EXPECT_GT(files, 0);
}

/// Every field of a plan except `cached` (a fresh planner has an empty cache), as text.
std::string everything(const Plan& p) {
    std::ostringstream out;
    const auto opt = [&](const auto& value) {
        if (value) {
            out << *value;
        } else {
            out << "-";
        }
        out << "|";
    };
    out << describe(p) << "|" << static_cast<int>(p.kind) << static_cast<int>(p.role) << "|"
        << p.database << "|" << p.reason << "|" << p.sqlstate << "|" << p.fingerprint << "|"
        << static_cast<int>(p.statement) << static_cast<int>(p.verb) << p.is_write << p.returning
        << p.copies << "|";
    for (auto id : p.shards) {
        out << id << ",";
    }
    for (const auto& name : p.shard_names) {
        out << name << ",";
    }
    for (const auto& table : p.tables) {
        out << table << ",";
    }
    opt(p.max_lag_ms);
    opt(p.cache_ttl_ms);
    opt(p.key_hash);
    if (p.generated_keys) {
        const auto& g = *p.generated_keys;
        out << g.table << g.column << g.sequence << g.counter_shard << g.block << g.start
            << g.column_index << g.count << g.next_value << g.label;
    }
    out << "|";
    if (p.key_move) {
        const auto& m = *p.key_move;
        out << m.table << m.column << m.key << m.text_key << m.shard << m.shard_name;
    }
    out << "|";
    const auto& m = p.merge;
    for (const auto& k : m.order_by) {
        out << k.text << k.output << k.descending << static_cast<int>(k.nulls) << ",";
    }
    for (const auto& k : m.group_by) {
        out << k.text << k.output << k.descending << ",";
    }
    for (const auto& a : m.aggregates) {
        out << a.output << static_cast<int>(a.function) << a.distinct << a.argument
            << a.argument_column << a.argument_star << ",";
    }
    out << m.distinct << m.has_limit << m.has_offset << m.select_star << m.split_insert_rows
        << m.split_copy_rows << m.having << m.window << "|";
    opt(m.limit);
    opt(m.offset);
    opt(m.limit_at);
    opt(m.offset_at);
    opt(m.select_end);
    opt(m.having_begin);
    opt(m.having_end);
    opt(m.group_by_end);
    opt(m.clauses_at);
    opt(m.where_at);
    opt(m.filter_at);
    for (const auto& use : p.table_uses ? *p.table_uses : std::vector<TableUse>{}) {
        out << use.table << "." << use.qualifier << use.top << ",";
    }
    for (auto shard : m.insert_row_shards) {
        out << shard << ",";
    }
    out << m.having_nodes.size() << "|";
    for (const auto& v : m.having_values) {
        out << v.known;
        opt(v.text);
    }
    return out.str();
}

// Routing into one reused Plan (its storage carried from statement to statement) gives exactly
// the plan a fresh route gives, whatever the plan held before: every case of the golden files,
// forwards and then backwards through one plan per database.
TEST(Golden, RoutingIntoAReusedPlanChangesNothing) {
    std::vector<std::pair<std::string, std::string>> cases;
    const std::filesystem::path dir =
        std::filesystem::path(SHARDGATE_SOURCE_DIR) / "tests/unit/router/golden";
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".cases") {
            continue;
        }
        std::ifstream in(entry.path());
        for (std::string line; std::getline(in, line);) {
            if (!line.empty() && line[0] != '#') {
                const auto space = line.find(' ');
                cases.emplace_back(line.substr(0, space), line.substr(space + 1));
            }
        }
    }
    ASSERT_GT(cases.size(), 100u);
    std::map<std::string, std::pair<Planner, Plan>> reused;
    for (int pass = 0; pass < 2; ++pass) {
        for (std::size_t i = 0; i < cases.size(); ++i) {
            const auto& [database, sql] = cases[pass == 0 ? i : cases.size() - 1 - i];
            auto it = reused.find(database);
            if (it == reused.end()) {
                it = reused
                         .emplace(
                             database,
                             std::pair(Planner(demo_map(), database, dialect_of(database)), Plan{}))
                         .first;
            }
            auto& [planner, plan] = it->second;
            planner.route(sql, {}, plan);
            EXPECT_EQ(everything(plan), everything(route(database, sql)))
                << database << ": " << sql;
        }
    }
}

} // namespace

namespace {

/// `node` of `facts`, reached from the top-level WHERE through AND only, compares `column`.
bool conjunct_on(const shardgate::parser::StatementFacts& facts, std::uint32_t node,
                 const std::string& column) {
    const auto& n = facts.predicates[node];
    using Kind = shardgate::parser::PredicateNode::Kind;
    if (n.kind == Kind::comparison) {
        return n.comparison.column.name == column;
    }
    if (n.kind == Kind::and_) {
        for (const auto child : n.children) {
            if (conjunct_on(facts, child, column)) {
                return true;
            }
        }
    }
    return false;
}

} // namespace

// Every golden case that scatters a plain SELECT takes an ownership filter (shard_statement's
// `filter`, docs/resharding.md) as a condition of its top-level WHERE, ANDed with the rest: the
// rewritten statement parses, and its top-level WHERE has the filter's comparison as a
// conjunct, whatever the statement's clauses (ORDER BY, GROUP BY, HAVING, LIMIT, locking, hidden
// sort columns, DISTINCT aggregates). Statements with no place for it say so.
TEST(Golden, OwnershipFiltersLandInTheTopLevelWhere) {
    const std::filesystem::path cases =
        std::filesystem::path(SHARDGATE_SOURCE_DIR) / "tests/unit/router/golden/demo.cases";
    std::ifstream in(cases);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    // MariaDB forms around the WHERE clause the demo cases do not have
    for (const char* sql : {
             "SELECT id FROM posts WHERE id > 1 # a comment",
             "SELECT id FROM posts WHERE id > 1 -- a comment",
             "SELECT id FROM posts /* before */ WHERE id > 1 /* after */ ORDER BY id",
             "SELECT id FROM posts FOR SYSTEM_TIME ALL WHERE id > 1",
             "SELECT id FROM posts FORCE INDEX FOR GROUP BY (PRIMARY) WHERE id > 1 LIMIT 3",
             "SELECT id FROM posts WHERE id > 1 LOCK IN SHARE MODE",
             "SELECT user_id, count(*) FROM posts GROUP BY user_id WITH ROLLUP",
             "SELECT user_id, count(*) AS n FROM posts GROUP BY user_id HAVING n > 1 ORDER BY n",
             "SELECT count(DISTINCT body), max(id) FROM posts WHERE id < 100 OR id > 200",
             "SELECT p.id, (SELECT 1 FROM tags t WHERE t.id = p.id) FROM posts p JOIN likes l "
             "ON l.user_id = p.user_id AND l.id > 0 WHERE p.id BETWEEN 1 AND 9",
             "SELECT id FROM posts WHERE id IN (SELECT id FROM tags WHERE id > 0) LIMIT 1, 5",
             "SELECT DISTINCT user_id FROM posts;",
         }) {
        lines.push_back(std::string("social ") + sql);
    }
    int filtered = 0;
    int refused = 0;
    for (const auto& line : lines) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        const auto space = line.find(' ');
        const auto database = line.substr(0, space);
        const auto sql = line.substr(space + 1);
        const auto plan = route(database, sql);
        if (plan.kind != PlanKind::scatter ||
            plan.statement != shardgate::parser::StatementKind::select) {
            continue;
        }
        if (!owned_rows_placeable(plan)) {
            EXPECT_EQ(shard_statement(plan, sql, "sg_probe = 1"), "") << sql;
            ++refused;
            continue;
        }
        const auto rewritten = shard_statement(plan, sql, "sg_probe = 1");
        ASSERT_TRUE(rewritten) << sql;
        const auto parsed = shardgate::parser::parse(*rewritten, dialect_of(database));
        ASSERT_TRUE(parsed) << *rewritten;
        const auto& facts = parsed.value().facts;
        ASSERT_GE(facts.scopes.size(), 1u) << *rewritten;
        ASSERT_GE(facts.scopes[0].where, 0) << *rewritten;
        EXPECT_TRUE(
            conjunct_on(facts, static_cast<std::uint32_t>(facts.scopes[0].where), "sg_probe"))
            << *rewritten;
        ++filtered;
    }
    EXPECT_GE(filtered, 25);
    std::cout << filtered << " scatter reads filtered, " << refused << " without a place\n";
}
