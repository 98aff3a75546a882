// Growable read buffer and exception-free socket reads/writes.
#include "shardgate/proxy/net/wire_io.hpp"

#include <algorithm>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstring>

namespace shardgate::proxy::net {

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
        if (capacity_ - end_ < min_free) {
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
    error_code ec;
    co_await asio::async_write(socket, asio::buffer(bytes.data(), bytes.size()),
                               asio::redirect_error(asio::use_awaitable, ec));
    co_return ec;
}

} // namespace shardgate::proxy::net
