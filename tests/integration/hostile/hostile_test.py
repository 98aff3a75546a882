#!/usr/bin/python3
"""Hostile clients against a running shardgate: malformed bytes, lying length fields, idle and
slow handshakes, thousands of half-open connections, an unread pipeline, huge and deeply nested
SQL, bad encodings, password guessing, random cancel keys, a TLS handshake cut halfway and
hostile HTTP on the admin port. After each attack: the proxy is alive, a well-behaved psycopg2
and pymysql client querying throughout saw no error, the proxy's RSS came back near its
baseline, and where the protocol has an error reply the attacker got it (ErrorResponse with a
SQLSTATE, ERR packet with an error code). Usage: hostile_test.py CASE"""
import atexit
import base64
import hashlib
import hmac
import importlib.util
import json
import os
import random
import resource
import shutil
import socket
import ssl
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time

import psycopg2
import pymysql

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cross_shard"))
import write_test as wt  # noqa: E402  (Proxy: both listeners, admin port, token sg-test)

_spec = importlib.util.spec_from_file_location(
    "mysql_wire", os.path.join(HERE, "..", "proxy_mysql", "wire.py"))
mywire = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mywire)

# A trust user for raw PostgreSQL sessions (its backend logins use app/app).
TRUST = "  - {name: raw, password: x, auth: trust}\nbackend_user: app\nbackend_password: app\n"
MIB = 1024 * 1024
RSS_BOUND_KIB = 16 * 1024  # back within 16 MiB of the baseline once the attackers are gone


def raise_fd_limit():
    """The proxy inherits this limit: 2,000 clients need more than the usual soft 1,024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 16384), hard))


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


class RssSampler:
    """Samples the proxy's RSS every 10 ms in a thread; keeps the peak."""

    def __init__(self, pid):
        self.pid, self.peak, self.stopped = pid, rss_kib(pid), False
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while not self.stopped:
            self.peak = max(self.peak, rss_kib(self.pid))
            time.sleep(0.01)

    def stop(self):
        self.stopped = True
        self.thread.join()
        return self.peak


class Bystanders:
    """A psycopg2 and a pymysql session doing simple queries during the attack."""

    def __init__(self, proxy):
        self.pg = proxy.connect()
        self.pg.autocommit = True
        self.my = proxy.my()
        self.errors, self.queries, self.slowest, self.stopped = [], 0, 0.0, False
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while not self.stopped:
            for name, conn in (("psycopg2", self.pg), ("pymysql", self.my)):
                started = time.time()
                try:
                    with conn.cursor() as cur:
                        cur.execute("SELECT 1")
                        assert cur.fetchone()[0] == 1
                    self.queries += 1
                except Exception as e:  # noqa: BLE001  (any failure is the finding)
                    self.errors.append(f"{name}: {e!r}")
                    time.sleep(0.2)
                self.slowest = max(self.slowest, time.time() - started)
            time.sleep(0.01)

    def stop(self):
        self.stopped = True
        self.thread.join()
        self.pg.close()
        self.my.close()
        assert not self.errors, self.errors[:5]
        assert self.queries > 0
        return self.queries


class Attack:
    """One attack on a fresh proxy: baseline, bystanders, RSS peak, alive and RSS back after."""

    def __init__(self, name, extra_config="", rss_bound_kib=RSS_BOUND_KIB, preexec_fn=None,
                 users=""):
        self.name, self.bound = name, rss_bound_kib
        # `users`: more entries of the users list ("  - {...}" lines)
        self.proxy = wt.Proxy(extra_config=users + TRUST + extra_config, preexec_fn=preexec_fn)
        self.pid = self.proxy.process.pid

    def __enter__(self):
        warm_up(self.proxy)
        self.baseline = rss_kib(self.pid)
        self.bystanders = Bystanders(self.proxy)
        self.sampler = RssSampler(self.pid)
        self.started = time.time()
        return self

    def __exit__(self, *exc):
        try:
            if exc[0] is None:
                deadline = time.time() + 5  # the bystanders overlap the attack's effects
                while self.bystanders.queries < 40 and time.time() < deadline:
                    time.sleep(0.05)
                peak = self.sampler.stop()
                queries = self.bystanders.stop()
                assert self.proxy.process.poll() is None, "shardgate died:\n" + self.proxy.output()
                after = settle(self.pid, self.baseline + self.bound)
                print(f"  {self.name}: rss baseline {self.baseline} KiB, peak {peak} KiB "
                      f"(+{peak - self.baseline}), after {after} KiB "
                      f"(+{after - self.baseline}); bystander queries {queries}, slowest "
                      f"{self.bystanders.slowest * 1000:.0f} ms; "
                      f"{time.time() - self.started:.1f} s")
                assert after <= self.baseline + self.bound or wt.harness.SANITIZED, \
                    f"RSS {after} KiB stayed above baseline {self.baseline} + {self.bound} KiB"
        finally:
            self.sampler.stopped = True
            self.bystanders.stopped = True
            if exc[0] is not None:
                sys.stderr.write(self.proxy.output()[-4000:])
            self.proxy.__exit__(*exc)


def settle(pid, limit, timeout=10):
    deadline = time.time() + timeout
    while True:
        now = rss_kib(pid)
        if now <= limit or time.time() > deadline:
            return now
        time.sleep(0.1)


def warm_up(proxy):
    """A few sessions of each kind first, so the baseline includes pools and arenas."""
    for _ in range(3):
        c = proxy.connect()
        c.cursor().execute("SELECT 1")
        c.close()
        m = proxy.my()
        m.cursor().execute("SELECT 1")
        m.close()
        pg_trust(proxy.port).close()
    time.sleep(0.3)


def admin_status(proxy):
    return json.loads(http(proxy.admin_port, "GET /status HTTP/1.1\r\nHost: x\r\n"
                           "Authorization: Bearer sg-test\r\nConnection: close\r\n\r\n")[1])


# ---- PostgreSQL wire, by hand ----

def pg_message(kind, body=b""):
    return kind + struct.pack("!I", len(body) + 4) + body


def pg_startup(user, database="shop"):
    body = struct.pack("!I", 196608) + b"user\0" + user.encode() + b"\0database\0" + \
        database.encode() + b"\0\0"
    return struct.pack("!I", len(body) + 4) + body


def pg_query(sql):
    return pg_message(b"Q", (sql if isinstance(sql, bytes) else sql.encode()) + b"\0")


