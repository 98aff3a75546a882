// A MariaDB Connector/C client of shardgate's prepared-statement path: inserts rows whose
// TEXT body is sent in pieces with mysql_stmt_send_long_data (COM_STMT_SEND_LONG_DATA), then
// reads them back through a read-only cursor fetching one row at a time (COM_STMT_EXECUTE
// with a cursor flag, then COM_STMT_FETCH), resets the statement (COM_STMT_RESET), and gives
// up two cursors early (reset, close).
//
//   proxy_mysql_stmt_client PORT USER_ID ROWS
//   proxy_mysql_stmt_client change-user PORT    (COM_CHANGE_USER, see change_user())
//
// Prints "ok rows=N bytes=B ports=P1,P2,P3" (server ports of plain reads after the cursor's
// last row, after a cursor given up with a reset, and after one given up with a close) and
// exits 0 when every row came back intact; otherwise prints the client library's error and
// exits 1.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mysql.h>
#include <string>
#include <vector>

namespace {

constexpr std::size_t chunk_size = 20000;
constexpr std::size_t chunks = 3;

/// The body of row `row`: chunks * chunk_size bytes, different for every row.
std::string body_of(int row) {
    std::string body(chunk_size * chunks, ' ');
    for (std::size_t i = 0; i < body.size(); ++i) {
        body[i] = static_cast<char>('a' + (i * 7 + static_cast<std::size_t>(row)) % 26);
    }
    return body;
}

[[noreturn]] void fail(const char* step, MYSQL_STMT* stmt, MYSQL* conn) {
    std::fprintf(stderr, "%s failed: %s\n", step,
                 stmt != nullptr ? mysql_stmt_error(stmt) : mysql_error(conn));
    std::exit(1);
}

void insert_rows(MYSQL* conn, long long user_id, int rows) {
    MYSQL_STMT* stmt = mysql_stmt_init(conn);
    const std::string sql = "INSERT INTO posts (user_id, name, body) VALUES (?, ?, ?)";
    if (mysql_stmt_prepare(stmt, sql.data(), sql.size()) != 0) {
        fail("prepare insert", stmt, conn);
    }
    for (int row = 0; row < rows; ++row) {
        std::string name = "long-data-" + std::to_string(row);
        unsigned long name_length = name.size();
        MYSQL_BIND bind[3];
        std::memset(bind, 0, sizeof bind);
        bind[0].buffer_type = MYSQL_TYPE_LONGLONG;
        bind[0].buffer = &user_id;
        bind[1].buffer_type = MYSQL_TYPE_STRING;
        bind[1].buffer = name.data();
        bind[1].buffer_length = name.size();
        bind[1].length = &name_length;
        bind[2].buffer_type = MYSQL_TYPE_BLOB; // value comes from send_long_data
        if (mysql_stmt_bind_param(stmt, bind) != 0) {
            fail("bind insert", stmt, conn);
        }
        const std::string body = body_of(row);
        for (std::size_t piece = 0; piece < chunks; ++piece) {
            if (mysql_stmt_send_long_data(stmt, 2, body.data() + piece * chunk_size, chunk_size) !=
                0) {
                fail("send_long_data", stmt, conn);
            }
        }
        if (mysql_stmt_execute(stmt) != 0) {
            fail("execute insert", stmt, conn);
        }
        if (mysql_stmt_affected_rows(stmt) != 1) {
            std::fprintf(stderr, "insert affected %llu rows\n",
                         static_cast<unsigned long long>(mysql_stmt_affected_rows(stmt)));
            std::exit(1);
        }
        if (mysql_stmt_reset(stmt) != 0) {
            fail("reset", stmt, conn);
        }
    }
    mysql_stmt_close(stmt);
}

/// Reads the rows back one fetch at a time; returns the bytes of body read.
std::size_t read_rows(MYSQL* conn, long long user_id, int rows) {
    MYSQL_STMT* stmt = mysql_stmt_init(conn);
    // On the primary: the rows were just written and the replica may not have them yet.
    const std::string sql = "SELECT name, body FROM posts WHERE user_id = ? "
                            "ORDER BY id /* shardgate: primary */";
    if (mysql_stmt_prepare(stmt, sql.data(), sql.size()) != 0) {
        fail("prepare select", stmt, conn);
    }
    unsigned long cursor = CURSOR_TYPE_READ_ONLY;
    unsigned long prefetch = 1;
    if (mysql_stmt_attr_set(stmt, STMT_ATTR_CURSOR_TYPE, &cursor) != 0 ||
        mysql_stmt_attr_set(stmt, STMT_ATTR_PREFETCH_ROWS, &prefetch) != 0) {
        fail("cursor attributes", stmt, conn);
    }
    MYSQL_BIND param;
    std::memset(&param, 0, sizeof param);
    param.buffer_type = MYSQL_TYPE_LONGLONG;
    param.buffer = &user_id;
    if (mysql_stmt_bind_param(stmt, &param) != 0 || mysql_stmt_execute(stmt) != 0) {
        fail("execute select", stmt, conn);
    }
    std::vector<char> name(256);
    std::vector<char> body(chunk_size * chunks + 1);
    unsigned long name_length = 0;
    unsigned long body_length = 0;
    MYSQL_BIND result[2];
    std::memset(result, 0, sizeof result);
    result[0].buffer_type = MYSQL_TYPE_STRING;
    result[0].buffer = name.data();
    result[0].buffer_length = name.size();
    result[0].length = &name_length;
    result[1].buffer_type = MYSQL_TYPE_BLOB;
    result[1].buffer = body.data();
    result[1].buffer_length = body.size();
    result[1].length = &body_length;
    if (mysql_stmt_bind_result(stmt, result) != 0) {
        fail("bind result", stmt, conn);
    }
    int row = 0;
    std::size_t bytes = 0;
    for (;;) {
        const int status = mysql_stmt_fetch(stmt);
        if (status == MYSQL_NO_DATA) {
            break;
        }
        if (status != 0) {
            fail("fetch", stmt, conn);
        }
        const std::string want_name = "long-data-" + std::to_string(row);
        const std::string want_body = body_of(row);
        if (std::string(name.data(), name_length) != want_name ||
            std::string(body.data(), body_length) != want_body) {
            std::fprintf(stderr, "row %d came back different (name %.*s, %lu body bytes)\n", row,
                         static_cast<int>(name_length), name.data(), body_length);
            std::exit(1);
        }
        bytes += body_length;
        ++row;
    }
    if (row != rows) {
        std::fprintf(stderr, "fetched %d rows, expected %d\n", row, rows);
        std::exit(1);
    }
    if (mysql_stmt_reset(stmt) != 0) {
        fail("reset cursor", stmt, conn);
    }
    mysql_stmt_close(stmt);
    return bytes;
}

/// Opens a cursor, fetches one row of several and gives the statement up: with
/// mysql_stmt_reset (COM_STMT_RESET) or mysql_stmt_close (COM_STMT_CLOSE).
void abandon_cursor(MYSQL* conn, long long user_id, bool close) {
    MYSQL_STMT* stmt = mysql_stmt_init(conn);
    const std::string sql = "SELECT name FROM posts WHERE user_id = ? /* shardgate: primary */";
    unsigned long cursor = CURSOR_TYPE_READ_ONLY;
    unsigned long prefetch = 1;
    MYSQL_BIND param;
    std::memset(&param, 0, sizeof param);
    param.buffer_type = MYSQL_TYPE_LONGLONG;
    param.buffer = &user_id;
    if (mysql_stmt_prepare(stmt, sql.data(), sql.size()) != 0 ||
        mysql_stmt_attr_set(stmt, STMT_ATTR_CURSOR_TYPE, &cursor) != 0 ||
        mysql_stmt_attr_set(stmt, STMT_ATTR_PREFETCH_ROWS, &prefetch) != 0 ||
        mysql_stmt_bind_param(stmt, &param) != 0 || mysql_stmt_execute(stmt) != 0) {
        fail("abandoned cursor", stmt, conn);
    }
    if (mysql_stmt_fetch(stmt) != 0) {
        fail("fetch of the abandoned cursor", stmt, conn);
    }
    if (!close && mysql_stmt_reset(stmt) != 0) {
        fail("reset of the abandoned cursor", stmt, conn);
    }
    mysql_stmt_close(stmt);
}

/// The server port of a plain read (where the router sends a session that holds nothing).
std::string read_port(MYSQL* conn) {
    if (mysql_query(conn, "SELECT @@port") != 0) {
        fail("query after cursor", nullptr, conn);
    }
    MYSQL_RES* result = mysql_store_result(conn);
    MYSQL_ROW row = result != nullptr ? mysql_fetch_row(result) : nullptr;
    const std::string port = row != nullptr && row[0] != nullptr ? row[0] : "?";
    mysql_free_result(result);
    return port;
}

/// One value of a query.
std::string query_value(MYSQL* conn, const char* sql) {
    if (mysql_query(conn, sql) != 0) {
        fail(sql, nullptr, conn);
    }
    MYSQL_RES* result = mysql_store_result(conn);
    MYSQL_ROW row = result != nullptr ? mysql_fetch_row(result) : nullptr;
    const std::string value = row == nullptr ? "?" : row[0] == nullptr ? "NULL" : row[0];
    mysql_free_result(result);
    return value;
}

/// mysql_change_user (COM_CHANGE_USER): to `other` with the right password, then a check
/// that the old session's state is gone, then a wrong password (the connection must end).
/// Prints "changed var=V db=D" and "refused errno=N".
int change_user(unsigned port) {
    MYSQL* conn = mysql_init(nullptr);
    if (mysql_real_connect(conn, "127.0.0.1", "app", "app", "social", port, nullptr, 0) ==
        nullptr) {
        fail("connect", nullptr, conn);
    }
    query_value(conn, "SELECT @kept := 5");
    if (mysql_change_user(conn, "other", "other-pw", "social") != 0) {
        fail("change_user", nullptr, conn);
    }
    std::printf("changed var=%s db=%s\n", query_value(conn, "SELECT @kept").c_str(),
                query_value(conn, "SELECT DATABASE()").c_str());
    if (mysql_change_user(conn, "other", "wrong", "social") == 0) {
        std::fprintf(stderr, "change_user with a wrong password succeeded\n");
        return 1;
    }
    std::printf("refused errno=%u\n", mysql_errno(conn));
    mysql_close(conn);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::string(argv[1]) == "change-user") {
        return change_user(static_cast<unsigned>(std::atoi(argv[2])));
    }
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s PORT USER_ID ROWS | change-user PORT\n", argv[0]);
        return 2;
    }
    const unsigned port = static_cast<unsigned>(std::atoi(argv[1]));
    const long long user_id = std::atoll(argv[2]);
    const int rows = std::atoi(argv[3]);
    MYSQL* conn = mysql_init(nullptr);
    if (mysql_real_connect(conn, "127.0.0.1", "app", "app", "social", port, nullptr, 0) ==
        nullptr) {
        fail("connect", nullptr, conn);
    }
    insert_rows(conn, user_id, rows);
    const std::size_t bytes = read_rows(conn, user_id, rows);
    // Once the cursor has sent its last row, or has been given up, the session is no longer
    // held: a plain read goes wherever the router sends it (the caller checks the ports).
    const std::string after_last_row = read_port(conn);
    abandon_cursor(conn, user_id, false);
    const std::string after_reset = read_port(conn);
    abandon_cursor(conn, user_id, true);
    const std::string after_close = read_port(conn);
    mysql_close(conn);
    std::printf("ok rows=%d bytes=%zu ports=%s,%s,%s\n", rows, bytes, after_last_row.c_str(),
                after_reset.c_str(), after_close.c_str());
    return 0;
}
