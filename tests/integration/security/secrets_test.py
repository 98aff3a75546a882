"""Secrets stay out of what shardgate writes. A proxy at log level debug, whose config (left
readable by everyone, as a careless install would) holds distinctive secrets — the admin
token, a proxy user's password — runs logins that succeed and fail on both frontends, admin
requests with a wrong and a right token, a SIGHUP reload and every admin GET endpoint. A
second proxy's backend and monitor passwords are refused by the servers (failed backend
logins and health probes); a third takes MySQL logins whose passwords arrive in clear text
(caching_sha2_password full authentication over TLS). Afterwards neither the logs nor any
answer hold a secret; the log does hold the start-up warning that names (only names) the
plain-text secrets of the readable file.
Usage: secrets_test.py"""
import os
import signal
import subprocess
import sys
import tempfile
import tempfile
import time
import urllib.error
import urllib.request

import psycopg2
import pymysql

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cross_shard"))
import scatter_test as st  # noqa: E402  (both-frontend Proxy)

harness = st.harness
TOKEN = "tok-7f3a9c1e-not-for-logs"
USER_SECRET = "usr-5150-not-for-logs"
WRONG = "wrong-4242-not-for-logs"
BACKEND_SECRET = "bck-6502-not-for-logs"  # the servers refuse it: backend logins fail
MONITOR_SECRET = "mon-8086-not-for-logs"  # the same for the health probes
SECRETS = [TOKEN, USER_SECRET, WRONG, BACKEND_SECRET, MONITOR_SECRET]


class Proxy(st.Proxy):
    def __init__(self, backend_password="app", monitor_password="app", extra=""):
        self.admin_port = harness.free_port()
        # the ghost user logs in to shardgate with its own secret; backend logins use app
        harness.Proxy.__init__(
            self, f"admin_token: {TOKEN}\nlog_level: debug\nbackend_user: app\n"
                  f"backend_password: {backend_password}\nmonitor_user: app\n"
                  f"monitor_password: {monitor_password}\n" + extra,
            admin_listen=f"127.0.0.1:{self.admin_port}",
            extra_users=f"  - {{name: ghost, password: {USER_SECRET}}}\n")


def admin_get(port, path, token):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def cleartext_logins(answers):
    """caching_sha2_password full authentication over TLS: the client sends its password
    itself (the one path where shardgate sees what a client typed). Returns the log."""
    folder = tempfile.mkdtemp(prefix="sg_secrets_tls_")
    cert, key = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=shardgate-test", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    proxy = Proxy(extra=f"tls_cert: {cert}\ntls_key: {key}\n"
                        "mysql_auth_plugin: caching_sha2_password\n")
    try:
        tls = {"ca": cert, "check_hostname": False}
        for attempt in range(3):
            try:
                pymysql.connect(host="127.0.0.1", port=proxy.mysql_port, user="ghost",
                                password=WRONG, ssl=tls, connect_timeout=5).close()
                raise AssertionError("a wrong password must be refused")
            except pymysql.MySQLError as e:
                assert e.args[0] == 1045, e
                answers.append(str(e))
        my = pymysql.connect(host="127.0.0.1", port=proxy.mysql_port, user="ghost",
                             password=USER_SECRET, ssl=tls, connect_timeout=5)
        my.cursor().execute("SELECT 1")
        my.close()
    finally:
        proxy.stop()
    log = proxy.output()
    # the counters at stop: the wrong passwords did come in clear text (over TLS; the right
    # one passed the fast path's scramble check)
    assert "sha2_full_auths=3" in log and "auth_failures=3" in log, log[-2000:]
    return log


def main():
    started = time.time()
    os.umask(0o022)  # configs are written readable by everyone, as a careless install would
    proxy = Proxy()
    try:
        answers = []
        # logins that succeed, on both frontends
        conn = proxy.connect(user="ghost", password=USER_SECRET)
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
        conn.close()
        my = pymysql.connect(host="127.0.0.1", port=proxy.mysql_port, user="ghost",
                             password=USER_SECRET, database="social", connect_timeout=5)
        my.cursor().execute("SELECT 1")
        my.close()
        # and fail
        for attempt in range(3):
            try:
                proxy.connect(user="ghost", password=WRONG).close()
                raise AssertionError("a wrong password must be refused")
            except psycopg2.OperationalError as e:
                answers.append(str(e))
            try:
                pymysql.connect(host="127.0.0.1", port=proxy.mysql_port, user="ghost",
                                password=WRONG, connect_timeout=5).close()
                raise AssertionError("a wrong password must be refused")
            except pymysql.MySQLError as e:
                answers.append(str(e))
        # the admin API: a wrong token, then every GET endpoint with the right one
        status, body = admin_get(proxy.admin_port, "/status", WRONG)
        assert status == 401, status
        answers.append(body)
        for path in ("/status", "/map", "/metrics", "/digests", "/reshard", "/"):
            status, body = admin_get(proxy.admin_port, path, TOKEN)
            assert status in (200, 404), (path, status)
            answers.append(body)
        # a reload (config read again, TLS and token re-applied)
        proxy.process.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        assert proxy.process.poll() is None
    finally:
        proxy.stop()
    log = proxy.output()
    # backend and health-probe logins refused by the servers: errors logged and answered
    refused = Proxy(backend_password=BACKEND_SECRET, monitor_password=MONITOR_SECRET)
    try:
        conn = refused.connect(user="ghost", password=USER_SECRET)
        conn.autocommit = True
        with conn.cursor() as cur:
            try:
                cur.execute("SELECT * FROM customers WHERE id = 1")
                raise AssertionError("a refused backend login must fail the statement")
            except psycopg2.Error as e:
                answers.append(str(e))
        conn.close()
        time.sleep(1.0)  # failing probes are retried and logged meanwhile
    finally:
        refused.stop()
    log += refused.output()
    log += cleartext_logins(answers)
    if os.environ.get("SG_SHOW_LOG"):
        print(log)
    assert "password authentication failed" in log, log[-2000:]
    for secret in SECRETS:
        assert secret not in log, f"{secret} in the log"
        for answer in answers:
            assert secret not in answer, f"{secret} in an answer: {answer[:200]}"
    assert "can be read by every local user" in log and "the password of user ghost" in log \
        and "monitor_password" in log and "admin_token" in log, log[-2000:]
    # the log did see the failed logins (and names the user, never what was typed)
    assert 'password authentication failed for user "ghost"' in log, log[-2000:]
    assert "authentication failed for user 'ghost'" in log, log[-2000:]
    print(f"  {len(log.splitlines())} log lines and {len(answers)} answers, none holding one of "
          f"{len(SECRETS)} secrets; the readable config is named in a warning "
          f"({time.time() - started:.1f} s)")


if __name__ == "__main__":
    main()
