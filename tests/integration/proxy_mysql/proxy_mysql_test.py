"""End-to-end tests of shardgate's MySQL proxy against the real topology, driven by the mysql
command-line client, pymysql and sysbench. Usage: proxy_mysql_test.py [case ...]"""
import hashlib
import os
import re
import socket
import struct
import subprocess
import tempfile
import threading
import time

import pymysql
import pymysql.constants.CLIENT

import harness
import wire
from harness import DEMO_MAP as DEMO_MAP_PATH
from harness import (PRIMARIES, REPLICAS, Proxy, assert_users_placed, clean_users, direct,
                     expect_error, locate, mysql_cli, run)

KEYS = [1, 2, 3, 7, 42, 1001, 31337, 900001, 4242424242]
TEST_KEYS = [990000 + i for i in range(40)]


def demo_map_variant(database, old, new, *more):
    """The demo map with `old` replaced by `new` (every occurrence) in one database's part;
    `more` are further (old, new) pairs."""
    with open(DEMO_MAP_PATH) as f:
        text = f.read()
    start = text.index(f"  {database}:")
    end = text.find("\n  ", start + 1)
    while end != -1 and text[end + 3] == " ":  # deeper indentation: still this database
        end = text.find("\n  ", end + 1)
    end = len(text) if end == -1 else end
    part = text[start:end].replace(old, new)
    for other_old, other_new in more:
        part = part.replace(other_old, other_new)
    text = text[:start] + part + text[end:]
    path = os.path.join(tempfile.mkdtemp(prefix="sg_map_"), "map.yaml")
    with open(path, "w") as f:
        f.write(text)
    return path


def keys_by_shard(keys):
    out = {}
    for key in keys:
        out.setdefault(locate("users", key)["shard"], []).append(key)
    return out


def mysql_client():
    with Proxy() as proxy:
        result = mysql_cli(proxy.port, "SELECT 40 + 2")
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "42", result.stdout
        result = mysql_cli(proxy.port, "SELECT 1; SELECT 2")
        assert result.returncode == 0 and result.stdout.split() == ["1", "2"], result
        result = mysql_cli(proxy.port, "SELECT DATABASE()", database=None)
        assert result.returncode == 0 and result.stdout.strip() == "social", result
        result = mysql_cli(proxy.port, "use social; SELECT 7", database=None)
        assert result.returncode == 0 and result.stdout.strip() == "7", result
        # caching_sha2_password fast path, and an auth switch from a plugin shardgate does not
        # speak (ed25519) to mysql_native_password
        for plugin in ("caching_sha2_password", "client_ed25519"):
            result = mysql_cli(proxy.port, "SELECT 'in'", extra=[f"--default-auth={plugin}"])
            assert result.returncode == 0 and result.stdout.strip() == "in", (plugin, result)
        result = mysql_cli(proxy.port, "DESCRIBE users")
        assert result.returncode == 0 and "email" in result.stdout, result
        result = mysql_cli(proxy.port, "SELECT 1", password="wrong")
        assert result.returncode != 0 and "1045" in result.stderr, result


def auth_and_database():
    with Proxy() as proxy:
        expect_error(lambda: proxy.connect(password="wrong"), 1045, "Access denied")
        expect_error(lambda: proxy.connect(user="nobody"), 1045, "Access denied")
        expect_error(lambda: proxy.connect(database="nosuchdb"), 1049, "Unknown database")
        expect_error(lambda: proxy.connect(database="shop"), 1049, "Unknown database")
        conn = proxy.connect()
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
            assert cur.fetchone()[0] == 1
            expect_error(lambda: conn.select_db("nosuchdb"), 1049)
            conn.select_db("social")
            cur.execute("SELECT DATABASE()")
            assert cur.fetchone()[0] == "social"
        conn.ping()
        conn.close()
    # A user configured with MariaDB's mysql_native_password hash (SELECT PASSWORD('s3cret'));
    # shardgate logs in to the backends as backend_user / backend_password.
    native_hash = "*" + hashlib.sha1(hashlib.sha1(b"s3cret").digest()).hexdigest().upper()
    config = (f"  - {{name: hashed, password: '{native_hash}'}}\n"
              "backend_user: app\nbackend_password: app\n")
    with Proxy(extra_config=config) as proxy:
        conn = proxy.connect(user="hashed", password="s3cret")
        with conn.cursor() as cur:
            cur.execute("SELECT CURRENT_USER() LIKE 'app@%'")
            assert cur.fetchone()[0] == 1
        conn.close()
        expect_error(lambda: proxy.connect(user="hashed", password="s3creT"), 1045,
                     "Access denied")
        result = mysql_cli(proxy.port, "SELECT 7", password="s3cret",
                           extra=("-u", "hashed", "--skip-ssl"))
        assert result.returncode == 0 and result.stdout.strip() == "7", result
        # the app user (plain password) still logs in next to it
        proxy.connect().close()


