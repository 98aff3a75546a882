#!/usr/bin/python3
"""The resharding workflow (`shardctl reshard start|status|cutover|rollback|complete|abort`)
on PostgreSQL, with two proxies sharing the map through etcd and psycopg2 writers going
through both the whole time (every acknowledged write logged). A vertical table moves from
pg0 to pg1 (created there from the source's definition); a hash table's quarter of the
keyspace moves from pg0 to pg1. Afterwards every row sits on its owner shard under the new
map and equals the reference built from the acknowledged writes; the proxies saw no error.
rollback after a cutover brings every write back to the old shard; abort during the copy
leaves the source untouched and removes the copies (MariaDB: mariadb_test.py).
no_etcd: the vertical move with proxies whose maps come from files, the workflow's state in a
table on a shard, cutovers through the proxies' admin APIs.
shadow: shadow reads (`shardctl reshard shadow`) under writes, a mismatch found, the cutover
that requires clean shadow reads.
throttle: shardctl's chunked copy (asked for by a throttle): it waits while the target's replica
does not replay, then runs under a rows/s cap, under writes; the hash range move to the end.
copy_restart: the chunked copy under writes killed -9 in mid-copy starts over on resume, a pause
holds it, then it finishes and the move completes with every acknowledged write.
copy_abort: abort in mid-copy ends the copy and removes everything it made.
list_default: a list table's listed value and its default shard move together.
Usage: workflow_test.py vertical|hash|rollback|abort|add_shard|source_restart|crash|time|no_etcd|
       shadow|throttle|copy_restart|copy_abort|list_default"""
import contextlib
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cross_shard"))
import etcd_test as et  # noqa: E402  (two proxies on etcd)
import write_test as wt  # noqa: E402  (proxies with file maps)
import map_reload_test as mr  # noqa: E402  (map texts)
import scatter_test as st  # noqa: E402  (direct connections)

SHARDCTL = os.environ["SHARDCTL_BIN"]
os.environ.setdefault("SHARDCTL_LOG_DIR", tempfile.mkdtemp(prefix="sg_copier_"))
HALVES = ("sg_reload: {scheme: hash, key: id, key_type: bigint, ranges: ["
          "{from: 0x0000000000000000, to: 0x7fffffffffffffff, shard: pg0}, "
          "{from: 0x8000000000000000, to: 0xffffffffffffffff, shard: pg1}]}")
QUARTER = ("sg_reload: {scheme: hash, key: id, key_type: bigint, ranges: ["
           "{from: 0x0000000000000000, to: 0x3fffffffffffffff, shard: pg0}, "
           "{from: 0x4000000000000000, to: 0xffffffffffffffff, shard: pg1}]}")


def keyspace(key):
    return int(hashlib.md5(str(key).encode()).hexdigest()[:16], 16)


def reshard(*args, check=True, failpoint=None):
    env = dict(os.environ, SHARDCTL_FAILPOINT=failpoint) if failpoint else None
    out = subprocess.run([SHARDCTL, "reshard", *args, "--user", "admin", "--password", "admin"],
                         capture_output=True, text=True, timeout=120, env=env)
    if check:
        assert out.returncode == 0, (args, out.stdout + out.stderr)
    return out


def where_args(where):
    """A workflow's state: under an etcd prefix (a string), or the shardctl options that find
    it (a list: FileSetup.common)."""
    return where if isinstance(where, list) else ["--etcd", et.etcd_endpoint(), "--prefix", where]


def status(name, where):
    out = reshard("status", name, *where_args(where), "--json")
    return json.loads(out.stdout)


def wait_phase(name, where, phase, seconds=60):
    deadline = time.time() + seconds
    doc = status(name, where)
    while doc["phase"] != phase and time.time() < deadline:
        time.sleep(0.3)
        doc = status(name, where)
    assert doc["phase"] == phase, doc
    return doc


def pg_rows(shard, table, columns="id, n"):
    with st.pg_direct(st.PG_PRIMARIES[shard]) as c, c.cursor() as cur:
        cur.execute("SELECT to_regclass(%s) IS NOT NULL", (table,))
        if not cur.fetchone()[0]:
            return None
        cur.execute(f"SELECT {columns} FROM {table} ORDER BY id")
        return dict(cur.fetchall())


class Writers:
    """Clients through each proxy (psycopg2 by default; `connect(proxy)` chooses): inserts of
    new ids and updates of their own rows (n + 1); every acknowledged write goes into
    `reference` (id -> n), the longest write into `longest` (seconds)."""

    def __init__(self, proxies, table, ids, connect=None, insert=None, update=None):
        self.table = table
        self.connect = connect or (lambda proxy: proxy.connect())
        # (statement, parameters of a key): how a key's row is inserted and updated.
        self.insert = insert or (f"INSERT INTO {table} (id, n) VALUES (%s, 0)", lambda k: (k,))
        self.update = update or (f"UPDATE {table} SET n = n + 1 WHERE id = %s", lambda k: (k,))
        self.reference = {}
        self.errors = []
        self.longest = 0.0
        self.stop = threading.Event()
        self.hold = threading.Event()  # set: the writers wait (and send nothing)
        self.idle = threading.Semaphore(0)
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(p, ids(i)), daemon=True)
                        for i, p in enumerate(proxies * 2)]

    def run(self, proxy, ids):
        conn = self.connect(proxy)
        conn.autocommit = True
        cur = conn.cursor()
        mine = []
        for k in ids:
            if self.stop.is_set():
                break
            if self.hold.is_set():
                self.idle.release()
                while self.hold.is_set() and not self.stop.is_set():
                    time.sleep(0.01)
            started = time.time()
            try:
                if mine and k % 3 == 0:
                    target = mine[k % len(mine)]
                    cur.execute(self.update[0], self.update[1](target))
                    with self.lock:
                        self.reference[target] += 1
                else:
                    cur.execute(self.insert[0], self.insert[1](k))
                    with self.lock:
                        self.reference[k] = 0
                    mine.append(k)
            except Exception as e:  # noqa: BLE001  (asserted empty)
                self.errors.append(repr(e) + f" key {k} at {time.time():.3f}")
            self.longest = max(self.longest, time.time() - started)
            time.sleep(0.002)
        conn.close()

    def quiet(self):
        """Holds every writer, and returns once none has a write in flight."""
        self.hold.set()
        for _ in self.threads:
            self.idle.acquire(timeout=10)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(30)


def pg_primaries():
    """Every PostgreSQL primary of the topology, added shards included."""
    with open(os.environ["SHARDGATE_TOPOLOGY"]) as f:
        return [s["port"] for s in json.load(f)["servers"]
                if s["engine"] == "postgresql" and s["role"] == "primary"]


def drop_leftovers():
    """Replication objects a failed run of this test left behind (names sg_rs_...), and
    chunked copies (their state table goes first: a copier whose connections end then stops)."""
    for port in pg_primaries():
        with st.pg_direct(port, admin=True) as c, c.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS shardgate_reshard_copy")
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                        "application_name LIKE 'shardgate copy %'")
    for port in pg_primaries():
        with st.pg_direct(port, admin=True) as c, c.cursor() as cur:
            cur.execute("SELECT subname FROM pg_subscription WHERE subname LIKE 'sg_rs_%'")
            for (sub,) in cur.fetchall():
                cur.execute(f"ALTER SUBSCRIPTION {sub} DISABLE")
                cur.execute(f"ALTER SUBSCRIPTION {sub} SET (slot_name = NONE)")
                cur.execute(f"DROP SUBSCRIPTION {sub}")
    for port in pg_primaries():
        with st.pg_direct(port, admin=True) as c, c.cursor() as cur:
            cur.execute("SELECT pubname FROM pg_publication WHERE pubname LIKE 'sg_rs_%'")
            for (pub,) in cur.fetchall():
                cur.execute(f"DROP PUBLICATION {pub}")
            for _ in range(50):
                cur.execute("SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE "
                            "'sg_rs_%' AND active")
                if cur.fetchone()[0] == 0:
                    break
                time.sleep(0.1)
            cur.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                        "WHERE slot_name LIKE 'sg_rs_%'")


class Setup:
    """Two proxies sharing `old_text` through etcd under a fresh prefix, and the old and new
    maps as files."""

    def __init__(self, tag, old_text, new_text):
        self.prefix = f"/sg-test-{uuid.uuid4().hex[:8]}"
        folder = self.write_maps(tag, old_text, new_text)
        self.proxies = et.two_etcd_proxies(self.prefix, folder, tag, old_text)
        self.common = ["--etcd", et.etcd_endpoint(), "--prefix", self.prefix, "--token",
                       "sg-test"]

    def write_maps(self, tag, old_text, new_text):
        """A workflow name from `tag`, and the maps as files `self.old`, `self.new`; the
        folder."""
        folder = tempfile.mkdtemp(prefix="sg_reshard_")
        self.name = tag + uuid.uuid4().hex[:6]
        self.old = os.path.join(folder, "old.yaml")
        self.new = os.path.join(folder, "new.yaml")
        with open(self.old, "w") as f:
            f.write(old_text)
        with open(self.new, "w") as f:
            f.write(new_text)
        return folder

    def stop(self):
        for proxy in self.proxies:
            proxy.stop()
        drop_leftovers()


