"""Backends that hang under load, both engines (cases of failover_test.py): the server's
processes are stopped with SIGSTOP, so its sockets stay open and the kernel still accepts
connections, but nothing answers — the failure a kill or a refused connection does not show.

- `*_replica_hang`: 8 clients read the counter outside transactions while pgbench (PostgreSQL)
  or sysbench (MariaDB, server-side prepared point selects) reads beside them; the shard's
  replica is stopped for a while, then continued. Expected: no client error at all; no read
  waits longer than the monitor needs to call the replica down (health_threshold probes, each
  bounded by the probe timeout) plus one retry; the replica serves reads again after SIGCONT.
- `*_primary_hang`: 2 clients increment the counter outside transactions, 4 read it; the
  primary is stopped, then continued. Expected: reads see no error; every write ends within
  the detection bound plus connect_timeout_ms, either applied or with an error naming the
  shard (SQLSTATE class 08 / MySQL 2013); writes work again after SIGCONT without restarting
  shardgate; the counter on the primary equals the acknowledged increments plus at most one
  per write whose outcome was reported unknown. Then shardgate stops on SIGTERM within 8 s
  while the primary is stopped again (nothing of it waits on the hung server).
- `replica_network`: the PostgreSQL replica behind a TCP relay of the test (Relay) that delays,
  blackholes and drops its traffic in turn; readers see no error (docs/reliability.md).
- `primary_network`: the PostgreSQL primary behind the relay under readers and writers: reads see
  no error, writes end within the bound applied or refused naming the shard, and work again
  after each heal.
"""
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

import psycopg2
import pymysql

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "proxy_pg"))
import failover_test as pgf  # noqa: E402
from fault_relay import Relay  # noqa: E402
import mysql_cases as myf  # noqa: E402

THRESHOLD = 2
# A probe of a stopped server ends at the monitor's timeout: connect_timeout_ms (1000 in these
# tests), which libpq stretches to 2 s for connecting. Down after THRESHOLD such probes, one
# health interval apart; then the reads and writes in flight there are cut.
PROBE_TIMEOUT_S = 2.0
DETECTION_S = THRESHOLD * (PROBE_TIMEOUT_S + pgf.HEALTH_MS / 1000)
SLACK_S = 2.0  # the loaded 2-core test machine
LOAD_RATE = 2000  # statements per second of the benchmark tool beside the clients
HANG_S = DETECTION_S + 3.0


def processes_of(pid):
    """The server's process and its children (a PostgreSQL postmaster's backends, WAL
    receiver and startup process keep running when only the postmaster is stopped)."""
    pids = [pid]
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid:
            pids.append(int(entry))
    return pids


class Hung:
    """SIGSTOP to a server's processes on enter, SIGCONT on exit (also when the test fails).

    The server's own process is stopped first, so it forks no new children; its children are
    listed after that and any that ended meanwhile (a backend whose client left) are skipped.
    Whatever goes wrong while stopping, every process stopped so far is continued before the
    error leaves: a server left stopped would fail every later test of the suite."""

    def __init__(self, shard, role):
        self.pid = pgf.server(shard, role)["pid"]
        self.pids = []
        self.stopped_at = self.continued_at = None

    def __enter__(self):
        try:
            os.kill(self.pid, signal.SIGSTOP)
            self.pids.append(self.pid)
            for pid in processes_of(self.pid)[1:]:
                try:
                    os.kill(pid, signal.SIGSTOP)
                except ProcessLookupError:
                    continue
                self.pids.append(pid)
        except BaseException:
            self.resume()
            raise
        self.stopped_at = time.monotonic()
        return self

    def resume(self):
        if self.continued_at is None:
            for pid in reversed(self.pids):
                try:
                    os.kill(pid, signal.SIGCONT)
                except ProcessLookupError:
                    pass
            self.continued_at = time.monotonic()

    def __exit__(self, *exc):
        self.resume()


