"""TLS from shardgate to the database servers (backend_tls, backend_tls_ca), against the
topology's servers, which accept TLS with a certificate for 127.0.0.1 and localhost signed by
the topology's CA (build/topology.json "tls_ca"). Checked on the servers themselves: the
sessions shardgate opens (data path, health probes) are encrypted; a certificate the CA did not
sign, or one that does not name the host, is refused with the reason, in the client's own
error format, and the session survives.
Usage: backend_tls_test.py verify_full|refused|config"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import psycopg2
import pymysql

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cross_shard"))
import scatter_test as st  # noqa: E402  (both-frontend Proxy, direct connections)

harness = st.harness
ROWS = 3000
PAYLOAD = "p" * 300  # rows of ~300 bytes: a scatter answer spans many TLS records


def topology_ca():
    with open(os.environ["SHARDGATE_TOPOLOGY"]) as f:
        return json.load(f)["tls_ca"]


def tls_map(host="127.0.0.1"):
    """The demo map plus sg_tls (hash by id) in both databases; shard endpoints on `host`."""
    with open(harness.DEMO_MAP) as f:
        text = f.read()
    text = text.replace("\n    tables:\n",
                        "\n    tables:\n      sg_tls: {scheme: hash, key: id, key_type: bigint}\n")
    text = text.replace("127.0.0.1:", host + ":")
    folder = tempfile.mkdtemp(prefix="sg_tls_map_")
    path = os.path.join(folder, "map.yaml")
    with open(path, "w") as f:
        f.write(text)
    return path


class Proxy(st.Proxy):
    def __init__(self, mode, ca=None, host="127.0.0.1"):
        config = (f"backend_tls: {mode}\nadmin_token: sg-test\n"
                  + (f"backend_tls_ca: {ca}\n" if ca else ""))
        self.admin_port = harness.free_port()
        harness.Proxy.__init__(self, config, shard_map=tls_map(host),
                               admin_listen=f"127.0.0.1:{self.admin_port}")


def other_ca():
    """A CA that signed none of the servers' certificates."""
    folder = tempfile.mkdtemp(prefix="sg_other_ca_")
    ca = os.path.join(folder, "ca.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=not the topology CA", "-keyout",
                    os.path.join(folder, "ca.key"), "-out", ca], check=True,
                   capture_output=True)
    return ca


def prepare():
    for port in st.PG_PRIMARIES.values():
        with st.pg_direct(port) as c, c.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_tls")
            cur.execute("CREATE TABLE sg_tls (id bigint PRIMARY KEY, payload text)")
    for port in st.MY_PRIMARIES.values():
        with st.my_direct(port) as c:
            c.cursor().execute("DROP TABLE IF EXISTS sg_tls")
            c.cursor().execute("CREATE TABLE sg_tls (id bigint PRIMARY KEY, payload text)")


def server_rows(engine):
    """Rows of sg_tls on every primary, read directly: {id: payload}."""
    rows = {}
    if engine == "pg":
        for port in st.PG_PRIMARIES.values():
            with st.pg_direct(port) as c, c.cursor() as cur:
                cur.execute("SELECT id, payload FROM sg_tls")
                rows.update(cur.fetchall())
    else:
        for port in st.MY_PRIMARIES.values():
            with st.my_direct(port) as c:
                cur = c.cursor()
                cur.execute("SELECT id, payload FROM sg_tls")
                rows.update(cur.fetchall())
    return rows


