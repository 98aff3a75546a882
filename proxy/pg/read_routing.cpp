// The PostgreSQL session's use of the shared read routing: targets to backends, and the
// read-your-writes mark after a write transaction (the primary's WAL position for causal).
#include "client_session.hpp"
#include "shardgate/protocol/pg/backend_decoder.hpp"
#include "shardgate/protocol/pg/bytes.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "worker.hpp"

#include <charconv>
#include <spdlog/spdlog.h>

namespace shardgate::proxy::pg {

namespace ppg = protocol::pg;

namespace {

constexpr std::string_view lsn_query =
    "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint";

} // namespace

asio::awaitable<void> ClientSession::note_write_end(BackendConnection& backend,
                                                    shardmaps::ShardId shard) {
    const auto mode = db_->shard(shard).reads.read_your_writes;
    if (mode == shardmaps::ReadYourWrites::off) {
        co_return;
    }
    WriteMark mark{std::chrono::steady_clock::now(), std::nullopt, {}};
    if (mode == shardmaps::ReadYourWrites::causal || mode == shardmaps::ReadYourWrites::proxy) {
        // The commit is durable on the primary; its WAL insert position now is at or past
        // the commit record, so a replica that replayed up to it has the write.
        co_await backend.cancels_settled(); // (a cancel of the write must not hit this query)
        ppg::ByteBuffer request;
        ppg::encode(request, ppg::Query{std::string(lsn_query)});
        auto ec = co_await write_all(backend.stream(), request);
        bool ready = false;
        while (!ec && !ready) {
            auto& in = backend.in();
            for (;;) {
                auto frame = ppg::next_frame(in.view());
                if (!frame.ok()) {
                    if (frame.is_error()) {
                        ec = asio::error::invalid_argument;
                    }
                    break;
                }
                if (frame.value().type == ppg::PqMsg_DataRow) {
                    if (auto row = ppg::decode_data_row(frame.value());
                        row && !row.value().values.empty() && row.value().values[0]) {
                        const auto text = ppg::as_text(*row.value().values[0]);
                        std::int64_t lsn = 0;
                        if (std::from_chars(text.data(), text.data() + text.size(), lsn).ec ==
                            std::errc()) {
                            mark.lsn = lsn;
                        }
                    }
                } else if (frame.value().type == ppg::PqMsg_ReadyForQuery) {
                    ready = true;
                }
                in.consume(frame.consumed());
                if (ready) {
                    break;
                }
            }
            if (!ready && !ec) {
                ec = co_await read_more(backend.stream(), in);
            }
        }
        ++worker_.stats().causal_lsn_reads;
        if (ec) {
            backend.mark_broken();
        }
        if (!mark.lsn) {
            spdlog::debug("client {}: no WAL position after a write on {}; reads stay on the "
                          "primary until the next write",
                          process_id_, backend.target().shard);
        }
    }
    core_.committed(shard, std::move(mark));
}

} // namespace shardgate::proxy::pg
