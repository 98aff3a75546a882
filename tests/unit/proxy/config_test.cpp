// Tests of the daemon configuration loader.
#include "shardgate/proxy/config.hpp"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

namespace {

using shardgate::proxy::ConfigError;
using shardgate::proxy::load_config;
using shardgate::proxy::parse_listen_address;

std::string write_temp(const std::string& name, const std::string& text) {
    const auto path = std::filesystem::temp_directory_path() / name;
    std::ofstream(path) << text;
    return path.string();
}

TEST(Config, DefaultsAndRelativeMapPath) {
    const auto path = write_temp("sg_cfg_ok.yaml", "shard_map: maps/demo.yaml\n");
    const auto config = load_config(path);
    EXPECT_EQ(config.postgres_listen.port, 6432);
    EXPECT_EQ(config.mysql_listen.port, 6033);
    EXPECT_EQ(config.admin_listen.port, 6080);
    EXPECT_EQ(config.postgres_listen.host, "127.0.0.1");
    EXPECT_EQ(config.shard_map,
              (std::filesystem::temp_directory_path() / "maps/demo.yaml").string());
    EXPECT_GE(config.workers, 1u);
}

TEST(Config, ReshardStateFileIsRelativeToTheConfigAndOffByDefault) {
    EXPECT_EQ(load_config(write_temp("sg_cfg_rs0.yaml", "shard_map: /m.yaml\n")).reshard_state_file,
              "");
    const auto config = load_config(write_temp(
        "sg_cfg_rs1.yaml", "shard_map: /m.yaml\nreshard_state_file: state/reshard.json\n"));
    EXPECT_EQ(config.reshard_state_file,
              (std::filesystem::temp_directory_path() / "state/reshard.json").string());
}

TEST(Config, ReadsListenersAndUsers) {
    const auto path = write_temp("sg_cfg_full.yaml", "shard_map: /m.yaml\n"
                                                     "postgres_listen: 127.0.0.1:7432\n"
                                                     "workers: 3\n"
                                                     "users:\n"
                                                     "  - {name: app, password: app}\n");
    const auto config = load_config(path);
    EXPECT_EQ(config.postgres_listen.port, 7432);
    EXPECT_EQ(config.workers, 3u);
    ASSERT_EQ(config.users.size(), 1u);
    EXPECT_EQ(config.users[0].name, "app");
}

TEST(Config, MapStoreEtcdAndLockTimeout) {
    auto config = load_config(write_temp("sg_cfg_etcd.yaml", "shard_map: /m.yaml\n"));
    EXPECT_EQ(config.map_store, "file");
    EXPECT_EQ(config.etcd_endpoints, std::vector<std::string>{"127.0.0.1:2379"});
    EXPECT_EQ(config.distributed_lock_timeout_ms, 2000u);
    config = load_config(write_temp("sg_cfg_etcd2.yaml", "shard_map: /m.yaml\n"
                                                         "map_store: etcd\n"
                                                         "etcd_endpoints: a:1,b:2\n"
                                                         "etcd_prefix: /x\n"
                                                         "etcd_lease_ttl_s: 3\n"
                                                         "distributed_lock_timeout_ms: 0\n"));
    EXPECT_EQ(config.map_store, "etcd");
    EXPECT_EQ(config.etcd_endpoints, (std::vector<std::string>{"a:1", "b:2"}));
    EXPECT_EQ(config.etcd_prefix, "/x");
    EXPECT_EQ(config.etcd_lease_ttl_s, 3u);
    EXPECT_EQ(config.distributed_lock_timeout_ms, 0u);
    EXPECT_THROW(load_config(write_temp("sg_cfg_etcd3.yaml", "shard_map: /m.yaml\n"
                                                             "map_store: zookeeper\n")),
                 ConfigError);
}

TEST(Config, UnknownSettingNamesLine) {
    const auto path = write_temp("sg_cfg_bad.yaml", "shard_map: /m.yaml\nlisten_pg: x\n");
    try {
        load_config(path);
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find(":2:1: unknown setting 'listen_pg'"),
                  std::string::npos)
            << e.what();
    }
}

