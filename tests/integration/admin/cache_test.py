#!/usr/bin/python3
"""The result cache (result_cache_bytes, hint cache_ttl_ms=N) against the real topology.

pg:    psycopg2: a hinted read is answered from the cache the second time (a row changed on
       the server behind the proxy's back still reads old: it is the cache); a write through
       the proxy invalidates at once; 300 write-then-read rounds on two connections never read
       a value older than the acknowledged one; an open transaction's write keeps the table
       out of the cache until COMMIT; reads inside a transaction and now() are never cached.
mysql: pymysql: hit, invalidation by an UPDATE through the proxy, no stale read after it.
shared: the map's result_cache setting (no hint) and two proxies sharing an etcd prefix: a
       write through one drops the other's entries (psycopg2 and pymysql), also what the other
       stored while the write's transaction was open; the time until the other proxy reads
       the new value is reported.
Usage: cache_test.py pg|mysql|shared"""
import os
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cross_shard"))
import write_test as wt  # noqa: E402  (proxies with an admin port, token sg-test)

st = wt.st
CONFIG = "result_cache_bytes: 16MiB\n"
HINT = "/* shardgate: cache_ttl_ms=60000 */ "


def counters(proxy):
    """The result cache's counters, without their prefix."""
    c = st.admin_status(proxy.admin_port)["counters"]
    return {k.split(".", 1)[1]: v for k, v in c.items() if k.startswith("result_cache.")}


def owner(engine, key):
    rows = wt.stored(engine)
    return rows[key][0]


def pg():
    wt.setup("pg")
    with wt.Proxy(extra_config=CONFIG) as proxy:
        writer = proxy.connect()
        writer.autocommit = True
        reader = proxy.connect()
        reader.autocommit = True
        w, r = writer.cursor(), reader.cursor()
        w.execute("INSERT INTO sg_writes (id, v) VALUES (1, 'one'), (2, 'x')")
        read = HINT + "SELECT v FROM sg_writes WHERE id = %s"
        # (the first answer may not be kept: the INSERT's worker may not have finished its
        # bookkeeping when this read began; a read never waits for it)
        for _ in range(2):
            r.execute(read, (1,))
            assert r.fetchone() == ("one",)
        before = counters(proxy)
        assert before["stores"] >= 1, before
        r.execute(read, (1,))
        assert r.fetchone() == ("one",) and r.statusmessage == "SELECT 1"
        after = counters(proxy)
        assert after["hits"] == before["hits"] + 1, (before, after)
        # changed behind the proxy's back: still the cached answer (bounded by the TTL only)
        shard = owner("pg", 1)
        with st.pg_direct(st.PG_PRIMARIES[shard]) as c, c.cursor() as cur:
            cur.execute("UPDATE sg_writes SET v = 'behind' WHERE id = 1")
        r.execute(read, (1,))
        assert r.fetchone() == ("one",)
        # a write through the proxy invalidates before it is acknowledged
        w.execute("UPDATE sg_writes SET v = 'two' WHERE id = 1")
        r.execute(read, (1,))
        assert r.fetchone() == ("two",)
        assert counters(proxy)["invalidations"] >= 1
        # write then read on another connection, 300 rounds: never older than acknowledged
        stale = 0
        for n in range(300):
            w.execute("UPDATE sg_writes SET v = %s WHERE id = 2", (f"v{n}",))
            r.execute(read, (2,))
            stale += r.fetchone() != (f"v{n}",)
            r.execute(read, (2,))  # a second read may be a hit: the same value
            stale += r.fetchone() != (f"v{n}",)
        assert stale == 0, stale
        # an open transaction's write keeps the table out of the cache until it ends
        r.execute(read, (1,))
        r.execute(read, (1,))
        hits = counters(proxy)["hits"]
        writer.autocommit = False
        w.execute("UPDATE sg_writes SET v = 'three' WHERE id = 1")
        r.execute(read, (1,))
        assert r.fetchone() == ("two",)  # not committed yet: the server's answer, not a hit
        assert counters(proxy)["hits"] == hits
        writer.commit()
        writer.autocommit = True
        r.execute(read, (1,))
        assert r.fetchone() == ("three",)
        # never inside a transaction, never now()
        c = counters(proxy)
        reader.autocommit = False
        r.execute(read, (1,))
        r.execute(read, (1,))
        reader.rollback()
        reader.autocommit = True
        r.execute(HINT + "SELECT now(), v FROM sg_writes WHERE id = 1")
        r.execute(HINT + "SELECT now(), v FROM sg_writes WHERE id = 1")
        c2 = counters(proxy)
        assert c2["hits"] == c["hits"] and c2["stores"] == c["stores"], (c, c2)
        # a scatter read is cached too, and invalidated by a write to its table
        r.execute(HINT + "SELECT count(*) FROM sg_writes")
        r.execute(HINT + "SELECT count(*) FROM sg_writes")
        assert r.fetchone() == (2,)
        w.execute("INSERT INTO sg_writes (id, v) VALUES (3, 'y')")
        r.execute(HINT + "SELECT count(*) FROM sg_writes")
        assert r.fetchone() == (3,)
        final = counters(proxy)
        print(f"  psycopg2: hits {final['hits']}, stores {final['stores']}, invalidations "
              f"{final['invalidations']}, skipped {final['store_skipped']}; 600 reads right "
              "after acknowledged writes: 0 stale; uncommitted write kept the table out; "
              "transactions and now() never cached")


