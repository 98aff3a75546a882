#!/usr/bin/python3
"""Keys shardgate generates (a table's `id: sequence` setting, docs/global-ids.md), through real
clients: INSERTs without the key (psql, psycopg2 execute_values, node pg with parameters, the
mysql CLI, pymysql executemany, mysql2 execute()), DEFAULT in the key column, nextval() /
NEXT VALUE FOR answered by shardgate, RETURNING and MariaDB's OK-packet insert id, a transaction
rolled back, and two proxies inserting concurrently: no id twice, every row on its owner shard
only, and the counter's row on its shard. Usage: ids_test.py CASE (pg, mysql)"""
import json
import os
import subprocess
import sys
import threading

import psycopg2
import psycopg2.extras
import pymysql

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import scatter_test as st  # noqa: E402  (direct connections, the harness)
import write_test as wt  # noqa: E402  (Proxy with an admin port)

harness = st.harness
START = 5000
BLOCK = 10
PG_TABLE = "CREATE TABLE sg_ids (id bigint PRIMARY KEY, v text)"
MY_TABLE = "CREATE TABLE sg_ids (id bigint PRIMARY KEY, v text) DEFAULT CHARSET utf8mb4"


MAP = wt.map_with("ids_map",
                  "      sg_ids: {scheme: hash, key: id, key_type: bigint,\n"
                  f"               id: {{generator: sequence, block: {BLOCK}, start: {START}}}}}\n")
Proxy = wt.proxy_for(MAP)


def setup(engine):
    """sg_ids empty on every primary, and the counter forgotten (its row deleted)."""
    if engine == "pg":
        for port in st.PG_PRIMARIES.values():
            with st.pg_direct(port) as c, c.cursor() as cur:
                cur.execute("DROP TABLE IF EXISTS sg_ids")
                cur.execute(PG_TABLE)
                cur.execute("DELETE FROM shardgate.id_blocks WHERE name = 'shop.sg_ids_id_seq'"
                            if table_exists(cur, "pg") else "SELECT 1")
    else:
        for port in st.MY_PRIMARIES.values():
            with st.my_direct(port) as c, c.cursor() as cur:
                cur.execute("DROP TABLE IF EXISTS sg_ids")
                cur.execute(MY_TABLE)
                if table_exists(cur, "mysql"):
                    cur.execute("DELETE FROM shardgate.id_blocks "
                                "WHERE name = 'social.sg_ids_id_seq'")


def table_exists(cur, engine):
    if engine == "pg":
        cur.execute("SELECT to_regclass('shardgate.id_blocks') IS NOT NULL")
    else:
        cur.execute("SELECT count(*) FROM information_schema.tables "
                    "WHERE table_schema = 'shardgate' AND table_name = 'id_blocks'")
    return bool(cur.fetchone()[0])


def stored(engine):
    """id -> (shard, v) of every sg_ids row, asserting no id is on two shards."""
    out = {}
    primaries = st.PG_PRIMARIES if engine == "pg" else st.MY_PRIMARIES
    connect = st.pg_direct if engine == "pg" else st.my_direct
    for shard, port in primaries.items():
        with connect(port) as c, c.cursor() as cur:
            cur.execute("SELECT id, v FROM sg_ids")
            for key, value in cur.fetchall():
                assert key not in out, f"id {key} on {out[key][0]} and on {shard}"
                out[int(key)] = (shard, value)
    return out


