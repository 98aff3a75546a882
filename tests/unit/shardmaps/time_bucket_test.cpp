// Calendar arithmetic of the time scheme.
#include "shardgate/shardmaps/time_bucket.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate::shardmaps;

std::int64_t at(const char* text) {
    return parse_timestamp(text).value();
}

TEST(TimeBucket, ParsesTheUsualTimestampSpellings) {
    EXPECT_EQ(at("1970-01-01"), 0);
    EXPECT_EQ(at("1970-01-01 00:00:01"), 1);
    EXPECT_EQ(at("1970-01-01T01:00"), 3600);
    EXPECT_EQ(at("1970-01-01 01:00:00.999999"), 3600);
    EXPECT_EQ(at("1970-01-01T01:00:00Z"), 3600);
    EXPECT_EQ(at("1970-01-01T01:00:00+01:00"), 0);
    EXPECT_EQ(at("1970-01-01 01:00:00-0130"), 3600 + 5400);
    EXPECT_EQ(at("1969-12-31 23:59:59"), -1);
    for (const char* bad : {"", "2025", "2025-1-01", "2025-13-01", "2025-01-01X",
                            "2025-01-01 25:00", "2025-01-01 10:00+1"}) {
        EXPECT_FALSE(parse_timestamp(bad).has_value()) << bad;
    }
}

TEST(TimeBucket, BucketsAndLabelsRoundTrip) {
    const auto t = at("2025-08-20 13:00:00");
    EXPECT_EQ(bucket_label(bucket_of(t, Interval::day), Interval::day), "2025-08-20");
    EXPECT_EQ(bucket_label(bucket_of(t, Interval::week), Interval::week), "2025-08-18");
    EXPECT_EQ(bucket_label(bucket_of(t, Interval::month), Interval::month), "2025-08");
    EXPECT_EQ(bucket_label(bucket_of(t, Interval::quarter), Interval::quarter), "2025-Q3");
    EXPECT_EQ(bucket_label(bucket_of(t, Interval::year), Interval::year), "2025");
    EXPECT_EQ(parse_bucket("2025-08", Interval::month), bucket_of(t, Interval::month));
    EXPECT_EQ(parse_bucket("2025-Q3", Interval::quarter), bucket_of(t, Interval::quarter));
    EXPECT_EQ(parse_bucket("2025-08-21", Interval::week), bucket_of(t, Interval::week));
    EXPECT_FALSE(parse_bucket("2025-Q5", Interval::quarter).has_value());
    EXPECT_FALSE(parse_bucket("2025-8", Interval::month).has_value());
}

TEST(TimeBucket, WeeksStartOnMondayAcrossTheEpoch) {
    EXPECT_EQ(bucket_of(at("1969-12-29"), Interval::week), 0); // a Monday
    EXPECT_EQ(bucket_of(at("1970-01-04 23:59:59"), Interval::week), 0);
    EXPECT_EQ(bucket_of(at("1970-01-05"), Interval::week), 1);
    EXPECT_EQ(bucket_of(at("1969-12-28"), Interval::week), -1);
    EXPECT_EQ(bucket_label(-1, Interval::week), "1969-12-22");
}

} // namespace
