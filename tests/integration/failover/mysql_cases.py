"""The MySQL (MariaDB) cases of failover_test.py: the same read routing and failure handling
through shardgate's MySQL proxy with pymysql clients. Lag bound under a stopped or delayed
SQL thread, replica and primary kill -9 and restart, read-your-writes (window and causal by
GTID) and MySQL backends in the admin /status. Servers killed or paused are restored before
each case returns."""
import os
import re
import sys
import tempfile
import threading
import time

import pymysql

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "proxy_pg"))
from failover_test import (HEALTH_MS, HEARTBEAT_MS, TOKEN, LoopThreads, backend,  # noqa: E402
                           kill, server, staleness_ms, status, topology, topology_cmd)
from harness import SHARDGATE, free_port  # noqa: E402

import subprocess  # noqa: E402


def write_my_map(my0_routing="", my0_replicas=None, tables=""):
    """A map of the topology's `social` shards (by default no sharded tables: all goes to
    my0); my0 may get other replicas, the database `tables` (YAML lines under `tables:`)."""
    p0, r0 = server("my0", "primary"), server("my0", "replica")
    p1, r1 = server("my1", "primary"), server("my1", "replica")
    replicas = my0_replicas or [f"'127.0.0.1:{r0['port']}'"]
    path = os.path.join(tempfile.mkdtemp(prefix="sg_failover_my_map_"), "map.yaml")
    with open(path, "w") as f:
        f.write("format_version: 1\nepoch: 1\ndatabases:\n  social:\n"
                "    engine: mysql\n    default_shard: my0\n    shards:\n"
                f"      my0: {{primary: 127.0.0.1:{p0['port']}, "
                f"replicas: [{', '.join(replicas)}]{my0_routing}}}\n"
                f"      my1: {{primary: 127.0.0.1:{p1['port']}, "
                f"replicas: ['127.0.0.1:{r1['port']}']}}\n"
                + (f"    tables:\n{tables}" if tables else ""))
    return path


class MyProxy:
    """shardgate with only its MySQL listener in use (and an admin port); stopped by PID."""

    def __init__(self, shard_map, extra=""):
        self.port, self.admin_port = free_port(), free_port()
        self.admin = f"http://127.0.0.1:{self.admin_port}"
        self.dir = tempfile.mkdtemp(prefix="sg_failover_my_")
        config = os.path.join(self.dir, "shardgate.yaml")
        with open(config, "w") as f:
            f.write(f"shard_map: {shard_map}\npostgres_listen: off\n"
                    f"mysql_listen: 127.0.0.1:{self.port}\nworkers: 2\n"
                    f"admin_listen: 127.0.0.1:{self.admin_port}\n"
                    "monitor_user: admin\nmonitor_password: admin\n"
                    f"health_interval_ms: {HEALTH_MS}\nheartbeat_interval_ms: {HEARTBEAT_MS}\n"
                    f"connect_timeout_ms: 1000\nadmin_token: {TOKEN}\n"
                    "users:\n  - {name: app, password: app}\n" + extra)
        self.log = open(os.path.join(self.dir, "shardgate.log"), "w+")
        self.process = subprocess.Popen([SHARDGATE, "--config", config], stdout=self.log,
                                        stderr=subprocess.STDOUT)
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                self.connect().close()
                return
            except pymysql.Error:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("shardgate did not start:\n" + self.output())

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def connect(self):
        return pymysql.connect(host="127.0.0.1", port=self.port, user="app", password="app",
                               database="social", connect_timeout=5, autocommit=True)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise RuntimeError("shardgate did not stop on SIGTERM")
        assert self.process.returncode == 0, self.output()


def admin_conn(port):
    return pymysql.connect(host="127.0.0.1", port=port, user="admin", password="admin",
                           database="social", connect_timeout=5, autocommit=True)


def prepare_counter():
    conn = admin_conn(server("my0", "primary")["port"])
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS sg_failover_counter "
                    "(id int PRIMARY KEY, v bigint) ENGINE=InnoDB")
        cur.execute("GRANT ALL ON social.sg_failover_counter TO app")
        cur.execute("INSERT INTO sg_failover_counter VALUES (1, 0) "
                    "ON DUPLICATE KEY UPDATE v = 0")
    conn.close()
    wait_replica_caught_up("my0")


