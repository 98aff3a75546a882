#!/usr/bin/env python3
"""Writes the seed corpora of the codec fuzz targets (tests/fuzz/seeds/<target>/).

Each seed is a real message layout built field by field, prefixed with the selector bytes
the target reads first (see the comment at the top of each fuzz_*.cpp). Run it after
changing a target's input layout; the files it writes are checked in.
"""

import hashlib
import hmac
import base64
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "seeds")
ROOT = os.path.dirname(os.path.dirname(HERE))


def write(target, name, data):
    folder = os.path.join(SEEDS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


# --- PostgreSQL ---------------------------------------------------------------------------


def cstr(text):
    return (text.encode() if isinstance(text, str) else text) + b"\0"


def i16(v):
    return struct.pack(">h", v)


def u16(v):
    return struct.pack(">H", v)


def i32(v):
    return struct.pack(">i", v)


def u32(v):
    return struct.pack(">I", v)


def msg(type_byte, body=b""):
    return type_byte.encode() + u32(len(body) + 4) + body


def startup(code, body=b""):
    return u32(len(body) + 8) + u32(code) + body


def value(data):
    return i32(-1) if data is None else i32(len(data)) + data


def formats(codes):
    return u16(len(codes)) + b"".join(i16(c) for c in codes)


PG_PROTOCOL_3_0 = 196608
CANCEL_REQUEST_CODE = 80877102
NEGOTIATE_SSL_CODE = 80877103
NEGOTIATE_GSS_CODE = 80877104


def query(sql):
    return msg("Q", cstr(sql))


def parse(name, sql, oids):
    return msg("P", cstr(name) + cstr(sql) + u16(len(oids)) + b"".join(u32(o) for o in oids))


def bind(portal, stmt, param_formats, params, result_formats):
    body = cstr(portal) + cstr(stmt) + formats(param_formats)
    body += u16(len(params)) + b"".join(value(p) for p in params) + formats(result_formats)
    return msg("B", body)


def describe(kind, name):
    return msg("D", kind.encode() + cstr(name))


def execute(portal, max_rows):
    return msg("E", cstr(portal) + i32(max_rows))


def close(kind, name):
    return msg("C", kind.encode() + cstr(name))


def auth(code, data=b""):
    return msg("R", i32(code) + data)


def row_description(fields):
    body = u16(len(fields))
    for name, table_oid, column, type_oid, size, modifier, fmt in fields:
        body += cstr(name) + u32(table_oid) + i16(column) + u32(type_oid) + i16(size)
        body += i32(modifier) + i16(fmt)
    return msg("T", body)


def data_row(values):
    return msg("D", u16(len(values)) + b"".join(value(v) for v in values))


def notice_fields(type_byte, fields):
    return msg(type_byte, b"".join(code.encode() + cstr(text) for code, text in fields) + b"\0")


def copy_response(type_byte, overall, columns):
    return msg(type_byte, bytes([overall]) + formats(columns))


# RFC 7677 section 3: user "user", password "pencil".
RFC_CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO"
RFC_SALT = "W22ZaJ0SNY7soEsUEjb6gQ=="
RFC_CLIENT_FIRST = "n,,n=user,r=" + RFC_CLIENT_NONCE
RFC_SERVER_FIRST = (
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
)
RFC_CLIENT_FINAL = (
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
)
RFC_SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="


def scram_verifier(password, salt_b64, iterations):
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt_b64),
                                 iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    return "SCRAM-SHA-256$%d:%s$%s:%s" % (iterations, salt_b64,
                                          base64.b64encode(stored_key).decode(),
                                          base64.b64encode(server_key).decode())


def md5_response(user, password, salt):
    inner = hashlib.md5((password + user).encode()).hexdigest()
    return "md5" + hashlib.md5(inner.encode() + salt).hexdigest()


def sasl_initial(mechanism, data):
    return msg("p", cstr(mechanism) + value(data))