class FileSetup(Setup):
    """Two proxies whose maps come from files (no etcd), reached by shardctl through their
    admin APIs; the workflow's state in a table on `state_shard`."""

    def __init__(self, tag, old_text, new_text, state_shard,
                 state_files=False):  # noqa: super() not called
        """`state_files`: each proxy keeps what it is told in a reshard_state_file."""
        self.write_maps(tag, old_text, new_text)
        folder = tempfile.mkdtemp(prefix="sg_reshard_state_")
        self.proxies = [
            wt.proxy_for(self.old)(
                extra_config=f"reshard_state_file: {folder}/proxy{i}.json\n" if state_files
                else "")
            for i in range(2)]
        self.common = ["--token", "sg-test", "--state-shard", state_shard]
        for proxy in self.proxies:
            self.common += ["--admin", f"http://127.0.0.1:{proxy.admin_port}"]
        self.prefix = self.common  # what status() and wait_phase() take


def fencing_pauses(proxy):
    """The fencing pauses (a cutover's) active on a proxy."""
    code, body = mr.admin(proxy.admin_port, "GET", "/pause")
    assert code == 200, body
    return [p for p in json.loads(body)["pauses"]["active"] if "fence_ms" in p]


def without_etcd(setup, table, moves, rows, base, ids, connect, state, hold_lock,
                 rollback=False):
    """A vertical move through proxies with file maps: the state row on the state shard, one
    shardctl at a time (the server's session lock), the cutover's shardctl killed -9 before the
    switch (resume undoes it); then either (complete) the cutover's shardctl killed -9 after
    the first of the two proxies switched (resume finishes it on the other) and complete, or
    (rollback) a cutover, then the rollback's shardctl killed -9 the same way and resumed.
    `moves`: (source, target) shards; `rows(shard)`: the table's rows there; `state(name)`: the
    saved document; `hold_lock(key)`: a context holding the workflow's lock from another
    connection. Returns the reference rows, the writers and the workflow's status."""
    source, target = moves
    a, b = setup.proxies
    name, old, new, common = setup.name, setup.old, setup.new, setup.common

    def killed_after_one_switched(step, epoch, phase):
        out = reshard(step, name, *common, "--deadline-ms", "8000", check=False,
                      failpoint="barrier.map_written")
        assert out.returncode == -9, out.stdout + out.stderr
        epochs = [st.admin_status(p.admin_port)["map_epoch"] for p in (a, b)]
        assert epochs == [epoch, epoch - 1], epochs
        assert fencing_pauses(a) and fencing_pauses(b)  # writes in scope wait meanwhile
        out = reshard("resume", name, *common)
        assert "had switched the proxies: finished" in out.stdout, out.stdout
        for proxy in (a, b):
            assert st.admin_status(proxy.admin_port)["map_epoch"] == epoch
            assert fencing_pauses(proxy) == []
        assert state(name)["phase"] == phase

    with Writers([a, b], table, ids, connect=connect) as w:
        time.sleep(0.3)
        out = reshard("start", "--from", old, "--to", new, "--workflow", name, *common)
        assert "copying" in out.stdout, out.stdout
        assert state(name)["phase"] == "copying", state(name)
        doc = wait_phase(name, common, "ready")
        assert doc["rows_total"] >= len(base) and "shardgate_reshard_workflows" in doc["state"]
        with hold_lock("shardgate_reshard_" + name):
            out = reshard("pause", name, *common, check=False)
            assert out.returncode == 1 and "being run by another shardctl" in out.stderr, out
        failed_step_undone(name, common, common, [a, b])
        out = reshard("cutover", name, *common, "--deadline-ms", "8000", check=False,
                      failpoint="reshard.before_switch")
        assert out.returncode == -9, out.stdout + out.stderr
        assert fencing_pauses(a) and fencing_pauses(b)
        out = reshard("resume", name, *common)
        assert "had not switched: undone" in out.stdout, out.stdout
        for proxy in (a, b):
            assert st.admin_status(proxy.admin_port)["map_epoch"] == 1
            assert fencing_pauses(proxy) == []
        wait_phase(name, common, "ready")
        if rollback:
            out = reshard("cutover", name, *common)
            assert "cut_over" in out.stdout, out.stdout
            time.sleep(1.0)  # writes now go to the new shard only
            killed_after_one_switched("rollback", 3, "rolled_back")
        else:
            killed_after_one_switched("cutover", 2, "cut_over")
        time.sleep(1.0)
    assert not w.errors, w.errors[:3]
    reference = dict(base)
    reference.update(w.reference)
    doc = status(name, common)
    if rollback:
        assert rows(source) == reference
        assert rows(target) is None  # the copy shardctl created is gone
        return reference, w, doc
    assert rows(target) == reference
    reshard("complete", name, *common)
    assert state(name)["phase"] == "completed"
    assert rows(source) is None
    assert rows(target) == reference
    return reference, w, doc


def shadow_report(name, common):
    out = reshard("shadow", name, *common, "--json", check=False)
    return json.loads(out.stdout), out.returncode


def prepared_reads(engine, port, table, keys, upto):
    """Point reads of `keys` and one read of ids up to `upto` through the proxy at `port` as
    prepared statements (drivers_node/prepared_reads.js: node-postgres with parameters, mysql2
    execute()); the statements sent."""
    node_dir = os.path.join(HERE, "..", "drivers_node")
    if node_dir not in sys.path:
        sys.path.insert(0, node_dir)
    import node_test  # noqa: E402  (npm ci of the pinned drivers when needed)
    node_test.ensure_node_modules()
    config = {"engine": engine, "port": port, "table": table, "keys": list(keys), "upto": upto,
              "database": "shop" if engine == "pg" else "social"}
    run = subprocess.run(["node", os.path.join(node_dir, "prepared_reads.js")],
                         input=json.dumps(config), text=True, capture_output=True, timeout=60,
                         cwd=node_dir)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["rows"] >= len(config["keys"]), run.stdout
    return len(config["keys"]) + 1


