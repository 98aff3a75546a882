"""A replica whose disk fills up while it serves reads, both engines (cases of
failover_test.py). The test builds one more replica of shard pg0 / my0 whose data directory
lies on a tmpfs of its own, serves reads from it through shardgate, then shrinks the tmpfs to
what it already holds: the replica's next write fails with ENOSPC, as on a full disk.

- PostgreSQL (`replica_disk_full`): the WAL receiver cannot create its next segment (the
  primary switches segments), so replay stops at the end of the current one; the server keeps
  answering reads with ever older data.
- MariaDB (`my_replica_disk_full`): the I/O thread cannot write the relay log and waits for
  space; the server keeps answering reads with ever older data.

Expected: readers outside transactions see no error and no value older than the lag bound
(max_replica_lag_ms plus one heartbeat interval): reads move to the primary while the replica
falls behind; after the tmpfs grows again (space freed), the replica catches up by itself and
serves reads again, without restarting shardgate. The case reports the reads per server in
each phase and how long the replica took to serve again. mount needs root (CAP_SYS_ADMIN), as
the test command runs."""
import json
import os
import shutil
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
import mysql_cases as myf  # noqa: E402
from harness import free_port  # noqa: E402

PG_BIN = "/usr/lib/postgresql/15/bin"
BOUND_MS = 500
ROOMY = "4g"  # the tmpfs before it fills and after space is freed (memory is used as written)
# What a run leaves if it is killed before its cleanup (the test's time limit): the mount and
# the servers' PIDs, removed by the next run.
LEFTOVERS = os.path.join(tempfile.gettempdir(), "sg_disk_full_leftovers.json")


def remember(**fields):
    state = {}
    if os.path.exists(LEFTOVERS):
        with open(LEFTOVERS) as f:
            state = json.load(f)
    state.update(fields)
    with open(LEFTOVERS, "w") as f:
        json.dump(state, f)


def clean_leftovers():
    """Stops the servers and unmounts the tmpfs an earlier, killed run left (by its PIDs,
    checked to be servers of this test: their command lines name its directories)."""
    if not os.path.exists(LEFTOVERS):
        return
    with open(LEFTOVERS) as f:
        state = json.load(f)
    mount = state.get("mount")
    for pid in state.get("pids", []):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().decode(errors="replace")
            if "sg_disk_full_" in cmdline:  # a server of this test: its files are ours
                os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError):
            pass
    if mount:
        for _ in range(50):
            if subprocess.run(["umount", mount], capture_output=True).returncode == 0 or \
                    not os.path.ismount(mount):
                break
            time.sleep(0.2)
        shutil.rmtree(mount, ignore_errors=True)
    os.remove(LEFTOVERS)


class Tmpfs:
    """A tmpfs mounted on a fresh directory; `fill()` shrinks it to what it holds, `free()`
    makes it roomy again. Unmounted (and the directory removed) on exit."""

    def __init__(self, owner):
        self.path = tempfile.mkdtemp(prefix="sg_disk_full_")
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={ROOMY},mode=0755", "tmpfs",
                        self.path], check=True, capture_output=True, text=True)
        remember(mount=self.path, pids=[])
        shutil.chown(self.path, owner, owner)

    def available(self):
        stat = os.statvfs(self.path)
        return stat.f_bavail * stat.f_frsize

    def fill(self):
        # The servers write meanwhile: a size under what is used by then is refused; again.
        for _ in range(50):
            stat = os.statvfs(self.path)
            used = (stat.f_blocks - stat.f_bfree) * stat.f_frsize
            remount = subprocess.run(["mount", "-o", f"remount,size={used}", self.path],
                                     capture_output=True, text=True)
            if remount.returncode == 0:
                return
            time.sleep(0.01)
        raise AssertionError(f"could not shrink the tmpfs: {remount.stderr}")

    def free(self):
        subprocess.run(["mount", "-o", f"remount,size={ROOMY}", self.path], check=True,
                       capture_output=True, text=True)

    def close(self):
        subprocess.run(["umount", self.path], capture_output=True)
        if not os.path.ismount(self.path):
            shutil.rmtree(self.path, ignore_errors=True)
            if os.path.exists(LEFTOVERS):
                os.remove(LEFTOVERS)


