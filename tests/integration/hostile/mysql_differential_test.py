#!/usr/bin/env python3
"""Differential check of shardgate's MySQL frontend against MariaDB itself: the same command
packets — valid ones, then malformed and mutated ones — go to the real server (my0's primary)
and to shardgate, each on a session logged in a moment before (mysql_native_password, user
app), and what each answers is reduced to an outcome: `ok` (an answer without an error),
`error` (an ERR packet, the session still answers `SELECT 1` afterwards), `fatal` (an ERR or
nothing, then the connection closed) or `silent` (nothing within a second; then what a
`SELECT 1` sent after it gets: `silent+ok`, `silent+fatal`, `silent+silent`). Every case must end
the same way on both, except the listed differences shardgate makes on purpose (each with its
reason); after every case shardgate is alive and a bystander's pymysql session answers.

Usage: mysql_differential_test.py [--cases N] [--seed S]   (N random mutations besides the
fixed cases)
"""
import argparse
import json
import os
import random
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import differential_common as dc  # noqa: E402
import hostile_test as ht  # noqa: E402  (the proxy, the MySQL wire client)

mywire = ht.mywire

# Commands a mutation must never send to the real server as `app` (which holds every
# privilege): COM_CREATE_DB, COM_DROP_DB, COM_REFRESH (flushes, rotates the binary log),
# COM_SHUTDOWN, COM_PROCESS_KILL (a guessed id could be a replication thread), COM_DEBUG.
DESTRUCTIVE = {0x05, 0x06, 0x07, 0x08, 0x0C, 0x0D}
# Command bytes shardgate refuses where the server would act: byte -> (outcome, why).
INTENDED_COMMANDS = {
    0x12: ("error", "COM_BINLOG_DUMP: shardgate is no replication source; refused with 1047, "
                    "the session goes on"),
    0x15: ("error", "COM_REGISTER_SLAVE: shardgate is no replication source"),
    0x1E: ("error", "COM_BINLOG_DUMP_GTID: shardgate is no replication source"),
}


# Outcomes where shardgate differs from MariaDB on purpose: case name -> (shardgate's outcome,
# why).
INTENDED = {
    "binlog_dump": INTENDED_COMMANDS[0x12],
    "set_option_short": ("error", "a COM_SET_OPTION shorter than its 2-byte option: the server "
                                  "reads the missing byte from past the packet's end and "
                                  "answers OK; shardgate refuses it, the session goes on"),
}


def commands_in(data):
    """The command bytes of the packets the server would read from `data` as commands
    (sequence id 0; a 0xFFFFFF frame's continuations are not commands)."""
    out, pos, continued = [], 0, False
    while pos + 4 <= len(data):
        length = int.from_bytes(data[pos:pos + 3], "little")
        if data[pos + 3] == 0 and not continued and pos + 4 < len(data):
            out.append(data[pos + 4])
        continued = length == 0xFFFFFF
        pos += 4 + length
    return out


def server_port():
    with open(os.environ["SHARDGATE_TOPOLOGY"]) as f:
        servers = json.load(f)["servers"]
    return [s for s in servers if s["shard"] == "my0" and s["role"] == "primary"][0]["port"]


def packet(payload, sequence=0):
    return len(payload).to_bytes(3, "little") + bytes([sequence]) + payload


def command(code, body=b""):
    return packet(bytes([code]) + body)


def split(buf):
    """One packet's payload off the buffer."""
    if len(buf) < 4 or len(buf) < 4 + int.from_bytes(buf[:3], "little"):
        return None
    n = 4 + int.from_bytes(buf[:3], "little")
    return buf[4:n], buf[n:]


def read_all(sock, timeout):
    """Packets until a quiet `timeout` (the rest of an answer comes at once), and whether the
    peer closed."""
    return dc.read_all(sock, timeout, split, bool, quiet=0.2)


def has_error(packets):
    return any(p[:1] == b"\xff" for p in packets)


def error_code(packets):
    for p in packets:
        if p[:1] == b"\xff" and len(p) >= 3:
            return struct.unpack("<H", p[1:3])[0]
    return None


def alive(sock):
    """Whether the session answers SELECT 1 (with a row) now."""
    try:
        sock.sendall(command(0x03, b"SELECT 1"))
    except (BrokenPipeError, ConnectionResetError):
        return "fatal"
    got, closed = read_all(sock, 1.0)
    if got and not has_error(got) and any(p == b"\x011" for p in got):
        return "ok"
    if closed:
        return "fatal"
    return "silent" if not got else "error"


