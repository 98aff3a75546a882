// Tests of ClientLimit (max_client_connections) and the limit derived from the open-file limit.
#include "shardgate/proxy/client_limit.hpp"

#include <gtest/gtest.h>
#include <vector>

namespace {

using namespace shardgate::proxy;
using Admission = ClientLimit::Admission;

TEST(ClientLimit, AdmitsUpToTheLimitThenRefusesThenDrops) {
    ClientLimit limit;
    limit.configure(3, 2);
    std::vector<ClientLimit::Ticket> tickets;
    for (int i = 0; i < 3; ++i) {
        tickets.push_back(limit.admit());
        EXPECT_EQ(tickets.back().admission(), Admission::admitted);
    }
    tickets.push_back(limit.admit());
    tickets.push_back(limit.admit());
    EXPECT_EQ(tickets[3].admission(), Admission::refused);
    EXPECT_EQ(tickets[4].admission(), Admission::refused);
    EXPECT_EQ(limit.admit().admission(), Admission::dropped);
    EXPECT_EQ(limit.held(), 3u);
    EXPECT_EQ(limit.refusing(), 2u);
    EXPECT_EQ(limit.refused(), 2u);
    EXPECT_EQ(limit.dropped(), 1u);
    // A refused client that leaves frees a refusing place, an admitted one a client place.
    tickets.pop_back();
    EXPECT_EQ(limit.refusing(), 1u);
    EXPECT_EQ(limit.admit().admission(), Admission::refused);
    tickets.erase(tickets.begin());
    EXPECT_EQ(limit.held(), 2u);
    auto again = limit.admit();
    EXPECT_EQ(again.admission(), Admission::admitted);
    EXPECT_EQ(limit.held(), 3u);
    EXPECT_EQ(limit.peak(), 3u);
    tickets.clear();
    EXPECT_EQ(limit.held(), 1u); // `again`
    EXPECT_EQ(limit.refusing(), 0u);
}

TEST(ClientLimit, ZeroMeansNoLimitAndMovedTicketsReleaseOnce) {
    ClientLimit limit;
    std::vector<ClientLimit::Ticket> tickets;
    for (int i = 0; i < 1000; ++i) {
        tickets.push_back(limit.admit());
        ASSERT_EQ(tickets.back().admission(), Admission::admitted);
    }
    ClientLimit::Ticket moved = std::move(tickets.front());
    moved = std::move(tickets.back());
    EXPECT_EQ(limit.held(), 999u); // the first one was released when `moved` took the last
    tickets.clear();
    EXPECT_EQ(limit.held(), 1u);
}

TEST(ClientLimit, DerivedFromTheOpenFileLimit) {
    // 160 files, 31 open: a reserve of 32 (the minimum) and 4 being refused.
    EXPECT_EQ(derived_client_limit(160, 31), 93u);
    EXPECT_EQ(client_refusing_max(160), 4u);
    // 20,000: a reserve of 1,024 (the maximum), 64 being refused.
    EXPECT_EQ(derived_client_limit(20000, 40), 20000u - 40 - 1024 - 64);
    // 1,024 (a common default): an eighth reserved.
    EXPECT_EQ(derived_client_limit(1024, 20), 1024u - 20 - 128 - 16);
    // Nothing left: still one client.
    EXPECT_EQ(derived_client_limit(40, 30), 1u);
}

} // namespace
