"""TLS between MySQL clients and shardgate, and caching_sha2_password full authentication:
CLIENT_SSL offered and an SSLRequest upgraded when a certificate is configured (self-signed,
made here with openssl), refused with an ERR when not; full authentication in clear text over
TLS and with the RSA key exchange without it. Usage: tls_test.py [case ...]"""
import base64
import hashlib
import hmac
import os
import re
import socket
import ssl
import struct
import subprocess
import tempfile

import pymysql

from harness import Proxy, assert_users_placed, clean_users, expect_error, run

CLIENT_SSL = 1 << 11
HERE = os.path.dirname(os.path.abspath(__file__))
CONNECTOR_J = "/usr/share/java/mariadb-java-client.jar"
TEST_KEYS = [880000 + i for i in range(30)] + [1, 42, 31337]


def make_cert(name):
    """A self-signed certificate for 127.0.0.1 (it is its own CA); returns (cert, key)."""
    folder = tempfile.mkdtemp(prefix="sg_my_tls_")
    cert, key = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", f"/CN={name}",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key,
                    "-out", cert], check=True, capture_output=True)
    return cert, key


def scram_verifier(password, iterations=4096):
    """The pg_authid form of a SCRAM-SHA-256 verifier (RFC 7677)."""
    salt = os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    b64 = lambda b: base64.b64encode(b).decode()
    return (f"SCRAM-SHA-256${iterations}:{b64(salt)}$"
            f"{b64(hashlib.sha256(client_key).digest())}:{b64(server_key)}")


def md5_hash(user, password):
    return "md5" + hashlib.md5((password + user).encode()).hexdigest()


# Users stored hashed: only caching_sha2_password full authentication can check them;
# backends are logged into as app.
HASHED_USERS = ("  - {name: hashed, password: '" + scram_verifier("s3cret") + "'}\n"
                "  - {name: md5user, auth: md5, password: " + md5_hash("md5user", "m5pass") + "}\n"
                "backend_user: app\nbackend_password: app\n")


def tls_config(cert, key, extra=""):
    return HASHED_USERS + f"tls_cert: {cert}\ntls_key: {key}\n" + extra


def greeting_capabilities(port):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        hello = read_packet(s)
    pos = hello.index(b"\0", 1) + 1 + 4 + 8 + 1
    lower = struct.unpack("<H", hello[pos:pos + 2])[0]
    upper = struct.unpack("<H", hello[pos + 5:pos + 7])[0]
    return lower | upper << 16


def read_packet(sock):
    def exact(n):
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data
    length = int.from_bytes(exact(4)[:3], "little")
    return exact(length)


def connect(proxy, user="app", password="app", tls_ca=None, **kw):
    ssl_args = {"ssl": {"ca": tls_ca}} if tls_ca else {}
    return pymysql.connect(host="127.0.0.1", port=proxy.port, user=user, password=password,
                           database="social", connect_timeout=5, autocommit=True, **ssl_args, **kw)


def mysql_cli(port, sql, user="app", password="app", extra=()):
    args = ["mysql", "--no-defaults", "-h", "127.0.0.1", "-P", str(port), "-u", user,
            f"-p{password}", "--batch", "--skip-column-names", *extra, "social"]
    return subprocess.run(args + ["-e", sql], capture_output=True, text=True, timeout=30)


def frontend_stats(proxy):
    """The MySQL frontend's counters logged at shutdown (after proxy.stop())."""
    return re.search(r"MySQL frontend stopped; (.*)", proxy.output()).group(1)


def assert_tls(conn):
    assert isinstance(conn._sock, ssl.SSLSocket), type(conn._sock)
    assert conn._sock.cipher() is not None
    assert conn._sock.version() in ("TLSv1.2", "TLSv1.3"), conn._sock.version()


