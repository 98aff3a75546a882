// The bytes the grouped merges of a whole process may hold together
// (scatter_max_buffered_bytes_total): each cross-shard GROUP BY / DISTINCT / aggregate reserves
// its groups' bytes here as it holds them and gives them back when it ends, so that many
// sessions each within scatter_max_buffered_bytes cannot together exhaust the proxy's memory.
#pragma once

#include <atomic>
#include <cstddef>

namespace shardgate::router {

class MergeBudget {
public:
    explicit MergeBudget(std::size_t limit) : limit_(limit) {}
    MergeBudget(const MergeBudget&) = delete;
    MergeBudget& operator=(const MergeBudget&) = delete;

    /// Takes `bytes` when they fit under the limit with what is held; false (nothing taken)
    /// otherwise. Thread-safe.
    bool reserve(std::size_t bytes) {
        auto held = held_.load(std::memory_order_relaxed);
        do {
            if (bytes > limit_ || held > limit_ - bytes) {
                refused_.fetch_add(1, std::memory_order_relaxed);
                return false;
            }
        } while (!held_.compare_exchange_weak(held, held + bytes, std::memory_order_relaxed));
        auto peak = peak_.load(std::memory_order_relaxed);
        while (held + bytes > peak &&
               !peak_.compare_exchange_weak(peak, held + bytes, std::memory_order_relaxed)) {
        }
        return true;
    }
    /// Gives back `bytes` taken by reserve().
    void release(std::size_t bytes) { held_.fetch_sub(bytes, std::memory_order_relaxed); }

    std::size_t held() const { return held_.load(std::memory_order_relaxed); }
    /// The most ever held at once (to size the limit).
    std::size_t peak() const { return peak_.load(std::memory_order_relaxed); }
    /// Reservations refused.
    std::size_t refused() const { return refused_.load(std::memory_order_relaxed); }
    std::size_t limit() const { return limit_; }

private:
    std::atomic<std::size_t> held_{0};
    std::atomic<std::size_t> peak_{0};
    std::atomic<std::size_t> refused_{0};
    const std::size_t limit_;
};

} // namespace shardgate::router
