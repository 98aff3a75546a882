// One connection from shardgate to a PostgreSQL server: connect, TLS as backend_tls asks, log
// in (trust, cleartext, md5 or SCRAM-SHA-256 as the server asks), then carry forwarded traffic.
// Owned by one worker thread; pooled by BackendPool.
#pragma once

#include "common/backend_link.hpp"
#include "shardgate/protocol/pg/backend_messages.hpp"
#include "shardgate/protocol/pg/frame.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "shardgate/shardmaps/endpoint.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>

namespace shardgate::proxy::pg {

/// Where and as whom a backend connection logs in; also the pool key.
struct BackendTarget {
    shardmaps::Endpoint endpoint;
    std::string shard; ///< shard name, for messages
    std::string user;
    std::string password;
    std::string database;

    std::string pool_key() const { return endpoint.to_string() + "/" + user + "/" + database; }
};

/// Sends SSLRequest and reads exactly the one-byte answer into `in` (bytes after it would pass
/// for encrypted ones); the caller reads the answer ('S', 'N', or an ErrorResponse's 'E').
asio::awaitable<error_code> send_ssl_request(net::Stream& stream, ReadBuffer& in);

class BackendConnection : public BackendLink {
public:
    BackendConnection(asio::io_context& io, BackendTarget target,
                      std::shared_ptr<const net::BackendTls> tls);

    const BackendTarget& target() const { return target_; }
    const protocol::pg::BackendKeyData& key() const { return key_; }

    /// Server-side names of the statements prepared on this connection.
    std::unordered_set<std::string>& prepared() { return prepared_; }
    /// Settings applied by the last replay; nullopt = unknown (a SET ran inside a forwarded
    /// transaction), forcing a replay.
    std::optional<std::map<std::string, std::string>>& applied_settings() { return applied_; }

    /// CancelRequests forwarded for this connection's server process. PostgreSQL signals the
    /// process twice for one cancel (the process, then its process group), and when the
    /// second signal comes late it cancels whatever statement runs then: this client's next
    /// one, or another client's once the connection is back in the pool. So a connection
    /// takes no new statement before the server ended every cancel's connection (it does so
    /// after signalling): its holders wait for cancels_settled().
    void cancel_started() { ++cancels_; }
    /// `confirmed`: the server ended the cancel's connection (or it was never sent);
    /// otherwise (no answer in time) a signal may still come, and cancels_settled() says so.
    void cancel_ended(bool confirmed);
    /// A cancel is under way, or one was not confirmed: not to be pooled as it is.
    bool cancel_unsettled() const { return cancels_ > 0 || unconfirmed_cancel_; }
    /// Once no cancel is under way: false when one was not confirmed, and the connection is
    /// then broken (closed, dropped by the pool) since a signal may still come. Only for its
    /// holder; cancels_ended() only waits.
    asio::awaitable<bool> cancels_settled();
    asio::awaitable<void> cancels_ended();

private:
    asio::awaitable<std::string> login() override;
    /// SSLRequest, then the TLS handshake when the server answers 'S' ("" or why not).
    asio::awaitable<std::string> negotiate_tls();
    /// The next whole message of the login (a view into in_; consume `consumed` after it).
    asio::awaitable<std::string> read_frame(protocol::pg::Frame& frame, std::size_t& consumed);

    BackendTarget target_;
    protocol::pg::BackendKeyData key_;
    std::unordered_set<std::string> prepared_;
    std::optional<std::map<std::string, std::string>> applied_ =
        std::map<std::string, std::string>{};
    int cancels_ = 0;
    bool unconfirmed_cancel_ = false;
    asio::steady_timer cancels_ended_; ///< cancelled (woken) when the last cancel ends
};

} // namespace shardgate::proxy::pg
