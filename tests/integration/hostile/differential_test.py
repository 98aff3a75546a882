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
import json
import os
import random
import socket
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import differential_common as dc  # noqa: E402
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


def split(buf):
    """One backend message (type, body) off the buffer."""
    if len(buf) < 5 or len(buf) < 1 + struct.unpack("!I", buf[1:5])[0]:
        return None
    n = 1 + struct.unpack("!I", buf[1:5])[0]
    return (buf[:1], buf[5:n]), buf[n:]


def read_all(sock, timeout):
    """Messages until a quiet `timeout` (a ReadyForQuery ends the answer unless more was
    asked for), and whether the peer closed."""
    return dc.read_all(sock, timeout, split, lambda out: bool(out) and out[-1][0] == b"Z")


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
        # (up to 5 s: a session that ended answers at once; one that goes on may need a new
        # backend connection, and a login took over 1 s at times, right after servers restarted.
        # Its answer ends at the second ReadyForQuery, the SELECT's: the Sync's comes at once,
        # and on a busy machine the SELECT's came more than a quiet 50 ms after it.)
        after, closed = dc.read_all(sock, 5.0, split,
                                    lambda out: sum(kind == b"Z" for kind, _ in out) >= 2)
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


def set_length(data, rng):
    if len(data) >= 5:
        data[1:5] = struct.pack("!I", rng.choice((0, 1, 4, 5, len(data), len(data) + 100,
                                                  rng.randrange(1 << 31))))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=150)
    parser.add_argument("--seed", type=int, default=20261205)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    server = server_socket_path()
    fixed = fixed_cases()
    valid = [c for c in fixed if c[0] in ("query", "extended", "describe_statement")]
    cases = fixed + dc.mutations(valid, rng, args.cases, 0, set_length)
    proxy = ht.wt.Proxy(extra_users=ht.TRUST)
    began = time.time()
    try:
        bystander = proxy.connect()
        bystander.autocommit = True

        after_each = dc.bystander_check(proxy, bystander)

        results = dc.compare(
            cases, lambda case: (outcome(server, case[1]), outcome(proxy.port, case[1])),
            lambda name, data, ours: INTENDED.get(name, (None,))[0] == ours[0], after_each)
        bystander.close()
    finally:
        proxy.stop()
    dc.report("PostgreSQL", cases, f"{len(fixed)} fixed, {args.cases} mutated", args.seed,
              results, began)

if __name__ == "__main__":
    main()
