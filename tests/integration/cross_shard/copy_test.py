#!/usr/bin/python3
"""COPY with a sharded table through real clients (psql, psycopg2 copy_expert / copy_from):
COPY ... FROM STDIN cut per shard by the key field in text, CSV (HEADER, quoted fields with
delimiters, quotes and newlines) and binary format, all-or-nothing (a duplicate key, a NULL
key, the client's CopyFail leave no row on any shard), inside a transaction rolled back and
committed, without a column list; COPY ... TO STDOUT of several shards concatenated. Every row
is checked on the primaries: on its owner shard only, byte for byte. Usage: copy_test.py pg"""
import io
import json
import os
import subprocess
import sys

import psycopg2

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import scatter_test as st  # noqa: E402  (direct connections, the harness)
import txn_test as tt  # noqa: E402  (prepared transactions)
import write_test as wt  # noqa: E402  (Proxy with an admin port)

harness = st.harness
TABLE = "CREATE TABLE sg_copy (id bigint PRIMARY KEY, v text, n int)"


MAP = wt.map_with("copy_map", "      sg_copy: {scheme: hash, key: id, key_type: bigint}\n", 1)
Proxy = wt.proxy_for(MAP)


def setup():
    tt.clear_prepared("pg")
    for port in st.PG_PRIMARIES.values():
        with st.pg_direct(port) as c, c.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_copy")
            cur.execute(TABLE)


def stored():
    """id -> (shard, v, n), asserting no id is on two shards."""
    out = {}
    for shard, port in st.PG_PRIMARIES.items():
        with st.pg_direct(port) as c, c.cursor() as cur:
            cur.execute("SELECT id, v, n FROM sg_copy")
            for key, v, n in cur.fetchall():
                assert key not in out, f"id {key} on {out[key][0]} and on {shard}"
                out[key] = (shard, v, n)
    return out


def owners(keys):
    """Each key's owner by the map (shardctl locate)."""
    out = {}
    for key in keys:
        res = subprocess.run([harness.SHARDCTL, "locate", MAP, "shop", "sg_copy", str(key),
                              "--json"], capture_output=True, text=True, check=True)
        out[key] = json.loads(res.stdout)["shard"]
    return out


