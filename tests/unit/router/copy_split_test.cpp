// COPY FROM STDIN cut per shard: options read from the statement, rows cut from data that
// arrives in arbitrary pieces (text, CSV, binary), key fields decoded.
#include "shardgate/router/copy_split.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate::router;

struct Cut {
    std::vector<std::string> rows;
    std::vector<std::optional<std::string>> keys;
    std::vector<std::string> shared;
};

/// Feeds `data` one byte at a time (every boundary a CopyData message could have).
Cut cut(const CopySpec& spec, std::size_t key_field, std::string_view data, bool text_key = false,
        bool bytewise = true) {
    CopySplitter splitter(spec, key_field, text_key);
    Cut out;
    const auto on_piece = [&](const CopySplitter::Piece& piece) {
        if (piece.shared) {
            out.shared.emplace_back(piece.bytes);
        } else {
            out.rows.emplace_back(piece.bytes);
            out.keys.push_back(piece.key);
        }
    };
    if (bytewise) {
        for (const char c : data) {
            EXPECT_TRUE(splitter.feed(std::string_view(&c, 1), on_piece)) << splitter.error();
        }
    } else {
        EXPECT_TRUE(splitter.feed(data, on_piece)) << splitter.error();
    }
    EXPECT_TRUE(splitter.finish(on_piece)) << splitter.error();
    return out;
}

CopySpec spec_of(std::string_view sql) {
    std::string error;
    auto spec = parse_copy_from(sql, error);
    EXPECT_TRUE(spec) << error;
    return spec.value_or(CopySpec{});
}

TEST(CopySplit, ReadsColumnsAndBothOptionForms) {
    auto spec = spec_of("COPY public.t (id, \"Name\", v) FROM STDIN WITH (FORMAT csv, HEADER true, "
                        "DELIMITER ';', NULL 'nil', QUOTE '''')");
    EXPECT_EQ(spec.columns, (std::vector<std::string>{"id", "Name", "v"}));
    EXPECT_EQ(spec.format, CopySpec::Format::csv);
    EXPECT_TRUE(spec.header);
    EXPECT_EQ(spec.delimiter, ';');
    EXPECT_EQ(spec.null_string, "nil");
    EXPECT_EQ(spec.quote, '\'');
    EXPECT_EQ(spec.escape, '\''); // CSV: the quote unless set
    spec = spec_of("COPY t (id) FROM stdin WITH CSV HEADER DELIMITER AS '|' ESCAPE '\\'");
    EXPECT_EQ(spec.format, CopySpec::Format::csv);
    EXPECT_TRUE(spec.header);
    EXPECT_EQ(spec.delimiter, '|');
    EXPECT_EQ(spec.escape, '\\');
    EXPECT_EQ(spec.null_string, "");
    spec = spec_of("COPY t FROM STDIN");
    EXPECT_TRUE(spec.columns.empty());
    EXPECT_EQ(spec.delimiter, '\t');
    EXPECT_EQ(spec.null_string, "\\N");
    EXPECT_EQ(spec_of("COPY t (id) FROM STDIN (FORMAT binary)").format, CopySpec::Format::binary);

    std::string error;
    EXPECT_FALSE(parse_copy_from("COPY t FROM '/tmp/file.csv'", error));
    EXPECT_NE(error.find("STDIN"), std::string::npos) << error;
    EXPECT_FALSE(parse_copy_from("COPY t FROM STDIN (DELIMITER 'ab')", error));
    EXPECT_FALSE(parse_copy_from("COPY t FROM STDIN (ON_ERROR ignore)", error));
}

TEST(CopySplit, TextRowsAcrossMessagesWithEscapesAndEndMarker) {
    CopySpec spec;
    const auto out =
        cut(spec, 1, "a\t1\tx\nb\\\tc\t\\x32\\062\ty\\\nz\n\\N\t\\N\t-\r\nq\t7\n\\.\nignored\t9\n");
    ASSERT_EQ(out.rows.size(), 4u);
    EXPECT_EQ(out.rows[0], "a\t1\tx\n");
    EXPECT_EQ(out.rows[1], "b\\\tc\t\\x32\\062\ty\\\nz\n"); // escaped tab and newline stay in it
    EXPECT_EQ(out.keys[0], "1");
    EXPECT_EQ(out.keys[1], "22");
    EXPECT_EQ(out.keys[2], std::nullopt); // \N
    EXPECT_EQ(out.keys[3], "7");
    EXPECT_TRUE(out.shared.empty());
}

TEST(CopySplit, CsvQuotesHeaderAndALastLineWithoutNewline) {
    CopySpec spec;
    spec.format = CopySpec::Format::csv;
    spec.delimiter = ',';
    spec.null_string = "";
    spec.header = true;
    const auto out = cut(spec, 0, "id,v\n\"1\"\"0\",\"a,\nb\"\n,x\n\"\",y\n42,\"last\"");
    ASSERT_EQ(out.shared, std::vector<std::string>{"id,v\n"});
    ASSERT_EQ(out.rows.size(), 4u);
    EXPECT_EQ(out.rows[0], "\"1\"\"0\",\"a,\nb\"\n");
    EXPECT_EQ(out.keys[0], "1\"0");
    EXPECT_EQ(out.keys[1], std::nullopt); // unquoted empty: NULL
    EXPECT_EQ(out.keys[2], "");           // quoted empty: an empty string
    EXPECT_EQ(out.rows[3], "42,\"last\"");
    EXPECT_EQ(out.keys[3], "42");
}

TEST(CopySplit, BinaryHeaderRowsAndTrailer) {
    CopySpec spec;
    spec.format = CopySpec::Format::binary;
    std::string data("PGCOPY\n\377\r\n\0", 11);
    data += std::string("\0\0\0\0\0\0\0\0", 8); // flags, no extension
    const std::string header = data;
    auto row = [](std::int64_t key, std::string_view text) {
        std::string r("\0\2", 2);
        r += std::string("\0\0\0\x08", 4);
        for (int shift = 56; shift >= 0; shift -= 8) {
            r += static_cast<char>((static_cast<std::uint64_t>(key) >> shift) & 0xff);
        }
        r += std::string("\0\0\0", 3) + static_cast<char>(text.size());
        r += text;
        return r;
    };
    data += row(-5, "neg") + row(70000, "big");
    data += std::string("\xff\xff", 2);
    const auto out = cut(spec, 0, data);
    EXPECT_EQ(out.shared, std::vector<std::string>{header});
    ASSERT_EQ(out.rows.size(), 2u);
    EXPECT_EQ(out.rows[1], row(70000, "big"));
    EXPECT_EQ(out.keys[0], "-5");
    EXPECT_EQ(out.keys[1], "70000");
}

TEST(CopySplit, MalformedDataIsAnError) {
    CopySpec spec;
    CopySplitter splitter(spec, 3, false);
    const auto none = [](const CopySplitter::Piece&) {};
    EXPECT_FALSE(splitter.feed("a\tb\n", none)); // no field 4
    EXPECT_NE(splitter.error().find("field 4"), std::string::npos) << splitter.error();
    CopySpec csv;
    csv.format = CopySpec::Format::csv;
    csv.delimiter = ',';
    csv.null_string = "";
    CopySplitter open_quote(csv, 0, false);
    EXPECT_TRUE(open_quote.feed("\"1,2\n", none));
    EXPECT_FALSE(open_quote.finish(none));
}

} // namespace
