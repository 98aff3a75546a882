// Keywords the lexer recognises; the grammar matches them by id, never by text.
#pragma once

#include <cstdint>
#include <string_view>

namespace shardgate::parser {

// X(name, flags): r = reserved (never a bare identifier), a = never an implicit alias,
// f = may name a function although reserved.
// clang-format off
#define SHARDGATE_KEYWORDS(X) \
    X(abort, 0) X(action, 0) X(add, 0) X(all, r | f) X(alter, r) X(and_, r) X(any, f) \
    X(array, f) X(as, r) X(asc, r) X(begin, 0) X(between, r) X(both, 0) X(by, r) X(cascade, 0) \
    X(case_, r) X(cast, f) X(chain, 0) X(check, r) X(collate, r) X(column, 0) X(commit, 0) \
    X(committed, 0) X(concurrently, 0) X(conflict, 0) X(constraint, r) X(create, r) \
    X(cross, r) X(current, 0) X(database, f) X(default_, r) X(delete_, r) X(desc, r) \
    X(distinct, r) X(div, r) X(do_, 0) X(drop, r) X(duplicate, 0) X(else_, r) X(end, r) \
    X(escape, a) X(except, r) X(exists, r | f) X(false_, r) X(fetch, r) X(filter, a) \
    X(first, 0) X(following, 0) X(for_, r) X(force, a) X(foreign, r) X(from, r) X(full, r) \
    X(global, 0) X(group, r) X(groups, 0) X(having, r) X(if_, f) X(ignore, a) X(ilike, r) \
    X(in, r) X(index, 0) X(inner, r) X(insert, r | f) X(intersect, r) X(interval, 0) \
    X(into, r) X(is, r) X(isolation, 0) X(join, r) X(key, 0) X(last, 0) X(lateral, r) \
    X(leading, 0) X(left, r | f) X(level, 0) X(like, r) X(limit, r) X(local, 0) X(lock, a) \
    X(locked, 0) X(mod, r | f) X(mode, 0) X(names, 0) X(natural, r) X(no, 0) X(not_, r) \
    X(nothing, 0) X(nowait, 0) X(null, r) X(nulls, 0) X(of, 0) X(offset, r) X(on, r) \
    X(only, 0) X(or_, r) X(order, r) X(outer, r) X(over, a) X(partition, a) X(preceding, 0) \
    X(primary, r) X(range, 0) X(read, 0) X(recursive, 0) X(references, r) X(regexp, r) \
    X(release, 0) X(rename, 0) X(repeatable, 0) X(replace, r | f) X(returning, r) \
    X(right, r | f) X(rlike, r) X(rollback, 0) X(row, f) X(rows, 0) X(savepoint, 0) \
    X(schema, 0) X(select, r) X(separator, a) X(serializable, 0) X(session, 0) X(set, r) \
    X(share, 0) X(show, 0) X(similar, r) X(skip, 0) X(some, f) X(start, 0) X(straight_join, r) \
    X(table, r) X(tablesample, a) X(temp, 0) X(temporary, 0) X(then, r) X(ties, 0) X(to, r) \
    X(trailing, 0) X(transaction, 0) X(true_, r) X(truncate, 0) X(unbounded, 0) \
    X(uncommitted, 0) X(union_, r) X(unique, r) X(update, r) X(use, a) X(using_, r) \
    X(values, r | f) X(view, 0) X(when, r) X(where, r) X(window, r | a) X(with, r) X(work, 0) \
    X(write, 0) X(xor_, r)
// clang-format on

/// Keyword ids; `none` for words that are plain identifiers.
enum class Keyword : std::uint8_t {
    none,
#define SHARDGATE_KEYWORD_ENUM(name, flags) name,
    SHARDGATE_KEYWORDS(SHARDGATE_KEYWORD_ENUM)
#undef SHARDGATE_KEYWORD_ENUM
};

/// Flags of a keyword (see SHARDGATE_KEYWORDS).
struct KeywordFlags {
    bool reserved = false;
    bool no_alias = false;
    bool function_name = false;
};

/// The keyword spelled by `word` (any case), or Keyword::none. Fast: no allocation.
Keyword find_keyword(std::string_view word);
/// Upper-case spelling, e.g. "SELECT".
std::string_view keyword_text(Keyword keyword);
KeywordFlags keyword_flags(Keyword keyword);

} // namespace shardgate::parser
