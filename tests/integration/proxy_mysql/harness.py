"""Test harness for shardgate's MySQL proxy: starts the daemon with both listeners on free
ports and a config pointing at the demo map; connects to it or to a MariaDB backend
directly."""
import json
import os
import socket
import subprocess
import sys
import time

import importlib.util

import pymysql


def _load_pg_harness():
    """The PostgreSQL harness (same daemon start/stop), under a name of its own."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "proxy_pg",
                        "harness.py")
    spec = importlib.util.spec_from_file_location("proxy_pg_harness", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


proxy_pg_harness = _load_pg_harness()

SOURCE_DIR = os.environ.get("SHARDGATE_SOURCE_DIR",
                            os.path.abspath(os.path.join(os.path.dirname(__file__), "../../..")))
SHARDGATE = os.environ.get("SHARDGATE_BIN", os.path.join(SOURCE_DIR, "build", "shardgate"))
SHARDCTL = os.environ.get("SHARDCTL_BIN", os.path.join(SOURCE_DIR, "build", "shardctl"))
DEMO_MAP = os.path.join(SOURCE_DIR, "shardmaps", "examples", "demo.yaml")
PRIMARIES = {"my0": 13306, "my1": 13308}
REPLICAS = {"my0": 13307, "my1": 13309}


free_port = proxy_pg_harness.free_port  # one record of the ports handed out
admin = proxy_pg_harness.admin


class Proxy(proxy_pg_harness.Proxy):
    """A shardgate process for one test with the MySQL frontend under test (self.port) and the
    PostgreSQL one on another free port; start, config and stop as in proxy_pg/harness.py."""

    def listeners(self):
        self.port = free_port()
        self.pg_port = free_port()
        return (f"postgres_listen: 127.0.0.1:{self.pg_port}\n"
                f"mysql_listen: 127.0.0.1:{self.port}\n")

    def connect(self, user="app", password="app", database="social", **kw):
        return pymysql.connect(host="127.0.0.1", port=self.port, user=user, password=password,
                               database=database, connect_timeout=5, autocommit=True, **kw)


def direct(port, database="social", user="app", password="app"):
    return pymysql.connect(host="127.0.0.1", port=port, user=user, password=password,
                           database=database, connect_timeout=5, autocommit=True)


def locate(table, key):
    out = subprocess.run([SHARDCTL, "locate", DEMO_MAP, "social", table, str(key), "--json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def expect_error(fn, code, text=None):
    """Runs fn, which must fail with MySQL error `code` (and `text` in the message)."""
    try:
        fn()
    except pymysql.MySQLError as e:
        assert e.args[0] == code, (code, e.args)
        if text:
            assert text in e.args[1], e.args
        return e
    raise AssertionError(f"expected MySQL error {code}")


def clean_users(keys):
    """Deletes the users rows of `keys` on every primary."""
    for port in PRIMARIES.values():
        with direct(port) as conn, conn.cursor() as cur:
            cur.execute("DELETE FROM users WHERE id IN (" + ",".join(map(str, keys)) + ")")


def assert_users_placed(keys):
    """Each key's users row is on the shard `shardctl locate` names and on no other primary."""
    for key in keys:
        expected = locate("users", key)["shard"]
        for shard, port in PRIMARIES.items():
            with direct(port) as conn, conn.cursor() as cur:
                cur.execute("SELECT count(*) FROM users WHERE id = %s", (key,))
                count = cur.fetchone()[0]
            want = 1 if shard == expected else 0
            assert count == want, f"key {key}: {count} rows on {shard}, expected on {expected}"


def mysql_cli(port, sql, password="app", database="social", extra=()):
    """Runs the mysql command-line client (batch mode) against shardgate."""
    args = ["mysql", "--no-defaults", "-h", "127.0.0.1", "-P", str(port), "-u", "app",
            f"-p{password}", "--batch", "--skip-column-names", *extra]
    if database:
        args.append(database)
    return subprocess.run(args + ["-e", sql], capture_output=True, text=True, timeout=30)


def ensure_demo_tables():
    """The cases use the demo schema's tables (scripts/demo.d/schema-social.sql): created on
    every primary when missing, so the cases also run on a topology the demo never loaded."""
    path = os.path.join(SOURCE_DIR, "scripts", "demo.d", "schema-social.sql")
    with open(path) as f:
        text = "\n".join(line for line in f if not line.lstrip().startswith("--"))
    statements = [s.strip() for s in text.split(";") if s.strip()]
    for port in PRIMARIES.values():
        with direct(port) as conn, conn.cursor() as cur:
            for statement in statements:
                cur.execute(statement)


def run(cases):
    """Runs the named case (argv[1]) or all of them."""
    ensure_demo_tables()
    names = sys.argv[1:] or list(cases)
    for name in names:
        started = time.time()
        cases[name]()
        print(f"ok {name} ({time.time() - started:.2f}s)")
