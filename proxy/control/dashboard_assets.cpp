// The live dashboard's static files, served by the admin endpoint at GET /, /dashboard.js and
// /dashboard.css (no build step, nothing from outside: docs/admin.md, "Live dashboard").
#include "shardgate/proxy/dashboard.hpp"

namespace shardgate::proxy {

std::string_view dashboard_html() {
    return R"page(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>shardgate</title>
<link rel="stylesheet" href="/dashboard.css">
<script src="/dashboard.js" defer></script>
</head>
<body>
<header>
  <h1>shardgate</h1>
  <span id="proxy"></span>
  <span>map epoch <b id="epoch">-</b></span>
  <span>statements <b id="total-statements">-</b></span>
  <span id="status" class="down">not connected</span>
</header>
<form id="login" hidden>
  <label>Admin token <input id="token" type="password" autocomplete="off" required></label>
  <button type="submit">Connect</button>
  <span id="login-error"></span>
</form>
<main id="board" hidden>
  <section>
    <h2>Topology</h2>
    <table id="topology"><thead><tr><th>database</th><th>shard</th><th>role</th>
      <th>endpoint</th><th>health</th><th>lag ms</th><th>conns in use</th><th>idle</th>
      </tr></thead><tbody></tbody></table>
  </section>
  <section>
    <h2>Statements per second</h2>
    <table id="rates"><thead><tr><th>database</th><th>shard</th><th>statements/s</th>
      <th></th></tr></thead><tbody></tbody></table>
    <p>Clients: <span id="clients">-</span></p>
  </section>
  <section>
    <h2>Top statements (by total time)</h2>
    <table id="digests"><thead><tr><th>fingerprint</th><th>database</th><th>plan</th>
      <th>count</th><th>errors</th><th>mean ms</th><th>p99 ms</th><th>total ms</th>
      </tr></thead><tbody></tbody></table>
  </section>
  <section>
    <h2>Resharding</h2>
    <table id="reshard"><thead><tr><th>workflow</th><th>database</th><th>tables</th>
      <th>phase</th><th>error</th></tr></thead><tbody></tbody></table>
  </section>
  <p class="foot">updated <span id="updated">-</span></p>
</main>
</body>
</html>
)page";
}