def mysql():
    wt.setup("mysql")
    with wt.Proxy(extra_config=CONFIG) as proxy:
        writer, reader = proxy.my(), proxy.my()
        with writer.cursor() as w, reader.cursor() as r:
            w.execute("INSERT INTO sg_writes (id, v) VALUES (1, 'one')")
            read = HINT + "SELECT v FROM sg_writes WHERE id = 1"
            read_until_stored(proxy, r, read, "one")
            before = counters(proxy)
            r.execute(read)
            assert r.fetchone() == ("one",)
            assert counters(proxy)["hits"] == before["hits"] + 1
            stale = 0
            for n in range(200):
                w.execute("UPDATE sg_writes SET v = %s WHERE id = 1", (f"v{n}",))
                r.execute(read)
                stale += r.fetchone() != (f"v{n}",)
                r.execute(read)
                stale += r.fetchone() != (f"v{n}",)
            assert stale == 0, stale
        final = counters(proxy)
        # each second read normally hits; a first read can reach the proxy before the write's
        # session has released the table (the client has its OK a moment earlier): that read
        # is not stored (store_skipped) and its pair misses, never stale
        assert final["hits"] >= 150, final
        print(f"  pymysql: hits {final['hits']}, invalidations {final['invalidations']}, "
              f"skipped {final['store_skipped']}; 400 "
              "reads right after acknowledged writes: 0 stale")


def read_until_stored(proxy, cursor, read, expected):
    """Reads (each answer `expected`) until the proxy has stored an answer: a read racing the
    release of a write just before is not kept."""
    for _ in range(5):
        cursor.execute(read)
        assert cursor.fetchone() == (expected,)
        if counters(proxy)["stores"] >= 1:
            return
    raise AssertionError(f"nothing stored after 5 reads: {counters(proxy)}")


def read_until_hit(proxy, cursor, read, expected):
    """Reads until one read is answered from the cache. A read may miss only when an
    invalidation dropped the stored answer just before it (the notice of the write through
    the other proxy reaches this one through etcd, a moment after the write)."""
    for _ in range(5):
        before = counters(proxy)
        cursor.execute(read)
        assert cursor.fetchone() == (expected,)
        after = counters(proxy)
        if after["hits"] == before["hits"] + 1:
            return
        assert after["invalidations"] > before["invalidations"] or \
            after["stores"] == before["stores"] + 1, ("a miss without a reason", before, after)
    raise AssertionError(f"no read answered from the cache in 5: {counters(proxy)}")


def read_until(cursor, read, expected, failure):
    """Reads until the answer is `expected` (at most 5 s); the milliseconds it took."""
    began = time.time()
    while True:
        cursor.execute(read)
        if cursor.fetchone() == (expected,):
            return 1000 * (time.time() - began)
        assert time.time() - began < 5, failure
        time.sleep(0.002)


def shared():
    import etcd_test  # noqa: E402  (the topology's etcd)
    wt.setup("pg")
    wt.setup("mysql")
    cached_map = wt.map_with("cache_map", "", settings="    result_cache: {sg_writes: 60000}\n")
    config = (CONFIG + f"map_store: etcd\netcd_endpoints: {etcd_test.etcd_endpoint()}\n"
              f"etcd_prefix: /sg-cache-{uuid.uuid4().hex[:8]}\netcd_lease_ttl_s: 2\n")
    with wt.proxy_for(cached_map)(extra_config=config + "proxy_id: sg-cache-a\n") as a, \
            wt.proxy_for(cached_map)(extra_config=config + "proxy_id: sg-cache-b\n") as b:
        pa, pb = a.connect(), b.connect()
        pa.autocommit = pb.autocommit = True
        ma, mb = a.my(), b.my()
        report = []
        for name, wa, rb, mark in (("psycopg2", pa, pb, "%s"), ("pymysql", ma, mb, "%s")):
            with wa.cursor() as w, rb.cursor() as r:
                w.execute(f"INSERT INTO sg_writes (id, v) VALUES (1, 'one') ON "
                          + ("CONFLICT (id) DO UPDATE SET v = 'one'" if name == "psycopg2"
                             else "DUPLICATE KEY UPDATE v = 'one'"))
                read = "SELECT v FROM sg_writes WHERE id = 1"  # no hint: the map's setting
                read_until_stored(b, r, read, "one")
                read_until_hit(b, r, read, "one")
                before = counters(b)
                # a table without a TTL in the map is not cached
                r.execute("SELECT count(*) FROM sg_ref")
                r.execute("SELECT count(*) FROM sg_ref")
                assert counters(b)["stores"] == before["stores"], (before, counters(b))
                # a write through the other proxy: b drops its entry once etcd tells it
                w.execute(f"UPDATE sg_writes SET v = {mark} WHERE id = 1", ("two",))
                ms = read_until(r, read, "two", "b kept the stale answer")
                report.append(f"{name} {ms:.0f} ms")
                # a transaction on a: b reads (and may store) the old row meanwhile; the
                # commit's notice drops it
                if name == "psycopg2":
                    wa.autocommit = False
                else:
                    wa.begin()
                w.execute(f"UPDATE sg_writes SET v = {mark} WHERE id = 1", ("three",))
                time.sleep(0.1)  # (a's notice of the write's start has reached b)
                for _ in range(3):
                    r.execute(read)
                    assert r.fetchone() == ("two",)
                wa.commit()
                if name == "psycopg2":
                    wa.autocommit = True
                ms = read_until(r, read, "three", "b kept the answer read before a's commit")
                report.append(f"after COMMIT {ms:.0f} ms")
            assert counters(b)["remote_invalidations"] >= 1, counters(b)
        for conn in (pa, pb, ma, mb):
            conn.close()
        print("  map setting result_cache: {sg_writes: 60000} caches unhinted reads; a write "
              "through proxy a reached proxy b's cache through etcd after " + ", ".join(report))


if __name__ == "__main__":
    {"pg": pg, "mysql": mysql, "shared": shared}[sys.argv[1]]()
    print("ok")
