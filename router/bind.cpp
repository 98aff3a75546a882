// Binding a cached plan template to the literal values of one statement.
#include "router/bind.hpp"

#include "router/bind_support.hpp"
#include "router/key_hashes.hpp"
#include "router/shard_set.hpp"
#include "router/small_vector.hpp"
#include "shardgate/shardmaps/canonical_key.hpp"
#include "shardgate/shardmaps/keyspace_id.hpp"
#include "shardgate/shardmaps/location.hpp"
#include "shardgate/shardmaps/time_bucket.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace shardgate::router {
namespace {

using parser::CompareOp;
using parser::Literal;
using parser::LiteralKind;
using shardmaps::KeyBound;
using shardmaps::KeyValue;

/// A literal as a key value: known, SQL NULL (matches no row), or unknown (any shard).
struct BoundValue {
    enum class State : std::uint8_t { known, null, unknown };
    State state = State::unknown;
    KeyValue value = std::int64_t{0};
    /// A parameter's declared type (RouteContext::param_types), 0 otherwise; `param` its index.
    std::uint32_t type = 0;
    std::uint32_t param = 0;
    /// What the server reads the value as: the literal's cast, else the parameter's type.
    parser::LiteralCast cast = parser::LiteralCast::none;
    /// `cast` is the parameter's declared type (no cast written on it).
    bool declared = false;
    /// A decimal or exponent literal (`1.50`, `1e3`): a text column stores the server's
    /// spelling of the number.
    bool number_literal = false;
};

/// A declared parameter type as a cast: the time types and the integer and text types (0 and
/// any other type: none, the value is read as the column's type or refused by the server).
parser::LiteralCast cast_of_type(std::uint32_t oid) {
    switch (oid) {
    case 20: // int8
    case 21: // int2
    case 23: // int4
        return parser::LiteralCast::integer;
    case 25:   // text
    case 1043: // varchar
        return parser::LiteralCast::text;
    case 701:  // float8
    case 1700: // numeric
        return parser::LiteralCast::number;
    case 700:  // float4: spelled with an exponent from 7 digits on
    case 18:   // "char": one byte
    case 19:   // name: 63 bytes
    case 1042: // bpchar: trailing blanks dropped
        return parser::LiteralCast::other;
    case 1082:
        return parser::LiteralCast::date;
    case 1114:
        return parser::LiteralCast::timestamp;
    case 1184:
        return parser::LiteralCast::timestamptz;
    default:
        return parser::LiteralCast::none;
    }
}

std::string_view cast_name(parser::LiteralCast cast, bool mariadb) {
    switch (cast) {
    case parser::LiteralCast::integer:
        return "an integer type";
    case parser::LiteralCast::number:
        return "a numeric type";
    case parser::LiteralCast::date:
        return "date";
    case parser::LiteralCast::timestamp:
        return mariadb ? "DATETIME" : "timestamp";
    case parser::LiteralCast::timestamptz:
        return "timestamptz";
    default:
        return "another type";
    }
}

BoundValue value_of(const Literal& literal, const RouteContext& context) {
    BoundValue out;
    switch (literal.kind) {
    case LiteralKind::integer: {
        std::int64_t number = 0;
        out.state = BoundValue::State::known;
        if (shardmaps::parse_int64(literal.text, number)) {
            out.value = number;
        } else {
            out.value = std::string_view(literal.text);
            out.number_literal = true; // (too long for an integer key: a number all the same)
        }
        return out;
    }
    case LiteralKind::decimal:
    case LiteralKind::string:
        out.state = BoundValue::State::known;
        out.value = std::string_view(literal.text);
        out.number_literal = literal.kind == LiteralKind::decimal;
        return out;
    case LiteralKind::null:
        out.state = BoundValue::State::null;
        return out;
    case LiteralKind::placeholder:
        if (literal.param < context.params.size()) {
            const auto& param = context.params[literal.param];
            if (!param) {
                out.state = BoundValue::State::null;
                return out;
            }
            out.state = BoundValue::State::known;
            out.value = std::string_view(*param);
            out.param = literal.param;
            if (literal.param < context.param_types.size()) {
                out.type = context.param_types[literal.param];
                out.cast = cast_of_type(out.type);
            }
            if (literal.param < context.param_casts.size()) {
                out.cast = context.param_casts[literal.param];
            }
            out.declared = out.cast != parser::LiteralCast::none;
        }
        return out;
    case LiteralKind::hex:
        return out;
    }
    return out;
}

/// Whether the value of `slot` reads as PostgreSQL's boolean true ('t', 'true', 'yes', 'on',
/// '1' and the unique prefixes, any case, blanks around): set_config's is_local.
bool reads_true(const parser::Fingerprint& fp, std::int32_t slot, const RouteContext& context) {
    if (slot < 0 || static_cast<std::size_t>(slot) >= fp.slots.size() ||
        fp.slot_begin(slot) == fp.slot_end(slot)) {
        return false;
    }
    const BoundValue value = value_of(*fp.slot_begin(slot), context);
    if (value.state != BoundValue::State::known) {
        return false;
    }
    if (const auto* number = std::get_if<std::int64_t>(&value.value)) {
        return *number == 1;
    }
    std::string_view text = std::get<std::string_view>(value.value);
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!text.empty() && blank(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && blank(text.back())) {
        text.remove_suffix(1);
    }
    std::string word(text.substr(0, 5));
    for (char& c : word) {
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    return text.size() <= 4 &&
           (word == "t" || word == "tr" || word == "tru" || word == "true" || word == "y" ||
            word == "ye" || word == "yes" || word == "on" || word == "1");
}

/// What a key expression evaluates to: the shards it can touch and, when it pins the key to
/// a set of values, the hashes of those values (for the hash balancing policy).
struct Reach {
    ShardSet shards;
    KeyHashes keys;
};

/// Evaluation of key expressions; the first error wins and becomes a reject.
class Evaluator {
public:
    Evaluator(const shardmaps::Table& table, const parser::Fingerprint& fp,
              std::span<const parser::LiteralCast> casts, const RouteContext& context)
        : table_(table), fp_(fp), casts_(casts), context_(context) {}

    Reach eval(const KeyExpr& expr) {
        return expr.unrestricted() ? everywhere()
                                   : eval(expr, static_cast<std::uint32_t>(expr.root));
    }

    /// The shard of one key value (INSERT rows).
    std::optional<ShardId> locate_slot(std::int32_t slot) {
        Values values;
        slot_values(slot, values);
        if (values.size() != 1 || values[0].state != BoundValue::State::known) {
            fail("22023", "the shard key of " + table_.name() +
                              " must be a known, non-NULL value in every INSERT row");
            return std::nullopt;
        }
        if (!reads_alike(values[0])) {
            return std::nullopt;
        }
        auto located = table_.locate(values[0].value);
        if (!located) {
            fail("22023", located.error().message);
            return std::nullopt;
        }
        return located->shard;
    }

    /// The text of one key value (an UPDATE's new key), or nullopt (with the error).
    std::optional<std::string> slot_text(std::int32_t slot) {
        Values values;
        slot_values(slot, values);
        if (values.size() != 1 || values[0].state != BoundValue::State::known) {
            fail("22023", "the new shard key of " + table_.name() +
                              " must be a known, non-NULL "
                              "value");
            return std::nullopt;
        }
        if (const auto* number = std::get_if<std::int64_t>(&values[0].value)) {
            return std::to_string(*number);
        }
        if (!reads_alike(values[0])) {
            return std::nullopt;
        }
        return std::string(std::get<std::string_view>(values[0].value));
    }

    bool failed() const { return failed_; }
    const std::string& sqlstate() const { return sqlstate_; }
    const std::string& message() const { return message_; }

private:
    /// Every shard of the table (made when needed: a point lookup never needs it).
    ShardSet all() const { return ShardSet(table_.shards()); }
    Reach everywhere() const { return {all(), KeyHashes::any()}; }

    Reach eval(const KeyExpr& expr, std::uint32_t index) {
        const auto& node = expr.nodes[index];
        switch (node.kind) {
        case KeyNode::Kind::all:
            return everywhere();
        case KeyNode::Kind::and_: {
            Reach result = everywhere();
            for (auto child : node.children) {
                auto reach = eval(expr, child);
                result.shards.intersect(reach.shards);
                result.keys.intersect(reach.keys);
            }
            return result;
        }
        case KeyNode::Kind::or_: {
            Reach result{ShardSet(), KeyHashes::none()};
            for (auto child : node.children) {
                auto reach = eval(expr, child);
                result.shards.unite(reach.shards);
                result.keys.unite(reach.keys);
            }
            return result;
        }
        case KeyNode::Kind::term:
            return eval_term(node.term);
        }
        return everywhere();
    }

    /// A slot's values (inline up to 4: a point lookup allocates nothing).
    using Values = boost::container::small_vector<BoundValue, 4>;

    /// Appends a slot's values to `out`.
    void slot_values(std::int32_t slot, Values& out) const {
        if (slot < 0 || static_cast<std::size_t>(slot) >= fp_.slots.size()) {
            out.emplace_back();
            return;
        }
        const auto written = static_cast<std::size_t>(slot) < casts_.size()
                                 ? casts_[static_cast<std::size_t>(slot)]
                                 : parser::LiteralCast::none;
        for (auto* l = fp_.slot_begin(slot); l != fp_.slot_end(slot); ++l) {
            out.push_back(value_of(*l, context_));
            if (written != parser::LiteralCast::none) {
                // A cast written on a parameter converts what its declared type read.
                BoundValue& v = out.back();
                v.cast = v.cast == parser::LiteralCast::none ||
                                 v.cast == parser::LiteralCast::text || v.cast == written
                             ? written
                             : parser::LiteralCast::other;
                v.declared = false;
            }
        }
    }

    Reach eval_term(const KeyTerm& term) {
        Values values;
        for (auto slot : term.slots) {
            slot_values(slot, values);
        }
        for (const auto& v : values) {
            if (v.state == BoundValue::State::unknown || compares_as_number(v)) {
                return everywhere();
            }
        }
        switch (term.op) {
        case CompareOp::eq:
        case CompareOp::in:
            return eval_points(values);
        case CompareOp::between:
            if (values.size() != 2) {
                return everywhere();
            }
            return {eval_range(values[0], true, values[1], true), KeyHashes::any()};
        case CompareOp::lt:
        case CompareOp::le:
            return {eval_range({}, true, values[0], term.op == CompareOp::le, true),
                    KeyHashes::any()};
        case CompareOp::gt:
        case CompareOp::ge:
            return {eval_range(values[0], term.op == CompareOp::ge, {}, true, false, true),
                    KeyHashes::any()};
        }
        return everywhere();
    }

    /// MariaDB compares a text column with a number as numbers ('05' = 5, '5.0' = 5, ' 5' =
    /// 5): a number says nothing about the text of the keys it matches.
    bool compares_as_number(const BoundValue& v) const {
        if (!context_.mariadb || table_.key().type != shardmaps::KeyType::text ||
            v.state != BoundValue::State::known) {
            return false;
        }
        return std::holds_alternative<std::int64_t>(v.value) || v.number_literal ||
               v.cast == parser::LiteralCast::integer || v.cast == parser::LiteralCast::number;
    }

    Reach eval_points(const Values& values) {
        Reach result{ShardSet(), KeyHashes::none()};
        for (const auto& v : values) {
            if (v.state != BoundValue::State::known) {
                continue; // `key = NULL` matches no row
            }
            if (!reads_alike(v)) {
                return result;
            }
            auto located = table_.locate(v.value);
            if (located) {
                result.shards.insert(located->shard);
                if (auto hash = key_hash(v.value, *located)) {
                    result.keys.add(*hash);
                }
            } else if (located.error().code == shardmaps::LookupErrorCode::bad_key) {
                fail("22023", located.error().message);
            }
            // no_shard: no row can have that key; it adds no shard.
        }
        return result;
    }

    /// keyspace_id(canonical text) of a located key: hash tables already computed it;
    /// time keys hash the decimal text of their seconds. Only sharded tables have a key.
    std::optional<std::uint64_t> key_hash(const KeyValue& value,
                                          const shardmaps::Location& located) const {
        if (table_.kind() != shardmaps::TableKind::horizontal) {
            return std::nullopt;
        }
        if (located.keyspace_id) {
            return *located.keyspace_id;
        }
        auto canonical = shardmaps::CanonicalKey::make(value, table_.key());
        if (!canonical) {
            return std::nullopt;
        }
        if (shardmaps::is_time_type(canonical->type())) {
            return shardmaps::keyspace_id(std::to_string(canonical->integer()));
        }
        return shardmaps::keyspace_id(canonical->text());
    }

    ShardSet eval_range(const BoundValue& lo, bool lo_inclusive, const BoundValue& hi,
                        bool hi_inclusive, bool no_lo = false, bool no_hi = false) {
        if ((!no_lo && lo.state == BoundValue::State::null) ||
            (!no_hi && hi.state == BoundValue::State::null)) {
            return {}; // comparison with NULL matches no row
        }
        if ((!no_lo && !reads_alike(lo)) || (!no_hi && !reads_alike(hi))) {
            return all();
        }
        std::optional<KeyBound> lower, upper;
        if (!no_lo) {
            lower = KeyBound{lo.value, lo_inclusive};
        }
        if (!no_hi) {
            upper = KeyBound{hi.value, hi_inclusive};
        }
        auto shards = table_.shards_for_range(lower, upper);
        if (!shards) {
            if (shards.error().code == shardmaps::LookupErrorCode::bad_key) {
                fail("22023", shards.error().message);
            }
            return all();
        }
        return ShardSet(*shards);
    }

    /// False (refused) for a key value the server may read as another value than shardgate
    /// places it by:
    /// - a cast (or a parameter's declared type) to a type that is not the key's kind, or
    ///   that can change the value (a length, a precision, a cast through another type);
    /// - a timestamptz key written without a UTC offset in a session whose time zone is not
    ///   UTC (its column reads it in that zone);
    /// - a time written with an offset where the server does not apply it as shardgate does:
    ///   MariaDB drops it (and reads a TIMESTAMP in the session's zone), and PostgreSQL
    ///   converts a value cast or declared as the other time type through the session's zone.
    ///   Those are taken only with a zero offset in a UTC session, where both readings agree;
    /// - a time cast to date that is not a midnight (the server keeps only the date).
    /// (A timestamp key is a wall-clock time, which no zone changes.)
    bool reads_alike(const BoundValue& bound) {
        using parser::LiteralCast;
        const auto type = table_.key().type;
        const bool time_key = shardmaps::is_time_type(type);
        const auto* text = std::get_if<std::string_view>(&bound.value);
        LiteralCast cast = bound.cast;
        if ((cast == LiteralCast::integer || cast == LiteralCast::number) && bound.declared &&
            text != nullptr && type == shardmaps::KeyType::text) {
            // A parameter bound as an integer (or a float holding one) comes as its digits,
            // which a text column stores as sent (pgjdbc setLong, Connector/J setInt, mysql2
            // numbers into a text key).
            // A float is spelled with an exponent from 16 digits on (MariaDB DOUBLE, PostgreSQL
            // float8: 1234567890123456 is stored as 1.234567890123456e15).
            std::int64_t number = 0;
            std::array<char, 24> digits{};
            constexpr std::int64_t float_limit = 1'000'000'000'000'000;
            if (shardmaps::parse_int64(*text, number) &&
                (cast == LiteralCast::integer || (number < float_limit && number > -float_limit))) {
                const auto end =
                    std::to_chars(digits.data(), digits.data() + digits.size(), number);
                if (std::string_view(digits.data(), end.ptr - digits.data()) == *text) {
                    cast = LiteralCast::none;
                }
            }
        }
        if (cast == LiteralCast::text ||
            ((cast == LiteralCast::integer || cast == LiteralCast::number) &&
             shardmaps::is_integer_type(type))) {
            cast = LiteralCast::none; // (an integer key reads the text: 12.7 is refused)
        }
        if (context_.mariadb && cast == LiteralCast::timestamp && time_key) {
            // MariaDB reads a DATETIME cast as its columns do, but keeps no fraction.
            cast = text != nullptr && shardmaps::has_subsecond(*text) ? LiteralCast::other
                                                                      : LiteralCast::none;
        }
        // (The texts of a refusal are made only for one: routing allocates nothing.)
        const auto what = [&] {
            return "the shard key " + table_.key().column + " of " + table_.name();
        };
        const auto how = [&] {
            const std::string type(cast_name(cast, context_.mariadb));
            return bound.declared
                       ? ", sent as parameter " + std::string(context_.mariadb ? "" : "$") +
                             std::to_string(bound.param + 1) + " declared " + type
                       : ", cast to " + type;
        };
        if (cast == LiteralCast::other || (cast != LiteralCast::none && !time_key) ||
            (time_key && (cast == LiteralCast::integer || cast == LiteralCast::number))) {
            fail("0A000", what() + " is a value" + how() +
                              ", which can change the value the server compares or stores "
                              "(a length, a precision, or a type other than the column's), "
                              "while shardgate places it by its text; write the value without "
                              "the cast, or cast it to the column's type");
            return false;
        }
        if (bound.number_literal && type == shardmaps::KeyType::text) {
            fail("0A000", what() + " is the number " + std::string(text->substr(0, 40)) +
                              ", which the server stores in its own spelling (1e3 as 1000, .5 "
                              "as 0.5), while shardgate places the text written; write the "
                              "key as a string");
            return false;
        }
        if (text == nullptr || !time_key) {
            return true;
        }
        const auto value = [&] {
            return " is the time '" + std::string(text->substr(0, 40)) + "'";
        };
        const bool offset = shardmaps::has_utc_offset(*text);
        const auto zero_offset_in_utc = [&] {
            return context_.utc_session &&
                   shardmaps::parse_timestamp(*text) == shardmaps::parse_wall_clock(*text);
        };
        const bool instant = type == shardmaps::KeyType::timestamptz;
        if (cast == LiteralCast::date && type != shardmaps::KeyType::date) {
            const auto wall = shardmaps::parse_wall_clock(*text);
            constexpr std::int64_t day = 86400;
            if (wall && ((*wall % day) + day) % day == 0 && !shardmaps::has_subsecond(*text) &&
                (!instant || (!offset && context_.utc_session))) {
                return true;
            }
            fail("0A000", what() + value() + how() +
                              ", which keeps only the date (at midnight in the session's time "
                              "zone), while shardgate places the row by the time; write the "
                              "time without the cast, or a date at midnight without an offset" +
                              (instant ? " in a session whose time zone is UTC" : ""));
            return false;
        }
        if (type == shardmaps::KeyType::date) {
            // A date column keeps the date of the text (offset dropped), except from an
            // instant, which the server moves to the session's zone first.
            if (cast != LiteralCast::timestamptz || !offset || zero_offset_in_utc()) {
                return true;
            }
            fail("0A000", what() + value() + " with a UTC offset" + how() +
                              ", which the server converts to a date in the session's time "
                              "zone, while shardgate places it by the date written; send the "
                              "date without the offset, or as the column's type");
            return false;
        }
        const bool typed_other = (instant && cast == LiteralCast::timestamp) ||
                                 (!instant && cast == LiteralCast::timestamptz);
        if (offset && (typed_other || (instant && context_.mariadb))) {
            if (zero_offset_in_utc()) {
                return true; // (a zero offset in UTC: the same time either way)
            }
            if (!typed_other) {
                fail("0A000", what() + value() +
                                  " with a UTC offset, which MariaDB drops (it reads the rest in "
                                  "the session's time zone), while shardgate would place the row "
                                  "by the instant it names, on another shard than the one the "
                                  "server means; write the time in UTC without an offset, in a "
                                  "session whose time_zone is '+00:00'");
            } else {
                fail("0A000",
                     what() + value() + " with a UTC offset" + how() +
                         ", which the server converts to the column's type (" +
                         (instant ? "timestamptz" : "timestamp") +
                         ") through the session's time zone, while shardgate places it by the "
                         "text; send the value untyped or as the column's type, or in UTC "
                         "with +00 in a session whose time zone is UTC");
            }
            return false;
        }
        if (context_.utc_session || !instant || offset) {
            return true;
        }
        fail("0A000", what() + value() +
                          " without a UTC offset, and this session's time zone is not UTC: its "
                          "timestamptz (MariaDB: TIMESTAMP) column reads it in the session's "
                          "zone, while shardgate places time keys by UTC, so the row could land "
                          "on another shard than its time's; write the time in UTC with +00 (a "
                          "timestamptz column also takes its own offset), or set the session's "
                          "time zone to UTC (MariaDB, whose times take no offset: SET time_zone "
                          "= '+00:00')");
        return false;
    }

    void fail(std::string sqlstate, std::string message) {
        if (!failed_) {
            failed_ = true;
            sqlstate_ = std::move(sqlstate);
            message_ = std::move(message);
        }
    }

    const shardmaps::Table& table_;
    const parser::Fingerprint& fp_;
    std::span<const parser::LiteralCast> casts_;
    const RouteContext& context_;
    bool failed_ = false;
    std::string sqlstate_;
    std::string message_;
};

} // namespace

namespace detail {

std::optional<std::uint32_t> slot_literal_at(const parser::Fingerprint& fp, std::int32_t slot) {
    if (slot < 0 || static_cast<std::size_t>(slot) >= fp.slots.size() ||
        fp.slots[slot].count != 1) {
        return std::nullopt;
    }
    const auto& literal = *fp.slot_begin(slot);
    if (literal.kind != parser::LiteralKind::integer) {
        return std::nullopt;
    }
    return literal.offset;
}

std::vector<HavingValue> having_values(const parser::Fingerprint& fp,
                                       const std::vector<parser::HavingNode>& nodes,
                                       const RouteContext& context) {
    std::vector<HavingValue> out(2 * nodes.size());
    const auto bind = [&](const parser::HavingOperand& operand, HavingValue& value) {
        const auto slot = operand.value.slot;
        if (operand.kind != parser::HavingOperand::Kind::literal || slot < 0 ||
            static_cast<std::size_t>(slot) >= fp.slots.size() || fp.slots[slot].count != 1) {
            return;
        }
        const auto bound = value_of(*fp.slot_begin(slot), context);
        if (bound.state == BoundValue::State::null) {
            value.known = true;
        } else if (bound.state == BoundValue::State::known) {
            value.known = true;
            if (const auto* n = std::get_if<std::int64_t>(&bound.value)) {
                value.text = std::to_string(*n);
            } else {
                value.text = std::string(std::get<std::string_view>(bound.value));
            }
        }
    };
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        bind(nodes[i].lhs, out[2 * i]);
        bind(nodes[i].rhs, out[2 * i + 1]);
    }
    return out;
}

std::optional<std::uint64_t> slot_number(const parser::Fingerprint& fp, std::int32_t slot,
                                         const RouteContext& context) {
    if (slot < 0 || static_cast<std::size_t>(slot) >= fp.slots.size() ||
        fp.slots[slot].count != 1) {
        return std::nullopt;
    }
    const auto bound = value_of(*fp.slot_begin(slot), context);
    if (bound.state != BoundValue::State::known) {
        return std::nullopt;
    }
    if (const auto* n = std::get_if<std::int64_t>(&bound.value)) {
        return *n >= 0 ? std::optional<std::uint64_t>(static_cast<std::uint64_t>(*n))
                       : std::nullopt;
    }
    const auto text = std::get<std::string_view>(bound.value);
    std::uint64_t number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return number;
}

/// `plan` (a previous statement's, to reuse its storage, or a new one) with every field set
/// from the template: nothing of the previous statement survives.
void start_plan(const PlanTemplate& t, const shardmaps::Database& db, const parser::Fingerprint& fp,
                const RouteContext& context, Plan& plan) {
    plan.kind = t.kind;
    plan.database = db.name();
    plan.shards.clear();
    plan.shard_names.clear();
    plan.tables = t.tables;
    plan.table_uses.reset();
    plan.reason = t.reason;
    plan.sqlstate = t.sqlstate;
    plan.merge = t.merge;
    plan.fingerprint = fp.text;
    plan.cached = false;
    plan.statement = t.statement;
    plan.verb = t.verb;
    plan.is_write = t.is_write;
    plan.returning = t.returning;
    plan.copies = t.copies;
    plan.reads_sequence_state = t.reads_sequence_state;
    plan.advances_sequence = t.advances_sequence;
    plan.session_state =
        reads_true(fp, t.session_state_slot, context) ? std::string_view() : t.session_state;
    plan.calls_set_config = t.calls_set_config;
    plan.max_lag_ms = fp.hints.max_lag_ms;
    plan.cache_ttl_ms.reset();
    plan.key_hash.reset();
    plan.generated_keys.reset();
    plan.key_move.reset();
    for (const auto& [key, value] : fp.hints.other) {
        std::uint32_t ttl = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), ttl);
        if (key == "cache_ttl_ms" && ec == std::errc{} && end == value.data() + value.size() &&
            ttl > 0) {
            plan.cache_ttl_ms = ttl;
        }
    }
    if (!plan.cache_ttl_ms && !t.is_write) {
        plan.cache_ttl_ms = db.cache_ttl_ms(plan.tables); // the map's result_cache setting
    }
    const bool primary = t.primary_only || context.in_transaction || fp.hints.primary ||
                         db.settings().read_policy == shardmaps::ReadPolicy::primary;
    plan.role = primary ? Role::primary : Role::replica;
    return;
}

