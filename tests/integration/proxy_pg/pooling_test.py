"""Pool modes and sizes of shardgate's PostgreSQL proxy, and Flush without Sync in the
extended protocol, against the real topology. Usage: pooling_test.py [case ...]"""
import os
import re
import select
import subprocess
import tempfile
import threading
import time

import psycopg2

import wire
from harness import PRIMARIES, REPLICAS, Proxy, direct, run
from fault_relay import Relay, check_slow_login_round, slow_login_round

TRUST = "  - {name: raw, password: x, auth: trust}\nbackend_user: app\nbackend_password: app\n"


def one_shard_map(pool_mode, port=PRIMARIES["pg0"]):
    """shop on pg0's primary only (no replica; at `port`, e.g. a relay), with the given pool
    mode."""
    path = os.path.join(tempfile.mkdtemp(prefix="sg_pooling_map_"), "map.yaml")
    with open(path, "w") as f:
        f.write("format_version: 1\nepoch: 1\ndatabases:\n  shop:\n"
                f"    engine: postgresql\n    default_shard: pg0\n    pool_mode: {pool_mode}\n"
                f"    shards:\n      pg0: {{primary: 127.0.0.1:{port}}}\n")
    return path


def expect_error(action, sqlstate, text=""):
    try:
        action()
    except psycopg2.Error as e:
        assert e.pgcode == sqlstate, (e.pgcode, str(e))
        assert text in str(e), str(e)
        return
    raise AssertionError(f"expected SQLSTATE {sqlstate}")


def one(conn, sql):
    with conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchone()[0]


def session_mode():
    config = "pool_size: 1\npool_timeout_ms: 300\n"
    with Proxy(config, workers=1, shard_map=one_shard_map("session")) as proxy:
        a = proxy.connect()
        a.autocommit = True
        pid = one(a, "SELECT pg_backend_pid()")
        # session state the proxy does not track survives between statements: same backend
        with a.cursor() as cur:
            cur.execute("CREATE TEMP TABLE sg_session_t (x int)")
            cur.execute("INSERT INTO sg_session_t VALUES (1), (2)")
        assert one(a, "SELECT count(*) FROM sg_session_t") == 2
        assert one(a, "SELECT pg_backend_pid()") == pid
        # the only connection stays with the idle client a: b waits and times out
        b = proxy.connect()
        b.autocommit = True
        expect_error(lambda: one(b, "SELECT 1"), "53300", "pool size 1")
        # when a leaves, its connection is reset (DISCARD ALL) and serves b
        a.close()
        assert one(b, "SELECT pg_backend_pid()") == pid
        assert one(b, "SELECT to_regclass('pg_temp.sg_session_t') IS NULL") is True
        b.close()
    # transaction mode (the default): the idle client does not hold the connection
    with Proxy(config, workers=1, shard_map=one_shard_map("transaction")) as proxy:
        a = proxy.connect()
        a.autocommit = True
        pid = one(a, "SELECT pg_backend_pid()")
        b = proxy.connect()
        b.autocommit = True
        assert one(b, "SELECT pg_backend_pid()") == pid
        a.close()
        b.close()


def listen_notify():
    """LISTEN needs a backend of its own: refused in transaction pooling (its notifications
    would go to whichever client gets the connection next), served in session pooling,
    where a notification reaches the listener with its next statement on that backend."""
    with Proxy(workers=1, shard_map=one_shard_map("transaction")) as proxy:
        a = proxy.connect()
        a.autocommit = True
        expect_error(lambda: one(a, "LISTEN sg_chan"), "0A000", "pool_mode: session")
        with a.cursor() as cur:
            cur.execute("NOTIFY sg_chan, 'nobody listens'")  # fine in either mode
        a.close()
    with Proxy(workers=1, shard_map=one_shard_map("session")) as proxy:
        a, b = proxy.connect(), proxy.connect()
        a.autocommit = b.autocommit = True
        with a.cursor() as cur:
            cur.execute("LISTEN sg_chan")
        with b.cursor() as cur:
            cur.execute("NOTIFY sg_chan, 'hello'")
        assert one(a, "SELECT 1") == 1
        assert [(n.channel, n.payload) for n in a.notifies] == [("sg_chan", "hello")], a.notifies
        a.close()
        b.close()


