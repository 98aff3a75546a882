#!/usr/bin/python3
"""Broadcast DDL: a schema change of a table that lives on several shards runs on every shard's
primary, shard after shard, answered once; a failure names the shard and says which shards
applied the statement. Real topology; psql and the mysql CLI, psycopg2 and pymysql; the
definitions are then read on every primary directly. Usage: broadcast_test.py pg|mysql"""
import os
import subprocess
import sys

import psycopg2
import pymysql

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import scatter_test as st  # noqa: E402  (map, Proxy, direct connections)


def pg_definitions(table):
    """Per primary: the table's columns and index definitions."""
    out = {}
    for shard, port in st.PG_PRIMARIES.items():
        with st.pg_direct(port) as c, c.cursor() as cur:
            cur.execute("SELECT column_name, data_type FROM information_schema.columns WHERE "
                        "table_name = %s ORDER BY ordinal_position", (table,))
            columns = cur.fetchall()
            cur.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s ORDER BY indexname",
                        (table,))
            out[shard] = (columns, cur.fetchall())
    return out


def my_definitions(table):
    out = {}
    for shard, port in st.MY_PRIMARIES.items():
        with st.my_direct(port) as c, c.cursor() as cur:
            cur.execute("SELECT column_name, column_type FROM information_schema.columns WHERE "
                        "table_schema = 'social' AND table_name = %s ORDER BY ordinal_position",
                        (table,))
            columns = cur.fetchall()
            cur.execute("SELECT index_name, column_name FROM information_schema.statistics "
                        "WHERE table_schema = 'social' AND table_name = %s "
                        "ORDER BY index_name, seq_in_index", (table,))
            out[shard] = (columns, cur.fetchall())
    return out


