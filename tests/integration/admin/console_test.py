#!/usr/bin/python3
"""The admin console (database `shardgate` of both frontends) against the real topology, with
psql and the mysql client, psycopg2 and pymysql: SHOW commands answer ordinary result sets
that agree with /status and with the clients really connected; KILL, PAUSE/RESUME and RELOAD
act; users without `admin: true` are refused in each protocol's error format and a refused
USE leaves the session usable; an unknown command is an error the session survives.
Usage: console_test.py pg|mysql|clients|actions"""
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request

import psycopg2
import pymysql

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cross_shard"))
import write_test as wt  # noqa: E402  (proxies with an admin port, token sg-test)

# The servers' admin login, so that the same user also reaches the data databases.
OPS = "  - {name: admin, password: admin, admin: true}\n"


def psql(proxy, sql, user="admin", stdin=None):
    args = ["psql", "-X", "-h", "127.0.0.1", "-p", str(proxy.port), "-U", user, "-d", "shardgate",
            "-v", "ON_ERROR_STOP=0"]
    args += ["-f", "-"] if stdin is not None else ["-At", "-F", "|", "-c", sql]
    return subprocess.run(args, env=dict(os.environ, PGPASSWORD=user), capture_output=True,
                          text=True, input=stdin, timeout=30)


def mysql_cli(proxy, sql, user="admin", database="shardgate", table=False):
    args = ["mysql", "-h127.0.0.1", f"-P{proxy.mysql_port}", f"-u{user}", f"-p{user}",
            f"-D{database}", "--table" if table else "--batch", "-e", sql]
    return subprocess.run(args, capture_output=True, text=True, timeout=30)


def console_pg(proxy):
    conn = psycopg2.connect(host="127.0.0.1", port=proxy.port, dbname="shardgate", user="admin",
                            password="admin", connect_timeout=5)
    conn.autocommit = True
    return conn


def console_my(proxy):
    return pymysql.connect(host="127.0.0.1", port=proxy.mysql_port, user="admin", password="admin",
                           database="shardgate", autocommit=True, connect_timeout=5)


def rows(conn, sql):
    with conn.cursor() as cur:
        cur.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]


def status(proxy):
    return wt.st.admin_status(proxy.admin_port)


def pg():
    with wt.Proxy(extra_users=OPS) as proxy:
        endpoints = sorted(b["endpoint"] for b in status(proxy)["backends"])
        out = psql(proxy, "SHOW BACKENDS")
        assert out.returncode == 0, out.stderr
        listed = sorted(line.split("|")[4] for line in out.stdout.splitlines())
        assert listed == endpoints, (listed, endpoints)
        out = psql(proxy, "SHOW SHARDS")
        shards = [line.split("|") for line in out.stdout.splitlines()]
        assert sorted(s[2] for s in shards) == ["my0", "my1", "pg0", "pg1"], out.stdout
        assert all(s[4] == "up" for s in shards), out.stdout
        # several statements in one Query, and the session after an unknown command
        out = psql(proxy, "SHOW EPOCH; SHOW VERSION")
        assert out.returncode == 0 and out.stdout.splitlines()[0].startswith("1|file|"), out
        conn = console_pg(proxy)
        try:
            rows(conn, "SHOW NONSENSE")
            raise AssertionError("an unknown command was accepted")
        except psycopg2.Error as e:
            assert e.pgcode == "42601" and "SHOW HELP" in str(e), e
        stats = {r["counter"]: int(r["value"]) for r in rows(conn, "SHOW STATS")}
        assert stats["pg.clients_authenticated"] >= 3, stats
        yaml = [r["yaml"] for r in rows(conn, "SHOW MAP")]
        assert "databases:" in "\n".join(yaml) and any("sg_writes" in line for line in yaml)
        # psycopg2 outside autocommit sends BEGIN first: accepted, does nothing
        conn.autocommit = False
        assert rows(conn, "SHOW EPOCH")[0]["epoch"] == "1"
        conn.rollback()
        conn.close()
        # the extended protocol (pgbench -M extended) is refused with an error, not a crash
        script = os.path.join(proxy.dir, "show.sql")
        with open(script, "w") as f:
            f.write("SHOW VERSION\n")
        out = subprocess.run(["pgbench", "-h", "127.0.0.1", "-p", str(proxy.port), "-U", "admin",
                              "-n", "-M", "extended", "-t", "1", "-f", script, "shardgate"],
                             env=dict(os.environ, PGPASSWORD="admin"), capture_output=True,
                             text=True, timeout=30)
        assert "simple query protocol only" in out.stderr, out.stderr
        assert psql(proxy, "SHOW EPOCH").returncode == 0
        # not an admin: FATAL 42501 at login
        try:
            psycopg2.connect(host="127.0.0.1", port=proxy.port, dbname="shardgate", user="app",
                             password="app", connect_timeout=5)
            raise AssertionError("a non-admin user reached the console")
        except psycopg2.OperationalError as e:
            assert "is not an admin" in str(e), e
        print(f"  psql/psycopg2: SHOW BACKENDS lists the {len(endpoints)} servers of /status, "
              "SHOW SHARDS 4 shards up, unknown command 42601, extended protocol refused, non-admin "
              "FATAL")


