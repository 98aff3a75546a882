// WHERE / ON expressions -> predicate trees: resolves operator precedence over the flat
// operator chain the grammar produces, then keeps AND/OR and column comparisons.
#include "builder.hpp"

namespace shardgate::parser::detail {
namespace {

using ast::BinaryOp;

int precedence(BinaryOp op) {
    switch (op) {
    case BinaryOp::or_:
        return 1;
    case BinaryOp::xor_:
        return 2;
    case BinaryOp::and_:
        return 3;
    case BinaryOp::eq:
    case BinaryOp::null_safe_eq:
    case BinaryOp::ne:
    case BinaryOp::lt:
    case BinaryOp::le:
    case BinaryOp::gt:
    case BinaryOp::ge:
    case BinaryOp::like:
    case BinaryOp::not_like:
    case BinaryOp::regexp:
    case BinaryOp::not_regexp:
    case BinaryOp::is_distinct:
        return 5;
    case BinaryOp::bit_or:
        return 6;
    case BinaryOp::bit_and:
        return 7;
    case BinaryOp::shift:
        return 8;
    case BinaryOp::plus:
    case BinaryOp::minus:
    case BinaryOp::concat:
        return 9;
    case BinaryOp::mul:
    case BinaryOp::div:
    case BinaryOp::mod:
    case BinaryOp::int_div:
        return 10;
    default:
        return 11;
    }
}
constexpr int not_precedence = 4;

struct Node {
    enum class Kind : std::uint8_t { leaf, binary, negation };
    Kind kind = Kind::leaf;
    BinaryOp op = BinaryOp::other;
    const ast::Term* term = nullptr;
    int lhs = -1;
    int rhs = -1;
};

// Precedence climbing over `first op term op term ...`.
class Tree {
public:
    explicit Tree(const ast::Expression& e) : e_(e) {}
    int build() { return parse(0); }
    const Node& node(int i) const { return nodes_[static_cast<std::size_t>(i)]; }

private:
    const ast::Term& term(std::size_t i) const { return i == 0 ? e_.first : e_.rest[i - 1].term; }

    int parse(int min_precedence) {
        int lhs = unary();
        while (index_ < e_.rest.size()) {
            const BinaryOp op = e_.rest[index_].op;
            const int p = precedence(op);
            if (p < min_precedence) {
                break;
            }
            ++index_;
            negated_ = false;
            const int rhs = parse(p + 1);
            lhs = add(Node{Node::Kind::binary, op, nullptr, lhs, rhs});
        }
        return lhs;
    }

    // Any NOT prefix makes the operand opaque for routing, so all of them fold into one node.
    int unary() {
        const ast::Term& t = term(index_);
        if (!negated_ && !t.prefix.empty() && t.prefix.front() == ast::PrefixOp::not_) {
            negated_ = true;
            const int operand = parse(not_precedence);
            return add(Node{Node::Kind::negation, BinaryOp::other, nullptr, operand, -1});
        }
        return add(Node{Node::Kind::leaf, BinaryOp::other, &t, -1, -1});
    }

    int add(Node n) {
        nodes_.push_back(n);
        return static_cast<int>(nodes_.size() - 1);
    }

    const ast::Expression& e_;
    std::vector<Node> nodes_;
    std::size_t index_ = 0;
    bool negated_ = false;
};

bool is_comparison(BinaryOp op) {
    return op == BinaryOp::eq || op == BinaryOp::null_safe_eq || op == BinaryOp::lt ||
           op == BinaryOp::le || op == BinaryOp::gt || op == BinaryOp::ge;
}

CompareOp compare_op(BinaryOp op, bool mirrored) {
    switch (op) {
    case BinaryOp::lt:
        return mirrored ? CompareOp::gt : CompareOp::lt;
    case BinaryOp::le:
        return mirrored ? CompareOp::ge : CompareOp::le;
    case BinaryOp::gt:
        return mirrored ? CompareOp::lt : CompareOp::gt;
    case BinaryOp::ge:
        return mirrored ? CompareOp::le : CompareOp::ge;
    default:
        return CompareOp::eq;
    }
}

class PredicateMaker {
public:
    PredicateMaker(FactsBuilder& b, const Tree& tree) : b_(b), tree_(tree) {}