void set_shards(Plan& plan, const shardmaps::Database& db, std::span<const ShardId> shards) {
    plan.shards.assign(shards.begin(), shards.end());
    plan.shard_names.resize(shards.size()); // (assigned in place: no new strings)
    for (std::size_t i = 0; i < shards.size(); ++i) {
        plan.shard_names[i] = db.shard(shards[i]).name;
    }
}

void rejected(Plan& plan, std::string sqlstate, std::string reason) {
    plan.kind = PlanKind::reject;
    plan.sqlstate = std::move(sqlstate);
    plan.reason = std::move(reason);
    plan.shards.clear();
    plan.shard_names.clear();
    return;
}

/// One group decides; several unjoined groups must agree on one shard.
GroupsReach reach_of_groups(const std::vector<KeyGroup>& groups, const parser::Fingerprint& fp,
                            std::span<const parser::LiteralCast> casts,
                            const RouteContext& context) {
    GroupsReach out;
    std::optional<ShardSet> combined;
    for (const auto& group : groups) {
        Evaluator evaluator(*group.table, fp, casts, context);
        auto reach = evaluator.eval(group.expr);
        if (!reach.keys.is_any()) {
            out.keys.unite(reach.keys);
        }
        if (evaluator.failed()) {
            out.sqlstate = evaluator.sqlstate();
            out.error = evaluator.message();
            return out;
        }
        if (!combined) {
            combined = std::move(reach.shards);
            continue;
        }
        if (combined->size() != 1 || *combined != reach.shards) {
            out.sqlstate = "0A000";
            out.error = "tables " + groups[0].names + " and " + group.names +
                        " are not joined on their shard key and their conditions do "
                        "not place both on one shard; join them on the key (e.g. ON "
                        "a.key = b.key) or pin both to the same key value";
            return out;
        }
    }
    if (combined) {
        out.shards = std::move(*combined);
    }
    return out;
}

