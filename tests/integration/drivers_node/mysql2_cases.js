'use strict';
// Driver work with mysql2 (unmodified) against shardgate's MySQL frontend.
// Usage: node mysql2_cases.js CASE < config.json   (config: port, primaries, replicas, keys)
// `query()` formats placeholders client-side (text protocol, backslash escapes); `execute()`
// prepares lazily (COM_STMT_PREPARE, then COM_STMT_EXECUTE) and caches the statement per
// connection. Prints ok/FAIL lines and last `RESULT {failures, rows, info}`; node_test.py
// checks the rows on every server directly.

const mysql = require('mysql2/promise');
const {describeError, main, poll, sleep} = require('./common');

function connect(port, extra = {}) {
  return mysql.createConnection({host: '127.0.0.1', port, user: 'app', password: 'app',
                                 database: 'social', connectTimeout: 5000, ...extra});
}

// mode 'query': text protocol, client-side escaping; 'execute': server-side prepared.
function run(c, mode, sql, params) {
  return mode === 'execute' ? c.execute(sql, params) : c.query(sql, params);
}

const MODES = ['query', 'execute'];
const kn = (k, n) => [k, n];
const nk = (k, n) => [n, k];

// --- 1. placement with every spelling ---------------------------------------------------------
// Table names are case-sensitive in MariaDB on Linux: only column names, backticks and the
// schema qualifier vary here; a differently-cased table name must be the server's error.

const INSERTS = [
  ['lower', 'INSERT INTO users (id, name) VALUES (?, ?)', kn],
  ['Mixed columns', 'INSERT INTO users (Id, NAME) VALUES (?, ?)', kn],
  ['UPPER key column', 'INSERT INTO users (ID, Name) VALUES (?, ?)', kn],
  ['backticks', 'INSERT INTO `users` (`id`, `name`) VALUES (?, ?)', kn],
  ['backticks, Mixed columns', 'INSERT INTO `users` (`ID`, `Name`) VALUES (?, ?)', kn],
  ['schema-qualified', 'INSERT INTO social.users (Id, name) VALUES (?, ?)', kn],
  ['schema-qualified backticks', 'INSERT INTO `social`.`users` (`iD`, `name`) VALUES (?, ?)', kn],
  ['INSERT ... SET', 'INSERT INTO users SET ID = ?, name = ?', kn],
  ['columns reversed', 'INSERT INTO users (NAME, Id) VALUES (?, ?)', nk],
  ['REPLACE', 'REPLACE INTO `users` (`Id`, name) VALUES (?, ?)', kn],
];

const UPDATES = [
  ['alias AS', 'UPDATE users AS u SET u.name = ? WHERE u.ID = ?', nk],
  ['backticked alias', 'UPDATE `users` `u` SET `u`.`Name` = ? WHERE `u`.`Id` = ?', nk],
  ['schema alias', 'UPDATE social.users u SET name = ? WHERE u.id = ?', nk],
  ['UPPER columns', 'UPDATE users SET NAME = ? WHERE ID = ?', nk],
];

// MariaDB 10.11 takes a table alias in DELETE only in the multi-table form.
const DELETES = [
  ['alias AS', 'DELETE u FROM users AS u WHERE u.ID = ?'],
  ['schema backticked alias', 'DELETE `u` FROM `social`.`users` `u` WHERE `u`.`Id` = ?'],
  ['Mixed key', 'DELETE FROM users WHERE Id = ?'],
  ['schema backticks', 'DELETE FROM `social`.`users` WHERE `ID` = ?'],
];

const SELECTS = [
  ['UPPER key', 'SELECT name FROM users WHERE ID = ?'],
  ['backticked alias', 'SELECT u.Name FROM `users` AS u WHERE u.`Id` = ?'],
  ['schema-qualified', 'SELECT NAME FROM social.users WHERE iD = ?'],
];

