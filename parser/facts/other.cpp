// Facts for transaction control, session statements and DDL.
#include "builder.hpp"

#include <cctype>

namespace shardgate::parser::detail {

void FactsBuilder::transaction(const ast::TransactionStatement& s) {
    facts_.kind = StatementKind::transaction;
    facts_.transaction.kind = s.kind;
    for (ast::AccessMode mode : s.modes) {
        if (mode != ast::AccessMode::unspecified) {
            facts_.transaction.access = mode;
        }
    }
    facts_.transaction.savepoint = s.savepoint.value_or(std::string());
}

void FactsBuilder::session(const ast::SessionStatement& s) {
    switch (s.kind) {
    case ast::SessionKind::set:
        facts_.kind = StatementKind::set;
        break;
    case ast::SessionKind::show:
        facts_.kind = StatementKind::show;
        break;
    case ast::SessionKind::use:
        facts_.kind = StatementKind::use;
        break;
    }
    for (const ast::QualifiedName& name : s.names) {
        std::string joined;
        for (const std::string& part : name) {
            joined += joined.empty() ? part : "." + part;
        }
        facts_.session_names.push_back(std::move(joined));
    }
}

void FactsBuilder::ddl(const ast::DdlStatement& s) {
    facts_.kind = StatementKind::ddl;
    facts_.is_write = true;
    facts_.ddl = s.kind;
    // CREATE [GLOBAL | LOCAL] TEMP[ORARY] ... that no ON COMMIT DROP ends with the transaction
    const auto& tokens = lexed().tokens;
    bool temporary = false;
    bool commit_drop = false;
    // (only among the modifiers before the object's kind: CREATE INDEX temp ON ... is none)
    for (std::size_t i = 1; i + 1 < tokens.size() && tokens[0].keyword == Keyword::create; ++i) {
        std::string word(lexed().text(tokens[i]));
        for (char& c : word) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        if (word == "temp" || word == "temporary") {
            temporary = true;
            break;
        }
        if (word != "or" && word != "replace" && word != "global" && word != "local" &&
            word != "unlogged") {
            break;
        }
    }
    // CREATE ... pg_temp.name makes a temporary object as well (a function too): the
    // first qualified name among the leading words is the object's (not past AS or ON:
    // CREATE TABLE t AS SELECT ... FROM pg_temp.x reads one, CREATE INDEX ON pg_temp.t ...
    // indexes one).
    for (std::size_t i = 1;
         !temporary && tokens[0].keyword == Keyword::create && i + 1 < tokens.size() &&
         (tokens[i].kind == TokenKind::word || tokens[i].kind == TokenKind::quoted_ident) &&
         tokens[i].keyword != Keyword::as && tokens[i].keyword != Keyword::on;
         ++i) {
        if (tokens[i + 1].kind == TokenKind::op && tokens[i + 1].op == Op::dot) {
            temporary = temp_schema_at(i);
            break;
        }
    }
    for (std::size_t i = 0; temporary && i + 2 < tokens.size(); ++i) {
        commit_drop = commit_drop || (tokens[i].keyword == Keyword::on &&
                                      tokens[i + 1].keyword == Keyword::commit &&
                                      tokens[i + 2].keyword == Keyword::drop);
    }
    if (temporary && !commit_drop) {
        note_session_state("a temporary object");
    }
    for (std::size_t i = 0; i < s.tables.size(); ++i) {
        // CREATE TABLE's REFERENCES / LIKE tables are read, not written.
        const bool subject = i == 0 || s.kind == ast::DdlKind::drop_table ||
                             s.kind == ast::DdlKind::truncate ||
                             s.kind == ast::DdlKind::rename_table;
        add_table(s.tables[i], boost::none, 0, subject);
    }
    if (s.query) {
        select_statement(s.query->get(), new_scope(Scope::Kind::subquery, 0), false);
    }
}

void FactsBuilder::note_session_state(std::string_view what, std::int32_t slot) {
    facts_.session_state = what;
    // decided by one value only while it is the statement's only source of session state
    facts_.session_state_slot = slot >= 0 && facts_.session_state_slot == -1 ? slot : -2;
}

bool FactsBuilder::temp_schema_at(std::size_t i) const {
    const auto& tokens = lexed().tokens;
    if (lexed().dialect != Dialect::pg || i + 1 >= tokens.size() ||
        (tokens[i].kind != TokenKind::word && tokens[i].kind != TokenKind::quoted_ident) ||
        tokens[i + 1].kind != TokenKind::op || tokens[i + 1].op != Op::dot) {
        return false;
    }
    const std::string schema = identifier_text(lexed(), tokens[i]);
    return schema == "pg_temp" || schema.starts_with("pg_temp_");
}

bool FactsBuilder::selects_into_temporary() const {
    const auto& tokens = lexed().tokens;
    for (std::size_t i = 0; lexed().dialect == Dialect::pg && i + 1 < tokens.size(); ++i) {
        if (tokens[i].keyword != Keyword::into) {
            continue;
        }
        std::size_t next = i + 1;
        if (tokens[next].keyword == Keyword::temp || tokens[next].keyword == Keyword::temporary) {
            return true;
        }
        next += tokens[next].keyword == Keyword::table ? 1 : 0;
        if (temp_schema_at(next)) {
            return true;
        }
    }
    return false;
}

// Maintenance runs on primaries and changes server state (statistics, files): a write.
void FactsBuilder::maintenance(const ast::MaintenanceStatement& s) {
    facts_.kind = StatementKind::maintenance;
    facts_.is_write = true;
    facts_.maintenance = s.kind;
    for (const ast::QualifiedName& table : s.tables) {
        add_table(table, boost::none, 0, true);
    }
}

// Utility statements: names to session_names, LOCK/HANDLER tables, the tables of a PG
// `PREPARE name AS stmt` (which prepares, not runs, the statement: not a write).
void FactsBuilder::utility(const ast::UtilityStatement& s) {
    if (s.statement) {
        explained(*s.statement);
    }
    facts_.kind = StatementKind::utility;
    facts_.utility = s.kind;
    facts_.is_write = false;
    facts_.lock = ast::LockMode::none;
    for (const ast::QualifiedName& name : s.names) {
        std::string joined;
        for (const std::string& part : name) {
            joined += joined.empty() ? part : "." + part;
        }
        facts_.session_names.push_back(std::move(joined));
    }
    for (const ast::QualifiedName& table : s.tables) {
        add_table(table, boost::none, 0, false);
    }
    for (const ast::Expression& e : s.expressions) {
        visit(e, 0);
    }
}

} // namespace shardgate::parser::detail

namespace shardgate::parser {

bool StatementFacts::assigns_column(std::string_view column) const {
    auto same = [&](const std::string& name) {
        if (name.size() != column.size()) {
            return false;
        }
        for (std::size_t i = 0; i < name.size(); ++i) {
            auto fold = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
            if (fold(name[i]) != fold(column[i])) {
                return false;
            }
        }
        return true;
    };
    for (const auto* list :
         {&assignments, &insert.on_duplicate_update, &insert.on_conflict_update}) {
        for (const AssignmentFacts& a : *list) {
            if (same(a.column.name)) {
                return true;
            }
        }
    }
    return false;
}

} // namespace shardgate::parser