std::string must_be_on_error(const shardmaps::Database& db, ShardId shard, const std::string& table,
                             const std::string& sharded) {
    return table + " lives on shard " + db.shard(shard).name + " but the sharded rows of " +
           sharded +
           " this statement needs are not (only) there; cross-shard joins "
           "are not supported";
}

} // namespace detail

namespace {

using namespace detail;

/// Keyed plans: the groups' shards; one shard routes, several scatter.
void bind_keyed(Plan& plan, const PlanTemplate& t, const shardmaps::Database& db,
                const parser::Fingerprint& fp, const RouteContext& context) {
    auto reach = reach_of_groups(t.groups, fp, t.slot_casts, context);
    if (!reach.error.empty()) {
        return rejected(plan, reach.sqlstate, reach.error);
    }
    auto combined = std::move(reach.shards);
    if (combined.empty()) {
        // The conditions match no shard (e.g. key = NULL): any one shard answers correctly.
        combined = ShardSet::single(t.groups[0].table->shards().front());
        plan.reason += " (no key value matches: any shard answers)";
    }
    if (t.must_be_on && (combined.size() != 1 || combined.ids()[0] != *t.must_be_on)) {
        return rejected(plan, "0A000",
                        must_be_on_error(db, *t.must_be_on, t.must_be_on_table, t.groups[0].names));
    }
    plan.kind = combined.size() == 1 ? PlanKind::route : PlanKind::scatter;
    set_shards(plan, db, combined.ids());
    if (plan.kind == PlanKind::scatter) {
        plan.merge.limit = slot_number(fp, t.limit_slot, context);
        plan.merge.offset = slot_number(fp, t.offset_slot, context);
        plan.merge.limit_at = slot_literal_at(fp, t.limit_slot);
        plan.merge.offset_at = slot_literal_at(fp, t.offset_slot);
        plan.merge.having_values = having_values(fp, plan.merge.having_nodes, context);
    } else {
        plan.merge = {};
        plan.key_hash = reach.keys.combined();
    }
    return;
}

void bind_insert(Plan& plan, const PlanTemplate& t, const shardmaps::Database& db,
                 const parser::Fingerprint& fp, const RouteContext& context) {
    Evaluator evaluator(*t.insert_table, fp, t.slot_casts, context);
    ShardSet shards;
    std::vector<shardmaps::ShardId> row_shards;
    for (auto slot : t.insert_key_slots) {
        auto shard = evaluator.locate_slot(slot);
        if (!shard) {
            return rejected(plan, evaluator.sqlstate(), evaluator.message());
        }
        shards.insert(*shard);
        row_shards.push_back(*shard);
    }
    if (t.must_be_on && (shards.size() != 1 || shards.ids()[0] != *t.must_be_on)) {
        return rejected(plan, "0A000",
                        t.must_be_on_table + " lives on shard " + db.shard(*t.must_be_on).name +
                            " but the rows of " + t.insert_table->name() +
                            " this statement inserts are not (only) there; one statement "
                            "runs on one shard");
    }
    plan.kind = shards.size() == 1 ? PlanKind::route : PlanKind::scatter;
    plan.merge = {};
    plan.merge.split_insert_rows = shards.size() > 1;
    set_shards(plan, db, shards.ids());
    if (plan.merge.split_insert_rows) {
        for (const auto shard : row_shards) {
            const auto at = std::find(plan.shards.begin(), plan.shards.end(), shard);
            plan.merge.insert_row_shards.push_back(
                static_cast<std::uint32_t>(at - plan.shards.begin()));
        }
    }
    return;
}

/// An UPDATE that sets the shard key: where the new value lives. On the rows' own shard(s)
/// only: an ordinary UPDATE. Elsewhere: a KeyMove (kind reject for paths that cannot move).
void bind_key_move(Plan& plan, const PlanTemplate& t, const shardmaps::Database& db,
                   const parser::Fingerprint& fp, const RouteContext& context) {
    const auto& table = *t.key_move_table;
    Evaluator evaluator(table, fp, t.slot_casts, context);
    const auto key = evaluator.slot_text(t.key_move_slot);
    const auto shard = key ? evaluator.locate_slot(t.key_move_slot) : std::nullopt;
    if (!key || !shard) {
        return rejected(plan, evaluator.sqlstate(), evaluator.message());
    }
    if (plan.shards.size() == 1 && plan.shards.front() == *shard) {
        return; // the rows stay on their shard
    }
    // (text and times are written quoted; a time unquoted was a syntax error on the shard)
    const bool quoted =
        table.key().type == shardmaps::KeyType::text || shardmaps::is_time_type(table.key().type);
    plan.key_move =
        KeyMove{table.name(), table.key().column, *key, quoted, *shard, db.shard(*shard).name, {}};
    if (const int digits = table.key().fraction_digits; digits >= 0 && digits < 6) {
        plan.key_move->key_cast =
            std::string(table.key().type == shardmaps::KeyType::timestamptz ? "::timestamptz("
                                                                            : "::timestamp(") +
            std::to_string(digits) + ")";
    }
    plan.kind = PlanKind::reject;
    plan.sqlstate = "0A000";
    plan.reason = "not supported yet: an UPDATE that moves rows of " + table.name() +
                  " to another shard in this kind of request; send it as a statement of its own";
    plan.merge = {};
    return;
}

} // namespace

