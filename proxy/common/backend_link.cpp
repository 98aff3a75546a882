// Connecting within a timeout, idle probing and closing, for both planes' backend connections.
#include "common/backend_link.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <fmt/format.h>
#include <sys/socket.h>

namespace shardgate::proxy {

const char* to_string(BackendLink::State state) {
    switch (state) {
    case BackendLink::State::connecting:
        return "connecting";
    case BackendLink::State::authenticating:
        return "authenticating";
    case BackendLink::State::idle:
        return "idle";
    case BackendLink::State::busy:
        return "busy";
    case BackendLink::State::broken:
        return "broken";
    }
    return "?";
}

BackendLink::BackendLink(asio::io_context& io, std::string host, std::uint16_t port,
                         std::string pool_key, std::shared_ptr<const net::BackendTls> tls)
    : stream_(tcp::socket(io)), host_(std::move(host)), port_(port), pool_key_(std::move(pool_key)),
      tls_(std::move(tls)) {}

asio::awaitable<std::string> BackendLink::open(unsigned timeout_ms) {
    auto& socket = stream_.socket();
    asio::steady_timer timer(socket.get_executor());
    // A handler that already fired stays queued after cancel(): it may run once open() has
    // returned, so it reads this shared state, never the coroutine's frame.
    struct Deadline {
        bool timed_out = false;
        bool over = false; ///< open() returned: nothing to close any more
    };
    const auto deadline = std::make_shared<Deadline>();
    timer.expires_after(std::chrono::milliseconds(timeout_ms));
    timer.async_wait([&socket, deadline](const error_code& ec) {
        if (!ec && !deadline->over) {
            deadline->timed_out = true;
            error_code ignored;
            socket.close(ignored);
        }
    });
    error_code ec;
    const char* stage = "resolving"; // where a timeout struck, for the operator
    tcp::resolver resolver(socket.get_executor());
    auto endpoints = co_await resolver.async_resolve(host_, std::to_string(port_),
                                                     asio::redirect_error(asio::use_awaitable, ec));
    std::string failure;
    if (ec || endpoints.empty()) {
        failure = "cannot resolve " + host_ + ": " + (ec ? ec.message() : "no address");
    } else {
        stage = "connecting";
        // Each address in turn, the socket opened here: out of descriptors (EMFILE) is said as
        // such (Asio's range connect reports a socket it could not open as "Operation
        // canceled"). The deadline's close ends an attempt in progress and the loop.
        for (const auto& entry : endpoints) {
            socket.close(ec);
            if (deadline->timed_out) {
                break;
            }
            if (socket.open(entry.endpoint().protocol(), ec); ec) {
                failure = "cannot open a socket: " + ec.message();
                break;
            }
            co_await socket.async_connect(entry.endpoint(),
                                          asio::redirect_error(asio::use_awaitable, ec));
            if (!ec) {
                failure.clear();
                break;
            }
            failure = "connect failed: " + ec.message();
        }
        if (failure.empty() && !deadline->timed_out) {
            socket.set_option(tcp::no_delay(true), ec);
            stage = "logging in";
            failure = co_await login();
        }
    }
    timer.cancel();
    deadline->over = true;
    if (deadline->timed_out) {
        failure = "timed out after " + std::to_string(timeout_ms) + " ms " + stage;
    }
    if (!failure.empty()) {
        mark_broken();
    } else {
        state_ = State::idle;
    }
    co_return failure;
}

asio::awaitable<std::string> BackendLink::start_tls() {
    co_return co_await stream_.connect_backend_tls(*tls_, host_);
}

bool BackendLink::idle_and_healthy() {
    if (state_ != State::idle || !stream_.socket().is_open() || in_.size() != 0) {
        return false;
    }
    if (std::chrono::steady_clock::now() - idle_since_ < std::chrono::seconds(1)) {
        return true;
    }
    return quiet_and_open();
}

bool BackendLink::quiet_and_open() {
    if (!stream_.socket().is_open() || in_.size() != 0 || stream_.pending() != 0) {
        return false;
    }
    char probe = 0;
    const auto n = ::recv(stream_.socket().native_handle(), &probe, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

void BackendLink::mark_idle() {
    state_ = State::idle;
    idle_since_ = std::chrono::steady_clock::now();
}

void BackendLink::mark_broken() {
    state_ = State::broken;
    close();
}

void BackendLink::cut(std::string reason) {
    state_ = State::broken;
    cut_reason_ = std::move(reason);
    // Not closed: the holder's coroutine still owns the descriptor and may be waiting on it.
    boost::system::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
}

std::string BackendLink::lost_during_statement(std::string_view shard, bool sent) const {
    if (cut_reason_.empty()) {
        // (sent: it may have been applied before the connection went; the client must not
        // take the error for a refusal)
        return fmt::format("lost the connection to shard {} ({}:{}) {}", shard, host_, port_,
                           sent ? "while running the statement; its outcome is unknown"
                                : "before the statement was sent");
    }
    return fmt::format(
        "shard {} ({}:{}) stopped answering ({}); {}", shard, host_, port_, cut_reason_,
        sent ? "the statement was sent and its outcome is unknown" : "the statement was not sent");
}

void BackendLink::close() {
    stream_.close();
}

} // namespace shardgate::proxy
