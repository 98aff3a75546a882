// Names of the PostgreSQL codec's error codes.
#include "shardgate/protocol/pg/result.hpp"

namespace shardgate::protocol::pg {

const char* to_string(ErrorCode code) {
    switch (code) {
    case ErrorCode::bad_length:
        return "bad_length";
    case ErrorCode::too_large:
        return "too_large";
    case ErrorCode::truncated:
        return "truncated";
    case ErrorCode::missing_terminator:
        return "missing_terminator";
    case ErrorCode::trailing_bytes:
        return "trailing_bytes";
    case ErrorCode::bad_value:
        return "bad_value";
    case ErrorCode::unexpected_type:
        return "unexpected_type";
    case ErrorCode::unsupported:
        return "unsupported";
    case ErrorCode::auth_failed:
        return "auth_failed";
    case ErrorCode::random_failed:
        return "random_failed";
    }
    return "unknown";
}

} // namespace shardgate::protocol::pg
