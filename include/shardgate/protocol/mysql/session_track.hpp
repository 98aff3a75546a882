// Session state change information carried by OK packets when CLIENT_SESSION_TRACK is
// negotiated (MariaDB's session_track_* variables).
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_ok_packet.html
// https://mariadb.com/kb/en/ok_packet/#session-change-type
#pragma once

#include "shardgate/protocol/mysql/decoded.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace shardgate::protocol::mysql {

/// One entry of the session state info block.
struct SessionStateChange {
    std::uint8_t type = 0; ///< SESSION_TRACK_*
    /// SYSTEM_VARIABLES: variable name; SCHEMA: the new default schema.
    std::string name;
    /// SYSTEM_VARIABLES: new value; STATE_CHANGE: "1" (sent as bare entry data, not
    /// length-prefixed, by both MySQL and MariaDB); GTIDS: the GTID set;
    /// TRANSACTION_CHARACTERISTICS: SQL text; TRANSACTION_STATE: the state string.
    std::string value;
    /// GTIDS only: the encoding specification byte.
    std::uint8_t gtid_encoding = 0;
    /// Entry data as sent (also the only content kept for unknown types).
    std::string raw;

    bool operator==(const SessionStateChange&) const = default;
};

/// Decodes a session state info block (the bytes inside its outer length prefix).
Decoded<std::vector<SessionStateChange>> decode_session_state_info(Bytes block);
/// Encodes entries into a session state info block (without the outer length prefix). The
/// typed fields are used for known types; `raw` for unknown ones.
void encode_session_state_info(const std::vector<SessionStateChange>& changes, Buffer& out);

} // namespace shardgate::protocol::mysql
