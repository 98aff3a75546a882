#!/usr/bin/python3
"""Live map reloads in one proxy under load: pgbench (simple and prepared, transactions),
sysbench (prepared point selects), pymysql writers and a psycopg2 reader run while the map file
is rewritten and SIGHUP'ed, maps are POSTed to the admin API and `shardctl apply` installs one.
Checks: zero client errors and no dropped connection; each change in /status within one
second (epoch, replicas added and later dropped, a balancing policy); the added replicas get
reads; an invalid map refused with file:line:column messages; an epoch that does not move
forward and a renamed shard refused; a vertical table moved for new statements while a
transaction begun before finishes under the map it began with (rows checked on the primaries).
Usage: map_reload_test.py reload"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

import pymysql

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import scatter_test as st  # noqa: E402  (direct connections, the harness)
import write_test as wt  # noqa: E402  (maps and proxies)

harness = st.harness
TABLES = ("      sg_reload: {scheme: hash, key: id, key_type: bigint}\n"
          "      sg_vert: {scheme: vertical, shard: %s}\n")
ROWS = 100


def map_text(epoch, vert_shard="pg0", settings="", my_vert_shard="my0"):
    """The test map at `epoch`: sg_reload hashed, sg_vert on `vert_shard` in shop and on
    `my_vert_shard` in social, `settings` added to every database."""
    base = wt.map_with("reload_base", TABLES % "VERT", settings=settings)
    with open(base) as f:
        text = f.read()
    text = re.sub(r"(?m)^epoch: \d+$", f"epoch: {epoch}", text)
    text = text.replace("sg_vert: {scheme: vertical, shard: VERT}",
                        f"sg_vert: {{scheme: vertical, shard: {vert_shard}}}", 1)
    return text.replace("sg_vert: {scheme: vertical, shard: VERT}",
                        f"sg_vert: {{scheme: vertical, shard: {my_vert_shard}}}")


def without_replicas(text):
    """`text` with the first shard of each database (pg0, my0) listed without its replica."""
    return (text.replace("replicas: [127.0.0.1:15433]", "replicas: []", 1)
            .replace("replicas: [127.0.0.1:13307]", "replicas: []", 1))


def with_balance(text, policy):
    """`text` with shop's read balancing policy set to `policy`."""
    old = "read_routing: {read_your_writes: proxy}"
    assert old in text
    return text.replace(old, "read_routing: {read_your_writes: proxy, balance: %s}" % policy, 1)


def backend(port, endpoint):
    """The /status entry of the backend at `endpoint`, or None."""
    for entry in st.admin_status(port)["backends"]:
        if entry["endpoint"] == endpoint:
            return entry
    return None


