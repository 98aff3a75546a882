// Cross-shard reads on MySQL/MariaDB: one COM_QUERY per shard sent before any answer is read
// (the shards run in parallel), each text result set decoded into rows for common/scatter,
// the merged rows re-encoded as text rows. The first shard's column definitions are the
// client's. A COM_STMT_EXECUTE runs as a one-off prepared statement on each shard (its
// parameters written into the text: see inline_parameters.hpp), so the shards answer binary
// rows, exact for every type, which are read as text for the merge and written back as
// binary rows.
#include "common/scatter.hpp"

#include "client_session.hpp"
#include "common/broadcast.hpp"
#include "shardgate/protocol/mysql/binary_row.hpp"
#include "shardgate/protocol/mysql/commands.hpp"
#include "shardgate/protocol/mysql/constants.hpp"
#include "shardgate/protocol/mysql/framing.hpp"
#include "shardgate/protocol/mysql/generic_packets.hpp"
#include "shardgate/protocol/mysql/response_tracker.hpp"
#include "shardgate/protocol/mysql/text_result_set.hpp"
#include "worker.hpp"

#include <chrono>
#include <fmt/format.h>
#include <functional>
#include <unordered_map>

namespace shardgate::proxy::mysql {

namespace pm = protocol::mysql;

namespace {

using router::ValueKind;

/// The comparison a collation allows shardgate to reproduce.
ValueKind collation_kind(std::string_view name) {
    if (name == "binary" || name.ends_with("_nopad_bin") || name.ends_with("_0900_bin")) {
        return ValueKind::binary;
    }
    if (name.ends_with("_bin")) {
        return ValueKind::binary_padded; // PAD SPACE: trailing spaces do not count
    }
    if (name == "utf8mb4_general_ci" || name == "utf8mb3_general_ci" || name == "utf8_general_ci" ||
        name == "latin1_swedish_ci" || name == "ascii_general_ci") {
        return ValueKind::folded;
    }
    return ValueKind::opaque;
}

/// Collations of table columns, learned from information_schema by the first cross-shard
/// read that compares them, per server; kept for a minute (an ALTER of a column's collation
/// is seen after that).
struct KnownCollation {
    std::string name;
    std::chrono::steady_clock::time_point learned;
};
thread_local std::unordered_map<std::string, KnownCollation> column_collations;
constexpr auto collation_ttl = std::chrono::seconds(60);

std::string collation_key(const std::string& endpoint, const router::MergeColumn& c) {
    return endpoint + "/" + c.schema + "." + c.table + "." + c.column;
}

bool depends_on_collation(const router::MergeColumn& c) {
    return c.kind == ValueKind::opaque && c.kind_detail == "the collation of an expression" &&
           !c.table.empty() && !c.column.empty();
}

bool plain_name(std::string_view name) {
    return !name.empty() && name.find_first_of("'\\\"`") == std::string_view::npos;
}

router::MergeColumn column_of(const pm::ColumnDefinition& c) {
    router::MergeColumn column;
    column.name = c.name;
    column.type = c.type;
    column.schema = c.schema;
    column.table = c.org_table;
    column.column = c.org_name;
    column.scale = c.decimals;
    if ((c.flags & (pm::ENUM_FLAG | pm::SET_FLAG)) != 0) {
        // The shards sort ENUM and SET by their member index, not their text.
        column.kind_detail = "ENUM/SET (ordered by member position)";
        return column;
    }
    switch (c.type) {
    case 1:  // TINY
    case 2:  // SHORT
    case 3:  // LONG
    case 8:  // LONGLONG
    case 9:  // INT24
    case 13: // YEAR
        column.kind = ValueKind::integer;
        break;
    case 0:   // DECIMAL
    case 246: // NEWDECIMAL
        column.kind = ValueKind::decimal;
        break;
    case 4: // FLOAT
    case 5: // DOUBLE
        column.kind = ValueKind::floating;
        break;
    case 7: // TIMESTAMP: its text is in the session's time_zone (a DST hour repeats)
        column.kind_detail = "TIMESTAMP as text depends on the session's time_zone";
        break;
    case 10: // DATE
    case 12: // DATETIME
    case 14: // NEWDATE
        column.kind = ValueKind::temporal;
        break;
    case 15:  // VARCHAR
    case 249: // TINY_BLOB
    case 250: // MEDIUM_BLOB
    case 251: // LONG_BLOB
    case 252: // BLOB
    case 253: // VAR_STRING
    case 254: // STRING
        // The definition carries the collation the value was sent in (the connection's), not
        // the one the column sorts by: binary strings are binary either way; text columns are
        // refined by their own collation (refine_collations), expressions stay opaque.
        column.kind = c.character_set == 63 ? ValueKind::binary : ValueKind::opaque;
        column.kind_detail = "the collation of an expression";
        break;
    default:
        column.kind_detail = fmt::format("column type {}", c.type);
    }
    return column;
}

/// Whether MariaDB's text form of a column's values loses what its binary form keeps: a FLOAT
/// is printed with 6 significant digits, a DOUBLE with fixed decimals (`ROUND(x, 2) * 3`,
/// DOUBLE(M,D)) with those decimals only; a DOUBLE otherwise with 17 (exact).
bool inexact_as_text(const pm::ColumnDefinition& c) {
    constexpr std::uint8_t not_fixed_decimals = 31;
    return c.type == pm::MYSQL_TYPE_FLOAT ||
           (c.type == pm::MYSQL_TYPE_DOUBLE && c.decimals < not_fixed_decimals);
}

/// One shard's answer: [answers to injected commands] then the statement's result set.
class MyLeg final : public ScatterLeg {
public:
    using GiveBack = std::function<void(std::shared_ptr<BackendConnection>)>;

