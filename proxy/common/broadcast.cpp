// The broadcast DDL runner (see broadcast.hpp and docs/cross-shard-writes.md).
#include "common/broadcast.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace shardgate::proxy {

asio::awaitable<BroadcastOutcome> run_broadcast(const std::vector<std::string>& shards,
                                                const RunOnShard& run) {
    BroadcastOutcome out;
    for (std::size_t i = 0; i < shards.size(); ++i) {
        const auto shard = co_await run(i);
        if (!shard.ok) {
            out.failure = shard.failure;
            const std::vector<std::string> applied(shards.begin(),
                                                   shards.begin() + static_cast<std::ptrdiff_t>(i));
            const std::vector<std::string> untried(
                shards.begin() + static_cast<std::ptrdiff_t>(i) + 1, shards.end());
            out.failure.message = fmt::format("shard {}: {}", shards[i], shard.failure.message);
            if (applied.empty()) {
                out.failure.message += " (no shard applied the statement)";
            } else {
                out.failure.message += fmt::format(
                    " (applied on {}; not on {}{}{}: make the shards agree again, e.g. run the "
                    "statement with IF NOT EXISTS / IF EXISTS, or undo it on {})",
                    fmt::join(applied, ", "), shards[i], untried.empty() ? "" : ", ",
                    fmt::join(untried, ", "), fmt::join(applied, ", "));
            }
            co_return out;
        }
        if (i == 0) {
            out.tag = shard.tag;
        }
        out.affected += shard.affected;
        out.warnings = static_cast<std::uint16_t>(out.warnings + shard.warnings);
    }
    out.ok = true;
    co_return out;
}

} // namespace shardgate::proxy
