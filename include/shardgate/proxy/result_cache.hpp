// The result cache (docs/admin.md, "Result cache"): answers of read-only statements that asked
// for it (hint `cache_ttl_ms=N`, or the map's `result_cache` TTL of every table read), kept as the
// bytes the client was sent, LRU within a byte budget, each for its TTL. Shared by every worker of
// both planes (one mutex).
//
// No stale read after an acknowledged write through this proxy: a write marks its tables busy
// from the moment it is planned until its request (or, inside a transaction, the transaction)
// has been answered; a busy table's entries are dropped and neither served nor stored, and an
// answer is stored only if none of its tables was written since its statement began (a
// generation per table). With etcd, the tables written are published to the other proxies
// (EtcdStore), which drop theirs some milliseconds later. Writes that bypass every proxy are
// bounded by the TTL only.
#pragma once

#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace shardgate::proxy {

class ResultCache {
public:
    using Clock = std::chrono::steady_clock;

    explicit ResultCache(std::uint64_t budget_bytes) : budget_(budget_bytes) {}

    bool enabled() const { return budget_ != 0; }
    /// The largest answer stored (a quarter of the budget).
    std::size_t max_entry() const { return static_cast<std::size_t>(budget_ / 4); }

    /// What a cacheable statement needs to be looked up and, on a miss, stored: its key, its
    /// tables (database-qualified) and the tables' generations when it began.
    struct Ticket {
        std::string key;
        std::vector<std::string> tables;
        std::vector<std::uint64_t> generations;
        std::chrono::milliseconds ttl{0};
    };
    /// The stored answer for `ticket` (a copy of the bytes), or nullopt (miss, expired, or a
    /// table busy). Fills the ticket's generations for a later store().
    std::optional<std::string> lookup(Ticket& ticket, Clock::time_point now = Clock::now());
    /// Stores `answer` unless a table of the ticket is busy or was written since lookup().
    bool store(const Ticket& ticket, std::string answer, Clock::time_point now = Clock::now());

    /// A write of `table` (database-qualified) began: its entries are dropped, it is busy
    /// until write_ended(). Counted, so overlapping writes nest.
    void write_began(const std::string& table);
    void write_ended(const std::string& table);
    /// Drops every entry.
    void clear();
    /// Another proxy wrote `table` (database-qualified, as it published it): its entries are
    /// dropped, and answers read before now are not stored.
    void invalidate(const std::string& table);
    /// From now on the tables writes begin and end on are also kept for take_shared() (the etcd
    /// store publishes them to the other proxies of its prefix).
    void share_writes();
    bool sharing() const;
    /// Tables take_shared() returned that could not be published: kept for the next time.
    void share_again(const std::vector<std::string>& tables);
    /// The tables written since the last call (each once), for the other proxies.
    std::vector<std::string> take_shared();

    struct Stats {
        std::uint64_t hits = 0;
        std::uint64_t misses = 0;
        std::uint64_t stores = 0;
        std::uint64_t store_skipped = 0; ///< a table was written meanwhile, or is busy
        std::uint64_t evictions = 0;     ///< LRU, for the byte budget
        std::uint64_t expirations = 0;
        std::uint64_t invalidations = 0;        ///< entries dropped by writes
        std::uint64_t remote_invalidations = 0; ///< tables other proxies wrote (etcd)
        std::uint64_t entries = 0;
        std::uint64_t bytes = 0;
    };
    Stats stats() const;

private:
    struct Entry {
        std::string key;
        std::string answer;
        std::vector<std::string> tables;
        Clock::time_point expires;
    };
    using Lru = std::list<Entry>; // most recently used first
    struct Table {
        std::uint64_t generation = 0;
        unsigned busy = 0;
        std::vector<std::string> keys; ///< entries that read it (may name dropped ones)
    };
    void erase(Lru::iterator it);
    /// Drops the entries that read `t` and moves its generation on (mutex held).
    void drop(Table& t);
    /// Notes `name` for take_shared() when sharing (mutex held).
    void share(const std::string& name);
    bool busy_or_moved(const std::vector<std::string>& tables,
                       const std::vector<std::uint64_t>* generations) const;

    std::uint64_t budget_;
    mutable std::mutex mutex_;
    Lru lru_;
    std::unordered_map<std::string, Lru::iterator> by_key_;
    std::unordered_map<std::string, Table> tables_;
    /// Generations come from one sequence; a table not in tables_ has absent_generation_
    /// (raised whenever idle tables are forgotten, so a lookup before that never matches).
    std::uint64_t sequence_ = 0;
    std::uint64_t absent_generation_ = 0;
    bool sharing_ = false;
    std::vector<std::string> shared_; ///< written since take_shared(), without repeats
    Table& table(const std::string& name);
    std::uint64_t bytes_ = 0;
    Stats stats_;
};

/// The name a table has in the cache: `database.table`, the table as written lowercased with
/// quotes and any schema dropped (two spellings of one table must match; merging distinct
/// tables only invalidates more). `table` "*": every table of the database.
std::string cache_table(std::string_view database, std::string_view table);

/// Whether a statement's text may give a different answer each time it runs (now(),
/// random(), uuid(), sequences, locks...): such statements are never cached. Conservative:
/// a word match, case-insensitive.
bool nondeterministic_sql(std::string_view sql);

} // namespace shardgate::proxy
