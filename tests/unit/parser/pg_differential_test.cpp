// Differential test against PostgreSQL's own parser (libpg_query): for every pg corpus
// statement both must parse and find the same set of tables.
#include "corpus.hpp"
#include "shardgate/parser/parser.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pg_query.h>
#include <set>

namespace {

using Tables = std::set<std::string>;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string qualified(const std::string& schema, const std::string& name) {
    return lower(schema.empty() ? name : schema + "." + name);
}

std::vector<std::string> name_parts(const nlohmann::json& list) {
    std::vector<std::string> parts;
    for (const auto& item : list["List"]["items"]) {
        const auto& s = item["String"];
        parts.push_back(s.contains("sval") ? s["sval"].get<std::string>() : s.value("str", ""));
    }
    return parts;
}

// A table named by a list of strings; `drop_last` for objects of a table (column, trigger).
void list_table(const nlohmann::json& list, bool drop_last, Tables& out) {
    auto parts = name_parts(list);
    if (drop_last && !parts.empty()) {
        parts.pop_back();
    }
    if (!parts.empty()) {
        out.insert(qualified(parts.size() > 1 ? parts[parts.size() - 2] : "", parts.back()));
    }
}

// DROP TABLE names its tables as lists of strings rather than RangeVars; so do DROP TRIGGER /
// POLICY (table, then the object).
void drop_tables(const nlohmann::json& drop, Tables& out) {
    const auto type = drop.value("removeType", "");
    if (type != "OBJECT_TABLE" && type != "OBJECT_TRIGGER" && type != "OBJECT_POLICY") {
        return;
    }
    for (const auto& object : drop["objects"]) {
        list_table(object, type != "OBJECT_TABLE", out);
    }
}

// COMMENT ON TABLE t / COLUMN t.c: the object is a list of strings.
void comment_table(const nlohmann::json& comment, Tables& out) {
    const auto type = comment.value("objtype", "");
    if (type == "OBJECT_TABLE" || type == "OBJECT_COLUMN") {
        list_table(comment["object"], type == "OBJECT_COLUMN", out);
    }
}

// RangeVars appear as {"RangeVar": {...}} where the field is a generic node and inline where it
// is typed (InsertStmt.relation, ...): both carry "relname". FOR UPDATE OF names aliases.
void walk(const nlohmann::json& node, Tables& out) {
    if (node.is_object()) {
        if (node.contains("relname")) {
            out.insert(qualified(node.value("schemaname", ""), node.value("relname", "")));
        }
        for (const auto& [key, value] : node.items()) {
            if (key == "DropStmt") {
                drop_tables(value, out);
            }
            if (key == "CommentStmt") {
                comment_table(value, out);
            }
            if (key != "lockedRels") {
                walk(value, out);
            }
        }
    } else if (node.is_array()) {
        for (const auto& item : node) {
            walk(item, out);
        }
    }
}

TEST(PgDifferential, CorpusAgreesWithLibpgQuery) {
    const auto corpus = shardgate::parser::test_support::load_corpus("pg");
    ASSERT_GE(corpus.size(), 500u);
    std::size_t both_parse = 0, agree = 0, ours_only = 0, theirs_only = 0;
    for (const auto& s : corpus) {
        PgQueryParseResult theirs = pg_query_parse(s.sql.c_str());
        auto ours = shardgate::parser::parse(s.sql, shardgate::parser::Dialect::pg);
        const bool theirs_ok = theirs.error == nullptr;
        if (theirs_ok && ours) {
            ++both_parse;
            Tables expected, found;
            walk(nlohmann::json::parse(theirs.parse_tree), expected);
            for (const auto& t : ours->facts.tables) {
                found.insert(qualified(t.schema, t.name));
            }
            if (expected == found) {
                ++agree;
            } else {
                std::string e, f;
                for (const auto& t : expected)
                    e += t + " ";
                for (const auto& t : found)
                    f += t + " ";
                ADD_FAILURE() << s.file << ":" << s.line << ": tables differ\n  libpg_query: " << e
                              << "\n  shardgate:   " << f << "\n  " << s.sql;
            }
        } else if (ours) {
            ++ours_only;
            ADD_FAILURE() << s.file << ":" << s.line << ": only shardgate parses: " << s.sql;
        } else if (theirs_ok) {
            ++theirs_only;
            std::cout << s.file << ":" << s.line
                      << ": only libpg_query parses (see tests/corpus/UNSUPPORTED.md): " << s.sql
                      << "\n";
        }
        pg_query_free_parse_result(theirs);
    }
    std::cout << "pg corpus: " << corpus.size() << " statements, both parse " << both_parse
              << ", tables agree " << agree << ", only shardgate " << ours_only
              << ", only libpg_query " << theirs_only << "\n";
    EXPECT_EQ(agree, both_parse);
    EXPECT_EQ(ours_only, 0u);
    // Statements only libpg_query understands are the documented unsupported ones (< 1%).
    EXPECT_LE(theirs_only * 100, corpus.size());
}

} // namespace
