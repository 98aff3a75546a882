#!/usr/bin/python3
"""A MariaDB server that dies while it sends a result set, as seen by shardgate's own MariaDB
sessions (txn/resolver.cpp MySession: `shardctl txn`, `shardctl reshard`'s change applier).
A fake server (no real one is needed) accepts the login, answers every query with a result
set's header (one column, its definition and EOF) and then closes the connection before any
row. The session must report the lost connection: once it took the dropped result for an
empty one, and a resharding copy that met a source killed -9 at that moment skipped every row
(docs/resharding.md). Checked through `shardctl txn list`, whose XA RECOVER meets the cut:
it must exit 1 naming the lost connection, not report "nothing prepared".
Usage: lost_result_test.py"""
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading

SHARDCTL = os.environ["SHARDCTL_BIN"]

CAPABILITIES = (1 | 8 | 512 | 8192 | 32768 | (1 << 19))  # long password, connect with db,
# protocol 41, transactions, secure connection, plugin auth


def packet(sequence, payload):
    return struct.pack("<I", len(payload))[:3] + bytes([sequence]) + payload


def lenenc_text(text):
    data = text.encode()
    return bytes([len(data)]) + data


def read_packet(conn):
    header = b""
    while len(header) < 4:
        chunk = conn.recv(4 - len(header))
        if not chunk:
            return None
        header += chunk
    length = int.from_bytes(header[:3], "little")
    body = b""
    while len(body) < length:
        chunk = conn.recv(length - len(body))
        if not chunk:
            return None
        body += chunk
    return body


def serve(conn, queries):
    salt = b"abcdefghijklmnopqrst"
    greeting = (b"\x0a" + b"10.11.99-fake\x00" + struct.pack("<I", 7) + salt[:8] + b"\x00" +
                struct.pack("<H", CAPABILITIES & 0xFFFF) + b"\x21" + struct.pack("<H", 2) +
                struct.pack("<H", CAPABILITIES >> 16) + bytes([21]) + b"\x00" * 10 +
                salt[8:] + b"\x00" + b"mysql_native_password\x00")
    conn.sendall(packet(0, greeting))
    if read_packet(conn) is None:
        return
    conn.sendall(packet(2, b"\x00\x00\x00" + struct.pack("<HH", 2, 0)))  # OK: any password
    while True:
        command = read_packet(conn)
        if not command or command[0] == 0x01:  # gone, COM_QUIT
            return
        if command[0] != 0x03:
            conn.sendall(packet(1, b"\x00\x00\x00" + struct.pack("<HH", 2, 0)))
            continue
        queries.append(command[1:].decode(errors="replace"))
        column = (lenenc_text("def") + lenenc_text("") + lenenc_text("") + lenenc_text("") +
                  lenenc_text("x") + lenenc_text("") + b"\x0c" + struct.pack("<H", 33) +
                  struct.pack("<I", 255) + b"\xfd" + struct.pack("<H", 0) + b"\x00\x00\x00")
        eof = b"\xfe" + struct.pack("<HH", 0, 2)
        conn.sendall(packet(1, b"\x01") + packet(2, column) + packet(3, eof))
        return  # the rows never come: the server is gone


def main():
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    port = listener.getsockname()[1]
    queries = []

    def accept():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                try:
                    serve(conn, queries)
                except OSError:
                    pass
    threading.Thread(target=accept, daemon=True).start()

    folder = tempfile.mkdtemp(prefix="sg_lost_result_")
    map_path = os.path.join(folder, "map.yaml")
    with open(map_path, "w") as f:
        f.write("format_version: 1\nepoch: 1\ndatabases:\n  social:\n    engine: mysql\n"
                "    default_shard: f0\n    shards:\n"
                f"      f0: {{primary: 127.0.0.1:{port}}}\n")
    run = subprocess.run([SHARDCTL, "txn", "list", map_path, "--user", "u", "--password", "p",
                          "--timeout-ms", "3000", "--json"],
                         capture_output=True, text=True, timeout=60)
    listener.close()
    print(run.stdout, run.stderr)
    assert queries, "the fake server saw no query"
    assert run.returncode == 1, (run.returncode, run.stdout, run.stderr)
    doc = json.loads(run.stdout)
    errors = doc["social"]["errors"]
    assert errors and "lost connection" in " ".join(errors).lower(), errors
    assert doc["social"]["prepared"] == [], doc
    print(f"  a result set cut after its header ({queries[0]!r}): shardctl txn list exits 1 "
          f"with {errors[0]!r}, not an empty list")
    return 0


if __name__ == "__main__":
    sys.exit(main())