def change_user():
    """COM_CHANGE_USER through Connector/C's mysql_change_user: the new user is authenticated
    (wrong password: 1045 and the connection ends) and starts with a clean session."""
    config = "  - {name: other, password: other-pw}\nbackend_user: app\nbackend_password: app\n"
    with Proxy(extra_config=config) as proxy:
        result = subprocess.run([os.environ.get("STMT_CLIENT_BIN"), "change-user",
                                 str(proxy.port)], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr
        lines = result.stdout.splitlines()
        assert lines[0] == "changed var=NULL db=social", lines  # @kept did not follow
        assert lines[1] == "refused errno=1045", lines
        proxy.connect().close()  # the daemon serves on
        proxy.stop()
        stats = re.search(r"MySQL frontend stopped; (.*)", proxy.output()).group(1)
        assert "user_changes=1" in stats, stats


def placement():
    clean_users(KEYS)
    with Proxy() as proxy:
        conn = proxy.connect()
        with conn.cursor() as cur:
            for key in KEYS:
                cur.execute("INSERT INTO users (id, name) VALUES (%s, %s)", (key, f"u{key}"))
            for key in KEYS:
                cur.execute("SELECT name FROM users WHERE id = %s /* shardgate: primary */",
                            (key,))
                assert cur.fetchone()[0] == f"u{key}"
        conn.close()
    assert_users_placed(KEYS)
    clean_users(KEYS)


def read_split():
    with Proxy() as proxy:
        conn = proxy.connect()
        with conn.cursor() as cur:
            cur.execute("/* shardgate: shard=my1 */ SELECT @@port")
            assert cur.fetchone()[0] == REPLICAS["my1"]
            cur.execute("/* shardgate: shard=my1 primary */ SELECT @@port")
            assert cur.fetchone()[0] == PRIMARIES["my1"]
            cur.execute("SELECT @@port")
            assert cur.fetchone()[0] == REPLICAS["my0"]
            cur.execute("/* shardgate: primary */ SELECT @@port")
            assert cur.fetchone()[0] == PRIMARIES["my0"]
            cur.execute("SELECT @@port FROM users WHERE id = 1 FOR UPDATE")
            shard = locate("users", 1)["shard"]
            rows = cur.fetchall()
            assert all(r[0] == PRIMARIES[shard] for r in rows), rows
        conn.close()


def transactions():
    clean_users(TEST_KEYS)
    by_shard = keys_by_shard(TEST_KEYS)
    a, b = by_shard["my0"][0], by_shard["my1"][0]
    with Proxy() as proxy:
        conn = proxy.connect()
        conn.autocommit(False)
        with conn.cursor() as cur:
            conn.begin()
            cur.execute("INSERT INTO users (id, name) VALUES (%s, 'rolled back')", (a,))
            cur.execute("SELECT name, @@port FROM users WHERE id = %s", (a,))
            assert cur.fetchone() == ("rolled back", PRIMARIES["my0"])
            # Naming the session's own database inside the transaction is fine (COM_INIT_DB
            # and USE); another one is refused and the transaction goes on.
            conn.select_db("social")
            cur.execute("USE `social`")
            expect_error(lambda: cur.execute("USE shop"), 1235, "USE of another database")
            cur.execute("SELECT count(*) FROM users WHERE id = %s", (a,))
            assert cur.fetchone()[0] == 1
            conn.rollback()
            conn.begin()
            cur.execute("INSERT INTO users (id, name) VALUES (%s, 'kept')", (b,))
            conn.commit()
            conn.begin()
            cur.execute("INSERT INTO users (id, name) VALUES (%s, 'x')", (a,))
            # A second shard joins as an XA branch; ROLLBACK undoes both shards.
            cur.execute("INSERT INTO users (id, name) VALUES (%s, 'y')", (by_shard["my1"][1],))
            conn.rollback()
            with direct(PRIMARIES["my1"]) as check, check.cursor() as c:
                c.execute("SELECT count(*) FROM users WHERE id = %s", (by_shard["my1"][1],))
                assert c.fetchone()[0] == 0, "rolled back branch row visible"
                c.execute("XA RECOVER")
                assert c.fetchall() == (), "no XA branch left prepared"
            # After a savepoint the transaction cannot reach another shard.
            conn.begin()
            cur.execute("INSERT INTO users (id, name) VALUES (%s, 'x')", (a,))
            cur.execute("SAVEPOINT s1")
            expect_error(lambda: cur.execute("INSERT INTO users (id, name) VALUES (%s, 'y')",
                                              (by_shard["my1"][1],)),
                         1235, "transaction already on shard my0")
            conn.rollback()
        conn.autocommit(True)
        with conn.cursor() as cur:
            cur.execute("SELECT name FROM users WHERE id = %s /* shardgate: primary */", (b,))
            assert cur.fetchone()[0] == "kept"
        conn.close()
    with direct(PRIMARIES["my0"]) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM users WHERE id = %s", (a,))
        assert cur.fetchone()[0] == 0, "rolled back rows must not exist"
    clean_users(TEST_KEYS)


def reject_plan():
    with Proxy() as proxy:
        conn = proxy.connect()
        with conn.cursor() as cur:
            expect_error(lambda: cur.execute("SELECT GROUP_CONCAT(name) FROM users"), 1235,
                         "not supported yet")
            cur.execute("SELECT 1")
            assert cur.fetchone()[0] == 1
            e = expect_error(lambda: cur.execute("SELEKT nonsense FROM"), 1064)
            assert e.args[1], e.args
            expect_error(lambda: cur.execute(
                "LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE users"), 1148, "LOCAL INFILE")
            expect_error(lambda: cur.execute("XA START 'x'"), 1235)
            cur.execute("SELECT 2")
            assert cur.fetchone()[0] == 2
        conn.close()


def multi_statement():
    clean_users(TEST_KEYS)
    by_shard = keys_by_shard(TEST_KEYS)
    a, b = by_shard["my0"][0], by_shard["my1"][0]
    with Proxy() as proxy:
        conn = proxy.connect(client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS)
        with conn.cursor() as cur:
            cur.execute("SELECT 1; SELECT 2")
            assert cur.fetchone()[0] == 1
            assert cur.nextset()
            assert cur.fetchone()[0] == 2
            expect_error(lambda: cur.execute(
                f"INSERT INTO users (id, name) VALUES ({a}, 'a'); "
                f"INSERT INTO users (id, name) VALUES ({b}, 'b')"), 1235, "different shards")
            cur.execute(f"INSERT INTO users (id, name) VALUES ({a}, 'a'); "
                        f"SELECT name FROM users WHERE id = {a}")
            assert cur.nextset()
            assert cur.fetchone()[0] == "a"
        conn.close()
    clean_users(TEST_KEYS)


def sql_mode():
    """shardgate reads statements by the session's sql_mode: with NO_BACKSLASH_ESCAPES a
    backslash is an ordinary character ('C:\\' is a whole string), with ANSI_QUOTES "x" is an
    identifier. Rows land on their owner shard either way; an sql_mode shardgate cannot
    evaluate is refused rather than guessed."""
    clean_users(TEST_KEYS)
    by_shard = keys_by_shard(TEST_KEYS)
    a, a2, b = by_shard["my0"][1], by_shard["my0"][2], by_shard["my1"][1]
    with Proxy() as proxy:
        conn = proxy.connect(client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS)
        with conn.cursor() as cur:
            cur.execute("SET SESSION sql_mode = 'STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES'")
            # Read with backslash escapes, this would be one string running to the end.
            cur.execute(f"INSERT INTO users (id, name) VALUES ({a}, 'C:\\'), ({a2}, 'it''s')")
            cur.execute(f"INSERT INTO users (id, name) VALUES ({b}, 'D:\\')")
            cur.execute("SET sql_mode = 'ANSI_QUOTES'")
            cur.execute(f'SELECT "name" FROM "users" WHERE "id" = {a}')
            assert cur.fetchall() == (("C:\\",),), "ANSI_QUOTES read"
            expect_error(lambda: cur.execute("SET sql_mode = (SELECT 'ANSI')"), 1235,
                         "literal")
            # The form Connector/J sends at connect: evaluated from the current mode.
            cur.execute("SET sql_mode = ''")
            cur.execute("SET sql_mode = CONCAT(@@sql_mode, 'ANSI_QUOTES')")
            cur.execute(f'SELECT "name" FROM "users" WHERE "id" = {a}')
            assert cur.fetchall() == (("C:\\",),), "ANSI_QUOTES by CONCAT"
            expect_error(lambda: cur.execute("SET sql_mode = ''; SELECT 1"), 1235,
                         "statement of its own")
            cur.execute("SET sql_mode = DEFAULT")
            cur.execute(f"SELECT name FROM users WHERE id = {b} AND name = 'D:\\\\'")
            assert cur.fetchall() == (("D:\\",),), "backslash escapes are back"
        conn.close()
    assert_users_placed([a, a2, b])
    for key, name in ((a, "C:\\"), (a2, "it's"), (b, "D:\\")):
        owner = PRIMARIES[locate("users", key)["shard"]]
        with direct(owner) as conn, conn.cursor() as cur:
            cur.execute("SELECT name FROM users WHERE id = %s", (key,))
            assert cur.fetchone() == (name,), key
    clean_users(TEST_KEYS)


def table_name_case():
    """The servers run with lower_case_table_names=0 (table names case-sensitive): a map that
    says otherwise would match table names the servers do not, so shardgate refuses to
    start, naming the setting; with the map matching, USERS is not users."""
    shard_map = demo_map_variant("social", "    read_policy: replica\n",
                                 "    read_policy: replica\n    lower_case_table_names: 1\n")
    try:
        with Proxy(shard_map=shard_map):
            raise AssertionError("shardgate started with a map that contradicts the servers")
    except RuntimeError as e:
        assert "lower_case_table_names=0 but the map says 1" in str(e), e
    with Proxy() as proxy:
        conn = proxy.connect()
        with conn.cursor() as cur:
            expect_error(lambda: cur.execute("SELECT * FROM USERS WHERE id = 1"), 1146)
        conn.close()


def writable_replica_warning():
    """A replica that accepts writes is reported at start (shardgate never writes there, but
    anything else that does makes it diverge)."""
    replica = REPLICAS["my1"]
    admin = direct(replica, user="admin", password="admin")
    try:
        with admin.cursor() as cur:
            cur.execute("SET GLOBAL read_only = 0")
        with Proxy() as proxy:
            time.sleep(0.2)
            output = proxy.output()
        assert f"replica 127.0.0.1:{replica} of shard my1 (social) accepts writes" in output, output
    finally:
        with admin.cursor() as cur:
            cur.execute("SET GLOBAL read_only = 1")
        admin.close()
    with Proxy() as proxy:
        time.sleep(0.2)
        assert "accepts writes" not in proxy.output(), proxy.output()


def sequence_placement():
    """The demo map places MariaDB sequence badge_seq on my1 (`sequences:`): CREATE SEQUENCE,
    NEXT VALUE FOR, NEXTVAL(), PREVIOUS VALUE FOR and DROP (pymysql) run there and nowhere else.
    PREVIOUS VALUE FOR is answered in the transaction that advanced the sequence, refused on
    its own (its pooled connection may hold another client's value)."""
    with Proxy() as proxy:
        conn = proxy.connect()
        with conn.cursor() as cur:
            cur.execute("DROP SEQUENCE IF EXISTS badge_seq")
            cur.execute("CREATE SEQUENCE badge_seq START WITH 700")
            cur.execute("SELECT NEXT VALUE FOR badge_seq")
            assert cur.fetchone()[0] == 700
            cur.execute("SELECT NEXTVAL(badge_seq)")
            assert cur.fetchone()[0] == 701
            # on its own it would read a pooled connection (another client's value): refused
            expect_error(lambda: cur.execute("SELECT PREVIOUS VALUE FOR badge_seq"), 1235,
                         "INSERT ... RETURNING")
            expect_error(lambda: cur.execute("SET @b = LASTVAL(badge_seq)"), 1235,
                         "INSERT ... RETURNING")
            cur.execute("BEGIN")
            cur.execute("SELECT NEXTVAL(badge_seq)")
            assert cur.fetchone()[0] == 702
            cur.execute("SELECT PREVIOUS VALUE FOR badge_seq, LASTVAL(badge_seq)")
            assert cur.fetchone() == (702, 702)
            cur.execute("COMMIT")
        for shard, port in PRIMARIES.items():
            with direct(port) as d, d.cursor() as cur:
                cur.execute("SELECT count(*) FROM information_schema.tables "
                            "WHERE table_schema = 'social' AND table_name = 'badge_seq'")
                assert cur.fetchone()[0] == (1 if shard == "my1" else 0), shard
        with direct(PRIMARIES["my1"]) as d, d.cursor() as cur:
            cur.execute("SELECT next_not_cached_value > 702 FROM badge_seq")
            assert cur.fetchone()[0] == 1
        with conn.cursor() as cur:
            cur.execute("DROP SEQUENCE badge_seq")
        with direct(PRIMARIES["my1"]) as d, d.cursor() as cur:
            cur.execute("SELECT count(*) FROM information_schema.tables "
                        "WHERE table_schema = 'social' AND table_name = 'badge_seq'")
            assert cur.fetchone()[0] == 0
        conn.close()


def kill():
    """KILL QUERY / KILL CONNECTION with the connection id shardgate's handshake gave (what
    the mysql CLI's Ctrl-C and drivers' query timeouts send): the statement is killed on the
    backend that runs it, the connection closed; other users and unknown ids are refused."""
    with Proxy(extra_config="  - {name: other, password: other}\n", workers=2) as proxy:
        a, b = proxy.connect(), proxy.connect()
        outcome = {}

        def sleeper():
            started = time.time()
            try:
                with a.cursor() as cur:
                    cur.execute("SELECT SLEEP(20) FROM users WHERE id = 1 UNION ALL SELECT 0")
                    outcome["rows"] = cur.fetchall()
            except pymysql.MySQLError as e:
                outcome["error"] = e.args[0]
            outcome["seconds"] = time.time() - started

        thread = threading.Thread(target=sleeper)
        thread.start()
        time.sleep(1.0)
        other = proxy.connect(user="other", password="other")
        with other.cursor() as cur:
            expect_error(lambda: cur.execute(f"KILL QUERY {a.thread_id()}"), 1095)
        other.close()
        with b.cursor() as cur:
            cur.execute(f"KILL QUERY {a.thread_id()}")
        thread.join(30)
        assert outcome.get("seconds", 99) < 10, outcome
        with a.cursor() as cur:  # the session survives a killed query
            cur.execute("SELECT 7")
            assert cur.fetchone()[0] == 7
        with b.cursor() as cur:
            expect_error(lambda: cur.execute("KILL QUERY 123456789"), 1094)
            expect_error(lambda: cur.execute("KILL USER app"), 1235)
            cur.execute(f"KILL {a.thread_id()}")
        try:
            with a.cursor() as cur:
                cur.execute("SELECT 8")
            raise AssertionError("the killed connection still answers")
        except pymysql.MySQLError:
            pass
        b.close()


def session_state():
    with Proxy(extra_config="pool_size: 1\n", workers=1) as proxy:
        one, two = proxy.connect(), proxy.connect()
        with one.cursor() as c1, two.cursor() as c2:
            c1.execute("SET @x = 5")
            c1.execute("SET SESSION sql_mode = 'ANSI_QUOTES'")
            c2.execute("SET SESSION sql_mode = 'NO_ZERO_DATE'")
            for _ in range(3):
                c2.execute("SELECT @@sql_mode")
                assert c2.fetchone()[0] == "NO_ZERO_DATE"
                c1.execute("SELECT @x, @@sql_mode")
                assert c1.fetchone() == (5, "ANSI_QUOTES")
            c2.execute("SELECT @@sql_mode, @@port")
            assert c2.fetchone() == ("NO_ZERO_DATE", REPLICAS["my0"])
            expect_error(lambda: c2.execute("SET sql_mode = 'NO_SUCH_MODE'"), 1231)
            c2.execute("SELECT @@sql_mode")
            assert c2.fetchone()[0] == "NO_ZERO_DATE"
            conversation = 770001
            c2.execute("INSERT INTO messages (conversation_id, name) VALUES (%s, 'm')",
                       (conversation,))
            inserted = c2.lastrowid
            assert inserted > 0
            c2.execute("SELECT LAST_INSERT_ID()")
            assert c2.fetchone()[0] == inserted
            c2.execute("DELETE FROM messages WHERE conversation_id = %s", (conversation,))
        one.close()
        two.close()
        proxy.stop()
        log = proxy.output()
        assert re.search(r"session_pins=\d+", log), log
        assert re.search(r"settings_replayed=\d+", log), log


def last_insert_id():
    """LAST_INSERT_ID() under transaction pooling: a client idle after an INSERT that
    generated an id holds no backend connection (twelve such clients share two), and still
    reads its own value later on whichever connection serves it (@@identity and
    @@last_insert_id too), never another client's; LAST_INSERT_ID(expr) in a SELECT too."""
    with direct(PRIMARIES["my0"]) as conn, conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS sg_lid")
        cur.execute("CREATE TABLE sg_lid (id bigint AUTO_INCREMENT PRIMARY KEY, x int)")
        cur.execute("DROP TABLE IF EXISTS sg_lid_child")
        cur.execute("CREATE TABLE sg_lid_child (parent bigint, x int)")
    try:
        with Proxy(extra_config="pool_size: 2\npool_timeout_ms: 1000\n", workers=1) as proxy:
            a, b = proxy.connect(), proxy.connect()
            ca, cb = a.cursor(), b.cursor()
            ca.execute("INSERT INTO sg_lid (x) VALUES (1)")
            first = a.insert_id()
            time.sleep(0.1)  # a is idle: its backend went back to the pool
            cb.execute("SELECT LAST_INSERT_ID()")
            assert cb.fetchone()[0] == 0  # b never inserted (a's value is not b's)
            ca.execute("SELECT LAST_INSERT_ID(), @@identity, @@last_insert_id")
            assert ca.fetchone() == (first, first, first)
            ca.execute("SELECT LAST_INSERT_ID(77)")  # set without an OK: read at idle
            time.sleep(0.1)
            cb.execute("SELECT LAST_INSERT_ID()")  # b's turn on the connection a left
            assert cb.fetchone()[0] == 0
            ca.execute("SELECT LAST_INSERT_ID()")
            assert ca.fetchone()[0] == 77
            ca.execute("INSERT INTO sg_lid (x) VALUES (3)")
            second = a.insert_id()
            ca.execute("INSERT INTO sg_lid_child (parent, x) VALUES (LAST_INSERT_ID(), 3)")
            ca.execute("SET @p = LAST_INSERT_ID()")  # (a user variable: pins the session)
            ca.execute("SELECT @p")
            assert ca.fetchone()[0] == second
            # an INSERT and an UPDATE in one COM_QUERY: the INSERT's id stays the session's
            multi = proxy.connect(client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS)
            cm = multi.cursor()
            cm.execute("INSERT INTO sg_lid (x) VALUES (4); UPDATE sg_lid SET x = 5 WHERE x = 4")
            while cm.nextset():
                pass
            time.sleep(0.1)
            cm.execute("SELECT LAST_INSERT_ID()")
            third = cm.fetchone()[0]
            assert third > second, (third, second)
            multi.close()
            # More clients than backend connections, each idle after its INSERT: none waits
            # for a connection (each used to hold one), each then reads its own id.
            clients = [proxy.connect() for _ in range(12)]
            ids = []
            for i, conn in enumerate(clients):
                conn.cursor().execute("INSERT INTO sg_lid (x) VALUES (%s)", (100 + i,))
                ids.append(conn.insert_id())
            for conn, own in reversed(list(zip(clients, ids))):
                cur = conn.cursor()
                cur.execute("SELECT LAST_INSERT_ID()")
                assert cur.fetchone()[0] == own
                conn.close()
            a.close()
            b.close()
            proxy.stop()
            stats = re.search(r"MySQL frontend stopped; (.*)", proxy.output()).group(1)
            assert re.search(r"insert_id_reads=[1-9]", stats), stats
            assert re.search(r"insert_id_restores=[1-9]", stats), stats
        with direct(PRIMARIES["my0"]) as conn, conn.cursor() as cur:
            cur.execute("SELECT parent FROM sg_lid_child WHERE x = 3")
            assert cur.fetchall() == ((second,),)
        print(f"  LAST_INSERT_ID(): own value after idle ({first}), 0 for a client that never "
              f"inserted, 77 after SELECT LAST_INSERT_ID(77), {second} in the next INSERT; 12 "
              f"idle inserting clients on 2 backend connections")
    finally:
        with direct(PRIMARIES["my0"]) as conn, conn.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_lid")
            cur.execute("DROP TABLE IF EXISTS sg_lid_child")


def found_rows():
    """FOUND_ROWS() and ROW_COUNT() under transaction pooling (8 clients on 2 backend
    connections): `SELECT FOUND_ROWS()` right after a SQL_CALC_FOUND_ROWS statement gives the
    client's own count every time (read back before the connection went back to the pool,
    answered by shardgate); in one transaction or one COM_QUERY they run on the same
    connection; anywhere else they are refused (before: whichever pooled connection served
    them answered, often another client's value)."""
    with direct(PRIMARIES["my0"]) as conn, conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS sg_found")
        cur.execute("CREATE TABLE sg_found (id int AUTO_INCREMENT PRIMARY KEY, k int, v int)")
        for k in range(8):
            cur.executemany("INSERT INTO sg_found (k, v) VALUES (%s, %s)",
                            [(k, v) for v in range(k + 3)])
    deadline = time.time() + 10
    while True:  # the reads go to the replica
        with direct(REPLICAS["my0"]) as conn, conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM information_schema.tables "
                        "WHERE table_schema = 'social' AND table_name = 'sg_found'")
            if cur.fetchone()[0] == 1:
                cur.execute("SELECT count(*) FROM sg_found")
                if cur.fetchone()[0] == sum(k + 3 for k in range(8)):
                    break
        assert time.time() < deadline, "sg_found did not reach the replica"
        time.sleep(0.1)
    wrong = []
    try:
        with Proxy(extra_config="pool_size: 2\npool_timeout_ms: 5000\n", workers=1) as proxy:
            def client(k):
                conn = proxy.connect()
                with conn.cursor() as cur:
                    for _ in range(30):
                        cur.execute("SELECT SQL_CALC_FOUND_ROWS v FROM sg_found WHERE k = %s "
                                    "ORDER BY v LIMIT 1", (k,))
                        cur.execute("SELECT FOUND_ROWS()")
                        got = cur.fetchone()[0]
                        if got != k + 3:
                            wrong.append((k, got))
                conn.close()
            threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert not wrong, wrong[:5]
            conn = proxy.connect(client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS)
            with conn.cursor() as cur:
                cur.execute("SELECT SQL_CALC_FOUND_ROWS v FROM sg_found WHERE k = 4 LIMIT 2")
                cur.execute("select found_rows() AS total;")
                assert cur.fetchone()[0] == 7 and cur.description[0][0] == "total"
                # in an expression the value cannot come from shardgate: refused
                cur.execute("SELECT SQL_CALC_FOUND_ROWS v FROM sg_found WHERE k = 4 LIMIT 2")
                expect_error(lambda: cur.execute("SELECT FOUND_ROWS() + 0"), 1235,
                             "FOUND_ROWS()")
                expect_error(lambda: cur.execute("SELECT FOUND_ROWS()"), 1235, "FOUND_ROWS()")
                cur.execute("UPDATE sg_found SET v = v WHERE k = 5")
                expect_error(lambda: cur.execute("SELECT ROW_COUNT()"), 1235, "ROW_COUNT()")
                cur.execute("SELECT SQL_CALC_FOUND_ROWS v FROM sg_found WHERE k = 4 LIMIT 2")
                expect_error(lambda: cur.execute("SET @n = FOUND_ROWS()"), 1235, "FOUND_ROWS()")
                # a column of that name is no call
                cur.execute("SELECT 3 AS row_count, 4 AS found_rows")
                assert cur.fetchone() == (3, 4)
                cur.execute("BEGIN")
                cur.execute("SELECT SQL_CALC_FOUND_ROWS v FROM sg_found WHERE k = 6 LIMIT 1")
                cur.execute("SELECT FOUND_ROWS() + 0")
                assert cur.fetchone()[0] == 9
                cur.execute("UPDATE sg_found SET v = v + 1 WHERE k = 2")
                cur.execute("SELECT ROW_COUNT()")
                assert cur.fetchone()[0] == 5
                cur.execute("COMMIT")
                cur.execute("SELECT SQL_CALC_FOUND_ROWS v FROM sg_found WHERE k = 7 LIMIT 1; "
                            "SELECT FOUND_ROWS() * 2")
                assert cur.nextset() and cur.fetchone()[0] == 20
                # FOUND_ROWS() reads the last SELECT: none before it in this COM_QUERY
                expect_error(lambda: cur.execute("UPDATE sg_found SET v = v WHERE k = 1; "
                                                 "SELECT FOUND_ROWS()"), 1235, "FOUND_ROWS()")
            conn.close()
            proxy.stop()
            stats = re.search(r"MySQL frontend stopped; (.*)", proxy.output()).group(1)
            assert re.search(r"found_rows_answers=2[4-9][0-9]", stats), stats
    finally:
        with direct(PRIMARIES["my0"]) as conn, conn.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_found")
    print("  FOUND_ROWS(): 8 clients x 30 on 2 connections, each its own count; alias kept; "
          "refused in an expression or a second time, ROW_COUNT() alone refused; both in a "
          "transaction and in one COM_QUERY")


