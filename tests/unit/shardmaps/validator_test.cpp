// One test per validation rule: each checks the message names file:line and what is wrong.
#include "shardgate/shardmaps/loader.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate::shardmaps;

// Lines 1-10; tables start on line 11.
const std::string head = "format_version: 1\n"                   // 1
                         "epoch: 1\n"                            // 2
                         "databases:\n"                          // 3
                         "  db:\n"                               // 4
                         "    engine: postgresql\n"              // 5
                         "    default_shard: s0\n"               // 6
                         "    shards:\n"                         // 7
                         "      s0: {primary: 127.0.0.1:5432}\n" // 8
                         "      s1: {primary: 127.0.0.1:5433}\n" // 9
                         "    tables:\n";                        // 10

std::vector<Diagnostic> errors_of(const std::string& yaml) {
    try {
        parse_shard_map(yaml, "t.yaml");
    } catch (const ShardMapError& e) {
        return e.diagnostics();
    }
    return {};
}

// Passes when some diagnostic is on `line` and its message contains every fragment.
void expect_error(const std::string& yaml, int line, std::initializer_list<std::string> fragments) {
    const auto errors = errors_of(yaml);
    ASSERT_FALSE(errors.empty()) << "the map was accepted";
    for (const auto& e : errors) {
        bool all = e.line == line;
        for (const auto& f : fragments) {
            all = all && e.message.find(f) != std::string::npos;
        }
        if (all) {
            EXPECT_EQ(e.to_string().rfind("t.yaml:" + std::to_string(line) + ":", 0), 0u);
            EXPECT_GT(e.column, 0);
            return;
        }
    }
    std::string all;
    for (const auto& e : errors) {
        all += e.to_string() + "\n";
    }
    ADD_FAILURE() << "no error on line " << line << " with the expected text; got:\n" << all;
}

TEST(Validator, AcceptsTheBaseMap) {
    EXPECT_TRUE(errors_of(head + "      t: {scheme: reference}\n").empty());
}

TEST(Validator, MissingEpoch) {
    std::string yaml = head + "      t: {scheme: reference}\n";
    yaml.replace(yaml.find("epoch: 1\n"), 9, "");
    expect_error(yaml, 1, {"no 'epoch'", "epoch: 1"});
}

TEST(Validator, EpochMustBePositive) {
    std::string yaml = head + "      t: {scheme: reference}\n";
    yaml.replace(yaml.find("epoch: 1\n"), 9, "epoch: zero\n");
    expect_error(yaml, 2, {"epoch", "whole number"});
}

TEST(Validator, HashRangesWithAGap) {
    expect_error(
        head + "      t:\n"                                                   // 11
               "        scheme: hash\n"                                       // 12
               "        key: id\n"                                            // 13
               "        ranges:\n"                                            // 14
               "          - {from: 0x0, to: 0x7ffffffffffffffe, shard: s0}\n" // 15
               "          - {from: 0x8000000000000000, to: 0xffffffffffffffff, shard: s1}\n",
        16, {"gap 0x7fffffffffffffff..0x7fffffffffffffff", "should start at 0x7fffffffffffffff"});
}

TEST(Validator, HashRangesThatOverlap) {
    expect_error(head +
                     "      t:\n"
                     "        scheme: hash\n"
                     "        key: id\n"
                     "        ranges:\n"
                     "          - {from: 0x0, to: 0x8000000000000000, shard: s0}\n"
                     "          - {from: 0x8000000000000000, to: 0xffffffffffffffff, shard: s1}\n",
                 16, {"overlaps", "should start at 0x8000000000000001"});
}

TEST(Validator, HashRangesMissingTheTop) {
    expect_error(head + "      t:\n"
                        "        scheme: hash\n"
                        "        key: id\n"
                        "        ranges:\n"
                        "          - {from: 0x0, to: 0x7fffffffffffffff, shard: s0}\n",
                 15, {"last range should end at 0xffffffffffffffff"});
}

