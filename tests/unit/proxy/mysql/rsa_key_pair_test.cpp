// Tests of the RSA key pair of caching_sha2_password full authentication without TLS: what a
// client encrypts with the published key (RSA-OAEP, password + NUL XOR scramble) decrypts to
// the password.
#include "mysql/rsa_key_pair.hpp"

#include <gtest/gtest.h>
#include <memory>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <string>
#include <vector>

namespace {

namespace pm = shardgate::protocol::mysql;
using shardgate::proxy::mysql::RsaKeyPair;

/// What a client sends: RSA-OAEP(public key, (password + NUL) XOR scramble).
std::vector<std::byte> client_encrypt(const std::string& pem, const std::string& password,
                                      const pm::Scramble& scramble) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), pem.size()),
                                                  &BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
    EXPECT_NE(key, nullptr);
    std::string plain = password + '\0';
    for (std::size_t i = 0; i < plain.size(); ++i) {
        plain[i] = static_cast<char>(plain[i] ^ std::to_integer<char>(scramble[i % 20]));
    }
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
        EVP_PKEY_CTX_new(key.get(), nullptr), &EVP_PKEY_CTX_free);
    EXPECT_EQ(EVP_PKEY_encrypt_init(ctx.get()), 1);
    EXPECT_EQ(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING), 1);
    const auto* in = reinterpret_cast<const unsigned char*>(plain.data());
    std::size_t size = 0;
    EXPECT_EQ(EVP_PKEY_encrypt(ctx.get(), nullptr, &size, in, plain.size()), 1);
    std::vector<std::byte> out(size);
    EXPECT_EQ(EVP_PKEY_encrypt(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &size, in,
                               plain.size()),
              1);
    out.resize(size);
    return out;
}

pm::Scramble scramble_of(unsigned char first) {
    pm::Scramble scramble{};
    for (std::size_t i = 0; i < scramble.size(); ++i) {
        scramble[i] = static_cast<std::byte>(first + i);
    }
    return scramble;
}

TEST(MysqlRsaKeyPair, DecryptsWhatAClientEncrypts) {
    const auto keys = RsaKeyPair::generate();
    ASSERT_TRUE(keys->public_key_pem().starts_with("-----BEGIN PUBLIC KEY-----"));
    const auto scramble = scramble_of(33);
    for (const std::string password : {"s3cret", "", "a password longer than the scramble"}) {
        const auto sent = client_encrypt(keys->public_key_pem(), password, scramble);
        EXPECT_EQ(sent.size(), 256u);
        EXPECT_EQ(keys->decrypt_password(sent, scramble), password);
    }
}

TEST(MysqlRsaKeyPair, OtherScrambleOrGarbageDoNotGiveThePassword) {
    const auto keys = RsaKeyPair::generate();
    const auto sent = client_encrypt(keys->public_key_pem(), "s3cret", scramble_of(33));
    EXPECT_NE(keys->decrypt_password(sent, scramble_of(40)), std::optional<std::string>("s3cret"));
    const std::vector<std::byte> garbage(256, std::byte{7});
    EXPECT_EQ(keys->decrypt_password(garbage, scramble_of(33)), std::nullopt);
    EXPECT_EQ(keys->decrypt_password({}, scramble_of(33)), std::nullopt);
    // a key pair per start: another daemon's key does not decrypt it
    EXPECT_EQ(RsaKeyPair::generate()->decrypt_password(sent, scramble_of(33)), std::nullopt);
}

} // namespace
