#!/usr/bin/env python3
"""Differential check of shardgate's PostgreSQL frontend against PostgreSQL itself: the same
frontend messages — valid ones, then malformed and mutated ones — go to the real server (pg0's
primary, through its Unix socket with trust) and to shardgate (a trust user), each on a session
logged in a moment before, and what each answers is reduced to an outcome: `ok` (an answer
without an error), `error` (an ErrorResponse, the session still answers `SELECT 1` afterwards),
`fatal` (an error or nothing, then the connection closed) or `silent` (nothing within a second,
nor after a Sync sent then: the connection open). A Sync follows a case that got no answer,
since shardgate acts on extended-protocol messages at Sync or Flush where the server may report
an error at once. Every case must end the same way on both, except the listed
differences shardgate makes on purpose (each with its reason); after every case shardgate is
alive and a bystander's psycopg2 session answers.

Usage: differential_test.py [--cases N] [--seed S]   (N random mutations besides the fixed cases)
"""
import argparse
import concurrent.futures
import json
import os
import random
import socket
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hostile_test as ht  # noqa: E402  (wire helpers, the trust user, the proxy)

# Outcomes where shardgate differs from PostgreSQL on purpose: case name -> (shardgate's
# outcome, why).
INTENDED = {
    "function_call": ("error", "the fast-path FunctionCall runs server-side functions by OID, "
                               "which routing cannot see: refused, the session goes on"),
}


def server_socket_path():
    with open(os.environ["SHARDGATE_TOPOLOGY"]) as f:
        servers = json.load(f)["servers"]
    pg0 = [s for s in servers if s["shard"] == "pg0" and s["role"] == "primary"][0]
    run = os.path.join(os.path.dirname(pg0["datadir"]), "run")
    return os.path.join(run, f".s.PGSQL.{pg0['port']}")


def session(target):
    """A raw session logged in, at ReadyForQuery: the server by its socket (trust), or
    shardgate's port (its trust user)."""
    if isinstance(target, str):
        sock = socket.socket(socket.AF_UNIX)
        sock.connect(target)
        sock.sendall(ht.pg_startup("app"))
    else:
        sock = socket.create_connection(("127.0.0.1", target), timeout=10)
        sock.sendall(ht.pg_startup("raw"))
    got = ht.pg_messages(sock)
    assert got and got[-1][0] == b"Z", got
    return sock


def read_all(sock, timeout):
    """Messages until a quiet `timeout`, and whether the peer closed."""
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
        while len(buf) >= 5 and len(buf) >= 1 + struct.unpack("!I", buf[1:5])[0]:
            n = 1 + struct.unpack("!I", buf[1:5])[0]
            out.append((buf[:1], buf[5:n]))
            buf = buf[n:]
        if out and out[-1][0] == b"Z":
            # a ReadyForQuery ends the answer unless more was asked for
            sock.settimeout(0.05)
    return out, closed


def outcome(target, data):
    """What `target` does with `data` sent on a fresh session."""
    sock = session(target)
    try:
        try:
            sock.sendall(data)
            got, closed = read_all(sock, 1.0)
            if not got and not closed:
                # nothing yet (shardgate acts on extended-protocol messages at Sync or Flush,
                # the server may report an error at once): a Sync asks for the answer
                sock.sendall(ht.pg_message(b"S"))
                got, closed = read_all(sock, 1.0)
        except (BrokenPipeError, ConnectionResetError):
            return "fatal", None
        state = ht.sqlstate(got)
        if closed:
            return "fatal", state
        if not got:
            return "silent", None
        if state is None:
            return "ok", None
        # an error: does the session go on?
        try:
            sock.sendall(ht.pg_message(b"S") + ht.pg_query("SELECT 1"))
        except (BrokenPipeError, ConnectionResetError):
            return "fatal", state
        after, closed = read_all(sock, 1.0)
        return ("error" if any(kind == b"D" for kind, _ in after) else "fatal"), state
    finally:
        sock.close()


def cstr(text):
    return text.encode() + b"\0"