def pg_startup_auth():
    t = "pg_startup_auth"
    psql = startup(PG_PROTOCOL_3_0, cstr("user") + cstr("postgres") + cstr("database") +
                   cstr("shop") + cstr("application_name") + cstr("psql") +
                   cstr("client_encoding") + cstr("UTF8") + b"\0")
    write(t, "psql_startup", b"\x00" + psql)
    write(t, "ssl_then_startup", b"\x00" + startup(NEGOTIATE_SSL_CODE) + psql)
    write(t, "gssenc_request", b"\x00" + startup(NEGOTIATE_GSS_CODE))
    write(t, "cancel_request", b"\x00" + startup(CANCEL_REQUEST_CODE, i32(4242) + i32(-559038737)))
    write(t, "startup_options", b"\x00" + startup(
        PG_PROTOCOL_3_0 + 2, cstr("user") + cstr("app") + cstr("options") +
        cstr("-c search_path=shop") + cstr("_pq_.command_marker") + cstr("1") + b"\0"))
    write(t, "startup_over_limit", b"\x04" + psql)
    write(t, "startup_protocol_2", b"\x00" + startup(0x00020000, cstr("user") + cstr("x") + b"\0"))

    write(t, "scram_server_rfc7677", b"\x01" +
          sasl_initial("SCRAM-SHA-256", RFC_CLIENT_FIRST.encode()) +
          msg("p", RFC_CLIENT_FINAL.encode()))
    write(t, "scram_server_bad_proof", b"\x01" +
          sasl_initial("SCRAM-SHA-256", RFC_CLIENT_FIRST.encode()) +
          msg("p", RFC_CLIENT_FINAL.replace("p=dHzb", "p=AHzb").encode()))
    write(t, "scram_server_channel_binding", b"\x01" + sasl_initial(
        "SCRAM-SHA-256-PLUS", b"p=tls-server-end-point,,n=,r=" + RFC_CLIENT_NONCE.encode()))
    write(t, "scram_server_no_data", b"\x01" + sasl_initial("SCRAM-SHA-256", None))

    sasl = auth(10, cstr("SCRAM-SHA-256-PLUS") + cstr("SCRAM-SHA-256") + b"\0")
    write(t, "scram_client_rfc7677", b"\x02" + sasl + auth(11, RFC_SERVER_FIRST.encode()) +
          auth(12, RFC_SERVER_FINAL.encode()) + auth(0))
    write(t, "scram_client_server_error", b"\x02" + sasl + auth(11, RFC_SERVER_FIRST.encode()) +
          auth(12, b"e=invalid-proof"))
    write(t, "scram_client_extension", b"\x02" + sasl + auth(11, b"m=ext," +
                                                          RFC_SERVER_FIRST.encode()))

    write(t, "verifier", b"\x03" + scram_verifier("pencil", RFC_SALT, 4096).encode())
    write(t, "verifier_low_iterations", b"\x03" + scram_verifier("secret", "c2FsdA==", 1).encode())
    salt = b"\x93\x1f\x22\x07"
    write(t, "md5_response", b"\x07" + salt + md5_response("user", "pencil", salt).encode())


def pg_frontend():
    t = "pg_frontend"
    write(t, "simple_query", b"\x00" + query("SELECT 1;") + msg("X"))
    write(t, "multi_statement_query",
          b"\x00" + query("BEGIN; UPDATE customers SET name = 'x' WHERE id = 7; COMMIT;"))
    int8_42 = struct.pack(">q", 42)
    write(t, "parse_bind_execute_sync", b"\x00" +
          parse("", "SELECT * FROM customers WHERE id = $1", [20]) +
          bind("", "", [1], [int8_42], [1]) + describe("P", "") + execute("", 0) + msg("S"))
    write(t, "named_statement", b"\x00" +
          parse("s1", "INSERT INTO orders (id, note) VALUES ($1, $2)", [23, 25]) +
          describe("S", "s1") + msg("H") +
          bind("p1", "s1", [0], [b"42", None], []) + execute("p1", 100) +
          close("P", "p1") + close("S", "s1") + msg("S"))
    write(t, "bind_mixed_formats", b"\x00" +
          bind("", "s2", [1, 0, 1], [struct.pack(">h", -3), b" +17 ", struct.pack(">i", 9)],
               [0, 1]) + msg("S"))
    write(t, "copy_in", b"\x00" + query("COPY t FROM STDIN") + msg("d", b"1\tfoo\n") +
          msg("d", b"2\t\\N\n") + msg("c"))
    write(t, "copy_fail", b"\x00" + msg("d", b"1\t") + msg("f", cstr("aborted by user")))
    write(t, "sasl_messages", b"\x00" + sasl_initial("SCRAM-SHA-256", RFC_CLIENT_FIRST.encode()) +
          msg("p", RFC_CLIENT_FINAL.encode()))
    write(t, "password_message", b"\x00" + msg("p", cstr(md5_response("u", "p", b"abcd"))))
    write(t, "function_call", b"\x00" + msg("F", u32(1598) + formats([0]) + u16(1) +
                                            value(b"1") + i16(0)))
    write(t, "over_limit", b"\x01" + query("SELECT " + "x" * 100))
    # Direct decoder calls: 0x80 + decoder index, type byte, body.
    write(t, "direct_password", b"\x80p" + cstr("secret"))
    write(t, "direct_sasl_initial", b"\x81p" + cstr("SCRAM-SHA-256") +
          value(RFC_CLIENT_FIRST.encode()))
    write(t, "direct_query", b"\x83Q" + cstr("SELECT now()"))
    write(t, "direct_parse", b"\x84P" + parse("s", "SELECT $1::int", [23])[5:])
    write(t, "direct_bind", b"\x85B" + bind("", "s", [1], [int8_42, None], [])[5:])
    write(t, "direct_describe", b"\x86D" + b"Ss\0")
    write(t, "direct_execute", b"\x87E" + cstr("") + i32(0))
    write(t, "direct_close_wrong_type", b"\x88X" + b"Pp\0")
    write(t, "direct_copy_fail", b"\x8ef" + cstr("no"))
    write(t, "direct_function_call", b"\x8fF" + u32(1598))