    std::int32_t make(int index) {
        const Node& n = tree_.node(index);
        if (n.kind == Node::Kind::binary && (n.op == BinaryOp::and_ || n.op == BinaryOp::or_)) {
            return junction(index, n.op);
        }
        if (n.kind == Node::Kind::binary && is_comparison(n.op)) {
            return comparison(n);
        }
        if (n.kind == Node::Kind::leaf) {
            return leaf(*n.term);
        }
        return opaque();
    }

private:
    std::int32_t opaque() { return b_.add_node(PredicateNode{}); }

    void collect(int index, BinaryOp op, std::vector<std::uint32_t>& children) {
        const Node& n = tree_.node(index);
        if (n.kind == Node::Kind::binary && n.op == op) {
            collect(n.lhs, op, children);
            collect(n.rhs, op, children);
            return;
        }
        children.push_back(static_cast<std::uint32_t>(make(index)));
    }

    std::int32_t junction(int index, BinaryOp op) {
        PredicateNode node;
        node.kind = op == BinaryOp::and_ ? PredicateNode::Kind::and_ : PredicateNode::Kind::or_;
        collect(index, op, node.children);
        return b_.add_node(std::move(node));
    }

    const ast::Term* leaf_term(int index) const {
        const Node& n = tree_.node(index);
        return n.kind == Node::Kind::leaf ? n.term : nullptr;
    }

    std::int32_t comparison(const Node& n) {
        const ast::Term* lhs = leaf_term(n.lhs);
        const ast::Term* rhs = leaf_term(n.rhs);
        if (lhs == nullptr || rhs == nullptr) {
            return opaque();
        }
        if (n.op == BinaryOp::eq) {
            if (const ast::ExpressionList* list = any_array(*rhs)) {
                return any_of(*lhs, *list);
            }
        }
        const ast::ColumnRef* column = plain_column(*lhs);
        const ast::Term* other = rhs;
        bool mirrored = false;
        if (column == nullptr || b_.value(*rhs).kind == ValueRef::Kind::expression) {
            if (plain_column(*rhs) == nullptr) {
                return opaque();
            }
            column = plain_column(*rhs);
            other = lhs;
            mirrored = true;
        }
        PredicateNode node;
        node.kind = PredicateNode::Kind::comparison;
        node.comparison.column = b_.column(column->name);
        node.comparison.op = compare_op(n.op, mirrored);
        node.comparison.values.push_back(b_.value(*other));
        if (node.comparison.values.front().kind == ValueRef::Kind::expression || column->star) {
            return opaque();
        }
        return b_.add_node(std::move(node));
    }

    std::int32_t leaf(const ast::Term& t) {
        if (const ast::Expression* inner = parenthesised(t)) {
            return b_.predicate(*inner, -1);
        }
        if (t.postfix.size() != 1 || !t.prefix.empty()) {
            return opaque();
        }
        const auto* column = boost::get<ast::ColumnRef>(&t.primary);
        if (column == nullptr || column->star) {
            return opaque();
        }
        PredicateNode node;
        node.kind = PredicateNode::Kind::comparison;
        node.comparison.column = b_.column(column->name);
        if (const auto* in = boost::get<ast::InPredicate>(&t.postfix.front())) {
            if (in->negated || !in_list(*in, node.comparison)) {
                return opaque();
            }
        } else if (const auto* between = boost::get<ast::BetweenPredicate>(&t.postfix.front())) {
            if (between->negated) {
                return opaque();
            }
            node.comparison.op = CompareOp::between;
            node.comparison.values.push_back(b_.value(between->low.get()));
            node.comparison.values.push_back(b_.value(between->high.get()));
            for (const ValueRef& v : node.comparison.values) {
                if (v.kind != ValueRef::Kind::literal) {
                    return opaque();
                }
            }
            if (between->symmetric) {
                return symmetric(std::move(node));
            }
        } else {
            return opaque();
        }
        return b_.add_node(std::move(node));
    }

