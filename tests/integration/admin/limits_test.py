#!/usr/bin/python3
"""Rate limits and fan-out protection (config rate_limits) against the real topology.

rates:   a user limited to 50 statements/s is throttled (100 sequential statements take about
         a second, none refused); 8 concurrent connections of that user get 53400 (psycopg2)
         and 1226/53400 (pymysql) once a token would take longer than max_wait_ms, and their
         sessions go on; another user is not limited and sees no error.
scatter: scatter_per_database 2: six concurrent slow cross-shard reads never run more than two
         at once on a shard (pg_stat_activity on its servers, polled), the ones that cannot
         get a slot within max_wait_ms get 53400; counters show waits and refusals.
Usage: limits_test.py rates|scatter"""
import os
import sys
import threading
import time

import psycopg2
import pymysql

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cross_shard"))
import write_test as wt  # noqa: E402  (proxies with an admin port, token sg-test)

st = wt.st
USERS = "  - {name: flood, password: flood}\n  - {name: reports, password: reports}\n"
# every proxy user logs in to the servers as app
BACKEND = "backend_user: app\nbackend_password: app\n"


def counters(proxy):
    return st.admin_status(proxy.admin_port)["counters"]


def pg_as(proxy, user):
    conn = psycopg2.connect(host="127.0.0.1", port=proxy.port, dbname="shop", user=user,
                            password=user, connect_timeout=5)
    conn.autocommit = True
    return conn


