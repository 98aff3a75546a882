// Internal: walks the AST of one statement and fills StatementFacts.
#pragma once

#include "shardgate/parser/facts.hpp"
#include "shardgate/parser/lexer.hpp"

namespace shardgate::parser::detail {

namespace x3 = boost::spirit::x3;

/// Single use: construct, call build(), read the facts.
class FactsBuilder {
public:
    FactsBuilder(const LexedStatement& lexed, StatementFacts& facts);
    void build(const ast::Statement& statement);

    // Query blocks (builder.cpp).
    void select_statement(const ast::SelectStatement& s, std::int32_t scope, bool top);
    void select_body(const ast::SelectStatement& s, std::int32_t scope, bool top);
    void query_term(const ast::QueryTerm& term, std::int32_t scope, bool top);
    void query_spec(const ast::QuerySpec& q, std::int32_t scope, bool top);
    void with_clause(const boost::optional<ast::WithClause>& with, std::int32_t scope);
    std::int32_t new_scope(Scope::Kind kind, std::int32_t parent);

    // FROM lists (tables.cpp).
    void from_list(const std::vector<ast::FromItem>& items, std::int32_t scope, bool target);
    void from_item(const ast::FromItem& item, std::int32_t scope, bool target);
    std::size_t table_source(const ast::TableSource& source, std::int32_t scope, bool target);
    TableRef& add_table(const ast::QualifiedName& name, const boost::optional<std::string>& alias,
                        std::int32_t scope, bool target);
    TableSpan span_of(const ast::TableName& name) const;

    // Expressions (predicates.cpp, values.cpp).
    std::int32_t predicate(const ast::Expression& e, std::int32_t scope);
    /// The HAVING condition `e` as nodes (the root last).
    std::vector<HavingNode> having(const ast::Expression& e) const;
    void visit(const ast::Expression& e, std::int32_t scope);
    void visit(const ast::Primary& p, std::int32_t scope);
    ValueRef value(const ast::Expression& e) const;
    /// The sequence or channel an argument names (see StatementFacts::sequences), or "".
    std::string object_name(const ast::Expression& e, bool regclass) const;
    ValueRef value(const ast::Term& t) const;
    std::optional<ValueRef> optional_value(const boost::optional<ast::Expression>& e) const;
    ColumnName column(const ast::QualifiedName& name) const;
    std::string text(std::uint32_t begin, std::uint32_t end) const;
    std::vector<AssignmentFacts> assignments(const std::vector<ast::Assignment>& list,
                                             std::int32_t scope);
    std::vector<SortKey> order_keys(const std::vector<ast::OrderItem>& items, std::int32_t scope);

    // Statement families (dml.cpp, other.cpp).
    void insert(const ast::InsertStatement& s);
    void update(const ast::UpdateStatement& s);
    void remove(const ast::DeleteStatement& s);
    // The tables, conditions and assignments of a DML statement in `scope` (0: the statement).
    void insert_body(const ast::InsertStatement& s, std::int32_t scope);
    void update_body(const ast::UpdateStatement& s, std::int32_t scope);
    void delete_body(const ast::DeleteStatement& s, std::int32_t scope);
    /// A WITH query: a SELECT, or a data-modifying statement.
    void cte_body(const ast::CteBody& body, std::int32_t scope);
    void transaction(const ast::TransactionStatement& s);
    void session(const ast::SessionStatement& s);
    void ddl(const ast::DdlStatement& s);
    void maintenance(const ast::MaintenanceStatement& s);
    void explain(const ast::ExplainStatement& s);
    void utility(const ast::UtilityStatement& s);
    void copy(const ast::CopyStatement& s);
    void merge(const ast::MergeStatement& s);
    void explained(const ast::ExplainedStatement& s);

    /// Records session state (StatementFacts::session_state); `slot`: the fingerprint slot
    /// of set_config's is_local when that decides it, else -2.
    void note_session_state(std::string_view what, std::int32_t slot = -2);
    /// PostgreSQL: whether the name at token `i` is pg_temp (or pg_temp_N) followed by a dot:
    /// the schema of the session's temporary objects.
    bool temp_schema_at(std::size_t i) const;
    /// PostgreSQL: SELECT ... INTO TEMP[ORARY] | INTO [TABLE] pg_temp.name.
    bool selects_into_temporary() const;
    /// PostgreSQL: session_state of calls in RETURNING lists (which the grammar skips).
    void returning_session_state();

    const LexedStatement& lexed() const { return lexed_; }
    StatementFacts& facts() { return facts_; }
    std::int32_t add_node(PredicateNode node);

private:
    const LexedStatement& lexed_;
    StatementFacts& facts_;
    std::vector<std::string> cte_names_;
};

/// A plain column behind optional parentheses, or nullptr.
const ast::ColumnRef* plain_column(const ast::Term& t);
/// The argument of `CAST(arg AS type)`, or nullptr.
const ast::Expression* cast_argument(const ast::Term& t);
/// The expression inside `( expr )`, or nullptr.
const ast::Expression* parenthesised(const ast::Term& t);
/// COUNT/SUM/MIN/MAX/AVG by name, case-insensitively; Aggregate::none otherwise.
Aggregate aggregate_kind(const ast::QualifiedName& name);
/// A built-in aggregate function of either engine (any case).
bool is_aggregate_function(std::string_view name);

} // namespace shardgate::parser::detail