TEST(Config, PoolSizesPerShardAndRole) {
    const auto path = write_temp("sg_cfg_pools.yaml", "shard_map: /m.yaml\n"
                                                      "pool_size: 10\n"
                                                      "pool_sizes:\n"
                                                      "  - {role: replica, size: 3}\n"
                                                      "  - {shard: pg1, size: 5}\n"
                                                      "  - {shard: pg1, role: primary, size: 7}\n");
    const auto config = load_config(path);
    using shardgate::proxy::pool_size_for;
    EXPECT_EQ(pool_size_for(config, "pg0", "primary"), 10u);
    EXPECT_EQ(pool_size_for(config, "pg0", "replica"), 3u);
    EXPECT_EQ(pool_size_for(config, "pg1", "replica"), 5u);
    EXPECT_EQ(pool_size_for(config, "pg1", "primary"), 7u);
    EXPECT_THROW(load_config(write_temp("sg_cfg_pools_bad.yaml", "shard_map: /m.yaml\npool_sizes:\n"
                                                                 "  - {role: leader, size: 3}\n")),
                 ConfigError);
    EXPECT_THROW(load_config(write_temp("sg_cfg_pools_empty.yaml",
                                        "shard_map: /m.yaml\npool_sizes:\n  - {size: 3}\n")),
                 ConfigError);
}

TEST(Config, TlsNeedsCertAndKey) {
    EXPECT_THROW(
        load_config(write_temp("sg_cfg_tls.yaml", "shard_map: /m.yaml\ntls_cert: c.pem\n")),
        ConfigError);
    const auto config = load_config(
        write_temp("sg_cfg_tls2.yaml", "shard_map: /m.yaml\ntls_cert: c.pem\ntls_key: /k.pem\n"));
    EXPECT_EQ(config.tls_cert, (std::filesystem::temp_directory_path() / "c.pem").string());
    EXPECT_EQ(config.tls_key, "/k.pem");
}

TEST(Config, TlsSettings) {
    const auto config = load_config(write_temp(
        "sg_cfg_tls3.yaml", "shard_map: /m.yaml\ntls_cert: /c.pem\ntls_key: /k.pem\n"
                            "tls_min_version: '1.3'\ntls_ciphersuites: TLS_AES_256_GCM_SHA384\n"
                            "tls_required: true\n"));
    EXPECT_EQ(config.tls_min_version, "1.3");
    EXPECT_EQ(config.tls_ciphersuites, "TLS_AES_256_GCM_SHA384");
    EXPECT_TRUE(config.tls_required);
    EXPECT_FALSE(load_config(write_temp("sg_cfg_tls4.yaml", "shard_map: /m.yaml\n")).tls_required);
    // TLS 1.1 is never offered; tls_required without a certificate could refuse everyone
    EXPECT_THROW(load_config(write_temp("sg_cfg_tls5.yaml",
                                        "shard_map: /m.yaml\ntls_cert: /c.pem\ntls_key: /k.pem\n"
                                        "tls_min_version: '1.1'\n")),
                 ConfigError);
    EXPECT_THROW(
        load_config(write_temp("sg_cfg_tls6.yaml", "shard_map: /m.yaml\ntls_required: true\n")),
        ConfigError);
    EXPECT_THROW(
        load_config(write_temp("sg_cfg_tls7.yaml", "shard_map: /m.yaml\ntls_required: maybe\n")),
        ConfigError);
}

