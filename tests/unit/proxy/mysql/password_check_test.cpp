// Tests of the MySQL frontend's password checks (plain, native hash, md5 hash, SCRAM verifier).
#include "mysql/password_check.hpp"
#include "shardgate/protocol/pg/md5_auth.hpp"
#include "shardgate/protocol/pg/scram.hpp"

#include <array>
#include <gtest/gtest.h>

namespace {

using shardgate::proxy::ProxyUser;
using shardgate::proxy::mysql::cleartext_matches;
using shardgate::proxy::mysql::is_plain_password;
using shardgate::proxy::mysql::native_hash_of;
namespace ppg = shardgate::protocol::pg;

ProxyUser user(std::string name, std::string password) {
    ProxyUser out;
    out.name = std::move(name);
    out.password = std::move(password);
    return out;
}

TEST(MysqlPasswordCheck, PlainPassword) {
    EXPECT_TRUE(is_plain_password("app"));
    EXPECT_TRUE(cleartext_matches(user("app", "app"), "app"));
    EXPECT_FALSE(cleartext_matches(user("app", "app"), "ap"));
    EXPECT_FALSE(cleartext_matches(user("app", "app"), "appp"));
    EXPECT_TRUE(cleartext_matches(user("app", ""), ""));
    EXPECT_FALSE(cleartext_matches(user("app", ""), "x"));
}

TEST(MysqlPasswordCheck, NativeHash) {
    // SELECT PASSWORD('app') on MariaDB
    const std::string hash = "*5BCB3E6AC345B435C7C2E6B7949A04CE6F6563D3";
    EXPECT_FALSE(is_plain_password(hash));
    ASSERT_TRUE(native_hash_of(hash));
    EXPECT_TRUE(cleartext_matches(user("app", hash), "app"));
    EXPECT_TRUE(cleartext_matches(user("app", "*5bcb3e6ac345b435c7c2e6b7949a04ce6f6563d3"), "app"));
    EXPECT_FALSE(cleartext_matches(user("app", hash), "App"));
    // not a hash: a star and 40 characters that are not all hex digits is a plain password
    EXPECT_TRUE(is_plain_password("*5BCB3E6AC345B435C7C2E6B7949A04CE6F6563DZ"));
}

TEST(MysqlPasswordCheck, Md5Hash) {
    const auto hash = ppg::md5_stored_password("md5user", "m5pass");
    ASSERT_TRUE(hash);
    EXPECT_FALSE(is_plain_password(hash.value()));
    EXPECT_TRUE(cleartext_matches(user("md5user", hash.value()), "m5pass"));
    EXPECT_FALSE(cleartext_matches(user("md5user", hash.value()), "m5pasS"));
    // the hash is salted with the user name
    EXPECT_FALSE(cleartext_matches(user("other", hash.value()), "m5pass"));
}

TEST(MysqlPasswordCheck, ScramVerifier) {
    const std::array<std::byte, 16> salt{std::byte{1}, std::byte{2}, std::byte{3}};
    const auto verifier = ppg::make_scram_verifier("s3cret", salt, 4096);
    ASSERT_TRUE(verifier);
    const auto text = ppg::format_scram_verifier(verifier.value());
    EXPECT_FALSE(is_plain_password(text));
    EXPECT_TRUE(cleartext_matches(user("hashed", text), "s3cret"));
    EXPECT_FALSE(cleartext_matches(user("hashed", text), "s3cret "));
    EXPECT_FALSE(cleartext_matches(user("hashed", "SCRAM-SHA-256$garbage"), "s3cret"));
}

} // namespace
