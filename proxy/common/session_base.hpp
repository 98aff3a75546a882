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
    /// Outside a transaction the session follows the running map: `db` (the plane's database
    /// pointer, for logical database `database`) and the epoch its statements are planned
    /// under. Inside one it finishes under the map it began with. Cheap when nothing changed.
    template <class Registry>
    void follow_map(const Registry& registry, const std::string& database,
                    const shardmaps::Database*& db) {
        const auto running = registry.map_epoch();
        if (running == epoch_ || core_.txn() != Txn::none) {
            return;
        }
        const auto map = registry.map_of(running);
        if (const auto* now = map->find_database(database); now != nullptr && db != nullptr) {
            db = now;
            core_.follow(now);
        }
        epoch_ = map->epoch();
    }

    Worker& worker_;
    /// The map epoch this session's statements are planned under (0 before the first).
    std::uint64_t epoch_ = 0;
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