class PgReplica:
    """A streaming replica of pg0 on the tmpfs (pg_basebackup; no replication slot: the
    primary's wal_keep_size covers the few seconds it falls behind, and a replica left behind
    by a killed run holds back nothing on the primary)."""

    def __init__(self, disk):
        self.primary = pgf.server("pg0", "primary")
        self.port = free_port()
        self.datadir = os.path.join(disk.path, "data")
        self.logfile = os.path.join(tempfile.mkdtemp(prefix="sg_disk_full_log_"), "pg.log")
        shutil.chown(os.path.dirname(self.logfile), "postgres", "postgres")
        self.disk = disk

    def start(self):
        subprocess.run(["runuser", "-u", "postgres", "--", os.path.join(PG_BIN, "pg_basebackup"),
                        "-h", "127.0.0.1", "-p", str(self.primary["port"]), "-U", "repl",
                        "-D", self.datadir, "-R", "-X", "stream",
                        "--checkpoint=fast", "--no-sync"],
                       env=dict(os.environ, PGPASSWORD="repl"), check=True,
                       capture_output=True, text=True, timeout=300)
        options = (f"-p {self.port} -k {self.disk.path} -c listen_addresses=127.0.0.1 "
                   "-c wal_retrieve_retry_interval=500ms")
        subprocess.run(["runuser", "-u", "postgres", "--", os.path.join(PG_BIN, "pg_ctl"),
                        "-D", self.datadir, "-l", self.logfile, "-o", options, "-w", "-t", "60",
                        "start"], check=True, capture_output=True, text=True, timeout=90)
        with open(os.path.join(self.datadir, "postmaster.pid")) as f:
            remember(pids=[int(f.readline())])

    def conn(self):
        return pgf.admin_conn(self.port)

    def log(self):
        with open(self.logfile, errors="replace") as f:
            return f.read()

    def behind(self):
        """Bytes of WAL the primary wrote that this replica has not replayed."""
        primary, replica = pgf.admin_conn(self.primary["port"]), self.conn()
        with primary.cursor() as cur:
            cur.execute("SELECT pg_current_wal_lsn()")
            target = cur.fetchone()[0]
        with replica.cursor() as cur:
            cur.execute("SELECT pg_wal_lsn_diff(%s, pg_last_wal_replay_lsn())", (target,))
            behind = int(cur.fetchone()[0])
        primary.close()
        replica.close()
        return behind

    def provoke(self):
        """The primary starts a new WAL segment, which the replica must create to go on."""
        conn = pgf.admin_conn(self.primary["port"])
        with conn.cursor() as cur:
            cur.execute("SELECT pg_switch_wal()")
        conn.close()

    def blocked_status_queries(self):
        """The WAL receiver's state is read from a view that does not wait on it."""
        return 0

    def stop(self):
        pid_file = os.path.join(self.datadir, "postmaster.pid")
        if os.path.exists(pid_file):
            subprocess.run(["runuser", "-u", "postgres", "--", os.path.join(PG_BIN, "pg_ctl"),
                            "-D", self.datadir, "-m", "immediate", "-w", "-t", "30", "stop"],
                           capture_output=True, timeout=60)
        shutil.rmtree(os.path.dirname(self.logfile), ignore_errors=True)