def wait_replica_caught_up(shard):
    """Until the replica has applied everything the primary wrote so far."""
    primary = admin_conn(server(shard, "primary")["port"])
    replica = admin_conn(server(shard, "replica")["port"])
    with primary.cursor() as cur:
        cur.execute("SELECT @@gtid_binlog_pos")
        position = cur.fetchone()[0]
    with replica.cursor() as cur:
        cur.execute("SELECT MASTER_GTID_WAIT(%s, 30)", (position,))
        assert cur.fetchone()[0] == 0, "replica did not catch up within 30 s"
    primary.close()
    replica.close()


class Writer(threading.Thread):
    """Increments the counter on the primary directly; remembers when each value was sent."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sent = {}
        self.stop_flag = threading.Event()
        self.error = None

    def run(self):
        try:
            conn = admin_conn(server("my0", "primary")["port"])
            with conn.cursor() as cur:
                cur.execute("SELECT v FROM sg_failover_counter WHERE id = 1")
                value = cur.fetchone()[0]
                while not self.stop_flag.is_set():
                    self.sent[value + 1] = time.monotonic()
                    cur.execute("UPDATE sg_failover_counter SET v = v + 1 WHERE id = 1")
                    value += 1
                    time.sleep(0.005)
            conn.close()
        except Exception as e:  # reported by the test
            self.error = e


def my_lag_bound():
    prepare_counter()
    bound = 500
    proxy = MyProxy(write_my_map(f", max_replica_lag_ms: {bound}"))
    writer = Writer()
    writer.start()
    replica_port = server("my0", "replica")["port"]
    primary_port = server("my0", "primary")["port"]
    paused = False
    try:
        conn = proxy.connect()
        cur = conn.cursor()

        def read_for(seconds, sql="SELECT v, @@port FROM sg_failover_counter WHERE id = 1"):
            ports, worst = {}, 0.0
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                cur.execute(sql)
                value, port = cur.fetchone()
                read_at = time.monotonic()
                ports[port] = ports.get(port, 0) + 1
                worst = max(worst, staleness_ms(writer, value, read_at))
            return ports, worst

        time.sleep(0.5)
        fresh_ports, fresh_worst = read_for(1.5)
        assert fresh_ports.get(replica_port, 0) > 0.9 * sum(fresh_ports.values()), \
            f"lag under the bound: reads should go to the replica: {fresh_ports}"
        topology_cmd("lag", "pause", "my0")
        paused = True
        paused_ports, paused_worst = read_for(2.5)
        # The hint tightens the bound for one read: 0 ms keeps it off a stopped replica.
        cur.execute("/* shardgate: max_lag_ms=0 */ SELECT @@port")
        hinted_port = cur.fetchone()[0]
        topology_cmd("lag", "resume", "my0")
        paused = False
        wait_replica_caught_up("my0")
        # Replication running but applied 1 s late: heartbeat lag over the bound.
        topology_cmd("lag", "delay", "my0", "1")
        paused = True
        time.sleep(0.5)
        delayed_ports, delayed_worst = read_for(2.5)
        topology_cmd("lag", "delay", "my0", "0")
        paused = False
        wait_replica_caught_up("my0")
        time.sleep(0.5)
        after_ports, _ = read_for(1.0)
        limit = bound + HEARTBEAT_MS
        print(f"  my_lag_bound: fresh reads per port {fresh_ports} (max staleness "
              f"{fresh_worst:.0f} ms); SQL thread stopped {paused_ports} (max staleness "
              f"{paused_worst:.0f} ms, limit {limit} ms); MASTER_DELAY 1 s {delayed_ports} "
              f"(max staleness {delayed_worst:.0f} ms); resumed {after_ports}")
        assert writer.error is None, writer.error
        assert paused_worst <= limit, f"saw a value {paused_worst:.0f} ms old (limit {limit})"
        assert delayed_worst <= limit, f"saw a value {delayed_worst:.0f} ms old (limit {limit})"
        assert paused_ports.get(primary_port, 0) > 0.9 * sum(paused_ports.values()), paused_ports
        assert hinted_port == primary_port, hinted_port
        assert after_ports.get(replica_port, 0) > 0, f"replica not used after resume: {after_ports}"
        doc = status(proxy)
        assert backend(doc, "my0", "replica")["reads"] > 0
        conn.close()
    finally:
        writer.stop_flag.set()
        writer.join()
        if paused:
            topology_cmd("lag", "resume", "my0")
            topology_cmd("lag", "delay", "my0", "0")
        proxy.stop()


def my_lag_error():
    """fallback: error: a lagging replica gives ERR 1105 naming the shard; the session lives."""
    prepare_counter()
    proxy = MyProxy(write_my_map(", max_replica_lag_ms: 500, read_routing: {fallback: error}"))
    paused = False
    try:
        conn = proxy.connect()
        cur = conn.cursor()
        time.sleep(0.5)
        cur.execute("SELECT @@port")
        assert cur.fetchone()[0] == server("my0", "replica")["port"]
        topology_cmd("lag", "pause", "my0")
        paused = True
        writer = admin_conn(server("my0", "primary")["port"])
        deadline = time.monotonic() + 5
        error = None
        while time.monotonic() < deadline and error is None:
            writer.cursor().execute("UPDATE sg_failover_counter SET v = v + 1 WHERE id = 1")
            try:
                cur.execute("SELECT @@port")
                cur.fetchone()
            except pymysql.MySQLError as e:
                error = e
            time.sleep(0.05)
        writer.close()
        print(f"  my_lag_error: {error!r}")
        assert error is not None, "no error with the only replica lagging and fallback: error"
        assert error.args[0] == 1105 and "my0" in error.args[1], error.args
        cur.execute("/* shardgate: primary */ SELECT 1")
        assert cur.fetchone()[0] == 1
        conn.close()
    finally:
        if paused:
            topology_cmd("lag", "resume", "my0")
        proxy.stop()


class Readers(LoopThreads):
    """n pymysql clients reading outside transactions; counts errors and ports."""

    def __init__(self, proxy, n=8):
        super().__init__(n)
        self.proxy = proxy
        self.errors, self.ports, self.lock = [], {}, threading.Lock()
        self.last_port_time = {}

    def loop(self):
        try:
            conn = self.proxy.connect()
        except Exception as e:
            with self.lock:
                self.errors.append(f"connect: {e}")
            return
        cur = conn.cursor()
        while not self.stop_flag.is_set():
            try:
                cur.execute("SELECT @@port, v FROM sg_failover_counter WHERE id = 1")
                port = cur.fetchone()[0]
                with self.lock:
                    self.ports[port] = self.ports.get(port, 0) + 1
                    self.last_port_time.setdefault(port, []).append(time.monotonic())
            except Exception as e:
                with self.lock:
                    self.errors.append(repr(e))
                time.sleep(0.01)
        conn.close()


def sysbench(port, command, *extra):
    return subprocess.run(
        ["sysbench", "oltp_point_select", "--db-driver=mysql", "--mysql-host=127.0.0.1",
         f"--mysql-port={port}", "--mysql-user=app", "--mysql-password=app",
         "--mysql-db=social", "--table-size=500", *extra, command],
        capture_output=True, text=True, timeout=60)


def my_replica_kill():
    prepare_counter()
    # Server-side prepared reads too (sysbench over libmariadb, COM_STMT_EXECUTE).
    primary_port = server("my0", "primary")["port"]
    sysbench(primary_port, "cleanup")
    assert sysbench(primary_port, "prepare").returncode == 0
    wait_replica_caught_up("my0")
    proxy = MyProxy(write_my_map(), "health_threshold: 2\n")
    replica_port = server("my0", "replica")["port"]
    killed = False
    prepared_reads = {}

    def prepared_reader():
        prepared_reads["result"] = sysbench(proxy.port, "run", "--threads=4", "--time=5",
                                            "--db-ps-mode=auto")

    prepared = threading.Thread(target=prepared_reader, daemon=True)
    try:
        with Readers(proxy) as readers:
            prepared.start()
            time.sleep(1.0)
            before = dict(readers.ports)
            kill("my0", "replica")
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
        prepared.join()
        result = prepared_reads["result"]
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        errors = re.search(r"ignored errors:\s+(\d+)", result.stdout)
        queries = re.search(r"queries:\s+(\d+)", result.stdout)
        print(f"  my_replica_kill: sysbench prepared point selects {queries.group(1)}, "
              f"errors {errors.group(1)}")
        assert errors.group(1) == "0", result.stdout
        doc = status(proxy)
        counters = doc["counters"]
        print(f"  my_replica_kill: reads per port before {before}, through the kill {during}, "
              f"total {readers.ports}; client errors {len(readers.errors)}; retried reads "
              f"{counters.get('mysql.read_retries')}; replica read again "
              f"{back_after if back_after is None else round(back_after)} ms after restart "
              f"(limit {2 * HEALTH_MS} ms)")
        assert not readers.errors, readers.errors[:5]
        assert before.get(replica_port, 0) > 0, before
        assert back_after is not None, "the restarted replica got no reads"
        assert back_after <= 2 * HEALTH_MS, f"replica back after {back_after:.0f} ms"
        assert backend(doc, "my0", "replica")["health"] == "up"
    finally:
        if killed:
            topology_cmd("up")
        prepared.join(timeout=30)
        proxy.stop()
        sysbench(primary_port, "cleanup")


def my_primary_kill():
    prepare_counter()
    proxy = MyProxy(write_my_map())
    killed = False
    primary = server("my0", "primary")
    try:
        conn = proxy.connect()
        cur = conn.cursor()
        cur.execute("UPDATE sg_failover_counter SET v = 7 WHERE id = 1")
        wait_replica_caught_up("my0")
        kill("my0", "primary")
        killed = True
        write_errors, read_values = [], []
        end = time.monotonic() + 3.0
        while time.monotonic() < end:
            started = time.monotonic()
            try:
                cur.execute("UPDATE sg_failover_counter SET v = v + 1 WHERE id = 1")
                raise AssertionError("a write succeeded with the primary killed")
            except pymysql.MySQLError as e:
                write_errors.append((e.args[0], str(e.args[1]), time.monotonic() - started))
            cur.execute("SELECT v FROM sg_failover_counter WHERE id = 1")
            read_values.append(cur.fetchone()[0])
            time.sleep(0.05)
        worst = max(e[2] for e in write_errors)
        print(f"  my_primary_kill: {len(write_errors)} writes refused (slowest "
              f"{worst * 1000:.0f} ms), e.g. {write_errors[-1][0]} {write_errors[-1][1]!r}; "
              f"{len(read_values)} reads ok")
        assert all("my0" in e[1] for e in write_errors), write_errors[:3]
        assert worst < 1.0 + 0.5, "a write hung beyond the connect timeout"
        assert all(v == 7 for v in read_values), read_values[:5]
        topology_cmd("up")
        killed = False
        deadline = time.monotonic() + 15
        resumed = False
        while time.monotonic() < deadline:
            try:
                cur.execute("UPDATE sg_failover_counter SET v = 8 WHERE id = 1")
                resumed = True
                break
            except pymysql.MySQLError:
                time.sleep(0.1)
        assert resumed, "writes did not resume after the primary came back"
        cur.execute("/* shardgate: primary */ SELECT v FROM sg_failover_counter WHERE id = 1")
        assert cur.fetchone()[0] == 8
        conn.close()
    finally:
        if killed:
            topology_cmd("up")
        proxy.stop()
    assert primary["port"] == server("my0", "primary")["port"]


def my_admin_status():
    wait_replica_caught_up("my0")
    proxy = MyProxy(write_my_map())
    try:
        # A test before this one may have restarted the primary: reads go to the replica only
        # once its heartbeat lag is measured and under the bound again.
        deadline = time.monotonic() + 20
        while True:
            lag = backend(status(proxy), "my0", "replica")["lag_ms"]
            if lag is not None and lag < 500:
                break
            assert time.monotonic() < deadline, f"my0 replica lag stays at {lag} ms"
            time.sleep(0.1)
        conn = proxy.connect()
        cur = conn.cursor()
        for _ in range(5):
            cur.execute("SELECT 1")
        doc = status(proxy)
        endpoints = {b["endpoint"] for b in doc["backends"]}
        for s in topology()["servers"]:
            if s["engine"] == "mysql":
                assert f"127.0.0.1:{s['port']}" in endpoints, (s, endpoints)
        replica = backend(doc, "my0", "replica")
        assert replica["health"] == "up", replica
        assert replica["reads"] >= 5, replica
        assert replica["connections_idle"] + replica["connections_in_use"] >= 1, replica
        assert doc["counters"]["mysql.queries"] >= 5, doc["counters"]
        assert doc["sessions"]["mysql"]["idle"] >= 1, doc["sessions"]  # `conn` waits
        print(f"  my_admin_status: my0 replica {replica}")
        conn.close()
    finally:
        proxy.stop()


def my_causal():
    """causal: with replication applied 1 s late, a session always reads its own writes
    (GTID from @@last_gtid, or session tracking when the client asks for it); the replica
    serves it again once its gtid_slave_pos covers the session's last commit."""
    prepare_counter()
    proxy = MyProxy(write_my_map(", max_replica_lag_ms: 10000, "
                                 "read_routing: {read_your_writes: causal}"))
    replica_port = server("my0", "replica")["port"]
    topology_cmd("lag", "delay", "my0", "1")
    try:
        # Setting the delay restarts the replica's threads: until the monitor sees them
        # running again the replica counts as infinitely lagged and gets no reads at all.
        deadline = time.monotonic() + 20
        while backend(status(proxy), "my0", "replica")["lag_ms"] is None:
            assert time.monotonic() < deadline, "my0 replica's replication stays stopped"
            time.sleep(0.05)
        conn = proxy.connect()
        cur = conn.cursor()
        ports = {}
        for i in range(20):
            if i % 5 == 4:  # some writes in explicit transactions
                cur.execute("BEGIN")
                cur.execute("UPDATE sg_failover_counter SET v = %s WHERE id = 1", (1000 + i,))
                cur.execute("COMMIT")
            else:
                cur.execute("UPDATE sg_failover_counter SET v = %s WHERE id = 1", (1000 + i,))
            cur.execute("SELECT v, @@port FROM sg_failover_counter WHERE id = 1")
            value, port = cur.fetchone()
            ports[port] = ports.get(port, 0) + 1
            assert value == 1000 + i, f"read {value} after writing {1000 + i} (port {port})"
        other = proxy.connect()
        with other.cursor() as ocur:
            ocur.execute("SELECT @@port")
            assert ocur.fetchone()[0] == replica_port, "a session without writes uses the replica"
        other.close()
        deadline = time.time() + 10
        served_by_replica = False
        while time.time() < deadline and not served_by_replica:
            time.sleep(0.2)
            cur.execute("SELECT v, @@port FROM sg_failover_counter WHERE id = 1")
            value, port = cur.fetchone()
            assert value == 1019, value
            served_by_replica = port == replica_port
        # A client that negotiates session tracking and asks for last_gtid: the GTID comes
        # with the OK packet.
        tracking = pymysql.connect(host="127.0.0.1", port=proxy.port, user="app",
                                   password="app", database="social", connect_timeout=5,
                                   autocommit=True, client_flag=1 << 23)  # CLIENT_SESSION_TRACK
        with tracking.cursor() as tcur:
            tcur.execute("SET session_track_system_variables = 'last_gtid'")
            for i in range(5):
                tcur.execute("UPDATE sg_failover_counter SET v = %s WHERE id = 1", (2000 + i,))
                tcur.execute("SELECT v FROM sg_failover_counter WHERE id = 1")
                assert tcur.fetchone()[0] == 2000 + i
        tracking.close()
        counters = status(proxy)["counters"]
        assert counters["mysql.gtid_tracked"] >= 5, counters
        print(f"  my_causal: reads right after writes per port {ports}; replica serves the "
              f"session again after catch-up: {served_by_replica}; GTID marks "
              f"{counters.get('mysql.gtid_marks')} (from session tracking "
              f"{counters.get('mysql.gtid_tracked')}), missing "
              f"{counters.get('mysql.gtid_missing')}")
        assert served_by_replica, "replica never served the session after catching up"
        assert counters["mysql.gtid_marks"] >= 25, counters
        conn.close()
    finally:
        topology_cmd("lag", "delay", "my0", "0")
        proxy.stop()


