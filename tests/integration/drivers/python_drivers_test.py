"""End-to-end tests of shardgate with unmodified Python drivers: psycopg2 (PostgreSQL frontend)
and pymysql (MySQL frontend), as Debian ships them. Each case starts its own shardgate on free
ports (harness `Proxy`), does the driver work and asserts what the driver saw, then checks on
every primary directly that each row sits on the shard `shardctl locate` names and nowhere
else (helpers shared with jdbc_test.py). Cases, per driver:
  *_placement      every spelling of the table and the key column, parameters (client-side
                   interpolation), literal text and, for psycopg2, SQL PREPARE/EXECUTE
  *_transactions   the drivers' transactions (psycopg2's implicit BEGIN, pymysql's begin() and
                   autocommit(False), session settings) run on the owner's primary only
  *_read_your_writes[_proxy]  a write read back under 2 s of replica lag on the same
                   connection (causal, the default) and on another one (the demo map's proxy)
  pymysql_escapes  values with quotes, backslashes, NUL, emoji through pymysql's escaping
Usage: python_drivers_test.py [case ...]"""
import os
import sys
import time

import psycopg2
import psycopg2.extensions
import pymysql

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jdbc_test as common  # noqa: E402  (shared helpers: keys, placement checks, lag)

pg, my = common.pg, common.my
Report = common.Report


def pg_connect(port, autocommit=True):
    conn = psycopg2.connect(host="127.0.0.1", port=port, user="app", password="app",
                            dbname="shop", connect_timeout=5)
    conn.autocommit = autocommit
    return conn


def my_connect(port, autocommit=True):
    """autocommit=None leaves pymysql's default handling (it sends SET AUTOCOMMIT = 0 on
    connect when the server's mode differs from its default False)."""
    kw = {} if autocommit is None else {"autocommit": autocommit}
    return pymysql.connect(host="127.0.0.1", port=port, user="app", password="app",
                           database="social", connect_timeout=5, read_timeout=30,
                           write_timeout=30, **kw)


def describe(e):
    if isinstance(e, psycopg2.Error):
        return f"SQLSTATE {e.pgcode}: " + " | ".join(str(e).strip().splitlines())
    if isinstance(e, pymysql.MySQLError) and len(e.args) == 2:
        return f"error {e.args[0]}: {e.args[1]}"
    return repr(e)


def poll(read, accept, seconds=3.0):
    """Reads until accept(value) or the deadline: a replica may be milliseconds behind (the
    read-your-writes cases do not poll); a row on the wrong shard never turns up."""
    deadline = time.time() + seconds
    while True:
        value = read()
        if accept(value) or time.time() > deadline:
            return value
        time.sleep(0.05)


# --- statement templates: {K} the bigint key, {N} the name ------------------------------------

def params_sql(template, key, name):
    """The template with %s markers and its arguments in marker order."""
    out, args, i = [], [], 0
    while i < len(template):
        if template.startswith("{K}", i) or template.startswith("{N}", i):
            args.append(key if template[i + 1] == "K" else name)
            out.append("%s")
            i += 3
        else:
            out.append(template[i].replace("%", "%%"))
            i += 1
    return "".join(out), args


def pg_literal(name):
    return "NULL" if name is None else "'" + name.replace("'", "''") + "'"


def my_literal(name):
    return "NULL" if name is None else "'" + name.replace("\\", "\\\\").replace("'", "''") + "'"


def inline(template, key, name, literal):
    return template.replace("{K}", str(key)).replace("{N}", literal(name))


class Mode:
    """One way of sending statements on one connection: 'params' (the driver interpolates the
    arguments), 'literal' (the values written into the text by hand), 'prepare' (SQL PREPARE
    once per statement text, then EXECUTE with literal arguments; PostgreSQL)."""

    def __init__(self, label, conn, kind, literal):
        self.label, self.conn, self.kind, self.literal = label, conn, kind, literal
        self.prepared = {}

    def _run(self, template, key, name):
        cur = self.conn.cursor()
        if self.kind == "params":
            sql, args = params_sql(template, key, name)
            cur.execute(sql, args)
        elif self.kind == "literal":
            cur.execute(inline(template, key, name, self.literal))
        else:
            statement = self.prepared.get(template)
            if statement is None:
                statement = f"sg_test_{len(self.prepared)}"
                cur.execute(f"PREPARE {statement} AS " +
                            template.replace("{K}", "$1").replace("{N}", "$2"))
                self.prepared[template] = statement
            args = [str(key)] + ([self.literal(name)] if "{N}" in template else [])
            cur.execute(f"EXECUTE {statement} ({', '.join(args)})")
        return cur

    def update(self, template, key, name=None):
        cur = self._run(template, key, name)
        count = cur.rowcount
        cur.close()
        return count

    def query(self, template, key):
        cur = self._run(template, key, None)
        rows = [r[0] for r in cur.fetchall()]
        cur.close()
        return rows


