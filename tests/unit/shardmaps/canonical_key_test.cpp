// Canonicalisation of key values: integers, strings, case folding, timestamps.
#include "shardgate/shardmaps/canonical_key.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate::shardmaps;

Result<CanonicalKey> make(const KeyValue& value, KeyType type, bool ci = false) {
    return CanonicalKey::make(value, ShardKey{"k", type, ci});
}

TEST(CanonicalKey, IntegersArePlainDecimal) {
    EXPECT_EQ(make(std::int64_t{-42}, KeyType::bigint)->text(), "-42");
    EXPECT_EQ(make(std::string_view("0042"), KeyType::bigint)->text(), "42");
    EXPECT_EQ(make(std::string_view("+7"), KeyType::bigint)->text(), "7");
    EXPECT_EQ(make(std::string_view("-0"), KeyType::bigint)->text(), "0");
    EXPECT_EQ(make(std::string_view("-9223372036854775808"), KeyType::bigint)->integer(),
              INT64_MIN);
}

TEST(CanonicalKey, RejectsTextThatIsNotAnInteger) {
    for (const char* bad : {"", "4 2", "12a", "1.5", "+-1", "99999999999999999999", " 1"}) {
        const auto key = make(std::string_view(bad), KeyType::bigint);
        ASSERT_FALSE(key.ok()) << bad;
        EXPECT_EQ(key.error().code, LookupErrorCode::bad_key);
        EXPECT_NE(key.error().message.find("bigint"), std::string::npos);
    }
}

TEST(CanonicalKey, IntegerWidthsAreEnforced) {
    EXPECT_TRUE(make(std::int64_t{32767}, KeyType::smallint).ok());
    EXPECT_FALSE(make(std::int64_t{32768}, KeyType::smallint).ok());
    EXPECT_TRUE(make(std::int64_t{-2147483648LL}, KeyType::integer).ok());
    EXPECT_FALSE(make(std::int64_t{2147483648LL}, KeyType::integer).ok());
}

TEST(CanonicalKey, StringsKeepBytesUnlessCaseInsensitive) {
    EXPECT_EQ(make(std::string_view("MiXeD"), KeyType::text)->text(), "MiXeD");
    EXPECT_EQ(make(std::string_view("MiXeD"), KeyType::text, true)->text(), "mixed");
    EXPECT_EQ(make(std::int64_t{12}, KeyType::text)->text(), "12");
}

TEST(CanonicalKey, CopiesStayValid) {
    auto original = make(std::string_view("ABC"), KeyType::text, true);
    const CanonicalKey copy = *original;
    original = make(std::string_view("zzz"), KeyType::text, true);
    EXPECT_EQ(copy.text(), "abc");
    const auto number = make(std::int64_t{123}, KeyType::bigint);
    const CanonicalKey number_copy = *number;
    EXPECT_EQ(number_copy.text(), "123");
}

TEST(FoldCase, FoldsLatinGreekCyrillicAndKeepsOthers) {
    EXPECT_EQ(fold_case("ÄÖÜ ÀÉÎ Ø Þ"), "äöü àéî ø þ");
    EXPECT_EQ(fold_case("ß×"), "ß×");                 // no capital form / not a letter
    EXPECT_EQ(fold_case("ŁÓDŹ ŠŽČ Ÿ"), "łódź šžč ÿ"); // Latin Extended-A
    EXPECT_EQ(fold_case("ΑΘΗΝΑ"), "αθηνα");
    EXPECT_EQ(fold_case("МОСКВА ЁЖ"), "москва ёж");
    EXPECT_EQ(fold_case("日本 🎉 İ"), "日本 🎉 İ"); // unchanged: no same-length lower case
}

TEST(CanonicalKey, TimestampsBecomeEpochSeconds) {
    EXPECT_EQ(make(std::string_view("1970-01-02"), KeyType::timestamptz)->integer(), 86400);
    EXPECT_EQ(make(std::string_view("2025-03-14 10:00:00"), KeyType::timestamptz)->integer(),
              make(std::string_view("2025-03-14T12:00:00+02:00"), KeyType::timestamptz)->integer());
    EXPECT_FALSE(make(std::int64_t{5}, KeyType::timestamptz).ok());
    // A wall-clock timestamp drops the offset (its column does), but it must still be valid.
    EXPECT_EQ(make(std::string_view("1970-01-02"), KeyType::timestamp)->integer(), 86400);
    EXPECT_EQ(make(std::string_view("2025-03-14 12:00:00"), KeyType::timestamp)->integer(),
              make(std::string_view("2025-03-14T12:00:00+02:00"), KeyType::timestamp)->integer());
    EXPECT_EQ(make(std::string_view("2025-03-14 12:00:00"), KeyType::timestamp)->integer(),
              make(std::string_view("2025-03-14 12:00:00Z"), KeyType::timestamp)->integer());
    EXPECT_FALSE(make(std::string_view("2025-03-14 12:00:00+2x"), KeyType::timestamp).ok());
    EXPECT_FALSE(make(std::int64_t{5}, KeyType::timestamp).ok());
    // A date column drops the time and the offset: the offset does not move the day.
    EXPECT_EQ(make(std::string_view("2026-01-31 23:00-05"), KeyType::date)->integer(),
              make(std::string_view("2026-01-31 23:00"), KeyType::date)->integer());
    EXPECT_FALSE(make(std::string_view("2025-02-30"), KeyType::date).ok());
}

} // namespace
