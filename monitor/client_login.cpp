// libpq conninfo text and Connector/C TLS options for the monitor and the resolver.
#include "shardgate/monitor/client_login.hpp"

#include <mysql.h>

namespace shardgate::monitor {

void append_conninfo(std::string& conninfo, std::string_view key, std::string_view value) {
    conninfo.append(key).append("='");
    for (const char c : value) {
        if (c == '\\' || c == '\'') {
            conninfo.push_back('\\');
        }
        conninfo.push_back(c);
    }
    conninfo.append("' ");
}

void append_conninfo_tls(std::string& conninfo, const ClientTls& tls) {
    if (tls.mode.empty()) {
        return;
    }
    append_conninfo(conninfo, "sslmode", tls.mode);
    if (!tls.ca_file.empty()) {
        append_conninfo(conninfo, "sslrootcert", tls.ca_file);
    }
}

void apply_mysql_tls(st_mysql* mysql, const ClientTls& tls) {
    if (tls.mode.empty() || tls.mode == "disable" || tls.mode == "prefer") {
        return;
    }
    const my_bool on = 1;
    mysql_optionsv(mysql, MYSQL_OPT_SSL_ENFORCE, &on);
    if (!tls.ca_file.empty()) {
        mysql_optionsv(mysql, MYSQL_OPT_SSL_CA, tls.ca_file.c_str());
    }
    if (tls.mode == "verify-full") {
        mysql_optionsv(mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
    }
}

} // namespace shardgate::monitor
