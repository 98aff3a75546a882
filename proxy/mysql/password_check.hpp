// How the MySQL frontend checks a configured user's password. A plain password in the config
// is shardgate's "cache entry": it verifies mysql_native_password and the caching_sha2_password
// fast path from the client's scramble. A mysql_native_password hash ("*" + 40 hex digits, as
// in MariaDB's mysql.user) verifies mysql_native_password scrambles too. A password received
// whole (caching_sha2 full authentication: clear text over TLS, RSA-encrypted without) can
// also be checked against any stored form: native hash, md5 hash or SCRAM-SHA-256 verifier.
#pragma once

#include "shardgate/protocol/mysql/auth.hpp"
#include "shardgate/proxy/config.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace shardgate::proxy::mysql {

/// Whether the configured password is plain text (not a SCRAM verifier, md5 or native hash).
bool is_plain_password(const std::string& password);

/// The mysql_native_password hash SHA1(SHA1(password)) when the configured password is one
/// ("*" + 40 hex digits).
std::optional<protocol::mysql::NativePasswordHash> native_hash_of(const std::string& password);

/// Whether `cleartext` is `user`'s password: equal to the plain one, or producing the stored
/// native hash / md5 hash / SCRAM verifier (PBKDF2 runs here: a few milliseconds per call).
/// Compares in constant time.
bool cleartext_matches(const ProxyUser& user, std::string_view cleartext);

} // namespace shardgate::proxy::mysql
