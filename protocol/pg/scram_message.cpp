// Shared SCRAM-SHA-256 helpers: message attributes, saslname, nonces, key derivation.
// https://www.rfc-editor.org/rfc/rfc5802#section-3 and section 7
#include "scram_message.hpp"

#include "crypto.hpp"

#include <charconv>

namespace shardgate::protocol::pg::scram {

std::optional<std::vector<Attribute>> split_attributes(std::string_view text) {
    std::vector<Attribute> attributes;
    while (true) {
        auto comma = text.find(',');
        auto part = text.substr(0, comma);
        bool letter = part.size() >= 2 &&
                      ((part[0] >= 'a' && part[0] <= 'z') || (part[0] >= 'A' && part[0] <= 'Z'));
        if (!letter || part[1] != '=') {
            return std::nullopt;
        }
        attributes.push_back({part[0], part.substr(2)});
        if (comma == std::string_view::npos) {
            return attributes;
        }
        text.remove_prefix(comma + 1);
    }
}

bool valid_nonce(std::string_view nonce) {
    if (nonce.empty()) {
        return false;
    }
    for (char c : nonce) {
        if (c < 0x21 || c > 0x7e || c == ',') {
            return false;
        }
    }
    return true;
}

std::string escape_saslname(std::string_view name) {
    std::string escaped;
    for (char c : name) {
        if (c == ',') {
            escaped += "=2C";
        } else if (c == '=') {
            escaped += "=3D";
        } else {
            escaped += c;
        }
    }
    return escaped;
}

std::optional<std::string> unescape_saslname(std::string_view name) {
    std::string plain;
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (name[i] != '=') {
            plain += name[i];
            continue;
        }
        auto code = name.substr(i + 1, 2);
        if (code == "2C") {
            plain += ',';
        } else if (code == "3D") {
            plain += '=';
        } else {
            return std::nullopt;
        }
        i += 2;
    }
    return plain;
}

bool derive_keys(std::string_view password, ByteView salt, int iterations, ScramKey& client_key,
                 ScramKey& server_key) {
    ScramKey salted{};
    return crypto::pbkdf2_sha256(password, salt, iterations, salted) &&
           crypto::hmac_sha256(salted, as_bytes("Client Key"), client_key) &&
           crypto::hmac_sha256(salted, as_bytes("Server Key"), server_key);
}

bool signature(const ScramKey& key, std::string_view auth_message, ScramKey& out) {
    return crypto::hmac_sha256(key, as_bytes(auth_message), out);
}

ScramKey xor_keys(const ScramKey& a, const ScramKey& b) {
    ScramKey result{};
    for (std::size_t i = 0; i < result.size(); ++i) {
        result[i] = a[i] ^ b[i];
    }
    return result;
}

std::optional<int> parse_iterations(std::string_view text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 1) {
        return std::nullopt;
    }
    return value;
}

} // namespace shardgate::protocol::pg::scram
