"""Test harness for shardgate's MySQL proxy: starts the daemon with both listeners on free
ports and a config pointing at the demo map; connects to it or to a MariaDB backend
directly."""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import pymysql

SOURCE_DIR = os.environ.get("SHARDGATE_SOURCE_DIR",
                            os.path.abspath(os.path.join(os.path.dirname(__file__), "../../..")))
SHARDGATE = os.environ.get("SHARDGATE_BIN", os.path.join(SOURCE_DIR, "build", "shardgate"))
SHARDCTL = os.environ.get("SHARDCTL_BIN", os.path.join(SOURCE_DIR, "build", "shardctl"))
DEMO_MAP = os.path.join(SOURCE_DIR, "shardmaps", "examples", "demo.yaml")
PRIMARIES = {"my0": 13306, "my1": 13308}
REPLICAS = {"my0": 13307, "my1": 13309}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proxy:
    """A shardgate process for one test; stop() ends it by PID."""

    def __init__(self, extra_config="", workers=2, shard_map=DEMO_MAP):
        self.port = free_port()
        self.pg_port = free_port()
        self.dir = tempfile.mkdtemp(prefix="sg_proxy_mysql_")
        self.config = os.path.join(self.dir, "shardgate.yaml")
        with open(self.config, "w") as f:
            f.write(f"shard_map: {shard_map}\n"
                    f"postgres_listen: 127.0.0.1:{self.pg_port}\n"
                    f"mysql_listen: 127.0.0.1:{self.port}\n"
                    f"workers: {workers}\n"
                    "users:\n"
                    "  - {name: app, password: app}\n"
                    + extra_config)
        self.log = open(os.path.join(self.dir, "shardgate.log"), "w+")
        self.process = subprocess.Popen([SHARDGATE, "--config", self.config],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("shardgate did not start:\n" + self.output())

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def connect(self, user="app", password="app", database="social", **kw):
        return pymysql.connect(host="127.0.0.1", port=self.port, user=user, password=password,
                               database=database, connect_timeout=5, autocommit=True, **kw)

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


def direct(port, database="social", user="app", password="app"):
    return pymysql.connect(host="127.0.0.1", port=port, user=user, password=password,
                           database=database, connect_timeout=5, autocommit=True)


def locate(table, key):
    out = subprocess.run([SHARDCTL, "locate", DEMO_MAP, "social", table, str(key), "--json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def mysql_cli(port, sql, password="app", database="social", extra=()):
    """Runs the mysql command-line client (batch mode) against shardgate."""
    args = ["mysql", "--no-defaults", "-h", "127.0.0.1", "-P", str(port), "-u", "app",
            f"-p{password}", "--batch", "--skip-column-names", *extra]
    if database:
        args.append(database)
    return subprocess.run(args + ["-e", sql], capture_output=True, text=True, timeout=30)


def run(cases):
    """Runs the named case (argv[1]) or all of them."""
    names = sys.argv[1:] or list(cases)
    for name in names:
        started = time.time()
        cases[name]()
        print(f"ok {name} ({time.time() - started:.2f}s)")
