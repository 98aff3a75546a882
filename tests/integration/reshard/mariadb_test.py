#!/usr/bin/python3
"""The resharding workflow on MariaDB (`shardctl reshard start|status|verify|cutover|rollback|
complete|abort` with binlog change capture), with two proxies sharing the map through etcd and
pymysql writers going through both the whole time (every acknowledged write logged).
- vertical: social.sg_rvert (AUTO_INCREMENT key, text with quotes and backslashes, binary,
  datetime) moves from my0 to my1, created there as on the source; cutover, then complete.
- rollback: the same, rolled back after the cutover: every write made on my1 comes back.
- hash: a quarter of sg_reload's keyspace moves from my0 to my1 (rows chosen on the server by
  the placement function in SQL, changes filtered by it); cross-shard counts through the
  proxies (pymysql, mysql2 text and prepared) see each row once before and after the cutover,
  also when they read the table below the top level (SHAPES); complete leaves each shard
  exactly its keys.
- restart: the change applier is killed -9 during the catch-up and `reshard resume` continues
  from its last position; abort then leaves the source untouched and drops the copy.
Afterwards every row sits on its owner under the new map and equals the reference built from
the acknowledged writes (read on the servers directly); the clients saw no error.
- crash: the cutover's shardctl killed -9 before and after the switch; resume settles it.
- add_shard: my2 joins; ring arcs move to it from my0 and my1, tags is copied.
- lock_conflict: the change applier loses a deadlock on the target and applies again at once.
- source_restart: my0 killed -9 during the catch-up and started again.
- throttle: the copy waits for a stopped replica, then runs under a rows/s cap.
- time: 2025-01..2025-06 of a time table archived from my0 to my1.
- no_etcd: the vertical move with proxies whose maps come from files, the state in a table on
  my1, cutovers through the admin APIs.
- shadow: shadow reads under writes (proxies with map files).
- hash_no_etcd: the hash range move through proxies with map files, told of the workflow through
  their admin APIs (cross-shard counts see each row once from the start of the copy; a proxy
  restarted in mid-move knows the workflow from its reshard_state_file).
Usage: mariadb_test.py vertical|rollback|hash|restart|crash|add_shard|lock_conflict|source_restart|
       throttle|time|no_etcd|shadow|hash_no_etcd|list_default"""
import collections
import contextlib
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time


HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import workflow_test as wf  # noqa: E402  (shardctl, proxies on etcd, maps)

st, mr, et = wf.st, wf.mr, wf.et
NODE_DIR = os.path.join(HERE, "..", "drivers_node")
LOGS = tempfile.mkdtemp(prefix="sg_applier_")
os.environ["SHARDCTL_LOG_DIR"] = LOGS
NOTE = "it's a \\ back'slash \"quote\""


def keyspace(key):
    return int(hashlib.md5(str(key).encode()).hexdigest()[:16], 16)


