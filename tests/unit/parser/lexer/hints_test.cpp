// Tests of routing-hint parsing.
#include "shardgate/parser/hints.hpp"
#include "shardgate/parser/lexer.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate::parser;

TEST(Hints, ParsesKnownAndUnknownKeys) {
    Hints h;
    parse_hint_text(" shard=eu-1, primary future=x flag", h);
    EXPECT_EQ(h.shard, "eu-1");
    EXPECT_TRUE(h.primary);
    ASSERT_EQ(h.other.size(), 2u);
    EXPECT_EQ(h.other[0].first, "future");
    EXPECT_EQ(h.other[0].second, "x");
    EXPECT_EQ(h.other[1].first, "flag");
}

TEST(Hints, BadLagValueIsKeptAsOther) {
    Hints h;
    parse_hint_text("max_lag_ms=abc", h);
    EXPECT_FALSE(h.max_lag_ms);
    EXPECT_EQ(h.other.size(), 1u);
}

TEST(Hints, FoundInLineCommentsAndAnywhere) {
    auto r = fingerprint("UPDATE t SET a = 1 -- shardgate: shard=s9\n WHERE id = 2", Dialect::pg);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->hints.shard, "s9");
    auto plain = fingerprint("SELECT /* not a hint */ 1", Dialect::pg);
    EXPECT_TRUE(plain->hints.empty());
}

} // namespace