TEST(Validator, MalformedKeyspaceId) {
    expect_error(head + "      t:\n"
                        "        scheme: hash\n"
                        "        key: id\n"
                        "        ranges:\n"
                        "          - {from: 0x0, to: 0xfffffffffffffffffff, shard: s0}\n",
                 15, {"not a keyspace id", "16 hex"});
}

TEST(Validator, OverlappingIntegerRanges) {
    expect_error(head + "      t:\n"
                        "        scheme: range\n"
                        "        key: id\n"
                        "        ranges:\n"
                        "          - {from: 1, to: 100, shard: s0}\n" // 15
                        "          - {from: 100, shard: s1}\n",       // 16
                 16, {"overlaps the one at line 15", "start it at 101"});
}

TEST(Validator, OverlappingStringRanges) {
    expect_error(head + "      t:\n"
                        "        scheme: range\n"
                        "        key: name\n"
                        "        key_type: text\n"
                        "        ranges:\n"
                        "          - {to: m, shard: s0}\n"    // 16
                        "          - {from: m, shard: s1}\n", // 17
                 17, {"overlaps the one at line 16", "before: m"});
}

TEST(Validator, ListValueOnTwoShards) {
    expect_error(head + "      t:\n"
                        "        scheme: list\n"
                        "        key: country\n"
                        "        lists:\n"
                        "          - {shard: s0, values: [DE, FR]}\n"  // 15
                        "          - {shard: s1, values: [US, DE]}\n", // 16
                 16, {"'DE' is already listed at line 15"});
}

TEST(Validator, CaseInsensitiveListValuesCollide) {
    expect_error(head + "      t:\n"
                        "        scheme: list\n"
                        "        key: region\n"
                        "        case_insensitive: true\n"
                        "        lists:\n"
                        "          - {shard: s0, values: [eu]}\n"
                        "          - {shard: s1, values: [EU]}\n", // 17
                 17, {"'EU' is already listed"});
}

TEST(Validator, OverlappingTimeBuckets) {
    expect_error(head + "      t:\n"
                        "        scheme: time\n"
                        "        key: created_at\n"
                        "        interval: month\n"
                        "        ranges:\n"
                        "          - {from: 2025-01, to: 2025-12, shard: s0}\n" // 16
                        "          - {from: 2025-06, shard: s1}\n",             // 17
                 17, {"overlaps the one at line 16", "start it at 2026-01"});
}

TEST(Validator, BadTimeLabel) {
    expect_error(head + "      t:\n"
                        "        scheme: time\n"
                        "        key: created_at\n"
                        "        interval: week\n"
                        "        ranges:\n"
                        "          - {from: 2025-01-08, shard: s0}\n", // 16: a Wednesday
                 16, {"Monday", "2025-01-06"});
}

TEST(Validator, KeyPrecisionOfTimeKeys) {
    const auto time_table = [](const std::string& key_lines) {
        return head +
               "      t:\n"
               "        scheme: time\n"
               "        key: created_at\n"
               "        interval: year\n"
               "        ranges: [{from: 2025, shard: s0}]\n" + // 15
               key_lines;                                      // 16
    };
    const auto loaded = parse_shard_map(time_table("        key_precision: 0\n"), "t.yaml");
    EXPECT_EQ(loaded->find_database("db")->find_table("t")->key().fraction_digits, 0);
    EXPECT_EQ(parse_shard_map(time_table(""), "t.yaml")
                  ->find_database("db")
                  ->find_table("t")
                  ->key()
                  .fraction_digits,
              6); // (PostgreSQL's default: timestamp without a precision)
    expect_error(time_table("        key_precision: 7\n"), 16, {"from 0 to 6"});
    expect_error(time_table("        key_type: date\n        key_precision: 0\n"), 17,
                 {"only to timestamp and timestamptz keys"});
    std::string mysql = time_table("        key_precision: 3\n");
    mysql.replace(mysql.find("postgresql"), 10, "mysql");
    expect_error(mysql, 16, {"MariaDB cuts fractional seconds", "remove it"});
    mysql.replace(mysql.find("        key_precision: 3\n"), 25, "");
    EXPECT_EQ(parse_shard_map(mysql, "t.yaml")
                  ->find_database("db")
                  ->find_table("t")
                  ->key()
                  .fraction_digits,
              -1);
}

