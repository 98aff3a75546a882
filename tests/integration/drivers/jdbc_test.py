"""End-to-end tests of shardgate with unmodified Java drivers (PgJDBC, MariaDB Connector/J).
Each case starts its
own shardgate on free ports, runs a Java check program against it, then verifies on every
backend directly that each row landed on exactly the shard `shardctl locate` names.
Usage: jdbc_test.py [case ...]"""
import importlib.util
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load_harness(folder):
    """The test harness of one frontend (tests/integration/<folder>/harness.py)."""
    spec = importlib.util.spec_from_file_location(f"{folder}_harness",
                                                  os.path.join(HERE, "..", folder, "harness.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pg = load_harness("proxy_pg")
my = load_harness("proxy_mysql")
PG_JDBC = "/usr/share/java/postgresql.jar"
MARIADB_JDBC = "/usr/share/java/mariadb-java-client.jar"
CUSTOMERS_DDL = "CREATE TABLE IF NOT EXISTS customers (id bigint PRIMARY KEY, name text)"
# As in the demo schema (scripts/demo.d/schema-social.sql): other tests expect its columns.
USERS_DDL = ("CREATE TABLE IF NOT EXISTS users (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, "
             "email VARCHAR(200) NULL, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)")
KEYS = [5000001, 5000002, 5000003, 5000004, 5000005, 5000006, 5000007, 5000008]


def run_check(jar, program, port, shards):
    """Runs a Java check program (single source file) against shardgate on `port`."""
    args = [f"{key}:{shard}" for key, shard in shards.items()]
    result = subprocess.run(["java", "-cp", jar, os.path.join(HERE, program), str(port)] + args,
                            capture_output=True, text=True, timeout=120)
    sys.stdout.write(result.stdout)
    assert result.returncode == 0, f"{program} failed:\n{result.stdout}{result.stderr}"


def check_placement(shards, primaries, count_rows):
    """Each key has one row on the shard `shardctl locate` names and none elsewhere."""
    for key, expected in shards.items():
        for shard, port in primaries.items():
            count = count_rows(port, key)
            want = 1 if shard == expected else 0
            assert count == want, f"key {key}: {count} rows on {shard}, expected on {expected}"


def pg_jdbc():
    for port in pg.PRIMARIES.values():
        with pg.direct(port) as conn, conn.cursor() as cur:
            cur.execute(CUSTOMERS_DDL)
            cur.execute("DELETE FROM customers WHERE id = ANY(%s)", (KEYS,))
    shards = {key: pg.locate("customers", key)["shard"] for key in KEYS}
    assert len(set(shards.values())) == 2, f"test keys must span both shards: {shards}"
    with pg.Proxy() as proxy:
        run_check(PG_JDBC, "PgJdbcCheck.java", proxy.port, shards)

    def count_rows(port, key):
        with pg.direct(port) as conn, conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM customers WHERE id = %s", (key,))
            return cur.fetchone()[0]

    check_placement(shards, pg.PRIMARIES, count_rows)


def mariadb_jdbc():
    for port in my.PRIMARIES.values():
        conn = my.direct(port)
        with conn.cursor() as cur:
            cur.execute(USERS_DDL)
            cur.execute("DELETE FROM users WHERE id IN (%s)" % ",".join(map(str, KEYS)))
        conn.close()
    shards = {key: my.locate("users", key)["shard"] for key in KEYS}
    assert len(set(shards.values())) == 2, f"test keys must span both shards: {shards}"
    with my.Proxy() as proxy:
        run_check(MARIADB_JDBC, "MariaDbJdbcCheck.java", proxy.port, shards)

    def count_rows(port, key):
        conn = my.direct(port)
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM users WHERE id = %s", (key,))
            count = cur.fetchone()[0]
        conn.close()
        return count

    check_placement(shards, my.PRIMARIES, count_rows)


if __name__ == "__main__":
    pg.run({"pg_jdbc": pg_jdbc, "mariadb_jdbc": mariadb_jdbc})
