// Bounded LRU cache of plans keyed by statement fingerprint.
#pragma once

#include "shardgate/parser/fingerprint.hpp"

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace shardgate::parser {

/// Counters for statistics (one per outcome, see STYLE.md habit 12).
struct PlanCacheStats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t insertions = 0;
    std::uint64_t evictions = 0;
};

/// LRU map fingerprint -> Plan holding at most `capacity` entries. Thread-compatible, not
/// thread-safe: keep one per worker thread. Pointers returned by find() stay valid until the
/// entry is evicted or the cache is cleared.
template <class Plan> class PlanCache {
public:
    explicit PlanCache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {
        index_.reserve(capacity_);
    }

    /// The plan cached for `fp` (moved to most recently used), or nullptr.
    Plan* find(const Fingerprint& fp) { return find(fp.text, fp.hash); }

    Plan* find(std::string_view text, std::uint64_t hash) {
        const auto it = index_.find(Key{text, hash});
        if (it == index_.end()) {
            ++stats_.misses;
            return nullptr;
        }
        ++stats_.hits;
        entries_.splice(entries_.begin(), entries_, it->second);
        return &it->second->plan;
    }

    /// Stores (or replaces) the plan for `fp`, evicting the least recently used entry if full.
    Plan& insert(const Fingerprint& fp, Plan plan) {
        if (Plan* existing = find_quiet(fp.text, fp.hash)) {
            *existing = std::move(plan);
            return *existing;
        }
        if (entries_.size() >= capacity_) {
            const Entry& victim = entries_.back();
            index_.erase(Key{victim.text, victim.hash});
            entries_.pop_back();
            ++stats_.evictions;
        }
        entries_.push_front(Entry{fp.text, fp.hash, std::move(plan)});
        index_.emplace(Key{entries_.front().text, fp.hash}, entries_.begin());
        ++stats_.insertions;
        return entries_.front().plan;
    }

    void clear() {
        index_.clear();
        entries_.clear();
    }
    std::size_t size() const { return entries_.size(); }
    std::size_t capacity() const { return capacity_; }
    const PlanCacheStats& stats() const { return stats_; }

private:
    struct Entry {
        std::string text;
        std::uint64_t hash;
        Plan plan;
    };
    // Views the key text owned by the list entry, so lookups never allocate.
    struct Key {
        std::string_view text;
        std::uint64_t hash;
        bool operator==(const Key& other) const { return hash == other.hash && text == other.text; }
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const { return static_cast<std::size_t>(k.hash); }
    };
    using List = std::list<Entry>;

    Plan* find_quiet(std::string_view text, std::uint64_t hash) {
        const auto it = index_.find(Key{text, hash});
        if (it == index_.end()) {
            return nullptr;
        }
        entries_.splice(entries_.begin(), entries_, it->second);
        return &it->second->plan;
    }

    std::size_t capacity_;
    List entries_;
    std::unordered_map<Key, typename List::iterator, KeyHash> index_;
    PlanCacheStats stats_;
};

} // namespace shardgate::parser