def shadow_reads(setup, table, base, ids, connect, on_target, engine="pg"):
    """`shardctl reshard shadow` under writes through two proxies: 100% of the reads of the
    moving table are run again under both maps; reads compare equal (rows being written are
    looked at again); a
    row changed behind the stream's back on the target is a mismatch, which makes
    `cutover --require-shadow-minutes 0` refuse; fixed, the shadow started again, the cutover
    goes on and ends the shadow. Reads of rows the writers are writing must not count as
    mismatches. `on_target(sql)` runs a statement on the target shard."""
    a, b = setup.proxies
    name, old, new, common = setup.name, setup.old, setup.new, setup.common

    def read(proxy, keys):
        conn = connect(proxy)
        conn.autocommit = True
        cur = conn.cursor()
        for k in keys:
            cur.execute(f"SELECT id, n FROM {table} WHERE id = %s", (k,))
            cur.fetchall()
        conn.close()

    def shadow(proxy):
        code, body = mr.admin(proxy.admin_port, "GET", "/shadow")
        assert code == 200, body
        return json.loads(body)

    def settled(count):
        # every proxy dealt with `count` reads and has none queued; a read offered while the
        # proxy's one shadow read is still running may be dropped (bounded cost, by design)
        return all(shadow(p)["queued"] == 0 and shadow(p)["compared"] + shadow(p)["settled"] +
                   shadow(p)["mismatches"] + shadow(p)["dropped"] >= count for p in (a, b))
    with Writers([a, b], table, ids, connect=connect) as w:
        reshard("start", "--from", old, "--to", new, "--workflow", name, *common)
        wait_phase(name, common, "ready")
        out = reshard("shadow", name, *common, "--sample", "100%")
        assert "shadow reads of 100%" in out.stdout, out.stdout
        assert mr.within(3.0, lambda: shadow(a)["active"] and shadow(b)["active"])
        hot = list(ids(0))[:20] + list(ids(1))[:20]  # rows the writers insert and update
        offered = 0
        for _ in range(10):  # rounds of 120 reads per proxy until 200 were compared
            for proxy in (a, b):
                read(proxy, list(range(1, 81)) + hot)
            offered += 120
            assert mr.within(20.0, lambda: settled(offered)), (shadow(a), shadow(b))
            if sum(shadow(p)["compared"] + shadow(p)["settled"] for p in (a, b)) >= 200:
                break
        # prepared statements too, with their parameters written in (extended protocol /
        # COM_STMT_EXECUTE): every one compared, none skipped
        before = shadow(a)
        sent = prepared_reads(engine, a.port if engine == "pg" else a.mysql_port, table,
                              range(1, 21), 40)

        def dealt(doc):
            return sum(doc[k] for k in ("compared", "settled", "unsettled", "mismatches",
                                        "skipped", "dropped", "errors"))

        def prepared_dealt():
            return dealt(shadow(a)) - dealt(before) >= sent
        assert mr.within(20.0, prepared_dealt), (before, shadow(a))
        after = shadow(a)
        assert (after["compared"] + after["settled"]) - (before["compared"] + before["settled"]) \
            == sent and after["skipped"] == before["skipped"], (before, after)
        report, code = shadow_report(name, common)
        assert code == 0 and report["clean"], report
        compared = sum(p["compared"] + p["settled"] for p in report["proxies"])
        looked_again = sum(p["settled"] for p in report["proxies"])
        assert compared >= 200 and all(p["mismatches"] == 0 for p in report["proxies"]), report
        # a row changed behind the stream's back on the target: a mismatch
        on_target(f"UPDATE {table} SET n = 999 WHERE id = 7")
        read(a, [7, 7, 7])
        assert mr.within(10.0, lambda: shadow(a)["mismatches"] >= 1), shadow(a)
        mismatch = shadow(a)["last_mismatch"]
        assert table in mismatch["fingerprint"] and mismatch["old_rows"] == 1, mismatch
        report, code = shadow_report(name, common)
        assert code == 1 and not report["clean"], report
        out = reshard("cutover", name, *common, "--require-shadow-minutes", "0", check=False)
        assert out.returncode == 1 and "waits for clean shadow reads" in out.stderr, out
        assert all(st.admin_status(p.admin_port)["map_epoch"] == 1 for p in (a, b))
        on_target(f"UPDATE {table} SET n = 0 WHERE id = 7")
        reshard("shadow", name, *common, "--sample", "100%")  # its figures start again
        assert mr.within(3.0, lambda: shadow(a)["mismatches"] == 0 and shadow(b)["offered"] == 0)
        for proxy in (a, b):
            read(proxy, range(1, 51))
        assert mr.within(20.0, lambda: settled(50)), (shadow(a), shadow(b))
        time.sleep(0.7)
        out = reshard("cutover", name, *common, "--require-shadow-minutes", "0.01")
        assert "cut_over" in out.stdout, out.stdout
        assert mr.within(3.0, lambda: not shadow(a)["active"] and not shadow(b)["active"])
        time.sleep(0.5)
    assert not w.errors, w.errors[:3]
    return compared, looked_again


def shadow_pg():
    """shadow_reads on PostgreSQL: psycopg2 through two proxies sharing the map in etcd."""
    base = prepare_vertical()
    setup = Setup("shdw", mr.map_text(1), mr.map_text(2, vert_shard="pg1"))

    def on_target(sql):
        with st.pg_direct(st.PG_PRIMARIES["pg1"]) as c, c.cursor() as cur:
            cur.execute(sql)
    try:
        compared, again = shadow_reads(
            setup, "sg_vert", base,
            lambda i: range(-100000 * (i + 1), -100000 * (i + 1) - 5000, -1),
            lambda proxy: proxy.connect(), on_target)
        print(f"  shadow reads under writes: {compared} reads compared equal under both maps "
              f"({again} of them after a second look); a row changed on the target found as a "
              f"mismatch and the cutover refused; fixed, the cutover went on and ended the shadow")
    finally:
        setup.stop()


def no_etcd():
    """The vertical move of `vertical` through two proxies with file maps (no etcd): the state
    in shardgate_reshard_workflows on pg1, cutovers through the admin APIs (without_etcd)."""
    base = prepare_vertical()
    setup = FileSetup("noet", mr.map_text(1), mr.map_text(2, vert_shard="pg1"), "pg1")

    def state(name):
        with st.pg_direct(st.PG_PRIMARIES["pg1"], admin=True) as c, c.cursor() as cur:
            cur.execute("SELECT doc FROM shardgate_reshard_workflows WHERE name = %s", (name,))
            return json.loads(cur.fetchone()[0])

    @contextlib.contextmanager
    def hold_lock(key):
        with st.pg_direct(st.PG_PRIMARIES["pg1"], admin=True) as c, c.cursor() as cur:
            cur.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", (key,))
            assert cur.fetchone()[0]
            yield
    try:
        reference, w, _ = without_etcd(
            setup, "sg_vert", ("pg0", "pg1"), lambda shard: pg_rows(shard, "sg_vert"), base,
            lambda i: range(-100000 * (i + 1), -100000 * (i + 1) - 5000, -1),
            lambda proxy: proxy.connect(), state, hold_lock)
        with open(setup.old) as f:  # shardctl changed no proxy's file
            assert "epoch: 1" in f.read()
        print(f"  vertical move without etcd (state on pg1, cutover through the admin APIs, "
              f"shardctl killed -9 before the switch and after one of two proxies switched): "
              f"{len(reference)} rows on pg1 equal to the acknowledged writes, 0 client errors, "
              f"longest write {w.longest * 1000:.0f} ms")
    finally:
        setup.stop()
        with st.pg_direct(st.PG_PRIMARIES["pg1"], admin=True) as c, c.cursor() as cur:
            cur.execute("DELETE FROM shardgate_reshard_workflows WHERE name = %s", (setup.name,))


def prepare_vertical():
    drop_leftovers()
    mr.setup()
    with st.pg_direct(st.PG_PRIMARIES["pg1"]) as c, c.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS sg_vert")
    with st.pg_direct(st.PG_PRIMARIES["pg0"]) as c, c.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS sg_vert")
        cur.execute("CREATE TABLE sg_vert (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                    "n int NOT NULL DEFAULT 0 "
                    "CHECK (n >= 0), note text DEFAULT 'moved', at timestamptz DEFAULT now())")
        cur.execute("CREATE INDEX sg_vert_n ON sg_vert (n)")
        cur.execute("INSERT INTO sg_vert (id, n) SELECT g, 0 FROM generate_series(1, 3000) g")
    return {k: 0 for k in range(1, 3001)}


def vertical(rollback=False):
    base = prepare_vertical()
    setup = Setup("vert", mr.map_text(1), mr.map_text(2, vert_shard="pg1"))
    a, b = setup.proxies
    name, prefix, old, new, common = setup.name, setup.prefix, setup.old, setup.new, setup.common
    try:
        # Negative ids: the identity sequence (ids from 1 up) never meets the writers' keys.
        with Writers([a, b], "sg_vert", lambda i: range(-100000 * (i + 1),
                                                        -100000 * (i + 1) - 5000, -1)) as w:
            time.sleep(0.5)
            out = reshard("start", "--from", old, "--to", new, "--workflow", name, *common)
            assert "copying" in out.stdout, out.stdout
            doc = wait_phase(name, prefix, "ready")
            assert doc["rows_total"] > 3000 and doc["lag_ms"] >= 0, doc
            text = reshard("status", name, *common).stdout
            assert "pg0 -> pg1 [" in text and "ready" in text, text

            def shown():  # the proxies' admin API shows the workflow
                code, body = mr.admin(a.admin_port, "GET", "/reshard")
                found = [x for x in json.loads(body)["workflows"] if x["name"] == name]
                return code == 200 and found and found[0]["phase"] == "ready"
            assert mr.within(1.0, shown), mr.admin(a.admin_port, "GET", "/reshard")
            # under the writes: rows written while the figures are read are compared again
            out = reshard("verify", name, *common)
            assert "1 table(s) equal" in out.stdout, out.stdout
            print("  verify under writes: " + out.stdout.strip().replace("\n", "; "))
            out = reshard("cutover", name, *common)
            assert "cut_over" in out.stdout, out.stdout
            for proxy in (a, b):
                assert st.admin_status(proxy.admin_port)["map_epoch"] == 2
            time.sleep(1.0)  # writes now go to pg1 only
            if rollback:
                out = reshard("rollback", name, *common)
                assert "rolled_back" in out.stdout, out.stdout
                for proxy in (a, b):
                    assert st.admin_status(proxy.admin_port)["map_epoch"] == 3
                time.sleep(0.5)
        assert not w.errors, w.errors[:3]
        reference = dict(base)
        reference.update(w.reference)
        if not rollback:  # the new shard's identity sequence continues past the copied ids
            conn = a.connect()
            conn.autocommit = True
            cur = conn.cursor()
            cur.execute("INSERT INTO sg_vert (n) VALUES (0) RETURNING id")
            reference[cur.fetchone()[0]] = 0
            conn.close()
        doc = status(name, prefix)
        if rollback:
            assert doc["phase"] == "rolled_back", doc
            assert pg_rows("pg0", "sg_vert") == reference
            assert pg_rows("pg1", "sg_vert") is None  # the copy shardctl created is gone
            print(f"  rollback: {len(w.reference)} rows written through the move and back, all "
                  f"on pg0, pg1's copy dropped; stalls {doc['cutover']}")
            return
        assert doc["phase"] == "cut_over", doc
        assert pg_rows("pg1", "sg_vert") == reference
        assert pg_rows("pg0", "sg_vert") == reference  # kept in step for a rollback
        reshard("complete", name, *common)
        assert status(name, prefix)["phase"] == "completed"
        assert pg_rows("pg0", "sg_vert") is None
        assert pg_rows("pg1", "sg_vert") == reference
        with st.pg_direct(st.PG_PRIMARIES["pg1"]) as c, c.cursor() as cur:
            cur.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'sg_vert'")
            indexes = {r[0] for r in cur.fetchall()}
            assert indexes == {"sg_vert_n", "sg_vert_pkey"}, indexes
            cur.execute("SELECT count(*) FROM pg_subscription")
            assert cur.fetchone()[0] == 0
        with st.pg_direct(st.PG_PRIMARIES["pg0"]) as c, c.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_replication_slots WHERE slot_type = 'logical'")
            assert cur.fetchone()[0] == 0
            cur.execute("SELECT count(*) FROM pg_publication")
            assert cur.fetchone()[0] == 0
        print(f"  vertical move under writes through two proxies: {len(reference)} rows on pg1, "
              f"equal to the acknowledged writes, 0 client errors; stalls {doc['cutover']}")
    finally:
        setup.stop()


