#!/usr/bin/python3
"""GET /metrics of the admin API against the real topology: after statements through both
frontends (psycopg2 and pymysql), the body passes `promtool check metrics` (Debian's prometheus
package), carries the figures the statements produced (reads and writes per backend, the
planes' query counters, backends up, the map's epoch) and matches /status; without the token it
is refused (401) unless `metrics_auth: none`, which opens /metrics only (not /status).
Usage: metrics_test.py token|open"""
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cross_shard"))
import scatter_test as st  # noqa: E402  (the harness, direct connections)
import write_test as wt  # noqa: E402  (proxies with an admin port, token sg-test)


def get(port, path, token="sg-test"):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, answer.headers.get("Content-Type", ""), answer.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode()


def samples(text):
    """{(name, labels text): value} of every sample line."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        found = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$", line)
        assert found, line
        out[(found.group(1), found.group(2) or "")] = float(found.group(3))
    return out


def traffic(proxy):
    conn = proxy.connect()
    conn.autocommit = True
    cur = conn.cursor()
    for _ in range(20):
        cur.execute("SELECT 1")
    conn.close()
    my = proxy.my()
    for _ in range(20):
        my.cursor().execute("SELECT 1")
    my.close()


def token():
    with wt.Proxy() as proxy:
        traffic(proxy)
        code, _, body = get(proxy.admin_port, "/metrics", token=None)
        assert code == 401, (code, body)
        code, _, body = get(proxy.admin_port, "/metrics", token="wrong")
        assert code == 401, (code, body)
        code, kind, body = get(proxy.admin_port, "/metrics")
        assert code == 200 and kind.startswith("text/plain; version=0.0.4"), (code, kind)
        check = subprocess.run(["promtool", "check", "metrics"], input=body, text=True,
                               capture_output=True)
        assert check.returncode == 0, check.stdout + check.stderr
        found = samples(body)
        assert found[("shardgate_map_epoch", "")] == 1
        assert found[("shardgate_pg_queries_total", "")] >= 20, body[:2000]
        status = json.loads(get(proxy.admin_port, "/status")[2])
        routed = 0
        for backend in status["backends"]:
            labels = (f'{{database="{backend["database"]}",shard="{backend["shard"]}",'
                      f'role="{backend["role"]}",endpoint="{backend["endpoint"]}"}}')
            up = found[("shardgate_backend_up", labels)]
            assert up == (1 if backend["health"] == "up" else 0), (labels, up, backend)
            routed += found[("shardgate_backend_reads_total", labels)]
            routed += found[("shardgate_backend_writes_total", labels)]
            assert ("shardgate_backend_connections", labels[:-1] + ',state="idle"}') in found
        assert routed >= 40, routed  # the 20 + 20 statements, each sent to one backend
        # latency histograms: the 20 + 20 single-shard statements, cumulative buckets
        for plane in ("postgresql", "mysql"):
            labels = f'protocol="{plane}",plan_kind="route"'
            count = found[("shardgate_statement_latency_seconds_count", "{" + labels + "}")]
            assert count >= 20, (plane, count)
            inf = found[("shardgate_statement_latency_seconds_bucket",
                         "{" + labels + ',le="+Inf"}')]
            assert inf == count, (inf, count)
            assert found[("shardgate_statement_latency_seconds_sum", "{" + labels + "}")] > 0
            assert found[("shardgate_pool_wait_seconds_count",
                          '{protocol="' + plane + '"}')] >= 20
        # per worker: clients (two held open here, one per plane) and queue wait
        pg_held, my_held = proxy.connect(), proxy.my()
        body = get(proxy.admin_port, "/metrics")[2]
        found_now = samples(body)
        workers = {labels: value for (name, labels), value in found_now.items()
                   if name == "shardgate_worker_clients"}
        waits = {labels: value for (name, labels), value in found_now.items()
                 if name == "shardgate_worker_queue_wait_seconds"}
        assert set(workers) == set(waits) and len(workers) == 4, (workers, waits)  # 2 + 2
        for plane in ("postgresql", "mysql"):
            held = sum(v for k, v in workers.items() if f'protocol="{plane}"' in k)
            assert held == 1, (plane, workers)
        assert all(0 <= w < 1 for w in waits.values()), waits
        listed = json.loads(get(proxy.admin_port, "/status")[2])["workers"]
        assert sorted((w["protocol"], w["worker"]) for w in listed) == [
            ("mysql", 0), ("mysql", 1), ("postgresql", 0), ("postgresql", 1)], listed
        pg_held.close()
        my_held.close()
        print(f"  /metrics: {len(found)} samples, promtool clean, {routed:.0f} statements "
              f"routed, every backend's up/lag/connections present; 401 without the token")


def open_metrics():
    with wt.Proxy(extra_config="metrics_auth: none\n") as proxy:
        traffic(proxy)
        code, _, body = get(proxy.admin_port, "/metrics", token=None)
        assert code == 200 and "shardgate_backend_up" in body, (code, body[:300])
        code, _, _ = get(proxy.admin_port, "/status", token=None)
        assert code == 401, code
        print("  metrics_auth: none: /metrics open, /status still needs the token")


def listeners():
    """Every worker accepts its own clients on its own socket (SO_REUSEPORT); a second
    shardgate on a port in use still fails at start instead of sharing it."""
    with wt.Proxy() as proxy:
        for port in (proxy.port, proxy.mysql_port):
            config = os.path.join(proxy.dir, f"second-{port}.yaml")
            with open(config, "w") as f:
                f.write(f"shard_map: {wt.MAP}\n"
                        + (f"postgres_listen: 127.0.0.1:{port}\nmysql_listen: off\n"
                           if port == proxy.port else
                           f"postgres_listen: off\nmysql_listen: 127.0.0.1:{port}\n")
                        + "admin_listen: off\nusers:\n  - {name: app, password: app}\n")
            second = subprocess.run([wt.harness.SHARDGATE, "--config", config],
                                    capture_output=True, text=True, timeout=30)
            assert second.returncode != 0, second.stdout + second.stderr
            assert "Address already in use" in second.stdout + second.stderr, \
                second.stdout + second.stderr
        clients = 40
        held = [proxy.connect() for _ in range(clients)] + [proxy.my() for _ in range(clients)]
        for conn in held:
            conn.autocommit = True  # (psycopg2 would hold a transaction, and a backend, open)
            cur = conn.cursor()
            cur.execute("SELECT 1")
            assert cur.fetchone()[0] == 1
        listed = json.loads(get(proxy.admin_port, "/status")[2])["workers"]
        per_worker = {(w["protocol"], w["worker"]): w["clients"] for w in listed}
        for plane in ("postgresql", "mysql"):
            counts = [per_worker[(plane, i)] for i in (0, 1)]
            assert sum(counts) == clients, (plane, per_worker)
            # The kernel spreads connections over both sockets by their addresses: all 40
            # on one worker would mean a worker that accepts nothing.
            assert min(counts) > 0, (plane, per_worker)
        for conn in held:
            conn.close()
        print(f"  listeners: a second shardgate on each port refused (address in use); "
              f"{clients} clients per plane per worker: {per_worker}")


if __name__ == "__main__":
    {"token": token, "open": open_metrics, "listeners": listeners}[sys.argv[1]]()
    print("ok")
