"""Cross-shard reads against a union oracle: the same generated rows are written through
shardgate (so they land on their shards) and into one unsharded database per engine (the
oracle, a database of its own on the first primary); then scatter queries run through shardgate
and on the oracle, and their answers must be equal: in order where ORDER BY fixes the order, as
multisets otherwise, column names included. Also the refusals, a shard's error, schema drift,
LIMIT reached early, and the session surviving all of them."""
import atexit
import contextlib
import decimal
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import psycopg2
import pymysql
import pymysql.cursors
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "proxy_pg"))
import harness  # noqa: E402  (the PostgreSQL proxy harness: Proxy, free_port, locate)

PG_PRIMARIES = {"pg0": 15432, "pg1": 15434}
PG_REPLICAS = {"pg0": 15433, "pg1": 15435}
MY_PRIMARIES = {"my0": 13306, "my1": 13308}
MY_REPLICAS = {"my0": 13307, "my1": 13309}
ORACLE = "sg_oracle"
ROWS = 2000

PG_TABLE = """CREATE TABLE sg_scatter (id bigint PRIMARY KEY, grp text, n int,
    amount numeric(12,2), f double precision, name text, created date)"""
MY_TABLE = """CREATE TABLE sg_scatter (id bigint PRIMARY KEY, grp varchar(20), n int,
    amount decimal(12,2), f double, name varchar(40), note varchar(40), created datetime)
    DEFAULT CHARSET utf8mb4 COLLATE utf8mb4_general_ci"""
PG_INSERT = ("INSERT INTO sg_scatter (id, grp, n, amount, f, name, created) "
             "VALUES (%s, %s, %s, %s, %s, %s, %s)")


def demo_map_with(pg_tables, my_tables, prefix):
    """The demo map with `pg_tables` / `my_tables` (YAML lines, inserted as text: the map's hex
    keyspace ids must stay as written) added to shop / social, in a file removed at exit."""
    with open(harness.DEMO_MAP) as f:
        parts = f.read().split("\n    tables:\n")
    assert len(parts) == 3, "the demo map has one tables: per database"
    text = (parts[0] + "\n    tables:\n" + pg_tables + parts[1] + "\n    tables:\n" + my_tables +
            parts[2])
    folder = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, folder, True)
    path = os.path.join(folder, "map.yaml")
    with open(path, "w") as f:
        f.write(text)
    return path


def scatter_map():
    """The demo map plus sg_scatter (hash by id) and sg_drift in both databases."""
    extra = ("      sg_scatter: {scheme: hash, key: id, key_type: bigint}\n"
             "      sg_drift: {scheme: hash, key: id, key_type: bigint}\n"
             "      sg_big: {scheme: hash, key: id, key_type: bigint}\n"  # bench/cross_shard
             "      sg_half: {scheme: hash, key: id, key_type: bigint}\n"
             "      sg_accounts: {scheme: hash, key: id, key_type: bigint}\n")
    return demo_map_with(extra, extra, "sg_scatter_map_")


MAP = scatter_map()


def locate(db, key):
    out = subprocess.run([harness.SHARDCTL, "locate", MAP, db, "sg_scatter", str(key), "--json"],
                         check=True, capture_output=True, text=True).stdout
    return yaml.safe_load(out)["shard"]


class Proxy(harness.Proxy):
    def __init__(self, **kw):
        super().__init__(shard_map=MAP, **kw)

    def listeners(self):
        self.port = harness.free_port()
        self.mysql_port = harness.free_port()
        return (f"postgres_listen: 127.0.0.1:{self.port}\n"
                f"mysql_listen: 127.0.0.1:{self.mysql_port}\n")

    def my(self):
        return pymysql.connect(host="127.0.0.1", port=self.mysql_port, user="app",
                               password="app", database="social", autocommit=True,
                               connect_timeout=5)


def pg_direct(port, dbname="shop", admin=False):
    """An autocommit connection straight to a server, closed at the end of a with block
    (psycopg2's own connection context manager would open a transaction)."""
    conn = psycopg2.connect(host="127.0.0.1", port=port, dbname=dbname,
                            user="admin" if admin else "app",
                            password="admin" if admin else "app", connect_timeout=5)
    conn.autocommit = True
    return contextlib.closing(conn)


def my_direct(port, database="social", admin=False):
    return pymysql.connect(host="127.0.0.1", port=port, user="admin" if admin else "app",
                           password="admin" if admin else "app", database=database,
                           autocommit=True, connect_timeout=5)


def generate(seed, mysql):
    rng = random.Random(seed)
    groups = ["alpha", "Beta", "gamma", "DELTA", "epsilon", "_under", "zeta-z", None]
    names = ["Zoë", "zoe", "Émile", "emile", "Åsa", "bob", "Bob", "_x", "x-y", "ß", "Ab", "ab"]
    ascii_names = ["zoe", "Zoe", "emile", "Emile", "bob", "Bob", "_x", "x-y", "ab", "AB", "a b"]
    rows = []
    for i in range(ROWS):
        key = i * 7919 + 13
        grp = rng.choice(groups)
        if mysql and grp == "Beta" and rng.random() < 0.5:
            grp = "beta"  # the same group under utf8mb4_general_ci
        n = None if rng.random() < 0.1 else rng.randint(-1000, 1000)
        amount = None if rng.random() < 0.05 else decimal.Decimal(rng.randint(-99999, 99999)) / 100
        f = rng.uniform(-1e6, 1e6)
        name = f"{rng.choice(ascii_names if mysql else names)}{rng.randint(0, 30)}"
        created = f"20{rng.randint(10, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if mysql:
            note = rng.choice(["plain", "café", None])
            rows.append((key, grp, n, amount, f, name, note, created + " 10:00:00"))
        else:
            rows.append((key, grp, n, amount, f, name, created))
    return rows


