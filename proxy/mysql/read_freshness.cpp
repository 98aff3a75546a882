// The MySQL session's read-your-writes marks: after a write on the primary, where it ended
// (time for `window`; the session's GTID for `causal`, from session tracking or @@last_gtid).
#include "client_session.hpp"
#include "shardgate/protocol/mysql/commands.hpp"
#include "shardgate/protocol/mysql/framing.hpp"
#include "shardgate/protocol/mysql/session_track.hpp"
#include "shardgate/protocol/mysql/text_result_set.hpp"
#include "worker.hpp"

#include <spdlog/spdlog.h>

namespace shardgate::proxy::mysql {

namespace pm = protocol::mysql;

namespace {

/// The GTID MariaDB reported for the last commit through session_track_system_variables.
std::string tracked_gtid(const pm::ResponseSummary& summary) {
    if (!summary.last_ok) {
        return {};
    }
    for (const auto& change : summary.last_ok->session_state_changes) {
        if (change.type == pm::SESSION_TRACK_SYSTEM_VARIABLES && change.name == "last_gtid") {
            return change.value;
        }
    }
    return {};
}

} // namespace

asio::awaitable<void> ClientSession::note_write_end(const Target& target,
                                                    BackendConnection& backend,
                                                    const Exchange& result) {
    const auto shard = target.shard;
    const auto mode = db_->shard(shard).reads.read_your_writes;
    // Work on the primary that left no transaction open (an autocommit statement, COMMIT).
    // After an ERR the status flags are stale: count it as a write too (it may have been the
    // COMMIT of one, or follow one in a multi-statement query).
    if (mode == shardmaps::ReadYourWrites::off || !target.primary ||
        (result.summary.succeeded() && result.summary.in_transaction())) {
        co_return;
    }
    WriteMark mark{std::chrono::steady_clock::now(), std::nullopt, tracked_gtid(result.summary)};
    if (!mark.gtid.empty()) {
        ++worker_.stats().gtid_tracked;
    } else if (mode == shardmaps::ReadYourWrites::causal ||
               mode == shardmaps::ReadYourWrites::proxy) {
        // The client did not negotiate session tracking (so the backend sends none): ask.
        // @@last_gtid is the GTID of this connection's last committed transaction.
        pm::Buffer payload;
        pm::Buffer request;
        pm::encode_com_query("SELECT @@last_gtid", payload);
        std::uint8_t sequence = 0;
        pm::append_packet(request, sequence, payload);
        bool failed = static_cast<bool>(co_await write_all(backend.stream(), request));
        pm::ResponseTracker tracker(pm::ResponseKind::text_query, backend.capabilities());
        auto& in = backend.in();
        while (!failed) {
            auto frame = pm::decode_frame(in.view());
            if (frame.need_more()) {
                if (co_await read_more(backend.stream(), in)) {
                    failed = true;
                }
                continue;
            }
            if (frame.is_error()) {
                failed = true;
                continue;
            }
            const auto step = tracker.on_frame(frame.value());
            if (step.role == pm::PacketRole::row) {
                if (auto row = pm::decode_text_row(frame.value().payload, 1);
                    row.ok() && !row.value().empty() && row.value()[0]) {
                    mark.gtid = std::string(*row.value()[0]);
                }
            }
            in.consume(frame.consumed());
            if (step.status == pm::TrackStatus::complete) {
                break;
            }
            if (step.status != pm::TrackStatus::more) {
                failed = true;
            }
        }
        if (failed) {
            backend.mark_broken(); // the answer did not come whole: the connection is unusable
        }
        if (mark.gtid.empty()) {
            ++worker_.stats().gtid_missing;
            spdlog::debug("mysql client {}: no GTID after a write on {}; reads stay on the "
                          "primary until the next write",
                          connection_id_, backend.target().shard);
        }
    }
    if (!mark.gtid.empty()) {
        ++worker_.stats().gtid_marks;
    }
    core_.committed(shard, std::move(mark));
}

} // namespace shardgate::proxy::mysql