    /// `rows`: binary when the statement sent was a COM_STMT_PREPARE that this leg executes.
    MyLeg(std::shared_ptr<BackendConnection> backend, std::vector<pm::ResponseKind> injected,
          GiveBack give_back, ScatterRows rows = ScatterRows::text)
        : backend_(std::move(backend)), shard_(backend_->target().shard),
          capabilities_(backend_->capabilities()), injected_(std::move(injected)),
          give_back_(std::move(give_back)), rows_(rows) {}

    /// A text result set read whole already (inside a transaction), as run_command() captured
    /// it for a client of `capabilities`. `binary_client`: the client gets binary rows made
    /// from these text values, which a FLOAT column's text (6 digits) cannot give exactly.
    MyLeg(const pm::Buffer& captured, std::string shard, std::uint32_t capabilities,
          bool binary_client)
        : shard_(std::move(shard)), capabilities_(capabilities), rows_(ScatterRows::text),
          binary_client_(binary_client) {
        const auto area = captured_.prepare(captured.size());
        std::copy(captured.begin(), captured.end(), static_cast<std::byte*>(area.data()));
        captured_.commit(captured.size());
    }

    const std::string& shard() const override { return shard_; }
    const std::vector<router::MergeColumn>& columns() const override { return columns_; }
    const std::optional<ScatterFailure>& failure() const override { return failure_; }
    const std::vector<pm::Buffer>& definitions() const { return definitions_; }
    const std::vector<pm::ParamType>& types() const { return types_; }
    std::uint16_t warnings() const { return warnings_; }

    asio::awaitable<bool> open() override {
        const bool prepared = co_await skip_injected();
        if (!prepared) {
            co_return false;
        }
        if (rows_ == ScatterRows::binary) {
            const bool executing = co_await execute_prepared();
            if (!executing) {
                co_return false;
            }
        }
        pm::Packet packet;
        bool got = co_await next_packet(packet);
        if (!got) {
            co_return false;
        }
        const auto& payload = packet.payload;
        if (!payload.empty() && static_cast<std::uint8_t>(payload[0]) == 0xFF) {
            error_from(payload);
            done_ = true;
            co_return false;
        }
        if (!payload.empty() && static_cast<std::uint8_t>(payload[0]) == 0x00) {
            done_ = true;
            failure_ = ScatterFailure{"0A000", "the statement returned no result set", 1235};
            co_return false;
        }
        auto count = pm::decode_column_count(payload);
        if (!count.ok()) {
            co_return broken("unreadable column count");
        }
        for (std::uint64_t i = 0; i < count.value(); ++i) {
            got = co_await next_packet(packet);
            if (!got) {
                co_return false;
            }
            auto definition = pm::decode_column_definition(packet.payload);
            if (!definition.ok()) {
                co_return broken("unreadable column definition");
            }
            if (binary_client_ && inexact_as_text(definition.value())) {
                done_ = true;
                failure_ = ScatterFailure{
                    "0A000",
                    "not supported yet: " +
                        std::string(definition.value().type == pm::MYSQL_TYPE_FLOAT
                                        ? "FLOAT"
                                        : "DOUBLE with fixed decimals") +
                        " column " + definition.value().name +
                        " of a prepared statement that reads several shards inside a "
                        "transaction (the shards answer it as text, which rounds it: cast it to "
                        "DOUBLE or DECIMAL, or use the text protocol)",
                    1235};
                co_return false;
            }
            columns_.push_back(column_of(definition.value()));
            types_.push_back(pm::column_value_type(definition.value()));
            definitions_.push_back(std::move(packet.payload));
        }
        if ((capabilities_ & pm::CLIENT_DEPRECATE_EOF) == 0) {
            got = co_await next_packet(packet); // EOF after the definitions
            if (!got) {
                co_return false;
            }
        }
        co_return true;
    }

