// The proxy's resolver of distributed transactions: a thread that, every
// txn_resolve_interval_ms, ends the participants left prepared on the running map's shards
// (by any proxy: one killed during a commit, one whose participant was down) by their
// decision, and now and then forgets old decisions. It follows live maps (a shard added by a
// resharding workflow, a primary switched). Its counters go to admin /status.
#pragma once

#include "shardgate/monitor/client_login.hpp"
#include "shardgate/proxy/backend_registry.hpp"
#include "shardgate/proxy/config.hpp"
#include "shardgate/proxy/status_report.hpp"
#include "shardgate/shardmaps/shard_map.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace shardgate::txn {
class Resolver;
} // namespace shardgate::txn

namespace shardgate::proxy {

class TxnResolver {
public:
    TxnResolver(const BackendRegistry& registry, const Config& config);
    ~TxnResolver();
    TxnResolver(const TxnResolver&) = delete;
    TxnResolver& operator=(const TxnResolver&) = delete;

    /// Starts the thread (nothing when the interval is 0).
    void start();
    void stop();
    /// Adds the resolver's counters (two_phase_resolved_*, two_phase_in_doubt, ...).
    void add_usage(UsageReport& report) const;

private:
    using Resolvers = std::vector<std::pair<std::string, std::unique_ptr<txn::Resolver>>>;
    void run();
    /// One round over every database's resolver.
    void round(Resolvers& resolvers, std::chrono::steady_clock::time_point& next_forget);

    const BackendRegistry& registry_;
    std::string user_;
    std::string password_;
    monitor::ClientTls tls_;
    std::chrono::milliseconds interval_;
    std::chrono::milliseconds timeout_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;

    std::atomic<std::uint64_t> runs_{0};
    std::atomic<std::uint64_t> committed_{0};
    std::atomic<std::uint64_t> rolled_back_{0};
    std::atomic<std::uint64_t> left_{0};      ///< last run: participants it could not end
    std::atomic<std::uint64_t> in_doubt_{0};  ///< last run: participants found prepared
    std::atomic<std::uint64_t> errors_{0};    ///< last run: shards that could not be listed
    std::atomic<std::uint64_t> forgotten_{0}; ///< decision rows deleted
    /// MariaDB branches rolled back on a replica whose primary had lost them.
    std::atomic<std::uint64_t> replica_orphans_{0};
    std::atomic<std::uint64_t> replica_orphans_left_{0}; ///< last run: such branches left
    std::atomic<std::uint64_t> round_failures_{0};       ///< rounds ended by an exception
    std::atomic<std::uint64_t> resolution_ms_total_{0};
    std::atomic<std::uint64_t> resolution_ms_max_{0};
};

} // namespace shardgate::proxy
