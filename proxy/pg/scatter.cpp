// Cross-shard reads on PostgreSQL: one Query per shard sent before any answer is read (the
// shards run in parallel), each answer decoded into text rows for common/scatter, the merged
// rows re-encoded as DataRows. The first shard's RowDescription is the client's.
#include "common/scatter.hpp"

#include "client_session.hpp"
#include "common/broadcast.hpp"
#include "shardgate/protocol/pg/backend_decoder.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "shardgate/protocol/pg/frontend_decoder.hpp"
#include "worker.hpp"

#include <fmt/format.h>
#include <functional>
#include <spdlog/spdlog.h>
#include <unordered_map>

namespace shardgate::proxy::pg {

namespace ppg = protocol::pg;

ScatterFailure failure_of(const ppg::Frame& frame) {
    auto error = ppg::decode_error_response(frame);
    if (!error) {
        return {"XX000", "unreadable ErrorResponse", 0};
    }
    return {std::string(error.value().field('C').value_or("XX000")),
            std::string(error.value().field('M').value_or("error")), 0};
}

namespace {

using router::ValueKind;

/// The default collation of each server's database, learned by the first cross-shard read
/// that reached it (key: endpoint/database).
thread_local std::unordered_map<std::string, std::string> database_collations;

constexpr std::string_view collation_probe =
    "SELECT datcollate::text || '/' || datlocprovider::text FROM pg_database "
    "WHERE datname = current_database()";

bool byte_ordered(std::string_view collation) {
    // "<datcollate>/<provider>": libc C, POSIX and C.UTF-8 order text by bytes (= code points).
    return collation == "C/c" || collation == "POSIX/c" || collation == "C.UTF-8/c" ||
           collation == "C.utf8/c";
}

/// How a result column's values compare, by type and format. In binary format integers, dates
/// and times are big-endian integers (timestamptz too: microseconds since 2000 in UTC, whatever
/// the session's zone), floats IEEE, numeric base-10000 digits; text types are the same bytes in
/// both formats.
router::MergeColumn column_of(const ppg::FieldDescription& field, const std::string& collation,
                              bool iso_dates) {
    router::MergeColumn column;
    column.name = std::string(field.name);
    column.type = field.type_oid;
    const bool binary = field.format != ppg::FormatCode::text;
    switch (field.type_oid) {
    case 20: // int8
    case 21: // int2
    case 23: // int4
        column.kind = binary ? ValueKind::be_integer : ValueKind::integer;
        break;
    case 1700: // numeric
        column.kind = binary ? ValueKind::be_numeric : ValueKind::decimal;
        break;
    case 700: // float4
    case 701: // float8
        column.kind = binary ? ValueKind::be_float : ValueKind::floating;
        break;
    case 16:   // bool ('f' < 't'; binary 0 < 1)
    case 17:   // bytea (hex text keeps byte order)
    case 2950: // uuid
        column.kind = field.type_oid == 16 && !binary ? ValueKind::boolean : ValueKind::binary;
        break;
    case 1082: // date
    case 1083: // time
    case 1114: // timestamp
        column.kind =
            binary ? ValueKind::be_integer : (iso_dates ? ValueKind::temporal : ValueKind::opaque);
        column.kind_detail = binary || iso_dates ? "" : "the session's DateStyle is not ISO";
        break;
    case 1184: // timestamptz
        column.kind = binary ? ValueKind::be_integer : ValueKind::opaque;
        column.kind_detail = "timestamptz as text depends on the session's TimeZone";
        break;
    case 19:   // name
    case 25:   // text
    case 1042: // bpchar
    case 1043: // varchar
        if (byte_ordered(collation)) {
            column.kind = ValueKind::binary;
        } else {
            column.kind_detail = "database collation " + collation;
        }
        break;
    default:
        column.kind_detail = fmt::format("type oid {}", field.type_oid);
    }
    return column;
}

/// One shard's answer: [answers to injected queries] [collation probe] the statement.
class PgLeg final : public ScatterLeg {
public:
    using GiveBack = std::function<void(std::shared_ptr<BackendConnection>)>;

    PgLeg(std::shared_ptr<BackendConnection> backend, int injected, bool probe, bool iso_dates,
          GiveBack give_back)
        : backend_(std::move(backend)), shard_(backend_->target().shard),
          pool_key_(backend_->target().pool_key()), injected_(injected), probe_(probe),
          iso_dates_(iso_dates), give_back_(std::move(give_back)),
          ready_owed_(injected + (probe ? 1 : 0) + 1) {}