def my_window():
    prepare_counter()
    proxy = MyProxy(write_my_map(", read_routing: {read_your_writes: window, "
                                 "read_your_writes_window_ms: 800}"))
    replica_port = server("my0", "replica")["port"]
    primary_port = server("my0", "primary")["port"]
    try:
        conn = proxy.connect()
        cur = conn.cursor()
        cur.execute("SELECT @@port")
        assert cur.fetchone()[0] == replica_port, "before any write: the replica"
        cur.execute("UPDATE sg_failover_counter SET v = 42 WHERE id = 1")
        written = time.monotonic()
        cur.execute("SELECT v, @@port FROM sg_failover_counter WHERE id = 1")
        value, port = cur.fetchone()
        assert (value, port) == (42, primary_port), (value, port)
        time.sleep(max(0.0, written + 0.9 - time.monotonic()))
        cur.execute("SELECT @@port")
        assert cur.fetchone()[0] == replica_port, "after the window: the replica again"
        doc = status(proxy)
        assert doc["counters"]["mysql.reads_read_your_writes_primary"] >= 1, doc["counters"]
        print("  my_window: read after write on the primary, replica again after 800 ms")
        conn.close()
    finally:
        proxy.stop()


def my_reads(proxy):
    """endpoint -> reads served so far, for my0's backends."""
    return {b["endpoint"]: b["reads"] for b in status(proxy)["backends"] if b["shard"] == "my0"}


