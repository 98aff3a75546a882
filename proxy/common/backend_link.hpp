// The engine-neutral half of a connection from shardgate to one database server: the stream
// (plain TCP, or TLS after the engine's SSLRequest when backend_tls asks for it) and its read
// buffer, the pool key, the lifecycle (connecting -> authenticating -> idle <->
// busy -> broken), the idle health probe, and open(): resolve, connect and the engine's
// login, all within one timeout. Each plane's BackendConnection adds its login and what it
// tracks per connection (prepared statements, applied settings). Owned by one worker.
#pragma once

#include "shardgate/proxy/net/stream.hpp"
#include "shardgate/proxy/net/tls_context.hpp"
#include "shardgate/proxy/net/wire_io.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace shardgate::proxy {

class BackendLink {
public:
    enum class State { connecting, authenticating, idle, busy, broken };

    BackendLink(asio::io_context& io, std::string host, std::uint16_t port, std::string pool_key,
                std::shared_ptr<const net::BackendTls> tls);
    virtual ~BackendLink() = default;
    BackendLink(const BackendLink&) = delete;
    BackendLink& operator=(const BackendLink&) = delete;

    /// Connects and logs in within `timeout_ms`. Returns an empty string on success, else
    /// the reason (the caller reports it naming shard and endpoint); broken on failure.
    asio::awaitable<std::string> open(unsigned timeout_ms);
    /// False once the server closed the connection or sent unsolicited bytes while idle.
    /// Connections idle for less than a second are not probed (saves a syscall per
    /// statement under load; a stale one is then noticed as a lost backend).
    bool idle_and_healthy();
    /// The same probe, always made, for a connection a session holds between statements: false
    /// when the server closed it (a restart) or sent something unasked (its shutdown error).
    bool quiet_and_open();
    /// Records when the connection went back to the pool.
    void mark_idle();
    /// Never to be used again: closed, and dropped by the pool.
    void mark_broken();
    /// The monitor called this connection's server down while a client held it: broken, and
    /// the socket shut down, so whoever waits on it sees the connection end now instead of
    /// waiting for a server that may never answer (a hung host). `reason` is kept for the
    /// client's error (cut_reason()).
    void cut(std::string reason);
    /// Why cut() ended this connection; empty when it did not.
    const std::string& cut_reason() const { return cut_reason_; }
    /// What a client is told when this connection ended during its statement on shard
    /// `shard` (`sent`: the statement was written): lost, or cut — then a statement that was
    /// sent has an unknown outcome (a hung server may still run it when it wakes).
    std::string lost_during_statement(std::string_view shard, bool sent) const;
    void close();

    /// Reads and writes go through stream(); socket() is the TCP socket under it (waits,
    /// options, closing).
    net::Stream& stream() { return stream_; }
    tcp::socket& socket() { return stream_.socket(); }
    /// TLS is on (backend_tls, and the server agreed).
    bool tls() const { return stream_.tls(); }
    /// backend_tls, as this connection was opened with (a cancel for it goes the same way).
    const std::shared_ptr<const net::BackendTls>& tls_policy() const { return tls_; }
    ReadBuffer& in() { return in_; }
    /// The pool's key for this connection (endpoint, user, database, wire options).
    const std::string& pool_key() const { return pool_key_; }
    State state() const { return state_; }
    void set_state(State state) { state_ = state; }

protected:
    /// The engine's login on the connected socket: "" or why it failed.
    virtual asio::awaitable<std::string> login() = 0;
    /// The policy backend_tls set: whether login() asks the server for TLS, and what a
    /// refusal means.
    net::BackendTlsMode tls_mode() const { return tls_->mode; }
    /// The client side of the TLS handshake, once the engine's request for it was accepted:
    /// "" or why it failed (certificate checks included).
    asio::awaitable<std::string> start_tls();

    net::Stream stream_;
    ReadBuffer in_;
    State state_ = State::connecting;

private:
    std::string host_;
    std::uint16_t port_;
    std::string pool_key_;
    std::shared_ptr<const net::BackendTls> tls_;
    std::chrono::steady_clock::time_point idle_since_{};
    std::string cut_reason_;
};

const char* to_string(BackendLink::State state);

} // namespace shardgate::proxy