def conversations_on_my0_my1(start):
    """The first conversation ids from `start` whose messages live on my0 and on my1."""
    ids = {}
    for cid in range(start, start + 200):
        ids.setdefault(locate("messages", cid)["shard"], cid)
        if len(ids) == 2:
            return ids["my0"], ids["my1"]
    raise AssertionError("no conversation id for both shards")


def messages_of(port, cid):
    with direct(port) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM messages WHERE conversation_id = %s", (cid,))
        return cur.fetchone()[0]


def failed_join():
    """A transaction on my0 whose join of my1 fails (my1's only pooled connection is busy:
    pool timeout) goes on inside its branch on my0: a later write there is rolled back with
    it (before: it ran on a fresh connection outside the transaction and stayed committed)."""
    a, b = conversations_on_my0_my1(881000)
    with Proxy(extra_config="pool_size: 1\npool_timeout_ms: 300\n", workers=1) as proxy:
        holder, client = proxy.connect(), proxy.connect()
        with holder.cursor() as h, client.cursor() as cur:
            h.execute("BEGIN")
            h.execute("INSERT INTO messages (conversation_id, name) VALUES (%s, 'h')", (b,))
            cur.execute("BEGIN")
            cur.execute("INSERT INTO messages (conversation_id, name) VALUES (%s, 'x')", (a,))
            try:
                cur.execute("INSERT INTO messages (conversation_id, name) VALUES (%s, 'y')", (b,))
                raise AssertionError("joined a shard whose only connection was busy")
            except pymysql.MySQLError as e:
                joined_error = e.args[0]
            cur.execute("INSERT INTO messages (conversation_id, name) VALUES (%s, 'z')", (a,))
            cur.execute("SELECT count(*) FROM messages WHERE conversation_id = %s", (a,))
            assert cur.fetchone()[0] == 2  # both writes, in the transaction
            assert messages_of(PRIMARIES["my0"], a) == 0  # not committed
            cur.execute("ROLLBACK")
            h.execute("ROLLBACK")
        assert messages_of(PRIMARIES["my0"], a) == 0 and messages_of(PRIMARIES["my1"], b) == 0
        holder.close()
        client.close()
    print(f"  failed join (error {joined_error}): the transaction went on on its own branch, "
          f"ROLLBACK left no row")