    asio::awaitable<bool> next(router::Row& row) override {
        if (done_) {
            co_return false;
        }
        pm::Packet packet;
        const bool got = co_await next_packet(packet);
        if (!got) {
            co_return false;
        }
        const auto& payload = packet.payload;
        const auto first = payload.empty() ? 0 : static_cast<std::uint8_t>(payload[0]);
        if (first == 0xFF) {
            error_from(payload);
            done_ = true;
            co_return false;
        }
        if (first == 0xFE && payload.size() < 0xFFFFFF) {
            done_ = true; // EOF, or the OK that ends the rows under CLIENT_DEPRECATE_EOF
            if (payload.size() >= 3) {
                warnings_ =
                    static_cast<std::uint16_t>(static_cast<std::uint8_t>(payload[1]) |
                                               (static_cast<std::uint8_t>(payload[2]) << 8));
            }
            co_return false;
        }
        row.resize(columns_.size());
        if (rows_ == ScatterRows::binary) {
            auto values = pm::decode_binary_row(payload, types_);
            if (!values.ok()) {
                co_return broken("unreadable binary row");
            }
            for (std::size_t i = 0; i < columns_.size(); ++i) {
                row[i] = pm::binary_value_as_text(values.value()[i]);
            }
            co_return true;
        }
        auto values = pm::decode_text_row(payload, columns_.size());
        if (!values.ok()) {
            co_return broken("unreadable text row");
        }
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            const auto& value = values.value()[i];
            if (value) {
                row[i] = std::string(*value);
            } else {
                row[i].reset();
            }
        }
        co_return true;
    }

    bool buffered() const override {
        // (a captured answer has nothing more to wait for: stream() is never asked)
        return !backend_ || done_ || broken_ || pm::decode_packet(in().view()).ok();
    }

    /// For a statement without rows (DDL): the injected answers, then the statement's OK;
    /// nullopt on its error or a broken connection (failure() says which).
    asio::awaitable<std::optional<pm::ResponseSummary>> command_answer() {
        const bool prepared = co_await skip_injected();
        if (!prepared) {
            co_return std::nullopt;
        }
        pm::ResponseSummary summary;
        const bool read = co_await read_answer(pm::ResponseKind::text_query, summary);
        done_ = true;
        if (!read) {
            co_return std::nullopt;
        }
        if (summary.error) {
            failure_ = ScatterFailure{summary.error->sql_state.empty() ? "HY000"
                                                                       : summary.error->sql_state,
                                      summary.error->message, summary.error->error_code};
            co_return std::nullopt;
        }
        co_return summary;
    }
    /// Writes `bytes` to the backend; false (broken) when the connection failed.
    asio::awaitable<bool> send(const pm::Buffer& bytes) {
        const auto ec = co_await write_all(backend_->stream(), bytes);
        if (ec) {
            co_return broken("lost the connection (" + ec.message() + ")");
        }
        co_return true;
    }
    /// Reads the answers to the injected commands alone (sent before the statement); false
    /// when one failed (failure() says which).
    asio::awaitable<bool> settle() {
        const bool settled = co_await skip_injected();
        injected_.clear();
        co_return settled;
    }
    bool lost() const { return broken_; }
    net::Stream& stream() override { return backend_->stream(); }
    asio::awaitable<bool> fill() override {
        if (!backend_) {
            co_return false;
        }
        const auto ec = co_await read_more(backend_->stream(), backend_->in());
        if (ec) {
            co_return broken("lost the connection while reading its answer");
        }
        co_return true;
    }

    asio::awaitable<void> close() override {
        while (!done_ && !broken_) {
            router::Row row;
            const bool got = co_await next(row);
            if (!got) {
                break;
            }
        }
        if (!backend_) {
            co_return; // a captured answer: the transaction keeps its connection
        }
        if (broken_) {
            backend_->mark_broken();
        }
        give_back_(std::move(backend_));
    }

private:
    ReadBuffer& in() { return backend_ ? backend_->in() : captured_; }
    const ReadBuffer& in() const { return backend_ ? backend_->in() : captured_; }

    /// Reads one whole answer of `kind` into `summary`; false when the connection broke.
    asio::awaitable<bool> read_answer(pm::ResponseKind kind, pm::ResponseSummary& summary) {
        pm::ResponseTracker tracker(kind, capabilities_);
        for (;;) {
            auto& in = this->in();
            auto frame = pm::decode_frame(in.view());
            if (frame.need_more()) {
                if (!backend_) {
                    co_return broken("the shard's answer was cut short");
                }
                const auto ec = co_await read_more(backend_->stream(), in);
                if (ec) {
                    co_return broken("lost the connection while reading its answer");
                }
                continue;
            }
            if (frame.is_error()) {
                co_return broken("unreadable packet");
            }
            const auto step = tracker.on_frame(frame.value());
            in.consume(frame.consumed());
            if (step.status == pm::TrackStatus::protocol_error) {
                co_return broken("answered out of protocol");
            }
            if (step.status == pm::TrackStatus::complete) {
                summary = tracker.summary();
                co_return true;
            }
        }
    }

