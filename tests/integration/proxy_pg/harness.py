"""Test harness for shardgate's PostgreSQL proxy: starts the daemon on a free port with a
config pointing at the demo map, and connects to it or to a backend directly."""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import psycopg2

SOURCE_DIR = os.environ.get("SHARDGATE_SOURCE_DIR",
                            os.path.abspath(os.path.join(os.path.dirname(__file__), "../../..")))
SHARDGATE = os.environ.get("SHARDGATE_BIN", os.path.join(SOURCE_DIR, "build", "shardgate"))


def _sanitized(binary):
    """True when shardgate was built with AddressSanitizer (scripts/test --sanitize): its
    quarantine keeps freed memory and its shadow memory grows with the heap, so the tests'
    memory bounds (RSS back near a baseline, peaks) are printed but not asserted there."""
    try:
        return b"libasan" in subprocess.run(["ldd", binary], capture_output=True).stdout
    except OSError:
        return False


SANITIZED = _sanitized(SHARDGATE)
SHARDCTL = os.environ.get("SHARDCTL_BIN", os.path.join(SOURCE_DIR, "build", "shardctl"))
DEMO_MAP = os.path.join(SOURCE_DIR, "shardmaps", "examples", "demo.yaml")
PRIMARIES = {"pg0": 15432, "pg1": 15434}
REPLICAS = {"pg0": 15433, "pg1": 15435}


_handed_out = set()


def free_port():
    """A port nothing listens on now, never one this process handed out before (the kernel
    may offer a just-closed port again: two listeners of one proxy on one port would make
    requests meant for one reach the other)."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _handed_out:
            _handed_out.add(port)
            return port


def admin(port, method, path, body=None, token="sg-test"):
    """One admin API call to the daemon listening on `port` (test daemons use the token
    sg-test): (HTTP status, body text); an error status is returned, not raised."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                     data=body.encode() if body is not None else None)
    request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


class Proxy:
    """A shardgate process for one test; stop() ends it by PID."""

    def __init__(self, extra_config="", workers=2, shard_map=DEMO_MAP, admin_listen="off",
                 extra_users="", preexec_fn=None):
        self.dir = tempfile.mkdtemp(prefix="sg_proxy_")
        self.config = os.path.join(self.dir, "shardgate.yaml")
        with open(self.config, "w") as f:
            f.write(f"shard_map: {shard_map}\n"
                    + self.listeners()
                    + f"workers: {workers}\n"
                    # test daemons never take the demo's admin port
                    f"admin_listen: {admin_listen}\n"
                    "monitor_user: admin\n"
                    "monitor_password: admin\n"
                    "users:\n"
                    "  - {name: app, password: app}\n"
                    + extra_users + extra_config)
        self.log = open(os.path.join(self.dir, "shardgate.log"), "w+")
        # preexec_fn: run in the child before shardgate starts (e.g. to set its rlimits)
        self.process = subprocess.Popen([SHARDGATE, "--config", self.config],
                                        stdout=self.log, stderr=subprocess.STDOUT,
                                        preexec_fn=preexec_fn)
        # Ready when the frontend under test and the admin API (when it has one) accept.
        ports = [self.port]
        if admin_listen != "off" and not admin_listen.endswith(":0"):
            ports.append(int(admin_listen.rsplit(":", 1)[1]))
        deadline = time.time() + 10
        while time.time() < deadline and ports:
            try:
                socket.create_connection(("127.0.0.1", ports[0]), timeout=0.2).close()
                ports.pop(0)
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
        if not ports:
            return
        self.stop()
        raise RuntimeError("shardgate did not start:\n" + self.output())

    def listeners(self):
        """The frontend lines of the config; sets self.port (the frontend under test)."""
        self.port = free_port()
        return f"postgres_listen: 127.0.0.1:{self.port}\nmysql_listen: off\n"

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def connect(self, user="app", password="app", dbname="shop", **kw):
        return psycopg2.connect(host="127.0.0.1", port=self.port, user=user,
                                password=password, dbname=dbname, connect_timeout=5, **kw)

    def dsn(self):
        return f"host=127.0.0.1 port={self.port} user=app dbname=shop"

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise RuntimeError("shardgate did not stop on SIGTERM")
        return self.process.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        code = self.stop()
        if exc[0] is not None:
            sys.stderr.write(self.output())
        elif code != 0:
            raise RuntimeError(f"shardgate exited with {code}:\n{self.output()}")
        else:
            self.log.close()
            shutil.rmtree(self.dir, ignore_errors=True)


def write_map(dead_port):
    """A small map: shard pg0 of the topology, and shard `dead` on `dead_port`."""
    path = os.path.join(tempfile.mkdtemp(prefix="sg_proxy_pg_map_"), "map.yaml")
    with open(path, "w") as f:
        f.write("format_version: 1\nepoch: 1\ndatabases:\n  shop:\n"
                "    engine: postgresql\n    default_shard: pg0\n    shards:\n"
                f"      pg0: {{primary: 127.0.0.1:{PRIMARIES['pg0']}, "
                f"replicas: ['127.0.0.1:{REPLICAS['pg0']}']}}\n"
                f"      dead: {{primary: 127.0.0.1:{dead_port}}}\n")
    return path


def direct(port, dbname="shop", user="app", password="app"):
    conn = psycopg2.connect(host="127.0.0.1", port=port, user=user, password=password,
                            dbname=dbname, connect_timeout=5)
    conn.autocommit = True
    return conn


def locate(table, key):
    out = subprocess.run([SHARDCTL, "locate", DEMO_MAP, "shop", table, str(key), "--json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def psql(port, sql, password="app", dbname="shop"):
    env = dict(os.environ, PGPASSWORD=password, PGCONNECT_TIMEOUT="5")
    return subprocess.run(["psql", "-X", "-h", "127.0.0.1", "-p", str(port), "-U", "app",
                           "-d", dbname, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          capture_output=True, text=True, env=env, timeout=30)


def run(cases):
    """Runs the named case (argv[1]) or all of them."""
    names = sys.argv[1:] or list(cases)
    for name in names:
        started = time.time()
        cases[name]()
        print(f"ok {name} ({time.time() - started:.2f}s)")