def lost_branch_keeps_state():
    """A session with a user variable kept on my0 runs a transaction that a two-shard INSERT
    spread to my1, then a statement on my1 alone; that my1 connection is killed on the server. The next statement there gets error 2013, every
    shard's branch is rolled back, and the variable is still there on my0's held connection,
    outside any transaction (before: the my0 connection was closed with the others and `@x`
    read NULL)."""
    a, b = conversations_on_my0_my1(883000)
    try:
        with Proxy(workers=1) as proxy:
            conn = proxy.connect()
            with conn.cursor() as cur:
                cur.execute("SET @x = 7")
                cur.execute("BEGIN")
                # one statement for both shards spreads the transaction; then my1 alone
                cur.execute("INSERT INTO messages (conversation_id, name) VALUES (%s, 'a'), "
                            "(%s, 'b')", (a, b))
                cur.execute("INSERT INTO messages (conversation_id, name) VALUES (%s, 'b')", (b,))
                with direct(PRIMARIES["my1"], user="admin", password="admin") as admin, \
                        admin.cursor() as acur:
                    acur.execute("SELECT trx_mysql_thread_id FROM information_schema.innodb_trx")
                    threads = [row[0] for row in acur.fetchall()]
                    assert len(threads) == 1, threads
                    acur.execute(f"KILL {threads[0]}")
                time.sleep(0.2)
                try:
                    cur.execute("INSERT INTO messages (conversation_id, name) VALUES (%s, 'c')",
                                (b,))
                    raise AssertionError("a statement on the killed connection succeeded")
                except pymysql.MySQLError as e:
                    assert e.args[0] == 2013, e.args
                    assert "rolled back on every shard" in e.args[1], e.args
                    assert "kept on shard my0 is still there" in e.args[1], e.args
                cur.execute("SELECT @x")
                assert cur.fetchone() == (7,)
                # outside a transaction now: an insert commits at once
                cur.execute("INSERT INTO messages (conversation_id, name) VALUES (%s, 'd')", (a,))
                assert messages_of(PRIMARIES["my0"], a) == 1  # 'd' only: 'a' was rolled back
                assert messages_of(PRIMARIES["my1"], b) == 0
                cur.execute("SELECT @x")
                assert cur.fetchone() == (7,)
            conn.close()
        for port in PRIMARIES.values():
            with direct(port, user="admin", password="admin") as admin, admin.cursor() as acur:
                acur.execute("XA RECOVER")
                assert acur.fetchall() == (), port
    finally:
        for port in PRIMARIES.values():
            with direct(port) as conn, conn.cursor() as cur:
                cur.execute("DELETE FROM messages WHERE conversation_id IN (%s, %s)", (a, b))
    print("  a transaction's my1 connection killed: 2013, rolled back on both shards, @x kept "
          "on my0")


