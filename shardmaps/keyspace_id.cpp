// keyspace_id(): first 8 bytes of MD5(canonical text), big-endian; and its hex spelling.
#include "shardgate/shardmaps/keyspace_id.hpp"

#include "md5.hpp"

#include <charconv>

namespace shardgate::shardmaps {

KeyspaceId keyspace_id(std::string_view canonical_text) {
    detail::Md5 md5;
    md5.update(canonical_text);
    const auto digest = md5.finish();
    KeyspaceId id = 0;
    for (int i = 0; i < 8; ++i) {
        id = id << 8 | digest[i];
    }
    return id;
}

std::string keyspace_id_hex(KeyspaceId id) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string text = "0x0000000000000000";
    for (int i = 17; i >= 2; --i, id >>= 4) {
        text[i] = digits[id & 0xf];
    }
    return text;
}

bool parse_keyspace_id(std::string_view text, KeyspaceId& out) {
    if (text.starts_with("0x") || text.starts_with("0X")) {
        text.remove_prefix(2);
    }
    if (text.empty() || text.size() > 16) {
        return false;
    }
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out, 16);
    return error == std::errc{} && end == text.data() + text.size();
}

} // namespace shardgate::shardmaps