def verify_full():
    """backend_tls: verify-full with the topology's CA: every session shardgate opens to a
    PostgreSQL server is encrypted (pg_stat_ssl: the data path's and the monitor's), a MariaDB
    session through shardgate reports its TLS version; writes land on their shards and a
    cross-shard read of ~1 MB (many TLS records from two shards at once) is complete."""
    prepare()
    with Proxy("verify-full", topology_ca()) as proxy:
        pg = proxy.connect()
        pg.autocommit = True
        with pg.cursor() as cur:
            cur.execute("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            ssl_on, version = cur.fetchone()
            assert ssl_on and version in ("TLSv1.2", "TLSv1.3"), (ssl_on, version)
            cur.executemany("INSERT INTO sg_tls (id, payload) VALUES (%s, %s)",
                            [(k, f"{PAYLOAD}{k}") for k in range(1, ROWS + 1)])
            cur.execute("SELECT id, payload FROM sg_tls")
            through = dict(cur.fetchall())
        want = {k: f"{PAYLOAD}{k}" for k in range(1, ROWS + 1)}
        assert through == want, len(through)
        assert server_rows("pg") == want
        # every session of this proxy's user and of its monitor, on each server, uses TLS
        for port in list(st.PG_PRIMARIES.values()) + list(st.PG_REPLICAS.values()):
            with st.pg_direct(port, admin=True) as c, c.cursor() as cur:
                cur.execute("SELECT a.application_name, s.ssl FROM pg_stat_ssl s JOIN "
                            "pg_stat_activity a USING (pid) WHERE a.usename IN ('app', 'admin') "
                            "AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'"
                            " AND (a.application_name = 'shardgate-monitor' OR "
                            "a.client_port IS NOT NULL)")
                seen = cur.fetchall()
                monitor = [ssl_on for name, ssl_on in seen if name == "shardgate-monitor"]
                assert monitor and all(monitor), (port, seen)
        # a cancel reaches the server (its CancelRequest goes over TLS too)
        timer = threading.Timer(0.5, pg.cancel)
        timer.start()
        t0 = time.time()
        with pg.cursor() as cur:
            try:
                cur.execute("SELECT pg_sleep(20)")
                raise AssertionError("the statement must be cancelled")
            except psycopg2.extensions.QueryCanceledError:
                pass
        cancelled_after = time.time() - t0
        assert cancelled_after < 10, cancelled_after
        pg.close()

        my = proxy.my()
        cur = my.cursor()
        cur.execute("SHOW SESSION STATUS LIKE 'Ssl_version'")
        name, version = cur.fetchone()
        assert version in ("TLSv1.2", "TLSv1.3"), version
        cur.executemany("INSERT INTO sg_tls (id, payload) VALUES (%s, %s)",
                        [(k, f"{PAYLOAD}{k}") for k in range(1, ROWS + 1)])
        cur.execute("SELECT id, payload FROM sg_tls")
        through = dict(cur.fetchall())
        assert through == want, len(through)
        assert server_rows("my") == want
        my.close()
        # the health probes of both engines got through: every backend is up
        status = st.admin_status(proxy.admin_port)
        down = [b for b in status["backends"] if b["health"] != "up"]
        assert not down, down
        print(f"  verify-full: PostgreSQL sessions and probes encrypted ({version} on MariaDB), "
              f"a cancel took {cancelled_after:.1f} s; "
              f"{ROWS} rows written and read back across two shards per engine; all backends up")


def expect_refused(proxy, reason):
    """A statement needing a backend fails with `reason`, naming the shard; the client's
    session stays usable for the next statement (which fails the same way). Returns the
    PostgreSQL and the MySQL error texts."""
    pg = proxy.connect()
    pg.autocommit = True
    my = proxy.my()
    texts = []
    for conn, errors, shard in ((pg, psycopg2.Error, "shard pg"),
                                (my, pymysql.MySQLError, "shard my")):
        for _ in range(2):
            try:
                conn.cursor().execute("SELECT payload FROM sg_tls WHERE id = 1")
                raise AssertionError("a refused backend certificate must fail the statement")
            except errors as e:
                text = str(e)
                assert reason in text and shard in text, text
        texts.append(text)
        conn.close()
    return texts


def refused():
    """A CA that did not sign the servers' certificates: verify-ca and verify-full refuse every
    backend with the certificate error; require (no check) goes on with the same CA file
    absent. A host the certificate does not name (127.1, the same address written another
    way): verify-full refuses it, verify-ca accepts it."""
    prepare()
    wrong = other_ca()
    for mode in ("verify-ca", "verify-full"):
        with Proxy(mode, wrong) as proxy:
            pg_text, my_text = expect_refused(proxy, "certificate")
            assert "certificate verify failed" in pg_text, pg_text
    print(f"  wrong CA refused (verify-ca, verify-full): {pg_text.strip()} / {my_text}")
    with Proxy("require") as proxy:
        pg = proxy.connect()
        with pg.cursor() as cur:
            cur.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            assert cur.fetchone() == (True,)
        pg.close()
    with Proxy("verify-full", topology_ca(), host="127.1") as proxy:
        pg_text, my_text = expect_refused(proxy, "certificate")
        assert "hostname mismatch" in pg_text, pg_text
    with Proxy("verify-ca", topology_ca(), host="127.1") as proxy:
        pg = proxy.connect()
        with pg.cursor() as cur:
            cur.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            assert cur.fetchone() == (True,)
        pg.close()
    print("  name not on the certificate refused by verify-full, accepted by verify-ca: "
          f"{pg_text.strip()} / {my_text}")


def config():
    """Bad settings stop the start (and --check) with the reason."""
    folder = tempfile.mkdtemp(prefix="sg_tls_config_")
    cases = [("backend_tls: sometimes\n", "'backend_tls' must be disable, prefer, require"),
             ("backend_tls: verify-full\nbackend_tls_ca: /nonexistent/ca.pem\n",
              "backend_tls_ca /nonexistent/ca.pem"),
             ("backend_tls: verify-ca\n", "backend_tls verify-ca needs 'backend_tls_ca'"),
             ("backend_tls: require\nbackend_tls_ca: ca.pem\n",
              "'backend_tls_ca' is used by backend_tls verify-ca or verify-full only")]
    for i, (text, reason) in enumerate(cases):
        path = os.path.join(folder, f"c{i}.yaml")
        with open(path, "w") as f:
            f.write(f"shard_map: {harness.DEMO_MAP}\npostgres_listen: 127.0.0.1:"
                    f"{harness.free_port()}\nmysql_listen: off\nadmin_listen: off\n"
                    "users:\n  - {name: app, password: app}\n" + text)
        for extra in (["--check"], []):
            out = subprocess.run([harness.SHARDGATE, "--config", path] + extra,
                                 capture_output=True, text=True, timeout=30)
            assert out.returncode == 1 and reason in out.stderr, (text, extra, out.stderr)
    shutil.rmtree(folder, True)
    print("  bad backend_tls settings refused by --check and at start")


if __name__ == "__main__":
    started = time.time()
    {"verify_full": verify_full, "refused": refused, "config": config}[sys.argv[1]]()
    print(f"  ({time.time() - started:.1f} s)")
