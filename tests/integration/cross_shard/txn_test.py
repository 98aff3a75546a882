#!/usr/bin/python3
"""Distributed transactions: a transaction that writes on two shards commits on both or on
neither (two-phase commit), through psycopg2 and pymysql, and the resolver (`shardctl txn`, the
proxy's own thread) ends participants left prepared. A bank-transfer workload runs while the
proxy is killed -9 and restarted and while a participant primary is killed once: afterwards no
prepared transaction remains and the balances still add up. Data is checked on the primaries.
`supervised`: shardgate killed -9 five times under both engines' transfers and reads with a
supervisor restarting it; nothing left behind on the servers (prepared transactions, backend
connections, heartbeat rows).
Usage: txn_test.py CASE (drivers, pg_basic, my_basic, resolver, replica_orphan, resolver_live_map,
bank_pg, bank_my, supervised)"""
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import psycopg2
import pymysql

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import scatter_test as st  # noqa: E402  (map with sg_accounts, Proxy, direct connections)

harness = st.harness
TOPOLOGY_FILE = os.environ.get("SHARDGATE_TOPOLOGY",
                               os.path.join(harness.SOURCE_DIR, "build", "topology.json"))
ACCOUNTS = 40
START = 1000
PG_TABLE = "CREATE TABLE sg_accounts (id bigint PRIMARY KEY, balance bigint NOT NULL)"


def topology():
    with open(TOPOLOGY_FILE) as f:
        return json.load(f)


def restart_servers():
    """scripts/topology up until it succeeds: a killed postmaster's children take a moment to
    go, and until then its data directory cannot be started again."""
    deadline = time.time() + 60
    while True:
        try:
            topology_cmd("up")
            return
        except AssertionError:
            if time.time() > deadline:
                raise
            time.sleep(1)


