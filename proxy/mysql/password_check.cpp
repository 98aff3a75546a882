// Password checks for MySQL client logins (plain, native hash, md5 hash, SCRAM verifier).
#include "password_check.hpp"

#include "shardgate/protocol/pg/md5_auth.hpp"
#include "shardgate/protocol/pg/scram.hpp"

#include <openssl/crypto.h>

namespace shardgate::proxy::mysql {

namespace ppg = protocol::pg;

namespace {

bool is_scram_verifier(const std::string& password) {
    return password.starts_with("SCRAM-SHA-256$");
}

bool is_md5_hash(const std::string& password) {
    return password.size() == 35 && password.starts_with("md5") && is_password_hash(password);
}

bool same_bytes(const void* a, const void* b, std::size_t size) {
    return CRYPTO_memcmp(a, b, size) == 0;
}

} // namespace

std::optional<protocol::mysql::NativePasswordHash> native_hash_of(const std::string& password) {
    if (password.size() != 41 || password.front() != '*') {
        return std::nullopt;
    }
    return protocol::mysql::parse_native_password_hash(password);
}

bool is_plain_password(const std::string& password) {
    return !is_password_hash(password);
}

bool cleartext_matches(const ProxyUser& user, std::string_view cleartext) {
    if (const auto stored = native_hash_of(user.password)) {
        const auto derived = protocol::mysql::native_password_hash(cleartext);
        return same_bytes(derived.data(), stored->data(), stored->size());
    }
    if (is_md5_hash(user.password)) {
        auto hash = ppg::md5_stored_password(user.name, cleartext);
        return hash && hash.value().size() == user.password.size() &&
               same_bytes(hash.value().data(), user.password.data(), user.password.size());
    }
    if (is_scram_verifier(user.password)) {
        auto stored = ppg::parse_scram_verifier(user.password);
        if (!stored) {
            return false;
        }
        auto derived =
            ppg::make_scram_verifier(cleartext, stored.value().salt, stored.value().iterations);
        return derived &&
               same_bytes(derived.value().stored_key.data(), stored.value().stored_key.data(),
                          stored.value().stored_key.size());
    }
    return cleartext.size() == user.password.size() &&
           same_bytes(cleartext.data(), user.password.data(), cleartext.size());
}

} // namespace shardgate::proxy::mysql
