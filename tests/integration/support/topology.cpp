// Reads build/topology.json and opens connections to its servers.
#include "topology.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <sys/wait.h>

namespace shardgate::testing {

std::vector<Server> load_topology() {
    const char* env = std::getenv("SHARDGATE_TOPOLOGY");
    const std::string path = env != nullptr ? env : "build/topology.json";
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("cannot read " + path +
                                 ": is the topology up? (scripts/topology up)");
    }
    const auto doc = nlohmann::json::parse(in);
    std::vector<Server> result;
    for (const auto& s : doc.at("servers")) {
        Server server;
        server.engine = s.at("engine");
        server.shard = s.at("shard");
        server.role = s.at("role");
        server.host = s.at("host");
        server.port = s.at("port");
        server.user = s.at("user");
        server.password = s.at("password");
        server.admin_user = s.at("admin_user");
        server.admin_password = s.at("admin_password");
        server.database = s.at("database");
        server.datadir = s.at("datadir");
        result.push_back(server);
    }
    return result;
}

std::vector<Server> servers(const std::vector<Server>& all, const std::string& engine,
                            const std::string& role) {
    std::vector<Server> result;
    for (const auto& s : all) {
        if (s.engine == engine && s.role == role) {
            result.push_back(s);
        }
    }
    return result;
}

Server find_server(const std::vector<Server>& all, const std::string& shard,
                   const std::string& role) {
    for (const auto& s : all) {
        if (s.shard == shard && s.role == role) {
            return s;
        }
    }
    throw std::runtime_error("topology has no " + role + " for shard " + shard);
}

std::string pg_conninfo(const Server& server, bool admin, const std::string& database) {
    return "host=" + server.host + " port=" + std::to_string(server.port) +
           " user=" + (admin ? server.admin_user : server.user) +
           " password=" + (admin ? server.admin_password : server.password) +
           " dbname=" + (database.empty() ? server.database : database) + " connect_timeout=5";
}

int run_command(const std::string& command, std::string* output) {
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) {
        return -1;
    }
    std::array<char, 4096> buffer{};
    std::string text;
    while (size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) {
        text.append(buffer.data(), n);
    }
    const int status = pclose(pipe);
    if (output != nullptr) {
        *output = text;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void topology_script(const std::string& arguments) {
    std::string output;
    const std::string command =
        std::string(SHARDGATE_SOURCE_DIR) + "/scripts/topology " + arguments;
    if (run_command(command, &output) != 0) {
        throw std::runtime_error(command + " failed: " + output);
    }
}

MysqlConnection::MysqlConnection(const Server& server, bool admin, const std::string& database) {
    mysql_ = mysql_init(nullptr);
    if (mysql_ == nullptr) {
        throw std::runtime_error("mysql_init failed");
    }
    unsigned timeout = 5;
    mysql_options(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(mysql_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    const auto& user = admin ? server.admin_user : server.user;
    const auto& password = admin ? server.admin_password : server.password;
    const auto& db = database.empty() ? server.database : database;
    if (mysql_real_connect(mysql_, server.host.c_str(), user.c_str(), password.c_str(), db.c_str(),
                           static_cast<unsigned>(server.port), nullptr, 0) == nullptr) {
        std::string message = mysql_error(mysql_);
        mysql_close(mysql_);
        mysql_ = nullptr;
        throw std::runtime_error("connect to " + server.shard + " " + server.role + " port " +
                                 std::to_string(server.port) + ": " + message);
    }
}

MysqlConnection::~MysqlConnection() {
    if (mysql_ != nullptr) {
        mysql_close(mysql_);
    }
}

unsigned MysqlConnection::try_execute(const std::string& sql, std::string* message) {
    if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) {
        if (message != nullptr) {
            *message = mysql_error(mysql_);
        }
        return mysql_errno(mysql_);
    }
    if (MYSQL_RES* res = mysql_store_result(mysql_)) {
        mysql_free_result(res);
    }
    return 0;
}

void MysqlConnection::execute(const std::string& sql) {
    std::string message;
    if (try_execute(sql, &message) != 0) {
        throw std::runtime_error("'" + sql + "' failed: " + message);
    }
}

std::vector<std::vector<std::string>> MysqlConnection::query(const std::string& sql) {
    if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) {
        throw std::runtime_error("'" + sql + "' failed: " + mysql_error(mysql_));
    }
    MYSQL_RES* res = mysql_store_result(mysql_);
    std::vector<std::vector<std::string>> rows;
    if (res == nullptr) {
        return rows;
    }
    const unsigned fields = mysql_num_fields(res);
    while (MYSQL_ROW row = mysql_fetch_row(res)) {
        std::vector<std::string> values;
        for (unsigned i = 0; i < fields; ++i) {
            values.emplace_back(row[i] != nullptr ? row[i] : "NULL");
        }
        rows.push_back(std::move(values));
    }
    mysql_free_result(res);
    return rows;
}

} // namespace shardgate::testing