std::string_view dashboard_css() {
    return R"css(body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
header { display: flex; gap: 1.5em; align-items: baseline; padding: .6em 1em; background: #1d2330; color: #fff; }
header h1 { font-size: 1.2em; margin: 0; }
#status.live { color: #6fdc8c; } #status.down { color: #ff8389; }
form, main { padding: 1em; }
section { background: #fff; border: 1px solid #dde1e6; border-radius: 4px; margin-bottom: 1em; padding: .5em 1em; }
h2 { font-size: 1em; margin: .3em 0 .6em; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .2em .6em; border-bottom: 1px solid #eef0f3; white-space: nowrap; }
td.text { white-space: normal; font-family: ui-monospace, monospace; font-size: .9em; }
.up { color: #198038; } .down, .unknown { color: #da1e28; }
.bar { background: #4589ff; height: .8em; display: inline-block; }
.foot { color: #6f7683; }
)css";
}

std::string_view dashboard_js() {
    return R"js("use strict";
// shardgate dashboard: asks for the admin token once (kept in this tab's sessionStorage), trades
// it for a session cookie (POST /session), then follows GET /events (Server-Sent Events).
const $ = (id) => document.getElementById(id);
let source = null;

function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text === null || text === undefined ? "-" : String(text);
  if (cls) td.className = cls;
  return td;
}

function fill(id, rows, draw) {
  const body = $(id).tBodies[0];
  body.replaceChildren();
  for (const r of rows) draw(body.insertRow(), r);
}

async function login(token) {
  const answer = await fetch("/session", { method: "POST", credentials: "same-origin",
                                           headers: { "Authorization": "Bearer " + token } });
  if (!answer.ok) throw new Error(answer.status === 401 ? "wrong token" : "HTTP " + answer.status);
}

function connect() {
  if (source) source.close();
  source = new EventSource("/events", { withCredentials: true });
  source.onopen = () => { $("status").textContent = "live"; $("status").className = "live"; };
  source.onerror = () => {
    $("status").textContent = "reconnecting"; $("status").className = "down";
    if (source.readyState === EventSource.CLOSED) setTimeout(start, 2000);
  };
  source.addEventListener("backends", (e) => {
    const backends = JSON.parse(e.data);
    fill("topology", backends, (row, b) => {
      cell(row, b.database); cell(row, b.shard); cell(row, b.role); cell(row, b.endpoint);
      cell(row, b.health, b.health); cell(row, b.lag_ms);
      cell(row, b.connections_in_use); cell(row, b.connections_idle);
    });
  });
  source.addEventListener("stats", (e) => {
    const s = JSON.parse(e.data);
    $("proxy").textContent = s.proxy_id;
    $("epoch").textContent = s.map_epoch;
    $("total-statements").textContent = s.statements_total;
    $("updated").textContent = new Date(s.time_ms).toLocaleTimeString();
    const top = Math.max(1, ...s.shards.map((x) => x.statements_per_s));
    fill("rates", s.shards, (row, x) => {
      cell(row, x.database); cell(row, x.shard); cell(row, x.statements_per_s.toFixed(1));
      const bar = document.createElement("span");
      bar.className = "bar";
      bar.style.width = Math.round(200 * x.statements_per_s / top) + "px";
      row.insertCell().appendChild(bar);
    });
    const parts = [];
    for (const [plane, states] of Object.entries(s.clients))
      parts.push(plane + ": " + Object.entries(states).filter(([, n]) => n > 0)
                   .map(([state, n]) => n + " " + state).join(", "));
    $("clients").textContent = parts.join("; ") || "none";
  });
  source.addEventListener("digests", (e) => {
    fill("digests", JSON.parse(e.data).digests, (row, d) => {
      cell(row, d.fingerprint, "text"); cell(row, d.database); cell(row, d.plan_kind);
      cell(row, d.count); cell(row, d.errors); cell(row, d.mean_ms.toFixed(3));
      cell(row, d.p99_ms.toFixed(3)); cell(row, d.total_ms.toFixed(1));
    });
  });
  source.addEventListener("reshard", (e) => {
    fill("reshard", JSON.parse(e.data).workflows || [], (row, w) => {
      cell(row, w.name); cell(row, w.database); cell(row, w.table_scope); cell(row, w.phase);
      cell(row, w.error);
    });
  });
}

async function start() {
  const token = sessionStorage.getItem("shardgate-token");
  if (!token) { $("login").hidden = false; $("board").hidden = true; return; }
  try {
    await login(token);
    $("login").hidden = true; $("board").hidden = false;
    connect();
  } catch (err) {
    sessionStorage.removeItem("shardgate-token");
    $("login-error").textContent = err.message;
    $("login").hidden = false;
  }
}

// #token=... in the address (automation) is taken and removed from the address bar
function tokenFromAddress() {
  const m = location.hash.match(/token=([^&]+)/);
  if (!m) return false;
  sessionStorage.setItem("shardgate-token", decodeURIComponent(m[1]));
  history.replaceState(null, "", location.pathname);
  return true;
}

window.addEventListener("hashchange", () => {
  if (tokenFromAddress()) { $("login-error").textContent = ""; start(); }
});

window.addEventListener("DOMContentLoaded", () => {
  tokenFromAddress();
  $("login").addEventListener("submit", (e) => {
    e.preventDefault();
    sessionStorage.setItem("shardgate-token", $("token").value);
    $("login-error").textContent = "";
    start();
  });
  start();
});
)js";
}

} // namespace shardgate::proxy