def expect_count(r, what, fn, want=1):
    try:
        got = fn()
    except Exception as e:  # noqa: BLE001 - every driver error is a finding
        r.fail(what, describe(e))
        return False
    if got != want:
        r.fail(what, f"row count {got}, expected {want}")
        return False
    r.ok(what)
    return True


def placement(r, modes, table, spellings, wrong, error_ok):
    """spellings: {'insert'|'update'|'delete'|'select': [(label, template)]}; wrong: [(label,
    template, errors)] that must fail (error_ok(e, errors)) and leave no row."""
    present = {}  # (mode, shard) -> (key, name)
    for mode in modes:
        for shard in r.shards():
            for label, sql in spellings["insert"]:
                key = r.take(shard)
                name = f"insert {label} ({mode.label})"
                what = f"{table} INSERT {label} ({mode.label}) key {key} owned by {shard}"
                if expect_count(r, what, lambda: mode.update(sql, key, name)):
                    present.setdefault((mode.label, shard), (key, name))
                r.row(what, table, key, name, True)
            for label, sql in spellings["update"]:
                key = r.take(shard)
                name = f"update {label} ({mode.label})"
                what = f"{table} UPDATE {label} ({mode.label}) key {key} owned by {shard}"
                expect_count(r, f"{what}: setup insert",
                             lambda: mode.update(spellings["insert"][0][1], key, "before update"))
                expect_count(r, what, lambda: mode.update(sql, key, name))
                r.row(what, table, key, name, True)
            for label, sql in spellings["delete"]:
                key = r.take(shard)
                what = f"{table} DELETE {label} ({mode.label}) key {key} owned by {shard}"
                expect_count(r, f"{what}: setup insert",
                             lambda: mode.update(spellings["insert"][0][1], key, "before delete"))
                expect_count(r, what, lambda: mode.update(sql, key))
                r.row(what, table, key, None, False)
            for label, sql, errors in wrong:
                key = r.take(shard)
                what = f"{label} ({mode.label}) key {key}"
                try:
                    mode.update(sql, key, f"wrong {label}")
                    r.fail(what, "succeeded; expected an error and no row")
                except Exception as e:  # noqa: BLE001
                    if error_ok(e, errors):
                        r.ok(f"{what}: {describe(e)}")
                    else:
                        r.fail(what, f"expected {errors}, got {describe(e)}")
                r.row(what, table, key, None, False)
    for mode in modes:
        for label, sql in spellings["select"]:
            for shard in r.shards():
                if (mode.label, shard) not in present:
                    continue
                key, name = present[(mode.label, shard)]
                what = f"{table} SELECT {label} ({mode.label}) key {key} owned by {shard}"
                try:
                    got = poll(lambda: mode.query(sql, key), lambda g: g == [name])
                except Exception as e:  # noqa: BLE001
                    r.fail(what, describe(e))
                    continue
                if got != [name]:
                    r.fail(what, f"read {got!r}, expected {[name]!r}")
                else:
                    r.ok(what)


# --- PostgreSQL (psycopg2) -------------------------------------------------------------------

PG_SPELLINGS = {
    "insert": [
        ("lower", "INSERT INTO customers (id, name) VALUES ({K}, {N})"),
        ("UPPER", "INSERT INTO CUSTOMERS (ID, NAME) VALUES ({K}, {N})"),
        ("Mixed", "INSERT INTO Customers (Id, Name) VALUES ({K}, {N})"),
        ("quoted", 'INSERT INTO "customers" ("id", "name") VALUES ({K}, {N})'),
        ("schema-qualified", "INSERT INTO public.customers (ID, name) VALUES ({K}, {N})"),
        ("SCHEMA-QUALIFIED UPPER", "INSERT INTO PUBLIC.CUSTOMERS (Id, NAME) VALUES ({K}, {N})"),
        ("quoted schema-qualified",
         'INSERT INTO "public"."customers" ("id", "name") VALUES ({K}, {N})'),
        ("Mixed schema, quoted table",
         'INSERT INTO Public."customers" (iD, "name") VALUES ({K}, {N})'),
        ("columns reversed", "INSERT INTO Customers (NAME, ID) VALUES ({N}, {K})"),
        ("alias", "INSERT INTO customers AS c (Id, name) VALUES ({K}, {N})"),
    ],
    "update": [
        ("UPPER", "UPDATE CUSTOMERS SET NAME = {N} WHERE ID = {K}"),
        ("schema alias Mixed key", "UPDATE public.Customers c SET name = {N} WHERE c.Id = {K}"),
        ("quoted schema alias",
         'UPDATE "public"."customers" AS "c" SET "name" = {N} WHERE "c"."id" = {K}'),
        ("quoted key", 'UPDATE Customers SET Name = {N} WHERE "id" = {K}'),
    ],
    "delete": [
        ("UPPER", "DELETE FROM CUSTOMERS WHERE ID = {K}"),
        ("schema alias Mixed key", "DELETE FROM public.Customers AS c WHERE c.iD = {K}"),
        ("quoted schema-qualified", 'DELETE FROM "public"."customers" WHERE "id" = {K}'),
    ],
    "select": [
        ("UPPER", "SELECT NAME FROM CUSTOMERS WHERE ID = {K}"),
        ("Mixed alias", "SELECT c.Name FROM Customers c WHERE C.Id = {K}"),
        ("quoted schema-qualified", 'SELECT "name" FROM "public"."customers" WHERE "id" = {K}'),
        ("SCHEMA UPPER", "SELECT name FROM PUBLIC.Customers WHERE iD = {K}"),
    ],
}