TEST(Validator, UnknownShardName) {
    expect_error(head + "      t: {scheme: vertical, shard: s9}\n", 11,
                 {"unknown shard 's9'", "s0, s1"});
}

TEST(Validator, UnknownShardInARange) {
    expect_error(head + "      t:\n"
                        "        scheme: range\n"
                        "        key: id\n"
                        "        ranges:\n"
                        "          - {from: 1, shard: pg0}\n",
                 15, {"unknown shard 'pg0'"});
}

TEST(Validator, ColocatedWithAReferenceTable) {
    expect_error(head + "      r: {scheme: reference}\n"
                        "      t: {colocated_with: r, key: r_id}\n", // 12
                 12, {"another scheme (reference)", "co-locate only with"});
}

TEST(Validator, ColocatedDeclaringAnotherScheme) {
    expect_error(head + "      c: {scheme: hash, key: id}\n"
                        "      t: {colocated_with: c, key: c_id, scheme: range}\n", // 12
                 12, {"another scheme (hash)"});
}

TEST(Validator, ColocatedKeyTypeMismatch) {
    expect_error(head + "      c: {scheme: hash, key: id, key_type: bigint}\n"
                        "      t: {colocated_with: c, key: c_id, key_type: text}\n",
                 12, {"same type"});
}

TEST(Validator, ColocatedWithUnknownTable) {
    expect_error(head + "      t: {colocated_with: nope, key: id}\n", 11, {"unknown table 'nope'"});
}

TEST(Validator, KeyTypeTooNarrowForRangeBounds) {
    expect_error(head + "      t:\n"
                        "        scheme: range\n"
                        "        key: id\n"
                        "        key_type: smallint\n"
                        "        ranges:\n"
                        "          - {from: 1, to: 70000, shard: s0}\n", // 16
                 16, {"70000 cannot be held by key column id of type smallint", "-32768..32767"});
}

TEST(Validator, IntegerKeyWithTextBounds) {
    expect_error(head + "      t:\n"
                        "        scheme: range\n"
                        "        key: id\n"
                        "        ranges:\n"
                        "          - {from: a, shard: s0}\n",
                 15, {"'a' cannot be held by key column id of type bigint", "key_type: text"});
}

TEST(Validator, KeyTypeThatCannotHoldTheScheme) {
    expect_error(head + "      t: {scheme: time, key: id, key_type: bigint, interval: day, "
                        "ranges: [{shard: s0}]}\n",
                 11, {"key type bigint cannot hold", "date, timestamp or timestamptz"});
}

TEST(Validator, DuplicateTable) {
    expect_error(head + "      t: {scheme: reference}\n"
                        "      t: {scheme: vertical, shard: s1}\n",
                 12, {"duplicate table 't'", "line 11"});
}

TEST(Validator, EndpointThatIsNotHostPort) {
    std::string yaml = head + "      t: {scheme: reference}\n";
    yaml.replace(yaml.find("127.0.0.1:5433"), 14, "127.0.0.1");
    expect_error(yaml, 9, {"'127.0.0.1' is not host:port", "127.0.0.1:5432"});
}

TEST(Validator, EndpointWithBadPort) {
    std::string yaml = head + "      t: {scheme: reference}\n";
    yaml.replace(yaml.find("127.0.0.1:5433"), 14, "db:99999");
    expect_error(yaml, 9, {"not host:port"});
}

TEST(Validator, MissingDefaultShard) {
    std::string yaml = head + "      t: {scheme: reference}\n";
    yaml.replace(yaml.find("    default_shard: s0\n"), 22, "");
    expect_error(yaml, 5, {"missing 'default_shard'", "default_shard: s0"});
}