TEST(Config, BackendTls) {
    const auto plain = load_config(write_temp("sg_cfg_btls0.yaml", "shard_map: /m.yaml\n"));
    EXPECT_EQ(plain.backend_tls, "disable");
    EXPECT_EQ(plain.backend_tls_ca, "");
    const auto full = load_config(
        write_temp("sg_cfg_btls1.yaml",
                   "shard_map: /m.yaml\nbackend_tls: verify-full\nbackend_tls_ca: ca.pem\n"));
    EXPECT_EQ(full.backend_tls, "verify-full");
    // relative to the config file, like the other files it names
    EXPECT_EQ(full.backend_tls_ca,
              (std::filesystem::temp_directory_path() / "ca.pem").lexically_normal().string());
    for (const auto* mode : {"disable", "prefer", "require"}) {
        EXPECT_EQ(load_config(write_temp("sg_cfg_btls2.yaml", std::string("shard_map: /m.yaml\n"
                                                                          "backend_tls: ") +
                                                                  mode + "\n"))
                      .backend_tls,
                  mode);
    }
    EXPECT_THROW(load_config(write_temp("sg_cfg_btls3.yaml",
                                        "shard_map: /m.yaml\nbackend_tls: verify_full\n")),
                 ConfigError);
    // the verify modes need the CA; a CA file with a mode that never reads it is a mistake
    EXPECT_THROW(load_config(write_temp("sg_cfg_btls5.yaml",
                                        "shard_map: /m.yaml\nbackend_tls: verify-ca\n")),
                 ConfigError);
    EXPECT_THROW(load_config(write_temp("sg_cfg_btls4.yaml", "shard_map: /m.yaml\nbackend_tls: "
                                                             "require\nbackend_tls_ca: /ca.pem\n")),
                 ConfigError);
}

TEST(Config, ExposedSecretsWarning) {
    namespace fs = std::filesystem;
    const auto path = write_temp(
        "sg_cfg_secrets.yaml", "shard_map: /m.yaml\nadmin_token: t0k\nusers:\n"
                               "  - {name: app, password: app}\n"
                               "  - {name: hashed, password: 'md5aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',"
                               " auth: md5}\n");
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                              fs::perms::others_read);
    const auto warning = exposed_secrets_warning(load_config(path));
    EXPECT_NE(warning.find("can be read by every local user"), std::string::npos) << warning;
    EXPECT_NE(warning.find("the password of user app, admin_token"), std::string::npos) << warning;
    EXPECT_EQ(warning.find("hashed"), std::string::npos) << warning; // a hash is no secret
    EXPECT_EQ(warning.find("t0k"), std::string::npos) << warning;    // names, never values
    fs::permissions(path, fs::perms::others_read, fs::perm_options::remove);
    EXPECT_EQ(exposed_secrets_warning(load_config(path)), "");
    // readable by everyone, but nothing secret in it
    const auto open = write_temp("sg_cfg_nosecrets.yaml", "shard_map: /m.yaml\n");
    fs::permissions(open, fs::perms::others_read, fs::perm_options::add);
    EXPECT_EQ(exposed_secrets_warning(load_config(open)), "");
}

TEST(Config, CertificateUsers) {
    const auto config = load_config(write_temp(
        "sg_cfg_cert0.yaml", "shard_map: /m.yaml\ntls_cert: /c.pem\ntls_key: /k.pem\n"
                             "tls_client_ca: /ca.pem\nbackend_user: app\nbackend_password: app\n"
                             "users:\n  - {name: alice, auth: cert}\n"));
    ASSERT_EQ(config.users.size(), 1u);
    EXPECT_EQ(config.users[0].auth, shardgate::proxy::AuthMethod::cert);
    EXPECT_EQ(config.users[0].password, ""); // no password: the certificate is the credential
    EXPECT_EQ(config.tls_client_ca, "/ca.pem");
    // without tls_client_ca no certificate could ever verify
    EXPECT_THROW(
        load_config(write_temp("sg_cfg_cert1.yaml", "shard_map: /m.yaml\nbackend_password: app\n"
                                                    "users:\n  - {name: alice, auth: cert}\n")),
        ConfigError);
    // no password towards the backends
    EXPECT_THROW(load_config(write_temp("sg_cfg_cert2.yaml",
                                        "shard_map: /m.yaml\ntls_cert: /c.pem\ntls_key: /k.pem\n"
                                        "tls_client_ca: /ca.pem\nusers:\n"
                                        "  - {name: alice, auth: cert}\n")),
                 ConfigError);
    // a CA for client certificates needs TLS
    EXPECT_THROW(load_config(write_temp("sg_cfg_cert3.yaml",
                                        "shard_map: /m.yaml\ntls_client_ca: /ca.pem\n")),
                 ConfigError);
    // other users still need a password
    EXPECT_THROW(load_config(write_temp("sg_cfg_cert4.yaml",
                                        "shard_map: /m.yaml\nusers:\n  - {name: bob}\n")),
                 ConfigError);
}

