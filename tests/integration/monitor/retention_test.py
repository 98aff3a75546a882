#!/usr/bin/python3
"""Heartbeat rows of retired proxy ids are deleted: a row stamped two hours ago on every
primary (both engines) is gone within a few seconds under `heartbeat_retention_s: 2`; the
proxy's own row stays. Usage: retention_test.py"""
import os
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cross_shard"))
import scatter_test as st  # noqa: E402  (direct connections, the harness)

PG_TABLE = ("CREATE TABLE IF NOT EXISTS shardgate_heartbeat (proxy_id text PRIMARY KEY, "
            "seq bigint NOT NULL, ts_us bigint NOT NULL)")
MY_TABLE = ("CREATE TABLE IF NOT EXISTS shardgate_heartbeat (proxy_id VARCHAR(128) NOT NULL "
            "PRIMARY KEY, seq BIGINT NOT NULL, ts_us BIGINT NOT NULL) ENGINE=InnoDB")


def ids_on(shard):
    """The proxy ids of the heartbeat table on a primary."""
    if shard in st.PG_PRIMARIES:
        with st.pg_direct(st.PG_PRIMARIES[shard], admin=True) as c, c.cursor() as cur:
            cur.execute("SELECT proxy_id FROM shardgate_heartbeat")
            return {r[0] for r in cur.fetchall()}
    with st.my_direct(st.MY_PRIMARIES[shard], admin=True) as c:
        cur = c.cursor()
        cur.execute("SELECT proxy_id FROM shardgate_heartbeat")
        return {r[0] for r in cur.fetchall()}


def main():
    dead = f"sg-retired-{uuid.uuid4().hex[:8]}"
    own = f"sg-retention-{uuid.uuid4().hex[:8]}"
    stamp = int((time.time() - 7200) * 1e6)
    for port in st.PG_PRIMARIES.values():
        with st.pg_direct(port, admin=True) as c, c.cursor() as cur:
            cur.execute(PG_TABLE)
            cur.execute("INSERT INTO shardgate_heartbeat VALUES (%s, 1, %s)", (dead, stamp))
    for port in st.MY_PRIMARIES.values():
        with st.my_direct(port, admin=True) as c:
            c.cursor().execute(MY_TABLE)
            c.cursor().execute("INSERT INTO shardgate_heartbeat VALUES (%s, 1, %s)",
                               (dead, stamp))
    shards = list(st.PG_PRIMARIES) + list(st.MY_PRIMARIES)
    assert all(dead in ids_on(shard) for shard in shards)
    proxy = st.Proxy(extra_config=f"heartbeat_retention_s: 2\nproxy_id: {own}\n")
    try:
        began = time.time()
        deadline = began + 10
        while time.time() < deadline and any(dead in ids_on(s) for s in shards):
            time.sleep(0.2)
        left = [s for s in shards if dead in ids_on(s)]
        assert not left, f"the retired row is still on {left}"
        took = time.time() - began
        assert all(own in ids_on(shard) for shard in shards)
        print(f"  a heartbeat row stamped 2 h ago went from {len(shards)} primaries within "
              f"{took:.1f} s of the proxy's start (retention 2 s); its own row stays")
    finally:
        proxy.stop()
        for port in st.PG_PRIMARIES.values():
            with st.pg_direct(port, admin=True) as c, c.cursor() as cur:
                cur.execute("DELETE FROM shardgate_heartbeat WHERE proxy_id IN (%s, %s)",
                            (dead, own))
        for port in st.MY_PRIMARIES.values():
            with st.my_direct(port, admin=True) as c:
                c.cursor().execute("DELETE FROM shardgate_heartbeat WHERE proxy_id IN (%s, %s)",
                                   (dead, own))


if __name__ == "__main__":
    main()
    print("ok")