TEST(Validator, UnknownField) {
    expect_error(head + "      t: {scheme: vertical, shard: s0, shards: s1}\n", 11,
                 {"unknown field 'shards'", "expected one of: scheme, shard"});
}

TEST(Validator, UnknownScheme) {
    expect_error(head + "      t: {scheme: modulo, key: id}\n", 11, {"unknown scheme 'modulo'"});
}

TEST(Validator, InvalidYamlNamesThePosition) {
    expect_error(head + "      t: {scheme: reference\n", 12, {"invalid YAML"});
}

TEST(Validator, ReportsEveryErrorNotJustTheFirst) {
    const auto errors = errors_of(head + "      a: {scheme: vertical, shard: x1}\n"
                                         "      b: {scheme: vertical, shard: x2}\n"
                                         "      c: {scheme: vertical, shard: x3}\n");
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_EQ(errors[0].line, 11);
    EXPECT_EQ(errors[2].line, 13);
}

TEST(Validator, SequencesAndChannelsNameShardsOfTheDatabase) {
    const std::string tail = "      t: {scheme: reference}\n";
    auto with = [&](const std::string& lines) {
        std::string yaml = head + tail;
        yaml.insert(yaml.find("    shards:\n"), lines);
        return yaml;
    };
    EXPECT_TRUE(errors_of(with("    sequences: {ids: s1}\n    channels: {jobs: s0}\n")).empty());
    expect_error(with("    sequences: {ids: s9}\n"), 7, {"s9"});
    expect_error(with("    channels: [jobs]\n"), 7, {"'channels'", "mapping"});
    auto mysql = with("    channels: {jobs: s0}\n");
    mysql.replace(mysql.find("postgresql"), 10, "mysql");
    expect_error(mysql, 7, {"MySQL has no notification channels"});
}

} // namespace

// A required list missing altogether is a diagnostic, not a YAML exception (found by
// fuzz_shard_map: the loaders read the missing key before asking whether it exists).
TEST(Validator, MissingListsRangesValuesAndColocatedKey) {
    expect_error(head + "      t: {scheme: list, key: c, key_type: text}\n", 11, {"needs 'lists'"});
    expect_error(head + "      t: {scheme: list, key: c, key_type: text, lists: [{shard: s0}]}\n",
                 11, {"'values' must be a list"});
    expect_error(head + "      t: {scheme: range, key: id}\n", 11, {"needs 'ranges'"});
    expect_error(head + "      t: {scheme: time, key: at, key_type: timestamp, interval: month}\n",
                 11, {"needs 'ranges'"});
    EXPECT_FALSE(errors_of(head + "      u: {scheme: hash, key: id}\n"
                                  "      p: {colocated_with: u}\n")
                     .empty());
}

TEST(Validator, ResultCacheSetting) {
    std::string yaml = head + "      t: {scheme: reference}\n";
    yaml.replace(yaml.find("    tables:\n"), 0, "    result_cache: {t: 5000, u: 200}\n");
    const auto map = parse_shard_map(yaml, "t.yaml");
    const auto& db = *map->find_database("db");
    ASSERT_EQ(db.settings().result_cache.size(), 2u);
    EXPECT_EQ(db.cache_ttl_ms({"t"}), 5000u);
    EXPECT_EQ(db.cache_ttl_ms({"t", "u"}), 200u);         // the smallest
    EXPECT_EQ(db.cache_ttl_ms({"t", "v"}), std::nullopt); // v has none: not cached
    EXPECT_EQ(db.cache_ttl_ms({}), std::nullopt);
    std::string bad = head + "      t: {scheme: reference}\n";
    bad.replace(bad.find("    tables:\n"), 0, "    result_cache: {t: 0}\n");
    expect_error(bad, 10, {"result_cache"});
    bad = head + "      t: {scheme: reference}\n";
    bad.replace(bad.find("    tables:\n"), 0, "    result_cache: [t]\n");
    expect_error(bad, 10, {"'result_cache' must be a mapping"});
}
