// PostgreSQL MD5 password authentication: stored hash, client response, server check.
// https://www.postgresql.org/docs/15/protocol-flow.html#id-1.10.5.7.3 (AuthenticationMD5Password)
#include "shardgate/protocol/pg/md5_auth.hpp"

#include "crypto.hpp"

namespace shardgate::protocol::pg {

namespace {

Error md5_unavailable() {
    return Error{ErrorCode::unsupported, "MD5 digest is unavailable"};
}

// "md5" + hex(md5(hex_hash + salt)) for a 32-character hex hash.
Result<std::string> salted_response(std::string_view hex_hash,
                                    const std::array<std::byte, 4>& salt) {
    std::string input(hex_hash);
    input.append(reinterpret_cast<const char*>(salt.data()), salt.size());
    auto digest = crypto::md5_hex(as_bytes(input));
    if (!digest) {
        return md5_unavailable();
    }
    return "md5" + *digest;
}

} // namespace

Result<std::string> md5_stored_password(std::string_view user, std::string_view password) {
    std::string input(password);
    input += user;
    auto digest = crypto::md5_hex(as_bytes(input));
    if (!digest) {
        return md5_unavailable();
    }
    return "md5" + *digest;
}

Result<std::string> md5_password_response(std::string_view user, std::string_view password,
                                          const std::array<std::byte, 4>& salt) {
    auto stored = md5_stored_password(user, password);
    if (!stored) {
        return stored.error();
    }
    return salted_response(std::string_view(stored.value()).substr(3), salt);
}

bool md5_verify(std::string_view stored_md5, const std::array<std::byte, 4>& salt,
                std::string_view response) {
    if (stored_md5.size() != 35 || !stored_md5.starts_with("md5")) {
        return false;
    }
    auto expected = salted_response(stored_md5.substr(3), salt);
    return expected && crypto::equal_constant_time(as_bytes(expected.value()), as_bytes(response));
}

} // namespace shardgate::protocol::pg