    /// An answer read whole already (inside a transaction): [the collation probe's answer]
    /// the statement's, as execute() captured them from `server` (its pool key).
    PgLeg(const ppg::ByteBuffer& captured, std::string shard, std::string server, bool probe,
          bool iso_dates)
        : shard_(std::move(shard)), pool_key_(std::move(server)), probe_(probe),
          iso_dates_(iso_dates), ready_owed_((probe ? 1 : 0) + 1) {
        const auto area = captured_.prepare(captured.size());
        std::copy(captured.begin(), captured.end(), static_cast<std::byte*>(area.data()));
        captured_.commit(captured.size());
    }

    const std::string& shard() const override { return shard_; }
    const std::vector<router::MergeColumn>& columns() const override { return columns_; }
    const std::optional<ScatterFailure>& failure() const override { return failure_; }
    const ppg::ByteBuffer& row_description() const { return row_description_; }

    asio::awaitable<bool> open() override {
        std::string collation;
        const auto& key = pool_key_;
        if (const auto it = database_collations.find(key); it != database_collations.end()) {
            collation = it->second;
        }
        while (injected_ > 0 || probe_) {
            ppg::Frame frame;
            const bool got = co_await next_frame(frame);
            if (!got) {
                co_return false;
            }
            if (frame.type == ppg::PqMsg_ReadyForQuery) {
                --ready_owed_;
                if (injected_ > 0) {
                    --injected_;
                } else {
                    probe_ = false;
                    database_collations[key] = collation;
                }
            } else if (frame.type == ppg::PqMsg_ErrorResponse && !failure_) {
                failure_ = failure_of(frame);
                failure_->message = "preparing the shard's session: " + failure_->message;
                if (backend_) {
                    backend_->applied_settings() = std::nullopt; // replay again next time
                }
            } else if (frame.type == ppg::PqMsg_DataRow && injected_ == 0) {
                auto row = ppg::decode_data_row(frame);
                if (row && row.value().values.size() == 1 && row.value().values[0]) {
                    collation = std::string(ppg::as_text(*row.value().values[0]));
                }
            }
            consume();
        }
        if (failure_) {
            co_return false;
        }
        for (;;) {
            ppg::Frame frame;
            const bool got = co_await next_frame(frame);
            if (!got) {
                co_return false;
            }
            const auto type = frame.type;
            if (type == ppg::PqMsg_RowDescription) {
                auto description = ppg::decode_row_description(frame);
                if (!description) {
                    failure_ = ScatterFailure{"08P01", "unreadable RowDescription", 0};
                    broken_ = true;
                    co_return false;
                }
                for (const auto& field : description.value().fields) {
                    columns_.push_back(column_of(field, collation, iso_dates_));
                }
                row_description_.assign(frame.bytes.begin(), frame.bytes.end());
                consume();
                co_return true;
            }
            if (type == ppg::PqMsg_ErrorResponse) {
                failure_ = failure_of(frame);
                consume();
                co_return false;
            }
            if (type == ppg::PqMsg_ReadyForQuery) {
                --ready_owed_;
                failure_ = ScatterFailure{"0A000", "the statement returned no rows description", 0};
                consume();
                co_return false;
            }
            consume(); // notices, ParameterStatus, CommandComplete of a statement without rows
        }
    }

    asio::awaitable<bool> next(router::Row& row) override {
        for (;;) {
            if (ended_) {
                co_return false;
            }
            ppg::Frame frame;
            const bool got = co_await next_frame(frame);
            if (!got) {
                co_return false;
            }
            const auto type = frame.type;
            if (type == ppg::PqMsg_DataRow) {
                auto data = ppg::decode_data_row(frame);
                if (!data || data.value().values.size() != columns_.size()) {
                    failure_ = ScatterFailure{"08P01", "unreadable DataRow", 0};
                    broken_ = true;
                    co_return false;
                }
                row.resize(columns_.size());
                for (std::size_t i = 0; i < columns_.size(); ++i) {
                    const auto& value = data.value().values[i];
                    if (value) {
                        row[i] = std::string(ppg::as_text(*value));
                    } else {
                        row[i].reset();
                    }
                }
                consume();
                co_return true;
            }
            if (type == ppg::PqMsg_CommandComplete) {
                ended_ = true;
                consume();
                co_return false;
            }
            if (type == ppg::PqMsg_ErrorResponse) {
                failure_ = failure_of(frame);
                ended_ = true;
                consume();
                co_return false;
            }
            if (type == ppg::PqMsg_ReadyForQuery) {
                --ready_owed_;
                ended_ = true;
                consume();
                co_return false;
            }
            consume();
        }
    }

