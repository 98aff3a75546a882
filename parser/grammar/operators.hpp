// X3 primitives for prefix and binary operators (some span two or three tokens).
#pragma once

#include "tokens.hpp"

namespace shardgate::parser::grammar {

/// Reads the operator starting at `it`; returns the number of tokens it spans (0: none).
/// `arithmetic_only` excludes logical and comparison operators (BETWEEN bounds).
std::size_t read_binary_op(Iterator it, bool arithmetic_only, ast::BinaryOp& op);
std::size_t read_prefix_op(Iterator it, ast::PrefixOp& op);

struct BinaryOpParser : x3::parser<BinaryOpParser> {
    using attribute_type = ast::BinaryOp;
    static const bool has_attribute = true;
    constexpr explicit BinaryOpParser(bool arith) : arithmetic_only(arith) {}
    template <class It, class Ctx, class RCtx, class Attr>
    bool parse(It& first, It const&, Ctx const&, RCtx&, Attr& attr) const {
        ast::BinaryOp value{};
        const std::size_t n = step(first) ? read_binary_op(first, arithmetic_only, value) : 0;
        if (n == 0) {
            return false;
        }
        first += static_cast<std::ptrdiff_t>(n);
        x3::traits::move_to(value, attr);
        return true;
    }
    bool arithmetic_only;
};

struct PrefixOpParser : x3::parser<PrefixOpParser> {
    using attribute_type = ast::PrefixOp;
    static const bool has_attribute = true;
    template <class It, class Ctx, class RCtx, class Attr>
    bool parse(It& first, It const&, Ctx const&, RCtx&, Attr& attr) const {
        ast::PrefixOp value{};
        const std::size_t n = step(first) ? read_prefix_op(first, value) : 0;
        if (n == 0) {
            return false;
        }
        first += static_cast<std::ptrdiff_t>(n);
        x3::traits::move_to(value, attr);
        return true;
    }
};

inline constexpr BinaryOpParser binary_op{false};
inline constexpr BinaryOpParser arithmetic_op{true};
inline constexpr PrefixOpParser prefix_op{};

} // namespace shardgate::parser::grammar
