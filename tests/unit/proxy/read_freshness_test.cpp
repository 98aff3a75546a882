// Read-your-writes marks and the MariaDB GTID coverage check used by causal reads.
#include "shardgate/proxy/read_freshness.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate::proxy;

TEST(GtidCovered, SameDomainSequenceDecides) {
    EXPECT_TRUE(gtid_covered("0-1-42", "0-1-42"));
    EXPECT_TRUE(gtid_covered("0-1-43", "0-1-42"));
    EXPECT_FALSE(gtid_covered("0-1-41", "0-1-42"));
    // The server id may differ after a switchover; the domain's sequence still orders.
    EXPECT_TRUE(gtid_covered("0-2-50", "0-1-42"));
}

TEST(GtidCovered, ListsAndOtherDomains) {
    EXPECT_TRUE(gtid_covered("1-1-5,0-1-100", "0-1-99"));
    EXPECT_FALSE(gtid_covered("1-1-500", "0-1-1"));
    EXPECT_TRUE(gtid_covered("0-1-7, 2-1-9\n", "2-1-9"));
}

TEST(GtidCovered, MalformedIsNeverCovered) {
    EXPECT_FALSE(gtid_covered("0-1-42", ""));
    EXPECT_FALSE(gtid_covered("0-1-42", "0-1"));
    EXPECT_FALSE(gtid_covered("0-1-42", "x-1-1"));
    EXPECT_FALSE(gtid_covered("", "0-1-1"));
    EXPECT_FALSE(gtid_covered("garbage", "0-1-1"));
}

TEST(ReadFreshness, MarksPerShard) {
    ReadFreshness freshness;
    EXPECT_EQ(freshness.last_write(3), nullptr);
    freshness.wrote(3, WriteMark{std::chrono::steady_clock::now(), 1234, {}});
    ASSERT_NE(freshness.last_write(3), nullptr);
    EXPECT_EQ(freshness.last_write(3)->lsn, 1234);
    EXPECT_EQ(freshness.last_write(0), nullptr);
    freshness.wrote(3, WriteMark{std::chrono::steady_clock::now(), std::nullopt, "0-1-5"});
    EXPECT_FALSE(freshness.last_write(3)->lsn);
    EXPECT_EQ(freshness.last_write(3)->gtid, "0-1-5");
    freshness.clear();
    EXPECT_EQ(freshness.last_write(3), nullptr);
}

} // namespace