def within(seconds, check):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def sysbench(port, seconds, command):
    return subprocess.Popen(
        ["sysbench", "oltp_point_select", "--db-driver=mysql", "--mysql-host=127.0.0.1",
         f"--mysql-port={port}", "--mysql-user=app", "--mysql-password=app", "--mysql-db=social",
         "--tables=1", "--table-size=500", "--threads=2", f"--time={seconds}",
         "--db-ps-mode=auto", command],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


admin = harness.admin  # (other tests call it as map_reload_test.admin)


def epoch_within(port, epoch, seconds=1.0):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if st.admin_status(port)["map_epoch"] == epoch:
            return True
        time.sleep(0.05)
    return st.admin_status(port)["map_epoch"] == epoch


def setup():
    for port in st.PG_PRIMARIES.values():
        with st.pg_direct(port) as c, c.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_reload")
            cur.execute("DROP TABLE IF EXISTS sg_vert")
            cur.execute("CREATE TABLE sg_reload (id bigint PRIMARY KEY, n int NOT NULL)")
            cur.execute("CREATE TABLE sg_vert (id int PRIMARY KEY)")
    for port in st.MY_PRIMARIES.values():
        with st.my_direct(port) as c, c.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_reload")
            cur.execute("CREATE TABLE sg_reload (id bigint PRIMARY KEY, n int NOT NULL)")


def pgbench(port, mode, seconds, script):
    return subprocess.Popen(["pgbench", "-n", "-h", "127.0.0.1", "-p", str(port), "-U", "app",
                             "-c", "4", "-j", "2", "-T", str(seconds), "-M", mode, "-f", script,
                             "shop"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=dict(os.environ, PGPASSWORD="app"))


def reload():
    setup()
    folder = tempfile.mkdtemp(prefix="sg_reload_")
    path = os.path.join(folder, "map.yaml")
    with open(path, "w") as f:
        f.write(without_replicas(map_text(1)))
    with wt.proxy_for(path)() as proxy:
        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()
        for i in range(1, ROWS + 1):
            cur.execute("INSERT INTO sg_reload (id, n) VALUES (%s, 0)", (i,))
        my = proxy.my()
        my.cursor().executemany("INSERT INTO sg_reload (id, n) VALUES (%s, 0)",
                                [(i,) for i in range(1, ROWS + 1)])
        script = os.path.join(folder, "txn.sql")
        with open(script, "w") as f:
            f.write(f"\\set id random(1, {ROWS})\nBEGIN;\n"
                    "UPDATE sg_reload SET n = n + 1 WHERE id = :id;\n"
                    "SELECT n FROM sg_reload WHERE id = :id;\nEND;\n")
        sysbench(proxy.mysql_port, 1, "cleanup").communicate(timeout=60)
        out = sysbench(proxy.mysql_port, 1, "prepare").communicate(timeout=120)[0]
        assert "Inserting 500 records" in out, out
        seconds = 14
        simple = pgbench(proxy.port, "simple", seconds, script)
        prepared = pgbench(proxy.port, "prepared", seconds, script)
        bench = sysbench(proxy.mysql_port, seconds, "run")
        stop = threading.Event()
        pg_errors = []
        pg_done = [0]

        def pg_reader():
            c = proxy.connect()
            c.autocommit = True
            k = 0
            while not stop.is_set():
                k = k % ROWS + 1
                try:
                    c.cursor().execute("SELECT n FROM sg_reload WHERE id = %s", (k,))
                    pg_done[0] += 1
                except Exception as e:  # noqa: BLE001 (any error fails the test)
                    pg_errors.append(repr(e))
                time.sleep(0.002)
            c.close()

        my_errors = []
        my_done = [0]

        def my_client():
            c = proxy.my()
            k = 0
            while not stop.is_set():
                k = k % ROWS + 1
                try:
                    c.begin()
                    c.cursor().execute("UPDATE sg_reload SET n = n + 1 WHERE id = %s", (k,))
                    c.commit()
                    c.cursor().execute("SELECT n FROM sg_reload WHERE id = %s", (k,))
                    my_done[0] += 1
                except pymysql.err.MySQLError as e:
                    my_errors.append(repr(e))
            c.close()

        my_threads = [threading.Thread(target=my_client, daemon=True) for _ in range(2)]
        my_threads.append(threading.Thread(target=pg_reader, daemon=True))
        for t in my_threads:
            t.start()
        time.sleep(1)

        # 1. the file rewritten, SIGHUP
        with open(path, "w") as f:
            f.write(without_replicas(map_text(2, settings="    shard_key_updates: move\n")))
        proxy.process.send_signal(signal.SIGHUP)
        assert epoch_within(proxy.admin_port, 2), st.admin_status(proxy.admin_port)["map_epoch"]
        # 2. POST /map with a new epoch: the replicas of pg0 and my0 join, shop balances by
        # least connections; both visible in /status within one second, then the new
        # replicas serve reads
        assert backend(proxy.admin_port, "127.0.0.1:15433") is None
        status, body = admin(proxy.admin_port, "POST", "/map",
                             with_balance(map_text(3), "least_connections"))
        assert status == 200 and json.loads(body)["epoch"] == 3, (status, body)
        assert epoch_within(proxy.admin_port, 3)
        assert within(1.0, lambda: backend(proxy.admin_port, "127.0.0.1:15433") is not None and
                      backend(proxy.admin_port, "127.0.0.1:13307") is not None)
        assert backend(proxy.admin_port, "127.0.0.1:15432")["balance"] == "least_connections"
        assert backend(proxy.admin_port, "127.0.0.1:13306")["balance"] == "round_robin"
        assert within(8.0, lambda: backend(proxy.admin_port, "127.0.0.1:15433")["reads"] > 0 and
                      backend(proxy.admin_port, "127.0.0.1:13307")["reads"] > 0), \
            (backend(proxy.admin_port, "127.0.0.1:15433"),
             backend(proxy.admin_port, "127.0.0.1:13307"))
        # 3. an invalid map: refused with line:column, the running map stays
        bad = map_text(4).replace("scheme: hash, key: id", "scheme: hashh, key: id", 1)
        status, body = admin(proxy.admin_port, "POST", "/map", bad)
        problems = json.loads(body)["problems"]
        assert status == 400 and any(re.match(r"POST /map:\d+:\d+: unknown scheme 'hashh'", p)
                                     for p in problems), (status, body)
        # 4. an epoch that does not move forward; a changed server
        status, body = admin(proxy.admin_port, "POST", "/map", map_text(3))
        assert status == 409 and "epochs only move forward" in body, (status, body)
        status, body = admin(proxy.admin_port, "POST", "/map", map_text(4).replace("pg1", "pg9"))
        assert status == 409 and "shard pg1 becomes pg9" in body and "restart" in body, \
            (status, body)
        assert st.admin_status(proxy.admin_port)["map_epoch"] == 3
        status, body = admin(proxy.admin_port, "GET", "/map")
        assert status == 200 and "epoch: 3" in body, (status, body[:200])

        # 5. a vertical table moves (empty): a transaction begun before finishes under its map
        txn = proxy.connect()
        tcur = txn.cursor()
        tcur.execute("INSERT INTO sg_vert (id) VALUES (1)")  # BEGIN implied: on pg0
        status, body = admin(proxy.admin_port, "POST", "/map", map_text(4, vert_shard="pg1"))
        assert status == 200, (status, body)
        tcur.execute("INSERT INTO sg_vert (id) VALUES (2)")  # still pg0: the old map
        txn.commit()
        tcur.execute("INSERT INTO sg_vert (id) VALUES (3)")  # a new transaction: pg1
        txn.commit()
        cur.execute("INSERT INTO sg_vert (id) VALUES (4)")  # pg1
        txn.close()
        with st.pg_direct(st.PG_PRIMARIES["pg0"]) as c, c.cursor() as direct:
            direct.execute("SELECT id FROM sg_vert ORDER BY id")
            on_pg0 = [r[0] for r in direct.fetchall()]
        with st.pg_direct(st.PG_PRIMARIES["pg1"]) as c, c.cursor() as direct:
            direct.execute("SELECT id FROM sg_vert ORDER BY id")
            on_pg1 = [r[0] for r in direct.fetchall()]
        assert (on_pg0, on_pg1) == ([1, 2], [3, 4]), (on_pg0, on_pg1)

        # 6. shardctl apply: --dry-run shows, then installs
        nxt = os.path.join(folder, "next.yaml")
        with open(nxt, "w") as f:
            f.write(map_text(5, vert_shard="pg1", settings="    cross_shard_transactions: two_phase\n"))
        url = f"http://127.0.0.1:{proxy.admin_port}"
        env = dict(os.environ, SHARDGATE_ADMIN_TOKEN="sg-test")
        out = subprocess.run([harness.SHARDCTL, "apply", nxt, "--admin", url, "--dry-run"],
                             capture_output=True, text=True, env=env)
        assert out.returncode == 0 and "running epoch 4" in out.stdout, out.stdout + out.stderr
        assert st.admin_status(proxy.admin_port)["map_epoch"] == 4
        out = subprocess.run([harness.SHARDCTL, "apply", nxt, "--admin", url],
                             capture_output=True, text=True, env=env)
        assert out.returncode == 0 and "installed: epoch 5" in out.stdout, out.stdout + out.stderr
        assert epoch_within(proxy.admin_port, 5)
        out = subprocess.run([harness.SHARDCTL, "apply", nxt, "--admin", url],
                             capture_output=True, text=True, env=env)
        assert out.returncode == 1 and "epochs only move forward" in out.stderr, out.stderr

        # 7. pg0's replica leaves the map: gone from /status within one second, reads go on
        status, body = admin(proxy.admin_port, "POST", "/map",
                             without_replicas(map_text(6, vert_shard="pg1")))
        assert status == 200, (status, body)
        assert within(1.0, lambda: backend(proxy.admin_port, "127.0.0.1:15433") is None)
        reads_before = pg_done[0]
        assert within(3.0, lambda: pg_done[0] > reads_before + 20), pg_done

        # the load saw no error, and every update counted
        results = [simple.communicate(timeout=60)[0], prepared.communicate(timeout=60)[0]]
        bench_out = bench.communicate(timeout=60)[0]
        stop.set()
        for t in my_threads:
            t.join(30)
        for out, p in zip(results, (simple, prepared)):
            assert p.returncode == 0, out
            assert "number of failed transactions: 0" in out, out
            done = int(re.search(r"number of transactions actually processed: (\d+)",
                                 out).group(1))
            assert done > 50, out
        assert not my_errors and my_done[0] > 50, (my_errors[:3], my_done)
        assert not pg_errors and pg_done[0] > 50, (pg_errors[:3], pg_done)
        assert bench.returncode == 0, bench_out
        for field in ("ignored errors", "reconnects"):
            found = re.search(field + r":\s+(\d+)", bench_out)
            assert found and found.group(1) == "0", bench_out
        queries = int(re.search(r"queries:\s+(\d+)", bench_out).group(1))
        assert queries > 100, bench_out
        print(f"  pgbench simple/prepared, sysbench, pymysql and psycopg2 through 6 reloads: "
              f"{[r.splitlines()[-1] for r in results]}, sysbench {queries} queries, mysql "
              f"{my_done[0]} transactions, {pg_done[0]} pg reads, 0 errors")
        sysbench(proxy.mysql_port, 1, "cleanup").communicate(timeout=60)
        my.close()
        conn.close()


if __name__ == "__main__":
    {"reload": reload}[sys.argv[1]]()
    print("ok")
