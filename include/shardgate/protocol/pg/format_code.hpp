// Format code of PostgreSQL parameter and column values (text or binary).
#pragma once

#include <cstdint>

namespace shardgate::protocol::pg {

/// Format code of a parameter or column value. Any other wire value is a decode error.
enum class FormatCode : std::int16_t { text = 0, binary = 1 };

} // namespace shardgate::protocol::pg
