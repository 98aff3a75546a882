// Reading keys out of MariaDB row-based binlog events: a TABLE_MAP event's column types and
// metadata give each column's size in a row image, so the values of chosen columns (the
// primary key) can be cut out of WRITE/UPDATE/DELETE_ROWS events. Pure: bytes in, values or an
// error out. Format: MariaDB "Rows events" and "TABLE_MAP_EVENT" in the replication protocol
// documentation. Used by `shardctl reshard` on MariaDB (docs/resharding.md).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace shardctl::binlog {

/// One column of a TABLE_MAP event: its binlog type code and type metadata.
struct Column {
    std::uint8_t type = 0;
    std::uint16_t meta = 0;   ///< as the server wrote it (2-byte metadata: first byte high)
    bool is_unsigned = false; ///< from the catalog (the event may not say)
};

/// The columns of a TABLE_MAP event from its type and metadata blocks; nullopt with `why`
/// when the metadata is short or a type is unknown.
std::optional<std::vector<Column>> columns(std::span<const std::uint8_t> types,
                                           std::span<const std::uint8_t> metadata,
                                           std::string& why);

/// A value cut out of a row image: nullopt for SQL NULL; integers as decimal text, strings and
/// binary values as their bytes.
using Value = std::optional<std::string>;

/// The rows of a ROWS event body (the part after the column bitmaps: per row a null bitmap and
/// the values), each as the values of the columns `wanted` (indexes into `table`). `update`:
/// every row is a before image followed by an after image, both returned. Every column must be
/// present in the images (binlog_row_image=FULL). nullopt with `why` when the bytes do not
/// match the table or a wanted column's type cannot be shown as text.
std::optional<std::vector<std::vector<Value>>> rows(const std::vector<Column>& table,
                                                    std::span<const std::uint8_t> body, bool update,
                                                    const std::vector<std::size_t>& wanted,
                                                    std::string& why);

/// Whether a key column of this type can be read by rows(): integers, (var)char/binary, DATE,
/// DATETIME and TIMESTAMP (as the server prints them; TIMESTAMP in UTC).
bool readable_key(const Column& column);

} // namespace shardctl::binlog
