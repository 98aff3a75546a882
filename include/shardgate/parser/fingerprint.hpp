// Statement fingerprint: normalised text with literals replaced, plus the literal values.
#pragma once

#include "shardgate/parser/hints.hpp"
#include "shardgate/parser/literal.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace shardgate::parser {

/// The digest of a statement and what was lifted out of it. Format (see docs/parser.md):
/// keywords upper case, identifiers as written, every literal and placeholder `?`, IN lists
/// of literals `(?+)`, single spaces, comments and a trailing `;` dropped.
struct Fingerprint {
    std::string text;
    /// fingerprint_hash(text); the plan cache key hash.
    std::uint64_t hash = 0;
    /// Every literal and placeholder, in order of appearance.
    std::vector<Literal> literals;
    /// One entry per `?` of `text`, in order; see Slot.
    std::vector<Slot> slots;
    /// Routing hints from comments (never part of `text`).
    Hints hints;

    /// Literals of slot `slot` (a folded IN list has several).
    const Literal* slot_begin(std::size_t slot) const {
        return literals.data() + slots[slot].first;
    }
    const Literal* slot_end(std::size_t slot) const { return slot_begin(slot) + slots[slot].count; }
    void clear();
};

/// The 64-bit hash used for Fingerprint::hash (stable across runs).
std::uint64_t fingerprint_hash(std::string_view text);

} // namespace shardgate::parser
