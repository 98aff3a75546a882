// Moving rows whose shard key an UPDATE changes (see key_move.hpp).
#include "common/key_move.hpp"

namespace shardgate::proxy {

namespace {

std::string identifier(shardmaps::Engine engine, std::string_view name) {
    return shardmaps::quoted_identifier(engine, name);
}

ScatterFailure on_shard(const ScatterFailure& failure, const std::string& shard) {
    return {failure.sqlstate, "shard " + shard + ": " + failure.message, failure.code};
}

} // namespace

std::string value_literal(shardmaps::Engine engine, const std::optional<std::string>& value,
                          bool binary, bool backslash_escapes) {
    if (!value) {
        return "NULL";
    }
    const bool mysql = engine == shardmaps::Engine::mysql;
    std::string out = mysql && binary ? "_binary'" : "'";
    for (const char c : *value) {
        if (c == '\'') {
            out += "''";
        } else if (mysql && backslash_escapes && c == '\\') {
            out += "\\\\";
        } else if (mysql && backslash_escapes && c == '\0') {
            out += "\\0";
        } else {
            out += c;
        }
    }
    out += '\'';
    return out;
}

asio::awaitable<MultiWriteOutcome> run_key_move(const router::Plan& plan, std::string_view sql,
                                                shardmaps::Engine engine, bool backslash_escapes,
                                                const RunOnShard& run) {
    const auto& move = *plan.key_move;
    const auto key =
        move.text_key ? value_literal(engine, move.key, false, backslash_escapes) : move.key;
    const auto where = " FROM " + move.table + " WHERE " + identifier(engine, move.column) + " = " +
                       key + move.key_cast;
    MultiWriteOutcome outcome;
    // The new key's shard first: rows moved there later must not meet the UPDATE again.
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < plan.shards.size(); ++i) {
        if (plan.shards[i] == move.shard) {
            order.insert(order.begin(), i);
        } else {
            order.push_back(i);
        }
    }
    for (const auto i : order) {
        const auto shard = plan.shards[i];
        const auto& name = plan.shard_names[i];
        // The UPDATE where the rows are: they take the new key (and the other assignments).
        auto updated = co_await run(shard, std::string(sql));
        if (!updated.ok) {
            outcome.failure = on_shard(updated.failure, name);
            co_return outcome;
        }
        outcome.affected += updated.affected;
        if (shard == move.shard || updated.affected == 0) {
            continue; // on the new key's shard already, or nothing matched
        }
        // Read the rows with their new values, delete them, insert them where they belong.
        auto read = co_await run(shard, "SELECT *" + where + " FOR UPDATE");
        if (!read.ok) {
            outcome.failure = on_shard(read.failure, name);
            co_return outcome;
        }
        if (read.rows.size() != updated.affected) {
            // The column stores the new key as another value than the text (MariaDB cuts
            // fractional seconds DATETIME(p) does not keep): leaving the rows would strand them.
            outcome.failure = ScatterFailure{
                "0A000",
                "shard " + name + ": the " + std::to_string(updated.affected) +
                    " rows this UPDATE changed were not found again by their new key " + key +
                    " (" + std::to_string(read.rows.size()) +
                    " found: the column stores another value than the text written, such as "
                    "fewer fractional digits of a second, or the comparison also matches other "
                    "rows there, such as a case-insensitive or PAD SPACE collation); nothing "
                    "was moved, write the key as the column stores it",
                1235};
            co_return outcome;
        }
        auto deleted = co_await run(shard, "DELETE" + where);
        if (!deleted.ok || deleted.affected != read.rows.size()) {
            outcome.failure =
                deleted.ok ? ScatterFailure{"40001",
                                            "the rows to move changed while they were moved", 1213}
                           : on_shard(deleted.failure, name);
            co_return outcome;
        }
        if (read.rows.empty()) {
            continue;
        }
        std::string insert = "INSERT INTO " + move.table + " (";
        for (std::size_t c = 0; c < read.columns.size(); ++c) {
            insert += (c > 0 ? ", " : "") + identifier(engine, read.columns[c]);
        }
        insert += engine == shardmaps::Engine::postgresql ? ") OVERRIDING SYSTEM VALUE VALUES "
                                                          : ") VALUES ";
        for (std::size_t r = 0; r < read.rows.size(); ++r) {
            insert += r > 0 ? ", (" : "(";
            for (std::size_t c = 0; c < read.rows[r].size(); ++c) {
                const bool binary = c < read.binary.size() && read.binary[c];
                insert += (c > 0 ? ", " : "") +
                          value_literal(engine, read.rows[r][c], binary, backslash_escapes);
            }
            insert += ')';
        }
        auto inserted = co_await run(move.shard, insert);
        if (!inserted.ok) {
            outcome.failure = on_shard(inserted.failure, move.shard_name);
            co_return outcome;
        }
    }
    outcome.ok = true;
    outcome.tag = "UPDATE " + std::to_string(outcome.affected);
    co_return outcome;
}

} // namespace shardgate::proxy
