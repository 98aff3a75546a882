// Tests of slot_casts: the cast written on each slot's literal, as a shard key is read.
#include "shardgate/parser/lexer.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace {

using namespace shardgate::parser;

std::vector<LiteralCast> casts(std::string_view sql, Dialect dialect = Dialect::pg) {
    LexedStatement lexed;
    const Status status = lex(sql, dialect, lexed);
    EXPECT_TRUE(status.ok()) << sql;
    return slot_casts(lexed);
}

using C = LiteralCast;

TEST(SlotCasts, NoCastsAnywhereIsEmpty) {
    EXPECT_TRUE(casts("SELECT * FROM t WHERE a = 1 AND b IN (1, 2, 3) AND c = $1").empty());
    EXPECT_TRUE(casts("SELECT lower('X'), (('y')) FROM t").empty());
}

TEST(SlotCasts, PostgresCastSpellings) {
    EXPECT_EQ(casts("SELECT * FROM t WHERE at = '2026-01-01'::timestamptz AND b = 2"),
              (std::vector{C::timestamptz, C::none}));
    EXPECT_EQ(casts("SELECT 1 WHERE at = '2026-01-01'::timestamp"),
              (std::vector{C::none, C::timestamp}));
    EXPECT_EQ(casts("SELECT * FROM t WHERE at = CAST('x' AS timestamp with time zone)"),
              (std::vector{C::timestamptz}));
    EXPECT_EQ(casts("SELECT * FROM t WHERE at = CAST('x' AS timestamp without time zone)"),
              (std::vector{C::timestamp}));
    EXPECT_EQ(casts("SELECT * FROM t WHERE at = timestamptz 'x' OR at = DATE 'y'"),
              (std::vector{C::timestamptz, C::date}));
    EXPECT_EQ(casts("SELECT * FROM t WHERE at = $1::pg_catalog.timestamptz"),
              (std::vector{C::timestamptz}));
    EXPECT_EQ(casts("SELECT * FROM t WHERE id = '7'::int8 AND n = 'x'::text AND v = 'y'::varchar"),
              (std::vector{C::integer, C::text, C::text}));
    // A parenthesised or nested CAST is still the literal's.
    EXPECT_EQ(casts("SELECT * FROM t WHERE at = CAST(('x') AS date)"), (std::vector{C::date}));
    EXPECT_EQ(casts("SELECT * FROM t WHERE at = CAST(CAST('x' AS date) AS timestamptz)"),
              (std::vector{C::other}));
    EXPECT_EQ(casts("SELECT * FROM t WHERE at = ('x'::text)::timestamptz"),
              (std::vector{C::timestamptz}));
    EXPECT_EQ(casts("SELECT * FROM t WHERE at = CAST('x' AS date)::date"), (std::vector{C::date}));
}

TEST(SlotCasts, TypesThatCanChangeTheValueAreOther) {
    for (const char* sql :
         {"SELECT 1 FROM t WHERE a = 'abcdef'::varchar(3)", "SELECT 1 FROM t WHERE a = 'abc'::char",
          "SELECT 1 FROM t WHERE a = '2026-01-31 23:59:59.6'::timestamp(0)",
          "SELECT 1 FROM t WHERE a = 12.7::numeric(3, 0)",
          "SELECT 1 FROM t WHERE a = 'x'::timestamp::timestamptz",
          "SELECT 1 FROM t WHERE a = '5'::int::text",
          "SELECT 1 FROM t WHERE a = 'x'::my_schema.my_type",
          "SELECT 1 FROM t WHERE a = '{1}'::int[]", "SELECT 1 FROM t WHERE a = time '05:00'",
          "SELECT 1 FROM t WHERE a = CAST('x' AS name)"}) {
        const auto found = casts(sql);
        EXPECT_NE(std::find(found.begin(), found.end(), C::other), found.end()) << sql;
    }
}

