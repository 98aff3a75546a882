// Proves the documented SQL expressions (docs/shardmaps.md) agree with keyspace_id() on the
// real PostgreSQL and MariaDB servers of the test topology.
#include "shardgate/shardmaps/canonical_key.hpp"
#include "shardgate/shardmaps/keyspace_id.hpp"
#include "topology.hpp"

#include <cstdint>
#include <gtest/gtest.h>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace shardgate::shardmaps;
using shardgate::testing::Server;

std::vector<std::int64_t> integer_keys() {
    std::vector<std::int64_t> keys{0,
                                   1,
                                   -1,
                                   42,
                                   -42,
                                   7,
                                   1000000,
                                   -1000000,
                                   2147483647,
                                   -2147483648LL,
                                   INT64_MAX,
                                   INT64_MIN,
                                   INT64_MIN + 1,
                                   INT64_MAX - 1};
    std::mt19937_64 random(2025);
    for (int i = 0; i < 300; ++i) {
        keys.push_back(static_cast<std::int64_t>(random()) >> (i % 60)); // all magnitudes
    }
    return keys;
}

std::vector<std::string> string_keys() {
    std::vector<std::string> keys{
        "",           "a",           "hello",  "Hello World", "DE",          "eu",
        "O'Brien",    "back\\slash", "straße", "Ünïcödé",     "日本",        "東京都",
        "emoji 🎉",    "Ελληνικά",    "Москва", "ŁÓDŹ",        "tab\tinside", "user@example.com",
        "  spaces  ", "%_%"};
    std::mt19937 random(99);
    const std::vector<std::string> pieces{"a", "Z", "0",  "é", "Ä", "ß",
                                          "ж", "Ω", "中", "🎉", " ", "-"};
    for (int i = 0; i < 200; ++i) {
        std::string key;
        for (unsigned n = random() % 12; n > 0; --n) {
            key += pieces[random() % pieces.size()];
        }
        keys.push_back(key);
    }
    return keys;
}

// Case-insensitive keys: only letters both engines fold the same way as fold_case().
std::vector<std::string> folding_keys(bool non_ascii) {
    std::vector<std::string> keys{"HeLLo", "EU", "LatAm", "APAC", "MiXeD-Case_123"};
    if (non_ascii) {
        for (const char* k : {"ÄÖÜ", "ÀÉÎÕ", "ΑΘΗΝΑ", "МОСКВА", "ŁÓDŹ", "Straße"}) {
            keys.emplace_back(k);
        }
    }
    return keys;
}

KeyspaceId expected_id(const KeyValue& value, KeyType type, bool folded = false) {
    const auto key = CanonicalKey::make(value, ShardKey{"k", type, folded});
    EXPECT_TRUE(key.ok());
    return keyspace_id(key->text());
}

class SqlAgreement : public ::testing::Test {
protected:
    void SetUp() override { all_ = shardgate::testing::load_topology(); }
    Server primary(const std::string& engine) {
        const auto found = shardgate::testing::servers(all_, engine, "primary");
        if (found.empty()) {
            throw std::runtime_error("topology has no " + engine + " primary");
        }
        return found.front();
    }
    std::vector<Server> all_;
};

// PostgreSQL gives the keyspace id as a signed bigint with the same 64 bits.
KeyspaceId from_pg(const pqxx::field& field) {
    return static_cast<KeyspaceId>(field.as<long long>());
}

std::string pg_array(pqxx::transaction_base& tx, const std::vector<std::string>& keys) {
    std::string sql = "ARRAY[";
    for (std::size_t i = 0; i < keys.size(); ++i) {
        sql.append(i == 0 ? "'" : ",'").append(tx.esc(keys[i])).append("'");
    }
    return sql + "]::text[]";
}

TEST_F(SqlAgreement, PostgresqlIntegers) {
    pqxx::connection connection(shardgate::testing::pg_conninfo(primary("postgresql")));
    pqxx::nontransaction tx(connection);
    const auto keys = integer_keys();
    std::string array = "ARRAY[";
    for (std::size_t i = 0; i < keys.size(); ++i) {
        array.append(i == 0 ? "'" : ",'").append(std::to_string(keys[i])).append("'");
    }
    const auto rows =
        tx.exec("SELECT ('x' || left(md5(k::text), 16))::bit(64)::bigint FROM unnest(" + array +
                "]::bigint[]) WITH ORDINALITY AS u(k, n) ORDER BY n");
    ASSERT_EQ(rows.size(), keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
        EXPECT_EQ(from_pg(rows[i][0]), expected_id(keys[i], KeyType::bigint)) << keys[i];
    }
}