def two_shard_map(extra):
    """shop on the primaries of pg0 and pg1 in session pooling, with `extra` map lines."""
    path = os.path.join(tempfile.mkdtemp(prefix="sg_pooling_map_"), "map.yaml")
    with open(path, "w") as f:
        f.write("format_version: 1\nepoch: 1\ndatabases:\n  shop:\n"
                "    engine: postgresql\n    default_shard: pg0\n    pool_mode: session\n"
                + extra +
                f"    shards:\n      pg0: {{primary: 127.0.0.1:{PRIMARIES['pg0']}}}\n"
                f"      pg1: {{primary: 127.0.0.1:{PRIMARIES['pg1']}}}\n")
    return path


def sequences_and_channels():
    """The map's `sequences` and `channels` place a sequence and a notification channel on
    pg1: DDL, nextval, LISTEN, NOTIFY and pg_notify all run there, checked on the servers."""
    shard_map = two_shard_map("    sequences: {sg_global_seq: pg1}\n"
                              "    channels: {sg_jobs: pg1}\n")
    pg0 = psycopg2.connect(host="127.0.0.1", port=PRIMARIES["pg0"], user="app", password="app",
                           dbname="shop")
    pg1 = psycopg2.connect(host="127.0.0.1", port=PRIMARIES["pg1"], user="app", password="app",
                           dbname="shop")
    pg0.autocommit = pg1.autocommit = True
    with Proxy(workers=1, shard_map=shard_map) as proxy:
        a, b = proxy.connect(), proxy.connect()
        a.autocommit = b.autocommit = True
        with a.cursor() as cur:
            cur.execute("DROP SEQUENCE IF EXISTS sg_global_seq")
            cur.execute("CREATE SEQUENCE sg_global_seq START WITH 500")
        assert one(pg1, "SELECT to_regclass('sg_global_seq') IS NOT NULL") is True
        assert one(pg0, "SELECT to_regclass('sg_global_seq') IS NULL") is True
        assert one(a, "SELECT nextval('sg_global_seq')") == 500
        assert one(b, "SELECT nextval('SG_GLOBAL_SEQ'::regclass)") == 501  # folded like PG
        assert one(a, "SELECT currval('sg_global_seq')") == 500
        assert one(pg1, "SELECT last_value FROM sg_global_seq") == 501
        # an expression naming the sequence cannot be placed: refused, never guessed
        expect_error(lambda: one(a, "SELECT nextval('sg_' || 'global_seq')"), "0A000",
                     "not a constant")
        # the channel: a listener on pg1 directly sees the proxy's notifications
        with pg1.cursor() as cur:
            cur.execute("LISTEN sg_jobs")
        with a.cursor() as cur:
            cur.execute("LISTEN sg_jobs")
        with b.cursor() as cur:
            cur.execute("NOTIFY sg_jobs, 'one'")
            cur.execute("SELECT pg_notify('sg_jobs', 'two')")
        # delivered with the listener's next statement on the channel's shard (docs/routing.md)
        assert one(a, "SELECT currval('sg_global_seq')") == 500
        assert [(n.channel, n.payload) for n in a.notifies] == [("sg_jobs", "one"),
                                                              ("sg_jobs", "two")], a.notifies
        deadline = time.time() + 5  # asynchronous on the direct connection: poll until there
        while len(pg1.notifies) < 2 and time.time() < deadline:
            select.select([pg1], [], [], 0.1)
            pg1.poll()
        assert [n.payload for n in pg1.notifies] == ["one", "two"], pg1.notifies
        expect_error(lambda: one(a, "UNLISTEN *"), "0A000", "UNLISTEN each channel")
        with a.cursor() as cur:
            cur.execute("UNLISTEN sg_jobs")
            cur.execute("DROP SEQUENCE sg_global_seq")
        assert one(pg1, "SELECT to_regclass('sg_global_seq') IS NULL") is True
        a.close()
        b.close()
    pg0.close()
    pg1.close()


