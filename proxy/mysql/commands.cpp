// Command dispatch and the small commands: COM_INIT_DB, COM_PING, COM_QUIT,
// COM_RESET_CONNECTION, COM_SET_OPTION, COM_FIELD_LIST, COM_STATISTICS; others are refused.
#include "shardgate/protocol/mysql/commands.hpp"

#include "client_session.hpp"
#include "shardgate/protocol/mysql/constants.hpp"
#include "shardgate/protocol/mysql/generic_packets.hpp"
#include "worker.hpp"

namespace shardgate::proxy::mysql {

namespace pm = protocol::mysql;

asio::awaitable<bool> ClientSession::dispatch(pm::Bytes payload) {
    const auto command = pm::command_byte(payload);
    if (!command) {
        // As the server answers it: a well-framed packet without a command byte.
        ++worker_.stats().malformed_packets;
        send_err({pm::ER_UNKNOWN_COM_ERROR, "08S01", "Unknown command: an empty command packet"});
        co_return co_await flush();
    }
    if (console_) {
        co_return co_await dispatch_console(*command, payload);
    }
    follow_map(worker_.context().registry, database_, db_);
    switch (*command) {
    case pm::COM_QUERY:
        co_return co_await on_query(payload);
    case pm::COM_STMT_PREPARE:
        co_return co_await on_stmt_prepare(payload);
    case pm::COM_STMT_EXECUTE:
        co_return co_await on_stmt_execute(payload);
    case pm::COM_STMT_SEND_LONG_DATA:
        co_return co_await on_stmt_long_data(payload);
    case pm::COM_STMT_CLOSE:
        co_return co_await on_stmt_close_or_reset(payload, false);
    case pm::COM_STMT_RESET:
        co_return co_await on_stmt_close_or_reset(payload, true);
    case pm::COM_STMT_FETCH:
        co_return co_await on_stmt_fetch(payload);
    case pm::COM_INIT_DB:
        co_return co_await on_init_db(payload);
    case pm::COM_PING:
        send_ok();
        co_return co_await flush();
    case pm::COM_QUIT:
        co_return false;
    case pm::COM_RESET_CONNECTION:
        co_return co_await on_reset_connection();
    case pm::COM_CHANGE_USER:
        co_return co_await on_change_user(payload);
    case pm::COM_SET_OPTION:
        co_return co_await on_set_option(payload);
    case pm::COM_FIELD_LIST:
        co_return co_await on_field_list(payload);
    case pm::COM_STATISTICS:
        co_return co_await run_command(Target{db_->default_shard(), false}, payload,
                                       pm::ResponseKind::single_packet, false, false);
    default:
        ++worker_.stats().unsupported_commands;
        send_err({pm::ER_UNKNOWN_COM_ERROR, "08S01",
                  std::string("Unknown command: ") + std::string(pm::command_name(*command)) +
                      " is not supported by shardgate"});
        co_return co_await flush();
    }
}

asio::awaitable<bool> ClientSession::on_init_db(pm::Bytes payload) {
    auto request = pm::decode_com_init_db(payload);
    if (!request.ok()) {
        ++worker_.stats().malformed_packets;
        send_err({request.error().code, "08S01", "malformed COM_INIT_DB"});
        co_await flush();
        co_return false;
    }
    if (pinned_ && request.value().schema != database_) {
        send_err({1235, "0A000",
                  "not supported yet: changing the database while the "
                  "session holds a backend connection"});
        co_return co_await flush();
    }
    if (auto failure = select_database(request.value().schema)) {
        send_err(*failure);
        co_return co_await flush();
    }
    send_ok();
    co_return co_await flush();
}

asio::awaitable<bool> ClientSession::on_reset_connection() {
    drop_pinned();
    settings_.clear();
    refresh_lex_mode();
    statements_.clear();
    autocommit_ = true;
    insert_id_ = 0;
    insert_shard_.reset();
    found_rows_.reset();
    send_ok();
    co_return co_await flush();
}

asio::awaitable<bool> ClientSession::on_set_option(pm::Bytes payload) {
    auto request = pm::decode_com_set_option(payload);
    if (!request.ok()) {
        ++worker_.stats().malformed_packets;
        // Framing is intact (the packet is whole): the session goes on.
        send_err({request.error().code, "08S01", "malformed COM_SET_OPTION"});
        co_return co_await flush();
    }
    const auto option = request.value().option;
    const bool multi_now = (capabilities_ & pm::CLIENT_MULTI_STATEMENTS) != 0;
    const bool unchanged = (option == pm::MYSQL_OPTION_MULTI_STATEMENTS_ON && multi_now) ||
                           (option == pm::MYSQL_OPTION_MULTI_STATEMENTS_OFF && !multi_now);
    // The option is part of the backend connection's format; a held connection keeps the one
    // it was opened with, so only a no-op is accepted while one is held.
    if (pinned_ && !unchanged) {
        send_err({1235, "0A000",
                  "not supported yet: changing COM_SET_OPTION while the session "
                  "holds a backend connection"});
        co_return co_await flush();
    }
    if (option == pm::MYSQL_OPTION_MULTI_STATEMENTS_ON) {
        capabilities_ |= pm::CLIENT_MULTI_STATEMENTS;
    } else if (option == pm::MYSQL_OPTION_MULTI_STATEMENTS_OFF) {
        capabilities_ &= ~pm::CLIENT_MULTI_STATEMENTS;
    } else {
        send_err({1047, "HY000", "unknown COM_SET_OPTION value"});
        co_return co_await flush();
    }
    pm::Buffer out;
    pm::encode_result_set_end(status_flags(), 0, capabilities_, out);
    send_payload(out);
    co_return co_await flush();
}

Refusable<Target> ClientSession::place_table(std::string_view table) {
    std::string sql = "SELECT * FROM `";
    for (const char c : table) {
        sql += c;
        if (c == '`') {
            sql += '`';
        }
    }
    sql += "`";
    const auto plan =
        worker_.planner(database_, epoch_)->route(sql, {core_.txn() != Txn::none, {}, lex_mode_});
    if ((plan.kind == router::PlanKind::scatter || plan.kind == router::PlanKind::broadcast) &&
        !plan.shards.empty()) {
        // Every shard of a sharded table has the same columns: ask one of them.
        return Target{core_.pinned_shard().value_or(plan.shards.front()), pinned_ != nullptr};
    }
    return place(plan, StatementEffects{});
}

asio::awaitable<bool> ClientSession::on_field_list(pm::Bytes payload) {
    auto request = pm::decode_com_field_list(payload);
    if (!request.ok()) {
        ++worker_.stats().malformed_packets;
        send_err({request.error().code, "08S01", "malformed COM_FIELD_LIST"});
        co_await flush();
        co_return false;
    }
    const auto target = place_table(request.value().table);
    if (!target) {
        send_refusal(target.error());
        co_return co_await flush();
    }
    co_return co_await run_command(*target, payload, pm::ResponseKind::field_list, false, false);
}

} // namespace shardgate::proxy::mysql
