// A session's share of client_max_buffered_bytes_total: the bytes of the client message it is
// receiving, when that message is larger than a pooled read buffer (smaller ones are never
// counted), so that many clients each sending a large message cannot together exhaust the
// proxy's memory (docs/reliability.md).
#pragma once

#include "shardgate/proxy/net/wire_io.hpp"
#include "shardgate/router/merge_budget.hpp"

#include <cstddef>
#include <string>

namespace shardgate::proxy {

class LargeMessage {
public:
    explicit LargeMessage(router::MergeBudget& budget) : budget_(budget) {}
    ~LargeMessage() { release(); }
    LargeMessage(const LargeMessage&) = delete;
    LargeMessage& operator=(const LargeMessage&) = delete;

    /// Holds `bytes` for the message being received (what has arrived of it), or nothing when
    /// it fits a pooled read buffer; false when the process's budget cannot take them (what
    /// was held stays held until release()).
    bool hold(std::size_t bytes) {
        if (bytes <= net::ReadBuffer::pooled_size || bytes <= held_) {
            return true;
        }
        if (!budget_.reserve(bytes - held_)) {
            return false;
        }
        held_ = bytes;
        return true;
    }
    /// Holds exactly `bytes` (nothing when they fit a pooled read buffer), giving back what was
    /// held beyond them; false when the budget cannot take the growth.
    bool hold_exactly(std::size_t bytes) {
        if (bytes <= net::ReadBuffer::pooled_size) {
            release();
            return true;
        }
        if (bytes < held_) {
            budget_.release(held_ - bytes);
            held_ = bytes;
            return true;
        }
        return hold(bytes);
    }
    /// The message has been taken out of the read buffer.
    void release() {
        if (held_ != 0) {
            budget_.release(held_);
            held_ = 0;
        }
    }

    /// The refusal's text, after `what` (the message being received).
    std::string refusal(const std::string& what) const {
        return what + " would pass client_max_buffered_bytes_total (" +
               std::to_string(budget_.limit()) + " bytes, " + std::to_string(budget_.held()) +
               " held for the large messages being received, this one's included); send it "
               "when fewer arrive at once";
    }

private:
    router::MergeBudget& budget_;
    std::size_t held_ = 0;
};

} // namespace shardgate::proxy