const WRONG_TABLES = [
  ['USERS', 'INSERT INTO USERS (id, name) VALUES (?, ?)'],
  ['Users', 'INSERT INTO Users (id, name) VALUES (?, ?)'],
  ['`Users`', 'INSERT INTO `Users` (`id`, `name`) VALUES (?, ?)'],
  ['social.USERS', 'INSERT INTO social.USERS (id, name) VALUES (?, ?)'],
  // another (missing) database: any error will do (the proxy may refuse it itself), no row
  ['SOCIAL.users', 'INSERT INTO SOCIAL.users (id, name) VALUES (?, ?)', 'any'],
];

async function expectAffected(r, what, promise, want) {
  const [ok, res] = await r.attempt(what, () => promise);
  if (!ok) return false;
  const affected = res[0].affectedRows;
  if (affected !== want) {
    r.fail(what, `affectedRows ${affected}, expected ${want}`);
    return false;
  }
  r.ok(what);
  return true;
}

async function placement(r) {
  const c = await connect(r.cfg.port);
  const present = [];
  for (const mode of MODES) {
    for (const shard of r.shards()) {
      for (const [label, sql, args] of INSERTS) {
        const key = r.take(shard);
        const name = `insert ${label} ${mode}`;
        const what = `users INSERT ${label} (${mode}) key ${key} owned by ${shard}`;
        await expectAffected(r, what, run(c, mode, sql, args(key, name)), 1);
        r.row(what, 'users', key, name, true);
        present.push({key, name, shard});
      }
      for (const [label, sql, args] of UPDATES) {
        const key = r.take(shard);
        const what = `users UPDATE ${label} (${mode}) key ${key} owned by ${shard}`;
        await expectAffected(r, `${what}: setup insert`,
                             run(c, 'query', INSERTS[0][1], [key, 'before update']), 1);
        const name = `update ${label} ${mode}`;
        await expectAffected(r, what, run(c, mode, sql, args(key, name)), 1);
        r.row(what, 'users', key, name, true);
      }
      for (const [label, sql] of DELETES) {
        const key = r.take(shard);
        const what = `users DELETE ${label} (${mode}) key ${key} owned by ${shard}`;
        await expectAffected(r, `${what}: setup insert`,
                             run(c, 'query', INSERTS[0][1], [key, 'before delete']), 1);
        await expectAffected(r, what, run(c, mode, sql, [key]), 1);
        r.row(what, 'users', key, null, false);
      }
    }
  }
  for (const mode of MODES) {
    for (const [label, sql] of SELECTS) {
      for (const shard of r.shards()) {
        const row = present.find((p) => p.shard === shard);
        const what = `users SELECT ${label} (${mode}) key ${row.key} owned by ${shard}`;
        const [ok, res] = await r.attempt(what, () => poll(
            () => run(c, mode, sql, [row.key]),
            (res) => res[0].length === 1 && Object.values(res[0][0])[0] === row.name));
        if (!ok) continue;
        const names = res[0].map((x) => Object.values(x)[0]);
        if (names.length !== 1 || names[0] !== row.name) {
          r.fail(what, `read ${JSON.stringify(names)}, expected ${JSON.stringify([row.name])}`);
        } else {
          r.ok(what);
        }
      }
    }
  }
  for (const mode of MODES) {
    for (const [label, sql, errors] of WRONG_TABLES) {
      for (const shard of r.shards()) {
        const key = r.take(shard);
        const what = `INSERT INTO ${label} (${mode}) key ${key}`;
        try {
          await run(c, mode, sql, [key, `wrong table ${label}`]);
          r.fail(what, 'succeeded; expected the server\'s error 1146 (no such table)');
        } catch (e) {
          if (errors !== 'any' && e.errno !== 1146) {
            r.fail(what, `expected errno 1146, got ${describeError(e)}`);
          } else {
            r.ok(`${what}: ${e.errno} ${e.message}`);
          }
        }
        r.row(what, 'users', key, null, false);
      }
    }
  }
  await c.end();
}

// --- 2. transactions never touch a replica --------------------------------------------------------

const INSERT = 'INSERT INTO users (id, name) VALUES (?, ?)';
const SELECT = 'SELECT name FROM users WHERE id = ?';

