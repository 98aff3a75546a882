// Parses every corpus statement: at least 99.5% per dialect must parse, and the statements that
// do not are exactly the ones tests/corpus/UNSUPPORTED.md lists (by dialect and file:line).
#include "corpus.hpp"
#include "shardgate/parser/parser.hpp"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <sstream>

namespace {

using shardgate::parser::Dialect;

/// "file:line" entries of UNSUPPORTED.md's table for one dialect.
std::set<std::string> listed_unsupported(const std::string& dialect) {
    std::ifstream in(std::string(SHARDGATE_CORPUS_DIR) + "/UNSUPPORTED.md");
    std::set<std::string> out;
    for (std::string line; std::getline(in, line);) {
        const std::string prefix = "| " + dialect + " | ";
        if (line.rfind(prefix, 0) != 0) {
            continue;
        }
        const auto start = prefix.size();
        const auto end = line.find(" |", start);
        out.insert(line.substr(start, end - start));
    }
    return out;
}

void check_corpus(const std::string& name, Dialect dialect) {
    const auto corpus = shardgate::parser::test_support::load_corpus(name);
    ASSERT_GE(corpus.size(), 500u);
    std::set<std::string> failed;
    for (const auto& s : corpus) {
        auto result = shardgate::parser::parse(s.sql, dialect);
        if (!result) {
            const auto where =
                std::filesystem::path(s.file).filename().string() + ":" + std::to_string(s.line);
            failed.insert(where);
            std::cout << where << ": at byte " << result.error().position << ": "
                      << result.error().message << "\n    " << s.sql << "\n";
        }
    }
    const double rate =
        1.0 - static_cast<double>(failed.size()) / static_cast<double>(corpus.size());
    std::cout << name << ": " << corpus.size() - failed.size() << "/" << corpus.size()
              << " parsed (" << rate * 100.0 << "%)\n";
    EXPECT_GE(rate, 0.995);
    const auto listed = listed_unsupported(name);
    for (const auto& where : failed) {
        EXPECT_TRUE(listed.count(where)) << where << " does not parse but is not listed in "
                                         << "tests/corpus/UNSUPPORTED.md";
    }
    for (const auto& where : listed) {
        EXPECT_TRUE(failed.count(where))
            << where << " is listed in tests/corpus/UNSUPPORTED.md but parses (or moved)";
    }
}

TEST(Corpus, MysqlParsesAtLeast99Point5PercentAndListsTheRest) {
    check_corpus("mysql", Dialect::mysql);
}
TEST(Corpus, PgParsesAtLeast99Point5PercentAndListsTheRest) {
    check_corpus("pg", Dialect::pg);
}

} // namespace
