// Growable read buffer and exception-free socket reads/writes.
#include "shardgate/proxy/net/wire_io.hpp"

#include <algorithm>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>
#include <sys/socket.h>

namespace shardgate::proxy::net {

namespace {

/// Read buffers of idle sessions, per thread (each worker runs its sessions on one thread):
/// a session going idle returns its buffer, the next one to read takes it, so the data path
/// allocates nothing per request and idle clients hold none.
constexpr std::size_t pooled_size = ReadBuffer::pooled_size;
constexpr std::size_t pool_limit = 64;

struct BufferPool {
    std::vector<std::unique_ptr<std::byte[]>> free;
};

thread_local BufferPool pool;

} // namespace

void ReadBuffer::release() {
    if (begin_ != end_ || !data_) {
        return;
    }
    if (capacity_ == pooled_size && pool.free.size() < pool_limit) {
        pool.free.push_back(std::move(data_));
    }
    data_.reset();
    capacity_ = begin_ = end_ = 0;
}

void ReadBuffer::shrink_for_idle(std::size_t small) {
    if (begin_ != end_ || capacity_ == small) {
        return;
    }
    release();
    data_ = std::make_unique_for_overwrite<std::byte[]>(small);
    capacity_ = small;
}

void ReadBuffer::consume(std::size_t n) {
    begin_ += n;
    if (begin_ == end_) {
        begin_ = end_ = 0;
    }
}

asio::mutable_buffer ReadBuffer::prepare(std::size_t min_free) {
    if (capacity_ - end_ < min_free) {
        if (begin_ > 0) {
            std::memmove(data_.get(), data_.get() + begin_, end_ - begin_);
            end_ -= begin_;
            begin_ = 0;
        }
        if (capacity_ < pooled_size && end_ + min_free <= pooled_size && !pool.free.empty()) {
            auto pooled = std::move(pool.free.back());
            pool.free.pop_back();
            if (end_ != 0) {
                std::memcpy(pooled.get(), data_.get(), end_);
            }
            data_ = std::move(pooled);
            capacity_ = pooled_size;
        } else if (capacity_ - end_ < min_free) {
            // grows at least by half, as a vector would (a large message read in pieces)
            const auto capacity = std::max(end_ + min_free, capacity_ + capacity_ / 2);
            auto grown = std::make_unique_for_overwrite<std::byte[]>(capacity);
            if (end_ != 0) {
                std::memcpy(grown.get(), data_.get(), end_);
            }
            data_ = std::move(grown);
            capacity_ = capacity;
        }
    }
    return asio::buffer(data_.get() + end_, capacity_ - end_);
}

asio::awaitable<error_code> read_more(tcp::socket& socket, ReadBuffer& buffer, std::size_t want) {
    error_code ec;
    const auto n = co_await socket.async_read_some(buffer.prepare(want),
                                                   asio::redirect_error(asio::use_awaitable, ec));
    buffer.commit(n);
    if (!ec && n == 0) {
        ec = asio::error::eof;
    }
    co_return ec;
}

asio::awaitable<error_code> write_all(tcp::socket& socket, ByteView bytes) {
    // One send without waiting first: it nearly always takes everything, and done here it
    // costs no completion handler (Asio posts one even for a write that completes at once,
    // and gives its reactor a zero-timeout epoll_wait before running it: a system call per
    // write). Whatever is left waits for the socket as before.
    const auto sent =
        ::send(socket.native_handle(), bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent == static_cast<ssize_t>(bytes.size())) {
        co_return error_code{};
    }
    if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        co_return error_code(errno, boost::system::system_category());
    }
    const auto done = sent > 0 ? static_cast<std::size_t>(sent) : 0;
    error_code ec;
    co_await asio::async_write(socket, asio::buffer(bytes.data() + done, bytes.size() - done),
                               asio::redirect_error(asio::use_awaitable, ec));
    co_return ec;
}

} // namespace shardgate::proxy::net
