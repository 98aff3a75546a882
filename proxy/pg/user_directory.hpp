// The users shardgate authenticates, with their SCRAM verifiers / md5 hashes derived once at
// startup (PBKDF2 is too slow to run per login). Immutable; shared by all workers.
#pragma once

#include "shardgate/protocol/pg/scram.hpp"
#include "shardgate/proxy/config.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace shardgate::proxy::pg {

/// One configured user, ready for login.
struct UserCredentials {
    std::string name;
    AuthMethod auth = AuthMethod::scram;
    std::optional<protocol::pg::ScramVerifier> scram; ///< set for scram
    std::string md5_hash;                             ///< "md5..." for md5
    std::string backend_user;                         ///< login used towards backends
    std::string backend_password;
    bool admin = false; ///< may use the admin console
};

class UserDirectory {
public:
    /// Throws ConfigError when a password cannot serve its method (e.g. md5 hash with scram).
    explicit UserDirectory(const Config& config);
    const UserCredentials* find(std::string_view name) const;
    /// What an unknown user is asked for, so that a client cannot tell unknown users from
    /// wrong passwords (as PostgreSQL's mock authentication): a SCRAM exchange with a salt
    /// derived from the name and a per-process secret (the same every attempt), and keys no
    /// proof matches.
    UserCredentials mock(std::string_view name) const;

private:
    std::unordered_map<std::string, UserCredentials> users_;
    std::array<unsigned char, 32> mock_secret_{};
};

} // namespace shardgate::proxy::pg
