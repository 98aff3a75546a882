"""Read routing and backend failures through shardgate's PostgreSQL proxy, on a real
topology: lag bound under paused replay, causal read-your-writes, replica and primary
kill -9 and restart, balancing shares, the admin /status endpoint and `shardctl status`.
The MySQL (MariaDB) cases live in mysql_cases.py, the hash, least-connections and
least-latency policies in balancing_cases.py; they run through this script too.

Every port comes from the topology JSON (SHARDGATE_TOPOLOGY); the shard map is generated
from it. Cases that kill or pause servers restore them (scripts/topology up with the same
environment, lag resume) before they return, also when they fail."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "proxy_pg"))
from harness import SHARDCTL, SOURCE_DIR, Proxy, free_port, run  # noqa: E402

import psycopg2  # noqa: E402

TOPOLOGY_FILE = os.environ.get("SHARDGATE_TOPOLOGY",
                               os.path.join(SOURCE_DIR, "build", "topology.json"))
TOKEN = "test-token"
HEALTH_MS = 500
HEARTBEAT_MS = 100


def topology():
    with open(TOPOLOGY_FILE) as f:
        return json.load(f)


def server(shard, role):
    for s in topology()["servers"]:
        if s["shard"] == shard and s["role"] == role:
            return s
    raise KeyError((shard, role))


def topology_env():
    """The environment under which scripts/topology manages this topology's servers."""
    var = topology()["var"]
    env = dict(os.environ, SHARDGATE_VAR=var,
               SHARDGATE_BUILD=os.path.dirname(os.path.abspath(TOPOLOGY_FILE)))
    pg = [s["port"] for s in topology()["servers"] if s["engine"] == "postgresql"]
    my = [s["port"] for s in topology()["servers"] if s["engine"] == "mysql"]
    env["SHARDGATE_PG_BASE_PORT"] = str(min(pg))
    env["SHARDGATE_MY_BASE_PORT"] = str(min(my))
    return env