    asio::awaitable<bool> skip_injected() {
        for (const auto kind : injected_) {
            pm::ResponseSummary summary;
            const bool read = co_await read_answer(kind, summary);
            if (!read) {
                co_return false;
            }
            if (summary.error) {
                if (backend_) {
                    backend_->applied_settings() = std::nullopt;
                }
                failure_ = ScatterFailure{
                    "HY000", "preparing the shard's session: " + summary.error->message, 1105};
                // The statement's own answer follows; the connection is not reused.
                broken_ = true;
                done_ = true;
                co_return false;
            }
        }
        co_return true;
    }

    /// Reads the answer to the COM_STMT_PREPARE that was sent, then executes the statement
    /// once and closes it (COM_STMT_CLOSE has no answer).
    asio::awaitable<bool> execute_prepared() {
        pm::ResponseSummary summary;
        const bool read = co_await read_answer(pm::ResponseKind::stmt_prepare, summary);
        if (!read) {
            co_return false;
        }
        if (summary.error || !summary.prepare_ok) {
            if (summary.error) {
                failure_ = ScatterFailure{
                    summary.error->sql_state.empty() ? "HY000" : summary.error->sql_state,
                    summary.error->message, summary.error->error_code};
            } else {
                failure_ = ScatterFailure{"HY000", "the statement could not be prepared", 1105};
            }
            done_ = true; // the answer was read whole: the connection is reusable
            co_return false;
        }
        const auto id = summary.prepare_ok->statement_id;
        pm::ComStmtExecute execute;
        execute.statement_id = id;
        execute.new_params_bound = false;
        pm::Buffer payload, request;
        pm::encode_com_stmt_execute(execute, payload);
        std::uint8_t sequence = 0;
        pm::append_packet(request, sequence, payload);
        payload.clear();
        pm::encode_com_stmt_close(id, payload);
        sequence = 0;
        pm::append_packet(request, sequence, payload);
        const auto ec = co_await write_all(backend_->stream(), request);
        if (ec) {
            co_return broken("lost the connection (" + ec.message() + ")");
        }
        co_return true;
    }

    asio::awaitable<bool> next_packet(pm::Packet& packet) {
        auto& in = this->in();
        for (;;) {
            auto decoded = pm::decode_packet(in.view());
            if (decoded.ok()) {
                packet = std::move(decoded.value());
                in.consume(decoded.consumed());
                co_return true;
            }
            if (decoded.is_error()) {
                co_return broken("unreadable packet");
            }
            if (!backend_) {
                co_return broken("the shard's answer was cut short");
            }
            const auto ec = co_await read_more(backend_->stream(), in);
            if (ec) {
                co_return broken("lost the connection while reading its answer");
            }
        }
    }

    void error_from(const pm::Buffer& payload) {
        auto err = pm::decode_err_packet(payload, capabilities_ | pm::CLIENT_PROTOCOL_41);
        if (!err.ok()) {
            failure_ = ScatterFailure{"HY000", "unreadable error packet", 1105};
            return;
        }
        failure_ = ScatterFailure{err.value().sql_state.empty() ? "HY000" : err.value().sql_state,
                                  err.value().message, err.value().error_code};
    }

    bool broken(std::string message) {
        broken_ = true;
        done_ = true;
        if (!failure_) {
            failure_ = ScatterFailure{"08S01", std::move(message), 2013};
        }
        return false;
    }

