// Statement effect scanning (quotes and comments skipped) and SET statement tracking.
#include "session_state.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace shardgate::proxy::mysql {
namespace {

bool ident_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

/// Index just past a quoted string starting at `i` (quote char at i).
std::size_t skip_quoted(std::string_view s, std::size_t i) {
    const char quote = s[i++];
    while (i < s.size()) {
        if (s[i] == '\\' && quote != '`') {
            i += 2;
            continue;
        }
        if (s[i] == quote) {
            if (i + 1 < s.size() && s[i + 1] == quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        ++i;
    }
    return s.size();
}

/// Calls on_word(lowercase word, index in words, the text after it) for every identifier or
/// keyword outside quotes and comments, on_at() for each '@' that starts a user variable and
/// on_system(lowercase name) for each system variable (`@@name`, `@@session.name`).
template <class Word, class At, class System>
void scan_words(std::string_view s, Word on_word, At on_at, System on_system) {
    std::size_t i = 0;
    std::size_t index = 0;
    std::string word;
    while (i < s.size()) {
        const char c = s[i];
        if (c == '\'' || c == '"' || c == '`') {
            i = skip_quoted(s, i);
        } else if (c == '#' || (c == '-' && s.substr(i, 3) == "-- ")) {
            const auto end = s.find('\n', i);
            i = end == std::string_view::npos ? s.size() : end + 1;
        } else if (c == '/' && s.substr(i, 2) == "/*") {
            if (s.substr(i, 3) == "/*!") { // executable comment: its text is SQL
                i += 3;
                while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
                    ++i;
                }
                continue;
            }
            const auto end = s.find("*/", i + 2);
            i = end == std::string_view::npos ? s.size() : end + 2;
        } else if (c == '@') {
            if (i + 1 < s.size() && s[i + 1] == '@') {
                i += 2; // system variable
                word.clear();
                while (i < s.size() && (ident_char(s[i]) || s[i] == '.')) {
                    word.push_back(lower(s[i++]));
                }
                on_system(word);
            } else {
                on_at();
                ++i;
            }
        } else if (ident_char(c)) {
            word.clear();
            while (i < s.size() && ident_char(s[i])) {
                word.push_back(lower(s[i++]));
            }
            on_word(word, index++, s.substr(i));
        } else {
            ++i;
        }
    }
}

std::string trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.back())) || s.back() == ';')) {
        s.remove_suffix(1);
    }
    return std::string(s);
}

std::string lowered(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), lower);
    return out;
}

bool starts_with_word(const std::string& lower_text, std::string_view word) {
    return lower_text.starts_with(word) &&
           (lower_text.size() == word.size() || !ident_char(lower_text[word.size()]));
}

/// Splits at commas outside quotes and parentheses.
std::vector<std::string_view> split_assignments(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    int depth = 0;
    for (std::size_t i = 0; i < s.size();) {
        const char c = s[i];
        if (c == '\'' || c == '"' || c == '`') {
            i = skip_quoted(s, i);
            continue;
        }
        if (c == '(') {
            ++depth;
        } else if (c == ')') {
            --depth;
        } else if (c == ',' && depth == 0) {
            out.push_back(s.substr(start, i - start));
            start = i + 1;
        }
        ++i;
    }
    out.push_back(s.substr(start));
    return out;
}

/// The text after the leading SET keyword (and comments before it).
std::string_view after_set(std::string_view sql) {
    std::size_t i = 0;
    for (;;) {
        while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) {
            ++i;
        }
        if (sql.substr(i, 2) == "/*") {
            const auto end = sql.find("*/", i + 2);
            i = end == std::string_view::npos ? sql.size() : end + 2;
            continue;
        }
        break;
    }
    if (sql.size() - i >= 3 && lowered(sql.substr(i, 3)) == "set") {
        i += 3;
    }
    return sql.substr(i);
}

} // namespace