def pool_sizes():
    config = ("pool_size: 3\npool_timeout_ms: 300\npool_sizes:\n"
              "  - {shard: pg0, role: primary, size: 1}\n  - {role: replica, size: 2}\n")
    with Proxy(config, workers=1) as proxy:
        holders = []

        def hold(sql):
            conn = proxy.connect()
            with conn.cursor() as cur:
                cur.execute(sql)  # opens a transaction: the connection stays pinned
            holders.append(conn)

        primary0 = "/* shardgate: primary */ SELECT inet_server_port()"
        hold(primary0)
        # pg0 primary: size 1 from the shard+role entry
        waiter = proxy.connect()
        waiter.autocommit = True
        expect_error(lambda: one(waiter, primary0), "53300", "pool size 1 per worker")
        # pg1 primary: the default pool_size 3
        primary1 = "/* shardgate: primary shard=pg1 */ SELECT inet_server_port()"
        for _ in range(3):
            hold(primary1)
        expect_error(lambda: one(waiter, primary1), "53300", "pool size 3 per worker")
        # replicas: 2 from the role entry (reads outside a transaction: held by running them)
        replica0 = "SELECT inet_server_port()"
        sleepers = []
        for _ in range(2):
            conn = proxy.connect()
            conn.autocommit = True
            thread = threading.Thread(target=one, args=(conn, "SELECT pg_sleep(1.5)"))
            thread.start()
            sleepers.append((conn, thread))
        time.sleep(0.3)
        expect_error(lambda: one(waiter, replica0), "53300", "pool size 2 per worker")
        for conn, thread in sleepers:
            thread.join()
            holders.append(conn)
        for conn in holders:
            conn.rollback()
        assert one(waiter, primary0) == PRIMARIES["pg0"]
        assert one(waiter, replica0) == REPLICAS["pg0"]
        for conn in holders + [waiter]:
            conn.close()


def flush_without_sync():
    with Proxy(TRUST, workers=1) as proxy:
        w = wire.Wire(proxy.port, "raw")
        # asyncpg-style: Parse + Describe statement + Flush answers without Sync
        w.send(wire.parse("s1", "SELECT $1::int + 1 AS n"), wire.describe(b"S", "s1"), wire.FLUSH)
        got = w.until("T")
        assert wire.types(got) == "1tT", got
        assert w.nothing_pending()
        w.send(wire.bind("s1", (b"41",)), wire.execute(), wire.FLUSH)
        got = w.until("C")
        assert wire.types(got) == "2DC" and wire.rows(got) == [["42"]], got
        assert w.nothing_pending()
        got = w.run(wire.SYNC)
        assert got == [("Z", b"I")], got
        # a portal bound before a Flush is described and run after it, on the same backend
        w.send(wire.bind("s1", (b"6",)), wire.FLUSH)
        assert wire.types(w.until("2")) == "2"
        w.send(wire.describe(b"P"), wire.execute(), wire.FLUSH)
        got = w.until("C")
        assert wire.types(got) == "TDC" and wire.rows(got) == [["7"]], got
        assert w.run(wire.SYNC) == [("Z", b"I")]
        # an error answers the Flush; later messages are skipped until Sync, as in PostgreSQL
        w.send(wire.parse("", "SELECT 1/0"), wire.bind(""), wire.execute(), wire.FLUSH)
        got = w.until("E")
        # (PostgreSQL folds 1/0 while planning at Bind)
        assert wire.types(got) == "1E" and wire.sqlstate(got) == "22012", got
        got = w.run(wire.bind("s1", (b"1",)), wire.execute(), wire.SYNC)
        assert got == [("Z", b"I")], got
        # the session goes on; a locally answered Parse + Flush needs no backend
        w.send(wire.parse("s2", "SELECT 2"), wire.FLUSH)
        assert wire.types(w.until("1")) == "1"
        got = w.run(wire.bind("s2"), wire.execute(), wire.SYNC)
        assert wire.types(got) == "2DCZ" and wire.rows(got) == [["2"]], got
        # Flush inside a transaction keeps the transaction's backend
        w.run(wire.parse("", "BEGIN"), wire.bind(""), wire.execute(), wire.SYNC)
        w.send(wire.parse("", "SELECT txid_current()"), wire.bind(""), wire.execute(), wire.FLUSH)
        first = wire.rows(w.until("C"))
        got = w.run(wire.parse("", "SELECT txid_current()"), wire.bind(""), wire.execute(),
                    wire.SYNC)
        assert wire.rows(got) == first and got[-1] == ("Z", b"T"), (first, got)
        got = w.run(wire.parse("", "COMMIT"), wire.bind(""), wire.execute(), wire.SYNC)
        assert got[-1] == ("Z", b"I"), got
        w.close()


