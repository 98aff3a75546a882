// mysql_native_password and caching_sha2_password scrambles and their verification.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_authentication_methods_native_password_authentication.html
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html
#include "shardgate/protocol/mysql/auth.hpp"

#include "shardgate/protocol/mysql/byte_io.hpp"

#include <algorithm>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace shardgate::protocol::mysql {
namespace {

using Sha1 = std::array<std::byte, 20>;
using Sha256 = std::array<std::byte, 32>;

template <class Digest> Digest digest(const EVP_MD* md, std::initializer_list<Bytes> parts) {
    Digest out{};
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, md, nullptr);
    for (const Bytes part : parts) {
        EVP_DigestUpdate(ctx, part.data(), part.size());
    }
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()), &length);
    EVP_MD_CTX_free(ctx);
    return out;
}

Sha1 sha1(std::initializer_list<Bytes> parts) {
    return digest<Sha1>(EVP_sha1(), parts);
}
Sha256 sha256(std::initializer_list<Bytes> parts) {
    return digest<Sha256>(EVP_sha256(), parts);
}

template <std::size_t N>
std::array<std::byte, N> xor_bytes(const std::array<std::byte, N>& a,
                                   const std::array<std::byte, N>& b) {
    std::array<std::byte, N> out{};
    for (std::size_t i = 0; i < N; ++i) {
        out[i] = a[i] ^ b[i];
    }
    return out;
}

Bytes scramble_nonce(Bytes scramble) {
    return scramble.first(std::min(scramble.size(), scramble_size));
}

bool equal_constant_time(Bytes a, Bytes b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

} // namespace

bool openssl_random(std::span<std::byte> out) {
    return RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size())) ==
           1;
}

std::optional<Scramble> generate_scramble(const RandomSource& random) {
    Scramble scramble{};
    if (!random || !random(scramble)) {
        return std::nullopt;
    }
    for (auto& b : scramble) {
        auto value = std::to_integer<std::uint8_t>(b) & 0x7f;
        if (value == 0 || value == '$') {
            ++value;
        }
        b = std::byte(value);
    }
    return scramble;
}

Buffer native_password_scramble(std::string_view password, Bytes scramble) {
    if (password.empty()) {
        return {};
    }
    const Sha1 stage1 = sha1({as_bytes(password)});
    const Sha1 stage2 = sha1({stage1});
    const Sha1 mask = sha1({scramble_nonce(scramble), stage2});
    const Sha1 token = xor_bytes(stage1, mask);
    return Buffer(token.begin(), token.end());
}

NativePasswordHash native_password_hash(std::string_view password) {
    return sha1({sha1({as_bytes(password)})});
}

std::string native_password_hash_text(const NativePasswordHash& hash) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string text = "*";
    for (const auto b : hash) {
        const auto v = std::to_integer<std::uint8_t>(b);
        text += digits[v >> 4];
        text += digits[v & 0x0f];
    }
    return text;
}

std::optional<NativePasswordHash> parse_native_password_hash(std::string_view text) {
    if (text.size() != 41 || text[0] != '*') {
        return std::nullopt;
    }
    NativePasswordHash hash{};
    for (std::size_t i = 0; i < hash.size(); ++i) {
        const int high = hex_value(text[1 + 2 * i]);
        const int low = hex_value(text[2 + 2 * i]);
        if (high < 0 || low < 0) {
            return std::nullopt;
        }
        hash[i] = std::byte(static_cast<std::uint8_t>(high * 16 + low));
    }
    return hash;
}

bool verify_native_password(Bytes scramble, Bytes response, const NativePasswordHash& stored) {
    if (response.size() != 20) {
        return false;
    }
    const Sha1 mask = sha1({scramble_nonce(scramble), stored});
    Sha1 given{};
    std::copy(response.begin(), response.end(), given.begin());
    const Sha1 stage1 = xor_bytes(given, mask);
    return equal_constant_time(sha1({stage1}), stored);
}

bool verify_native_password_plain(Bytes scramble, Bytes response, std::string_view password) {
    if (password.empty()) {
        return response.empty();
    }
    return verify_native_password(scramble, response, native_password_hash(password));
}

Buffer caching_sha2_scramble(std::string_view password, Bytes scramble) {
    if (password.empty()) {
        return {};
    }
    const Sha256 stage1 = sha256({as_bytes(password)});
    const Sha256 stage2 = sha256({stage1});
    const Sha256 mask = sha256({stage2, scramble_nonce(scramble)});
    const Sha256 token = xor_bytes(stage1, mask);
    return Buffer(token.begin(), token.end());
}

bool verify_caching_sha2_plain(Bytes scramble, Bytes response, std::string_view password) {
    if (password.empty()) {
        return response.empty();
    }
    const Buffer expected = caching_sha2_scramble(password, scramble);
    return equal_constant_time(expected, response);
}

std::string_view cleartext_password(Bytes payload) {
    auto text = as_chars(payload);
    if (!text.empty() && text.back() == '\0') {
        text.remove_suffix(1);
    }
    return text;
}

} // namespace shardgate::protocol::mysql