def tls_clients():
    cert, key = make_cert("shardgate-test")
    other_ca, _ = make_cert("someone-else")
    with Proxy(tls_config(cert, key)) as proxy:
        assert greeting_capabilities(proxy.port) & CLIENT_SSL
        conn = connect(proxy, tls_ca=cert)
        assert_tls(conn)
        with conn.cursor() as cur:
            cur.execute("SELECT 40 + 2")
            assert cur.fetchone()[0] == 42
            # values larger than a TLS record (16 kB) both ways
            payload = "x" * 100000
            cur.execute("SELECT %s, LENGTH(%s)", (payload, payload))
            assert cur.fetchone() == (payload, 100000)
            cur.execute("SELECT REPEAT('y', 100000), n FROM (SELECT 1 n UNION ALL SELECT 2 "
                        "UNION ALL SELECT 3) t")
            rows = cur.fetchall()
            assert len(rows) == 3 and all(r[0] == "y" * 100000 for r in rows), len(rows)
        conn.close()
        # the mysql CLI verifying the certificate against this run's CA, and failing
        # against another CA; its status shows the cipher of its own connection
        result = mysql_cli(proxy.port, "SELECT 40 + 2; \\s",
                           extra=["--ssl", f"--ssl-ca={cert}", "--ssl-verify-server-cert"])
        assert result.returncode == 0, result.stderr
        assert result.stdout.split()[0] == "42", result.stdout
        assert "Cipher in use is" in result.stdout, result.stdout
        result = mysql_cli(proxy.port, "SELECT 1",
                           extra=["--ssl", f"--ssl-ca={other_ca}", "--ssl-verify-server-cert"])
        assert result.returncode != 0 and "2026" in result.stderr, result
        # wrong password over TLS (native): 1045, the session before it unaffected
        result = mysql_cli(proxy.port, "SELECT 1", password="wrong",
                           extra=["--ssl", f"--ssl-ca={cert}"])
        assert result.returncode != 0 and "1045" in result.stderr, result
        # a hashed user over TLS: auth switch to caching_sha2_password, full authentication
        conn = connect(proxy, user="hashed", password="s3cret", tls_ca=cert)
        with conn.cursor() as cur:
            cur.execute("SELECT CURRENT_USER()")
            assert cur.fetchone()[0].startswith("app@"), "backend login is backend_user"
        conn.close()
        # plain clients on the same port
        plain = connect(proxy)
        assert not isinstance(plain._sock, ssl.SSLSocket)
        with plain.cursor() as cur:
            cur.execute("SELECT 7")
            assert cur.fetchone()[0] == 7
        plain.close()
        # (this CLI uses TLS whenever the server offers it, unless told --skip-ssl)
        result = mysql_cli(proxy.port, "SELECT 8; \\s", extra=["--skip-ssl"])
        assert result.returncode == 0 and result.stdout.split()[0] == "8", result
        assert re.search(r"SSL:\s+Not in use", result.stdout), result.stdout
        proxy.stop()
        stats = frontend_stats(proxy)
        assert re.search(r"tls_sessions=[1-9]", stats) and "sha2_full_auths=1" in stats, stats


def sha2_full_auth():
    cert, key = make_cert("shardgate-test")
    with Proxy(tls_config(cert, key, "mysql_auth_plugin: caching_sha2_password\n")) as proxy:
        # fast path (plain password known) over TLS and without
        for ca in (cert, None):
            conn = connect(proxy, tls_ca=ca)
            with conn.cursor() as cur:
                cur.execute("SELECT 1")
                assert cur.fetchone()[0] == 1
            conn.close()
        # fast path fails -> full authentication: the password in clear text over TLS
        expect_error(lambda: connect(proxy, password="wrong", tls_ca=cert), 1045,
                     "Access denied for user 'app'")
        expect_error(lambda: connect(proxy, user="nobody", tls_ca=cert), 1045, "Access denied")
        for user, password in (("hashed", "s3cret"), ("md5user", "m5pass")):
            conn = connect(proxy, user=user, password=password, tls_ca=cert)
            assert_tls(conn)
            with conn.cursor() as cur:
                cur.execute("SELECT 5")
                assert cur.fetchone()[0] == 5
            conn.close()
            expect_error(lambda: connect(proxy, user=user, password="bad", tls_ca=cert), 1045,
                         f"Access denied for user '{user}'")
        # without TLS: the RSA key exchange (public key requested, password RSA-OAEP encrypted)
        for user, password in (("hashed", "s3cret"), ("md5user", "m5pass")):
            conn = connect(proxy, user=user, password=password)
            assert not isinstance(conn._sock, ssl.SSLSocket)
            with conn.cursor() as cur:
                cur.execute("SELECT 6")
                assert cur.fetchone()[0] == 6
            conn.close()
        expect_error(lambda: connect(proxy, password="wrong"), 1045, "Access denied")
        expect_error(lambda: connect(proxy, user="hashed", password="bad"), 1045, "Access denied")
        # the mysql CLI (libmariadb's caching_sha2_password plugin), full authentication
        sha2 = ["--ssl", f"--ssl-ca={cert}", "--default-auth=caching_sha2_password"]
        result = mysql_cli(proxy.port, "SELECT 'in'", user="hashed", password="s3cret",
                           extra=sha2)
        assert result.returncode == 0 and result.stdout.strip() == "in", result
        result = mysql_cli(proxy.port, "SELECT 1", user="hashed", password="nope", extra=sha2)
        assert result.returncode != 0 and "1045" in result.stderr, result
        result = mysql_cli(proxy.port, "SELECT 'rsa'", user="hashed", password="s3cret",
                           extra=["--skip-ssl"])
        assert result.returncode == 0 and result.stdout.strip() == "rsa", result
        result = mysql_cli(proxy.port, "SELECT 1", user="hashed", password="nope",
                           extra=["--skip-ssl"])
        assert result.returncode != 0 and "1045" in result.stderr, result
        proxy.stop()
        stats = frontend_stats(proxy)
        assert re.search(r"sha2_full_auths=[1-9]", stats), stats
        assert re.search(r"sha2_public_key_requests=[1-9]", stats), stats