    // `ANY(ARRAY[a, b])` / `SOME(..)` with the array written out: its elements, or nullptr.
    static const ast::ExpressionList* any_array(const ast::Term& t) {
        const auto* call = boost::get<x3::forward_ast<ast::FunctionCall>>(&t.primary);
        if (call == nullptr || !t.prefix.empty() || !t.postfix.empty() ||
            call->get().args.size() != 1 || call->get().distinct) {
            return nullptr;
        }
        std::string fn = call->get().name.back();
        for (char& c : fn) {
            c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        if (call->get().name.size() != 1 || (fn != "any" && fn != "some")) {
            return nullptr;
        }
        const ast::Expression& arg = call->get().args.front();
        if (!arg.rest.empty() || !arg.first.prefix.empty()) {
            return nullptr;
        }
        for (const ast::Postfix& p : arg.first.postfix) {
            if (boost::get<ast::IgnoredPostfix>(&p) == nullptr) {
                return nullptr;
            }
        }
        const auto* list = boost::get<x3::forward_ast<ast::ExpressionList>>(&arg.first.primary);
        return list == nullptr ? nullptr : &list->get();
    }

    // `key = ANY(ARRAY[..])` is `key IN (..)` when every element is a literal.
    std::int32_t any_of(const ast::Term& lhs, const ast::ExpressionList& list) {
        const ast::ColumnRef* column = plain_column(lhs);
        if (column == nullptr || column->star || list.empty()) {
            return opaque();
        }
        PredicateNode node;
        node.kind = PredicateNode::Kind::comparison;
        node.comparison.column = b_.column(column->name);
        node.comparison.op = CompareOp::in;
        for (const ast::Expression& e : list) {
            ValueRef v = b_.value(e);
            if (v.kind != ValueRef::Kind::literal) {
                return opaque();
            }
            node.comparison.values.push_back(std::move(v));
        }
        return b_.add_node(std::move(node));
    }

    // `BETWEEN SYMMETRIC a AND b` is `BETWEEN a AND b OR BETWEEN b AND a`.
    std::int32_t symmetric(PredicateNode forward) {
        PredicateNode backward = forward;
        std::swap(backward.comparison.values[0], backward.comparison.values[1]);
        PredicateNode either;
        either.kind = PredicateNode::Kind::or_;
        either.children.push_back(static_cast<std::uint32_t>(b_.add_node(std::move(forward))));
        either.children.push_back(static_cast<std::uint32_t>(b_.add_node(std::move(backward))));
        return b_.add_node(std::move(either));
    }

    bool in_list(const ast::InPredicate& in, Comparison& c) {
        const auto* list = boost::get<x3::forward_ast<ast::ExpressionList>>(&in.set);
        if (list == nullptr) {
            return false;
        }
        c.op = CompareOp::in;
        for (const ast::Expression& e : list->get()) {
            ValueRef v = b_.value(e);
            if (v.kind != ValueRef::Kind::literal) {
                return false;
            }
            c.values.push_back(std::move(v));
        }
        const std::int32_t slot = c.values.front().slot;
        const auto& slots = b_.lexed().fingerprint.slots;
        if (slot >= 0 && slots[static_cast<std::size_t>(slot)].folded_list) {
            c.list_slot = slot;
        }
        return true;
    }

    FactsBuilder& b_;
    const Tree& tree_;
};

} // namespace

// `scope` < 0: the expression was already visited for subqueries.
namespace {

/// HAVING conditions -> HavingNode trees, evaluated by shardgate after a cross-shard merge.
class HavingMaker {
public:
    HavingMaker(const FactsBuilder& b, std::vector<HavingNode>& nodes) : b_(b), nodes_(nodes) {}

    std::uint32_t make(const ast::Expression& e) {
        Tree tree(e);
        const int root = tree.build();
        return make(tree, root);
    }

private:
    std::uint32_t make(const Tree& tree, int index) {
        const Node& n = tree.node(index);
        if (n.kind == Node::Kind::binary && (n.op == BinaryOp::and_ || n.op == BinaryOp::or_)) {
            HavingNode node;
            node.kind = n.op == BinaryOp::and_ ? HavingNode::Kind::and_ : HavingNode::Kind::or_;
            node.children = {make(tree, n.lhs), make(tree, n.rhs)};
            return add(std::move(node));
        }
        if (n.kind == Node::Kind::negation) {
            // The negation's operand starts with the term that carries its NOT prefix.
            strip_not_ = true;
            HavingNode node;
            node.kind = HavingNode::Kind::not_;
            node.children = {make(tree, n.lhs)};
            return add(std::move(node));
        }
        if (n.kind == Node::Kind::binary) {
            const Node& l = tree.node(n.lhs);
            const Node& r = tree.node(n.rhs);
            HavingNode node;
            if (l.kind != Node::Kind::leaf || r.kind != Node::Kind::leaf || !compare(n.op, node)) {
                return add(HavingNode{});
            }
            node.kind = HavingNode::Kind::compare;
            node.lhs = operand(unnegated(*l.term));
            node.rhs = operand(*r.term);
            return add(std::move(node));
        }
        return leaf(*n.term);
    }

