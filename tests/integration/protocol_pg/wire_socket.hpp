// Test-only blocking TCP socket that reads whole PostgreSQL messages with the codec's framing.
#pragma once

#include "shardgate/protocol/pg/frame.hpp"

#include <string>

namespace shardgate::protocol::pg::test {

class WireSocket {
public:
    /// Connects to host:port with a receive timeout; check connected().
    WireSocket(const std::string& host, int port);
    /// Adopts an accepted descriptor.
    explicit WireSocket(int fd);
    ~WireSocket();
    WireSocket(const WireSocket&) = delete;
    WireSocket& operator=(const WireSocket&) = delete;

    bool connected() const { return fd_ >= 0; }
    bool send(const ByteBuffer& bytes);
    /// The next regular message; its views stay valid until the next call. False on EOF,
    /// timeout or a framing error.
    bool next(Frame& frame);
    /// The next startup-phase packet (server side).
    bool next_startup(StartupFrame& frame);
    /// One raw byte (the SSLRequest answer).
    bool read_byte(char& byte);

private:
    bool fill(std::size_t needed);
    void drop_consumed();

    int fd_ = -1;
    ByteBuffer buffer_;
    std::size_t consumed_ = 0;
};

/// A listening socket on 127.0.0.1 with an ephemeral port.
class Listener {
public:
    Listener();
    ~Listener();
    int port() const { return port_; }
    /// Accepts one connection (with a timeout); -1 on failure.
    int accept_one();

private:
    int fd_ = -1;
    int port_ = 0;
};

} // namespace shardgate::protocol::pg::test
