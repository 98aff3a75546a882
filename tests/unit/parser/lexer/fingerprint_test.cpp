// Tests of the fingerprint text, slots and IN-list folding.
#include "shardgate/parser/lexer.hpp"

#include <gtest/gtest.h>
#include <vector>

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

TEST(Fingerprint, OnlyListsOfLiteralsFold) {
    // A list that ends the statement (then a `;`, dropped), and one that does not fold.
    EXPECT_EQ(fp("SELECT 1 FROM t WHERE id IN (1,2);"), "SELECT ? FROM t WHERE id IN (?+)");
    EXPECT_EQ(fp("SELECT 1 FROM t WHERE id IN (1, x, 2)"), "SELECT ? FROM t WHERE id IN (?, x, ?)");
    EXPECT_EQ(fp("SELECT 1 FROM t WHERE id IN ()"), "SELECT ? FROM t WHERE id IN ()");
    EXPECT_EQ(fp("SELECT 1 FROM t WHERE id IN ((1, 2))"), "SELECT ? FROM t WHERE id IN ((?, ?))");
    EXPECT_EQ(fp("SELECT 1 FROM t WHERE id IN (1, 2,)"), "SELECT ? FROM t WHERE id IN (?, ?,)");
    // A list broken off where another starts: only the inner one folds.
    EXPECT_EQ(fp("SELECT 1 FROM t WHERE a IN (1, b IN (2, 3))"),
              "SELECT ? FROM t WHERE a IN (?, b IN (?+))");
    // Only a `;` that ends the statement is dropped.
    EXPECT_EQ(fp("SELECT 1; SELECT 2 ;"), "SELECT ? ; SELECT ?");
}

TEST(Fingerprint, FoldedListLiteralsShareTheirSlot) {
    LexedStatement lexed;
    ASSERT_TRUE(lex("SELECT a FROM t WHERE id IN (4, 5) AND k = 6", Dialect::mysql, lexed));
    ASSERT_EQ(lexed.fingerprint.slots.size(), 2u);
    std::vector<std::int32_t> slots;
    for (const Token& t : lexed.tokens) {
        if (t.kind == TokenKind::literal) {
            slots.push_back(t.slot);
        }
    }
    EXPECT_EQ(slots, (std::vector<std::int32_t>{0, 0, 1}));
}

TEST(Fingerprint, LiteralNamingASequenceStaysInTheText) {
    LexedStatement lexed;
    ASSERT_TRUE(lex("SELECT nextval('order_seq'), 5", Dialect::pg, lexed));
    EXPECT_EQ(lexed.fingerprint.text, "SELECT nextval('order_seq'), ?");
    EXPECT_EQ(lexed.fingerprint.slots.size(), 1u);
    EXPECT_EQ(lexed.fingerprint.literals.size(), 2u);
}

TEST(Fingerprint, NoneForTextThatIsNotTokens) {
    LexedStatement lexed;
    EXPECT_FALSE(lex("SELECT 1 FROM t WHERE id IN (1, 'x", Dialect::mysql, lexed));
    EXPECT_TRUE(lexed.fingerprint.text.empty());
    EXPECT_TRUE(lexed.fingerprint.slots.empty());
}

} // namespace
