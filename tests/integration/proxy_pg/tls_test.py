"""TLS between clients and shardgate's PostgreSQL proxy: SSLRequest answered 'S' with a
certificate configured (self-signed, made here with openssl), 'N' without one.
Usage: tls_test.py [case ...]"""
import os
import signal
import socket
import ssl
import struct
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import psycopg2

from harness import DEMO_MAP, SHARDGATE, Proxy, free_port, run

SSL_REQUEST = struct.pack("!ii", 8, 80877103)


def make_cert():
    folder = tempfile.mkdtemp(prefix="sg_tls_")
    cert, key = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                    "/CN=shardgate-test", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    return cert, key


def psql_conninfo(port, sslmode, rootcert=None):
    env = dict(os.environ, PGPASSWORD="app", PGCONNECT_TIMEOUT="5")
    dsn = f"host=127.0.0.1 port={port} user=app dbname=shop sslmode={sslmode}"
    if rootcert:
        dsn += f" sslrootcert={rootcert}"
    return subprocess.run(["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", dsn, "-c", "\\conninfo",
                           "-c", "SELECT 40 + 2"], capture_output=True, text=True, env=env,
                          timeout=30)


def tls_configured():
    cert, key = make_cert()
    with Proxy(f"tls_cert: {cert}\ntls_key: {key}\n") as proxy:
        conn = proxy.connect(sslmode="require")
        conn.autocommit = True
        assert conn.info.ssl_in_use
        assert conn.info.ssl_attribute("protocol") in ("TLSv1.2", "TLSv1.3")
        with conn.cursor() as cur:
            cur.execute("SELECT 40 + 2")
            assert cur.fetchone() == (42,)
            # a result larger than one TLS record, both ways
            payload = "x" * 100000
            cur.execute("SELECT %s::text, n FROM generate_series(1, 50) n", (payload,))
            rows = cur.fetchall()
            assert len(rows) == 50 and rows[-1] == (payload, 50)
        conn.close()
        # psql, verifying the certificate the proxy serves against the one generated here
        result = psql_conninfo(proxy.port, "verify-ca", cert)
        assert result.returncode == 0, result.stderr
        assert "SSL connection" in result.stdout and result.stdout.strip().endswith("42"), \
            result.stdout
        # plain clients still work on the same port
        plain = proxy.connect(sslmode="disable")
        assert not plain.info.ssl_in_use
        plain.close()
        # bytes after the SSLRequest, before the answer: refused (could be injected)
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as s:
            s.sendall(SSL_REQUEST + b"\0\0\0\x08\x04\xd2\x16\x2f")
            answer = s.recv(4096)
            assert answer[:1] == b"E" and b"unencrypted data after SSL request" in answer, answer


def tls_not_configured():
    with Proxy() as proxy:
        try:
            proxy.connect(sslmode="require")
            raise AssertionError("sslmode=require must fail without TLS configured")
        except psycopg2.OperationalError as e:
            assert "server does not support SSL" in str(e), str(e)
        result = psql_conninfo(proxy.port, "require")
        assert result.returncode != 0 and "does not support SSL" in result.stderr, result
        conn = proxy.connect(sslmode="prefer")  # falls back to plain text
        assert not conn.info.ssl_in_use
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
            assert cur.fetchone() == (1,)
        conn.close()


def tls_bad_files():
    folder = tempfile.mkdtemp(prefix="sg_tls_bad_")
    config = os.path.join(folder, "shardgate.yaml")
    with open(config, "w") as f:
        f.write(f"shard_map: {DEMO_MAP}\n"
                f"postgres_listen: 127.0.0.1:{free_port()}\n"
                f"tls_cert: {folder}/missing.pem\ntls_key: {folder}/missing.key\n")
    result = subprocess.run([SHARDGATE, "--config", config], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 1, result
    assert "tls_cert" in result.stderr and "missing.pem" in result.stderr, result.stderr


def admin_status(port, token):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/status",
                                     headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status
    except urllib.error.HTTPError as e:
        return e.code


def wait_for_log(proxy, text, count):
    deadline = time.time() + 10
    while time.time() < deadline:
        if proxy.output().count(text) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"never logged {text!r} {count} times:\n" + proxy.output())


def tls_rotation():
    """tls_required, tls_min_version 1.3, and SIGHUP replacing the certificate and the admin
    token while clients stay connected."""
    first_cert, first_key = make_cert()
    admin_port = free_port()
    with Proxy(f"tls_cert: {first_cert}\ntls_key: {first_key}\nadmin_token: first-token\n"
               "tls_required: true\ntls_min_version: '1.3'\n",
               admin_listen=f"127.0.0.1:{admin_port}") as proxy:
        # plain text refused with the protocol's error; TLS accepted
        try:
            proxy.connect(sslmode="disable")
            raise AssertionError("a plain-text client must be refused with tls_required")
        except psycopg2.OperationalError as e:
            assert "requires TLS" in str(e), str(e)
        held = proxy.connect(sslmode="require")
        held.autocommit = True
        assert held.info.ssl_attribute("protocol") == "TLSv1.3"
        # a client that offers at most TLS 1.2 fails the handshake
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as raw:
            raw.sendall(SSL_REQUEST)
            assert raw.recv(1) == b"S"
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            context.maximum_version = ssl.TLSVersion.TLSv1_2
            try:
                context.wrap_socket(raw).close()
                raise AssertionError("a TLS 1.2 handshake must fail with tls_min_version 1.3")
            except (ssl.SSLError, ConnectionError):
                pass
        assert psql_conninfo(proxy.port, "verify-ca", first_cert).returncode == 0
        assert admin_status(admin_port, "first-token") == 200
        # new files and a new token in the config, then SIGHUP
        second_cert, second_key = make_cert()
        text = open(proxy.config).read()
        text = text.replace(first_cert, second_cert).replace(first_key, second_key)
        text = text.replace("first-token", "second-token")
        with open(proxy.config, "w") as f:
            f.write(text)
        proxy.process.send_signal(signal.SIGHUP)
        wait_for_log(proxy, "admin token replaced", 1)
        wait_for_log(proxy, f"TLS certificate {second_cert} loaded", 1)
        result = psql_conninfo(proxy.port, "verify-ca", second_cert)
        assert result.returncode == 0, result.stderr
        result = psql_conninfo(proxy.port, "verify-ca", first_cert)
        assert result.returncode != 0 and "certificate verify failed" in result.stderr, result
        assert admin_status(admin_port, "first-token") == 401
        assert admin_status(admin_port, "second-token") == 200
        # the session opened before the rotation goes on with its own TLS session
        with held.cursor() as cur:
            cur.execute("SELECT 40 + 2")
            assert cur.fetchone() == (42,)
        # a reload that cannot load the files keeps the running certificate
        with open(proxy.config, "w") as f:
            f.write(text.replace(second_key, second_key + ".missing"))
        proxy.process.send_signal(signal.SIGHUP)
        wait_for_log(proxy, "TLS certificate not reloaded", 1)
        assert psql_conninfo(proxy.port, "verify-ca", second_cert).returncode == 0
        held.close()
        assert proxy.process.poll() is None


CASES = {
    "tls_configured": tls_configured,
    "tls_not_configured": tls_not_configured,
    "tls_bad_files": tls_bad_files,
    "tls_rotation": tls_rotation,
}

if __name__ == "__main__":
    run(CASES)
