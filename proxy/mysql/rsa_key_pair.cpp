// RSA key pair for caching_sha2_password full authentication without TLS (OpenSSL 3 EVP).
#include "rsa_key_pair.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdexcept>
#include <vector>

namespace shardgate::proxy::mysql {

std::shared_ptr<const RsaKeyPair> RsaKeyPair::generate() {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    if (key == nullptr) {
        throw std::runtime_error("cannot generate the RSA key for caching_sha2_password");
    }
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    char* data = nullptr;
    long size = 0;
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1 ||
        (size = BIO_get_mem_data(bio.get(), &data)) <= 0) {
        EVP_PKEY_free(key);
        throw std::runtime_error("cannot encode the RSA public key for caching_sha2_password");
    }
    return std::shared_ptr<const RsaKeyPair>(
        new RsaKeyPair(key, std::string(data, static_cast<std::size_t>(size))));
}

RsaKeyPair::RsaKeyPair(EVP_PKEY* key, std::string public_pem)
    : key_(key), public_pem_(std::move(public_pem)) {}

RsaKeyPair::~RsaKeyPair() {
    EVP_PKEY_free(key_);
}

std::optional<std::string>
RsaKeyPair::decrypt_password(protocol::mysql::Bytes ciphertext,
                             const protocol::mysql::Scramble& scramble) const {
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new(key_, nullptr),
                                                                    &EVP_PKEY_CTX_free);
    if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) != 1) {
        return std::nullopt;
    }
    const auto* in = reinterpret_cast<const unsigned char*>(ciphertext.data());
    std::size_t size = 0;
    if (EVP_PKEY_decrypt(ctx.get(), nullptr, &size, in, ciphertext.size()) != 1) {
        return std::nullopt;
    }
    std::vector<unsigned char> plain(size);
    if (EVP_PKEY_decrypt(ctx.get(), plain.data(), &size, in, ciphertext.size()) != 1) {
        return std::nullopt;
    }
    std::string password(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        password[i] = static_cast<char>(
            plain[i] ^ std::to_integer<unsigned char>(scramble[i % scramble.size()]));
    }
    if (!password.empty() && password.back() == '\0') {
        password.pop_back();
    }
    return password;
}

} // namespace shardgate::proxy::mysql
