"""The balancing-policy cases of failover_test.py (PostgreSQL): hash, least_connections,
weighted_least_connections and least_latency over three backends of pg0 (its replica under
two names, 127.0.0.1 and localhost, and the primary with primary_weight). Which backend
served a read comes from the per-backend `reads` counters of the admin /status."""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "proxy_pg"))
from failover_test import (HEALTH_MS, HEARTBEAT_MS, TOKEN, admin_conn,  # noqa: E402
                           server, status, wait_replica_caught_up, write_map)
from harness import Proxy, free_port  # noqa: E402

import wire  # noqa: E402

KEY_TABLE = "sg_balance_keys"
# A trust login for the raw wire client (extended protocol with bound parameters).
RAW_USER = "  - {name: raw, password: x, auth: trust}\nbackend_user: app\nbackend_password: app\n"


def endpoints():
    r0 = server("pg0", "replica")["port"]
    return f"127.0.0.1:{r0}", f"localhost:{r0}", f"127.0.0.1:{server('pg0', 'primary')['port']}"


def balancing_map(policy, weights, replicas=("a", "b")):
    """pg0 with the named replicas (a = 127.0.0.1, b = localhost) weighted `weights` =
    (a, b, primary), and KEY_TABLE range-sharded with every key >= 0 on pg0."""
    a, b, _ = endpoints()
    wa, wb, wp = weights
    listed = {"a": f"{{endpoint: '{a}', weight: {wa}}}", "b": f"{{endpoint: '{b}', weight: {wb}}}"}
    return write_map(
        # A generous lag bound: these cases measure shares, not freshness.
        f", max_replica_lag_ms: 10000, read_routing: {{balance: {policy}, "
        f"primary_weight: {wp}}}",
        [listed[name] for name in replicas],
        tables=f"      {KEY_TABLE}: {{scheme: range, key: k, key_type: bigint, "
               "ranges: [{from: 0, shard: pg0}]}\n")


def start(shard_map, workers=2):
    admin_port = free_port()
    proxy = Proxy(RAW_USER + f"health_interval_ms: {HEALTH_MS}\n"
                  f"heartbeat_interval_ms: {HEARTBEAT_MS}\nconnect_timeout_ms: 1000\n"
                  f"admin_token: {TOKEN}\n",
                  shard_map=shard_map, admin_listen=f"127.0.0.1:{admin_port}", workers=workers)
    proxy.admin = f"http://127.0.0.1:{admin_port}"
    return proxy


def reads(proxy):
    """endpoint -> reads served so far, for pg0's backends."""
    return {b["endpoint"]: b["reads"] for b in status(proxy)["backends"] if b["shard"] == "pg0"}


def wait_all_up(proxy, timeout=10):
    """Until the proxy's monitor has every pg0 backend up (a replica not yet confirmed sends
    its keys' reads to the primary meanwhile, which is right but not what is measured)."""
    deadline = time.time() + timeout
    while True:
        health = {b["endpoint"]: b["health"] for b in status(proxy)["backends"]
                  if b["shard"] == "pg0"}
        if all(h == "up" for h in health.values()):
            return
        assert time.time() < deadline, health
        time.sleep(0.05)


def delta(before, after):
    return {e: after[e] - before.get(e, 0) for e in after if after[e] != before.get(e, 0)}


def create_key_table():
    conn = admin_conn(server("pg0", "primary")["port"])
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE IF NOT EXISTS {KEY_TABLE} (k bigint PRIMARY KEY)")
        cur.execute(f"GRANT SELECT ON {KEY_TABLE} TO app")
    conn.close()
    wait_replica_caught_up("pg0")


def key_owners(proxy, keys, forms):
    """key -> the endpoint that served every read of it; each key is read once per form."""
    owners = {}
    last = reads(proxy)
    for key in keys:
        for form in forms:
            form(key)
        now = reads(proxy)
        served = delta(last, now)
        last = now
        assert len(served) == 1 and sum(served.values()) == len(forms), (key, served)
        owners[key] = next(iter(served))
    return owners


def shares_of(owners, names):
    return {e: sum(1 for o in owners.values() if o == e) / len(owners) for e in names}


def hash_policy():
    """Many keys spread by weight; every read of one key, literal (simple query) or bound
    parameter (extended protocol), lands on one backend; a replica leaving the map moves
    only its own keys."""
    create_key_table()
    a, b, p0 = endpoints()
    weights = (1, 2, 1)
    keys = list(range(1000, 1240))
    proxy = start(balancing_map("hash", weights))
    try:
        wait_all_up(proxy)
        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()
        raw = wire.Wire(proxy.port, "raw")
        raw.run(wire.parse("by_key", f"SELECT count(*) FROM {KEY_TABLE} WHERE k = $1"),
                wire.SYNC)

        def literal(key):
            cur.execute(f"SELECT count(*) FROM {KEY_TABLE} WHERE k = {key}")

        def bound(key):
            answer = raw.run(wire.bind("by_key", [str(key).encode()]), wire.execute(),
                             wire.SYNC)
            assert wire.types(answer) == "2DCZ", answer

        owners = key_owners(proxy, keys, [literal, bound, literal, bound])
        # A read with no key (one session, so one worker's balancer): plain round robin.
        before = reads(proxy)
        for _ in range(90):
            cur.execute("SELECT 1")
        keyless = delta(before, reads(proxy))
        raw.close()
        conn.close()
    finally:
        proxy.stop()
    shares = shares_of(owners, (a, b, p0))
    print(f"  hash: {len(keys)} keys, 4 reads each, all on one backend per key; "
          f"shares {shares} for weights {weights}")
    total = sum(weights)
    for endpoint, weight in zip((a, b, p0), weights):
        assert abs(shares[endpoint] - weight / total) < 0.1, shares
    print(f"  hash: 90 reads without a key: {keyless}")
    assert keyless == {a: 30, b: 30, p0: 30}, keyless

    # b leaves the map: its keys move, nobody else's.
    proxy = start(balancing_map("hash", weights, replicas=("a",)))
    try:
        wait_all_up(proxy)
        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()
        after = key_owners(proxy, keys, [literal])
        conn.close()
    finally:
        proxy.stop()
    moved = [k for k in keys if after[k] != owners[k]]
    print(f"  hash: without {b}: {len(moved)} keys moved, "
          f"{sum(1 for k in keys if owners[k] == b)} were on it")
    for key in keys:
        if owners[key] == b:
            assert after[key] in (a, p0), (key, after[key])
        else:
            assert after[key] == owners[key], (key, owners[key], after[key])
    assert {after[k] for k in moved} == {a, p0}, "moved keys spread over both remaining"