StatementEffects scan_effects(std::string_view sql) {
    StatementEffects effects;
    std::string first, second;
    bool saw_local = false;
    scan_words(
        sql,
        [&](const std::string& word, std::size_t index, std::string_view rest) {
            if (index == 0) {
                first = word;
            } else if (index == 1) {
                second = word;
            }
            if (word == "temporary") {
                effects.temporary_table = true;
            } else if (word == "get_lock" || word == "release_lock" ||
                       word == "release_all_locks" || word == "is_used_lock" ||
                       word == "is_free_lock") {
                effects.named_lock = true;
            } else if (word == "last_insert_id") {
                effects.last_insert_id = true;
                // LAST_INSERT_ID( expr ): an argument sets the value
                std::size_t at = 0;
                auto skip_space = [&] {
                    while (at < rest.size() && std::isspace(static_cast<unsigned char>(rest[at]))) {
                        ++at;
                    }
                };
                skip_space();
                if (at < rest.size() && rest[at] == '(') {
                    ++at;
                    skip_space();
                    if (at < rest.size() && rest[at] != ')') {
                        effects.last_insert_id_set = true;
                    }
                }
            } else if (word == "found_rows" || word == "sql_calc_found_rows" ||
                       word == "row_count") {
                effects.found_rows = true;
                if (word == "sql_calc_found_rows") {
                    effects.calc_found_rows = true;
                } else {
                    // a call (a column of that name reads nothing)
                    const auto call = rest.find_first_not_of(" \t\r\n");
                    const bool called = call != std::string_view::npos && rest[call] == '(';
                    effects.reads_row_counts = effects.reads_row_counts || called;
                    effects.reads_found_rows =
                        effects.reads_found_rows || (called && word == "found_rows");
                }
            } else if (word == "lastval" || word == "nextval" || word == "previous" ||
                       word == "next") {
                // LASTVAL( / NEXTVAL( calls, PREVIOUS VALUE / NEXT VALUE FOR
                const auto at = rest.find_first_not_of(" \t\r\n");
                const auto after =
                    at == std::string_view::npos ? std::string_view() : rest.substr(at);
                const bool call =
                    (word == "lastval" || word == "nextval") && after.starts_with('(');
                const bool value = (word == "previous" || word == "next") && after.size() >= 5 &&
                                   (after[0] | 0x20) == 'v' && (after[1] | 0x20) == 'a' &&
                                   (after[2] | 0x20) == 'l' && (after[3] | 0x20) == 'u' &&
                                   (after[4] | 0x20) == 'e';
                if (call || value) {
                    (word == "lastval" || word == "previous" ? effects.reads_sequence
                                                             : effects.advances_sequence) = true;
                }
            } else if (word == "local" && first == "load") {
                saw_local = true;
            } else if ((word == "infile" || word == "xml") && saw_local) {
                effects.local_infile = true;
            } else if (word == "lock" && first == "flush") {
                effects.table_lock = true;
            }
        },
        [&] { effects.user_variable = true; },
        [&](const std::string& name) {
            // @@last_insert_id and @@identity read what LAST_INSERT_ID() returns
            const auto dot = name.rfind('.');
            const auto bare = dot == std::string::npos ? std::string_view(name)
                                                       : std::string_view(name).substr(dot + 1);
            if (bare == "last_insert_id" || bare == "identity") {
                effects.last_insert_id = true;
            }
        });
    if (first == "lock" || first == "unlock") {
        effects.table_lock = true;
    }
    if (first == "prepare" || first == "execute" || first == "deallocate" || first == "handler" ||
        (first == "drop" && second == "prepare")) {
        effects.sql_prepared = true;
    }
    if (first == "call") {
        effects.procedure_call = true;
    }
    if (first == "load" && second == "xml" && saw_local) {
        effects.local_infile = true;
    }
    return effects;
}

