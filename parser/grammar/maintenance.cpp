// Maintenance grammar: PG VACUUM, ANALYZE, CLUSTER, REINDEX, REFRESH MATERIALIZED VIEW,
// CHECKPOINT; MariaDB ANALYZE/OPTIMIZE/CHECK/CHECKSUM/REPAIR TABLE and FLUSH. Options are
// skipped; the tables named are collected.
#include "rules.hpp"
#include "shardgate/parser/ast_adapted.hpp"

namespace shardgate::parser::grammar {
namespace {

using K = Keyword;
using ast::MaintenanceKind;

const auto add_table = [](auto& ctx) { x3::_val(ctx).tables.push_back(x3::_attr(ctx)); };
const auto kind = [](MaintenanceKind k) { return [k](auto& ctx) { x3::_val(ctx).kind = k; }; };

// clang-format off
const auto analyze_word = word("analyze") | word("analyse");
// PG: `t [(columns)]` lists.
const auto pg_tables = -((x3::omit[-kw(K::only)] >> qualified_name[add_table] >>
                          x3::omit[-balanced]) % op(Op::comma));
const auto vacuum =
    word("vacuum") >> x3::eps[kind(MaintenanceKind::vacuum)] >>
    *(kw(K::full) | word("freeze") | word("verbose") | analyze_word) >> -balanced >> pg_tables;
const auto binlog = -(word("no_write_to_binlog") | kw(K::local));
const auto my_tables = (qualified_name[add_table] % op(Op::comma)) >> rest;
// MariaDB `ANALYZE TABLE t, ...` or PG `ANALYZE [VERBOSE] [(options)] [t [(cols)], ...]`.
const auto analyze =
    analyze_word >> x3::eps[kind(MaintenanceKind::analyze)] >>
    ((binlog >> kw(K::table) >> my_tables) |
     (-word("verbose") >> -balanced >> pg_tables));
const auto cluster =
    word("cluster") >> x3::eps[kind(MaintenanceKind::cluster)] >> -word("verbose") >> -balanced >>
    -(qualified_name[add_table] >> -(kw(K::using_) >> ident));
// REINDEX INDEX names no table (every shard); SCHEMA / DATABASE / SYSTEM the whole database.
const auto reindex =
    word("reindex") >> x3::eps[kind(MaintenanceKind::reindex)] >> -balanced >>
    ((kw(K::table) >> -kw(K::concurrently) >> qualified_name[add_table]) |
     ((kw(K::index) | kw(K::schema) | kw(K::database) | word("system")) >>
      -kw(K::concurrently) >> -qualified_name));
const auto refresh =
    word("refresh") >> word("materialized") >> kw(K::view) >>
    x3::eps[kind(MaintenanceKind::refresh_view)] >> -kw(K::concurrently) >>
    qualified_name[add_table] >> -(kw(K::with) >> -kw(K::no) >> word("data"));
const auto checkpoint = word("checkpoint") >> x3::eps[kind(MaintenanceKind::checkpoint)];
const auto optimize = word("optimize") >> x3::eps[kind(MaintenanceKind::optimize)] >> binlog >>
                      kw(K::table) >> my_tables;
const auto check = kw(K::check) >> x3::eps[kind(MaintenanceKind::check)] >> kw(K::table) >>
                   my_tables;
const auto checksum = word("checksum") >> x3::eps[kind(MaintenanceKind::checksum)] >>
                      kw(K::table) >> my_tables;
const auto repair = word("repair") >> x3::eps[kind(MaintenanceKind::repair)] >> binlog >>
                    kw(K::table) >> my_tables;
// FLUSH TABLES [t, ...] [WITH READ LOCK | FOR EXPORT]; other FLUSH options name no table.
const auto flush_table_list = qualified_name[add_table] % op(Op::comma);
const auto flush =
    word("flush") >> x3::eps[kind(MaintenanceKind::flush)] >> binlog >>
    ((kw(K::table) | word("tables")) >> -flush_table_list >> rest | rest);

const auto maintenance_stmt_def = x3::omit[vacuum | analyze | cluster | reindex | refresh |
                                           checkpoint | optimize | check | checksum | repair |
                                           flush];
// clang-format on

} // namespace

BOOST_SPIRIT_DEFINE(maintenance_stmt)
BOOST_SPIRIT_INSTANTIATE(maintenance_type, Iterator, Context)

} // namespace shardgate::parser::grammar