def autocommit_off_with_state():
    """autocommit=0 with a user variable kept on my0: a write for my1 is refused (before: it
    ran on a pooled my1 connection in an implicit transaction that went back to the pool
    open; the client's COMMIT reached my0 only and the acknowledged row never appeared); a
    write for my0 and one of a session without state commit with COMMIT."""
    a, b = conversations_on_my0_my1(882000)
    try:
        with Proxy(workers=1) as proxy:
            conn = proxy.connect()
            with conn.cursor() as cur:
                cur.execute("SET @x = 1")
                cur.execute("SET autocommit = 0")
                expect_error(lambda: cur.execute("INSERT INTO messages (conversation_id, name) "
                                                 "VALUES (%s, 'b')", (b,)), 1235, "shard my1")
                cur.execute("INSERT INTO messages (conversation_id, name) VALUES (%s, 'a')", (a,))
                cur.execute("COMMIT")
                cur.execute("SELECT @x")
                assert cur.fetchone() == (1,)
            conn.close()
            assert messages_of(PRIMARIES["my0"], a) == 1 and messages_of(PRIMARIES["my1"], b) == 0
            plain = proxy.connect()
            with plain.cursor() as cur:
                cur.execute("SET autocommit = 0")
                cur.execute("INSERT INTO messages (conversation_id, name) VALUES (%s, 'b')", (b,))
                cur.execute("COMMIT")
            plain.close()
            assert messages_of(PRIMARIES["my1"], b) == 1
    finally:
        for port in PRIMARIES.values():
            with direct(port) as conn, conn.cursor() as cur:
                cur.execute("DELETE FROM messages WHERE conversation_id IN (%s, %s)", (a, b))
    print("  autocommit=0 + a user variable on my0: a my1 write refused, a my0 write committed; "
          "without state a my1 write committed")


def state_pin_multi_write():
    """A session that keeps state on a backend (a user variable) writes rows for two shards in
    one INSERT, with and without BEGIN, in both shard orders: a failing row rolls back the
    other shard's row too (before: the row on the held connection stayed committed, and inside
    BEGIN the proxy crashed), and a good INSERT commits both. The session keeps its variable
    through it (before: the connection holding it went back to the pool at the commit), inside
    the transaction too, and no other client sees it."""
    def shard_of(cid):
        return locate("messages", cid)["shard"]
    ids = {}
    for cid in range(880000, 880200):
        ids.setdefault(shard_of(cid), cid)
        if len(ids) == 2:
            break
    pairs = [(ids["my0"], ids["my1"]), (ids["my1"], ids["my0"])]

    def rows(pair):
        total = 0
        for port in PRIMARIES.values():
            with direct(port) as conn, conn.cursor() as cur:
                cur.execute("SELECT count(*) FROM messages WHERE conversation_id IN (%s, %s)",
                            pair)
                total += cur.fetchone()[0]
        return total

    def clear(pair):
        for port in PRIMARIES.values():
            with direct(port) as conn, conn.cursor() as cur:
                cur.execute("DELETE FROM messages WHERE conversation_id IN (%s, %s)", pair)
    seen = []
    with Proxy() as proxy:
        for explicit in (False, True):
            for pair in pairs:
                clear(pair)
                conn = proxy.connect()
                cur = conn.cursor()
                cur.execute("SET @x = 1")
                if explicit:
                    cur.execute("BEGIN")
                try:
                    cur.execute("INSERT INTO messages (conversation_id, name) VALUES "
                                "(%s, 'ok'), (%s, NULL)", pair)
                    raise AssertionError("a NULL name was accepted")
                except pymysql.MySQLError as e:
                    seen.append(e.args[0])
                if explicit:
                    cur.execute("ROLLBACK")
                assert rows(pair) == 0, (explicit, pair)
                cur.execute("SELECT @x")  # the state's connection is still the session's
                assert cur.fetchone() == (1,), (explicit, pair)
                if explicit:
                    cur.execute("BEGIN")
                cur.execute("INSERT INTO messages (conversation_id, name) VALUES "
                            "(%s, 'a'), (%s, 'b')", pair)
                if explicit:
                    cur.execute("SELECT @x")  # back on the state's shard, inside the transaction
                    assert cur.fetchone() == (1,), (explicit, pair)
                    cur.execute("INSERT INTO messages (conversation_id, name) VALUES "
                                "(%s, 'c'), (%s, 'd')", pair)
                    cur.execute("SET @y = 2")  # where @x is, not on the other shard's connection
                    cur.execute("COMMIT")
                    cur.execute("SELECT @y")
                    assert cur.fetchone() == (2,), (explicit, pair)
                assert rows(pair) == (4 if explicit else 2), (explicit, pair)
                cur.execute("SELECT @x")
                assert cur.fetchone() == (1,), (explicit, pair)
                # No other client gets the connection with this session's variable.
                others = [proxy.connect() for _ in range(4)]
                for other in others:
                    with other.cursor() as other_cur:
                        other_cur.execute("SELECT @x, @y, count(*) FROM messages "
                                          "WHERE conversation_id = %s", (pair[0],))
                        assert other_cur.fetchone() == (None, None, 2 if explicit else 1), \
                            (explicit, pair)
                for other in others:
                    other.close()
                conn.close()
                clear(pair)
    print(f"  state pin + two-shard INSERT: failed ones left no row (errors {seen}), good ones "
          f"committed both rows, with and without BEGIN, both shard orders")


def procedure_call():
    """CALL (let through with `unparsable: default_shard`) pins the session: the procedure's
    temporary table is there for the next statement, which would otherwise be a replica read
    on another connection."""
    shard_map = demo_map_variant("social", "unparsable: reject", "unparsable: default_shard")
    with direct(PRIMARIES["my0"], user="admin", password="admin") as conn, conn.cursor() as cur:
        cur.execute("DROP PROCEDURE IF EXISTS sg_fill_temp")
        cur.execute("CREATE PROCEDURE sg_fill_temp(n INT) BEGIN "
                    "CREATE TEMPORARY TABLE IF NOT EXISTS sg_call_tmp (v INT); "
                    "INSERT INTO sg_call_tmp VALUES (n); END")
        cur.execute("GRANT EXECUTE ON PROCEDURE social.sg_fill_temp TO 'app'@'%'")
    with Proxy(shard_map=shard_map) as proxy:
        conn = proxy.connect()
        with conn.cursor() as cur:
            cur.execute("CALL sg_fill_temp(7)")
            cur.execute("CALL sg_fill_temp(8)")
            cur.execute("SELECT v FROM sg_call_tmp ORDER BY v")
            assert [row[0] for row in cur.fetchall()] == [7, 8]
            cur.execute("SELECT @@port")
            assert cur.fetchone()[0] == PRIMARIES["my0"]  # still the procedure's connection
        conn.close()
        proxy.stop()
        stats = re.search(r"MySQL frontend stopped; (.*)", proxy.output()).group(1)
        assert re.search(r"session_pins=[1-9]", stats), stats
    with direct(PRIMARIES["my0"], user="admin", password="admin") as conn, conn.cursor() as cur:
        cur.execute("DROP PROCEDURE sg_fill_temp")


def malformed_packet():
    with Proxy() as proxy:
        bystander = proxy.connect()
        victim = proxy.connect()
        # a packet with no command byte: 1047 as the server answers it, the session goes on
        victim._sock.settimeout(5)
        victim._sock.sendall(b"\x00\x00\x00\x00")
        data = victim._sock.recv(4096)
        assert len(data) > 5 and data[4] == 0xFF, data
        assert struct.unpack("<H", data[5:7])[0] == 1047, data
        with victim.cursor() as cur:
            cur.execute("SELECT 2")
            assert cur.fetchone()[0] == 2
        # a command that does not start at sequence id 0: 1156 (out of order), then a close
        victim._sock.sendall(b"\x09\x00\x00\x05\x03SELECT 1")
        data = b""
        while True:
            chunk = victim._sock.recv(4096)
            if not chunk:
                break
            data += chunk
        assert len(data) > 5 and data[4] == 0xFF, data
        code = struct.unpack("<H", data[5:7])[0]
        assert code == 1156, (code, data)
        # a bad handshake response gets an ERR and a close too
        raw = socket.create_connection(("127.0.0.1", proxy.port), timeout=5)
        raw.recv(4096)
        raw.sendall(b"\x05\x00\x00\x01hello")
        answer = raw.recv(4096)
        assert answer[4] == 0xFF and b"Bad handshake" in answer, answer
        assert raw.recv(4096) == b""
        raw.close()
        with bystander.cursor() as cur:
            cur.execute("SELECT 3")
            assert cur.fetchone()[0] == 3
        bystander.close()


