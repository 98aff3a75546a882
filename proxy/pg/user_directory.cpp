// Derives per-user login secrets from the config.
#include "user_directory.hpp"

#include "shardgate/protocol/pg/md5_auth.hpp"
#include "shardgate/protocol/pg/random_source.hpp"

namespace shardgate::proxy::pg {

namespace ppg = protocol::pg;

UserDirectory::UserDirectory(const Config& config) {
    for (const auto& user : config.users) {
        UserCredentials creds;
        creds.name = user.name;
        creds.auth = user.auth;
        const bool is_scram = user.password.starts_with("SCRAM-SHA-256$");
        const bool is_md5 = user.password.size() == 35 && user.password.starts_with("md5");
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

const UserCredentials* UserDirectory::find(std::string_view name) const {
    const auto it = users_.find(std::string(name));
    return it == users_.end() ? nullptr : &it->second;
}

} // namespace shardgate::proxy::pg
