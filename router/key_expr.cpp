// Key expressions: the part of a WHERE/ON tree that constrains one table's shard key.
#include "router/analyze.hpp"
#include "router/names.hpp"

#include <algorithm>

namespace shardgate::router {
namespace {

class KeyExprBuilder {
public:
    KeyExprBuilder(const parser::StatementFacts& facts, const parser::TableRef& table,
                   const std::string& key_column, bool only_table_in_scope, const NameRules& names)
        : facts_(facts), table_(table), key_column_(key_column), only_table_(only_table_in_scope),
          names_(names) {}

    /// Returns the node index, or -1 for "unrestricted".
    std::int32_t build(std::int32_t predicate) {
        if (predicate < 0 || static_cast<std::size_t>(predicate) >= facts_.predicates.size()) {
            return -1;
        }
        const auto& node = facts_.predicates[predicate];
        switch (node.kind) {
        case parser::PredicateNode::Kind::and_:
            return build_and(node);
        case parser::PredicateNode::Kind::or_:
            return build_or(node);
        case parser::PredicateNode::Kind::comparison:
            return build_term(node.comparison);
        case parser::PredicateNode::Kind::opaque:
            return -1;
        }
        return -1;
    }

    KeyExpr take(std::int32_t root) {
        expr_.root = root;
        return std::move(expr_);
    }

private:
    std::int32_t build_and(const parser::PredicateNode& node) {
        std::vector<std::uint32_t> kept;
        for (auto child : node.children) {
            if (auto built = build(static_cast<std::int32_t>(child)); built >= 0) {
                kept.push_back(static_cast<std::uint32_t>(built));
            }
        }
        if (kept.empty()) {
            return -1; // no conjunct restricts the key
        }
        if (kept.size() == 1) {
            return static_cast<std::int32_t>(kept[0]);
        }
        return add(KeyNode{KeyNode::Kind::and_, std::move(kept), {}});
    }

    std::int32_t build_or(const parser::PredicateNode& node) {
        std::vector<std::uint32_t> kept;
        for (auto child : node.children) {
            const auto built = build(static_cast<std::int32_t>(child));
            if (built < 0) {
                return -1; // one unrestricted branch makes the whole OR unrestricted
            }
            kept.push_back(static_cast<std::uint32_t>(built));
        }
        if (kept.empty()) {
            return -1;
        }
        return add(KeyNode{KeyNode::Kind::or_, std::move(kept), {}});
    }

    std::int32_t build_term(const parser::Comparison& comparison) {
        if (!refers_to_key(comparison.column)) {
            return -1;
        }
        KeyTerm term;
        term.op = comparison.op;
        if (comparison.list_slot >= 0) {
            term.slots.push_back(comparison.list_slot);
        }
        for (const auto& value : comparison.values) {
            if (!value.is_literal()) {
                // Equal to another column or an expression: says nothing about the key's
                // value for eq/IN; a bound that is not a literal is no bound.
                return -1;
            }
            // (a folded IN list's values all sit in its one slot: each slot once, or a list
            // of n values would be evaluated n + 1 times over)
            if (std::find(term.slots.begin(), term.slots.end(), value.slot) == term.slots.end()) {
                term.slots.push_back(value.slot);
            }
        }
        if (term.slots.empty()) {
            return -1;
        }
        return add(KeyNode{KeyNode::Kind::term, {}, std::move(term)});
    }

    bool refers_to_key(const parser::ColumnName& column) const {
        if (!names_.same_column(column.name, key_column_)) {
            return false;
        }
        if (column.qualifier.empty()) {
            return only_table_;
        }
        return names_.same_table(column.qualifier,
                                 table_.alias.empty() ? table_.name : table_.alias);
    }

    std::int32_t add(KeyNode node) {
        expr_.nodes.push_back(std::move(node));
        return static_cast<std::int32_t>(expr_.nodes.size() - 1);
    }

    const parser::StatementFacts& facts_;
    const parser::TableRef& table_;
    const std::string& key_column_;
    bool only_table_;
    const NameRules& names_;
    KeyExpr expr_;
};

} // namespace

KeyExpr key_expr_for(const parser::StatementFacts& facts, std::int32_t predicate,
                     const parser::TableRef& table, const std::string& key_column,
                     bool only_table_in_scope, const NameRules& names) {
    KeyExprBuilder builder(facts, table, key_column, only_table_in_scope, names);
    const auto root = builder.build(predicate);
    return builder.take(root);
}

} // namespace shardgate::router