def pg_backend():
    t = "pg_backend"
    write(t, "select_result", b"\x00" + row_description([
        ("id", 16384, 1, 20, 8, -1, 0), ("name", 16384, 2, 25, -1, -1, 0)]) +
        data_row([b"1", b"alice"]) + data_row([b"2", None]) + msg("C", cstr("SELECT 2")) +
        msg("Z", b"I"))
    write(t, "startup_response", b"\x00" +
          auth(10, cstr("SCRAM-SHA-256-PLUS") + cstr("SCRAM-SHA-256") + b"\0") +
          auth(11, RFC_SERVER_FIRST.encode()) + auth(12, RFC_SERVER_FINAL.encode()) + auth(0) +
          msg("S", cstr("server_version") + cstr("15.4 (Debian 15.4-1)")) +
          msg("S", cstr("client_encoding") + cstr("UTF8")) +
          msg("S", cstr("DateStyle") + cstr("ISO, MDY")) +
          msg("K", i32(4242) + i32(-559038737)) + msg("Z", b"I"))
    write(t, "md5_and_cleartext", b"\x00" + auth(5, b"\x01\x02\x03\x04") + auth(3))
    write(t, "extended_response", b"\x00" + msg("1") + msg("2") + msg("t", u16(1) + u32(20)) +
          row_description([("count", 0, 0, 20, 8, -1, 1)]) +
          data_row([struct.pack(">q", 7)]) + msg("s") + msg("3") + msg("n") +
          msg("C", cstr("INSERT 0 1")) + msg("Z", b"T"))
    write(t, "error_and_notice", b"\x00" + notice_fields("N", [
        ("S", "NOTICE"), ("V", "NOTICE"), ("C", "00000"), ("M", "relation exists, skipping")]) +
        notice_fields("E", [("S", "ERROR"), ("V", "ERROR"), ("C", "42P01"),
                            ("M", 'relation "nope" does not exist'), ("P", "15"),
                            ("F", "parse_relation.c"), ("L", "1392"),
                            ("R", "parserOpenTable")]) + msg("Z", b"E"))
    write(t, "copy_out", b"\x00" + copy_response("H", 0, [0, 0]) + msg("d", b"1\tfoo\n") +
          msg("c") + msg("C", cstr("COPY 1")) + msg("Z", b"I"))
    write(t, "copy_in_both", b"\x00" + copy_response("G", 1, [1, 1, 1]) +
          copy_response("W", 0, []))
    write(t, "notification_negotiate", b"\x00" + msg("A", i32(77) + cstr("events") + cstr("hi")) +
          msg("v", i32(0) + i32(1) + cstr("_pq_.command_marker")) + msg("I") +
          msg("C", cstr("UPDATE 12")))
    write(t, "over_limit", b"\x01" + data_row([b"x" * 100]))
    # Direct decoder calls: 0x80 + decoder index, type byte, body.
    write(t, "direct_auth_sasl", b"\x80R" + i32(10) + cstr("SCRAM-SHA-256") + b"\0")
    write(t, "direct_ready", b"\x83Z" + b"T")
    write(t, "direct_error", b"\x84E" + b"SFATAL\0C28P01\0Mpassword authentication failed\0\0")
    write(t, "direct_command_complete", b"\x86C" + cstr("MERGE 4"))
    write(t, "direct_row_description", b"\x87T" + row_description(
        [("a", 0, 0, 23, 4, -1, 0)])[5:])
    write(t, "direct_data_row", b"\x88D" + data_row([b"42", None, b""])[5:])
    write(t, "direct_parameter_description", b"\x8ft" + u16(2) + u32(23) + u32(25))
    write(t, "direct_negotiate", b"\x91v" + i32(0) + i32(2) + cstr("_pq_.a") + cstr("_pq_.b"))
    write(t, "direct_copy_out", b"\x93H" + b"\x01" + formats([1, 1]))


