// The admin console over the MySQL protocol: COM_QUERY text commands answered with text
// result sets; USE / COM_INIT_DB leave it, COM_PING, COM_QUIT, COM_RESET_CONNECTION,
// COM_SET_OPTION and COM_CHANGE_USER work as everywhere; other commands are refused.
#include "shardgate/proxy/admin_console.hpp"

#include "client_session.hpp"
#include "shardgate/protocol/mysql/commands.hpp"
#include "shardgate/protocol/mysql/constants.hpp"
#include "shardgate/protocol/mysql/text_result_set.hpp"
#include "worker.hpp"

#include <cctype>

namespace shardgate::proxy::mysql {

namespace pm = protocol::mysql;

asio::awaitable<bool> ClientSession::dispatch_console(std::uint8_t command, pm::Bytes payload) {
    switch (command) {
    case pm::COM_QUERY: {
        auto query = pm::decode_com_query(payload);
        if (!query.ok()) {
            ++worker_.stats().malformed_packets;
            send_err({query.error().code, "08S01", "malformed COM_QUERY"});
            co_await flush();
            co_return false;
        }
        const auto words = console_words(query.value().sql);
        auto first = words.empty() ? std::string() : words[0];
        for (char& c : first) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        if (words.size() == 2 && first == "use") {
            std::string name;
            for (const char c : words[1]) {
                if (c != '`' && c != '\'' && c != '"') {
                    name += c;
                }
            }
            if (auto failure = select_database(name)) {
                send_err(*failure);
            } else {
                send_ok();
            }
            co_return co_await flush();
        }
        ++worker_.stats().session_statements;
        state_ = State::routing;
        const auto answer = co_await worker_.context().console->run(std::string(query.value().sql));
        state_ = State::idle;
        if (answer.error) {
            send_err(error_code_for(answer.error->first), answer.error->first,
                     answer.error->second);
        } else if (answer.columns.empty()) {
            send_ok();
        } else {
            pm::TextResultSet result;
            for (const auto& column : answer.columns) {
                result.columns.push_back(pm::text_column(column));
            }
            for (const auto& row : answer.rows) {
                result.rows.emplace_back(row.begin(), row.end());
            }
            result.status_flags = status_flags();
            pm::encode_text_result_set(result, capabilities_, sequence_, out_);
        }
        co_return co_await flush();
    }
    case pm::COM_INIT_DB:
        co_return co_await on_init_db(payload);
    case pm::COM_PING:
    case pm::COM_RESET_CONNECTION:
        send_ok();
        co_return co_await flush();
    case pm::COM_QUIT:
        co_return false;
    case pm::COM_CHANGE_USER:
        co_return co_await on_change_user(payload);
    case pm::COM_SET_OPTION:
        co_return co_await on_set_option(payload);
    case pm::COM_STMT_CLOSE:
    case pm::COM_STMT_SEND_LONG_DATA:
        co_return true; // commands without a reply: nothing was prepared here
    default:
        send_err({1235, "0A000",
                  std::string("the admin console answers text queries only, not ") +
                      std::string(pm::command_name(command))});
        co_return co_await flush();
    }
}

} // namespace shardgate::proxy::mysql
