// The RSA key pair of caching_sha2_password full authentication without TLS: the client asks
// for the public key (0x02), encrypts its NUL-terminated password XOR the scramble with
// RSA-OAEP (SHA-1, as MySQL clients use RSA_PKCS1_OAEP_PADDING), and shardgate decrypts it.
// Generated once at start-up (2048 bits, never written to disk); immutable afterwards and
// shared read-only by all MySQL workers.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html
#pragma once

#include "shardgate/protocol/mysql/auth.hpp"
#include "shardgate/protocol/mysql/decoded.hpp"

#include <memory>
#include <openssl/types.h>
#include <optional>
#include <string>

namespace shardgate::proxy::mysql {

class RsaKeyPair {
public:
    /// A fresh 2048-bit key pair; throws std::runtime_error when OpenSSL cannot make one.
    static std::shared_ptr<const RsaKeyPair> generate();
    ~RsaKeyPair();
    RsaKeyPair(const RsaKeyPair&) = delete;
    RsaKeyPair& operator=(const RsaKeyPair&) = delete;

    /// The public key as PEM (SubjectPublicKeyInfo), as sent to clients.
    const std::string& public_key_pem() const { return public_pem_; }
    /// The password a client sent encrypted: RSA-OAEP decryption, XOR with the scramble
    /// (repeated), trailing NUL removed. nullopt when the bytes do not decrypt. Thread-safe.
    std::optional<std::string> decrypt_password(protocol::mysql::Bytes ciphertext,
                                                const protocol::mysql::Scramble& scramble) const;

private:
    RsaKeyPair(EVP_PKEY* key, std::string public_pem);

    EVP_PKEY* key_;
    std::string public_pem_;
};

} // namespace shardgate::proxy::mysql