// step: [kind, sql?, check?]; kind 'begin'|'commit'|'rollback' use the driver's methods,
// 'q' is query() (text), 'x' is execute() (prepared); INSERT/SELECT take the scenario's key.
const TX_SCENARIOS = [
  ['beginTransaction + execute INSERT + commit', true,
   [['begin'], ['x', INSERT], ['commit']]],
  ['START TRANSACTION READ WRITE + execute INSERT + COMMIT', true,
   [['q', 'START TRANSACTION READ WRITE'], ['x', INSERT], ['q', 'COMMIT']]],
  ['START TRANSACTION WITH CONSISTENT SNAPSHOT + execute INSERT + COMMIT', true,
   [['q', 'START TRANSACTION WITH CONSISTENT SNAPSHOT'], ['x', INSERT], ['q', 'COMMIT']]],
  ['SET autocommit=0 + execute INSERT + COMMIT', true,
   [['q', 'SET autocommit=0'], ['x', INSERT], ['q', 'COMMIT'], ['q', 'SET autocommit=1']]],
  ['beginTransaction + execute SELECT + execute INSERT + commit', true,
   [['begin'], ['x', SELECT, 'absent'], ['x', INSERT], ['x', SELECT, 'present'], ['commit']]],
  ['BEGIN + query SELECT + query INSERT + COMMIT (text)', true,
   [['q', 'BEGIN'], ['q', SELECT, 'absent'], ['q', INSERT], ['q', 'COMMIT']]],
  ['execute SELECT outside, then beginTransaction + cached SELECT + execute INSERT', true,
   [['x', SELECT, 'absent'], ['begin'], ['x', SELECT, 'absent'], ['x', INSERT], ['commit']]],
  ['SET autocommit=0 + execute SELECT + execute INSERT + COMMIT', true,
   [['q', 'SET autocommit=0'], ['x', SELECT, 'absent'], ['x', INSERT], ['q', 'COMMIT'],
    ['q', 'SET autocommit=1']]],
  ['beginTransaction + execute INSERT + rollback', false,
   [['begin'], ['x', INSERT], ['x', SELECT, 'present'], ['rollback']]],
  ['SET autocommit=0 + execute INSERT + ROLLBACK', false,
   [['q', 'SET autocommit=0'], ['x', INSERT], ['q', 'ROLLBACK'], ['q', 'SET autocommit=1']]],
];

async function transactions(r) {
  for (const shard of r.shards()) {
    for (const [label, commits, steps] of TX_SCENARIOS) {
      const key = r.take(shard);
      const name = `tx ${label}`.slice(0, 90);
      const what = `${label} key ${key} owned by ${shard}`;
      const c = await connect(r.cfg.port);
      let ok = true;
      for (const [kind, sql, check] of steps) {
        const params = sql === INSERT ? [key, name] : sql === SELECT ? [key] : undefined;
        const stepName = `${what}: ${kind} ${sql || ''}`.trim();
        const [good, res] = await r.attempt(stepName, () => {
          if (kind === 'begin') return c.beginTransaction();
          if (kind === 'commit') return c.commit();
          if (kind === 'rollback') return c.rollback();
          return kind === 'x' ? c.execute(sql, params) : c.query(sql, params);
        });
        if (!good) {
          ok = false;
          break;
        }
        if (check) {
          const rows = res[0];
          const want = check === 'present' ? [{name}] : [];
          if (JSON.stringify(rows) !== JSON.stringify(want)) {
            r.fail(stepName, `read ${JSON.stringify(rows)}, expected ${JSON.stringify(want)}`);
            ok = false;
          }
        }
      }
      if (!ok) await c.query('ROLLBACK').catch(() => {});
      else r.ok(what);
      r.row(what, 'users', key, name, commits && ok);
      await c.end();
    }
  }
}

// --- 4. escapes ------------------------------------------------------------------------------