def other_commands():
    with Proxy() as proxy:
        client = wire.WireClient(proxy.port)
        assert client.command(wire.COM_PING)[0] == 0x00
        assert client.query("SET @kept = 7")[0] == 0x00
        assert client.query("SELECT @kept") == [["7"]]
        # COM_RESET_CONNECTION drops user variables, settings and the pinned backend
        assert client.command(wire.COM_RESET_CONNECTION)[0] == 0x00
        assert client.query("SELECT @kept") == [[None]]
        # COM_FIELD_LIST is routed by its table: column definitions, then EOF
        first = client.command(wire.COM_FIELD_LIST, b"users\0")
        assert first[0] != 0xFF, first
        names = []
        while not (first[0] == 0xFE and len(first) < 9):
            names.append(first)
            first = client.read_packet()
        assert len(names) == 4 and b"email" in names[2], names
        # multi-statements switched on for this connection only (reading @kept above pinned
        # the session again: reset first, COM_SET_OPTION is refused while pinned)
        assert client.command(wire.COM_RESET_CONNECTION)[0] == 0x00
        reply = client.command(wire.COM_SET_OPTION, struct.pack("<H", 0))
        assert reply[0] == 0xFE, reply
        assert client.query("SELECT 1; SELECT 2") == [["1"]]
        rest = client.read_packet()  # the second result set follows
        assert rest[0] == 1, rest
        while not (rest[0] == 0xFE and len(rest) < 9):
            rest = client.read_packet()
        for _ in range(2):  # row, EOF
            rest = client.read_packet()
        # while pinned, COM_SET_OPTION that changes nothing is answered, a change is refused
        assert client.query("SET @pin = 1")[0] == 0x00
        assert client.command(wire.COM_SET_OPTION, struct.pack("<H", 0))[0] == 0xFE
        reply = client.command(wire.COM_SET_OPTION, struct.pack("<H", 1))
        assert wire.err_code(reply) == 1235, reply
        assert client.query("SELECT @pin") == [["1"]]
        # commands shardgate does not serve get ERR 1047; the session goes on
        assert wire.err_code(client.command(wire.COM_PROCESS_KILL, struct.pack("<I", 1))) == 1047
        assert client.query("SELECT 5") == [["5"]]
        client.write_packet(bytes([wire.COM_QUIT]))
        client.close()


def many_clients():
    errors = []

    def client(proxy, n):
        try:
            conn = proxy.connect()
            with conn.cursor() as cur:
                for i in range(20):
                    cur.execute("SELECT %s + %s", (n, i))
                    assert cur.fetchone()[0] == n + i
                conn.begin()
                cur.execute("SELECT @@port /* in a transaction: primary */")
                assert cur.fetchone()[0] == PRIMARIES["my0"]
                conn.commit()
            conn.close()
        except Exception as e:  # noqa: BLE001 - collected and reported below
            errors.append(repr(e))

    with Proxy(extra_config="pool_size: 2\n") as proxy:
        threads = [threading.Thread(target=client, args=(proxy, n)) for n in range(200)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors, errors[:5]


def pool_sizes():
    """`pool_sizes` entries (shard + role) bound the MySQL side's pools as they do the
    PostgreSQL side's; a full pool answers 1040 naming the size in effect."""
    config = ("pool_size: 3\npool_timeout_ms: 300\n"
              "pool_sizes:\n  - {shard: my0, role: primary, size: 1}\n")
    by_shard = keys_by_shard(TEST_KEYS)
    with Proxy(extra_config=config, workers=1) as proxy:
        holders = []

        def hold(shard):
            conn = proxy.connect()
            conn.begin()
            with conn.cursor() as cur:  # the transaction keeps the connection
                cur.execute("SELECT name FROM users WHERE id = %s FOR UPDATE",
                            (by_shard[shard][0],))
            holders.append(conn)

        hold("my0")
        waiter = proxy.connect()
        locking = "SELECT name FROM users WHERE id = %s FOR UPDATE"
        with waiter.cursor() as cur:
            expect_error(lambda: cur.execute(locking, (by_shard["my0"][1],)), 1040,
                         "pool size 1 per worker")
            for _ in range(3):
                hold("my1")
            expect_error(lambda: cur.execute(locking, (by_shard["my1"][1],)), 1040,
                         "pool size 3 per worker")
            for conn in holders:
                conn.rollback()
            cur.execute(locking, (by_shard["my0"][1],))  # freed: works again
        for conn in holders + [waiter]:
            conn.close()


def prepared_placement():
    """Server-side prepared statements (sysbench's Lua API over libmariadb): routed by the
    bound shard-key parameter, prepared again on each shard's connection."""
    keys = TEST_KEYS[:12]
    clean_users(keys)
    with Proxy() as proxy:
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                              "prepared_placement.lua")
        result = subprocess.run(
            ["sysbench", script, "--db-driver=mysql", "--mysql-host=127.0.0.1",
             f"--mysql-port={proxy.port}", "--mysql-user=app", "--mysql-password=app",
             "--mysql-db=social", "--threads=1", "--events=1", "--db-ps-mode=auto", "run"],
            capture_output=True, text=True, timeout=60,
            env=dict(os.environ, KEYS=" ".join(map(str, keys))))
        assert result.returncode == 0, result.stdout + result.stderr
        for key in keys:
            assert f"found {key} 1\n" in result.stdout, result.stdout
        proxy.stop()
        stats = re.search(r"MySQL frontend stopped; (.*)", proxy.output()).group(1)
        assert re.search(r"stmt_reprepares=[1-9]", stats), stats
    assert_users_placed(keys)
    clean_users(keys)


def long_data_cursor():
    """MariaDB Connector/C (stmt_client.cpp): TEXT values sent with COM_STMT_SEND_LONG_DATA in
    three pieces, read back through a read-only cursor one COM_STMT_FETCH at a time, statement
    reset; one user id per shard. The rows land only on the shard `shardctl locate` names.
    A cursor holds the session until its last row, or until the client resets or closes its
    statement: a plain read after each goes to the replica again."""
    by_shard = keys_by_shard(TEST_KEYS[12:30])
    keys = [by_shard["my0"][0], by_shard["my1"][0]]
    rows = 4

    def clean():
        for port in PRIMARIES.values():
            with direct(port) as conn, conn.cursor() as cur:
                cur.execute("DELETE FROM posts WHERE user_id IN (%s, %s)", keys)

    clean()
    client = os.environ.get("STMT_CLIENT_BIN")
    # A lag bound no replica misses, so that the read after the cursor goes to my0's replica
    # unless the session is still held on the cursor's connection (my0's primary). The
    # session wrote just before: without read-your-writes off, that read would (rightly) go
    # to the primary until the replica replayed the write.
    shard_map = demo_map_variant("social", "max_replica_lag_ms: 1000", "max_replica_lag_ms: 600000",
                                 ("read_your_writes: proxy", "read_your_writes: off"))
    with Proxy(shard_map=shard_map) as proxy:
        for key in keys:
            result = subprocess.run([client, str(proxy.port), str(key), str(rows)],
                                    capture_output=True, text=True, timeout=60)
            assert result.returncode == 0, result.stdout + result.stderr
            replica = REPLICAS["my0"]
            assert result.stdout.strip() == (f"ok rows={rows} bytes={rows * 60000} "
                                             f"ports={replica},{replica},{replica}"), result.stdout
        proxy.stop()
        stats = re.search(r"MySQL frontend stopped; (.*)", proxy.output()).group(1)
        assert re.search(r"session_pins=[1-9]", stats), stats  # the open cursor pinned
        # Each client sent 3 pieces per row and fetched one row per COM_STMT_FETCH (then one
        # more that finds the end).
        assert int(re.search(r"stmt_long_data=(\d+)", stats).group(1)) == 2 * rows * 3, stats
        assert int(re.search(r"stmt_fetches=(\d+)", stats).group(1)) >= 2 * (rows + 1), stats
    for key in keys:
        expected = locate("users", key)["shard"]
        for shard, port in PRIMARIES.items():
            with direct(port) as conn, conn.cursor() as cur:
                cur.execute("SELECT count(*), COALESCE(SUM(LENGTH(body)), 0) FROM posts "
                            "WHERE user_id = %s", (key,))
                count, size = cur.fetchone()
            want = (rows, rows * 60000) if shard == expected else (0, 0)
            assert (count, int(size)) == want, f"key {key} on {shard}: {count} rows, {size} bytes"
    clean()


SYSBENCH_TABLE_SIZE = 2000


def sysbench(proxy, workload, *extra, threads=4, seconds=3):
    args = ["sysbench", workload, "--db-driver=mysql", "--mysql-host=127.0.0.1",
            f"--mysql-port={proxy.port}", "--mysql-user=app", "--mysql-password=app",
            "--mysql-db=social", "--tables=1", f"--table-size={SYSBENCH_TABLE_SIZE}",
            f"--threads={threads}", f"--time={seconds}", *extra]
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


def check_run(result):
    assert result.returncode == 0, result.stdout + result.stderr
    errors = re.search(r"ignored errors:\s+(\d+)", result.stdout)
    reconnects = re.search(r"reconnects:\s+(\d+)", result.stdout)
    queries = re.search(r"queries:\s+(\d+)", result.stdout)
    assert errors and errors.group(1) == "0", result.stdout
    assert reconnects and reconnects.group(1) == "0", result.stdout
    assert queries and int(queries.group(1)) > 0, result.stdout


def sysbench_workloads():
    with Proxy() as proxy:
        sysbench(proxy, "oltp_read_write", "cleanup")
        prepared = sysbench(proxy, "oltp_read_write", "prepare")
        assert prepared.returncode == 0, prepared.stdout + prepared.stderr
        for workload in ("oltp_point_select", "oltp_read_only", "oltp_read_write"):
            # one writer: concurrent oltp_read_write transactions deadlock now and then on
            # the server itself (sysbench counts those as ignored errors)
            threads = 1 if workload == "oltp_read_write" else 4
            for mode in ("auto", "disable"):
                check_run(sysbench(proxy, workload, f"--db-ps-mode={mode}", "run",
                                   threads=threads))
    with direct(PRIMARIES["my0"]) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM sbtest1")
        assert cur.fetchone()[0] > 0
    with direct(PRIMARIES["my1"]) as conn, conn.cursor() as cur:
        cur.execute("SHOW TABLES LIKE 'sbtest1'")
        assert cur.fetchone() is None, "sbtest1 belongs to the default shard only"
    with direct(PRIMARIES["my0"]) as conn, conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS sbtest1")