    std::shared_ptr<BackendConnection> backend_; ///< null: a captured answer
    ReadBuffer captured_;
    std::string shard_;
    std::uint32_t capabilities_ = 0;
    std::vector<pm::ResponseKind> injected_;
    GiveBack give_back_;
    std::vector<router::MergeColumn> columns_;
    ScatterRows rows_;
    std::vector<pm::Buffer> definitions_;
    std::vector<pm::ParamType> types_;
    std::optional<ScatterFailure> failure_;
    std::uint16_t warnings_ = 0;
    bool binary_client_ = false;
    bool done_ = false;
    bool broken_ = false;
};

void apply_collation(router::MergeColumn& column, const std::string& collation) {
    column.kind = collation_kind(collation);
    column.kind_detail = "collation " + collation;
}

/// Makes the text columns of a cross-shard result precise: their own collation (from
/// information_schema on the first shard's server, cached), not the connection's.
template <class Pool>
asio::awaitable<void> refine_collations(Pool& pool, const BackendTarget& where,
                                        std::vector<router::MergeColumn>& columns) {
    const auto endpoint = where.endpoint.to_string();
    const auto now = std::chrono::steady_clock::now();
    std::vector<std::size_t> unknown;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        auto& c = columns[i];
        if (!depends_on_collation(c)) {
            continue;
        }
        const auto it = column_collations.find(collation_key(endpoint, c));
        if (it != column_collations.end() && now - it->second.learned < collation_ttl) {
            apply_collation(c, it->second.name);
        } else if (plain_name(c.schema) && plain_name(c.table) && plain_name(c.column)) {
            unknown.push_back(i);
        }
    }
    if (unknown.empty()) {
        co_return;
    }
    std::string sql =
        "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLLATION_NAME FROM "
        "information_schema.COLUMNS WHERE (TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME) IN (";
    for (std::size_t k = 0; k < unknown.size(); ++k) {
        const auto& c = columns[unknown[k]];
        sql += fmt::format("{}('{}', '{}', '{}')", k == 0 ? "" : ", ", c.schema, c.table, c.column);
    }
    sql += ")";
    auto acquired = co_await pool.acquire(where);
    if (!acquired.connection) {
        co_return; // the columns stay opaque: a merge that compares them is refused
    }
    pm::Buffer command;
    pm::encode_com_query(sql, command);
    pm::Buffer request;
    std::uint8_t sequence = 0;
    pm::append_packet(request, sequence, command);
    auto backend = std::move(acquired.connection);
    const auto ec = co_await write_all(backend->stream(), request);
    if (ec) {
        backend->mark_broken();
        pool.release(std::move(backend));
        co_return;
    }
    MyLeg leg(std::move(backend), {},
              [&pool](std::shared_ptr<BackendConnection> c) { pool.release(std::move(c)); });
    const bool opened = co_await leg.open();
    if (opened) {
        for (;;) {
            router::Row row;
            const bool got = co_await leg.next(row);
            if (!got) {
                break;
            }
            if (row.size() != 4 || !row[0] || !row[1] || !row[2] || !row[3]) {
                continue;
            }
            router::MergeColumn named;
            named.schema = *row[0];
            named.table = *row[1];
            named.column = *row[2];
            column_collations[collation_key(endpoint, named)] = KnownCollation{*row[3], now};
        }
    }
    co_await leg.close();
    for (const auto i : unknown) {
        auto& c = columns[i];
        const auto it = column_collations.find(collation_key(endpoint, c));
        if (it != column_collations.end()) {
            apply_collation(c, it->second.name);
        }
    }
}

class MySink final : public ScatterSink {
public:
    struct Client {
        std::function<void(const pm::Buffer&)> send;
        std::function<asio::awaitable<bool>()> flush;
        std::function<std::size_t()> buffered;
        std::uint32_t capabilities = 0;
        /// The session's status flags when a packet is sent (the read may open a transaction)
        std::function<std::uint16_t()> status_flags;
        /// The MySQL error number shardgate uses for a SQLSTATE of its own.
        std::uint16_t (*code_for)(const std::string& sqlstate) = nullptr;
    };

    MySink(Client client, ScatterRows rows) : client_(std::move(client)), rows_(rows) {}

    void begin(ScatterLeg& first, std::size_t visible) override {
        const auto& leg = static_cast<MyLeg&>(first);
        visible_ = visible;
        types_.assign(leg.types().begin(),
                      leg.types().begin() + static_cast<std::ptrdiff_t>(visible));
        pm::Buffer payload;
        pm::encode_column_count(visible, payload);
        client_.send(payload);
        for (std::size_t i = 0; i < visible; ++i) { // not the hidden sort columns
            client_.send(leg.definitions()[i]);
        }
        if ((client_.capabilities & pm::CLIENT_DEPRECATE_EOF) == 0) {
            payload.clear();
            pm::encode_eof_packet(pm::EofPacket{0, client_.status_flags()}, client_.capabilities,
                                  payload);
            client_.send(payload);
        }
    }
    bool row(const router::Row& row) override {
        pm::Buffer payload;
        if (rows_ == ScatterRows::binary) {
            values_.resize(visible_);
            for (std::size_t i = 0; i < visible_; ++i) {
                if (!row[i]) {
                    values_[i] = std::monostate{};
                    continue;
                }
                auto value = pm::binary_value_from_text(*row[i], types_[i]);
                if (!value) {
                    return false;
                }
                values_[i] = *value;
            }
            if (!pm::encode_binary_row(values_, types_, payload)) {
                return false;
            }
        } else if (row.size() == visible_) {
            pm::encode_text_row(row, payload);
        } else {
            pm::encode_text_row(
                router::Row(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(visible_)),
                payload);
        }
        client_.send(payload);
        return true;
    }
    std::size_t pending() const override { return client_.buffered(); }
    asio::awaitable<bool> drain() override { co_return co_await client_.flush(); }
    void end(std::uint64_t) override {
        pm::Buffer payload;
        pm::encode_result_set_end(client_.status_flags(), 0, client_.capabilities, payload);
        client_.send(payload);
    }
    void fail(const ScatterFailure& failure, bool) override {
        pm::ErrPacket err;
        err.error_code = failure.code != 0 ? failure.code : client_.code_for(failure.sqlstate);
        err.sql_state = failure.sqlstate;
        err.message = failure.message;
        pm::Buffer payload;
        pm::encode_err_packet(err, client_.capabilities | pm::CLIENT_PROTOCOL_41, payload);
        client_.send(payload);
    }

private:
    Client client_;
    ScatterRows rows_;
    std::size_t visible_ = 0;
    std::vector<pm::ParamType> types_;    ///< of the visible columns
    std::vector<pm::BinaryValue> values_; ///< one binary row, reused
};

} // namespace