TEST_F(SqlAgreement, PostgresqlStrings) {
    pqxx::connection connection(shardgate::testing::pg_conninfo(primary("postgresql")));
    pqxx::nontransaction tx(connection);
    const auto keys = string_keys();
    const auto rows = tx.exec("SELECT ('x' || left(md5(k), 16))::bit(64)::bigint FROM unnest(" +
                              pg_array(tx, keys) + ") WITH ORDINALITY AS u(k, n) ORDER BY n");
    ASSERT_EQ(rows.size(), keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
        EXPECT_EQ(from_pg(rows[i][0]), expected_id(std::string_view(keys[i]), KeyType::text))
            << "'" << keys[i] << "'";
    }
}

TEST_F(SqlAgreement, PostgresqlCaseInsensitiveStrings) {
    pqxx::connection connection(shardgate::testing::pg_conninfo(primary("postgresql")));
    pqxx::nontransaction tx(connection);
    // lower() follows the database's LC_CTYPE; with the C locale it folds ASCII only.
    const bool unicode_lower = tx.exec("SELECT lower('ÄΩЖ') = 'äωж'")[0][0].as<bool>();
    const auto keys = folding_keys(unicode_lower);
    const auto rows =
        tx.exec("SELECT ('x' || left(md5(lower(k)), 16))::bit(64)::bigint FROM unnest(" +
                pg_array(tx, keys) + ") WITH ORDINALITY AS u(k, n) ORDER BY n");
    ASSERT_EQ(rows.size(), keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
        EXPECT_EQ(from_pg(rows[i][0]), expected_id(std::string_view(keys[i]), KeyType::text, true))
            << "'" << keys[i] << "'";
    }
    if (!unicode_lower) {
        std::printf("note: PostgreSQL lower() folds ASCII only here (C locale)\n");
    }
}

std::string mysql_escape(shardgate::testing::MysqlConnection& c, const std::string& text) {
    std::string out(text.size() * 2 + 1, '\0');
    const auto n = mysql_real_escape_string(c.handle(), out.data(), text.data(), text.size());
    out.resize(n);
    return std::string("'").append(out).append("'");
}

KeyspaceId from_mysql(const std::string& text) {
    return std::stoull(text);
}

TEST_F(SqlAgreement, MariadbIntegers) {
    shardgate::testing::MysqlConnection c(primary("mysql"));
    for (const auto key : integer_keys()) {
        const auto rows = c.query("SELECT CAST(CONV(LEFT(MD5(CAST(" + std::to_string(key) +
                                  " AS SIGNED)), 16), 16, 10) AS UNSIGNED)");
        ASSERT_EQ(rows.size(), 1u);
        EXPECT_EQ(from_mysql(rows[0][0]), expected_id(key, KeyType::bigint)) << key;
    }
}

TEST_F(SqlAgreement, MariadbStrings) {
    shardgate::testing::MysqlConnection c(primary("mysql"));
    ASSERT_EQ(mysql_set_character_set(c.handle(), "utf8mb4"), 0);
    for (const auto& key : string_keys()) {
        const auto rows = c.query("SELECT CAST(CONV(LEFT(MD5(" + mysql_escape(c, key) +
                                  "), 16), 16, 10) AS UNSIGNED)");
        ASSERT_EQ(rows.size(), 1u);
        EXPECT_EQ(from_mysql(rows[0][0]), expected_id(std::string_view(key), KeyType::text))
            << "'" << key << "'";
    }
}

TEST_F(SqlAgreement, MariadbCaseInsensitiveStrings) {
    shardgate::testing::MysqlConnection c(primary("mysql"));
    ASSERT_EQ(mysql_set_character_set(c.handle(), "utf8mb4"), 0);
    for (const auto& key : folding_keys(true)) {
        const auto rows = c.query("SELECT CAST(CONV(LEFT(MD5(LOWER(" + mysql_escape(c, key) +
                                  ")), 16), 16, 10) AS UNSIGNED)");
        ASSERT_EQ(rows.size(), 1u);
        EXPECT_EQ(from_mysql(rows[0][0]), expected_id(std::string_view(key), KeyType::text, true))
            << "'" << key << "'";
    }
}

} // namespace