# Quoted names that differ in case are other (missing) tables: the server's 42P01. Quoted key
# columns that differ in case are other (missing) columns: an error (any), no row.
PG_WRONG = [
    ('INSERT INTO "Customers"', 'INSERT INTO "Customers" (id, name) VALUES ({K}, {N})', "42P01"),
    ('INSERT INTO "CUSTOMERS"', 'INSERT INTO "CUSTOMERS" (id, name) VALUES ({K}, {N})', "42P01"),
    ('INSERT INTO public."Customers"',
     'INSERT INTO public."Customers" (id, name) VALUES ({K}, {N})', "42P01"),
    ('INSERT INTO "PUBLIC".customers',
     'INSERT INTO "PUBLIC".customers (id, name) VALUES ({K}, {N})', "42P01"),
    ('SELECT FROM "Customers"', 'SELECT name FROM "Customers" WHERE id = {K}', "42P01"),
    ('INSERT with key column "ID"', 'INSERT INTO customers ("ID", name) VALUES ({K}, {N})',
     "any error"),
    ('INSERT with key column "Id"', 'INSERT INTO Customers ("Id", name) VALUES ({K}, {N})',
     "any error"),
]


def pg_error_ok(e, errors):
    if not isinstance(e, psycopg2.Error):
        return False
    return errors == "any error" or e.pgcode == errors


def pg_case(start, per_shard, body):
    pools = common.pick_keys(pg.locate, "customers", start, per_shard, pg.PRIMARIES)
    common.pg_clean(common.all_keys(pools))
    r = Report(pools)
    with pg.Proxy() as proxy:
        try:
            body(r, proxy)
        except Exception as e:  # noqa: BLE001 - reported with the rows written so far
            r.fail("case aborted", describe(e))
    common.finish(r.failures, common.check_rows(r.rows, pg.PRIMARIES, common.pg_rows,
                                                pg.locate))


def psycopg2_placement():
    def body(r, proxy):
        conns = [pg_connect(proxy.port) for _ in range(3)]
        modes = [Mode("parameters, client-side interpolation", conns[0], "params", pg_literal),
                 Mode("literal text", conns[1], "literal", pg_literal),
                 Mode("SQL PREPARE/EXECUTE", conns[2], "prepare", pg_literal)]
        placement(r, modes, "customers", PG_SPELLINGS, PG_WRONG, pg_error_ok)
        for c in conns:
            c.close()
    pg_case(6_100_000, 85, body)


PG_PROBE = ("SELECT count(*), pg_is_in_recovery(), inet_server_port() FROM customers "
            "WHERE id = %s")
PG_INSERT = "INSERT INTO customers (id, name) VALUES (%s, %s)"


class Failed(Exception):
    pass


def expect(condition, detail):
    if not condition:
        raise Failed(detail)


def pg_probe(conn, shard, key, step):
    """The key's row count; the server that ran the read must be the owner's primary."""
    with conn.cursor() as cur:
        cur.execute(PG_PROBE, (key,))
        count, recovery, port = cur.fetchone()
    want = pg.PRIMARIES[shard]
    expect(not recovery and port == want,
           f"{step}: ran on the server at port {port}{' (a replica)' if recovery else ''}, "
           f"expected the primary of {shard} (port {want})")
    return count


def pg_insert(conn, key, name):
    with conn.cursor() as cur:
        cur.execute(PG_INSERT, (key, name))
        expect(cur.rowcount == 1, f"INSERT reported {cur.rowcount} rows")


def pg_rollback_then_commit(conn, shard, key, name):
    """Autocommit off: an INSERT rolled back leaves nothing, then the INSERT of `name`
    commits; every read in between runs on the owner's primary."""
    expect(pg_probe(conn, shard, key, "read before the INSERT") == 0, "row already there")
    pg_insert(conn, key, "rolled back")
    expect(pg_probe(conn, shard, key, "read after the INSERT") == 1, "own row not visible")
    conn.rollback()
    expect(pg_probe(conn, shard, key, "read after rollback") == 0, "row still there")
    pg_insert(conn, key, name)
    expect(pg_probe(conn, shard, key, "read after the second INSERT") == 1, "own row not visible")
    conn.commit()


def scenarios(r, table, items):
    """items: [(label, commits, body(shard, key, name))]; each runs once per shard with a
    fresh key; the row must then be on the owner primary (commits) or nowhere."""
    for label, commits, body in items:
        for shard in r.shards():
            key = r.take(shard)
            name = f"tx {label}"[:95]
            what = f"{label}, key {key} owned by {shard}"
            try:
                body(shard, key, name)
                r.ok(what)
                r.row(what, table, key, name, commits)
            except Exception as e:  # noqa: BLE001
                r.fail(what, describe(e) if not isinstance(e, Failed) else str(e))
                r.row(what, table, key, name, None)