def rates():
    wt.setup("pg")
    wt.setup("mysql")
    config = BACKEND + ("rate_limits:\n  max_wait_ms: 100\n  users: {flood: 50}\n")
    with wt.Proxy(extra_config=config, extra_users=USERS) as proxy:
        flood = pg_as(proxy, "flood")
        with flood.cursor() as cur:
            began = time.time()
            for i in range(100):
                cur.execute("SELECT v FROM sg_writes WHERE id = %s", (i,))
            took = time.time() - began
        # a burst of 50, then 50 per second: the 50 after the burst take about a second
        assert took >= 0.85, took
        assert counters(proxy)["pg.rate_limit_waits"] > 0
        refused = {"pg": 0, "my": 0}
        done = {"pg": 0, "my": 0}
        errors = []
        lock = threading.Lock()

        def count(table, kind):
            with lock:
                table[kind] += 1

        def hammer(kind):
            try:
                if kind == "pg":
                    conn = pg_as(proxy, "flood")
                else:
                    conn = pymysql.connect(host="127.0.0.1", port=proxy.mysql_port,
                                           user="flood", password="flood", database="social",
                                           autocommit=True, connect_timeout=5)
                for i in range(40):
                    try:
                        with conn.cursor() as cur:
                            cur.execute("SELECT v FROM sg_writes WHERE id = %s", (i,))
                            cur.fetchall()
                        count(done, kind)
                    except psycopg2.Error as e:
                        assert e.pgcode == "53400" and "user \"flood\"" in str(e), e
                        count(refused, kind)
                    except pymysql.err.OperationalError as e:
                        assert e.args[0] == 1226 and "flood" in e.args[1], e
                        count(refused, kind)
                # the session survives its refusals (other connections may still be using the
                # user's tokens: retry for a while)
                for attempt in range(50):
                    try:
                        with conn.cursor() as cur:
                            cur.execute("SELECT 1")
                        break
                    except (psycopg2.Error, pymysql.err.OperationalError):
                        count(refused, kind)  # refused again (counted by the proxy too)
                        time.sleep(0.1)
                else:
                    raise AssertionError("the session never ran a statement again")
                conn.close()
            except Exception as e:  # noqa: BLE001 (reported below)
                errors.append(repr(e))

        app_errors = []

        def app_reads():
            try:
                conn = proxy.connect()
                conn.autocommit = True
                with conn.cursor() as cur:
                    for i in range(200):
                        cur.execute("SELECT v FROM sg_writes WHERE id = %s", (i,))
                conn.close()
            except Exception as e:  # noqa: BLE001
                app_errors.append(repr(e))

        # one protocol at a time: the user's bucket is shared by both frontends, and which
        # of two mixed floods gets refused depends on which one's clients come back faster
        reads = threading.Thread(target=app_reads)
        reads.start()
        for kind in ("pg", "my"):
            threads = [threading.Thread(target=hammer, args=(kind,)) for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(120)
        reads.join(120)
        assert not errors, errors
        assert not app_errors, app_errors
        assert refused["pg"] > 0 and refused["my"] > 0, refused
        assert done["pg"] > 0 and done["my"] > 0, done
        c = counters(proxy)
        assert c["pg.rate_limit_refusals"] == refused["pg"], (c["pg.rate_limit_refusals"], refused)
        assert c["mysql.rate_limit_refusals"] == refused["my"], c["mysql.rate_limit_refusals"]
        print(f"  100 statements of a 50/s user took {took:.2f} s; 8 concurrent connections: "
              f"{done['pg'] + done['my']} ran, {refused['pg']} refused 53400 (PostgreSQL), "
              f"{refused['my']} refused 1226 (MySQL); 200 reads of another user: no error")


def scatter():
    wt.setup("pg")
    with st.pg_direct(st.PG_PRIMARIES["pg0"]) as c, c.cursor() as cur:
        cur.execute("SELECT 1")
    config = BACKEND + ("rate_limits:\n  max_wait_ms: 100\n  scatter_per_database: {shop: 2}\n")
    with wt.Proxy(extra_config=config, extra_users=USERS) as proxy:
        app = proxy.connect()
        app.autocommit = True
        with app.cursor() as cur:
            for i in range(20):
                cur.execute("INSERT INTO sg_writes (id, v) VALUES (%s, 'x')", (i,))
        app.close()
        marker = "sg_fanout_probe"
        sql = (f"SELECT count(*) FROM sg_writes WHERE pg_sleep(0.03) IS NOT NULL "
               f"AND v <> '{marker}'")
        outcome = {"ok": 0, "refused": 0}
        errors = []
        lock = threading.Lock()
        stop = threading.Event()
        peak = {"pg0": 0, "pg1": 0}

        def watch():
            # reads may run on a shard's primary or its replica: both are watched
            conns = {}
            for servers in (st.PG_PRIMARIES, st.PG_REPLICAS):
                for shard, port in servers.items():
                    c = psycopg2.connect(host="127.0.0.1", port=port, dbname="shop",
                                         user="admin", password="admin")
                    c.autocommit = True
                    conns.setdefault(shard, []).append(c)
            while not stop.is_set():
                for shard, servers in conns.items():
                    running = 0
                    for c in servers:
                        with c.cursor() as cur:
                            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE query LIKE "
                                        f"'%{marker}%' AND query NOT LIKE '%pg_stat_activity%' "
                                        "AND state = 'active'")
                            running += cur.fetchone()[0]
                    peak[shard] = max(peak[shard], running)
                time.sleep(0.005)
            for servers in conns.values():
                for c in servers:
                    c.close()

        def reader():
            try:
                conn = pg_as(proxy, "reports")
                for _ in range(5):
                    try:
                        with conn.cursor() as cur:
                            cur.execute(sql)
                            assert cur.fetchone() == (20,)
                        with lock:
                            outcome["ok"] += 1
                    except psycopg2.Error as e:
                        assert e.pgcode == "53400" and "at once" in str(e), e
                        with lock:
                            outcome["refused"] += 1
                conn.close()
            except Exception as e:  # noqa: BLE001
                errors.append(repr(e))

        watcher = threading.Thread(target=watch)
        watcher.start()
        threads = [threading.Thread(target=reader) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        stop.set()
        watcher.join(10)
        assert not errors, errors
        assert outcome["ok"] > 0 and outcome["refused"] > 0, outcome
        assert 1 <= max(peak.values()) <= 2, peak
        c = counters(proxy)
        assert c["pg.scatter_limit_refusals"] == outcome["refused"], c["pg.scatter_limit_refusals"]
        assert c["pg.scatter_limit_waits"] >= outcome["refused"], c["pg.scatter_limit_waits"]
        print(f"  6 concurrent slow scatter readers, limit 2: {outcome['ok']} ran, "
              f"{outcome['refused']} refused 53400; at most {max(peak.values())} at once on a "
              "shard (pg_stat_activity)")


if __name__ == "__main__":
    {"rates": rates, "scatter": scatter}[sys.argv[1]]()
    print("ok")
