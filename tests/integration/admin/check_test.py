#!/usr/bin/python3
"""`shardgate --check`: validates the config and the file map without starting anything;
exit 0 with a summary, exit 1 naming the problem (a broken map, a bad `admin:` flag)."""
import os
import subprocess
import tempfile

SOURCE = os.environ.get("SHARDGATE_SOURCE_DIR",
                        os.path.abspath(os.path.join(os.path.dirname(__file__), "../../..")))
SHARDGATE = os.environ.get("SHARDGATE_BIN", os.path.join(SOURCE, "build", "shardgate"))
DEMO_MAP = os.path.join(SOURCE, "shardmaps", "examples", "demo.yaml")


def check(directory, config, shard_map):
    path = os.path.join(directory, "shardgate.yaml")
    with open(path, "w") as f:
        f.write(f"shard_map: {shard_map}\npostgres_listen: 127.0.0.1:1\n"
                "mysql_listen: off\nadmin_listen: off\n" + config)
    return subprocess.run([SHARDGATE, "--config", path, "--check"], capture_output=True,
                          text=True, timeout=30)


with tempfile.TemporaryDirectory() as d:
    ok = check(d, "users:\n  - {name: ops, password: ops, admin: true}\n", DEMO_MAP)
    assert ok.returncode == 0, ok.stderr
    assert "ok (epoch 1, 2 databases)" in ok.stdout, ok.stdout
    with open(DEMO_MAP) as f:
        broken = f.read().replace("scheme: hash", "scheme: hashh", 1)
    assert "hashh" in broken
    bad_map = os.path.join(d, "broken.yaml")
    with open(bad_map, "w") as f:
        f.write(broken)
    bad = check(d, "", bad_map)
    assert bad.returncode == 1 and "invalid shard map" in bad.stderr, bad
    assert "broken.yaml:" in bad.stderr and "hashh" in bad.stderr, bad.stderr
    flag = check(d, "users:\n  - {name: ops, password: ops, admin: maybe}\n", DEMO_MAP)
    assert flag.returncode == 1 and "'admin' must be true or false" in flag.stderr, flag
print("ok: --check passes the demo config and map, names a broken map's line and a bad admin flag")
