// The admin console over the PostgreSQL protocol: simple Query messages only; each statement
// of a Query goes to the console and its answer comes back as a text result set.
#include "shardgate/proxy/admin_console.hpp"

#include "client_session.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "shardgate/protocol/pg/frontend_decoder.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "worker.hpp"

namespace shardgate::proxy::pg {

namespace ppg = protocol::pg;

namespace {

constexpr std::uint32_t text_oid = 25;

/// The statements of a Query, split at ';' (console commands have no quoted text).
std::vector<std::string> console_statements(std::string_view sql) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= sql.size()) {
        const auto end = std::min(sql.find(';', start), sql.size());
        const auto piece = sql.substr(start, end - start);
        if (piece.find_first_not_of(" \t\r\n") != std::string_view::npos) {
            out.emplace_back(piece);
        }
        start = end + 1;
    }
    return out;
}

} // namespace

void ClientSession::render_console(const ConsoleAnswer& answer) {
    if (answer.error) {
        send_error(answer.error->first, answer.error->second);
        return;
    }
    if (!answer.columns.empty()) {
        ppg::RowDescription description;
        for (const auto& column : answer.columns) {
            description.fields.push_back(ppg::FieldDescription{column, 0, 0, text_oid, -1, -1});
        }
        ppg::encode(out_, description);
        for (const auto& row : answer.rows) {
            ppg::DataRow data;
            for (const auto& value : row) {
                if (value) {
                    data.values.emplace_back(ppg::ByteView(
                        reinterpret_cast<const std::byte*>(value->data()), value->size()));
                } else {
                    data.values.emplace_back(std::nullopt);
                }
            }
            ppg::encode(out_, data);
        }
    }
    ppg::encode(out_, ppg::CommandComplete{answer.tag});
}

asio::awaitable<void> ClientSession::serve_console() {
    auto& console = *worker_.context().console;
    bool skipping = false; // an extended-protocol message was refused: skip to Sync
    for (;;) {
        auto frame = ppg::next_frame(in_.view());
        if (frame.need_more()) {
            if (co_await read_more(socket_, in_)) {
                co_return;
            }
            continue;
        }
        if (frame.is_error()) {
            ++worker_.stats().malformed_messages;
            co_await fatal("08P01", "invalid message from client: " + frame.error().message);
            co_return;
        }
        const auto f = frame.value();
        switch (f.type) {
        case ppg::PqMsg_Query: {
            auto query = ppg::decode_query(f);
            if (!query.ok()) { // framed by its length: an error, and the session goes on
                ++worker_.stats().malformed_messages;
                in_.consume(frame.consumed());
                send_error("08P01", "invalid message format: " + query.error().message);
                send_ready();
                break;
            }
            const auto statements = console_statements(query.value().query);
            in_.consume(frame.consumed());
            if (statements.empty()) {
                ppg::encode(out_, ppg::EmptyQueryResponse{});
            }
            for (const auto& statement : statements) {
                ++worker_.stats().session_statements;
                state_ = State::routing;
                const auto answer = co_await console.run(statement);
                state_ = State::idle;
                render_console(answer);
                if (answer.error) {
                    break; // as PostgreSQL: the rest of a failed Query is not run
                }
            }
            send_ready();
            break;
        }
        case ppg::PqMsg_Parse:
        case ppg::PqMsg_Bind:
        case ppg::PqMsg_Describe:
        case ppg::PqMsg_Execute:
        case ppg::PqMsg_Close:
            in_.consume(frame.consumed());
            if (!skipping) {
                send_error("0A000", "the admin console answers the simple query protocol only "
                                    "(psql, or a driver's simple/text mode)");
                skipping = true;
            }
            break;
        case ppg::PqMsg_Sync:
            in_.consume(frame.consumed());
            skipping = false;
            send_ready();
            break;
        case ppg::PqMsg_Flush:
            in_.consume(frame.consumed());
            break;
        case ppg::PqMsg_Terminate:
            co_return;
        default:
            in_.consume(frame.consumed());
            ++worker_.stats().malformed_messages;
            co_await fatal("08P01",
                           std::string("unexpected message type '") + f.type + "' from client");
            co_return;
        }
        if (in_.size() == 0) {
            const bool flushed = co_await flush();
            if (!flushed) {
                co_return;
            }
        }
    }
}

} // namespace shardgate::proxy::pg
