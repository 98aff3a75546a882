// Transaction control (BEGIN, COMMIT, SAVEPOINT, ...) and session statements (SET, SHOW, USE).
#include "rules.hpp"
#include "shardgate/parser/ast_adapted.hpp"

namespace shardgate::parser::grammar {
namespace {

using K = Keyword;
using ast::AccessMode;
using ast::SessionKind;
using ast::TransactionKind;
using NoName = boost::optional<std::string>;
using NoModes = std::vector<AccessMode>;

// clang-format off
const x3::rule<struct mode_class, ast::AccessMode> mode = "transaction mode";
const x3::rule<struct set_item_class, ast::QualifiedName> set_item = "variable";
const x3::rule<struct set_class, ast::SessionStatement> set_stmt = "SET";

const auto level = (kw(K::read) >> (kw(K::committed) | kw(K::uncommitted))) |
                   (kw(K::repeatable) >> kw(K::read)) | kw(K::serializable);
const auto mode_def =
    (kw(K::read) >> kw(K::only) >> x3::attr(AccessMode::read_only)) |
    (kw(K::read) >> kw(K::write) >> x3::attr(AccessMode::read_write)) |
    (kw(K::isolation) >> kw(K::level) >> level >> x3::attr(AccessMode::unspecified)) |
    (kw(K::with) >> word("consistent") >> word("snapshot") >> x3::attr(AccessMode::unspecified)) |
    (-kw(K::not_) >> word("deferrable") >> x3::attr(AccessMode::unspecified));
const auto modes = -(mode % -op(Op::comma));

const auto work = x3::omit[-(kw(K::work) | kw(K::transaction))];
const auto chain = x3::omit[-(kw(K::and_) >> -kw(K::no) >> kw(K::chain)) >>
                            -(-kw(K::no) >> kw(K::release))];
const auto begin = ((kw(K::begin) >> work) | (kw(K::start) >> kw(K::transaction))) >>
                   x3::attr(TransactionKind::begin) >> modes >> x3::attr(NoName());
const auto commit = (kw(K::commit) | kw(K::end)) >> work >> chain >>
                    x3::attr(TransactionKind::commit) >> x3::attr(NoModes()) >> x3::attr(NoName());
const auto rollback_to = (kw(K::rollback) | kw(K::abort)) >> work >> kw(K::to) >>
                         x3::omit[-kw(K::savepoint)] >> x3::attr(TransactionKind::rollback_to) >>
                         x3::attr(NoModes()) >> ident;
const auto rollback = (kw(K::rollback) | kw(K::abort)) >> work >> chain >>
                      x3::attr(TransactionKind::rollback) >> x3::attr(NoModes()) >>
                      x3::attr(NoName());
const auto savepoint = kw(K::savepoint) >> x3::attr(TransactionKind::savepoint) >>
                       x3::attr(NoModes()) >> ident;
const auto release = kw(K::release) >> x3::omit[-kw(K::savepoint)] >>
                     x3::attr(TransactionKind::release) >> x3::attr(NoModes()) >> ident;
const auto scope = x3::omit[-(kw(K::session) | kw(K::global) | kw(K::local))];
const auto set_transaction =
    kw(K::set) >>
    ((kw(K::session) >> word("characteristics") >> kw(K::as) >> kw(K::transaction)) |
     (scope >> kw(K::transaction))) >>
    x3::attr(TransactionKind::set_transaction) >> (mode % -op(Op::comma)) >> x3::attr(NoName());

// Two-phase commit forms are recognised so that they can be refused clearly.
const auto gid = x3::omit[literal] >> x3::attr(NoName());
const auto prepare_transaction = word("prepare") >> kw(K::transaction) >>
                                 x3::attr(TransactionKind::prepare_transaction) >>
                                 x3::attr(NoModes()) >> gid;
const auto commit_prepared = kw(K::commit) >> word("prepared") >>
                             x3::attr(TransactionKind::commit_prepared) >> x3::attr(NoModes()) >>
                             gid;
const auto rollback_prepared = kw(K::rollback) >> word("prepared") >>
                               x3::attr(TransactionKind::rollback_prepared) >>
                               x3::attr(NoModes()) >> gid;
const auto xa = word("xa") >> x3::attr(TransactionKind::xa) >> x3::attr(NoModes()) >>
                x3::attr(NoName()) >> rest;

const auto transaction_stmt_def =
    prepare_transaction | commit_prepared | rollback_prepared | xa | begin | commit |
    rollback_to | rollback | savepoint | release | set_transaction;

// A comma followed by `name =` starts the next assignment, not another value of a list.
const auto value_separator =
    op(Op::comma) >> !(qualified_name >> (op(Op::eq) | op(Op::assign) | kw(K::to)));
const auto set_value =
    x3::omit[(expression | kw(K::on) | kw(K::default_)) % value_separator];
const auto names_item = kw(K::names) >> x3::attr(ast::QualifiedName{"names"}) >>
                        x3::omit[(literal | ident | kw(K::default_)) >>
                                 -(kw(K::collate) >> (literal | ident))];
// PG SET [SESSION | LOCAL] TIME ZONE value
const auto time_zone_item = x3::omit[-(kw(K::session) | kw(K::local))] >> word("time") >>
                            word("zone") >> x3::attr(ast::QualifiedName{"timezone"}) >>
                            x3::omit[literal | ident | kw(K::default_) | kw(K::local)];
const auto set_item_def =
    names_item | time_zone_item |
    (x3::omit[-(kw(K::session) | kw(K::global) | kw(K::local) | word("persist"))] >>
     qualified_name >> x3::omit[op(Op::eq) | op(Op::assign) | kw(K::to)] >> set_value);
const auto set_stmt_def = kw(K::set) >> x3::attr(SessionKind::set) >> (set_item % op(Op::comma));

const auto show = kw(K::show) >> x3::attr(SessionKind::show) >>
                  x3::attr(std::vector<ast::QualifiedName>{}) >> rest;
const auto use = kw(K::use) >> x3::attr(SessionKind::use) >> (qualified_name % op(Op::comma));

// PG RESET name | ALL: a setting back to its default.
const auto reset = dialect_is(Dialect::pg) >> word("reset") >> x3::attr(SessionKind::set) >>
                   ((kw(K::all) >> x3::attr(std::vector<ast::QualifiedName>{{"all"}})) |
                    (word("time") >> word("zone") >>
                     x3::attr(std::vector<ast::QualifiedName>{{"timezone"}})) |
                    x3::repeat(1)[qualified_name]);

const auto session_stmt_def = set_stmt | show | use | reset;
// clang-format on

BOOST_SPIRIT_DEFINE(mode, set_item, set_stmt)

} // namespace

BOOST_SPIRIT_DEFINE(transaction_stmt, session_stmt)

BOOST_SPIRIT_INSTANTIATE(transaction_type, Iterator, Context)
BOOST_SPIRIT_INSTANTIATE(session_type, Iterator, Context)

} // namespace shardgate::parser::grammar