def mysql():
    with wt.Proxy(extra_users=OPS) as proxy:
        out = mysql_cli(proxy, "SHOW POOLS", table=True)
        assert out.returncode == 0, out.stderr
        assert out.stdout.startswith("+") and "pool_size_per_worker" in out.stdout, out.stdout
        assert out.stdout.count("127.0.0.1:") == 8, out.stdout
        out = mysql_cli(proxy, "SHOW SHARDS; SHOW EPOCH")
        assert out.returncode == 0 and "pg0" in out.stdout and "file" in out.stdout, out
        # into the console with USE from a data database, and out again
        out = mysql_cli(proxy, "USE shardgate; SHOW VERSION; USE social; SELECT DATABASE()",
                        database="social")
        assert out.returncode == 0, out.stderr
        assert "admin console" not in out.stdout and "social" in out.stdout, out.stdout
        # not an admin: 1044, and the session goes on in its database
        out = mysql_cli(proxy, "USE shardgate", user="app", database="social")
        assert out.returncode == 1 and "ERROR 1044 (42000)" in out.stderr, out
        app = pymysql.connect(host="127.0.0.1", port=proxy.mysql_port, user="app", password="app",
                              database="social", autocommit=True, connect_timeout=5)
        try:
            app.select_db("shardgate")
            raise AssertionError("a non-admin user reached the console")
        except pymysql.err.OperationalError as e:
            assert e.args[0] == 1044, e
        with app.cursor() as cur:
            cur.execute("SELECT DATABASE()")
            assert cur.fetchone()[0] == "social"
        app.close()
        ops = console_my(proxy)
        try:
            rows(ops, "SHOW NONSENSE")
            raise AssertionError("an unknown command was accepted")
        except pymysql.err.MySQLError as e:
            assert "SHOW HELP" in str(e), e
        help_rows = rows(ops, "SHOW HELP")
        assert any(r["command"] == "SHOW CLIENTS" for r in help_rows), help_rows
        ops.close()
        print("  mysql client/pymysql: SHOW POOLS as a table of 8 servers, USE shardgate and "
              "back, non-admin 1044 with the session kept, unknown command refused")