def check_placement(db, primaries, connect, rows):
    """Rows written through shardgate sit on the shard `shardctl locate` names and nowhere
    else (a sample of keys, read on every primary directly)."""
    for key in [row[0] for row in rows[:: max(1, len(rows) // 25)]]:
        owner = locate(db, key)
        for shard, port in primaries.items():
            with connect(port) as c:
                cur = c.cursor()
                cur.execute(f"SELECT count(*) FROM sg_scatter WHERE id = {key}")
                here = cur.fetchone()[0]
            assert here == (1 if shard == owner else 0), f"key {key}: {here} rows on {shard}"


def wait_replicas(query, primaries, replicas, connect):
    deadline = time.time() + 30
    for shard, port in primaries.items():
        with connect(port) as p:
            cur = p.cursor()
            cur.execute(query)
            want = cur.fetchall()
        while True:
            with connect(replicas[shard]) as r:
                cur = r.cursor()
                cur.execute(query)
                if cur.fetchall() == want:
                    break
            assert time.time() < deadline, f"replica of {shard} did not catch up"
            time.sleep(0.2)


def setup_pg(proxy):
    for port in PG_PRIMARIES.values():
        with pg_direct(port) as c, c.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_scatter")
            cur.execute(PG_TABLE)
            cur.execute("DROP TABLE IF EXISTS sg_drift")
    # schema drift: sg_drift has a column on pg1 that pg0 lacks
    with pg_direct(PG_PRIMARIES["pg0"]) as c, c.cursor() as cur:
        cur.execute("CREATE TABLE sg_drift (id bigint PRIMARY KEY)")
    with pg_direct(PG_PRIMARIES["pg1"]) as c, c.cursor() as cur:
        cur.execute("CREATE TABLE sg_drift (id bigint PRIMARY KEY, extra text)")
    with pg_direct(PG_PRIMARIES["pg0"], "postgres", admin=True) as c, c.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {ORACLE}")
        cur.execute(f"CREATE DATABASE {ORACLE} OWNER app")
    rows = generate(1, mysql=False)
    with pg_direct(PG_PRIMARIES["pg0"], ORACLE) as c, c.cursor() as cur:
        cur.execute(PG_TABLE)
        cur.executemany(PG_INSERT, rows)
    conn = proxy.connect()
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.executemany(PG_INSERT, rows)
    conn.close()
    for shard, port in PG_PRIMARIES.items():
        with pg_direct(port) as c, c.cursor() as cur:
            cur.execute("SELECT count(*) FROM sg_scatter")
            here = cur.fetchone()[0]
            assert 0 < here < ROWS, f"{shard} holds {here} of {ROWS} rows: not sharded"
    check_placement("shop", PG_PRIMARIES, pg_direct, rows)
    wait_replicas("SELECT count(*), sum(id) FROM sg_scatter", PG_PRIMARIES, PG_REPLICAS,
                  pg_direct)
    return rows


def setup_my(proxy):
    for port in MY_PRIMARIES.values():
        with my_direct(port) as c, c.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_scatter")
            cur.execute(MY_TABLE)
            cur.execute("DROP TABLE IF EXISTS sg_drift")
            cur.execute("DROP TABLE IF EXISTS sg_drift_gone")  # my_errors cut off mid-rename
    with my_direct(MY_PRIMARIES["my0"]) as c, c.cursor() as cur:
        cur.execute("CREATE TABLE sg_drift (id bigint PRIMARY KEY)")
    with my_direct(MY_PRIMARIES["my1"]) as c, c.cursor() as cur:
        cur.execute("CREATE TABLE sg_drift (id bigint PRIMARY KEY, extra text)")
    with my_direct(MY_PRIMARIES["my0"], None, admin=True) as c, c.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {ORACLE}")
        cur.execute(f"CREATE DATABASE {ORACLE}")
        cur.execute(f"GRANT ALL ON {ORACLE}.* TO 'app'@'%'")
    rows = generate(2, mysql=True)
    insert = ("INSERT INTO sg_scatter (id, grp, n, amount, f, name, note, created) "
              "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)")
    with my_direct(MY_PRIMARIES["my0"], ORACLE, admin=True) as c, c.cursor() as cur:
        cur.execute(MY_TABLE)
        cur.executemany(insert, rows)
    with proxy.my() as c, c.cursor() as cur:
        for row in rows:  # one statement per row: each goes to its shard
            cur.execute(insert, row)
    check_placement("social", MY_PRIMARIES, my_direct, rows)
    wait_replicas("SELECT count(*), sum(id) FROM sg_scatter", MY_PRIMARIES, MY_REPLICAS,
                  my_direct)
    return rows


# (query, ordered): ordered means ORDER BY fixes the row order completely.
PG_QUERIES = [
    ("SELECT count(*) FROM sg_scatter", True),
    # a WITH query named like the table its body reads (it ran on the default shard alone)
    ("WITH sg_scatter AS (SELECT * FROM sg_scatter WHERE n > 100) "
     "SELECT count(*), sum(n) FROM sg_scatter", True),
    ("WITH sg_scatter AS (SELECT id, n FROM sg_scatter WHERE id = 7) SELECT id, n FROM sg_scatter",
     True),
    ("SELECT count(*), count(n), sum(n), min(n), max(n), sum(amount), min(amount), max(amount),"
     " min(name), max(name), min(created), max(created), min(f), max(f) FROM sg_scatter", True),
    ("SELECT * FROM sg_scatter", False),
    ("SELECT id, n FROM sg_scatter WHERE n > 500", False),
    ("SELECT id, n FROM sg_scatter ORDER BY n, id", True),
    ("SELECT id, n FROM sg_scatter ORDER BY n DESC, id DESC", True),
    ("SELECT id, n FROM sg_scatter ORDER BY n NULLS FIRST, id LIMIT 25", True),
    ("SELECT id, amount FROM sg_scatter ORDER BY amount DESC NULLS LAST, id LIMIT 40", True),
    ("SELECT id, name FROM sg_scatter ORDER BY name, id LIMIT 60", True),
    ("SELECT name, id FROM sg_scatter ORDER BY 1 DESC, 2", True),
    ("SELECT id, created FROM sg_scatter ORDER BY created, id LIMIT 30", True),
    ("SELECT id, f FROM sg_scatter ORDER BY f LIMIT 30", True),
    ("SELECT * FROM sg_scatter ORDER BY id LIMIT 5", True),
    ("SELECT id, n FROM sg_scatter ORDER BY n DESC, id LIMIT 20 OFFSET 35", True),
    ("SELECT id FROM sg_scatter ORDER BY id OFFSET 1990", True),
    ("SELECT DISTINCT n FROM sg_scatter ORDER BY n LIMIT 5 OFFSET 3", True),
    # sort keys that are not selected: hidden columns added for the shards, stripped after
    ("SELECT id, name FROM sg_scatter ORDER BY created DESC, id LIMIT 25", True),
    ("SELECT name FROM sg_scatter ORDER BY n NULLS FIRST, id LIMIT 30 OFFSET 10", True),
    ("SELECT id FROM sg_scatter ORDER BY lower(name), id DESC LIMIT 20", True),
    ("SELECT n FROM sg_scatter ORDER BY amount DESC NULLS LAST, id", True),
    ("SELECT id FROM sg_scatter ORDER BY id LIMIT 100000", True),
    ("SELECT grp, count(*), count(n), sum(n), min(amount), max(amount), sum(amount)"
     " FROM sg_scatter GROUP BY grp", False),
    ("SELECT grp, count(*) AS c FROM sg_scatter GROUP BY grp ORDER BY grp", True),
    ("SELECT grp, count(*) AS c FROM sg_scatter GROUP BY grp ORDER BY c DESC, grp NULLS FIRST",
     True),
    ("SELECT grp, created, count(*) FROM sg_scatter GROUP BY grp, created", False),
    ("SELECT DISTINCT grp FROM sg_scatter", False),
    ("SELECT DISTINCT grp FROM sg_scatter ORDER BY grp", True),
    ("SELECT DISTINCT n FROM sg_scatter ORDER BY n LIMIT 10", True),
    ("SELECT count(*), sum(n) FROM sg_scatter WHERE n > 100000", True),
    ("SELECT id FROM sg_scatter WHERE n > 100000 ORDER BY id", True),
    ("SELECT max(n) FROM sg_scatter WHERE n IS NULL", True),
    # AVG: SUM and COUNT from every shard, divided with PostgreSQL's numeric scale
    ("SELECT avg(n), avg(amount), count(*) FROM sg_scatter", True),
    ("SELECT grp, avg(n) AS a, avg(amount) FROM sg_scatter GROUP BY grp ORDER BY grp", True),
    ("SELECT avg(id) FROM sg_scatter WHERE n > 999", True),
    ("SELECT avg(n) FROM sg_scatter WHERE n > 100000", True),
    ("SELECT bool_and(n > -2000), bool_or(n > 990), every(amount > 0), bool_or(n > 5000)"
     " FROM sg_scatter", True),
    ("SELECT grp, bool_and(n > 0) AS a, bool_or(n > 900) FROM sg_scatter GROUP BY grp"
     " ORDER BY grp", True),
    # aggregates of DISTINCT values: the shards group by the value too, shardgate counts each
    # value once
    ("SELECT count(DISTINCT n), count(*), sum(DISTINCT n), avg(DISTINCT n), min(DISTINCT n)"
     " FROM sg_scatter", True),
    ("SELECT grp, count(DISTINCT n) AS d, count(*), sum(amount), avg(DISTINCT n)"
     " FROM sg_scatter GROUP BY grp ORDER BY grp", True),
    ("SELECT count(DISTINCT grp) FROM sg_scatter WHERE n > 0", True),
    ("SELECT count(DISTINCT name) FROM sg_scatter", True),
    ("SELECT count(DISTINCT n) FROM sg_scatter WHERE n > 100000", True),
    ("SELECT grp, count(DISTINCT created) FROM sg_scatter GROUP BY grp HAVING"
     " count(DISTINCT created) > 240 ORDER BY grp", True),
    # HAVING: evaluated on the merged groups (the shards return every group)
    ("SELECT grp, count(*) AS c FROM sg_scatter GROUP BY grp HAVING count(*) > 250 ORDER BY grp",
     True),
    ("SELECT grp FROM sg_scatter GROUP BY grp HAVING sum(n) > 100 AND min(n) < -900 OR grp IS NULL"
     " ORDER BY grp", True),
    ("SELECT n, count(*) FROM sg_scatter GROUP BY n HAVING count(*) >= 3 ORDER BY n", True),
    ("SELECT grp, avg(amount) FROM sg_scatter GROUP BY grp HAVING avg(amount) > 0 ORDER BY grp",
     True),
    ("SELECT grp FROM sg_scatter GROUP BY grp HAVING NOT (max(amount) < 999) ORDER BY grp", True),
    ("SELECT grp, sum(n) FROM sg_scatter GROUP BY grp HAVING grp <> 'alpha' AND sum(n) IS NOT NULL"
     " ORDER BY grp", True),
    ("SELECT count(*) FROM sg_scatter HAVING count(*) > 5", True),
    ("SELECT grp, max(name) FROM sg_scatter GROUP BY grp HAVING max(name) > 'zoe2' ORDER BY grp",
     True),
    ("SELECT grp FROM sg_scatter GROUP BY grp HAVING NOT NOT (count(*) > 250) AND NOT min(n) > 0"
     " ORDER BY grp", True),
    ("SELECT count(*) FROM sg_scatter HAVING count(*) > 500000", True),
    ("SELECT grp FROM sg_scatter WHERE n > 900 UNION SELECT grp FROM sg_scatter WHERE n < -900",
     False),
    ("SELECT id FROM sg_scatter WHERE n > 990 UNION ALL SELECT id FROM sg_scatter WHERE n < -990",
     False),
    ("SELECT n FROM sg_scatter WHERE n > 900 UNION SELECT n FROM sg_scatter WHERE n < -900 "
     "ORDER BY 1 LIMIT 7", True),
]

MY_QUERIES = [
    ("SELECT count(*) FROM sg_scatter", True),
    # a WITH query named like the table its body reads (it ran on the default shard alone)
    ("WITH sg_scatter AS (SELECT * FROM sg_scatter WHERE n > 100) "
     "SELECT count(*), sum(n) FROM sg_scatter", True),
    ("WITH sg_scatter AS (SELECT id, n FROM sg_scatter WHERE id = 7) SELECT id, n FROM sg_scatter",
     True),
    ("SELECT count(*), count(n), sum(n), min(n), max(n), sum(amount), min(amount), max(amount),"
     " min(created), max(created), min(f), max(f) FROM sg_scatter", True),
    ("SELECT * FROM sg_scatter", False),
    ("SELECT id, n FROM sg_scatter WHERE n > 500", False),
    ("SELECT id, n FROM sg_scatter ORDER BY n, id", True),
    ("SELECT id, n FROM sg_scatter ORDER BY n DESC, id DESC LIMIT 33", True),
    ("SELECT id, amount FROM sg_scatter ORDER BY amount, id LIMIT 40", True),
    ("SELECT id, n FROM sg_scatter ORDER BY n, id LIMIT 35, 20", True),
    ("SELECT id FROM sg_scatter ORDER BY created DESC, id LIMIT 20", True),
    ("SELECT name FROM sg_scatter ORDER BY n, id LIMIT 10, 15", True),
    ("SELECT id, n FROM sg_scatter ORDER BY n DESC, id LIMIT 20 OFFSET 35", True),
    ("SELECT id, name FROM sg_scatter ORDER BY name, id LIMIT 60", True),
    ("SELECT id, created FROM sg_scatter ORDER BY created DESC, id LIMIT 30", True),
    ("SELECT id, f FROM sg_scatter ORDER BY f DESC LIMIT 30", True),
    # utf8mb4_general_ci: 'Beta' and 'beta' are one group (which spelling shows is up to the
    # server: compared case-folded)
    ("SELECT grp, count(*), sum(n), min(amount), max(amount) FROM sg_scatter GROUP BY grp",
     False),
    ("SELECT grp, count(*) AS c FROM sg_scatter GROUP BY grp ORDER BY grp", True),
    ("SELECT DISTINCT grp FROM sg_scatter ORDER BY grp DESC", True),
    ("SELECT n, count(*) AS c FROM sg_scatter GROUP BY n ORDER BY c DESC, n", True),
    ("SELECT DISTINCT n FROM sg_scatter ORDER BY n LIMIT 10", True),
    ("SELECT count(*), sum(n) FROM sg_scatter WHERE n > 100000", True),
    ("SELECT id FROM sg_scatter WHERE n > 100000 ORDER BY id", True),
    ("SELECT avg(n), avg(amount), count(*) FROM sg_scatter", True),
    ("SELECT n % 7 AS m, avg(amount) FROM sg_scatter GROUP BY m ORDER BY m", True),
    ("SELECT avg(n) FROM sg_scatter WHERE n > 100000", True),
    ("SELECT n % 7 AS m, count(*) FROM sg_scatter GROUP BY m HAVING count(*) > 270 ORDER BY m",
     True),
    ("SELECT n, count(*) FROM sg_scatter GROUP BY n HAVING count(*) >= 3 AND max(id) > 5000"
     " ORDER BY n", True),
    ("SELECT grp, sum(amount) FROM sg_scatter GROUP BY grp HAVING sum(amount) < 0 ORDER BY grp",
     True),
    ("SELECT count(DISTINCT n), sum(DISTINCT n), avg(DISTINCT n), count(*) FROM sg_scatter",
     True),
    # utf8mb4_general_ci: 'Beta' and 'beta' are one value
    ("SELECT count(DISTINCT grp) FROM sg_scatter", True),
    ("SELECT count(DISTINCT name) FROM sg_scatter", True),
    ("SELECT n % 3 AS m, count(DISTINCT grp) FROM sg_scatter GROUP BY m ORDER BY m", True),
    ("SELECT count(DISTINCT n) FROM sg_scatter WHERE n > 100000", True),
]


def answer(cur, sql):
    cur.execute(sql)
    names = [d[0] for d in cur.description]
    return names, [tuple(r) for r in cur.fetchall()]


def folded(rows):
    return [tuple(v.lower() if isinstance(v, str) else v for v in r) for r in rows]


def compare(engine, through, oracle, sql, ordered, failures):
    names_a, rows_a = answer(through, sql)
    names_b, rows_b = answer(oracle, sql)
    if engine == "mysql":  # case-insensitive collation: equal strings may differ in case
        rows_a, rows_b = folded(rows_a), folded(rows_b)
    if names_a != names_b:
        failures.append(f"{engine}: {sql}: columns {names_a} != oracle {names_b}")
        return
    if not ordered:
        rows_a, rows_b = sorted(rows_a, key=repr), sorted(rows_b, key=repr)
    if rows_a != rows_b:
        first = next((i for i, (x, y) in enumerate(zip(rows_a, rows_b)) if x != y),
                     min(len(rows_a), len(rows_b)))
        failures.append(f"{engine}: {sql}: {len(rows_a)} rows vs oracle {len(rows_b)}; first "
                        f"difference at {first}: "
                        f"{rows_a[first:first + 2]} vs {rows_b[first:first + 2]}")


def expect_pg_error(cur, sql, sqlstate, text):
    try:
        cur.execute(sql)
        cur.fetchall()
    except psycopg2.Error as e:
        assert e.pgcode == sqlstate, (sql, e.pgcode, str(e))
        assert text in str(e), (sql, str(e))
        return str(e)
    raise AssertionError(f"{sql}: no error")


def expect_my_error(cur, sql, code, text):
    try:
        cur.execute(sql)
        cur.fetchall()
    except pymysql.MySQLError as e:
        assert e.args[0] == code, (sql, e.args)
        assert text in e.args[1], (sql, e.args)
        return e.args[1]
    raise AssertionError(f"{sql}: no error")


def pg_oracle():
    failures = []
    with Proxy() as proxy:
        setup_pg(proxy)
        conn = proxy.connect()
        conn.autocommit = True
        with pg_direct(PG_PRIMARIES["pg0"], ORACLE) as oracle:
            with conn.cursor() as through, oracle.cursor() as o:
                for sql, ordered in PG_QUERIES:
                    compare("postgresql", through, o, sql, ordered, failures)
        conn.close()
    for f in failures:
        print(f)
    assert not failures, f"{len(failures)} of {len(PG_QUERIES)} queries differ from the oracle"
    print(f"{len(PG_QUERIES)} PostgreSQL scatter queries equal the oracle's answers")


def my_oracle():
    failures = []
    with Proxy() as proxy:
        setup_my(proxy)
        conn = proxy.my()
        oracle = my_direct(MY_PRIMARIES["my0"], ORACLE)
        with conn.cursor() as through, oracle.cursor() as o:
            for sql, ordered in MY_QUERIES:
                compare("mysql", through, o, sql, ordered, failures)
        conn.close()
        oracle.close()
    for f in failures:
        print(f)
    assert not failures, f"{len(failures)} of {len(MY_QUERIES)} queries differ from the oracle"
    print(f"{len(MY_QUERIES)} MySQL scatter queries equal the oracle's answers")


def pg_errors():
    with Proxy(workers=1) as proxy:
        setup_pg(proxy)
        # A table missing on the first shard: that leg fails while the other shard's answer
        # (behind the first-use collation probe) is still unread; its connection must be read
        # to the end before it serves anyone again.
        for shard, port in PG_PRIMARIES.items():
            with pg_direct(port) as c, c.cursor() as cur:
                cur.execute("DROP TABLE IF EXISTS sg_half")
                if shard == "pg1":
                    cur.execute("CREATE TABLE sg_half (id bigint, v text)")
                    cur.execute("INSERT INTO sg_half VALUES (1, 'one')")
        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()
        expect_pg_error(cur, "SELECT * FROM sg_half", "42P01", "shard pg0")
        for _ in range(20):
            cur.execute("SELECT count(*) FROM sg_scatter")
            assert cur.fetchone()[0] == ROWS
            cur.execute("SELECT n FROM sg_scatter WHERE id = 13")
            assert len(cur.fetchall()) == 1
        refusals = [
            ("SELECT avg(f) FROM sg_scatter", "AVG"),
            ("SELECT count(DISTINCT n), count(DISTINCT grp) FROM sg_scatter", "DISTINCT"),
            ("SELECT grp, count(*) FROM sg_scatter GROUP BY grp HAVING count(*) + 1 > 2",
             "HAVING"),
            ("SELECT grp FROM sg_scatter GROUP BY grp HAVING max(name) LIKE 'b%'", "HAVING"),
            ("SELECT grp, count(*) FROM sg_scatter GROUP BY grp ORDER BY max(n)", "selected columns"),
            ("SELECT grp, count(*) FROM sg_scatter GROUP BY grp LIMIT 2", "LIMIT"),
            ("SELECT id, row_number() OVER () FROM sg_scatter", "window"),
            ("SELECT id FROM sg_scatter ORDER BY id LIMIT 1 + 1", "LIMIT"),
            # aggregates without a merge: never one row per shard
            ("SELECT stddev(n) FROM sg_scatter", "aggregate"),
            ("SELECT grp, string_agg(name, ',') FROM sg_scatter GROUP BY grp", "aggregate"),
            ("SELECT coalesce(max(n), 0) FROM sg_scatter", "aggregate"),
        ]
        for sql, text in refusals:
            expect_pg_error(cur, sql, "0A000", text)
            cur.execute("SELECT count(*) FROM sg_scatter")  # the session goes on
            assert cur.fetchone()[0] == ROWS
        # a shard's own error ends the statement, naming the shard; the session survives
        key = next(k for k in range(13, ROWS * 7919, 7919) if locate("shop", k) == "pg1")
        message = expect_pg_error(cur, f"SELECT 1 / (id - {key}) FROM sg_scatter", "22012",
                                  "shard pg1")
        print("shard error:", message.strip())
        message = expect_pg_error(cur, "SELECT * FROM sg_drift", "42804", "schema drift")
        assert "pg0" in message and "pg1" in message, message
        # LIMIT reached early: the backends are drained and reused; many in a row work
        for _ in range(30):
            cur.execute("SELECT id FROM sg_scatter ORDER BY id LIMIT 3")
            assert [r[0] for r in cur.fetchall()] == [13, 13 + 7919, 13 + 2 * 7919]
        cur.execute("SELECT count(*) FROM sg_scatter")
        assert cur.fetchone()[0] == ROWS
        # shardctl route explains the merge and the one rewrite
        out = subprocess.run([harness.SHARDCTL, "route", MAP, "--db", "shop",
                              "SELECT id FROM sg_scatter ORDER BY id LIMIT 10 OFFSET 5"],
                             capture_output=True, text=True, check=True).stdout
        assert "merge: offset 5" in out, out
        assert "each shard runs: SELECT id FROM sg_scatter ORDER BY id LIMIT 15 OFFSET 0" in out, out
        # a LIMIT given as a parameter is read from the bound value
        cur.execute("SELECT id FROM sg_scatter ORDER BY id LIMIT %s", (2,))
        assert [r[0] for r in cur.fetchall()] == [13, 13 + 7919]
        # psql prints the merged answer like any other
        out = harness.psql(proxy.port, "SELECT grp, count(*) FROM sg_scatter GROUP BY grp "
                                       "ORDER BY grp NULLS LAST")
        assert out.returncode == 0, out.stderr
        lines = out.stdout.split()
        assert lines[0].startswith("Beta|") and len(lines) == 8, out.stdout  # C order
        conn.close()


def my_errors():
    with Proxy() as proxy:
        setup_my(proxy)
        conn = proxy.my()
        cur = conn.cursor()
        refusals = [
            ("SELECT avg(f) FROM sg_scatter", "AVG"),
            ("SELECT count(DISTINCT n), count(DISTINCT grp) FROM sg_scatter", "DISTINCT"),
            ("SELECT id, note FROM sg_scatter ORDER BY note, id", "non-ASCII"),
            ("SELECT std(n) FROM sg_scatter", "aggregate"),
            # a non-ASCII value under utf8mb4_general_ci: counting it is refused, not guessed
            ("SELECT count(DISTINCT note) FROM sg_scatter", "non-ASCII"),
            ("SELECT GROUP_CONCAT(name) FROM sg_scatter", "aggregate"),
        ]
        for sql, text in refusals:
            expect_my_error(cur, sql, 1235, text)
            cur.execute("SELECT count(*) FROM sg_scatter")
            assert cur.fetchone()[0] == ROWS
        message = expect_my_error(cur, "SELECT * FROM sg_drift", 1105, "schema drift")
        assert "my0" in message and "my1" in message, message
        for _ in range(30):
            cur.execute("SELECT id FROM sg_scatter ORDER BY id LIMIT 3")
            assert [r[0] for r in cur.fetchall()] == [13, 13 + 7919, 13 + 2 * 7919]
        # the mysql CLI prints the merged answer
        out = subprocess.run(["mysql", "-h127.0.0.1", f"-P{proxy.mysql_port}", "-uapp", "-papp",
                              "social", "-N", "-e",
                              "SELECT count(*), sum(n) FROM sg_scatter"],
                             capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out.stderr
        with my_direct(MY_PRIMARIES["my0"], ORACLE) as o, o.cursor() as oc:
            oc.execute("SELECT count(*), sum(n) FROM sg_scatter")
            want = "\t".join(str(v) for v in oc.fetchone())
        assert out.stdout.strip() == want, (out.stdout, want)
        conn.close()
        # COM_STMT_EXECUTE (mysql2 execute): a shard's error names the shard, drift is caught,
        # and the session answers the next statement
        sys.path.insert(0, os.path.join(HERE, "..", "drivers_node"))
        from node_test import ensure_node_modules
        ensure_node_modules()
        global DRIVER_QUERIES
        saved = DRIVER_QUERIES
        DRIVER_QUERIES = {"mysql": [
            {"error": "SELECT id FROM sg_drift WHERE id > ? ORDER BY id", "values": [0]},
            {"error": "SELECT * FROM sg_drift WHERE id > ?", "values": [0]},
            ["SELECT count(*) FROM sg_scatter WHERE id > ?", [0]],
        ]}
        def rename_on_my1(old, new):  # on the primary, then seen on its replica
            with my_direct(MY_PRIMARIES["my1"]) as c, c.cursor() as cur:
                cur.execute(f"RENAME TABLE {old} TO {new}")
            with my_direct(MY_REPLICAS["my1"]) as c, c.cursor() as cur:
                for _ in range(100):
                    cur.execute("SELECT count(*) FROM information_schema.TABLES WHERE "
                                "TABLE_SCHEMA = 'social' AND TABLE_NAME = %s", (new,))
                    if cur.fetchone()[0] == 1:
                        return
                    time.sleep(0.1)
            raise AssertionError(f"the my1 replica never saw {new}")

        rename_on_my1("sg_drift", "sg_drift_gone")  # prepared on my0, missing on my1
        try:
            missing, = driver_answers("mysql", proxy.mysql_port, "social")[:1]
        finally:
            rename_on_my1("sg_drift_gone", "sg_drift")
        try:
            _, drift, count = driver_answers("mysql", proxy.mysql_port, "social")
        finally:
            DRIVER_QUERIES = saved
        assert missing["errno"] == 1146 and "shard my1" in missing["message"], missing
        assert drift["errno"] == 1105 and "schema drift" in drift["message"], drift
        assert count["binaryRows"] == [{"count(*)": ROWS}], count


DRIVER_QUERIES = {
    "pg": [q for q, ordered in PG_QUERIES if ordered],
    "mysql": [q for q, ordered in MY_QUERIES if ordered and "grp" not in q] + [
        # bound parameters: mysql2 binds numbers as DOUBLE, dates as DATETIME
        ["SELECT id, n, f, amount, created FROM sg_scatter WHERE n > ? ORDER BY n DESC, id "
         "LIMIT ?", [100, 15]],
        ["SELECT id, name FROM sg_scatter WHERE name > ? ORDER BY name, id LIMIT ? OFFSET ?",
         ["b", 10, 5]],
        ["SELECT count(*), sum(amount), avg(n), min(created) FROM sg_scatter WHERE created > ?",
         ["2024-03-01 00:00:00"]],
        ["SELECT n % 5 AS m, count(*) FROM sg_scatter WHERE amount >= ? GROUP BY m ORDER BY m",
         [-50.5]],
        ["SELECT id, note FROM sg_scatter WHERE name IN (?, ?) OR note = ? ORDER BY id",
         ["bob3", "it's \\ x", "café"]],
    ],
}


def driver_answers(engine, port, database, write=None, queries=None):
    out = subprocess.run(["node", os.path.join(HERE, "scatter_driver.js"), engine, str(port),
                          database] + ([write] if write else []),
                         input=json.dumps(queries or DRIVER_QUERIES[engine]),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def compare_drivers(proxy, write=None):
    """Every driver query through shardgate and on the oracle, answers equal (inside a
    transaction that first runs `write`, when given); returns the oracle's answers."""
    sys.path.insert(0, os.path.join(HERE, "..", "drivers_node"))
    from node_test import ensure_node_modules
    ensure_node_modules()
    oracle_answers = {}
    for engine, through, oracle in (("pg", proxy.port, PG_PRIMARIES["pg0"]),
                                    ("mysql", proxy.mysql_port, MY_PRIMARIES["my0"])):
        database = "shop" if engine == "pg" else "social"
        got = driver_answers(engine, through, database, write)
        want = oracle_answers[engine] = driver_answers(engine, oracle, ORACLE, write)
        for sql, a, b in zip(DRIVER_QUERIES[engine], got, want):
            assert a == b, f"{engine} driver: {sql}: {str(a)[:300]} != {str(b)[:300]}"
            if isinstance(sql, list):  # bound parameters select rows: not vacuous
                assert a["binaryRows"], f"{sql} selected nothing"
        print(f"{engine} driver: {len(got)} cross-shard answers"
              f"{' inside a transaction' if write else ''} equal the oracle's")
    return oracle_answers


def drivers():
    """node-postgres and mysql2, unmodified: the same driver's answers through shardgate and
    from the oracle are equal (types as the driver decodes them, column names, order)."""
    with Proxy() as proxy:
        setup_pg(proxy)
        setup_my(proxy)
        compare_drivers(proxy)


# An update on every shard, run first in the transactions of txn_drivers (and of the oracle).
TXN_WRITE = ("UPDATE sg_scatter SET n = n + 7, amount = amount * 2 WHERE id IN (" +
             ", ".join(str(i * 7919 + 13) for i in range(0, 900, 3)) + ")")


def txn_drivers():
    """node-postgres (simple, unnamed and named extended) and mysql2 (text and binary rows):
    every cross-shard read of drivers() again, inside a transaction that first updated rows on
    every shard; the answers see that update, equal to the same driver's inside the same
    transaction on the oracle; rolled back, nothing stays and nothing is left prepared."""
    with Proxy() as proxy:
        setup_pg(proxy)
        setup_my(proxy)
        inside = compare_drivers(proxy, TXN_WRITE)
        # a transaction on one shard: the read joins the other (BEGIN / XA START) through the
        # extended protocol and COM_STMT_EXECUTE too
        compare_drivers(proxy, "UPDATE sg_scatter SET n = n + 1 WHERE id = 13")
        for engine, port in (("pg", PG_PRIMARIES["pg0"]), ("mysql", MY_PRIMARIES["my0"])):
            before = driver_answers(engine, port, ORACLE)
            assert inside[engine] != before, f"{engine}: the update changes no answer: vacuous"
        # binary rows from the shards' text answers: a FLOAT's text has 6 digits, a DOUBLE
        # with fixed decimals only those: refused
        floats, doubles, count = driver_answers("mysql", proxy.mysql_port, "social", TXN_WRITE, [
            {"error": "SELECT id, CAST(n AS FLOAT) FROM sg_scatter WHERE id > ?", "values": [0]},
            {"error": "SELECT id, ROUND(f, 2) * 3 FROM sg_scatter WHERE id > ?", "values": [0]},
            ["SELECT count(*) FROM sg_scatter WHERE id > ?", [0]]])
        assert floats["errno"] == 1235 and "FLOAT" in floats["message"], floats
        assert doubles["errno"] == 1235 and "fixed decimals" in doubles["message"], doubles
        assert count["binaryRows"] == [{"count(*)": ROWS}], count
        with proxy.connect() as conn, conn.cursor() as cur:
            cur.execute("SELECT sum(n) FROM sg_scatter")
            through = cur.fetchone()[0]
        with pg_direct(PG_PRIMARIES["pg0"], ORACLE) as o, o.cursor() as oc:
            oc.execute("SELECT sum(n) FROM sg_scatter")
            assert oc.fetchone()[0] == through, "the rolled back update stayed"
        for port in PG_PRIMARIES.values():
            with pg_direct(port) as c, c.cursor() as cur:
                cur.execute("SELECT count(*) FROM pg_prepared_xacts")
                assert cur.fetchone()[0] == 0
        for port in MY_PRIMARIES.values():
            with my_direct(port, admin=True) as c, c.cursor() as cur:
                cur.execute("XA RECOVER")
                assert cur.fetchall() == ()


def high_keys(rows):
    """The keys of the generated rows with n > 900 (the transactions of pg_txn / my_txn negate
    their n)."""
    return [r[0] for r in rows if r[2] is not None and r[2] > 900]


def check_own_writes(cur, ocur, rows, keys):
    """Inside the transaction (`cur`) that inserted a row with n = 123456 for each of `keys`
    and negated n of high_keys(rows): reads of both shards see exactly that; another session
    (`ocur`) sees none of it."""
    cur.execute("SELECT count(*), sum(n) FROM sg_scatter")
    count, total = cur.fetchone()
    want = sum(r[2] for r in rows if r[2] is not None and r[2] <= 900) - sum(
        r[2] for r in rows if r[2] is not None and r[2] > 900) + len(keys) * 123456
    assert (count, total) == (ROWS + len(keys), want), (count, total, want)
    cur.execute("SELECT id FROM sg_scatter WHERE grp = 'txn' ORDER BY id")
    assert [r[0] for r in cur.fetchall()] == sorted(keys.values())
    ocur.execute("SELECT count(*) FROM sg_scatter WHERE grp = 'txn'")
    assert ocur.fetchone()[0] == 0, "another session saw uncommitted rows"


def pg_txn():
    """psycopg2: cross-shard reads inside transactions read the transaction's own writes on
    every shard, not other sessions' uncommitted ones; COMMIT is two-phase and lands the rows
    on their shards; a shard's error aborts the transaction; refusals leave it usable."""
    admin = harness.free_port()
    with Proxy(extra_config="admin_token: sg-test\nscatter_max_buffered_bytes: 50000\n",
               admin_listen=f"127.0.0.1:{admin}") as proxy:
        rows = setup_pg(proxy)
        keys = {}
        for k in range(10**9, 10**9 + 50):
            keys.setdefault(locate("shop", k), k)
        assert set(keys) == {"pg0", "pg1"}, keys
        conn = proxy.connect()
        cur = conn.cursor()
        other = proxy.connect()
        other.autocommit = True
        ocur = other.cursor()
        # the first statement of the transaction is the cross-shard read itself
        cur.execute("SELECT count(*) FROM sg_scatter")
        assert cur.fetchone()[0] == ROWS
        for k in keys.values():
            cur.execute(PG_INSERT, (k, "txn", 123456, 1, 1.5, "txn-row", "2026-01-01"))
        high = high_keys(rows)
        cur.execute("UPDATE sg_scatter SET n = -n WHERE id = ANY(%s)", (high,))
        flipped = cur.rowcount
        assert flipped == len(high) > 0
        check_own_writes(cur, ocur, rows, keys)
        ocur.execute("SELECT count(*) FROM sg_scatter WHERE n > 900")
        assert ocur.fetchone()[0] == flipped, "another session saw an uncommitted update"
        conn.commit()
        for shard, k in keys.items():
            with pg_direct(PG_PRIMARIES[shard]) as c, c.cursor() as dcur:
                dcur.execute("SELECT n FROM sg_scatter WHERE id = %s", (k,))
                assert dcur.fetchall() == [(123456,)], shard
                dcur.execute("SELECT count(*) FROM pg_prepared_xacts")
                assert dcur.fetchone()[0] == 0
        for port in PG_PRIMARIES.values():
            with pg_direct(port) as c, c.cursor() as dcur:
                dcur.execute("SELECT count(*) FROM sg_scatter WHERE n BETWEEN 901 AND 1000")
                assert dcur.fetchone()[0] == 0
        # a shard's error aborts the transaction, as PostgreSQL's own error would
        cur.execute("SELECT n FROM sg_scatter WHERE id = %s", (keys["pg0"],))
        message = expect_pg_error(cur, f"SELECT 1 / (id - {keys['pg1']}) FROM sg_scatter",
                                  "22012", "shard pg1")
        print("shard error in a transaction:", message.strip())
        expect_pg_error(cur, "SELECT 1", "25P02", "aborted")
        conn.rollback()
        # after a savepoint the transaction cannot reach another shard: refused, and as every
        # error in a block, that aborts it (the shards before the refused one ran the statement)
        cur.execute("SELECT n FROM sg_scatter WHERE id = %s", (keys["pg0"],))
        cur.execute("SAVEPOINT s")
        expect_pg_error(cur, "SELECT count(*) FROM sg_scatter", "0A000", "savepoint")
        expect_pg_error(cur, "SELECT 1", "25P02", "aborted")
        conn.rollback()
        # larger than scatter_max_buffered_bytes: refused (54000), the block aborted
        cur.execute("SELECT n FROM sg_scatter WHERE id = %s", (keys["pg1"],))
        expect_pg_error(cur, "SELECT * FROM sg_scatter", "54000", "scatter_max_buffered_bytes")
        expect_pg_error(cur, "SELECT 1", "25P02", "aborted")
        conn.rollback()
        cur.execute("SELECT count(*) FROM sg_scatter WHERE grp = 'txn'")  # the session goes on
        assert cur.fetchone()[0] == 2
        conn.rollback()
        # REPEATABLE READ: the shards' snapshots are taken as the read reaches them
        conn.set_session(isolation_level="REPEATABLE READ")
        cur.execute("SELECT count(*) FROM sg_scatter")
        assert cur.fetchone()[0] == ROWS + 2
        ocur.execute(f"DELETE FROM sg_scatter WHERE id IN ({keys['pg0']}, {keys['pg1']})")
        cur.execute("SELECT count(*) FROM sg_scatter")
        assert cur.fetchone()[0] == ROWS + 2, "the snapshot moved"
        conn.rollback()
        cur.execute("SELECT count(*) FROM sg_scatter")
        assert cur.fetchone()[0] == ROWS
        conn.rollback()
        # psql: BEGIN, a read of both shards, a write, the read again, COMMIT
        statements = ["BEGIN", "SELECT count(*) FROM sg_scatter",
                      f"DELETE FROM sg_scatter WHERE id IN ({', '.join(map(str, high))})",
                      "SELECT count(*) FROM sg_scatter", "COMMIT"]
        out = subprocess.run(["psql", "-X", "-h", "127.0.0.1", "-p", str(proxy.port), "-U", "app",
                              "-d", "shop", "-At", "-v", "ON_ERROR_STOP=1"]
                             + [arg for sql in statements for arg in ("-c", sql)],
                             capture_output=True, text=True, timeout=30,
                             env=dict(os.environ, PGPASSWORD="app"))
        assert out.returncode == 0, out.stderr
        assert out.stdout.splitlines() == ["BEGIN", str(ROWS), f"DELETE {flipped}",
                                           str(ROWS - flipped), "COMMIT"], out.stdout
        conn.close()
        other.close()
        counters = admin_status(admin)["counters"]
        assert counters["pg.scatter_in_transaction"] >= 10, counters
        assert counters["pg.scatter_over_limit"] == 1, counters
        # the digest counts the rows the client got (not each shard's too)
        request = urllib.request.Request(f"http://127.0.0.1:{admin}/digests")
        request.add_header("Authorization", "Bearer sg-test")
        with urllib.request.urlopen(request, timeout=5) as response:
            digests = json.loads(response.read())["digests"]
        hits = [d for d in digests if "where grp =" in d["fingerprint"].lower()
                and "order by id" in d["fingerprint"].lower()]
        assert len(hits) == 1 and hits[0]["count"] == 1 and hits[0]["rows"] == 2, hits


def my_txn():
    """pymysql with autocommit off: cross-shard reads inside the transaction read its own
    writes on every shard (XA branches), not other sessions' uncommitted ones; COMMIT lands
    the rows on their shards; a shard's error or a refusal leaves the transaction usable."""
    with Proxy(extra_config="scatter_max_buffered_bytes: 50000\n") as proxy:
        rows = setup_my(proxy)
        keys = {}
        for k in range(10**9, 10**9 + 50):
            keys.setdefault(locate("social", k), k)
        assert set(keys) == {"my0", "my1"}, keys
        for shard, port in MY_PRIMARIES.items():
            with my_direct(port) as c, c.cursor() as dcur:
                dcur.execute("DROP TABLE IF EXISTS sg_half")
                if shard == "my1":
                    dcur.execute("CREATE TABLE sg_half (id bigint, v text)")
        conn = proxy.my()
        conn.autocommit(False)
        cur = conn.cursor()
        other = proxy.my()
        ocur = other.cursor()
        insert = ("INSERT INTO sg_scatter (id, grp, n, amount, f, name, note, created) "
                  "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)")
        cur.execute("SELECT count(*) FROM sg_scatter")
        assert cur.fetchone()[0] == ROWS
        for k in keys.values():
            cur.execute(insert, (k, "txn", 123456, 1, 1.5, "txn-row", "n", "2026-01-01"))
        high = high_keys(rows)
        cur.execute(f"UPDATE sg_scatter SET n = -n WHERE id IN ({', '.join(map(str, high))})")
        assert cur.rowcount == len(high) > 0
        check_own_writes(cur, ocur, rows, keys)
        # refused or failed reads leave the transaction as it was (as MariaDB's own errors do)
        expect_my_error(cur, "SELECT * FROM sg_scatter", 1105, "scatter_max_buffered_bytes")
        cur.execute("SHOW WARNINGS")  # (the transaction and session go on)
        message = expect_my_error(cur, "SELECT * FROM sg_half", 1146, "shard my0")
        print("shard error in a transaction:", message)
        cur.execute("SELECT count(*) FROM sg_scatter WHERE grp = 'txn'")
        assert cur.fetchone()[0] == 2
        conn.commit()
        for shard, k in keys.items():
            with my_direct(MY_PRIMARIES[shard]) as c, c.cursor() as dcur:
                dcur.execute("SELECT n FROM sg_scatter WHERE id = %s", (k,))
                assert dcur.fetchall() == ((123456,),), shard
                dcur.execute("SELECT count(*) FROM sg_scatter WHERE n BETWEEN 901 AND 1000")
                assert dcur.fetchone()[0] == 0, shard
        for port in MY_PRIMARIES.values():
            with my_direct(port, admin=True) as c, c.cursor() as dcur:
                dcur.execute("XA RECOVER")
                assert dcur.fetchall() == ()
        # rolled back: a read of both shards saw the row, and nothing of it stays
        cur.execute(f"DELETE FROM sg_scatter WHERE id IN ({keys['my0']}, {keys['my1']})")
        cur.execute("SELECT count(*) FROM sg_scatter")
        assert cur.fetchone()[0] == ROWS
        conn.rollback()
        cur.execute("SELECT count(*) FROM sg_scatter")
        assert cur.fetchone()[0] == ROWS + 2
        conn.rollback()
        # the mysql CLI: START TRANSACTION, a write, a read of both shards, ROLLBACK
        out = subprocess.run(["mysql", "-h127.0.0.1", f"-P{proxy.mysql_port}", "-uapp", "-papp",
                              "social", "-N", "-e",
                              "START TRANSACTION; DELETE FROM sg_scatter WHERE id IN "
                              f"({keys['my0']}, {keys['my1']}); SELECT count(*) FROM sg_scatter; "
                              "ROLLBACK; SELECT count(*) FROM sg_scatter"],
                             capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out.stderr
        assert out.stdout.split() == [str(ROWS), str(ROWS + 2)], out.stdout
        conn.close()
        other.close()


JDBC_QUERIES = {
    "pg": ["SELECT count(*), sum(n), min(amount), max(name), avg(amount) FROM sg_scatter "
           "WHERE n > ?",
           "SELECT id, n, amount, created FROM sg_scatter WHERE n > ? ORDER BY n DESC, id LIMIT 20",
           "SELECT grp, count(*) FROM sg_scatter WHERE n > ? GROUP BY grp ORDER BY grp",
           "SELECT DISTINCT grp FROM sg_scatter WHERE n > ? ORDER BY grp",
           "SELECT id FROM sg_scatter ORDER BY id LIMIT 7",
           "SELECT grp, bool_and(n > ?), bool_or(amount > 900) FROM sg_scatter GROUP BY grp "
           "ORDER BY grp",
           "SELECT grp, sum(amount) FROM sg_scatter GROUP BY grp HAVING count(*) > ? "
           "ORDER BY grp"],
    "mysql": ["SELECT count(*), sum(n), min(amount), max(created), avg(n) FROM sg_scatter "
              "WHERE n > ?",
              "SELECT id, n, amount, created FROM sg_scatter WHERE n > ? ORDER BY n DESC, id "
              "LIMIT 20",
              "SELECT n, count(*) FROM sg_scatter WHERE n > ? GROUP BY n ORDER BY n",
              "SELECT id, name FROM sg_scatter ORDER BY name, id LIMIT 15",
              "SELECT n, count(*) FROM sg_scatter GROUP BY n HAVING count(*) >= ? "
              "ORDER BY n"],
}


def jdbc_runs(write=None):
    """pgjdbc (extended protocol, named statements from the second execution on) and MariaDB
    Connector/J (text protocol, and server-side prepared statements with binary rows) answer
    through shardgate exactly as from the oracle; with `write`, inside a transaction that first
    reads, then runs `write`, then reads again (ScatterJdbcCheck)."""
    with Proxy() as proxy:
        setup_pg(proxy)
        setup_my(proxy)
        runs = [
            ("/usr/share/java/postgresql.jar",
             f"jdbc:postgresql://127.0.0.1:{proxy.port}/shop?prepareThreshold=1",
             f"jdbc:postgresql://127.0.0.1:{PG_PRIMARIES['pg0']}/{ORACLE}?prepareThreshold=1",
             JDBC_QUERIES["pg"]),
            ("/usr/share/java/mariadb-java-client.jar",
             f"jdbc:mariadb://127.0.0.1:{proxy.mysql_port}/social",
             f"jdbc:mariadb://127.0.0.1:{MY_PRIMARIES['my0']}/{ORACLE}",
             JDBC_QUERIES["mysql"]),
            # server-side prepared statements: COM_STMT_EXECUTE, binary rows
            ("/usr/share/java/mariadb-java-client.jar",
             f"jdbc:mariadb://127.0.0.1:{proxy.mysql_port}/social?useServerPrepStmts=true",
             f"jdbc:mariadb://127.0.0.1:{MY_PRIMARIES['my0']}/{ORACLE}?useServerPrepStmts=true",
             JDBC_QUERIES["mysql"]),
        ]
        env = dict(os.environ, **({"SG_TXN_WRITE": write} if write else {}))
        for jar, through, oracle, queries in runs:
            out = subprocess.run(["java", "-cp", jar, os.path.join(HERE, "ScatterJdbcCheck.java"),
                                  through, oracle, "app", "app"] + queries,
                                 capture_output=True, text=True, timeout=180, env=env)
            print(out.stdout.strip())
            assert out.returncode == 0, out.stdout + out.stderr


def jdbc():
    jdbc_runs()


def txn_jdbc():
    """The JDBC drivers' cross-shard reads inside a transaction (autocommit off: pgjdbc sends
    BEGIN with the first read; Connector/J sets autocommit=0), before and after an update of
    rows on both shards in it."""
    jdbc_runs(TXN_WRITE)


def admin_status(port):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/status")
    request.add_header("Authorization", "Bearer sg-test")
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def pg_raw_query(port, user, database, sql):
    """A client that sends `sql` (trust login), reads the first 64 KiB of the answer and
    vanishes: a disconnect in the middle of a cross-shard stream."""
    import socket
    import struct
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    params = f"user\0{user}\0database\0{database}\0\0".encode()
    sock.sendall(struct.pack("!ii", 8 + len(params), 196608) + params)
    seen = b""
    while b"Z\0\0\0\x05I" not in seen:  # ReadyForQuery, idle
        chunk = sock.recv(65536)
        assert chunk, seen
        seen += chunk
    body = sql.encode() + b"\0"
    sock.sendall(b"Q" + struct.pack("!i", 4 + len(body)) + body)
    got = 0
    while got < 65536:
        chunk = sock.recv(65536)
        assert chunk
        got += len(chunk)
    sock.close()


def leaked_connections(admin):
    """Backend connections in use per backend, once the proxy has settled (all clients gone)."""
    busy = {}
    for _ in range(50):
        busy = {b["endpoint"]: b["connections_in_use"] for b in admin_status(admin)["backends"]
                if b["connections_in_use"]}
        if not busy:
            return busy
        time.sleep(0.1)
    return busy


def disconnects():
    """Clients that vanish in the middle of a large cross-shard answer, on both protocols, and
    statements that stop at their LIMIT: afterwards no backend connection is in use (the
    shards' answers were read off and the connections pooled again) and the proxy answers."""
    admin = harness.free_port()
    config = ("  - {name: raw, password: x, auth: trust}\n"  # continues the harness's users
              "backend_user: app\nbackend_password: app\nadmin_token: sg-test\n")
    with Proxy(extra_config=config, admin_listen=f"127.0.0.1:{admin}") as proxy:
        setup_pg(proxy)
        setup_my(proxy)
        for _ in range(5):
            pg_raw_query(proxy.port, "raw", "shop",
                         "SELECT id, repeat('x', 20000) FROM sg_scatter ORDER BY id")
            pg_raw_query(proxy.port, "raw", "shop", "SELECT id, repeat('x', 20000) FROM sg_scatter")
        for _ in range(5):
            conn = pymysql.connect(host="127.0.0.1", port=proxy.mysql_port, user="app",
                                   password="app", database="social", autocommit=True,
                                   cursorclass=pymysql.cursors.SSCursor)
            cur = conn.cursor()
            cur.execute("SELECT id, REPEAT('x', 20000) FROM sg_scatter ORDER BY id")
            assert len(cur.fetchmany(3)) == 3
            conn._sock.close()  # gone without reading the rest
        with proxy.my() as my, my.cursor() as cur:
            for _ in range(20):
                cur.execute("SELECT id FROM sg_scatter ORDER BY id LIMIT 2")
                assert len(cur.fetchall()) == 2
                cur.execute("SELECT id FROM sg_scatter LIMIT 2")
                assert len(cur.fetchall()) == 2
        conn = proxy.connect()
        conn.autocommit = True
        with conn.cursor() as cur:
            for _ in range(20):
                cur.execute("SELECT id FROM sg_scatter ORDER BY id LIMIT 2")
                assert len(cur.fetchall()) == 2
        conn.close()
        busy = leaked_connections(admin)
        assert not busy, f"backend connections still in use: {busy}"
        conn = proxy.connect()
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM sg_scatter")
            assert cur.fetchone()[0] == ROWS
        conn.close()
        counters = admin_status(admin)["counters"]
        print("disconnects: no connection left in use; scatter statements:",
              counters["pg.scatter_statements"], counters["mysql.scatter_statements"])


def shard_down():
    """A shard whose servers are all unreachable (its endpoints moved to a closed port): a
    cross-shard read ends with an error naming that shard, quickly; the session goes on and
    reads of the other shard work."""
    with open(MAP) as f:
        text = f.read()
    closed = harness.free_port()  # nothing listens there
    for port in ("15434", "15435", "13308", "13309"):  # pg1 and my1, primary and replica
        text = text.replace(f"127.0.0.1:{port}", f"127.0.0.1:{closed}")
    path = os.path.join(tempfile.mkdtemp(prefix="sg_down_map_"), "map.yaml")
    with open(path, "w") as f:
        f.write(text)
    with pg_direct(PG_PRIMARIES["pg0"]) as c, c.cursor() as cur:  # the table, whatever ran before
        cur.execute(PG_TABLE.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS"))
    with my_direct(MY_PRIMARIES["my0"]) as c, c.cursor() as cur:
        cur.execute(MY_TABLE.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS"))
    wait_replicas("SELECT count(*) FROM information_schema.tables WHERE table_name = "
                  "'sg_scatter'", {"pg0": PG_PRIMARIES["pg0"]}, {"pg0": PG_REPLICAS["pg0"]},
                  pg_direct)
    wait_replicas("SELECT count(*) FROM information_schema.tables WHERE table_name = "
                  "'sg_scatter'", {"my0": MY_PRIMARIES["my0"]}, {"my0": MY_REPLICAS["my0"]},
                  my_direct)
    proxy = harness.Proxy.__new__(Proxy)
    harness.Proxy.__init__(proxy, "connect_timeout_ms: 1000\n", shard_map=path)
    try:
        key0 = next(k for k in range(13, ROWS * 7919, 7919) if locate("shop", k) == "pg0")
        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()
        for _ in range(3):
            started = time.monotonic()
            message = expect_pg_error(cur, "SELECT count(*) FROM sg_scatter", "08006", "pg1")
            assert time.monotonic() - started < 5, "the error took too long"
            cur.execute("SELECT id FROM sg_scatter WHERE id = %s", (key0,))  # pg0 still serves
            assert len(cur.fetchall()) <= 1
        print("pg:", message.strip())
        conn.close()
        my = proxy.my()
        key1 = next(k for k in range(13, ROWS * 7919, 7919) if locate("social", k) == "my0")
        with my.cursor() as cur:
            message = expect_my_error(cur, "SELECT count(*) FROM sg_scatter", 2013, "my1")
            cur.execute("SELECT id FROM sg_scatter WHERE id = %s", (key1,))
            assert len(cur.fetchall()) <= 1
        print("mysql:", message)
        my.close()
    finally:
        proxy.stop()


def interleave():
    """A plain scatter passes on whichever shard's rows have arrived: with my0 stalled for 3
    seconds at its second row, every my1 row reaches an unbuffered pymysql cursor before the
    stall ends (read shard after shard, my1's rows would wait for my0)."""
    with Proxy() as proxy:
        setup_my(proxy)
        keys0 = []  # my0's two smallest keys (shardctl runs once per key tried)
        for k in range(13, ROWS * 7919, 7919):
            if len(keys0) < 2 and locate("social", k) == "my0":
                keys0.append(k)
        conn = pymysql.connect(host="127.0.0.1", port=proxy.mysql_port, user="app",
                               password="app", database="social", autocommit=True,
                               cursorclass=pymysql.cursors.SSCursor)
        cur = conn.cursor()
        started = time.monotonic()
        # rows of 20 KB: each leaves the server at once (past its network buffer), so my0's
        # first rows are out before it stalls at its second key
        cur.execute("SELECT id, @@port, REPEAT('x', 20000) FROM sg_scatter WHERE @@port NOT IN "
                    f"(13306, 13307) OR id <> {keys0[1]} OR SLEEP(3) = 0")
        arrivals = {}
        for key, port, _ in cur.fetchall_unbuffered():
            shard = "my0" if port in (13306, 13307) else "my1"
            arrivals.setdefault(shard, []).append(time.monotonic() - started)
        conn.close()
        assert len(arrivals["my0"]) + len(arrivals["my1"]) == ROWS, arrivals.keys()
        last_my1, last_my0 = max(arrivals["my1"]), max(arrivals["my0"])
        print(f"interleave: last my1 row after {last_my1:.2f} s, last my0 row after "
              f"{last_my0:.2f} s")
        assert last_my0 >= 3.0, last_my0
        assert last_my1 < 2.0, "my1's rows waited for my0's"


def cancel():
    """A CancelRequest (psycopg2's cancel(), psql's Ctrl-C) during a cross-shard statement
    cancels every shard's part: the client gets 57014 at once, not after the slowest shard;
    MySQL's KILL QUERY likewise; the sessions go on and no backend connection stays in use."""
    import threading
    admin = harness.free_port()
    with Proxy(extra_config="admin_token: sg-test\n", admin_listen=f"127.0.0.1:{admin}") as proxy:
        setup_pg(proxy)
        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()
        for sql in ("SELECT id, pg_sleep(0.01) FROM sg_scatter",  # ~10 s per shard
                    "SELECT id, pg_sleep(0.01) FROM sg_scatter ORDER BY id",
                    "SELECT count(*), max(pg_sleep(0.01)::text) FROM sg_scatter"):
            timer = threading.Timer(0.5, conn.cancel)
            timer.start()
            started = time.monotonic()
            try:
                cur.execute(sql)
                cur.fetchall()
                raise AssertionError(f"{sql}: not cancelled")
            except psycopg2.errors.QueryCanceled as e:
                took = time.monotonic() - started
                assert took < 3, f"{sql}: cancelled after {took:.1f} s"
                print(f"cancel: {sql}: 57014 after {took:.2f} s ({str(e).strip()})")
            finally:
                timer.cancel()
            cur.execute("SELECT count(*) FROM sg_scatter")
            assert cur.fetchone()[0] == ROWS
        conn.close()
        # MySQL: KILL QUERY <id> from a second connection stops every shard's part
        setup_my(proxy)
        my = proxy.my()
        killer = proxy.my()
        with my.cursor() as cur:
            cur.execute("SELECT CONNECTION_ID()")  # answered by shardgate: its own id
        thread = my.thread_id()
        for sql in ("SELECT id, SLEEP(0.01) FROM sg_scatter",
                    "SELECT id, SLEEP(0.01) FROM sg_scatter ORDER BY id"):
            timer = threading.Timer(0.5, lambda: killer.cursor().execute(f"KILL QUERY {thread}"))
            timer.start()
            started = time.monotonic()
            with my.cursor() as cur:
                try:
                    cur.execute(sql)
                    rows = cur.fetchall()
                    # MariaDB ends a killed SELECT ... SLEEP() early, or with 1317
                    assert len(rows) < ROWS, f"{sql}: not interrupted"
                except pymysql.MySQLError as e:
                    assert e.args[0] in (1317, 1927), e.args
                took = time.monotonic() - started
                timer.join()
                assert took < 3, f"{sql}: killed after {took:.1f} s"
                print(f"kill query: {sql}: ended after {took:.2f} s")
                cur.execute("SELECT count(*) FROM sg_scatter")
                assert cur.fetchone()[0] == ROWS
        my.close()
        killer.close()
        busy = leaked_connections(admin)
        assert not busy, f"backend connections still in use: {busy}"


def limits():
    """scatter_max_shards_in_flight: 1 runs statements without ORDER BY on the shards in turns
    (same answers) and refuses an ORDER BY merge; scatter_max_groups and
    scatter_max_buffered_bytes end a grouped merge with 54000; /status counts both; the
    session goes on after each."""
    admin = harness.free_port()
    config = ("scatter_max_shards_in_flight: 1\nscatter_max_groups: 10\n"
              "admin_token: sg-test\n")
    with Proxy(extra_config=config, admin_listen=f"127.0.0.1:{admin}") as proxy:
        setup_pg(proxy)
        setup_my(proxy)
        conn = proxy.connect()
        conn.autocommit = True
        my = proxy.my()
        failures = []
        with conn.cursor() as cur, pg_direct(PG_PRIMARIES["pg0"], ORACLE) as o, \
                o.cursor() as oc:
            for sql in ("SELECT id, n FROM sg_scatter WHERE n > 900",
                        "SELECT count(*), sum(n), min(name), avg(amount) FROM sg_scatter",
                        "SELECT DISTINCT grp FROM sg_scatter WHERE n > 0"):
                compare("postgresql", cur, oc, sql, False, failures)
            cur.execute("SELECT id FROM sg_scatter LIMIT 3")  # the second shard never starts
            assert len(cur.fetchall()) == 3
            expect_pg_error(cur, "SELECT id FROM sg_scatter ORDER BY id LIMIT 3", "54000",
                            "scatter_max_shards_in_flight")
            expect_pg_error(cur, "SELECT n, count(*) FROM sg_scatter GROUP BY n", "54000",
                            "scatter_max_groups")
            message = expect_pg_error(cur, "SELECT * FROM sg_drift", "42804", "schema drift")
            assert "pg0" in message and "pg1" in message, message
            cur.execute("SELECT count(*) FROM sg_scatter")
            assert cur.fetchone()[0] == ROWS
        with my.cursor() as cur, my_direct(MY_PRIMARIES["my0"], ORACLE) as o, o.cursor() as oc:
            for sql in ("SELECT id, n FROM sg_scatter WHERE n > 900",
                        "SELECT count(*), sum(n), avg(amount) FROM sg_scatter"):
                compare("mysql", cur, oc, sql, False, failures)
            expect_my_error(cur, "SELECT id FROM sg_scatter ORDER BY id LIMIT 3", 1105,
                            "scatter_max_shards_in_flight")
            expect_my_error(cur, "SELECT n, count(*) FROM sg_scatter GROUP BY n", 1105,
                            "scatter_max_groups")
            message = expect_my_error(cur, "SELECT * FROM sg_drift", 1105, "schema drift")
            assert "my0" in message and "my1" in message, message
            cur.execute("SELECT count(*) FROM sg_scatter")
            assert cur.fetchone()[0] == ROWS
        for f in failures:
            print(f)
        assert not failures, failures
        counters = admin_status(admin)["counters"]
        for plane in ("pg", "mysql"):
            assert counters[f"{plane}.scatter_in_turns"] >= 5, counters
            assert counters[f"{plane}.scatter_over_limit"] == 2, counters
        conn.close()
        my.close()
    with Proxy(extra_config="scatter_max_buffered_bytes: 4096\n") as proxy:
        conn = proxy.connect()
        conn.autocommit = True
        with conn.cursor() as cur:
            expect_pg_error(cur, "SELECT DISTINCT id, name FROM sg_scatter", "54000",
                            "scatter_max_buffered_bytes")
            cur.execute("SELECT DISTINCT grp FROM sg_scatter")  # small: within the bound
            assert len(cur.fetchall()) == 8
        conn.close()
    print("limits: turns, refusals past each bound and their counters")


def budget():
    """scatter_max_buffered_bytes_total: the grouped merges of all sessions share one budget.
    Per engine: a GROUP BY of every row with an 8,000-byte aggregate, run alone, gives its bytes
    (the peak in /status, about 16 MB); under a total of 1.5 times that, a raw client sends it
    and does not read (a 64 KiB receive buffer), so the merge holds its groups while it waits to
    send them; the same statement from a second session (psycopg2 / pymysql) passes the total
    and is refused at once (53200 / MySQL 1041), its session goes on; the raw client then reads
    all 2,000 rows, and the second session runs the statement alone; /status shows the bytes
    held and the refusal."""
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "hostile"))
    import hostile_test as ht  # noqa: E402  (raw sessions: a trust user, wire helpers)
    report = []
    for engine in ("pg", "mysql"):
        pg = engine == "pg"
        pad = "repeat('x', 8000)" if pg else "CAST(repeat('x', 8000) AS BINARY)"
        sql = f"SELECT id, max({pad}) FROM sg_scatter GROUP BY id"

        def connect(proxy):
            conn = proxy.connect() if pg else proxy.my()
            if pg:
                conn.autocommit = True
            return conn
        admin = harness.free_port()
        with Proxy(extra_config="admin_token: sg-test\n", extra_users=ht.TRUST,
                   admin_listen=f"127.0.0.1:{admin}") as proxy:
            setup_pg(proxy) if pg else setup_my(proxy)
            conn = connect(proxy)
            with conn.cursor() as cur:
                cur.execute(sql)
                assert len(cur.fetchall()) == ROWS
            conn.close()
            counters = admin_status(admin)["counters"]
            alone = counters["scatter.merge_bytes_peak"]
            assert alone > ROWS * 8000 and counters["scatter.merge_bytes_held"] == 0, counters
        total = alone * 3 // 2
        with Proxy(extra_config=f"admin_token: sg-test\nscatter_max_buffered_bytes_total: "
                                f"{total}\n", extra_users=ht.TRUST,
                   admin_listen=f"127.0.0.1:{admin}") as proxy:
            if pg:
                raw = socket.socket()
                raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
                raw.connect(("127.0.0.1", proxy.port))
                raw.sendall(ht.pg_startup("raw"))
                assert ht.pg_messages(raw)[-1][0] == b"Z"
                raw.sendall(ht.pg_query(sql))
            else:
                wire = ht.mywire.WireClient(proxy.mysql_port)
                wire.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
                wire.write_packet(bytes([3]) + sql.encode())  # COM_QUERY, answer left unread
            deadline = time.time() + 20
            while admin_status(admin)["counters"]["scatter.merge_bytes_held"] < alone:
                assert time.time() < deadline, admin_status(admin)["counters"]
                time.sleep(0.05)
            other = connect(proxy)
            began = time.time()
            with other.cursor() as cur:
                if pg:
                    expect_pg_error(cur, sql, "53200", "scatter_max_buffered_bytes_total")
                else:
                    expect_my_error(cur, sql, 1041, "scatter_max_buffered_bytes_total")
                refused_after = time.time() - began
                cur.execute("SELECT 1")  # the session goes on
                assert cur.fetchone()[0] == 1
            # the unread answer is whole once read
            if pg:
                got = ht.pg_messages(raw, timeout=30)
                assert sum(1 for kind, _ in got if kind == b"D") == ROWS, len(got)
                assert got[-1][0] == b"Z" and ht.sqlstate(got) is None
                raw.close()
            else:
                wire.sock.settimeout(30)
                rows = wire.read_result()
                assert isinstance(rows, list) and len(rows) == ROWS, rows[:80]
                assert all(len(r[1]) == 8000 for r in rows)
                wire.close()
            with other.cursor() as cur:
                cur.execute(sql)  # alone again: within the total
                assert len(cur.fetchall()) == ROWS
            other.close()
            counters = admin_status(admin)["counters"]
            assert counters["scatter.merge_bytes_held"] == 0, counters
            assert counters["scatter.merge_budget_refusals"] >= 1, counters
            assert counters["scatter.merge_bytes_limit"] == total, counters
            plane = "pg" if pg else "mysql"
            assert counters[f"{plane}.scatter_over_limit"] == 1, counters
        report.append(f"{engine}: {ROWS} groups hold {alone} bytes; a second session refused "
                      f"after {refused_after * 1000:.0f} ms under a total of {total}")
    print("budget: " + "; ".join(report))


CASES = {"txn_jdbc": txn_jdbc, "pg_txn": pg_txn, "my_txn": my_txn, "txn_drivers": txn_drivers, "budget": budget, "cancel": cancel, "interleave": interleave, "shard_down": shard_down, "disconnects": disconnects, "limits": limits, "drivers": drivers, "jdbc": jdbc, "pg_oracle": pg_oracle, "my_oracle": my_oracle, "pg_errors": pg_errors,
         "my_errors": my_errors}

if __name__ == "__main__":
    CASES[sys.argv[1]]()
