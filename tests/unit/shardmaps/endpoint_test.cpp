// host:port parsing.
#include "shardgate/shardmaps/endpoint.hpp"

#include <gtest/gtest.h>

namespace {

using shardgate::shardmaps::parse_endpoint;

TEST(Endpoint, ParsesHostPort) {
    EXPECT_EQ(parse_endpoint("127.0.0.1:15432")->port, 15432);
    EXPECT_EQ(parse_endpoint("db-1.internal:3306")->host, "db-1.internal");
    EXPECT_EQ(parse_endpoint("[::1]:5432")->host, "::1");
    EXPECT_EQ(parse_endpoint("[::1]:5432")->to_string(), "[::1]:5432");
    for (const char* bad : {"", "host", "host:", ":5432", "host:0", "host:65536", "host:12a",
                            "::1:5432", "ho st:1", "[::1]5432"}) {
        EXPECT_FALSE(parse_endpoint(bad).has_value()) << bad;
    }
}

} // namespace