def my_hash():
    """hash over my0's replica under two names (weights 1 and 2) and the primary (weight 1):
    each key's text reads (COM_QUERY) all land on one backend, the keys spread by weight,
    and the same keys read through a server-side prepared statement with the key bound
    (COM_STMT_EXECUTE) land exactly where their text reads did."""
    primary = admin_conn(server("my0", "primary")["port"])
    with primary.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS sg_balance_keys (k BIGINT PRIMARY KEY)")
        cur.execute("GRANT SELECT ON social.sg_balance_keys TO app")
    primary.close()
    wait_replica_caught_up("my0")
    r0 = server("my0", "replica")["port"]
    # Two names of one replica; not "localhost", which the monitor's client library takes
    # for the Unix socket.
    a, b = f"127.0.0.1:{r0}", f"127.1:{r0}"
    p0 = f"127.0.0.1:{server('my0', 'primary')['port']}"
    weights = {a: 1, b: 2, p0: 1}
    shard_map = write_my_map(
        ", max_replica_lag_ms: 10000, read_routing: {balance: hash, primary_weight: 1}",
        [f"{{endpoint: '{a}', weight: 1}}", f"{{endpoint: '{b}', weight: 2}}"],
        "      sg_balance_keys: {scheme: range, key: k, key_type: bigint, "
        "ranges: [{from: 0, shard: my0}]}\n")
    keys = list(range(2000, 2160))
    proxy = MyProxy(shard_map)
    try:
        conn = proxy.connect()
        cur = conn.cursor()
        owners, last = {}, my_reads(proxy)
        for key in keys:
            cur.execute(f"SELECT count(*) FROM sg_balance_keys WHERE k = {key}")
            cur.fetchall()
            cur.execute("SELECT count(*) FROM sg_balance_keys WHERE k = %s", (str(key),))
            cur.fetchall()
            now = my_reads(proxy)
            served = {e: now[e] - last[e] for e in now if now[e] != last[e]}
            last = now
            assert len(served) == 1 and sum(served.values()) == 2, (key, served)
            owners[key] = next(iter(served))
        conn.close()
        shares = {e: sum(1 for o in owners.values() if o == e) / len(keys) for e in weights}
        print(f"  my_hash: {len(keys)} keys, text reads per key on one backend; "
              f"shares {shares} for weights {weights}")
        for endpoint, weight in weights.items():
            assert abs(shares[endpoint] - weight / 4) < 0.12, shares

        def prepared_reads(keys, repeat):
            """Reads per endpoint of one sysbench run reading `keys` `repeat` times each."""
            before = my_reads(proxy)
            result = subprocess.run(
                ["sysbench", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                          "hash_prepared.lua"),
                 "--db-driver=mysql", "--mysql-host=127.0.0.1", f"--mysql-port={proxy.port}",
                 "--mysql-user=app", "--mysql-password=app", "--mysql-db=social",
                 "--threads=1", "--events=1", "--db-ps-mode=auto", "run"],
                capture_output=True, text=True, timeout=60,
                env=dict(os.environ, KEYS=" ".join(map(str, keys)), REPEAT=str(repeat)))
            assert result.returncode == 0 and "done" in result.stdout, (result.stdout +
                                                                        result.stderr)
            after = my_reads(proxy)
            return {e: after[e] - before[e] for e in after}

        # Preparing the statement (no key yet) is a read of its own: measure that first.
        overhead = sum(prepared_reads([], 1).values())
        repeat = 3
        served = prepared_reads(keys, repeat)
        expected = {e: repeat * sum(1 for o in owners.values() if o == e) for e in weights}
        print(f"  my_hash: prepared reads {served}, expected from the text reads {expected} "
              f"plus {overhead} for the prepare")
        assert sum(served.values()) == sum(expected.values()) + overhead, (served, expected)
        for endpoint in weights:
            assert 0 <= served[endpoint] - expected[endpoint] <= overhead, (served, expected)
    finally:
        proxy.stop()


CASES = {"my_lag_bound": my_lag_bound, "my_lag_error": my_lag_error,
         "my_causal": my_causal, "my_window": my_window,
         "my_replica_kill": my_replica_kill, "my_primary_kill": my_primary_kill,
         "my_admin_status": my_admin_status, "my_hash": my_hash}
