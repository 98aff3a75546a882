// Query digest tables (see query_digests.hpp).
#include "shardgate/proxy/query_digests.hpp"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <ctime>

namespace shardgate::proxy {

std::size_t digest_bucket(std::uint64_t micros) {
    if (micros < 4) {
        return static_cast<std::size_t>(micros);
    }
    const auto exponent = static_cast<std::size_t>(std::bit_width(micros) - 1); // >= 2
    const auto sub = static_cast<std::size_t>((micros >> (exponent - 2)) & 3);
    return std::min(4 * (exponent - 1) + sub, digest_buckets - 1);
}

std::uint64_t digest_bucket_upper(std::size_t index) {
    if (index < 4) {
        return index;
    }
    const auto exponent = index / 4 + 1;
    const auto sub = index % 4;
    const std::uint64_t lower = std::uint64_t{4 + sub} << (exponent - 2);
    return lower + (std::uint64_t{1} << (exponent - 2)) - 1;
}

void Digest::merge(const Digest& other) {
    if (count == 0) {
        min_us = other.min_us;
        first_seen_ms = other.first_seen_ms;
    } else if (other.count != 0) {
        min_us = std::min(min_us, other.min_us);
        first_seen_ms = std::min(first_seen_ms, other.first_seen_ms);
    }
    if (other.last_seen_ms >= last_seen_ms) {
        last_seen_ms = other.last_seen_ms;
        plan_kind = other.plan_kind;
    }
    if (fingerprint.empty()) {
        hash = other.hash;
        fingerprint = other.fingerprint;
        database = other.database;
    }
    shard_mask |= other.shard_mask;
    count += other.count;
    errors += other.errors;
    rows += other.rows;
    total_us += other.total_us;
    max_us = std::max(max_us, other.max_us);
    for (std::size_t i = 0; i < digest_buckets; ++i) {
        histogram[i] += other.histogram[i];
    }
}

std::uint64_t Digest::percentile_us(double fraction) const {
    std::uint64_t runs = 0;
    for (const auto n : histogram) {
        runs += n;
    }
    if (runs == 0) {
        return 0;
    }
    const auto wanted = static_cast<std::uint64_t>(fraction * static_cast<double>(runs) + 0.999999);
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < digest_buckets; ++i) {
        seen += histogram[i];
        if (seen >= wanted) {
            return std::min(digest_bucket_upper(i), max_us);
        }
    }
    return max_us;
}

std::optional<std::uint32_t> DigestTable::enter(std::uint64_t hash, std::string_view fingerprint,
                                                std::string_view database,
                                                std::string_view plan_kind,
                                                std::uint64_t shard_mask) {
    if (capacity_ == 0) {
        return std::nullopt;
    }
    if (const auto it = slots_.find(hash); it != slots_.end()) {
        auto& entry = entries_[it->second];
        entry.shard_mask |= shard_mask;
        if (entry.plan_kind != plan_kind) {
            entry.plan_kind.assign(plan_kind);
        }
        return it->second;
    }
    std::uint32_t slot = 0;
    if (entries_.size() < capacity_) {
        slot = static_cast<std::uint32_t>(entries_.size());
        entries_.emplace_back();
    } else {
        // full: the fingerprint with the least total time gives its place
        const auto least = std::min_element(
            entries_.begin(), entries_.end(),
            [](const Digest& a, const Digest& b) { return a.total_us < b.total_us; });
        slot = static_cast<std::uint32_t>(least - entries_.begin());
        slots_.erase(least->hash);
        *least = Digest{};
        ++evictions_;
    }
    auto& entry = entries_[slot];
    entry.hash = hash;
    entry.fingerprint.assign(fingerprint.substr(0, digest_text_limit));
    entry.database.assign(database);
    entry.plan_kind.assign(plan_kind);
    entry.shard_mask = shard_mask;
    slots_.emplace(hash, slot);
    return slot;
}

void DigestTable::finish(std::uint32_t slot, std::uint64_t hash, std::uint64_t latency_us,
                         bool failed, std::uint64_t rows, std::int64_t now_ms) {
    if (slot >= entries_.size() || entries_[slot].hash != hash) {
        return;
    }
    auto& entry = entries_[slot];
    if (entry.count == 0) {
        entry.first_seen_ms = now_ms;
        entry.min_us = latency_us;
    }
    entry.min_us = std::min(entry.min_us, latency_us);
    entry.max_us = std::max(entry.max_us, latency_us);
    entry.last_seen_ms = now_ms;
    ++entry.count;
    entry.errors += failed ? 1 : 0;
    entry.rows += rows;
    entry.total_us += latency_us;
    ++entry.histogram[digest_bucket(latency_us)];
}

void DigestTable::merge_into(std::unordered_map<std::uint64_t, Digest>& out) const {
    for (const auto& entry : entries_) {
        if (entry.count != 0) {
            out[entry.hash].merge(entry);
        }
    }
}

void DigestTable::clear() {
    entries_.clear();
    slots_.clear();
    evictions_ = 0;
}

namespace {

double ms(std::uint64_t us) {
    return static_cast<double>(us) / 1000.0;
}

} // namespace

std::string utc_text(std::int64_t unix_ms) {
    const std::time_t seconds = unix_ms / 1000;
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[80];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(unix_ms % 1000));
    return text;
}

nlohmann::json digests_json(const std::unordered_map<std::uint64_t, Digest>& digests,
                            std::uint64_t evictions, const shardmaps::ShardMap& map,
                            std::size_t limit) {
    std::vector<const Digest*> order;
    order.reserve(digests.size());
    for (const auto& [hash, digest] : digests) {
        order.push_back(&digest);
    }
    std::sort(order.begin(), order.end(), [](const Digest* a, const Digest* b) {
        return a->total_us != b->total_us ? a->total_us > b->total_us : a->hash < b->hash;
    });
    auto list = nlohmann::json::array();
    for (const auto* d : order) {
        if (list.size() >= limit) {
            break;
        }
        auto shards = nlohmann::json::array();
        const auto* db = map.find_database(d->database);
        for (std::size_t id = 0; id < 64; ++id) {
            if ((d->shard_mask >> id & 1) != 0) {
                if (db != nullptr && id < db->shards().size()) {
                    shards.push_back(db->shards()[id].name);
                } else {
                    shards.push_back(std::to_string(id));
                }
            }
        }
        list.push_back({{"fingerprint", d->fingerprint},
                        {"database", d->database},
                        {"plan_kind", d->plan_kind},
                        {"shards", std::move(shards)},
                        {"count", d->count},
                        {"errors", d->errors},
                        {"rows", d->rows},
                        {"total_ms", ms(d->total_us)},
                        {"mean_ms", d->count ? ms(d->total_us) / double(d->count) : 0.0},
                        {"min_ms", ms(d->min_us)},
                        {"max_ms", ms(d->max_us)},
                        {"p50_ms", ms(d->percentile_us(0.50))},
                        {"p99_ms", ms(d->percentile_us(0.99))},
                        {"first_seen", utc_text(d->first_seen_ms)},
                        {"last_seen", utc_text(d->last_seen_ms)}});
    }
    return {
        {"digests", std::move(list)}, {"fingerprints", digests.size()}, {"evictions", evictions}};
}

} // namespace shardgate::proxy
