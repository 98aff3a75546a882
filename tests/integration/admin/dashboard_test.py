#!/usr/bin/python3
"""The live dashboard (GET /, POST /session, GET /events) against the real topology.

browser:     headless Chromium (Debian's chromium, driven over its DevTools protocol with
             python3-websocket) opens the page with the token, the event stream connects, the
             topology lists every backend of /status, the statement count on the page grows
             after writes through the proxy; a wrong token is refused on the page; a screenshot
             is kept (build/test-artifacts/dashboard.png).
subscribers: 200 concurrent event-stream subscribers all receive batches; one that stops
             reading is dropped (admin.sse_dropped_slow) while the others go on; the stream
             needs the session cookie or the token and a same-origin/allowed Origin; the
             static files are fixed names (no path traversal).
Usage: dashboard_test.py browser|subscribers"""
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

import websocket

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cross_shard"))
import write_test as wt  # noqa: E402  (proxies with an admin port, token sg-test)

SOURCE = os.environ.get("SHARDGATE_SOURCE_DIR", os.path.abspath(os.path.join(HERE, "../../..")))
ARTIFACTS = os.environ.get("SHARDGATE_ARTIFACTS", os.path.join(SOURCE, "build", "test-artifacts"))


def http(port, path, method="GET", headers=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                     headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


class Browser:
    """Headless Chromium on a free DevTools port; stopped by PID."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="sg_chromium_")
        self.port = wt.harness.free_port()
        self.process = subprocess.Popen(
            ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
             "--disable-dev-shm-usage", "--no-first-run", "--window-size=1280,900",
             f"--remote-debugging-port={self.port}", "--remote-debugging-address=127.0.0.1",
             f"--user-data-dir={self.dir}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        page = None
        while time.time() < deadline and page is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json", timeout=2) as r:
                    pages = [t for t in json.loads(r.read()) if t.get("type") == "page"]
                    page = pages[0] if pages else None
            except OSError:
                time.sleep(0.2)
        assert page, "chromium did not start"
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30,
                                              suppress_origin=True)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                assert "error" not in message, message
                return message["result"]

    def eval(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def wait_for(self, expression, predicate, timeout=15):
        deadline = time.time() + timeout
        value = None
        while time.time() < deadline:
            value = self.eval(expression)
            if predicate(value):
                return value
            time.sleep(0.2)
        raise AssertionError(f"{expression} stayed {value!r}")

    def close(self):
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            shutil.rmtree(self.dir, ignore_errors=True)


def browser():
    wt.setup("pg")
    with wt.Proxy() as proxy:
        chrome = Browser()
        try:
            chrome.call("Page.enable")
            chrome.call("Page.navigate", url=f"http://127.0.0.1:{proxy.admin_port}/#token=wrong")
            chrome.wait_for("document.getElementById('login-error').textContent",
                            lambda v: v == "wrong token")
            chrome.call("Page.navigate", url=f"http://127.0.0.1:{proxy.admin_port}/#token=sg-test")
            chrome.wait_for("document.getElementById('status').textContent", lambda v: v == "live")
            backends = len(json.loads(http(proxy.admin_port, "/status",
                                           headers={"Authorization": "Bearer sg-test"})[2])
                           ["backends"])
            chrome.wait_for("document.querySelectorAll('#topology tbody tr').length",
                            lambda v: v == backends)
            # the token left the address bar
            assert "token" not in chrome.eval("location.href"), chrome.eval("location.href")
            before = int(chrome.wait_for("document.getElementById('total-statements').textContent",
                                         lambda v: v not in (None, "-")))
            conn = proxy.connect()
            conn.autocommit = True
            with conn.cursor() as cur:
                for i in range(25):
                    cur.execute("INSERT INTO sg_writes (id, v) VALUES (%s, 'dash')", (i,))
            conn.close()
            after = int(chrome.wait_for(
                "document.getElementById('total-statements').textContent",
                lambda v: v not in (None, "-") and int(v) >= before + 25))
            rates = chrome.eval("document.querySelectorAll('#rates tbody tr').length")
            assert rates == 4, rates  # pg0, pg1, my0, my1
            chrome.wait_for("document.querySelector('#digests tbody').textContent",
                            lambda v: v and "sg_writes" in v)
            shot = chrome.call("Page.captureScreenshot", format="png")
            os.makedirs(ARTIFACTS, exist_ok=True)
            path = os.path.join(ARTIFACTS, "dashboard.png")
            with open(path, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            with open(path, "rb") as f:
                assert f.read(8) == b"\x89PNG\r\n\x1a\n"
        finally:
            chrome.close()
        print(f"  chromium: wrong token refused on the page; live stream, {backends} backends "
              f"in the topology, statements {before} -> {after} after 25 inserts, the insert "
              f"among the top digests; screenshot {path}")


def subscribe(port, headers, timeout=10, rcvbuf=None):
    """An open event-stream socket after its request was sent."""
    s = socket.socket()
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(timeout)
    s.connect(("127.0.0.1", port))
    lines = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    s.sendall(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{lines}\r\n".encode())
    return s


def subscribers():
    config = "admin_events_interval_ms: 100\nadmin_events_queue_bytes: 64KiB\n"
    with wt.Proxy(extra_config=config) as proxy:
        port = proxy.admin_port
        # the static files are fixed names; nothing else is served from disk
        assert http(port, "/")[0] == 200
        for path in ["/../../etc/passwd", "/dashboard.js/../../etc/passwd", "/%2e%2e/etc/passwd",
                     "/etc/passwd"]:
            code, _, body = http(port, path)
            assert code == 404 and "root:" not in body, (path, code)
        # the stream needs the cookie from POST /session (or the token)
        assert http(port, "/events")[0] == 401
        code, headers, _ = http(port, "/session", method="POST")
        assert code == 401, code
        code, headers, _ = http(port, "/session", method="POST",
                                headers={"Authorization": "Bearer sg-test"})
        assert code == 200, code
        cookie = headers["Set-Cookie"].split(";")[0]
        assert "HttpOnly" in headers["Set-Cookie"] and "SameSite=Strict" in headers["Set-Cookie"]
        code, _, _ = http(port, "/session", method="POST",
                          headers={"Authorization": "Bearer sg-test",
                                   "Origin": "http://evil.example"})
        assert code == 403, code
        s = subscribe(port, {"Cookie": cookie, "Origin": "http://evil.example"})
        assert s.recv(200).startswith(b"HTTP/1.1 403"), "a foreign Origin got the stream"
        s.close()
        # 200 subscribers at once, and one that stops reading
        slow = subscribe(port, {"Cookie": cookie}, rcvbuf=4096)
        got = [0] * 200
        failures = []

        def reader(n):
            try:
                sock = subscribe(port, {"Cookie": cookie}, timeout=20)
                buffer = b""
                deadline = time.time() + 20
                while got[n] < 5 and time.time() < deadline:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    buffer += chunk
                    got[n] = buffer.count(b"event: stats\n")
                sock.close()
            except OSError as e:
                failures.append(repr(e))

        threads = [threading.Thread(target=reader, args=(n,)) for n in range(200)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not failures, failures[:5]
        assert min(got) >= 5, sorted(got)[:10]
        # the slow one is cut once its queue passes 64 KiB; the stream itself carried on
        deadline = time.time() + 60
        dropped = 0
        while time.time() < deadline and dropped == 0:
            status = json.loads(http(port, "/status",
                                     headers={"Authorization": "Bearer sg-test"})[2])
            dropped = status["counters"].get("admin.sse_dropped_slow", 0)
            time.sleep(0.5)
        assert dropped >= 1, status["counters"]
        slow.settimeout(5)
        try:
            while slow.recv(65536):
                pass  # what was in flight, then the end
        except OSError:
            pass
        slow.close()
        opened = status["counters"]["admin.sse_streams_opened"]
        assert opened >= 201, opened
        print(f"  200 subscribers each got >= 5 batches; the one that stopped reading was "
              f"dropped ({dropped}); foreign Origin 403, no cookie 401, no path traversal")


if __name__ == "__main__":
    {"browser": browser, "subscribers": subscribers}[sys.argv[1]]()
    print("ok")
