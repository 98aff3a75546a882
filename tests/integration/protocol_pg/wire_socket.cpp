// Test-only POSIX sockets for driving the PostgreSQL codec against real peers.
#include "wire_socket.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace shardgate::protocol::pg::test {

namespace {

void set_timeout(int fd) {
    timeval timeout{10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
}

} // namespace

WireSocket::WireSocket(const std::string& host, int port) {
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) {
        return;
    }
    fd_ = socket(found->ai_family, found->ai_socktype, 0);
    if (fd_ >= 0 && connect(fd_, found->ai_addr, found->ai_addrlen) != 0) {
        close(fd_);
        fd_ = -1;
    }
    freeaddrinfo(found);
    if (fd_ >= 0) {
        set_timeout(fd_);
    }
}

WireSocket::WireSocket(int fd) : fd_(fd) {
    if (fd_ >= 0) {
        set_timeout(fd_);
    }
}

WireSocket::~WireSocket() {
    if (fd_ >= 0) {
        close(fd_);
    }
}

bool WireSocket::send(const ByteBuffer& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            return false;
        }
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

void WireSocket::drop_consumed() {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<long>(consumed_));
    consumed_ = 0;
}

bool WireSocket::fill(std::size_t needed) {
    while (buffer_.size() < needed) {
        std::byte chunk[4096];
        auto n = recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) {
            return false;
        }
        buffer_.insert(buffer_.end(), chunk, chunk + n);
    }
    return true;
}

bool WireSocket::next(Frame& frame) {
    drop_consumed();
    while (true) {
        auto framed = next_frame(buffer_);
        if (framed.ok()) {
            frame = framed.value();
            consumed_ = framed.consumed();
            return true;
        }
        if (framed.is_error() || !fill(framed.needed())) {
            return false;
        }
    }
}

bool WireSocket::next_startup(StartupFrame& frame) {
    drop_consumed();
    while (true) {
        auto framed = next_startup_frame(buffer_);
        if (framed.ok()) {
            frame = framed.value();
            consumed_ = framed.consumed();
            return true;
        }
        if (framed.is_error() || !fill(framed.needed())) {
            return false;
        }
    }
}

bool WireSocket::read_byte(char& byte) {
    drop_consumed();
    if (!fill(1)) {
        return false;
    }
    byte = static_cast<char>(buffer_[0]);
    consumed_ = 1;
    return true;
}

Listener::Listener() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        listen(fd_, 4) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        return;
    }
    port_ = ntohs(address.sin_port);
}

Listener::~Listener() {
    if (fd_ >= 0) {
        close(fd_);
    }
}

int Listener::accept_one() {
    pollfd ready{fd_, POLLIN, 0};
    if (poll(&ready, 1, 10000) != 1) {
        return -1;
    }
    return accept(fd_, nullptr, nullptr);
}

} // namespace shardgate::protocol::pg::test
