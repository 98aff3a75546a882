// MD5 password authentication: stored hash, salted response and server-side check.
#include "shardgate/protocol/pg/md5_auth.hpp"

#include <gtest/gtest.h>

namespace shardgate::protocol::pg {
namespace {

constexpr std::array<std::byte, 4> salt{std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4}};

// Expected values computed independently: md5("penciluser"), then md5(that hex + salt).
TEST(Md5Auth, StoredPassword) {
    EXPECT_EQ(md5_stored_password("user", "pencil").value(), "md520c46e3762c864548e296b33c3406aa9");
}

TEST(Md5Auth, Response) {
    EXPECT_EQ(md5_password_response("user", "pencil", salt).value(),
              "md54376eb6913b38f9aaff38dc7cf19ca76");
}

TEST(Md5Auth, Verify) {
    auto stored = md5_stored_password("user", "pencil").value();
    EXPECT_TRUE(md5_verify(stored, salt, "md54376eb6913b38f9aaff38dc7cf19ca76"));
    EXPECT_FALSE(md5_verify(stored, salt, "md54376eb6913b38f9aaff38dc7cf19ca77"));
    EXPECT_FALSE(md5_verify(stored, {}, "md54376eb6913b38f9aaff38dc7cf19ca76"));
    EXPECT_FALSE(md5_verify("plaintext", salt, "md54376eb6913b38f9aaff38dc7cf19ca76"));
}

} // namespace
} // namespace shardgate::protocol::pg
