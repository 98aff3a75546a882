// SQL-level PREPARE / EXECUTE / DEALLOCATE kept per client and prepared lazily on whichever
// backend runs the EXECUTE; COPY / VACUUM / ANALYZE placed by the tables they name.
#include "client_session.hpp"
#include "shardgate/parser/lexer.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "utility_statements.hpp"
#include "worker.hpp"

#include <fmt/format.h>

namespace shardgate::proxy::pg {

namespace ppg = protocol::pg;

asio::awaitable<bool> ClientSession::on_sql_prepared(std::string_view sql, router::Verb verb) {
    if (verb == router::Verb::prepare) {
        auto prepare = parse_sql_prepare(sql);
        if (!prepare) {
            send_error("42601", "shardgate could not read this PREPARE statement");
        } else {
            // "(bigint, timestamp)": the types a parameter is read as, like a cast on it.
            const std::string_view types = prepare->types;
            auto casts =
                types.size() >= 2
                    ? parser::declared_casts(types.substr(1, types.size() - 2), parser::Dialect::pg)
                    : std::vector<parser::LiteralCast>{};
            sql_statements_[prepare->name] = {prepare->body, prepare->types, std::move(casts)};
            ppg::encode(out_, ppg::CommandComplete{"PREPARE"});
        }
        send_ready();
        co_return co_await flush();
    }
    if (verb == router::Verb::deallocate) {
        auto name = parse_sql_deallocate(sql);
        if (!name) {
            send_error("42601", "shardgate could not read this DEALLOCATE statement");
        } else if (name->empty()) {
            sql_statements_.clear();
            ppg::encode(out_, ppg::CommandComplete{"DEALLOCATE ALL"});
        } else if (sql_statements_.erase(*name) == 0) {
            send_error("26000", fmt::format("prepared statement \"{}\" does not exist", *name));
        } else {
            ppg::encode(out_, ppg::CommandComplete{"DEALLOCATE"});
        }
        send_ready();
        co_return co_await flush();
    }
    auto execute_sql = parse_sql_execute(sql);
    const auto it = execute_sql ? sql_statements_.find(execute_sql->name) : sql_statements_.end();
    if (it == sql_statements_.end()) {
        send_error(execute_sql ? "26000" : "42601",
                   execute_sql
                       ? fmt::format("prepared statement \"{}\" does not exist", execute_sql->name)
                       : "shardgate could not read this EXECUTE statement");
        send_ready();
        co_return co_await flush();
    }
    const auto [body, types, casts] = it->second;
    auto context = route_context(execute_sql->values);
    context.param_casts = casts;
    const auto plan = worker_.planner(database_, epoch_)->route(body, context);
    auto target = core_.target_for(plan, false);
    if (target) {
        target = core_.merge({*target});
    }
    if (!target) {
        send_error(target.error().sqlstate, target.error().message);
        send_ready();
        co_return co_await flush();
    }
    const auto server = worker_.statement_name("SQL\x1f" + types + "\x1f" + body);
    const auto args = execute_sql->args;
    co_return co_await execute(
        *target,
        [&](BackendConnection& backend, ppg::ByteBuffer& request, ResponseFilter& filter) {
            if (!backend.prepared().contains(server)) {
                ++worker_.stats().statements_prepared;
                ppg::encode(request,
                            ppg::Query{fmt::format("PREPARE {} {} AS {}", server, types, body)});
                filter.expect(ResponseFilter::Expect::injected_prepare, server);
                backend.prepared().insert(server);
            }
            ppg::encode(request, ppg::Query{fmt::format("EXECUTE {} {}", server, args)});
            filter.expect(ResponseFilter::Expect::query);
            return true;
        },
        false);
}

} // namespace shardgate::proxy::pg