def my_rows(shard, table):
    with st.my_direct(st.MY_PRIMARIES[shard]) as c:
        cur = c.cursor()
        cur.execute("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                    "'social' AND TABLE_NAME = %s", (table,))
        if cur.fetchone()[0] == 0:
            return None
        cur.execute(f"SELECT id, n FROM {table} ORDER BY id")
        return dict(cur.fetchall())


def Writers(proxies, table, ids):
    """workflow_test's writers, with pymysql clients."""
    return wf.Writers(proxies, table, ids, connect=lambda proxy: proxy.my())


def drop_leftovers():
    for port in st.MY_PRIMARIES.values():
        with st.my_direct(port, admin=True) as c:
            cur = c.cursor()
            for table in ("shardgate_reshard_stream", "shardgate_reshard_marker", "sg_rvert"):
                cur.execute(f"DROP TABLE IF EXISTS {table}")


def prepare_vertical():
    drop_leftovers()
    mr.setup()
    with st.my_direct(st.MY_PRIMARIES["my0"]) as c:
        cur = c.cursor()
        cur.execute("CREATE TABLE sg_rvert (id int AUTO_INCREMENT PRIMARY KEY, n int NOT NULL "
                    "DEFAULT 0, note varchar(100) DEFAULT 'moved', raw varbinary(16), "
                    "at datetime(3) DEFAULT '2026-01-02 03:04:05.678', big bigint unsigned, "
                    "KEY sg_rvert_n (n)) ENGINE=InnoDB")
        cur.executemany("INSERT INTO sg_rvert (id, n, note, raw, big) VALUES (%s, 0, %s, %s, %s)",
                        [(k, NOTE, bytes([0, 255, 39, 92, k % 256]), 2**64 - k)
                         for k in range(1, 3001)])
    return {k: 0 for k in range(1, 3001)}


def map_with_rvert(epoch, shard):
    """The test map with social.sg_rvert vertical on `shard`."""
    text = mr.map_text(epoch)
    parts = text.split("      sg_vert: {scheme: vertical, shard: my0}\n", 1)
    assert len(parts) == 2, text
    return (parts[0] + "      sg_vert: {scheme: vertical, shard: my0}\n"
            f"      sg_rvert: {{scheme: vertical, shard: {shard}}}\n" + parts[1])


def applier_pid(name):
    """The pid the change applier of workflow stream `name` logged last."""
    return wf.logged_pid(name, "applier")


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split()[2] != "Z"


def vertical(rollback=False):
    base = prepare_vertical()
    setup = wf.Setup("myv", map_with_rvert(1, "my0"), map_with_rvert(2, "my1"))
    a, b = setup.proxies
    name, prefix, old, new, common = setup.name, setup.prefix, setup.old, setup.new, setup.common
    try:
        with Writers([a, b], "sg_rvert",
                     lambda i: range(100000 * (i + 1), 100000 * (i + 1) + 5000)) as w:
            time.sleep(0.5)
            out = wf.reshard("start", "--from", old, "--to", new, "--workflow", name, *common)
            assert "copying" in out.stdout, out.stdout
            doc = wf.wait_phase(name, prefix, "ready")
            assert doc["rows_total"] > 3000 and doc["lag_ms"] >= 0 and not doc["error"], doc
            # under the writes: rows written while the figures are read are compared again
            out = wf.reshard("verify", name, *common, check=False)
            assert out.returncode == 0 and "equal" in out.stdout, out.stdout + out.stderr
            out = wf.reshard("cutover", name, *common)
            assert "cut_over" in out.stdout, out.stdout
            for proxy in (a, b):
                assert st.admin_status(proxy.admin_port)["map_epoch"] == 2
            time.sleep(1.0)  # writes now go to my1 only
            if rollback:
                out = wf.reshard("rollback", name, *common)
                assert "rolled_back" in out.stdout, out.stdout
                for proxy in (a, b):
                    assert st.admin_status(proxy.admin_port)["map_epoch"] == 3
                time.sleep(0.5)
        assert not w.errors, w.errors[:3]
        reference = dict(base)
        reference.update(w.reference)
        doc = wf.status(name, prefix)
        if rollback:
            assert doc["phase"] == "rolled_back", doc
            assert my_rows("my0", "sg_rvert") == reference
            assert my_rows("my1", "sg_rvert") is None  # the copy shardctl created is gone
            print(f"  rollback: {len(w.reference)} rows written through the move and back, all "
                  f"on my0, my1's copy dropped; longest write {w.longest * 1000:.0f} ms; "
                  f"stalls {doc['cutover']}")
            return
        assert doc["phase"] == "cut_over", doc
        conn = a.my()  # the new shard's AUTO_INCREMENT continues past the copied ids
        cur = conn.cursor()
        cur.execute("INSERT INTO sg_rvert (n) VALUES (0)")
        reference[cur.lastrowid] = 0
        assert cur.lastrowid > 3000, cur.lastrowid
        conn.close()
        assert my_rows("my1", "sg_rvert") == reference
        time.sleep(0.3)
        assert my_rows("my0", "sg_rvert") == reference  # kept in step for a rollback
        with st.my_direct(st.MY_PRIMARIES["my1"]) as c:
            cur = c.cursor()
            cur.execute("SELECT note, raw, big FROM sg_rvert WHERE id = 7")
            assert cur.fetchone() == (NOTE, bytes([0, 255, 39, 92, 7]), 2**64 - 7)
        wf.reshard("complete", name, *common)
        assert wf.status(name, prefix)["phase"] == "completed"
        assert my_rows("my0", "sg_rvert") is None
        assert my_rows("my1", "sg_rvert") == reference
        with st.my_direct(st.MY_PRIMARIES["my1"]) as c:
            cur = c.cursor()
            cur.execute("SELECT COUNT(*) FROM shardgate_reshard_stream")
            assert cur.fetchone()[0] == 0
        print(f"  vertical move under writes through two proxies: {len(reference)} rows on my1, "
              f"equal to the acknowledged writes, 0 client errors; longest write "
              f"{w.longest * 1000:.0f} ms; stalls {doc['cutover']}")
    finally:
        setup.stop()
        drop_leftovers()


def lock_conflict():
    """The change applier loses a deadlock on the target and applies the same change again at
    once: a transaction on my1 holds row 7 of the copy (and has changed 500 more rows, so it is
    the heavier one), the applier's flush of a change to row 7 waits for it while it holds its
    position row, and that transaction then asks for the position row. MariaDB rolls the
    applier's transaction back (1213); the applier does it again, no error reaches status, and
    a cutover right after the holder ends goes through. Row 7 on my1 then carries the change
    through the proxy, not the holder's rolled-back one."""
    base = prepare_vertical()
    setup = wf.Setup("mydl", map_with_rvert(1, "my0"), map_with_rvert(2, "my1"))
    a, _ = setup.proxies
    name, prefix, common = setup.name, setup.prefix, setup.common
    stream = f"sg_rs_{name}_my0_my1"
    try:
        wf.reshard("start", "--from", setup.old, "--to", setup.new, "--workflow", name, *common)
        wf.wait_phase(name, prefix, "ready")
        holder = st.my_direct(st.MY_PRIMARIES["my1"], admin=True)
        try:
            cur = holder.cursor()
            cur.execute("BEGIN")
            cur.execute("UPDATE sg_rvert SET n = n + 1000 WHERE id = 7 OR id BETWEEN 100 AND 600")
            conn = a.my()
            conn.cursor().execute("UPDATE sg_rvert SET n = n + 1 WHERE id = 7")  # on my0
            conn.close()
            # the applier's DELETE of row 7 cannot end while the holder has the row
            waiting = 0
            deadline = time.time() + 20
            while waiting == 0 and time.time() < deadline:
                with st.my_direct(st.MY_PRIMARIES["my1"], admin=True) as c:
                    watch = c.cursor()
                    watch.execute("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE "
                                  "INFO = 'DELETE FROM `sg_rvert` WHERE `id` IN (7)'")
                    waiting = watch.fetchone()[0]
                time.sleep(0.05)
            assert waiting == 1, "".join(wf.logged_lines(name))
            # the cycle: the holder now waits for the applier's position row
            cur.execute("UPDATE shardgate_reshard_stream SET applied = applied WHERE name = %s",
                        (stream,))
            cur.execute("ROLLBACK")
        finally:
            holder.close()
        doc = wf.status(name, prefix)
        assert not doc["error"], doc
        out = wf.reshard("cutover", name, *common)
        assert "cut_over" in out.stdout, out.stdout
        log = "".join(wf.logged_lines(name))
        assert "Deadlock found" in log and "done again" in log, log
        base[7] = 1
        time.sleep(0.3)
        assert my_rows("my1", "sg_rvert") == base
        print("  a deadlock on the target lost by the change applier: the change applied again "
              "at once, no error in status, the cutover went through; my1 equal to the writes")
    finally:
        setup.stop()
        drop_leftovers()


def hash_maps(epoch, quarter):
    halves = ("{from: 0x0000000000000000, to: 0x7fffffffffffffff, shard: my0}, "
              "{from: 0x8000000000000000, to: 0xffffffffffffffff, shard: my1}")
    quarters = ("{from: 0x0000000000000000, to: 0x3fffffffffffffff, shard: my0}, "
                "{from: 0x4000000000000000, to: 0xffffffffffffffff, shard: my1}")
    text = mr.map_text(epoch)
    plain = "sg_reload: {scheme: hash, key: id, key_type: bigint}"
    first = text.index(plain)
    second = text.index(plain, first + 1)  # social's
    ranges = "sg_reload: {scheme: hash, key: id, key_type: bigint, ranges: [%s]}" % (
        quarters if quarter else halves)
    return text[:second] + ranges + text[second + len(plain):]


def hash_range(file_maps=False):
    """A hash key range of sg_reload moves from my0 to my1 under pymysql writers through two
    proxies: on etcd, or (file_maps) with map files, told of the workflow by shardctl through
    their admin APIs (the state in shardgate_reshard_workflows on my1; the second proxy is
    restarted in mid-move and knows the workflow at once from its reshard_state_file, so the
    writers use the first)."""
    drop_leftovers()
    mr.setup()
    base = {k: 0 for k in range(1, 3001)}
    for shard, port in st.MY_PRIMARIES.items():
        with st.my_direct(port) as c:
            mine = [(k,) for k in base if (keyspace(k) < 1 << 63) == (shard == "my0")]
            c.cursor().executemany("INSERT INTO sg_reload (id, n) VALUES (%s, 0)", mine)
    setup = (wf.FileSetup("myhf", hash_maps(1, False), hash_maps(2, True), "my1",
                          state_files=True) if file_maps
             else wf.Setup("myh", hash_maps(1, False), hash_maps(2, True)))
    a, b = setup.proxies
    name, prefix, old, new, common = setup.name, setup.prefix, setup.old, setup.new, setup.common
    try:
        # (with map files b is restarted in mid-move: the writers use a alone)
        with Writers([a] if file_maps else [a, b], "sg_reload",
                     lambda i: range(100000 * (i + 1), 100000 * (i + 1) + 5000)) as w:
            time.sleep(0.5)
            wf.reshard("start", "--from", old, "--to", new, "--workflow", name, *common)
            if file_maps:
                # told before the copy began: each row counted once from the first read on
                for proxy in (a, b):
                    counted = count_once(proxy, w, base)
                    assert phases(proxy) == {name: "copying"}, phases(proxy)
            doc = wf.wait_phase(name, prefix, "ready")
            moving = sum(1 for k in base if 1 << 62 <= keyspace(k) < 1 << 63)
            assert doc["rows_total"] >= moving, (doc, moving)
            # the moving rows are on both shards: a cross-shard read hides the target's copies
            counted = count_once(a, w, base, node=True, shapes=True)
            if not file_maps:
                shadowed = scatter_shadow(setup, base)
            if file_maps:
                # a proxy restarted in mid-move reads what it was told from its
                # reshard_state_file: each row once from its first read, before any status
                restart_proxy(b)
                assert phases(b) == {name: "ready"}, phases(b)
                counted = count_once(b, w, base)
                wf.status(name, prefix)
                assert phases(b) == {name: "ready"}, phases(b)
            wf.reshard("cutover", name, *common)
            # after the cutover the source's rows are hidden (kept in step for a rollback)
            counted = count_once(b, w, base, node=True, shapes=True)
            time.sleep(0.5)
        assert not w.errors, w.errors[:3]
        reference = dict(base)
        reference.update(w.reference)
        doc = wf.status(name, prefix)
        if file_maps:
            wf.reshard("complete", name, *common)
        else:
            complete_waits_for_replica(name, common, reference)
        for proxy in (a, b):
            conn = proxy.my()  # complete: every row on one shard again, read once
            assert mr.within(2.0, lambda: scatter_count(conn) == len(reference))
            conn.close()
        if file_maps:
            assert phases(a) == phases(b) == {name: "completed"}, (phases(a), phases(b))
        owner = {k: "my0" if keyspace(k) < 1 << 62 else "my1" for k in reference}
        for shard in ("my0", "my1"):
            want = {k: n for k, n in reference.items() if owner[k] == shard}
            got = my_rows(shard, "sg_reload")
            assert got == want, (shard, len(got), len(want),
                                 sorted(set(got.items()) ^ set(want.items()))[:5])
        print(f"  hash range move: {len(reference)} rows, each on its owner under the new map "
              f"and equal to the acknowledged writes, 0 client errors; longest write "
              f"{w.longest * 1000:.0f} ms; stalls {doc['cutover']}; cross-shard counts during "
              f"the move (before and after the cutover, pymysql and mysql2 query/execute; "
              f"also of the table in a derived table, WITH query, correlated subquery and "
              f"UNION ALL) each row once (last {counted}), a count after complete equal to "
              f"the rows"
              + (" (proxies with map files, told through their admin APIs; one restarted in "
                 "mid-move counted each row once from its first read, from its "
                 "reshard_state_file)" if file_maps else
                 f"; shadow reads of a cross-shard read: {shadowed[0]} compared equal under both "
                 f"layouts, a moving row changed on my1 alone found as a mismatch"))
    finally:
        if file_maps:
            file_setup_stop(setup)
        else:
            setup.stop()
            drop_leftovers()


def complete_waits_for_replica(name, common, reference):
    """`complete` with my0's replica stopped: its deletes on my0 wait (the moved rows stay and
    stderr says why) until the replica runs again, then finish (every row on its owner: checked
    by the caller)."""
    moved = sum(1 for k in reference if 1 << 62 <= keyspace(k) < 1 << 63)
    replica = st.MY_REPLICAS["my0"]
    replica_sql(replica, "STOP SLAVE")
    completing = None
    try:
        completing = subprocess.Popen(
            [wf.SHARDCTL, "reshard", "complete", name, *common, "--user", "admin", "--password",
             "admin"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        def left():
            with st.my_direct(st.MY_PRIMARIES["my0"]) as c:
                cur = c.cursor()
                cur.execute("SELECT id FROM sg_reload")
                return sum(1 for (k,) in cur.fetchall() if 1 << 62 <= keyspace(k) < 1 << 63)
        time.sleep(2.0)
        assert completing.poll() is None, completing.communicate()
        # (complete stopped the reverse applier first: the last few writes may not be back)
        held = left()
        time.sleep(1.0)
        assert left() == held and held > moved // 2, (held, moved)
    except BaseException:
        if completing:
            completing.kill()
        raise
    finally:
        replica_sql(replica, "START SLAVE")
    out, err = completing.communicate(timeout=120)
    assert completing.returncode == 0, out + err
    assert f"replica 127.0.0.1:{replica} does not replicate" in err, err


def scatter_shadow(setup, base):
    """Shadow reads (100%) of a cross-shard read of sg_reload in mid-move: under each layout
    every shard hides the rows it holds without owning them, so both answers are the rows
    once and agree; a moving row changed on the target alone is a mismatch (fixed after).
    Returns (compared, mismatches)."""
    a = setup.proxies[0]
    name, common = setup.name, setup.common

    def shadow():
        code, body = mr.admin(a.admin_port, "GET", "/shadow")
        assert code == 200, body
        return json.loads(body)

    def dealt(doc):
        return sum(doc[k] for k in ("compared", "settled", "unsettled", "mismatches", "skipped",
                                    "dropped", "errors"))
    query = "SELECT id, n FROM sg_reload WHERE id <= 400"  # every shard (the writers: 100000 up)
    wf.reshard("shadow", name, *common, "--sample", "100%")
    assert mr.within(3.0, lambda: shadow()["active"]), shadow()
    conn = a.my()
    try:
        for i in range(1, 6):
            conn.cursor().execute(query)
            assert mr.within(20.0, lambda: shadow()["queued"] == 0 and dealt(shadow()) >= i), \
                shadow()
        # and as a prepared statement (mysql2 execute(): its parameter written in)
        wf.prepared_reads("mysql", a.mysql_port, "sg_reload", [], 400)
        assert mr.within(20.0, lambda: dealt(shadow()) >= 6), shadow()
        doc = shadow()
        assert doc["skipped"] == 0 and doc["mismatches"] == 0 and doc["errors"] == 0, doc
        assert doc["compared"] + doc["settled"] >= 4, doc
        compared = doc["compared"] + doc["settled"]
        moving = next(k for k in base if k <= 400 and 1 << 62 <= keyspace(k) < 1 << 63)
        with st.my_direct(st.MY_PRIMARIES["my1"]) as c:
            c.cursor().execute("UPDATE sg_reload SET n = 999 WHERE id = %s", (moving,))
        try:
            conn.cursor().execute(query)
            assert mr.within(20.0, lambda: shadow()["mismatches"] >= 1), shadow()
            doc = shadow()
            assert "sg_reload" in doc["last_mismatch"]["fingerprint"], doc
        finally:
            with st.my_direct(st.MY_PRIMARIES["my1"]) as c:
                c.cursor().execute("UPDATE sg_reload SET n = 0 WHERE id = %s", (moving,))
    finally:
        conn.close()
        wf.reshard("shadow", name, *common, "--off")
    return compared, doc["mismatches"]


def phases(proxy):
    """The workflows `proxy` knows of (GET /reshard): name -> phase."""
    code, body = mr.admin(proxy.admin_port, "GET", "/reshard")
    assert code == 200, body
    return {w["name"]: w["phase"] for w in json.loads(body)["workflows"]}


def restart_proxy(proxy):
    """Stops `proxy` and starts it again on the same config (same ports)."""
    proxy.stop()
    proxy.process = subprocess.Popen([os.environ["SHARDGATE_BIN"], "--config", proxy.config],
                                     stdout=proxy.log, stderr=subprocess.STDOUT)
    deadline = time.time() + 10
    for port in (proxy.mysql_port, proxy.admin_port):
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert proxy.process.poll() is None and time.time() < deadline, proxy.output()
                time.sleep(0.05)


def scatter_count(conn):
    """`SELECT count(*)` of sg_reload through a proxy."""
    cur = conn.cursor()
    cur.execute("SELECT count(*) FROM sg_reload")
    return cur.fetchone()[0]


# Cross-shard reads of the table in a derived table, a WITH query, a correlated subquery with
# an index hint, and both branches of a UNION ALL (each shard reads it through a derived table
# that hides the rows it holds without owning them), and how many times each reads every row.
SHAPES = (
    ("SELECT count(*), count(DISTINCT id) FROM (SELECT id FROM {t} WHERE n >= 0) AS d", 1),
    ("WITH w AS (SELECT id FROM {t} s) SELECT count(*), count(DISTINCT id) FROM w", 1),
    ("SELECT count(*), count(DISTINCT id) FROM {t} WHERE EXISTS (SELECT 1 FROM {t} AS s "
     "USE INDEX (PRIMARY) WHERE s.id = {t}.id)", 1),
    ("SELECT id FROM {t} UNION ALL SELECT id FROM {t} AS u", 2),
)


def count_once(proxy, writers, base, node=False, table="sg_reload",
               by_key="SELECT n FROM sg_reload WHERE id = 7", shapes=False):
    """With the writers held, a cross-shard count of `table` through `proxy` sees every row
    once (the `base` rows and the acknowledged writes; a shard's copies of rows it does not own
    are hidden): on the primaries at once, on the replicas once they caught up (2 s); `node`:
    also through mysql2, text and prepared; `shapes`: also the SHAPES reads on the primaries
    (and through mysql2 the count of a derived table). The session goes on with a read by key
    (`by_key`). Returns the count."""
    writers.quiet()
    try:
        expected = len(base) + len(writers.reference)
        conn = proxy.my()
        cur = conn.cursor()
        query = f"SELECT count(*), count(DISTINCT id) FROM {table}"
        cur.execute("/* shardgate: primary */ " + query)
        found = cur.fetchone()
        assert found == (expected, expected), (found, expected)
        seen = []

        def on_replicas():
            cur.execute(query)
            seen.append(cur.fetchone())
            assert seen[-1][0] == seen[-1][1], seen  # never a row twice
            return seen[-1] == (expected, expected)
        assert mr.within(2.0, on_replicas), (seen[-3:], expected)
        for shape, times in SHAPES if shapes else ():
            cur.execute("/* shardgate: primary */ " + shape.format(t=table))
            if times == 1:
                found = cur.fetchone()
            else:  # the rows: each id `times` times
                ids = collections.Counter(row[0] for row in cur.fetchall())
                found = (sum(ids.values()), len(ids), set(ids.values()))
                assert found[2] == {times}, (shape, found)
                found = found[:2]
            assert found == (times * expected, expected), (shape, found, expected)
        cur.execute(by_key)
        assert cur.fetchone() is not None
        conn.close()
        for derived in (False, True) if node else ():
            if derived and not shapes:
                continue
            counted = node_count(proxy.mysql_port, table, derived)
            assert counted == {"query": [expected] * 2, "execute": [expected] * 2}, (
                derived, counted, expected)
        return expected
    finally:
        writers.hold.clear()


def node_count(port, table, derived=False):
    """A cross-shard count through mysql2 (drivers_node/scatter_count.js): query() and
    execute(), with the primary hint left out (the replicas have caught up already);
    `derived`: of a derived table reading `table`."""
    sys.path.insert(0, NODE_DIR)
    import node_test  # noqa: E402  (npm ci of the pinned drivers when needed)
    node_test.ensure_node_modules()
    run = subprocess.run(["node", os.path.join(NODE_DIR, "scatter_count.js")],
                         input=json.dumps({"port": port, "table": table, "derived": derived}),
                         text=True,
                         capture_output=True, timeout=60, cwd=NODE_DIR)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def restart():
    """kill -9 of the change applier while writes go on; `resume` continues from its position
    and the copy catches up (verify equal); `abort` then drops the copy, the source keeps
    every row."""
    base = prepare_vertical()
    setup = wf.Setup("myr", map_with_rvert(1, "my0"), map_with_rvert(2, "my1"))
    a, b = setup.proxies
    name, prefix, old, new, common = setup.name, setup.prefix, setup.old, setup.new, setup.common
    try:
        with Writers([a, b], "sg_rvert",
                     lambda i: range(100000 * (i + 1), 100000 * (i + 1) + 3000)) as w:
            wf.reshard("start", "--from", old, "--to", new, "--workflow", name, *common)
            wf.wait_phase(name, prefix, "ready")
            pid = applier_pid(name)
            assert pid and alive(pid), pid
            os.kill(pid, signal.SIGKILL)
            time.sleep(1.0)  # writes meanwhile are not applied
            doc = wf.status(name, prefix)
            assert doc["lag_ms"] == -1 or doc["phase"] != "ready", doc
            wf.reshard("resume", name, *common)
            assert mr.within(3.0, lambda: applier_pid(name) != pid)
            new_pid = applier_pid(name)
            assert alive(new_pid), (pid, new_pid)
            wf.wait_phase(name, prefix, "ready")
        assert not w.errors, w.errors[:3]
        out = wf.reshard("verify", name, *common, check=False)
        assert out.returncode == 0 and "equal" in out.stdout, out.stdout + out.stderr
        reference = dict(base)
        reference.update(w.reference)
        assert my_rows("my1", "sg_rvert") == reference
        # a row changed behind the applier's back on the target: verify names its key range
        with st.my_direct(st.MY_PRIMARIES["my1"]) as c:
            c.cursor().execute("UPDATE sg_rvert SET n = 99 WHERE id = 7")
        out = wf.reshard("verify", name, *common, check=False)
        bucket = hashlib.md5(b"7").hexdigest()[:2]
        assert out.returncode == 1 and ("different in 1 of 256 key ranges: "
                                        f"0x{bucket}00000000000000-0x{bucket}ffffffffffffff"
                                        ) in out.stdout, out.stdout + out.stderr
        assert "1 rows different or missing on my1, keys: 7\n" in out.stdout, out.stdout
        wf.reshard("abort", name, *common)
        assert wf.status(name, prefix)["phase"] == "aborted"
        assert my_rows("my1", "sg_rvert") is None
        assert my_rows("my0", "sg_rvert") == reference
        assert not alive(new_pid)
        print(f"  applier killed -9 under writes, resumed: copy equal to the source "
              f"({len(reference)} rows); abort dropped the copy, the source kept every row")
    finally:
        setup.stop()
        drop_leftovers()


def crash():
    """A vertical move whose cutover's shardctl is killed -9 before and after the switch
    (workflow_test.interrupted_cutovers), then completed."""
    base = prepare_vertical()
    setup = wf.Setup("myc", map_with_rvert(1, "my0"), map_with_rvert(2, "my1"))
    a, b = setup.proxies
    name, prefix, old, new, common = setup.name, setup.prefix, setup.old, setup.new, setup.common
    try:
        with Writers([a, b], "sg_rvert",
                     lambda i: range(100000 * (i + 1), 100000 * (i + 1) + 5000)) as w:
            wf.reshard("start", "--from", old, "--to", new, "--workflow", name, *common)
            wf.wait_phase(name, prefix, "ready")
            wf.interrupted_cutovers(name, prefix, common, [a, b])
            time.sleep(1.0)
        assert not w.errors, w.errors[:3]
        reference = dict(base)
        reference.update(w.reference)
        assert my_rows("my1", "sg_rvert") == reference
        time.sleep(0.3)
        assert my_rows("my0", "sg_rvert") == reference  # the reverse applier runs
        wf.reshard("complete", name, *common)
        assert my_rows("my0", "sg_rvert") is None
        assert my_rows("my1", "sg_rvert") == reference
        print(f"  cutover's shardctl killed -9 before and after the switch, resumed each time: "
              f"{len(reference)} rows on my1 equal to the acknowledged writes, 0 client errors, "
              f"longest write {w.longest * 1000:.0f} ms")
    finally:
        setup.stop()
        drop_leftovers()


def file_setup_stop(setup):
    """Stops a workflow_test.FileSetup of this file's tests and drops what they left."""
    setup.stop()
    drop_leftovers()
    with st.my_direct(st.MY_PRIMARIES["my1"], admin=True) as c:
        c.cursor().execute("DELETE FROM shardgate_reshard_workflows WHERE name = %s",
                           (setup.name,))


def no_etcd():
    """The vertical move through two proxies with file maps (no etcd): the state in
    shardgate_reshard_workflows on my1, locked with GET_LOCK, cutovers through the admin APIs;
    the cutover's shardctl killed -9 before the switch, a cutover, the rollback's shardctl
    killed -9 after one proxy switched back, resumed (workflow_test.without_etcd)."""
    base = prepare_vertical()
    setup = wf.FileSetup("myne", map_with_rvert(1, "my0"), map_with_rvert(2, "my1"), "my1")

    def state(name):
        with st.my_direct(st.MY_PRIMARIES["my1"], admin=True) as c:
            cur = c.cursor()
            cur.execute("SELECT doc FROM shardgate_reshard_workflows WHERE name = %s", (name,))
            return json.loads(cur.fetchone()[0])

    @contextlib.contextmanager
    def hold_lock(key):
        with st.my_direct(st.MY_PRIMARIES["my1"], admin=True) as c:
            cur = c.cursor()
            cur.execute("SELECT GET_LOCK(%s, 0)", (key,))
            assert cur.fetchone()[0] == 1
            yield
    try:
        reference, w, doc = wf.without_etcd(
            setup, "sg_rvert", ("my0", "my1"), lambda shard: my_rows(shard, "sg_rvert"), base,
            lambda i: range(100000 * (i + 1), 100000 * (i + 1) + 5000),
            lambda proxy: proxy.my(), state, hold_lock, rollback=True)
        print(f"  vertical move without etcd (state on my1, cutovers through the admin APIs, "
              f"shardctl killed -9 before the cutover's switch and after the rollback switched "
              f"one of two proxies): {len(reference)} rows back on my0 equal to the "
              f"acknowledged writes, my1's copy dropped, 0 client errors, longest write "
              f"{w.longest * 1000:.0f} ms; cutover {doc['cutover'].get('cutover')}")
    finally:
        file_setup_stop(setup)


def shadow():
    """workflow_test.shadow_reads on MariaDB: pymysql through two proxies with map files (no
    etcd): the shadow reaches them through their admin APIs."""
    base = prepare_vertical()
    setup = wf.FileSetup("mysh", map_with_rvert(1, "my0"), map_with_rvert(2, "my1"), "my1")

    def on_target(sql):
        with st.my_direct(st.MY_PRIMARIES["my1"]) as c:
            c.cursor().execute(sql)
    try:
        compared, again = wf.shadow_reads(
            setup, "sg_rvert", base, lambda i: range(100000 * (i + 1), 100000 * (i + 1) + 5000),
            lambda proxy: proxy.my(), on_target, engine="mysql")
        print(f"  shadow reads under writes: {compared} reads compared equal under both maps "
              f"({again} of them after a second look); a row changed on my1 found as a mismatch "
              f"and the cutover refused; fixed, the cutover went on and ended the shadow")
    finally:
        file_setup_stop(setup)


def source_restart():
    """The source primary killed -9 during the copy and catch-up and started again: the change
    applier retries from its last position, the workflow becomes ready, and the cutover leaves
    every acknowledged write on the new shard (the writers pause while the server is down, so
    no write is in doubt)."""
    base = prepare_vertical()
    setup = wf.Setup("myrst", map_with_rvert(1, "my0"), map_with_rvert(2, "my1"))
    a, b = setup.proxies
    topology = os.path.join(os.environ["SHARDGATE_SOURCE_DIR"], "scripts", "topology")
    try:
        with Writers([a, b], "sg_rvert",
                     lambda i: range(100000 * (i + 1), 100000 * (i + 1) + 5000)) as w:
            time.sleep(0.3)
            wf.reshard("start", "--from", setup.old, "--to", setup.new, "--workflow",
                       setup.name, *setup.common)
            w.quiet()  # no write in flight while the server dies
            with open(os.environ["SHARDGATE_TOPOLOGY"]) as f:
                pid = [s["pid"] for s in json.load(f)["servers"]
                       if s["shard"] == "my0" and s["role"] == "primary"][0]
            os.kill(pid, 9)
            time.sleep(1.0)
            doc = wf.status(setup.name, setup.prefix)
            assert doc["error"], doc
            up = wf.topology_up(topology)
            assert up.returncode == 0, up.stdout + up.stderr
            time.sleep(2.0)  # the proxies' monitor sees my0 up again
            w.errors.clear()  # writes refused while it was down were not acknowledged
            w.hold.clear()
            wf.wait_phase(setup.name, setup.prefix, "ready", seconds=90)
            wf.reshard("cutover", setup.name, *setup.common)
            time.sleep(1.0)
        assert not w.errors, w.errors[:3]
        reference = dict(base)
        reference.update(w.reference)
        got = my_rows("my1", "sg_rvert")
        assert got == reference, (len(got), len(reference),
                                  sorted(set(got.items()) ^ set(reference.items()))[:10])
        wf.reshard("complete", setup.name, *setup.common)
        print(f"  source primary killed -9 during the catch-up: the applier went on after its "
              f"restart; {len(reference)} rows on my1 equal to the acknowledged writes")
    finally:
        wf.topology_up(topology)  # my0 runs again whatever failed
        setup.stop()
        drop_leftovers()


def time_lifecycle():
    """Old time buckets go to an archive shard on MariaDB: sg_events' first half of 2025 moves
    from my0 to my1 under pymysql inserts and updates in every month through two proxies (the
    moving ones included); afterwards every row on its owner, equal to the acknowledged writes."""
    drop_leftovers()
    mr.setup()
    shards = ("my0", "my1")
    base = wf.table_on_owners("sg_events", "at datetime", lambda k: wf.at_of(k)[:19],
                              lambda k, moved: wf.events_owner(k, moved, shards), mysql=True)
    after = "      sg_vert: {scheme: vertical, shard: my0}\n"
    old_text = wf.events_map(1, False, shards, after, key_type="timestamp")  # (at datetime)
    new_text = wf.events_map(2, True, shards, after, text=mr.map_text(2), key_type="timestamp")
    setup = wf.Setup("mytime", old_text, new_text)
    try:
        _, reference, doc, _ = wf.keyed_move_under_writes(
            setup, "sg_events", base, lambda k, moved: wf.events_owner(k, moved, shards),
            ("INSERT INTO sg_events (id, at, n) VALUES (%s, %s, 0)",
             lambda k: (k, wf.at_of(k)[:19])),
            ("UPDATE sg_events SET n = n + 1 WHERE at = %s AND id = %s",
             lambda k: (wf.at_of(k)[:19], k)),
            shards=shards, connect=lambda proxy: proxy.my(), rows=my_rows)
        moved = sum(1 for k in reference
                    if wf.events_owner(k, True, shards) != wf.events_owner(k, False, shards))
        print(f"  time buckets archived: {moved} of {len(reference)} rows moved my0 -> my1, "
              f"each row on its owner and equal to the acknowledged writes, 0 client errors; "
              f"stalls {doc['cutover']}")
    finally:
        setup.stop()
        for port in st.MY_PRIMARIES.values():
            with st.my_direct(port) as c:
                c.cursor().execute("DROP TABLE IF EXISTS sg_events")
        drop_leftovers()


def list_default():
    """A list table's listed value and its default shard move together on MariaDB (F\\R
    listed, BR and AR by the default shard, my0 -> my1; JP listed on my0 after, so it stays)
    under pymysql writes through two proxies; while both shards hold the moving rows a
    cross-shard count through a proxy (pymysql; mysql2 query() and execute()) sees each row
    once (the conditions hide the copies; a listed value with a backslash was refused before);
    afterwards every row on its owner, equal to the acknowledged writes."""
    drop_leftovers()
    mr.setup()
    shards = ("my0", "my1")
    base = wf.table_on_owners("sg_geo", "cc varchar(8)", wf.cc_of,
                              lambda k, moved: wf.geo_owner(k, moved, shards), mysql=True)
    setup = wf.Setup("mygeo", wf.geo_map(1, False, shards), wf.geo_map(2, True, shards))
    counted = []
    try:
        moves, reference, doc, verified = wf.keyed_move_under_writes(
            setup, "sg_geo", base, lambda k, moved: wf.geo_owner(k, moved, shards),
            ("INSERT INTO sg_geo (id, cc, n) VALUES (%s, %s, 0)", lambda k: (k, wf.cc_of(k))),
            ("UPDATE sg_geo SET n = n + 1 WHERE cc = %s AND id = %s",
             lambda k: (wf.cc_of(k), k)),
            verify=True, shards=shards, connect=lambda proxy: proxy.my(), rows=my_rows,
            at_ready=lambda w: counted.append(count_once(
                setup.proxies[0], w, base, table="sg_geo", node=True,
                by_key="SELECT n FROM sg_geo WHERE cc = 'DE' AND id = 7")))
        assert sorted(r["kind"] for r in moves[0]["ranges"]) == ["default", "list_value"], moves
        moved = {wf.cc_of(k) for k in reference
                 if wf.geo_owner(k, True, shards) != wf.geo_owner(k, False, shards)}
        assert moved == {wf.FR_, "BR", "AR"}, moved
        print(f"  list value and default shard moved my0 -> my1 ({wf.FR_}; BR, AR): a cross-shard "
              f"count during the move saw {counted[0]} rows, each once; verify: "
              f"{verified[:200]}; each of {len(reference)} rows on its owner and equal to the "
              f"acknowledged writes, 0 client errors; stalls {doc['cutover']}")
    finally:
        setup.stop()
        for port in st.MY_PRIMARIES.values():
            with st.my_direct(port) as c:
                c.cursor().execute("DROP TABLE IF EXISTS sg_geo")
        drop_leftovers()


def replica_sql(port, statement):
    with st.my_direct(port, admin=True) as c:
        c.cursor().execute(statement)


def throttle():
    """The copy's throttles: with my1's replica stopped the copy waits after its first chunk
    and status says why; replication started again, it goes on at no more than
    --max-rows-per-s; abort at the end."""
    prepare_vertical()
    with st.my_direct(st.MY_PRIMARIES["my0"]) as c:  # 12,000 rows: six chunks
        c.cursor().executemany("INSERT INTO sg_rvert (id, n) VALUES (%s, 0)",
                               [(k,) for k in range(3001, 12001)])
    setup = wf.Setup("mythr", map_with_rvert(1, "my0"), map_with_rvert(2, "my1"))
    name, prefix, common = setup.name, setup.prefix, setup.common
    replica = st.MY_REPLICAS["my1"]
    try:
        replica_sql(replica, "STOP SLAVE")
        started = time.time()
        wf.reshard("start", "--from", setup.old, "--to", setup.new, "--workflow", name,
                   "--max-rows-per-s", "4000", "--max-replica-lag-ms", "2000", *common)
        assert mr.within(5.0, lambda: "copy waits" in wf.status(name, prefix)["error"])
        time.sleep(1.5)
        doc = wf.status(name, prefix)
        assert doc["phase"] == "copying" and doc["rows_copied"] <= 2000, doc
        assert f"replica 127.0.0.1:{replica} does not replicate" in doc["error"], doc
        replica_sql(replica, "START SLAVE")
        resumed = time.time()
        doc = wf.wait_phase(name, prefix, "ready")
        took = time.time() - resumed
        assert not doc["error"] and doc["rows_copied"] == 12000, doc
        # 10,000 rows left at 4,000 rows/s: at least 2 s
        assert took >= 2.0, took
        wf.reshard("abort", name, *common)
        print(f"  throttles: the copy waited {resumed - started:.1f} s for my1's stopped "
              f"replica (status said so), then copied the last 10,000 rows in {took:.1f} s "
              f"under a 4,000 rows/s cap")
    finally:
        replica_sql(replica, "START SLAVE")
        setup.stop()
        drop_leftovers()


MY2 = ("      my2:\n        primary: 127.0.0.1:13310\n        replicas: [127.0.0.1:13311]\n"
       "        max_replica_lag_ms: 1000\n")


def social_ring_map(epoch, three):
    """The test map whose social database holds only sg_reload on a consistent-hash ring and
    the reference table tags, on my0 and my1 (and my2 when `three`)."""
    head, social = mr.map_text(epoch).split("  social:\n", 1)
    shards = social[:social.index("    tables:\n")] + (MY2 if three else "")
    return (head + "  social:\n" + shards + "    tables:\n"
            "      sg_reload: {scheme: consistent_hash, key: id, key_type: bigint}\n"
            "      tags: {scheme: reference}\n")


def add_shard():
    """A third MariaDB shard joins under writes: scripts/topology add-shard mysql starts my2;
    the new map lists it; the workflow moves the ring arcs my2's vnodes take from my0 and from
    my1 (two streams, two change appliers) and copies the reference table tags to my2.
    Afterwards every row sits on its owner under the three-shard ring, equal to the
    acknowledged writes; tags is on all three shards."""
    drop_leftovers()
    mr.setup()
    topology = os.path.join(os.environ["SHARDGATE_SOURCE_DIR"], "scripts", "topology")
    out = wf.subprocess.run([topology, "add-shard", "mysql"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    ports = dict(st.MY_PRIMARIES, my2=13310)
    setup = None
    try:
        for shard, port in ports.items():
            with st.my_direct(port, admin=True) as c:
                cur = c.cursor()
                for table in ("tags", "shardgate_reshard_stream", "shardgate_reshard_marker"):
                    cur.execute(f"DROP TABLE IF EXISTS {table}")
                if shard == "my2":
                    cur.execute("DROP TABLE IF EXISTS sg_reload")
                    continue
                cur.execute("CREATE TABLE tags (id int PRIMARY KEY, name varchar(20))")
                cur.executemany("INSERT INTO tags VALUES (%s, %s)",
                                [(k, f"t{k}") for k in range(1, 21)])
        setup = wf.Setup("mygrow", social_ring_map(1, False), social_ring_map(2, True))
        a, b = setup.proxies
        for k in range(1, 41):  # the ring agrees with shardctl locate
            found = wf.subprocess.run([wf.SHARDCTL, "locate", setup.new, "social", "sg_reload",
                                       str(k), "--json"], capture_output=True, text=True,
                                      check=True)
            assert json.loads(found.stdout)["shard"] == wf.ring_owner(
                k, ["my0", "my1", "my2"]), k
        conn = a.my()
        conn.cursor().executemany("INSERT INTO sg_reload (id, n) VALUES (%s, 0)",
                                  [(k,) for k in range(1, 2001)])
        conn.close()
        base = {k: 0 for k in range(1, 2001)}
        with Writers([a, b], "sg_reload",
                     lambda i: range(100000 * (i + 1), 100000 * (i + 1) + 5000)) as w:
            time.sleep(0.5)
            out = wf.reshard("start", "--from", setup.old, "--to", setup.new, "--workflow",
                             setup.name, *setup.common)
            assert out.stdout.count("copying") == 2, out.stdout
            wf.check_arc_progress(setup, "sg_reload")  # progress per ring arc
            wf.reshard("cutover", setup.name, *setup.common)
            time.sleep(1.0)
        assert not w.errors, w.errors[:3]
        doc = wf.status(setup.name, setup.prefix)
        wf.reshard("complete", setup.name, *setup.common)
        reference = dict(base)
        reference.update(w.reference)
        owner = {k: wf.ring_owner(k, ["my0", "my1", "my2"]) for k in reference}
        counts = {}
        for shard, port in ports.items():
            with st.my_direct(port) as c:
                cur = c.cursor()
                cur.execute("SELECT id, n FROM sg_reload")
                rows = dict(cur.fetchall())
                cur.execute("SELECT COUNT(*) FROM tags")
                assert cur.fetchone()[0] == 20, shard
            want = {k: n for k, n in reference.items() if owner[k] == shard}
            assert rows == want, (shard, len(rows), len(want))
            counts[shard] = len(rows)
        print(f"  add a shard: my2 joined, {counts['my2']} of {len(reference)} rows moved to it "
              f"from my0 and my1 (ring arcs only), tags copied, 0 client errors; longest write "
              f"{w.longest * 1000:.0f} ms; stalls {doc['cutover']}")
    finally:
        if setup:
            setup.stop()
        wf.subprocess.run([topology, "remove-shard", "mysql"], capture_output=True)
        for port in st.MY_PRIMARIES.values():
            with st.my_direct(port, admin=True) as c:
                c.cursor().execute("DROP TABLE IF EXISTS tags")
        drop_leftovers()


if __name__ == "__main__":
    {"vertical": vertical, "rollback": lambda: vertical(rollback=True), "hash": hash_range,
     "hash_no_etcd": lambda: hash_range(file_maps=True),
     "restart": restart, "crash": crash, "add_shard": add_shard, "lock_conflict": lock_conflict,
     "source_restart": source_restart, "throttle": throttle, "time": time_lifecycle,
     "no_etcd": no_etcd, "shadow": shadow, "list_default": list_default}[sys.argv[1]]()
    print("ok")
