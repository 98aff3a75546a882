// PostgreSQL MD5 password authentication, both sides.
// https://www.postgresql.org/docs/15/auth-password.html
#pragma once

#include "shardgate/protocol/pg/result.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace shardgate::protocol::pg {

/// "md5" + hex(md5(password + user)): the form PostgreSQL stores in pg_authid, and the form
/// shardgate's config may hold instead of a password.
Result<std::string> md5_stored_password(std::string_view user, std::string_view password);

/// The PasswordMessage answering AuthenticationMD5Password:
/// "md5" + hex(md5(hex(md5(password + user)) + salt)).
Result<std::string> md5_password_response(std::string_view user, std::string_view password,
                                          const std::array<std::byte, 4>& salt);

/// Server side: whether `response` is the right answer to `salt` for a stored
/// "md5<32 hex>" hash (as made by md5_stored_password). Constant-time comparison.
bool md5_verify(std::string_view stored_md5, const std::array<std::byte, 4>& salt,
                std::string_view response);

} // namespace shardgate::protocol::pg