def check(rows, expected):
    """`expected` (id -> (v, n)) is exactly what is stored, each row on its owner shard."""
    assert {k: (v, n) for k, (_, v, n) in rows.items()} == expected, (
        sorted(set(rows) ^ set(expected))[:10])
    sample = sorted(expected)[:: max(1, len(expected) // 30)]
    placed = owners(sample)
    for key in sample:
        assert rows[key][0] == placed[key], f"id {key} on {rows[key][0]}, owner {placed[key]}"
    assert len({shard for shard, _, _ in rows.values()}) == 2, "rows on one shard only"


def psql(port, sql, data=""):
    return subprocess.run(["psql", "-X", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                           str(port), "-U", "app", "shop", "-c", sql],
                          input=data, capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PGPASSWORD="app"))


def text_value(i):
    """Values that need text-format escapes: tabs, newlines, backslashes, non-ASCII."""
    return [f"plain {i}", f"tab\there {i}", f"new\nline {i}", f"back\\slash {i}", f"é ü {i}",
            None][i % 6]


def escape_text(value):
    if value is None:
        return "\\N"
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def pg():
    setup()
    with Proxy() as proxy:
        expected = {}
        # psql: 20,000 rows in text format (several 64 KiB messages per shard)
        data = "".join(f"{i}\t{escape_text(text_value(i))}\t{i % 7}\n" for i in range(1, 20001))
        out = psql(proxy.port, "COPY sg_copy (id, v, n) FROM STDIN", data)
        assert out.returncode == 0 and "COPY 20000" in out.stdout, out.stdout + out.stderr
        expected.update({i: (text_value(i), i % 7) for i in range(1, 20001)})
        check(stored(), expected)

        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()
        # psycopg2 copy_expert: CSV with a header, quoted delimiters, quotes and newlines,
        # columns in another order than the table's
        csv = "n,id,v\n" + "".join(f'{i % 5},{i},"csv, ""quoted""\nline {i}"\n'
                                    for i in range(30001, 31001))
        cur.copy_expert("COPY sg_copy (n, id, v) FROM STDIN WITH (FORMAT csv, HEADER true)",
                        io.StringIO(csv))
        assert cur.rowcount == 1000, cur.rowcount
        expected.update({i: (f'csv, "quoted"\nline {i}', i % 5) for i in range(30001, 31001)})
        # psycopg2 copy_from (text, no column list: the table's own order)
        cur.copy_from(io.StringIO("".join(f"{i}\tcf {i}\t1\n" for i in range(32001, 32101))),
                      "sg_copy")
        expected.update({i: (f"cf {i}", 1) for i in range(32001, 32101)})
        # binary format: data made by a server's own COPY TO (FORMAT binary)
        blob = io.BytesIO()
        with st.pg_direct(st.PG_PRIMARIES["pg0"]) as c, c.cursor() as direct:
            direct.copy_expert("COPY (SELECT g::bigint AS id, 'bin ' || g AS v, g % 3 AS n "
                               "FROM generate_series(33001, 34000) g) TO STDOUT (FORMAT binary)",
                               blob)
        blob.seek(0)
        cur.copy_expert("COPY sg_copy (id, v, n) FROM STDIN (FORMAT binary)", blob)
        assert cur.rowcount == 1000, cur.rowcount
        expected.update({i: (f"bin {i}", i % 3) for i in range(33001, 34001)})
        check(stored(), expected)

        # all or nothing: a duplicate key in row 3,000, a NULL key, the client's CopyFail
        data = "".join(f"{i}\tx\t0\n" for i in range(40001, 43000)) + "17\tdup\t0\n"
        try:
            cur.copy_expert("COPY sg_copy (id, v, n) FROM STDIN", io.StringIO(data))
            raise AssertionError("a duplicate key was loaded")
        except psycopg2.errors.UniqueViolation as e:
            assert "rolled back on every shard" in str(e), e
        try:
            cur.copy_expert("COPY sg_copy (id, v, n) FROM STDIN",
                            io.StringIO("50001\ta\t0\n\\N\tnull key\t0\n50002\tb\t0\n"))
            raise AssertionError("a NULL key was loaded")
        except psycopg2.Error as e:
            assert "NULL" in str(e), e

        class Failing(io.StringIO):
            calls = 0

            def read(self, size=-1):
                Failing.calls += 1
                if Failing.calls > 3:
                    raise RuntimeError("the client gives up")
                return "".join(f"{i}\tf\t0\n" for i in range(60000 + 100 * Failing.calls,
                                                            60100 + 100 * Failing.calls))

        try:
            cur.copy_expert("COPY sg_copy (id, v, n) FROM STDIN", Failing(), size=1024)
            raise AssertionError("the failed COPY was accepted")
        except (psycopg2.Error, RuntimeError) as e:
            assert "gives up" in str(e), e
        check(stored(), expected)
        cur.execute("SELECT 1")  # the session goes on
        assert cur.fetchone() == (1,)
        assert tt.prepared("pg") == []

        # inside a transaction: rolled back with it, committed with it (two-phase)
        conn.autocommit = False
        cur.copy_expert("COPY sg_copy (id, v, n) FROM STDIN",
                        io.StringIO("".join(f"{i}\tt\t0\n" for i in range(70001, 70101))))
        conn.rollback()
        check(stored(), expected)
        cur.execute("UPDATE sg_copy SET n = 99 WHERE id IN (1, 2)")
        cur.copy_expert("COPY sg_copy (id, v, n) FROM STDIN",
                        io.StringIO("".join(f"{i}\tt\t0\n" for i in range(70001, 70101))))
        conn.commit()
        expected.update({i: ("t", 0) for i in range(70001, 70101)})
        expected[1] = (expected[1][0], 99)
        expected[2] = (expected[2][0], 99)
        conn.autocommit = True
        check(stored(), expected)

        # COPY ... TO STDOUT of every shard: all rows once, a CSV header once
        buf = io.StringIO()
        cur.copy_expert("COPY sg_copy (id, n) TO STDOUT WITH (FORMAT csv, HEADER)", buf)
        lines = buf.getvalue().splitlines()
        assert lines[0] == "id,n" and lines.count("id,n") == 1, lines[:3]
        got = {int(line.split(",")[0]): int(line.split(",")[1]) for line in lines[1:]}
        assert got == {k: n for k, (_, n) in expected.items()}
        out = psql(proxy.port, "COPY (SELECT id FROM sg_copy WHERE n = 99) TO STDOUT")
        assert out.returncode == 0 and sorted(out.stdout.split()) == ["1", "2"], out.stdout
        out = psql(proxy.port, "COPY (SELECT id FROM sg_copy ORDER BY id) TO STDOUT")
        assert out.returncode != 0 and "ORDER BY" in out.stderr, out.stderr
        out = psql(proxy.port, "COPY sg_copy FROM '/etc/passwd'")
        assert out.returncode != 0 and "STDIN" in out.stderr, out.stderr
        assert tt.prepared("pg") == []
        conn.close()


if __name__ == "__main__":
    {"pg": pg}[sys.argv[1]]()
    print("ok")
