// MySQL/MariaDB wire-protocol constants, spelled as in the protocol documentation so code and
// spec grep together.
#pragma once

#include <cstdint>
#include <string_view>

namespace shardgate::protocol::mysql {

// Capability flags.
// https://dev.mysql.com/doc/dev/mysql-server/latest/group__group__cs__capabilities__flags.html
inline constexpr std::uint32_t CLIENT_LONG_PASSWORD = 1u << 0;
/// MariaDB name of bit 0: when a server clears it, the MariaDB extended capabilities are valid.
inline constexpr std::uint32_t CLIENT_MYSQL = 1u << 0;
inline constexpr std::uint32_t CLIENT_FOUND_ROWS = 1u << 1;
inline constexpr std::uint32_t CLIENT_LONG_FLAG = 1u << 2;
inline constexpr std::uint32_t CLIENT_CONNECT_WITH_DB = 1u << 3;
inline constexpr std::uint32_t CLIENT_NO_SCHEMA = 1u << 4;
inline constexpr std::uint32_t CLIENT_COMPRESS = 1u << 5;
inline constexpr std::uint32_t CLIENT_ODBC = 1u << 6;
inline constexpr std::uint32_t CLIENT_LOCAL_FILES = 1u << 7;
inline constexpr std::uint32_t CLIENT_IGNORE_SPACE = 1u << 8;
inline constexpr std::uint32_t CLIENT_PROTOCOL_41 = 1u << 9;
inline constexpr std::uint32_t CLIENT_INTERACTIVE = 1u << 10;
inline constexpr std::uint32_t CLIENT_SSL = 1u << 11;
inline constexpr std::uint32_t CLIENT_IGNORE_SIGPIPE = 1u << 12;
inline constexpr std::uint32_t CLIENT_TRANSACTIONS = 1u << 13;
inline constexpr std::uint32_t CLIENT_RESERVED = 1u << 14;
inline constexpr std::uint32_t CLIENT_SECURE_CONNECTION = 1u << 15;
inline constexpr std::uint32_t CLIENT_MULTI_STATEMENTS = 1u << 16;
inline constexpr std::uint32_t CLIENT_MULTI_RESULTS = 1u << 17;
inline constexpr std::uint32_t CLIENT_PS_MULTI_RESULTS = 1u << 18;
inline constexpr std::uint32_t CLIENT_PLUGIN_AUTH = 1u << 19;
inline constexpr std::uint32_t CLIENT_CONNECT_ATTRS = 1u << 20;
inline constexpr std::uint32_t CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 1u << 21;
inline constexpr std::uint32_t CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS = 1u << 22;
inline constexpr std::uint32_t CLIENT_SESSION_TRACK = 1u << 23;
inline constexpr std::uint32_t CLIENT_DEPRECATE_EOF = 1u << 24;
inline constexpr std::uint32_t CLIENT_OPTIONAL_RESULTSET_METADATA = 1u << 25;
inline constexpr std::uint32_t CLIENT_ZSTD_COMPRESSION_ALGORITHM = 1u << 26;
inline constexpr std::uint32_t CLIENT_QUERY_ATTRIBUTES = 1u << 27;
inline constexpr std::uint32_t MULTI_FACTOR_AUTHENTICATION = 1u << 28;
inline constexpr std::uint32_t CLIENT_CAPABILITY_EXTENSION = 1u << 29;
inline constexpr std::uint32_t CLIENT_SSL_VERIFY_SERVER_CERT = 1u << 30;
inline constexpr std::uint32_t CLIENT_REMEMBER_OPTIONS = 1u << 31;

// MariaDB extended capabilities (the 4 bytes MariaDB stores in the handshake's reserved area).
// https://mariadb.com/kb/en/connection/#capabilities
inline constexpr std::uint32_t MARIADB_CLIENT_PROGRESS = 1u << 0;
inline constexpr std::uint32_t MARIADB_CLIENT_COM_MULTI = 1u << 1;
inline constexpr std::uint32_t MARIADB_CLIENT_STMT_BULK_OPERATIONS = 1u << 2;
inline constexpr std::uint32_t MARIADB_CLIENT_EXTENDED_METADATA = 1u << 3;
inline constexpr std::uint32_t MARIADB_CLIENT_CACHE_METADATA = 1u << 4;

// Server status flags.
// https://dev.mysql.com/doc/dev/mysql-server/latest/mysql__com_8h.html
inline constexpr std::uint16_t SERVER_STATUS_IN_TRANS = 1u << 0;
inline constexpr std::uint16_t SERVER_STATUS_AUTOCOMMIT = 1u << 1;
inline constexpr std::uint16_t SERVER_MORE_RESULTS_EXISTS = 1u << 3;
inline constexpr std::uint16_t SERVER_QUERY_NO_GOOD_INDEX_USED = 1u << 4;
inline constexpr std::uint16_t SERVER_QUERY_NO_INDEX_USED = 1u << 5;
inline constexpr std::uint16_t SERVER_STATUS_CURSOR_EXISTS = 1u << 6;
inline constexpr std::uint16_t SERVER_STATUS_LAST_ROW_SENT = 1u << 7;
inline constexpr std::uint16_t SERVER_STATUS_DB_DROPPED = 1u << 8;
inline constexpr std::uint16_t SERVER_STATUS_NO_BACKSLASH_ESCAPES = 1u << 9;
inline constexpr std::uint16_t SERVER_STATUS_METADATA_CHANGED = 1u << 10;
inline constexpr std::uint16_t SERVER_QUERY_WAS_SLOW = 1u << 11;
inline constexpr std::uint16_t SERVER_PS_OUT_PARAMS = 1u << 12;
inline constexpr std::uint16_t SERVER_STATUS_IN_TRANS_READONLY = 1u << 13;
inline constexpr std::uint16_t SERVER_SESSION_STATE_CHANGED = 1u << 14;

// Command bytes.
// https://dev.mysql.com/doc/dev/mysql-server/latest/my__command_8h.html
inline constexpr std::uint8_t COM_SLEEP = 0x00;
inline constexpr std::uint8_t COM_QUIT = 0x01;
inline constexpr std::uint8_t COM_INIT_DB = 0x02;
inline constexpr std::uint8_t COM_QUERY = 0x03;
inline constexpr std::uint8_t COM_FIELD_LIST = 0x04;
inline constexpr std::uint8_t COM_CREATE_DB = 0x05;
inline constexpr std::uint8_t COM_DROP_DB = 0x06;
inline constexpr std::uint8_t COM_REFRESH = 0x07;
inline constexpr std::uint8_t COM_SHUTDOWN = 0x08;
inline constexpr std::uint8_t COM_STATISTICS = 0x09;
inline constexpr std::uint8_t COM_PROCESS_INFO = 0x0a;
inline constexpr std::uint8_t COM_CONNECT = 0x0b;
inline constexpr std::uint8_t COM_PROCESS_KILL = 0x0c;
inline constexpr std::uint8_t COM_DEBUG = 0x0d;
inline constexpr std::uint8_t COM_PING = 0x0e;
inline constexpr std::uint8_t COM_TIME = 0x0f;
inline constexpr std::uint8_t COM_DELAYED_INSERT = 0x10;
inline constexpr std::uint8_t COM_CHANGE_USER = 0x11;
inline constexpr std::uint8_t COM_BINLOG_DUMP = 0x12;
inline constexpr std::uint8_t COM_TABLE_DUMP = 0x13;
inline constexpr std::uint8_t COM_CONNECT_OUT = 0x14;
inline constexpr std::uint8_t COM_REGISTER_SLAVE = 0x15;
inline constexpr std::uint8_t COM_STMT_PREPARE = 0x16;
inline constexpr std::uint8_t COM_STMT_EXECUTE = 0x17;
inline constexpr std::uint8_t COM_STMT_SEND_LONG_DATA = 0x18;
inline constexpr std::uint8_t COM_STMT_CLOSE = 0x19;
inline constexpr std::uint8_t COM_STMT_RESET = 0x1a;
inline constexpr std::uint8_t COM_SET_OPTION = 0x1b;
inline constexpr std::uint8_t COM_STMT_FETCH = 0x1c;
inline constexpr std::uint8_t COM_DAEMON = 0x1d;
inline constexpr std::uint8_t COM_BINLOG_DUMP_GTID = 0x1e;
inline constexpr std::uint8_t COM_RESET_CONNECTION = 0x1f;
/// MariaDB only. https://mariadb.com/kb/en/com_stmt_bulk_execute/
inline constexpr std::uint8_t COM_STMT_BULK_EXECUTE = 0xfa;

/// Spec name of a command byte ("COM_QUERY"), or "COM_UNKNOWN".
std::string_view command_name(std::uint8_t command);

// COM_SET_OPTION values.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_set_option.html
inline constexpr std::uint16_t MYSQL_OPTION_MULTI_STATEMENTS_ON = 0;
inline constexpr std::uint16_t MYSQL_OPTION_MULTI_STATEMENTS_OFF = 1;

// COM_STMT_EXECUTE flags (cursor types).
inline constexpr std::uint8_t CURSOR_TYPE_NO_CURSOR = 0x00;
inline constexpr std::uint8_t CURSOR_TYPE_READ_ONLY = 0x01;
inline constexpr std::uint8_t CURSOR_TYPE_FOR_UPDATE = 0x02;
inline constexpr std::uint8_t CURSOR_TYPE_SCROLLABLE = 0x04;
inline constexpr std::uint8_t PARAMETER_COUNT_AVAILABLE = 0x08;

// Session state change types (OK packet, CLIENT_SESSION_TRACK).
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_ok_packet.html
inline constexpr std::uint8_t SESSION_TRACK_SYSTEM_VARIABLES = 0x00;
inline constexpr std::uint8_t SESSION_TRACK_SCHEMA = 0x01;
inline constexpr std::uint8_t SESSION_TRACK_STATE_CHANGE = 0x02;
inline constexpr std::uint8_t SESSION_TRACK_GTIDS = 0x03;
inline constexpr std::uint8_t SESSION_TRACK_TRANSACTION_CHARACTERISTICS = 0x04;
inline constexpr std::uint8_t SESSION_TRACK_TRANSACTION_STATE = 0x05;

// Column types (enum_field_types).
// https://dev.mysql.com/doc/dev/mysql-server/latest/field__types_8h.html
inline constexpr std::uint8_t MYSQL_TYPE_DECIMAL = 0x00;
inline constexpr std::uint8_t MYSQL_TYPE_TINY = 0x01;
inline constexpr std::uint8_t MYSQL_TYPE_SHORT = 0x02;
inline constexpr std::uint8_t MYSQL_TYPE_LONG = 0x03;
inline constexpr std::uint8_t MYSQL_TYPE_FLOAT = 0x04;
inline constexpr std::uint8_t MYSQL_TYPE_DOUBLE = 0x05;
inline constexpr std::uint8_t MYSQL_TYPE_NULL = 0x06;
inline constexpr std::uint8_t MYSQL_TYPE_TIMESTAMP = 0x07;
inline constexpr std::uint8_t MYSQL_TYPE_LONGLONG = 0x08;
inline constexpr std::uint8_t MYSQL_TYPE_INT24 = 0x09;
inline constexpr std::uint8_t MYSQL_TYPE_DATE = 0x0a;
inline constexpr std::uint8_t MYSQL_TYPE_TIME = 0x0b;
inline constexpr std::uint8_t MYSQL_TYPE_DATETIME = 0x0c;
inline constexpr std::uint8_t MYSQL_TYPE_YEAR = 0x0d;
inline constexpr std::uint8_t MYSQL_TYPE_NEWDATE = 0x0e;
inline constexpr std::uint8_t MYSQL_TYPE_VARCHAR = 0x0f;
inline constexpr std::uint8_t MYSQL_TYPE_BIT = 0x10;
inline constexpr std::uint8_t MYSQL_TYPE_TIMESTAMP2 = 0x11;
inline constexpr std::uint8_t MYSQL_TYPE_DATETIME2 = 0x12;
inline constexpr std::uint8_t MYSQL_TYPE_TIME2 = 0x13;
inline constexpr std::uint8_t MYSQL_TYPE_JSON = 0xf5;
inline constexpr std::uint8_t MYSQL_TYPE_NEWDECIMAL = 0xf6;
inline constexpr std::uint8_t MYSQL_TYPE_ENUM = 0xf7;
inline constexpr std::uint8_t MYSQL_TYPE_SET = 0xf8;
inline constexpr std::uint8_t MYSQL_TYPE_TINY_BLOB = 0xf9;
inline constexpr std::uint8_t MYSQL_TYPE_MEDIUM_BLOB = 0xfa;
inline constexpr std::uint8_t MYSQL_TYPE_LONG_BLOB = 0xfb;
inline constexpr std::uint8_t MYSQL_TYPE_BLOB = 0xfc;
inline constexpr std::uint8_t MYSQL_TYPE_VAR_STRING = 0xfd;
inline constexpr std::uint8_t MYSQL_TYPE_STRING = 0xfe;
inline constexpr std::uint8_t MYSQL_TYPE_GEOMETRY = 0xff;

// Column definition flags.
inline constexpr std::uint16_t NOT_NULL_FLAG = 1u << 0;
inline constexpr std::uint16_t PRI_KEY_FLAG = 1u << 1;
inline constexpr std::uint16_t UNIQUE_KEY_FLAG = 1u << 2;
inline constexpr std::uint16_t MULTIPLE_KEY_FLAG = 1u << 3;
inline constexpr std::uint16_t BLOB_FLAG = 1u << 4;
inline constexpr std::uint16_t UNSIGNED_FLAG = 1u << 5;
inline constexpr std::uint16_t ZEROFILL_FLAG = 1u << 6;
inline constexpr std::uint16_t BINARY_FLAG = 1u << 7;
inline constexpr std::uint16_t ENUM_FLAG = 1u << 8;
inline constexpr std::uint16_t AUTO_INCREMENT_FLAG = 1u << 9;
inline constexpr std::uint16_t TIMESTAMP_FLAG = 1u << 10;
inline constexpr std::uint16_t SET_FLAG = 1u << 11;
inline constexpr std::uint16_t NUM_FLAG = 1u << 15;

// Character sets (collation ids) used in handshakes and column definitions.
inline constexpr std::uint8_t CHARSET_UTF8_GENERAL_CI = 33;
inline constexpr std::uint8_t CHARSET_UTF8MB4_GENERAL_CI = 45;
inline constexpr std::uint8_t CHARSET_BINARY = 63;

// First payload byte of generic response packets.
inline constexpr std::uint8_t OK_HEADER = 0x00;
inline constexpr std::uint8_t AUTH_MORE_DATA_HEADER = 0x01;
inline constexpr std::uint8_t LOCAL_INFILE_HEADER = 0xfb;
inline constexpr std::uint8_t EOF_HEADER = 0xfe;
inline constexpr std::uint8_t AUTH_SWITCH_HEADER = 0xfe;
inline constexpr std::uint8_t ERR_HEADER = 0xff;

// caching_sha2_password AuthMoreData bodies.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html
inline constexpr std::uint8_t CACHING_SHA2_REQUEST_PUBLIC_KEY = 0x02;
inline constexpr std::uint8_t CACHING_SHA2_FAST_AUTH_SUCCESS = 0x03;
inline constexpr std::uint8_t CACHING_SHA2_PERFORM_FULL_AUTHENTICATION = 0x04;

inline constexpr std::string_view MYSQL_NATIVE_PASSWORD = "mysql_native_password";
inline constexpr std::string_view CACHING_SHA2_PASSWORD = "caching_sha2_password";
inline constexpr std::string_view MYSQL_CLEAR_PASSWORD = "mysql_clear_password";

} // namespace shardgate::protocol::mysql