def thousand_clients():
    with Proxy(extra_config="pool_size: 5\npool_timeout_ms: 20000\n", workers=2) as proxy:
        prepared = sysbench(proxy, "oltp_point_select", "prepare")
        if prepared.returncode != 0 and "already exists" not in prepared.stderr:
            raise AssertionError(prepared.stdout + prepared.stderr)
        check_run(sysbench(proxy, "oltp_point_select", "--db-ps-mode=auto", "run",
                           threads=1000, seconds=5))
        proxy.stop()
        with direct(PRIMARIES["my0"]) as conn, conn.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sbtest1")
        stats = re.search(r"MySQL frontend stopped; (.*)", proxy.output()).group(1)
        connects = int(re.search(r"backend_connects=(\d+)", stats).group(1))
        # 2 workers x pool_size 5 = 10 per endpoint; the point selects use the replica, the
        # statement preparation may touch it and the prepare step the primary
        assert connects <= 20, stats


def slow_logins():
    """As proxy_pg_slow_logins, through the MySQL frontend: every new backend login held 2 s
    (past connect_timeout_ms 1000) while one pooled connection is logged in; 4 pymysql clients
    running short statements all get answers, on that one connection."""
    import sys
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                    "proxy_pg"))
    from fault_relay import Relay, check_slow_login_round, slow_login_round
    relay = Relay(PRIMARIES["my0"])
    path = os.path.join(tempfile.mkdtemp(prefix="sg_my_slow_"), "map.yaml")
    with open(path, "w") as f:
        f.write("format_version: 1\nepoch: 1\ndatabases:\n  social:\n"
                "    engine: mysql\n    default_shard: my0\n"
                f"    shards:\n      my0: {{primary: 127.0.0.1:{relay.port}}}\n")
    ops = "  - {name: ops, password: ops, admin: true}\n"
    try:
        with Proxy("connect_timeout_ms: 1000\npool_size: 4\n", workers=1, shard_map=path,
                   extra_users=ops) as proxy:
            clients = [proxy.connect() for _ in range(4)]

            def one(conn):
                with conn.cursor() as cur:
                    cur.execute("SELECT CONNECTION_ID()")
                    return cur.fetchone()[0]
            pooled = one(clients[0])
            errors, ids = slow_login_round(relay, clients, one)
            console = proxy.connect(user="ops", password="ops", database="shardgate")
            check_slow_login_round("mysql", errors, ids, pooled, console, clients)
    finally:
        relay.close()


def mevents_map(key_type="timestamptz"):
    """The demo map with social.sg_mevents placed by `at` (TIMESTAMP: key_type timestamptz, an
    instant; DATETIME: timestamp, a wall-clock time): 2025 on my0, 2026 on my1."""
    return demo_map_variant(
        "social", "      audit:\n",
        f"      sg_mevents: {{scheme: time, key: at, key_type: {key_type}, interval: year, "
        "ranges: [{from: 2025, to: 2025, shard: my0}, {from: 2026, shard: my1}]}\n"
        "      audit:\n")


def server_zone():
    """A MariaDB primary whose sessions start in another time zone (SET GLOBAL time_zone =
    '+09:00' on my0) while the map places a table by a timestamp key: shardgate takes a session
    that did not set time_zone as UTC, the server would read the key at +09:00, so shardgate
    refuses to start, naming the shard, the zone and the table; the demo map (no time key)
    starts, and the first map POSTed to its admin API is refused (409; before, a map installed
    while the daemon ran was not checked)."""
    with direct(PRIMARIES["my0"], user="admin", password="admin") as conn:
        cur = conn.cursor()
        cur.execute("SELECT @@GLOBAL.time_zone")
        configured = cur.fetchone()[0]
        cur.execute("SET GLOBAL time_zone = '+09:00'")
    try:
        try:
            with Proxy(shard_map=mevents_map()):
                raise AssertionError("shardgate started with a server outside UTC")
        except RuntimeError as e:
            assert ("of shard my0 of database social starts sessions in time zone +09:00"
                    in str(e)), e
            assert "table sg_mevents is placed by a timestamptz (TIMESTAMP) key" in str(e), e
        admin = harness.free_port()
        with Proxy(admin_listen=f"127.0.0.1:{admin}",
                   extra_config="admin_token: sg-test\n") as proxy:
            conn = proxy.connect()
            with conn.cursor() as cur:
                cur.execute("SELECT 1")
            conn.close()
            # the same map installed while it runs: refused the same way (409), epoch 1 stays
            with open(mevents_map()) as f:
                text = f.read().replace("epoch: 1\n", "epoch: 2\n", 1)
            status, body = harness.admin(admin, "POST", "/map", text)
            assert status == 409 and "starts sessions in time zone +09:00" in body, (status,
                                                                                     body)
    finally:
        with direct(PRIMARIES["my0"], user="admin", password="admin") as conn:
            conn.cursor().execute("SET GLOBAL time_zone = %s", (configured,))


def time_zone_keys():
    """sg_mevents is placed by `at` (TIMESTAMP; 2025 on my0, 2026 on my1). A MariaDB TIMESTAMP
    column reads a time in the session's time_zone, and MariaDB takes no offset in a time: in a
    session whose time_zone is not UTC a time key is refused (1235/0A000, the session goes on;
    the earlier build put '2026-01-01 05:00:00' written at +09:00 — 2025-12-31 20:00 UTC — on
    my1). SET time_zone = '+00:00' makes it placeable again (SYSTEM, a variable: unknown); a
    COM_QUERY that sets time_zone and then writes is refused whatever the zone. pymysql (text)
    and the mysql client."""
    shard_map = mevents_map()
    for port in PRIMARIES.values():
        with direct(port) as conn, conn.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_mevents")
            cur.execute("CREATE TABLE sg_mevents (id int AUTO_INCREMENT PRIMARY KEY, at "
                        "TIMESTAMP NOT NULL, name varchar(20) NOT NULL)")

    def refused(cur, sql):
        try:
            cur.execute(sql)
        except pymysql.err.MySQLError as e:
            assert e.args[0] == 1235 and "without a UTC offset" in e.args[1], e.args
            return
        raise AssertionError(f"not refused: {sql}")

    insert = "INSERT INTO sg_mevents (at, name) VALUES ('2026-01-01 05:00:00', '{}')"
    try:
        with Proxy(shard_map=shard_map) as proxy:
            conn = proxy.connect()
            cur = conn.cursor()
            cur.execute("SET time_zone = '+09:00'")
            refused(cur, insert.format("tokyo"))
            refused(cur, "SELECT count(*) FROM sg_mevents WHERE at = '2026-01-01 05:00:00'")
            cur.execute("SELECT 1")
            assert cur.fetchone()[0] == 1
            cur.execute("SET @@session.time_zone = '+00:00'")
            cur.execute(insert.format("utc"))
            cur.execute("SET time_zone = '+05:30'")
            refused(cur, insert.format("named"))
            cur.execute("SET time_zone = SYSTEM")  # the host's zone, which shardgate does not know
            refused(cur, insert.format("system"))
            cur.execute("SET @tz = '+00:00'")
            cur.execute("SET time_zone = @tz")  # not read by shardgate: unknown
            refused(cur, insert.format("variable"))
            cur.execute("SET /* c */ time_zone = '+00:00'")
            refused(cur, insert.format("commented"))
            cur.execute("SET time_zone = '+00:00'")
            cur.execute(insert.format("utc-again"))
            refused(cur, "SET time_zone = '+00:00'; " + insert.format("mixed"))
            try:  # its statement would run unrouted on the default shard
                cur.execute("SELECT 1; SET STATEMENT max_statement_time = 10 FOR " +
                            insert.format("statement"))
                raise AssertionError("SET STATEMENT ... FOR among other statements ran")
            except pymysql.err.MySQLError as e:
                assert e.args[0] == 1235, e.args
            conn.close()
            out = mysql_cli(proxy.port, "SET time_zone = '-05:00'")
            assert out.returncode == 0, out.stderr
            out = mysql_cli(proxy.port, "SET time_zone = '-05:00'; " + insert.format("cli"))
            assert out.returncode != 0 and "without a UTC offset" in out.stderr, out
        counts = {}
        for name in ("tokyo", "utc", "named", "system", "variable", "commented", "utc-again",
                     "mixed", "statement", "cli"):  # (named: +05:30)
            counts[name] = {}
            for shard, port in PRIMARIES.items():
                with direct(port) as conn, conn.cursor() as cur:
                    cur.execute("SELECT count(*) FROM sg_mevents WHERE name = %s", (name,))
                    counts[name][shard] = cur.fetchone()[0]
        none = {"my0": 0, "my1": 0}
        assert counts == {"tokyo": none, "utc": {"my0": 0, "my1": 1}, "named": none,
                          "system": none, "variable": none, "commented": none,
                          "utc-again": {"my0": 0, "my1": 1}, "mixed": none, "statement": none,
                          "cli": none}, counts
    finally:
        for port in PRIMARIES.values():
            with direct(port) as conn, conn.cursor() as cur:
                cur.execute("DROP TABLE IF EXISTS sg_mevents")


