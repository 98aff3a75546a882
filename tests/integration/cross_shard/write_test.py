#!/usr/bin/python3
"""Writes that need several shards, through real clients: multi-row INSERTs split per shard
(psql, psycopg2 execute_values, node pg with parameters, pgjdbc reWriteBatchedInserts; the
mysql CLI, pymysql executemany, mysql2 execute(), Connector/J rewriteBatchedStatements),
reference-table writes on every shard, UPDATE / DELETE of several shards. Every statement is
all-or-nothing: a failing shard leaves no row anywhere. Data is checked on the primaries.
Usage: write_test.py CASE (pg, mysql, reference_down)"""
import os
import subprocess
import sys

import psycopg2
import psycopg2.extras
import pymysql

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import scatter_test as st  # noqa: E402  (Proxy, direct connections, the harness)
import txn_test as tt  # noqa: E402  (prepared transactions, server kill and restart)

harness = st.harness
PG_TABLES = ["CREATE TABLE sg_writes (id bigint PRIMARY KEY, v text)",
             "CREATE TABLE sg_ref (id int PRIMARY KEY, v text)"]
MY_TABLES = ["CREATE TABLE sg_writes (id bigint PRIMARY KEY, v text) "
             "DEFAULT CHARSET utf8mb4",
             "CREATE TABLE sg_ref (id int PRIMARY KEY, v text) DEFAULT CHARSET utf8mb4"]
ROWS = 1000


def write_map():
    """The scatter tests' map plus sg_writes (hash by id), sg_ref (reference) and
    keyless_writes: broadcast in both databases."""
    with open(st.MAP) as f:
        text = f.read()
    extra = ("    tables:\n"
             "      sg_writes: {scheme: hash, key: id, key_type: bigint}\n"
             "      sg_ref: {scheme: reference}\n")
    text = text.replace("\n    tables:\n", "\n" + extra)
    assert text.count("    unparsable: reject\n") == 2
    text = text.replace("    unparsable: reject\n",
                        "    unparsable: reject\n    keyless_writes: broadcast\n")
    path = os.path.join(os.path.dirname(st.MAP), "write_map.yaml")
    with open(path, "w") as f:
        f.write(text)
    return path


MAP = write_map()


def map_with(name, tables, databases=2, settings=""):
    """This map plus `tables` (lines of a tables: mapping) in the first `databases` databases,
    and `settings` (lines of database settings) in every database, written as NAME.yaml beside
    it."""
    with open(MAP) as f:
        text = f.read()
    text = text.replace("\n    tables:\n", "\n    tables:\n" + tables, databases)
    text = text.replace("    unparsable: reject\n", "    unparsable: reject\n" + settings)
    path = os.path.join(os.path.dirname(MAP), name + ".yaml")
    with open(path, "w") as f:
        f.write(text)
    return path


def proxy_for(shard_map):
    """A Proxy class (both listeners, an admin port with token sg-test) for `shard_map`."""
    class MapProxy(st.Proxy):
        def __init__(self, extra_config="", **kw):
            self.admin_port = harness.free_port()
            harness.Proxy.__init__(self, shard_map=shard_map,
                                   admin_listen=f"127.0.0.1:{self.admin_port}",
                                   extra_config=extra_config + "admin_token: sg-test\n", **kw)
    return MapProxy


Proxy = proxy_for(MAP)


def setup(engine):
    tt.clear_prepared(engine)
    primaries, connect, tables = engine_parts(engine)
    for port in primaries.values():
        with connect(port) as c, c.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_writes")
            cur.execute("DROP TABLE IF EXISTS sg_ref")
            for ddl in tables:
                cur.execute(ddl)


def engine_parts(engine):
    if engine == "pg":
        return st.PG_PRIMARIES, st.pg_direct, PG_TABLES
    return st.MY_PRIMARIES, st.my_direct, MY_TABLES


def on_primaries(engine, sql):
    """shard -> rows of `sql` on that shard's primary."""
    primaries, connect, _ = engine_parts(engine)
    out = {}
    for shard, port in primaries.items():
        with connect(port) as c, c.cursor() as cur:
            cur.execute(sql)
            out[shard] = [tuple(r) for r in cur.fetchall()]
    return out


def stored(engine):
    """id -> (shard, v) for every sg_writes row, asserting no id is on two shards."""
    out = {}
    for shard, rows in on_primaries(engine, "SELECT id, v FROM sg_writes").items():
        for key, value in rows:
            assert key not in out, f"id {key} on {out[key][0]} and on {shard}"
            out[int(key)] = (shard, value)
    return out


