#!/usr/bin/python3
"""Two proxies sharing one map through the topology's etcd (map_store: etcd): the first seeds
etcd from its map file, the second runs etcd's map (not its own file); a map written with
`shardctl apply --etcd`, or POSTed to one proxy's admin API, runs on both within one second
while a client writes through them (zero errors; rows checked on the primaries); an invalid map
is refused and changes nothing; `shardctl proxies` lists both, and a proxy killed -9 leaves the
list within its lease's TTL, one stopped cleanly at once; a malformed cutover document in etcd
is skipped without stopping the leases' renewal. The cutover barrier (`shardctl cutover`): under writes through both proxies, writes to the
scope pause, both switch, writes resume with no client error (the longest stall is reported);
a proxy that does not acknowledge (SIGSTOP) makes the barrier roll back and the other goes on
under the old epoch. cutover_load: the barrier under 200 writers of the moving table.
fencing: etcd killed mid-cutover. cutover_mysql: the barrier under mysql2 and pymysql writers.
Usage: etcd_test.py two_proxies|cutover|cutover_load|fencing|cutover_mysql"""
import base64
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid

import psycopg2

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import map_reload_test as mr  # noqa: E402  (map texts, admin calls)
import scatter_test as st  # noqa: E402  (direct connections, the harness)
import write_test as wt  # noqa: E402  (maps and proxies)

harness = st.harness


def etcd_endpoint():
    with open(os.environ["SHARDGATE_TOPOLOGY"]) as f:
        return json.load(f)["etcd"]["endpoint"]


def shardctl(*args):
    return subprocess.run([harness.SHARDCTL, *args], capture_output=True, text=True, timeout=30)


def proxies(endpoint, prefix):
    out = shardctl("proxies", "--etcd", endpoint, "--prefix", prefix, "--json")
    assert out.returncode == 0, out.stderr
    return {p["id"]: p for p in json.loads(out.stdout)}


def on_pg(shard):
    with st.pg_direct(st.PG_PRIMARIES[shard]) as c, c.cursor() as cur:
        cur.execute("SELECT id FROM sg_vert ORDER BY id")
        return [r[0] for r in cur.fetchall()]


