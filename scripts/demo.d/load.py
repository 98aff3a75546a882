#!/usr/bin/python3
"""Loads the demo schema and a small dataset onto the running topology.

Every row is written to the shard that `shardctl locate` names for its key under
shardmaps/examples/demo.yaml, so the data sits exactly where the proxy will look for it.
Reference tables are written to every shard, and the sequences the map places (`sequences:`)
are created on their shard only. Rerunning replaces the demo data.
"""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MAP = os.path.join(ROOT, "shardmaps", "examples", "demo.yaml")
SHARDCTL = os.path.join(ROOT, "build", "shardctl")
TOPOLOGY = os.path.join(ROOT, "build", "topology.json")

REFERENCE = {"shop": {"products"}, "social": {"tags"}}
VERTICAL = {"shop": {"invoices"}, "social": {"audit"}}


def locate(database, table, key):
    out = subprocess.run([SHARDCTL, "locate", MAP, database, table, str(key), "--json"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"demo: shardctl locate {database} {table} {key} failed: {out.stderr.strip()}")
    return json.loads(out.stdout)["shard"]


def sql_value(value):
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def shop_rows():
    rows = []
    for c in range(1, 41):
        rows.append(("customers", "id", {"id": c, "name": f"customer {c}",
                                         "email": f"c{c}@example.com"}))
        for o in range(2):
            rows.append(("orders", "customer_id",
                         {"customer_id": c, "name": f"order {o + 1} of customer {c}",
                          "total": 10 * c + o}))
            rows.append(("order_items", "customer_id",
                         {"customer_id": c, "name": f"item of order {o + 1}",
                          "product_id": 1 + (c + o) % 10, "quantity": 1 + o}))
    for p in range(1, 11):
        rows.append(("products", "id", {"id": p, "name": f"product {p}", "price": p * 3}))
    for i in range(1, 11):
        rows.append(("invoices", "id", {"id": i, "name": f"invoice {i}", "customer_id": i,
                                        "amount": i * 7}))
    for country, city in [("DE", "Berlin"), ("FR", "Paris"), ("IT", "Rome"), ("ES", "Madrid"),
                          ("NL", "Amsterdam"), ("US", "Boston"), ("CA", "Toronto"),
                          ("BR", "Recife"), ("MX", "Puebla"), ("JP", "Osaka")]:
        rows.append(("stores", "country", {"country": country, "name": f"{city} store",
                                           "city": city}))
    for month in range(18):
        year, mon = 2025 + month // 12, 1 + month % 12
        stamp = f"{year}-{mon:02d}-15 12:00:00+00"
        rows.append(("events", "created_at", {"created_at": stamp,
                                              "name": f"event {year}-{mon:02d}"}))
    for a in (1, 500, 999999, 1000000, 2000000):
        rows.append(("accounts", "id", {"id": a, "name": f"account {a}", "balance": a % 1000}))
    return rows


def social_rows():
    rows = []
    for u in range(1, 41):
        rows.append(("users", "id", {"id": u, "name": f"user {u}"}))
        for p in range(2):
            rows.append(("posts", "user_id", {"user_id": u, "name": f"post {p + 1} of {u}"}))
        rows.append(("likes", "user_id", {"user_id": u, "name": f"like by {u}", "post_id": u}))
    for t in range(1, 11):
        rows.append(("tags", "id", {"id": t, "name": f"tag {t}"}))
    for c in range(1, 21):
        rows.append(("messages", "conversation_id",
                     {"conversation_id": c, "name": f"hello in {c}"}))
    for a in range(1, 6):
        rows.append(("audit", "id", {"name": f"audit entry {a}"}))
    for region in ("eu", "apac", "us", "latam", "EU", "mena"):
        rows.append(("profiles", "region", {"region": region, "name": f"{region} profile"}))
    return rows


def placement(database, rows, shards):
    """Groups INSERT statements by shard."""
    per_shard = {shard: [] for shard in shards}
    for table, key, values in rows:
        cols = ", ".join(values)
        vals = ", ".join(sql_value(v) for v in values.values())
        stmt = f"INSERT INTO {table} ({cols}) VALUES ({vals});"
        if table in REFERENCE[database]:
            targets = shards
        else:
            key_value = values.get(key, 0)
            targets = [locate(database, table, key_value)]
        for shard in targets:
            per_shard[shard].append(stmt)
    return per_shard


def placed_sequences(database):
    """{sequence: shard} of the map's `sequences:` for `database`."""
    out = subprocess.run([SHARDCTL, "show", MAP, "--json"], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"demo: shardctl show failed: {out.stderr.strip()}")
    for db in json.loads(out.stdout)["databases"]:
        if db["name"] == database:
            return db.get("sequences", {})
    return {}


def tables_of(schema_file):
    names = []
    with open(schema_file) as f:
        for line in f:
            if line.startswith("CREATE TABLE IF NOT EXISTS "):
                names.append(line.split()[5])
    return names


def load(engine, database, schema_file, rows, servers):
    primaries = {s["shard"]: s for s in servers if s["engine"] == engine and s["role"] == "primary"}
    shards = sorted(primaries)
    per_shard = placement(database, rows, shards)
    vertical_home = {t: locate(database, t, 0) for t in VERTICAL[database]}
    sequences = placed_sequences(database)
    with open(schema_file) as f:
        schema = f.read()
    for shard, statements in per_shard.items():
        server = primaries[shard]
        drop = [f"DROP TABLE IF EXISTS {t};" for t in tables_of(schema_file)]
        keep_out = [t for t, home in vertical_home.items() if home != shard]
        script = "\n".join(drop) + "\n" + schema + "\n"
        script += "\n".join(f"DROP TABLE IF EXISTS {t};" for t in keep_out) + "\n"
        script += "\n".join(f"DROP SEQUENCE IF EXISTS {name};" for name in sequences) + "\n"
        script += "\n".join(f"CREATE SEQUENCE {name};" for name, home in sequences.items()
                             if home == shard) + "\n"
        script += "\n".join(statements) + "\n"
        if engine == "postgresql":
            cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", server["host"], "-p",
                   str(server["port"]), "-U", server["user"], "-d", database]
            env = dict(os.environ, PGPASSWORD=server["password"])
        else:
            cmd = ["mariadb", "--no-defaults", "-h", server["host"], "-P", str(server["port"]),
                   "-u", server["user"], f"-p{server['password']}", database]
            env = dict(os.environ)
        result = subprocess.run(cmd, input=script, capture_output=True, text=True, env=env)
        if result.returncode != 0:
            sys.exit(f"demo: loading {database} on {shard} failed: {result.stderr.strip()}")
        print(f"demo: {database}@{shard}: {len(statements)} rows")


def main():
    with open(TOPOLOGY) as f:
        servers = json.load(f)["servers"]
    load("postgresql", "shop", os.path.join(HERE, "schema-shop.sql"), shop_rows(), servers)
    load("mysql", "social", os.path.join(HERE, "schema-social.sql"), social_rows(), servers)


if __name__ == "__main__":
    main()
