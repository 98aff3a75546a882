// Known-answer and verification tests for password authentication (auth.cpp). Expected
// values were computed independently with Python's hashlib and agree with MariaDB's
// PASSWORD() function.
#include "packet_builder.hpp"
#include "shardgate/protocol/mysql/auth.hpp"

#include <gtest/gtest.h>

namespace shardgate::protocol::mysql {
namespace {

const Buffer scramble = test::bytes_of("abcdefghijklmnopqrst");

TEST(NativePassword, KnownAnswer) {
    EXPECT_EQ(native_password_scramble("secret", scramble),
              test::from_hex("8817c50fa779daef010ee7577825b0847df9842e"));
    // A trailing NUL after the 20 bytes (as in AuthSwitchRequest data) is ignored.
    Buffer with_nul = scramble;
    with_nul.push_back(std::byte{0});
    EXPECT_EQ(native_password_scramble("secret", with_nul),
              native_password_scramble("secret", scramble));
    EXPECT_TRUE(native_password_scramble("", scramble).empty());
}

TEST(NativePassword, StoredHashText) {
    EXPECT_EQ(native_password_hash_text(native_password_hash("app")),
              "*5BCB3E6AC345B435C7C2E6B7949A04CE6F6563D3");
    EXPECT_EQ(native_password_hash_text(native_password_hash("secret")),
              "*14E65567ABDB5135D0CFD9A70B3032C179A49EE7");
    auto parsed = parse_native_password_hash("*14e65567abdb5135d0cfd9a70b3032c179a49ee7");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, native_password_hash("secret"));
    EXPECT_FALSE(parse_native_password_hash("14E65567ABDB5135D0CFD9A70B3032C179A49EE7"));
    EXPECT_FALSE(parse_native_password_hash("*14E65567ABDB5135D0CFD9A70B3032C179A49EEZ"));
    EXPECT_FALSE(parse_native_password_hash("*"));
}

TEST(NativePassword, ServerVerification) {
    const Buffer response = native_password_scramble("secret", scramble);
    const auto stored = *parse_native_password_hash("*14E65567ABDB5135D0CFD9A70B3032C179A49EE7");
    EXPECT_TRUE(verify_native_password(scramble, response, stored));
    EXPECT_TRUE(verify_native_password_plain(scramble, response, "secret"));
    EXPECT_FALSE(verify_native_password_plain(scramble, response, "Secret"));
    EXPECT_FALSE(verify_native_password(test::bytes_of("abcdefghijklmnopqrsX"), response, stored));
    EXPECT_FALSE(verify_native_password(scramble, Bytes(response).first(19), stored));
    EXPECT_TRUE(verify_native_password_plain(scramble, {}, ""));
    EXPECT_FALSE(verify_native_password_plain(scramble, response, ""));
    EXPECT_FALSE(verify_native_password_plain(scramble, {}, "secret"));
}

TEST(CachingSha2, KnownAnswerAndVerification) {
    const Buffer response = caching_sha2_scramble("secret", scramble);
    EXPECT_EQ(response,
              test::from_hex("c76e2898612a4cf042c77fa8c4702c4c64c0c2c557c53c4d75595aaa6abae809"));
    EXPECT_TRUE(verify_caching_sha2_plain(scramble, response, "secret"));
    EXPECT_FALSE(verify_caching_sha2_plain(scramble, response, "secreT"));
    EXPECT_TRUE(caching_sha2_scramble("", scramble).empty());
    EXPECT_TRUE(verify_caching_sha2_plain(scramble, {}, ""));
    EXPECT_EQ(cleartext_password(test::PayloadBuilder().nul_str("pw")), "pw");
    EXPECT_EQ(cleartext_password(test::bytes_of("pw")), "pw");
}

TEST(Scramble, GeneratedBytesAreSafeAndRandomSourceIsUsed) {
    const RandomSource all_zero_and_dollar = [](std::span<std::byte> out) {
        for (std::size_t i = 0; i < out.size(); ++i) {
            out[i] = std::byte(i % 2 ? '$' : 0x80); // 0x80 & 0x7f == 0
        }
        return true;
    };
    auto s = generate_scramble(all_zero_and_dollar);
    ASSERT_TRUE(s);
    for (auto b : *s) {
        const auto v = std::to_integer<int>(b);
        EXPECT_GT(v, 0);
        EXPECT_LT(v, 128);
        EXPECT_NE(v, '$');
    }
    EXPECT_FALSE(generate_scramble([](std::span<std::byte>) { return false; }));
    auto a = generate_scramble();
    auto b = generate_scramble();
    ASSERT_TRUE(a && b);
    EXPECT_NE(*a, *b);
}

} // namespace
} // namespace shardgate::protocol::mysql