def two_proxies():
    mr.setup()
    endpoint = etcd_endpoint()
    prefix = f"/sg-test-{uuid.uuid4().hex[:8]}"
    folder = tempfile.mkdtemp(prefix="sg_etcd_")
    a_map, b_map = os.path.join(folder, "a.yaml"), os.path.join(folder, "b.yaml")
    with open(a_map, "w") as f:
        f.write(mr.map_text(1, vert_shard="pg0"))
    with open(b_map, "w") as f:  # never used: etcd has a map by the time b starts
        f.write(mr.map_text(1, vert_shard="pg1"))
    shared = (f"map_store: etcd\netcd_endpoints: {endpoint}\netcd_prefix: {prefix}\n"
              "etcd_lease_ttl_s: 2\n")
    a = wt.proxy_for(a_map)(extra_config=shared + "proxy_id: sg-etcd-a\n")
    b = wt.proxy_for(b_map)(extra_config=shared + "proxy_id: sg-etcd-b\n")
    try:
        # a proxy registers in etcd as its listeners open, not before: wait for both
        deadline = time.time() + 5
        listed = proxies(endpoint, prefix)
        while len(listed) < 2 and time.time() < deadline:
            time.sleep(0.1)
            listed = proxies(endpoint, prefix)
        assert set(listed) == {"sg-etcd-a", "sg-etcd-b"}, listed
        assert all(p["epoch"] == 1 for p in listed.values()), listed
        assert listed["sg-etcd-a"]["postgres"] == f"127.0.0.1:{a.port}", listed
        # b runs etcd's map (sg_vert on pg0), not its own file's (pg1)
        for proxy, key in ((a, 1), (b, 2)):
            c = proxy.connect()
            c.autocommit = True
            c.cursor().execute("INSERT INTO sg_vert (id) VALUES (%s)", (key,))
            c.close()
        assert (on_pg("pg0"), on_pg("pg1")) == ([1, 2], []), (on_pg("pg0"), on_pg("pg1"))

        # a client writing through both proxies all along
        stop = threading.Event()
        errors, done = [], [0]

        def writer():
            conns = [a.connect(), b.connect()]
            for c in conns:
                c.autocommit = True
            k = 0
            while not stop.is_set():
                k += 1
                try:
                    conns[k % 2].cursor().execute(
                        "UPDATE sg_reload SET n = n + 1 WHERE id = %s", (k % 50 + 1,))
                    done[0] += 1
                except Exception as e:  # noqa: BLE001  (reported below)
                    errors.append(repr(e))
            for c in conns:
                c.close()

        c = a.connect()
        c.autocommit = True
        for i in range(1, 51):
            c.cursor().execute("INSERT INTO sg_reload (id, n) VALUES (%s, 0)", (i,))
        c.close()
        thread = threading.Thread(target=writer)
        thread.start()
        # shardctl apply --etcd: both proxies run epoch 2 within a second
        nxt = os.path.join(folder, "next.yaml")
        with open(nxt, "w") as f:
            f.write(mr.map_text(2, vert_shard="pg1"))
        out = shardctl("apply", nxt, "--etcd", endpoint, "--prefix", prefix)
        assert out.returncode == 0 and "installed: epoch 2" in out.stdout, out.stdout + out.stderr
        started = time.time()
        assert mr.epoch_within(a.admin_port, 2) and mr.epoch_within(b.admin_port, 2)
        took = time.time() - started
        assert took <= 1.0, took
        for proxy, key in ((a, 3), (b, 4)):
            c = proxy.connect()
            c.autocommit = True
            c.cursor().execute("INSERT INTO sg_vert (id) VALUES (%s)", (key,))
            c.close()
        assert (on_pg("pg0"), on_pg("pg1")) == ([1, 2], [3, 4])
        # POST /map to one proxy: the other takes it from etcd
        status, body = mr.admin(a.admin_port, "POST", "/map", mr.map_text(3, vert_shard="pg1"))
        assert status == 200, (status, body)
        assert mr.epoch_within(b.admin_port, 3), st.admin_status(b.admin_port)["map_epoch"]
        # an invalid map: refused, nothing changes
        bad = os.path.join(folder, "bad.yaml")
        with open(bad, "w") as f:
            f.write(mr.map_text(4).replace("scheme: hash, key: id", "scheme: hashh, key: id", 1))
        out = shardctl("apply", bad, "--etcd", endpoint, "--prefix", prefix)
        assert out.returncode == 2 and re.search(r"bad\.yaml:\d+:\d+: unknown scheme", out.stderr), \
            out.stderr
        time.sleep(0.6)
        assert st.admin_status(a.admin_port)["map_epoch"] == 3
        assert st.admin_status(b.admin_port)["map_epoch"] == 3
        assert all(p["epoch"] == 3 for p in proxies(endpoint, prefix).values())
        stop.set()
        thread.join(30)
        assert not errors and done[0] > 20, (errors[:3], done)

        # a cutover document with a field of the wrong type (written by hand): skipped and
        # logged, while the leases are renewed (both stay listed past the 2 s TTL) and maps
        # still reach both
        etcd_put(endpoint, f"{prefix}/cutover",
                 json.dumps({"id": "hand", "phase": "pause", "database": 5}))
        time.sleep(3)
        status, body = mr.admin(b.admin_port, "GET", "/pause")
        assert status == 200 and json.loads(body)["pauses"]["active"] == [], body
        assert set(proxies(endpoint, prefix)) == {"sg-etcd-a", "sg-etcd-b"}
        status, body = mr.admin(a.admin_port, "POST", "/map", mr.map_text(4, vert_shard="pg1"))
        assert status == 200, (status, body)
        assert mr.epoch_within(b.admin_port, 4), st.admin_status(b.admin_port)["map_epoch"]
        assert "ignoring a malformed cutover document" in b.output(), b.output()[-2000:]
        etcd_put(endpoint, f"{prefix}/cutover", "{}")
        # b killed -9: gone from the list within the lease's TTL (2 s)
        b.process.send_signal(signal.SIGKILL)
        b.process.wait()
        killed = time.time()
        while "sg-etcd-b" in proxies(endpoint, prefix) and time.time() - killed < 6:
            time.sleep(0.2)
        gone_after = time.time() - killed
        assert "sg-etcd-b" not in proxies(endpoint, prefix) and gone_after <= 4.0, gone_after
        # a stopped cleanly: gone at once
        a.stop()
        assert proxies(endpoint, prefix) == {}, proxies(endpoint, prefix)
        print(f"  two proxies, one etcd: epoch 2 on both in {took:.2f}s; {done[0]} writes, "
              f"0 errors; a proxy killed -9 left the list after {gone_after:.1f}s")
    finally:
        for proxy in (a, b):
            proxy.stop()