def failed_step_undone(name, where, common, proxies):
    """A cutover whose step fails while writes are paused, after the reverse streams started
    (SHARDCTL_FAILPOINT=reshard.before_switch:error): the proxies go on under the old map with
    no fence left, the step is undone at once (phase ready again, no `resume` needed)."""
    out = reshard("cutover", name, *common, "--deadline-ms", "8000", check=False,
                  failpoint="reshard.before_switch:error")
    assert out.returncode == 1 and "failpoint reshard.before_switch" in out.stderr, out
    assert "had not switched: undone" in out.stdout, out.stdout
    for proxy in proxies:
        # (each proxy lifts the pause when its etcd watch sees the fence gone; in a full run on
        # a busy machine one still showed it when shardctl had returned)
        deadline = time.monotonic() + 5
        while (st.admin_status(proxy.admin_port)["pauses"]["active"] != [] and
               time.monotonic() < deadline):
            time.sleep(0.05)
        status = st.admin_status(proxy.admin_port)
        assert status["map_epoch"] == 1, status["map_epoch"]
        assert status["pauses"]["active"] == [], status["pauses"]
    wait_phase(name, where, "ready")


def interrupted_cutovers(name, prefix, common, proxies):
    """shardctl killed -9 in a cutover before the proxies switched (after the reverse streams
    started): `resume` undoes it and the old map goes on; killed right after the new map was
    written: `resume` finishes it. Writes wait at the proxies meanwhile (fenced), none fails."""
    failed_step_undone(name, prefix, common, proxies)
    out = reshard("cutover", name, *common, "--deadline-ms", "8000", check=False,
                  failpoint="reshard.before_switch")
    assert out.returncode == -9, out.stdout + out.stderr
    out = reshard("resume", name, *common)
    assert "had not switched: undone" in out.stdout, out.stdout
    for proxy in proxies:
        assert st.admin_status(proxy.admin_port)["map_epoch"] == 1
    wait_phase(name, prefix, "ready")
    out = reshard("cutover", name, *common, "--deadline-ms", "8000", check=False,
                  failpoint="barrier.map_written")
    assert out.returncode == -9, out.stdout + out.stderr
    out = reshard("resume", name, *common)
    assert "had switched the proxies: finished" in out.stdout, out.stdout
    for proxy in proxies:
        assert mr.within(2.0, lambda: st.admin_status(proxy.admin_port)["map_epoch"] == 2)
    assert status(name, prefix)["phase"] == "cut_over"


def crash():
    """A vertical move whose cutover's shardctl is killed twice (interrupted_cutovers), then
    completed: the rows on pg1 equal the acknowledged writes."""
    base = prepare_vertical()
    setup = Setup("crsh", mr.map_text(1), mr.map_text(2, vert_shard="pg1"))
    a, b = setup.proxies
    name, prefix, old, new, common = setup.name, setup.prefix, setup.old, setup.new, setup.common
    try:
        with Writers([a, b], "sg_vert", lambda i: range(-100000 * (i + 1),
                                                        -100000 * (i + 1) - 5000, -1)) as w:
            reshard("start", "--from", old, "--to", new, "--workflow", name, *common)
            wait_phase(name, prefix, "ready")
            interrupted_cutovers(name, prefix, common, [a, b])
            time.sleep(1.0)
        assert not w.errors, w.errors[:3]
        reference = dict(base)
        reference.update(w.reference)
        assert pg_rows("pg1", "sg_vert") == reference
        reshard("complete", name, *common)
        assert pg_rows("pg0", "sg_vert") is None
        assert pg_rows("pg1", "sg_vert") == reference
        print(f"  cutover's shardctl killed -9 before and after the switch, resumed each time: "
              f"{len(reference)} rows on pg1 equal to the acknowledged writes, 0 client errors, "
              f"longest write {w.longest * 1000:.0f} ms")
    finally:
        setup.stop()


EVENTS = ("      sg_events: {scheme: time, key: at, key_type: %s, interval: month, "
          "ranges: [%s]}\n")


def table_on_owners(table, column, second, owner, mysql=False):
    """`table` (id bigint, `column` (a definition: the key's second column), n int, primary key
    (id, that column)) made afresh on both primaries of the engine, with keys 1..3000 (n = 0,
    the second column `second(k)`) each on its owner under the old map (`owner(k, False)`).
    Returns {key: 0}."""
    primaries = st.MY_PRIMARIES if mysql else st.PG_PRIMARIES
    name = column.split()[0]
    for shard, port in primaries.items():
        with (st.my_direct(port) if mysql else st.pg_direct(port)) as c:
            cur = c.cursor()
            cur.execute(f"DROP TABLE IF EXISTS {table}")
            cur.execute(f"CREATE TABLE {table} (id bigint, {column} NOT NULL, n int NOT NULL, "
                        f"PRIMARY KEY (id, {name}))")
            cur.executemany(f"INSERT INTO {table} VALUES (%s, %s, 0)",
                            [(k, second(k)) for k in range(1, 3001) if owner(k, False) == shard])
    return {k: 0 for k in range(1, 3001)}


def keyed_move_under_writes(setup, table, base, owner, insert, update, verify=False,
                            shards=("pg0", "pg1"), connect=None, rows=None, at_ready=None):
    """Moves `table`'s rows (`base`: {key: n}, placed by `owner(k, moved)`) from the old map
    to the new under inserts and updates through both proxies (`insert`, `update`: statement
    and parameters of a key; `connect(proxy)`: the client, psycopg2 by default), with a plan
    that counts exactly the moving rows, then cutover and complete; every row must then sit
    on its owner under the new map (`rows(shard, table)`: {key: n} on a shard's primary),
    equal to the acknowledged writes. `at_ready(writers)` runs once the copy caught up.
    Returns (the plan's moves of `table`, the reference, the status at the cutover, verify's
    output or None)."""
    rows = rows or pg_rows
    a, b = setup.proxies
    name, prefix, old, new, common = setup.name, setup.prefix, setup.old, setup.new, setup.common
    plan = reshard("plan", "--from", old, "--to", new, "--json")
    moves = [m for m in json.loads(plan.stdout)["moves"] if m["table"] == table]
    assert moves and moves[0]["rows"] == sum(
        1 for k in base if owner(k, True) != owner(k, False)), plan.stdout
    verified = None
    with Writers([a, b], table, lambda i: range(100000 * (i + 1), 100000 * (i + 1) + 5000),
                 connect=connect, insert=insert, update=update) as w:
        time.sleep(0.5)
        reshard("start", "--from", old, "--to", new, "--workflow", name, *common)
        wait_phase(name, prefix, "ready")
        if at_ready:
            at_ready(w)
        if verify:
            verified = reshard("verify", name, *common).stdout.strip()
        reshard("cutover", name, *common)
        time.sleep(1.0)
    assert not w.errors, w.errors[:3]
    reference = dict(base)
    reference.update(w.reference)
    doc = status(name, prefix)
    reshard("complete", name, *common)
    for shard in shards:
        want = {k: n for k, n in reference.items() if owner(k, True) == shard}
        assert rows(shard, table) == want, shard
    return moves, reference, doc, verified


def month_of(k):
    """The month of key k's row: keys cycle through 2025-01 .. 2026-06."""
    return 2025 * 12 + (abs(k) % 18)