def topology_cmd(*args):
    out = subprocess.run([os.path.join(SOURCE_DIR, "scripts", "topology"), *args],
                         env=topology_env(), capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise RuntimeError(f"scripts/topology {' '.join(args)} failed:\n{out.stdout}{out.stderr}")
    return out.stdout


def write_map(pg0_routing="", pg0_replicas=None, database_routing="", tables="",
              pg0_primary=None):
    """A map of the topology's `shop` shards; pg0 may get extra settings, replicas or another
    primary address (a relay in front of it), the database `tables` (YAML lines under
    `tables:`)."""
    p0, r0 = server("pg0", "primary"), server("pg0", "replica")
    p1, r1 = server("pg1", "primary"), server("pg1", "replica")
    replicas = pg0_replicas or [f"'127.0.0.1:{r0['port']}'"]
    primary = pg0_primary or f"127.0.0.1:{p0['port']}"
    path = os.path.join(tempfile.mkdtemp(prefix="sg_failover_map_"), "map.yaml")
    with open(path, "w") as f:
        f.write("format_version: 1\nepoch: 1\ndatabases:\n  shop:\n"
                "    engine: postgresql\n    default_shard: pg0\n" + database_routing +
                "    shards:\n"
                f"      pg0: {{primary: {primary}, replicas: [{', '.join(replicas)}]"
                f"{pg0_routing}}}\n"
                f"      pg1: {{primary: 127.0.0.1:{p1['port']}, replicas: ['127.0.0.1:{r1['port']}']}}\n"
                + (f"    tables:\n{tables}" if tables else ""))
    return path


def start_proxy(shard_map, extra="", connect_timeout_ms=1000):
    admin_port = free_port()
    proxy = Proxy(f"health_interval_ms: {HEALTH_MS}\nheartbeat_interval_ms: {HEARTBEAT_MS}\n"
                  f"connect_timeout_ms: {connect_timeout_ms}\nadmin_token: {TOKEN}\n" + extra,
                  shard_map=shard_map, admin_listen=f"127.0.0.1:{admin_port}")
    proxy.admin = f"http://127.0.0.1:{admin_port}"
    return proxy


def status(proxy, token=TOKEN):
    request = urllib.request.Request(proxy.admin + "/status")
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def backend(doc, shard, role, endpoint=None):
    for b in doc["backends"]:
        if b["shard"] == shard and b["role"] == role and (endpoint is None or
                                                            b["endpoint"] == endpoint):
            return b
    raise KeyError((shard, role, endpoint))


def admin_conn(port):
    conn = psycopg2.connect(host="127.0.0.1", port=port, user="admin", password="admin",
                            dbname="shop", connect_timeout=5)
    conn.autocommit = True
    return conn


def prepare_counter():
    conn = admin_conn(server("pg0", "primary")["port"])
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS sg_failover_counter (id int PRIMARY KEY, v bigint)")
        cur.execute("GRANT ALL ON sg_failover_counter TO app")
        cur.execute("INSERT INTO sg_failover_counter VALUES (1, 0) "
                    "ON CONFLICT (id) DO UPDATE SET v = 0")
    conn.close()
    time.sleep(0.3)


def wait_replica_caught_up(shard):
    """Until the replica has replayed everything the primary wrote so far."""
    primary = admin_conn(server(shard, "primary")["port"])
    replica = admin_conn(server(shard, "replica")["port"])
    with primary.cursor() as cur:
        cur.execute("SELECT pg_current_wal_lsn()")
        target = cur.fetchone()[0]
    deadline = time.time() + 30
    with replica.cursor() as cur:
        while time.time() < deadline:
            cur.execute("SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s) >= 0", (target,))
            if cur.fetchone()[0]:
                break
            time.sleep(0.05)
    primary.close()
    replica.close()


class Writer(threading.Thread):
    """Increments the counter on the primary directly; remembers when each value was sent."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sent = {}  # value -> time its UPDATE was sent (it cannot be visible earlier)
        self.stop_flag = threading.Event()
        self.error = None

    def run(self):
        try:
            conn = admin_conn(server("pg0", "primary")["port"])
            with conn.cursor() as cur:
                cur.execute("SELECT v FROM sg_failover_counter WHERE id = 1")
                value = cur.fetchone()[0]
                while not self.stop_flag.is_set():
                    self.sent[value + 1] = time.monotonic()
                    cur.execute("UPDATE sg_failover_counter SET v = v + 1 WHERE id = 1 "
                                "RETURNING v")
                    value = cur.fetchone()[0]
                    time.sleep(0.005)
            conn.close()
        except Exception as e:  # reported by the test
            self.error = e


def staleness_ms(writer, value, read_at):
    """How long before `read_at` a newer value than `value` existed (0 when none did)."""
    newer = writer.sent.get(value + 1)
    if newer is None or newer > read_at:
        return 0.0
    return (read_at - newer) * 1000


def lag_bound():
    prepare_counter()
    bound = 500
    shard_map = write_map(f", max_replica_lag_ms: {bound}")
    proxy = start_proxy(shard_map)
    writer = Writer()
    writer.start()
    replica_port = server("pg0", "replica")["port"]
    paused = False
    try:
        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()

        def read_for(seconds):
            ports, worst = {}, 0.0
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                cur.execute("SELECT v, inet_server_port() FROM sg_failover_counter WHERE id = 1")
                value, port = cur.fetchone()
                read_at = time.monotonic()
                ports[port] = ports.get(port, 0) + 1
                worst = max(worst, staleness_ms(writer, value, read_at))
            return ports, worst

        fresh_ports, fresh_worst = read_for(1.5)
        assert fresh_ports.get(replica_port, 0) > 0.9 * sum(fresh_ports.values()), \
            f"lag under the bound: reads should go to the replica: {fresh_ports}"
        topology_cmd("lag", "pause", "pg0")
        paused = True
        paused_ports, paused_worst = read_for(2.5)
        topology_cmd("lag", "resume", "pg0")
        paused = False
        wait_replica_caught_up("pg0")
        # Replay running but 1 s late: heartbeat lag over the bound, same limit.
        topology_cmd("lag", "delay", "pg0", "1")
        paused = True
        time.sleep(0.3)
        delayed_ports, delayed_worst = read_for(2.5)
        topology_cmd("lag", "delay", "pg0", "0")
        paused = False
        wait_replica_caught_up("pg0")
        time.sleep(0.5)
        after_ports, _ = read_for(1.0)
        limit = bound + HEARTBEAT_MS
        print(f"  lag_bound: fresh reads per port {fresh_ports} (max staleness "
              f"{fresh_worst:.0f} ms); paused {paused_ports} (max staleness "
              f"{paused_worst:.0f} ms, limit {limit} ms); apply delay 1 s {delayed_ports} (max "
              f"staleness {delayed_worst:.0f} ms); resumed {after_ports}")
        assert writer.error is None, writer.error
        assert paused_worst <= limit, f"saw a value {paused_worst:.0f} ms old (limit {limit})"
        assert delayed_worst <= limit, f"saw a value {delayed_worst:.0f} ms old (limit {limit})"
        assert paused_ports.get(server("pg0", "primary")["port"], 0) > 0, paused_ports
        assert after_ports.get(replica_port, 0) > 0, f"replica not used after resume: {after_ports}"
        doc = status(proxy)
        assert backend(doc, "pg0", "replica")["reads"] > 0
        conn.close()
    finally:
        writer.stop_flag.set()
        writer.join()
        if paused:
            topology_cmd("lag", "resume", "pg0")
            topology_cmd("lag", "delay", "pg0", "0")
        proxy.stop()


def causal():
    prepare_counter()
    shard_map = write_map(", max_replica_lag_ms: 10000, read_routing: {read_your_writes: causal}")
    proxy = start_proxy(shard_map)
    replica_port = server("pg0", "replica")["port"]
    topology_cmd("lag", "delay", "pg0", "1")
    try:
        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()
        ports = {}
        for i in range(20):
            cur.execute("UPDATE sg_failover_counter SET v = %s WHERE id = 1", (1000 + i,))
            cur.execute("SELECT v, inet_server_port() FROM sg_failover_counter WHERE id = 1")
            value, port = cur.fetchone()
            ports[port] = ports.get(port, 0) + 1
            assert value == 1000 + i, f"read {value} after writing {1000 + i} (port {port})"
        # Another session never wrote: it reads from the replica (old values are fine).
        other = proxy.connect()
        other.autocommit = True
        with other.cursor() as ocur:
            ocur.execute("SELECT inet_server_port()")
            assert ocur.fetchone()[0] == replica_port, "a session without writes uses the replica"
        other.close()
        # Once the replica replayed the session's last commit, it serves the session again.
        deadline = time.time() + 10
        served_by_replica = False
        while time.time() < deadline and not served_by_replica:
            time.sleep(0.2)
            cur.execute("SELECT v, inet_server_port() FROM sg_failover_counter WHERE id = 1")
            value, port = cur.fetchone()
            assert value == 1019, value
            served_by_replica = port == replica_port
        print(f"  causal: reads right after writes per port {ports}; replica serves the "
              f"session again after catch-up: {served_by_replica}")
        assert served_by_replica, "replica never served the session after catching up"
        conn.close()
    finally:
        topology_cmd("lag", "delay", "pg0", "0")
        proxy.stop()


def window():
    prepare_counter()
    shard_map = write_map(", read_routing: {read_your_writes: window, "
                          "read_your_writes_window_ms: 800}")
    proxy = start_proxy(shard_map)
    replica_port = server("pg0", "replica")["port"]
    primary_port = server("pg0", "primary")["port"]
    try:
        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute("SELECT inet_server_port()")
        assert cur.fetchone()[0] == replica_port, "before any write: the replica"
        cur.execute("UPDATE sg_failover_counter SET v = 42 WHERE id = 1")
        written = time.monotonic()
        cur.execute("SELECT v, inet_server_port() FROM sg_failover_counter WHERE id = 1")
        value, port = cur.fetchone()
        assert (value, port) == (42, primary_port), (value, port)
        time.sleep(max(0.0, written + 0.9 - time.monotonic()))
        cur.execute("SELECT inet_server_port()")
        assert cur.fetchone()[0] == replica_port, "after the window: the replica again"
        doc = status(proxy)
        assert doc["counters"]["pg.reads_read_your_writes_primary"] >= 1, doc["counters"]
        print("  window: read after write on the primary, replica again after 800 ms")
        conn.close()
    finally:
        proxy.stop()


class LoopThreads:
    """n threads running self.loop() for the length of a with block (stop_flag ends them)."""

    def __init__(self, n):
        self.stop_flag = threading.Event()
        self.threads = [threading.Thread(target=self.loop, daemon=True) for _ in range(n)]

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop_flag.set()
        for t in self.threads:
            t.join(timeout=60)


class Readers(LoopThreads):
    """n threads reading through the proxy outside transactions; counts errors and ports."""

    def __init__(self, proxy, n=8):
        super().__init__(n)
        self.proxy = proxy
        self.errors, self.ports, self.lock = [], {}, threading.Lock()
        self.last_port_time = {}

    def loop(self):
        try:
            conn = self.proxy.connect()
            conn.autocommit = True
        except Exception as e:
            with self.lock:
                self.errors.append(f"connect: {e}")
            return
        cur = conn.cursor()
        while not self.stop_flag.is_set():
            try:
                cur.execute("SELECT inet_server_port(), v FROM sg_failover_counter WHERE id = 1")
                port = cur.fetchone()[0]
                with self.lock:
                    self.ports[port] = self.ports.get(port, 0) + 1
                    self.last_port_time.setdefault(port, []).append(time.monotonic())
            except Exception as e:
                with self.lock:
                    self.errors.append(str(e))
                time.sleep(0.01)
        conn.close()


def kill(shard, role):
    pid = server(shard, role)["pid"]
    os.kill(pid, 9)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split(")")[-1].split()[0] == "Z":
                    break
        except FileNotFoundError:
            break
        time.sleep(0.02)


def replica_kill():
    prepare_counter()
    shard_map = write_map()
    # Up after 2 good probes, so a restarted replica is back within 2 health intervals. The
    # killed replica refuses connections at once, so the connect timeout is not what this case
    # measures: the default 3 s, as the readers' fallback to the primary opens new connections
    # there, and one login took over 1 s in a loaded full run (an error to a reader).
    proxy = start_proxy(shard_map, "health_threshold: 2\n", connect_timeout_ms=3000)
    replica_port = server("pg0", "replica")["port"]
    killed = False
    try:
        with Readers(proxy) as readers:
            time.sleep(1.0)
            before = dict(readers.ports)
            kill("pg0", "replica")
            killed = True
            time.sleep(2.0)
            with readers.lock:
                during = dict(readers.ports)
            topology_cmd("up")
            killed = False
            restarted = time.monotonic()
            deadline = restarted + 10
            back_after = None
            while time.monotonic() < deadline and back_after is None:
                with readers.lock:
                    times = [t for t in readers.last_port_time.get(replica_port, [])
                             if t > restarted]
                if times:
                    back_after = (min(times) - restarted) * 1000
                time.sleep(0.02)
        print(f"  replica_kill: reads per port before {before}, through the kill {during}, "
              f"total {readers.ports}; client errors {len(readers.errors)}; replica read again "
              f"{back_after if back_after is None else round(back_after)} ms after restart "
              f"(limit {2 * HEALTH_MS} ms)")
        assert not readers.errors, readers.errors[:5]
        assert back_after is not None, "the restarted replica got no reads"
        assert back_after <= 2 * HEALTH_MS, f"replica back after {back_after:.0f} ms"
        doc = status(proxy)
        assert backend(doc, "pg0", "replica")["health"] == "up"
    finally:
        if killed:
            topology_cmd("up")
        proxy.stop()


def primary_kill():
    prepare_counter()
    shard_map = write_map()
    proxy = start_proxy(shard_map)
    killed = False
    primary = server("pg0", "primary")
    try:
        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute("UPDATE sg_failover_counter SET v = 7 WHERE id = 1")
        wait_replica_caught_up("pg0")
        kill("pg0", "primary")
        killed = True
        write_errors, read_values = [], []
        end = time.monotonic() + 3.0
        while time.monotonic() < end:
            started = time.monotonic()
            try:
                cur.execute("UPDATE sg_failover_counter SET v = v + 1 WHERE id = 1")
                raise AssertionError("a write succeeded with the primary killed")
            except psycopg2.Error as e:
                elapsed = time.monotonic() - started
                write_errors.append((e.pgcode, str(e).strip(), elapsed))
            cur.execute("SELECT v FROM sg_failover_counter WHERE id = 1")
            read_values.append(cur.fetchone()[0])
            time.sleep(0.05)
        worst = max(e[2] for e in write_errors)
        print(f"  primary_kill: {len(write_errors)} writes refused (slowest {worst * 1000:.0f} "
              f"ms), e.g. {write_errors[-1][0]} {write_errors[-1][1]!r}; "
              f"{len(read_values)} reads ok")
        assert all("pg0" in e[1] and e[0] and e[0].startswith("08") for e in write_errors), \
            write_errors[:3]
        assert worst < 1.0 + 0.5, "a write hung beyond the connect timeout"
        assert all(v == 7 for v in read_values), read_values[:5]
        topology_cmd("up")
        killed = False
        deadline = time.monotonic() + 10
        resumed = None
        while time.monotonic() < deadline:
            try:
                cur.execute("UPDATE sg_failover_counter SET v = 8 WHERE id = 1")
                resumed = True
                break
            except psycopg2.Error:
                time.sleep(0.1)
        assert resumed, "writes did not resume after the primary came back"
        cur.execute("/* shardgate: primary */ SELECT v FROM sg_failover_counter WHERE id = 1")
        assert cur.fetchone()[0] == 8
        conn.close()
    finally:
        if killed:
            topology_cmd("up")
        proxy.stop()
    assert primary["port"] == server("pg0", "primary")["port"]


def balancing():
    """Three backends of pg0: the replica under two names (127.0.0.1 and localhost) and the
    primary with a weight. Counts come from /status."""
    r0 = server("pg0", "replica")["port"]
    a, b = f"127.0.0.1:{r0}", f"localhost:{r0}"
    p0 = f"127.0.0.1:{server('pg0', 'primary')['port']}"
    cases = [
        ("round_robin", [1, 1, 1], {a: 1 / 3, b: 1 / 3, p0: 1 / 3}),
        ("weighted_round_robin", [1, 3, 2], {a: 1 / 6, b: 3 / 6, p0: 2 / 6}),
    ]
    for policy, (wa, wb, wp), expected in cases:
        shard_map = write_map(
            # A generous lag bound: this case measures shares, not freshness.
            f", max_replica_lag_ms: 10000, read_routing: {{balance: {policy}, "
            f"primary_weight: {wp}}}",
            [f"{{endpoint: '{a}', weight: {wa}}}", f"{{endpoint: '{b}', weight: {wb}}}"])
        proxy = start_proxy(shard_map)
        try:
            conn = proxy.connect()
            conn.autocommit = True
            cur = conn.cursor()
            n = 600
            for _ in range(n):
                cur.execute("SELECT 1")
            conn.close()
            doc = status(proxy)
            counts = {e: backend(doc, "pg0", "replica" if e != p0 else "primary", e)["reads"]
                      for e in expected}
            total = sum(counts.values())
            print(f"  balancing {policy}: reads {counts} of {total}")
            if any(abs(counts[e] / total - share) >= 0.05 for e, share in expected.items()):
                print(json.dumps(doc, indent=1))
            assert total >= n, counts
            for endpoint, share in expected.items():
                assert abs(counts[endpoint] / total - share) < 0.05, (policy, counts)
        finally:
            proxy.stop()


def admin_status():
    shard_map = write_map()
    proxy = start_proxy(shard_map)
    try:
        try:
            status(proxy, token=None)
            raise AssertionError("/status answered without a token")
        except urllib.error.HTTPError as e:
            assert e.code == 401, e.code
        try:
            status(proxy, token="wrong")
            raise AssertionError("/status answered with a wrong token")
        except urllib.error.HTTPError as e:
            assert e.code == 401, e.code
        conn = proxy.connect()
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
        # A server an earlier case restarted may still be coming back: wait for every
        # backend to be reported up before checking the fields.
        deadline = time.time() + 15
        doc = status(proxy)
        while any(b["health"] != "up" for b in doc["backends"]) and time.time() < deadline:
            time.sleep(0.1)
            doc = status(proxy)
        endpoints = {b["endpoint"] for b in doc["backends"]}
        for s in topology()["servers"]:
            if s["engine"] == "postgresql":
                assert f"127.0.0.1:{s['port']}" in endpoints, (s, endpoints)
        for b in doc["backends"]:
            for field in ("engine", "shard", "role", "endpoint", "health", "lag_ms",
                          "heartbeat_lag_ms", "engine_view", "probe_latency_us",
                          "connections_in_use", "connections_idle", "reads"):
                assert field in b, (field, b)
            assert b["health"] == "up", b
        # The backend connection goes back to the pool just after the client has its answer.
        deadline = time.time() + 2
        while backend(doc, "pg0", "replica")["connections_idle"] < 1 and time.time() < deadline:
            time.sleep(0.02)
            doc = status(proxy)
        assert backend(doc, "pg0", "replica")["connections_idle"] >= 1, backend(doc, "pg0",
                                                                               "replica")
        assert doc["counters"]["pg.queries"] >= 1
        # Client sessions per state: the open connection waits for its client (idle); one
        # that has not finished its startup is counted too, in handshake.
        silent = socket.create_connection(("127.0.0.1", proxy.port))
        deadline = time.time() + 2
        while (status(proxy)["sessions"]["postgresql"]["handshake"] < 1
               and time.time() < deadline):
            time.sleep(0.02)
        states = status(proxy)["sessions"]["postgresql"]
        assert states["idle"] >= 1 and states["handshake"] >= 1, states
        assert set(states) == {"handshake", "authenticating", "idle", "routing",
                               "waiting_backend", "forwarding", "closed"}, states
        silent.close()
        table = subprocess.run([SHARDCTL, "status", "--admin", proxy.admin, "--token", TOKEN],
                               capture_output=True, text=True, timeout=10)
        assert table.returncode == 0, table.stderr
        for b in doc["backends"]:
            assert b["endpoint"] in table.stdout, (b["endpoint"], table.stdout)
        assert "sessions postgresql: " in table.stdout and "idle=" in table.stdout, table.stdout
        as_json = subprocess.run([SHARDCTL, "status", "--admin", proxy.admin, "--token", TOKEN,
                                  "--json"], capture_output=True, text=True, timeout=10)
        assert json.loads(as_json.stdout)["proxy_id"] == doc["proxy_id"]
        refused = subprocess.run([SHARDCTL, "status", "--admin", proxy.admin],
                                 capture_output=True, text=True, timeout=10,
                                 env={k: v for k, v in os.environ.items()
                                      if k != "SHARDGATE_ADMIN_TOKEN"})
        assert refused.returncode == 1 and "401" in refused.stderr, refused.stderr
        print("  admin_status: shardctl status:\n" + table.stdout)
        conn.close()
    finally:
        proxy.stop()


if __name__ == "__main__":
    from mysql_cases import CASES as MYSQL_CASES  # the MySQL (MariaDB) cases
    from balancing_cases import CASES as BALANCING_CASES  # the other balancing policies
    from hang_cases import CASES as HANG_CASES  # servers stopped with SIGSTOP under load
    from disk_full_cases import CASES as DISK_FULL_CASES  # a replica's disk fills up
    run({"lag_bound": lag_bound, "causal": causal, "window": window,
         "replica_kill": replica_kill,
         "primary_kill": primary_kill, "balancing": balancing, "admin_status": admin_status,
         **BALANCING_CASES, **MYSQL_CASES, **HANG_CASES, **DISK_FULL_CASES})