    bool buffered() const override {
        // (a captured answer has nothing more to wait for: stream() is never asked)
        return !backend_ || ended_ || broken_ || ppg::next_frame(in().view()).ok();
    }
    net::Stream& stream() override { return backend_->stream(); }
    asio::awaitable<bool> fill() override {
        if (!backend_) {
            co_return false;
        }
        const auto ec = co_await read_more(backend_->stream(), backend_->in());
        if (ec) {
            broken_ = true;
            if (!failure_) {
                failure_ =
                    ScatterFailure{"08006", "lost the connection while reading its answer", 0};
            }
            co_return false;
        }
        co_return true;
    }

    asio::awaitable<void> close() override {
        // Every Query sent on this connection ends with a ReadyForQuery: read to the last one
        // (a leg closed unopened still has the replay, the probe and the statement pending).
        while (ready_owed_ > 0 && !broken_) {
            ppg::Frame frame;
            const bool got = co_await next_frame(frame);
            if (!got) {
                break;
            }
            if (frame.type == ppg::PqMsg_ReadyForQuery) {
                --ready_owed_;
            }
            consume();
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

    /// The next whole frame of the answer (valid until consume()); false when the connection
    /// broke (failure_ says so).
    asio::awaitable<bool> next_frame(ppg::Frame& frame) {
        auto& in = this->in();
        for (;;) {
            auto next = ppg::next_frame(in.view());
            if (next.ok()) {
                frame = next.value();
                pending_ = next.consumed();
                co_return true;
            }
            if (next.is_error() || !backend_) {
                break;
            }
            const auto ec = co_await read_more(backend_->stream(), in);
            if (ec) {
                break;
            }
        }
        broken_ = true;
        if (!failure_) {
            failure_ = ScatterFailure{"08006", "lost the connection while reading its answer", 0};
        }
        co_return false;
    }
    void consume() {
        in().consume(pending_);
        pending_ = 0;
    }

    std::shared_ptr<BackendConnection> backend_; ///< null: a captured answer
    ReadBuffer captured_;
    std::string shard_;
    std::string pool_key_; ///< the server's (its database's collation is looked up by it)
    int injected_ = 0;
    bool probe_ = false;
    bool iso_dates_ = true;
    GiveBack give_back_;
    std::vector<router::MergeColumn> columns_;
    ppg::ByteBuffer row_description_;
    std::optional<ScatterFailure> failure_;
    std::size_t pending_ = 0;
    bool ended_ = false;
    int ready_owed_ = 1; ///< ReadyForQuery messages still to read
    bool broken_ = false;
};

class PgSink final : public ScatterSink {
public:
    PgSink(ppg::ByteBuffer& out, ScatterAnswer answer, std::function<asio::awaitable<bool>()> flush)
        : out_(out), answer_(std::move(answer)), flush_(std::move(flush)) {}

    void begin(ScatterLeg& first, std::size_t visible) override {
        visible_ = visible;
        append(answer_.before_description);
        if (!answer_.describe) {
            return;
        }
        const auto& bytes = static_cast<PgLeg&>(first).row_description();
        if (visible == first.columns().size()) {
            append(bytes);
            return;
        }
        // without the hidden sort columns (the frame was decoded once already: it is valid)
        const auto frame = ppg::next_frame(ppg::ByteView(bytes.data(), bytes.size())).value();
        auto description = ppg::decode_row_description(frame).value();
        description.fields.resize(visible);
        ppg::encode(out_, description);
    }
    bool row(const router::Row& row) override {
        ppg::DataRow data;
        data.values.reserve(visible_);
        for (std::size_t i = 0; i < visible_; ++i) {
            const auto& cell = row[i];
            if (cell) {
                data.values.emplace_back(ppg::as_bytes(*cell));
            } else {
                data.values.emplace_back(std::nullopt);
            }
        }
        ppg::encode(out_, data);
        return true;
    }
    std::size_t pending() const override { return out_.size(); }
    asio::awaitable<bool> drain() override { co_return co_await flush_(); }
    void end(std::uint64_t rows) override {
        const auto tag = fmt::format("SELECT {}", rows);
        ppg::encode(out_, ppg::CommandComplete{tag});
        append(answer_.after_complete);
    }
    void fail(const ScatterFailure& failure, bool) override {
        ppg::encode_error(out_, ppg::ErrorInfo{"ERROR", failure.sqlstate, failure.message});
    }

private:
    void append(const ppg::ByteBuffer& bytes) {
        out_.insert(out_.end(), bytes.begin(), bytes.end());
    }

    ppg::ByteBuffer& out_;
    ScatterAnswer answer_;
    std::size_t visible_ = 0;
    std::function<asio::awaitable<bool>()> flush_;
};

} // namespace

asio::awaitable<bool> ClientSession::on_scatter(const router::Plan& plan, std::string_view sql,
                                                ppg::ByteView query) {
    // (named locals only around the co_await: see common/scatter.cpp on GCC 12)
    const auto rewritten = router::shard_statement(plan, sql);
    ppg::ByteBuffer request;
    if (rewritten) {
        ppg::encode(request, ppg::Query{*rewritten});
    }
    const ppg::ByteView statement = rewritten ? ppg::ByteView(request) : query;
    ScatterAnswer answer;
    co_return co_await run_scatter_legs(plan, statement, std::move(answer));
}

std::optional<std::string> ClientSession::extended_scatter_refusal(bool sync, bool rowless,
                                                                   std::size_t leading) const {
    if (!sync || flushed()) {
        return "not supported yet: a statement that needs several shards before a Flush (send "
               "Sync)";
    }
    std::size_t binds = 0;
    std::size_t executes = 0;
    for (const auto& pending : batch_) {
        const ppg::ByteView bytes(batch_bytes_.data() + pending.offset, pending.size);
        const auto frame = ppg::next_frame(bytes).value();
        if (pending.type == ppg::PqMsg_Bind) {
            ++binds;
        } else if (pending.type == ppg::PqMsg_Execute && executes < leading) {
            ++executes; // a session statement's
        } else if (pending.type == ppg::PqMsg_Execute) {
            auto execute = ppg::decode_execute(frame);
            if (!execute || (execute.value().max_rows != 0 && !rowless)) {
                return "not supported yet: fetching the rows of a statement that needs several "
                       "shards in parts (Execute with a row limit, a fetch size)";
            }
            if (binds == 0) {
                return "not supported yet: Execute before Bind in a batch that needs several "
                       "shards";
            }
            ++executes;
        } else if (pending.type == ppg::PqMsg_Describe) {
            auto describe = ppg::decode_describe(frame);
            if (!describe || describe.value().kind == ppg::TargetKind::statement) {
                return "not supported yet: Describe of a prepared statement in the batch of a "
                       "statement that needs several shards (describe it in a batch of its own)";
            }
        }
    }
    if (binds != leading + 1 || executes != leading + 1) {
        return "not supported yet: a statement that needs several shards must be the only Bind "
               "and Execute between two Syncs";
    }
    return std::nullopt;
}

asio::awaitable<bool> ClientSession::on_extended_scatter(const router::Plan& plan,
                                                         const std::string& sql,
                                                         const std::vector<std::uint32_t>& types,
                                                         const std::vector<std::string>& leading) {
    // Every shard gets the unnamed statement, the client's parameters and result formats, a
    // Describe of the portal (the columns to merge by) and Execute + Sync. The client gets the
    // answers to its own messages, in its order, around the merged rows.
    ppg::ByteBuffer request;
    const auto shard_sql = router::shard_statement(plan, sql).value_or(sql);
    ppg::encode(request, ppg::Parse{"", shard_sql, types});
    auto answer = batch_answers(
        [&](ppg::Bind bind) {
            bind.portal = "";
            bind.statement = "";
            if (bind.result_formats.size() > 1) { // one per column: the hidden ones in text
                bind.result_formats.resize(bind.result_formats.size() +
                                               router::hidden_columns(plan),
                                           ppg::FormatCode::text);
            }
            ppg::encode(request, bind);
        },
        leading);
    ppg::encode(request, ppg::Describe{ppg::TargetKind::portal, ""});
    ppg::encode(request, ppg::Execute{"", 0});
    ppg::encode(request, ppg::Sync{});
    batch_.clear();
    batch_bytes_.clear();
    batch_state_ = Batch::collecting;
    co_return co_await run_scatter_legs(plan, request, std::move(answer));
}

ScatterAnswer ClientSession::batch_answers(const std::function<void(ppg::Bind)>& on_bind,
                                           const std::vector<std::string>& leading) {
    // What the client gets for its messages around the rows: ParseComplete, BindComplete and
    // CloseComplete in its order, before or after the statement's rows; the CommandCompletes
    // of the session statements before the statement.
    ScatterAnswer answer;
    answer.describe = false;
    bool executed = false;
    std::size_t binds = 0;
    std::size_t executes = 0;
    for (const auto& pending : batch_) {
        const ppg::ByteView bytes(batch_bytes_.data() + pending.offset, pending.size);
        const auto frame = ppg::next_frame(bytes).value();
        auto& to = executed ? answer.after_complete : answer.before_description;
        switch (pending.type) {
        case ppg::PqMsg_Parse:
            ppg::encode(to, ppg::ParseComplete{});
            break;
        case ppg::PqMsg_Bind:
            if (binds++ == leading.size()) {
                on_bind(ppg::decode_bind(frame).value());
            }
            ppg::encode(to, ppg::BindComplete{});
            break;
        case ppg::PqMsg_Describe:
            if (binds > leading.size()) {
                answer.describe = true; // a portal (statements are refused): its RowDescription
            } else {
                ppg::encode(to, ppg::NoData{}); // a session statement's portal
            }
            break;
        case ppg::PqMsg_Execute:
            if (executes < leading.size()) {
                ppg::encode(to, ppg::CommandComplete{leading[executes++]});
            } else {
                executed = true;
            }
            break;
        case ppg::PqMsg_Close: {
            auto close = ppg::decode_close(frame);
            if (close && close.value().kind == ppg::TargetKind::statement) {
                statements_.erase(std::string(close.value().name));
            }
            ppg::encode(to, ppg::CloseComplete{});
            break;
        }
        default:
            break;
        }
    }
    return answer;
}

asio::awaitable<ShardConnection<BackendConnection, BackendTarget>>
ClientSession::shard_connection(const Target& target, std::vector<BackendIndex>& failed) {
    ShardConnection<BackendConnection, BackendTarget> out;
    const auto choice = co_await core_.choose(target, failed);
    if (!choice.ok()) {
        out.failure = {choice.sqlstate, choice.message, 0};
        co_return out;
    }
    out.backend = choice.backend;
    out.where =
        BackendTarget{choice.info->endpoint, choice.info->shard_name, credentials_->backend_user,
                      credentials_->backend_password, database_};
    auto acquired = co_await acquire_backend(out.where);
    if (!acquired.connection) {
        if (acquired.failure == Acquired::Failure::unavailable) {
            core_.backend_failed(choice.backend);
        }
        out.failure = {std::string(sqlstate_of(acquired.failure)), acquired.message, 0};
        co_return out; // (the message names the shard)
    }
    out.connection = std::move(acquired.connection);
    co_return out;
}

asio::awaitable<CapturedLeg> ClientSession::capture_leg(const Target& target, ppg::ByteView query,
                                                        std::size_t budget) {
    CapturedLeg out;
    const auto& shard = core_.shard_name(target.shard);
    if (auto refusal = core_.second_shard(target.shard)) {
        out.failure = ScatterFailure{refusal->sqlstate, refusal->message, 0};
        co_return out;
    }
    std::string server;
    bool probe = false;
    const RequestBuilder build = [&](BackendConnection& backend, ppg::ByteBuffer& request,
                                     ResponseFilter& filter) {
        server = backend.target().pool_key();
        probe = !database_collations.contains(server);
        if (probe) {
            ppg::encode(request, ppg::Query{collation_probe});
            filter.expect(ResponseFilter::Expect::query);
        }
        request.insert(request.end(), query.begin(), query.end());
        using Expect = ResponseFilter::Expect;
        for (auto rest = query; !rest.empty();) { // Query, or Parse/Bind/Describe/Execute/Sync
            const auto frame = ppg::next_frame(rest);
            if (!frame.ok()) {
                break;
            }
            const auto type = frame.value().type;
            filter.expect(type == ppg::PqMsg_Query      ? Expect::query
                          : type == ppg::PqMsg_Parse    ? Expect::parse
                          : type == ppg::PqMsg_Bind     ? Expect::bind
                          : type == ppg::PqMsg_Describe ? Expect::describe_portal
                          : type == ppg::PqMsg_Execute  ? Expect::execute
                                                        : Expect::sync);
            rest = rest.subspan(frame.consumed());
        }
        return true;
    };
    capture_within(budget);
    auto [alive, captured] = co_await captured_execute(target, build);
    out.over_budget = capture_over_budget(captured.size());
    out.client_alive = !client_gone_;
    out.bytes = captured.size();
    if (out.over_budget) {
        co_return out;
    }
    // The shard's error (its transaction is aborted now) or a lost connection ends the read
    // here; the statement is not run on the shards after it.
    bool ready = false;
    for (ppg::ByteView rest(captured.data(), captured.size()); !rest.empty();) {
        const auto frame = ppg::next_frame(rest);
        if (!frame.ok()) {
            break;
        }
        if (frame.value().type == ppg::PqMsg_ErrorResponse && !out.failure) {
            out.failure = failure_of(frame.value());
        }
        ready = frame.value().type == ppg::PqMsg_ReadyForQuery;
        rest = rest.subspan(frame.consumed());
    }
    if (!out.failure && (!ready || !alive)) {
        out.failure = ScatterFailure{"08006", "the shard's answer was cut short", 0};
    }
    if (out.failure) {
        out.failure->message = "shard " + shard + ": " + out.failure->message;
        co_return out;
    }
    out.leg = std::make_unique<PgLeg>(captured, shard, server, probe, settings_.iso_dates());
    co_return out;
}

asio::awaitable<bool> ClientSession::run_scatter_legs(const router::Plan& plan, ppg::ByteView query,
                                                      ScatterAnswer answer) {
    auto& stats = worker_.stats();
    auto targets = core_.scatter_targets(plan, true);
    if (!targets) {
        send_error(targets.error().sqlstate, targets.error().message);
        send_ready();
        co_return co_await flush();
    }
    const bool in_transaction = core_.txn() != Txn::none;
    if (in_transaction && (backend_status_ == 'E' || aborted_)) {
        send_error("25P02", "current transaction is aborted, commands ignored until end of "
                            "transaction block");
        send_ready();
        co_return co_await flush();
    }
    state_ = State::forwarding;
    PgSink sink(out_, std::move(answer), [this] { return flush(); });
    ScatterSettings settings{router::MergeEngine::postgresql, worker_.scatter_limits(), {}};
    ScatterOutcome outcome;
    if (in_transaction) {
        const CaptureLeg capture = [&](std::size_t index,
                                       std::size_t budget) -> asio::awaitable<CapturedLeg> {
            return capture_leg((*targets)[index], query, budget);
        };
        const auto counted = core_.digest_rows_counted();
        outcome = co_await run_captured_scatter(plan, targets->size(), capture, sink, settings);
        core_.digest_rows_restore(counted);
        // As PostgreSQL's own error: the block is aborted (shards before the failing one ran
        // the statement; a COMMIT now rolls back).
        aborted_ = aborted_ || outcome.failed;
    } else {
        outcome = co_await run_pooled_legs(plan, query, *targets, sink, settings);
    }
    count_scatter(stats, outcome);
    core_.digest_rows(outcome.rows_out);
    state_ = State::idle;
    send_ready();
    const bool flushed = co_await flush();
    co_return flushed&& outcome.client_alive;
}

asio::awaitable<ScatterOutcome> ClientSession::run_pooled_legs(const router::Plan& plan,
                                                               ppg::ByteView query,
                                                               const std::vector<Target>& targets,
                                                               ScatterSink& sink,
                                                               const ScatterSettings& settings) {
    auto& stats = worker_.stats();
    const bool iso_dates = settings_.iso_dates();
    auto give_back = [this](std::shared_ptr<BackendConnection> connection) {
        std::erase(scatter_running_, connection); // no cancel reaches it once it is pooled
        return_backend(std::move(connection));
    };
    std::vector<BackendIndex> failed;
    const StartLeg start = [&](std::size_t index) -> asio::awaitable<LegStart> {
        auto shard = co_await shard_connection(targets[index], failed);
        if (!shard.connection) {
            co_return LegStart{nullptr, std::move(shard.failure)};
        }
        const auto& where = shard.where;
        auto backend = std::move(shard.connection);
        ppg::ByteBuffer request;
        int injected = 0;
        if (backend->applied_settings() != settings_.statements()) {
            ++stats.settings_replayed;
            ppg::encode(request, ppg::Query{settings_.replay_sql()});
            backend->applied_settings() = settings_.statements();
            ++injected;
        }
        const bool probe = !database_collations.contains(where.pool_key());
        if (probe) {
            ppg::encode(request, ppg::Query{collation_probe});
        }
        request.insert(request.end(), query.begin(), query.end());
        const auto ec = co_await write_all(backend->stream(), request);
        if (ec) {
            core_.backend_failed(shard.backend);
            backend->mark_broken();
            return_backend(std::move(backend));
            co_return LegStart{
                nullptr,
                {"08006", "shard " + where.shard + ": lost the connection (" + ec.message() + ")",
                 0}};
        }
        scatter_running_.push_back(backend); // a CancelRequest cancels every shard's statement
        co_return LegStart{
            std::make_unique<PgLeg>(std::move(backend), injected, probe, iso_dates, give_back), {}};
    };
    const auto outcome = co_await run_scatter(plan, targets.size(), start, sink, settings);
    scatter_running_.clear(); // (every leg gave its connection back already)
    co_return outcome;
}

asio::awaitable<bool> ClientSession::on_broadcast(const router::Plan& plan, std::string_view sql) {
    auto targets = core_.broadcast_targets(plan);
    if (!targets) {
        send_error(targets.error().sqlstate, targets.error().message);
        send_ready();
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
        const auto& where = shard.where;
        auto backend = std::move(shard.connection);
        // One Query, read to its ReadyForQuery: the settings' replay first, on its own, so
        // that the statement never runs in a session that is not the client's.
        struct Answer {
            bool broken = false;
            std::optional<ScatterFailure> error;
            std::string tag;
        };
        const auto exchange = [&](std::string query) -> asio::awaitable<Answer> {
            Answer answer;
            ppg::ByteBuffer request;
            ppg::encode(request, ppg::Query{std::move(query)});
            const auto ec = co_await write_all(backend->stream(), request);
            answer.broken = static_cast<bool>(ec);
            auto& in = backend->in();
            bool ready = false;
            while (!answer.broken && !ready) {
                auto frame = ppg::next_frame(in.view());
                if (frame.need_more()) {
                    answer.broken = static_cast<bool>(co_await read_more(backend->stream(), in));
                    continue;
                }
                if (!frame.ok()) {
                    answer.broken = true;
                    break;
                }
                const auto type = frame.value().type;
                if (type == ppg::PqMsg_ErrorResponse && !answer.error) {
                    answer.error = failure_of(frame.value());
                } else if (type == ppg::PqMsg_CommandComplete) {
                    answer.tag = std::string(ppg::as_text(frame.value().body));
                    while (!answer.tag.empty() && answer.tag.back() == '\0') {
                        answer.tag.pop_back();
                    }
                } else if (type == ppg::PqMsg_ReadyForQuery) {
                    ready = true;
                }
                in.consume(frame.consumed());
            }
            co_return answer;
        };
        Answer answer;
        if (backend->applied_settings() != settings_.statements()) {
            answer = co_await exchange(settings_.replay_sql());
            if (answer.error && !answer.broken) {
                backend->mark_broken(); // its settings are unknown now
                answer.error->message = "preparing the shard's session: " + answer.error->message;
            } else {
                backend->applied_settings() = settings_.statements();
            }
        }
        if (!answer.broken && !answer.error) {
            scatter_running_.push_back(backend); // a CancelRequest stops a long CREATE INDEX
            answer = co_await exchange(std::string(sql));
            scatter_running_.clear();
        }
        if (answer.broken) {
            core_.backend_failed(shard.backend);
            backend->mark_broken();
            out.failure = {"08006", "lost the connection to " + where.endpoint.to_string(), 0};
        } else if (answer.error) {
            out.failure = *answer.error;
        } else {
            out.ok = true;
            out.tag = answer.tag;
        }
        return_backend(std::move(backend));
        co_return out;
    };
    const auto outcome = co_await run_broadcast(plan.shard_names, run);
    ++worker_.stats().broadcast_statements;
    if (outcome.ok) {
        ppg::encode(out_, ppg::CommandComplete{outcome.tag});
    } else {
        ++worker_.stats().broadcast_failed;
        ppg::encode_error(
            out_, ppg::ErrorInfo{"ERROR", outcome.failure.sqlstate, outcome.failure.message});
    }
    state_ = State::idle;
    send_ready();
    co_return co_await flush();
}

} // namespace shardgate::proxy::pg
