#!/usr/bin/python3
"""`shardctl placement check`: rows on a shard the map does not place them on. Rows are written
straight to the primaries (each on the shard `shardctl locate` names), the check finds none;
then rows are put on the wrong shard, as a hand-written INSERT or an older shardgate whose
routing differed would have (a PostgreSQL timestamp(0) key rounded up into the next day's
bucket, a MariaDB list value in another case), and the check counts exactly those, per table
and shard, with their keys and owners. Every scheme kind with an SQL form: hash, list (with
its default shard), time, range (PostgreSQL); consistent_hash, case-insensitive list
(MariaDB). Usage: placement_test.py pg|mysql"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import scatter_test as st  # noqa: E402  (harness, direct connections)

PG_TABLES = {
    "sg_place_hash": ("{scheme: hash, key: id, key_type: bigint}",
                      "CREATE TABLE sg_place_hash (id bigint PRIMARY KEY)"),
    "sg_place_list": ("{scheme: list, key: country, key_type: text, lists: [{shard: pg0, values: "
                      "[DE, FR]}, {shard: pg1, values: [US]}], default_shard: pg1}",
                      "CREATE TABLE sg_place_list (id bigint PRIMARY KEY, country text)"),
    "sg_place_time": ("{scheme: time, key: at, key_type: timestamp, key_precision: 0, interval: "
                      "day, ranges: [{from: 2026-01-01, to: 2026-01-01, shard: pg0}, {from: "
                      "2026-01-02, shard: pg1}]}",
                      "CREATE TABLE sg_place_time (id bigint PRIMARY KEY, at timestamp(0))"),
    "sg_place_range": ("{scheme: range, key: id, key_type: bigint, ranges: [{from: 1, to: 99, "
                       "shard: pg0}, {from: 100, shard: pg1}]}",
                       "CREATE TABLE sg_place_range (id bigint PRIMARY KEY)"),
}
MY_TABLES = {
    "sg_place_ring": ("{scheme: consistent_hash, key: id, key_type: bigint}",
                      "CREATE TABLE sg_place_ring (id bigint PRIMARY KEY)"),
    "sg_place_ci": ("{scheme: list, key: region, key_type: text, case_insensitive: true, lists: "
                    "[{shard: my0, values: [eu]}, {shard: my1, values: [us]}], default_shard: my0}",
                    "CREATE TABLE sg_place_ci (id bigint PRIMARY KEY, region varchar(16)) "
                    "DEFAULT CHARSET utf8mb4 COLLATE utf8mb4_general_ci"),
}


def placement_map():
    return st.demo_map_with(
        "".join(f"      {name}: {spec}\n" for name, (spec, _) in PG_TABLES.items()),
        "".join(f"      {name}: {spec}\n" for name, (spec, _) in MY_TABLES.items()),
        "sg_placement_map_")


MAP = placement_map()


def locate(db, table, key):
    out = subprocess.run([st.harness.SHARDCTL, "locate", MAP, db, table, str(key), "--json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["shard"]


def check(db, *tables):
    out = subprocess.run([st.harness.SHARDCTL, "placement", "check", MAP, db, *tables, "--user",
                          "app", "--password", "app", "--json"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode in (0, 1), out.stdout + out.stderr
    found = json.loads(out.stdout)
    text = subprocess.run([st.harness.SHARDCTL, "placement", "check", MAP, db, *tables, "--user",
                           "app", "--password", "app"], capture_output=True, text=True, timeout=60)
    assert text.returncode == out.returncode, text.stdout + text.stderr
    return out.returncode, found, text.stdout


def misplaced(found):
    """{(table, shard): (count, {key: owner})} of the checks that found rows."""
    out = {}
    for c in found["checks"]:
        assert "error" not in c and "skipped" not in c, c
        if c["misplaced"]:
            out[(c["table"], c["shard"])] = (c["misplaced"],
                                             {s["key"]: s["owner"] for s in c.get("sample", [])})
    return out


def run(engine):
    pg = engine == "pg"
    db = "shop" if pg else "social"
    primaries = st.PG_PRIMARIES if pg else st.MY_PRIMARIES
    tables = PG_TABLES if pg else MY_TABLES
    connect = st.pg_direct if pg else st.my_direct

    def execute(shard, sql, params=()):
        with connect(primaries[shard]) as c, c.cursor() as cur:
            cur.execute(sql, params)

    for shard in primaries:
        for name, (_, create) in tables.items():
            execute(shard, f"DROP TABLE IF EXISTS {name}")
            execute(shard, create)
    # rows where the map places them
    if pg:
        for k in range(1, 41):
            execute(locate(db, "sg_place_hash", k), "INSERT INTO sg_place_hash VALUES (%s)", (k,))
        for i, country in enumerate(["DE", "FR", "US", "JP", "AU"]):
            execute(locate(db, "sg_place_list", country),
                    "INSERT INTO sg_place_list VALUES (%s, %s)", (i, country))
        for i, at in enumerate(["2026-01-01 00:00:00", "2026-01-01 23:59:59",
                                "2026-01-02 00:00:00", "2026-03-01 12:00:00"]):
            execute(locate(db, "sg_place_time", at), "INSERT INTO sg_place_time VALUES (%s, %s)",
                    (i, at))
        for k in (1, 99, 100, 5000):
            execute(locate(db, "sg_place_range", k), "INSERT INTO sg_place_range VALUES (%s)", (k,))
    else:
        for k in range(1, 41):
            execute(locate(db, "sg_place_ring", k), "INSERT INTO sg_place_ring VALUES (%s)", (k,))
        # 'us ' is no list's value (the map compares bytes, the column's collation would not):
        # the default shard's
        for i, region in enumerate(["eu", "EU", "us", "apac", "us "]):
            execute(locate(db, "sg_place_ci", region), "INSERT INTO sg_place_ci VALUES (%s, %s)",
                    (i, region))
    code, found, text = check(db, *tables)
    assert code == 0 and found["misplaced"] == 0, found
    assert misplaced(found) == {}, found
    assert "every row belongs here" in text, text
    # rows on the wrong shard
    other = {s: next(o for o in primaries if o != s) for s in primaries}
    want = {}
    if pg:
        hashed = [k for k in range(1000, 1100)]
        wrong = {}
        for k in hashed[:3]:
            owner = locate(db, "sg_place_hash", k)
            execute(other[owner], "INSERT INTO sg_place_hash VALUES (%s)", (k,))
            wrong.setdefault(other[owner], {})[str(k)] = owner
        for shard, keys in wrong.items():
            want[("sg_place_hash", shard)] = (len(keys), keys)
        # a list value on the other shard; a value no list names on the non-default shard
        execute("pg1", "INSERT INTO sg_place_list VALUES (100, 'FR')")
        execute("pg0", "INSERT INTO sg_place_list VALUES (101, 'JP')")
        execute("pg0", "INSERT INTO sg_place_list VALUES (102, NULL)")  # no owner: not counted
        want[("sg_place_list", "pg1")] = (1, {"FR": "pg0"})
        want[("sg_place_list", "pg0")] = (1, {"JP": "pg1"})
        # what an earlier build did: a time written as 23:59:59.6 placed by its second on the
        # January 1st shard, while the timestamp(0) column stores the next second
        execute("pg0", "INSERT INTO sg_place_time VALUES (100, '2026-01-01 23:59:59.6')")
        want[("sg_place_time", "pg0")] = (1, {"2026-01-02 00:00:00": "pg1"})
        execute("pg1", "INSERT INTO sg_place_range VALUES (50)")
        want[("sg_place_range", "pg1")] = (1, {"50": "pg0"})
    else:
        wrong = {}
        for k in range(1000, 1003):
            owner = locate(db, "sg_place_ring", k)
            execute(other[owner], "INSERT INTO sg_place_ring VALUES (%s)", (k,))
            wrong.setdefault(other[owner], {})[str(k)] = owner
        for shard, keys in wrong.items():
            want[("sg_place_ring", shard)] = (len(keys), keys)
        # 'US' is 'us' under the case-insensitive list: my1's, not the default shard's
        execute("my0", "INSERT INTO sg_place_ci VALUES (100, 'US')")
        want[("sg_place_ci", "my0")] = (1, {"US": "my1"})
        execute("my1", "INSERT INTO sg_place_ci VALUES (101, 'us ')")
        want[("sg_place_ci", "my1")] = (1, {"us ": "my0"})
    code, found, text = check(db, *tables)
    assert code == 1, found
    got = misplaced(found)
    assert got == want, (got, want)
    assert found["misplaced"] == sum(n for n, _ in want.values()), found
    assert "row(s) belong to another shard" in text, text
    print(f"{engine}: {found['misplaced']} misplaced rows found, each with its owner: "
          + "; ".join(f"{t} on {s}: {n}" for (t, s), (n, _) in sorted(got.items())))
    # one table named (twice): only its rows, once
    first = next(iter(tables))
    code, found, _ = check(db, first, first)
    assert code == 1 and [c["table"] for c in found["checks"]] == [first] * 2, found
    # a shard without the table: said so, the others still checked
    shard = next(s for (t, s) in want if t == first)
    gone = other[shard]
    execute(gone, f"DROP TABLE {first}")
    code, found, text = check(db, first)
    assert code == 1, found
    by_shard = {c["shard"]: c for c in found["checks"]}
    assert by_shard[gone]["skipped"] == "no such table on this shard", found
    assert by_shard[shard]["misplaced"] == want[(first, shard)][0], found
    for shard in primaries:
        for name in tables:
            execute(shard, f"DROP TABLE IF EXISTS {name}")


if __name__ == "__main__":
    run(sys.argv[1])
