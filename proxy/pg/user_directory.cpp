// Derives per-user login secrets from the config.
#include "user_directory.hpp"

#include "shardgate/protocol/pg/md5_auth.hpp"
#include "shardgate/protocol/pg/random_source.hpp"

#include <cstring>
#include <openssl/rand.h>
#include <openssl/sha.h>

namespace shardgate::proxy::pg {

namespace ppg = protocol::pg;

UserDirectory::UserDirectory(const Config& config) {
    if (RAND_bytes(mock_secret_.data(), static_cast<int>(mock_secret_.size())) != 1) {
        throw ConfigError("no random bytes for the authentication of unknown users");
    }
    for (const auto& user : config.users) {
        UserCredentials creds;
        creds.name = user.name;
        creds.auth = user.auth;
        creds.admin = user.admin;
        const bool is_scram = user.password.starts_with("SCRAM-SHA-256$");
        const bool is_md5 = user.password.size() == 35 && user.password.starts_with("md5") &&
                            is_password_hash(user.password); // "md5" + 32 hex digits
        if (user.auth == AuthMethod::scram) {
            if (is_md5) {
                throw ConfigError("user '" + user.name + "': an md5 hash cannot do scram");
            }
            auto verifier =
                is_scram ? ppg::parse_scram_verifier(user.password)
                         : ppg::make_scram_verifier(user.password, ppg::openssl_random_source());
            if (!verifier) {
                throw ConfigError("user '" + user.name + "': " + verifier.error().message);
            }
            creds.scram = verifier.value();
        } else if (user.auth == AuthMethod::md5) {
            if (is_scram) {
                throw ConfigError("user '" + user.name + "': a SCRAM verifier cannot do md5");
            }
            if (is_md5) {
                creds.md5_hash = user.password;
            } else {
                auto hash = ppg::md5_stored_password(user.name, user.password);
                if (!hash) {
                    throw ConfigError("user '" + user.name + "': " + hash.error().message);
                }
                creds.md5_hash = hash.value();
            }
        }
        creds.backend_user = config.backend_user.empty() ? user.name : config.backend_user;
        creds.backend_password = config.backend_password.empty() && !is_scram && !is_md5
                                     ? user.password
                                     : config.backend_password;
        users_[user.name] = std::move(creds);
    }
}

UserCredentials UserDirectory::mock(std::string_view name) const {
    std::string input(reinterpret_cast<const char*>(mock_secret_.data()), mock_secret_.size());
    input.append(name);
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest.data());
    UserCredentials creds;
    creds.name = std::string(name);
    creds.auth = AuthMethod::scram;
    ppg::ScramVerifier verifier;
    verifier.salt.resize(16);
    std::memcpy(verifier.salt.data(), digest.data(), 16);
    // Keys from the other half of the digest and the secret: no client proof can match them.
    for (std::size_t i = 0; i < verifier.stored_key.size(); ++i) {
        verifier.stored_key[i] = std::byte(digest[16 + i % 16] ^ mock_secret_[i]);
        verifier.server_key[i] = std::byte(digest[i % 16] ^ mock_secret_[31 - i]);
    }
    creds.scram = std::move(verifier);
    return creds;
}

const UserCredentials* UserDirectory::find(std::string_view name) const {
    const auto it = users_.find(std::string(name));
    return it == users_.end() ? nullptr : &it->second;
}

} // namespace shardgate::proxy::pg