def topology_cmd(*args):
    var = topology()["var"]
    env = dict(os.environ, SHARDGATE_VAR=var,
               SHARDGATE_BUILD=os.path.dirname(os.path.abspath(TOPOLOGY_FILE)))
    servers = topology()["servers"]
    env["SHARDGATE_PG_BASE_PORT"] = str(min(s["port"] for s in servers
                                            if s["engine"] == "postgresql"))
    env["SHARDGATE_MY_BASE_PORT"] = str(min(s["port"] for s in servers if s["engine"] == "mysql"))
    out = subprocess.run([os.path.join(harness.SOURCE_DIR, "scripts", "topology"), *args],
                         env=env, capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stdout + out.stderr


def kill_server(shard):
    pid = next(s["pid"] for s in topology()["servers"]
               if s["shard"] == shard and s["role"] == "primary")
    os.kill(pid, signal.SIGKILL)
    deadline = time.time() + 10
    while time.time() < deadline and os.path.exists(f"/proc/{pid}"):
        with open(f"/proc/{pid}/stat") as f:
            if f.read().split(")")[-1].split()[0] == "Z":
                break
        time.sleep(0.02)


def owners(db, n):
    """Key -> owning shard for keys 1..n of sg_accounts (shardctl locate)."""
    out = {}
    for key in range(1, n + 1):
        doc = json.loads(subprocess.run([harness.SHARDCTL, "locate", st.MAP, db, "sg_accounts",
                                         str(key), "--json"],
                                        check=True, capture_output=True, text=True).stdout)
        out[key] = doc["shard"]
    return out


def prepared(engine):
    """Every prepared transaction on the engine's primaries: [(shard, gid)]."""
    out = []
    if engine == "pg":
        for shard, port in st.PG_PRIMARIES.items():
            with st.pg_direct(port, admin=True) as c, c.cursor() as cur:
                cur.execute("SELECT gid FROM pg_prepared_xacts")
                out += [(shard, r[0]) for r in cur.fetchall()]
    else:
        for shard, port in st.MY_PRIMARIES.items():
            with st.my_direct(port) as c, c.cursor() as cur:
                cur.execute("XA RECOVER")
                out += [(shard, r[3].decode() if isinstance(r[3], bytes) else r[3])
                        for r in cur.fetchall()]
    return out


def balances(engine):
    total, rows = 0, 0
    primaries = st.PG_PRIMARIES if engine == "pg" else st.MY_PRIMARIES
    for port in primaries.values():
        connect = st.pg_direct if engine == "pg" else st.my_direct
        with connect(port) as c, c.cursor() as cur:
            cur.execute("SELECT count(*), coalesce(sum(balance), 0) FROM sg_accounts")
            n, s = cur.fetchone()
            rows += int(n)
            total += int(s)
    return rows, total


def clear_prepared(engine):
    """Rolls back what an earlier, failed run left prepared (it would hold row locks)."""
    for shard, gid in prepared(engine):
        port = (st.PG_PRIMARIES if engine == "pg" else st.MY_PRIMARIES)[shard]
        if engine == "pg":
            with st.pg_direct(port, admin=True) as c, c.cursor() as cur:
                cur.execute(f"ROLLBACK PREPARED '{gid}'")
        else:
            with st.my_direct(port) as c, c.cursor() as cur:
                cur.execute(f"XA ROLLBACK '{gid}'")


def setup(engine):
    clear_prepared(engine)
    primaries = st.PG_PRIMARIES if engine == "pg" else st.MY_PRIMARIES
    connect = st.pg_direct if engine == "pg" else st.my_direct
    db = "shop" if engine == "pg" else "social"
    where = owners(db, ACCOUNTS)
    for shard, port in primaries.items():
        with connect(port) as c, c.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_accounts")
            cur.execute(PG_TABLE)
            for key, owner in where.items():
                if owner == shard:
                    cur.execute("INSERT INTO sg_accounts (id, balance) VALUES (%s, %s)",
                                (key, START))
    return where


def pair(where):
    """Two accounts on different shards."""
    a = random.choice(list(where))
    b = random.choice([k for k in where if where[k] != where[a]])
    return a, b


def value_on(engine, shard, key):
    port = (st.PG_PRIMARIES if engine == "pg" else st.MY_PRIMARIES)[shard]
    connect = st.pg_direct if engine == "pg" else st.my_direct
    with connect(port) as c, c.cursor() as cur:
        cur.execute("SELECT balance FROM sg_accounts WHERE id = %s", (key,))
        row = cur.fetchone()
        return row[0] if row else None


def pg_basic():
    where = setup("pg")
    a, b = pair(where)
    with st.Proxy() as proxy:
        conn = proxy.connect()
        cur = conn.cursor()
        # COMMIT: both shards, seen by the session itself at once (read-your-writes).
        cur.execute("UPDATE sg_accounts SET balance = balance - 10 WHERE id = %s", (a,))
        cur.execute("UPDATE sg_accounts SET balance = balance + 10 WHERE id = %s", (b,))
        cur.execute("SELECT balance FROM sg_accounts WHERE id = %s", (a,))
        assert cur.fetchone()[0] == START - 10  # back on the first shard, same transaction
        conn.commit()
        assert value_on("pg", where[a], a) == START - 10
        assert value_on("pg", where[b], b) == START + 10
        cur.execute("SELECT balance FROM sg_accounts WHERE id = %s", (b,))
        assert cur.fetchone()[0] == START + 10, "own commit not visible to the next read"
        conn.commit()
        # ROLLBACK: neither shard.
        cur.execute("UPDATE sg_accounts SET balance = 0 WHERE id = %s", (a,))
        cur.execute("UPDATE sg_accounts SET balance = 0 WHERE id = %s", (b,))
        conn.rollback()
        assert value_on("pg", where[a], a) == START - 10
        assert value_on("pg", where[b], b) == START + 10
        # An error on the second shard aborts the whole transaction: COMMIT rolls back both.
        cur.execute("UPDATE sg_accounts SET balance = 0 WHERE id = %s", (a,))
        try:
            cur.execute("UPDATE sg_accounts SET balance = 1 / 0 WHERE id = %s", (b,))
            raise AssertionError("division by zero succeeded")
        except psycopg2.Error as e:
            assert e.pgcode == "22012", e.pgcode
        try:
            cur.execute("SELECT balance FROM sg_accounts WHERE id = %s", (a,))
            raise AssertionError("statement ran in an aborted transaction")
        except psycopg2.Error as e:
            assert e.pgcode == "25P02", e.pgcode
        conn.commit()  # psycopg2: COMMIT of an aborted transaction answers ROLLBACK
        assert value_on("pg", where[a], a) == START - 10, "aborted distributed txn committed"
        # A deferred-constraint failure at PREPARE time fails COMMIT with the shard's error.
        # (A unique violation would surface earlier; a serialization conflict is what an
        # application sees here in practice.)
        # COMMIT in the same Query as another statement is refused, nothing half-commits.
        cur.execute("UPDATE sg_accounts SET balance = balance WHERE id = %s", (a,))
        cur.execute("UPDATE sg_accounts SET balance = balance WHERE id = %s", (b,))
        try:
            cur.execute("SELECT 1; COMMIT")
            raise AssertionError("COMMIT with another statement ran")
        except psycopg2.Error as e:
            assert e.pgcode == "0A000" and "of its own" in e.pgerror, e.pgerror
        conn.rollback()
        # Savepoints cannot span shards.
        cur.execute("UPDATE sg_accounts SET balance = balance WHERE id = %s", (a,))
        cur.execute("UPDATE sg_accounts SET balance = balance WHERE id = %s", (b,))
        try:
            cur.execute("SAVEPOINT s1")
            raise AssertionError("SAVEPOINT in a distributed transaction ran")
        except psycopg2.Error as e:
            assert e.pgcode == "0A000" and "savepoint" in e.pgerror, e.pgerror
        conn.rollback()
        # The extended protocol (psycopg2 has none; a server-side cursor is not needed):
        # covered by the JDBC driver test. Autocommit is untouched: one shard per statement.
        conn.autocommit = True
        cur.execute("UPDATE sg_accounts SET balance = balance + 1 WHERE id = %s", (a,))
        conn.close()
    assert prepared("pg") == [], prepared("pg")
    # The decision rows are on the coordinator shards.
    with st.pg_direct(st.PG_PRIMARIES[where[a]]) as c, c.cursor() as cur:
        cur.execute("SELECT count(*) FROM shardgate.txn_decisions WHERE decision = 'commit'")
        assert cur.fetchone()[0] >= 1
    # cross_shard_transactions: reject forbids them.
    with open(st.MAP) as f:
        text = f.read()
    folder = tempfile.mkdtemp(prefix="sg_txn_map_")
    rejecting = os.path.join(folder, "map.yaml")
    with open(rejecting, "w") as f:
        f.write(text.replace("    engine: postgresql\n",
                             "    engine: postgresql\n    cross_shard_transactions: reject\n", 1))
    with harness.Proxy(shard_map=rejecting) as proxy:
        conn = proxy.connect()
        cur = conn.cursor()
        cur.execute("UPDATE sg_accounts SET balance = balance WHERE id = %s", (a,))
        try:
            cur.execute("UPDATE sg_accounts SET balance = balance WHERE id = %s", (b,))
            raise AssertionError("second shard joined under cross_shard_transactions: reject")
        except psycopg2.Error as e:
            assert e.pgcode == "0A000" and "cross_shard_transactions: reject" in e.pgerror
        conn.rollback()
        conn.close()
    print("ok: pg_basic")


def my_basic():
    where = setup("my")
    a, b = pair(where)
    with st.Proxy() as proxy:
        conn = proxy.my()
        cur = conn.cursor()
        conn.begin()
        cur.execute("UPDATE sg_accounts SET balance = balance - 10 WHERE id = %s", (a,))
        cur.execute("UPDATE sg_accounts SET balance = balance + 10 WHERE id = %s", (b,))
        cur.execute("SELECT balance FROM sg_accounts WHERE id = %s", (b,))
        assert cur.fetchone()[0] == START + 10  # the XA branch sees its own write
        conn.commit()
        assert value_on("my", where[a], a) == START - 10
        assert value_on("my", where[b], b) == START + 10
        cur.execute("SELECT balance FROM sg_accounts WHERE id = %s", (a,))
        assert cur.fetchone()[0] == START - 10, "own commit not visible to the next read"
        conn.begin()
        cur.execute("UPDATE sg_accounts SET balance = 0 WHERE id = %s", (a,))
        cur.execute("UPDATE sg_accounts SET balance = 0 WHERE id = %s", (b,))
        conn.rollback()
        assert value_on("my", where[a], a) == START - 10
        assert value_on("my", where[b], b) == START + 10
        # Statements that would commit one shard only are refused inside it.
        conn.begin()
        cur.execute("UPDATE sg_accounts SET balance = balance WHERE id = %s", (a,))
        cur.execute("UPDATE sg_accounts SET balance = balance WHERE id = %s", (b,))
        for sql, text in (("SAVEPOINT s1", "savepoint"), ("BEGIN", "COMMIT or ROLLBACK"),
                          ("SET autocommit = 1", "SET autocommit"),
                          ("CREATE TABLE sg_nope (id int)", "DDL"),
                          ("SELECT 1; COMMIT", "of its own")):
            try:
                cur.execute(sql)
                raise AssertionError(f"{sql} ran in a distributed transaction")
            except pymysql.err.MySQLError as e:
                assert e.args[0] == 1235 and text in e.args[1], (sql, e.args)
        conn.rollback()
        # autocommit=0: the implicit transaction spans shards the same way.
        conn.autocommit(False)
        cur.execute("UPDATE sg_accounts SET balance = balance - 1 WHERE id = %s", (a,))
        cur.execute("UPDATE sg_accounts SET balance = balance + 1 WHERE id = %s", (b,))
        conn.commit()
        conn.autocommit(True)
        assert value_on("my", where[a], a) == START - 11
        assert value_on("my", where[b], b) == START + 11
        # A client that leaves mid-transaction: every branch rolls back.
        conn.begin()
        cur.execute("UPDATE sg_accounts SET balance = 0 WHERE id = %s", (a,))
        cur.execute("UPDATE sg_accounts SET balance = 0 WHERE id = %s", (b,))
        conn.close()
        time.sleep(0.5)
        assert value_on("my", where[a], a) == START - 11
        assert value_on("my", where[b], b) == START + 11
    assert prepared("my") == [], prepared("my")
    print("ok: my_basic")


def resolver():
    """In-doubt participants made by hand, ended by `shardctl txn resolve` by their decision;
    a coordinator shard that cannot be reached leaves its participants alone."""
    placed = {"pg": setup("pg"), "my": setup("my")}
    cases = []  # (engine, txn, decision)
    for engine, primaries in (("pg", st.PG_PRIMARIES), ("my", st.MY_PRIMARIES)):
        coord, part = list(primaries)
        connect = st.pg_direct if engine == "pg" else st.my_direct
        # one row per case: a prepared participant keeps its row locks
        keys = [k for k, shard in placed[engine].items() if shard == part]
        for decision, key in zip(("commit", "abort", None), keys):
            txn = f"test{random.randrange(1 << 30):x}-{decision or 'none'}"
            gid = f"sg1.{txn}.{coord}.{part}"
            if engine == "pg":
                c = psycopg2.connect(host="127.0.0.1", port=primaries[part], dbname="shop",
                                     user="app", password="app")
                cur = c.cursor()
                cur.execute("UPDATE sg_accounts SET balance = balance + 1 WHERE id = %s", (key,))
                cur.execute(f"PREPARE TRANSACTION '{gid}'")
                c.close()
            else:
                c = pymysql.connect(host="127.0.0.1", port=primaries[part], user="app",
                                    password="app", database="social", autocommit=True)
                cur = c.cursor()
                cur.execute(f"XA START '{gid}'")
                cur.execute("UPDATE sg_accounts SET balance = balance + 1 WHERE id = %s", (key,))
                cur.execute(f"XA END '{gid}'")
                cur.execute(f"XA PREPARE '{gid}'")
                c.close()
            if decision:
                with connect(primaries[coord]) as c, c.cursor() as cur:
                    if engine == "pg":
                        cur.execute("CREATE SCHEMA IF NOT EXISTS shardgate")
                        cur.execute("CREATE TABLE IF NOT EXISTS shardgate.txn_decisions (txn text "
                                    "PRIMARY KEY, decision text NOT NULL, participants text NOT "
                                    "NULL, decided_at timestamptz NOT NULL DEFAULT now())")
                    else:
                        cur.execute("CREATE DATABASE IF NOT EXISTS shardgate")
                        cur.execute("CREATE TABLE IF NOT EXISTS shardgate.txn_decisions (txn "
                                    "VARCHAR(64) PRIMARY KEY, decision VARCHAR(8) NOT NULL, "
                                    "participants TEXT NOT NULL, decided_at TIMESTAMP(6) NOT NULL "
                                    "DEFAULT CURRENT_TIMESTAMP(6))")
                    cur.execute("INSERT INTO shardgate.txn_decisions (txn, decision, "
                                "participants) VALUES (%s, %s, %s)", (txn, decision, part))
            cases.append((engine, txn, decision))
    listed = subprocess.run([harness.SHARDCTL, "txn", "list", st.MAP, "--user", "admin",
                             "--password", "admin", "--json"], capture_output=True, text=True)
    assert listed.returncode == 0, listed.stdout + listed.stderr
    doc = json.loads(listed.stdout)
    found = {p["txn"]: p["decision"] for db in doc.values() for p in db["prepared"]}
    for engine, txn, decision in cases:
        assert found.get(txn) == (decision or "none"), (txn, found)
    before = {"pg": balances("pg")[1], "my": balances("my")[1]}
    out = subprocess.run([harness.SHARDCTL, "txn", "resolve", st.MAP, "--user", "admin",
                          "--password", "admin", "--grace-ms", "200", "--json"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    doc = json.loads(out.stdout)
    actions = {r["txn"]: r["action"] for db in doc.values() for r in db["resolutions"]}
    for engine, txn, decision in cases:
        want = "committed" if decision == "commit" else "rolled back"
        assert actions.get(txn) == want, (txn, actions)
    assert prepared("pg") == [] and prepared("my") == []
    # Exactly the committed participant's +1 landed, per engine.
    after = {"pg": balances("pg")[1], "my": balances("my")[1]}
    assert after["pg"] == before["pg"] + 1 and after["my"] == before["my"] + 1, (before, after)
    # The undecided ones got an 'abort' decision first (a late coordinator cannot commit).
    with st.pg_direct(st.PG_PRIMARIES[list(st.PG_PRIMARIES)[0]]) as c, c.cursor() as cur:
        txn = next(t for e, t, d in cases if e == "pg" and d is None)
        cur.execute("SELECT decision FROM shardgate.txn_decisions WHERE txn = %s", (txn,))
        assert cur.fetchone()[0] == "abort"
    # Coordinator unreachable: the participant stays prepared, the exit code says so.
    coord, part = list(st.PG_PRIMARIES)
    gid = f"sg1.unreach{random.randrange(1 << 30):x}.{coord}.{part}"
    c = psycopg2.connect(host="127.0.0.1", port=st.PG_PRIMARIES[part], dbname="shop",
                         user="app", password="app")
    c.cursor().execute(f"PREPARE TRANSACTION '{gid}'")
    c.close()
    with open(st.MAP) as f:
        text = f.read()
    folder = tempfile.mkdtemp(prefix="sg_txn_map_")
    broken = os.path.join(folder, "map.yaml")
    with open(broken, "w") as f:  # the coordinator's primary at a port nobody listens on
        f.write(text.replace(f"127.0.0.1:{st.PG_PRIMARIES[coord]}", "127.0.0.1:1", 1))
    out = subprocess.run([harness.SHARDCTL, "txn", "resolve", broken, "--database", "shop",
                          "--user", "admin", "--password", "admin", "--grace-ms", "100",
                          "--timeout-ms", "1000"], capture_output=True, text=True)
    assert out.returncode == 1 and "left" in out.stdout, out.stdout + out.stderr
    assert (part, gid) in prepared("pg")
    out = subprocess.run([harness.SHARDCTL, "txn", "resolve", st.MAP, "--database", "shop",
                          "--user", "admin", "--password", "admin", "--grace-ms", "100"],
                         capture_output=True, text=True)
    assert out.returncode == 0 and "rolled back" in out.stdout, out.stdout + out.stderr
    assert prepared("pg") == []
    print("ok: resolver")


def my_decision(coordinator, txn, decision, participants):
    """Records a decision on a MariaDB coordinator shard as shardgate would."""
    with st.my_direct(st.MY_PRIMARIES[coordinator]) as c, c.cursor() as cur:
        cur.execute("CREATE DATABASE IF NOT EXISTS shardgate")
        cur.execute("CREATE TABLE IF NOT EXISTS shardgate.txn_decisions (txn VARCHAR(64) "
                    "PRIMARY KEY, decision VARCHAR(8) NOT NULL, participants TEXT NOT NULL, "
                    "decided_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))")
        cur.execute("INSERT INTO shardgate.txn_decisions (txn, decision, participants) "
                    "VALUES (%s, %s, %s)", (txn, decision, participants))


def replica_gtid_wait(shard, seconds):
    """Whether the shard's replica applies the primary's binary log as it stands now within
    `seconds`."""
    with st.my_direct(st.MY_PRIMARIES[shard], admin=True) as c, c.cursor() as cur:
        cur.execute("SELECT @@gtid_binlog_pos")
        position = cur.fetchone()[0]
    with st.my_direct(st.MY_REPLICAS[shard], admin=True) as c, c.cursor() as cur:
        cur.execute("SELECT MASTER_GTID_WAIT(%s, %s)", (position, seconds))
        return cur.fetchone()[0] == 0


def xa_prepared(port):
    with st.my_direct(port, admin=True) as c, c.cursor() as cur:
        cur.execute("XA RECOVER")
        return {r[3].decode() if isinstance(r[3], bytes) else r[3] for r in cur.fetchall()}


def replica_orphan():
    """MariaDB: a branch the primary lost but its replica kept (a primary killed right after
    XA PREPARE came back without it while its binary log, and so the replica, had it) holds its
    row locks on the replica forever, and replication stops at the next change to those rows.
    Made here by hand: prepared on my1, then rolled back there with sql_log_bin = 0. The proxy's
    resolver rolls it back on the replica once replication waits for its locks; `shardctl txn
    resolve` does once the replica has applied everything else; a branch that is not
    shardgate's is left alone, and so is ours while replication waits behind two branches, one
    whose transaction was decided `commit`, and one whose XA COMMIT a stopped replica has not
    applied yet."""
    coord, part = list(st.MY_PRIMARIES)
    primary, replica = st.MY_PRIMARIES[part], st.MY_REPLICAS[part]
    run = f"orphan{random.randrange(1 << 30):x}"
    made = []

    def orphan(gid, key):
        with st.my_direct(primary, admin=True) as c, c.cursor() as cur:
            cur.execute(f"XA START '{gid}'")
            cur.execute("UPDATE sg_orphan SET v = v + 100 WHERE id = %s", (key,))
            cur.execute(f"XA END '{gid}'")
            cur.execute(f"XA PREPARE '{gid}'")
        made.append(gid)
        assert replica_gtid_wait(part, 20), "the replica did not apply the XA PREPARE"
        assert gid in xa_prepared(replica)
        with st.my_direct(primary, admin=True) as c, c.cursor() as cur:
            cur.execute("SET SESSION sql_log_bin = 0")
            cur.execute(f"XA ROLLBACK '{gid}'")
        assert gid not in xa_prepared(primary)

    def on_primary(sql):
        with st.my_direct(primary) as c, c.cursor() as cur:
            cur.execute(sql)

    def decide(txn, decision):
        my_decision(coord, txn, decision, part)

    def values(port):
        with st.my_direct(port, admin=True) as c, c.cursor() as cur:
            cur.execute("SELECT id, v FROM sg_orphan ORDER BY id")
            return cur.fetchall()

    def resolve():
        out = subprocess.run([harness.SHARDCTL, "txn", "resolve", st.MAP, "--database", "social",
                              "--user", "admin", "--password", "admin", "--grace-ms", "300",
                              "--json"], capture_output=True, text=True, timeout=60)
        doc = json.loads(out.stdout)
        return out.returncode, {r["gid"]: r for r in doc["social"]["resolutions"]}

    on_primary("DROP TABLE IF EXISTS sg_orphan")
    on_primary("CREATE TABLE sg_orphan (id INT PRIMARY KEY, v INT NOT NULL)")
    on_primary("INSERT INTO sg_orphan VALUES (1, 0), (2, 0), (3, 0)")
    assert replica_gtid_wait(part, 20)
    daemon = None
    try:
        # 1. Replication waits for the orphan's lock; the proxy's resolver ends it.
        first = f"sg1.{run}-1.{coord}.{part}"
        orphan(first, 1)
        on_primary("UPDATE sg_orphan SET v = 7 WHERE id = 1")
        assert not replica_gtid_wait(part, 3), "replication did not wait for the orphan's lock"
        daemon = Daemon()
        deadline = time.time() + 30
        while not replica_gtid_wait(part, 1):
            assert time.time() < deadline, "the proxy's resolver did not unblock the replica"
        assert first not in xa_prepared(replica)
        assert values(replica) == values(primary) == ((1, 7), (2, 0), (3, 0)), values(replica)
        counters = daemon.status()["counters"]
        assert counters["two_phase_replica_orphans_rolled_back"] >= 1, counters
        daemon.stop()
        with open(daemon.log.name) as f:
            log = f.read()
        assert first in log and "rolled back on the replica" in log, log[-3000:]
        daemon = None
        # 2. Nothing waits for it, the replica has applied everything else: shardctl ends it.
        second = f"sg1.{run}-2.{coord}.{part}"
        orphan(second, 2)
        on_primary("UPDATE sg_orphan SET v = 5 WHERE id = 3")
        assert replica_gtid_wait(part, 20)
        code, resolutions = resolve()
        assert code == 0, resolutions
        assert resolutions[second]["action"] == "rolled back on the replica", resolutions
        assert resolutions[second]["shard"] == f"{part} replica 127.0.0.1:{replica}", resolutions
        assert second not in xa_prepared(replica)
        # 3. Not shardgate's branch: left alone. Replication waits behind it, and ours (which
        # waits for nothing) cannot be told apart from the one it waits for: left too.
        foreign = f"app-{run}"
        orphan(foreign, 3)
        third = f"sg1.{run}-3.{coord}.{part}"
        orphan(third, 2)
        on_primary("UPDATE sg_orphan SET v = 9 WHERE id = 3")
        assert not replica_gtid_wait(part, 2)
        time.sleep(1)  # the SQL thread has waited longer than the grace period
        code, resolutions = resolve()
        assert code == 1, resolutions
        assert resolutions[third]["action"].startswith("left: replication waits"), resolutions
        assert foreign not in resolutions, resolutions
        assert {foreign, third} <= xa_prepared(replica)
        # The operator ends the foreign one; then ours goes by the first rule.
        with st.my_direct(replica, admin=True) as c, c.cursor() as cur:
            cur.execute("SET SESSION sql_log_bin = 0")
            cur.execute(f"XA ROLLBACK '{foreign}'")
        assert replica_gtid_wait(part, 20)
        code, resolutions = resolve()
        assert code == 0 and resolutions[third]["action"] == "rolled back on the replica", \
            resolutions
        assert values(replica) == values(primary) == ((1, 7), (2, 0), (3, 9)), values(replica)
        # 4. Its transaction was decided `commit`: the primary lost a committed change, or its
        # XA COMMIT is on the way; never undone on the replica.
        fourth = f"sg1.{run}-4.{coord}.{part}"
        orphan(fourth, 1)
        decide(fourth.split(".")[1], "commit")
        assert replica_gtid_wait(part, 20)
        code, resolutions = resolve()
        assert code == 1 and resolutions[fourth]["action"] == "left: decision commit", \
            resolutions
        assert fourth in xa_prepared(replica)
        # 5. A replica merely behind (its SQL thread stopped) when the primary commits a
        # branch: left alone, not reported; the XA COMMIT arrives once replication goes on.
        fifth = f"sg1.{run}-5.{coord}.{part}"
        with st.my_direct(primary, admin=True) as c, c.cursor() as cur:
            cur.execute(f"XA START '{fifth}'")
            cur.execute("UPDATE sg_orphan SET v = 11 WHERE id = 2")
            cur.execute(f"XA END '{fifth}'")
            cur.execute(f"XA PREPARE '{fifth}'")
        made.append(fifth)
        assert replica_gtid_wait(part, 20) and fifth in xa_prepared(replica)
        with st.my_direct(replica, admin=True) as c, c.cursor() as cur:
            cur.execute("STOP SLAVE SQL_THREAD")
        try:
            decide(fifth.split(".")[1], "commit")
            with st.my_direct(primary, admin=True) as c, c.cursor() as cur:
                cur.execute(f"XA COMMIT '{fifth}'")
            code, resolutions = resolve()
            assert fifth not in resolutions and fifth in xa_prepared(replica), resolutions
        finally:
            with st.my_direct(replica, admin=True) as c, c.cursor() as cur:
                cur.execute("START SLAVE SQL_THREAD")
        assert replica_gtid_wait(part, 20)
        assert fifth not in xa_prepared(replica)
        assert dict(values(replica))[2] == dict(values(primary))[2] == 11, values(replica)
    finally:
        if daemon is not None:
            daemon.stop()
        for port in (primary, replica):  # what a failed run left
            left = xa_prepared(port)
            with st.my_direct(port, admin=True) as c, c.cursor() as cur:
                cur.execute("SET SESSION sql_log_bin = 0")
                for gid in made:
                    if gid in left:
                        cur.execute(f"XA ROLLBACK '{gid}'")
        replica_gtid_wait(part, 20)
        on_primary("DROP TABLE IF EXISTS sg_orphan")
    print("ok: replica_orphan")


def resolver_live_map():
    """The proxy's resolver follows live maps: started with a map whose my1 primary is where
    nobody listens (as before a switchover reaches the map), it cannot end a participant left
    prepared on my1; once the map with the real primary is installed (admin POST /map), it
    commits it by its decision."""
    import map_reload_test as mr  # admin calls
    placed = setup("my")
    coord, part = list(st.MY_PRIMARIES)
    real = f"127.0.0.1:{st.MY_PRIMARIES[part]}"
    with open(st.MAP) as f:
        text = f.read()
    assert real in text, text
    folder = tempfile.mkdtemp(prefix="sg_txn_live_")
    stale = os.path.join(folder, "map.yaml")
    dead = f"127.0.0.1:{harness.free_port()}"
    with open(stale, "w") as f:
        f.write(text.replace(real, dead, 1))
    key = next(k for k, shard in placed.items() if shard == part)
    txn = f"live{random.randrange(1 << 30):x}"
    gid = f"sg1.{txn}.{coord}.{part}"
    with st.my_direct(st.MY_PRIMARIES[part]) as c, c.cursor() as cur:
        cur.execute(f"XA START '{gid}'")
        cur.execute("UPDATE sg_accounts SET balance = balance + 1 WHERE id = %s", (key,))
        cur.execute(f"XA END '{gid}'")
        cur.execute(f"XA PREPARE '{gid}'")
    my_decision(coord, txn, "commit", part)
    daemon = Daemon(shard_map=stale)
    try:
        time.sleep(2)  # several resolver rounds (300 ms) that cannot reach my1
        assert (part, gid) in prepared("my")
        status, current = mr.admin(daemon.admin_port, "GET", "/map")
        assert status == 200, current
        epoch = daemon.status()["map_epoch"]
        newer, replaced = re.subn(r"(?m)^epoch: *\d+", f"epoch: {epoch + 1}", current)
        assert replaced == 1, current
        assert dead in newer, newer
        newer = newer.replace(dead, real)
        status, body = mr.admin(daemon.admin_port, "POST", "/map", newer)
        assert status == 200 and json.loads(body)["installed"], (status, body)
        deadline = time.time() + 10
        while (part, gid) in prepared("my"):
            assert time.time() < deadline, "the resolver did not follow the new map"
            time.sleep(0.2)
        with st.my_direct(st.MY_PRIMARIES[part]) as c, c.cursor() as cur:
            cur.execute("SELECT balance FROM sg_accounts WHERE id = %s", (key,))
            assert cur.fetchone()[0] == START + 1
        assert daemon.status()["counters"]["two_phase_resolved_commits"] >= 1
    finally:
        daemon.stop()
        clear_prepared("my")
    print("ok: resolver_live_map")


class Daemon:
    """A shardgate process on fixed ports that the test kills with SIGKILL and restarts."""

    def __init__(self, shard_map=None):
        self.dir = tempfile.mkdtemp(prefix="sg_txn_proxy_")
        self.pg_port = harness.free_port()
        self.my_port = harness.free_port()
        self.admin_port = harness.free_port()
        self.config = os.path.join(self.dir, "shardgate.yaml")
        with open(self.config, "w") as f:
            f.write(f"shard_map: {shard_map or st.MAP}\n"
                    f"postgres_listen: 127.0.0.1:{self.pg_port}\n"
                    f"mysql_listen: 127.0.0.1:{self.my_port}\n"
                    f"admin_listen: 127.0.0.1:{self.admin_port}\n"
                    "admin_token: sg-test\n"
                    "workers: 2\n"
                    "monitor_user: admin\nmonitor_password: admin\n"
                    "txn_resolve_interval_ms: 300\n"
                    "users:\n  - {name: app, password: app}\n")
        self.log = open(os.path.join(self.dir, "shardgate.log"), "a+")
        self.process = None
        self.start()

    def start(self):
        self.process = subprocess.Popen([harness.SHARDGATE, "--config", self.config],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.pg_port), timeout=0.2).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    self.log.flush()
                    with open(self.log.name) as f:
                        tail = f.read()[-2000:]
                    raise AssertionError(f"shardgate exited at start "
                                         f"({self.process.returncode}):\n{tail}")
                time.sleep(0.05)
        raise AssertionError("shardgate did not start")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)

    def status(self):
        return st.admin_status(self.admin_port)


def close_quietly(conn):
    """Closes a client connection that may already be broken (or None)."""
    try:
        if conn is not None:
            conn.close()
    except Exception:
        pass


def bank(engine):
    where = setup(engine)
    total = ACCOUNTS * START
    daemon = Daemon()
    try:
        stop = threading.Event()
        stats = {"commits": 0, "errors": 0, "unknown": 0}
        lock = threading.Lock()

        def connect():
            if engine == "pg":
                conn = psycopg2.connect(host="127.0.0.1", port=daemon.pg_port, user="app",
                                        password="app", dbname="shop", connect_timeout=3)
                return conn
            return pymysql.connect(host="127.0.0.1", port=daemon.my_port, user="app",
                                   password="app", database="social", connect_timeout=3,
                                   read_timeout=15, write_timeout=15)

        def client(seed):
            rng = random.Random(seed)
            conn = None
            while not stop.is_set():
                try:
                    if conn is None:
                        conn = connect()
                        if engine == "my":
                            conn.autocommit(False)
                    cur = conn.cursor()
                    a = rng.choice(list(where))
                    b = rng.choice([k for k in where if where[k] != where[a]])
                    amount = rng.randint(1, 50)
                    cur.execute("UPDATE sg_accounts SET balance = balance - %s WHERE id = %s",
                                (amount, a))
                    cur.execute("UPDATE sg_accounts SET balance = balance + %s WHERE id = %s",
                                (amount, b))
                    conn.commit()
                    with lock:
                        stats["commits"] += 1
                except Exception as e:  # the proxy or a shard went away: reconnect, go on
                    with lock:
                        stats["errors"] += 1
                        if "unknown" in str(e):
                            stats["unknown"] += 1
                    close_quietly(conn)
                    conn = None
                    time.sleep(0.05)
            close_quietly(conn)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        participant = list(st.PG_PRIMARIES if engine == "pg" else st.MY_PRIMARIES)[1]
        try:
            for round_ in range(4):
                time.sleep(random.uniform(1.0, 2.5))
                daemon.kill()  # kill -9 at a random moment, mid-commit for some client
                time.sleep(0.2)
                daemon.start()
                if round_ == 1:
                    time.sleep(random.uniform(0.5, 1.5))
                    kill_server(participant)  # a participant primary dies once
                    time.sleep(0.5)
                    restart_servers()
            time.sleep(2)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=60)
        # The proxy's resolver ends what the kills left prepared.
        deadline = time.time() + 30
        while prepared(engine) and time.time() < deadline:
            time.sleep(0.3)
        left = prepared(engine)
        if engine == "my":
            # Every replica applies its primary's whole binary log: a branch the killed
            # primary lost but its replica kept would stop replication (the resolver ends it).
            for shard in st.MY_PRIMARIES:
                deadline = time.time() + 30
                # An orphan that blocks nothing goes one resolver round after the catch-up.
                while not replica_gtid_wait(shard, 1) or xa_prepared(st.MY_REPLICAS[shard]):
                    assert time.time() < deadline, f"the {shard} replica is stuck"
                    time.sleep(0.3)
                with st.my_direct(st.MY_PRIMARIES[shard]) as p, p.cursor() as pc, \
                        st.my_direct(st.MY_REPLICAS[shard]) as r, r.cursor() as rc:
                    pc.execute("SELECT sum(balance) FROM sg_accounts")
                    rc.execute("SELECT sum(balance) FROM sg_accounts")
                    assert pc.fetchone() == rc.fetchone(), f"the {shard} replica differs"
        doc = daemon.status()
        daemon.stop()
        rows, now = balances(engine)
        print(f"  bank_{engine}: {stats['commits']} transfers committed, {stats['errors']} failed "
              f"({stats['unknown']} with an unknown outcome); resolver: "
              f"{doc['counters'].get('two_phase_resolved_commits')} committed, "
              f"{doc['counters'].get('two_phase_resolved_aborts')} rolled back, "
              f"{doc['counters'].get('two_phase_replica_orphans_rolled_back')} rolled back on a "
              "replica whose primary lost them (this process)")
        assert left == [], f"prepared transactions left: {left}"
        assert rows == ACCOUNTS, rows
        assert now == total, f"balances sum to {now}, not {total}: a transfer was half applied"
        assert stats["commits"] > 20, stats
        print(f"ok: bank_{engine}")
    finally:
        daemon.stop()  # also when the run failed: no shardgate left behind