def psycopg2_transactions():
    def body(r, proxy):
        def fresh(autocommit=False):
            return pg_connect(proxy.port, autocommit=autocommit)

        def implicit_begin(shard, key, name):
            with fresh() as conn:  # `with` commits at the end of the block
                expect(pg_probe(conn, shard, key, "SELECT (opens the transaction)") == 0,
                       "row already there")
                pg_insert(conn, key, name)
                expect(pg_probe(conn, shard, key, "read after the INSERT") == 1,
                       "own row not visible")
            conn.close()

        def rollback(shard, key, name):
            conn = fresh()
            pg_insert(conn, key, name)
            expect(pg_probe(conn, shard, key, "read after the INSERT") == 1, "own row not visible")
            conn.rollback()
            expect(pg_probe(conn, shard, key, "read after rollback") == 0, "row still there")
            conn.rollback()
            conn.close()

        def select_insert_commit(shard, key, name):
            conn = fresh()
            with conn.cursor() as cur:
                cur.execute("SELECT name FROM customers WHERE id = %s", (key,))
                expect(cur.fetchall() == [], "row already there")
            pg_insert(conn, key, name)
            conn.commit()
            conn.close()

        def rollback_then_commit(shard, key, name):
            conn = fresh()
            pg_rollback_then_commit(conn, shard, key, name)
            conn.close()

        def readonly_then_readwrite(shard, key, name):
            conn = fresh()
            conn.set_session(readonly=True)  # BEGIN READ ONLY
            with conn.cursor() as cur:
                cur.execute(PG_PROBE, (key,))
            conn.commit()
            conn.set_session(readonly=False)  # BEGIN READ WRITE
            pg_rollback_then_commit(conn, shard, key, name)
            conn.close()

        def readonly_refused(shard, key, name):
            conn = fresh()
            conn.set_session(readonly=True)
            try:
                pg_insert(conn, key, name)
                raise Failed("INSERT in a read-only transaction succeeded")
            except psycopg2.Error as e:
                expect(e.pgcode == "25006", f"expected 25006, got {describe(e)}")
            conn.rollback()
            conn.close()

        def serializable(shard, key, name):
            conn = fresh()
            conn.set_session(isolation_level=psycopg2.extensions.ISOLATION_LEVEL_SERIALIZABLE)
            pg_rollback_then_commit(conn, shard, key, name)
            conn.close()

        def session_characteristics(shard, key, name):
            conn = fresh(autocommit=True)
            with conn.cursor() as cur:
                cur.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE")
            conn.autocommit = False
            pg_rollback_then_commit(conn, shard, key, name)
            conn.close()

        def explicit_begin(shard, key, name):
            conn = fresh(autocommit=True)
            with conn.cursor() as cur:
                cur.execute("BEGIN")
                expect(pg_probe(conn, shard, key, "read after BEGIN") == 0, "row already there")
                pg_insert(conn, key, name)
                expect(pg_probe(conn, shard, key, "read after the INSERT") == 1,
                       "own row not visible")
                cur.execute("COMMIT")
            conn.close()

        def prepared_execute(shard, key, name):
            conn = fresh(autocommit=True)
            with conn.cursor() as cur:
                cur.execute("PREPARE sg_tx_probe (bigint) AS SELECT count(*), pg_is_in_recovery(), "
                            "inet_server_port() FROM customers WHERE id = $1")
                cur.execute("PREPARE sg_tx_insert (bigint, text) AS INSERT INTO customers "
                            "(id, name) VALUES ($1, $2)")
                cur.execute("EXECUTE sg_tx_probe (%s)", (key,))  # autocommit: any server
                conn.autocommit = False
                cur.execute("EXECUTE sg_tx_probe (%s)", (key,))
                count, recovery, port = cur.fetchone()
                expect(not recovery and port == pg.PRIMARIES[shard] and count == 0,
                       f"EXECUTE in the transaction ran on port {port} (count {count}), "
                       f"expected the primary of {shard} (port {pg.PRIMARIES[shard]})")
                cur.execute("EXECUTE sg_tx_insert (%s, %s)", (key, name))
                expect(pg_probe(conn, shard, key, "read after the EXECUTE") == 1,
                       "own row not visible")
            conn.commit()
            conn.close()

        scenarios(r, "customers", [
            ("default (implicit BEGIN): SELECT + INSERT + SELECT, commit at the end of `with`",
             True, implicit_begin),
            ("default: INSERT + rollback()", False, rollback),
            ("default: SELECT by key, then INSERT + commit()", True, select_insert_commit),
            ("default: INSERT + rollback(), then INSERT + commit()", True, rollback_then_commit),
            ("set_session(readonly=True) transaction, then set_session(readonly=False) "
             "(BEGIN READ WRITE) + rollback, INSERT + commit", True, readonly_then_readwrite),
            ("set_session(readonly=True) + INSERT refused (25006)", False, readonly_refused),
            ("set_session(isolation_level=SERIALIZABLE) + INSERT + rollback, INSERT + commit",
             True, serializable),
            ("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE, then a transaction with "
             "rollback, INSERT + commit", True, session_characteristics),
            ("autocommit=True + BEGIN + INSERT + COMMIT statements", True, explicit_begin),
            ("SQL PREPARE in autocommit, then EXECUTE SELECT + EXECUTE INSERT in a transaction",
             True, prepared_execute),
        ])
    pg_case(6_200_000, 12, body)