def tls_not_configured():
    cert, _ = make_cert("shardgate-test")
    with Proxy() as proxy:
        assert not greeting_capabilities(proxy.port) & CLIENT_SSL
        # an SSLRequest anyway (raw): a clear ERR, not a hang or a crash
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as s:
            read_packet(s)
            caps = 0x0200 | 0x8000 | CLIENT_SSL | 0x80000  # PROTOCOL_41 SECURE PLUGIN_AUTH
            request = struct.pack("<IIB23x", caps, 1 << 24, 45)
            s.sendall(len(request).to_bytes(3, "little") + b"\x01" + request)
            err = read_packet(s)
            assert err[0] == 0xFF and struct.unpack("<H", err[1:3])[0] == 1045, err
            assert b"TLS is not configured" in err, err
        # the CLI insisting on a verified TLS connection refuses by itself (the server does
        # not offer it; with --ssl alone it falls back to plain text)
        result = mysql_cli(proxy.port, "SELECT 1",
                           extra=["--ssl", f"--ssl-ca={cert}", "--ssl-verify-server-cert"])
        assert result.returncode != 0 and "2026" in result.stderr, result
        # plain clients work
        result = mysql_cli(proxy.port, "SELECT 40 + 2")
        assert result.returncode == 0 and result.stdout.strip() == "42", result
        conn = connect(proxy)
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
            assert cur.fetchone()[0] == 1
        conn.close()
        proxy.stop()
        stats = frontend_stats(proxy)
        assert "tls_refused=1" in stats and "tls_sessions" not in stats, stats


def tls_placement():
    cert, key = make_cert("shardgate-test")
    clean_users(TEST_KEYS)
    with Proxy(tls_config(cert, key)) as proxy:
        conn = connect(proxy, tls_ca=cert)
        assert_tls(conn)
        with conn.cursor() as cur:
            for key_ in TEST_KEYS:
                cur.execute("INSERT INTO users (id, name) VALUES (%s, %s)", (key_, f"t{key_}"))
            for key_ in TEST_KEYS:
                cur.execute("SELECT name FROM users WHERE id = %s /* shardgate: primary */",
                            (key_,))
                assert cur.fetchone()[0] == f"t{key_}"
        conn.close()
    assert_users_placed(TEST_KEYS)
    clean_users(TEST_KEYS)


def tls_required():
    """tls_required: plain-text logins get ERR 3159, TLS logins work on the same port."""
    cert, key = make_cert("shardgate-test")
    with Proxy(tls_config(cert, key, "tls_required: true\n")) as proxy:
        result = mysql_cli(proxy.port, "SELECT 1", extra=["--skip-ssl"])
        assert result.returncode != 0 and "3159" in result.stderr, result
        assert "insecure transport" in result.stderr, result.stderr
        try:
            connect(proxy).close()
            raise AssertionError("a plain-text pymysql login must be refused")
        except pymysql.err.OperationalError as e:
            assert e.args[0] == 3159, e
        conn = connect(proxy, tls_ca=cert)
        assert_tls(conn)
        with conn.cursor() as cur:
            cur.execute("SELECT 40 + 2")
            assert cur.fetchone()[0] == 42
        conn.close()
        result = mysql_cli(proxy.port, "SELECT 43", extra=["--ssl", f"--ssl-ca={cert}"])
        assert result.returncode == 0 and result.stdout.split()[0] == "43", result
        proxy.stop()
        stats = frontend_stats(proxy)
        assert "plaintext_refused=2" in stats, stats


def connector_j():
    cert, key = make_cert("shardgate-test")
    other_ca, _ = make_cert("someone-else")
    with Proxy(tls_config(cert, key)) as proxy:
        result = subprocess.run(["java", "-cp", CONNECTOR_J,
                                 os.path.join(HERE, "ConnectorJTlsCheck.java"), str(proxy.port),
                                 cert, other_ca], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        proxy.stop()
        stats = frontend_stats(proxy)
        assert re.search(r"tls_sessions=[1-9]", stats), stats
        assert re.search(r"sha2_full_auths=[1-9]", stats), stats


if __name__ == "__main__":
    run({"tls_clients": tls_clients, "sha2_full_auth": sha2_full_auth,
         "tls_not_configured": tls_not_configured, "tls_placement": tls_placement,
         "connector_j": connector_j, "tls_required": tls_required})