def server_connections(user="app"):
    """Connections `user` holds on every server of the topology: {port: count}, read as admin."""
    counts = {}
    for s in topology()["servers"]:
        if s["engine"] == "postgresql":
            with st.pg_direct(s["port"], admin=True) as c, c.cursor() as cur:
                cur.execute("SELECT count(*) FROM pg_stat_activity WHERE usename = %s", (user,))
                counts[s["port"]] = int(cur.fetchone()[0])
        elif s["engine"] == "mysql":
            with st.my_direct(s["port"], admin=True) as c, c.cursor() as cur:
                cur.execute("SELECT count(*) FROM information_schema.processlist "
                            "WHERE user = %s", (user,))
                counts[s["port"]] = int(cur.fetchone()[0])
    return counts


def heartbeat_rows():
    """{primary port: (rows, proxy ids)} of shardgate_heartbeat on every primary."""
    rows = {}
    for port in list(st.PG_PRIMARIES.values()) + list(st.MY_PRIMARIES.values()):
        connect = st.pg_direct if port in st.PG_PRIMARIES.values() else st.my_direct
        with connect(port, admin=True) as c, c.cursor() as cur:
            cur.execute("SELECT proxy_id FROM shardgate_heartbeat")
            ids = [r[0] for r in cur.fetchall()]
            rows[port] = (len(ids), ids)
    return rows