def outcome(port, data):
    """What the server at `port` does with `data` sent on a fresh session."""
    client = mywire.WireClient(port)
    sock = client.sock
    try:
        try:
            sock.sendall(data)
            got, closed = read_all(sock, 1.0)
        except (BrokenPipeError, ConnectionResetError):
            return "fatal", None
        code = error_code(got)
        if closed:
            return "fatal", code
        if not got:
            return "silent+" + alive(sock), None
        if code is None:
            return "ok", None
        after = alive(sock)
        return ("error" if after == "ok" else "fatal"), code
    finally:
        sock.close()


def fixed_cases():
    """(name, bytes): valid commands and classic malformations."""
    q = lambda sql: command(0x03, sql)  # noqa: E731
    prepare = command(0x16, b"SELECT ? + 1")
    return [
        ("query", q(b"SELECT 1")),
        ("query_two_rows", q(b"SELECT 1 UNION ALL SELECT 2")),
        ("syntax_error", q(b"SELEKT 1")),
        ("empty_query", q(b"")),
        ("query_nul_inside", q(b"SELECT 1\0garbage")),
        ("invalid_utf8", q(b"SELECT '\xff\xfe'")),
        ("ping", command(0x0E)),
        ("init_db", command(0x02, b"social")),
        ("init_db_unknown", command(0x02, b"no_such_db")),
        ("init_db_empty", command(0x02)),
        ("field_list", command(0x04, b"sg_nope\0")),
        ("statistics", command(0x09)),
        ("sleep", command(0x00)),
        ("unknown_command", command(0x7F)),
        ("command_0xff", command(0xFF)),
        ("empty_packet", packet(b"")),
        ("set_option_bad", command(0x1B, struct.pack("<H", 7))),
        ("set_option_short", command(0x1B, b"\x01")),
        ("reset_connection", command(0x1F)),
        ("prepare", prepare),
        ("prepare_syntax_error", command(0x16, b"SELEKT ?")),
        ("execute_unknown", command(0x17, struct.pack("<IBI", 9999, 0, 1))),
        ("execute_short", command(0x17, b"\x01")),
        ("fetch_unknown", command(0x1C, struct.pack("<II", 9999, 10))),
        ("reset_unknown", command(0x1A, struct.pack("<I", 9999))),
        ("close_unknown", command(0x19, struct.pack("<I", 9999))),
        ("long_data_unknown", command(0x18, struct.pack("<IH", 9999, 0) + b"abc")),
        ("kill_unknown", command(0x0C, struct.pack("<I", 4000000000))),
        ("binlog_dump", command(0x12, struct.pack("<IHI", 4, 0, 999) + b"no-such-log")),
        ("sequence_out_of_order", packet(b"\x03SELECT 1", 5)),
        ("two_commands", q(b"SELECT 1") + q(b"SELECT 2")),
        ("truncated_then_close", b"\x20\x00\x00\x00\x03SELECT"),
        ("quit", command(0x01)),
    ]


def set_length(data, rng):
    data[0:3] = rng.choice((0, 1, len(data) - 5, len(data) + 100,
                            rng.randrange(1 << 24))).to_bytes(3, "little")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=150)
    parser.add_argument("--seed", type=int, default=20261206)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    server = server_port()
    fixed = fixed_cases()
    valid = [c for c in fixed if c[0] in ("query", "prepare", "init_db", "ping")]
    mutated = dc.mutations(valid, rng, args.cases, 4, set_length)
    cases = fixed + [c for c in mutated if not DESTRUCTIVE & set(commands_in(c[1]))]
    skipped = len(fixed) + len(mutated) - len(cases)
    proxy = ht.wt.Proxy()
    began = time.time()

    def intended(name, data, ours):
        if name in INTENDED:
            return INTENDED[name][0] == ours[0]
        return ":" in name and ours == ("error", 1047) and \
            bool(set(commands_in(data)) & set(INTENDED_COMMANDS))

    try:
        bystander = proxy.my()

        after_each = dc.bystander_check(proxy, bystander)

        results = dc.compare(
            cases, lambda case: (outcome(server, case[1]), outcome(proxy.mysql_port, case[1])),
            intended, after_each)
        bystander.close()
    finally:
        proxy.stop()
    dc.report("MariaDB", cases, f"{len(fixed)} fixed, {args.cases} mutated of which {skipped} "
              "not sent (a destructive command byte)", args.seed, results, began)

if __name__ == "__main__":
    main()
