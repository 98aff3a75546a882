#!/usr/bin/python3
"""`shardctl reshard plan` against the real shards: rows are put on their owner shards
directly; the plan's moved rows per table and shard pair must equal the rows whose owner
changes between the two maps, computed here from the placement function (MD5) for hash
ranges, and with `shardctl locate` under both maps for consistent-hash arcs of a new shard.
Refusals name their reason. `scripts/topology add-shard` starts pg2 / my2 with a replica and
lists them in topology.json; `remove-shard` stops them. text_pg / text_mysql: moves of text key
ranges (compared bytewise, as the proxy does: an inclusive end, an open end, non-ASCII and
upper-case keys), rows checked with `shardctl locate` under both maps.
Usage: plan_test.py pg|mysql|refusals|add_shard|text_pg|text_mysql"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cross_shard"))
import scatter_test as st  # noqa: E402  (direct connections, the harness)

harness = st.harness
SHARDCTL = os.environ["SHARDCTL_BIN"]
SOURCE = os.environ["SHARDGATE_SOURCE_DIR"]
ROWS = 600
QUARTER = 0x4000000000000000


def keyspace(key):
    return int(hashlib.md5(str(key).encode()).hexdigest()[:16], 16)


def map_text(db_tables, epoch=1, extra_shards=""):
    """The demo map with `db_tables` (database -> lines of its tables:) at `epoch`."""
    with open(harness.DEMO_MAP) as f:
        text = f.read()
    text = text.replace("epoch: 1\n", f"epoch: {epoch}\n", 1)
    for db, lines in db_tables.items():
        marker = "  " + db + ":\n"
        at = text.index(marker)
        tables_at = text.index("\n    tables:\n", at) + len("\n    tables:\n")
        text = text[:tables_at] + lines + text[tables_at:]
    if extra_shards:
        for db, shard_lines in extra_shards.items():
            marker = "  " + db + ":\n"
            at = text.index(marker)
            shards_at = text.index("\n    shards:\n", at) + len("\n    shards:\n")
            text = text[:shards_at] + shard_lines + text[shards_at:]
    return text


def write(folder, name, text):
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def plan(old, new, *extra):
    out = subprocess.run([SHARDCTL, "reshard", "plan", "--from", old, "--to", new, "--user",
                          "admin", "--password", "admin", "--json", *extra],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode in (0, 1), out.stdout + out.stderr
    return out.returncode, json.loads(out.stdout)


def hashed(engine):
    """Quarter 0x4000..0x7fff.. of sg_plan moves from the first shard to the second, and
    the vertical sg_plan_v from the first to the second; rows checked against MD5."""
    pg = engine == "pg"
    db = "shop" if pg else "social"
    first, second = ("pg0", "pg1") if pg else ("my0", "my1")
    primaries = st.PG_PRIMARIES if pg else st.MY_PRIMARIES
    direct = st.pg_direct if pg else st.my_direct
    owner = {k: (first if keyspace(k) < 1 << 63 else second) for k in range(1, ROWS + 1)}
    for shard, port in primaries.items():
        with direct(port) as c, c.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_plan")
            cur.execute("DROP TABLE IF EXISTS sg_plan_v")
            cur.execute("CREATE TABLE sg_plan (id bigint PRIMARY KEY, body text)")
            cur.execute("CREATE TABLE sg_plan_v (id int PRIMARY KEY)")
            mine = [k for k in owner if owner[k] == shard]
            if mine:
                cur.executemany("INSERT INTO sg_plan (id, body) VALUES (%s, %s)",
                                [(k, "x" * 100) for k in mine])
            if shard == first:
                cur.executemany("INSERT INTO sg_plan_v (id) VALUES (%s)",
                                [(k,) for k in range(1, 51)])
    halves = ("      sg_plan:\n        scheme: hash\n        key: id\n        key_type: bigint\n"
              "        ranges:\n"
              f"          - {{from: 0x0000000000000000, to: 0x7fffffffffffffff, shard: {first}}}\n"
              f"          - {{from: 0x8000000000000000, to: 0xffffffffffffffff, shard: {second}}}\n"
              f"      sg_plan_v: {{scheme: vertical, shard: {first}}}\n")
    moved = halves.replace(
        f"          - {{from: 0x0000000000000000, to: 0x7fffffffffffffff, shard: {first}}}\n",
        f"          - {{from: 0x0000000000000000, to: 0x3fffffffffffffff, shard: {first}}}\n"
        f"          - {{from: 0x4000000000000000, to: 0x7fffffffffffffff, shard: {second}}}\n"
    ).replace(f"sg_plan_v: {{scheme: vertical, shard: {first}}}",
              f"sg_plan_v: {{scheme: vertical, shard: {second}}}")
    folder = tempfile.mkdtemp(prefix="sg_plan_")
    old = write(folder, "old.yaml", map_text({db: halves}))
    new = write(folder, "new.yaml", map_text({db: moved}, epoch=2))
    code, doc = plan(old, new)
    assert code == 0 and doc["online"], doc
    by_table = {m["table"]: m for m in doc["moves"]}
    assert set(by_table) == {"sg_plan", "sg_plan_v"}, doc
    expected = sum(1 for k in owner if QUARTER <= keyspace(k) < 2 * QUARTER)
    m = by_table["sg_plan"]
    assert (m["from"], m["to"], m["kind"]) == (first, second, "hash_range"), m
    assert m["ranges"] == [{"kind": "hash_range", "first": "0x4000000000000000",
                            "last": "0x7fffffffffffffff"}], m
    assert m["rows"] == expected and 0 < expected < ROWS, (m, expected)
    # PostgreSQL sizes are exact; MariaDB's come from InnoDB's sampled statistics
    assert m["bytes"] > (expected * 100 if pg else 0), m
    v = by_table["sg_plan_v"]
    assert (v["from"], v["to"], v["kind"], v["rows"]) == (first, second, "table", 50), v
    text = subprocess.run([SHARDCTL, "reshard", "plan", "--from", old, "--to", new, "--user",
                           "admin", "--password", "admin"], capture_output=True, text=True)
    assert text.returncode == 0 and f"{expected} rows" in text.stdout, text.stdout
    print(f"  {engine}: plan counts {expected} of {ROWS} rows moving {first} -> {second} (MD5 "
          f"agrees), 50 rows of a vertical table")
    for port in primaries.values():
        with direct(port) as c, c.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_plan")
            cur.execute("DROP TABLE IF EXISTS sg_plan_v")


def refusals():
    folder = tempfile.mkdtemp(prefix="sg_plan_")
    base = map_text({})
    old = write(folder, "old.yaml", base)
    cases = {
        "epoch": (base, "is not greater than"),
        "renamed": (base.replace("epoch: 1\n", "epoch: 2\n", 1).replace("pg1", "pg9"),
                    "shard pg1 becomes pg9"),
        "key": (base.replace("epoch: 1\n", "epoch: 2\n", 1).replace(
            "      orders:\n        colocated_with: customers\n        key: customer_id\n",
            "      orders:\n        scheme: hash\n        key: id\n        key_type: bigint\n"),
            "the shard key changes"),
        "kind": (base.replace("epoch: 1\n", "epoch: 2\n", 1).replace(
            "      invoices:\n        scheme: vertical\n        shard: pg1\n",
            "      invoices:\n        scheme: hash\n        key: id\n        key_type: bigint\n"),
            "only moves between shards of the same placement kind"),
    }
    for name, (text, reason) in cases.items():
        new = write(folder, name + ".yaml", text)
        code, doc = plan(old, new, "--offline")
        assert code == 1 and not doc["online"], (name, doc)
        assert any(reason in r for r in doc["refusals"]), (name, doc["refusals"])
    print(f"  refused with reasons: {', '.join(cases)}")


def topology(*args):
    out = subprocess.run([os.path.join(SOURCE, "scripts", "topology"), *args],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


def add_shard():
    """pg2 and my2 join the topology (primary + replica, replicating); the plan of a
    consistent-hash table gaining pg2 moves only the rows whose owner becomes pg2, checked
    with `shardctl locate` under both maps; the reference table is copied to pg2."""
    topology("add-shard", "pg")
    topology("add-shard", "mysql")
    try:
        with open(os.environ["SHARDGATE_TOPOLOGY"]) as f:
            servers = json.load(f)["servers"]
        shards = {(s["shard"], s["role"]): s for s in servers}
        assert shards[("pg2", "primary")]["port"] == 15436, shards.keys()
        assert shards[("pg2", "replica")]["port"] == 15437
        assert shards[("my2", "primary")]["port"] == 13310
        assert shards[("my2", "replica")]["port"] == 13311
        with st.pg_direct(15436) as c, c.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS sg_added")
            cur.execute("CREATE TABLE sg_added (id int)")
            cur.execute("INSERT INTO sg_added VALUES (1)")
        with st.pg_direct(15437) as c, c.cursor() as cur:
            for _ in range(100):
                cur.execute("SELECT count(*) FROM pg_tables WHERE tablename = 'sg_added'")
                if cur.fetchone()[0] == 1:
                    break
                __import__("time").sleep(0.1)
            cur.execute("SELECT pg_is_in_recovery(), count(*) FROM sg_added")
            assert cur.fetchone() == (True, 1)
        with st.pg_direct(15436) as c, c.cursor() as cur:
            cur.execute("SHOW wal_level")
            assert cur.fetchone()[0] == "logical"
            cur.execute("DROP TABLE sg_added")
        with st.my_direct(13311) as c, c.cursor() as cur:
            cur.execute("SHOW SLAVE STATUS")
            row = cur.fetchone()
            names = [d[0] for d in cur.description]
            status = dict(zip(names, row))
            assert status["Slave_IO_Running"] == "Yes" and status["Slave_SQL_Running"] == "Yes"

        folder = tempfile.mkdtemp(prefix="sg_plan_")
        ring = "      sg_ring: {scheme: consistent_hash, key: id, key_type: bigint}\n"
        pg2 = ("      pg2:\n        primary: 127.0.0.1:15436\n"
               "        replicas: [127.0.0.1:15437]\n")
        old_text = map_text({"shop": ring})
        new_text = map_text({"shop": ring}, epoch=2)
        at = new_text.index("        replicas: [127.0.0.1:15435]\n")
        at = new_text.index("\n", new_text.index("max_replica_lag_ms", at)) + 1
        new_text = new_text[:at] + pg2 + new_text[at:]
        old = write(folder, "old.yaml", old_text)
        new = write(folder, "new.yaml", new_text)
        keys = list(range(1, 201))

        def owners(path):
            found = {}
            for k in keys:
                out = subprocess.run([SHARDCTL, "locate", path, "shop", "sg_ring", str(k),
                                      "--json"], capture_output=True, text=True, check=True)
                found[k] = json.loads(out.stdout)["shard"]
            return found

        before, after = owners(old), owners(new)
        for shard, port in st.PG_PRIMARIES.items():
            with st.pg_direct(port) as c, c.cursor() as cur:
                cur.execute("DROP TABLE IF EXISTS sg_ring")
                cur.execute("CREATE TABLE sg_ring (id bigint PRIMARY KEY)")
                mine = [(k,) for k in keys if before[k] == shard]
                cur.executemany("INSERT INTO sg_ring (id) VALUES (%s)", mine)
        code, doc = plan(old, new)
        assert code == 0, doc
        ring_moves = [m for m in doc["moves"] if m["table"] == "sg_ring"]
        assert ring_moves and all(m["to"] == "pg2" and m["kind"] == "ring_arc"
                                  for m in ring_moves), ring_moves
        for m in ring_moves:
            expected = sum(1 for k in keys if before[k] == m["from"] and after[k] == "pg2")
            assert m["rows"] == expected, (m["from"], m["rows"], expected)
        assert all(after[k] in (before[k], "pg2") for k in keys)  # nothing else moves
        copies = [m for m in doc["moves"] if m["kind"] == "reference_copy"]
        assert {m["table"] for m in copies} == {"products"} and copies[0]["to"] == "pg2", copies
        moved = sum(m["rows"] for m in ring_moves)
        print(f"  add-shard: pg2 (15436/15437) and my2 (13310/13311) up and replicating; "
              f"consistent hash: {moved} of {len(keys)} rows move to pg2, only those")
        for port in st.PG_PRIMARIES.values():
            with st.pg_direct(port) as c, c.cursor() as cur:
                cur.execute("DROP TABLE IF EXISTS sg_ring")
    finally:
        topology("remove-shard", "mysql")
        topology("remove-shard", "pg")
    with open(os.environ["SHARDGATE_TOPOLOGY"]) as f:
        names = {s["shard"] for s in json.load(f)["servers"]}
    assert "pg2" not in names and "my2" not in names, names


def text_ranges(engine):
    """sg_plan_t (text key) under a range map: the key 'm' (an inclusive end) and everything
    from 'x' on move from the second shard to the first; the plan counts exactly the rows
    `shardctl locate` places differently under the two maps."""
    pg = engine == "pg"
    db = "shop" if pg else "social"
    first, second = ("pg0", "pg1") if pg else ("my0", "my1")
    primaries = st.PG_PRIMARIES if pg else st.MY_PRIMARIES
    direct = st.pg_direct if pg else st.my_direct
    # distinct under MariaDB's case- and pad-insensitive collations (a primary key)
    keys = ["Zed", "a", "l", "lz", "m", "m0", "ma", "mz", "n", "w", "wz", "x", "xy", "z", "zz",
            "\u00e9t\u00e9", "\u00c9cole", "o'brien", "back\\slash"]
    line = ("      sg_plan_t:\n        scheme: range\n        key: c\n        key_type: text\n"
            "        default_shard: {second}\n        ranges:\n{ranges}")
    old_ranges = (f"          - {{before: m, shard: {first}}}\n"
                  f"          - {{from: m, shard: {second}}}\n")
    new_ranges = (f"          - {{to: m, shard: {first}}}\n"
                  f"          - {{from: n, before: x, shard: {second}}}\n"
                  f"          - {{from: x, shard: {first}}}\n")
    folder = tempfile.mkdtemp(prefix="sg_plan_text_")
    old = write(folder, "old.yaml", map_text({db: line.format(second=second, ranges=old_ranges)}))
    new = write(folder, "new.yaml", map_text({db: line.format(second=second, ranges=new_ranges)},
                                             epoch=2))

    def owners(path):
        found = {}
        for k in keys:
            out = subprocess.run([SHARDCTL, "locate", path, db, "sg_plan_t", k, "--json"],
                                 capture_output=True, text=True, check=True)
            found[k] = json.loads(out.stdout)["shard"]
        return found
    before, after = owners(old), owners(new)
    moving = sorted(k for k in keys if before[k] != after[k])
    # bytewise: 'm' (the inclusive end) and 'x'.. 'zz', then the UTF-8 keys (0xc3 > 'z')
    assert moving == sorted(["m", "x", "xy", "z", "zz", "\u00e9t\u00e9", "\u00c9cole"]), moving
    assert all((before[k], after[k]) == (second, first) for k in moving), (before, after)
    try:
        for shard, port in primaries.items():
            with direct(port) as c, c.cursor() as cur:
                cur.execute("DROP TABLE IF EXISTS sg_plan_t")
                cur.execute("CREATE TABLE sg_plan_t (c varchar(40) PRIMARY KEY)")
                mine = [(k,) for k in keys if before[k] == shard]
                cur.executemany("INSERT INTO sg_plan_t (c) VALUES (%s)", mine)
        code, doc = plan(old, new)
        assert code == 0 and doc["online"], doc
        moves = [m for m in doc["moves"] if m["table"] == "sg_plan_t"]
        assert moves and all((m["from"], m["to"]) == (second, first) for m in moves), moves
        assert sum(m["rows"] for m in moves) == len(moving), (moves, moving)
        print(f"  {engine}: text key ranges: plan counts {len(moving)} of {len(keys)} rows "
              f"moving {second} -> {first}, as `shardctl locate` places them (an inclusive end, "
              f"an open end, non-ASCII keys)")
    finally:
        for port in primaries.values():
            with direct(port) as c, c.cursor() as cur:
                cur.execute("DROP TABLE IF EXISTS sg_plan_t")


if __name__ == "__main__":
    {"pg": lambda: hashed("pg"), "mysql": lambda: hashed("mysql"), "refusals": refusals,
     "add_shard": add_shard, "text_pg": lambda: text_ranges("pg"),
     "text_mysql": lambda: text_ranges("mysql")}[sys.argv[1]]()
    print("ok")
