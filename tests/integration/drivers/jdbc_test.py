"""End-to-end tests of shardgate with unmodified Java drivers (PgJDBC). Each case starts its
own shardgate on free ports, runs a Java check program against it, then verifies on every
backend directly that each row landed on exactly the shard `shardctl locate` names.
Usage: jdbc_test.py [case ...]"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "proxy_pg"))

from harness import PRIMARIES, Proxy, direct, locate, run  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PG_JDBC = "/usr/share/java/postgresql.jar"
CUSTOMERS_DDL = "CREATE TABLE IF NOT EXISTS customers (id bigint PRIMARY KEY, name text)"
KEYS = [5000001, 5000002, 5000003, 5000004, 5000005, 5000006, 5000007, 5000008]


def pg_jdbc():
    for port in PRIMARIES.values():
        with direct(port) as conn, conn.cursor() as cur:
            cur.execute(CUSTOMERS_DDL)
            cur.execute("DELETE FROM customers WHERE id = ANY(%s)", (KEYS,))
    shards = {key: locate("customers", key)["shard"] for key in KEYS}
    assert len(set(shards.values())) == 2, f"test keys must span both shards: {shards}"
    with Proxy() as proxy:
        args = [f"{key}:{shards[key]}" for key in KEYS]
        result = subprocess.run(["java", "-cp", PG_JDBC, os.path.join(HERE, "PgJdbcCheck.java"),
                                 str(proxy.port)] + args,
                                capture_output=True, text=True, timeout=120)
        sys.stdout.write(result.stdout)
        assert result.returncode == 0, f"PgJdbcCheck failed:\n{result.stdout}{result.stderr}"
    for key in KEYS:
        for shard, port in PRIMARIES.items():
            with direct(port) as conn, conn.cursor() as cur:
                cur.execute("SELECT count(*) FROM customers WHERE id = %s", (key,))
                count = cur.fetchone()[0]
            want = 1 if shard == shards[key] else 0
            assert count == want, f"key {key}: {count} rows on {shard}, expected on {shards[key]}"


if __name__ == "__main__":
    run({"pg_jdbc": pg_jdbc})
