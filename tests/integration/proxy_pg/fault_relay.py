"""A TCP relay in front of one server that a test turns into a faulty network or a server whose
logins are slow (the failover hang cases, both frontends' slow_logins tests)."""
import socket
import struct
import threading
import time


class Relay:
    """A TCP relay in front of one server that the test turns into a faulty network: `forward`,
    `delay` (each chunk held `delay_s` first), `blackhole` (nothing passes either way, new
    connections are accepted and left waiting; what was held passes after healing, as TCP
    would retransmit it) and `drop` (every connection closed, new ones closed at once). Apart
    from the mode, `hold_s` holds each new connection that long before it passes a byte (a
    login that takes seconds, as on a busy server); connections made before pass as they are.
    `late_cancel_s` (PostgreSQL only) passes each CancelRequest on, then the same one again
    that many seconds later, and closes the canceller's connection only after that: the
    server signals the cancelled process twice for one cancel, and this is a second signal
    that comes late (counted in `late_cancels`)."""

    def __init__(self, upstream_port):
        self.upstream = upstream_port
        self.mode, self.delay_s, self.hold_s = "forward", 0.0, 0.0
        self.late_cancel_s, self.late_cancels = 0.0, 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock, self.sockets, self.closed = threading.Lock(), [], False
        threading.Thread(target=self.accept, daemon=True).start()

    def set(self, mode, delay_s=0.0):
        self.mode, self.delay_s = mode, delay_s
        if mode == "drop":
            with self.lock:
                for sock in self.sockets:
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    sock.close()
                self.sockets = []

    def accept(self):
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.connect, args=(client,), daemon=True).start()

    def connect(self, client):
        time.sleep(self.hold_s)
        while self.mode == "blackhole" and not self.closed:
            time.sleep(0.05)
        if self.mode == "drop" or self.closed:
            client.close()
            return
        if self.late_cancel_s > 0 and self.cancel_twice(client):
            return
        try:
            server = socket.create_connection(("127.0.0.1", self.upstream), timeout=5)
            server.settimeout(None)
        except OSError:
            client.close()
            return
        with self.lock:
            self.sockets += [client, server]
        for a, b in ((client, server), (server, client)):
            threading.Thread(target=self.pump, args=(a, b), daemon=True).start()

    def cancel_twice(self, client):
        """A CancelRequest on `client` passed on twice, the second time late_cancel_s later;
        False (nothing read) for any other connection."""
        client.settimeout(5)
        try:
            head = client.recv(16, socket.MSG_PEEK)
        except OSError:
            head = b""
        client.settimeout(None)
        if len(head) != 16 or head[:8] != struct.pack("!II", 16, 80877102):
            return False
        client.recv(16)
        for attempt in range(2):
            if attempt:
                time.sleep(self.late_cancel_s)
                self.late_cancels += 1
            with socket.create_connection(("127.0.0.1", self.upstream), timeout=5) as server:
                server.sendall(head)
                server.recv(1)  # the server closes it once it has signalled the process
        client.close()
        return True

    def pump(self, source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                while self.mode == "blackhole" and not self.closed:
                    time.sleep(0.05)
                if self.mode == "delay":
                    time.sleep(self.delay_s)
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self):
        self.closed = True
        self.listener.close()
        self.set("drop")


def slow_login_round(relay, clients, one):
    """Every new connection through `relay` held 2 s from now on; each of `clients` runs 40
    short statements (`one(conn)` returns what identifies the backend connection), 20 ms
    apart, at once. Returns (errors, identities seen); waits for the last logins to end."""
    relay.hold_s = 2.0
    errors, seen = [], set()

    def run_statements(conn):
        for _ in range(40):
            try:
                seen.add(one(conn))
            except Exception as e:  # noqa: BLE001 (the driver's error, reported)
                errors.append(str(e).strip())
            time.sleep(0.02)
    threads = [threading.Thread(target=run_statements, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    time.sleep(1.5)  # the last logins end (time out)
    return errors, seen


def check_slow_login_round(plane, errors, seen, pooled, console, clients):
    """What slow_login_round must show on `plane` ("pg", "mysql"), with the proxy's counters
    read through an admin `console` connection (closed, and `clients` too): no error, every
    statement on the one pooled connection, clients that took it while their own login ran,
    and logins that were slow (they failed, counted, failing no one)."""
    with console.cursor() as cur:
        cur.execute("SHOW STATS")
        stats = {r[0]: int(r[1]) for r in cur.fetchall()}
    for conn in [console] + clients:
        conn.close()
    print(f"slow_logins: 160 statements, {len(errors)} errors, backend connections "
          f"{sorted(seen)}; logins overtaken {stats[plane + '.backend_logins_overtaken']}, "
          f"failed {stats[plane + '.backend_connect_failures']}")
    assert not errors, errors[:3]
    assert seen == {pooled}, (seen, pooled)
    assert stats[plane + ".backend_logins_overtaken"] >= 1, stats
    assert stats[plane + ".backend_connect_failures"] >= 1, "no login was slow"
