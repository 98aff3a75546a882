#!/usr/bin/python3
"""Write pauses (admin POST /pause, POST /resume), the primitive a cutover uses, under load:
writes to the paused table group wait and then succeed (no client error), reads and writes
outside the scope go on, a pause ends by itself at its deadline, and a transaction that was
open when the pause began may finish within the drain time, after which its writes in scope get
a retryable error (40001); a fencing pause (fence_ms) fails a write that waited that long,
unwritten, and lasts until resumed. Usage: pause_test.py pause|pipelined"""
import json
import os
import re
import socket
import struct
import sys
import tempfile
import threading
import time

import psycopg2
from pymysql.constants import COMMAND

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import map_reload_test as mr  # noqa: E402  (map texts, admin calls, tables)
import scatter_test as st  # noqa: E402  (direct connections, the harness)
import write_test as wt  # noqa: E402  (maps and proxies)


class Load:
    """Clients in threads: each records when its statements finished and any error."""

    def __init__(self):
        self.stop = threading.Event()
        self.threads = []
        self.done = {}
        self.errors = []

    def run(self, name, connect, sql, args):
        self.done[name] = []

        def loop():
            conn = connect()
            cur = conn.cursor()
            k = 0
            while not self.stop.is_set():
                k += 1
                try:
                    cur.execute(sql, args(k))
                    if cur.description:
                        cur.fetchall()
                    self.done[name].append(time.time())
                except Exception as e:  # noqa: BLE001  (asserted empty)
                    self.errors.append(f"{name}: {e!r}")
            conn.close()

        # (daemon: a failed assertion ends the test instead of leaving clients looping on
        # the errors of a stopped proxy until the test's timeout)
        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        self.threads.append(thread)

    def count(self, name, since, until):
        return sum(1 for t in self.done[name] if since <= t <= until)

    def longest_gap(self, name, since, until):
        times = [since] + [t for t in self.done[name] if since <= t <= until] + [until]
        return max(b - a for a, b in zip(times, times[1:]))

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(30)


