// Helpers for parser tests.
#pragma once

#include "shardgate/parser/parser.hpp"

#include <gtest/gtest.h>

namespace shardgate::parser::test_support {

inline ParsedStatement parse_ok(std::string_view sql, Dialect dialect = Dialect::mysql) {
    auto r = parse(sql, dialect);
    EXPECT_TRUE(r.ok()) << sql << ": " << (r ? "" : r.error().message);
    return r ? std::move(r.value()) : ParsedStatement{};
}

inline std::string literal_text(const ParsedStatement& p, const ValueRef& v) {
    return v.literal < 0 ? std::string("<none>") : p.fingerprint.literals[v.literal].text;
}

} // namespace shardgate::parser::test_support