def clients():
    wt.setup("pg")
    # (no resolver: the participant prepared below must stay in doubt)
    with wt.Proxy(extra_users=OPS, extra_config="txn_resolve_interval_ms: 0\n") as proxy:
        app = proxy.connect()
        app.autocommit = False
        cur = app.cursor()
        # a transaction on both shards (a distributed transaction, two-phase at COMMIT)
        cur.execute("INSERT INTO sg_writes (id, v) VALUES " +
                    ", ".join(f"({i}, 'x')" for i in range(1, 21)))
        my = proxy.my()
        my_port = my._sock.getsockname()[1]
        console = console_my(proxy)
        listed = rows(console, "SHOW CLIENTS")
        by_protocol = {}
        for r in listed:
            by_protocol.setdefault(r["protocol"], []).append(r)
        mine = [r for r in by_protocol["mysql"] if r["address"].endswith(f":{my_port}")]
        assert len(mine) == 1 and mine[0]["user"] == "app" and mine[0]["database"] == "social", \
            listed
        apps_pg = [r for r in by_protocol["postgresql"] if r["user"] == "app"]
        assert len(apps_pg) == 1 and apps_pg[0]["database"] == "shop", listed
        assert int(apps_pg[0]["id"]) == app.info.backend_pid, (apps_pg, app.info.backend_pid)
        txns = [t for t in rows(console, "SHOW TRANSACTIONS") if t["kind"] == "in_flight"]
        assert len(txns) == 1 and txns[0]["protocol"] == "postgresql", txns
        assert sorted(txns[0]["shards"].split(",")) == ["pg0", "pg1"], txns
        sessions = {(r["protocol"], r["id"]): r for r in rows(console, "SHOW SESSIONS")}
        assert sessions[("postgresql", apps_pg[0]["id"])]["transaction"] == "active", sessions
        # KILL: the client's next statement fails, the others go on
        try:
            rows(console, "KILL 4000000000")
            raise AssertionError("KILL of no client succeeded")
        except pymysql.err.MySQLError as e:
            assert "no client session" in str(e), e
        killed = rows(console, f"KILL postgresql {apps_pg[0]['id']}")
        assert killed == [{"protocol": "postgresql", "killed": apps_pg[0]["id"]}], killed
        try:
            cur.execute("SELECT 1")
            raise AssertionError("the killed session still answers")
        except psycopg2.Error:
            pass
        rows(console, f"KILL mysql {mine[0]['id']}")
        try:
            with my.cursor() as c:
                c.execute("SELECT 1")
            raise AssertionError("the killed MySQL session still answers")
        except pymysql.err.MySQLError:
            pass
        left = rows(console, "SHOW CLIENTS")
        assert [r["user"] for r in left] == ["admin"], left
        # the killed transaction left nothing behind on the shards
        time.sleep(0.5)
        assert wt.stored("pg") == {}, wt.stored("pg")
        # a participant left prepared (as by a proxy killed mid-commit) is listed in doubt
        gid = "sg1.consoletest1.pg0.pg1"
        with wt.st.pg_direct(wt.st.PG_PRIMARIES["pg1"], admin=True) as c, c.cursor() as cur:
            cur.execute("BEGIN")
            cur.execute("INSERT INTO sg_writes (id, v) VALUES (999, 'doubt')")
            cur.execute(f"PREPARE TRANSACTION '{gid}'")
        try:
            listed = rows(console, "SHOW TRANSACTIONS")
            assert not [t for t in listed if t["kind"] == "unlisted"], listed  # every shard read
            doubt = [t for t in listed if t["kind"] == "in_doubt"]
            assert [(t["database"], t["shards"], t["distributed_id"]) for t in doubt] == \
                [("shop", "pg1", "consoletest1")], doubt
            assert "coordinator pg0" in doubt[0]["state"], doubt
        finally:
            with wt.st.pg_direct(wt.st.PG_PRIMARIES["pg1"], admin=True) as c, \
                    c.cursor() as cur:
                cur.execute(f"ROLLBACK PREPARED '{gid}'")
        console.close()
        print("  SHOW CLIENTS lists the psycopg2 and pymysql clients (address, user, database, "
              "process id); SHOW TRANSACTIONS the open one on pg0+pg1 and a participant "
              "prepared on pg1 (in doubt); "
              "KILL ends each, nothing stored")