namespace {

/// `SET SESSION TRANSACTION mode [, mode]` as the session variables it sets (MariaDB 10.11:
/// tx_isolation, tx_read_only), so it is replayed like any other setting; nullopt when a
/// mode is not understood.
std::optional<std::vector<std::pair<std::string, std::string>>>
session_transaction_modes(const std::string& modes_text) {
    std::vector<std::string> words;
    std::string word;
    for (const char c : modes_text + " ") {
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            word.push_back(c);
        } else {
            if (!word.empty()) {
                words.push_back(std::move(word));
                word.clear();
            }
            if (c == ',') {
                words.emplace_back(",");
            }
        }
    }
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t i = 0; i < words.size();) {
        if (words[i] == ",") {
            ++i;
        } else if (words[i] == "isolation" && i + 2 < words.size() && words[i + 1] == "level") {
            std::string level = words[i + 2];
            i += 3;
            if ((level == "repeatable" || level == "read") && i < words.size() && words[i] != ",") {
                level += "-" + words[i++];
            }
            for (char& c : level) {
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            }
            out.emplace_back("tx_isolation", "tx_isolation = '" + level + "'");
        } else if (words[i] == "read" && i + 1 < words.size() &&
                   (words[i + 1] == "only" || words[i + 1] == "write")) {
            out.emplace_back("tx_read_only",
                             std::string("tx_read_only = ") + (words[i + 1] == "only" ? "1" : "0"));
            i += 2;
        } else {
            return std::nullopt;
        }
    }
    if (out.empty()) {
        return std::nullopt;
    }
    return out;
}

} // namespace

SetKind classify_set(std::string_view set_statement,
                     std::vector<std::pair<std::string, std::string>>* assignments) {
    const auto body = after_set(set_statement);
    const auto head = lowered(trim(body));
    for (std::string_view prefix : {"session transaction", "local transaction"}) {
        if (head.starts_with(prefix) &&
            (head.size() == prefix.size() || !ident_char(head[prefix.size()]))) {
            auto modes = session_transaction_modes(head.substr(prefix.size()));
            if (!modes) {
                return SetKind::pinning; // not understood: keep the backend
            }
            if (assignments != nullptr) {
                *assignments = std::move(*modes);
            }
            return SetKind::session;
        }
    }
    if (starts_with_word(head, "password") || starts_with_word(head, "role") ||
        starts_with_word(head, "default") || starts_with_word(head, "statement")) {
        return SetKind::password;
    }
    if (starts_with_word(head, "transaction")) {
        return SetKind::pinning;
    }
    SetKind kind = SetKind::session;
    for (const auto piece : split_assignments(body)) {
        std::string text = trim(piece);
        std::string low = lowered(text);
        if (low.starts_with("@@global.") || starts_with_word(low, "global")) {
            return SetKind::global;
        }
        if (low.starts_with("@") && !low.starts_with("@@")) {
            kind = SetKind::pinning;
            continue;
        }
        for (std::string_view prefix : {"@@session.", "@@local.", "@@"}) {
            if (low.starts_with(prefix)) {
                text.erase(0, prefix.size());
                low.erase(0, prefix.size());
                break;
            }
        }
        for (std::string_view word : {"session", "local"}) {
            if (starts_with_word(low, word)) {
                text = trim(std::string_view(text).substr(word.size()));
                low = lowered(text);
                break;
            }
        }
        std::string key;
        if (starts_with_word(low, "names") || starts_with_word(low, "charset") ||
            low.starts_with("character set")) {
            key = "names";
        } else {
            std::size_t end = 0;
            while (end < low.size() &&
                   (ident_char(low[end]) || low[end] == '`' || low[end] == '.')) {
                ++end;
            }
            key = low.substr(0, end);
            std::erase(key, '`');
        }
        if (key.empty()) {
            return SetKind::pinning; // not understood: keep the backend
        }
        const auto eq = text.find('=');
        if (scan_effects(eq == std::string::npos ? text : text.substr(eq)).user_variable) {
            kind = SetKind::pinning;
        }
        if (assignments != nullptr) {
            assignments->emplace_back(std::move(key), std::move(text));
        }
    }
    return kind;
}

SetKind SessionSettings::apply(std::string_view set_statement) {
    std::vector<std::pair<std::string, std::string>> assignments;
    const auto kind = classify_set(set_statement, &assignments);
    if (kind == SetKind::session) {
        for (auto& [key, text] : assignments) {
            put(std::move(key), std::move(text));
        }
    }
    return kind;
}

