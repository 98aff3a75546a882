// Tests of the lexer: token classes, dialect quoting, strings, comments, errors.
#include "shardgate/parser/lexer.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate::parser;

LexedStatement lex_ok(std::string_view sql, Dialect d) {
    LexedStatement out;
    Status s = lex(sql, d, out);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return out;
}

// sql_mode NO_BACKSLASH_ESCAPES: a backslash is an ordinary character, so 'C:\' ends the
// string; ANSI_QUOTES: "x" is an identifier.
TEST(Lexer, MysqlSqlModeChangesStringsAndQuotes) {
    LexedStatement l;
    const auto no_escapes = lex_mode_from_sql_mode("STRICT_TRANS_TABLES,no_backslash_escapes");
    EXPECT_FALSE(no_escapes.backslash_escapes);
    ASSERT_TRUE(lex(R"(SELECT 'C:\', 'x' FROM t)", Dialect::mysql, l, no_escapes).ok());
    ASSERT_EQ(l.fingerprint.literals.size(), 2u);
    EXPECT_EQ(l.fingerprint.literals[0].text, "C:\\");
    EXPECT_EQ(l.fingerprint.literals[1].text, "x");
    // The same text with escapes on is one string left open: an error, not a guess.
    EXPECT_FALSE(lex(R"(SELECT 'C:\')", Dialect::mysql, l).ok());
    const auto ansi = lex_mode_from_sql_mode("'ANSI_QUOTES'");
    EXPECT_TRUE(ansi.ansi_quotes);
    EXPECT_TRUE(lex_mode_from_sql_mode("ANSI").ansi_quotes);
    ASSERT_TRUE(lex(R"(SELECT "id" FROM "users")", Dialect::mysql, l, ansi).ok());
    EXPECT_EQ(l.tokens[1].kind, TokenKind::quoted_ident);
    EXPECT_EQ(identifier_text(l, l.tokens[3]), "users");
    EXPECT_TRUE(l.fingerprint.literals.empty());
    EXPECT_EQ(lex_mode_from_sql_mode(""), LexMode{});
}

TEST(Lexer, MysqlBackticksAndPlaceholders) {
    auto l = lex_ok("SELECT `a b` FROM t WHERE x = ? AND y = ?", Dialect::mysql);
    EXPECT_EQ(l.tokens[1].kind, TokenKind::quoted_ident);
    EXPECT_EQ(identifier_text(l, l.tokens[1]), "a b");
    ASSERT_EQ(l.fingerprint.literals.size(), 2u);
    EXPECT_EQ(l.fingerprint.literals[0].kind, LiteralKind::placeholder);
    EXPECT_EQ(l.fingerprint.literals[1].param, 1u);
}

TEST(Lexer, MysqlStringsUseBackslashEscapesAndDoubleQuotes) {
    auto l = lex_ok(R"(SELECT 'a\'b', "c""d", 'e''f', _utf8mb4'g')", Dialect::mysql);
    ASSERT_EQ(l.fingerprint.literals.size(), 4u);
    EXPECT_EQ(l.fingerprint.literals[0].text, "a'b");
    EXPECT_EQ(l.fingerprint.literals[1].text, "c\"d");
    EXPECT_EQ(l.fingerprint.literals[2].text, "e'f");
    EXPECT_EQ(l.fingerprint.literals[3].text, "g");
}

TEST(Lexer, MysqlHashCommentAndDashDashNeedsSpace) {
    auto l = lex_ok("SELECT 1 # comment\n, 2 -- c\n", Dialect::mysql);
    EXPECT_EQ(l.fingerprint.text, "SELECT ?, ?");
    auto m = lex_ok("SELECT 5--1", Dialect::mysql);
    EXPECT_EQ(m.fingerprint.literals.size(), 2u);
}

TEST(Lexer, PgQuotedIdentifiersDollarParamsAndCasts) {
    auto l = lex_ok(R"(SELECT "Ab""c", $2::int FROM t)", Dialect::pg);
    EXPECT_EQ(identifier_text(l, l.tokens[1]), "Ab\"c");
    EXPECT_EQ(l.fingerprint.literals[0].param, 1u);
    EXPECT_EQ(l.tokens[4].op, Op::cast);
}

TEST(Lexer, PgEscapeAndDollarQuotedStrings) {
    auto l = lex_ok(R"(SELECT E'a\nb', $$x 'y'$$, $t$z$$w$t$, 'no\escape')", Dialect::pg);
    ASSERT_EQ(l.fingerprint.literals.size(), 4u);
    EXPECT_EQ(l.fingerprint.literals[0].text, "a\nb");
    EXPECT_EQ(l.fingerprint.literals[1].text, "x 'y'");
    EXPECT_EQ(l.fingerprint.literals[2].text, "z$$w");
    EXPECT_EQ(l.fingerprint.literals[3].text, "no\\escape");
}

TEST(Lexer, PgNestedBlockComments) {
    auto l = lex_ok("SELECT /* a /* b */ c */ 1", Dialect::pg);
    EXPECT_EQ(l.fingerprint.text, "SELECT ?");
}

TEST(Lexer, NegativeNumbersAreOneLiteralOnlyAfterOperators) {
    auto l = lex_ok("SELECT a - 1, -2 FROM t WHERE id = -3", Dialect::mysql);
    ASSERT_EQ(l.fingerprint.literals.size(), 3u);
    EXPECT_EQ(l.fingerprint.literals[0].text, "1");
    EXPECT_EQ(l.fingerprint.literals[1].text, "-2");
    EXPECT_EQ(l.fingerprint.literals[2].text, "-3");
}

TEST(Lexer, NullIsALiteralExceptAfterIs) {
    auto l = lex_ok("SELECT NULL FROM t WHERE a IS NULL AND b IS NOT NULL", Dialect::pg);
    ASSERT_EQ(l.fingerprint.literals.size(), 1u);
    EXPECT_EQ(l.fingerprint.literals[0].kind, LiteralKind::null);
}

TEST(Lexer, ErrorsCarryPositions) {
    LexedStatement out;
    Status s = lex("SELECT 'abc", Dialect::mysql, out);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().position, 7u);
    s = lex("SELECT /* x", Dialect::pg, out);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().position, 7u);
    s = lex("SELECT \\", Dialect::pg, out);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().position, 7u);
    s = lex("SELECT $0", Dialect::pg, out);
    EXPECT_FALSE(s.ok());
}

TEST(Keywords, LookupIsCaseInsensitive) {
    EXPECT_EQ(find_keyword("SeLeCt"), Keyword::select);
    EXPECT_EQ(find_keyword("users"), Keyword::none);
    EXPECT_EQ(find_keyword("Straight_Join"), Keyword::straight_join);
    // Letters fold with bit 0x20 in the lookup; '_' and DEL fold alike, and must not match.
    EXPECT_EQ(find_keyword("straight\x7Fjoin"), Keyword::none);
    EXPECT_EQ(find_keyword("SELEC\x14"), Keyword::none); // 0x14 | 0x20 is '4', not a letter
    EXPECT_EQ(find_keyword("transactions"), Keyword::none);
    EXPECT_EQ(find_keyword("current"), Keyword::current);
    EXPECT_EQ(find_keyword("s"), Keyword::none);
    EXPECT_EQ(keyword_text(Keyword::case_), "CASE");
    EXPECT_TRUE(keyword_flags(Keyword::where).reserved);
}

} // namespace
