// Pins the placement function: known keys -> known keyspace ids (from `printf %s KEY | md5sum`),
// and checks the MD5 implementation against OpenSSL on many lengths.
#include "shardgate/shardmaps/canonical_key.hpp"
#include "shardgate/shardmaps/keyspace_id.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <random>
#include <string>

namespace {

using namespace shardgate::shardmaps;

struct Pinned {
    const char* canonical_text;
    KeyspaceId id;
};

// Computed independently with coreutils md5sum; these must never change.
const Pinned pinned[] = {
    {"0", 0xcfcd208495d565efULL},
    {"1", 0xc4ca4238a0b92382ULL},
    {"-1", 0x6bb61e3b7bce0931ULL},
    {"42", 0xa1d0c6e83f027327ULL},
    {"-42", 0x8dfcb89fd8620e3eULL},
    {"7", 0x8f14e45fceea167aULL},
    {"100", 0xf899139df5e10593ULL},
    {"123456789", 0x25f9e794323b4538ULL},
    {"1000000", 0x8155bc545f84d965ULL},
    {"9223372036854775807", 0x15767b252275cf51ULL},
    {"-9223372036854775808", 0xe12c22bb0312e787ULL},
    {"", 0xd41d8cd98f00b204ULL},
    {"hello", 0x5d41402abc4b2a76ULL},
    {"DE", 0x3a52f3c22ed6fcdeULL},
    {"eu", 0x4829322d03d1606fULL},
    {"straße", 0xddc40daba2e976d4ULL},
    {"日本", 0x4dbed2e657457884ULL},
    {"東京都", 0xc81c00cad27aa757ULL},
    {"user@example.com", 0xb58996c504c56387ULL},
    {"a b", 0x0cc9cd4dd26c5137ULL},
    {"Ünïcödé", 0x102ea64e403ab307ULL},
    {"äbc", 0x03b36286edab0a38ULL},
    {"emoji 🎉", 0x2e99d59edf8e9ddbULL},
    {"my0#0", 0xa112b9a3dd939d92ULL},
    {"pg1#63", 0x0e075eb32da3d4d1ULL},
};

TEST(KeyspaceId, PinnedKnownKeys) {
    for (const auto& p : pinned) {
        EXPECT_EQ(keyspace_id(p.canonical_text), p.id) << "key '" << p.canonical_text << "'";
    }
}

KeyspaceId id_of(const KeyValue& value, KeyType type, bool case_insensitive = false) {
    const auto key = CanonicalKey::make(value, ShardKey{"k", type, case_insensitive});
    EXPECT_TRUE(key.ok());
    return keyspace_id(key->text());
}

TEST(KeyspaceId, PinnedThroughCanonicalisation) {
    EXPECT_EQ(id_of(std::int64_t{42}, KeyType::bigint), 0xa1d0c6e83f027327ULL);
    EXPECT_EQ(id_of(std::string_view("'42'").substr(1, 2), KeyType::bigint), 0xa1d0c6e83f027327ULL);
    EXPECT_EQ(id_of(std::string_view("+0042"), KeyType::bigint), 0xa1d0c6e83f027327ULL);
    EXPECT_EQ(id_of(std::int64_t{INT64_MIN}, KeyType::bigint), 0xe12c22bb0312e787ULL);
    EXPECT_EQ(id_of(std::int64_t{INT64_MAX}, KeyType::bigint), 0x15767b252275cf51ULL);
    EXPECT_EQ(id_of(std::string_view("HeLLo"), KeyType::text, true), 0x5d41402abc4b2a76ULL);
    EXPECT_EQ(id_of(std::string_view("ÄBC"), KeyType::text, true), 0x03b36286edab0a38ULL);
    EXPECT_EQ(id_of(std::string_view("ÄBC"), KeyType::text, false), 0x7ac1d8ff5b159c32ULL);
    EXPECT_EQ(id_of(std::int64_t{7}, KeyType::text), 0x8f14e45fceea167aULL);
}

KeyspaceId openssl_id(const std::string& text) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned length = 0;
    EXPECT_EQ(EVP_Digest(text.data(), text.size(), digest, &length, EVP_md5(), nullptr), 1);
    KeyspaceId id = 0;
    for (int i = 0; i < 8; ++i) {
        id = id << 8 | digest[i];
    }
    return id;
}

TEST(KeyspaceId, AgreesWithOpenSslOnEveryLengthUpTo300) {
    std::mt19937_64 random(7);
    for (std::size_t length = 0; length <= 300; ++length) {
        std::string text(length, '\0');
        for (auto& c : text) {
            c = static_cast<char>(random());
        }
        EXPECT_EQ(keyspace_id(text), openssl_id(text)) << "length " << length;
    }
}

TEST(KeyspaceId, HexSpellingRoundTrips) {
    EXPECT_EQ(keyspace_id_hex(0), "0x0000000000000000");
    EXPECT_EQ(keyspace_id_hex(0xa1d0c6e83f027327ULL), "0xa1d0c6e83f027327");
    KeyspaceId id = 0;
    EXPECT_TRUE(parse_keyspace_id("0xFFFFFFFFFFFFFFFF", id));
    EXPECT_EQ(id, UINT64_MAX);
    EXPECT_TRUE(parse_keyspace_id("8000000000000000", id));
    EXPECT_EQ(id, 0x8000000000000000ULL);
    EXPECT_FALSE(parse_keyspace_id("0x1ffffffffffffffff", id));
    EXPECT_FALSE(parse_keyspace_id("0x12g", id));
    EXPECT_FALSE(parse_keyspace_id("0x", id));
}

} // namespace
