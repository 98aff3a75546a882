// Socket helpers shared by both frontends and their backend connections: a growable read
// buffer and exception-free awaitable read/write wrappers over Boost.Asio.
#pragma once

#include "shardgate/proxy/net/asio.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace shardgate::proxy::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using ByteView = std::span<const std::byte>;

/// Bytes read from a socket and not yet consumed; framing works on view().
class ReadBuffer {
public:
    /// The size of the buffers the thread's pool keeps (and a session's usual buffer).
    static constexpr std::size_t pooled_size = 16384;

    ByteView view() const { return {data_.get() + begin_, end_ - begin_}; }
    std::size_t size() const { return end_ - begin_; }
    void consume(std::size_t n);
    /// Makes room for at least `min_free` bytes after the data and returns that free area
    /// (not zeroed).
    asio::mutable_buffer prepare(std::size_t min_free);
    void commit(std::size_t n) { end_ += n; }
    /// Gives the storage back when it holds no data: to the thread's pool of read buffers,
    /// which prepare() of any session on this thread takes from before it allocates.
    void release();
    /// With no data held: keeps only `small` bytes of storage (the rest to the pool), what an
    /// idle client holds while it waits.
    void shrink_for_idle(std::size_t small);

private:
    std::unique_ptr<std::byte[]> data_;
    std::size_t capacity_ = 0;
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
};

/// Reads once (at least one byte, or an error/EOF) into `buffer`, reserving `want` bytes.
asio::awaitable<error_code> read_more(tcp::socket& socket, ReadBuffer& buffer,
                                      std::size_t want = 16384);

/// Writes all of `bytes`.
asio::awaitable<error_code> write_all(tcp::socket& socket, ByteView bytes);

} // namespace shardgate::proxy::net

namespace shardgate::proxy {

// The names both data planes and the shared session code use.
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using net::read_more;
using net::ReadBuffer;
using net::write_all;

} // namespace shardgate::proxy