def at_of(k):
    month = month_of(k)
    return f"{month // 12}-{month % 12 + 1:02d}-{1 + abs(k) % 28:02d} 12:{abs(k) % 60:02d}:00+00"


def events_map(epoch, archived, shards=("pg0", "pg1"), after="      sg_vert: {scheme: vertical, "
               "shard: pg0}\n", text=None, key_type="timestamptz"):
    """The test map with sg_events time sharded by month: 2025 on the first shard and 2026 on
    the second, or with 2025-01..2025-06 `archived` to the second. `key_type` as the column:
    timestamptz (an instant), timestamp (a wall-clock time: MariaDB DATETIME)."""
    first, second = shards
    ranges = (f"{{from: 2025-01, to: 2025-06, shard: {second}}}, "
              f"{{from: 2025-07, to: 2025-12, shard: {first}}}, "
              if archived else f"{{from: 2025-01, to: 2025-12, shard: {first}}}, ")
    ranges += f"{{from: 2026-01, shard: {second}}}"
    text = text or mr.map_text(epoch)
    return text.replace(after, after + EVENTS % (key_type, ranges), 1)


def events_owner(k, archived, shards=("pg0", "pg1")):
    month = month_of(k)
    old_half = month < 2025 * 12 + 6
    return shards[1] if month >= 2026 * 12 or (archived and old_half) else shards[0]


def time_lifecycle():
    """Old time buckets go to an archive shard: sg_events' first half of 2025 moves from pg0 to
    pg1 under writes through two proxies (inserts and updates in every month, the moving ones
    included); rows chosen on the server by the buckets' time range. Afterwards every row sits
    on its owner under the new map, equal to the acknowledged writes."""
    drop_leftovers()
    mr.setup()
    base = table_on_owners("sg_events", "at timestamptz", at_of, events_owner)
    setup = Setup("time", events_map(1, False), events_map(2, True))
    try:
        _, reference, doc, _ = keyed_move_under_writes(
            setup, "sg_events", base, events_owner,
            ("INSERT INTO sg_events (id, at, n) VALUES (%s, %s, 0)", lambda k: (k, at_of(k))),
            ("UPDATE sg_events SET n = n + 1 WHERE at = %s AND id = %s", lambda k: (at_of(k), k)))
        moved = sum(1 for k in reference if events_owner(k, True) != events_owner(k, False))
        print(f"  time buckets archived: {moved} of {len(reference)} rows (2025-01..2025-06) "
              f"moved pg0 -> pg1, each row on its owner and equal to the acknowledged writes, "
              f"0 client errors; stalls {doc['cutover']}")
    finally:
        setup.stop()
        for port in st.PG_PRIMARIES.values():
            with st.pg_direct(port) as c, c.cursor() as cur:
                cur.execute("DROP TABLE IF EXISTS sg_events")


GEO = ("      sg_geo: {scheme: list, key: cc, key_type: text, lists: [%s], "
       "default_shard: %s}\n")
# FR_ is the listed value that moves; it holds a backslash (MariaDB reads its conditions as hex
# literals, whatever the session's sql_mode; PostgreSQL as a standard string).
FR_ = "F\\R"
COUNTRIES = ("DE", FR_, "US", "JP", "BR", "AR", "CA")


def cc_of(k):
    return COUNTRIES[abs(k) % len(COUNTRIES)]


def geo_map(epoch, moved, shards=("pg0", "pg1")):
    """sg_geo listed by country: DE, FR on the first shard, US, CA on the second, the rest
    (JP, BR, AR) on the default, the first; `moved`: FR listed on the second, JP listed on the
    first, and the default shard the second."""
    first, second = shards
    lists = (f"{{shard: {first}, values: [DE, JP]}}, {{shard: {second}, values: [US, CA, {FR_}]}}"
             if moved else
             f"{{shard: {first}, values: [DE, {FR_}]}}, {{shard: {second}, values: [US, CA]}}")
    after = f"      sg_vert: {{scheme: vertical, shard: {first}}}\n"
    text = mr.map_text(epoch)
    return text.replace(after, after + GEO % (lists, second if moved else first), 1)


def geo_owner(k, moved, shards=("pg0", "pg1")):
    cc = cc_of(k)
    if moved:
        return shards[0] if cc in ("DE", "JP") else shards[1]
    return shards[1] if cc in ("US", "CA") else shards[0]


def list_default():
    """A list table's listed value and its default shard move together: FR's rows (a
    listed value) and the rows of every value no map lists (BR, AR: the default shard) go
    from pg0 to pg1 while JP, unlisted before, becomes listed on pg0 and stays. Under writes
    through two proxies; afterwards every row sits on its owner under the new map, equal to
    the acknowledged writes."""
    drop_leftovers()
    mr.setup()
    base = table_on_owners("sg_geo", "cc text", cc_of, geo_owner)
    setup = Setup("geo", geo_map(1, False), geo_map(2, True))
    try:
        moves, reference, doc, verified = keyed_move_under_writes(
            setup, "sg_geo", base, geo_owner,
            ("INSERT INTO sg_geo (id, cc, n) VALUES (%s, %s, 0)", lambda k: (k, cc_of(k))),
            ("UPDATE sg_geo SET n = n + 1 WHERE cc = %s AND id = %s", lambda k: (cc_of(k), k)),
            verify=True)
        moving = sum(1 for k in base if geo_owner(k, True) != geo_owner(k, False))
        assert len(moves) == 1, moves
        kinds = sorted(r["kind"] for r in moves[0]["ranges"])
        assert kinds == ["default", "list_value"], moves
        moved = {cc_of(k) for k in reference if geo_owner(k, True) != geo_owner(k, False)}
        assert moved == {FR_, "BR", "AR"}, moved
        print(f"  list value and default shard moved: {moving} of {len(base)} first rows "
              f"({FR_} listed; BR, AR by the default) pg0 -> pg1, JP stayed; verify: "
              f"{verified[:200]}; each of {len(reference)} rows on its owner and "
              f"equal to the acknowledged writes, 0 client errors; stalls {doc['cutover']}")
    finally:
        setup.stop()
        for port in st.PG_PRIMARIES.values():
            with st.pg_direct(port) as c, c.cursor() as cur:
                cur.execute("DROP TABLE IF EXISTS sg_geo")


def hash_map(epoch, ranges):
    return mr.map_text(epoch).replace("sg_reload: {scheme: hash, key: id, key_type: bigint}",
                                      ranges, 1)


def halves_rows(count):
    """sg_reload with keys 1..count (n = 0) on their owners under HALVES; {key: n}."""
    drop_leftovers()
    mr.setup()
    base = {k: 0 for k in range(1, count + 1)}
    for shard, port in st.PG_PRIMARIES.items():
        with st.pg_direct(port) as c, c.cursor() as cur:
            mine = [(k,) for k in base if (keyspace(k) < 1 << 63) == (shard == "pg0")]
            cur.executemany("INSERT INTO sg_reload (id, n) VALUES (%s, 0)", mine)
    return base


def on_owners_under_quarter(reference):
    """sg_reload on pg0 and pg1 is `reference` split by its owners under QUARTER."""
    owner = {k: "pg0" if keyspace(k) < 1 << 62 else "pg1" for k in reference}
    for shard in ("pg0", "pg1"):
        want = {k: n for k, n in reference.items() if owner[k] == shard}
        assert pg_rows(shard, "sg_reload") == want, shard


def hash_range():
    """The keyspace quarter 0x4000..0x7fff.. of sg_reload moves from pg0 to pg1 (the row
    filter of the publication is the placement function) under writes of new and existing
    keys through two proxies; after complete each shard holds exactly its keys."""
    base = halves_rows(3000)
    setup = Setup("hash", hash_map(1, HALVES), hash_map(2, QUARTER))
    a, b = setup.proxies
    name, prefix, old, new, common = setup.name, setup.prefix, setup.old, setup.new, setup.common
    try:
        with Writers([a, b], "sg_reload", lambda i: range(100000 * (i + 1),
                                                          100000 * (i + 1) + 5000)) as w:
            time.sleep(0.5)
            reshard("start", "--from", old, "--to", new, "--workflow", name, *common)
            doc = wait_phase(name, prefix, "ready")
            moving = sum(1 for k in base if 1 << 62 <= keyspace(k) < 1 << 63)
            assert doc["rows_total"] >= moving, (doc, moving)
            # cross-shard reads see every row once: the target's copies of the moving range
            # (before the cutover) and the source's rows kept for a rollback (after it) are
            # hidden from the application's login
            counts = [count_once(a, w, "sg_reload", base)]
            # shadow reads of moving keys: the new layout's shard shows them to the shadow
            reshard("shadow", name, *common, "--sample", "100%")
            movers = [k for k in base if 1 << 62 <= keyspace(k) < 1 << 63][:30]

            def shadowed():
                code, body = mr.admin(a.admin_port, "GET", "/shadow")
                doc = json.loads(body)
                return doc["active"] and doc["queued"] == 0 and doc["compared"] + doc[
                    "settled"] + doc["mismatches"] >= len(movers)
            assert mr.within(3.0, lambda: json.loads(
                mr.admin(a.admin_port, "GET", "/shadow")[1])["active"])
            conn = a.connect()
            conn.autocommit = True
            for k in movers:
                conn.cursor().execute("SELECT id, n FROM sg_reload WHERE id = %s", (k,))
            conn.close()
            assert mr.within(20.0, shadowed)
            shadow_doc = json.loads(mr.admin(a.admin_port, "GET", "/shadow")[1])
            assert shadow_doc["mismatches"] == 0, shadow_doc
            reshard("cutover", name, *common)
            time.sleep(1.0)
            counts.append(count_once(b, w, "sg_reload", base))
        assert not w.errors, w.errors[:3]
        reference = dict(base)
        reference.update(w.reference)
        doc = status(name, prefix)
        reshard("complete", name, *common)
        on_owners_under_quarter(reference)
        no_policies_left("sg_reload", st.PG_PRIMARIES.values())
        print(f"  hash range move: {len(reference)} rows, each on its owner under the new map "
              f"and equal to the acknowledged writes, 0 client errors; a cross-shard count saw "
              f"each row once before and after the cutover {counts}; shadow reads of "
              f"{len(movers)} moving keys: {shadow_doc['compared']} equal, "
              f"{shadow_doc['settled']} after a second look, 0 mismatches; stalls "
              f"{doc['cutover']}")
    finally:
        setup.stop()