def supervised():
    """kill -9 of shardgate five times under transfers and reads of both engines, with a
    supervisor that restarts it as systemd's Restart=on-failure would: clients reconnect; no
    prepared transaction, no backend connection and no heartbeat row is left behind by the
    killed processes; balances add up."""
    where = {"pg": setup("pg"), "my": setup("my")}
    daemon = Daemon()
    try:
        proxy_id = f"proxy-127.0.0.1-{daemon.pg_port}"
        heartbeats_before = heartbeat_rows()
        stop, lock = threading.Event(), threading.Lock()
        commits = {"pg": [], "my": []}  # (started, committed) of each transfer
        reads = {"pg": 0, "my": 0}
        errors = {"pg": 0, "my": 0}
        restarts = []

        def supervisor():
            while not stop.is_set():
                if daemon.process.poll() is not None:
                    for attempt in range(5):
                        try:
                            daemon.start()
                            break
                        except AssertionError as e:
                            # Like systemd's RestartSec: one of the fixed ports was taken as
                            # some client socket's ephemeral port meanwhile.
                            if "in use" not in str(e).lower() or attempt == 4:
                                raise
                            time.sleep(0.5)
                    restarts.append(time.monotonic())
                time.sleep(0.05)

        def connect(engine):
            if engine == "pg":
                return psycopg2.connect(host="127.0.0.1", port=daemon.pg_port, user="app",
                                        password="app", dbname="shop", connect_timeout=3)
            conn = pymysql.connect(host="127.0.0.1", port=daemon.my_port, user="app",
                                   password="app", database="social", connect_timeout=3,
                                   read_timeout=15, write_timeout=15)
            conn.autocommit(False)
            return conn

        def client(engine, seed, transfers):
            rng = random.Random(seed)
            accounts = where[engine]
            conn = None
            while not stop.is_set():
                try:
                    if conn is None:
                        conn = connect(engine)
                    cur = conn.cursor()
                    if transfers:
                        started = time.monotonic()
                        a = rng.choice(list(accounts))
                        b = rng.choice([k for k in accounts if accounts[k] != accounts[a]])
                        cur.execute("UPDATE sg_accounts SET balance = balance - 1 WHERE id = %s",
                                    (a,))
                        cur.execute("UPDATE sg_accounts SET balance = balance + 1 WHERE id = %s",
                                    (b,))
                        conn.commit()
                        with lock:
                            commits[engine].append((started, time.monotonic()))
                    else:
                        cur.execute("SELECT balance FROM sg_accounts WHERE id = %s",
                                    (rng.choice(list(accounts)),))
                        assert cur.fetchone() is not None
                        conn.commit()
                        with lock:
                            reads[engine] += 1
                except (psycopg2.Error, pymysql.Error, OSError):
                    with lock:
                        errors[engine] += 1
                    close_quietly(conn)
                    conn = None
                    time.sleep(0.05)
            close_quietly(conn)

        threads = [threading.Thread(target=supervisor)]
        for engine in ("pg", "my"):
            threads += [threading.Thread(target=client, args=(engine, i, i < 3)) for i in range(5)]
        for t in threads:
            t.start()
        kills = []
        try:
            for _ in range(5):
                time.sleep(random.uniform(1.0, 2.0))
                kills.append(time.monotonic())
                daemon.process.send_signal(signal.SIGKILL)  # the supervisor restarts it
            time.sleep(3)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=60)
        # Per kill and engine: from the kill to the first commit of a transfer begun after it.
        recovery = {engine: [min((end for begin, end in commits[engine] if begin > k),
                                 default=None)
                             for k in kills] for engine in commits}
        recovery_ms = {engine: [None if t is None else round((t - k) * 1000)
                                for t, k in zip(times, kills)]
                       for engine, times in recovery.items()}
        deadline = time.time() + 30
        while (prepared("pg") or prepared("my")) and time.time() < deadline:
            time.sleep(0.3)
        left = prepared("pg") + prepared("my")
        # What the live proxy pools against what the servers see: the killed ones hold nothing.
        deadline = time.time() + 10
        while True:
            doc = daemon.status()
            pooled = {}
            for b in doc["backends"]:
                port = int(b["endpoint"].rsplit(":", 1)[1])
                # per endpoint (any database): the same figure on every row of that endpoint
                pooled[port] = b["connections_in_use"] + b["connections_idle"]
            held = server_connections()
            if all(held[port] == pooled.get(port, 0) for port in held) or time.time() > deadline:
                break
            time.sleep(0.3)
        heartbeats_after = heartbeat_rows()
        print(f"  supervised: {len(kills)} kills, {len(restarts)} restarts; transfers committed "
              f"pg {len(commits['pg'])} my {len(commits['my'])}, reads pg {reads['pg']} "
              f"my {reads['my']}, failed statements pg {errors['pg']} my {errors['my']}; first "
              f"commit after each kill (ms): {recovery_ms}; backend connections held on the "
              f"servers {held} vs pooled by the live proxy {pooled}; heartbeat rows per primary "
              f"{ {p: n for p, (n, _) in heartbeats_after.items()} }")
        assert len(restarts) == len(kills), (len(restarts), len(kills))
        assert left == [], f"prepared transactions left: {left}"
        for engine in ("pg", "my"):
            assert all(t is not None for t in recovery[engine]), recovery_ms
            rows, total = balances(engine)
            assert (rows, total) == (ACCOUNTS, ACCOUNTS * START), (engine, rows, total)
        assert all(held[port] == pooled.get(port, 0) for port in held), (held, pooled)
        for port, (n, ids) in heartbeats_after.items():
            assert n == heartbeats_before[port][0], (port, heartbeats_before[port], (n, ids))
            assert ids.count(proxy_id) == 1, (port, ids)
        print("ok: supervised")
    finally:
        daemon.stop()


