// Growable read buffer and exception-free socket reads/writes.
#include "shardgate/proxy/net/wire_io.hpp"

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
    if (data_.size() - end_ < min_free) {
        if (begin_ > 0) {
            std::memmove(data_.data(), data_.data() + begin_, end_ - begin_);
            end_ -= begin_;
            begin_ = 0;
        }
        if (data_.size() - end_ < min_free) {
            data_.resize(end_ + min_free);
        }
    }
    return asio::buffer(data_.data() + end_, data_.size() - end_);
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