def abort():
    """verify, pause and resume, then abort before the cutover: the copy and every replication
    object go, the source keeps every row."""
    base = prepare_vertical()
    setup = Setup("abrt", mr.map_text(1), mr.map_text(2, vert_shard="pg1"))
    a, b = setup.proxies
    name, prefix, old, new, common = setup.name, setup.prefix, setup.old, setup.new, setup.common
    try:
        reshard("start", "--from", old, "--to", new, "--workflow", name, *common)
        assert pg_rows("pg1", "sg_vert") is not None  # created on the target
        wait_phase(name, prefix, "ready")
        out = reshard("verify", name, *common)
        assert "1 table(s) equal" in out.stdout, out.stdout
        # paused: a row written on the source does not reach the target; verify says so
        reshard("pause", name, *common)
        with st.pg_direct(st.PG_PRIMARIES["pg0"]) as c, c.cursor() as cur:
            cur.execute("INSERT INTO sg_vert (id, n) VALUES (-5, 0)")
        out = reshard("verify", name, *common, "--deadline-ms", "500", check=False)
        assert out.returncode == 1 and "not caught up" in out.stdout, out.stdout + out.stderr
        assert pg_rows("pg1", "sg_vert").get(-5) is None
        # a paused stream does not catch up by itself: the cutover refuses without waiting
        out = reshard("cutover", name, *common, check=False)
        assert out.returncode == 1 and "is catching_up, not ready" in out.stderr and (
            "change capture paused" in out.stderr), out.stdout + out.stderr
        reshard("resume", name, *common)
        out = reshard("verify", name, *common)
        assert "1 table(s) equal" in out.stdout, out.stdout
        assert pg_rows("pg1", "sg_vert").get(-5) == 0
        with st.pg_direct(st.PG_PRIMARIES["pg0"]) as c, c.cursor() as cur:
            cur.execute("DELETE FROM sg_vert WHERE id = -5")
        # a row changed behind the stream's back on the target: verify names its key range
        with st.pg_direct(st.PG_PRIMARIES["pg1"]) as c, c.cursor() as cur:
            cur.execute("UPDATE sg_vert SET n = 99 WHERE id = 7")
        with st.pg_direct(st.PG_PRIMARIES["pg1"]) as c, c.cursor() as cur:
            cur.execute("DELETE FROM sg_vert WHERE id = 8")  # missing on the target
            cur.execute("INSERT INTO sg_vert (id, n) VALUES (-9, 0)")  # only on the target
        out = reshard("verify", name, *common, check=False)
        buckets = sorted({hashlib.md5(str(k).encode()).hexdigest()[:2] for k in (7, 8, -9)})
        assert out.returncode == 1 and (f"different in {len(buckets)} of 256 key ranges: "
                                        f"0x{buckets[0]}00000000000000-0x{buckets[0]}ffffffffffffff"
                                        ) in out.stdout, out.stdout + out.stderr
        assert "2 rows different or missing on pg1, keys: 7 8\n" in out.stdout, out.stdout
        assert "1 rows only on pg1, keys: -9\n" in out.stdout, out.stdout
        out = reshard("complete", name, *common, check=False)
        assert out.returncode == 1 and "complete follows a cutover" in out.stderr, out.stderr
        reshard("abort", name, *common)
        assert status(name, prefix)["phase"] == "aborted"
        assert pg_rows("pg1", "sg_vert") is None
        assert pg_rows("pg0", "sg_vert") == base
        for port in st.PG_PRIMARIES.values():
            with st.pg_direct(port, admin=True) as c, c.cursor() as cur:
                cur.execute("SELECT (SELECT count(*) FROM pg_subscription) + (SELECT count(*) "
                            "FROM pg_publication) + (SELECT count(*) FROM pg_replication_slots "
                            "WHERE slot_type = 'logical')")
                assert cur.fetchone()[0] == 0
        for proxy in (a, b):
            assert st.admin_status(proxy.admin_port)["map_epoch"] == 1
        print("  verify equal; paused: a write stays on the source and verify reports it; "
              "resumed: it arrives; abort: the target's copy and every publication, subscription "
              "and slot gone; the source untouched; the map unchanged")
    finally:
        setup.stop()


RING = "sg_reload: {scheme: consistent_hash, key: id, key_type: bigint}"
PG2 = "      pg2:\n        primary: 127.0.0.1:15436\n        replicas: [127.0.0.1:15437]\n"


def count_once(proxy, writers, table, base):
    """A cross-shard count through `proxy` with the writers held: every row once (`base` rows
    and those the writers wrote; the copies a shard holds without owning them are hidden)."""
    writers.quiet()
    try:
        expected = len(base) + len(writers.reference)
        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute(f"SELECT count(*), count(DISTINCT id) FROM {table}")
        found = cur.fetchone()
        conn.close()
        assert found == (expected, expected), (found, expected)
        return found[0]
    finally:
        writers.hold.clear()


def no_policies_left(table, ports):
    """After complete or abort: row-level security off and no policy on `table` anywhere."""
    for port in ports:
        with st.pg_direct(port, admin=True) as c, c.cursor() as cur:
            cur.execute("SELECT relrowsecurity, (SELECT count(*) FROM pg_policy WHERE polrelid "
                        "= c.oid) FROM pg_class c WHERE oid = to_regclass(%s)", (table,))
            row = cur.fetchone()
            assert row is None or row == (False, 0), (port, row)


def check_arc_progress(setup, table_name):
    """Once ready, the status per ring arc of a table: the arcs' rows add up to the table's on
    both sides, several arcs hold rows, and the terminal shows a bar per arc."""
    doc = wait_phase(setup.name, setup.prefix, "ready")
    for stream in doc["streams"]:
        table = [t for t in stream["tables"] if t["table"] == table_name][0]
        arcs = table["ranges"]
        assert len(arcs) > 1 and all(".." in r["range"] for r in arcs), table
        for side in ("rows_total", "rows_copied"):
            assert sum(r[side] for r in arcs) == table[side], (side, table)
        assert sum(r["rows_total"] > 0 for r in arcs) > 1, table
    text = reshard("status", setup.name, *setup.common).stdout
    assert re.search(r"\n      0x[0-9a-f]+\.\.0x[0-9a-f]+ +\[#+\]", text), text


def ring_owner(key, shards, vnodes=64):
    """The consistent-hash owner: the first ring point at or after the key's id, wrapping."""
    points = sorted((int(hashlib.md5(f"{s}#{v}".encode()).hexdigest()[:16], 16), s)
                    for s in shards for v in range(vnodes))
    kid = keyspace(key)
    for point, shard in points:
        if point >= kid:
            return shard
    return points[0][1]


def ring_map(epoch):
    """The test map with sg_reload on a consistent-hash ring and without the other hashed
    test tables (their default ranges would be re-split by a third shard)."""
    text = mr.map_text(epoch).replace("sg_reload: {scheme: hash, key: id, key_type: bigint}",
                                      RING, 1)
    return "".join(line for line in text.splitlines(keepends=True)
                   if not re.match(r"      sg_\w+: \{scheme: hash, key: id", line))


def with_pg2(text):
    at = text.index("        replicas: [127.0.0.1:15435]\n")
    at = text.index("\n", text.index("max_replica_lag_ms", at)) + 1
    return text[:at] + PG2 + text[at:]


