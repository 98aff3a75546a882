"""End-to-end tests of shardgate's PostgreSQL proxy against the real topology, driven by
psql and psycopg2. Usage: proxy_pg_test.py [case ...]"""
import hashlib
import io
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import threading
import time

import psycopg2
import psycopg2.errors
import psycopg2.extensions

from harness import admin as harness_admin
from harness import (DEMO_MAP, PRIMARIES, REPLICAS, SANITIZED, Proxy, direct, free_port, locate,
                     psql, run, write_map)

CUSTOMERS_DDL = "CREATE TABLE IF NOT EXISTS customers (id bigint PRIMARY KEY, name text)"
KEYS = [1, 2, 3, 7, 42, 1001, 31337, 900001]


def demo_map_variant(*replacements):
    """The demo map with each (old, new) of `replacements` applied (every occurrence; `old`
    must occur), written to a file of its own; its path."""
    with open(DEMO_MAP) as f:
        text = f.read()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    shard_map = os.path.join(tempfile.mkdtemp(prefix="sg_map_"), "map.yaml")
    with open(shard_map, "w") as f:
        f.write(text)
    return shard_map


def prepare_customers():
    for port in PRIMARIES.values():
        with direct(port) as conn, conn.cursor() as cur:
            cur.execute(CUSTOMERS_DDL)
            cur.execute("DELETE FROM customers WHERE id = ANY(%s)", (KEYS,))


def psql_queries():
    with Proxy() as proxy:
        result = psql(proxy.port, "SELECT 40 + 2")
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "42", result.stdout
        result = psql(proxy.port, "SELECT 1; SELECT 2")
        assert result.returncode == 0 and result.stdout.split() == ["1", "2"], result


def placement():
    prepare_customers()
    with Proxy() as proxy:
        conn = proxy.connect()
        conn.autocommit = True
        with conn.cursor() as cur:
            for key in KEYS:
                cur.execute("INSERT INTO customers (id, name) VALUES (%s, %s)", (key, f"c{key}"))
        conn.close()
    for key in KEYS:
        expected = locate("customers", key)["shard"]
        for shard, port in PRIMARIES.items():
            with direct(port) as conn, conn.cursor() as cur:
                cur.execute("SELECT count(*) FROM customers WHERE id = %s", (key,))
                count = cur.fetchone()[0]
            want = 1 if shard == expected else 0
            assert count == want, f"key {key}: {count} rows on {shard}, expected on {expected}"


def read_split():
    with Proxy() as proxy:
        conn = proxy.connect()
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("/* shardgate: shard=pg0 */ SELECT pg_is_in_recovery()")
            assert cur.fetchone()[0] is True, "replica expected"
            cur.execute("/* shardgate: shard=pg1 */ SELECT pg_is_in_recovery()")
            assert cur.fetchone()[0] is True, "replica expected"
            cur.execute("/* shardgate: shard=pg0 primary */ SELECT pg_is_in_recovery()")
            assert cur.fetchone()[0] is False, "primary expected"
            cur.execute("/* shardgate: primary */ SELECT pg_is_in_recovery()")
            assert cur.fetchone()[0] is False, "primary expected"
            cur.execute("/* shardgate: shard=pg1 */ SELECT inet_server_port()")
            assert cur.fetchone()[0] == REPLICAS["pg1"]
        conn.close()


def expect_error(fn, sqlstate, text=None):
    try:
        fn()
    except psycopg2.Error as e:
        if sqlstate:
            assert e.pgcode == sqlstate, (sqlstate, e.pgcode, str(e))
        if text:
            assert text in str(e), str(e)
        return e
    raise AssertionError(f"expected error {sqlstate}")


def auth_and_database():
    with Proxy() as proxy:
        # connection failures carry no pgcode in psycopg2: the messages are checked
        expect_error(lambda: proxy.connect(password="wrong"), None,
                     'password authentication failed for user "app"')
        expect_error(lambda: proxy.connect(user="nobody"), None,
                     "password authentication failed")
        expect_error(lambda: proxy.connect(dbname="nosuchdb"), None,
                     'database "nosuchdb" does not exist in the shard map')
        expect_error(lambda: proxy.connect(dbname="social"), None, '"social" does not exist')
        proxy.connect().close()
    with Proxy("  - {name: m5, password: secret, auth: md5}\n"
               "  - {name: tr, password: x, auth: trust}\n"
               "backend_user: app\nbackend_password: app\n") as proxy:
        conn = proxy.connect(user="m5", password="secret")
        with conn.cursor() as cur:
            cur.execute("SELECT current_user")
            assert cur.fetchone()[0] == "app"
        conn.close()
        expect_error(lambda: proxy.connect(user="m5", password="bad"), None,
                     "password authentication failed")
        proxy.connect(user="tr", password="anything").close()


def keys_on(shard):
    return [k for k in KEYS if locate("customers", k)["shard"] == shard]


def failed_join():
    """A transaction on pg0 whose join of pg1 fails (pg1's only pooled connection is busy:
    pool timeout) is aborted, as PostgreSQL aborts a transaction at any error: the next write
    gets 25P02, and COMMIT leaves no row of it on pg0."""
    prepare_customers()
    a, b = keys_on("pg0")[:2], keys_on("pg1")[:2]
    with Proxy(extra_config="pool_size: 1\npool_timeout_ms: 300\n", workers=1) as proxy:
        holder, client = proxy.connect(), proxy.connect()
        h, cur = holder.cursor(), client.cursor()
        h.execute("INSERT INTO customers (id, name) VALUES (%s, 'h')", (b[0],))
        cur.execute("INSERT INTO customers (id, name) VALUES (%s, 'x')", (a[0],))
        expect_error(lambda: cur.execute("INSERT INTO customers (id, name) VALUES (%s, 'y')",
                                         (b[1],)), "53300")
        # as in PostgreSQL, the error aborted the transaction: nothing more runs in it
        expect_error(lambda: cur.execute("INSERT INTO customers (id, name) VALUES (%s, 'z')",
                                         (a[1],)), "25P02")
        client.commit()  # (a COMMIT of an aborted transaction rolls it back)
        holder.rollback()
        with direct(PRIMARIES["pg0"]) as check, check.cursor() as c:
            c.execute("SELECT count(*) FROM customers WHERE id = ANY(%s)", (a,))
            assert c.fetchone()[0] == 0, "a write of the rolled back transaction stayed"
        holder.close()
        client.close()
    print("  failed join (53300): the transaction was aborted (25P02 next), COMMIT left no row")


