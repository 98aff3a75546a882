// Connecting within a timeout, idle probing and closing, for both planes' backend connections.
#include "common/backend_link.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
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
                         std::string pool_key)
    : socket_(io), host_(std::move(host)), port_(port), pool_key_(std::move(pool_key)) {}

asio::awaitable<std::string> BackendLink::open(unsigned timeout_ms) {
    asio::steady_timer timer(socket_.get_executor());
    bool timed_out = false;
    timer.expires_after(std::chrono::milliseconds(timeout_ms));
    timer.async_wait([this, &timed_out](const error_code& ec) {
        if (!ec) {
            timed_out = true;
            error_code ignored;
            socket_.close(ignored);
        }
    });
    error_code ec;
    tcp::resolver resolver(socket_.get_executor());
    auto endpoints = co_await resolver.async_resolve(host_, std::to_string(port_),
                                                     asio::redirect_error(asio::use_awaitable, ec));
    std::string failure;
    if (ec) {
        failure = "cannot resolve " + host_ + ": " + ec.message();
    } else {
        co_await asio::async_connect(socket_, endpoints,
                                     asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            failure = "connect failed: " + ec.message();
        } else {
            socket_.set_option(tcp::no_delay(true), ec);
            failure = co_await login();
        }
    }
    timer.cancel();
    if (timed_out) {
        failure = "timed out after " + std::to_string(timeout_ms) + " ms";
    }
    if (!failure.empty()) {
        mark_broken();
    } else {
        state_ = State::idle;
    }
    co_return failure;
}

bool BackendLink::idle_and_healthy() {
    if (state_ != State::idle || !socket_.is_open() || in_.size() != 0) {
        return false;
    }
    if (std::chrono::steady_clock::now() - idle_since_ < std::chrono::seconds(1)) {
        return true;
    }
    return quiet_and_open();
}

bool BackendLink::quiet_and_open() {
    if (!socket_.is_open() || in_.size() != 0) {
        return false;
    }
    char probe = 0;
    const auto n = ::recv(socket_.native_handle(), &probe, 1, MSG_PEEK | MSG_DONTWAIT);
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

void BackendLink::close() {
    error_code ignored;
    socket_.close(ignored);
}

} // namespace shardgate::proxy