class Engine:
    """What differs between the PostgreSQL and the MySQL frontend in these cases."""

    def __init__(self, name):
        self.name = name
        self.pg = name == "pg"
        self.shard = "pg0" if self.pg else "my0"
        self.errors = psycopg2.Error if self.pg else pymysql.Error
        self.port_sql = ("SELECT inet_server_port(), v FROM sg_failover_counter WHERE id = 1"
                         if self.pg else "SELECT @@port, v FROM sg_failover_counter WHERE id = 1")

    def prepare(self):
        (pgf if self.pg else myf).prepare_counter()
        if not self.pg:
            port = pgf.server("my0", "primary")["port"]
            myf.sysbench(port, "cleanup")
            assert myf.sysbench(port, "prepare").returncode == 0
            myf.wait_replica_caught_up("my0")

    def start_proxy(self, connect_timeout_ms=1000):
        extra = f"health_threshold: {THRESHOLD}\n"
        if self.pg:
            return pgf.start_proxy(pgf.write_map(), extra, connect_timeout_ms=connect_timeout_ms)
        return myf.MyProxy(myf.write_my_map(), extra)

    def connect(self, proxy):
        conn = proxy.connect()
        if self.pg:
            conn.autocommit = True
        return conn

    def primary_value(self):
        port = pgf.server(self.shard, "primary")["port"]
        conn = pgf.admin_conn(port) if self.pg else myf.admin_conn(port)
        with conn.cursor() as cur:
            cur.execute("SELECT v FROM sg_failover_counter WHERE id = 1")
            value = cur.fetchone()[0]
        conn.close()
        return value

    def load(self, proxy, seconds):
        """The benchmark tool reading through the proxy for `seconds`, at most LOAD_RATE
        statements per second: a started Popen. (Unthrottled, it and the clients kept both
        cores busy, and a login to the shard's primary took 0.4-4.8 s measured from outside
        the proxy when the cut reads fell back to it.)"""
        if self.pg:
            script = os.path.join(tempfile.mkdtemp(prefix="sg_hang_"), "read.sql")
            with open(script, "w") as f:
                f.write("SELECT v FROM sg_failover_counter WHERE id = 1;\n")
            return subprocess.Popen(
                ["pgbench", "-n", "-f", script, "-c", "4", "-T", str(int(seconds)),
                 "-R", str(LOAD_RATE),
                 "-h", "127.0.0.1", "-p", str(proxy.port), "-U", "app", "shop"],
                env=dict(os.environ, PGPASSWORD="app"), stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True)
        return subprocess.Popen(
            ["sysbench", "oltp_point_select", "--db-driver=mysql", "--mysql-host=127.0.0.1",
             f"--mysql-port={proxy.port}", "--mysql-user=app", "--mysql-password=app",
             "--mysql-db=social", "--table-size=500", "--threads=4",
             f"--time={int(seconds)}", f"--rate={LOAD_RATE}", "--db-ps-mode=auto", "run"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def load_result(self, process):
        """(statements, failures) of a finished load run; asserts it ran to the end."""
        out, _ = process.communicate(timeout=120)
        assert process.returncode == 0, out[-3000:]
        if self.pg:
            done = re.search(r"number of transactions actually processed: (\d+)", out)
            failed = re.search(r"number of failed transactions: (\d+)", out)
            assert done, out[-3000:]
            return int(done.group(1)), int(failed.group(1)) if failed else 0
        queries = re.search(r"queries:\s+(\d+)", out)
        errors = re.search(r"ignored errors:\s+(\d+)", out)
        assert queries and errors, out[-3000:]
        return int(queries.group(1)), int(errors.group(1))


class Clients(pgf.LoopThreads):
    """Threads running one statement in a loop through the proxy; every statement's end time,
    duration, outcome and the port that answered it."""

    def __init__(self, engine, proxy, n, write=False):
        super().__init__(n)
        self.engine, self.proxy, self.write = engine, proxy, write
        self.lock = threading.Lock()
        self.log = []  # (ended_at, seconds, port or None, error text or None, sqlstate/errno)

    def loop(self):
        try:
            conn = self.engine.connect(self.proxy)
        except Exception as e:
            with self.lock:
                self.log.append((time.monotonic(), 0.0, None, f"connect: {e}", None))
            return
        cur = conn.cursor()
        while not self.stop_flag.is_set():
            started = time.monotonic()
            port, error, code = None, None, None
            try:
                if self.write:
                    cur.execute("UPDATE sg_failover_counter SET v = v + 1 WHERE id = 1")
                else:
                    cur.execute(self.engine.port_sql)
                    port = cur.fetchone()[0]
            except self.engine.errors as e:
                error = str(e).strip()
                code = e.pgcode if self.engine.pg else (e.args[0] if e.args else None)
            ended = time.monotonic()
            with self.lock:
                self.log.append((ended, ended - started, port, error, code))
            if error is not None:
                time.sleep(0.05)
                if self.engine.pg and conn.closed:
                    try:
                        conn = self.engine.connect(self.proxy)
                    except self.engine.errors:
                        continue  # the proxy is stopping: the loop ends with the flag
                    cur = conn.cursor()
            else:
                # a pause per statement (writes longer): the clients and the load run beside a
                # server that has to log new connections in on the same two cores
                time.sleep(0.01 if self.write else 0.005)
        conn.close()

    def entries(self, since=None, until=None):
        with self.lock:
            return [e for e in self.log
                    if (since is None or e[0] >= since) and (until is None or e[0] - e[1] <= until)]


# replica_hang's PostgreSQL proxy logs in with the monitor's effective probe timeout: when the
# cut reads all fall back to the primary at once, beside the load, a login there took 0.4 to
# 4.8 s (measured from outside the proxy) and the 1 s timeout failed about one run in three;
# a read in flight then waits for detection and then for a new connection.
REPLICA_HANG_CONNECT_S = PROBE_TIMEOUT_S


def replica_hang(name):
    engine = Engine(name)
    engine.prepare()
    proxy = engine.start_proxy(connect_timeout_ms=int(REPLICA_HANG_CONNECT_S * 1000))
    replica_port = pgf.server(engine.shard, "replica")["port"]
    try:
        load = engine.load(proxy, HANG_S + 6)
        with Clients(engine, proxy, 8) as readers:
            time.sleep(1.5)
            before = {e[2] for e in readers.entries()}
            with Hung(engine.shard, "replica") as hung:
                time.sleep(HANG_S)
            back_after = None
            deadline = hung.continued_at + 10
            while time.monotonic() < deadline and back_after is None:
                served = [e[0] for e in readers.entries(since=hung.continued_at)
                          if e[2] == replica_port]
                if served:
                    back_after = min(served) - hung.continued_at
                time.sleep(0.05)
        statements, failures = engine.load_result(load)
        log = readers.entries()
        errors = [e for e in log if e[3] is not None]
        during = [e for e in log if e[0] >= hung.stopped_at and e[0] - e[1] <= hung.continued_at]
        slowest = max(e[1] for e in during)
        moved = [e[0] - hung.stopped_at for e in during if e[2] != replica_port]
        counters = pgf.status(proxy)["counters"]
        prefix = "pg" if engine.pg else "mysql"
        connect_s = REPLICA_HANG_CONNECT_S if engine.pg else 1.0
        print(f"  {name}_replica_hang: replica stopped {HANG_S:.1f} s; {len(log)} reads, "
              f"{len(errors)} client errors; slowest read during the hang {slowest * 1000:.0f} "
              f"ms (bound {(DETECTION_S + connect_s + SLACK_S) * 1000:.0f}); retried reads "
              f"{counters.get(prefix + '.read_retries')}, backends cut "
              f"{counters.get(prefix + '.backends_cut')}; "
              f"{'pgbench' if engine.pg else 'sysbench'}: {statements} statements, "
              f"{failures} failed; replica read again "
              f"{'never' if back_after is None else f'{back_after * 1000:.0f} ms'} after SIGCONT")
        assert replica_port in before, f"the replica served no reads before the hang: {before}"
        assert not errors, errors[:5]
        assert failures == 0, f"{failures} failed statements in the load run"
        assert slowest <= DETECTION_S + connect_s + SLACK_S, f"a read waited {slowest:.1f} s"
        assert moved, "no read was answered elsewhere during the hang"
        assert back_after is not None, "the continued replica got no reads within 10 s"
    finally:
        proxy.stop()
    if not engine.pg:
        myf.sysbench(pgf.server("my0", "primary")["port"], "cleanup")


def outcomes(readers, writers):
    """What the clients saw: reads, writes, failed reads, refused writes, the number of
    acknowledged writes and of refused ones whose outcome was reported unknown."""
    reads, writes = readers.entries(), writers.entries()
    refused = [e for e in writes if e[3] is not None]
    return (reads, writes, [e for e in reads if e[3] is not None], refused,
            sum(1 for e in writes if e[3] is None),
            sum(1 for e in refused if "outcome is unknown" in e[3]))


def primary_hang(name):
    engine = Engine(name)
    engine.prepare()
    start_value = engine.primary_value()
    proxy = engine.start_proxy()
    bound = DETECTION_S + 1.0 + SLACK_S  # + connect_timeout_ms for a new connection
    try:
        with Clients(engine, proxy, 4) as readers, Clients(engine, proxy, 2, True) as writers:
            time.sleep(1.5)
            with Hung(engine.shard, "primary") as hung:
                time.sleep(HANG_S)
            resumed_after = None
            deadline = hung.continued_at + 15
            while time.monotonic() < deadline and resumed_after is None:
                applied = [e[0] for e in writers.entries(since=hung.continued_at)
                           if e[3] is None and e[0] - e[1] >= hung.continued_at]
                if applied:
                    resumed_after = min(applied) - hung.continued_at
                time.sleep(0.05)
            time.sleep(0.5)
        reads, writes, read_errors, refused, acknowledged, unknown = outcomes(readers, writers)
        during = [e for e in writes
                  if e[0] >= hung.stopped_at and e[0] - e[1] <= hung.continued_at]
        slowest_write = max((e[1] for e in during), default=0.0)
        slowest_read = max(e[1] for e in reads
                           if e[0] >= hung.stopped_at and e[0] - e[1] <= hung.continued_at)
        final = engine.primary_value()
        print(f"  {name}_primary_hang: primary stopped {HANG_S:.1f} s; writes {len(writes)}: "
              f"{acknowledged} acknowledged, {len(refused)} refused ({unknown} with an unknown "
              f"outcome), e.g. {refused[-1][4] if refused else None} "
              f"{refused[-1][3] if refused else None!r}; slowest write during the hang "
              f"{slowest_write * 1000:.0f} ms, slowest read {slowest_read * 1000:.0f} ms "
              f"(bound {bound * 1000:.0f}); {len(reads)} reads, {len(read_errors)} errors; "
              f"writes applied again {'never' if resumed_after is None else f'{resumed_after * 1000:.0f} ms'} "
              f"after SIGCONT; counter {final - start_value} for {acknowledged} acknowledged")
        assert not read_errors, read_errors[:5]
        assert refused, "no write was refused while the primary hung"
        for e in refused:
            assert engine.shard in e[3], e
            if engine.pg:
                assert e[4] and e[4].startswith("08"), e
            else:
                assert e[4] == 2013, e
        assert slowest_write <= bound, f"a write waited {slowest_write:.1f} s"
        assert slowest_read <= bound, f"a read waited {slowest_read:.1f} s"
        assert resumed_after is not None, "writes did not work again within 15 s of SIGCONT"
        assert acknowledged <= final - start_value <= acknowledged + unknown, \
            (start_value, final, acknowledged, unknown)
        # Shutting down while the primary hangs: the monitor's and the resolver's queries are
        # bounded on the client side, so SIGTERM is not held up by the hung server.
        with Clients(engine, proxy, 1, True), Hung(engine.shard, "primary"):
            time.sleep(1.5)
            started = time.monotonic()
            proxy.stop()
            stopped = time.monotonic() - started
        print(f"  {name}_primary_hang: SIGTERM with the primary stopped: exited in "
              f"{stopped * 1000:.0f} ms")
        assert stopped <= 8.0, f"shardgate took {stopped:.1f} s to stop"
    finally:
        proxy.stop()


def replica_network():
    """PostgreSQL replica behind a faulty network (Relay): 100 ms delay, a blackhole for the
    hang duration, healing, then every connection dropped. Readers outside transactions see no
    error throughout; during the blackhole no read waits longer than the detection bound; the
    replica serves reads again after each heal."""
    engine = Engine("pg")
    engine.prepare()
    replica_port = pgf.server("pg0", "replica")["port"]
    relay = Relay(replica_port)
    proxy = pgf.start_proxy(pgf.write_map(pg0_replicas=[f"'127.0.0.1:{relay.port}'"]),
                            f"health_threshold: {THRESHOLD}\n")
    phases = {}

    def back_on_replica(readers, since, within=10):
        deadline = since + within
        while time.monotonic() < deadline:
            served = [e[0] for e in readers.entries(since=since) if e[2] == replica_port]
            if served:
                return round(min(served) - since, 2)
            time.sleep(0.05)
        return None

    try:
        with Clients(engine, proxy, 8) as readers:
            time.sleep(1.5)
            for mode, seconds, delay in (("delay", 3.0, 0.1), ("blackhole", HANG_S, 0.0),
                                         ("forward", 0.0, 0.0), ("drop", 3.0, 0.0)):
                began = time.monotonic()
                relay.set(mode, delay)
                if mode == "forward":
                    phases["back after blackhole"] = back_on_replica(readers, began)
                    continue
                time.sleep(seconds)
                during = [e for e in readers.entries(since=began) if e[0] - e[1] <= began + seconds]
                phases[mode] = (len(during), round(max((e[1] for e in during), default=0.0), 2))
            healed = time.monotonic()
            relay.set("forward")
            phases["back after drop"] = back_on_replica(readers, healed)
        errors = [e for e in readers.entries() if e[3] is not None]
        counters = pgf.status(proxy)["counters"]
        print(f"  replica_network: per phase (reads, slowest s): delay 100 ms {phases['delay']}, "
              f"blackhole {HANG_S:.0f} s {phases['blackhole']}, drop 3 s {phases['drop']}; "
              f"replica back {phases['back after blackhole']} s after the blackhole, "
              f"{phases['back after drop']} s after the drop; client errors {len(errors)}; "
              f"retried reads {counters.get('pg.read_retries')}, cut "
              f"{counters.get('pg.backends_cut')}")
        assert not errors, errors[:5]
        assert phases["blackhole"][1] <= DETECTION_S + SLACK_S, phases
        assert phases["back after blackhole"] is not None, "replica not used after the blackhole"
        assert phases["back after drop"] is not None, "replica not used after the drop"
        assert counters.get("pg.backends_cut", 0) > 0, counters
    finally:
        proxy.stop()
        relay.close()


def primary_network():
    """PostgreSQL primary behind a faulty network (Relay) under 4 readers and 2 writers outside
    transactions: 100 ms delay, a blackhole for the hang duration, healing, every connection
    dropped for 3 s, healing. Reads see no error throughout (the replica is reached directly);
    a write ends within the detection bound plus connect_timeout_ms, applied or refused with an
    error naming the shard (SQLSTATE class 08); writes work again after each heal without
    restarting shardgate; the counter equals the acknowledged increments plus at most one per
    write whose outcome was reported unknown."""
    engine = Engine("pg")
    engine.prepare()
    start_value = engine.primary_value()
    relay = Relay(pgf.server("pg0", "primary")["port"])
    proxy = pgf.start_proxy(pgf.write_map(pg0_primary=f"127.0.0.1:{relay.port}"),
                            f"health_threshold: {THRESHOLD}\n")
    bound = DETECTION_S + 1.0 + SLACK_S
    phases = {}

    def writes_again(writers, since, within=15):
        deadline = since + within
        while time.monotonic() < deadline:
            applied = [e[0] for e in writers.entries(since=since)
                       if e[3] is None and e[0] - e[1] >= since]
            if applied:
                return round(min(applied) - since, 2)
            time.sleep(0.05)
        return None

    try:
        with Clients(engine, proxy, 4) as readers, Clients(engine, proxy, 2, True) as writers:
            time.sleep(1.5)
            for mode, seconds, delay in (("delay", 3.0, 0.1), ("blackhole", HANG_S, 0.0),
                                         ("forward", 0.0, 0.0), ("drop", 3.0, 0.0),
                                         ("forward", 0.0, 0.0)):
                began = time.monotonic()
                relay.set(mode, delay)
                if mode == "forward":
                    phases[f"writes back after {last}"] = writes_again(writers, began)
                    continue
                last = mode
                time.sleep(seconds)
                writes = [e for e in writers.entries(since=began)
                          if e[0] - e[1] <= began + seconds]
                phases[mode] = (len(writes), sum(1 for e in writes if e[3] is not None),
                                round(max((e[1] for e in writes), default=0.0), 2))
            time.sleep(0.5)
        reads, writes, read_errors, refused, acknowledged, unknown = outcomes(readers, writers)
        slowest_write = max(e[1] for e in writes)
        slowest_read = max(e[1] for e in reads)
        final = engine.primary_value()
        print(f"  primary_network: per phase (writes, refused, slowest s): delay 100 ms "
              f"{phases['delay']}, blackhole {HANG_S:.0f} s {phases['blackhole']}, drop 3 s "
              f"{phases['drop']}; writes applied again {phases['writes back after blackhole']} s "
              f"after the blackhole, {phases['writes back after drop']} s after the drop; "
              f"{len(reads)} reads, {len(read_errors)} errors, slowest {slowest_read:.2f} s; "
              f"writes {len(writes)}: {acknowledged} acknowledged, {len(refused)} refused "
              f"({unknown} with an unknown outcome), e.g. "
              f"{refused[-1][4] if refused else None} {refused[-1][3] if refused else None!r}; "
              f"counter {final - start_value} for {acknowledged} acknowledged")
        assert not read_errors, read_errors[:5]
        assert phases["delay"][1] == 0, ("a write failed under a 100 ms delay", phases)
        assert phases["blackhole"][1] > 0 and phases["drop"][1] > 0, phases
        for e in refused:
            assert "pg0" in e[3], e
            assert e[4] and e[4].startswith("08"), e
        assert slowest_write <= bound, f"a write waited {slowest_write:.1f} s"
        assert slowest_read <= bound, f"a read waited {slowest_read:.1f} s"
        assert phases["writes back after blackhole"] is not None, phases
        assert phases["writes back after drop"] is not None, phases
        assert acknowledged <= final - start_value <= acknowledged + unknown, \
            (start_value, final, acknowledged, unknown)
    finally:
        proxy.stop()
        relay.close()


CASES = {
    "replica_hang": lambda: replica_hang("pg"),
    "primary_hang": lambda: primary_hang("pg"),
    "my_replica_hang": lambda: replica_hang("my"),
    "my_primary_hang": lambda: primary_hang("my"),
    "replica_network": replica_network,
    "primary_network": primary_network,
}
