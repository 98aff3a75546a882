// The extended protocol's Bind parameters written into a statement's text (shadow reads of
// prepared statements): text values as string constants, NULL, binary integers of declared
// int2/int4/int8 parameters; $n inside strings, comments and dollar quotes left alone.
#include "pg/inline_parameters.hpp"

#include <cstddef>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace {

using namespace shardgate::proxy::pg;
namespace ppg = shardgate::protocol::pg;

/// Keeps the bytes a Bind's views point to.
struct BindFixture {
    std::vector<std::string> values;
    ppg::Bind bind;
    BindFixture(std::vector<std::optional<std::string>> texts, std::vector<ppg::FormatCode> formats)
        : values(texts.size()) {
        bind.parameter_formats = std::move(formats);
        for (std::size_t i = 0; i < texts.size(); ++i) {
            if (!texts[i]) {
                bind.parameters.emplace_back(std::nullopt);
                continue;
            }
            values[i] = *texts[i];
            bind.parameters.emplace_back(ppg::ByteView(
                reinterpret_cast<const std::byte*>(values[i].data()), values[i].size()));
        }
    }
};

TEST(PgInlineParameters, TextValuesNullAndBinaryIntegers) {
    const BindFixture text({"7", "it's", std::nullopt}, {});
    EXPECT_EQ(
        inline_parameters("SELECT id FROM t WHERE id = $1 AND note = $2 OR x IS $3", {}, text.bind),
        "SELECT id FROM t WHERE id = '7' AND note = 'it''s' OR x IS NULL");
    // the same parameter twice, and out of order
    EXPECT_EQ(inline_parameters("SELECT $2, $1, $2", {}, text.bind),
              "SELECT 'it''s', '7', 'it''s'");
    const BindFixture binary({std::string("\x00\x00\x00\x00\x00\x00\x01\x00", 8)},
                             {ppg::FormatCode::binary});
    EXPECT_EQ(inline_parameters("SELECT * FROM t WHERE id = $1", {20}, binary.bind),
              "SELECT * FROM t WHERE id = (256)");
    // a binary value of another (or an undeclared) type has no literal here
    EXPECT_FALSE(inline_parameters("SELECT * FROM t WHERE x = $1", {701}, binary.bind));
    EXPECT_FALSE(inline_parameters("SELECT * FROM t WHERE x = $1", {}, binary.bind));
    // more placeholders than parameters
    EXPECT_FALSE(inline_parameters("SELECT $4", {}, text.bind));
}

TEST(PgInlineParameters, BackslashesAndNegativeIntegers) {
    // E'' whatever standard_conforming_strings is: the backslash stays one backslash
    const BindFixture text({"a\\b'c", "plain"}, {});
    EXPECT_EQ(inline_parameters("SELECT $1, $2", {}, text.bind), "SELECT E'a\\\\b''c', 'plain'");
    // a negative binary int8 right after a minus sign stays an expression, not a comment
    const BindFixture binary({std::string("\xff\xff\xff\xff\xff\xff\xff\xfe", 8)},
                             {ppg::FormatCode::binary});
    EXPECT_EQ(inline_parameters("SELECT x-$1 FROM t", {20}, binary.bind), "SELECT x-(-2) FROM t");
}

TEST(PgInlineParameters, PlaceholdersOnlyOutsideStringsAndComments) {
    const BindFixture text({"a"}, {});
    EXPECT_EQ(inline_parameters("SELECT '$1', $$ $1 $$, $1 -- $1\n /* $1 */", {}, text.bind),
              "SELECT '$1', $$ $1 $$, 'a' -- $1\n /* $1 */");
}

} // namespace