asio::awaitable<ShardConnection<BackendConnection, BackendTarget>>
ClientSession::shard_connection(const Target& target, std::vector<BackendIndex>& failed) {
    ShardConnection<BackendConnection, BackendTarget> out;
    const auto choice = co_await core_.choose(target, failed);
    if (!choice.ok()) {
        out.failure = {
            "HY000", choice.message,
            static_cast<std::uint16_t>(choice.mysql_errno != 0 ? choice.mysql_errno : 1105)};
        co_return out;
    }
    out.backend = choice.backend;
    out.where = backend_target(*choice.info);
    auto acquired = co_await worker_.pool().acquire(out.where);
    if (!acquired.connection) {
        if (acquired.failure == Acquired::Failure::unavailable) {
            core_.backend_failed(choice.backend);
        }
        const auto error = error_of(acquired.failure);
        out.failure = {std::string(error.sqlstate), acquired.message, error.code};
        co_return out; // (the message names the shard)
    }
    out.connection = std::move(acquired.connection);
    co_return out;
}

asio::awaitable<CapturedLeg> ClientSession::capture_leg(const Target& target,
                                                        const std::string& statement,
                                                        std::size_t budget, ScatterRows rows) {
    CapturedLeg out;
    const auto& shard = core_.shard_name(target.shard);
    if (auto refused = core_.second_shard(target.shard)) {
        out.failure = ScatterFailure{refused->sqlstate, refused->message, 1235};
        co_return out;
    }
    capture_within(budget);
    auto [alive, captured] =
        co_await captured_query(Target{target.shard, true, false, target.max_lag_ms}, statement);
    out.over_budget = capture_over_budget(captured.size());
    out.client_alive = !client_gone_;
    out.bytes = captured.size();
    if (out.over_budget) {
        co_return out;
    }
    // The shard's error, or a cut answer, ends the read here.
    const auto [summary, complete] =
        summarize_captured(captured, capabilities_ | pm::CLIENT_PROTOCOL_41);
    if (summary.error) {
        const auto& error = *summary.error;
        out.failure = ScatterFailure{error.sql_state.empty() ? "HY000" : error.sql_state,
                                     "shard " + shard + ": " + error.message, error.error_code};
        co_return out;
    }
    if (!complete || !alive) {
        out.failure =
            ScatterFailure{"08S01", "shard " + shard + ": the answer was cut short", 2013};
        co_return out;
    }
    out.leg = std::make_unique<MyLeg>(captured, shard, capabilities_ | pm::CLIENT_PROTOCOL_41,
                                      rows == ScatterRows::binary);
    co_return out;
}

