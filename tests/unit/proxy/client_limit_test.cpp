// Tests of ClientLimit (max_client_connections) and the limit derived from the open-file limit.
#include "shardgate/proxy/client_limit.hpp"

#include <atomic>
#include <gtest/gtest.h>
#include <thread>
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

TEST(ClientLimit, AConsoleSeatedPastTheLimitFreesItsRefusingPlace) {
    ClientLimit limit;
    limit.configure(1, 1);
    auto admitted = limit.admit();
    auto console = limit.admit();
    ASSERT_EQ(console.admission(), Admission::refused);
    EXPECT_EQ(limit.admit().admission(), Admission::dropped) << "the one refusing place is taken";
    EXPECT_TRUE(console.seat_in_console());
    EXPECT_EQ(console.admission(), Admission::console);
    EXPECT_EQ(limit.refusing(), 0u);
    EXPECT_EQ(limit.consoles(), 1u);
    EXPECT_FALSE(admitted.seat_in_console()); // only a refused ticket changes
    EXPECT_EQ(admitted.admission(), Admission::admitted);
    auto next = limit.admit();
    EXPECT_EQ(next.admission(), Admission::refused) << "the refusing place is free again";
    EXPECT_FALSE(next.seat_in_console()) << "the one console place (refusing_max) is taken";
    EXPECT_EQ(next.admission(), Admission::refused);
    console = ClientLimit::Ticket();
    EXPECT_EQ(limit.consoles(), 0u);
    EXPECT_EQ(limit.refusing(), 1u);
    EXPECT_EQ(limit.held(), 1u);
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
    // 160 files, 31 open, few backends: a reserve of 32 (the minimum) and 4 being refused.
    EXPECT_EQ(derived_client_limit(160, 31, 8), 93u);
    EXPECT_EQ(client_refusing_max(160), 4u);
    // 20,000: a reserve of 1,024 (the maximum of the eighth), 64 being refused.
    EXPECT_EQ(derived_client_limit(20000, 40, 320), 20000u - 40 - 1024 - 64);
    // 1,024 (a common default): an eighth reserved; pools that may open 300 connections
    // reserve those instead, but never more than half the limit.
    EXPECT_EQ(derived_client_limit(1024, 20, 0), 1024u - 20 - 128 - 16);
    EXPECT_EQ(derived_client_limit(1024, 20, 300), 1024u - 20 - 300 - 16);
    EXPECT_EQ(derived_client_limit(1024, 20, 5000), 1024u - 20 - 512 - 16);
    // Nothing left: still one client. An unknown limit: no limit.
    EXPECT_EQ(derived_client_limit(40, 30, 0), 1u);
    EXPECT_EQ(derived_client_limit(0, 30, 100), 0u);
}

TEST(ClientLimit, ConcurrentAdmissionsNeverPassTheLimit) {
    // 4 threads keeping up to 2 clients each against a limit of 5: some are refused, the counts
    // never pass the limit and come back to 0.
    ClientLimit limit;
    limit.configure(5, 100);
    std::atomic<unsigned> admitted{0};
    std::vector<std::thread> threads;
    std::vector<std::vector<ClientLimit::Ticket>> held(4);
    for (unsigned t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 20000; ++i) {
                auto ticket = limit.admit();
                if (ticket.admission() == Admission::admitted) {
                    ++admitted;
                    held[t].push_back(std::move(ticket));
                    if (held[t].size() > 2) {
                        held[t].erase(held[t].begin()); // leaves: its place is free again
                    }
                }
                EXPECT_LE(limit.held(), 5u);
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(admitted.load() + limit.refused(), 80000u);
    EXPECT_EQ(limit.dropped(), 0u);
    EXPECT_LE(limit.peak(), 5u);
    held.clear();
    EXPECT_EQ(limit.held(), 0u);
    EXPECT_EQ(limit.refusing(), 0u);
}

} // namespace