def pause():
    mr.setup()
    folder = tempfile.mkdtemp(prefix="sg_pause_")
    path = os.path.join(folder, "map.yaml")
    with open(path, "w") as f:
        f.write(mr.map_text(1))
    with wt.proxy_for(path)() as proxy:
        conn = proxy.connect()
        conn.autocommit = True
        for i in range(1, 51):
            conn.cursor().execute("INSERT INTO sg_reload (id, n) VALUES (%s, 0)", (i,))
        proxy.my().cursor().executemany("INSERT INTO sg_reload (id, n) VALUES (%s, 0)",
                                        [(i,) for i in range(1, 51)])

        def pg():
            c = proxy.connect()
            c.autocommit = True
            return c

        load = Load()
        update = "UPDATE sg_reload SET n = n + 1 WHERE id = %s"
        load.run("pg_write", pg, update, lambda k: (k % 50 + 1,))
        load.run("pg_read", pg, "SELECT n FROM sg_reload WHERE id = %s", lambda k: (k % 50 + 1,))
        load.run("my_write", proxy.my, update, lambda k: (k % 50 + 1,))
        time.sleep(0.5)

        # writes to shop's sg_reload wait while paused; reads and social's writes go on
        status, body = mr.admin(proxy.admin_port, "POST", "/pause", json.dumps(
            {"database": "shop", "table": "sg_reload", "deadline_ms": 5000, "drain_ms": 500}))
        assert status == 200, (status, body)
        paused_at = time.time()
        time.sleep(0.6)
        status, body = mr.admin(proxy.admin_port, "POST", "/resume", "{}")
        resumed_at = time.time()
        assert status == 200 and json.loads(body)["resumed"], body
        time.sleep(0.5)
        during = (paused_at + 0.05, resumed_at - 0.05)
        assert load.count("pg_write", *during) <= 1, load.count("pg_write", *during)
        assert load.count("pg_read", *during) > 5, load.count("pg_read", *during)
        assert load.count("my_write", *during) > 5, load.count("my_write", *during)
        assert load.count("pg_write", resumed_at, resumed_at + 0.5) > 5
        stall = load.longest_gap("pg_write", paused_at - 0.1, resumed_at + 0.5)
        assert stall >= 0.5, stall
        doc = st.admin_status(proxy.admin_port)["pauses"]
        assert doc["writes_waited"] >= 1 and doc["longest_wait_ms"] >= 400, doc
        assert doc["active"] == [], doc

        # a pause ends by itself at its deadline (timed from before the request: under load
        # its answer can come back a good part of the 300 ms later)
        started = time.time()
        status, _ = mr.admin(proxy.admin_port, "POST", "/pause", json.dumps(
            {"database": "shop", "table": "sg_reload", "deadline_ms": 300}))
        assert status == 200
        time.sleep(max(0.0, 0.8 - (time.time() - started)))
        assert load.count("pg_write", started + 0.4, started + 0.8) > 5
        gap = load.longest_gap("pg_write", started, started + 0.8)
        assert 0.2 <= gap <= 0.6, gap
        load.finish()
        assert not load.errors, load.errors[:3]

        # a transaction open when the pause began: may finish within the drain time, then its
        # writes in scope are refused with a retryable error
        txn = proxy.connect()
        cur = txn.cursor()
        cur.execute(update, (1,))
        status, _ = mr.admin(proxy.admin_port, "POST", "/pause", json.dumps(
            {"database": "shop", "table": "sg_reload", "deadline_ms": 5000, "drain_ms": 300}))
        cur.execute(update, (2,))  # within the drain time: goes on
        time.sleep(0.4)
        try:
            cur.execute(update, (3,))
            raise AssertionError("a write after the drain time went on")
        except psycopg2.errors.SerializationFailure as e:
            assert "drain" in str(e), e
        txn.rollback()
        txn.close()
        assert st.admin_status(proxy.admin_port)["pauses"]["drain_errors"] == 1
        # a fencing pause (fence_ms, a cutover's through the admin API): no deadline of its own;
        # a write in scope waits fence_ms, then fails retryable and unwritten; only a resume
        # ends it
        def stored_n(key):
            for port in st.PG_PRIMARIES.values():
                with st.pg_direct(port) as c, c.cursor() as cur:
                    cur.execute("SELECT n FROM sg_reload WHERE id = %s", (key,))
                    row = cur.fetchone()
                    if row:
                        return row[0]
        status, body = mr.admin(proxy.admin_port, "POST", "/pause", json.dumps(
            {"database": "shop", "table": "sg_reload", "fence_ms": 400}))
        assert status == 200, body
        fence = json.loads(body)["id"]
        before = stored_n(5)
        writer = pg()
        began = time.time()
        try:
            writer.cursor().execute(update, (5,))
            raise AssertionError("a write went on through a fencing pause")
        except psycopg2.errors.SerializationFailure:
            waited = time.time() - began
        assert 0.35 <= waited < 3, waited
        assert stored_n(5) == before
        status, body = mr.admin(proxy.admin_port, "GET", "/pause")
        active = [p for p in json.loads(body)["pauses"]["active"] if p["id"] == fence]
        assert [p.get("fence_ms") for p in active] == [400], body
        assert active[0]["remaining_ms"] > 3_600_000 and active[0]["open_writers"] == 0, active
        # POST /map?pause=ID (the barrier's switch without etcd) installs only while that pause
        # holds the writes: not for a pause this proxy does not have (restarted since)
        status, text = mr.admin(proxy.admin_port, "GET", "/map")
        epoch = st.admin_status(proxy.admin_port)["map_epoch"]
        newer, replaced = re.subn(r"(?m)^epoch: *\d+", f"epoch: {epoch + 1}", text)
        assert status == 200 and replaced == 1, text
        status, body = mr.admin(proxy.admin_port, "POST", f"/map?pause={fence + 1000}", newer)
        assert status == 409 and "not active" in body, (status, body)
        for bad in ("x", "0", "1x", "", f"{fence}&pause={fence}"):
            status, body = mr.admin(proxy.admin_port, "POST", f"/map?pause={bad}", newer)
            assert status == 400, (bad, status, body)
        assert st.admin_status(proxy.admin_port)["map_epoch"] == epoch
        status, body = mr.admin(proxy.admin_port, "POST", f"/map?pause={fence}", newer)
        assert status == 200 and json.loads(body)["installed"], (status, body)
        assert st.admin_status(proxy.admin_port)["map_epoch"] == epoch + 1
        status, body = mr.admin(proxy.admin_port, "POST", "/resume", json.dumps({"id": fence}))
        assert json.loads(body)["resumed"], body
        writer.cursor().execute(update, (5,))
        assert stored_n(5) == before + 1
        writer.close()
        status, body = mr.admin(proxy.admin_port, "POST", "/pause",
                                json.dumps({"database": "shop", "fence_ms": 0}))
        assert status == 400 and "fence_ms" in body, (status, body)
        # bad requests
        status, body = mr.admin(proxy.admin_port, "POST", "/pause", json.dumps({"table": "x"}))
        assert status == 400, (status, body)
        status, body = mr.admin(proxy.admin_port, "POST", "/pause",
                                json.dumps({"database": "shop", "table": "no_such_table"}))
        assert status == 400, (status, body)
        # fields of the wrong type get 400 (and no pause), not a dropped connection
        for path, doc in (("/pause", {"database": 5}), ("/pause", {"database": "shop",
                                                                  "deadline_ms": "x"}),
                          ("/resume", {"id": "x"}), ("/shadow", {"sample": "x"}),
                          ("/shadow", {"sample": 0.5, "tables": 5}), ("/shadow", [1])):
            status, body = mr.admin(proxy.admin_port, "POST", path, json.dumps(doc))
            assert status == 400, (path, doc, status, body)
        status, body = mr.admin(proxy.admin_port, "GET", "/pause")
        assert all(p["id"] != 0 for p in json.loads(body)["pauses"]["active"]), body
        mr.admin(proxy.admin_port, "POST", "/resume", "{}")
        conn.cursor().execute(update, (4,))  # writes go on after the resume
        print(f"  write pause: writes stalled {stall:.2f}s (paused 0.6 s), reads and other "
              f"databases went on, 0 client errors; deadline ended a pause after {gap:.2f}s; "
              f"a fencing pause failed a write after {waited:.2f}s (fence_ms 400), unwritten")
        conn.close()

