// The members every client session has, whatever its protocol: its worker, the client's byte
// stream and read buffer, its state, the engine-neutral session core and the backend it
// holds (pinned) between statements. Each plane's ClientSession derives from it.
#pragma once

#include "common/session_core.hpp"
#include "shardgate/proxy/net/client_stream.hpp"
#include "shardgate/proxy/net/wire_io.hpp"

#include <memory>

namespace shardgate::proxy {

/// `Worker` is the plane's worker (stats(), read_router(), io()); `Backend` its
/// BackendConnection.
template <class Worker, class Backend> class SessionBase : public TrackedSession {
public:
    using State = SessionState;

    SessionBase(Worker& worker, tcp::socket socket)
        : worker_(worker), socket_(std::move(socket)), core_(worker.stats(), worker.read_router()) {
    }

    State state() const override { return state_; }
    /// Closes the client's socket and the backend it holds (worker shutdown).
    void close() override {
        socket_.close();
        if (pinned_) {
            pinned_->close();
        }
    }

protected:
    Worker& worker_;
    net::ClientStream socket_; ///< plain TCP, or TLS after the protocol's SSLRequest
    ReadBuffer in_;
    State state_ = State::handshake;
    /// Target selection, transaction and pin, read routing (engine-neutral).
    SessionCore core_;
    /// The backend this client holds: in a transaction, for session state, until a Sync.
    std::shared_ptr<Backend> pinned_;
    bool client_gone_ = false;
};

} // namespace shardgate::proxy