class MyReplica:
    """A GTID replica of my0 on the tmpfs, seeded from a consistent dump of the database the
    case reads (`social`); replication filtered to the two tables it needs: the counter and
    the monitor's heartbeat table."""

    def __init__(self, disk):
        self.primary = myf.server("my0", "primary")
        self.port = free_port()
        self.dir = disk.path
        self.datadir = os.path.join(disk.path, "data")
        self.socket = os.path.join(disk.path, "mariadb.sock")
        logdir = tempfile.mkdtemp(prefix="sg_disk_full_log_")
        shutil.chown(logdir, "mysql", "mysql")
        self.logfile = os.path.join(logdir, "mariadb.err")
        self.cnf = os.path.join(logdir, "my.cnf")
        with open(self.cnf, "w") as f:
            f.write("[mariadbd]\n"
                    f"datadir = {self.datadir}\nport = {self.port}\nbind-address = 127.0.0.1\n"
                    f"socket = {self.socket}\npid-file = {disk.path}/mariadb.pid\n"
                    f"log-error = {self.logfile}\ntmpdir = {disk.path}\n"
                    f"server-id = {900 + self.port % 100}\nread_only = 1\n"
                    "relay-log = relay-bin\nskip-log-bin\n"
                    "replicate_do_table = social.shardgate_heartbeat\n"
                    "replicate_do_table = social.sg_failover_counter\n"
                    "innodb_buffer_pool_size = 32M\ninnodb_log_file_size = 16M\n"
                    "innodb_flush_method = fsync\nperformance_schema = OFF\n"
                    "skip-name-resolve\nmax_connections = 100\n")
        self.process = None

    def start(self):
        subprocess.run(["mariadb-install-db", f"--defaults-file={self.cnf}", "--user=mysql",
                        "--skip-test-db", "--auth-root-authentication-method=socket"],
                       check=True, capture_output=True, text=True, timeout=180)
        self.process = subprocess.Popen(["mariadbd", f"--defaults-file={self.cnf}",
                                         "--user=mysql"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                                        start_new_session=True)
        remember(pids=[self.process.pid])
        deadline = time.time() + 60
        while subprocess.run(["mariadb-admin", "--no-defaults", "-S", self.socket, "-u", "root",
                              "--connect-timeout=2", "ping"], capture_output=True).returncode:
            assert time.time() < deadline and self.process.poll() is None, self.log()
            time.sleep(0.2)
        self.sql("CREATE USER app@'%' IDENTIFIED BY 'app';"
                 "GRANT ALL ON *.* TO app@'%'; REVOKE READ_ONLY ADMIN, SUPER ON *.* FROM app@'%';"
                 "CREATE USER admin@'%' IDENTIFIED BY 'admin';"
                 "GRANT ALL ON *.* TO admin@'%' WITH GRANT OPTION;")
        dump = subprocess.run(["mariadb-dump", "--no-defaults", "-h", "127.0.0.1", "-P",
                               str(self.primary["port"]), "-u", "admin", "-padmin",
                               "--single-transaction", "--gtid", "--master-data=1",
                               "--databases", "social"],
                              check=True, capture_output=True, timeout=300).stdout
        self.sql(dump)  # bytes: the dump may hold binary column values
        self.sql(f"CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT={self.primary['port']}, "
                 "MASTER_USER='repl', MASTER_PASSWORD='repl', MASTER_USE_GTID=slave_pos, "
                 "MASTER_CONNECT_RETRY=1; START SLAVE;")

    def sql(self, statements):
        if isinstance(statements, str):
            statements = statements.encode()
        out = subprocess.run(["mariadb", "--no-defaults", "-S", self.socket, "-u", "root", "-N",
                              "-B", "--connect-timeout=5"], input=statements,
                             capture_output=True, timeout=300)
        assert out.returncode == 0, out.stderr.decode(errors="replace")
        return out.stdout.decode(errors="replace").strip()

    def log(self):
        try:
            with open(self.logfile, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def behind(self):
        """Transactions in the primary's binary log this replica has not applied: the primary's
        @@gtid_binlog_pos against the replica's @@gtid_slave_pos, summed over domains."""
        conn = myf.admin_conn(self.primary["port"])
        with conn.cursor() as cur:
            cur.execute("SELECT @@gtid_binlog_pos")
            primary = gtid_seqs(cur.fetchone()[0])
        conn.close()
        replica = gtid_seqs(self.sql("SELECT @@gtid_slave_pos"))
        return sum(max(0, seq - replica.get(domain, 0)) for domain, seq in primary.items())

    def blocked_status_queries(self):
        """Server threads waiting in SHOW SLAVE STATUS (the monitor's, given up on by it)."""
        return int(self.sql("SELECT count(*) FROM information_schema.PROCESSLIST "
                            "WHERE INFO LIKE 'SHOW SLAVE STATUS%'"))

    def provoke(self):
        """Nothing to do: every replicated event appends to the relay log."""

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        shutil.rmtree(os.path.dirname(self.logfile), ignore_errors=True)


def gtid_seqs(position):
    """{domain: sequence number} of a MariaDB GTID position ("0-100-42,1-100-7")."""
    seqs = {}
    for gtid in filter(None, position.split(",")):
        domain, _, seq = gtid.strip().split("-")
        seqs[int(domain)] = int(seq)
    return seqs


class Engine:
    """What differs between the PostgreSQL and the MySQL case."""

    def __init__(self, name):
        self.pg = name == "pg"
        self.shard = "pg0" if self.pg else "my0"
        self.errors = psycopg2.Error if self.pg else pymysql.Error
        self.sql = ("SELECT v, inet_server_port() FROM sg_failover_counter WHERE id = 1"
                    if self.pg else "SELECT v, @@port FROM sg_failover_counter WHERE id = 1")

    def prepare(self):
        (pgf if self.pg else myf).prepare_counter()

    def replica(self, disk):
        return PgReplica(disk) if self.pg else MyReplica(disk)

    def proxy(self, replica_port):
        routing = f", max_replica_lag_ms: {BOUND_MS}"
        replicas = [f"'127.0.0.1:{replica_port}'"]
        if self.pg:
            return pgf.start_proxy(pgf.write_map(routing, replicas))
        return myf.MyProxy(myf.write_my_map(routing, replicas))

    def writer(self):
        return pgf.Writer() if self.pg else myf.Writer()

    def connect(self, proxy):
        conn = proxy.connect()
        if self.pg:
            conn.autocommit = True
        return conn


class Readers(pgf.LoopThreads):
    """Threads reading the counter through the proxy outside transactions: every read's time,
    value, answering port and error."""

    def __init__(self, engine, proxy, n):
        super().__init__(n)
        self.engine, self.proxy = engine, proxy
        self.lock = threading.Lock()
        self.log = []  # (read_at, value, port, error)

    def loop(self):
        conn = self.engine.connect(self.proxy)
        cur = conn.cursor()
        while not self.stop_flag.is_set():
            value = port = error = None
            try:
                cur.execute(self.engine.sql)
                value, port = cur.fetchone()
            except self.engine.errors as e:
                error = str(e).strip()
            with self.lock:
                self.log.append((time.monotonic(), value, port, error))
            if error is not None:
                time.sleep(0.05)
                if self.engine.pg and conn.closed:
                    conn = self.engine.connect(self.proxy)
                    cur = conn.cursor()
            else:
                time.sleep(0.005)
        conn.close()

    def since(self, began, until=None):
        with self.lock:
            return [e for e in self.log if e[0] >= began and (until is None or e[0] <= until)]


def per_port(reads):
    ports = {}
    for e in reads:
        ports[e[2]] = ports.get(e[2], 0) + 1
    return ports


class ReplicaStates:
    """What the proxy's admin /status said of the replica, sample by sample: its health
    states, whether replication was seen stopped, whether its status query was seen stalled
    (MariaDB), the largest heartbeat lag."""

    def __init__(self, proxy, shard, port):
        self.proxy, self.shard, self.endpoint = proxy, shard, f"127.0.0.1:{port}"
        self.health, self.stopped, self.stalled, self.lag = set(), False, False, 0

    def sample(self):
        b = pgf.backend(pgf.status(self.proxy), self.shard, "replica", self.endpoint)
        self.health.add(b["health"])
        self.stopped = self.stopped or b["replication_stopped"]
        self.stalled = self.stalled or b["engine_view"]["status_stalled_s"] is not None
        self.lag = max(self.lag, b["heartbeat_lag_ms"] or 0)

    def __str__(self):
        return (f"health {sorted(self.health)}, replication stopped {self.stopped}, status "
                f"query stalled {self.stalled}, heartbeat lag up to {self.lag} ms")


def replica_disk_full(name):
    engine = Engine(name)
    engine.prepare()
    clean_leftovers()
    disk = replica = proxy = writer = None
    try:
        disk = Tmpfs("postgres" if engine.pg else "mysql")
        replica = engine.replica(disk)
        replica.start()
        primary_port = pgf.server(engine.shard, "primary")["port"]
        deadline = time.time() + 60
        while replica.behind() > 0:
            assert time.time() < deadline, "the new replica did not catch up within 60 s"
            time.sleep(0.1)
        proxy = engine.proxy(replica.port)
        writer = engine.writer()
        writer.start()
        with Readers(engine, proxy, 4) as readers:
            time.sleep(2.0)
            began = time.monotonic()
            fresh = per_port(readers.since(began - 1.5))
            disk.fill()
            filled_at = time.monotonic()
            replica.provoke()
            # Full until the replica has stopped following and reads left it for a while.
            deadline = filled_at + 30
            while time.monotonic() < deadline:
                moved = per_port(readers.since(filled_at)).get(primary_port, 0)
                if moved >= 50 and replica.behind() > 0:
                    break
                time.sleep(0.2)
            seen = ReplicaStates(proxy, engine.shard, replica.port)
            sampled_until = time.monotonic() + 2.0
            while time.monotonic() < sampled_until:
                seen.sample()
                time.sleep(0.1)
            full_reads = readers.since(filled_at)
            full = per_port(full_reads)
            behind_when_full = replica.behind()
            available_when_full = disk.available()
            disk.free()
            freed_at = time.monotonic()
            back_after = caught_up_after = None
            blocked = replica.blocked_status_queries()
            deadline = freed_at + 100
            while time.monotonic() < deadline and back_after is None:
                if caught_up_after is None and replica.behind() == 0:
                    caught_up_after = time.monotonic() - freed_at
                served = [e[0] for e in readers.since(freed_at) if e[2] == replica.port]
                if served:
                    back_after = min(served) - freed_at
                blocked = max(blocked, replica.blocked_status_queries())
                if back_after is None:
                    seen.sample()
                time.sleep(0.2)
        writer.stop_flag.set()
        writer.join()
        log = readers.since(0)
        errors = [e for e in log if e[3] is not None]
        worst = max((pgf.staleness_ms(writer, e[1], e[0]) for e in log if e[3] is None),
                    default=0.0)
        limit = BOUND_MS + pgf.HEARTBEAT_MS
        counters = pgf.status(proxy)["counters"]
        prefix = "pg" if engine.pg else "mysql"
        enospc = "No space left on device" in replica.log()
        print(f"  {name}_replica_disk_full: reads per port (replica {replica.port}, primary "
              f"{primary_port}): before {fresh}, disk full {full} (replica behind: "
              f"{behind_when_full} {'bytes of WAL' if engine.pg else 'transactions'}, "
              f"{available_when_full} bytes free, ENOSPC in its log: "
              f"{enospc}; seen by the proxy: {seen}); {len(log)} reads, {len(errors)} errors, oldest value "
              f"{worst:.0f} ms (limit {limit}); after space was freed the replica caught up in "
              f"{'never' if caught_up_after is None else f'{caught_up_after:.1f} s'} and served "
              f"reads again after {'never' if back_after is None else f'{back_after:.1f} s'}; "
              f"retried reads {counters.get(prefix + '.read_retries')}; server threads "
              f"waiting in SHOW SLAVE STATUS at most {blocked}")
        assert writer.error is None, writer.error
        assert fresh.get(replica.port, 0) > 0, f"the replica served no reads before: {fresh}"
        assert available_when_full == 0 and enospc, \
            (available_when_full, replica.log()[-2000:])
        assert behind_when_full > 0, "the replica still followed its primary with a full disk"
        assert full.get(primary_port, 0) > 0, f"reads stayed on the full replica: {full}"
        assert not errors, errors[:5]
        assert worst <= limit, f"a read saw a value {worst:.0f} ms old (limit {limit})"
        assert back_after is not None, "the replica served no reads within 100 s of freeing space"
        # The monitor asks for the replication status again only when its earlier, stalled
        # request has ended: at most one waits per proxy (before: one more every round).
        assert blocked <= 1, f"{blocked} monitor queries wait in SHOW SLAVE STATUS"
        if not engine.pg:
            assert seen.stopped and seen.stalled, f"the proxy did not see replication stall: {seen}"
    finally:
        # Each step even when one before it failed; the first failure is raised after all.
        failures = []
        for step in (writer and writer.stop_flag.set, proxy and proxy.stop,
                     replica and replica.stop, disk and disk.close):
            try:
                if step:
                    step()
            except Exception as e:  # noqa: BLE001 (reported below)
                failures.append(e)
        if failures:
            raise failures[0]


CASES = {
    "replica_disk_full": lambda: replica_disk_full("pg"),
    "my_replica_disk_full": lambda: replica_disk_full("my"),
}