def actions():
    wt.setup("pg")
    with open(wt.MAP) as f:
        text = f.read()
    own_map = os.path.join(os.path.dirname(wt.MAP), "console_map.yaml")
    with open(own_map, "w") as f:
        f.write(text)
    with wt.proxy_for(own_map)(extra_users=OPS) as proxy:
        console = console_pg(proxy)
        paused = rows(console, "PAUSE shop sg_writes 10000")
        pause_id = paused[0]["id"]
        listed = rows(console, "SHOW PAUSES")
        assert [(r["id"], r["table"]) for r in listed] == [(pause_id, "sg_writes")], listed
        app = proxy.connect()
        app.autocommit = True
        took = {}

        def insert():
            began = time.time()
            with app.cursor() as cur:
                cur.execute("INSERT INTO sg_writes (id, v) VALUES (7, 'paused')")
            took["s"] = time.time() - began

        writer = threading.Thread(target=insert)
        writer.start()
        time.sleep(0.6)
        assert "s" not in took, took  # the write waits while paused
        resumed = rows(console, f"RESUME {pause_id}")
        assert resumed == [{"resumed": "true", "id": pause_id}], resumed
        writer.join(10)
        assert took.get("s", 0) >= 0.5, took
        assert rows(console, "SHOW PAUSES") == []
        assert wt.stored("pg")[7][1] == "paused"
        # RELOAD: the same epoch again is refused, a newer one installed
        try:
            rows(console, "RELOAD")
            raise AssertionError("RELOAD of the same epoch was installed")
        except psycopg2.Error as e:
            assert "not installed" in str(e), e
        assert "epoch: 1" in text
        with open(own_map, "w") as f:
            f.write(text.replace("epoch: 1", "epoch: 2", 1))
        reloaded = rows(console, "RELOAD")
        assert reloaded[0]["installed"] == "true" and reloaded[0]["epoch"] == "2", reloaded
        assert rows(console, "SHOW EPOCH")[0]["epoch"] == "2"
        assert status(proxy)["map_epoch"] == 2
        with app.cursor() as cur:
            cur.execute("SELECT v FROM sg_writes WHERE id = 7")
            assert cur.fetchone() == ("paused",)
        app.close()
        console.close()
        print(f"  PAUSE held an insert {took['s'] * 1000:.0f} ms until RESUME; RELOAD refused "
              "the same epoch and installed epoch 2 (/status agrees)")


def get_json(proxy, path, method="GET"):
    request = urllib.request.Request(f"http://127.0.0.1:{proxy.admin_port}{path}", method=method,
                                     headers={"Authorization": "Bearer sg-test"})
    with urllib.request.urlopen(request, timeout=5) as answer:
        return json.loads(answer.read())


def digests():
    wt.setup("pg")
    wt.setup("mysql")
    with wt.Proxy(extra_users=OPS) as proxy:
        app = proxy.connect()
        app.autocommit = True
        with app.cursor() as cur:
            for i in range(30):
                cur.execute("INSERT INTO sg_writes (id, v) VALUES (%s, 'd')", (i,))
            for i in range(30):
                cur.execute("SELECT v FROM sg_writes WHERE id = %s", (i,))
                assert cur.fetchone() == ("d",)
            cur.execute("SELECT id FROM sg_writes ORDER BY id")
            assert len(cur.fetchall()) == 30
            try:
                cur.execute("SELECT nope FROM sg_writes WHERE id = 1")
                raise AssertionError("a bad column was accepted")
            except psycopg2.Error:
                pass
        my = proxy.my()
        with my.cursor() as cur:
            for i in range(12):
                cur.execute("INSERT INTO sg_writes (id, v) VALUES (%s, 'm')", (i,))
        my.close()
        found = get_json(proxy, "/digests")
        by_text = {}
        for d in found["digests"]:
            by_text.setdefault(d["database"], []).append(d)

        def one(database, *words):
            hits = [d for d in by_text.get(database, [])
                    if all(w in d["fingerprint"].lower() for w in words)]
            assert len(hits) == 1, (words, by_text.get(database))
            return hits[0]

        point = one("shop", "select v from sg_writes where id =")
        assert point["count"] == 30 and point["errors"] == 0 and point["rows"] == 30, point
        assert point["plan_kind"] == "route" and set(point["shards"]) <= {"pg0", "pg1"}, point
        assert 0 < point["min_ms"] <= point["p50_ms"] <= point["p99_ms"] <= point["max_ms"], point
        inserts = one("shop", "insert", "sg_writes")
        assert inserts["count"] == 30 and inserts["rows"] == 30, inserts
        assert sorted(inserts["shards"]) == ["pg0", "pg1"], inserts  # keys on both shards
        scatter = one("shop", "order by")
        assert scatter["plan_kind"] == "scatter" and scatter["rows"] == 30, scatter
        assert sorted(scatter["shards"]) == ["pg0", "pg1"], scatter
        bad = one("shop", "nope")
        assert bad["count"] == 1 and bad["errors"] == 1, bad
        my_inserts = one("social", "insert", "sg_writes")
        assert my_inserts["count"] == 12 and my_inserts["rows"] == 12, my_inserts
        # the console shows the same, most total time first; RESET DIGESTS forgets them
        out = psql(proxy, "SHOW DIGESTS 100")
        assert out.returncode == 0, out.stderr
        lines = [line.split("|") for line in out.stdout.splitlines()]
        totals = [float(line[7]) for line in lines]
        assert totals == sorted(totals, reverse=True), totals
        assert any(line[4] == "30" and "sg_writes" in line[0] for line in lines), out.stdout
        out = mysql_cli(proxy, "RESET DIGESTS")
        assert out.returncode == 0, out.stderr
        assert get_json(proxy, "/digests")["digests"] == [], "digests left after RESET"
        print(f"  /digests: {found['fingerprints']} fingerprints; point select x30 (route, 30 "
              f"rows, p99 {point['p99_ms']} ms), insert x30 on pg0+pg1, the scatter read (30 "
              "rows), the failed statement (1 error), MySQL inserts x12; SHOW DIGESTS sorted by "
              "total time; RESET DIGESTS clears")