const VALUES = [
  ['apostrophe', "O'Brien"],
  ['backslash path', 'C:\\path\\to\\file'],
  ['newline', 'line\nbreak'],
  ['backslash n', 'literal \\n not a newline'],
  ['double quote', 'quote"double'],
  ['tab', 'tab\tstop'],
  ['NUL byte', 'nul\u0000byte'],
  ['emoji', 'emoji \u{1F600} \u{1F1E9}\u{1F1EA}'],
  ['trailing backslash', 'trailing backslash\\'],
  ['backslash apostrophe', "it\\'s"],
  ['comment and semicolon', "semi;colon -- dash /* star */ # hash"],
  ['CR LF ctrl-Z', 'cr\r\nlf \u001a ctrl-z'],
  ['injection-looking', "' OR '1'='1"],
  ['placeholders in value', '?? question ? marks :name $1'],
  ['backticks', '`users` `id`'],
];

async function escapes(r) {
  const c = await connect(r.cfg.port);
  const direct = {};
  for (const shard of r.shards()) direct[shard] = await connect(r.cfg.primaries[shard]);
  for (const [label, value] of VALUES) {
    for (const shard of r.shards()) {
      // a) INSERT with the value in VALUES
      let key = r.take(shard);
      let what = `${label} inserted, key ${key} owned by ${shard}`;
      await expectAffected(r, `${what}: query INSERT`, c.query(INSERT, [key, value]), 1);
      r.row(what, 'users', key, value, true);
      await checkValue(r, what, c, direct[shard], key, value);
      // b) UPDATE with the value in SET and in WHERE
      key = r.take(shard);
      what = `${label} updated, key ${key} owned by ${shard}`;
      await expectAffected(r, `${what}: query INSERT`, c.query(INSERT, [key, 'placeholder']), 1);
      await expectAffected(r, `${what}: query UPDATE SET name = value`,
                           c.query('UPDATE users SET name = ? WHERE id = ? AND name = ?',
                                   [value, key, 'placeholder']), 1);
      await expectAffected(r, `${what}: query UPDATE ... WHERE name = value`,
                           c.query('UPDATE users SET name = ? WHERE id = ? AND name = ?',
                                   [value, key, value]), 1);
      r.row(what, 'users', key, value, true);
      await checkValue(r, what, c, direct[shard], key, value);
    }
  }
  for (const d of Object.values(direct)) await d.end();
  await c.end();
}

async function checkValue(r, what, c, direct, key, value) {
  const reads = [
    ['query read back', () => c.query(SELECT, [key])],
    ['execute read back', () => c.execute(SELECT, [key])],
    ['query WHERE name = value', () => c.query('SELECT name FROM users WHERE id = ? AND name = ?',
                                               [key, value])],
    ['direct on the owner primary', () => direct.query(SELECT, [key])],
  ];
  for (const [label, read] of reads) {
    // Polls until the expected value: a replica may not have applied the write yet (read-your-
    // writes has its own cases); a value mangled by escaping never turns up.
    const [ok, res] = await r.attempt(`${what}: ${label}`, () => poll(
        read, (res) => res[0].length === 1 && res[0][0].name === value));
    if (!ok) continue;
    const got = res[0].map((x) => x.name);
    if (got.length !== 1 || got[0] !== value) {
      r.fail(`${what}: ${label}`, `got ${JSON.stringify(got)}, expected ${JSON.stringify([value])}`);
    } else {
      r.ok(`${what}: ${label}`);
    }
  }
}

// --- 3. read-your-writes -------------------------------------------------------------------

