"""Client certificate authentication (tls_client_ca, users with `auth: cert`) on both
frontends, with real clients (psql, psycopg2, mysql, pymysql): the certificate whose common name
is the user's name logs that user in without a password; another name, no certificate, plain
TCP or a certificate from another CA is refused (PostgreSQL 28000, MySQL 1045, a failed
handshake), and password users still log in without a certificate.
Usage: client_cert_test.py"""
import os
import subprocess
import sys
import tempfile
import time

import psycopg2
import pymysql

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cross_shard"))
import scatter_test as st  # noqa: E402  (both-frontend Proxy)

harness = st.harness


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def make_pki(folder):
    """A CA, the proxy's certificate (127.0.0.1) and client certificates: certuser and
    someone (signed by the CA), certuser again from a CA the proxy does not trust."""
    def ca(name):
        key, pem = os.path.join(folder, f"{name}.key"), os.path.join(folder, f"{name}.pem")
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                f"/CN={name}", "-keyout", key, "-out", pem)
        return pem, key

    def leaf(name, cn, signer, san=None):
        key, csr, pem = (os.path.join(folder, f"{name}.{x}") for x in ("key", "csr", "pem"))
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={cn}", "-keyout", key,
                "-out", csr)
        extra = []
        if san:
            ext = os.path.join(folder, f"{name}.ext")
            with open(ext, "w") as f:
                f.write(f"subjectAltName = {san}\n")
            extra = ["-extfile", ext]
        openssl("x509", "-req", "-in", csr, "-CA", signer[0], "-CAkey", signer[1],
                "-CAcreateserial", "-out", pem, "-days", "2", *extra)
        os.chmod(key, 0o600)  # libpq refuses a key others can read
        return pem, key

    trusted = ca("client-ca")
    rogue = ca("rogue-ca")
    return {"ca": trusted[0],
            "server": leaf("server", "shardgate", trusted, "IP:127.0.0.1"),
            "certuser": leaf("certuser", "certuser", trusted),
            "someone": leaf("someone", "someone", trusted),
            "rogue": leaf("rogue", "certuser", rogue)}


def psql(proxy, pki, user, cert):
    dsn = (f"host=127.0.0.1 port={proxy.port} user={user} dbname=shop sslmode=verify-full "
           f"sslrootcert={pki['ca']} sslcert={cert[0]} sslkey={cert[1]}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    return subprocess.run(["psql", "-X", "-At", "-w", dsn, "-c", "SELECT current_user"],
                          capture_output=True, text=True, env=env, timeout=30)


def pg_refused(proxy, **kw):
    try:
        psycopg2.connect(host="127.0.0.1", port=proxy.port, user="certuser", dbname="shop",
                         connect_timeout=5, **kw).close()
    except psycopg2.OperationalError as e:
        return str(e)
    raise AssertionError(f"certuser must be refused with {kw}")


def my_connect(proxy, pki, cert=None, user="certuser"):
    ssl = {"ca": pki["ca"]}
    if cert:
        ssl.update(cert=cert[0], key=cert[1])
    return pymysql.connect(host="127.0.0.1", port=proxy.mysql_port, user=user, password="",
                           database="social", ssl=ssl, connect_timeout=5)


def main():
    started = time.time()
    folder = tempfile.mkdtemp(prefix="sg_client_cert_")
    pki = make_pki(folder)
    config = (f"tls_cert: {pki['server'][0]}\ntls_key: {pki['server'][1]}\n"
              f"tls_client_ca: {pki['ca']}\nbackend_user: app\nbackend_password: app\n")
    with st.Proxy(extra_config=config, extra_users="  - {name: certuser, auth: cert}\n") as proxy:
        # PostgreSQL: psql with the certificate, no password anywhere; the backend login is app
        out = psql(proxy, pki, "certuser", pki["certuser"])
        assert out.returncode == 0 and out.stdout.strip() == "app", out.stdout + out.stderr
        # another user's certificate, none, plain TCP: 28000 naming the rule
        for kw in ({"sslmode": "require", "sslcert": pki["someone"][0],
                    "sslkey": pki["someone"][1]},
                   {"sslmode": "require"}, {"sslmode": "disable"}):
            text = pg_refused(proxy, **kw)
            assert "certificate authentication failed for user \"certuser\"" in text, (kw, text)
        # a certificate the CA did not sign: the handshake fails
        text = pg_refused(proxy, sslmode="require", sslcert=pki["rogue"][0],
                          sslkey=pki["rogue"][1])
        assert "unknown ca" in text and "certificate authentication failed" not in text, text
        # password users need no certificate
        conn = proxy.connect(sslmode="require")
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
            assert cur.fetchone() == (1,)
        conn.close()

        # MySQL: pymysql and the mysql client with the certificate
        my = my_connect(proxy, pki, pki["certuser"])
        cur = my.cursor()
        cur.execute("SELECT SUBSTRING_INDEX(CURRENT_USER(), '@', 1), 40 + 2")
        assert cur.fetchone() == ("app", 42)
        my.close()
        out = subprocess.run(["mysql", "-h127.0.0.1", f"-P{proxy.mysql_port}", "-ucertuser",
                              f"--ssl-ca={pki['ca']}", f"--ssl-cert={pki['certuser'][0]}",
                              f"--ssl-key={pki['certuser'][1]}", "-N", "-e", "SELECT 7 * 6",
                              "social"], capture_output=True, text=True, timeout=30)
        assert out.returncode == 0 and out.stdout.strip() == "42", out.stdout + out.stderr
        for cert in (pki["someone"], None):
            try:
                my_connect(proxy, pki, cert).close()
                raise AssertionError("certuser must be refused")
            except pymysql.MySQLError as e:
                assert e.args[0] == 1045 and "certificate authentication failed" in e.args[1], e
        try:
            my_connect(proxy, pki, pki["rogue"]).close()
            raise AssertionError("a certificate from another CA must fail the handshake")
        except pymysql.MySQLError as e:
            rogue = str(e)
        assert "UNKNOWN_CA" in rogue.upper().replace(" ", "_"), rogue
        assert proxy.process.poll() is None
    print(f"  certuser logs in by certificate (psql, pymysql, mysql) as backend user app; "
          f"refused with another name, none, plain TCP (28000 / 1045); another CA: {rogue[:80]}"
          f" ({time.time() - started:.1f} s)")


if __name__ == "__main__":
    main()