def sequence_state():
    """currval() under transaction pooling, 8 clients at once on one worker: in the transaction
    (or the Query) that ran nextval() it is that client's own value every time; on its own it
    is refused (before: the pooled connection answered another client's value in most
    calls). With pool_mode: session it works on its own too."""
    shard_map = one_shard_map("transaction")
    wrong, refused, seen = [], [], []

    def client(proxy, rounds):
        conn = proxy.connect()
        conn.autocommit = True
        with conn.cursor() as cur:
            for _ in range(rounds):
                cur.execute("BEGIN")
                cur.execute("SELECT nextval('sg_state_seq')")
                mine = cur.fetchone()[0]
                cur.execute("SELECT currval('sg_state_seq'), lastval()")
                got = cur.fetchone()
                cur.execute("COMMIT")
                cur.execute("SELECT nextval('sg_state_seq'); SELECT currval('sg_state_seq')")
                again = cur.fetchone()[0]
                cur.execute("SELECT nextval('sg_state_seq')")
                last = cur.fetchone()[0]
                seen.extend([mine, last])
                if got != (mine, mine) or again in seen:
                    wrong.append((mine, got, again))
                seen.append(again)
                try:
                    cur.execute("SELECT currval('sg_state_seq')")
                    wrong.append(("answered on its own", last, cur.fetchone()[0]))
                except psycopg2.Error as e:
                    refused.append((e.pgcode, "pool_mode: session" in str(e)))
        conn.close()

    with Proxy(workers=1, shard_map=shard_map) as proxy:
        admin = proxy.connect()
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute("DROP SEQUENCE IF EXISTS sg_state_seq")
            cur.execute("CREATE SEQUENCE sg_state_seq")
        threads = [threading.Thread(target=client, args=(proxy, 25)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not wrong, wrong[:5]
        assert refused == [("0A000", True)] * 200, refused[:3]
        # a write that reads currval() itself, after the request that advanced it: refused;
        # one that advances the sequence itself first reads its own value
        with admin.cursor() as cur:
            cur.execute("SELECT nextval('sg_state_seq'), currval('sg_state_seq')")
            assert cur.fetchone() == (601, 601)
            expect_error(lambda: cur.execute("SELECT setval('sg_state_seq', "
                                             "currval('sg_state_seq'))"), "0A000", "RETURNING")
        assert len(set(seen)) == len(seen) == 600, len(seen)
    with Proxy(workers=1, shard_map=one_shard_map("session")) as proxy:
        conn = proxy.connect()
        conn.autocommit = True
        assert one(conn, "SELECT nextval('sg_state_seq')") == 602
        assert one(conn, "SELECT currval('sg_state_seq')") == 602
        with conn.cursor() as cur:
            cur.execute("DROP SEQUENCE sg_state_seq")
        conn.close()
    print("  currval(): 8 clients x 25 rounds, own value in the transaction and the Query, "
          "200 refusals on its own (0A000), none wrong; session pooling answers it alone")


def session_state_statements():
    """Transaction pooling refuses what would stay on a pooled connection after the
    transaction (before: a session advisory lock and a set_config() search_path were found by
    the next client on that connection); the transaction-scoped forms run, and session pooling
    runs them all."""
    with Proxy(workers=1, shard_map=one_shard_map("transaction")) as proxy:
        a = proxy.connect()
        a.autocommit = True
        for sql, what in (("CREATE TEMP TABLE sg_tmp_pool (x int)", "temporary object"),
                          ("SELECT pg_advisory_lock(4242)", "advisory lock"),
                          ("SELECT pg_try_advisory_lock(4242)", "advisory lock"),
                          ("SELECT set_config('search_path', 'sg_x', false)", "session setting")):
            expect_error(lambda: one(a, sql), "0A000", what)
            expect_error(lambda: one(a, sql), "0A000", "pool_mode: session")
        # in FROM, and in the extended protocol with a parameter
        expect_error(lambda: one(a, "SELECT * FROM pg_try_advisory_lock(4243)"), "0A000",
                     "advisory lock")
        # temporary objects without the TEMP word of CREATE, and calls in RETURNING lists
        with a.cursor() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS sg_pool_returning (x int)")
        for sql, what in (("SELECT 1 AS x INTO TEMP sg_tmp_into", "temporary object"),
                          ("SELECT 1 AS x INTO pg_temp.sg_tmp_into", "temporary object"),
                          ("CREATE TABLE pg_temp.sg_tmp_schema (x int)", "temporary object"),
                          ("CREATE SEQUENCE pg_temp.sg_tmp_seq", "temporary object"),
                          ("CREATE FUNCTION pg_temp.sg_tmp_f() RETURNS int AS 'SELECT 1' "
                           "LANGUAGE sql", "temporary object"),
                          ("INSERT INTO sg_pool_returning VALUES (1) "
                           "RETURNING pg_advisory_lock(4244)", "advisory lock")):
            expect_error(lambda: one(a, sql), "0A000", what)
        server = direct(PRIMARIES["pg0"], user="admin", password="admin")
        with server.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_class WHERE relname LIKE 'sg_tmp_%' "
                        "AND relpersistence = 't'")
            assert cur.fetchone()[0] == 0
            cur.execute("SELECT count(*) FROM pg_proc WHERE proname = 'sg_tmp_f'")
            assert cur.fetchone()[0] == 0
            cur.execute("SELECT count(*) FROM sg_pool_returning")
            assert cur.fetchone()[0] == 0
            cur.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                        "AND objid = 4244")
            assert cur.fetchone()[0] == 0
            cur.execute("DROP TABLE sg_pool_returning")
        server.commit()
        server.close()
        a.autocommit = False
        with a.cursor() as cur:
            cur.execute("CREATE TEMP TABLE sg_tmp_pool (x int) ON COMMIT DROP")
            cur.execute("INSERT INTO sg_tmp_pool VALUES (1)")
            cur.execute("SELECT pg_advisory_xact_lock(4242)")
            cur.execute("SELECT set_config('search_path', 'sg_x', true)")
            cur.execute("SELECT count(*) FROM pg_temp.sg_tmp_pool")
            assert cur.fetchone()[0] == 1
        a.commit()
        a.autocommit = True
        b = proxy.connect()
        b.autocommit = True
        assert one(b, "SHOW search_path") == '"$user", public'
        assert one(b, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                      "AND pid = pg_backend_pid()") == 0
        a.close()
        b.close()
    with Proxy(TRUST, workers=1, shard_map=one_shard_map("transaction")) as proxy:
        w = wire.Wire(proxy.port, "raw")
        got = w.run(wire.parse("", "SELECT set_config('search_path', $1, false)"),
                    wire.bind("", (b"sg_x",)), wire.execute(), wire.SYNC)
        assert "E" in wire.types(got) and wire.sqlstate(got) == "0A000", got
        got = w.run(wire.parse("", "SHOW search_path"), wire.bind(""), wire.execute(), wire.SYNC)
        assert wire.rows(got) == [['"$user", public']], got
        # is_local as a parameter: its value decides, statement by statement (same template)
        for local, refused in ((b"true", False), (b"off", True), (b"t", False)):
            got = w.run(wire.parse("", "SELECT set_config('search_path', $1, $2)"),
                        wire.bind("", (b"sg_x", local)), wire.execute(), wire.SYNC)
            assert ("E" in wire.types(got)) == refused, (local, got)
            if refused:
                assert wire.sqlstate(got) == "0A000", got
        # a binary boolean, declared as one in Parse (text first, then bool)
        for local, refused in ((b"\x01", False), (b"\x00", True)):
            got = w.run(wire.parse("", "SELECT set_config('search_path', $1, $2)", (25, 16)),
                        wire.bind("", (b"sg_x", local), (0, 1)), wire.execute(), wire.SYNC)
            assert ("E" in wire.types(got)) == refused, (local, got)
        got = w.run(wire.parse("", "SHOW search_path"), wire.bind(""), wire.execute(), wire.SYNC)
        assert wire.rows(got) == [['"$user", public']], got
        w.close()
    with Proxy(workers=1, shard_map=one_shard_map("session")) as proxy:
        a = proxy.connect()
        a.autocommit = True
        one(a, "SELECT pg_advisory_lock(4242)")
        assert one(a, "SELECT set_config('search_path', 'sg_x', false)") == "sg_x"
        assert one(a, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                      "AND pid = pg_backend_pid()") == 1
        a.close()  # DISCARD ALL releases the lock and the setting
    print("  transaction pooling: temp table, session advisory locks and set_config(.., false) "
          "refused (0A000), their transaction-scoped forms run; session pooling runs them")