async function readYourWrites(r, cfg) {
  const pool = mysql.createPool({host: '127.0.0.1', port: cfg.port, user: 'app', password: 'app',
                                 database: 'social', connectionLimit: 2, connectTimeout: 5000});
  const a = await pool.getConnection();
  const b = await pool.getConnection();
  const replicas = {};
  for (const shard of r.shards()) replicas[shard] = await connect(cfg.replicas[shard]);
  const stats = {iterations: 0, same_missed: 0, other_missed: 0, replica_stale: 0};
  const deadline = Date.now() + cfg.duration_ms;
  for (let i = 0; Date.now() < deadline; i++) {
    const shard = r.shards()[i % 2];
    let key;
    try {
      key = r.take(shard);
    } catch (e) {
      break;
    }
    const name = `ryw ${i}`;
    const inTx = Math.floor(i / 2) % 2 === 1;
    const mode = Math.floor(i / 4) % 2 === 1 ? 'execute' : 'query';
    const what = `key ${key} owned by ${shard} written ${inTx ? 'in a transaction' : 'autocommit'}` +
                 ` (${mode})`;
    const [wrote] = await r.attempt(`${what}: write`, async () => {
      if (inTx) await a.beginTransaction();
      await run(a, mode, INSERT, [key, name]);
      if (inTx) await a.commit();
    });
    r.row(what, 'users', key, name, wrote);
    if (!wrote) continue;
    stats.iterations++;
    const [okSame, same] = await r.attempt(`${what}: read on the same connection`,
                                           () => run(a, mode, SELECT, [key]));
    const [okOther, other] = await r.attempt(`${what}: read on a second pooled connection`,
                                             () => run(b, mode, SELECT, [key]));
    const [onReplica] = await replicas[shard].query(SELECT, [key]);
    if (onReplica.length === 0) stats.replica_stale++;
    if (okSame && JSON.stringify(same[0]) !== JSON.stringify([{name}])) {
      stats.same_missed++;
      r.fail(`${what}: read on the same connection right after the write`,
             `got ${JSON.stringify(same[0])} (replica has it: ${onReplica.length > 0})`);
    }
    if (okOther && JSON.stringify(other[0]) !== JSON.stringify([{name}])) {
      stats.other_missed++;
      if (cfg.proxy_mode) {
        r.fail(`${what}: read on a second pooled connection after the commit ` +
               '(read_your_writes: proxy)',
               `got ${JSON.stringify(other[0])} (replica has it: ${onReplica.length > 0})`);
      }
    }
    await sleep(60);
  }
  r.info.read_your_writes = stats;
  console.log(`read-your-writes: ${JSON.stringify(stats)} (replica_stale: iterations where the ` +
              'owner replica still lacked the row after both reads)');
  if (stats.iterations === 0) r.fail('read-your-writes', 'no iteration ran');
  a.release();
  b.release();
  await pool.end();
  for (const c of Object.values(replicas)) await c.end();
}

// --- 5. FOUND_ROWS() under transaction pooling ----------------------------------------------
// 6 connections share 2 pooled backend connections per shard. Each reads a page of 1 row
// with SQL_CALC_FOUND_ROWS (prepared: execute()) over its own number of keys, then asks
// `SELECT FOUND_ROWS()`, prepared and as text in turn: it must get its own count every time
// (shardgate reads the count back before the connection goes back to the pool and answers).

async function foundRows(r) {
  const c = await connect(r.cfg.port);
  const keys = {};
  for (const shard of r.shards()) {
    keys[shard] = [];
    for (let i = 0; i < 6; i++) {
      const key = r.take(shard);
      keys[shard].push(key);
      const what = `found_rows row, key ${key} owned by ${shard}`;
      await expectAffected(r, what, c.query(INSERT, [key, `fr-${key}`]), 1);
      r.row(what, 'users', key, `fr-${key}`, true);
    }
  }
  const PAGE = 'SELECT SQL_CALC_FOUND_ROWS name FROM users WHERE id IN (?, ?, ?, ?, ?, ?) ' +
               'ORDER BY id LIMIT 1';
  const params = (shard, n) => keys[shard].map((k, i) => (i < n ? k : keys[shard][0]));
  // Reads go to replicas: wait until every page is complete there.
  for (const shard of r.shards()) {
    await poll(async () => {
      const [rows] = await c.query('SELECT count(*) AS n FROM users WHERE id IN (?)',
                                   [keys[shard]]);
      return Number(rows[0].n);
    }, (n) => n === 6, 10000);
  }
  const stats = {right: 0, wrong: 0, failed: 0};
  const clients = [];
  for (let n = 1; n <= 6; n++) clients.push(await connect(r.cfg.port));
  await Promise.all(clients.map(async (client, i) => {
    const n = i + 1;
    for (let round = 0; round < 20; round++) {
      const shard = r.shards()[round % r.shards().length];
      const how = round % 4 < 2 ? 'execute' : 'query';
      const what = `FOUND_ROWS() after a prepared page of ${n} rows on ${shard} (${how})`;
      const [ok] = await r.attempt(what, () => client.execute(PAGE, params(shard, n)));
      const [okCount, counted] = ok
        ? await r.attempt(what, () => run(client, how, 'SELECT FOUND_ROWS() AS n'))
        : [false];
      if (!okCount) {
        stats.failed++;
      } else if (Number(counted[0][0].n) !== n) {
        stats.wrong++;
        r.fail(what, `got ${JSON.stringify(counted[0])}, want ${n}`);
      } else {
        stats.right++;
      }
    }
  }));
  r.info.found_rows = stats;
  console.log(`found_rows: ${JSON.stringify(stats)}`);
  if (stats.right !== 120) r.fail('found_rows', `${stats.right} of 120 counts right`);
  for (const client of clients) await client.end();
  await c.end();
}