asio::awaitable<bool> ClientSession::on_scatter(const router::Plan& plan, std::string_view sql,
                                                pm::Bytes payload, ScatterRows rows) {
    pm::Buffer rewritten_payload;
    const auto rewritten = router::shard_statement(plan, sql);
    if (rows == ScatterRows::binary) {
        pm::encode_com_stmt_prepare(rewritten ? std::string_view(*rewritten) : sql,
                                    rewritten_payload);
        payload = rewritten_payload;
    } else if (rewritten) {
        pm::encode_com_query(*rewritten, rewritten_payload);
        payload = rewritten_payload;
    }
    auto& stats = worker_.stats();
    // (with autocommit off the read opens the transaction, as its first statement does on
    // MariaDB: outside one, its implicit transactions would stay open on pooled connections)
    const bool in_transaction = core_.txn() != Txn::none || !autocommit_;
    auto targets = core_.scatter_targets(plan, in_transaction);
    if (!targets) {
        send_refusal(targets.error());
        co_return co_await flush();
    }
    // A table in mid-move: each shard's statement hides the rows it holds without owning.
    const auto& registry = worker_.context().registry;
    const auto split_seen = registry.split_tables();
    auto filters = owned_rows_filters(registry, plan, sql, lex_mode_);
    if (!filters) {
        send_refusal(filters.error());
        co_return co_await flush();
    }
    if (holds_state() || (pinned_ && !in_transaction)) {
        // Session state (user variables, temporary tables) lives on the pinned backend only.
        send_err({1235, "0A000",
                  "not supported yet: a statement that needs several shards while the session "
                  "holds a backend connection (session state or an open cursor)"});
        co_return co_await flush();
    }
    state_ = State::forwarding;
    std::optional<BackendTarget> first; // where the columns' collations are looked up
    MySink sink(MySink::Client{[this](const pm::Buffer& p) { send_payload(p); },
                               [this] { return flush(); }, [this] { return out_.size(); },
                               capabilities_, [this] { return status_flags(); },
                               &ClientSession::error_code_for},
                rows);
    ScatterSettings settings{router::MergeEngine::mysql, worker_.scatter_limits(), {}};
    settings.refine_columns =
        [this, &first](std::vector<router::MergeColumn>& columns) -> asio::awaitable<void> {
        if (first) {
            co_await refine_collations(worker_.pool(), *first, columns);
        }
    };
    ScatterOutcome outcome;
    if (in_transaction) {
        // Each shard's answer read whole through the transaction's connection there.
        const CaptureLeg capture = [&](std::size_t index,
                                       std::size_t budget) -> asio::awaitable<CapturedLeg> {
            router::OwnershipFilter filter;
            if (registry.split_tables() != split_seen) { // a move began or ended meanwhile
                auto now = owned_rows_filters(registry, plan, sql, lex_mode_);
                if (!now) {
                    CapturedLeg refused;
                    refused.failure =
                        ScatterFailure{now.error().sqlstate, now.error().message, 1105};
                    co_return refused;
                }
                filter = now->empty() ? router::OwnershipFilter{} : (*now)[index];
            } else if (!filters->empty()) {
                filter = (*filters)[index];
            }
            const auto statement =
                router::shard_statement(plan, sql, filter).value_or(std::string(sql));
            const auto moves = registry.split_tables();
            auto captured = co_await capture_leg((*targets)[index], statement, budget, rows);
            if (registry.split_tables() != moves && captured.leg) {
                // A move began or ended while the statement waited or ran: its filter may be
                // stale (rows of a table in mid-move could be counted twice or not at all).
                co_await captured.leg->close();
                captured.leg.reset();
                captured.failure = ScatterFailure{
                    "HY000",
                    "a table move began or ended while this read of several shards ran; run it "
                    "again",
                    1105};
            }
            if (!first && pinned_) {
                first = pinned_->target();
            }
            co_return captured;
        };
        const auto counted = core_.digest_rows_counted();
        outcome = co_await run_captured_scatter(plan, targets->size(), capture, sink, settings);
        core_.digest_rows_restore(counted);
    } else {
        outcome = co_await run_scatter_legs(plan, sql, payload, rows, *targets, *filters,
                                            split_seen, first, sink, settings);
    }
    count_scatter(stats, outcome);
    core_.digest_rows(outcome.rows_out);
    state_ = State::idle;
    const bool flushed = co_await flush();
    co_return flushed&& outcome.client_alive;
}

asio::awaitable<ScatterOutcome> ClientSession::run_scatter_legs(
    const router::Plan& plan, std::string_view sql, pm::Bytes payload, ScatterRows rows,
    const std::vector<Target>& targets, const std::vector<router::OwnershipFilter>& filters,
    const std::shared_ptr<const BackendRegistry::SplitTables>& split_seen,
    std::optional<BackendTarget>& first, ScatterSink& sink, const ScatterSettings& settings) {
    const auto& registry = worker_.context().registry;
    auto give_back = [this](std::shared_ptr<BackendConnection> connection) {
        const auto thread = connection->connection_id(); // no KILL reaches it once pooled
        std::erase_if(scatter_running_, [&](const auto& running) {
            return running.second == thread &&
                   running.first.endpoint.to_string() == connection->target().endpoint.to_string();
        });
        worker_.pool().release(std::move(connection));
    };
    std::vector<BackendIndex> failed;
    const StartLeg start = [&](std::size_t index) -> asio::awaitable<LegStart> {
        const auto& target = targets[index];
        auto shard = co_await shard_connection(target, failed);
        if (!shard.connection) {
            co_return LegStart{nullptr, std::move(shard.failure)};
        }
        const auto& where = shard.where;
        auto backend = std::move(shard.connection);
        router::OwnershipFilter filter;
        if (!filters.empty()) {
            filter = filters[index];
        }
        if (registry.split_tables() != split_seen) {
            // A move began (or ended) while this leg waited for its connection: the shard's
            // statement follows what the proxy knows now (shardctl copies only once every
            // proxy lists the move, so a statement sent from here on is filtered).
            auto now = owned_rows_filters(registry, plan, sql, lex_mode_);
            if (!now) {
                worker_.pool().release(std::move(backend));
                co_return LegStart{nullptr, {now.error().sqlstate, now.error().message, 1105}};
            }
            filter = now->empty() ? router::OwnershipFilter{} : (*now)[index];
        }
        pm::Buffer request;
        std::vector<pm::ResponseKind> injected;
        replay_settings(*backend, request, injected);
        std::uint8_t sequence = 0;
        if (filter.empty()) {
            pm::append_packet(request, sequence, payload);
        } else { // this shard's statement hides the rows it holds without owning them
            const auto filtered = router::shard_statement(plan, sql, filter).value_or("");
            pm::Buffer leg;
            if (rows == ScatterRows::binary) {
                pm::encode_com_stmt_prepare(filtered, leg);
            } else {
                pm::encode_com_query(filtered, leg);
            }
            pm::append_packet(request, sequence, leg);
        }
        const auto ec = co_await write_all(backend->stream(), request);
        if (ec) {
            core_.backend_failed(shard.backend);
            backend->mark_broken();
            worker_.pool().release(std::move(backend));
            co_return LegStart{
                nullptr,
                {"HY000", "shard " + where.shard + ": lost the connection (" + ec.message() + ")",
                 2013}};
        }
        if (!first) {
            first = where;
        }
        scatter_running_.emplace_back(backend->target(), backend->connection_id()); // KILL QUERY
        co_return LegStart{
            std::make_unique<MyLeg>(std::move(backend), std::move(injected), give_back, rows), {}};
    };
    const auto outcome = co_await run_scatter(plan, targets.size(), start, sink, settings);
    scatter_running_.clear(); // (every leg gave its connection back already)
    co_return outcome;
}