def open_writers(proxy):
    active = st.admin_status(proxy.admin_port)["pauses"]["active"]
    return active[0]["open_writers"] if active else None


def drains_while_next_waits(proxy, database, send_both, read_both, stored_n):
    """`send_both` sends a slow autocommit UPDATE of sg_reload id 1 (about 1 s) and, in the same
    write, a second UPDATE of it; a pause of `database` begins while the first runs. Once the
    first is answered the pause is drained (no open writer) although the second, already
    received, waits in it; after the resume both are written."""
    before = stored_n(1)
    send_both()
    time.sleep(0.3)  # the first UPDATE runs: a writer from before the pause
    status, body = mr.admin(proxy.admin_port, "POST", "/pause", json.dumps(
        {"database": database, "table": "sg_reload", "deadline_ms": 20000, "drain_ms": 10000}))
    assert status == 200, (status, body)
    pause_id = json.loads(body)["id"]
    assert open_writers(proxy) == 1, st.admin_status(proxy.admin_port)["pauses"]
    deadline = time.time() + 5
    while open_writers(proxy) != 0 and time.time() < deadline:
        time.sleep(0.05)
    doc = st.admin_status(proxy.admin_port)["pauses"]
    assert open_writers(proxy) == 0, doc  # drained: the waiting statement is no writer yet
    assert stored_n(1) == before + 1, (stored_n(1), before)  # the second waits, unwritten
    status, body = mr.admin(proxy.admin_port, "POST", "/resume", json.dumps({"id": pause_id}))
    assert json.loads(body)["resumed"], body
    read_both()
    assert stored_n(1) == before + 2, (stored_n(1), before)