def add_shard():
    """A third shard joins under writes: scripts/topology add-shard pg starts pg2; the new map
    lists it; the workflow moves the ring arcs pg2's vnodes take from pg0 and from pg1 (two
    streams), and copies the reference table products to pg2. Afterwards every row sits on
    its owner under the three-shard ring, equal to the acknowledged writes; products is on
    all three shards."""
    drop_leftovers()
    mr.setup()
    topology = os.path.join(os.environ["SHARDGATE_SOURCE_DIR"], "scripts", "topology")
    out = subprocess.run([topology, "add-shard", "pg"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    setup = None
    try:
        with st.pg_direct(15436, admin=True) as c, c.cursor() as cur:  # a new, empty shard
            cur.execute("DROP SCHEMA public CASCADE")
            cur.execute("CREATE SCHEMA public")
            cur.execute("GRANT ALL ON SCHEMA public TO app")
        for port in list(st.PG_PRIMARIES.values()) + [15436]:
            with st.pg_direct(port) as c, c.cursor() as cur:
                cur.execute("DROP TABLE IF EXISTS products")
                cur.execute("DROP TABLE IF EXISTS sg_reload")
                if port != 15436:
                    cur.execute("CREATE TABLE sg_reload (id bigint PRIMARY KEY, n int NOT NULL)")
                    cur.execute("CREATE TABLE products (id int PRIMARY KEY, name text)")
                    cur.execute("INSERT INTO products SELECT g, 'p' || g "
                                "FROM generate_series(1, 20) g")
        old_text = ring_map(1)
        new_text = with_pg2(ring_map(2))
        setup = Setup("grow", old_text, new_text)
        a, b = setup.proxies
        for k in range(1, 41):  # the ring agrees with shardctl locate
            found = subprocess.run([SHARDCTL, "locate", setup.new, "shop", "sg_reload", str(k),
                                    "--json"], capture_output=True, text=True, check=True)
            assert json.loads(found.stdout)["shard"] == ring_owner(k, ["pg0", "pg1", "pg2"]), k
        conn = a.connect()
        conn.autocommit = True
        for k in range(1, 2001):
            conn.cursor().execute("INSERT INTO sg_reload (id, n) VALUES (%s, 0)", (k,))
        conn.close()
        base = {k: 0 for k in range(1, 2001)}
        with Writers([a, b], "sg_reload", lambda i: range(100000 * (i + 1),
                                                          100000 * (i + 1) + 5000)) as w:
            time.sleep(0.5)
            out = reshard("start", "--from", setup.old, "--to", setup.new, "--workflow",
                          setup.name, *setup.common)
            assert out.stdout.count("copying") == 2, out.stdout
            check_arc_progress(setup, "sg_reload")
            count_once(a, w, "sg_reload", base)  # pg2 hides the rows of two streams
            reshard("cutover", setup.name, *setup.common)
            time.sleep(1.0)
        assert not w.errors, w.errors[:3]
        doc = status(setup.name, setup.prefix)
        reshard("complete", setup.name, *setup.common)
        reference = dict(base)
        reference.update(w.reference)
        owner = {k: ring_owner(k, ["pg0", "pg1", "pg2"]) for k in reference}
        ports = dict(st.PG_PRIMARIES, pg2=15436)
        counts = {}
        for shard, port in ports.items():
            with st.pg_direct(port) as c, c.cursor() as cur:
                cur.execute("SELECT id, n FROM sg_reload")
                rows = dict(cur.fetchall())
                cur.execute("SELECT count(*) FROM products")
                assert cur.fetchone()[0] == 20, shard
            want = {k: n for k, n in reference.items() if owner[k] == shard}
            assert rows == want, (shard, len(rows), len(want))
            counts[shard] = len(rows)
        no_policies_left("sg_reload", ports.values())
        print(f"  add a shard: pg2 joined, {counts['pg2']} of {len(reference)} rows moved to it "
              f"from pg0 and pg1 (ring arcs only), products copied, 0 client errors; stalls "
              f"{doc['cutover']}")
    finally:
        if setup:
            setup.stop()
        subprocess.run([topology, "remove-shard", "pg"], capture_output=True)
        for port in st.PG_PRIMARIES.values():
            with st.pg_direct(port) as c, c.cursor() as cur:
                cur.execute("DROP TABLE IF EXISTS products")


def topology_up(topology):
    """scripts/topology up, again while a killed server's orphaned backends still exit."""
    for _ in range(20):
        up = subprocess.run([topology, "up"], capture_output=True, text=True)
        if up.returncode == 0:
            break
        time.sleep(0.5)
    return up


def source_restart():
    """The source primary killed -9 during the copy and catch-up and started again: the
    subscription reconnects by itself, the workflow becomes ready, and the cutover leaves every
    acknowledged write on the new shard (the writers pause while the server is down, so no
    write is in doubt)."""
    base = prepare_vertical()
    setup = Setup("rst", mr.map_text(1), mr.map_text(2, vert_shard="pg1"))
    a, b = setup.proxies
    topology = os.path.join(os.environ["SHARDGATE_SOURCE_DIR"], "scripts", "topology")
    try:
        with Writers([a, b], "sg_vert", lambda i: range(100000 * (i + 1),
                                                        100000 * (i + 1) + 5000)) as w:
            time.sleep(0.3)
            reshard("start", "--from", setup.old, "--to", setup.new, "--workflow", setup.name,
                    *setup.common)
            w.hold.set()  # no write in flight while the server dies
            time.sleep(0.3)
            with open(os.environ["SHARDGATE_TOPOLOGY"]) as f:
                pid = [s["pid"] for s in json.load(f)["servers"]
                       if s["shard"] == "pg0" and s["role"] == "primary"][0]
            os.kill(pid, 9)
            time.sleep(1.0)
            doc = status(setup.name, setup.prefix)
            assert doc["phase"] in ("copying", "catching_up", "ready") and doc["error"], doc
            up = topology_up(topology)
            assert up.returncode == 0, up.stdout + up.stderr
            time.sleep(2.0)  # the proxies' monitor sees pg0 up again
            w.errors.clear()  # writes refused while it was down were not acknowledged
            w.hold.clear()
            wait_phase(setup.name, setup.prefix, "ready", seconds=90)
            reshard("cutover", setup.name, *setup.common)
            time.sleep(1.0)
        assert not w.errors, w.errors[:3]
        reference = dict(base)
        reference.update(w.reference)
        assert pg_rows("pg1", "sg_vert") == reference
        reshard("complete", setup.name, *setup.common)
        print(f"  source primary killed -9 during the copy: the stream went on after its "
              f"restart; {len(reference)} rows on pg1 equal to the acknowledged writes")
    finally:
        topology_up(topology)  # pg0 runs again whatever failed
        setup.stop()


def replay(port, paused):
    """Pauses or resumes WAL replay on the PostgreSQL replica at `port`."""
    with st.pg_direct(port, admin=True) as c, c.cursor() as cur:
        cur.execute(f"SELECT pg_wal_replay_{'pause' if paused else 'resume'}()")


def logged_lines(name):
    """The lines the background `shardctl reshard apply` processes of workflow `name` logged."""
    folder = os.environ["SHARDCTL_LOG_DIR"]
    for file in sorted(os.listdir(folder)):
        if name in file:
            with open(os.path.join(folder, file)) as f:
                yield from f


def logged_pid(name, what):
    """The pid the background `shardctl reshard apply` of workflow `name` (`what`: copier,
    applier) logged last."""
    pid = None
    for line in logged_lines(name):
        found = re.search(what + r" pid (\d+)", line)
        pid = int(found.group(1)) if found else pid
    return pid


def process_gone(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] == "Z"
    except FileNotFoundError:
        return True


def no_replication_objects():
    for port in st.PG_PRIMARIES.values():
        with st.pg_direct(port, admin=True) as c, c.cursor() as cur:
            cur.execute("SELECT (SELECT count(*) FROM pg_subscription) + (SELECT count(*) "
                        "FROM pg_publication) + (SELECT count(*) FROM pg_replication_slots "
                        "WHERE slot_type = 'logical') + (SELECT count(*) FROM pg_stat_activity "
                        "WHERE application_name LIKE 'shardgate copy %')")
            assert cur.fetchone()[0] == 0, port


def throttle():
    """shardctl's chunked copy of a hash range under writes: with pg1's replica not replaying
    it waits after its first chunk and status says why; replay resumed, it copies at no more
    than --max-rows-per-s; change capture then starts from the copy's snapshot (no write lost);
    cutover and complete leave each shard exactly its keys."""
    base = halves_rows(12000)
    moving = sum(1 for k in base if 1 << 62 <= keyspace(k) < 1 << 63)
    setup = Setup("thr", hash_map(1, HALVES), hash_map(2, QUARTER))
    a, b = setup.proxies
    name, prefix, old, new, common = setup.name, setup.prefix, setup.old, setup.new, setup.common
    replica = st.PG_REPLICAS["pg1"]
    try:
        with Writers([a, b], "sg_reload", lambda i: range(100000 * (i + 1),
                                                          100000 * (i + 1) + 5000)) as w:
            time.sleep(0.5)
            replay(replica, True)
            started = time.time()
            reshard("start", "--from", old, "--to", new, "--workflow", name,
                    "--max-rows-per-s", "1000", "--max-replica-lag-ms", "2000", *common)
            assert mr.within(10.0, lambda: "copy waits" in status(name, prefix)["error"])
            time.sleep(1.5)
            doc = status(name, prefix)
            assert doc["phase"] == "copying" and doc["rows_copied"] <= 1000, doc
            assert f"replica 127.0.0.1:{replica} does not replay (paused)" in doc["error"], doc
            replay(replica, False)
            resumed_copy = time.time()
            doc = wait_phase(name, prefix, "ready")
            took = time.time() - resumed_copy
            assert not doc["error"] and doc["rows_copied"] >= moving, (doc, moving)
            # every chunk after the first waits for the cap: at least (moving - 1000) / 1000 s
            assert took >= (moving - 1000) / 1000 - 0.1, (took, moving)
            out = reshard("verify", name, *common)
            assert "1 table(s) equal" in out.stdout, out.stdout
            reshard("cutover", name, *common)
            time.sleep(1.0)
        assert not w.errors, w.errors[:3]
        reference = dict(base)
        reference.update(w.reference)
        # complete's deletes on pg0 wait while its replica does not replay, then keep to the cap
        moved_rows = sum(1 for k in reference if 1 << 62 <= keyspace(k) < 1 << 63)
        source_replica = st.PG_REPLICAS["pg0"]
        replay(source_replica, True)
        completing = None
        try:
            completing = subprocess.Popen(
                [SHARDCTL, "reshard", "complete", name, *common, "--user", "admin", "--password",
                 "admin"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(2.0)
            assert completing.poll() is None, completing.communicate()
            def on_pg0():
                with st.pg_direct(st.PG_PRIMARIES["pg0"], admin=True) as c, c.cursor() as cur:
                    cur.execute("SELECT id FROM sg_reload")  # (a superuser: the hidden rows too)
                    return sum(1 for (k,) in cur.fetchall() if 1 << 62 <= keyspace(k) < 1 << 63)
            # nothing deleted while the replica waits (complete dropped the reverse stream
            # first: the last writes made on pg1 may not be back on pg0)
            held = on_pg0()
            time.sleep(1.0)
            assert on_pg0() == held and held > moved_rows // 2, (held, moved_rows)
        except BaseException:
            if completing:
                completing.kill()
            raise
        finally:
            replay(source_replica, False)
        resumed = time.time()
        out, err = completing.communicate(timeout=120)
        deleting = time.time() - resumed
        assert completing.returncode == 0, out + err
        assert f"127.0.0.1:{source_replica} does not replay (paused)" in err, err
        # chunks of 500 rows at 1,000 rows/s: every full chunk waits for the cap
        assert deleting >= (held // 500) * 0.5 - 0.5, (deleting, held)
        on_owners_under_quarter(reference)
        no_policies_left("sg_reload", st.PG_PRIMARIES.values())
        no_replication_objects()
        with st.pg_direct(st.PG_PRIMARIES["pg1"], admin=True) as c, c.cursor() as cur:
            cur.execute("SELECT count(*) FROM shardgate_reshard_copy")
            assert cur.fetchone()[0] == 0
        print(f"  chunked copy: waited {resumed_copy - started:.1f} s for pg1's paused replica "
              f"(status said so), then copied {moving} moving rows in {took:.1f} s under a "
              f"1,000 rows/s cap; complete waited for pg0's paused replica, then deleted "
              f"{held} rows in {deleting:.1f} s; {len(reference)} rows after complete, "
              f"each on its owner and equal to the acknowledged writes, 0 client errors")
    finally:
        replay(replica, False)
        setup.stop()


def snapshots(name):
    """How many times the chunked copy of workflow `name` started (from a new snapshot)."""
    return sum(1 for line in logged_lines(name) if ": copy in snapshot " in line)


def chunked_vertical(tag):
    """sg_vert with 8,000 rows on pg0 and a Setup moving it to pg1; (base, setup)."""
    base = prepare_vertical()
    with st.pg_direct(st.PG_PRIMARIES["pg0"]) as c, c.cursor() as cur:
        cur.execute("INSERT INTO sg_vert (id, n) SELECT g, 0 FROM generate_series(3001, 8000) g")
    base.update({k: 0 for k in range(3001, 8001)})
    return base, Setup(tag, mr.map_text(1), mr.map_text(2, vert_shard="pg1"))


def copy_restart():
    """The chunked copy of a vertical table under writes through two proxies: killed -9 in
    mid-copy it stops (status says no copy process is connected); resume starts it over from a
    new snapshot; pause holds it; then it finishes and change capture takes over from that
    snapshot: after the cutover and complete pg1 holds exactly the acknowledged writes."""
    base, setup = chunked_vertical("cprs")
    a, b = setup.proxies
    name, prefix, old, new, common = setup.name, setup.prefix, setup.old, setup.new, setup.common

    def copied():
        return status(name, prefix)["rows_copied"]
    try:
        with Writers([a, b], "sg_vert", lambda i: range(-100000 * (i + 1),
                                                        -100000 * (i + 1) - 5000, -1)) as w:
            time.sleep(0.5)
            reshard("start", "--from", old, "--to", new, "--workflow", name,
                    "--max-rows-per-s", "2000", *common)
            assert mr.within(15.0, lambda: copied() >= 2000)
            first = logged_pid(name, "copier")
            os.kill(first, 9)
            assert mr.within(10.0, lambda: "no copy process connected" in status(name, prefix)[
                "error"]), status(name, prefix)
            held = killed_at = copied()
            time.sleep(1.0)
            assert copied() == held and status(name, prefix)["phase"] == "copying"
            reshard("resume", name, *common)
            assert mr.within(10.0, lambda: logged_pid(name, "copier") not in (None, first))
            assert mr.within(10.0, lambda: snapshots(name) == 2), snapshots(name)
            reshard("pause", name, *common)
            time.sleep(1.5)
            held = copied()
            time.sleep(1.5)
            doc = status(name, prefix)
            assert doc["rows_copied"] == held and "change capture paused" in doc["error"], doc
            reshard("resume", name, *common)
            doc = wait_phase(name, prefix, "ready")
            assert not doc["error"], doc
            out = reshard("verify", name, *common)
            assert "1 table(s) equal" in out.stdout, out.stdout
            reshard("cutover", name, *common)
            time.sleep(1.0)
        assert not w.errors, w.errors[:3]
        reference = dict(base)
        reference.update(w.reference)
        reshard("complete", name, *common)
        assert pg_rows("pg0", "sg_vert") is None
        assert pg_rows("pg1", "sg_vert") == reference
        no_replication_objects()
        print(f"  chunked copy under writes killed -9 at {killed_at} rows: resume started it "
              f"over from a new snapshot, pause held it at {held}; then caught up, cut over "
              f"and completed: {len(reference)} rows on pg1, equal to the acknowledged writes, "
              f"0 client errors")
    finally:
        setup.stop()


def copy_abort():
    """abort in mid-copy: the copier ends, the target's table, the slot and the publication
    go, the source is untouched."""
    base, setup = chunked_vertical("cpab")
    name, prefix, old, new, common = setup.name, setup.prefix, setup.old, setup.new, setup.common
    try:
        reshard("start", "--from", old, "--to", new, "--workflow", name,
                "--max-rows-per-s", "1000", *common)
        assert mr.within(10.0, lambda: status(name, prefix)["rows_copied"] >= 1000)
        copier = logged_pid(name, "copier")
        assert not process_gone(copier)
        reshard("abort", name, *common)
        assert status(name, prefix)["phase"] == "aborted"
        assert mr.within(5.0, lambda: process_gone(copier))
        assert pg_rows("pg1", "sg_vert") is None
        assert pg_rows("pg0", "sg_vert") == base
        no_replication_objects()
        print("  abort in mid-copy: the copier ended; no table on pg1, no slot, publication, "
              "subscription or copier connection; pg0 untouched")
    finally:
        setup.stop()


if __name__ == "__main__":
    {"vertical": vertical, "rollback": lambda: vertical(rollback=True), "hash": hash_range,
     "abort": abort, "add_shard": add_shard, "crash": crash, "time": time_lifecycle,
     "source_restart": source_restart, "no_etcd": no_etcd, "shadow": shadow_pg,
     "throttle": throttle, "copy_restart": copy_restart, "copy_abort": copy_abort,
     "list_default": list_default}[sys.argv[1]]()
    print("ok")