asio::awaitable<bool> ClientSession::on_broadcast(const router::Plan& plan, pm::Bytes payload) {
    auto targets = core_.broadcast_targets(plan);
    if (!targets) {
        send_refusal(targets.error());
        co_return co_await flush();
    }
    if (pinned_) {
        send_err({1235, "0A000",
                  "not supported yet: DDL that runs on several shards while the session holds "
                  "a backend connection (session state or an open cursor)"});
        co_return co_await flush();
    }
    state_ = State::forwarding;
    std::vector<BackendIndex> failed;
    const RunOnShard run = [&](std::size_t index) -> asio::awaitable<ShardOutcome> {
        ShardOutcome out;
        auto shard = co_await shard_connection((*targets)[index], failed);
        if (!shard.connection) {
            out.failure = std::move(shard.failure);
            co_return out;
        }
        auto backend = std::move(shard.connection);
        const auto where = backend->target();
        const auto thread = backend->connection_id();
        // The settings' replay first, on its own: the statement never runs in a session
        // that is not the client's.
        pm::Buffer setup;
        std::vector<pm::ResponseKind> injected;
        replay_settings(*backend, setup, injected);
        MyLeg answer(
            std::move(backend), std::move(injected),
            [this](std::shared_ptr<BackendConnection> c) { worker_.pool().release(std::move(c)); });
        bool sent = true;
        if (!setup.empty()) {
            sent = co_await answer.send(setup);
            if (sent) {
                sent = co_await answer.settle();
            }
        }
        if (sent) {
            pm::Buffer request;
            std::uint8_t sequence = 0;
            pm::append_packet(request, sequence, payload);
            sent = co_await answer.send(request);
        }
        std::optional<pm::ResponseSummary> summary;
        if (sent) {
            scatter_running_.emplace_back(where, thread); // KILL QUERY stops a long ALTER
            summary = co_await answer.command_answer();
            scatter_running_.clear();
        }
        if (summary) {
            out.ok = true;
            out.affected = summary->affected_rows;
            out.warnings = summary->warnings;
        } else {
            if (answer.lost() && answer.failure() && answer.failure()->code == 2013) {
                core_.backend_failed(shard.backend); // the connection, not a statement, failed
            }
            out.failure = answer.failure().value_or(ScatterFailure{"HY000", "no answer", 2013});
        }
        co_await answer.close();
        co_return out;
    };
    const auto outcome = co_await run_broadcast(plan.shard_names, run);
    ++worker_.stats().broadcast_statements;
    if (outcome.ok) {
        pm::OkPacket ok;
        ok.affected_rows = outcome.affected;
        ok.status_flags = status_flags();
        ok.warnings = outcome.warnings;
        pm::Buffer packet;
        pm::encode_ok_packet(ok, capabilities_, packet);
        send_payload(packet);
    } else {
        ++worker_.stats().broadcast_failed;
        const auto& f = outcome.failure;
        send_err({f.code != 0 ? f.code : error_code_for(f.sqlstate), f.sqlstate, f.message});
    }
    state_ = State::idle;
    co_return co_await flush();
}

} // namespace shardgate::proxy::mysql
