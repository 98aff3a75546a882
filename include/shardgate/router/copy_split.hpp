// COPY ... FROM STDIN into a sharded table, cut per shard: the statement's column list and
// options (read from its tokens), and a streaming splitter that cuts the client's COPY data
// into rows (text, CSV and binary formats, rows spanning CopyData messages) and reads each
// row's key field. Rows are passed on byte for byte; what every shard's stream needs (a CSV
// HEADER line, the binary header and trailer) is reported separately. docs/cross-shard-writes.md.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::router {

/// The column list and the options of `COPY table [(columns)] FROM STDIN [options]`.
struct CopySpec {
    enum class Format : std::uint8_t { text, csv, binary };
    Format format = Format::text;
    std::vector<std::string> columns; ///< as the server reads them (unquoted folded to lower)
    char delimiter = '\t';
    std::string null_string = "\\N";
    char quote = '"';
    char escape = '"';
    bool header = false;
};

/// Reads the column list and options (both the `WITH (FORMAT csv, ...)` and the older
/// `WITH CSV HEADER ...` forms). nullopt with `error` set when the statement is not a COPY FROM
/// STDIN shardgate can split (FROM a file or program, an option it does not know, a multi-byte
/// delimiter).
std::optional<CopySpec> parse_copy_from(std::string_view sql, std::string& error);
/// The same for `from` false: `COPY table [(columns)] TO STDOUT` or `COPY (query) TO STDOUT`.
std::optional<CopySpec> parse_copy(std::string_view sql, bool from, std::string& error);

/// Cuts COPY data into rows as it arrives.
class CopySplitter {
public:
    /// What the splitter found: a row (its bytes, and its key field decoded; nullopt for
    /// NULL), or bytes every shard's stream needs (`shared`: a CSV header line, the binary
    /// header; the binary trailer is not reported: each shard's stream gets its own).
    struct Piece {
        std::string_view bytes;
        std::optional<std::string> key;
        bool shared = false;
    };
    using OnPiece = std::function<void(const Piece&)>;

    /// `key_field`: the 0-based field of the key in each row. Binary keys are read as
    /// integers (2, 4 or 8 bytes) or, for `text_key`, as text.
    CopySplitter(CopySpec spec, std::size_t key_field, bool text_key);

    /// Feeds the next bytes; calls `on_piece` for every complete row. False (see error()) when
    /// the data is malformed.
    bool feed(std::string_view data, const OnPiece& on_piece);
    /// The end of the data: a last row without a line end is a row. False when data is left
    /// that is not a whole row.
    bool finish(const OnPiece& on_piece);
    const std::string& error() const { return error_; }
    std::uint64_t rows() const { return rows_; }

private:
    /// The length of the complete row at the start of `data`, or 0 when it is incomplete;
    /// the key field decoded into `key`.
    std::size_t text_row(std::string_view data, bool at_end, std::optional<std::string>& key,
                         bool& bad);
    std::size_t binary_row(std::string_view data, std::optional<std::string>& key, bool& bad);

    CopySpec spec_;
    std::size_t key_field_;
    bool text_key_;
    std::string pending_;
    bool started_ = false; ///< the header (CSV HEADER line, binary header) was read
    bool ended_ = false;   ///< the text end marker `\.` or the binary trailer was read
    std::uint64_t rows_ = 0;
    std::string error_;
};

} // namespace shardgate::router
