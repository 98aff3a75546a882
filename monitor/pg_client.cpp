// PgClient over libpq's asynchronous calls: PQsendQuery, then poll() on the socket until the
// deadline, PQconsumeInput, PQgetResult until the end of the answer.
#include "shardgate/monitor/pg_client.hpp"

#include <cerrno>
#include <libpq-fe.h>
#include <openssl/ssl.h>
#include <poll.h>

namespace shardgate::monitor {
namespace {

std::string error_text(const char* message) {
    std::string text = message != nullptr ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text.empty() ? "connection failed" : text;
}

using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

} // namespace

PgClient::PgClient(const std::string& conninfo, std::chrono::milliseconds timeout)
    : connection_(PQconnectdb(conninfo.c_str())), timeout_(timeout) {
    if (PQstatus(connection_) != CONNECTION_OK) {
        fail_connection(error_text(PQerrorMessage(connection_)));
    }
    PQsetNoticeProcessor(
        connection_, [](void*, const char*) {}, nullptr);
}

PgClient::~PgClient() {
    if (connection_ != nullptr) {
        PQfinish(connection_);
    }
}

bool PgClient::open() const {
    return connection_ != nullptr && PQstatus(connection_) == CONNECTION_OK;
}

void PgClient::fail_connection(const std::string& message) {
    if (connection_ != nullptr) {
        PQfinish(connection_);
        connection_ = nullptr;
    }
    throw SqlError("08006", message, true);
}

std::vector<PgClient::Row> PgClient::query(const std::string& sql) {
    if (!open()) {
        throw SqlError("08006", "not connected", true);
    }
    if (PQsendQuery(connection_, sql.c_str()) == 0) {
        fail_connection(error_text(PQerrorMessage(connection_)));
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout_;
    Result last(nullptr, &PQclear);
    std::optional<SqlError> failure;
    for (;;) {
        while (PQisBusy(connection_) != 0) {
            wait_readable(deadline);
            if (PQconsumeInput(connection_) == 0) {
                fail_connection(error_text(PQerrorMessage(connection_)));
            }
        }
        Result result(PQgetResult(connection_), &PQclear);
        if (!result) {
            break;
        }
        const auto status = PQresultStatus(result.get());
        if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
            fail_connection("COPY is not supported on this session"); // it would never end
        }
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK && !failure) {
            const char* state = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
            failure.emplace(state != nullptr ? state : "XX000",
                            error_text(PQresultErrorMessage(result.get())), false);
        }
        last = std::move(result);
    }
    if (PQstatus(connection_) != CONNECTION_OK) {
        fail_connection(failure ? failure->what() : "connection lost");
    }
    if (failure) {
        throw *failure;
    }
    std::vector<Row> rows;
    if (!last) {
        return rows;
    }
    const int count = PQntuples(last.get());
    const int columns = PQnfields(last.get());
    rows.reserve(static_cast<std::size_t>(count));
    for (int r = 0; r < count; ++r) {
        Row& row = rows.emplace_back();
        for (int c = 0; c < columns; ++c) {
            if (PQgetisnull(last.get(), r, c)) {
                row.emplace_back(std::nullopt);
            } else {
                row.emplace_back(
                    std::string(PQgetvalue(last.get(), r, c),
                                static_cast<std::size_t>(PQgetlength(last.get(), r, c))));
            }
        }
    }
    return rows;
}

std::string PgClient::literal(std::string_view text) {
    if (!open()) {
        throw SqlError("08006", "not connected", true);
    }
    char* escaped = PQescapeLiteral(connection_, text.data(), text.size());
    if (escaped == nullptr) {
        throw SqlError("22021", error_text(PQerrorMessage(connection_)), false);
    }
    std::string out(escaped);
    PQfreemem(escaped);
    return out;
}

void PgClient::wait_readable(std::chrono::steady_clock::time_point deadline) {
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            fail_connection("no answer within " + std::to_string(timeout_.count()) + " ms");
        }
        // Bytes OpenSSL already read and decrypted are not the socket's any more.
        if (PQsslInUse(connection_) != 0) {
            const auto* tls = static_cast<SSL*>(PQsslStruct(connection_, "OpenSSL"));
            if (tls != nullptr && SSL_pending(tls) > 0) {
                return;
            }
        }
        pollfd watched{PQsocket(connection_), POLLIN, 0};
        const int ready = ::poll(&watched, 1, static_cast<int>(left.count()));
        if (ready > 0) {
            return;
        }
        if (ready < 0 && errno != EINTR) {
            fail_connection("poll failed");
        }
    }
}

} // namespace shardgate::monitor