# --- MySQL / MariaDB ----------------------------------------------------------------------


def le16(v):
    return struct.pack("<H", v)


def le32(v):
    return struct.pack("<I", v)


def le64(v):
    return struct.pack("<Q", v)


def lenenc(v):
    if v < 251:
        return bytes([v])
    if v < 1 << 16:
        return b"\xfc" + le16(v)
    if v < 1 << 24:
        return b"\xfd" + struct.pack("<I", v)[:3]
    return b"\xfe" + le64(v)


def lstr(data):
    data = data.encode() if isinstance(data, str) else data
    return lenenc(len(data)) + data


def packet(seq, payload):
    return struct.pack("<I", len(payload))[:3] + bytes([seq]) + payload


CLIENT_LONG_PASSWORD = 1 << 0
CLIENT_FOUND_ROWS = 1 << 1
CLIENT_LONG_FLAG = 1 << 2
CLIENT_CONNECT_WITH_DB = 1 << 3
CLIENT_LOCAL_FILES = 1 << 7
CLIENT_PROTOCOL_41 = 1 << 9
CLIENT_INTERACTIVE = 1 << 10
CLIENT_SSL = 1 << 11
CLIENT_TRANSACTIONS = 1 << 13
CLIENT_SECURE_CONNECTION = 1 << 15
CLIENT_MULTI_STATEMENTS = 1 << 16
CLIENT_MULTI_RESULTS = 1 << 17
CLIENT_PS_MULTI_RESULTS = 1 << 18
CLIENT_PLUGIN_AUTH = 1 << 19
CLIENT_CONNECT_ATTRS = 1 << 20
CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 1 << 21
CLIENT_SESSION_TRACK = 1 << 23
CLIENT_DEPRECATE_EOF = 1 << 24

SCRAMBLE = bytes(range(0x21, 0x21 + 20))


def native_password(password, scramble):
    stage1 = hashlib.sha1(password.encode()).digest()
    stage2 = hashlib.sha1(stage1).digest()
    mask = hashlib.sha1(scramble + stage2).digest()
    return bytes(a ^ b for a, b in zip(stage1, mask))


def handshake_v10(version, caps, plugin, scramble=SCRAMBLE, mariadb_caps=0, charset=45):
    body = b"\x0a" + cstr(version) + le32(31) + scramble[:8] + b"\0"
    body += le16(caps & 0xffff) + bytes([charset]) + le16(0x0002) + le16(caps >> 16)
    body += bytes([len(scramble) + 1 if caps & CLIENT_PLUGIN_AUTH else 0]) + b"\0" * 6
    body += le32(mariadb_caps)
    if caps & CLIENT_SECURE_CONNECTION:
        body += scramble[8:] + b"\0"
    if caps & CLIENT_PLUGIN_AUTH:
        body += cstr(plugin)
    return body


def handshake_response(caps, user, auth_data, database, plugin, attrs, mariadb_caps=0):
    body = le32(caps) + le32(16 * 1024 * 1024) + bytes([45]) + b"\0" * 19 + le32(mariadb_caps)
    body += cstr(user)
    if caps & CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA:
        body += lstr(auth_data)
    elif caps & CLIENT_SECURE_CONNECTION:
        body += bytes([len(auth_data)]) + auth_data
    else:
        body += cstr(auth_data)
    if caps & CLIENT_CONNECT_WITH_DB:
        body += cstr(database)
    if caps & CLIENT_PLUGIN_AUTH:
        body += cstr(plugin)
    if caps & CLIENT_CONNECT_ATTRS:
        block = b"".join(lstr(k) + lstr(v) for k, v in attrs)
        body += lstr(block)
    return body


MARIADB_SERVER_CAPS = 0xF7FE | (0x81FF << 16)  # CLIENT_MYSQL (bit 0) clear: extended caps
MARIADB_CLIENT_CAPS = (CLIENT_LONG_PASSWORD | CLIENT_FOUND_ROWS | CLIENT_LONG_FLAG |
                       CLIENT_CONNECT_WITH_DB | CLIENT_LOCAL_FILES | CLIENT_PROTOCOL_41 |
                       CLIENT_INTERACTIVE | CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION |
                       CLIENT_MULTI_STATEMENTS | CLIENT_MULTI_RESULTS | CLIENT_PS_MULTI_RESULTS |
                       CLIENT_PLUGIN_AUTH | CLIENT_CONNECT_ATTRS |
                       CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | CLIENT_SESSION_TRACK |
                       CLIENT_DEPRECATE_EOF)