# --- MariaDB (pymysql) -----------------------------------------------------------------------

# Table names are case-sensitive on Linux (lower_case_table_names 0): only the columns,
# backticks and the schema vary; another case of the table name is the server's error 1146.
MY_SPELLINGS = {
    "insert": [
        ("lower", "INSERT INTO users (id, name) VALUES ({K}, {N})"),
        ("Mixed columns", "INSERT INTO users (Id, NAME) VALUES ({K}, {N})"),
        ("UPPER key column", "INSERT INTO users (ID, Name) VALUES ({K}, {N})"),
        ("backticks", "INSERT INTO `users` (`id`, `name`) VALUES ({K}, {N})"),
        ("backticks, UPPER key", "INSERT INTO `users` (`ID`, `Name`) VALUES ({K}, {N})"),
        ("backticks, Mixed key", "INSERT INTO `users` (`Id`, name) VALUES ({K}, {N})"),
        ("schema-qualified", "INSERT INTO social.users (Id, name) VALUES ({K}, {N})"),
        ("schema-qualified backticks",
         "INSERT INTO `social`.`users` (`iD`, `name`) VALUES ({K}, {N})"),
        ("INSERT ... SET", "INSERT INTO users SET ID = {K}, name = {N}"),
        ("columns reversed", "INSERT INTO social.users (NAME, Id) VALUES ({N}, {K})"),
        ("REPLACE", "REPLACE INTO `users` (`Id`, name) VALUES ({K}, {N})"),
    ],
    "update": [
        ("alias AS", "UPDATE users AS u SET u.name = {N} WHERE u.ID = {K}"),
        ("backticked alias", "UPDATE `users` `u` SET `u`.`Name` = {N} WHERE `u`.`Id` = {K}"),
        ("schema alias", "UPDATE social.users u SET name = {N} WHERE u.id = {K}"),
        ("UPPER columns", "UPDATE users SET NAME = {N} WHERE ID = {K}"),
    ],
    "delete": [
        ("alias AS", "DELETE u FROM users AS u WHERE u.ID = {K}"),
        ("schema backticks", "DELETE FROM `social`.`users` WHERE `ID` = {K}"),
        ("Mixed key", "DELETE FROM users WHERE Id = {K}"),
    ],
    "select": [
        ("UPPER key", "SELECT name FROM users WHERE ID = {K}"),
        ("backticked alias", "SELECT u.Name FROM `users` AS u WHERE u.`Id` = {K}"),
        ("schema-qualified", "SELECT NAME FROM social.users WHERE iD = {K}"),
        ("schema backticks", "SELECT `name` FROM `social`.`users` WHERE `ID` = {K}"),
    ],
}

MY_WRONG = [
    ("INSERT INTO USERS", "INSERT INTO USERS (id, name) VALUES ({K}, {N})", 1146),
    ("INSERT INTO Users", "INSERT INTO Users (id, name) VALUES ({K}, {N})", 1146),
    ("INSERT INTO `Users`", "INSERT INTO `Users` (`id`, `name`) VALUES ({K}, {N})", 1146),
    ("INSERT INTO social.USERS", "INSERT INTO social.USERS (id, name) VALUES ({K}, {N})", 1146),
    # another (missing) database: any error will do (the proxy refuses it itself), no row
    ("INSERT INTO SOCIAL.users", "INSERT INTO SOCIAL.users (id, name) VALUES ({K}, {N})",
     "any error"),
]


def my_error_ok(e, errors):
    if not isinstance(e, pymysql.MySQLError):
        return False
    return errors == "any error" or e.args[0] == errors


def my_case(start, per_shard, body, writable=False, lag=False, shard_map=my.DEMO_MAP):
    pools = common.pick_keys(my.locate, "users", start, per_shard, my.PRIMARIES)
    keys = common.all_keys(pools)
    common.my_clean(keys)
    r = Report(pools)
    try:
        with common.writable_replicas(writable):
            if lag:
                with common.LaggedProxy(my, shard_map) as lagged:
                    try:
                        body(r, lagged.proxy, lagged)
                    except Exception as e:  # noqa: BLE001
                        r.fail("case aborted", describe(e))
                    r.info["proxy"] = lagged.stats()
            else:
                with my.Proxy(shard_map=shard_map) as proxy:
                    try:
                        body(r, proxy)
                    except Exception as e:  # noqa: BLE001
                        r.fail("case aborted", describe(e))
        problems = common.check_rows(r.rows, my.PRIMARIES, common.my_rows, my.locate)
        problems += common.my_replica_problems(keys)
    finally:
        if writable:
            common.my_clean(keys)
    return r, problems


