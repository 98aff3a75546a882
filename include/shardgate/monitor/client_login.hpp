// How the client-library connections to the database servers log in (the monitor's probes over
// libpq and MariaDB Connector/C, and the distributed-transaction resolver): conninfo text and
// TLS as the daemon's backend_tls / backend_tls_ca ask.
#pragma once

#include <string>
#include <string_view>

struct st_mysql; // MYSQL of <mysql.h>

namespace shardgate::monitor {

/// backend_tls (libpq's sslmode words) and backend_tls_ca; an empty mode leaves TLS to the
/// client library's defaults (shardctl).
struct ClientTls {
    std::string mode;
    std::string ca_file;
};

/// Appends `key='value' ` to a libpq conninfo string, with \ and ' escaped.
void append_conninfo(std::string& conninfo, std::string_view key, std::string_view value);

/// Appends sslmode (and sslrootcert when a CA file is given): libpq applies the mode itself.
void append_conninfo_tls(std::string& conninfo, const ClientTls& tls);

/// Sets a Connector/C handle's TLS options before mysql_real_connect: TLS enforced for
/// require and the verify modes, the CA file and the server certificate check (chain and host
/// name) for verify-full. prefer and disable: plain (Connector/C 3.3 has no "if offered").
void apply_mysql_tls(st_mysql* mysql, const ClientTls& tls);

} // namespace shardgate::monitor
