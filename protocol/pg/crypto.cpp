// OpenSSL 3 wrappers for PostgreSQL authentication (EVP digests, HMAC, PBKDF2) plus base64.
#include "crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace shardgate::protocol::pg::crypto {

namespace {

constexpr std::string_view base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int base64_value(char c) {
    auto pos = base64_alphabet.find(c);
    return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

const unsigned char* raw(ByteView data) {
    return reinterpret_cast<const unsigned char*>(data.data());
}

unsigned char* raw(ScramKey& key) {
    return reinterpret_cast<unsigned char*>(key.data());
}

} // namespace

bool sha256(ByteView data, ScramKey& out) {
    unsigned int length = 0;
    return EVP_Digest(raw(data), data.size(), raw(out), &length, EVP_sha256(), nullptr) == 1 &&
           length == out.size();
}

bool hmac_sha256(ByteView key, ByteView data, ScramKey& out) {
    unsigned int length = 0;
    return HMAC(EVP_sha256(), raw(key), static_cast<int>(key.size()), raw(data), data.size(),
                raw(out), &length) != nullptr &&
           length == out.size();
}

bool pbkdf2_sha256(std::string_view password, ByteView salt, int iterations, ScramKey& out) {
    return PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), raw(salt),
                             static_cast<int>(salt.size()), iterations, EVP_sha256(),
                             static_cast<int>(out.size()), raw(out)) == 1;
}

std::optional<std::string> md5_hex(ByteView data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(raw(data), data.size(), digest, &length, EVP_md5(), nullptr) != 1) {
        return std::nullopt;
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string text;
    for (unsigned int i = 0; i < length; ++i) {
        text += hex[digest[i] >> 4];
        text += hex[digest[i] & 15];
    }
    return text;
}

std::string base64_encode(ByteView data) {
    std::string text;
    text.reserve((data.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < data.size(); i += 3) {
        std::uint32_t chunk = std::to_integer<std::uint32_t>(data[i]) << 16;
        std::size_t n = std::min<std::size_t>(3, data.size() - i);
        if (n > 1) {
            chunk |= std::to_integer<std::uint32_t>(data[i + 1]) << 8;
        }
        if (n > 2) {
            chunk |= std::to_integer<std::uint32_t>(data[i + 2]);
        }
        for (std::size_t k = 0; k < 4; ++k) {
            text += k <= n ? base64_alphabet[(chunk >> (18 - 6 * k)) & 63] : '=';
        }
    }
    return text;
}

std::optional<std::vector<std::byte>> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) {
        return std::nullopt;
    }
    std::vector<std::byte> data;
    data.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        std::size_t padding = 0;
        if (i + 4 == text.size() && text[i + 3] == '=') {
            padding = text[i + 2] == '=' ? 2 : 1;
        }
        std::uint32_t chunk = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            int v = k < 4 - padding ? base64_value(text[i + k]) : 0;
            if (v < 0) {
                return std::nullopt;
            }
            chunk = (chunk << 6) | static_cast<std::uint32_t>(v);
        }
        for (std::size_t k = 0; k < 3 - padding; ++k) {
            data.push_back(static_cast<std::byte>((chunk >> (16 - 8 * k)) & 0xff));
        }
    }
    return data;
}

bool equal_constant_time(ByteView a, ByteView b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace shardgate::protocol::pg::crypto