TEST(SlotCasts, MysqlCastSpellings) {
    const auto my = [](std::string_view sql) { return casts(sql, Dialect::mysql); };
    EXPECT_EQ(my("SELECT * FROM t WHERE at = CAST('x' AS DATETIME)"), (std::vector{C::timestamp}));
    EXPECT_EQ(my("SELECT * FROM t WHERE at = CAST('x' AS DATE) AND id = CAST('7' AS SIGNED)"),
              (std::vector{C::date, C::integer}));
    EXPECT_EQ(my("SELECT * FROM t WHERE id = CAST('7' AS SIGNED INTEGER) AND n = CAST(7 AS CHAR)"),
              (std::vector{C::integer, C::text}));
    EXPECT_EQ(my("SELECT * FROM t WHERE at = TIMESTAMP '2026-01-01 05:00:00'"),
              (std::vector{C::timestamp}));
    for (const char* sql : {"SELECT 1 FROM t WHERE a = CAST('abcdef' AS CHAR(3))",
                            "SELECT 1 FROM t WHERE a = CAST(-1 AS UNSIGNED)",
                            "SELECT 1 FROM t WHERE a = CAST('x' AS DATETIME(0))",
                            "SELECT 1 FROM t WHERE a = CAST('x' AS DECIMAL(5))"}) {
        const auto found = my(sql);
        EXPECT_NE(std::find(found.begin(), found.end(), C::other), found.end()) << sql;
    }
}

TEST(SlotCasts, FoldedListsAndOtherLiteralsAreUntouched) {
    // A folded IN list has no cast; a cast item stops the folding and keeps its own.
    EXPECT_TRUE(casts("SELECT 1 FROM t WHERE id IN (1, 2, 3)").empty());
    EXPECT_EQ(casts("SELECT 1 FROM t WHERE id IN (1::int8, 2)"),
              (std::vector{C::none, C::integer, C::none}));
    // A function's argument is not cast by the call.
    EXPECT_EQ(casts("SELECT 1 FROM t WHERE a = lower('X') AND b = 'y'::date"),
              (std::vector{C::none, C::none, C::date}));
}

TEST(SlotCasts, CollationsArraysTypedLiteralsAndSigns) {
    EXPECT_EQ(casts("SELECT * FROM t WHERE a = 'x' COLLATE \"C\"::timestamp"),
              (std::vector{C::timestamp}));
    EXPECT_EQ(casts("SELECT * FROM t WHERE a = CAST('x' COLLATE pg_catalog.\"C\" AS date)"),
              (std::vector{C::date}));
    EXPECT_EQ(casts("SELECT * FROM t WHERE a = CAST('zebra' COLLATE utf8mb4_bin AS CHAR(1))",
                    Dialect::mysql),
              (std::vector{C::other, C::none})); // (the length is a slot of its own)
    // Every element of an array cast as a whole.
    EXPECT_EQ(casts("SELECT * FROM t WHERE a = ANY(ARRAY['x', 'y']::timestamp[])"),
              (std::vector{C::other, C::other}));
    EXPECT_TRUE(casts("SELECT * FROM t WHERE a = ANY(ARRAY['x', 'y'])").empty());
    EXPECT_EQ(casts("SELECT * FROM t WHERE a = CAST(timestamptz 'x' AS date)"),
              (std::vector{C::other}));
    EXPECT_EQ(casts("SELECT * FROM t WHERE a = CAST(+12345 AS varchar(2))"),
              (std::vector{C::other, C::none}));
    EXPECT_EQ(casts("SELECT * FROM t WHERE a = '12'::numeric AND b = 1::double precision"),
              (std::vector{C::number, C::number}));
    EXPECT_EQ(casts("SELECT * FROM t WHERE a = CAST('1' AS DECIMAL)", Dialect::mysql),
              (std::vector{C::number}));
}

TEST(SlotCasts, DeclaredTypesOfSqlPrepare) {
    EXPECT_EQ(declared_casts("bigint, timestamp with time zone, text", Dialect::pg),
              (std::vector{C::integer, C::timestamptz, C::text}));
    EXPECT_EQ(declared_casts("timestamp, numeric(10, 2), varchar(3), date", Dialect::pg),
              (std::vector{C::timestamp, C::other, C::other, C::date}));
    EXPECT_EQ(declared_casts("int4 extra, ", Dialect::pg), (std::vector{C::other, C::other}));
    // A quoted name with a comma is one type.
    EXPECT_EQ(declared_casts("\"a,b\", timestamp", Dialect::pg),
              (std::vector{C::other, C::timestamp}));
}

} // namespace