// --- time keys outside UTC sessions ------------------------------------------------------------
// sg_mevents is placed by `at` (TIMESTAMP; 2025 on my0, 2026 on my1). At time_zone +09:00 the
// server reads '2026-01-01 05:00:00' as 2025-12-31 20:00 UTC: refused (1235), in both protocols.
async function timeZoneKeys(r) {
  const c = await connect(r.cfg.port);
  const insert = 'INSERT INTO sg_mevents (at, name) VALUES (?, ?)';
  await c.query("SET time_zone = '+09:00'");
  for (const mode of MODES) {
    const what = `${mode}: INSERT of a time key at time_zone +09:00`;
    try {
      await run(c, mode, insert, ['2026-01-01 05:00:00', `m2-${mode}`]);
      r.fail(what, 'not refused');
    } catch (e) {
      if (e.errno === 1235 && /without a UTC offset/.test(e.message)) r.ok(what);
      else r.fail(what, describeError(e));
    }
  }
  await c.query("SET time_zone = '+00:00'");
  for (const mode of MODES) {
    await r.attempt(`${mode}: INSERT at time_zone +00:00`,
                    () => run(c, mode, insert, ['2026-01-01 05:00:00', `m2-utc-${mode}`]));
  }
  // A prepared SET would change the zone unrecorded, on a pooled connection: refused.
  try {
    await c.execute('SET time_zone = ?', ['+09:00']);
    r.fail('prepared SET time_zone = ?', 'not refused');
  } catch (e) {
    if (e.errno === 1235) r.ok('prepared SET time_zone = ? refused');
    else r.fail('prepared SET time_zone = ?', describeError(e));
  }
  await r.attempt('the session goes on', () => c.query('SELECT 1'));
  await c.end();
}

// --- numbers compared with a text key -------------------------------------------------------
// sg_mcodes is placed by `code` (text; before '1' on my0, from '1' on my1). MariaDB compares
// a text column with a number as numbers: `code = 5` matches '05' (on my0), so a read by a
// number reaches every shard, in both protocols (execute() binds 5 as an integer).
async function numbersTextKey(r) {
  const c = await connect(r.cfg.port);
  await r.attempt("INSERT of code '05'",
                  () => c.query("INSERT INTO sg_mcodes (code, name) VALUES ('05', 'm2-05')"));
  for (const mode of MODES) {
    const what = `${mode}: SELECT by the number 5`;
    const [ok, result] = await r.attempt(
        what, () => run(c, mode, 'SELECT name FROM sg_mcodes WHERE code = ?', [5]));
    if (ok && JSON.stringify(result[0]) !== '[{"name":"m2-05"}]') {
      r.fail(what, JSON.stringify(result[0]));
    }
    await r.attempt(`${mode}: INSERT of the number 7`,
                    () => run(c, mode, 'INSERT INTO sg_mcodes (code, name) VALUES (?, ?)',
                              [7, `m2-7-${mode}`]));
  }
  await c.end();
}

main({placement, transactions, escapes, read_your_writes: readYourWrites,
      found_rows: foundRows, time_zone_keys: timeZoneKeys, numbers_text_key: numbersTextKey});
