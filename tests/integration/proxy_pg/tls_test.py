"""TLS between clients and shardgate's PostgreSQL proxy: SSLRequest answered 'S' with a
certificate configured (self-signed, made here with openssl), 'N' without one.
Usage: tls_test.py [case ...]"""
import os
import socket
import struct
import subprocess
import tempfile

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


CASES = {
    "tls_configured": tls_configured,
    "tls_not_configured": tls_not_configured,
    "tls_bad_files": tls_bad_files,
}

if __name__ == "__main__":
    run(CASES)