def pg_messages(sock, until=b"Z", timeout=10):
    """Reads messages until one of type `until` or the close; returns [(type, body)]."""
    sock.settimeout(timeout)
    buf, out = b"", []
    while True:
        while len(buf) >= 5 and len(buf) >= 1 + struct.unpack("!I", buf[1:5])[0]:
            n = 1 + struct.unpack("!I", buf[1:5])[0]
            out.append((buf[:1], buf[5:n]))
            buf = buf[n:]
            if out[-1][0] in until:
                return out
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            return out
        buf += chunk


def sqlstate(messages):
    """The SQLSTATE of the first ErrorResponse, or None."""
    for kind, body in messages:
        if kind == b"E":
            for field in body.split(b"\0"):
                if field[:1] == b"C":
                    return field[1:].decode()
    return None


def pg_trust(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(pg_startup("raw"))
    got = pg_messages(sock)
    assert got and got[-1][0] == b"Z", got
    return sock


def scram_attempt(port, user, password):
    """A full SCRAM-SHA-256 login. Returns the messages of the server's last answer, the time
    spent waiting for the server (the client's own PBKDF2 left out) and the exchanges."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    waited, exchanges = 0.0, 0

    def exchange(data, until):
        nonlocal waited, exchanges
        started = time.perf_counter()
        sock.sendall(data)
        got = pg_messages(sock, until=until)
        waited += time.perf_counter() - started
        exchanges += 1
        return got

    try:
        got = exchange(pg_startup(user), b"ERZ")
        if not got or got[-1][0] != b"R" or struct.unpack("!I", got[-1][1][:4])[0] != 10:
            return got, waited, exchanges
        nonce = base64.b64encode(os.urandom(18)).decode()
        first_bare = f"n=,r={nonce}"
        data = ("n,," + first_bare).encode()
        got = exchange(pg_message(b"p", b"SCRAM-SHA-256\0" + struct.pack("!I", len(data)) + data),
                       b"ER")
        if not got or got[-1][0] != b"R":
            return got, waited, exchanges
        server_first = got[-1][1][4:].decode()
        fields = dict(part.split("=", 1) for part in server_first.split(","))
        salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(fields["s"]),
                                     int(fields["i"]))
        client_key = hmac.digest(salted, b"Client Key", "sha256")
        final_bare = f"c=biws,r={fields['r']}"
        message = f"{first_bare},{server_first},{final_bare}".encode()
        signature = hmac.digest(hashlib.sha256(client_key).digest(), message, "sha256")
        proof = base64.b64encode(bytes(a ^ b for a, b in zip(client_key, signature))).decode()
        got = exchange(pg_message(b"p", f"{final_bare},p={proof}".encode()), b"EZ")
        return got, waited, exchanges
    finally:
        sock.close()


# ---- MySQL wire, by hand ----

def my_packets(sock, count=1, timeout=10):
    """Reads up to `count` packets (seq, payload); fewer when the proxy closes."""
    sock.settimeout(timeout)
    out, buf = [], b""
    while len(out) < count:
        while len(buf) >= 4 and len(buf) >= 4 + int.from_bytes(buf[:3], "little"):
            n = 4 + int.from_bytes(buf[:3], "little")
            out.append((buf[3], buf[4:n]))
            buf = buf[n:]
            if len(out) == count:
                return out
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            return out
        buf += chunk
    return out


def my_err(packets):
    """The error code of the first ERR packet, or None."""
    for _, payload in packets:
        if payload[:1] == b"\xff":
            return struct.unpack("<H", payload[1:3])[0]
    return None


def my_greeted(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    greeting = my_packets(sock)
    assert greeting and greeting[0][1][0] == 10, greeting
    return sock


def my_login(proxy):
    return mywire.WireClient(proxy.mysql_port)


def my_drain(client):
    """Reads one complete answer (OK, ERR or a text result set without DEPRECATE_EOF)."""
    first = client.read_packet()
    if first[0] in (0x00, 0xFF):
        return first
    eofs = 0
    while eofs < 2:
        packet = client.read_packet()
        if packet[0] == 0xFE and len(packet) < 9:
            eofs += 1
        elif packet[0] == 0xFF:
            return packet
    return first


def until_closed(sock, timeout=10):
    """Everything the peer sends until it closes (raises on timeout)."""
    sock.settimeout(timeout)
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return data
        if not chunk:
            return data
        data += chunk


def send_quietly(sock, data):
    try:
        sock.sendall(data)
        return True
    except (BrokenPipeError, ConnectionResetError):
        return False  # the proxy refused and closed before reading it all


def shut_quietly(sock):
    try:
        sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass  # already closed by the proxy


def http(port, head, body=b""):
    """A raw HTTP exchange; (status or None when closed without an answer, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        send_quietly(sock, (head.encode() if isinstance(head, str) else head) + body)
        data = until_closed(sock)
    if not data.startswith(b"HTTP/1."):
        return None, data
    status = int(data.split(b" ", 2)[1])
    return status, data.split(b"\r\n\r\n", 1)[1].decode(errors="replace")


# ---- the cases ----

def random_bytes():
    """Random bytes before the login on both data ports and the admin port, and after a
    login on PostgreSQL. Whenever the bytes form a complete (bad) first packet the answer is
    the protocol's error; when they announce more than was sent the proxy waits, and closes
    quietly at the end of the stream."""
    rng = random.Random(20261204)
    seen = {"pg_errors": set(), "my_errors": set(), "http": set(), "pg_quiet": 0, "my_quiet": 0}
    with Attack("random_bytes") as attack:
        proxy = attack.proxy
        for _ in range(60):
            data = rng.randbytes(rng.choice([3, 9, 200, 5000, 20000, 70000]))
            with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as sock:
                send_quietly(sock, data)
                shut_quietly(sock)
                got = pg_messages(sock, until=b"")
            length = struct.unpack("!I", data[:4])[0] if len(data) >= 4 else None
            complete = length is not None and (length < 8 or length > 10000 or
                                               length <= len(data))
            if complete:
                code = sqlstate(got)
                assert code in ("08P01", "0A000"), (length, len(data), got)
                seen["pg_errors"].add(code)
            else:
                assert got == [], got
                seen["pg_quiet"] += 1
            sock = my_greeted(proxy.mysql_port)
            data = rng.randbytes(rng.choice([2, 40, 5000, 70000]))
            send_quietly(sock, data)
            shut_quietly(sock)
            got = my_packets(sock, count=5)
            sock.close()
            length = int.from_bytes(data[:3], "little") if len(data) >= 4 else None
            if length is not None and (length > MIB or length <= len(data) - 4):
                code = my_err(got)
                assert code is not None, (length, len(data), got)
                seen["my_errors"].add(code)
            else:
                assert got == [], got
                seen["my_quiet"] += 1
            sock = my_greeted(proxy.mysql_port)  # a complete handshake response of garbage
            size = rng.choice([1, 32, 200, 4000])
            send_quietly(sock, size.to_bytes(3, "little") + b"\x01" + rng.randbytes(size))
            code = my_err(my_packets(sock))
            sock.close()
            assert code is not None, size
            seen["my_errors"].add(code)
            status, _ = http(proxy.admin_port, rng.randbytes(rng.choice([10, 3000, 70000])))
            seen["http"].add(status)
            sock = pg_trust(proxy.port)
            send_quietly(sock, rng.randbytes(rng.choice([5, 300, 70000])))
            shut_quietly(sock)
            got = pg_messages(sock, until=b"")
            sock.close()
            assert all(kind != b"E" or sqlstate([(kind, body)]) for kind, body in got), got
    print(f"random_bytes: {seen}")


def pg_lengths():
    """PostgreSQL length fields: 2^31-1 and negative in a startup packet and in a Query
    (08P01 each), a truncated startup packet and Query then a close, a password message over
    65,535 bytes before the login (08P01 at its header), and a Query announcing 512 MiB of which
    8 MiB arrive before the close (memory back afterwards)."""
    with Attack("pg_lengths") as attack:
        port = attack.proxy.port
        for length in (0x7FFFFFFF, 0xFFFFFFFF, 0x80000000, 0xFFFFFFFC, 3):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                send_quietly(sock, struct.pack("!II", length, 196608) + b"user\0raw\0\0")
                assert sqlstate(pg_messages(sock, until=b"E")) == "08P01", hex(length)
                assert until_closed(sock) == b""
            sock = pg_trust(port)
            send_quietly(sock, b"Q" + struct.pack("!I", length) + b"SELECT 1\0")
            assert sqlstate(pg_messages(sock, until=b"E")) == "08P01", hex(length)
            sock.close()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(struct.pack("!II", 100, 196608) + b"us")
        sock = pg_trust(port)
        sock.sendall(b"Q" + struct.pack("!I", 1000) + b"SELECT")
        sock.close()
        # before the login: a password / SASL message over 65,535 bytes is refused at its
        # header (as by PostgreSQL), for a known user (SCRAM) and an unknown one alike
        for user in ("app", "nobody"):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                sock.sendall(pg_startup(user))
                got = pg_messages(sock, until=b"R")
                assert got and got[-1][0] == b"R", got  # AuthenticationSASL
                send_quietly(sock, b"p" + struct.pack("!I", 64 * MIB) + b"SCRAM-SHA-256\0")
                got = pg_messages(sock, until=b"E")
                assert sqlstate(got) == "08P01" and b"authentication message" in got[-1][1], got
                assert until_closed(sock) == b""
        sock = pg_trust(port)
        sock.sendall(b"Q" + struct.pack("!I", 512 * MIB) + b"SELECT '")
        chunk = b"x" * MIB
        for _ in range(8):
            sock.sendall(chunk)
        time.sleep(0.5)
        sock.close()
    print("pg_lengths: 08P01 for lengths 2^31-1, -1, -2^31, -4 and 3, before and after login, "
          "and for a 64 MiB password message")


def mysql_lengths():
    """MySQL packet lengths: 0xFFFFFF before the login (ERR), a 16 MiB frame with a
    continuation announcing more and then nothing (memory back after the close), continuation
    frames past the 64 MiB cap (ERR 1153), a truncated packet then a close. Three rounds: what
    the allocator keeps after a round must not add up (below 16 MiB after every round)."""
    codes, rounds = [], []
    # The proxy has blocks of 4 MiB or more mapped on their own (main.cpp), so a capped
    # packet's buffers go back to the system when its session ends. With glibc's default
    # (the threshold rising to the size of the first such block freed) each worker's arena
    # kept up to ~60 MiB: 35, 44 and 106 MiB after the rounds of one run on a 2-worker proxy.
    with Attack("mysql_lengths") as attack:
        proxy = attack.proxy
        for _ in range(3):
            sock = my_greeted(proxy.mysql_port)
            send_quietly(sock, b"\xff\xff\xff\x01" + b"\0" * 64)
            codes.append(my_err(my_packets(sock)))
            assert codes[-1] is not None, "no ERR for a 16 MiB handshake response"
            sock.close()
            frame = b"x" * 0xFFFFFF
            for pieces in (2, 6):
                client = my_login(proxy)
                client.sock.sendall(b"\xff\xff\xff\x00" + b"\x03" + frame[1:])
                seq = 1
                for _ in range(pieces - 1):
                    if not send_quietly(client.sock, b"\xff\xff\xff" + bytes([seq]) +
                                        (frame if pieces == 6 else frame[:MIB])):
                        break
                    seq += 1
                if pieces == 6:  # 5 full frames = 80 MiB announced: past the 64 MiB cap
                    codes.append(my_err(my_packets(client.sock)))
                    assert codes[-1] == 1153, codes
                else:
                    time.sleep(0.5)
                client.close()
            sock = my_greeted(proxy.mysql_port)
            sock.sendall(b"\xe8\x03\x00\x01" + b"\0" * 10)
            sock.close()
            client = my_login(proxy)
            client.sock.sendall(b"\xe8\x03\x00\x00\x03SELECT")
            client.close()
            time.sleep(1)
            rounds.append(rss_kib(attack.pid) - attack.baseline)
        print(f"mysql_lengths: ERR codes {sorted(set(codes))}; RSS above baseline after each "
              f"round {rounds} KiB")
        assert max(rounds) < 16 * 1024, rounds


def buffers_total():
    """Large messages of many clients at once, both data ports, with
    client_max_buffered_bytes_total 40 MiB. What has arrived of each incomplete message larger
    than a pooled read buffer is held, not what its header announces: ten PostgreSQL Query
    headers announcing 512 MiB each hold nothing. A Query of which 24 MiB arrived holds them, so a
    second one is refused with 53200 and closed once more than 16 MiB of it arrived; a MySQL
    packet continued over 16 MiB frames is refused with ERR 1041 once what has arrived would
    pass the rest; extended-protocol messages kept until their Sync count (a third Bind of
    15 MiB is refused); a CopyData message past the budget fails its COPY on the server with
    the reason. Each budget comes back when its message ends or its client leaves: the same
    messages are taken afterwards. The refusals are counted (client_buffers.refusals)."""
    with Attack("buffers_total", extra_config="client_max_buffered_bytes_total: 40MiB\n",
                rss_bound_kib=48 * 1024) as attack:
        proxy = attack.proxy
        chunk = b"x" * MIB

        def pg_large(announced=512 * MIB):
            sock = pg_trust(proxy.port)
            sock.sendall(b"Q" + struct.pack("!I", announced) + b"SELECT '")
            return sock

        def send_mib(sock, count):
            for _ in range(count):
                if not send_quietly(sock, chunk):
                    return False
            return True

        def refused_at_once(sock):  # an ErrorResponse and the close, or nothing (-> None)
            try:
                got = pg_messages(sock, until=b"E", timeout=1)
            except socket.timeout:
                return None
            return sqlstate(got)

        headers = [pg_large() for _ in range(10)]
        time.sleep(0.3)
        counters = admin_status(proxy)["counters"]
        assert counters["client_buffers.bytes_held"] == 0, counters  # announced, not arrived
        first = pg_large()
        assert send_mib(first, 24)
        time.sleep(0.3)
        arrived = admin_status(proxy)["counters"]["client_buffers.bytes_held"]
        assert 23 * MIB <= arrived <= 24 * MIB + 64 * 1024, arrived
        second = pg_large()
        send_mib(second, 24)  # (the proxy closes it part of the way)
        assert refused_at_once(second) == "53200"
        assert until_closed(second) == b""
        second.close()
        first.close()
        for sock in headers:
            sock.close()
        time.sleep(0.3)  # (the proxy sees the close and gives the budget back)
        assert admin_status(proxy)["counters"]["client_buffers.bytes_held"] == 0
        # a message that completes gives its bytes back: 20 MiB twice on one connection
        third = pg_trust(proxy.port)
        for _ in range(2):
            body = b"SELECT length('" + b"y" * (20 * MIB) + b"')\0"
            third.sendall(b"Q" + struct.pack("!I", 4 + len(body)) + body)
            got = pg_messages(third, until=b"Z", timeout=30)
            # read whole, then refused by the 1 MiB statement limit; the session goes on
            assert sqlstate(got) == "42601" and got[-1][0] == b"Z", got[:3]
        assert admin_status(proxy)["counters"]["client_buffers.bytes_held"] == 0
        # extended-protocol messages kept until their Sync count too: three Binds of 15 MiB
        # without a Sync, the third past the budget
        fourth = pg_trust(proxy.port)
        fourth.sendall(pg_message(b"P", b"\0SELECT length($1)\0\0\0"))
        value = b"z" * (15 * MIB)
        bind = pg_message(b"B", b"\0\0" + struct.pack("!hhi", 0, 1, len(value)) + value +
                          struct.pack("!h", 0))
        for _ in range(3):
            send_quietly(fourth, bind)
        got = pg_messages(fourth, until=b"E", timeout=10)
        assert sqlstate(got) == "53200" and b"client_max_buffered_bytes_total" in got[-1][1], got
        assert until_closed(fourth) == b""
        fourth.close()
        time.sleep(0.3)
        assert admin_status(proxy)["counters"]["client_buffers.bytes_held"] == 0
        # COPY FROM STDIN: a CopyData message past the budget fails the COPY on its server
        # with the reason (the client gets that error), then the session ends
        third.sendall(pg_query("CREATE TABLE IF NOT EXISTS sg_copy_budget (t text)"))
        got = pg_messages(third)
        assert sqlstate(got) is None, got
        third.sendall(pg_query("COPY sg_copy_budget FROM STDIN"))
        got = pg_messages(third, until=b"G")
        assert got and got[-1][0] == b"G", got  # CopyInResponse
        third.sendall(b"d" + struct.pack("!I", 512 * MIB))
        send_mib(third, 44)  # (the proxy stops reading part of the way)
        got = pg_messages(third, until=b"Z", timeout=30)
        assert sqlstate(got) == "57014" and b"client_max_buffered_bytes_total" in got[0][1], got
        assert until_closed(third) == b""
        third.close()

        frame = b"x" * 0xFFFFFF

        def my_large(frames):
            client = my_login(proxy)
            send_quietly(client.sock, b"\xff\xff\xff\x00" + b"\x03" + frame[1:])
            for seq in range(1, frames):
                if not send_quietly(client.sock, b"\xff\xff\xff" + bytes([seq]) + frame):
                    break
            return client

        held = my_large(2)  # 32 MiB arrived
        time.sleep(0.5)
        over = my_large(2)
        packets = my_packets(over.sock)
        code = my_err(packets)
        assert code == 1041, code
        # refused within its frame 0 (8 MiB of the budget were left): the ERR is sequence 1
        assert packets[0][0] == 1, packets[0][0]
        over.close()
        held.close()
        time.sleep(0.3)
        again = my_large(2)
        again.sock.settimeout(1)
        try:
            late = again.sock.recv(100)
        except socket.timeout:
            late = None
        assert late is None, late  # taken: no answer yet, the packet is not complete
        again.close()
        counters = admin_status(proxy)["counters"]
        assert counters["client_buffers.refusals"] == 4, counters
        assert counters["client_buffers.bytes_limit"] == 40 * MIB, counters
        print(f"buffers_total: ten 512 MiB headers held nothing; a second PostgreSQL message "
              f"refused 53200 beside 24 MiB arrived of another, a third 15 MiB Bind before "
              f"a Sync refused 53200, a CopyData message past the "
              f"budget failed its COPY (57014), a 32 MiB MySQL packet refused "
              f"1041 beside another; both taken after the holders left; peak held "
              f"{counters['client_buffers.bytes_peak'] // MIB} MiB")


def handshake_timeout():
    """A startup packet followed by nothing, and one byte per second, on both data ports: with
    client_login_timeout_ms 3000 the proxy closes every one within a few seconds (counted as
    login_timeouts); the well-behaved clients go on."""
    with Attack("handshake_timeout", extra_config="client_login_timeout_ms: 3000\n") as attack:
        proxy = attack.proxy
        idle_pg = socket.create_connection(("127.0.0.1", proxy.port), timeout=30)
        idle_pg.sendall(pg_startup("app"))  # asks for SCRAM, gets nothing back
        idle_my = my_greeted(proxy.mysql_port)
        slow_pg = socket.create_connection(("127.0.0.1", proxy.port), timeout=30)
        slow_my = my_greeted(proxy.mysql_port)
        slow_data = {slow_pg: pg_startup("app") * 10, slow_my: b"\x20\x00\x00\x01" + b"\0" * 32}
        socks = {"pg startup then nothing": idle_pg, "mysql greeting then nothing": idle_my,
                 "pg one byte per second": slow_pg, "mysql one byte per second": slow_my}
        for sock in socks.values():
            sock.setblocking(False)
        closed, started = {}, time.time()
        while time.time() - started < 20 and len(closed) < len(socks):
            for name, sock in socks.items():
                if name in closed:
                    continue
                try:
                    if sock in slow_data and slow_data[sock]:
                        sock.send(slow_data[sock][:1])
                        slow_data[sock] = slow_data[sock][1:]
                    while True:
                        chunk = sock.recv(65536)
                        if not chunk:
                            closed[name] = time.time() - started
                            break
                except BlockingIOError:
                    pass
                except OSError:
                    closed[name] = time.time() - started
            time.sleep(1)
        sessions = admin_status(proxy)["sessions"]
        for sock in socks.values():
            sock.close()
        counters = admin_status(proxy)["counters"]
        timeouts = counters.get("pg.login_timeouts", 0) + counters.get("mysql.login_timeouts", 0)
        print(f"handshake_timeout: closed by the proxy {closed}; sessions {sessions}; "
              f"login_timeouts {timeouts}")
        assert len(closed) == len(socks), f"held open for 20 s: {set(socks) - set(closed)}"
        assert max(closed.values()) < 8, closed  # 3 s, plus this loop's one-second steps
        assert timeouts >= len(socks), counters


def half_open():
    """2,000 connections that send nothing (1,000 per data port), held 2 s, then closed; three
    rounds, so memory the allocator keeps is told apart from a leak (the rounds must not add up)."""
    limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    per_port = 1000
    assert 2 * per_port + 200 < limit, f"file limit {limit} too low"
    rounds = []
    with Attack("half_open") as attack:
        proxy = attack.proxy
        for _ in range(3):
            socks = []
            for port in (proxy.port, proxy.mysql_port):
                for _ in range(per_port):
                    socks.append(socket.create_connection(("127.0.0.1", port), timeout=10))
            time.sleep(2)
            held = admin_status(proxy)["sessions"]
            held_rss = rss_kib(attack.pid)
            for sock in socks:
                sock.close()
            deadline = time.time() + 10
            while time.time() < deadline:
                after = admin_status(proxy)["sessions"]
                if after["postgresql"]["handshake"] == 0 and after["mysql"]["authenticating"] == 0:
                    break
                time.sleep(0.2)
            # PostgreSQL waits for the startup packet (handshake), MySQL for the answer to its
            # greeting (authenticating)
            assert held["postgresql"]["handshake"] == per_port, held
            assert held["mysql"]["authenticating"] == per_port, held
            assert after["postgresql"]["handshake"] == 0, after
            assert after["mysql"]["authenticating"] == 0, after
            time.sleep(0.5)
            rounds.append((held_rss - attack.baseline, rss_kib(attack.pid) - attack.baseline))
        print(f"half_open: RSS growth (held, after close) per round in KiB: {rounds}")
        assert rounds[-1][1] - rounds[0][1] < 4096, rounds


def pipeline():
    """100,000 Query messages sent without reading an answer: the proxy stops reading when the
    client does not read (its RSS growth stays bounded), then every answer arrives."""
    count = 100_000
    with Attack("pipeline") as attack:
        sock = pg_trust(attack.proxy.port)
        # 236 bytes a query, ~270 an answer: 23 MiB each way, more than the kernel buffers
        data = pg_query("SELECT '" + "x" * 220 + "'") * count
        sent = {"bytes": 0}

        def sender():
            # In slices of 1 MiB: a socket timeout bounds the whole of one sendall() call
            # (Python 3.5+), and 23 MiB at the proxy's pace can take longer than the 10 s of
            # pg_trust's socket, which ended the sender in the middle of a message.
            for at in range(0, len(data), MIB):
                sock.sendall(data[at:at + MIB])
            sent["bytes"] = len(data)

        thread = threading.Thread(target=sender, daemon=True)
        thread.start()
        time.sleep(3)  # nothing read: the proxy's writes block, then its reads stop
        unread_peak = attack.sampler.peak - attack.baseline
        stalled = sent["bytes"] == 0
        started, ready, buf = time.time(), 0, b""
        sock.settimeout(30)
        while ready < count:
            chunk = sock.recv(1 << 20)
            assert chunk, f"closed after {ready} answers"
            buf += chunk
            pos = 0
            while len(buf) - pos >= 5:
                n = 1 + struct.unpack("!I", buf[pos + 1:pos + 5])[0]
                if len(buf) - pos < n:
                    break
                assert buf[pos:pos + 1] != b"E", buf[pos:pos + n]
                ready += buf[pos:pos + 1] == b"Z"
                pos += n
            buf = buf[pos:]
        thread.join()
        sock.close()
        print(f"pipeline: {count} queries ({len(data)} bytes), sender blocked while unread: "
              f"{stalled}; RSS growth while unread {unread_peak} KiB; all {ready} answers read "
              f"in {time.time() - started:.1f} s")
        assert unread_peak < 32 * 1024 or wt.harness.SANITIZED, unread_peak


def big_sql():
    """SQL text of 1 MiB + 1 byte through psycopg2 and pymysql: a correct answer or an
    error with a code."""
    size, outcomes = MIB + 1, {}
    with Attack("big_sql") as attack:
        for name in ("pg", "my"):
            conn = attack.proxy.connect() if name == "pg" else attack.proxy.my()
            if name == "pg":
                conn.autocommit = True
            head, tail = "SELECT length('", "')"
            sql = head + "x" * (size - len(head) - len(tail)) + tail
            assert len(sql.encode()) == size
            with conn.cursor() as cur:
                try:
                    cur.execute(sql)
                    got = cur.fetchone()[0]
                    assert int(got) == size - len(head) - len(tail), got
                    outcomes[name] = "answer"
                except psycopg2.Error as e:
                    assert e.pgcode, e
                    outcomes[name] = f"{e.pgcode} {e.pgerror.strip()[:120]}"
                except pymysql.MySQLError as e:
                    assert isinstance(e.args[0], int) and e.args[0] > 0, e
                    outcomes[name] = f"{e.args[0]} {e.args[1][:120]}"
                cur.execute("SELECT 1")  # the session goes on
                assert cur.fetchone()[0] == 1
            conn.close()
    print(f"big_sql: {outcomes}")


def nested():
    """10,000 and 100,000 nested parentheses: an error with a code or the answer, no stack
    overflow in the proxy."""
    outcomes = []
    with Attack("nested") as attack:
        for depth in (10_000, 100_000):
            for table in ("", " FROM customers WHERE id = 1"):
                sql = "SELECT " + "(" * depth + "1" + ")" * depth + table
                conn = attack.proxy.connect()
                conn.autocommit = True
                try:
                    with conn.cursor() as cur:
                        cur.execute(sql)
                        outcomes.append(("pg", depth, bool(table), "answer"))
                except psycopg2.Error as e:
                    assert e.pgcode, e
                    outcomes.append(("pg", depth, bool(table), e.pgcode, e.pgerror[:90]))
                conn.close()
                conn = attack.proxy.my()
                mysql_sql = sql.replace("customers", "users")
                try:
                    with conn.cursor() as cur:
                        cur.execute(mysql_sql)
                        outcomes.append(("my", depth, bool(table), "answer"))
                except pymysql.MySQLError as e:
                    assert isinstance(e.args[0], int) and e.args[0] > 0, e
                    outcomes.append(("my", depth, bool(table), e.args[0], e.args[1][:90]))
                conn.close()
    print(f"nested: {outcomes}")


def bad_encoding():
    """Invalid UTF-8 and NUL bytes in identifiers and strings, sent raw on both frontends:
    an error with a code (or an answer), and the session goes on."""
    texts = [b"SELECT '\xff\xfe'", b"SELECT 1 AS \"a\xc3\x28\"", b"SELECT \"\xed\xa0\x80\"",
             b"SELECT 'a\0b'", b"SELECT 1 AS \"x\0y\"", b"SELECT * FROM \"cust\0omers\"",
             b"SELECT * FROM customers WHERE id = '\xff'"]
    seen = {"pg": [], "my": []}
    with Attack("bad_encoding") as attack:
        for text in texts:
            sock = pg_trust(attack.proxy.port)
            sock.sendall(pg_message(b"Q", text + b"\0"))
            got = pg_messages(sock)
            assert sqlstate(got), (text, got)  # the server's error, or 08P01 for the framing
            seen["pg"].append(sqlstate(got))
            # a NUL inside a Query message: ERROR 08P01 as PostgreSQL, never FATAL
            assert got[-1][0] == b"Z" and not any(b"SFATAL" in m[1] for m in got), got
            sock.sendall(pg_query("SELECT 1"))
            got = pg_messages(sock)
            assert sqlstate(got) is None and got[-1][0] == b"Z", got
            sock.close()
        client = my_login(attack.proxy)
        for text in texts:
            text = text.replace(b"customers", b"users").replace(b'"', b"`")
            client.write_packet(b"\x03" + text)
            answer = my_drain(client)
            seen["my"].append(struct.unpack("<H", answer[1:3])[0] if answer[0] == 0xFF
                              else "answer")
            assert client.query("SELECT 1") == [["1"]]
        client.close()
    print(f"bad_encoding: {seen}")


def wrong_passwords():
    """100 failed logins per frontend (50 wrong passwords of a known user, 50 unknown users):
    every one refused with 28P01 / 1045; the server's time to the refusal is reported per kind
(PostgreSQL: time waiting for the proxy, the client's PBKDF2 left out)."""
    times, rounds = {}, {}
    with Attack("wrong_passwords") as attack:
        proxy = attack.proxy
        for i in range(100):
            kind, user = ("wrong password", "app") if i % 2 else ("unknown user", f"nobody{i}")
            got, waited, exchanges = scram_attempt(proxy.port, user, f"guess{i}")
            times.setdefault(("pg", kind), []).append(waited)
            rounds.setdefault(kind, set()).add(exchanges)
            assert sqlstate(got) == "28P01", got
            started = time.perf_counter()
            try:
                pymysql.connect(host="127.0.0.1", port=proxy.mysql_port, user=user,
                                password=f"guess{i}", database="social", connect_timeout=5)
                raise AssertionError("a wrong login was accepted")
            except pymysql.err.OperationalError as e:
                times.setdefault(("my", kind), []).append(time.perf_counter() - started)
                assert e.args[0] == 1045, e
        failures = admin_status(proxy)["counters"]
    for key, values in sorted(times.items()):
        print(f"wrong_passwords: {key[0]} {key[1]}: {len(values)} refused, median "
              f"{statistics.median(values) * 1000:.2f} ms, p90 "
              f"{sorted(values)[int(len(values) * 0.9)] * 1000:.2f} ms")
    print(f"wrong_passwords: PostgreSQL exchanges before the refusal: {rounds}")
    # An unknown user goes through the same SCRAM exchange as a wrong password (no user
    # enumeration by the shape of the refusal).
    assert rounds["unknown user"] == rounds["wrong password"], rounds
    print("wrong_passwords: auth failure counters "
          f"{ {k: v for k, v in failures.items() if 'auth_fail' in k} }")


def cancel():
    """500 CancelRequests with random keys (and random keys for a live session's process id):
    no reply, nothing cancelled, no crash."""
    rng = random.Random(7)
    with Attack("cancel") as attack:
        proxy = attack.proxy
        sleeper = proxy.connect()
        sleeper.autocommit = True
        pid = sleeper.get_backend_pid()
        errors = []

        def sleep_loop():
            for _ in range(6):
                try:
                    with sleeper.cursor() as cur:
                        cur.execute("SELECT pg_sleep(0.3)")
                except psycopg2.Error as e:
                    errors.append(e)

        thread = threading.Thread(target=sleep_loop)
        thread.start()
        for i in range(500):
            target = pid if i % 2 else rng.getrandbits(32)
            with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as sock:
                sock.sendall(struct.pack("!IIII", 16, 80877102, target, rng.getrandbits(32)))
                assert until_closed(sock) == b""
        thread.join()
        sleeper.close()
        assert not errors, errors
    print(f"cancel: 500 random keys (250 for live process id {pid}) ignored")


def client_hello():
    """The bytes of a real TLS ClientHello."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_hostname="x")
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


def make_cert():
    folder = tempfile.mkdtemp(prefix="sg_hostile_tls_")
    atexit.register(shutil.rmtree, folder, True)
    cert, key = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                    "/CN=shardgate-test", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    return cert, key


def tls_halfway():
    """SSLRequest, 'S', then part of a ClientHello and a close (100 times per frontend); a
    TLS client still gets in afterwards."""
    cert, key = make_cert()
    hello = client_hello()
    with Attack("tls_halfway", f"tls_cert: {cert}\ntls_key: {key}\n") as attack:
        proxy = attack.proxy
        for i in range(100):
            cut = hello[:max(1, (len(hello) * (i % 10)) // 10)]
            with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as sock:
                sock.sendall(struct.pack("!II", 8, 80877103))
                assert sock.recv(1) == b"S"
                sock.sendall(cut)
            sock = my_greeted(proxy.mysql_port)
            caps = (mywire.CLIENT_PROTOCOL_41 | mywire.CLIENT_SECURE_CONNECTION |
                    mywire.CLIENT_PLUGIN_AUTH | 2048)  # CLIENT_SSL
            sock.sendall(b"\x20\x00\x00\x01" + struct.pack("<IIB23x", caps, 1 << 24, 45))
            sock.sendall(cut)
            sock.close()
        time.sleep(0.5)
        conn = psycopg2.connect(host="127.0.0.1", port=proxy.port, user="app", password="app",
                                dbname="shop", sslmode="require", connect_timeout=5)
        conn.cursor().execute("SELECT 1")
        conn.close()
        sessions = admin_status(proxy)["sessions"]
        assert sessions["postgresql"]["handshake"] == 0, sessions
        assert sessions["mysql"]["handshake"] == 0, sessions
    print(f"tls_halfway: 200 cut handshakes ({len(hello)}-byte ClientHello), TLS login after")


def admin_auth():
    """The admin port: no token and a wrong token get 401, path traversal gets 404 (with and
    without the token), an unknown method 4xx."""
    seen = {}
    with Attack("admin_auth") as attack:
        port = attack.proxy.admin_port
        good = "Authorization: Bearer sg-test\r\n"
        requests = {
            "no token": ("GET /status", "", 401),
            "wrong token": ("GET /status", "Authorization: Bearer sg-tesT\r\n", 401),
            "empty bearer": ("GET /status", "Authorization: Bearer \r\n", 401),
            "long token": ("GET /status", "Authorization: Bearer " + "a" * 4000 + "\r\n", 401),
            "traversal": ("GET /../../etc/passwd", good, 404),
            "encoded traversal": ("GET /%2e%2e/%2e%2e/etc/passwd", good, 404),
            "traversal to status": ("GET /../status", "", 404),
            "encoded status": ("GET /%73tatus", "", 404),
            "absolute uri": ("GET http://127.0.0.1/../etc/passwd", good, 404),
            "delete": ("DELETE /status", good, 405),
        }
        for _ in range(20):
            for name, (line, header, want) in requests.items():
                status, body = http(port, f"{line} HTTP/1.1\r\nHost: x\r\n{header}"
                                          "Connection: close\r\n\r\n")
                seen[name] = status
                assert status == want, (name, status, body)
                assert "root:" not in body
    print(f"admin_auth: {seen}")


def admin_big_header():
    """A request with a 100 KiB header: a 4xx answer (431 or 400), no crash."""
    with Attack("admin_big_header") as attack:
        port = attack.proxy.admin_port
        statuses = []
        for _ in range(20):
            status, _ = http(port, "GET /status HTTP/1.1\r\nHost: x\r\nX-Big: " + "a" * 102400 +
                             "\r\nAuthorization: Bearer sg-test\r\nConnection: close\r\n\r\n")
            statuses.append(status)
        print(f"admin_big_header: answers {sorted(set(map(str, statuses)))}")
        assert all(s is not None and 400 <= s < 500 for s in statuses), statuses


def proc_cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def limit_files(count):
    """For the proxy's process: `count` open files, soft and hard (it cannot raise them)."""
    return lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (count, count))


def fd_exhaustion():
    """A proxy limited to 160 open files gets 300 idle connections: the clients past its
    max_client_connections (derived from the limit) are refused or dropped at once, so the
    descriptors backend connections need stay free (the bystanders, whose statements may need
    a new backend connection, see no error); the proxy must not spin or flood its log; once
    they close, new clients get in."""
    with Attack("fd_exhaustion", rss_bound_kib=RSS_BOUND_KIB,
                preexec_fn=limit_files(160)) as attack:
        proxy = attack.proxy
        limit = admin_status(proxy)["counters"]["client_connections.limit"]
        assert 0 < limit < 160, limit
        pre = proxy.connect()
        pre.autocommit = True
        socks = [socket.create_connection(("127.0.0.1", proxy.port), timeout=10)
                 for _ in range(300)]
        time.sleep(0.5)
        log_before, cpu_before = os.path.getsize(proxy.log.name), proc_cpu_seconds(attack.pid)
        time.sleep(2)
        log_growth = os.path.getsize(proxy.log.name) - log_before
        cpu = proc_cpu_seconds(attack.pid) - cpu_before
        counters = admin_status(proxy)["counters"]
        # A statement that needs a backend connection no one opened yet (a transaction: the
        # primary; the warm-up and the bystanders read replicas) gets one at the limit.
        with pre.cursor() as cur:
            cur.execute("BEGIN")
            cur.execute("SELECT 1")
            cur.execute("COMMIT")
        pre.close()
        opened = admin_status(proxy)["counters"]["pg.backend_connects"] - \
            counters["pg.backend_connects"]
        assert opened >= 1, "the statement at the limit needed no new backend connection"
        for sock in socks:
            sock.close()
        time.sleep(1)
        conn = proxy.connect()
        conn.cursor().execute("SELECT 1")
        conn.close()
        print(f"fd_exhaustion: limit {limit}; in 2 s at the limit: {cpu:.2f} s of CPU, "
              f"{log_growth} bytes of log; held {counters['client_connections.held']}, "
              f"refused {counters['client_connections.refused']}, dropped "
              f"{counters['client_connections.dropped']}")
        assert counters["client_connections.held"] == limit, counters
        assert counters["client_connections.refused"] + \
            counters["client_connections.dropped"] >= 300 - limit, counters
        assert (cpu < 0.5 or wt.harness.SANITIZED) and log_growth < 100_000, (cpu, log_growth)


def client_limit():
    """max_client_connections 8: the bystanders (2) and 6 clients get in; the next PostgreSQL
    client gets FATAL 53300 and the next MySQL client ERR 1040 (from psycopg2 and pymysql), a
    CancelRequest at the limit still cancels; 100 silent connections past it are refused (as
    many as may be refused at once) or closed at once; a place freed is taken again."""
    with Attack("client_limit", extra_config="max_client_connections: 8\n",
                users="  - {name: ops, password: ops, admin: true}\n") as attack:
        proxy = attack.proxy
        assert admin_status(proxy)["counters"]["client_connections.limit"] == 8
        # the proxy's open-file limit (raised to the hard one): how many may be refused at once
        with open(f"/proc/{attack.pid}/limits") as f:
            soft = int(next(line for line in f if line.startswith("Max open files")).split()[3])
        refusing_max = min(max(soft // 64, 4), 64)
        deadline = time.time() + 5  # the warm-up's sessions have ended
        while admin_status(proxy)["counters"]["client_connections.held"] != 2:
            assert time.time() < deadline, admin_status(proxy)["counters"]
            time.sleep(0.05)
        admitted = []
        for i in range(6):
            if i % 2 == 0:
                conn = proxy.connect()
                conn.autocommit = True
            else:
                conn = proxy.my()
            with conn.cursor() as cur:
                cur.execute("SELECT 1")
            admitted.append(conn)
        try:
            proxy.connect()
            raise AssertionError("a PostgreSQL client past the limit got in")
        except psycopg2.OperationalError as e:
            assert "too many clients" in str(e) and "max_client_connections 8" in str(e), e
        try:
            proxy.my()
            raise AssertionError("a MySQL client past the limit got in")
        except pymysql.err.OperationalError as e:
            assert e.args[0] == 1040 and "max_client_connections 8" in e.args[1], e.args
        # The command-line clients say the same.
        env = dict(os.environ, PGPASSWORD="app", PGCONNECT_TIMEOUT="5")
        psql = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(proxy.port), "-U", "app",
                               "-d", "shop", "-c", "SELECT 1"], capture_output=True, text=True,
                              env=env, timeout=30)
        assert psql.returncode != 0 and "53300" not in psql.stdout and \
            "too many clients already" in psql.stderr, (psql.returncode, psql.stderr)
        mysql = subprocess.run(["mysql", "-h", "127.0.0.1", "-P", str(proxy.mysql_port), "-u",
                                "app", "-papp", "social", "-e", "SELECT 1"],
                               capture_output=True, text=True, timeout=30)
        assert mysql.returncode != 0 and "ERROR 1040 (08004)" in mysql.stderr and \
            "Too many connections" in mysql.stderr, (mysql.returncode, mysql.stderr)
        # The admin console stays reachable at the limit (for admins), on both frontends.
        console = psycopg2.connect(host="127.0.0.1", port=proxy.port, user="ops",
                                   password="ops", dbname="shardgate", connect_timeout=5)
        console.autocommit = True
        with console.cursor() as cur:
            cur.execute("SHOW POOLS")
            assert cur.fetchall()
        console.close()
        console = pymysql.connect(host="127.0.0.1", port=proxy.mysql_port, user="ops",
                                  password="ops", database="shardgate", connect_timeout=5)
        with console.cursor() as cur:
            cur.execute("SHOW POOLS")
            assert cur.fetchall()
        console.close()
        # Consoles opened past the limit hold no place of the clients being refused but one of
        # as many console places; one cannot leave the console for a database.
        consoles = [psycopg2.connect(host="127.0.0.1", port=proxy.port, user="ops",
                                     password="ops", dbname="shardgate", connect_timeout=5)
                    for _ in range(refusing_max)]
        counters = admin_status(proxy)["counters"]
        assert counters["client_connections.consoles_past_limit"] == refusing_max, counters
        assert counters["client_connections.refusing"] == 0, counters
        try:
            psycopg2.connect(host="127.0.0.1", port=proxy.port, user="ops", password="ops",
                             dbname="shardgate", connect_timeout=5).close()
            raise AssertionError(f"more admin consoles past the limit than refusing places: "
                                 f"{admin_status(proxy)['counters']}")
        except psycopg2.OperationalError as e:
            assert "too many admin console sessions past the client limit" in str(e), str(e)
        assert admin_status(proxy)["counters"]["client_connections.refusing"] == 0
        with consoles[0].cursor() as cur:
            cur.execute("SHOW POOLS")
            assert cur.fetchall(), "a console past the limit answers"
        consoles.pop().close()  # a console place for the MySQL one
        time.sleep(0.2)
        console = pymysql.connect(host="127.0.0.1", port=proxy.mysql_port, user="ops",
                                  password="ops", database="shardgate", connect_timeout=5)
        try:
            console.select_db("social")
            raise AssertionError("a console past the limit became a client of a database")
        except pymysql.err.OperationalError as e:
            assert e.args[0] == 1040 and "only the admin console is reachable" in e.args[1], e.args
        with console.cursor() as cur:
            cur.execute("SHOW POOLS")
            assert cur.fetchall(), "the console session goes on"
        console.close()
        for one in consoles:
            one.close()
        # A CancelRequest is a connection too: at the limit it still reaches the statement.
        sleeper = admitted[0]
        cancelled = []

        def sleep():
            try:
                with sleeper.cursor() as cur:
                    cur.execute("SELECT pg_sleep(20)")
            except psycopg2.errors.QueryCanceled:
                cancelled.append(time.time())
        thread = threading.Thread(target=sleep)
        thread.start()
        time.sleep(0.5)
        started = time.time()
        sleeper.cancel()
        thread.join(10)
        assert cancelled and cancelled[0] - started < 5, "the cancel at the limit was lost"
        # Silent connections past the limit: some held while being refused, the rest closed.
        before = admin_status(proxy)["counters"]
        silent = [socket.create_connection(("127.0.0.1", proxy.port), timeout=5)
                  for _ in range(100)]
        opened = time.time()
        time.sleep(0.5)

        def closed_count():
            closed = 0
            for sock in silent:
                sock.setblocking(False)
                try:
                    closed += sock.recv(1) == b""
                except BlockingIOError:
                    pass  # still open: being refused (it sent no startup packet yet)
            return closed
        closed = closed_count()
        after = admin_status(proxy)["counters"]
        assert after["client_connections.refusing"] == refusing_max, (after, refusing_max)
        assert after["client_connections.held"] == 8, after
        assert after["client_connections.dropped"] - before["client_connections.dropped"] == \
            100 - refusing_max and closed == 100 - refusing_max, (before, after, closed)
        # The ones being refused are closed within 2 s (not the 15 s login timeout): they hold
        # the few places of clients being refused.
        time.sleep(max(0.0, opened + 3.0 - time.time()))
        assert closed_count() == 100, "a client being refused was kept past 2 s"
        for sock in silent:
            sock.close()
        # A place freed is taken again.
        admitted.pop().close()
        deadline = time.time() + 5
        while True:
            try:
                conn = proxy.my()
                break
            except pymysql.err.OperationalError:
                assert time.time() < deadline, "the freed place was not taken again"
                time.sleep(0.1)
        conn.close()
        for conn in admitted:
            conn.close()
        print(f"client_limit: refused {after['client_connections.refused']}, dropped "
              f"{after['client_connections.dropped']} (refusing at once at most {refusing_max}), "
              f"cancel at the limit {cancelled[0] - started:.2f} s")


CASES = {f.__name__: f for f in (random_bytes, pg_lengths, mysql_lengths, handshake_timeout,
                                  half_open, pipeline, big_sql, nested, bad_encoding,
                                  wrong_passwords, cancel, tls_halfway, admin_auth,
                                  admin_big_header, fd_exhaustion, buffers_total,
                                  client_limit)}

if __name__ == "__main__":
    raise_fd_limit()
    wt.harness.run(CASES)