CLIENT_ATTRS = [("_client_name", "libmariadb"), ("_client_version", "3.3.8"),
                ("_os", "Linux"), ("_pid", "4242"), ("_platform", "x86_64"),
                ("_server_host", "127.0.0.1"), ("program_name", "mariadb")]


def packets_selector(mode, limit):
    """fuzz_mysql_packets: the first byte with `mode` (modulo 5) and limit bits 3-4."""
    for s in range(256):
        if s % 5 == mode and (s >> 3) & 3 == limit:
            return bytes([s])
    raise ValueError


def mysql_packets():
    t = "mysql_packets"
    com_query = b"\x03SELECT * FROM customers WHERE id = 42"
    write(t, "frames_query", packets_selector(0, 0) + packet(0, com_query))
    hs = handshake_v10("5.5.5-10.11.6-MariaDB-0+deb12u1", MARIADB_SERVER_CAPS,
                       "mysql_native_password", mariadb_caps=0x1D)
    write(t, "frames_handshake_exchange", packets_selector(0, 0) + packet(0, hs) +
          packet(1, handshake_response(MARIADB_CLIENT_CAPS, "app", native_password(
              "pencil", SCRAMBLE), "shop", "mysql_native_password", CLIENT_ATTRS)) +
          packet(2, b"\x00\x00\x00\x02\x00\x00\x00"))
    write(t, "frames_empty_and_short", packets_selector(0, 0) + packet(0, b"") +
          packet(1, b"\x0e") + b"\x05\x00\x00")
    write(t, "frames_over_limit", packets_selector(0, 1) + packet(0, b"\x03" + b"x" * 150))
    # Continuation: frame count, then per frame sequence id and kind (0 full 16 MiB,
    # 1 short with a length byte and bytes, 2 full and cut off).
    write(t, "continuation_two_frames", packets_selector(1, 0) + b"\x01" + b"\x00\x00" +
          b"\x01\x01\x05" + b"\x03abcd")
    write(t, "continuation_exact_multiple", packets_selector(1, 0) + b"\x02" + b"\x00\x00" +
          b"\x01\x00" + b"\x02\x01\x00")
    write(t, "continuation_out_of_order", packets_selector(1, 0) + b"\x01" + b"\x07\x00" +
          b"\x09\x01\x01\x00")
    write(t, "continuation_cut", packets_selector(1, 0) + b"\x01" + b"\x00\x00" + b"\x01\x02\x10")
    write(t, "continuation_over_limit", packets_selector(1, 2) + b"\x01" + b"\x00\x00" +
          b"\x01\x01\x02\x03x")
    write(t, "handshake_mariadb_10_11", packets_selector(2, 0) + hs)
    write(t, "handshake_mysql_8", packets_selector(2, 0) + handshake_v10(
        "8.0.36", 0xFFFFFFFF & ~CLIENT_SSL, "caching_sha2_password", charset=255))
    write(t, "handshake_no_plugin_auth", packets_selector(2, 0) + handshake_v10(
        "5.0.96", CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_LONG_PASSWORD, ""))
    write(t, "handshake_response_mariadb", packets_selector(3, 0) + handshake_response(
        MARIADB_CLIENT_CAPS, "app", native_password("pencil", SCRAMBLE), "shop",
        "mysql_native_password", CLIENT_ATTRS, mariadb_caps=0x1D))
    write(t, "handshake_response_secure", packets_selector(3, 0) + handshake_response(
        CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH, "root",
        native_password("pencil", SCRAMBLE), "", "mysql_native_password", []))
    write(t, "handshake_response_old_auth", packets_selector(3, 0) + handshake_response(
        CLIENT_PROTOCOL_41 | CLIENT_CONNECT_WITH_DB, "root", b"pw", "test", "", []))
    write(t, "ssl_request", packets_selector(3, 0) + le32(MARIADB_CLIENT_CAPS | CLIENT_SSL) +
          le32(16 * 1024 * 1024) + bytes([45]) + b"\0" * 19 + le32(0x1D))
    write(t, "auth_switch_native", packets_selector(4, 0) + b"\xfe" +
          cstr("mysql_native_password") + SCRAMBLE + b"\0")
    write(t, "auth_switch_ed25519", packets_selector(4, 0) + b"\xfe" + cstr("client_ed25519") +
          SCRAMBLE[:32])
    write(t, "auth_more_data_fast_ok", packets_selector(4, 0) + b"\x01\x03")
    write(t, "auth_more_data_full", packets_selector(4, 0) + b"\x01\x04")
    stage2 = hashlib.sha1(hashlib.sha1(b"pencil").digest()).hexdigest().upper()
    write(t, "native_hash_text", packets_selector(4, 0) + b"*" + stage2.encode())