def pipelined():
    """A client's next statement already received (pipelined) while its autocommit write runs:
    a pause that begins meanwhile is drained once that write is answered (the write is no
    longer counted as open while the next one waits), on both protocols; were it still counted,
    the pause would wait for a writer that waits for the pause."""
    mr.setup()
    folder = tempfile.mkdtemp(prefix="sg_pipelined_")
    path = os.path.join(folder, "map.yaml")
    with open(path, "w") as f:
        f.write(mr.map_text(1))
    users = ("  - {name: raw, password: x, auth: trust}\n"  # continues the harness's users
             "backend_user: app\nbackend_password: app\n")
    with wt.proxy_for(path)(extra_config=users) as proxy:
        conn = proxy.connect()
        conn.autocommit = True
        conn.cursor().execute("INSERT INTO sg_reload (id, n) VALUES (1, 0)")
        conn.close()
        with proxy.my() as my, my.cursor() as cur:
            cur.execute("INSERT INTO sg_reload (id, n) VALUES (1, 0)")
            my.commit()

        def stored(primaries, connect):
            """n of `key` on the one primary that holds it."""
            def n(key):
                found = []
                for port in primaries.values():
                    with connect(port) as c, c.cursor() as cur:
                        cur.execute("SELECT n FROM sg_reload WHERE id = %s", (key,))
                        found += [row[0] for row in cur.fetchall()]
                assert len(found) == 1, found
                return found[0]
            return n

        # PostgreSQL: two Query messages in one write, on a raw connection
        sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=30)
        params = b"user\0raw\0database\0shop\0\0"
        sock.sendall(struct.pack("!ii", 8 + len(params), 196608) + params)
        seen = b""
        while b"Z\0\0\0\x05I" not in seen:
            chunk = sock.recv(65536)
            assert chunk, seen
            seen += chunk

        def query(sql):
            body = sql.encode() + b"\0"
            return b"Q" + struct.pack("!i", 4 + len(body)) + body

        def pg_send():
            sock.sendall(query("UPDATE sg_reload SET n = n + 1 WHERE id = 1 AND "
                               "(SELECT true FROM pg_sleep(1))") +
                         query("UPDATE sg_reload SET n = n + 1 WHERE id = 1"))

        def pg_read():
            answer = b""
            while answer.count(b"Z\0\0\0\x05I") < 2:
                chunk = sock.recv(65536)
                assert chunk, answer
                answer += chunk
            assert answer.count(b"UPDATE 1\0") == 2 and b"E" not in answer[:1], answer

        drains_while_next_waits(proxy, "shop", pg_send, pg_read,
                                stored(st.PG_PRIMARIES, st.pg_direct))
        sock.close()

        # MySQL: two COM_QUERY packets sent before either answer is read
        my = proxy.my()

        def my_send():
            my._execute_command(COMMAND.COM_QUERY, "UPDATE sg_reload SET n = n + 1 WHERE "
                                "id = 1 AND SLEEP(1) = 0")
            my._execute_command(COMMAND.COM_QUERY, "UPDATE sg_reload SET n = n + 1 WHERE id = 1")

        def my_read():
            for _ in range(2):
                my._next_seq_id = 1  # each answer starts its own exchange
                assert my._read_query_result() == 1

        drains_while_next_waits(proxy, "social", my_send, my_read,
                                stored(st.MY_PRIMARIES, st.my_direct))
        my.close()
        print("  pipelined writes: a pause drained once the running write was answered, "
              "while the next (already received) waited, on both protocols")


if __name__ == "__main__":
    {"pause": pause, "pipelined": pipelined}[sys.argv[1]]()
    print("ok")
