// Per-worker counters of the MySQL frontend: every degraded path and notable event has one.
// Touched only by the owning worker thread; summed at shutdown.
#pragma once

#include "common/session_stats.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace shardgate::proxy::mysql {

/// The counters both planes keep (pools, clients, routing) come from SessionStats.
struct MysqlStats : SessionStats {
    std::uint64_t auth_switches = 0;            ///< client asked to change plugin
    std::uint64_t user_changes = 0;             ///< COM_CHANGE_USER that succeeded
    std::uint64_t tls_refused = 0;              ///< SSLRequest without TLS configured
    std::uint64_t sha2_full_auths = 0;          ///< caching_sha2_password full authentications
    std::uint64_t sha2_public_key_requests = 0; ///< RSA public key sent (full auth, no TLS)
    std::uint64_t sha2_rsa_failures = 0;        ///< RSA-encrypted password did not decrypt
    std::uint64_t malformed_packets = 0;
    std::uint64_t unsupported_commands = 0;
    std::uint64_t stmt_prepares = 0;
    std::uint64_t stmt_executes = 0;
    std::uint64_t stmt_reprepares = 0; ///< statement prepared again on another backend
    std::uint64_t stmt_long_data = 0;  ///< COM_STMT_SEND_LONG_DATA pieces buffered
    std::uint64_t stmt_fetches = 0;    ///< COM_STMT_FETCH (cursor reads)
    std::uint64_t rejected_local_infile = 0;
    std::uint64_t rejected_state_elsewhere = 0; ///< state-dependent statement on another shard
    std::uint64_t session_pins = 0;             ///< backend kept for session state
    std::uint64_t settings_tracked = 0;         ///< from SET or session_track in OK packets
    std::uint64_t backend_protocol_errors = 0;
    std::uint64_t route_errors = 0; ///< statements refused by the read router (lag, down)
    std::uint64_t gtid_marks = 0;   ///< writes marked with their GTID (causal reads)
    std::uint64_t gtid_missing = 0; ///< causal writes without a GTID
    std::uint64_t gtid_tracked = 0; ///< GTIDs that came with the OK (no extra query)
    /// LAST_INSERT_ID() read from a backend before it went back to the pool (client idle)
    std::uint64_t insert_id_reads = 0;
    /// `DO LAST_INSERT_ID(n)` sent before a statement that reads it on another connection
    std::uint64_t insert_id_restores = 0;
    /// FOUND_ROWS() read back after SQL_CALC_FOUND_ROWS / answered by shardgate from it
    std::uint64_t found_rows_reads = 0;
    std::uint64_t found_rows_answers = 0;

    void add(const MysqlStats& other);
    std::vector<std::pair<std::string, std::uint64_t>> values() const;
    std::string summary() const;
};

} // namespace shardgate::proxy::mysql
