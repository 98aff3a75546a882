// A latency histogram with fixed Prometheus-style buckets (seconds: 100 us .. 10 s, +Inf),
// cheap to update on a worker thread and to sum across workers (`GET /metrics`).
#pragma once

#include <array>
#include <cstdint>

namespace shardgate::proxy {

struct LatencyHistogram {
    /// Upper bounds in microseconds; the last bucket (+Inf) is counts.back().
    static constexpr std::array<std::uint64_t, 16> bounds_us{
        100,   250,    500,    1000,   2500,    5000,    10000,   25000,
        50000, 100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000};
    std::array<std::uint64_t, bounds_us.size() + 1> counts{}; ///< per bucket, not cumulative
    std::uint64_t sum_us = 0;
    std::uint64_t count = 0;

    void observe(std::uint64_t us) {
        std::size_t i = 0;
        while (i < bounds_us.size() && us > bounds_us[i]) {
            ++i;
        }
        ++counts[i];
        sum_us += us;
        ++count;
    }
    void add(const LatencyHistogram& other) {
        for (std::size_t i = 0; i < counts.size(); ++i) {
            counts[i] += other.counts[i];
        }
        sum_us += other.sum_us;
        count += other.count;
    }
};

} // namespace shardgate::proxy