def schema_diff(db, table):
    """`shardctl schema diff` of `table`: exit code and JSON."""
    import json
    out = subprocess.run([st.harness.SHARDCTL, "schema", "diff", st.MAP, db, table, "--user",
                          "app", "--password", "app", "--json"],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode in (0, 1), out.stdout + out.stderr
    return out.returncode, json.loads(out.stdout)


def my_rows(port):
    with st.my_direct(port) as c, c.cursor() as cur:
        cur.execute("SELECT id FROM sg_half")
        return cur.fetchall()


def pg():
    for port in st.PG_PRIMARIES.values():
        with st.pg_direct(port) as c, c.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_half")
            cur.execute("DROP TABLE IF EXISTS sg_big")
            cur.execute("DROP TABLE IF EXISTS alembic_version")
            cur.execute("CREATE TABLE sg_half (id bigint PRIMARY KEY, v text)")
    with st.Proxy() as proxy:
        # psql, as a migration script would run it
        out = st.harness.psql(proxy.port, "ALTER TABLE sg_half ADD COLUMN note text")
        assert out.returncode == 0 and "ALTER TABLE" in out.stdout, (out.stdout, out.stderr)
        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute("SET search_path TO public")  # replayed on each shard before the DDL
        cur.execute("CREATE INDEX sg_half_v ON sg_half (v)")
        assert cur.statusmessage == "CREATE INDEX", cur.statusmessage
        cur.execute("CREATE INDEX sg_half_note ON sg_half (lower(note))")
        cur.execute("CREATE INDEX CONCURRENTLY sg_half_conc ON sg_half (v, id)")
        cur.execute("DROP INDEX CONCURRENTLY sg_half_conc")
        defs = pg_definitions("sg_half")
        assert defs["pg0"] == defs["pg1"], defs
        assert len(defs["pg0"][0]) == 3 and len(defs["pg0"][1]) == 3, defs
        # fails on the first shard: no shard changed
        message = st.expect_pg_error(cur, "CREATE INDEX sg_half_v ON sg_half (v)", "42P07",
                                     "shard pg0")
        assert "no shard applied" in message, message
        # fails on the second: says where it was applied and how to repair
        with st.pg_direct(st.PG_PRIMARIES["pg1"]) as c, c.cursor() as direct:
            direct.execute("CREATE INDEX sg_half_id2 ON sg_half (id, v)")
        # shardctl schema diff shows the drift (an index made by hand on one shard)
        code, diff = schema_diff("shop", "sg_half")
        assert code == 1 and not diff["identical"], diff
        assert [d["missing_on"] for d in diff["differences"]] == [["pg0"]], diff
        assert "sg_half_id2" in diff["differences"][0]["line"], diff
        message = st.expect_pg_error(cur, "CREATE INDEX sg_half_id2 ON sg_half (id, v)",
                                     "42P07", "shard pg1")
        assert "applied on pg0" in message, message
        print("partial failure:", message.strip())
        cur.execute("CREATE INDEX IF NOT EXISTS sg_half_id2 ON sg_half (id, v)")  # the repair
        defs = pg_definitions("sg_half")
        assert defs["pg0"] == defs["pg1"], defs
        code, diff = schema_diff("shop", "sg_half")
        assert code == 0 and diff["identical"] and diff["shards"] == ["pg0", "pg1"], diff
        # a long DDL can be cancelled (psycopg2 cancel(): a CancelRequest): the shard running
        # it stops, the next shards are not tried
        import threading
        import time
        with st.pg_direct(st.PG_PRIMARIES["pg0"]) as c, c.cursor() as direct:
            direct.execute("INSERT INTO sg_half (id, v) VALUES (1, 'a'), (2, 'b'), (3, 'c')")
        timer = threading.Timer(0.5, conn.cancel)
        timer.start()
        started = time.monotonic()
        message = st.expect_pg_error(  # the volatile default rewrites the table: 2 s a row
            cur, "ALTER TABLE sg_half ADD COLUMN slow text DEFAULT (pg_sleep(2)::text)",
            "57014", "shard pg0")
        timer.join()
        assert time.monotonic() - started < 3, message
        assert "no shard applied" in message, message
        defs = pg_definitions("sg_half")
        assert defs["pg0"] == defs["pg1"] and len(defs["pg0"][0]) == 3, defs
        # inside a transaction (an Alembic-style migration: transactional DDL and the version
        # row in one transaction): every shard or none, with two-phase commit
        conn.autocommit = False
        cur.execute("DROP TABLE IF EXISTS alembic_version")
        cur.execute("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)")
        cur.execute("CREATE TABLE sg_big (id bigint PRIMARY KEY, v text)")
        cur.execute("CREATE INDEX ix_sg_big_v ON sg_big (v)")
        cur.execute("ALTER TABLE sg_big ADD COLUMN note text")
        assert cur.statusmessage == "ALTER TABLE", cur.statusmessage
        cur.execute("INSERT INTO alembic_version (version_num) VALUES ('0001')")
        conn.commit()
        defs = pg_definitions("sg_big")
        assert defs["pg0"] == defs["pg1"] and len(defs["pg0"][0]) == 3, defs
        assert schema_diff("shop", "sg_big")[0] == 0
        # a migration failing half way leaves no shard changed
        cur.execute("ALTER TABLE sg_big ADD COLUMN extra int")
        try:
            cur.execute("CREATE INDEX ix_sg_big_v ON sg_big (v)")
            raise AssertionError("an existing index was created again")
        except psycopg2.errors.DuplicateTable:
            pass
        conn.rollback()
        assert pg_definitions("sg_big") == defs
        # a savepoint before the DDL keeps the transaction on its first shard: refused
        cur.execute("SELECT v FROM sg_big WHERE id = 1")
        cur.execute("SAVEPOINT s1")
        st.expect_pg_error(cur, "DROP INDEX ix_sg_big_v", "0A000", "savepoint")
        conn.rollback()
        conn.autocommit = True
        cur.execute("DROP TABLE sg_big")
        cur.execute("DROP TABLE alembic_version")
        with st.pg_direct(st.PG_PRIMARIES["pg0"]) as c, c.cursor() as direct:
            direct.execute("SELECT count(*) FROM pg_prepared_xacts")
            assert direct.fetchone()[0] == 0
        cur.execute("DROP TABLE sg_half")
        for port in st.PG_PRIMARIES.values():
            with st.pg_direct(port) as c, c.cursor() as direct:
                direct.execute("SELECT to_regclass('sg_half') IS NULL")
                assert direct.fetchone()[0], port
        conn.close()
    print("pg: broadcast DDL applied identically on every shard")


def mysql():
    for port in st.MY_PRIMARIES.values():
        with st.my_direct(port) as c, c.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_half")
            cur.execute("CREATE TABLE sg_half (id bigint PRIMARY KEY, v varchar(20))")
    with st.Proxy() as proxy:
        out = subprocess.run(["mysql", "-h127.0.0.1", f"-P{proxy.mysql_port}", "-uapp", "-papp",
                              "social", "-e", "ALTER TABLE sg_half ADD COLUMN note text"],
                             capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out.stderr
        conn = proxy.my()
        cur = conn.cursor()
        cur.execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES'")  # replayed before the DDL
        cur.execute("CREATE INDEX sg_half_v ON sg_half (v)")
        cur.execute("ALTER TABLE sg_half ADD INDEX sg_half_idv (id, v)")
        defs = my_definitions("sg_half")
        assert defs["my0"] == defs["my1"], defs
        assert len(defs["my0"][0]) == 3, defs
        message = st.expect_my_error(cur, "CREATE INDEX sg_half_v ON sg_half (v)", 1061,
                                     "shard my0")
        assert "no shard applied" in message, message
        with st.my_direct(st.MY_PRIMARIES["my1"]) as c, c.cursor() as direct:
            direct.execute("ALTER TABLE sg_half ADD COLUMN extra int")
        code, diff = schema_diff("social", "sg_half")
        assert code == 1 and [d["missing_on"] for d in diff["differences"]] == [["my0"]], diff
        assert "`extra`" in diff["differences"][0]["line"], diff
        message = st.expect_my_error(cur, "ALTER TABLE sg_half ADD COLUMN extra int", 1060,
                                     "shard my1")
        assert "applied on my0" in message, message
        print("partial failure:", message)
        defs = my_definitions("sg_half")
        assert defs["my0"] == defs["my1"], defs  # both have `extra` now
        code, diff = schema_diff("social", "sg_half")
        assert code == 0 and diff["identical"], diff
        # a migration with autocommit off (as SQLAlchemy / Alembic run it): DDL commits the
        # open transaction first, as MySQL does, here on two shards (two-phase commit)
        mig = proxy.my()
        mig.autocommit(False)
        mc = mig.cursor()
        mc.execute("INSERT INTO sg_half (id, v) VALUES " +
                   ", ".join(f"({k}, 'r')" for k in range(1, 17)))
        mc.execute("ALTER TABLE sg_half ADD COLUMN after_txn int")
        mig.rollback()  # too late: the DDL committed the rows
        placed = [sorted(r[0] for r in my_rows(port)) for port in st.MY_PRIMARIES.values()]
        assert sorted(placed[0] + placed[1]) == list(range(1, 17)) and all(placed), placed
        defs = my_definitions("sg_half")
        assert defs["my0"] == defs["my1"] and "after_txn" in str(defs["my0"]), defs
        mig.close()
        for port in st.MY_PRIMARIES.values():
            with st.my_direct(port) as c, c.cursor() as direct:
                direct.execute("XA RECOVER")
                assert direct.fetchall() == (), port
        cur.execute("DROP TABLE sg_half")
        conn.close()
    print("mysql: broadcast DDL applied identically on every shard")


if __name__ == "__main__":
    {"pg": pg, "mysql": mysql}[sys.argv[1]]()
