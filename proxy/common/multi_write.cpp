// Writes that need several shards (see multi_write.hpp and docs/cross-shard-writes.md).
#include "common/multi_write.hpp"

#include "shardgate/router/insert_split.hpp"

#include <charconv>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace shardgate::proxy {

bool is_multi_write(const router::Plan& plan) {
    using parser::StatementKind;
    const auto kind = plan.statement;
    const bool writes = kind == StatementKind::insert || kind == StatementKind::replace ||
                        kind == StatementKind::update || kind == StatementKind::delete_;
    return plan.is_write && writes && plan.shards.size() > 1 && !plan.merge.split_copy_rows &&
           (plan.kind == router::PlanKind::scatter || plan.kind == router::PlanKind::broadcast);
}

std::optional<std::string> runs_alone(const router::Plan& plan) {
    if (plan.generated_keys) {
        return std::string("a statement whose key shardgate generates");
    }
    if (plan.key_move) {
        return std::string("an UPDATE that moves rows to another shard");
    }
    if (plan.merge.split_copy_rows) {
        return std::string("COPY into a sharded table");
    }
    if (is_multi_write(plan)) {
        return std::string("a write that needs several shards");
    }
    return std::nullopt;
}

std::optional<std::string> multi_write_refusal(const router::Plan& plan,
                                               const shardmaps::Database& db) {
    if (!is_multi_write(plan)) {
        return fmt::format("internal: {} is not a write on several shards",
                           router::plan_kind_name(plan.kind));
    }
    if (db.settings().cross_shard_transactions == shardmaps::CrossShardTransactions::reject) {
        return fmt::format("this write needs {} shards ({}), and database '{}' sets "
                           "cross_shard_transactions: reject",
                           plan.shards.size(), fmt::join(plan.shard_names, ", "), db.name());
    }
    if (plan.merge.has_limit && !plan.merge.split_insert_rows) {
        return std::string("not supported yet: UPDATE / DELETE with LIMIT on several shards (each "
                           "shard would apply its own LIMIT); add a shard-key condition");
    }
    return std::nullopt;
}

std::optional<std::vector<WritePiece>> write_pieces(const router::Plan& plan, std::string_view sql,
                                                    parser::Dialect dialect, parser::LexMode mode,
                                                    bool renumber) {
    std::vector<WritePiece> pieces;
    if (!plan.merge.split_insert_rows) {
        for (std::size_t i = 0; i < plan.shards.size(); ++i) {
            pieces.push_back({i, std::string(sql), {}, {}});
        }
        return pieces;
    }
    auto split = router::split_insert(sql, dialect, mode, plan.merge.insert_row_shards,
                                      static_cast<std::uint32_t>(plan.shards.size()), renumber);
    if (!split) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < split->size(); ++i) {
        auto& one = (*split)[i];
        if (!one.rows.empty()) {
            pieces.push_back({i, std::move(one.sql), std::move(one.params), std::move(one.rows)});
        }
    }
    return pieces;
}

std::uint64_t tag_count(std::string_view tag) {
    const auto space = tag.rfind(' ');
    const auto digits = space == std::string_view::npos ? tag : tag.substr(space + 1);
    std::uint64_t count = 0;
    const auto parsed = std::from_chars(digits.data(), digits.data() + digits.size(), count);
    return parsed.ec == std::errc() && parsed.ptr == digits.data() + digits.size() ? count : 0;
}

std::string tag_with_count(std::string_view tag, std::uint64_t count) {
    const auto space = tag.rfind(' ');
    if (space == std::string_view::npos ||
        tag.find_first_not_of("0123456789", space + 1) != std::string_view::npos) {
        return std::string(tag); // no count in it: CREATE TABLE, ALTER TABLE
    }
    return fmt::format("{} {}", tag.substr(0, space), count);
}

asio::awaitable<MultiWriteOutcome> run_multi_write(const std::vector<WritePiece>& pieces,
                                                   const std::vector<std::string>& shard_names,
                                                   bool copies, const RunPiece& run) {
    MultiWriteOutcome out;
    std::vector<PieceAnswer> answers;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        auto answer = co_await run(i);
        if (!answer.ok) {
            out.failure = std::move(answer.failure);
            out.failure.message =
                fmt::format("shard {}: {}", shard_names[pieces[i].shard], out.failure.message);
            co_return out;
        }
        out.affected += answer.affected;
        out.warnings = static_cast<std::uint16_t>(out.warnings + answer.warnings);
        if (out.tag.empty()) {
            out.tag = answer.tag;
        }
        if (out.description.empty()) {
            out.description = answer.description;
        }
        answers.push_back(std::move(answer));
    }
    if (copies) { // every shard wrote the same rows: the answer is one shard's
        out.affected = answers.front().affected;
        out.warnings = answers.front().warnings;
        answers.resize(1);
    }
    // last_insert_id: the piece carrying row 0 first, then the others in order.
    for (std::size_t i = 0; i < answers.size() && out.last_insert_id == 0; ++i) {
        if (!pieces[i].rows.empty() && pieces[i].rows.front() == 0) {
            out.last_insert_id = answers[i].last_insert_id;
        }
    }
    for (std::size_t i = 0; i < answers.size() && out.last_insert_id == 0; ++i) {
        out.last_insert_id = answers[i].last_insert_id;
    }
    out.tag = tag_with_count(out.tag, out.affected);
    // RETURNING rows in the statement's row order when each piece returned one per row.
    bool one_per_row = true;
    std::size_t total = 0;
    for (std::size_t i = 0; i < answers.size(); ++i) {
        one_per_row = one_per_row && !pieces[i].rows.empty() &&
                      answers[i].rows.size() == pieces[i].rows.size();
        total += answers[i].rows.size();
    }
    if (one_per_row) { // the pieces' rows are a permutation of 0 .. total-1
        out.rows.resize(total);
        for (std::size_t i = 0; i < answers.size(); ++i) {
            for (std::size_t r = 0; r < pieces[i].rows.size(); ++r) {
                out.rows[pieces[i].rows[r]] = std::move(answers[i].rows[r]);
            }
        }
    } else {
        for (auto& answer : answers) {
            for (auto& row : answer.rows) {
                out.rows.push_back(std::move(row));
            }
        }
    }
    out.ok = true;
    co_return out;
}

} // namespace shardgate::proxy