TEST(Config, MysqlAuthPlugin) {
    EXPECT_EQ(
        load_config(write_temp("sg_cfg_plugin0.yaml", "shard_map: /m.yaml\n")).mysql_auth_plugin,
        "mysql_native_password");
    const auto config = load_config(write_temp(
        "sg_cfg_plugin1.yaml", "shard_map: /m.yaml\nmysql_auth_plugin: caching_sha2_password\n"));
    EXPECT_EQ(config.mysql_auth_plugin, "caching_sha2_password");
    EXPECT_THROW(load_config(write_temp("sg_cfg_plugin2.yaml",
                                        "shard_map: /m.yaml\nmysql_auth_plugin: client_ed25519\n")),
                 ConfigError);
}

TEST(Config, MissingMapIsAnError) {
    const auto path = write_temp("sg_cfg_nomap.yaml", "workers: 2\n");
    EXPECT_THROW(load_config(path), ConfigError);
}

TEST(Config, PoolAndBackendSettings) {
    const auto path = write_temp("sg_cfg_pool.yaml", "shard_map: /m.yaml\n"
                                                     "pool_size: 8\n"
                                                     "pool_timeout_ms: 250\n"
                                                     "connect_timeout_ms: 900\n"
                                                     "backend_user: svc\n"
                                                     "backend_password: pw\n"
                                                     "server_version: '15.18'\n"
                                                     "log_level: warn\n"
                                                     "users:\n"
                                                     "  - {name: a, password: x}\n"
                                                     "  - {name: b, password: y, auth: md5}\n"
                                                     "  - {name: c, password: z, auth: trust}\n");
    const auto config = load_config(path);
    EXPECT_EQ(config.pool_size, 8u);
    EXPECT_EQ(config.pool_timeout_ms, 250u);
    EXPECT_EQ(config.connect_timeout_ms, 900u);
    EXPECT_EQ(config.backend_user, "svc");
    EXPECT_EQ(config.backend_password, "pw");
    EXPECT_EQ(config.server_version, "15.18");
    EXPECT_EQ(config.log_level, "warn");
    ASSERT_EQ(config.users.size(), 3u);
    EXPECT_EQ(config.users[0].auth, shardgate::proxy::AuthMethod::scram);
    EXPECT_EQ(config.users[1].auth, shardgate::proxy::AuthMethod::md5);
    EXPECT_EQ(config.users[2].auth, shardgate::proxy::AuthMethod::trust);
}

TEST(Config, PoolDefaultsAndBadValues) {
    const auto config = load_config(write_temp("sg_cfg_pool_def.yaml", "shard_map: /m.yaml\n"));
    EXPECT_EQ(config.pool_size, 20u);
    EXPECT_EQ(config.pool_timeout_ms, 5000u);
    EXPECT_EQ(config.connect_timeout_ms, 3000u);
    EXPECT_THROW(load_config(write_temp("sg_cfg_pool_bad.yaml", "shard_map: /m.yaml\n"
                                                                "pool_size: 0\n")),
                 ConfigError);
    EXPECT_THROW(load_config(write_temp("sg_cfg_auth_bad.yaml",
                                        "shard_map: /m.yaml\n"
                                        "users:\n  - {name: a, password: x, auth: ldap}\n")),
                 ConfigError);
}