def reject_plan():
    prepare_customers()
    a, b = keys_on("pg0")[0], keys_on("pg1")[0]
    with Proxy() as proxy:
        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()
        e = expect_error(lambda: cur.execute("UPDATE customers SET id = 3 WHERE id = 5"),
                         "0A000")
        # a cross-shard read runs (tests/integration/cross_shard); what it cannot merge yet
        # is refused with the reason
        e = expect_error(lambda: cur.execute("SELECT string_agg(name, ',') FROM customers"),
                         "0A000", "not supported yet")
        cur.execute("SELECT 1")
        assert cur.fetchone()[0] == 1
        e = expect_error(lambda: cur.execute(f"SELECT 1 FROM customers WHERE id = {a}; "
                                             f"SELECT 1 FROM customers WHERE id = {b}"),
                         "0A000", "different shards")
        cur.execute("SELECT 2")
        assert cur.fetchone()[0] == 2
        # Two-phase commit statements are refused (shardgate coordinates it), never answered
        # as if they had run; a search_path that does not search public first is refused.
        for sql in ("PREPARE TRANSACTION 'sg-test'", "COMMIT PREPARED 'sg-test'",
                    "ROLLBACK PREPARED 'sg-test'"):
            expect_error(lambda: cur.execute(sql), "0A000", "two-phase commit")
        expect_error(lambda: cur.execute("SET search_path TO archive, public"), "0A000",
                     "public must be the first schema")
        cur.execute("SET search_path TO public, archive")
        cur.execute("SELECT 3")
        assert cur.fetchone()[0] == 3
        conn.close()


def transaction_pinning():
    prepare_customers()
    a, b = keys_on("pg0")[0], keys_on("pg1")[0]
    with Proxy() as proxy:
        conn = proxy.connect()
        cur = conn.cursor()
        cur.execute("INSERT INTO customers (id, name) VALUES (%s, 'a')", (a,))
        cur.execute("SELECT inet_server_port(), pg_is_in_recovery()")
        assert cur.fetchone() == (PRIMARIES["pg0"], False)
        # A second shard joins the transaction (two-phase commit at COMMIT); ROLLBACK undoes
        # both shards.
        cur.execute("INSERT INTO customers (id, name) VALUES (%s, 'b')", (b,))
        conn.rollback()
        for shard, key in (("pg0", a), ("pg1", b)):
            with direct(PRIMARIES[shard]) as check, check.cursor() as c:
                c.execute("SELECT count(*) FROM customers WHERE id = %s", (key,))
                assert c.fetchone()[0] == 0, f"rolled back row on {shard}"
        # After a savepoint the transaction cannot reach another shard (a ROLLBACK TO would
        # undo one shard only): refused.
        cur.execute("INSERT INTO customers (id, name) VALUES (%s, 'a')", (a,))
        cur.execute("SAVEPOINT s1")
        expect_error(lambda: cur.execute("INSERT INTO customers (id, name) VALUES (%s, 'b')", (b,)),
                     "0A000", "transaction already on shard pg0")
        # as in PostgreSQL, the error aborted the transaction: COMMIT rolls it back
        expect_error(lambda: cur.execute("SELECT 1"), "25P02")
        assert conn.get_transaction_status() == psycopg2.extensions.TRANSACTION_STATUS_INERROR
        conn.commit()
        with direct(PRIMARIES["pg0"]) as check, check.cursor() as c:
            c.execute("SELECT count(*) FROM customers WHERE id = %s", (a,))
            assert c.fetchone()[0] == 0, "aborted transaction committed"
        cur.execute("INSERT INTO customers (id, name) VALUES (%s, 'a')", (a,))
        conn.rollback()
        with direct(PRIMARIES["pg0"]) as check, check.cursor() as c:
            c.execute("SELECT count(*) FROM customers WHERE id = %s", (a,))
            assert c.fetchone()[0] == 0, "rolled back row visible"
        # error mid-transaction, then the session goes on
        cur.execute("INSERT INTO customers (id, name) VALUES (%s, 'a')", (a,))
        expect_error(lambda: cur.execute("INSERT INTO customers (id, name) VALUES (%s, 'dup')", (a,)),
                     "23505")
        expect_error(lambda: cur.execute("SELECT 1"), "25P02")
        conn.rollback()
        cur.execute("INSERT INTO customers (id, name) VALUES (%s, 'b')", (b,))
        conn.commit()
        with direct(PRIMARIES["pg1"]) as check, check.cursor() as c:
            c.execute("SELECT name FROM customers WHERE id = %s", (b,))
            assert c.fetchone()[0] == "b"
        # SQL-level prepared statement inside a pinned transaction
        cur.execute("PREPARE getc (bigint) AS SELECT name FROM customers WHERE id = $1")
        cur.execute("EXECUTE getc (%s)", (b,))
        assert cur.fetchone()[0] == "b"
        conn.rollback()
        # SET outside a transaction is replayed on whatever backend serves the session
        conn.autocommit = True
        cur.execute("SET application_name = 'sg_replay'")
        for _ in range(3):
            cur.execute("SELECT current_setting('application_name')")
            assert cur.fetchone()[0] == "sg_replay"
        # SET is checked by a server (errors reach the client, nothing is recorded) and the
        # ParameterStatus it causes reaches the client
        expect_error(lambda: cur.execute("SET statement_timeout = 'soon'"), "22023")
        cur.execute("SHOW statement_timeout")
        assert cur.fetchone()[0] == "0"
        cur.execute("SET DateStyle = 'German'")
        assert conn.get_parameter_status("DateStyle") == "German, DMY"
        cur.execute("/* shardgate: primary */ SELECT '2024-01-02'::date::text")
        assert cur.fetchone()[0] == "02.01.2024"
        cur.execute("RESET DateStyle")
        cur.execute("SELECT '2024-01-02'::date::text")
        assert cur.fetchone()[0] == "2024-01-02"
        conn.close()


def malformed_message():
    with Proxy() as proxy:
        good = proxy.connect()
        bad = proxy.connect()
        raw = socket.socket(fileno=bad.fileno())
        raw.sendall(b"Q\x00\x00\x00\x02")  # length below 4
        raw.settimeout(5)
        data = b""
        try:
            while True:
                chunk = raw.recv(4096)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        raw.detach()
        assert b"08P01" in data, data
        with good.cursor() as cur:
            cur.execute("SELECT 7")
            assert cur.fetchone()[0] == 7
        good.close()


