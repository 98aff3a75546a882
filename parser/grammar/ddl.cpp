// DDL grammar: classifies CREATE/ALTER/DROP TABLE and INDEX, TRUNCATE and collects table names.
#include "rules.hpp"
#include "shardgate/parser/ast_adapted.hpp"

namespace shardgate::parser::grammar {
namespace {

using K = Keyword;
using ast::DdlKind;

const auto add_table = [](auto& ctx) { x3::_val(ctx).tables.push_back(x3::_attr(ctx)); };
const auto set_query = [](auto& ctx) {
    x3::_val(ctx).query = x3::forward_ast<ast::SelectStatement>(std::move(x3::_attr(ctx)));
};
const auto kind = [](DdlKind k) { return [k](auto& ctx) { x3::_val(ctx).kind = k; }; };
// `COMMENT ON COLUMN [schema.]table.column`: the table is the name without its last part.
const auto add_column_table = [](auto& ctx) {
    ast::QualifiedName name = x3::_attr(ctx);
    if (name.size() >= 2) {
        name.pop_back();
        x3::_val(ctx).tables.push_back(std::move(name));
    }
};

// clang-format off
const auto if_exists = -(kw(K::if_) >> -kw(K::not_) >> kw(K::exists));
// Skips a clause while still collecting tables named by REFERENCES and LIKE.
const auto body = *((kw(K::references) >> qualified_name[add_table]) | any_token_or_paren);

const auto as_query = kw(K::as) >> select_stmt[set_query] >> rest;
const auto table_body_token = any_token_or_paren - (kw(K::as) >> (kw(K::select) | kw(K::with)));
const auto column_list = op(Op::lparen) >> (ident % op(Op::comma)) >> op(Op::rparen);
const auto create_view = kw(K::create) >> -(kw(K::or_) >> kw(K::replace)) >>
                         -(kw(K::temporary) | kw(K::temp)) >> -word("materialized") >>
                         kw(K::view) >> if_exists >>
                         qualified_name[add_table] >> -column_list >>
                         x3::eps[kind(DdlKind::other)] >> as_query;
const auto create_sequence = kw(K::create) >> -(kw(K::temporary) | kw(K::temp)) >>
                             word("sequence") >> if_exists >> qualified_name[add_table] >>
                             x3::eps[kind(DdlKind::other)] >> rest;
const auto alter_drop_sequence = (kw(K::alter) | kw(K::drop)) >> word("sequence") >> if_exists >>
                                 (qualified_name[add_table] % op(Op::comma)) >>
                                 x3::eps[kind(DdlKind::other)] >> rest;
const auto grant = (word("grant") | word("revoke")) >> *(any_token - kw(K::on)) >> kw(K::on) >>
                   -kw(K::table) >> (qualified_name[add_table] % op(Op::comma)) >>
                   x3::eps[kind(DdlKind::other)] >> rest;
const auto create_modifier = (kw(K::or_) >> kw(K::replace)) | kw(K::temporary) | kw(K::temp) |
                             kw(K::global) | kw(K::local) | word("unlogged");
const auto create_table =
    kw(K::create) >> *create_modifier >> kw(K::table) >> if_exists >>
    qualified_name[add_table] >> x3::eps[kind(DdlKind::create_table)] >>
    -(kw(K::like) >> qualified_name[add_table]) >>
    (as_query | (*(kw(K::references) >> qualified_name[add_table] | table_body_token) >>
                 -as_query));
const auto create_index =
    kw(K::create) >> -kw(K::unique) >> -(word("fulltext") | word("spatial")) >> kw(K::index) >>
    -kw(K::concurrently) >> if_exists >> -qualified_name >> kw(K::on) >> -kw(K::only) >>
    qualified_name[add_table] >> x3::eps[kind(DdlKind::create_index)] >> rest;
const auto alter_table =
    kw(K::alter) >> -(word("online") | kw(K::ignore)) >> kw(K::table) >> if_exists >> -kw(K::only) >> qualified_name[add_table] >>
    x3::eps[kind(DdlKind::alter_table)] >> body;
const auto drop_table =
    kw(K::drop) >> -(kw(K::temporary) | kw(K::temp)) >> kw(K::table) >> if_exists >>
    (qualified_name[add_table] % op(Op::comma)) >> x3::eps[kind(DdlKind::drop_table)] >> rest;
const auto drop_index =
    kw(K::drop) >> kw(K::index) >> -kw(K::concurrently) >> if_exists >>
    (qualified_name % op(Op::comma)) >> -(kw(K::on) >> qualified_name[add_table]) >>
    x3::eps[kind(DdlKind::drop_index)] >> rest;
const auto truncate =
    kw(K::truncate) >> -kw(K::table) >> -kw(K::only) >>
    ((qualified_name[add_table] >> x3::omit[-op(Op::star)]) % op(Op::comma)) >>
    x3::eps[kind(DdlKind::truncate)] >> rest;
// COMMENT ON TABLE t / COLUMN t.c: the table's; other objects name no table.
const auto comment =
    word("comment") >> kw(K::on) >> x3::eps[kind(DdlKind::comment)] >>
    ((kw(K::table) >> qualified_name[add_table]) |
     (kw(K::column) >> qualified_name[add_column_table]) | x3::eps[kind(DdlKind::other)]) >>
    rest;
// MySQL RENAME TABLE a TO b, c TO d: placed by the tables renamed (the new names are not
// in the map yet).
const auto rename_table =
    kw(K::rename) >> (kw(K::table) | word("tables")) >>
    ((qualified_name[add_table] >> kw(K::to) >> x3::omit[qualified_name]) % op(Op::comma)) >>
    x3::eps[kind(DdlKind::rename_table)] >> rest;
// Triggers and row-level policies belong to their table.
const auto on_table_object =
    ((kw(K::create) >> -(kw(K::or_) >> kw(K::replace)) >> -word("constraint") >>
      (word("trigger") | word("policy"))) |
     (kw(K::drop) >> (word("trigger") | word("policy")) >> if_exists >> qualified_name >>
      &kw(K::on))) >>
    *(any_token - kw(K::on)) >> kw(K::on) >> qualified_name[add_table] >>
    x3::eps[kind(DdlKind::other)] >> rest;
const auto other_ddl =
    (kw(K::create) | kw(K::alter) | kw(K::drop) | word("comment") | kw(K::rename) |
     word("grant") | word("revoke")) >>
    x3::eps[kind(DdlKind::other)] >> rest;

const auto ddl_stmt_def =
    x3::omit[create_table | create_view | create_sequence | alter_drop_sequence | grant | create_index | alter_table |
             drop_table | drop_index | truncate | comment | rename_table | on_table_object |
             other_ddl];
// clang-format on

} // namespace

BOOST_SPIRIT_DEFINE(ddl_stmt)
BOOST_SPIRIT_INSTANTIATE(ddl_type, Iterator, Context)

} // namespace shardgate::parser::grammar