    /// `t` without the NOT prefix a negation node stands for (the leftmost term under it).
    ast::Term unnegated(const ast::Term& t) {
        ast::Term out = t;
        if (strip_not_ && !out.prefix.empty() && out.prefix.front() == ast::PrefixOp::not_) {
            out.prefix.erase(out.prefix.begin());
        }
        strip_not_ = false;
        return out;
    }

    std::uint32_t leaf(const ast::Term& negated) {
        const ast::Term t = unnegated(negated);
        if (!t.prefix.empty() && t.prefix.front() == ast::PrefixOp::not_) { // NOT NOT x
            ast::Term inner = t;
            inner.prefix.erase(inner.prefix.begin());
            HavingNode node;
            node.kind = HavingNode::Kind::not_;
            node.children = {leaf(inner)};
            return add(std::move(node));
        }
        if (const ast::Expression* inner = parenthesised(t)) {
            return make(*inner);
        }
        if (t.postfix.size() == 1 && t.prefix.empty()) {
            const auto* is = boost::get<ast::IsPredicate>(&t.postfix.front());
            if (is != nullptr && is->what == Keyword::null) {
                ast::Term bare = t;
                bare.postfix.clear();
                HavingNode node;
                node.kind = HavingNode::Kind::is_null;
                node.negated = is->negated;
                node.lhs = operand(bare);
                return add(std::move(node));
            }
        }
        return add(HavingNode{});
    }

    static bool compare(BinaryOp op, HavingNode& node) {
        using C = HavingNode::Compare;
        switch (op) {
        case BinaryOp::eq:
            node.compare = C::eq;
            return true;
        case BinaryOp::ne:
            node.compare = C::ne;
            return true;
        case BinaryOp::lt:
            node.compare = C::lt;
            return true;
        case BinaryOp::le:
            node.compare = C::le;
            return true;
        case BinaryOp::gt:
            node.compare = C::gt;
            return true;
        case BinaryOp::ge:
            node.compare = C::ge;
            return true;
        default:
            return false;
        }
    }

    HavingOperand operand(const ast::Term& t) const {
        HavingOperand out;
        const ValueRef value = b_.value(t);
        if (value.kind == ValueRef::Kind::literal) {
            out.kind = HavingOperand::Kind::literal;
            out.value = value;
            return out;
        }
        if (value.kind == ValueRef::Kind::column) {
            out.kind = HavingOperand::Kind::column;
            out.column = value.column;
            return out;
        }
        const auto* call = boost::get<x3::forward_ast<ast::FunctionCall>>(&t.primary);
        if (call == nullptr || !t.prefix.empty() || !t.postfix.empty() || call->get().window) {
            return out;
        }
        const auto function = aggregate_kind(call->get().name);
        if (function == Aggregate::none || function == Aggregate::complex) {
            return out;
        }
        const auto& args = call->get().args;
        if (args.size() == 1 && args.front().rest.empty()) {
            if (const ast::ColumnRef* column = plain_column(args.front().first)) {
                out.star = column->star;
                if (!column->star) {
                    out.column = b_.column(column->name);
                }
            } else {
                return out;
            }
        } else if (!(args.empty() && function == Aggregate::count)) {
            return out;
        } else {
            out.star = true;
        }
        out.kind = HavingOperand::Kind::aggregate;
        out.function = function;
        out.distinct = call->get().distinct;
        return out;
    }

    std::uint32_t add(HavingNode node) {
        nodes_.push_back(std::move(node));
        return static_cast<std::uint32_t>(nodes_.size() - 1);
    }

    const FactsBuilder& b_;
    std::vector<HavingNode>& nodes_;
    bool strip_not_ = false; ///< a negation node was just made: its leftmost term has the NOT
};

} // namespace

std::vector<HavingNode> FactsBuilder::having(const ast::Expression& e) const {
    std::vector<HavingNode> nodes;
    HavingMaker maker(*this, nodes);
    const auto root = maker.make(e);
    // the root last: a child is always added before its parent, so the last node is the root
    (void)root;
    return nodes;
}

std::int32_t FactsBuilder::predicate(const ast::Expression& e, std::int32_t scope) {
    if (scope >= 0) {
        visit(e, scope);
    }
    Tree tree(e);
    const int root = tree.build();
    return PredicateMaker(*this, tree).make(root);
}

} // namespace shardgate::parser::detail