void SessionSettings::record(std::string_view name, std::string_view value) {
    const bool number = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
    std::string text(name);
    text += " = ";
    if (number) {
        text += value;
    } else {
        text += '\'';
        for (const char c : value) {
            if (c == '\'' || c == '\\') {
                text += '\\';
            }
            text += c;
        }
        text += '\'';
    }
    put(lowered(name), std::move(text));
}

void SessionSettings::put(std::string key, std::string assignment) {
    if (key == "time_zone") {
        zone_unknown_ = false; // (read from this assignment now)
    }
    for (auto& entry : entries_) {
        if (entry.first == key) {
            entry.second = std::move(assignment);
            return;
        }
    }
    entries_.emplace_back(std::move(key), std::move(assignment));
}

const std::string* SessionSettings::assignment(std::string_view key) const {
    for (const auto& entry : entries_) {
        if (entry.first == key) {
            return &entry.second;
        }
    }
    return nullptr;
}

bool SessionSettings::utc_time_zone() const {
    const auto* set = assignment("time_zone");
    if (set == nullptr) {
        return !zone_unknown_;
    }
    const auto eq = set->find('=');
    std::string value =
        lowered(trim(std::string_view(*set).substr(eq == std::string::npos ? 0 : eq + 1)));
    if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"') &&
        value.back() == value.front()) {
        value = value.substr(1, value.size() - 2);
    }
    static const std::set<std::string_view> utc{
        "+00:00",    "-00:00",    "+0:00",     "-0:00",         "utc",    "etc/utc",
        "gmt",       "etc/gmt",   "universal", "etc/universal", "zulu",   "etc/zulu",
        "uct",       "etc/uct",   "gmt0",      "etc/gmt0",      "gmt+0",  "gmt-0",
        "etc/gmt+0", "etc/gmt-0", "greenwich", "etc/greenwich", "default"};
    return !zone_unknown_ && utc.contains(value);
}

std::optional<std::string> sql_mode_value(std::string_view assignment) {
    auto eq = assignment.find('=');
    if (eq == std::string_view::npos) {
        return std::nullopt;
    }
    const std::string value = trim(assignment.substr(eq + 1));
    if (lowered(value) == "default") {
        return std::string("DEFAULT");
    }
    if (value.size() < 2 || (value.front() != '\'' && value.front() != '"') ||
        value.back() != value.front()) {
        return std::nullopt;
    }
    const auto inner = std::string_view(value).substr(1, value.size() - 2);
    if (inner.find_first_of("'\"\\") != std::string_view::npos) {
        return std::nullopt; // mode names never need quotes or escapes
    }
    return std::string(inner);
}

namespace {

/// A recursive-descent reader of the sql_mode expressions evaluate_sql_mode() accepts.
class SqlModeExpression {
public:
    SqlModeExpression(std::string_view text, std::string_view current)
        : text_(text), current_(current) {}

