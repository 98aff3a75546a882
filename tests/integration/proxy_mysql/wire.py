"""A minimal MySQL wire client for the commands the drivers in the tests do not send
(COM_RESET_CONNECTION, COM_SET_OPTION, COM_FIELD_LIST, unknown commands): handshake with
mysql_native_password, one command at a time, text results without DEPRECATE_EOF."""
import hashlib
import socket
import struct

CLIENT_LONG_PASSWORD = 1
CLIENT_CONNECT_WITH_DB = 1 << 3
CLIENT_PROTOCOL_41 = 1 << 9
CLIENT_TRANSACTIONS = 1 << 13
CLIENT_SECURE_CONNECTION = 1 << 15
CLIENT_MULTI_STATEMENTS = 1 << 16
CLIENT_MULTI_RESULTS = 1 << 17
CLIENT_PLUGIN_AUTH = 1 << 19

COM_QUIT, COM_QUERY, COM_FIELD_LIST, COM_PROCESS_KILL = 0x01, 0x03, 0x04, 0x0C
COM_PING, COM_SET_OPTION, COM_RESET_CONNECTION = 0x0E, 0x1B, 0x1F


def lenenc(data, pos):
    first = data[pos]
    if first < 0xFB:
        return first, pos + 1
    if first == 0xFB:
        return None, pos + 1
    width = {0xFC: 2, 0xFD: 3, 0xFE: 8}[first]
    return int.from_bytes(data[pos + 1:pos + 1 + width], "little"), pos + 1 + width


class WireClient:
    def __init__(self, port, user="app", password="app", database="social"):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        hello = self.read_packet()
        pos = hello.index(b"\0", 1) + 1 + 4
        scramble = hello[pos:pos + 8]
        pos += 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10
        scramble += hello[pos:pos + 12]
        stage1 = hashlib.sha1(password.encode()).digest()
        token = hashlib.sha1(scramble + hashlib.sha1(stage1).digest()).digest()
        auth = bytes(a ^ b for a, b in zip(stage1, token))
        caps = (CLIENT_LONG_PASSWORD | CLIENT_CONNECT_WITH_DB | CLIENT_PROTOCOL_41 |
                CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION | CLIENT_MULTI_RESULTS |
                CLIENT_PLUGIN_AUTH)
        body = (struct.pack("<IIB23x", caps, 1 << 24, 45) + user.encode() + b"\0" +
                bytes([len(auth)]) + auth + database.encode() + b"\0" +
                b"mysql_native_password\0")
        self.write_packet(body, 1)
        reply = self.read_packet()
        assert reply[0] == 0x00, reply

    def read_packet(self):
        header = self.recv_exact(4)
        length = int.from_bytes(header[:3], "little")
        return self.recv_exact(length)

    def recv_exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data

    def write_packet(self, payload, sequence=0):
        self.sock.sendall(len(payload).to_bytes(3, "little") + bytes([sequence]) + payload)

    def command(self, code, body=b""):
        """Sends a command; returns the first response packet."""
        self.write_packet(bytes([code]) + body)
        return self.read_packet()

    def query(self, sql):
        """Rows (lists of str/None) of a text result set, or the OK/ERR packet."""
        self.write_packet(bytes([COM_QUERY]) + sql.encode())
        return self.read_result()

    def read_result(self):
        """The answer to a query sent before: rows of a text result set, or OK/ERR."""
        first = self.read_packet()
        if first[0] in (0x00, 0xFF):
            return first
        count, _ = lenenc(first, 0)
        for _ in range(count):
            self.read_packet()
        assert self.read_packet()[0] == 0xFE  # EOF after the column definitions
        rows = []
        while True:
            packet = self.read_packet()
            if packet[0] == 0xFE and len(packet) < 9:
                return rows
            row, pos = [], 0
            for _ in range(count):
                length, pos = lenenc(packet, pos)
                row.append(None if length is None else packet[pos:pos + length].decode())
                pos += length or 0
            rows.append(row)

    def close(self):
        self.sock.close()


def err_code(packet):
    assert packet[0] == 0xFF, packet
    return struct.unpack("<H", packet[1:3])[0]
