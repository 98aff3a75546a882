// Read-your-writes marks per shard, and the MariaDB GTID coverage check.
#include "shardgate/proxy/read_freshness.hpp"

#include <charconv>

namespace shardgate::proxy {
namespace {

struct Gtid {
    std::uint64_t domain = 0;
    std::uint64_t server = 0;
    std::uint64_t sequence = 0;
};

bool parse_number(std::string_view text, std::uint64_t& out) {
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end && !text.empty();
}

std::optional<Gtid> parse_gtid(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) {
        text.remove_suffix(1);
    }
    const auto first = text.find('-');
    const auto second = first == std::string_view::npos ? first : text.find('-', first + 1);
    if (second == std::string_view::npos) {
        return std::nullopt;
    }
    Gtid gtid;
    if (!parse_number(text.substr(0, first), gtid.domain) ||
        !parse_number(text.substr(first + 1, second - first - 1), gtid.server) ||
        !parse_number(text.substr(second + 1), gtid.sequence)) {
        return std::nullopt;
    }
    return gtid;
}

} // namespace

void CommitWatermark::advance(const WriteMark& mark) {
    if (mark.lsn) {
        auto current = lsn_.load(std::memory_order_relaxed);
        while (current < *mark.lsn &&
               !lsn_.compare_exchange_weak(current, *mark.lsn, std::memory_order_release)) {
        }
        return;
    }
    if (mark.gtid.empty()) {
        return; // position not learnt (the session's own mark keeps it on the primary)
    }
    const auto gtid = parse_gtid(mark.gtid);
    if (!gtid) {
        unknown_.store(true, std::memory_order_release);
        return;
    }
    bool seen = false;
    if (!gtid_seen_.compare_exchange_strong(seen, true)) {
        if (gtid_domain_.load(std::memory_order_acquire) != gtid->domain) {
            unknown_.store(true, std::memory_order_release);
            return;
        }
    } else {
        gtid_domain_.store(gtid->domain, std::memory_order_release);
    }
    auto current = gtid_sequence_.load(std::memory_order_relaxed);
    while (current < gtid->sequence && !gtid_sequence_.compare_exchange_weak(
                                           current, gtid->sequence, std::memory_order_release)) {
    }
}

std::optional<WriteMark> CommitWatermark::mark() const {
    WriteMark mark{std::chrono::steady_clock::time_point{}, std::nullopt, {}};
    if (unknown_.load(std::memory_order_acquire)) {
        return mark;
    }
    if (const auto lsn = lsn_.load(std::memory_order_acquire); lsn >= 0) {
        mark.lsn = lsn;
        return mark;
    }
    if (const auto sequence = gtid_sequence_.load(std::memory_order_acquire); sequence > 0) {
        mark.gtid = std::to_string(gtid_domain_.load(std::memory_order_acquire)) + "-0-" +
                    std::to_string(sequence);
        return mark;
    }
    return std::nullopt;
}

void ReadFreshness::wrote(shardmaps::ShardId shard, WriteMark mark) {
    if (marks_.size() <= shard) {
        marks_.resize(shard + 1);
    }
    marks_[shard] = std::move(mark);
}

const WriteMark* ReadFreshness::last_write(shardmaps::ShardId shard) const {
    return shard < marks_.size() && marks_[shard] ? &*marks_[shard] : nullptr;
}

bool gtid_covered(std::string_view replica_position, std::string_view gtid) {
    const auto wanted = parse_gtid(gtid);
    if (!wanted) {
        return false;
    }
    while (!replica_position.empty()) {
        const auto comma = replica_position.find(',');
        const auto item = replica_position.substr(0, comma);
        if (const auto have = parse_gtid(item); have && have->domain == wanted->domain) {
            return have->sequence >= wanted->sequence;
        }
        if (comma == std::string_view::npos) {
            break;
        }
        replica_position.remove_prefix(comma + 1);
    }
    return false;
}

} // namespace shardgate::proxy
