// Generated keys from block-allocated counters (see generated_ids.hpp).
#include "common/generated_ids.hpp"

#include "shardgate/router/insert_split.hpp"

#include <charconv>
#include <deque>
#include <map>
#include <mutex>

namespace shardgate::proxy {

namespace {

/// Ids this process took and has not handed out: [next, end) ranges, oldest first.
struct Range {
    std::int64_t next = 0;
    std::int64_t end = 0;
};

struct Blocks {
    std::mutex mutex;
    std::map<std::string, std::deque<Range>, std::less<>> counters;
};

Blocks& blocks() {
    static Blocks all;
    return all;
}

/// Hands out up to `wanted` ids of `ranges` into `out`.
void hand_out(std::deque<Range>& ranges, std::size_t wanted, std::vector<std::int64_t>& out) {
    while (out.size() < wanted && !ranges.empty()) {
        auto& range = ranges.front();
        while (out.size() < wanted && range.next < range.end) {
            out.push_back(range.next++);
        }
        if (range.next >= range.end) {
            ranges.pop_front();
        }
    }
}

TwoPhaseEngine two_phase_engine(shardmaps::Engine engine) {
    return engine == shardmaps::Engine::postgresql ? TwoPhaseEngine::postgresql
                                                   : TwoPhaseEngine::mysql;
}

/// The new next value a take_block_statement produced.
std::optional<std::int64_t> produced_value(shardmaps::Engine engine, const StepResult& step) {
    if (engine == shardmaps::Engine::mysql) {
        return step.last_insert_id > 0
                   ? std::optional(static_cast<std::int64_t>(step.last_insert_id))
                   : std::nullopt;
    }
    if (!step.first_value) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    const auto& text = *step.first_value;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

/// The counter table does not exist yet.
bool missing_table(const StepResult& step) {
    return step.sqlstate == "42P01" || step.sqlstate == "42S02" || step.sqlstate == "3F000" ||
           step.message.find("(1049)") != std::string::npos;
}

} // namespace

std::vector<std::string> id_table_statements(shardmaps::Engine engine) {
    if (engine == shardmaps::Engine::postgresql) {
        return {"CREATE SCHEMA IF NOT EXISTS shardgate",
                "CREATE TABLE IF NOT EXISTS shardgate.id_blocks (name text PRIMARY KEY, "
                "next_value bigint NOT NULL)"};
    }
    return {"CREATE DATABASE IF NOT EXISTS shardgate",
            "CREATE TABLE IF NOT EXISTS shardgate.id_blocks (name VARCHAR(190) NOT NULL PRIMARY "
            "KEY, next_value BIGINT NOT NULL) ENGINE=InnoDB"};
}

std::string take_block_statement(shardmaps::Engine engine, const std::string& name,
                                 std::uint64_t count, std::int64_t start) {
    const auto literal = sql_literal(two_phase_engine(engine), name);
    const auto n = std::to_string(count);
    const auto first = std::to_string(start);
    if (engine == shardmaps::Engine::postgresql) {
        // GREATEST: a start raised in the map later moves the counter up to it.
        return "INSERT INTO shardgate.id_blocks AS b (name, next_value) VALUES (" + literal + ", " +
               first + " + " + n + ") ON CONFLICT (name) DO UPDATE SET next_value = GREATEST(" +
               "b.next_value, " + first + ") + " + n + " RETURNING next_value";
    }
    // LAST_INSERT_ID(expr) puts the new value into the OK packet.
    return "INSERT INTO shardgate.id_blocks (name, next_value) VALUES (" + literal +
           ", LAST_INSERT_ID(" + first + " + " + n +
           ")) ON DUPLICATE KEY UPDATE next_value = LAST_INSERT_ID(GREATEST(next_value, " + first +
           ") + " + n + ")";
}

asio::awaitable<TakenIds> take_ids(shardmaps::Engine engine, const std::string& server,
                                   const std::string& database, const router::GeneratedKeys& keys,
                                   const RunCounter& run) {
    const std::string name = database + "." + keys.sequence;
    const std::string key = server + "/" + name;
    TakenIds taken;
    auto& all = blocks();
    {
        const std::lock_guard lock(all.mutex);
        hand_out(all.counters[key], keys.count, taken.ids);
    }
    while (taken.ids.size() < keys.count) {
        // Whole blocks, enough for the rest of this statement.
        const std::uint64_t missing = keys.count - taken.ids.size();
        const std::uint64_t block = std::max<std::uint64_t>(keys.block, 1);
        const std::uint64_t count = (missing + block - 1) / block * block;
        const auto statement = take_block_statement(engine, name, count, keys.start);
        auto step = co_await run(statement);
        if (!step.ok && !step.lost && missing_table(step)) {
            for (const auto& create : id_table_statements(engine)) {
                const auto created = co_await run(create);
                if (created.lost) {
                    step = created;
                    break;
                }
            }
            if (!step.lost) {
                step = co_await run(statement);
            }
        }
        const auto value = step.ok ? produced_value(engine, step) : std::nullopt;
        if (!value) {
            taken.sqlstate = step.lost ? "08006" : step.sqlstate.empty() ? "XX000" : step.sqlstate;
            taken.message =
                "shardgate could not take ids of counter " + keys.sequence +
                " (the generated key of " + keys.table + ") on its shard: " +
                (step.message.empty() ? std::string("no value returned") : step.message);
            taken.ids.clear();
            co_return taken;
        }
        const std::lock_guard lock(all.mutex);
        auto& ranges = all.counters[key];
        ranges.push_back({*value - static_cast<std::int64_t>(count), *value});
        hand_out(ranges, keys.count, taken.ids);
    }
    co_return taken;
}

asio::awaitable<FilledInsert>
fill_generated_keys(router::Planner& planner, const router::Plan& plan, std::string_view sql,
                    const router::RouteContext& context, const shardmaps::Database& db,
                    const std::string& server, const RunCounter& run) {
    FilledInsert filled;
    const auto& keys = *plan.generated_keys;
    const auto taken = co_await take_ids(db.engine(), server, db.name(), keys, run);
    if (!taken.ok()) {
        filled.sqlstate = taken.sqlstate;
        filled.message = taken.message;
        co_return filled;
    }
    const auto dialect =
        db.engine() == shardmaps::Engine::mysql ? parser::Dialect::mysql : parser::Dialect::pg;
    auto text = router::fill_keys(sql, dialect, context.lex_mode, keys.column, keys.column_index,
                                  taken.ids);
    if (!text) {
        filled.sqlstate = "0A000";
        filled.message = "not supported yet: shardgate cannot write the generated key of " +
                         keys.table + " into this INSERT; name the columns and use VALUES rows";
        co_return filled;
    }
    filled.sql = std::move(*text);
    filled.ids = taken.ids;
    filled.plan = planner.route(filled.sql, context);
    if (filled.plan.generated_keys || filled.plan.kind == router::PlanKind::reject) {
        filled.sqlstate = filled.plan.sqlstate.empty() ? "0A000" : filled.plan.sqlstate;
        filled.message = filled.plan.reason;
    }
    co_return filled;
}

} // namespace shardgate::proxy
