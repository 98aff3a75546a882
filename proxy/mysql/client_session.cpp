// MySQL client session: the main read loop and output helpers.
#include "client_session.hpp"

#include "shardgate/protocol/mysql/constants.hpp"
#include "shardgate/protocol/mysql/framing.hpp"
#include "shardgate/protocol/mysql/generic_packets.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "worker.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

namespace shardgate::proxy::mysql {

namespace pm = protocol::mysql;

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
    if (logged_in) {
        state_ = State::idle;
        refresh_lex_mode();
        for (;;) {
            // A command starts a new exchange at sequence id 0; like the server, refuse any
            // other from its header on (what follows cannot be framed with confidence).
            if (in_.view().size() >= 4 && in_.view()[3] != std::byte{0}) {
                ++worker_.stats().malformed_packets;
                sequence_ = static_cast<std::uint8_t>(std::to_integer<unsigned>(in_.view()[3]) + 1);
                // ER_NET_PACKETS_OUT_OF_ORDER, as the server sends it
                send_err({1156, "08S01", "Got packets out of order"});
                co_await flush();
                break;
            }
            auto packet = pm::scan_packet(in_.view());
            if (packet.need_more() && !large_.hold(in_.view().size())) {
                // the answer follows the last frame whose header arrived (a packet of 16 MiB
                // or more comes in frames 0, 1, ...)
                const auto view = in_.view();
                std::uint8_t last = 0;
                for (std::size_t at = 0; at + 4 <= view.size();) {
                    last = std::to_integer<std::uint8_t>(view[at + 3]);
                    at += 4 + (std::to_integer<std::size_t>(view[at]) |
                               std::to_integer<std::size_t>(view[at + 1]) << 8 |
                               std::to_integer<std::size_t>(view[at + 2]) << 16);
                }
                sequence_ = static_cast<std::uint8_t>(last + 1);
                // ER_OUT_OF_RESOURCES, as for a merge past its budget
                send_err({1041, "HY000",
                          large_.refusal("a packet of more than " +
                                         std::to_string(in_.view().size()) + " bytes")});
                co_await flush();
                break;
            }
            if (packet.need_more()) {
                core_.between_statements();
                if (co_await net::read_idle(socket_, in_)) {
                    break;
                }
                continue;
            }
            if (packet.is_error()) {
                ++worker_.stats().malformed_packets;
                sequence_ = 1;
                send_err(
                    {packet.error().code, "08S01", "malformed packet: " + packet.error().message});
                co_await flush();
                break;
            }
            const auto& extent = packet.value();
            const auto consumed = packet.consumed();
            pm::Buffer joined;
            pm::Bytes payload = extent.first_payload;
            if (extent.frame_count > 1) {
                auto whole = pm::decode_packet(in_.view());
                joined = std::move(whole.value().payload);
                payload = joined;
            }
            sequence_ = static_cast<std::uint8_t>(extent.last_sequence_id + 1);
            // COM_CHANGE_USER may read further packets (auth switch): take it out of the
            // buffer first.
            const bool reads_more =
                !payload.empty() && payload.front() == std::byte{pm::COM_CHANGE_USER};
            if (reads_more) {
                if (extent.frame_count == 1) {
                    joined.assign(payload.begin(), payload.end());
                    payload = joined;
                }
                in_.consume(consumed);
            }
            reads_insert_id_ = sets_insert_id_ = insert_id_learned_ = calc_found_rows_ = false;
            command_first_ = core_.statements() + 1;
            command_selected_ = false;
            const bool keep = co_await dispatch(payload);
            finish_capture(worker_.context().registry, [](const std::string& answer) {
                // a result set (not an ERR packet: byte 4 is the first payload byte)
                return answer.size() > 4 && static_cast<unsigned char>(answer[4]) != 0xff;
            });
            core_.digest_ended(); // the command's statements were answered
            if (!reads_more) {
                in_.consume(consumed);
            }
            large_.release();
            if (!keep || client_gone_) {
                break;
            }
            state_ = State::idle;
        }
    }
    state_ = State::closed;
    if (pinned_) {
        if (core_.txn() == Txn::active || state_pinned_ || cursor_open_) {
            pinned_->mark_broken(); // holds this client's state: never hand it to another
        }
        release_backend();
    }
    drop_parked(); // an open transaction on several shards: every branch rolls back
    worker_.forget(this);
    socket_.close();
}

std::uint16_t ClientSession::status_flags() const {
    std::uint16_t flags = autocommit_ ? pm::SERVER_STATUS_AUTOCOMMIT : 0;
    if (core_.txn() != Txn::none) {
        flags |= pm::SERVER_STATUS_IN_TRANS;
    }
    return flags;
}

void ClientSession::send_payload(const pm::Buffer& payload) {
    pm::append_packet(out_, sequence_, payload);
}

void ClientSession::send_ok(std::uint64_t affected_rows, std::uint16_t extra_status) {
    pm::OkPacket ok;
    ok.affected_rows = affected_rows;
    ok.status_flags = status_flags() | extra_status;
    pm::Buffer payload;
    pm::encode_ok_packet(ok, capabilities_, payload);
    send_payload(payload);
}

void ClientSession::send_err(std::uint16_t code, std::string_view sqlstate,
                             std::string_view message) {
    pm::ErrPacket err;
    err.error_code = code;
    err.sql_state = std::string(sqlstate);
    err.message = std::string(message);
    pm::Buffer payload;
    pm::encode_err_packet(err, capabilities_ | pm::CLIENT_PROTOCOL_41, payload);
    send_payload(payload);
    core_.digest_error();
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
    auto ec = co_await net::write_all(socket_, out_);
    out_.clear();
    if (ec) {
        client_gone_ = true;
    }
    co_return !ec;
}

} // namespace shardgate::proxy::mysql
