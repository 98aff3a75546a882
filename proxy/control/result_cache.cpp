// The shared result cache (see result_cache.hpp).
#include "shardgate/proxy/result_cache.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace shardgate::proxy {

void ResultCache::erase(Lru::iterator it) {
    bytes_ -= it->key.size() + it->answer.size();
    by_key_.erase(it->key);
    lru_.erase(it);
}

bool ResultCache::busy_or_moved(const std::vector<std::string>& tables,
                                const std::vector<std::uint64_t>* generations) const {
    for (std::size_t i = 0; i < tables.size(); ++i) {
        const auto it = tables_.find(tables[i]);
        const std::uint64_t generation =
            it == tables_.end() ? absent_generation_ : it->second.generation;
        if ((it != tables_.end() && it->second.busy != 0) ||
            (generations != nullptr && (*generations)[i] != generation)) {
            return true;
        }
    }
    return false;
}

std::optional<std::string> ResultCache::lookup(Ticket& ticket, Clock::time_point now) {
    const std::lock_guard lock(mutex_);
    ticket.generations.clear();
    for (const auto& table : ticket.tables) {
        const auto it = tables_.find(table);
        ticket.generations.push_back(it == tables_.end() ? absent_generation_
                                                         : it->second.generation);
    }
    const auto found = by_key_.find(ticket.key);
    if (found == by_key_.end()) {
        ++stats_.misses;
        return std::nullopt;
    }
    const auto entry = found->second;
    if (entry->expires <= now) {
        ++stats_.expirations;
        ++stats_.misses;
        erase(entry);
        return std::nullopt;
    }
    if (busy_or_moved(entry->tables, nullptr)) {
        ++stats_.misses; // (a busy table's entries were dropped already; defensive)
        return std::nullopt;
    }
    lru_.splice(lru_.begin(), lru_, entry);
    ++stats_.hits;
    return entry->answer;
}

bool ResultCache::store(const Ticket& ticket, std::string answer, Clock::time_point now) {
    const auto size = ticket.key.size() + answer.size();
    const std::lock_guard lock(mutex_);
    if (size > budget_ / 4 || ticket.generations.size() != ticket.tables.size() ||
        busy_or_moved(ticket.tables, &ticket.generations)) {
        ++stats_.store_skipped;
        return false;
    }
    if (const auto old = by_key_.find(ticket.key); old != by_key_.end()) {
        erase(old->second);
    }
    while (bytes_ + size > budget_ && !lru_.empty()) {
        erase(std::prev(lru_.end()));
        ++stats_.evictions;
    }
    lru_.push_front(Entry{ticket.key, std::move(answer), ticket.tables, now + ticket.ttl});
    by_key_.emplace(ticket.key, lru_.begin());
    bytes_ += size;
    for (const auto& name : ticket.tables) {
        auto& keys = table(name).keys;
        if (keys.size() > 4 * by_key_.size() + 64) { // forget keys of entries gone since
            std::erase_if(keys, [&](const std::string& k) { return !by_key_.contains(k); });
        }
        keys.push_back(ticket.key);
    }
    ++stats_.stores;
    return true;
}

ResultCache::Table& ResultCache::table(const std::string& name) {
    if (const auto it = tables_.find(name); it != tables_.end()) {
        return it->second;
    }
    if (tables_.size() >= 10'000) {
        // Bounded: forget the idle tables (and drop their entries, which no write could
        // reach any more); lookups made before see a new absent generation and never store.
        for (auto it = tables_.begin(); it != tables_.end();) {
            if (it->second.busy != 0) {
                ++it;
                continue;
            }
            for (const auto& key : it->second.keys) {
                if (const auto entry = by_key_.find(key); entry != by_key_.end()) {
                    erase(entry->second);
                }
            }
            it = tables_.erase(it);
        }
        absent_generation_ = ++sequence_;
    }
    auto& added = tables_[name];
    added.generation = absent_generation_;
    return added;
}

