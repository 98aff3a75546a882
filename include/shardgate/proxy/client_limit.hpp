// How many client connections the process serves at once (max_client_connections), so that
// clients cannot take the file descriptors its backend connections need.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace shardgate::proxy {

/// Thread-safe; shared by every worker of both frontends. Each accepted client gets a Ticket:
/// `admitted` while under the limit; past it, `refused` (the session answers the protocol's
/// "too many connections" error and ends; a PostgreSQL CancelRequest is still served) for up
/// to `refusing_max` clients at once, and `dropped` beyond that (closed at once: a flood must
/// not take the descriptors the limit keeps for backends either).
class ClientLimit {
public:
    /// `console`: refused, then logged in as an admin to the admin console (which stays
    /// reachable past the limit): it no longer holds a place of the clients being refused, but
    /// one of as many console places past the limit (so admins cannot take the descriptors
    /// the limit keeps for backends either).
    enum class Admission : std::uint8_t { admitted, refused, dropped, console };

    class Ticket {
    public:
        Ticket() = default;
        Ticket(ClientLimit* limit, Admission admission) : limit_(limit), admission_(admission) {}
        Ticket(Ticket&& other) noexcept
            : limit_(std::exchange(other.limit_, nullptr)), admission_(other.admission_) {}
        Ticket& operator=(Ticket&& other) noexcept {
            if (this != &other) {
                release();
                limit_ = std::exchange(other.limit_, nullptr);
                admission_ = other.admission_;
            }
            return *this;
        }
        ~Ticket() { release(); }
        Admission admission() const { return admission_; }
        /// A refused client logged in to the admin console as an admin (see Admission): true
        /// when it got a console place; false when they are all taken (or it was not refused).
        bool seat_in_console() {
            if (limit_ == nullptr || admission_ != Admission::refused) {
                return false;
            }
            const auto max = limit_->refusing_max_.load(std::memory_order_relaxed);
            auto seated = limit_->consoles_.load(std::memory_order_relaxed);
            while (seated < max) {
                if (limit_->consoles_.compare_exchange_weak(seated, seated + 1,
                                                            std::memory_order_relaxed)) {
                    limit_->refusing_.fetch_sub(1, std::memory_order_relaxed);
                    admission_ = Admission::console;
                    return true;
                }
            }
            return false;
        }

    private:
        void release() {
            if (limit_ != nullptr) {
                limit_->release(admission_);
                limit_ = nullptr;
            }
        }
        ClientLimit* limit_ = nullptr;
        Admission admission_ = Admission::admitted;
    };

    /// `max` clients at once (0: no limit), `refusing_max` being refused at once.
    void configure(std::size_t max, std::size_t refusing_max) {
        max_.store(max, std::memory_order_relaxed);
        refusing_max_.store(refusing_max, std::memory_order_relaxed);
    }

    Ticket admit() {
        const auto max = max_.load(std::memory_order_relaxed);
        auto held = held_.load(std::memory_order_relaxed);
        while (max == 0 || held < max) {
            if (held_.compare_exchange_weak(held, held + 1, std::memory_order_relaxed)) {
                note_peak(held + 1);
                return Ticket(this, Admission::admitted);
            }
        }
        const auto refusing_max = refusing_max_.load(std::memory_order_relaxed);
        auto refusing = refusing_.load(std::memory_order_relaxed);
        while (refusing < refusing_max) {
            if (refusing_.compare_exchange_weak(refusing, refusing + 1,
                                                std::memory_order_relaxed)) {
                refused_.fetch_add(1, std::memory_order_relaxed);
                return Ticket(this, Admission::refused);
            }
        }
        dropped_.fetch_add(1, std::memory_order_relaxed);
        return Ticket(nullptr, Admission::dropped);
    }

    /// True at most once per `interval` (a log line about refusals, not one per client).
    bool time_to_log(std::chrono::steady_clock::duration interval) {
        const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
        auto last = last_log_.load(std::memory_order_relaxed);
        return (last == 0 || now - last >= interval.count()) &&
               last_log_.compare_exchange_strong(last, now, std::memory_order_relaxed);
    }

    std::size_t max() const { return max_.load(std::memory_order_relaxed); }
    std::size_t held() const { return held_.load(std::memory_order_relaxed); }
    std::size_t peak() const { return peak_.load(std::memory_order_relaxed); }
    std::size_t refusing() const { return refusing_.load(std::memory_order_relaxed); }
    std::uint64_t refused() const { return refused_.load(std::memory_order_relaxed); }
    std::uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
    /// Admin console sessions opened past the limit, now (at most refusing_max).
    std::size_t consoles() const { return consoles_.load(std::memory_order_relaxed); }

private:
    void release(Admission admission) {
        (admission == Admission::admitted  ? held_
         : admission == Admission::console ? consoles_
                                           : refusing_)
            .fetch_sub(1, std::memory_order_relaxed);
    }
    void note_peak(std::size_t now) {
        auto seen = peak_.load(std::memory_order_relaxed);
        while (now > seen && !peak_.compare_exchange_weak(seen, now, std::memory_order_relaxed)) {
        }
    }

    std::atomic<std::size_t> max_{0};
    std::atomic<std::size_t> refusing_max_{0};
    std::atomic<std::size_t> held_{0};
    std::atomic<std::size_t> peak_{0};
    std::atomic<std::size_t> refusing_{0};
    std::atomic<std::size_t> consoles_{0};
    std::atomic<std::uint64_t> refused_{0};
    std::atomic<std::uint64_t> dropped_{0};
    std::atomic<std::chrono::steady_clock::rep> last_log_{0};
};

/// The open-file limit and what max_client_connections defaults to under it.
struct OpenFileLimit {
    std::uint64_t soft = 0;
    std::uint64_t hard = 0;
    std::uint64_t raised_from = 0; ///< the soft limit before it was raised to the hard one (0: not)
};

/// Raises the soft open-file limit to the hard one (as far as the process may) and returns both.
OpenFileLimit raise_open_file_limit();
/// The descriptors the process has open now (/proc/self/fd), 0 if unknown.
std::size_t open_descriptors();

/// The default client limit under `soft` open files with `open` already taken and up to
/// `backends` backend connections expected (the pools' sizes over the map's servers): what
/// remains after a reserve for the backend connections, the monitor, TLS files and logs (an
/// eighth of the limit, at least 32 and at most 1,024, or `backends` when more, but never over
/// half the limit) and the clients being refused at once (client_refusing_max); at least 1.
/// 0 (no limit) when the open-file limit is unknown (0).
std::size_t derived_client_limit(std::uint64_t soft, std::size_t open, std::uint64_t backends);
/// Clients being refused at once under `soft` open files: a 64th of it, 4 to 64.
std::size_t client_refusing_max(std::uint64_t soft);
/// How long a client past the limit may take to say what it is (a PostgreSQL startup packet,
/// or a CancelRequest; a MySQL handshake response) before it is closed, whatever
/// client_login_timeout_ms is: the clients being refused hold their places meanwhile.
inline constexpr unsigned client_refusal_timeout_ms = 2000;

} // namespace shardgate::proxy