class SlowReaders:
    """`clients` sessions each running `sql` in a loop until stopped."""

    def __init__(self, proxy, sql, clients):
        self.errors = []
        self.stop_flag = threading.Event()
        self.threads = [threading.Thread(target=self.loop, args=(proxy, sql), daemon=True)
                        for _ in range(clients)]

    def loop(self, proxy, sql):
        try:
            conn = proxy.connect()
            conn.autocommit = True
            with conn.cursor() as cur:
                while not self.stop_flag.is_set():
                    cur.execute(sql)
                    cur.fetchall()
            conn.close()
        except Exception as e:  # reported by the case
            self.errors.append(e)

    def run_for(self, seconds):
        for t in self.threads:
            t.start()
        time.sleep(seconds)
        self.stop_flag.set()
        for t in self.threads:
            t.join(timeout=10)
        assert not self.errors, self.errors


def least_connections():
    """Equal weights; the primary answers the same read 8x slower than the replica
    (pg_sleep by pg_is_in_recovery()). Least connections keeps about as many reads in
    flight on each backend, so the slow primary serves far fewer reads than the third
    round robin would give it (with equal in-flight counts: 1/0.08 : 1/0.01 : 1/0.01,
    about 6 %), and the two replica names share equally."""
    a, b, p0 = endpoints()
    proxy = start(balancing_map("least_connections", (1, 1, 1)), workers=1)
    try:
        before = reads(proxy)
        SlowReaders(proxy, "SELECT pg_sleep(CASE WHEN pg_is_in_recovery() THEN 0.01 "
                    "ELSE 0.08 END)", clients=6).run_for(2.5)
        served = delta(before, reads(proxy))
    finally:
        proxy.stop()
    total = sum(served.values())
    shares = {e: served.get(e, 0) / total for e in (a, b, p0)}
    print(f"  least_connections: {served} of {total} reads; shares {shares}")
    assert total >= 300, served
    assert shares[p0] < 0.15, shares
    assert abs(shares[a] - shares[b]) < 0.1, shares


def weighted_least_connections():
    """Weights 1:3:2 with equal service time: connections in flight per backend follow the
    weights, and so do the reads served (1/6, 3/6, 2/6)."""
    a, b, p0 = endpoints()
    weights = (1, 3, 2)
    proxy = start(balancing_map("weighted_least_connections", weights), workers=1)
    try:
        before = reads(proxy)
        SlowReaders(proxy, "SELECT pg_sleep(0.02)", clients=12).run_for(2.5)
        served = delta(before, reads(proxy))
    finally:
        proxy.stop()
    total = sum(served.values())
    shares = {e: served.get(e, 0) / total for e in (a, b, p0)}
    print(f"  weighted_least_connections: {served} of {total} reads; shares {shares} "
          f"for weights {weights}")
    assert total >= 300, served
    for endpoint, weight in zip((a, b, p0), weights):
        assert abs(shares[endpoint] - weight / sum(weights)) < 0.07, shares


def least_latency():
    """Bursts of reads between two /status reads that report the same probe latencies: every
    read of the burst goes to the backend with the lowest of them."""
    a, b, p0 = endpoints()
    proxy = start(balancing_map("least_latency", (1, 1, 1)))
    try:
        conn = proxy.connect()
        conn.autocommit = True
        cur = conn.cursor()
        checked, winners, deadline = 0, set(), time.time() + 10
        while checked < 5 and time.time() < deadline:
            doc = status(proxy)
            latency = {x["endpoint"]: x["probe_latency_us"] for x in doc["backends"]
                       if x["shard"] == "pg0"}
            counts = {x["endpoint"]: x["reads"] for x in doc["backends"] if x["shard"] == "pg0"}
            for _ in range(20):
                cur.execute("SELECT 1")
            doc = status(proxy)
            if {x["endpoint"]: x["probe_latency_us"] for x in doc["backends"]
                    if x["shard"] == "pg0"} != latency:
                continue  # a probe landed during the burst: the inputs changed
            served = delta(counts, {x["endpoint"]: x["reads"] for x in doc["backends"]
                                    if x["shard"] == "pg0"})
            fastest = min(latency.values())
            best = {e for e, v in latency.items() if v == fastest}
            print(f"  least_latency: probe latencies {latency} us -> reads {served}")
            assert set(served) <= best and sum(served.values()) == 20, (latency, served)
            checked += 1
            winners |= best
            time.sleep(HEALTH_MS / 1000 / 2)
        conn.close()
    finally:
        proxy.stop()
    assert checked >= 3, f"only {checked} bursts without a probe in between"
    assert winners <= {a, b, p0}


CASES = {"hash": hash_policy, "least_connections": least_connections,
         "weighted_least_connections": weighted_least_connections,
         "least_latency": least_latency}
