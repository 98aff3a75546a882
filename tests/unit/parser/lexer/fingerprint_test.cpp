// Tests of the fingerprint text, slots and IN-list folding.
#include "shardgate/parser/lexer.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate::parser;

std::string fp(std::string_view sql, Dialect d = Dialect::mysql) {
    auto r = fingerprint(sql, d);
    EXPECT_TRUE(r.ok());
    return r ? r->text : std::string();
}

TEST(Fingerprint, NormalisesCaseSpacingAndComments) {
    EXPECT_EQ(fp("select  *\n from t /* x */ where id=5;"), "SELECT * FROM t WHERE id = ?");
    EXPECT_EQ(fp("SELECT `Id`, count(*) FROM t"), "SELECT `Id`, count(*) FROM t");
}

TEST(Fingerprint, LiteralsAndPlaceholdersShareAFingerprint) {
    EXPECT_EQ(fp("SELECT c FROM t WHERE id = 42"), fp("SELECT c FROM t WHERE id = ?"));
    EXPECT_EQ(fp("SELECT c FROM t WHERE id = '42'"), fp("SELECT c FROM t WHERE id = 42"));
    EXPECT_EQ(fp("SELECT c FROM t WHERE id = $1", Dialect::pg),
              fp("SELECT c FROM t WHERE id = 7", Dialect::pg));
}

TEST(Fingerprint, InListsOfAnyLengthFold) {
    auto a = fingerprint("SELECT * FROM t WHERE id IN (1) AND k = 3", Dialect::mysql);
    auto b = fingerprint("SELECT * FROM t WHERE id IN (1, 2, 3, 4) AND k = 9", Dialect::mysql);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->text, "SELECT * FROM t WHERE id IN (?+) AND k = ?");
    EXPECT_EQ(a->text, b->text);
    EXPECT_EQ(a->hash, b->hash);
    ASSERT_EQ(b->slots.size(), 2u);
    EXPECT_TRUE(b->slots[0].folded_list);
    EXPECT_EQ(b->slots[0].count, 4u);
    // The slot after the list is stable even though literal indices shift.
    EXPECT_EQ(b->literals[b->slots[1].first].text, "9");
    EXPECT_EQ(a->literals[a->slots[1].first].text, "3");
}

TEST(Fingerprint, HintsAreExtractedButNotPartOfTheText) {
    auto r =
        fingerprint("SELECT /* shardgate: shard=s2 primary max_lag_ms=250 */ 1", Dialect::mysql);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->text, "SELECT ?");
    EXPECT_EQ(r->hints.shard, "s2");
    EXPECT_TRUE(r->hints.primary);
    EXPECT_EQ(r->hints.max_lag_ms, 250u);
}

TEST(Fingerprint, OrderByOrdinalsStayVerbatim) {
    EXPECT_EQ(fp("SELECT a, b FROM t ORDER BY 2 DESC, 1 LIMIT 5"),
              "SELECT a, b FROM t ORDER BY 2 DESC, 1 LIMIT ?");
    EXPECT_NE(fp("SELECT a, b FROM t GROUP BY 1"), fp("SELECT a, b FROM t GROUP BY 2"));
}

} // namespace