def mysql_commands():
    t = "mysql_commands"

    def seed(name, payload, session=0, num_params=0, previous=0, long_data=0):
        write(t, name, bytes([session, num_params, previous, long_data]) + payload)

    seed("com_query", b"\x03SELECT * FROM customers WHERE id = 42")
    seed("com_init_db", b"\x02shop")
    seed("com_change_user", b"\x11" + cstr("app") + bytes([20]) +
         native_password("pencil", SCRAMBLE) + cstr("shop") + le16(45) +
         cstr("mysql_native_password"), session=3)
    seed("com_change_user_old", b"\x11" + cstr("app") + cstr("secret") + cstr("shop"))
    seed("com_field_list", b"\x04" + cstr("customers") + b"na%")
    seed("com_set_option", b"\x1b\x01\x00")
    seed("com_ping", b"\x0e")
    seed("com_quit", b"\x01")
    seed("com_reset_connection", b"\x1f")
    seed("com_statistics", b"\x09")
    seed("com_stmt_prepare", b"\x16SELECT * FROM customers WHERE id = ? AND name = ?")
    head = b"\x17" + le32(1) + b"\x00" + le32(1)
    # id = ?, name = ?, flag IS ?: LONGLONG 42, VAR_STRING 'bob', NULL (bitmap bit 2).
    seed("com_stmt_execute", head + b"\x04" + b"\x01" + b"\x08\x00\xfd\x00\x06\x00" +
         le64(42) + lstr("bob"), num_params=3)
    # One of each value encoding, none NULL.
    values = (b"\xf9" + le16(65535) + le32(0xFFFFFFF0) + struct.pack("<f", 1.5) +
              struct.pack("<d", -2.25) + b"\x0b" + le16(2024) + b"\x02\x1d\x17\x3b\x3b" +
              le32(999999) + b"\x0c\x01" + le32(3) + b"\x04\x05\x06" + le32(7) + lstr("12.50"))
    seed("com_stmt_execute_all_types", head + b"\x00" + b"\x01" +
         b"\x01\x00\x02\x80\x03\x00\x04\x00\x05\x00\x0c\x00\x0b\x00\xf6\x00" + values,
         num_params=8)
    seed("com_stmt_execute_rebound", head + b"\x00" + b"\x00" + le64(7) + lstr("x"),
         num_params=2, previous=2)
    seed("com_stmt_execute_long_data", head + b"\x00" + b"\x01" + b"\xfc\x00\x03\x00" + le32(5),
         num_params=2, long_data=0x01)
    seed("com_stmt_execute_no_params", head)
    seed("com_stmt_send_long_data", b"\x18" + le32(1) + le16(0) + b"blob data")
    seed("com_stmt_close", b"\x19" + le32(1))
    seed("com_stmt_reset", b"\x1a" + le32(1))
    seed("com_stmt_fetch", b"\x1c" + le32(1) + le32(100))


def column_definition(schema, table, name, charset, length, type_code, flags, decimals,
                      defaults=None):
    body = lstr("def") + lstr(schema) + lstr(table) + lstr(table) + lstr(name) + lstr(name)
    body += b"\x0c" + le16(charset) + le32(length) + bytes([type_code]) + le16(flags)
    body += bytes([decimals]) + b"\0\0"
    if defaults is not None:
        body += lstr(defaults)
    return body


def ok_packet(affected, insert_id, status, warnings, info=b"", session=None, header=0):
    body = bytes([header]) + lenenc(affected) + lenenc(insert_id) + le16(status) + le16(warnings)
    if session is None:
        return body + info
    return body + lstr(info) + lstr(session)


def session_entry(kind, data):
    return bytes([kind]) + lstr(data)


SESSION_BLOCK = (session_entry(0, lstr("autocommit") + lstr("ON")) +
                 session_entry(1, lstr("shop")) + session_entry(2, b"1") +
                 session_entry(3, b"\x00" + lstr("0-1-42")) +
                 session_entry(4, lstr("START TRANSACTION READ ONLY;")) +
                 session_entry(5, lstr("T_______")) + session_entry(9, b"future"))

# capabilities_from bits: 0 PROTOCOL_41, 1 TRANSACTIONS, 2 SESSION_TRACK, 3 DEPRECATE_EOF.
CAPS_41 = 0x03
CAPS_TRACK = 0x07
CAPS_DEPRECATE = 0x0F