def slow_logins():
    """Every new backend login takes 2 s, past connect_timeout_ms (1 s), while one pooled
    connection is logged in: 4 clients running short statements all get answers, on that one
    connection, each one taking it when it comes back while its own login still runs (the logins
    time out in the background and fail no one). Before, a client that started a login waited
    for it alone and got "timed out after 1000 ms logging in"."""
    relay = Relay(PRIMARIES["pg0"])
    path = one_shard_map("transaction", relay.port)
    ops = "  - {name: ops, password: ops, admin: true}\n"
    config = "connect_timeout_ms: 1000\npool_size: 4\n"
    try:
        with Proxy(config, workers=1, shard_map=path, extra_users=ops) as proxy:
            clients = [proxy.connect() for _ in range(4)]
            for conn in clients:
                conn.autocommit = True
            pooled = one(clients[0], "SELECT pg_backend_pid()")
            errors, pids = slow_login_round(relay, clients,
                                            lambda conn: one(conn, "SELECT pg_backend_pid()"))
            console = psycopg2.connect(host="127.0.0.1", port=proxy.port, user="ops",
                                       password="ops", dbname="shardgate")
            console.autocommit = True
            check_slow_login_round("pg", errors, pids, pooled, console, clients)
    finally:
        relay.close()


def late_cancel():
    """PostgreSQL signals a cancelled process twice for one CancelRequest (the process, then its
    process group); when the canceller is descheduled between the two, the second signal comes
    late and cancels whatever runs then. A relay in front of pg0 passes each cancel on twice,
    the second 0.5 s late. The cancelled client's next statement, and another client's on the
    same pooled connection, start only once the server closed the cancel's connection: neither
    is cancelled, and the connection is kept (not dropped). Sent at once, each of these 1 s
    statements would get 57014 half-way."""
    relay = Relay(PRIMARIES["pg0"])
    relay.late_cancel_s = 0.5
    path = one_shard_map("transaction", relay.port)
    try:
        with Proxy("pool_size: 1\n", workers=1, shard_map=path) as proxy:
            a, b = proxy.connect(), proxy.connect()
            a.autocommit = b.autocommit = True
            pid = one(a, "SELECT pg_backend_pid()")
            for name, follower in (("the same client", a), ("another client", b)):
                timer = threading.Timer(0.3, a.cancel)
                timer.start()
                expect_error(lambda: one(a, "SELECT pg_sleep(10)"), "57014")
                started = time.monotonic()
                ran_on = one(follower, "SELECT pg_backend_pid() FROM pg_sleep(1)")
                took = time.monotonic() - started
                timer.join()
                print(f"late_cancel: {name}'s next statement (1 s) took {took:.2f} s")
                assert ran_on == pid, (ran_on, pid)
                assert took >= 1.0, took
            assert relay.late_cancels == 2, relay.late_cancels
            a.close()
            b.close()
    finally:
        relay.close()


