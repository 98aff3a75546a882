// A multi-row INSERT whose rows belong to several shards, cut into one INSERT per shard. The
// rows are copied byte for byte from the client's statement (literals, escapes, E'' strings,
// hex literals, DEFAULT, expressions stay exactly as written); what comes before the VALUES
// rows (INSERT INTO t (cols), comments, hints) and after them (ON CONFLICT, ON DUPLICATE KEY
// UPDATE, RETURNING) goes to every shard. PostgreSQL `$n` placeholders are renumbered per
// shard, with the client's parameter each one stands for.
#pragma once

#include "shardgate/parser/dialect.hpp"
#include "shardgate/parser/token.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::router {

/// One shard's INSERT: its text, the client's (0-based) parameter behind each of its
/// placeholders in order (`$1` is params[0]), and the client's row numbers it carries.
struct ShardInsert {
    std::string sql;
    std::vector<std::uint32_t> params;
    std::vector<std::uint32_t> rows;
};

/// Splits `sql` (an INSERT ... VALUES with `row_pieces.size()` rows): row i goes to piece
/// row_pieces[i] (0 .. pieces-1). nullopt when the statement's VALUES rows cannot be found or
/// are not `row_pieces.size()` (the caller refuses the statement). `renumber`: rewrite `$n`
/// placeholders (PostgreSQL extended protocol); MySQL `?` need no renumbering.
std::optional<std::vector<ShardInsert>> split_insert(std::string_view sql, parser::Dialect dialect,
                                                     parser::LexMode mode,
                                                     const std::vector<std::uint32_t>& row_pieces,
                                                     std::uint32_t pieces, bool renumber);

/// `sql` (an INSERT ... VALUES, or PostgreSQL's INSERT ... DEFAULT VALUES) with generated
/// keys filled in, taken from `ids` in row order: when the column list does not name the key
/// (`column_index` < 0), `column` is added to it and an id to every row; otherwise each row
/// whose key is DEFAULT gets an id. Everything else stays byte for byte, placeholders too.
/// nullopt when the statement does not have that shape (no column list, INSERT ... SET) or
/// `ids` does not have one id per row that needs one.
std::optional<std::string> fill_keys(std::string_view sql, parser::Dialect dialect,
                                     parser::LexMode mode, std::string_view column,
                                     std::int32_t column_index,
                                     const std::vector<std::int64_t>& ids);

} // namespace shardgate::router