COL_ID = column_definition("shop", "customers", "id", 63, 20, 0x08, 0x4203, 0)
COL_NAME = column_definition("shop", "customers", "name", 45, 400, 0xFD, 0, 0)
EOF_41 = b"\xfe\x00\x00\x02\x00"


def mysql_results():
    t = "mysql_results"

    def seed(name, mode, caps, data):
        write(t, name, bytes([mode, caps]) + data)

    seed("ok_simple", 0, CAPS_41, ok_packet(1, 0, 0x0002, 0))
    seed("ok_session_state", 0, CAPS_TRACK, ok_packet(0, 0, 0x4003, 0, b"", SESSION_BLOCK))
    seed("ok_info_text", 0, CAPS_41, ok_packet(3, 0, 0x0002, 1,
                                               b"Rows matched: 3  Changed: 3  Warnings: 1"))
    seed("ok_end_of_rows", 0, CAPS_DEPRECATE, ok_packet(0, 0, 0x0022, 0, b"", None, 0xFE))
    seed("err_with_sqlstate", 1, CAPS_41,
         b"\xff" + le16(1146) + b"#42S02" + b"Table 'shop.nope' doesn't exist")
    seed("err_before_handshake", 1, 0x00, b"\xff" + le16(1130) + b"Host is not allowed")
    seed("eof", 2, CAPS_41, EOF_41)
    seed("session_block", 3, CAPS_TRACK, SESSION_BLOCK)
    seed("column_definition", 4, CAPS_41, COL_ID)
    seed("column_definition_field_list", 4, CAPS_41,
         column_definition("shop", "t", "c", 45, 40, 0xFD, 0, 0, "n/a"))
    seed("column_count", 4, CAPS_41, b"\x02")
    seed("text_row", 5, CAPS_41, b"\x03" + lstr("42") + lstr("bob") + b"\xfb")
    # Binary rows: column count, (type, flags) per column, then the row.
    types = b"\x03" + b"\x08\x00" + b"\xfd\x00" + b"\x0c\x00"
    seed("binary_row", 6, CAPS_41, types + b"\x00\x00" + le64(42) + lstr("bob") +
         b"\x07" + le16(2024) + b"\x02\x1d\x0c\x00\x00")
    seed("binary_row_nulls", 6, CAPS_41, types + b"\x00\x10" + le64(7) + lstr("x"))
    seed("binary_row_floats_time", 6, CAPS_41, b"\x03\x04\x00\x05\x00\x0b\x00" + b"\x00\x00" +
         struct.pack("<f", 0.5) + struct.pack("<d", 1e300) + b"\x0c\x01" + le32(1) +
         b"\x02\x03\x04" + le32(5))
    seed("value_double", 7, CAPS_41, b"\x05\x00" + struct.pack("<d", 3.14159))
    seed("value_datetime", 7, CAPS_41, b"\x0c\x00" + b"\x0b" + le16(2024) + b"\x0c\x1f\x17\x3b\x3b" +
         le32(123456))
    seed("value_time", 7, CAPS_41, b"\x0b\x00" + b"\x08\x00" + le32(1) + b"\x02\x03\x04")
    seed("value_decimal", 7, CAPS_41, b"\xf6\x00" + lstr("-12.345"))
    seed("value_bigint_unsigned", 7, CAPS_41, b"\x08\x80" + le64(0xFFFFFFFFFFFFFFFF))
    seed("prepare_ok", 7, CAPS_41, b"\x08\x00" + b"\x00" + le32(1) + le16(2) + le16(1) + b"\x00" +
         le16(0))

    # Whole responses for the tracker (mode 8): response kind byte, then frames.
    TEXT_QUERY, STMT_EXECUTE, STMT_FETCH, STMT_PREPARE, FIELD_LIST, SIMPLE = 3, 4, 5, 6, 7, 1
    seed("response_text_query", 8, CAPS_41, bytes([TEXT_QUERY]) + packet(1, b"\x02") +
         packet(2, COL_ID) + packet(3, COL_NAME) + packet(4, EOF_41) +
         packet(5, lstr("1") + lstr("alice")) + packet(6, lstr("2") + b"\xfb") +
         packet(7, b"\xfe\x00\x00\x22\x00"))
    seed("response_text_query_deprecate_eof", 8, CAPS_DEPRECATE, bytes([TEXT_QUERY]) +
         packet(1, b"\x01") + packet(2, COL_NAME) + packet(3, lstr("carol")) +
         packet(4, ok_packet(0, 0, 0x0002, 0, b"", None, 0xFE)))
    seed("response_multi_results", 8, CAPS_41, bytes([TEXT_QUERY]) +
         packet(1, ok_packet(1, 5, 0x000A, 0)) + packet(2, b"\x01") + packet(3, COL_ID) +
         packet(4, EOF_41) + packet(5, lstr("9")) + packet(6, EOF_41))
    seed("response_local_infile", 8, CAPS_41, bytes([TEXT_QUERY]) +
         packet(1, b"\xfb/tmp/data.csv") + packet(3, ok_packet(2, 0, 0x0002, 0)))
    seed("response_error_mid_rows", 8, CAPS_41, bytes([TEXT_QUERY]) + packet(1, b"\x01") +
         packet(2, COL_ID) + packet(3, EOF_41) + packet(4, lstr("1")) +
         packet(5, b"\xff" + le16(1317) + b"#70100Query execution was interrupted"))
    seed("response_stmt_execute", 8, CAPS_41, bytes([STMT_EXECUTE]) + packet(1, b"\x02") +
         packet(2, COL_ID) + packet(3, COL_NAME) + packet(4, EOF_41) +
         packet(5, b"\x00\x00" + le64(1) + lstr("alice")) + packet(6, b"\x00\x08" + le64(2)) +
         packet(7, EOF_41))
    seed("response_stmt_fetch", 8, CAPS_41, bytes([STMT_FETCH]) +
         packet(1, b"\x00\x00" + le64(3) + lstr("dave")) + packet(2, b"\xfe\x00\x00\x82\x00"))
    seed("response_stmt_prepare", 8, CAPS_41, bytes([STMT_PREPARE]) +
         packet(1, b"\x00" + le32(1) + le16(1) + le16(2) + b"\x00" + le16(0)) +
         packet(2, COL_ID) + packet(3, COL_NAME) + packet(4, EOF_41) + packet(5, COL_ID) +
         packet(6, EOF_41))
    seed("response_field_list", 8, CAPS_41, bytes([FIELD_LIST]) + packet(1, COL_ID) +
         packet(2, COL_NAME) + packet(3, EOF_41))
    seed("response_simple_session", 8, CAPS_TRACK, bytes([SIMPLE]) +
         packet(1, ok_packet(0, 0, 0x4002, 0, b"", SESSION_BLOCK)))