def fixed_cases():
    """(name, bytes): valid exchanges and classic malformations."""
    q = ht.pg_query
    m = ht.pg_message
    parse = m(b"P", cstr("") + cstr("SELECT $1::int") + struct.pack("!H", 1) +
              struct.pack("!I", 23))
    bind = m(b"B", cstr("") + cstr("") + struct.pack("!H", 0) + struct.pack("!H", 1) +
             struct.pack("!I", 1) + b"7" + struct.pack("!H", 0))
    execute = m(b"E", cstr("") + struct.pack("!I", 0))
    sync = m(b"S")
    return [
        ("query", q("SELECT 1")),
        ("empty_query", q("")),
        ("syntax_error", q("SELEKT 1")),
        ("two_statements", q("SELECT 1; SELECT 2")),
        ("extended", parse + bind + execute + sync),
        ("describe_statement", parse + m(b"D", b"S" + cstr("")) + sync),
        ("describe_bad_kind", parse + m(b"D", b"X" + cstr("")) + sync),
        ("close_bad_kind", m(b"C", b"X" + cstr("")) + sync),
        ("bind_unknown_statement", m(b"B", cstr("") + cstr("nope") + struct.pack("!HHH", 0, 0, 0))
         + sync),
        ("bind_too_few_values", parse + m(b"B", cstr("") + cstr("") + struct.pack("!HHH", 0, 0, 0))
         + sync),
        ("bind_bad_format_count", parse + m(b"B", cstr("") + cstr("") + struct.pack("!HHHH", 2, 0, 0, 0))
         + sync),
        ("execute_unknown_portal", m(b"E", cstr("nope") + struct.pack("!I", 0)) + sync),
        ("query_without_nul", m(b"Q", b"SELECT 1")),
        ("query_nul_inside", m(b"Q", b"SELECT 1\0garbage\0")),
        ("unknown_type", m(b"y", b"abc")),
        ("type_nul", m(b"\0", b"")),
        ("length_below_4", b"Q" + struct.pack("!I", 3)),
        ("length_huge", b"Q" + struct.pack("!I", 0x7FFFFFF0) + b"SELECT 1\0"),
        ("copy_data_outside_copy", m(b"d", b"1\t2\n") + q("SELECT 1")),
        ("copy_done_outside_copy", m(b"c") + q("SELECT 1")),
        ("copy_fail_outside_copy", m(b"f", cstr("stop")) + q("SELECT 1")),
        ("flush_only", m(b"H")),
        ("sync_only", sync),
        ("function_call", m(b"F", struct.pack("!I", 1598) + struct.pack("!HH", 0, 0) +
                           struct.pack("!H", 0))),
        ("parse_bad_param_count", m(b"P", cstr("") + cstr("SELECT 1") + struct.pack("!H", 5)) + sync),
        ("parse_truncated", m(b"P", cstr("s1")) + sync),
        ("invalid_utf8", m(b"Q", b"SELECT '\xff\xfe'\0")),
        ("password_after_login", m(b"p", cstr("secret"))),
        ("startup_again", ht.pg_startup("app")),
    ]


def mutations(base, rng, count):
    """Random single-byte changes, truncations and insertions of the valid cases' bytes."""
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
            pos = rng.randrange(len(data) + 1)
            data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
        else:
            if len(data) >= 5:
                data[1:5] = struct.pack("!I", rng.choice((0, 1, 4, 5, len(data), len(data) + 100,
                                                          rng.randrange(1 << 31))))
        out.append((f"{name}:{how}:{i}", bytes(data)))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=150)
    parser.add_argument("--seed", type=int, default=20261205)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    server = server_socket_path()
    fixed = fixed_cases()
    valid = [c for c in fixed if c[0] in ("query", "extended", "describe_statement")]
    cases = fixed + mutations(valid, rng, args.cases)
    proxy = ht.wt.Proxy(extra_users=ht.TRUST)
    differences, same, intended = [], 0, 0
    began = time.time()
    try:
        bystander = proxy.connect()
        bystander.autocommit = True

        def both(case):
            return outcome(server, case[1]), outcome(proxy.port, case[1])
        # 8 cases at a time, each on its own sessions
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            for (name, data), (theirs, ours) in zip(cases, pool.map(both, cases)):
                key = name if ":" not in name else None
                if ours[0] == theirs[0]:
                    same += 1
                elif key in INTENDED and INTENDED[key][0] == ours[0]:
                    intended += 1
                else:
                    differences.append((name, theirs, ours, data[:60]))
                assert proxy.process.poll() is None, f"shardgate died at {name}"
                with bystander.cursor() as cur:
                    cur.execute("SELECT 1")
                    assert cur.fetchone() == (1,), name
        bystander.close()
    finally:
        proxy.stop()
    for name, theirs, ours, data in differences:
        print(f"  DIFFERENT {name}: postgres {theirs}, shardgate {ours}; bytes {data!r}")
    print(f"differential: {len(cases)} cases ({len(fixed)} fixed, {args.cases} mutated, seed "
          f"{args.seed}): {same} the same outcome as PostgreSQL, {intended} intended "
          f"differences, {len(differences)} other differences; shardgate alive, the bystander "
          f"answered after every case; {time.time() - began:.0f} s")
    assert not differences, f"{len(differences)} cases end differently"


if __name__ == "__main__":
    main()