def cutover():
    mr.setup()
    endpoint = etcd_endpoint()
    prefix = f"/sg-test-{uuid.uuid4().hex[:8]}"
    folder = tempfile.mkdtemp(prefix="sg_cutover_")
    first = os.path.join(folder, "map.yaml")
    with open(first, "w") as f:
        f.write(mr.map_text(1))
    shared = (f"map_store: etcd\netcd_endpoints: {endpoint}\netcd_prefix: {prefix}\n"
              "etcd_lease_ttl_s: 2\n")
    a = wt.proxy_for(first)(extra_config=shared + "proxy_id: sg-cut-a\n")
    b = wt.proxy_for(first)(extra_config=shared + "proxy_id: sg-cut-b\n")
    try:
        deadline = time.time() + 3
        while len(proxies(endpoint, prefix)) < 2 and time.time() < deadline:
            time.sleep(0.05)
        c = a.connect()
        c.autocommit = True
        for i in range(1, 51):
            c.cursor().execute("INSERT INTO sg_reload (id, n) VALUES (%s, 0)", (i,))
        c.close()
        stop = threading.Event()
        errors, latencies = [], []

        def writer(proxy, offset):
            conn = proxy.connect()
            conn.autocommit = True
            k = offset
            while not stop.is_set():
                k += 1
                started = time.time()
                try:
                    conn.cursor().execute("UPDATE sg_reload SET n = n + 1 WHERE id = %s",
                                          (k % 50 + 1,))
                    latencies.append((started, time.time() - started))
                except Exception as e:  # noqa: BLE001  (asserted empty)
                    errors.append(repr(e))
            conn.close()

        threads = [threading.Thread(target=writer, args=(p, i * 7))
                   for i, p in enumerate((a, b, a, b))]
        for t in threads:
            t.start()
        time.sleep(0.5)
        nxt = os.path.join(folder, "next.yaml")
        with open(nxt, "w") as f:
            f.write(mr.map_text(2, vert_shard="pg1"))
        began = time.time()
        out = shardctl("cutover", nxt, "--etcd", endpoint, "--prefix", prefix, "--database",
                       "shop", "--table", "sg_reload", "--deadline-ms", "3000")
        ended = time.time()
        assert out.returncode == 0, out.stdout + out.stderr
        assert st.admin_status(a.admin_port)["map_epoch"] == 2
        assert st.admin_status(b.admin_port)["map_epoch"] == 2
        time.sleep(0.5)
        stop.set()
        for t in threads:
            t.join(30)
        assert not errors, errors[:3]
        stall = max(lat for at, lat in latencies if began - 1 <= at <= ended)
        after = sum(1 for at, _ in latencies if at > ended)
        assert after > 10, after
        print(f"  cutover: {out.stdout.strip().splitlines()[-1]}; longest client-visible write "
              f"stall {stall * 1000:.0f} ms, {len(latencies)} writes, 0 errors")

        # b does not acknowledge (stopped): the barrier rolls back, a goes on under epoch 2
        b.process.send_signal(signal.SIGSTOP)
        third = os.path.join(folder, "third.yaml")
        with open(third, "w") as f:
            f.write(mr.map_text(3, vert_shard="pg0"))
        out = shardctl("cutover", third, "--etcd", endpoint, "--prefix", prefix, "--database",
                       "shop", "--deadline-ms", "800")
        assert out.returncode == 1 and "rolled back" in out.stderr, out.stdout + out.stderr
        c = a.connect()
        c.autocommit = True
        quick = time.time()
        c.cursor().execute("UPDATE sg_reload SET n = n + 1 WHERE id = 1")
        assert time.time() - quick < 0.5  # a resumed
        c.close()
        assert st.admin_status(a.admin_port)["map_epoch"] == 2
        b.process.send_signal(signal.SIGCONT)
        time.sleep(0.5)
        assert st.admin_status(b.admin_port)["map_epoch"] == 2
        print("  cutover with a stopped proxy: rolled back, epoch 2 goes on")
    finally:
        b.process.send_signal(signal.SIGCONT)
        for proxy in (a, b):
            proxy.stop()


