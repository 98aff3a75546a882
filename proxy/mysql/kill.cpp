// KILL [CONNECTION | QUERY] id with shardgate's connection ids (the ones clients see in the
// handshake, CONNECTION_ID() is the backend's): the session is found on its worker (the id's
// high bits), its running statement killed on its backend server, or its client closed.
#include "client_session.hpp"
#include "shardgate/protocol/mysql/commands.hpp"
#include "shardgate/protocol/mysql/framing.hpp"
#include "shardgate/protocol/mysql/response_tracker.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "worker.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace shardgate::proxy::mysql {

namespace pm = protocol::mysql;

namespace {

struct KillRequest {
    bool query_only = false;
    std::uint32_t id = 0;
};

/// KILL [HARD | SOFT] [CONNECTION | QUERY] id; nullopt for other forms (KILL USER, QUERY ID).
std::optional<KillRequest> parse_kill(std::string_view sql) {
    std::vector<std::string> words;
    std::string word;
    for (const char c : std::string(sql) + " ") {
        if (std::isspace(static_cast<unsigned char>(c)) || c == ';') {
            if (!word.empty()) {
                words.push_back(std::move(word));
                word.clear();
            }
        } else {
            word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        }
    }
    std::size_t at = 1;
    if (at < words.size() && (words[at] == "hard" || words[at] == "soft")) {
        ++at;
    }
    KillRequest request;
    if (at < words.size() && (words[at] == "connection" || words[at] == "query")) {
        request.query_only = words[at] == "query";
        ++at;
    }
    if (at + 1 != words.size()) {
        return std::nullopt;
    }
    const auto& id = words[at];
    const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), request.id);
    if (ec != std::errc() || end != id.data() + id.size()) {
        return std::nullopt;
    }
    return request;
}

struct KillOutcome {
    std::uint16_t code = 0; ///< 0: OK
    std::string message;
};

/// Whether session `id` still runs (a part of) its statement on `thread` of `target`'s server.
bool runs_on(const Worker& worker, std::uint32_t id, const BackendTarget& target,
             std::uint32_t thread) {
    const auto* session = worker.find_session(id);
    if (session == nullptr) {
        return false;
    }
    const auto same = [&](const std::pair<BackendTarget, std::uint32_t>& running) {
        return running.second == thread && running.first.endpoint == target.endpoint;
    };
    const auto& legs = session->scatter_running();
    const auto& single = session->running_on();
    return std::any_of(legs.begin(), legs.end(), same) || (single && same(*single));
}

/// Sends `KILL QUERY thread` over a pooled connection of `worker` to the same server, while
/// session `id` runs its statement there: a statement that ended while the pool was asked (its
/// connection maybe pooled and running another client's statement by then) is not killed.
asio::awaitable<bool> kill_on_server(Worker& worker, std::uint32_t id, const BackendTarget& target,
                                     std::uint32_t thread) {
    auto acquired = co_await worker.pool().acquire(target);
    if (!acquired.connection) {
        co_return false;
    }
    if (!runs_on(worker, id, target, thread)) {
        worker.pool().release(std::move(acquired.connection));
        co_return true; // nothing left to kill
    }
    auto& backend = *acquired.connection;
    pm::Buffer payload, request;
    pm::encode_com_query(fmt::format("KILL QUERY {}", thread), payload);
    std::uint8_t sequence = 0;
    pm::append_packet(request, sequence, payload);
    const auto write_error = co_await write_all(backend.stream(), request);
    bool ok = !write_error;
    pm::ResponseTracker tracker(pm::ResponseKind::text_query, backend.capabilities());
    auto& in = backend.in();
    while (ok) {
        auto frame = pm::decode_frame(in.view());
        if (frame.need_more()) {
            const auto read_error = co_await read_more(backend.stream(), in);
            ok = !read_error;
            continue;
        }
        if (frame.is_error()) {
            ok = false;
            break;
        }
        const auto step = tracker.on_frame(frame.value());
        in.consume(frame.consumed());
        if (step.status == pm::TrackStatus::complete) {
            break;
        }
        if (step.status != pm::TrackStatus::more) {
            ok = false;
        }
    }
    if (!ok) {
        backend.mark_broken();
    }
    worker.pool().release(std::move(acquired.connection));
    co_return ok&& tracker.summary().succeeded();
}

/// Runs on the target session's worker.
asio::awaitable<KillOutcome> kill_session(Worker& worker, KillRequest request, std::string user) {
    auto* session = worker.find_session(request.id);
    if (session == nullptr || session->state() == ClientSession::State::closed) {
        co_return KillOutcome{1094, fmt::format("Unknown thread id: {}", request.id)};
    }
    if (session->user() != user) {
        co_return KillOutcome{1095, fmt::format("You are not owner of thread {}", request.id)};
    }
    if (!request.query_only) {
        session->close();
        co_return KillOutcome{};
    }
    if (const auto legs = session->scatter_running(); !legs.empty()) { // a copy: it changes
        for (const auto& [target, thread] : legs) { // a cross-shard statement: every shard's part
            const bool killed = co_await kill_on_server(worker, request.id, target, thread);
            if (!killed) {
                co_return KillOutcome{1105, fmt::format("KILL QUERY {}: shard {} ({}) could not "
                                                        "be reached",
                                                        request.id, target.shard,
                                                        target.endpoint.to_string())};
            }
        }
        co_return KillOutcome{};
    }
    if (const auto running = session->running_on()) {
        const auto [target, thread] = *running;
        const bool killed = co_await kill_on_server(worker, request.id, target, thread);
        if (!killed) {
            co_return KillOutcome{1105, fmt::format("KILL QUERY {}: the statement's server ({}) "
                                                    "could not be reached",
                                                    request.id, target.endpoint.to_string())};
        }
    }
    co_return KillOutcome{}; // nothing running: nothing to kill, as MySQL answers
}

} // namespace

asio::awaitable<bool> ClientSession::on_kill(std::string_view sql) {
    ++worker_.stats().session_statements;
    const auto request = parse_kill(sql);
    if (!request) {
        send_err({1235, "0A000",
                  "not supported: this form of KILL; shardgate takes KILL [CONNECTION | "
                  "QUERY] id with the connection id its handshake gave"});
        co_return co_await flush();
    }
    auto* target =
        worker_.context().worker_at ? worker_.context().worker_at(request->id >> 24) : nullptr;
    if (target == nullptr) {
        send_err({1094, "HY000", fmt::format("Unknown thread id: {}", request->id)});
        co_return co_await flush();
    }
    const auto outcome = co_await asio::co_spawn(
        target->io(), kill_session(*target, *request, user_), asio::use_awaitable);
    if (outcome.code != 0) {
        send_err({outcome.code, "HY000", outcome.message});
    } else {
        send_ok();
    }
    co_return co_await flush();
}

} // namespace shardgate::proxy::mysql
