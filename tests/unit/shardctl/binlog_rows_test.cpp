// Keys cut out of MariaDB row images (tools/shardctl/binlog_rows.cpp), built byte by byte as
// the server writes them (replication protocol: TABLE_MAP metadata, rows event row images).
#include "binlog_rows.hpp"

#include <cstdint>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace shardctl::binlog {
namespace {

using Bytes = std::vector<std::uint8_t>;

// Type codes as in the binlog.
constexpr std::uint8_t tiny = 1, short_ = 2, long_ = 3, float_ = 4, double_ = 5, longlong = 8,
                       int24 = 9, date = 10, year = 13, varchar = 15, bit = 16, timestamp2 = 17,
                       datetime2 = 18, time2 = 19, newdecimal = 246, blob = 252, string = 254;

/// A table map's columns from (type, metadata bytes) pairs.
std::vector<Column> table(const std::vector<std::pair<std::uint8_t, Bytes>>& spec) {
    Bytes types;
    Bytes metadata;
    for (const auto& [type, meta] : spec) {
        types.push_back(type);
        metadata.insert(metadata.end(), meta.begin(), meta.end());
    }
    std::string why;
    auto out = columns(types, metadata, why);
    EXPECT_TRUE(out.has_value()) << why;
    return out.value_or(std::vector<Column>{});
}

Bytes little(std::uint64_t v, int n) {
    Bytes out;
    for (int i = 0; i < n; ++i) {
        out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
    return out;
}

Bytes cat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& p : parts) {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

Bytes text(const std::string& s, int prefix) {
    return cat({little(s.size(), prefix), Bytes(s.begin(), s.end())});
}

std::vector<std::vector<Value>> read(const std::vector<Column>& t, const Bytes& body, bool update,
                                     const std::vector<std::size_t>& wanted) {
    std::string why;
    auto out = rows(t, body, update, wanted, why);
    EXPECT_TRUE(out.has_value()) << why;
    return out.value_or(std::vector<std::vector<Value>>{});
}

TEST(BinlogRows, IntegersOfEverySizeAndSign) {
    auto t =
        table({{tiny, {}}, {short_, {}}, {int24, {}}, {long_, {}}, {longlong, {}}, {longlong, {}}});
    t[1].is_unsigned = true;
    t[5].is_unsigned = true;
    const Bytes row = cat({{0x00},
                           little(0xfb, 1),
                           little(65535, 2),
                           little(0xfffffe, 3),
                           little(0x80000000, 4),
                           little(std::uint64_t(-7), 8),
                           little(~std::uint64_t(0), 8)});
    const auto got = read(t, row, false, {0, 1, 2, 3, 4, 5});
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], (std::vector<Value>{"-5", "65535", "-2", "-2147483648", "-7",
                                          "18446744073709551615"}));
}

TEST(BinlogRows, StringKeysAfterColumnsOfEveryOtherShape) {
    // decimal(12,3), datetime(3), timestamp(6), time(0), blob, bit(10), double, float, year,
    // date, then varchar(300) and char(5) (STRING with its real type in the metadata) keys.
    const auto t = table({{newdecimal, {12, 3}},
                          {datetime2, {3}},
                          {timestamp2, {6}},
                          {time2, {0}},
                          {blob, {2}},
                          {bit, {2, 1}},
                          {double_, {8}},
                          {float_, {4}},
                          {year, {}},
                          {date, {}},
                          {varchar, {0x2c, 0x01}},
                          {string, {0xfe, 20}}});
    const Bytes row = cat({{0x00, 0x00},
                           Bytes(6, 0x80),     // decimal(12,3): 4 + 2 bytes
                           Bytes(5 + 2, 0x99), // datetime2(3)
                           Bytes(4 + 3, 0x11), // timestamp2(6)
                           Bytes(3, 0x80),     // time2(0)
                           text(std::string(300, 'b'), 2),
                           Bytes(2, 0x03), // bit(10): 1 full byte + 2 bits
                           Bytes(8, 0x40),
                           Bytes(4, 0x3f),
                           {126},
                           Bytes(3, 0x21),
                           text("key's \\ value", 2),
                           text("ab", 1)});
    const auto got = read(t, row, false, {10, 11});
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], (std::vector<Value>{"key's \\ value", "ab"}));
}

TEST(BinlogRows, DateDatetimeAndTimestampKeysAsTheServerPrintsThem) {
    // date, datetime(0), datetime(3), timestamp(6) (UTC)
    const auto t = table({{date, {}}, {datetime2, {0}}, {datetime2, {3}}, {timestamp2, {6}}});
    const Bytes row = cat({{0x00},
                           {0x5d, 0xd0, 0x0f},                           // 2024-02-29
                           {0x99, 0xb6, 0x0a, 0xc1, 0x47},               // 2025-03-05 12:05:07
                           {0x99, 0xb6, 0x0a, 0xc1, 0x47, 0x00, 0x78},   // .012: 120 x 100 us
                           {0x67, 0xc8, 0x3d, 0xf3, 0x01, 0xe2, 0x40}}); // 1741176307, 123456 us
    const auto got = read(t, row, false, {0, 1, 2, 3});
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0],
              (std::vector<Value>{"2024-02-29", "2025-03-05 12:05:07", "2025-03-05 12:05:07.012",
                                  "2025-03-05 12:05:07.123456"}));
}

TEST(BinlogRows, NullsTakeNoBytesAndUpdatesHaveTwoImages) {
    const auto t = table({{longlong, {}}, {varchar, {20, 0}}, {long_, {}}});
    const Bytes before = cat({{0x06}, little(9, 8)}); // columns 1 and 2 NULL
    const Bytes after = cat({{0x04}, little(10, 8), text("x", 1)});
    const auto got = read(t, cat({before, after, before, after}), true, {0, 1});
    ASSERT_EQ(got.size(), 4u);
    EXPECT_EQ(got[0], (std::vector<Value>{"9", std::nullopt}));
    EXPECT_EQ(got[1], (std::vector<Value>{"10", "x"}));
    EXPECT_EQ(got[3], (std::vector<Value>{"10", "x"}));
}

TEST(BinlogRows, RefusesWhatItCannotRead) {
    std::string why;
    const Bytes types{longlong, 200};
    EXPECT_FALSE(columns(types, {}, why).has_value());
    EXPECT_NE(why.find("not supported"), std::string::npos);
    EXPECT_FALSE(columns(Bytes{varchar}, Bytes{20}, why).has_value()); // metadata short
    const auto t = table({{longlong, {}}, {blob, {2}}});
    const Bytes row = cat({{0x00}, little(1, 8), text("abc", 2)});
    EXPECT_FALSE(rows(t, row, false, {1}, why).has_value()); // a blob is no key
    EXPECT_FALSE(rows(t, Bytes(row.begin(), row.end() - 1), false, {0}, why).has_value());
    EXPECT_NE(why.find("shorter"), std::string::npos);
    const Bytes huge = cat({{0x00}, little(1, 8), little(0xffff, 2)}); // length past the end
    EXPECT_FALSE(rows(t, huge, false, {0}, why).has_value());
    // A table of no columns (or only zero-size ones) has images of no bytes: refused, where
    // reading them would never end (found by fuzz_binlog_rows).
    EXPECT_FALSE(rows({}, Bytes{0x01}, false, {}, why).has_value());
    const auto none = rows(t, Bytes{}, false, {0}, why); // an event without rows
    ASSERT_TRUE(none.has_value());
    EXPECT_TRUE(none->empty());
}

} // namespace
} // namespace shardctl::binlog
