// Writes that need several shards, engine-neutral: a multi-row INSERT whose rows belong to
// several shards (one INSERT per shard, router/insert_split), a write to a reference table
// (the same statement on every shard), an UPDATE / DELETE whose keys name several shards or
// that has no key condition (keyless_writes: broadcast). Each piece runs on its shard inside
// the client's transaction, or inside one the data plane opens for it (committed with
// two-phase commit, or rolled back when a piece fails), so the statement is all-or-nothing.
// The planes run one piece (RunPiece, reading its answer as the client would have seen it);
// this file runs the pieces in order and makes their one answer. docs/cross-shard-writes.md.
#pragma once

#include "common/scatter.hpp"
#include "shardgate/parser/dialect.hpp"
#include "shardgate/router/plan.hpp"
#include "shardgate/shardmaps/database.hpp"

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::proxy {

/// One shard's statement: `shard` indexes Plan::shards; `rows` are the client's VALUES rows
/// it carries (a split INSERT; empty otherwise).
struct WritePiece {
    std::size_t shard = 0;
    std::string sql;
    std::vector<std::uint32_t> params; ///< renumbered placeholders: client parameter of each
    std::vector<std::uint32_t> rows;
};

/// How one piece ended on its shard.
struct PieceAnswer {
    bool ok = false;
    ScatterFailure failure;
    std::string tag;                  ///< PostgreSQL: the CommandComplete tag
    std::uint64_t affected = 0;       ///< rows written (PostgreSQL: the tag's count)
    std::uint64_t last_insert_id = 0; ///< MySQL
    std::uint16_t warnings = 0;       ///< MySQL
    std::string description;          ///< the encoded row description (RETURNING)
    std::vector<std::string> rows;    ///< each returned row, encoded
};

/// The statement's one answer.
struct MultiWriteOutcome {
    bool ok = false;
    ScatterFailure failure; ///< the first failure, its message naming the shard
    std::string tag;        ///< PostgreSQL: the first piece's tag with the summed count
    std::uint64_t affected = 0;
    /// MySQL: the id generated for the statement's first row (its piece's last_insert_id), or
    /// else the first piece's that generated one.
    std::uint64_t last_insert_id = 0;
    std::uint16_t warnings = 0;
    std::string description;
    /// Returned rows: in the statement's row order when every piece returned one row per row
    /// it carries (INSERT ... RETURNING), else piece after piece.
    std::vector<std::string> rows;
};

using RunPiece = std::function<asio::awaitable<PieceAnswer>(std::size_t piece)>;

/// The pieces of `plan` for `sql`: one INSERT per shard for a split INSERT (nullopt when the
/// rows cannot be cut), else the statement itself on every shard of the plan. `renumber`:
/// PostgreSQL `$n` placeholders are renumbered per piece.
std::optional<std::vector<WritePiece>> write_pieces(const router::Plan& plan, std::string_view sql,
                                                    parser::Dialect dialect, parser::LexMode mode,
                                                    bool renumber);

/// Why `plan` cannot run as a multi-shard write (a message for a 0A000 error), or nullopt:
/// LIMIT on an UPDATE/DELETE of several shards, `db` forbids cross-shard transactions, not a
/// write at all.
std::optional<std::string> multi_write_refusal(const router::Plan& plan,
                                               const shardmaps::Database& db);

/// Whether `plan` is a write that needs several shards (scatter or broadcast, not DDL).
bool is_multi_write(const router::Plan& plan);

/// What `plan` is when shardgate must run it in parts of its own (a write of several shards,
/// generated keys, a key move, a COPY cut per shard), which a Query / COM_QUERY must then
/// carry alone: a description for the refusal, or nullopt.
std::optional<std::string> runs_alone(const router::Plan& plan);

/// Runs the pieces in order, stopping at the first failure. `copies`: every piece writes the
/// same rows (a reference table), so the answer is the first piece's.
asio::awaitable<MultiWriteOutcome> run_multi_write(const std::vector<WritePiece>& pieces,
                                                   const std::vector<std::string>& shard_names,
                                                   bool copies, const RunPiece& run);

/// A PostgreSQL command tag with its count replaced ("INSERT 0 3", 7 -> "INSERT 0 7").
std::string tag_with_count(std::string_view tag, std::uint64_t count);
/// The count at the end of a PostgreSQL command tag (0 when there is none).
std::uint64_t tag_count(std::string_view tag);

} // namespace shardgate::proxy
