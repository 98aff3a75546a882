#!/usr/bin/python3
"""UPDATEs that change a row's shard key (the database setting shard_key_updates: move),
through psycopg2 and pymysql: the row leaves its shard and arrives on the new key's shard with
every value intact (quotes, backslashes, NULL, binary data) and the UPDATE's other assignments
applied, in one distributed transaction: a duplicate key at the destination, or a ROLLBACK,
leaves the row where it was. Without the setting the UPDATE is refused. Data is checked on the
primaries. Usage: key_move_test.py CASE (pg, mysql)"""
import json
import os
import subprocess
import sys

import psycopg2
import pymysql

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import scatter_test as st  # noqa: E402  (direct connections, the harness)
import txn_test as tt  # noqa: E402  (prepared transactions)
import write_test as wt  # noqa: E402  (maps and proxies)

harness = st.harness
MAP = wt.map_with("key_move_map", "      sg_move: {scheme: hash, key: id, key_type: bigint}\n",
                  settings="    shard_key_updates: move\n")
Proxy = wt.proxy_for(MAP)
PLAIN = wt.map_with("key_move_plain", "      sg_move: {scheme: hash, key: id, key_type: bigint}\n")
PlainProxy = wt.proxy_for(PLAIN)
TABLES = {"pg": "CREATE TABLE sg_move (id bigint PRIMARY KEY, v text, n int, b bytea)",
          "mysql": "CREATE TABLE sg_move (id bigint PRIMARY KEY, v text, n int, b blob) "
                   "DEFAULT CHARSET utf8mb4"}
VALUES = {1: ("it's", 1, b"\x00\x01'\\\xff"), 2: ("back\\slash", 2, None), 3: (None, 3, b"x"),
          4: ("é ü", 4, b""), 5: ("plain", 5, b"\n\r")}