def etcd_call(endpoint, verb, body):
    """One call of etcd's JSON gateway (keys and values base64)."""
    request = urllib.request.Request(f"http://{endpoint}/v3/kv/{verb}",
                                     data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def b64(text):
    return base64.b64encode(text.encode()).decode()


def etcd_put(endpoint, key, value):
    etcd_call(endpoint, "put", {"key": b64(key), "value": b64(value)})


def etcd_list(endpoint, prefix):
    """{key: value} of every key under `prefix`."""
    end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    doc = etcd_call(endpoint, "range", {"key": b64(prefix), "range_end": b64(end)})
    return {base64.b64decode(kv["key"]).decode(): base64.b64decode(kv.get("value", "")).decode()
            for kv in doc.get("kvs", [])}


def vert_table():
    """sg_vert on both PostgreSQL shards without a key, each row stamped by its server's
    clock when written."""
    for port in st.PG_PRIMARIES.values():
        with st.pg_direct(port) as c, c.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_vert")
            cur.execute("CREATE TABLE sg_vert (id int NOT NULL, "
                        "at timestamptz NOT NULL DEFAULT clock_timestamp())")


def vert_rows(shard, where="true"):
    with st.pg_direct(st.PG_PRIMARIES[shard]) as c, c.cursor() as cur:
        cur.execute(f"SELECT count(*), min(at), max(at) FROM sg_vert WHERE {where}")
        return cur.fetchone()


def two_etcd_proxies(prefix, folder, tag, text=None, extra=""):
    first = os.path.join(folder, "map.yaml")
    with open(first, "w") as f:
        f.write(text or mr.map_text(1))  # sg_vert on pg0
    shared = (f"map_store: etcd\netcd_endpoints: {etcd_endpoint()}\netcd_prefix: {prefix}\n"
              "etcd_lease_ttl_s: 2\n" + extra)
    a = wt.proxy_for(first)(extra_config=shared + f"proxy_id: sg-{tag}-a\n")
    b = wt.proxy_for(first)(extra_config=shared + f"proxy_id: sg-{tag}-b\n")
    deadline = time.time() + 3
    while len(proxies(etcd_endpoint(), prefix)) < 2 and time.time() < deadline:
        time.sleep(0.05)
    return a, b


def pgbench_writers(proxy, mode, clients, seconds, log_prefix, script):
    return subprocess.Popen(
        ["pgbench", "-n", "-h", "127.0.0.1", "-p", str(proxy.port), "-U", "app", "-c",
         str(clients), "-j", "2", "-T", str(seconds), "-M", mode, "-f", script, "--log",
         f"--log-prefix={log_prefix}", "shop"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=dict(os.environ, PGPASSWORD="app"))


def logged_transactions(log_prefix):
    """(started, latency) in seconds of every transaction pgbench logged under `log_prefix`."""
    folder, stem = os.path.split(log_prefix)
    found = []
    for name in os.listdir(folder):
        if name.startswith(stem + "."):
            with open(os.path.join(folder, name)) as f:
                for line in f:
                    fields = line.split()
                    latency = int(fields[2]) / 1e6
                    done = int(fields[4]) + int(fields[5]) / 1e6
                    found.append((done - latency, latency))
    return found


def cutover_load():
    """The cutover barrier under 200 writers (pgbench, 100 clients on each proxy, simple and
    prepared) inserting into the table that moves: no client error, every write on exactly one
    shard, and none on the old shard after the first on the new one (server clocks)."""
    mr.setup()
    vert_table()
    prefix = f"/sg-test-{uuid.uuid4().hex[:8]}"
    folder = tempfile.mkdtemp(prefix="sg_cutload_")
    # A backend login of the pools' ramp (80 connections to pg0, while the first ones already
    # insert) took over 3 s in a full test run: 10 s here, as the cutover is under test, not
    # the ramp (proxy_pg_connect_burst covers that)
    a, b = two_etcd_proxies(prefix, folder, "load", extra="connect_timeout_ms: 10000\n")
    try:
        script = os.path.join(folder, "insert.sql")
        with open(script, "w") as f:
            f.write("INSERT INTO sg_vert (id) VALUES (:client_id);\n")
        benches = [pgbench_writers(a, "simple", 100, 9, os.path.join(folder, "a"), script),
                   pgbench_writers(b, "prepared", 100, 9, os.path.join(folder, "b"), script)]
        time.sleep(2)
        # The cutover under a steady load: once the proxies' pools stopped opening connections
        # (a busy machine takes a while to log 80 of them in), at most 5 s.
        settle = time.time() + 3
        last = None
        while time.time() < settle:
            now = [st.admin_status(p.admin_port)["counters"]["pg.backend_connects"]
                   for p in (a, b)]
            if now == last:
                break
            last = now
            time.sleep(0.5)
        nxt = os.path.join(folder, "next.yaml")
        with open(nxt, "w") as f:
            f.write(mr.map_text(2, vert_shard="pg1"))
        began = time.time()
        out = shardctl("cutover", nxt, "--etcd", etcd_endpoint(), "--prefix", prefix,
                       "--database", "shop", "--table", "sg_vert", "--deadline-ms", "3000",
                       # The drain is a bound, not a wait: the pause is acknowledged as soon as
                       # the inserts admitted before it are answered. 200 clients in flight take
                       # 200 / throughput to drain (over 200 ms below 1,000 inserts/s).
                       "--drain-ms", "1500")
        ended = time.time()
        outputs = [p.communicate(timeout=60)[0] for p in benches]
        assert out.returncode == 0, out.stdout + out.stderr
        processed = 0
        for text in outputs:
            # (pgbench ends a client at its first error: "aborted", not counted as failed)
            assert "number of failed transactions: 0" in text and "aborted" not in text, text
            processed += int(re.search(r"actually processed: (\d+)", text).group(1))
        on_old, _, old_last = vert_rows("pg0")
        on_new, new_first, _ = vert_rows("pg1")
        assert on_old > 0 and on_new > 0, (on_old, on_new)
        # None lost: every counted insert is there. pgbench -T ends without waiting for the
        # transactions in flight (it closes their connections), so up to one per client may
        # have committed on the server without being counted.
        assert processed <= on_old + on_new <= processed + 200, (on_old, on_new, processed)
        assert old_last < new_first, (old_last, new_first)
        logged = logged_transactions(os.path.join(folder, "a")) + \
            logged_transactions(os.path.join(folder, "b"))
        assert len(logged) == processed, (len(logged), processed)
        during = [lat for start, lat in logged if start <= ended and start + lat >= began]
        # the same length of time before the cutover, once every client is connected
        quiet = [lat for start, lat in logged
                 if began - 1.0 - (ended - began) <= start and start + lat < began - 1.0]
        waits = [st.admin_status(p.admin_port)["pauses"]["longest_wait_ms"] for p in (a, b)]
        print(f"  cutover under 200 writers: {out.stdout.strip().splitlines()[-1]}; "
              f"longest wait at the proxies {max(waits):.0f} ms; "
              f"{processed} inserts ({on_old} on pg0 before, {on_new} on pg1 after), 0 errors; "
              f"longest client-visible insert during the cutover {max(during) * 1000:.0f} ms "
              f"({len(during)} inserts), in as long a time before it {max(quiet) * 1000:.0f} ms "
              f"({len(quiet)} inserts)")
    finally:
        for proxy in (a, b):
            proxy.stop()


def fencing():
    """etcd killed -9 in the middle of a cutover (both proxies paused sg_vert for epoch 2):
    writes to sg_vert wait the barrier's deadline and fail (40001), written nowhere; writes
    elsewhere and reads go on. etcd back: still paused until the outcome; the outcome (epoch 2,
    resume) sends new writes to pg1."""
    mr.setup()
    vert_table()
    endpoint = etcd_endpoint()
    prefix = f"/sg-test-{uuid.uuid4().hex[:8]}"
    folder = tempfile.mkdtemp(prefix="sg_fence_")
    a, b = two_etcd_proxies(prefix, folder, "fence")
    etcd_killed = False
    try:
        c = a.connect()
        c.autocommit = True
        c.cursor().execute("INSERT INTO sg_reload (id, n) VALUES (1, 0)")
        c.close()
        barrier = {"id": "fence1", "phase": "pause", "database": "shop", "table": "sg_vert",
                   "epoch": 2, "drain_ms": 100, "deadline_ms": 1500}
        etcd_put(endpoint, prefix + "/cutover", json.dumps(barrier))
        deadline = time.time() + 3
        acks = {}
        while time.time() < deadline:
            acks = etcd_list(endpoint, prefix + "/cutover/fence1/acks/")
            if sorted(acks.values()) == ["paused", "paused"]:
                break
            time.sleep(0.05)
        assert sorted(acks.values()) == ["paused", "paused"], acks
        with open(os.environ["SHARDGATE_TOPOLOGY"]) as f:
            etcd_pid = json.load(f)["etcd"]["pid"]
        os.kill(etcd_pid, signal.SIGKILL)
        etcd_killed = True
        for proxy in (a, b):
            conn = proxy.connect()
            conn.autocommit = True
            cur = conn.cursor()
            started = time.time()
            try:
                cur.execute("INSERT INTO sg_vert (id) VALUES (-1)")
                raise AssertionError("a write in the fenced scope went through")
            except psycopg2.Error as e:
                waited = time.time() - started
                assert e.pgcode == "40001" and "not learned" in str(e), (e.pgcode, str(e))
                assert 1.4 <= waited < 5, waited
            cur.execute("UPDATE sg_reload SET n = n + 1 WHERE id = 1")  # outside the scope
            cur.execute("SELECT count(*) FROM sg_vert")  # reads go on
            conn.close()
        assert vert_rows("pg0", "id = -1")[0] == 0 and vert_rows("pg1", "id = -1")[0] == 0
        up = subprocess.run([os.path.join(os.environ["SHARDGATE_SOURCE_DIR"], "scripts",
                                          "topology"), "up"], capture_output=True, text=True)
        assert up.returncode == 0, up.stdout + up.stderr
        etcd_killed = False
        time.sleep(0.5)
        conn = b.connect()
        conn.autocommit = True
        try:
            conn.cursor().execute("INSERT INTO sg_vert (id) VALUES (-2)")
            raise AssertionError("written before the cutover's outcome was known")
        except psycopg2.Error as e:
            assert e.pgcode == "40001", (e.pgcode, str(e))
        conn.close()
        # the outcome: epoch 2 (sg_vert on pg1), then resume
        etcd_put(endpoint, prefix + "/map", mr.map_text(2, vert_shard="pg1"))
        barrier["phase"] = "resume"
        etcd_put(endpoint, prefix + "/cutover", json.dumps(barrier))
        for proxy in (a, b):
            assert mr.epoch_within(proxy.admin_port, 2, 3.0)
        time.sleep(0.2)
        for proxy in (a, b):
            conn = proxy.connect()
            conn.autocommit = True
            conn.cursor().execute("INSERT INTO sg_vert (id) VALUES (-3)")
            conn.close()
        assert vert_rows("pg0", "id < 0")[0] == 0, vert_rows("pg0", "id < 0")
        assert vert_rows("pg1", "id < 0")[0] == 2, vert_rows("pg1", "id < 0")
        print("  etcd killed mid-cutover: writes to the paused scope failed after the deadline "
              "on both proxies (none written), others went on; after the outcome, writes on pg1")
    finally:
        if etcd_killed:
            subprocess.run([os.path.join(os.environ["SHARDGATE_SOURCE_DIR"], "scripts",
                                         "topology"), "up"], capture_output=True)
        for proxy in (a, b):
            proxy.stop()


def cutover_mysql():
    """The cutover barrier on the MySQL side: mysql2 (execute(), 40 connections per proxy) and
    pymysql writers through two proxies insert into social's sg_vert while it moves from my0 to
    my1: no client error, every row on one shard, none on my0 after the first on my1."""
    prefix = f"/sg-test-{uuid.uuid4().hex[:8]}"
    folder = tempfile.mkdtemp(prefix="sg_cutmy_")
    for port in st.MY_PRIMARIES.values():
        with st.my_direct(port) as c, c.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_vert")
            cur.execute("CREATE TABLE sg_vert (id int NOT NULL, "
                        "at datetime(6) NOT NULL DEFAULT now(6))")
    a, b = two_etcd_proxies(prefix, folder, "cutmy")
    try:
        nodes = [subprocess.Popen(["node", os.path.join(HERE, "cutover_driver.js"),
                                   str(p.mysql_port), "40", "5"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for p in (a, b)]
        stop = threading.Event()
        errors, done = [], [0]

        def writer(proxy):
            c = proxy.my()
            while not stop.is_set():
                try:
                    c.cursor().execute("INSERT INTO sg_vert (id) VALUES (%s)", (-1,))
                    done[0] += 1
                except Exception as e:  # noqa: BLE001  (asserted empty)
                    errors.append(repr(e))
            c.close()

        threads = [threading.Thread(target=writer, args=(p,), daemon=True) for p in (a, b)]
        for t in threads:
            t.start()
        time.sleep(2)
        nxt = os.path.join(folder, "next.yaml")
        with open(nxt, "w") as f:
            f.write(mr.map_text(2, my_vert_shard="my1"))
        out = shardctl("cutover", nxt, "--etcd", etcd_endpoint(), "--prefix", prefix,
                       "--database", "social", "--table", "sg_vert", "--deadline-ms", "3000")
        assert out.returncode == 0, out.stdout + out.stderr
        results = []
        for node in nodes:
            stdout, stderr = node.communicate(timeout=60)
            assert node.returncode == 0, stdout + stderr
            results.append(json.loads(stdout))
        stop.set()
        for t in threads:
            t.join(30)
        assert not errors, errors[:3]
        for result in results:
            assert not result["errors"], result["errors"][:3]
        written = sum(r["done"] for r in results) + done[0]
        counts = {}
        for shard in ("my0", "my1"):
            with st.my_direct(st.MY_PRIMARIES[shard]) as c, c.cursor() as cur:
                cur.execute("SELECT count(*), min(at), max(at) FROM sg_vert")
                counts[shard] = cur.fetchone()
        assert counts["my0"][0] > 0 and counts["my1"][0] > 0, counts
        assert counts["my0"][0] + counts["my1"][0] == written, (counts, written)
        assert counts["my0"][2] < counts["my1"][1], counts
        waits = [st.admin_status(p.admin_port)["pauses"]["longest_wait_ms"] for p in (a, b)]
        print(f"  MySQL cutover: {out.stdout.strip().splitlines()[-1]}; {written} inserts "
              f"({counts['my0'][0]} on my0 before, {counts['my1'][0]} on my1 after), 0 errors; "
              f"longest wait at the proxies {max(waits):.0f} ms, longest mysql2 insert "
              f"{max(r['longest_ms'] for r in results)} ms")
    finally:
        for proxy in (a, b):
            proxy.stop()
        for port in st.MY_PRIMARIES.values():
            with st.my_direct(port) as c, c.cursor() as cur:
                cur.execute("DROP TABLE IF EXISTS sg_vert")


if __name__ == "__main__":
    {"two_proxies": two_proxies, "cutover": cutover, "cutover_load": cutover_load,
     "fencing": fencing, "cutover_mysql": cutover_mysql}[sys.argv[1]]()
    print("ok")
