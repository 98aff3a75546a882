// How the MySQL frontend checks a configured user's password. A plain password in the config
// is shardgate's "cache entry": it verifies mysql_native_password and the caching_sha2_password
// fast path from the client's scramble. A password received whole (caching_sha2 full
// authentication: clear text over TLS, RSA-encrypted without) can also be checked against a
// stored md5 hash or SCRAM-SHA-256 verifier, so users configured with those can log in.
#pragma once

#include "shardgate/proxy/config.hpp"

#include <string>
#include <string_view>

namespace shardgate::proxy::mysql {

/// Whether the configured password is plain text (not a SCRAM verifier or an md5 hash).
bool is_plain_password(const std::string& password);

/// Whether `cleartext` is `user`'s password: equal to the plain one, or producing the stored
/// md5 hash / SCRAM verifier (PBKDF2 runs here: a few milliseconds per call). Compares in
/// constant time.
bool cleartext_matches(const ProxyUser& user, std::string_view cleartext);

} // namespace shardgate::proxy::mysql