TEST(Config, CrossShardLimits) {
    const auto defaults =
        load_config(write_temp("sg_cfg_scatter_def.yaml", "shard_map: /m.yaml\n"));
    EXPECT_EQ(defaults.scatter_max_shards_in_flight, 32u);
    EXPECT_EQ(defaults.scatter_max_buffered_bytes, 64ull << 20);
    EXPECT_EQ(defaults.scatter_max_buffered_bytes_total, 256ull << 20);
    EXPECT_EQ(defaults.scatter_max_groups, 100'000u);
    const auto set =
        load_config(write_temp("sg_cfg_scatter.yaml", "shard_map: /m.yaml\n"
                                                      "scatter_max_shards_in_flight: 1\n"
                                                      "scatter_max_buffered_bytes: 2GiB\n"
                                                      "scatter_max_buffered_bytes_total: 3GiB\n"
                                                      "scatter_max_groups: 10\n"));
    EXPECT_EQ(set.scatter_max_shards_in_flight, 1u);
    EXPECT_EQ(set.scatter_max_buffered_bytes, 2ull << 30);
    EXPECT_EQ(set.scatter_max_buffered_bytes_total, 3ull << 30);
    EXPECT_EQ(set.scatter_max_groups, 10u);
    EXPECT_EQ(load_config(write_temp("sg_cfg_scatter_b.yaml", "shard_map: /m.yaml\n"
                                                              "scatter_max_buffered_bytes: 4096\n"))
                  .scatter_max_buffered_bytes,
              4096u);
    for (const auto* bad : {"0", "12MB", "-1", "GiB", "2048GiB"}) {
        EXPECT_THROW(load_config(write_temp("sg_cfg_scatter_bad.yaml",
                                            std::string("shard_map: /m.yaml\n"
                                                        "scatter_max_buffered_bytes: ") +
                                                bad + "\n")),
                     ConfigError)
            << bad;
    }
}

TEST(Config, ListenAddressValidation) {
    EXPECT_EQ(parse_listen_address("127.0.0.1:5", "x").port, 5);
    EXPECT_TRUE(parse_listen_address("127.0.0.1:5", "x").enabled());
    EXPECT_FALSE(parse_listen_address("off", "x").enabled());
    EXPECT_THROW(parse_listen_address("127.0.0.1", "x"), ConfigError);
    EXPECT_THROW(parse_listen_address("127.0.0.1:0", "x"), ConfigError);
    EXPECT_THROW(parse_listen_address("127.0.0.1:70000", "x"), ConfigError);
    EXPECT_THROW(parse_listen_address("127.0.0.1:12a", "x"), ConfigError);
    EXPECT_THROW(parse_listen_address(":12", "x"), ConfigError);
}

} // namespace

TEST(Config, TwoListenersOnOnePortAreAnError) {
    EXPECT_THROW(load_config(write_temp("sg_cfg_same_port.yaml",
                                        "shard_map: /m.yaml\npostgres_listen: 127.0.0.1:7000\n"
                                        "admin_listen: 127.0.0.1:7000\n")),
                 ConfigError);
    EXPECT_THROW(load_config(write_temp("sg_cfg_same_port2.yaml",
                                        "shard_map: /m.yaml\nmysql_listen: 0.0.0.0:7001\n"
                                        "admin_listen: 127.0.0.1:7001\n")),
                 ConfigError);
    EXPECT_NO_THROW(load_config(write_temp("sg_cfg_other_ports.yaml",
                                           "shard_map: /m.yaml\npostgres_listen: 127.0.0.1:7000\n"
                                           "admin_listen: 127.0.0.1:7002\n")));
}