def drivers():
    """mysql2 execute() (lazy prepares inside the transaction) and node pg (extended protocol)
    move 7 between accounts of two shards; rows checked on the primaries."""
    wm, wp = setup("my"), setup("pg")
    a, b = pair(wm)
    pa, pb = pair(wp)
    with st.Proxy() as proxy:
        out = subprocess.run(["node", os.path.join(HERE, "txn_driver.js"), str(proxy.mysql_port),
                              str(proxy.port), str(a), str(b), str(pa), str(pb)],
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0 and "done" in out.stdout, out.stdout + out.stderr
    assert (value_on("my", wm[a], a), value_on("my", wm[b], b)) == (START - 7, START + 7)
    assert (value_on("pg", wp[pa], pa), value_on("pg", wp[pb], pb)) == (START - 7, START + 7)
    assert prepared("my") == [] and prepared("pg") == []
    print("ok: drivers")


CASES = {"drivers": drivers, "pg_basic": pg_basic, "my_basic": my_basic, "resolver": resolver,
         "replica_orphan": replica_orphan, "resolver_live_map": resolver_live_map,
         "bank_pg": lambda: bank("pg"), "bank_my": lambda: bank("my"), "supervised": supervised}

if __name__ == "__main__":
    CASES[sys.argv[1]]()
