"""End-to-end tests of shardgate with unmodified Java drivers (PgJDBC, MariaDB Connector/J).
Each case starts its own shardgate on free ports, runs a Java check program (single source
file, PgJdbcCheck.java / MariaDbJdbcCheck.java) against it, then verifies on every backend
directly that each row landed on exactly the shard `shardctl locate` names and nowhere else.

Cases `pg_jdbc` / `mariadb_jdbc` run the programs' basic check (inserts, reads, transactions,
errors, batches). The other cases run one named case of a program, which reports every row it
wrote (`ROW` lines: table, key, present or not, name) and every failure (`FAIL` lines):
  *_placement      every spelling of the table and the key column, prepared and text
  *_transactions   transactions (setAutoCommit(false), setReadOnly, ...) only on primaries
  *_read_your_writes[_proxy]  a write read back under 2 s of replica lag, on the same
                   connection (default map: causal) and on another one (demo map: proxy)
  mariadb_jdbc_escapes        Connector/J's client-side interpolation (backslash escapes)
The helpers below are shared with python_drivers_test.py (psycopg2, pymysql).
Usage: jdbc_test.py [case ...]"""
import contextlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def load_harness(folder):
    """The test harness of one frontend (tests/integration/<folder>/harness.py)."""
    spec = importlib.util.spec_from_file_location(f"{folder}_harness",
                                                  os.path.join(HERE, "..", folder, "harness.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pg = load_harness("proxy_pg")
my = load_harness("proxy_mysql")
PG_JDBC = "/usr/share/java/postgresql.jar"
MARIADB_JDBC = "/usr/share/java/mariadb-java-client.jar"
TOPOLOGY_SCRIPT = os.path.join(pg.SOURCE_DIR, "scripts", "topology")
# Compatible with the demo schema (scripts/demo.d/schema-shop.sql) and the other tests' DDL.
CUSTOMERS_DDL = ("CREATE TABLE IF NOT EXISTS customers (id bigint PRIMARY KEY, name text NOT NULL, "
                 "email text, created_at timestamptz NOT NULL DEFAULT now())")
# As in the demo schema (scripts/demo.d/schema-social.sql): other tests expect its columns.
USERS_DDL = ("CREATE TABLE IF NOT EXISTS users (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, "
             "email VARCHAR(200) NULL, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)")
KEYS = [5000001, 5000002, 5000003, 5000004, 5000005, 5000006, 5000007, 5000008]
# The demo map sets `read_your_writes: proxy`; the session-level default (causal) is tested
# with a copy of it without that line (as tests/integration/drivers_node/node_test.py does).
DEMO_RYW_LINE = "read_routing: {read_your_writes: proxy}"
LAG_SECONDS = 2
RYW_DURATION_MS = 4000


# --- the basic checks ------------------------------------------------------------------------

def run_check(jar, program, port, shards):
    """Runs a Java check program (single source file) against shardgate on `port`."""
    args = [f"{key}:{shard}" for key, shard in shards.items()]
    result = subprocess.run(["java", "-cp", jar, os.path.join(HERE, program), str(port)] + args,
                            capture_output=True, text=True, timeout=120)
    sys.stdout.write(result.stdout)
    assert result.returncode == 0, f"{program} failed:\n{result.stdout}{result.stderr}"


def check_placement(shards, primaries, count_rows):
    """Each key has one row on the shard `shardctl locate` names and none elsewhere."""
    for key, expected in shards.items():
        for shard, port in primaries.items():
            count = count_rows(port, key)
            want = 1 if shard == expected else 0
            assert count == want, f"key {key}: {count} rows on {shard}, expected on {expected}"


def pg_jdbc():
    for port in pg.PRIMARIES.values():
        with pg.direct(port) as conn, conn.cursor() as cur:
            cur.execute(CUSTOMERS_DDL)
            cur.execute("DELETE FROM customers WHERE id = ANY(%s)", (KEYS,))
    shards = {key: pg.locate("customers", key)["shard"] for key in KEYS}
    assert len(set(shards.values())) == 2, f"test keys must span both shards: {shards}"
    with pg.Proxy() as proxy:
        run_check(PG_JDBC, "PgJdbcCheck.java", proxy.port, shards)

    def count_rows(port, key):
        with pg.direct(port) as conn, conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM customers WHERE id = %s", (key,))
            return cur.fetchone()[0]

    check_placement(shards, pg.PRIMARIES, count_rows)


def mariadb_jdbc():
    for port in my.PRIMARIES.values():
        conn = my.direct(port)
        with conn.cursor() as cur:
            cur.execute(USERS_DDL)
            cur.execute("DELETE FROM users WHERE id IN (%s)" % ",".join(map(str, KEYS)))
        conn.close()
    shards = {key: my.locate("users", key)["shard"] for key in KEYS}
    assert len(set(shards.values())) == 2, f"test keys must span both shards: {shards}"
    with my.Proxy() as proxy:
        run_check(MARIADB_JDBC, "MariaDbJdbcCheck.java", proxy.port, shards)

    def count_rows(port, key):
        conn = my.direct(port)
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM users WHERE id = %s", (key,))
            count = cur.fetchone()[0]
        conn.close()
        return count

    check_placement(shards, my.PRIMARIES, count_rows)


# --- shared helpers (also used by python_drivers_test.py) ------------------------------------

class Report:
    """What a driver program saw: failures and the rows it wrote (what, table, key, name,
    present), checked afterwards on every primary directly."""

    def __init__(self, pools):
        self.pools = pools
        self.next = {shard: 0 for shard in pools}
        self.failures = []
        self.rows = []
        self.info = {}

    def shards(self):
        return sorted(self.pools)

    def take(self, shard):
        """The next unused test key owned by `shard` (as `shardctl locate` says)."""
        keys = self.pools[shard]
        if self.next[shard] >= len(keys):
            raise RuntimeError(f"out of test keys for {shard}")
        self.next[shard] += 1
        return keys[self.next[shard] - 1]

    def fail(self, what, detail):
        line = f"{what}: {detail}"
        self.failures.append(line)
        print(f"FAIL {line}", flush=True)

    def ok(self, what):
        print(f"ok   {what}", flush=True)

    def row(self, what, table, key, name, present):
        self.rows.append(dict(what=what, table=table, key=key, name=name, present=present))


def pick_keys(locate, table, start, per_shard, shards):
    """`per_shard` keys for each shard (as `shardctl locate` places them), from `start` on."""
    pools = {shard: [] for shard in shards}
    key = start
    while any(len(v) < per_shard for v in pools.values()):
        shard = locate(table, key)["shard"]
        assert shard in pools, f"{table} {key} located on unknown shard {shard}"
        if len(pools[shard]) < per_shard:
            pools[shard].append(key)
        key += 1
        assert key < start + 100 * per_shard * len(shards), "keys do not spread over the shards"
    return pools


def all_keys(pools):
    return sorted(k for v in pools.values() for k in v)


def pg_clean(keys):
    """Creates customers where missing and deletes the test keys on every primary."""
    for port in pg.PRIMARIES.values():
        with pg.direct(port) as conn, conn.cursor() as cur:
            cur.execute(CUSTOMERS_DDL)
            cur.execute("DELETE FROM customers WHERE id = ANY(%s)", (list(keys),))


def pg_rows(port, table, keys):
    """{key: [name, ...]} of `table` rows with one of `keys`, on one server."""
    out = {}
    with pg.direct(port) as conn, conn.cursor() as cur:
        cur.execute(f"SELECT id, name FROM {table} WHERE id = ANY(%s) ORDER BY name",
                    (list(keys),))
        for key, name in cur.fetchall():
            out.setdefault(key, []).append(name)
    return out


def my_direct(port, admin=False):
    if admin:
        return my.direct(port, user="admin", password="admin")
    return my.direct(port)


def my_rows(port, table, keys, admin=False):
    out = {}
    with my_direct(port, admin) as conn, conn.cursor() as cur:
        cur.execute(f"SELECT id, name FROM {table} WHERE id IN ("
                    + ",".join(str(int(k)) for k in keys) + ") ORDER BY name")
        for key, name in cur.fetchall():
            out.setdefault(key, []).append(name)
    return out


def my_wait_replicas(timeout=20):
    """Waits until every replica has applied everything its primary has logged."""
    for shard, port in my.PRIMARIES.items():
        with my_direct(port, admin=True) as conn, conn.cursor() as cur:
            cur.execute("SELECT @@gtid_binlog_pos")
            pos = cur.fetchone()[0]
        with my_direct(my.REPLICAS[shard], admin=True) as conn, conn.cursor() as cur:
            cur.execute("SELECT MASTER_GTID_WAIT(%s, %s)", (pos, timeout))
            if cur.fetchone()[0] != 0:
                cur.execute("SHOW SLAVE STATUS")
                status = dict(zip([d[0] for d in cur.description], cur.fetchone() or ()))
                raise AssertionError(
                    f"replica of {shard} did not reach {pos} in {timeout}s: "
                    f"Slave_SQL_Running={status.get('Slave_SQL_Running')} "
                    f"Last_SQL_Error={status.get('Last_SQL_Error')!r}")


def my_clean(keys):
    """Creates users where missing and deletes the test keys on every primary; rows that a
    replica holds without its primary (a write that reached a writable replica) are deleted
    on the replica itself, unlogged."""
    keys = list(keys)
    for port in my.PRIMARIES.values():
        with my_direct(port) as conn, conn.cursor() as cur:
            cur.execute(USERS_DDL)
            cur.execute("DELETE FROM users WHERE id IN (" + ",".join(map(str, keys)) + ")")
    my_wait_replicas()
    for shard, port in my.REPLICAS.items():
        stray = my_rows(port, "users", keys, admin=True)
        if stray:
            with my_direct(port, admin=True) as conn, conn.cursor() as cur:
                cur.execute("SET SESSION sql_log_bin = 0")
                cur.execute("DELETE FROM users WHERE id IN ("
                            + ",".join(map(str, stray)) + ")")
            print(f"  removed stray rows {sorted(stray)} from the replica of {shard}")


def check_rows(rows, primaries, fetch, locate):
    """A present row is on its owner primary exactly once (with its name) and on no other
    primary; an absent one is nowhere; one of unknown presence (None) at most once on its
    owner and nowhere else. Returns the violations."""
    problems = []
    owners = {}
    for table in sorted({row["table"] for row in rows}):
        mine = [row for row in rows if row["table"] == table]
        keys = sorted({row["key"] for row in mine})
        found = {shard: fetch(port, table, keys) for shard, port in primaries.items()}
        for row in mine:
            key = row["key"]
            if (table, key) not in owners:
                owners[(table, key)] = locate(table, key)["shard"]
            owner = owners[(table, key)]
            for shard, port in primaries.items():
                got = found[shard].get(key, [])
                want = [row["name"]] if row["present"] and shard == owner else []
                if row["present"] is None and shard == owner and len(got) <= 1:
                    continue  # unknown (its scenario failed half-way): not elsewhere is enough
                if got != want:
                    problems.append(f"{row['what']}: {table} id={key} on {shard} (primary "
                                    f":{port}) has {got!r}, expected {want!r} (owner {owner})")
    return problems


def my_replica_problems(keys):
    """Once the replicas caught up: each replica's copy of the test keys equals its
    primary's (no row a write put on a replica, none missing)."""
    my_wait_replicas()
    problems = []
    for shard in my.PRIMARIES:
        primary = my_rows(my.PRIMARIES[shard], "users", keys)
        replica = my_rows(my.REPLICAS[shard], "users", keys, admin=True)
        for key in sorted(set(primary) | set(replica)):
            if primary.get(key) != replica.get(key):
                problems.append(f"users id={key}: the replica of {shard} has "
                                f"{replica.get(key)!r}, its primary {primary.get(key)!r}")
    return problems


@contextlib.contextmanager
def writable_replicas(enabled):
    """With `enabled`, the MariaDB replicas accept writes for the block (read_only = 0), so a
    write sent to a replica shows as a row its primary lacks instead of an error."""
    if enabled:
        for port in my.REPLICAS.values():
            with my_direct(port, admin=True) as conn, conn.cursor() as cur:
                cur.execute("SET GLOBAL read_only = 0")
    try:
        yield
    finally:
        if enabled:
            for port in my.REPLICAS.values():
                with my_direct(port, admin=True) as conn, conn.cursor() as cur:
                    cur.execute("SET GLOBAL read_only = 1")


def finish(failures, problems):
    """Fails the case with every driver failure and every placement violation."""
    messages = ["driver: " + f for f in failures] + ["placement: " + p for p in problems]
    assert not messages, f"{len(messages)} failure(s):\n  " + "\n  ".join(messages)


def map_without_proxy_ryw():
    """A copy of the demo map in which read_your_writes is left at its default (causal)."""
    with open(pg.DEMO_MAP) as f:
        text = f.read()
    assert DEMO_RYW_LINE in text, "the demo map no longer sets read_your_writes: proxy"
    path = os.path.join(tempfile.mkdtemp(prefix="sg_map_"), "demo-causal.yaml")
    with open(path, "w") as f:
        f.write("\n".join(line for line in text.splitlines() if DEMO_RYW_LINE not in line))
    return path


def topology_lag_delay(shard, seconds):
    subprocess.run([TOPOLOGY_SCRIPT, "lag", "delay", shard, str(seconds)], check=True,
                   capture_output=True, text=True, timeout=60)


ADMIN_TOKEN = "drivers-test"


class LaggedProxy:
    """A shardgate (harness `h`) with the admin endpoint on, for the read-your-writes cases:
    start_lag() gives every replica a LAG_SECONDS apply delay (always set back to 0 on exit)
    and notes the replicas' read counters, which stats() turns into reads served by replicas
    while the delay was on."""

    def __init__(self, h, shard_map):
        self.h = h
        for shard in h.REPLICAS:  # a run killed by a timeout may have left a delay behind
            topology_lag_delay(shard, 0)
        self.admin = f"127.0.0.1:{h.free_port()}"
        self.proxy = h.Proxy(shard_map=shard_map, extra_config=f"admin_token: {ADMIN_TOKEN}\n",
                             admin_listen=self.admin)
        self.lagged = []
        self.before = None

    def status(self):
        request = urllib.request.Request(f"http://{self.admin}/status",
                                         headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    def replica_reads(self):
        ports = {str(p) for p in self.h.REPLICAS.values()}
        return sum(b.get("reads", 0) for b in self.status()["backends"]
                   if b["role"] == "replica" and b["endpoint"].rsplit(":", 1)[1] in ports)

    def start_lag(self):
        for shard in self.h.REPLICAS:
            self.lagged.append(shard)
            topology_lag_delay(shard, LAG_SECONDS)
        self.before = self.replica_reads()
        print(f"  replica apply delay {LAG_SECONDS} s on {', '.join(self.lagged)}", flush=True)

    def stats(self):
        """Reads the replicas served since start_lag(), and the read-your-writes counters."""
        status = self.status()
        out = {"replica_reads": self.replica_reads() - (self.before or 0)}
        for name, value in sorted(status.get("counters", {}).items()):
            if value and ("ryw" in name or "read_your" in name or "replica_wait" in name
                          or "fallback" in name or "routed" in name):
                out[name] = value
        return out

    def __enter__(self):
        self.proxy.__enter__()
        return self

    def __exit__(self, *exc):
        try:
            for shard in self.h.REPLICAS:
                topology_lag_delay(shard, 0)
        finally:
            self.proxy.__exit__(*exc)


def ryw_summary(report, stats, proxy_mode, proxy_stats):
    """Prints the read-your-writes counters; the lag must have been real (the owner replica
    lacked the row right after the reads in at least one iteration)."""
    print(f"  read-your-writes ({'proxy' if proxy_mode else 'causal'}): {stats} (replica_stale: "
          "iterations where the owner replica still lacked the row after both reads)")
    print(f"  shardgate: {proxy_stats} (replica_reads: since the lag started; counters: "
          "the whole run)")
    if stats.get("iterations", 0) == 0:
        report.fail("read-your-writes", "no iteration ran")
    elif stats.get("replica_stale", 0) == 0:
        report.fail("read-your-writes", "the replicas were never behind: the lag was not "
                    "in effect, the case proves nothing")


# --- the Java cases ----------------------------------------------------------------------------

def run_java(jar, program, case, config, report, timeout=90, on_ready=None):
    """Runs `java PROGRAM CASE key=value...`; its ok/FAIL lines are printed, FAIL lines and
    a non-zero exit become failures, `ROW` lines rows, `INFO k=v` lines report.info. A
    program that prints `READY` waits for a line on stdin: on_ready() runs first (the JVM
    takes seconds to start; the read-your-writes cases start the replica lag only then)."""
    args = [f"{k}={v}" for k, v in config.items()]
    started = time.time()
    process = subprocess.Popen(["java", "-cp", jar, os.path.join(HERE, program), case] + args,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(timeout, process.kill)
    watchdog.start()
    stderr = []
    reader = threading.Thread(target=lambda: stderr.append(process.stderr.read()))
    reader.start()
    try:
        for line in process.stdout:
            line = line.rstrip("\n")
            if line == "READY":
                try:
                    if on_ready:
                        on_ready()
                finally:
                    process.stdin.write("go\n")
                    process.stdin.flush()
            elif line.startswith("ROW\t"):
                _, table, key, present, name, what = line.split("\t", 5)
                report.row(what, table, int(key),
                           None if name == "-" else bytes.fromhex(name).decode("utf-8"),
                           None if present == "?" else present == "1")
            elif line.startswith("INFO "):
                k, _, v = line[5:].partition("=")
                report.info[k] = int(v) if v.lstrip("-").isdigit() else v
            else:
                print(line, flush=True)
                if line.startswith("FAIL "):
                    report.failures.append(line[5:])
        process.wait()
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join()
    if stderr and stderr[0]:
        sys.stdout.write(stderr[0])
    print(f"  java {program} {case}: exit {process.returncode} in {time.time() - started:.2f}s")
    if process.returncode != 0 and not report.failures:
        report.failures.append(f"{program} {case} exited with {process.returncode} (killed "
                               f"after {timeout} s?):\n{stderr[0] if stderr else ''}")


def java_config(proxy, h, pools, **extra):
    config = {"port": proxy.port}
    for shard in pools:
        config[f"primary.{shard}"] = h.PRIMARIES[shard]
        config[f"replica.{shard}"] = h.REPLICAS[shard]
        config[f"keys.{shard}"] = ",".join(map(str, pools[shard]))
    config.update(extra)
    return config


def pg_java_case(case, start, per_shard):
    pools = pick_keys(pg.locate, "customers", start, per_shard, pg.PRIMARIES)
    pg_clean(all_keys(pools))
    report = Report(pools)
    with pg.Proxy() as proxy:
        run_java(PG_JDBC, "PgJdbcCheck.java", case, java_config(proxy, pg, pools), report)
    finish(report.failures, check_rows(report.rows, pg.PRIMARIES, pg_rows, pg.locate))


def my_java_case(case, start, per_shard, writable=False):
    pools = pick_keys(my.locate, "users", start, per_shard, my.PRIMARIES)
    keys = all_keys(pools)
    my_clean(keys)
    report = Report(pools)
    try:
        with writable_replicas(writable), my.Proxy() as proxy:
            run_java(MARIADB_JDBC, "MariaDbJdbcCheck.java", case, java_config(proxy, my, pools),
                     report)
        problems = check_rows(report.rows, my.PRIMARIES, my_rows, my.locate)
        problems += my_replica_problems(keys)
    finally:
        if writable:
            my_clean(keys)
    finish(report.failures, problems)


def java_ryw_case(engine, proxy_mode):
    """A LAG_SECONDS apply delay on every replica of the engine, started once the proxy is up
    and the Java program has connected; the program writes and reads back on the same
    connection (must see it) and on a second one (must see it under the demo map's
    `read_your_writes: proxy`; the causal case runs a copy of the map without that line)."""
    h, table = (pg, "customers") if engine == "pg" else (my, "users")
    start = (5_300_000 if engine == "pg" else 5_700_000) + (50_000 if proxy_mode else 0)
    pools = pick_keys(h.locate, table, start, 40, h.PRIMARIES)
    keys = all_keys(pools)
    pg_clean(keys) if engine == "pg" else my_clean(keys)
    report = Report(pools)
    shard_map = h.DEMO_MAP if proxy_mode else map_without_proxy_ryw()
    with LaggedProxy(h, shard_map) as lagged:
        jar, program = ((PG_JDBC, "PgJdbcCheck.java") if engine == "pg"
                        else (MARIADB_JDBC, "MariaDbJdbcCheck.java"))
        run_java(jar, program, "read_your_writes",
                 java_config(lagged.proxy, h, pools, proxy_mode=str(proxy_mode).lower(),
                             duration_ms=RYW_DURATION_MS),
                 report, on_ready=lagged.start_lag)
        proxy_stats = lagged.stats()
    ryw_summary(report, report.info, proxy_mode, proxy_stats)
    if engine == "pg":
        problems = check_rows(report.rows, pg.PRIMARIES, pg_rows, pg.locate)
    else:
        problems = check_rows(report.rows, my.PRIMARIES, my_rows, my.locate)
        problems += my_replica_problems(keys)
    finish(report.failures, problems)


def main():
    cases = {
        "pg_jdbc": pg_jdbc,
        "mariadb_jdbc": mariadb_jdbc,
        "pg_jdbc_placement": lambda: pg_java_case("placement", 5_100_000, 125),
        "pg_jdbc_transactions": lambda: pg_java_case("transactions", 5_200_000, 14),
        "pg_jdbc_read_your_writes": lambda: java_ryw_case("pg", False),
        "pg_jdbc_read_your_writes_proxy": lambda: java_ryw_case("pg", True),
        "mariadb_jdbc_placement": lambda: my_java_case("placement", 5_500_000, 75),
        "mariadb_jdbc_transactions": lambda: my_java_case("transactions", 5_600_000, 12),
        "mariadb_jdbc_transactions_writable_replica": lambda: my_java_case(
            "transactions", 5_650_000, 12, writable=True),
        "mariadb_jdbc_read_your_writes": lambda: java_ryw_case("my", False),
        "mariadb_jdbc_read_your_writes_proxy": lambda: java_ryw_case("my", True),
        "mariadb_jdbc_escapes": lambda: my_java_case("escapes", 5_800_000, 40),
    }
    # proxy_mysql's run() creates the demo tables where missing, then runs the cases.
    my.run(cases)


if __name__ == "__main__":
    main()