def connect_burst():
    """100 pgbench clients start at once, each writing (autocommit INSERTs into a table of the
    default shard, pg0): the pools open their connections pool_max_connecting at a time per
    worker instead of all at once (on a busy machine, 40 logins at once to one PostgreSQL took
    over connect_timeout_ms and failed clients), so no login fails, no client is aborted, and
    every insert counted is on pg0."""
    with direct(PRIMARIES["pg0"]) as c, c.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS sg_burst")
        cur.execute("CREATE TABLE sg_burst (id int NOT NULL)")
    folder = tempfile.mkdtemp(prefix="sg_burst_")
    script = os.path.join(folder, "insert.sql")
    with open(script, "w") as f:
        f.write("INSERT INTO sg_burst (id) VALUES (:client_id);\n")
    with Proxy(workers=2) as proxy:
        out = subprocess.run(
            ["pgbench", "-n", "-h", "127.0.0.1", "-p", str(proxy.port), "-U", "app", "-c", "100",
             "-j", "2", "-T", "4", "-f", script, "shop"],
            capture_output=True, text=True, env=dict(os.environ, PGPASSWORD="app"), timeout=60)
        text = out.stdout + out.stderr
        assert out.returncode == 0 and "aborted" not in text, text
        processed = int(re.search(r"actually processed: (\d+)", text).group(1))
        proxy.stop()
        stopped = [line for line in proxy.output().splitlines() if "stopped;" in line]
    assert stopped and "backend_connect_failures" not in stopped[0], stopped
    connects = int(re.search(r" backend_connects=(\d+)", stopped[0]).group(1))
    assert connects <= 40, stopped  # pool_size 20 per worker
    with direct(PRIMARIES["pg0"]) as c, c.cursor() as cur:
        cur.execute("SELECT count(*) FROM sg_burst")
        stored = cur.fetchone()[0]
        cur.execute("DROP TABLE sg_burst")
    # pgbench -T ends without waiting for the inserts in flight: up to one per client uncounted
    assert processed <= stored <= processed + 100, (processed, stored)
    print(f"  connect burst: 100 writing clients at once, {connects} backend logins, none "
          f"failed; {processed} inserts")


CASES = {
    "sequence_state": sequence_state,
    "session_state_statements": session_state_statements,
    "session_mode": session_mode,
    "listen_notify": listen_notify,
    "sequences_and_channels": sequences_and_channels,
    "pool_sizes": pool_sizes,
    "flush_without_sync": flush_without_sync,
    "connect_burst": connect_burst,
    "slow_logins": slow_logins,
    "late_cancel": late_cancel,
}

if __name__ == "__main__":
    run(CASES)