def pymysql_placement():
    def body(r, proxy):
        conns = [my_connect(proxy.port) for _ in range(2)]
        modes = [Mode("parameters, client-side escaping", conns[0], "params", my_literal),
                 Mode("literal text", conns[1], "literal", my_literal)]
        placement(r, modes, "users", MY_SPELLINGS, MY_WRONG, my_error_ok)
        for c in conns:
            c.close()
    r, problems = my_case(6_500_000, 50, body)
    common.finish(r.failures, problems)


MY_PROBE = "SELECT COUNT(*), @@port FROM users WHERE id = %s"
MY_INSERT = "INSERT INTO users (id, name) VALUES (%s, %s)"


def my_probe(conn, shard, key, step):
    with conn.cursor() as cur:
        cur.execute(MY_PROBE, (key,))
        count, port = cur.fetchone()
    want = my.PRIMARIES[shard]
    replica = " (the replica)" if port == my.REPLICAS[shard] else ""
    expect(port == want, f"{step}: ran on the server at port {port}{replica}, expected the "
                         f"primary of {shard} (port {want})")
    return count


def my_insert(conn, key, name):
    with conn.cursor() as cur:
        expect(cur.execute(MY_INSERT, (key, name)) == 1, "INSERT did not report 1 row")


def my_rollback_then_commit(conn, shard, key, name, start=None):
    """An INSERT rolled back leaves nothing, then the INSERT of `name` commits; every read in
    between runs on the owner's primary. start(): opens each transaction (begin()), or None
    with autocommit off."""
    if start:
        start()
    expect(my_probe(conn, shard, key, "read before the INSERT") == 0, "row already there")
    my_insert(conn, key, "rolled back")
    expect(my_probe(conn, shard, key, "read after the INSERT") == 1, "own row not visible")
    conn.rollback()
    if start:
        start()
    expect(my_probe(conn, shard, key, "read after rollback") == 0, "row still there")
    my_insert(conn, key, name)
    expect(my_probe(conn, shard, key, "read after the second INSERT") == 1, "own row not visible")
    conn.commit()


def pymysql_transactions_body(r, proxy):
    def fresh(autocommit=True):
        return my_connect(proxy.port, autocommit=autocommit)

    def begin_insert_commit(shard, key, name):
        conn = fresh()
        conn.begin()
        my_insert(conn, key, name)
        expect(my_probe(conn, shard, key, "read after the INSERT") == 1, "own row not visible")
        conn.commit()
        conn.close()

    def begin_select_insert(shard, key, name):
        conn = fresh()
        conn.begin()
        expect(my_probe(conn, shard, key, "SELECT after begin()") == 0, "row already there")
        my_insert(conn, key, name)
        expect(my_probe(conn, shard, key, "read after the INSERT") == 1, "own row not visible")
        conn.commit()
        conn.close()

    def begin_rollback(shard, key, name):
        conn = fresh()
        conn.begin()
        my_insert(conn, key, name)
        expect(my_probe(conn, shard, key, "read after the INSERT") == 1, "own row not visible")
        conn.rollback()
        conn.begin()
        expect(my_probe(conn, shard, key, "read in the next transaction") == 0,
               "row still there")
        conn.rollback()
        conn.close()

    def driver_default(shard, key, name):
        conn = fresh(autocommit=None)  # pymysql's default: autocommit off
        my_rollback_then_commit(conn, shard, key, name)
        conn.close()

    def autocommit_off_later(shard, key, name):
        conn = fresh()
        with conn.cursor() as cur:
            cur.execute("SELECT name FROM users WHERE id = %s", (key,))  # may run on a replica
        conn.autocommit(False)  # SET AUTOCOMMIT = 0
        my_rollback_then_commit(conn, shard, key, name)
        conn.close()

    def isolation_begin(shard, key, name):
        conn = fresh()
        with conn.cursor() as cur:
            cur.execute("SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE")
        my_rollback_then_commit(conn, shard, key, name, start=conn.begin)
        conn.close()

    def isolation_autocommit_off(shard, key, name):
        conn = fresh()
        with conn.cursor() as cur:
            cur.execute("SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE")
        conn.autocommit(False)
        my_rollback_then_commit(conn, shard, key, name)
        conn.close()

    def start_transaction_read_write(shard, key, name):
        conn = fresh()
        with conn.cursor() as cur:
            cur.execute("START TRANSACTION READ WRITE")
            my_insert(conn, key, name)
            expect(my_probe(conn, shard, key, "read after the INSERT") == 1,
                   "own row not visible")
            cur.execute("COMMIT")
        conn.close()

    scenarios(r, "users", [
        ("begin() + INSERT + commit()", True, begin_insert_commit),
        ("begin() + SELECT + INSERT + SELECT + commit()", True, begin_select_insert),
        ("begin() + INSERT + rollback()", False, begin_rollback),
        ("default connection (autocommit off): INSERT + rollback(), INSERT + commit()", True,
         driver_default),
        ("read in autocommit, then autocommit(False) (SET AUTOCOMMIT = 0): INSERT + "
         "rollback(), INSERT + commit()", True, autocommit_off_later),
        ("SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE, then begin(): INSERT + "
         "rollback(), INSERT + commit()", True, isolation_begin),
        ("SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE, then autocommit(False): "
         "INSERT + rollback(), INSERT + commit()", True, isolation_autocommit_off),
        ("START TRANSACTION READ WRITE + INSERT + COMMIT", True, start_transaction_read_write),
    ])