def check_owners(engine, keys, cur, placeholder):
    """Each key's row is where the router places it: a single-key read through the proxy (a
    route to the owner's replica or primary) finds it, and it is on one primary only."""
    rows = stored(engine)
    for key in keys:
        assert key in rows, f"id {key} missing"
        cur.execute(f"/* shardgate: primary */ SELECT id FROM sg_writes WHERE id = {placeholder}",
                    (key,))
        assert [tuple(r) for r in cur.fetchall()] == [(key,)], f"id {key} is not on its owner shard"
    shards = {rows[k][0] for k in keys}
    assert len(shards) == 2, f"the rows did not spread over both shards: {shards}"


def run_node(engine, port, first, n):
    out = subprocess.run(["node", os.path.join(HERE, "write_driver.js"), engine, str(port),
                          str(first), str(n)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "done", out.stdout + out.stderr[-2000:]


def run_jdbc(url, first, n, mode, jar, fails=False):
    out = subprocess.run(["java", "-cp", jar, os.path.join(HERE, "WriteJdbcCheck.java"), url,
                          "app", "app", "sg_writes", str(first), str(n), mode],
                         capture_output=True, text=True, timeout=180)
    if fails:
        assert out.returncode != 0 and "duplicate key" in out.stderr, out.stderr[-3000:]
        return "failed as expected"
    assert out.returncode == 0, out.stdout + out.stderr[-3000:]
    return out.stdout.strip()


def pg():
    setup("pg")
    with Proxy() as proxy:
        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()
        # literals copied exactly: E'' escapes, doubled quotes, NULL, DEFAULT, expressions
        values = {1: "it's", 2: None, 3: "x'y", 4: "tab\tend", 5: "upper", 6: "é ü", 7: "7",
                  8: "dollar $1", 9: "(paren, comma)", 10: None}
        cur.execute("INSERT INTO sg_writes (id, v) VALUES (1, E'it\\'s'), (2, NULL), "
                    "(3, 'x''y'), (4, E'tab\\tend'), (5, upper('upper')), (6, 'é ü'), "
                    "(7, 7::text), (8, 'dollar $1'), (9, '(paren, comma)'), (10, DEFAULT) "
                    "RETURNING id, v")
        assert cur.statusmessage == "INSERT 0 10", cur.statusmessage
        assert cur.fetchall() == [(k, v if k != 5 else "UPPER") for k, v in values.items()]
        values[5] = "UPPER"
        rows = stored("pg")
        assert {k: v for k, (_, v) in rows.items()} == values, rows
        check_owners("pg", list(values), cur, "%s")

        # psycopg2 execute_values: 1000 rows in one statement
        batch = [(k, f"row {k}") for k in range(100, 100 + ROWS)]
        psycopg2.extras.execute_values(cur, "INSERT INTO sg_writes (id, v) VALUES %s", batch,
                                       page_size=ROWS)
        assert cur.statusmessage == f"INSERT 0 {ROWS}", cur.statusmessage
        rows = stored("pg")
        assert all(rows[k][1] == v for k, v in batch)
        check_owners("pg", [k for k, _ in batch], cur, "%s")

        # all or nothing: a duplicate key on one shard leaves no row on any
        before = stored("pg")
        for dup in (1, 2, 3):
            try:
                cur.execute("INSERT INTO sg_writes (id, v) VALUES (5000, 'a'), (5001, 'b'), "
                            "(5002, 'c'), (5003, 'd'), (%s, 'dup')", (dup,))
                raise AssertionError("duplicate key accepted")
            except psycopg2.errors.UniqueViolation as e:
                assert "rolled back on every shard" in str(e), e
        assert stored("pg") == before
        assert tt.prepared("pg") == []

        # inside a transaction: rolled back with it, committed with it (two-phase)
        conn.autocommit = False
        cur.execute("INSERT INTO sg_writes (id, v) VALUES (6000, 'a'), (6001, 'b'), (6002, 'c'), "
                    "(6003, 'd')")
        conn.rollback()
        assert stored("pg") == before
        cur.execute("INSERT INTO sg_writes (id, v) VALUES (6000, 'a'), (6001, 'b'), (6002, 'c'), "
                    "(6003, 'd')")
        cur.execute("UPDATE sg_writes SET v = 'in txn' WHERE id IN (6000, 6001, 6002, 6003)")
        assert cur.rowcount == 4
        conn.commit()
        rows = stored("pg")
        assert all(rows[k][1] == "in txn" for k in range(6000, 6004))
        # an error inside a transaction aborts it, as PostgreSQL's own would
        cur.execute("INSERT INTO sg_writes (id, v) VALUES (7000, 'a'), (7001, 'b'), (7002, 'c')")
        try:
            cur.execute("INSERT INTO sg_writes (id, v) VALUES (7100, 'a'), (7101, 'b'), "
                        "(7102, 'c'), (1, 'dup')")
            raise AssertionError("duplicate key accepted")
        except psycopg2.errors.UniqueViolation:
            pass
        try:
            cur.execute("SELECT 1")
            raise AssertionError("the aborted transaction went on")
        except psycopg2.errors.InFailedSqlTransaction:
            pass
        conn.rollback()
        assert not any(k in stored("pg") for k in (7000, 7001, 7002, 7100, 7101, 7102))
        conn.autocommit = True

        # UPDATE / DELETE of several shards: keys of both, and no key at all (keyless_writes:
        # broadcast); counts summed
        cur.execute("UPDATE sg_writes SET v = 'both' WHERE id IN (1, 2, 3, 4, 5, 6, 7, 8, 9)")
        assert cur.rowcount == 9, cur.statusmessage
        cur.execute("DELETE FROM sg_writes WHERE v = 'in txn'")
        assert cur.statusmessage == "DELETE 4", cur.statusmessage
        cur.execute("UPDATE sg_writes SET v = v || '!' WHERE v = 'both' RETURNING id")
        assert sorted(r[0] for r in cur.fetchall()) == list(range(1, 10))

        # reference table: every shard, atomically; reads from one
        cur.execute("INSERT INTO sg_ref (id, v) VALUES (1, 'one'), (2, 'two')")
        assert cur.statusmessage == "INSERT 0 2", cur.statusmessage  # one shard's count
        cur.execute("UPDATE sg_ref SET v = 'uno' WHERE id = 1")
        refs = on_primaries("pg", "SELECT id, v FROM sg_ref ORDER BY id")
        assert refs["pg0"] == refs["pg1"] == [(1, "uno"), (2, "two")], refs
        try:
            cur.execute("INSERT INTO sg_ref (id, v) VALUES (3, 'three'), (1, 'dup')")
            raise AssertionError("duplicate key accepted")
        except psycopg2.errors.UniqueViolation:
            pass
        assert on_primaries("pg", "SELECT count(*) FROM sg_ref") == {"pg0": [(2,)],
                                                                     "pg1": [(2,)]}

        # node pg (extended protocol, 1000 rows with 2000 parameters, RETURNING order)
        run_node("pg", proxy.port, 20000, ROWS)
        # pgjdbc: a batch rewritten into multi-row INSERTs (several statements between two
        # Syncs: one implicit transaction), in autocommit and in a transaction rolled back;
        # and a batch of single-row INSERTs for both shards
        pg_jar = "/usr/share/java/postgresql.jar"
        url = f"jdbc:postgresql://127.0.0.1:{proxy.port}/shop"
        print(run_jdbc(url + "?reWriteBatchedInserts=true", 30000, ROWS, "autocommit", pg_jar))
        print(run_jdbc(url + "?reWriteBatchedInserts=true", 40000, 300, "rollback", pg_jar))
        print(run_jdbc(url, 50000, 50, "autocommit", pg_jar))
        print(run_jdbc(url, 51000, 50, "commit", pg_jar))
        # a batch whose 41st row exists: the batch's implicit transaction leaves no row
        print(run_jdbc(url, 49960, 80, "autocommit", pg_jar, fails=True))
        print(run_jdbc(url + "?reWriteBatchedInserts=true", 49960, 80, "autocommit", pg_jar,
                       fails=True))
        rows = stored("pg")
        assert not any(40000 <= k < 40300 for k in rows), "the rolled-back batch stayed"
        assert not any(49960 <= k < 50000 for k in rows), "a failed batch left rows"
        for k in (list(range(20000, 20000 + ROWS + 4)) + list(range(30000, 30000 + ROWS)) +
                  list(range(50000, 50050)) + list(range(51000, 51050))):
            assert k in rows, f"id {k} missing"
        check_owners("pg", list(range(20000, 20000 + ROWS, 37)) +
                     list(range(30000, 30000 + ROWS, 37)) + list(range(50000, 50050, 3)),
                     cur, "%s")
        assert rows[30005][1] == "jdbc 'quoted' \\ 30005", rows[30005]
        assert tt.prepared("pg") == []
        writes = st.admin_status(proxy.admin_port)["counters"]["pg.multi_shard_writes"]
        assert writes >= 10, writes
        conn.close()


def mysql():
    setup("mysql")
    with Proxy() as proxy:
        conn = proxy.my()
        cur = conn.cursor()
        values = {1: "it's", 2: None, 3: "x'y", 4: "back\\slash", 5: "UPPER", 6: "é ü",
                  7: "7", 8: "q?mark", 9: "(paren, comma)", 10: None}
        n = cur.execute("INSERT INTO sg_writes (id, v) VALUES (1, 'it\\'s'), (2, NULL), "
                        "(3, 'x''y'), (4, 'back\\\\slash'), (5, upper('upper')), (6, 'é ü'), "
                        "(7, '7'), (8, 'q?mark'), (9, '(paren, comma)'), (10, DEFAULT)")
        assert n == 10, n
        rows = stored("mysql")
        assert {k: v for k, (_, v) in rows.items()} == values, rows
        check_owners("mysql", list(values), cur, "%s")

        # the mysql CLI
        sql = "INSERT INTO sg_writes (id, v) VALUES " + ", ".join(
            f"({k}, 'cli {k}')" for k in range(50, 70))
        out = subprocess.run(["mysql", "-h", "127.0.0.1", "-P", str(proxy.mysql_port), "-u",
                              "app", "-papp", "social", "-e", sql],
                             capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out.stderr
        # pymysql executemany: one multi-row INSERT
        batch = [(k, f"row {k}") for k in range(100, 100 + ROWS)]
        assert cur.executemany("INSERT INTO sg_writes (id, v) VALUES (%s, %s)", batch) == ROWS
        rows = stored("mysql")
        assert all(rows[k][1] == v for k, v in batch)
        assert all(rows[k][1] == f"cli {k}" for k in range(50, 70))
        check_owners("mysql", [k for k, _ in batch], cur, "%s")

        # all or nothing
        before = stored("mysql")
        for dup in (1, 2, 3):
            try:
                cur.execute("INSERT INTO sg_writes (id, v) VALUES (5000, 'a'), (5001, 'b'), "
                            "(5002, 'c'), (5003, 'd'), (%s, 'dup')", (dup,))
                raise AssertionError("duplicate key accepted")
            except pymysql.err.IntegrityError as e:
                assert e.args[0] == 1062 and "rolled back on every shard" in e.args[1], e
        assert stored("mysql") == before
        assert tt.prepared("mysql") == []

        # inside a transaction
        cur.execute("BEGIN")
        cur.execute("INSERT INTO sg_writes (id, v) VALUES (6000, 'a'), (6001, 'b'), (6002, 'c'), "
                    "(6003, 'd')")
        cur.execute("ROLLBACK")
        assert stored("mysql") == before
        cur.execute("START TRANSACTION")
        cur.execute("INSERT INTO sg_writes (id, v) VALUES (6000, 'a'), (6001, 'b'), (6002, 'c'), "
                    "(6003, 'd')")
        assert cur.execute("UPDATE sg_writes SET v = 'in txn' WHERE id IN (6000, 6001, 6002, "
                           "6003)") == 4
        cur.execute("COMMIT")
        rows = stored("mysql")
        assert all(rows[k][1] == "in txn" for k in range(6000, 6004))
        # a piece failing after another shard applied its part: the transaction is rolled back
        # on every shard, and the client is told so
        cur.execute("BEGIN")
        cur.execute("INSERT INTO sg_writes (id, v) VALUES (7000, 'a'), (7001, 'b'), (7002, 'c')")
        try:
            cur.execute("INSERT INTO sg_writes (id, v) VALUES (7100, 'a'), (7101, 'b'), "
                        "(7102, 'c'), (7103, 'd'), (1, 'dup'), (2, 'dup'), (3, 'dup')")
            raise AssertionError("duplicate key accepted")
        except pymysql.err.MySQLError as e:
            assert e.args[0] in (1062, 1614), e
        cur.execute("ROLLBACK")
        assert not any(k in stored("mysql") for k in (7000, 7001, 7002, 7100, 7101, 7102, 7103))

        # UPDATE / DELETE of several shards; LIMIT across shards refused
        assert cur.execute("UPDATE sg_writes SET v = 'both' WHERE id IN (1, 2, 3, 4, 5, 6, 7, 8, "
                           "9)") == 9
        assert cur.execute("DELETE FROM sg_writes WHERE v = 'in txn'") == 4
        try:
            cur.execute("DELETE FROM sg_writes WHERE v = 'both' LIMIT 1")
            raise AssertionError("LIMIT across shards accepted")
        except pymysql.err.MySQLError as e:
            assert "LIMIT" in e.args[1], e
        assert sum(len(r) for r in on_primaries(
            "mysql", "SELECT id FROM sg_writes WHERE v = 'both'").values()) == 9

        # reference table
        assert cur.execute("INSERT INTO sg_ref (id, v) VALUES (1, 'one'), (2, 'two')") == 2
        cur.execute("UPDATE sg_ref SET v = 'uno' WHERE id = 1")
        refs = on_primaries("mysql", "SELECT id, v FROM sg_ref ORDER BY id")
        assert refs["my0"] == refs["my1"] == [(1, "uno"), (2, "two")], refs
        try:
            cur.execute("INSERT INTO sg_ref (id, v) VALUES (3, 'three'), (1, 'dup')")
            raise AssertionError("duplicate key accepted")
        except pymysql.err.IntegrityError:
            pass
        assert on_primaries("mysql", "SELECT count(*) FROM sg_ref") == {"my0": [(2,)],
                                                                        "my1": [(2,)]}

        # mysql2 execute() (binary protocol) and Connector/J rewriteBatchedStatements
        run_node("mysql", proxy.mysql_port, 20000, ROWS)
        print(run_jdbc(f"jdbc:mariadb://127.0.0.1:{proxy.mysql_port}/social"
                       "?rewriteBatchedStatements=true", 30000, ROWS, "autocommit",
                       "/usr/share/java/mariadb-java-client.jar"))
        print(run_jdbc(f"jdbc:mariadb://127.0.0.1:{proxy.mysql_port}/social"
                       "?rewriteBatchedStatements=true", 40000, 200, "rollback",
                       "/usr/share/java/mariadb-java-client.jar"))
        rows = stored("mysql")
        for k in list(range(20000, 20000 + ROWS + 4)) + list(range(30000, 30000 + ROWS)):
            assert k in rows, f"id {k} missing"
        assert not any(40000 <= k < 40200 for k in rows), "the rolled-back batch stayed"
        assert rows[30005][1] == "jdbc 'quoted' \\ 30005", rows[30005]
        check_owners("mysql", list(range(20000, 20000 + ROWS, 37)) +
                     list(range(30000, 30000 + ROWS, 37)), cur, "%s")
        assert tt.prepared("mysql") == []
        conn.close()


def reference_down():
    """A reference-table write with one shard's primary down fails as a whole and leaves every
    shard unchanged; after the restart the same write succeeds on every shard."""
    setup("pg")
    setup("mysql")
    with Proxy(extra_config="connect_timeout_ms: 1000\n") as proxy:
        pgc = proxy.connect()
        pgc.autocommit = True
        myc = proxy.my()
        pgc.cursor().execute("INSERT INTO sg_ref (id, v) VALUES (1, 'one')")
        myc.cursor().execute("INSERT INTO sg_ref (id, v) VALUES (1, 'one')")
        try:
            tt.kill_server("pg1")
            tt.kill_server("my1")
            try:
                pgc.cursor().execute("INSERT INTO sg_ref (id, v) VALUES (2, 'two')")
                raise AssertionError("a write with a shard down succeeded")
            except psycopg2.Error as e:
                assert "pg1" in str(e), e
            try:
                myc.cursor().execute("INSERT INTO sg_ref (id, v) VALUES (2, 'two')")
                raise AssertionError("a write with a shard down succeeded")
            except pymysql.err.MySQLError as e:
                assert "my1" in str(e), e
        finally:
            tt.restart_servers()
        assert on_primaries("pg", "SELECT id FROM sg_ref") == {"pg0": [(1,)], "pg1": [(1,)]}
        assert on_primaries("mysql", "SELECT id FROM sg_ref") == {"my0": [(1,)], "my1": [(1,)]}
        pgc = proxy.connect()
        pgc.autocommit = True
        pgc.cursor().execute("INSERT INTO sg_ref (id, v) VALUES (2, 'two')")
        assert on_primaries("pg", "SELECT id FROM sg_ref ORDER BY id") == {
            "pg0": [(1,), (2,)], "pg1": [(1,), (2,)]}
        assert tt.prepared("pg") == [] and tt.prepared("mysql") == []


CASES = {"pg": pg, "mysql": mysql, "reference_down": reference_down}

if __name__ == "__main__":
    harness.run(CASES)