def check_owners(engine, rows):
    """Every row is on the shard the map places its id on (shardctl locate)."""
    database = "shop" if engine == "pg" else "social"
    keys = sorted(rows)
    for key in keys[:: max(1, len(keys) // 40)]:
        out = subprocess.run([harness.SHARDCTL, "locate", MAP, database, "sg_ids", str(key),
                              "--json"], capture_output=True, text=True, check=True)
        owner = json.loads(out.stdout)["shard"]
        assert rows[key][0] == owner, f"id {key} is on {rows[key][0]}, its owner is {owner}"
    shards = {shard for shard, _ in rows.values()}
    assert len(shards) == 2, f"the rows did not spread over both shards: {shards}"


def counter_value(engine):
    """The counter's next value on its shard (the default shard)."""
    if engine == "pg":
        with st.pg_direct(st.PG_PRIMARIES["pg0"]) as c, c.cursor() as cur:
            cur.execute("SELECT next_value FROM shardgate.id_blocks "
                        "WHERE name = 'shop.sg_ids_id_seq'")
            return cur.fetchone()[0]
    with st.my_direct(st.MY_PRIMARIES["my0"]) as c, c.cursor() as cur:
        cur.execute("SELECT next_value FROM shardgate.id_blocks "
                    "WHERE name = 'social.sg_ids_id_seq'")
        return cur.fetchone()[0]


def run_node(engine, port, n):
    out = subprocess.run(["node", os.path.join(HERE, "ids_driver.js"), engine, str(port), str(n)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr[-2000:]
    return json.loads(out.stdout)


def concurrent(engine, proxies, threads_per_proxy=2, rows_per_thread=60):
    """Single-row INSERTs without the key from several clients of two proxies at once: the ids
    they got back."""
    got = []
    errors = []
    lock = threading.Lock()

    def client(proxy, index):
        try:
            mine = []
            if engine == "pg":
                conn = proxy.connect()
                conn.autocommit = True
                cur = conn.cursor()
                for i in range(rows_per_thread):
                    cur.execute("INSERT INTO sg_ids (v) VALUES (%s) RETURNING id",
                                (f"c{index} {i}",))
                    mine.append(cur.fetchone()[0])
            else:
                conn = proxy.my()
                cur = conn.cursor()
                for i in range(rows_per_thread):
                    cur.execute("INSERT INTO sg_ids (v) VALUES (%s)", (f"c{index} {i}",))
                    mine.append(cur.lastrowid)
            conn.close()
            with lock:
                got.extend(mine)
        except Exception as e:  # noqa: BLE001  (reported by the main thread)
            errors.append(repr(e))

    workers = [threading.Thread(target=client, args=(proxy, i * 10 + j))
               for i, proxy in enumerate(proxies) for j in range(threads_per_proxy)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert not errors, errors
    assert len(got) == len(proxies) * threads_per_proxy * rows_per_thread, len(got)
    return got


def pg():
    setup("pg")
    with Proxy() as proxy, Proxy() as second:
        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()
        # psql: rows without the key get the counter's ids in row order, from `start` on
        out = subprocess.run(["psql", "-X", "-A", "-t", "-h", "127.0.0.1", "-p", str(proxy.port),
                              "-U", "app", "shop", "-c",
                              "INSERT INTO sg_ids (v) VALUES ('a'), ('b'), ('c') RETURNING id"],
                             capture_output=True, text=True, timeout=30,
                             env=dict(os.environ, PGPASSWORD="app"))
        assert out.returncode == 0, out.stderr
        first = [int(x) for x in out.stdout.split()[:3]]
        assert first == [START, START + 1, START + 2], out.stdout
        # psycopg2 execute_values: 200 rows in one statement, RETURNING in row order
        ids = psycopg2.extras.execute_values(
            cur, "INSERT INTO sg_ids (v) VALUES %s RETURNING id",
            [(f"row {i}",) for i in range(200)], page_size=200, fetch=True)
        ids = [r[0] for r in ids]
        assert len(set(ids)) == 200 and ids == sorted(ids) and ids[0] > first[-1], ids[:5]
        rows = stored("pg")
        assert [rows[k][1] for k in ids] == [f"row {i}" for i in range(200)]
        # DEFAULT in the key column, next to a key given
        cur.execute("INSERT INTO sg_ids (id, v) VALUES (DEFAULT, 'dflt'), (42, 'given') "
                    "RETURNING id")
        dflt, given = [r[0] for r in cur.fetchall()]
        assert given == 42 and dflt > ids[-1], (dflt, given)
        # nextval of the counter is answered by shardgate: the next id, never one handed out
        cur.execute("SELECT nextval('sg_ids_id_seq')")
        assert cur.description[0].name == "nextval"
        nxt = cur.fetchone()[0]
        assert nxt > dflt, (nxt, dflt)
        # the counter anywhere else is refused (a shard's own sequence of that name would
        # hand out ids other proxies also hand out)
        try:
            cur.execute("INSERT INTO sg_ids (id, v) VALUES (nextval('sg_ids_id_seq'), 'x')")
            raise AssertionError("the counter was used in an INSERT")
        except psycopg2.errors.FeatureNotSupported as e:
            assert "counter" in str(e), e
        # a transaction rolled back takes its rows with it, not its ids
        conn.autocommit = False
        cur.execute("INSERT INTO sg_ids (v) VALUES ('t1'), ('t2'), ('t3'), ('t4') RETURNING id")
        rolled = [r[0] for r in cur.fetchall()]
        conn.rollback()
        assert not any(k in stored("pg") for k in rolled)
        cur.execute("INSERT INTO sg_ids (v) VALUES ('t5') RETURNING id")
        after = cur.fetchone()[0]
        conn.commit()
        assert after > max(rolled) and after in stored("pg")
        conn.autocommit = True
        # node pg: the extended protocol (parameters, DEFAULT) and a prepared nextval
        node = run_node("pg", proxy.port, 20)
        assert len(set(node["ids"])) == 22 and node["next"] > max(node["ids"]), node
        # two proxies at once: each takes blocks of its own
        got = concurrent("pg", [proxy, second])
        everything = first + ids + [dflt, after] + node["ids"] + got
        assert len(everything) == len(set(everything)), "an id was handed out twice"
        rows = stored("pg")
        assert all(k in rows for k in everything)
        assert len(rows) == len(everything) + 1  # and row 42
        check_owners("pg", rows)
        # the counter moved by whole blocks, past every id handed out
        assert counter_value("pg") > max(everything)
        assert (counter_value("pg") - START) % BLOCK == 0
        conn.close()


def mysql():
    setup("mysql")
    with Proxy() as proxy, Proxy() as second:
        conn = proxy.my()
        cur = conn.cursor()
        # pymysql: the OK packet's insert id is the first generated id, as for AUTO_INCREMENT
        assert cur.execute("INSERT INTO sg_ids (v) VALUES ('a'), ('b'), ('c')") == 3
        assert cur.lastrowid == START, cur.lastrowid
        rows = stored("mysql")
        assert {k: v for k, (_, v) in rows.items()} == {START: "a", START + 1: "b",
                                                        START + 2: "c"}, rows
        # the mysql CLI
        out = subprocess.run(["mysql", "-h", "127.0.0.1", "-P", str(proxy.mysql_port), "-u",
                              "app", "-papp", "social", "-N", "-e",
                              "INSERT INTO sg_ids (v) VALUES ('cli'); "
                              "SELECT NEXT VALUE FOR sg_ids_id_seq"],
                             capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out.stderr
        cli_next = int(out.stdout.split()[-1])
        assert cli_next == START + 4, out.stdout  # 'cli' got START + 3
        # pymysql executemany: one multi-row INSERT over both shards
        assert cur.executemany("INSERT INTO sg_ids (v) VALUES (%s)",
                               [(f"row {i}",) for i in range(200)]) == 200
        first_row = cur.lastrowid
        rows = stored("mysql")
        batch = sorted(k for k, (_, v) in rows.items() if v.startswith("row "))
        assert len(batch) == 200 and batch[0] == first_row, (batch[:3], first_row)
        assert [rows[k][1] for k in batch] == [f"row {i}" for i in range(200)]
        # DEFAULT in the key column
        cur.execute("INSERT INTO sg_ids (id, v) VALUES (DEFAULT, 'dflt')")
        dflt = cur.lastrowid
        assert dflt > batch[-1] and stored("mysql")[dflt][1] == "dflt"
        # inside a transaction, rolled back
        cur.execute("BEGIN")
        cur.execute("INSERT INTO sg_ids (v) VALUES ('t1'), ('t2'), ('t3'), ('t4')")
        rolled = cur.lastrowid
        cur.execute("ROLLBACK")
        assert not any(rolled <= k < rolled + 4 for k in stored("mysql"))
        # mysql2 execute(): COM_STMT_EXECUTE without the key, insertId per row
        node = run_node("mysql", proxy.mysql_port, 20)
        assert len(set(node["ids"])) == 20 and node["next"] > max(node["ids"]), node
        rows = stored("mysql")
        assert all(rows[k][1] == f"node {i}" for i, k in enumerate(node["ids"]))
        got = concurrent("mysql", [proxy, second])
        everything = ([START, START + 1, START + 2, START + 3] + batch + [dflt] + node["ids"] +
                      got)
        assert len(everything) == len(set(everything)), "an id was handed out twice"
        rows = stored("mysql")
        assert sorted(rows) == sorted(everything)
        check_owners("mysql", rows)
        assert counter_value("mysql") > max(everything)
        assert (counter_value("mysql") - START) % BLOCK == 0
        conn.close()


if __name__ == "__main__":
    {"pg": pg, "mysql": mysql}[sys.argv[1]]()
    print("ok")