def owner(database, key):
    out = subprocess.run([harness.SHARDCTL, "locate", MAP, database, "sg_move", str(key),
                          "--json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["shard"]


def other_shard_key(database, key, start):
    """A key at or after `start` on another shard than `key`."""
    here = owner(database, key)
    while owner(database, start) == here:
        start += 1
    return start


def same_shard_key(database, key, start):
    here = owner(database, key)
    while owner(database, start) != here:
        start += 1
    return start


def parts(engine):
    if engine == "pg":
        return st.PG_PRIMARIES, st.pg_direct, "shop"
    return st.MY_PRIMARIES, st.my_direct, "social"


def stored(engine):
    """id -> (shard, v, n, b), asserting no id is on two shards."""
    primaries, connect, _ = parts(engine)
    out = {}
    for shard, port in primaries.items():
        with connect(port) as c, c.cursor() as cur:
            cur.execute("SELECT id, v, n, b FROM sg_move")
            for key, v, n, b in cur.fetchall():
                assert key not in out, f"id {key} on {out[key][0]} and on {shard}"
                out[int(key)] = (shard, v, n, bytes(b) if b is not None else None)
    return out


def run(engine):
    tt.clear_prepared(engine)
    primaries, connect, database = parts(engine)
    for port in primaries.values():
        with connect(port) as c, c.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_move")
            cur.execute(TABLES[engine])
    with Proxy() as proxy, PlainProxy() as plain:
        if engine == "pg":
            conn = proxy.connect()
            conn.autocommit = True
            binary = psycopg2.Binary
            errors = (psycopg2.Error,)
        else:
            conn = proxy.my()
            binary = bytes
            errors = (pymysql.err.MySQLError,)
        cur = conn.cursor()
        for key, (v, n, b) in VALUES.items():
            cur.execute("INSERT INTO sg_move (id, v, n, b) VALUES (%s, %s, %s, %s)",
                        (key, v, n, binary(b) if b is not None else None))
        expected = {k: (owner(database, k), v, n, b) for k, (v, n, b) in VALUES.items()}
        assert stored(engine) == expected

        # 1 moves to a key of the other shard, with its other assignment applied
        new = other_shard_key(database, 1, 1000)
        cur.execute("UPDATE sg_move SET id = %s, n = n + 10 WHERE id = 1", (new,))
        assert cur.rowcount == 1, cur.rowcount
        v, n, b = VALUES[1]
        del expected[1]
        expected[new] = (owner(database, new), v, n + 10, b)
        assert stored(engine) == expected, stored(engine)

        # a key on the same shard: an ordinary UPDATE
        same = same_shard_key(database, 2, 2000)
        cur.execute("UPDATE sg_move SET id = %s WHERE id = 2", (same,))
        assert cur.rowcount == 1
        expected[same] = expected.pop(2)
        assert stored(engine) == expected

        # a duplicate key at the destination: nothing moves
        taken = other_shard_key(database, 3, 3000)
        cur.execute("INSERT INTO sg_move (id, v, n) VALUES (%s, 'there', 0)", (taken,))
        expected[taken] = (owner(database, taken), "there", 0, None)
        try:
            cur.execute("UPDATE sg_move SET id = %s WHERE id = 3", (taken,))
            raise AssertionError("a duplicate key was accepted")
        except errors as e:
            assert "rolled back" in str(e), e
        assert stored(engine) == expected

        # inside a transaction: rolled back with it, committed with it
        target = other_shard_key(database, 4, 4000)
        if engine == "pg":
            conn.autocommit = False
        else:
            cur.execute("BEGIN")
        cur.execute("UPDATE sg_move SET id = %s WHERE id = 4", (target,))
        conn.rollback()
        assert stored(engine) == expected
        if engine == "mysql":
            cur.execute("BEGIN")
        cur.execute("UPDATE sg_move SET id = %s WHERE id = 4", (target,))
        cur.execute("UPDATE sg_move SET v = 'moved in a transaction' WHERE id = %s", (target,))
        conn.commit()
        _, _, n4, b4 = expected.pop(4)
        expected[target] = (owner(database, target), "moved in a transaction", n4, b4)
        assert stored(engine) == expected
        if engine == "pg":
            conn.autocommit = True
        assert tt.prepared(engine) == []

        # without the setting: refused, nothing changed
        other = plain.connect() if engine == "pg" else plain.my()
        if engine == "pg":
            other.autocommit = True
        try:
            other.cursor().execute("UPDATE sg_move SET id = %s WHERE id = 5",
                                   (other_shard_key(database, 5, 5000),))
            raise AssertionError("a shard-key UPDATE was accepted without the setting")
        except errors as e:
            assert "shard_key_updates" in str(e), e
        assert stored(engine) == expected
        other.close()
        conn.close()


TIME_MAP = wt.map_with("key_move_time",
                       "      sg_tmove: {scheme: time, key: at, key_type: timestamptz, interval: "
                       "year, ranges: [{from: 2025, to: 2025, shard: pg0}, {from: 2026, shard: "
                       "pg1}]}\n", databases=1, settings="    shard_key_updates: move\n")


def time_key():
    """A time shard key moved to another year's shard (PostgreSQL timestamptz, psycopg2): the
    new key is written quoted into the move's statements (before, unquoted: a syntax error on
    the shard, the UPDATE rolled back everywhere)."""
    tt.clear_prepared("pg")
    for port in st.PG_PRIMARIES.values():
        with st.pg_direct(port) as c, c.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_tmove")
            cur.execute("CREATE TABLE sg_tmove (at timestamptz PRIMARY KEY, v text)")
    with wt.proxy_for(TIME_MAP)() as proxy:
        conn = proxy.connect()
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("INSERT INTO sg_tmove (at, v) VALUES ('2025-06-01 00:00+00', 'it''s')")
            cur.execute("UPDATE sg_tmove SET at = '2026-06-01 12:30:00+00' "
                        "WHERE at = '2025-06-01 00:00+00'")
            assert cur.rowcount == 1, cur.rowcount
            cur.execute("SELECT v FROM sg_tmove WHERE at = '2026-06-01 12:30Z'")
            assert cur.fetchall() == [("it's",)]
        conn.close()
    rows = {}
    for shard, port in st.PG_PRIMARIES.items():
        with st.pg_direct(port) as c, c.cursor() as cur:
            cur.execute("SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), v "
                        "FROM sg_tmove")
            rows[shard] = cur.fetchall()
    assert rows == {"pg0": [], "pg1": [("2026-06-01 12:30", "it's")]}, rows


if __name__ == "__main__":
    if sys.argv[1] == "time_key":
        time_key()
    else:
        run(sys.argv[1])
    print("ok")
