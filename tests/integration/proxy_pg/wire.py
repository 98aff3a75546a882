"""A minimal PostgreSQL wire client (trust login only) for extended-protocol tests: sends
exactly the messages a test builds and returns the backend messages it gets."""
import socket
import struct


def message(kind, body=b""):
    return kind + struct.pack("!i", len(body) + 4) + body


def cstr(text):
    return text.encode() + b"\0"


def parse(name, sql, types=()):
    return message(b"P", cstr(name) + cstr(sql) + struct.pack("!h", len(types)) +
                   b"".join(struct.pack("!I", t) for t in types))


def bind(statement, params=(), formats=(), portal=""):
    body = cstr(portal) + cstr(statement) + struct.pack("!h", len(formats))
    body += b"".join(struct.pack("!h", f) for f in formats)
    body += struct.pack("!h", len(params))
    for p in params:
        body += struct.pack("!i", -1) if p is None else struct.pack("!i", len(p)) + p
    return message(b"B", body + struct.pack("!h", 0))


def describe(kind, name=""):
    return message(b"D", kind + cstr(name))


def execute(portal=""):
    return message(b"E", cstr(portal) + struct.pack("!i", 0))


def close(kind, name):
    return message(b"C", kind + cstr(name))


SYNC = message(b"S")
FLUSH = message(b"H")


class Wire:
    def __init__(self, port, user, database="shop"):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        params = cstr("user") + cstr(user) + cstr("database") + cstr(database) + b"\0"
        body = struct.pack("!i", 196608) + params
        self.sock.sendall(struct.pack("!i", len(body) + 4) + body)
        self.buffer = b""
        self.until_ready()

    def read(self):
        while len(self.buffer) < 5 or len(self.buffer) < 1 + struct.unpack(
                "!i", self.buffer[1:5])[0]:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buffer += chunk
        size = 1 + struct.unpack("!i", self.buffer[1:5])[0]
        kind, body = self.buffer[:1], self.buffer[5:size]
        self.buffer = self.buffer[size:]
        return kind, body

    def until_ready(self):
        """Messages up to ReadyForQuery: [(type, body)], ending with ('Z', status)."""
        out = []
        while True:
            kind, body = self.read()
            out.append((kind.decode(), body))
            if kind == b"Z":
                return out

    def run(self, *messages):
        self.sock.sendall(b"".join(messages))
        return self.until_ready()

    def send(self, *messages):
        self.sock.sendall(b"".join(messages))

    def until(self, last):
        """Messages up to and including the first one of type `last` (e.g. after a Flush,
        where no ReadyForQuery comes)."""
        out = []
        while not out or out[-1][0] != last:
            kind, body = self.read()
            out.append((kind.decode(), body))
        return out

    def nothing_pending(self, seconds=0.3):
        """True when the server sends nothing more within `seconds`."""
        if self.buffer:
            return False
        self.sock.settimeout(seconds)
        try:
            return not self.sock.recv(1, socket.MSG_PEEK)
        except socket.timeout:
            return True
        finally:
            self.sock.settimeout(5)

    def close(self):
        self.sock.sendall(message(b"X"))
        self.sock.close()


def types(messages):
    return "".join(kind for kind, _ in messages)


def sqlstate(messages):
    for kind, body in messages:
        if kind == "E":
            for field in body.split(b"\0"):
                if field[:1] == b"C":
                    return field[1:].decode()
    return None


def rows(messages):
    """Text values of DataRows."""
    out = []
    for kind, body in messages:
        if kind == "D":
            count = struct.unpack("!h", body[:2])[0]
            pos, row = 2, []
            for _ in range(count):
                size = struct.unpack("!i", body[pos:pos + 4])[0]
                pos += 4
                row.append(None if size < 0 else body[pos:pos + size].decode())
                pos += max(size, 0)
            out.append(row)
    return out