def cancel():
    with Proxy() as proxy:
        conn = proxy.connect()
        conn.autocommit = True
        done = threading.Event()

        def cancel_until_done():
            # a cancel that arrives before the statement reached its backend (a slow login
            # on a loaded machine) matches nothing: send it again until the statement ends
            while not done.wait(0.5):
                conn.cancel()

        canceller = threading.Thread(target=cancel_until_done)
        canceller.start()
        started = time.time()
        try:
            expect_error(lambda: conn.cursor().execute("/* shardgate: primary */ "
                                                       "SELECT pg_sleep(10)"), "57014")
        finally:
            done.set()
            canceller.join()
        assert time.time() - started < 5
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
        conn.close()


def pool_timeout():
    with Proxy("pool_size: 1\npool_timeout_ms: 300\n", workers=1) as proxy:
        holder = proxy.connect()
        cur = holder.cursor()
        cur.execute("/* shardgate: primary */ SELECT 1")  # opens a transaction: pinned
        waiter = proxy.connect()
        waiter.autocommit = True
        started = time.time()
        expect_error(lambda: waiter.cursor().execute("/* shardgate: primary */ SELECT 2"),
                     "53300", "became free within 300 ms")
        assert 0.25 < time.time() - started < 3
        holder.commit()
        with waiter.cursor() as c:
            c.execute("/* shardgate: primary */ SELECT 3")
            assert c.fetchone()[0] == 3
        holder.close()
        waiter.close()


def backend_unavailable():
    closed_port = free_port()
    with socket.socket() as silent:  # accepts TCP, never answers: login times out
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        for port, text in ((closed_port, "connect failed"),
                           (silent.getsockname()[1], "timed out after 300 ms")):
            shard_map = write_map(port)
            with Proxy("connect_timeout_ms: 300\n", shard_map=shard_map) as proxy:
                conn = proxy.connect()
                conn.autocommit = True
                started = time.time()
                e = expect_error(lambda: conn.cursor().execute(
                    "/* shardgate: shard=dead */ SELECT 1"), "08006", text)
                assert f"shard dead (127.0.0.1:{port})" in str(e), str(e)
                assert time.time() - started < 3
                with conn.cursor() as cur:  # the session goes on
                    cur.execute("SELECT 5")
                    assert cur.fetchone()[0] == 5
                conn.close()
            shutil.rmtree(os.path.dirname(shard_map))


def backend_dropped():
    with Proxy() as proxy:
        conn = proxy.connect()
        conn.autocommit = True
        errors = []

        def sleeper():
            try:
                conn.cursor().execute("/* shardgate: primary */ SELECT pg_sleep(5) /* sgdrop */")
            except psycopg2.Error as e:
                errors.append(e)

        thread = threading.Thread(target=sleeper)
        started = time.time()
        thread.start()
        admin = direct(PRIMARIES["pg0"], user="admin", password="admin")
        killed = 0
        for _ in range(50):
            with admin.cursor() as cur:
                cur.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                            "WHERE query LIKE '%/* sgdrop */%' AND pid <> pg_backend_pid()")
                killed = cur.fetchone()[0]
            if killed:
                break
            time.sleep(0.05)
        admin.close()
        thread.join(10)
        assert killed == 1 and not thread.is_alive()
        assert time.time() - started < 4
        assert errors and errors[0].pgcode == "08006" and \
            ("lost the connection to shard pg0" in str(errors[0]) or
             "terminating connection" in str(errors[0])), errors
        with conn.cursor() as cur:  # the client connection survives
            cur.execute("/* shardgate: primary */ SELECT 6")
            assert cur.fetchone()[0] == 6
        conn.close()


def extended_protocol():
    import struct

    import wire
    prepare_customers()
    a, b = keys_on("pg0")[0], keys_on("pg1")[0]
    trust = "  - {name: raw, password: x, auth: trust}\nbackend_user: app\nbackend_password: app\n"
    # The reads below check which replica served them right after this session's inserts:
    # read-your-writes (on in the demo map) would rightly send them to the primaries.
    shard_map = demo_map_variant(("read_your_writes: proxy", "read_your_writes: off"))
    with Proxy(trust, workers=1, shard_map=shard_map) as proxy:
        w = wire.Wire(proxy.port, "raw")
        ins = "INSERT INTO customers (id, name) VALUES ($1, $2)"
        got = w.run(wire.parse("ins", ins, (20, 25)), wire.SYNC)
        assert wire.types(got) == "1Z", got
        # binary int8 key and text key route to the shard shardctl names
        for key, binary in ((a, True), (b, False)):
            value = struct.pack("!q", key) if binary else str(key).encode()
            got = w.run(wire.bind("ins", (value, b"ext"), (1 if binary else 0, 0)),
                        wire.execute(), wire.SYNC)
            assert wire.types(got) == "2CZ", got
        for key, shard in ((a, "pg0"), (b, "pg1")):
            with direct(PRIMARIES[shard]) as check, check.cursor() as c:
                c.execute("SELECT name FROM customers WHERE id = %s", (key,))
                assert c.fetchone() == ("ext",), (key, shard)
        # a named statement is prepared transparently on other backend connections
        sel = "SELECT name, inet_server_port() FROM customers WHERE id = $1"
        assert wire.types(w.run(wire.parse("sel", sel), wire.SYNC)) == "1Z"
        for key, shard in ((a, "pg0"), (b, "pg1"), (a, "pg0")):
            got = w.run(wire.bind("sel", (str(key).encode(),)), wire.describe(b"P"),
                        wire.execute(), wire.SYNC)
            assert wire.types(got) == "2TDCZ", got
            assert wire.rows(got) == [["ext", str(REPLICAS[shard])]], wire.rows(got)
        # Describe of a statement, Close answered locally, then the name is gone
        got = w.run(wire.describe(b"S", "sel"), wire.SYNC)
        assert wire.types(got) == "tTZ", got
        assert wire.types(w.run(wire.close(b"S", "sel"), wire.SYNC)) == "3Z"
        got = w.run(wire.bind("sel", (b"1",)), wire.execute(), wire.SYNC)
        assert wire.sqlstate(got) == "26000", got
        # an error skips to Sync; the session goes on
        got = w.run(wire.parse("", "SELECT 1/0"), wire.bind(""), wire.execute(), wire.SYNC)
        assert wire.types(got) == "1EZ" and wire.sqlstate(got) == "22012", got
        # a transaction through the extended protocol, refused second shard, COMMIT -> ROLLBACK
        for sql in ("BEGIN", ins):
            params = () if sql == "BEGIN" else (str(a + 0).encode(), b"t1")
            got = w.run(wire.parse("", sql), wire.bind("", params), wire.execute(), wire.SYNC)
        assert got[-1] == ("Z", b"E") and wire.sqlstate(got) == "23505", got
        got = w.run(wire.parse("", "ROLLBACK"), wire.bind(""), wire.execute(), wire.SYNC)
        assert got[-1] == ("Z", b"I"), got
        w.run(wire.parse("", "BEGIN"), wire.bind(""), wire.execute(), wire.SYNC)
        got = w.run(wire.parse("", "SELECT 1 FROM customers WHERE id = $1"),
                    wire.bind("", (str(a).encode(),)), wire.execute(), wire.SYNC)
        assert wire.types(got) == "12DCZ" and got[-1] == ("Z", b"T"), got
        # a second shard joins the transaction; an error there aborts it everywhere
        fresh = keys_on("pg1")[1]
        got = w.run(wire.bind("ins", (str(fresh).encode(), b"x")), wire.execute(), wire.SYNC)
        assert wire.types(got) == "2CZ" and got[-1] == ("Z", b"T"), got
        got = w.run(wire.bind("ins", (str(b).encode(), b"x")), wire.execute(), wire.SYNC)
        assert wire.sqlstate(got) == "23505" and got[-1] == ("Z", b"E"), got
        got = w.run(wire.bind("", (str(a).encode(),)), wire.execute(), wire.SYNC)
        assert wire.sqlstate(got) == "25P02", got
        got = w.run(wire.parse("", "COMMIT"), wire.bind(""), wire.execute(), wire.SYNC)
        assert wire.types(got) == "12CZ" and got[-2][1] == b"ROLLBACK\0", got
        assert got[-1] == ("Z", b"I"), got
        w.close()
    with direct(PRIMARIES["pg1"]) as check, check.cursor() as c:
        c.execute("SELECT count(*) FROM customers WHERE id = %s", (fresh,))
        assert c.fetchone() == (0,), "the rolled-back insert on the joined shard stayed"
        c.execute("SELECT count(*) FROM pg_prepared_xacts")
        assert c.fetchone() == (0,)


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    raise RuntimeError("no VmHWM")


