// Client session: the main read loop, message dispatch and output helpers.
#include "client_session.hpp"

#include "shardgate/protocol/pg/encoder.hpp"
#include "shardgate/protocol/pg/frontend_decoder.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "worker.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <limits>
#include <optional>
#include <spdlog/spdlog.h>

namespace shardgate::proxy::pg {

namespace ppg = protocol::pg;

namespace {

/// The longest body PostgreSQL 15 accepts for a message type a client may send once logged in:
/// 10,000 bytes for the messages without SQL or data in them; nullopt for any other type.
std::optional<std::uint32_t> length_limit(char type) {
    switch (type) {
    case ppg::PqMsg_Describe:
    case ppg::PqMsg_Execute:
    case ppg::PqMsg_Close:
    case ppg::PqMsg_Flush:
    case ppg::PqMsg_Sync:
    case ppg::PqMsg_Terminate:
        return 10'000;
    case ppg::PqMsg_Query:
    case ppg::PqMsg_Parse:
    case ppg::PqMsg_Bind:
    case ppg::PqMsg_FunctionCall:
    case ppg::PqMsg_CopyData:
    case ppg::PqMsg_CopyDone:
    case ppg::PqMsg_CopyFail:
        return std::numeric_limits<std::uint32_t>::max();
    default:
        return std::nullopt;
    }
}

/// Why an extended-protocol message cannot be read ("" when it can).
std::string malformed(const ppg::Frame& frame) {
    const auto why = [](const auto& decoded, const char* what) {
        return decoded ? std::string()
                       : "invalid " + std::string(what) + " message: " + decoded.error().message;
    };
    switch (frame.type) {
    case ppg::PqMsg_Parse:
        return why(ppg::decode_parse(frame), "Parse");
    case ppg::PqMsg_Bind:
        return why(ppg::decode_bind(frame), "Bind");
    case ppg::PqMsg_Describe:
        return why(ppg::decode_describe(frame), "Describe");
    case ppg::PqMsg_Execute:
        return why(ppg::decode_execute(frame), "Execute");
    case ppg::PqMsg_Close:
        return why(ppg::decode_close(frame), "Close");
    default:
        return "";
    }
}

} // namespace

ClientSession::ClientSession(Worker& worker, tcp::socket socket)
    : SessionBase(worker, std::move(socket)) {}

ClientSession::~ClientSession() = default;

void ClientSession::start() {
    spawn_session(worker_.io(), socket_.socket(), shared_from_this());
}

asio::awaitable<void> ClientSession::run() {
    auto deadline =
        login_deadline(worker_.context().config.client_login_timeout_ms, weak_from_this());
    const bool logged_in = co_await login();
    deadline.reset();
    if (logged_in && console_) {
        state_ = State::idle;
        co_await serve_console();
    } else if (logged_in) {
        state_ = State::idle;
        for (;;) {
            if (!cancelled_.empty()) { // no statement while a cancel may still land on it
                co_await settle_cancels();
            }
            // An unknown type, or a length over the type's limit, ends the session at once, as
            // on the server (not after waiting for a body of any announced length).
            if (const auto view = in_.view(); !view.empty()) {
                const auto limit = length_limit(static_cast<char>(view.front()));
                std::uint32_t length = 0;
                for (std::size_t i = 1; i < 5 && i < view.size(); ++i) {
                    length = length << 8 | std::to_integer<std::uint32_t>(view[i]);
                }
                if (!limit || (view.size() >= 5 && length > *limit)) {
                    ++worker_.stats().malformed_messages;
                    std::string why = "invalid message length";
                    if (!limit) {
                        why = "invalid frontend message type ";
                        why += std::to_string(std::to_integer<unsigned>(view.front()));
                    }
                    co_await fatal("08P01", why);
                    break;
                }
            }
            auto frame = ppg::next_frame(in_.view());
            // What has arrived of a message still incomplete, with the extended-protocol
            // messages kept until their Sync, is held from the process's budget (not what a
            // header announces: a header alone must not take it all).
            if (frame.need_more() && !large_.hold(in_.view().size() + batch_bytes_.size())) {
                co_await fatal("53200",
                               large_.refusal("a message of more than " +
                                              std::to_string(in_.view().size()) + " bytes"));
                break;
            }
            if (frame.need_more()) {
                if (!flushed()) { // after Flush without Sync the implicit transaction is open
                    core_.between_statements();
                }
                if (co_await net::read_idle(socket_, in_)) {
                    break;
                }
                continue;
            }
            if (frame.is_error()) {
                ++worker_.stats().malformed_messages;
                co_await fatal("08P01", "invalid message from client: " + frame.error().message);
                break;
            }
            const auto f = frame.value();
            // Consumed up front: handlers copy what they keep before reading again.
            in_.consume(frame.consumed());
            bool keep = true;
            switch (f.type) {
            case ppg::PqMsg_Query:
                keep = co_await on_query(f);
                break;
            case ppg::PqMsg_Parse:
            case ppg::PqMsg_Bind:
            case ppg::PqMsg_Describe:
            case ppg::PqMsg_Execute:
            case ppg::PqMsg_Close: {
                if (skipping()) {
                    break;
                }
                if (const auto why = malformed(f); !why.empty()) {
                    ++worker_.stats().malformed_messages;
                    if (flushed()) {
                        // the backend holds the batch's implicit transaction open: closing
                        // rolls it back (the Sync of a skip would commit it)
                        co_await fatal("08P01", why);
                        keep = false;
                        break;
                    }
                    // as the server: an error at once, then the messages skipped until Sync
                    send_error("08P01", why);
                    batch_.clear();
                    batch_bytes_.clear();
                    skip_to_sync();
                    keep = co_await flush();
                    break;
                }
                const auto offset = batch_bytes_.size();
                batch_bytes_.insert(batch_bytes_.end(), f.bytes.begin(), f.bytes.end());
                batch_.push_back(Pending{f.type, offset, f.bytes.size()});
                break;
            }
            case ppg::PqMsg_Flush:
                keep = true;
                if (!skipping()) {
                    keep = co_await on_flush();
                }
                break;
            case ppg::PqMsg_Sync:
                if (batch_state_ == Batch::skipping) {
                    batch_state_ = Batch::collecting;
                    batch_.clear();
                    batch_bytes_.clear();
                    send_ready();
                    keep = co_await flush();
                    break;
                }
                if (batch_state_ == Batch::skipping_flushed) {
                    batch_state_ = Batch::flushed; // the backend's sequence ends with this Sync
                }
                keep = co_await on_sync();
                break;
            case ppg::PqMsg_Terminate:
                keep = false;
                break;
            case ppg::PqMsg_CopyData:
            case ppg::PqMsg_CopyDone:
            case ppg::PqMsg_CopyFail:
                break; // the rest of a COPY that failed: ignored, as by the server
            case ppg::PqMsg_FunctionCall:
                if (skipping()) {
                    break;
                }
                // The fast path calls a function by OID on one server: nothing to route by.
                if (!batch_.empty() || flushed()) {
                    // in the middle of an extended-protocol batch: no answer fits there
                    co_await fatal("0A000", "a fast-path function call (FunctionCall message) "
                                            "inside an extended-protocol batch");
                    keep = false;
                    break;
                }
                send_error("0A000", "the fast-path function call (FunctionCall message) is not "
                                    "supported through shardgate; call the function in a query");
                send_ready();
                keep = co_await flush();
                break;
            default:
                ++worker_.stats().malformed_messages;
                co_await fatal("08P01",
                               std::string("unexpected message type '") + f.type + "' from client");
                keep = false;
                break;
            }
            if (f.type == ppg::PqMsg_Query || f.type == ppg::PqMsg_Sync ||
                f.type == ppg::PqMsg_Flush) {
                // A cacheable answer ends with ReadyForQuery 'I': stored without it.
                finish_capture(worker_.context().registry, [](std::string& answer) {
                    static constexpr std::string_view ready("Z\0\0\0\x05I", 6);
                    if (!answer.ends_with(ready)) {
                        return false;
                    }
                    answer.resize(answer.size() - ready.size());
                    return true;
                });
                // the statements of the request were answered (after a Flush without Sync
                // the implicit transaction is open: its writes are not done)
                core_.digest_ended(f.type != ppg::PqMsg_Flush);
            }
            // What the session keeps of its client's messages after handling one: the
            // extended-protocol messages until their Sync (a complete message stays held while
            // it is handled).
            if (keep && !client_gone_ && !large_.hold_exactly(batch_bytes_.size())) {
                co_await fatal("53200", large_.refusal("extended-protocol messages of " +
                                                       std::to_string(batch_bytes_.size()) +
                                                       " bytes before their Sync"));
                break;
            }
            if (!keep || client_gone_ || unframable_) {
                break;
            }
        }
    }
    state_ = State::closed;
    if (pinned_) {
        pinned_->mark_broken();
        return_backend(std::move(pinned_));
    }
    drop_parked();
    co_await release_session_backends();
    if (process_id_ != 0) {
        worker_.unregister_session(process_id_);
    }
    worker_.forget(this);
    socket_.close();
}

void ClientSession::send_error(std::string_view sqlstate, std::string_view message,
                               std::string_view severity) {
    ppg::encode_error(out_, ppg::ErrorInfo{severity, sqlstate, message});
    core_.digest_error();
    if (core_.txn() != Txn::none && severity == "ERROR") {
        aborted_ = true; // as PostgreSQL: an error aborts the transaction block
    }
}

char ClientSession::transaction_status() const {
    switch (core_.txn()) {
    case Txn::none:
        return 'I';
    case Txn::deferred:
        return aborted_ ? 'E' : 'T';
    case Txn::active:
        return backend_status_ == 'E' || aborted_ ? 'E' : 'T';
    }
    return 'I';
}

void ClientSession::send_ready() {
    ppg::encode(out_,
                ppg::ReadyForQuery{static_cast<ppg::TransactionStatus>(transaction_status())});
}

asio::awaitable<bool> ClientSession::flush() {
    if (capturing_) {
        keep_within_budget(out_);
        co_return !client_gone_;
    }
    if (out_.empty() || client_gone_) {
        out_.clear();
        co_return !client_gone_;
    }
    captured(out_);
    auto ec = co_await write_all(socket_, out_);
    out_.clear();
    if (ec) {
        client_gone_ = true;
    }
    co_return !ec;
}

asio::awaitable<void> ClientSession::fatal(std::string_view sqlstate, std::string_view message) {
    spdlog::info("closing client {} ({}): {}", process_id_, user_, message);
    send_error(sqlstate, message, "FATAL");
    co_await flush();
}

} // namespace shardgate::proxy::pg