# --- Shard maps ---------------------------------------------------------------------------


def shard_map():
    folder = os.path.join(SEEDS, "shard_map")
    os.makedirs(folder, exist_ok=True)
    for name in ["hash", "list", "range", "time", "consistent_hash", "vertical"]:
        shutil.copyfile(os.path.join(ROOT, "shardmaps", "examples", name + ".yaml"),
                        os.path.join(folder, name + ".yaml"))
    shutil.copyfile(os.path.join(ROOT, "tests", "unit", "shardmaps", "data", "broken.yaml"),
                    os.path.join(folder, "broken.yaml"))
    write("shard_map", "minimal.yaml", b"format_version: 1\nepoch: 1\ndatabases:\n  db:\n"
          b"    engine: postgresql\n    default_shard: s0\n    shards:\n"
          b"      s0: {primary: 127.0.0.1:5432}\n      s1: {primary: 127.0.0.1:5433}\n"
          b"    tables:\n      t: {scheme: reference}\n"
          b"      customers: {scheme: hash, key: id}\n")
    # Maps missing a required field of their scheme: each must give a diagnostic.
    head = (b"format_version: 1\nepoch: 1\ndatabases:\n  db:\n    engine: postgresql\n"
            b"    default_shard: s0\n    shards:\n      s0: {primary: 127.0.0.1:5432}\n"
            b"    tables:\n")
    write("shard_map", "missing_lists.yaml", head + b"      t: {scheme: list, key: k}\n")
    write("shard_map", "missing_values.yaml", head + b"      t:\n        scheme: list\n"
          b"        key: k\n        lists:\n          - {shard: s0, valeus: [a]}\n")
    write("shard_map", "missing_range_ranges.yaml", head + b"      t: {scheme: range, key: k}\n")
    write("shard_map", "missing_time_ranges.yaml",
          head + b"      t: {scheme: time, key: k, interval: month}\n")
    write("shard_map", "missing_colocated_key.yaml",
          head + b"      t: {scheme: hash, key: id}\n      u: {colocated_with: t}\n")


if __name__ == "__main__":
    pg_startup_auth()
    pg_frontend()
    pg_backend()
    mysql_packets()
    mysql_commands()
    mysql_results()
    shard_map()
