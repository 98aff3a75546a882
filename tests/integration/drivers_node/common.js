'use strict';
// Shared helpers of the Node check programs: the JSON config from stdin, test keys per shard,
// failures, and the rows the Python runner checks on every server directly.

const fs = require('fs');

function readConfig() {
  return JSON.parse(fs.readFileSync(0, 'utf8'));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class Report {
  constructor(cfg) {
    this.cfg = cfg;
    this.failures = [];
    this.rows = []; // {what, table, key, name, present}
    this.info = {};
    this.next = {};
    for (const shard of Object.keys(cfg.keys)) this.next[shard] = 0;
  }

  shards() {
    return Object.keys(this.cfg.keys).sort();
  }

  // The next unused test key owned by `shard` (as `shardctl locate` says).
  take(shard) {
    const list = this.cfg.keys[shard];
    if (this.next[shard] >= list.length) throw new Error(`out of test keys for ${shard}`);
    return list[this.next[shard]++];
  }

  fail(what, detail) {
    const line = `${what}: ${detail}`;
    this.failures.push(line);
    console.log(`FAIL ${line}`);
  }

  ok(what) {
    console.log(`ok   ${what}`);
  }

  row(what, table, key, name, present) {
    this.rows.push({what, table, key, name, present});
  }

  // Runs fn; a thrown error becomes a failure naming `what`. Returns [ok, value].
  async attempt(what, fn) {
    try {
      return [true, await fn()];
    } catch (e) {
      this.fail(what, describeError(e));
      return [false, undefined];
    }
  }

  finish() {
    console.log('RESULT ' + JSON.stringify({failures: this.failures, rows: this.rows,
                                           info: this.info}));
    process.exitCode = this.failures.length ? 1 : 0;
  }
}

function describeError(e) {
  if (!e) return String(e);
  const parts = [];
  if (e.code !== undefined) parts.push(`code ${e.code}`);
  if (e.errno !== undefined) parts.push(`errno ${e.errno}`);
  if (e.sqlState !== undefined) parts.push(`sqlstate ${e.sqlState}`);
  parts.push(JSON.stringify(e.message || String(e)));
  return parts.join(' ');
}

// Polls `read` (an async function returning a value or undefined) until `accept(value)` or the
// deadline; returns the last value. Reads through the proxy may go to a replica that is a few
// milliseconds behind: placement cases allow for that, read-your-writes cases do not poll.
async function poll(read, accept, ms = 3000) {
  const deadline = Date.now() + ms;
  let value;
  for (;;) {
    value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await sleep(50);
  }
}

async function main(cases) {
  const name = process.argv[2];
  const fn = cases[name];
  if (!fn) {
    console.error(`unknown case ${name}; known: ${Object.keys(cases).join(', ')}`);
    process.exit(2);
  }
  const report = new Report(readConfig());
  try {
    await fn(report, report.cfg);
  } catch (e) {
    report.fail(`${name} aborted`, describeError(e) + '\n' + (e && e.stack));
  }
  report.finish();
}

module.exports = {Report, describeError, main, poll, readConfig, sleep};