    std::optional<std::string> evaluate() {
        auto value = term();
        skip_space();
        if (!value || pos_ != text_.size()) {
            return std::nullopt;
        }
        return value;
    }

private:
    void skip_space() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) {
            ++pos_;
        }
    }
    bool take(char c) {
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    std::string word() {
        skip_space();
        std::string out;
        while (pos_ < text_.size() &&
               (ident_char(text_[pos_]) || text_[pos_] == '@' || text_[pos_] == '.')) {
            out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(text_[pos_]))));
            ++pos_;
        }
        return out;
    }
    std::optional<std::string> literal() {
        const char quote = text_[pos_++];
        std::string out;
        while (pos_ < text_.size()) {
            const char c = text_[pos_++];
            if (c == '\\') {
                return std::nullopt; // mode names never need escapes
            }
            if (c == quote) {
                if (pos_ < text_.size() && text_[pos_] == quote) {
                    out.push_back(quote);
                    ++pos_;
                    continue;
                }
                return out;
            }
            out.push_back(c);
        }
        return std::nullopt;
    }
    std::optional<std::vector<std::string>> arguments() {
        std::vector<std::string> out;
        if (!take('(')) {
            return std::nullopt;
        }
        do {
            auto value = term();
            if (!value) {
                return std::nullopt;
            }
            out.push_back(std::move(*value));
        } while (take(','));
        if (!take(')')) {
            return std::nullopt;
        }
        return out;
    }
    std::optional<std::string> term() {
        skip_space();
        if (pos_ < text_.size() && (text_[pos_] == '\'' || text_[pos_] == '"')) {
            return literal();
        }
        const auto name = word();
        if (name == "@@sql_mode" || name == "@@session.sql_mode" || name == "@@local.sql_mode") {
            return std::string(current_);
        }
        if (name == "concat") {
            auto args = arguments();
            if (!args) {
                return std::nullopt;
            }
            std::string out;
            for (const auto& arg : *args) {
                out += arg;
            }
            return out;
        }
        if (name == "replace") {
            auto args = arguments();
            if (!args || args->size() != 3 || (*args)[1].empty()) {
                return std::nullopt;
            }
            std::string out = (*args)[0];
            for (auto at = out.find((*args)[1]); at != std::string::npos;
                 at = out.find((*args)[1], at + (*args)[2].size())) {
                out.replace(at, (*args)[1].size(), (*args)[2]);
            }
            return out;
        }
        return std::nullopt;
    }

    std::string_view text_;
    std::string_view current_;
    std::size_t pos_ = 0;
};

} // namespace

std::optional<std::string> evaluate_sql_mode(std::string_view assignment,
                                             std::string_view current) {
    const auto eq = assignment.find('=');
    if (eq == std::string_view::npos) {
        return std::nullopt;
    }
    return SqlModeExpression(assignment.substr(eq + 1), current).evaluate();
}

std::string SessionSettings::replay_sql() const {
    std::string out;
    for (const auto& [key, text] : entries_) {
        out += out.empty() ? "SET " : ", ";
        out += text;
    }
    return out;
}

std::optional<std::string> found_rows_label(std::string_view sql) {
    std::size_t at = 0;
    const auto space = [&] {
        const auto from = at;
        while (at < sql.size() && std::isspace(static_cast<unsigned char>(sql[at]))) {
            ++at;
        }
        return at > from;
    };
    const auto word = [&](std::string_view expected) {
        if (sql.size() - at < expected.size()) {
            return false;
        }
        for (std::size_t i = 0; i < expected.size(); ++i) {
            if (std::tolower(static_cast<unsigned char>(sql[at + i])) != expected[i]) {
                return false;
            }
        }
        const auto after = at + expected.size();
        if (after < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[after])) ||
                                   sql[after] == '_' || sql[after] == '$')) {
            return false; // a longer word
        }
        at = after;
        return true;
    };
    const auto symbol = [&](char c) {
        space();
        if (at < sql.size() && sql[at] == c) {
            ++at;
            return true;
        }
        return false;
    };
    space();
    if (!word("select") || !space()) {
        return std::nullopt;
    }
    const auto call_begin = at;
    if (!word("found_rows") || !symbol('(') || !symbol(')')) {
        return std::nullopt;
    }
    std::string label(sql.substr(call_begin, at - call_begin));
    const bool spaced = space();
    if (at < sql.size() && sql[at] != ';') {
        if (!spaced) {
            return std::nullopt;
        }
        if (word("as") && !space()) {
            return std::nullopt;
        }
        const auto name_begin = at;
        while (at < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[at])) ||
                                   sql[at] == '_' || sql[at] == '$')) {
            ++at;
        }
        if (at == name_begin || std::isdigit(static_cast<unsigned char>(sql[name_begin]))) {
            return std::nullopt; // (quoted names and the rest are not recognised)
        }
        label.assign(sql.substr(name_begin, at - name_begin));
        space();
    }
    if (at < sql.size() && sql[at] == ';') {
        ++at;
        space();
    }
    if (at != sql.size()) {
        return std::nullopt;
    }
    return label;
}

} // namespace shardgate::proxy::mysql
