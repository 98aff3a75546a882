"""What the differential checks of the two frontends (differential_test.py for PostgreSQL,
mysql_differential_test.py for MySQL) share: random mutations of valid cases, and running every
case against the server and shardgate side by side."""
import concurrent.futures
import socket
import time


def read_all(sock, timeout, split, quiet_after, quiet=0.05):
    """What the peer sends until a quiet `timeout`, and whether it closed. `split`(buffer)
    takes one whole message off the buffer ((message, rest), or None); once `quiet_after`
    (messages) holds, the rest of an answer must come within `quiet` seconds."""
    sock.settimeout(timeout)
    buf, out, closed = b"", [], False
    while True:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        except (ConnectionResetError, BrokenPipeError):
            chunk = b""
        if not chunk:
            closed = True
            break
        buf += chunk
        while (taken := split(buf)) is not None:
            message, buf = taken
            out.append(message)
        if quiet_after(out):
            sock.settimeout(quiet)
    return out, closed


def bystander_check(proxy, bystander):
    """After a case: shardgate is alive and the bystander's session answers SELECT 1."""
    def check(name):
        assert proxy.process.poll() is None, f"shardgate died at {name}"
        with bystander.cursor() as cur:
            cur.execute("SELECT 1")
            assert cur.fetchone() == (1,), name
    return check


def mutations(base, rng, count, header, set_length):
    """`count` random single-byte changes, truncations, insertions and length-field changes of
    the cases in `base`. Bytes are inserted after the first `header` bytes, and `set_length`
    (data, rng) writes a lying length field."""
    out = []
    for i in range(count):
        name, data = rng.choice(base)
        data = bytearray(data)
        how = rng.choice(("flip", "truncate", "insert", "length"))
        if how == "flip":
            pos = rng.randrange(len(data))
            data[pos] = rng.randrange(256)
        elif how == "truncate":
            data = data[:rng.randrange(1, len(data))]
        elif how == "insert":
            pos = rng.randrange(header, len(data) + 1)
            data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
        else:
            set_length(data, rng)
        out.append((f"{name}:{how}:{i}", bytes(data)))
    return out


def compare(cases, both, intended, after_each):
    """Runs `both` (case -> (server's outcome, shardgate's)) on 8 cases at a time and sorts
    the pairs: (same, intended, differences). `intended`(name, data, ours) says whether a
    difference is one shardgate makes on purpose; `after_each`(name) checks shardgate after
    every case."""
    same, on_purpose, differences = 0, 0, []
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        for (name, data), (theirs, ours) in zip(cases, pool.map(both, cases)):
            if ours[0] == theirs[0]:
                same += 1
            elif intended(name, data, ours):
                on_purpose += 1
            else:
                differences.append((name, theirs, ours, data[:60]))
            after_each(name)
    return same, on_purpose, differences


def report(server, cases, counts, seed, results, began):
    """Prints the differences and the summary line; fails on any difference."""
    same, on_purpose, differences = results
    for name, theirs, ours, data in differences:
        print(f"  DIFFERENT {name}: {server} {theirs}, shardgate {ours}; bytes {data!r}")
    print(f"differential: {len(cases)} cases ({counts}, seed {seed}): {same} the same outcome as "
          f"{server}, {on_purpose} intended differences, {len(differences)} other differences; "
          f"shardgate alive, the bystander answered after every case; "
          f"{time.time() - began:.0f} s")
    assert not differences, f"{len(differences)} cases end differently"