void bind(const PlanTemplate& t, const shardmaps::Database& db, const parser::Fingerprint& fp,
          const RouteContext& session_context, Plan& plan) {
    RouteContext context = session_context;
    context.mariadb = db.engine() == shardmaps::Engine::mysql;
    start_plan(t, db, fp, context, plan);
    if (t.kind == PlanKind::session) {
        return;
    }
    if (fp.hints.shard) {
        const auto shard = db.find_shard(*fp.hints.shard);
        if (!shard) {
            return rejected(plan, "22023",
                            "hint names shard '" + *fp.hints.shard + "', which database '" +
                                db.name() + "' does not have");
        }
        plan.kind = PlanKind::route;
        plan.sqlstate.clear();
        plan.merge = {};
        plan.reason = "forced by hint shard=" + *fp.hints.shard;
        const ShardId only[] = {*shard};
        set_shards(plan, db, only);
        return;
    }
    switch (t.kind == PlanKind::reject ? PlanTemplate::Target::fixed : t.target) {
    case PlanTemplate::Target::fixed:
        set_shards(plan, db, t.fixed_shards);
        return;
    case PlanTemplate::Target::keyed: {
        bind_keyed(plan, t, db, fp, context);
        if (!t.single_shard_reason.empty() && plan.kind == PlanKind::scatter) {
            return rejected(plan, "0A000", t.single_shard_reason);
        }
        if (t.key_move_table != nullptr && plan.kind != PlanKind::reject) {
            return bind_key_move(plan, t, db, fp, context);
        }
        return;
    }
    case PlanTemplate::Target::insert_rows:
        return bind_insert(plan, t, db, fp, context);
    case PlanTemplate::Target::branches:
        return bind_branches(plan, t, db, fp, context);
    case PlanTemplate::Target::generated_keys:
        plan.kind = PlanKind::reject;
        plan.sqlstate = "0A000";
        plan.generated_keys = t.generated_keys;
        const ShardId counter[] = {t.generated_keys->counter_shard};
        set_shards(plan, db, counter);
        return;
    }
    return;
}

} // namespace shardgate::router