def slowlog():
    """log_format: json and slow_statement_ms: every log line is a JSON object; statements over
    the threshold are logged as slow_statement events with the client and the digest."""
    config = "log_format: json\nslow_statement_ms: 150\n"
    with wt.Proxy(extra_config=config) as proxy:
        app = proxy.connect()
        app.autocommit = True
        with app.cursor() as cur:
            cur.execute("SELECT pg_sleep(0.3)")
            cur.execute("SELECT 1")  # fast: not logged
        app.close()
        my = proxy.my()
        my_port = my._sock.getsockname()[1]
        with my.cursor() as cur:
            cur.execute("SELECT SLEEP(0.2)")
        my.close()
        time.sleep(0.3)
        lines = [line for line in proxy.output().splitlines() if line.strip()]
        parsed = []
        for line in lines:
            try:
                parsed.append(json.loads(line))
            except ValueError:
                raise AssertionError("not a JSON log line: " + line)
        assert all({"time", "level"} <= set(p) for p in parsed), parsed[:3]
        assert any("msg" in p and "PostgreSQL proxy on" in p["msg"] for p in parsed), parsed[:5]
        assert "config" in parsed[0]["msg"] and " ok (" in parsed[0]["msg"], parsed[0]
        slow = [p for p in parsed if p.get("event") == "slow_statement"]
        assert len(slow) == 2, slow
        pg_slow = [p for p in slow if p["client"]["protocol"] == "postgresql"][0]
        my_slow = [p for p in slow if p["client"]["protocol"] == "mysql"][0]
        # over the threshold, near the sleep (a server's timer may wake a fraction of a ms early)
        assert "pg_sleep" in pg_slow["fingerprint"] and pg_slow["duration_ms"] >= 290, pg_slow
        assert pg_slow["client"]["user"] == "app" and pg_slow["database"] == "shop", pg_slow
        assert pg_slow["level"] == "warning" and len(pg_slow["shards"]) == 1, pg_slow
        assert "sleep" in my_slow["fingerprint"].lower() and my_slow["duration_ms"] >= 190, my_slow
        assert my_slow["client"]["address"].endswith(f":{my_port}"), my_slow
        print(f"  {len(parsed)} JSON log lines; slow_statement events: pg_sleep(0.3) "
              f"{pg_slow['duration_ms']:.0f} ms on {pg_slow['shards']}, SLEEP(0.2) "
              f"{my_slow['duration_ms']:.0f} ms from {my_slow['client']['address']}; "
              "SELECT 1 not logged")


if __name__ == "__main__":
    {"pg": pg, "mysql": mysql, "clients": clients, "actions": actions,
     "digests": digests, "slowlog": slowlog}[sys.argv[1]]()
    print("ok")