void ResultCache::drop(Table& t) {
    t.generation = ++sequence_;
    for (const auto& key : t.keys) {
        if (const auto it = by_key_.find(key); it != by_key_.end()) {
            erase(it->second);
            ++stats_.invalidations;
        }
    }
    t.keys.clear();
}

void ResultCache::write_began(const std::string& name) {
    const std::lock_guard lock(mutex_);
    auto& t = table(name);
    ++t.busy;
    drop(t);
    share(name);
}

void ResultCache::share(const std::string& name) {
    if (sharing_ && std::find(shared_.begin(), shared_.end(), name) == shared_.end()) {
        // bounded: past 1,000 tables between two publications, "*" (every table) instead
        if (shared_.size() >= 1'000) {
            shared_.assign(1, "*");
        } else if (shared_.size() != 1 || shared_.front() != "*") {
            shared_.push_back(name);
        }
    }
}

bool ResultCache::sharing() const {
    const std::lock_guard lock(mutex_);
    return sharing_;
}

void ResultCache::share_again(const std::vector<std::string>& tables) {
    const std::lock_guard lock(mutex_);
    for (const auto& name : tables) {
        share(name);
    }
}

void ResultCache::invalidate(const std::string& name) {
    const std::lock_guard lock(mutex_);
    ++stats_.remote_invalidations;
    if (name != "*") {
        drop(table(name));
        return;
    }
    for (auto& [ignored, t] : tables_) {
        drop(t);
    }
    absent_generation_ = ++sequence_;
}

void ResultCache::share_writes() {
    const std::lock_guard lock(mutex_);
    sharing_ = true;
}

std::vector<std::string> ResultCache::take_shared() {
    const std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    out.swap(shared_);
    return out;
}

void ResultCache::write_ended(const std::string& name) {
    const std::lock_guard lock(mutex_);
    auto& t = table(name);
    if (t.busy != 0) {
        --t.busy;
    }
    t.generation = ++sequence_; // an answer read while the write ran is never stored
    // and again for the other proxies: what they stored while it ran (before its commit) goes
    share(name);
}

void ResultCache::clear() {
    const std::lock_guard lock(mutex_);
    lru_.clear();
    by_key_.clear();
    for (auto& [name, table] : tables_) {
        table.keys.clear();
    }
    bytes_ = 0;
}

ResultCache::Stats ResultCache::stats() const {
    const std::lock_guard lock(mutex_);
    auto out = stats_;
    out.entries = lru_.size();
    out.bytes = bytes_;
    return out;
}

std::string cache_table(std::string_view database, std::string_view table) {
    if (const auto dot = table.rfind('.'); dot != std::string_view::npos) {
        table.remove_prefix(dot + 1);
    }
    std::string out(database);
    out += '.';
    for (const char c : table) {
        if (c != '"' && c != '`') {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    return out;
}

bool nondeterministic_sql(std::string_view sql) {
    static constexpr std::array<std::string_view, 22> words{"now",
                                                            "random",
                                                            "rand",
                                                            "uuid",
                                                            "gen_random_uuid",
                                                            "uuid_short",
                                                            "nextval",
                                                            "currval",
                                                            "lastval",
                                                            "sysdate",
                                                            "current_timestamp",
                                                            "current_time",
                                                            "current_date",
                                                            "localtime",
                                                            "localtimestamp",
                                                            "clock_timestamp",
                                                            "statement_timestamp",
                                                            "timeofday",
                                                            "last_insert_id",
                                                            "for",
                                                            "sleep",
                                                            "pg_sleep"};
    std::string word;
    auto check = [&]() {
        const bool hit = std::find(words.begin(), words.end(), word) != words.end();
        word.clear();
        return hit;
    };
    for (const char c : sql) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '_') {
            word += static_cast<char>(std::tolower(u));
        } else if (!word.empty() && check()) {
            return true;
        }
    }
    return !word.empty() && check();
}

} // namespace shardgate::proxy