def wall_clock_keys():
    """sg_mevents placed by `at` as a DATETIME column (a wall-clock time: no session zone
    applies), 2025 on my0 and 2026 on my1. A map declaring key_type timestamptz (an instant,
    MariaDB TIMESTAMP) is refused at start, naming the table, the column's type and the fix
    (the earlier build started). With `key_type: timestamp` a time is placed by its wall clock
    in any session zone, where a TIMESTAMP key is refused outside UTC: pymysql and the mysql
    client, rows checked on the servers."""
    for port in PRIMARIES.values():
        with direct(port) as conn, conn.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_mevents")
            cur.execute("CREATE TABLE sg_mevents (id int AUTO_INCREMENT PRIMARY KEY, at "
                        "DATETIME NOT NULL, name varchar(20) NOT NULL)")
    try:
        try:
            with Proxy(shard_map=mevents_map()):
                raise AssertionError("shardgate started with sg_mevents declared timestamptz")
        except RuntimeError as e:
            assert ("table sg_mevents of database social is placed by at, a DATETIME column "
                    "on shard my0" in str(e)), e
            assert "set `key_type: timestamp` for sg_mevents in the map" in str(e), e
        insert = "INSERT INTO sg_mevents (at, name) VALUES ('{}', '{}')"
        with Proxy(shard_map=mevents_map("timestamp")) as proxy:
            conn = proxy.connect()
            cur = conn.cursor()
            cur.execute("SET time_zone = '+09:00'")
            cur.execute(insert.format("2026-01-01 05:00:00", "tokyo"))
            cur.execute("SET time_zone = SYSTEM")
            cur.execute(insert.format("2025-12-31 23:00:00", "system"))
            cur.execute("SELECT name FROM sg_mevents WHERE at = '2026-01-01 05:00:00'")
            assert cur.fetchall() == (("tokyo",),)
            conn.close()
            out = mysql_cli(proxy.port, "SET time_zone = '-05:00'; " +
                            insert.format("2026-01-01 00:30:00", "cli"))
            assert out.returncode == 0, out.stderr
        found = {}
        for shard, port in PRIMARIES.items():
            with direct(port) as conn, conn.cursor() as cur:
                cur.execute("SELECT name, CAST(at AS CHAR) FROM sg_mevents ORDER BY at")
                found[shard] = cur.fetchall()
        assert found == {"my0": (("system", "2025-12-31 23:00:00"),),
                         "my1": (("cli", "2026-01-01 00:30:00"),
                                 ("tokyo", "2026-01-01 05:00:00"))}, found
    finally:
        for port in PRIMARIES.values():
            with direct(port) as conn, conn.cursor() as cur:
                cur.execute("DROP TABLE IF EXISTS sg_mevents")


def key_casts():
    """Casts written on shard-key literals (pymysql). sg_mcasts is placed by a region list (us
    on my1, eu and others on my0): CAST('usa' AS CHAR(2)) is stored as 'us' — the earlier build
    placed the row by 'usa' on the default shard my0, where a read of region 'us' (routed to
    my1) does not find it. Now refused (1235), as is a DATE cast of a time that is not a
    midnight; CAST(... AS CHAR), CAST(... AS DATETIME) (offset dropped, as MariaDB does) and
    typed literals are placed by their value. An UPDATE that moves a row (shard_key_updates:
    move) to a time with a fraction the column cuts is refused instead of answered while the
    row stays behind. Rows checked on the servers."""
    for port in PRIMARIES.values():
        with direct(port) as conn, conn.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_mcasts")
            cur.execute("CREATE TABLE sg_mcasts (id int AUTO_INCREMENT PRIMARY KEY, region "
                        "varchar(16) NOT NULL, name varchar(20) NOT NULL)")
            cur.execute("DROP TABLE IF EXISTS sg_mevents")
            cur.execute("CREATE TABLE sg_mevents (id int AUTO_INCREMENT PRIMARY KEY, at "
                        "DATETIME NOT NULL, name varchar(20) NOT NULL)")
    shard_map = demo_map_variant(
        "social", "      audit:\n",
        "      sg_mcasts: {scheme: list, key: region, key_type: text, case_insensitive: true, "
        "lists: [{shard: my0, values: [eu]}, {shard: my1, values: [us]}], default_shard: my0}\n"
        "      sg_mevents: {scheme: time, key: at, key_type: timestamp, interval: year, "
        "ranges: [{from: 2025, to: 2025, shard: my0}, {from: 2026, shard: my1}]}\n"
        "      audit:\n",
        ("    engine: mysql\n", "    engine: mysql\n    shard_key_updates: move\n"))
    try:
        with Proxy(shard_map=shard_map) as proxy:
            conn = proxy.connect()
            cur = conn.cursor()
            region = "INSERT INTO sg_mcasts (region, name) VALUES ({}, '{}')"
            expect_error(lambda: cur.execute(region.format("CAST('usa' AS CHAR(2))", "cut")),
                         1235, "a length")
            cur.execute(region.format("CAST('US' AS CHAR)", "char"))
            cur.execute("SELECT name FROM sg_mcasts WHERE region = CAST('us' AS CHAR)")
            assert cur.fetchall() == (("char",),)
            cur.execute("SET time_zone = '+09:00'")
            at = "INSERT INTO sg_mevents (at, name) VALUES ({}, '{}')"
            expect_error(lambda: cur.execute(at.format("CAST('2025-12-31 23:30:00' AS DATE)",
                                                       "date-cut")),
                         1235, "keeps only the date")
            cur.execute(at.format("CAST('2026-01-01 05:00:00' AS DATETIME)", "datetime"))
            cur.execute(at.format("DATE '2026-01-01'", "date-literal"))
            cur.execute(at.format("CAST('2025-12-31 00:00:00' AS DATE)", "date-2025"))
            cur.execute("SELECT name FROM sg_mevents WHERE at = TIMESTAMP '2026-01-01 05:00:00'")
            assert cur.fetchall() == (("datetime",),)
            # A key move finds the rows again by their new key: a fraction the DATETIME column
            # does not keep is refused, the row stays (the earlier build answered 1 row changed
            # and left it, with its 2026 time, on my0).
            # (ids are per shard: the moved row takes one no shard has)
            cur.execute("INSERT INTO sg_mevents (id, at, name) VALUES "
                        "(1000, '2025-06-01 00:00:00', 'moved')")
            moved = "UPDATE sg_mevents SET at = '{}' WHERE at = '{}' AND name = 'moved'"
            expect_error(lambda: cur.execute(moved.format("2026-01-01 05:00:00.7",
                                                          "2025-06-01 00:00:00")),
                         1235, "were not found again")
            cur.execute(moved.format("2026-02-01 00:00:00", "2025-06-01 00:00:00"))
            assert cur.rowcount == 1
            conn.close()
        found = {}
        for shard, port in PRIMARIES.items():
            with direct(port) as conn, conn.cursor() as cur:
                cur.execute("SELECT name FROM sg_mcasts UNION ALL SELECT name FROM sg_mevents "
                            "ORDER BY name")
                found[shard] = [row[0] for row in cur.fetchall()]
        assert found == {"my0": ["date-2025"],
                         "my1": ["char", "date-literal", "datetime", "moved"]}, found
    finally:
        for port in PRIMARIES.values():
            with direct(port) as conn, conn.cursor() as cur:
                cur.execute("DROP TABLE IF EXISTS sg_mcasts")
                cur.execute("DROP TABLE IF EXISTS sg_mevents")


CASES = {
    "mysql_client": mysql_client,
    "auth_and_database": auth_and_database,
    "change_user": change_user,
    "placement": placement,
    "read_split": read_split,
    "transactions": transactions,
    "reject_plan": reject_plan,
    "multi_statement": multi_statement,
    "session_state": session_state,
    "last_insert_id": last_insert_id,
    "state_pin_multi_write": state_pin_multi_write,
    "found_rows": found_rows,
    "failed_join": failed_join,
    "lost_branch_keeps_state": lost_branch_keeps_state,
    "autocommit_off_with_state": autocommit_off_with_state,
    "sql_mode": sql_mode,
    "table_name_case": table_name_case,
    "writable_replica_warning": writable_replica_warning,
    "sequence_placement": sequence_placement,
    "kill": kill,
    "procedure_call": procedure_call,
    "malformed_packet": malformed_packet,
    "other_commands": other_commands,
    "many_clients": many_clients,
    "pool_sizes": pool_sizes,
    "prepared_placement": prepared_placement,
    "long_data_cursor": long_data_cursor,
    "sysbench": sysbench_workloads,
    "thousand_clients": thousand_clients,
    "slow_logins": slow_logins,
    "time_zone_keys": time_zone_keys,
    "server_zone": server_zone,
    "key_casts": key_casts,
    "wall_clock_keys": wall_clock_keys,
}

if __name__ == "__main__":
    run(CASES)