def pymysql_transactions(writable=False):
    start = 6_650_000 if writable else 6_600_000
    r, problems = my_case(start, 10, pymysql_transactions_body, writable=writable)
    common.finish(r.failures, problems)


# --- read-your-writes under replica lag (both drivers) -------------------------------------------

def ryw_loop(r, h, table, a, b, write, read, proxy_mode, lagged):
    """Writes a row on connection `a` (autocommit and in a transaction, alternately) and reads
    it back at once on `a` (must see it) and on `b` (must see it in proxy mode); counts the
    iterations where the owner replica still lacked the row (the lag is real)."""
    replicas = {shard: (pg_connect(port) if h is pg else my_connect(port))
                for shard, port in h.REPLICAS.items()}
    lagged.start_lag()
    stats = dict(iterations=0, same_missed=0, other_missed=0, replica_stale=0)
    deadline = time.time() + common.RYW_DURATION_MS / 1000
    i = 0
    while time.time() < deadline:
        shard = r.shards()[i % 2]
        try:
            key = r.take(shard)
        except RuntimeError:
            break
        name = f"ryw {i}"
        in_tx = (i // 2) % 2 == 1
        what = f"key {key} owned by {shard} written {'in a transaction' if in_tx else 'autocommit'}"
        i += 1
        try:
            write(a, key, name, in_tx)
            wrote = True
        except Exception as e:  # noqa: BLE001
            r.fail(f"{what}: write", describe(e))
            wrote = False
        r.row(what, table, key, name, wrote)
        if not wrote:
            continue
        stats["iterations"] += 1
        same = other = None
        try:
            same = read(a, key)
        except Exception as e:  # noqa: BLE001
            r.fail(f"{what}: read on the same connection", describe(e))
        try:
            other = read(b, key)
        except Exception as e:  # noqa: BLE001
            r.fail(f"{what}: read on a second connection", describe(e))
        on_replica = bool(read(replicas[shard], key))
        if not on_replica:
            stats["replica_stale"] += 1
        if same is not None and same != [name]:
            stats["same_missed"] += 1
            r.fail(f"{what}: read on the same connection right after the write",
                   f"got {same!r} (replica has it: {on_replica})")
        if other is not None and other != [name]:
            stats["other_missed"] += 1
            if proxy_mode:
                r.fail(f"{what}: read on a second connection after the commit "
                       "(read_your_writes: proxy)", f"got {other!r} (replica has it: {on_replica})")
        time.sleep(0.06)
    for c in replicas.values():
        c.close()
    r.info.update(stats)


def psycopg2_ryw(proxy_mode):
    start = 6_300_000 + (50_000 if proxy_mode else 0)
    pools = common.pick_keys(pg.locate, "customers", start, 40, pg.PRIMARIES)
    common.pg_clean(common.all_keys(pools))
    r = Report(pools)

    def write(conn, key, name, in_tx):
        if in_tx:
            conn.autocommit = False  # psycopg2's implicit BEGIN, then commit()
        pg_insert(conn, key, name)
        if in_tx:
            conn.commit()
            conn.autocommit = True

    def read(conn, key):
        with conn.cursor() as cur:
            cur.execute("SELECT name FROM customers WHERE id = %s", (key,))
            return [row[0] for row in cur.fetchall()]

    shard_map = pg.DEMO_MAP if proxy_mode else common.map_without_proxy_ryw()
    with common.LaggedProxy(pg, shard_map) as lagged:
        a, b = pg_connect(lagged.proxy.port), pg_connect(lagged.proxy.port)
        try:
            ryw_loop(r, pg, "customers", a, b, write, read, proxy_mode, lagged)
        except Exception as e:  # noqa: BLE001
            r.fail("case aborted", describe(e))
        a.close()
        b.close()
        proxy_stats = lagged.stats()
    common.ryw_summary(r, r.info, proxy_mode, proxy_stats)
    common.finish(r.failures, common.check_rows(r.rows, pg.PRIMARIES, common.pg_rows,
                                                pg.locate))


def pymysql_ryw(proxy_mode):
    def write(conn, key, name, in_tx):
        if in_tx:
            conn.begin()
        my_insert(conn, key, name)
        if in_tx:
            conn.commit()

    def read(conn, key):
        with conn.cursor() as cur:
            cur.execute("SELECT name FROM users WHERE id = %s", (key,))
            return [row[0] for row in cur.fetchall()]

    def body(r, proxy, lagged):
        a, b = my_connect(proxy.port), my_connect(proxy.port)
        try:
            ryw_loop(r, my, "users", a, b, write, read, proxy_mode, lagged)
        finally:
            a.close()
            b.close()

    start = 6_700_000 + (50_000 if proxy_mode else 0)
    shard_map = my.DEMO_MAP if proxy_mode else common.map_without_proxy_ryw()
    r, problems = my_case(start, 40, body, lag=True, shard_map=shard_map)
    proxy_stats = r.info.pop("proxy", {})
    common.ryw_summary(r, r.info, proxy_mode, proxy_stats)
    common.finish(r.failures, problems)


# --- escapes (pymysql) -------------------------------------------------------------------------

ESCAPE_VALUES = [
    ("apostrophe", "O'Brien"),
    ("backslash path", "C:\\path\\to\\file"),
    ("double quote", 'a"b'),
    ("newline", "line\nbreak"),
    ("backslash n (not a newline)", "literal \\n not a newline"),
    ("tab", "tab\tstop"),
    ("NUL byte", "nul\x00byte"),
    ("emoji", "emoji \U0001F600 \U0001F1E9\U0001F1EA"),
    ("trailing backslash", "trailing backslash\\"),
    ("backslash apostrophe", "it\\'s"),
    ("comment and semicolon", "semi;colon -- dash /* star */ # hash"),
    ("CR LF ctrl-Z", "cr\r\nlf \x1a ctrl-z"),
    ("injection-looking", "' OR '1'='1"),
    ("percent and placeholders", "100% %s %(x)s ? :name $1"),
    ("LIKE escapes", "percent \\% underscore \\_"),
    ("backticks", "`users` `id`"),
]


def pymysql_escapes():
    def body(r, proxy):
        c = my_connect(proxy.port)
        direct = {shard: my_connect(port) for shard, port in my.PRIMARIES.items()}
        select = "SELECT name FROM users WHERE id = %s"

        def names(conn, sql, args):
            with conn.cursor() as cur:
                cur.execute(sql, args)
                return [row[0] for row in cur.fetchall()]

        for label, value in ESCAPE_VALUES:
            for shard in r.shards():
                for kind in ("inserted", "updated"):
                    key = r.take(shard)
                    what = f"{label} {kind}, key {key} owned by {shard}"
                    with c.cursor() as cur:
                        try:
                            if kind == "inserted":
                                expect(cur.execute(MY_INSERT, (key, value)) == 1, "INSERT count")
                            else:
                                expect(cur.execute(MY_INSERT, (key, "placeholder")) == 1,
                                       "INSERT count")
                                expect(cur.execute("UPDATE users SET name = %s WHERE id = %s AND "
                                                   "name = %s", (value, key, "placeholder")) == 1,
                                       "UPDATE SET name = value: count")
                                # pymysql counts changed rows: change another column
                                expect(cur.execute("UPDATE users SET email = %s WHERE id = %s AND "
                                                   "name = %s", ("matched", key, value)) == 1,
                                       "UPDATE ... WHERE name = value: count")
                        except Exception as e:  # noqa: BLE001
                            r.fail(f"{what}: write", describe(e) if not isinstance(e, Failed)
                                   else str(e))
                    r.row(what, "users", key, value, True)
                    checks = [
                        ("read back through shardgate", c, select, (key,)),
                        ("WHERE name = value through shardgate", c,
                         "SELECT name FROM users WHERE id = %s AND name = %s", (key, value)),
                        ("direct on the owner primary", direct[shard], select, (key,)),
                    ]
                    for check, conn, sql, args in checks:
                        try:
                            got = poll(lambda: names(conn, sql, args), lambda g: g == [value])
                        except Exception as e:  # noqa: BLE001
                            r.fail(f"{what}: {check}", describe(e))
                            continue
                        if got != [value]:
                            r.fail(f"{what}: {check}", f"got {got!r}, expected {[value]!r}")
                        else:
                            r.ok(f"{what}: {check}")
        c.close()
        for d in direct.values():
            d.close()
    r, problems = my_case(6_800_000, 2 * len(ESCAPE_VALUES) + 2, body)
    common.finish(r.failures, problems)


def main():
    my.run({
        "psycopg2_placement": psycopg2_placement,
        "psycopg2_transactions": psycopg2_transactions,
        "psycopg2_read_your_writes": lambda: psycopg2_ryw(False),
        "psycopg2_read_your_writes_proxy": lambda: psycopg2_ryw(True),
        "pymysql_placement": pymysql_placement,
        "pymysql_transactions": pymysql_transactions,
        "pymysql_transactions_writable_replica": lambda: pymysql_transactions(writable=True),
        "pymysql_read_your_writes": lambda: pymysql_ryw(False),
        "pymysql_read_your_writes_proxy": lambda: pymysql_ryw(True),
        "pymysql_escapes": pymysql_escapes,
    })


if __name__ == "__main__":
    main()