def large_rows():
    """Rows of 24 MB go through whole and in order (simple and extended protocol, two clients
    at once; COPY TO STDOUT), and the proxy relays them as they come: its peak memory grows by far less than
    one such row (held whole, each would cost twice its size in buffers)."""
    import wire
    big = 750_000  # x 32 characters of md5: 24,000,000 bytes
    sql = (f"SELECT n, CASE WHEN n = 2 THEN repeat(md5(n::text), {big}) ELSE 'small' END, "
           f"md5(CASE WHEN n = 2 THEN repeat(md5(n::text), {big}) ELSE 'small' END) "
           "FROM generate_series(1, 3) n ORDER BY n")
    trust = "  - {name: raw, password: x, auth: trust}\nbackend_user: app\nbackend_password: app\n"
    with Proxy(trust) as proxy:
        pid = proxy.process.pid
        base = peak_rss_mib(pid)
        errors = []

        def reader():
            try:
                with proxy.connect() as conn, conn.cursor() as cur:
                    for _ in range(2):
                        cur.execute(sql)
                        rows = cur.fetchall()
                        assert [r[0] for r in rows] == [1, 2, 3], [r[0] for r in rows]
                        assert rows[0][1] == "small" and rows[2][1] == "small"
                        assert len(rows[1][1]) == 32 * big, len(rows[1][1])
                        assert hashlib.md5(rows[1][1].encode()).hexdigest() == rows[1][2]
                        cur.execute("SELECT 40 + 2")
                        assert cur.fetchone() == (42,)
            except Exception as e:  # noqa: BLE001 (reported below)
                errors.append(repr(e)[:300])

        threads = [threading.Thread(target=reader) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        # the extended protocol (Parse/Bind/Execute): a 16 MiB row, then the next statement
        w = wire.Wire(proxy.port, "raw")
        got = w.run(wire.parse("", "SELECT repeat('ab', $1::int), 7"),
                    wire.bind("", (b"8000000",)), wire.execute(), wire.SYNC)
        assert wire.types(got) == "12DCZ", wire.types(got)
        assert wire.rows(got)[0][0] == "ab" * 8_000_000 and wire.rows(got)[0][1] == "7"
        got = w.run(wire.parse("", "SELECT 5"), wire.bind(""), wire.execute(), wire.SYNC)
        assert wire.rows(got) == [["5"]], got
        w.close()
        # COPY TO STDOUT: each row one CopyData message of 20 MB
        with proxy.connect() as conn, conn.cursor() as cur:
            out = io.BytesIO()
            cur.copy_expert("COPY (SELECT n, repeat('z', 20000000) FROM generate_series(1, 2) n) "
                            "TO STDOUT", out)
            lines = out.getvalue().split(b"\n")
            assert lines == [b"1\t" + b"z" * 20_000_000, b"2\t" + b"z" * 20_000_000, b""]
            cur.execute("SELECT 6")
            assert cur.fetchone() == (6,)
        peak = peak_rss_mib(pid)
        print(f"large_rows: proxy peak memory {base} MiB at start, {peak} MiB after two "
              f"clients read 24 MB rows twice each, and a COPY of two 20 MB rows")
        # (held whole, two clients' 24 MB rows alone would take about 100 MiB)
        assert peak - base < 16 or SANITIZED, (base, peak)


def time_zone_keys():
    """events is placed by month of created_at (timestamptz; 2025 on pg0, 2026 on pg1). A time
    without a UTC offset means another instant in a session whose TimeZone is not UTC: written
    '2026-01-01 05:00' in Asia/Tokyo it is 2025-12-31 20:00 UTC, and the earlier build put the
    row on pg1 where a read by its time (on pg0) does not find it. Such a key is refused (0A000,
    the session goes on) in INSERT, WHERE and COPY; with an offset it lands by its instant; after
    RESET TIME ZONE (UTC) the same text is taken as UTC."""
    for port in PRIMARIES.values():
        with direct(port) as conn, conn.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS events")
            cur.execute("CREATE TABLE events (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY "
                        "KEY, created_at timestamptz NOT NULL, name text NOT NULL, payload text)")

    def on_servers(name):
        counts = {}
        for shard, port in PRIMARIES.items():
            with direct(port) as conn, conn.cursor() as cur:
                cur.execute("SELECT count(*) FROM events WHERE name = %s", (name,))
                counts[shard] = cur.fetchone()[0]
        return counts

    def refused(action, what):
        try:
            action()
        except psycopg2.errors.FeatureNotSupported as e:
            assert "without a UTC offset" in str(e), str(e)
            return
        raise AssertionError(f"not refused: {what}")

    with Proxy() as proxy:
        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute("SET TIME ZONE 'Asia/Tokyo'")
        for sql in ("INSERT INTO events (created_at, name) VALUES ('2026-01-01 05:00', 'tokyo')",
                    "SELECT count(*) FROM events WHERE created_at = '2026-01-01 05:00'",
                    "SELECT count(*) FROM events WHERE created_at BETWEEN '2026-01-01' AND "
                    "'2026-01-02+09'",
                    "UPDATE events SET name = 'x' WHERE created_at = '2026-01-01'"):
            refused(lambda: cur.execute(sql), sql)
            cur.execute("SELECT 1")
            assert cur.fetchone()[0] == 1
        refused(lambda: cur.copy_expert("COPY events (created_at, name) FROM STDIN",
                                        io.StringIO("2026-01-01 05:00\ttokyo-copy\n")), "COPY")
        cur.execute("INSERT INTO events (created_at, name) VALUES ('2026-01-01 05:00+09', 'tokyo')")
        cur.execute("SELECT count(*) FROM events WHERE created_at = '2025-12-31 20:00Z'")
        assert cur.fetchone()[0] == 1
        cur.copy_expert("COPY events (created_at, name) FROM STDIN",
                        io.StringIO("2026-01-01 05:00+09\ttokyo-copy\n"))
        cur.execute("RESET TIME ZONE")
        # a Query that sets the zone, then writes: the zone is unknown when it is routed
        refused(lambda: cur.execute("SET TIME ZONE 'Asia/Tokyo'; INSERT INTO events "
                                    "(created_at, name) VALUES ('2026-01-01 05:00', 'mixed')"),
                "SET TIME ZONE; INSERT")
        cur.execute("INSERT INTO events (created_at, name) VALUES ('2026-01-01 05:00', 'utc')")
        cur.execute("SELECT count(*) FROM events WHERE created_at = '2026-01-01 05:00'")
        assert cur.fetchone()[0] == 1
        conn.close()
        # psql with PGTZ: libpq sends it as the TimeZone startup parameter
        env = dict(os.environ, PGPASSWORD="app", PGTZ="America/New_York")
        for stamp, refused in (("2026-01-01 01:00", True), ("2026-01-01 01:00-05", False)):
            out = subprocess.run(
                ["psql", "-h", "127.0.0.1", "-p", str(proxy.port), "-U", "app", "-d", "shop",
                 "-v", "ON_ERROR_STOP=1", "-Atc",
                 f"INSERT INTO events (created_at, name) VALUES ('{stamp}', 'psql')"],
                env=env, capture_output=True, text=True, timeout=30)
            assert (out.returncode != 0) == refused, (stamp, out.stderr)
            assert ("without a UTC offset" in out.stderr) == refused, out.stderr
    assert on_servers("tokyo") == {"pg0": 1, "pg1": 0}, on_servers("tokyo")
    assert on_servers("tokyo-copy") == {"pg0": 1, "pg1": 0}, on_servers("tokyo-copy")
    assert on_servers("utc") == {"pg0": 0, "pg1": 1}, on_servers("utc")
    assert on_servers("mixed") == {"pg0": 0, "pg1": 0}, on_servers("mixed")
    assert on_servers("psql") == {"pg0": 0, "pg1": 1}, on_servers("psql")  # 06:00 UTC


def zone_blocks():
    """The zone of a transaction block (events by created_at, timestamptz: 2025 on pg0, 2026 on
    pg1). SET LOCAL TIME ZONE and set_config('TimeZone', ..., true) change it until the block
    ends: a time without offset is refused inside (the earlier build placed
    '2026-01-01 05:00' set_config'd to Tokyo on pg1; it is 2025-12-31 20:00 UTC) and taken as
    UTC after it. A SET LOCAL sent before the block's first statement (no shard yet) reaches
    the shard with the block's BEGIN (before, it was answered and dropped: SHOW said UTC and a
    SET LOCAL statement_timeout did not apply). A session SET inside a block that rolls back is
    undone, as on the server (before, SHOW said Asia/Tokyo after the ROLLBACK)."""
    for port in PRIMARIES.values():
        with direct(port) as conn, conn.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS events")
            cur.execute("CREATE TABLE events (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY "
                        "KEY, created_at timestamptz NOT NULL, name text NOT NULL, payload text)")

    def refused(cur, sql):
        try:
            cur.execute(sql)
        except psycopg2.errors.FeatureNotSupported as e:
            assert "without a UTC offset" in str(e), str(e)
            cur.connection.rollback()
            return
        raise AssertionError(f"not refused: {sql}")

    def shown(cur):
        cur.execute("SHOW TimeZone")
        return cur.fetchone()[0]

    insert = "INSERT INTO events (created_at, name) VALUES ('2026-01-01 05:00{}', '{}')"
    with Proxy() as proxy:
        conn = proxy.connect()  # psycopg2 opens a block before the first statement
        cur = conn.cursor()
        cur.execute("SET LOCAL TIME ZONE 'Asia/Tokyo'")  # before the block has a shard
        assert shown(cur) == "Asia/Tokyo"
        refused(cur, insert.format("", "local"))
        assert shown(cur) in ("UTC", "Etc/UTC")
        cur.execute("SELECT set_config('TimeZone', 'Asia/Tokyo', true)")
        refused(cur, insert.format("", "set_config"))
        cur.execute("SELECT set_config('TimeZone', 'Asia/Tokyo', true)")
        cur.execute(insert.format("+09", "offset"))
        conn.commit()
        cur.execute(insert.format("", "after"))  # UTC again
        conn.commit()
        cur.execute("SET LOCAL statement_timeout = '200ms'")
        try:
            cur.execute("SELECT pg_sleep(2)")
            raise AssertionError("SET LOCAL statement_timeout did not apply")
        except psycopg2.errors.QueryCanceled:
            conn.rollback()
        cur.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")  # (dropped before)
        cur.execute("SHOW transaction_isolation")
        assert cur.fetchone()[0] == "serializable"
        conn.rollback()
        # a Query that sets the block's zone among other statements: unknown for the block
        conn.autocommit = True
        cur.execute("BEGIN; SET LOCAL TIME ZONE 'Asia/Tokyo'; SELECT 1")
        refused(cur, insert.format("", "mixed"))
        cur.execute("ROLLBACK")  # (the refusal failed the block, as an error on the server does)
        cur.execute("BEGIN")
        cur.execute("SET LOCAL TIME ZONE 'Asia/Tokyo'")
        cur.execute("SET TIME ZONE 'UTC'")  # the session's zone wins for the rest of the block
        cur.execute("SELECT 1")
        assert shown(cur) == "UTC", shown(cur)
        cur.execute(insert.format("", "session-wins"))
        cur.execute("COMMIT")
        cur.execute("RESET TIME ZONE")
        conn.autocommit = False
        cur.execute("SELECT 1")
        cur.execute("SET TIME ZONE 'Asia/Tokyo'")
        assert shown(cur) == "Asia/Tokyo"
        conn.rollback()
        conn.autocommit = True
        for _ in range(4):  # on whichever pooled connection serves it
            assert shown(cur) in ("UTC", "Etc/UTC"), shown(cur)
        cur.execute(insert.format("", "after-rollback"))
        conn.close()
    counts = {}
    for name in ("local", "set_config", "offset", "after", "after-rollback", "mixed",
                 "session-wins"):
        counts[name] = {}
        for shard, port in PRIMARIES.items():
            with direct(port) as conn, conn.cursor() as cur:
                cur.execute("SELECT count(*) FROM events WHERE name = %s", (name,))
                counts[name][shard] = cur.fetchone()[0]
    assert counts == {"local": {"pg0": 0, "pg1": 0}, "set_config": {"pg0": 0, "pg1": 0},
                      "offset": {"pg0": 1, "pg1": 0}, "after": {"pg0": 0, "pg1": 1},
                      "after-rollback": {"pg0": 0, "pg1": 1}, "mixed": {"pg0": 0, "pg1": 0},
                      "session-wins": {"pg0": 0, "pg1": 1}}, counts


def server_zone():
    """Servers whose default TimeZone is not UTC (ALTER DATABASE shop SET timezone = 'Asia/Tokyo'
    on both primaries, replicated): shardgate opens its backend connections with TimeZone=UTC,
    the zone it announces to clients, so SHOW TimeZone says UTC, a time key without offset is
    read by the server as the UTC shardgate places it by ('2026-01-01 05:00' on pg1, stored as
    05:00 UTC), and after RESET ALL the zone is still UTC. (Before, the backend read it in Tokyo:
    2025-12-31 20:00 UTC stored on the 2026 shard.)"""
    for port in PRIMARIES.values():
        with direct(port) as conn, conn.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS events")
            cur.execute("CREATE TABLE events (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY "
                        "KEY, created_at timestamptz NOT NULL, name text NOT NULL, payload text)")
    admin = [direct(port, user="admin", password="admin") for port in PRIMARIES.values()]
    try:
        for conn in admin:
            conn.autocommit = True
            conn.cursor().execute("ALTER DATABASE shop SET timezone = 'Asia/Tokyo'")
        with Proxy() as proxy:
            conn = proxy.connect()
            conn.autocommit = True
            cur = conn.cursor()
            for sql in ("SHOW TimeZone", "RESET ALL", "SHOW TimeZone"):
                cur.execute(sql)
                if cur.description:
                    assert cur.fetchone()[0] == "UTC", sql
            cur.execute("INSERT INTO events (created_at, name) VALUES ('2026-01-01 05:00', "
                        "'server-zone') RETURNING created_at AT TIME ZONE 'UTC'")
            assert str(cur.fetchone()[0]) == "2026-01-01 05:00:00"
            conn.close()
    finally:
        for conn in admin:
            conn.cursor().execute("ALTER DATABASE shop RESET timezone")
            conn.close()
    found = {}
    for shard, port in PRIMARIES.items():
        with direct(port) as conn, conn.cursor() as cur:
            cur.execute("SELECT (created_at AT TIME ZONE 'UTC')::text FROM events WHERE name = "
                        "'server-zone'")
            found[shard] = [row[0] for row in cur.fetchall()]
    assert found == {"pg0": [], "pg1": ["2026-01-01 05:00:00"]}, found


def fresh_events(time_type="timestamptz"):
    """events created anew on both primaries, created_at of `time_type` (the demo's:
    timestamptz)."""
    for port in PRIMARIES.values():
        with direct(port) as conn, conn.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS events")
            cur.execute("CREATE TABLE events (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY "
                        f"KEY, created_at {time_type} NOT NULL, name text NOT NULL, payload text)")


def event_names():
    """{shard: names of its events rows, sorted}, read on the primaries."""
    found = {}
    for shard, port in PRIMARIES.items():
        with direct(port) as conn, conn.cursor() as cur:
            cur.execute("SELECT name FROM events ORDER BY name")
            found[shard] = [row[0] for row in cur.fetchall()]
    return found


def refused_without_offset(cur, sql, why):
    """`sql` (a time key without offset) is refused 0A000 as not UTC; AssertionError(`why`) if
    it ran."""
    try:
        cur.execute(sql)
    except psycopg2.errors.FeatureNotSupported as e:
        assert "without a UTC offset" in str(e), e
        return
    raise AssertionError(why)


def zone_savepoints():
    """A session in Asia/Tokyo sets UTC inside a transaction block after a savepoint, then rolls
    back to it: the server is in Tokyo again, so a timestamptz key without offset is refused
    (0A000) — the earlier build still took the session as UTC and put '2026-01-01 05:00'
    (2025-12-31 20:00 UTC as the server stores it) on pg1. RELEASE and a later savepoint are
    followed too; rows checked on the servers (psycopg2)."""
    fresh_events()
    insert = "INSERT INTO events (created_at, name) VALUES ('2026-01-01 05:00{}', '{}')"
    with Proxy() as proxy:
        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute("SET TIME ZONE 'Asia/Tokyo'")
        cur.execute("BEGIN")
        cur.execute(insert.format("+00", "pinned"))  # (the block's shard: pg1)
        cur.execute("SAVEPOINT a")
        cur.execute("SET TIME ZONE UTC")
        cur.execute(insert.format("", "utc-in-block"))  # UTC here: 05:00 UTC, pg1
        cur.execute("ROLLBACK TO SAVEPOINT a")
        cur.execute("SHOW TimeZone")
        assert cur.fetchone()[0] == "Asia/Tokyo"
        refused_without_offset(cur, insert.format("", "after-rollback-to"),
                               "taken as UTC after ROLLBACK TO")
        cur.execute("ROLLBACK")
        cur.execute("BEGIN")
        cur.execute(insert.format("+00", "second"))
        cur.execute("SAVEPOINT b")
        cur.execute("SET TIME ZONE UTC")
        cur.execute("RELEASE SAVEPOINT b")  # the SET stays
        cur.execute(insert.format("", "after-release"))
        cur.execute("COMMIT")
        cur.execute("SHOW TimeZone")
        assert cur.fetchone()[0] == "UTC"
        conn.close()
    found = event_names()
    assert found == {"pg0": [], "pg1": ["after-release", "second"]}, found


def zone_chains():
    """COMMIT AND CHAIN keeps a zone SET in the first block, and a rollback of the chained block
    undoes only what that block SET: Tokyo committed, UTC set in the chained block and rolled
    back leaves Tokyo — the earlier build counted the chained block's ROLLBACK as the first
    block's COMMIT, kept the UTC, and put '2026-01-01 05:00' (2025-12-31 20:00 UTC as the server
    stores it) on pg1. ROLLBACK AND CHAIN undoes a SET of its block at once (the earlier build
    kept refusing in the chained block as if the zone were still Tokyo); a SET LOCAL sent in
    the same Query as COMMIT AND CHAIN counts for the chained block. Rows checked on the servers
    (psycopg2)."""
    fresh_events()
    insert = "INSERT INTO events (created_at, name) VALUES ('2026-01-01 05:00{}', '{}')"
    with Proxy() as proxy:
        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute("BEGIN")
        cur.execute(insert.format("+00", "first"))
        cur.execute("SET TIME ZONE 'Asia/Tokyo'")
        cur.execute("COMMIT AND CHAIN")
        cur.execute(insert.format("+00", "chained"))
        cur.execute("SET TIME ZONE UTC")
        cur.execute("ROLLBACK")
        cur.execute("SHOW TimeZone")
        assert cur.fetchone()[0] == "Asia/Tokyo"
        refused_without_offset(cur, insert.format("", "after-chain"),
                               "taken as UTC after COMMIT AND CHAIN")
        cur.execute("RESET TIME ZONE")
        cur.execute("BEGIN")
        cur.execute(insert.format("+00", "second"))
        cur.execute("SET TIME ZONE 'Asia/Tokyo'")
        cur.execute("ROLLBACK AND CHAIN")
        cur.execute(insert.format("", "rolled-back-chain"))  # UTC again: 05:00 UTC, pg1
        # a SET LOCAL sent with the COMMIT AND CHAIN counts for the chained block (followed in
        # order: at the ReadyForQuery it would have been lost with the first block's)
        cur.execute("COMMIT AND CHAIN; SET LOCAL TIME ZONE 'Asia/Tokyo'")
        refused_without_offset(cur, insert.format("", "same-query"),
                               "taken as UTC after SET LOCAL")
        cur.execute("ROLLBACK")
        cur.execute("SHOW TimeZone")
        assert cur.fetchone()[0] == "UTC"
        conn.close()
    found = event_names()
    assert found == {"pg0": [], "pg1": ["first", "rolled-back-chain"]}, found


def wall_clock_keys():
    """events by created_at as a `timestamp` column (without time zone: a wall-clock time; the
    server drops an offset written with it and ignores the session's zone), 2025 on pg0 and
    2026 on pg1. The demo map declares key_type timestamptz: shardgate refuses to start, naming
    the table, the column's type and the fix (the earlier build started, and placed
    '2026-01-01 05:00+09' by its instant, 2025-12-31 20:00 UTC, on pg0, while the server
    stored 2026-01-01 05:00 there, where a read by that time (routed to pg1) does not find it).
    The demo map POSTed to the admin API while it runs is refused too (409). With `key_type:
    timestamp` every time is placed by its wall clock, with or without offset, in any session
    zone (Asia/Tokyo here; no refusal), in INSERT, COPY and WHERE."""
    fresh_events("timestamp")
    try:
        wall_clock_events()
    finally:
        fresh_events()  # (the demo's: other tests start with the demo map)


def wall_clock_events():
    try:
        with Proxy():
            raise AssertionError("shardgate started with events declared timestamptz")
    except RuntimeError as e:
        assert ("table events of database shop is placed by created_at, a timestamp column on "
                "shard pg0" in str(e)), e
        assert "set `key_type: timestamp` for events in the map" in str(e), e
    shard_map = demo_map_variant(("key_type: timestamptz", "key_type: timestamp"))
    with open(DEMO_MAP) as f:
        text = f.read()
    admin = free_port()
    with Proxy(shard_map=shard_map, admin_listen=f"127.0.0.1:{admin}",
               extra_config="admin_token: sg-test\n") as proxy:
        # the demo map (timestamptz) installed live: refused the same way, epoch 1 stays
        status, body = harness_admin(admin, "POST", "/map",
                                     text.replace("epoch: 1\n", "epoch: 2\n", 1))
        assert status == 409 and "set `key_type: timestamp` for events" in body, (status, body)
        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute("SET TIME ZONE 'Asia/Tokyo'")
        cur.execute("INSERT INTO events (created_at, name) VALUES ('2026-01-01 05:00+09', "
                    "'offset'), ('2026-01-01 05:00', 'plain')")
        cur.execute("INSERT INTO events (created_at, name) VALUES ('2025-12-31 23:30-05', "
                    "'west')")
        cur.copy_expert("COPY events (created_at, name) FROM STDIN",
                        io.StringIO("2026-01-01 00:30+02\tcopy\n2025-12-31 22:00Z\tcopy\n"))
        cur.execute("SELECT name FROM events WHERE created_at = '2026-01-01 05:00' ORDER BY name")
        assert [row[0] for row in cur.fetchall()] == ["offset", "plain"]
        cur.execute("SELECT count(*) FROM events WHERE created_at >= '2026-01-01 00:00+09' AND "
                    "created_at < '2026-02-01'")
        assert cur.fetchone()[0] == 3  # offset, plain, copy 00:30
        cur.execute("RESET TIME ZONE")
        cur.execute("SELECT count(*) FROM events WHERE created_at = '2025-12-31 23:30'")
        assert cur.fetchone()[0] == 1
        conn.close()
    found = {}
    for shard, port in PRIMARIES.items():
        with direct(port) as conn, conn.cursor() as cur:
            cur.execute("SELECT name, created_at::text FROM events ORDER BY created_at, name")
            found[shard] = cur.fetchall()
    assert found == {"pg0": [("copy", "2025-12-31 22:00:00"), ("west", "2025-12-31 23:30:00")],
                     "pg1": [("copy", "2026-01-01 00:30:00"), ("offset", "2026-01-01 05:00:00"),
                             ("plain", "2026-01-01 05:00:00")]}, found


def key_casts():
    """Casts written on shard-key literals (events by created_at, timestamptz: 2025 on pg0,
    2026 on pg1; psycopg2, a UTC session). The server converts a cast value to the cast's type
    first: '2026-01-01 05:00+09'::timestamp is 2026-01-01 05:00 (offset dropped), stored as
    05:00 UTC, in 2026 — the earlier build ignored the cast, placed the row by the instant
    (2025-12-31 20:00 UTC) and put it on pg0. Now refused (0A000), as is a date cast of a time
    that is not a midnight; casts that read as the column does are placed by their value
    (timestamptz with an offset, timestamp with +00 in UTC, DATE at midnight), CAST(... AS ...)
    and typed literals alike, and a parameter of SQL-level PREPARE by its declared type. Rows
    checked on the servers."""
    fresh_events()
    with Proxy() as proxy:
        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()
        insert = "INSERT INTO events (created_at, name) VALUES ({}, '{}')"
        expect_error(lambda: cur.execute(insert.format("'2026-01-01 05:00+09'::timestamp",
                                                       "wall-cast")),
                     "0A000", "cast to timestamp")
        expect_error(lambda: cur.execute(
            "SELECT name FROM events WHERE created_at = '2026-01-01 05:00+09'::timestamp"),
            "0A000", "cast to timestamp")
        expect_error(lambda: cur.execute(insert.format("'2025-12-31 23:30'::date", "date-cut")),
                     "0A000", "keeps only the date")
        expect_error(lambda: cur.execute(insert.format("'2025-12-31 23:59:59.9'::timestamptz(0)",
                                                       "rounded")),
                     "0A000", "a precision")
        cur.execute(insert.format("'2025-12-31 23:00-05'::timestamptz", "instant-cast"))
        cur.execute(insert.format("CAST('2026-01-01 00:30+00' AS timestamp)", "utc-cast"))
        cur.execute(insert.format("DATE '2026-01-01'", "date-literal"))
        cur.execute(insert.format("timestamptz '2025-12-31 12:00+00'", "typed-2025"))
        cur.execute("SELECT name FROM events WHERE created_at = "
                    "CAST('2026-01-01 04:00Z' AS timestamp with time zone)")
        assert cur.fetchall() == [("instant-cast",)]
        # SQL-level PREPARE: a parameter declared timestamp is read like a cast to it
        cur.execute("PREPARE wall_ins (timestamp, text) AS "
                    "INSERT INTO events (created_at, name) VALUES ($1, $2)")
        expect_error(lambda: cur.execute("EXECUTE wall_ins ('2026-01-01 05:00+09', 'prep-wall')"),
                     "0A000", "declared timestamp")
        cur.execute("PREPARE instant_ins (timestamptz, text) AS "
                    "INSERT INTO events (created_at, name) VALUES ($1, $2)")
        cur.execute("EXECUTE instant_ins ('2025-12-31 23:00-05', 'prep-instant')")
        conn.close()
    found = event_names()
    assert found == {"pg0": ["typed-2025"],
                     "pg1": ["date-literal", "instant-cast", "prep-instant", "utc-cast"]}, found


def key_precision():
    """events by created_at as timestamptz(0) (whole seconds: PostgreSQL rounds a fraction half
    up), by month: 2025 on pg0, 2026 on pg1. '2025-12-31 23:59:59.6+00' is stored as
    2026-01-01 00:00:00, a January row; the earlier build placed it by its second, on pg0,
    where a read of January (routed to pg1) does not find it. The demo map (no key_precision:
    6 digits) is refused at start, naming the column's precision and the fix; with
    `key_precision: 0` such times go to pg1 in INSERT, COPY and an UPDATE that moves the row
    (shard_key_updates: move; it finds the moved row again as the column stores it), and a
    fraction that rounds down stays on pg0 (psycopg2; rows checked on the servers)."""
    fresh_events("timestamptz(0)")
    try:
        try:
            with Proxy():
                raise AssertionError("shardgate started with events declared with 6 digits")
        except RuntimeError as e:
            assert "a timestamptz(0) column on shard pg0" in str(e), e
            assert "set `key_precision: 0` for events" in str(e), e
        anchor = "        key_type: timestamptz   # created_at is timestamptz (an instant)\n"
        settings = "    engine: postgresql\n"
        shard_map = demo_map_variant((anchor, anchor + "        key_precision: 0\n"),
                                     (settings, settings + "    shard_key_updates: move\n"))
        with Proxy(shard_map=shard_map) as proxy:
            conn = proxy.connect()
            conn.autocommit = True
            cur = conn.cursor()
            cur.execute("INSERT INTO events (created_at, name) VALUES "
                        "('2025-12-31 23:59:59.6+00', 'rounds-up'), "
                        "('2025-12-31 23:59:59.4+00', 'rounds-down')")
            # (ids are per shard: the moved row takes one no shard has)
            cur.execute("INSERT INTO events (id, created_at, name) VALUES "
                        "(1000, '2025-06-01 12:00+00', 'moved')")
            cur.copy_expert("COPY events (created_at, name) FROM STDIN",
                            io.StringIO("2025-12-31 23:59:59.5+00\tcopy-up\n"))
            # an UPDATE of the key to such a time moves the row (found again as stored)
            cur.execute("UPDATE events SET created_at = '2025-12-31 23:59:59.7+00' "
                        "WHERE name = 'moved' AND created_at = '2025-06-01 12:00+00'")
            assert cur.rowcount == 1
            cur.execute("SELECT name FROM events WHERE created_at >= '2026-01-01' ORDER BY name")
            assert cur.fetchall() == [("copy-up",), ("moved",), ("rounds-up",)]
            conn.close()
        found = event_names()
        assert found == {"pg0": ["rounds-down"],
                         "pg1": ["copy-up", "moved", "rounds-up"]}, found
    finally:
        fresh_events()  # (the demo's: other tests start with the demo map)


CASES = {
    "psql_queries": psql_queries,
    "placement": placement,
    "read_split": read_split,
    "auth_and_database": auth_and_database,
    "reject_plan": reject_plan,
    "transaction_pinning": transaction_pinning,
    "failed_join": failed_join,
    "malformed_message": malformed_message,
    "cancel": cancel,
    "pool_timeout": pool_timeout,
    "backend_unavailable": backend_unavailable,
    "backend_dropped": backend_dropped,
    "extended_protocol": extended_protocol,
    "large_rows": large_rows,
    "time_zone_keys": time_zone_keys,
    "zone_blocks": zone_blocks,
    "server_zone": server_zone,
    "wall_clock_keys": wall_clock_keys,
    "zone_savepoints": zone_savepoints,
    "zone_chains": zone_chains,
    "key_casts": key_casts,
    "key_precision": key_precision,
}

if __name__ == "__main__":
    run(CASES)
