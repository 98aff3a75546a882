"""A backend's connection limit reached (a role limited to 2 connections on PostgreSQL,
MAX_USER_CONNECTIONS 2 on MariaDB; shardgate's backend login is that user): two clients hold
the two connections in open transactions; a third client's statement gets a clear error in its
protocol naming the shard and the server's reason, within the connect timeout, with one
connect attempt per statement (no retry storm, counted in /status); its session survives and
works once a connection is free again; the two transactions commit.
Usage: connection_limit_test.py pg|mysql"""
import json
import os
import sys
import time
import urllib.request

import psycopg2
import pymysql

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cross_shard"))
import scatter_test as st  # noqa: E402  (both-frontend Proxy, direct connections)

harness = st.harness
USER, PASSWORD = "sg_limited", "limited"


def status_counter(port, plane, name):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/status")
    request.add_header("Authorization", "Bearer sg-test")
    with urllib.request.urlopen(request, timeout=5) as response:
        doc = json.loads(response.read())
    return doc["counters"].get(f"{plane}.{name}", 0)


def prepare(engine):
    if engine == "pg":
        with st.pg_direct(st.PG_PRIMARIES["pg0"], admin=True) as c, c.cursor() as cur:
            cur.execute(f"DROP ROLE IF EXISTS {USER}")
            cur.execute(f"CREATE ROLE {USER} LOGIN PASSWORD '{PASSWORD}' CONNECTION LIMIT 2")
            cur.execute(f"GRANT ALL ON SCHEMA public TO {USER}")
        with st.pg_direct(st.PG_PRIMARIES["pg0"]) as c, c.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_limit")
            cur.execute("CREATE TABLE sg_limit (id int PRIMARY KEY, n int)")
            cur.execute(f"GRANT ALL ON sg_limit TO {USER}")
    else:
        with st.my_direct(st.MY_PRIMARIES["my0"], admin=True) as c:
            cur = c.cursor()
            cur.execute(f"DROP USER IF EXISTS '{USER}'@'%'")
            cur.execute(f"CREATE USER '{USER}'@'%' IDENTIFIED BY '{PASSWORD}' "
                        "WITH MAX_USER_CONNECTIONS 2")
            cur.execute(f"GRANT ALL ON social.* TO '{USER}'@'%'")
            cur.execute("DROP TABLE IF EXISTS social.sg_limit")
            cur.execute("CREATE TABLE social.sg_limit (id int PRIMARY KEY, n int)")


def cleanup(engine):
    if engine == "pg":
        with st.pg_direct(st.PG_PRIMARIES["pg0"], admin=True) as c, c.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_limit")
            cur.execute(f"DROP OWNED BY {USER}")
            cur.execute(f"DROP ROLE IF EXISTS {USER}")
    else:
        with st.my_direct(st.MY_PRIMARIES["my0"], admin=True) as c:
            c.cursor().execute("DROP TABLE IF EXISTS social.sg_limit")
            c.cursor().execute(f"DROP USER IF EXISTS '{USER}'@'%'")


def main(engine):
    prepare(engine)
    admin = harness.free_port()
    config = (f"backend_user: {USER}\nbackend_password: {PASSWORD}\npool_size: 10\n"
              "connect_timeout_ms: 2000\nadmin_token: sg-test\n")
    plane = "pg" if engine == "pg" else "mysql"
    try:
        with st.Proxy(extra_config=config, workers=1,
                      admin_listen=f"127.0.0.1:{admin}") as proxy:
            if engine == "pg":
                clients = [proxy.connect() for _ in range(3)]
                for c in clients:
                    c.autocommit = True
                run = [c.cursor() for c in clients]
                begin, write = "BEGIN", "INSERT INTO sg_limit VALUES (%s, 0)"
                errors = (psycopg2.Error,)
            else:
                clients = [proxy.my() for _ in range(3)]
                run = [c.cursor() for c in clients]
                begin, write = "BEGIN", "INSERT INTO sg_limit VALUES (%s, 0)"
                errors = (pymysql.MySQLError,)
            # two transactions hold the role's two connections (sg_limit: the default shard)
            for i in (0, 1):
                run[i].execute(begin)
                run[i].execute(write, (i,))
            before = status_counter(admin, plane, "backend_connect_failures")
            failures = []
            for attempt in range(3):
                started = time.time()
                try:
                    run[2].execute(write, (2,))
                    raise AssertionError("the third connection must be refused by the server")
                except errors as e:
                    failures.append((str(e), time.time() - started))
            after = status_counter(admin, plane, "backend_connect_failures")
            for text, seconds in failures:
                assert ("too many connections for role" in text
                        or "max_user_connections" in text), text
                assert ("shard pg0" in text or "shard my0" in text), text
                assert seconds < 2.5, seconds
            # one connect attempt per statement: no retry storm
            assert after - before == len(failures), (before, after, failures)
            # a connection comes free: the same session goes on (the COMMIT's answer can reach
            # the client a moment before its connection is back in the pool)
            run[0].execute("COMMIT")
            late = 0
            for wait in range(20):
                try:
                    run[2].execute(write, (2,))
                    break
                except errors:
                    late += 1
                    if wait == 19:
                        raise
                    time.sleep(0.05)
            run[1].execute("COMMIT")
            if engine == "mysql":
                clients[2].commit()
            for c in clients:
                c.close()
            print(f"  {engine}: 3 statements refused while the limit was reached, "
                  f"{after - before} connect attempts; e.g. {failures[0][0].strip()[:160]!r} "
                  f"after {failures[0][1] * 1000:.0f} ms; the session went on afterwards ({late} "
                  "statements refused right after the COMMIT)")
        if engine == "pg":
            with st.pg_direct(st.PG_PRIMARIES["pg0"]) as c, c.cursor() as cur:
                cur.execute("SELECT id FROM sg_limit ORDER BY id")
                assert [r[0] for r in cur.fetchall()] == [0, 1, 2]
        else:
            with st.my_direct(st.MY_PRIMARIES["my0"]) as c:
                cur = c.cursor()
                cur.execute("SELECT id FROM social.sg_limit ORDER BY id")
                assert [r[0] for r in cur.fetchall()] == [0, 1, 2]
    finally:
        cleanup(engine)


if __name__ == "__main__":
    main(sys.argv[1])
