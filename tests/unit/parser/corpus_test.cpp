// Parses every corpus statement; at least 99% per dialect must parse, failures are listed.
#include "corpus.hpp"
#include "shardgate/parser/parser.hpp"

#include <gtest/gtest.h>

namespace {

using shardgate::parser::Dialect;

void check_corpus(const std::string& name, Dialect dialect) {
    const auto corpus = shardgate::parser::test_support::load_corpus(name);
    ASSERT_GE(corpus.size(), 500u);
    std::size_t failures = 0;
    for (const auto& s : corpus) {
        auto result = shardgate::parser::parse(s.sql, dialect);
        if (!result) {
            ++failures;
            std::cout << s.file << ":" << s.line << ": at byte " << result.error().position << ": "
                      << result.error().message << "\n    " << s.sql << "\n";
        }
    }
    const double rate = 1.0 - static_cast<double>(failures) / static_cast<double>(corpus.size());
    std::cout << name << ": " << corpus.size() - failures << "/" << corpus.size() << " parsed ("
              << rate * 100.0 << "%)\n";
    EXPECT_GE(rate, 0.99);
}

TEST(Corpus, MysqlParsesAtLeast99Percent) {
    check_corpus("mysql", Dialect::mysql);
}
TEST(Corpus, PgParsesAtLeast99Percent) {
    check_corpus("pg", Dialect::pg);
}

} // namespace
