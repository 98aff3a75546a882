'use strict';
// Driver work with node-postgres (`pg`, unmodified) against shardgate's PostgreSQL frontend.
// Usage: node pg_cases.js CASE < config.json   (config: port, primaries, replicas, keys)
// Prints ok/FAIL lines and last `RESULT {failures, rows, info}`; node_test.py checks the rows
// on every primary directly.

const pg = require('pg');
const {describeError, main, poll, sleep} = require('./common');

function connect(port, extra = {}) {
  const client = new pg.Client({host: '127.0.0.1', port, user: 'app', password: 'app',
                                database: 'shop', connectionTimeoutMillis: 5000, ...extra});
  client.on('error', () => {}); // a backend that goes away fails the next query instead
  return client.connect().then(() => client);
}

// The statement with $1 (bigint key) and $2 (text) written as literals: the simple protocol.
function inline(sql, key, name) {
  const text = sql.replace(/\$1\b/g, String(key));
  return name === undefined ? text : text.replace(/\$2\b/g, `'${name.replace(/'/g, "''")}'`);
}

// Runs `sql` in `mode` ('extended': unnamed Parse/Bind/Execute with parameters; 'named': a
// named prepared statement, parsed once per connection and then only bound and executed;
// 'simple': one Query message with the values inlined).
function run(client, mode, sql, key, name) {
  if (mode === 'simple') return client.query(inline(sql, key, name));
  const values = sql.includes('$2') ? [key, name] : [key];
  if (mode === 'named') return client.query({name: statementName(sql), text: sql, values});
  return client.query(sql, values);
}

function statementName(sql) {
  return 'sg_' + require('crypto').createHash('sha1').update(sql).digest('hex').slice(0, 12);
}

const MODES = ['extended', 'simple'];

// --- 1. placement with every spelling ---------------------------------------------------------

const CUSTOMER_INSERTS = [
  ['lower', 'INSERT INTO customers (id, name) VALUES ($1, $2)'],
  ['UPPER', 'INSERT INTO CUSTOMERS (ID, NAME) VALUES ($1, $2)'],
  ['Mixed', 'INSERT INTO Customers (Id, Name) VALUES ($1, $2)'],
  ['quoted exact', 'INSERT INTO "customers" ("id", "name") VALUES ($1, $2)'],
  ['schema-qualified', 'INSERT INTO public.customers (id, name) VALUES ($1, $2)'],
  ['SCHEMA-QUALIFIED UPPER', 'INSERT INTO PUBLIC.CUSTOMERS (iD, NAME) VALUES ($1, $2)'],
  ['quoted schema-qualified', 'INSERT INTO "public"."customers" ("id", "name") VALUES ($1, $2)'],
  ['insert alias', 'INSERT INTO customers AS c (id, name) VALUES ($1, $2)'],
  ['columns reversed', 'INSERT INTO Customers (NAME, ID) VALUES ($2, $1)'],
];

const CUSTOMER_UPDATES = [
  ['alias AS', 'UPDATE customers AS c SET name = $2 WHERE c.id = $1'],
  ['ALIAS UPPER', 'UPDATE CUSTOMERS C SET NAME = $2 WHERE C.ID = $1'],
  ['schema alias Mixed key', 'UPDATE public.customers c SET name = $2 WHERE c.Id = $1'],
  ['quoted alias', 'UPDATE "customers" AS "c" SET "name" = $2 WHERE "c"."id" = $1'],
];

const CUSTOMER_DELETES = [
  ['alias AS', 'DELETE FROM customers AS c WHERE c.id = $1'],
  ['ALIAS UPPER', 'DELETE FROM CUSTOMERS C WHERE C.ID = $1'],
  ['schema alias Mixed key', 'DELETE FROM public.Customers AS c WHERE c.iD = $1'],
  ['quoted schema alias', 'DELETE FROM "public"."customers" "c" WHERE "c"."id" = $1'],
];

const ORDER_INSERTS = [
  ['lower', 'INSERT INTO orders (customer_id, name) VALUES ($1, $2)'],
  ['UPPER', 'INSERT INTO ORDERS (CUSTOMER_ID, NAME) VALUES ($1, $2)'],
  ['Mixed', 'INSERT INTO Orders (Customer_Id, Name) VALUES ($1, $2)'],
  ['quoted exact', 'INSERT INTO "orders" ("customer_id", "name") VALUES ($1, $2)'],
  ['schema-qualified, columns reversed',
   'INSERT INTO public.orders (name, customer_id) VALUES ($2, $1)'],
];

const ORDER_UPDATES = [
  ['alias', 'UPDATE orders o SET name = $2 WHERE o.customer_id = $1'],
  ['ALIAS UPPER', 'UPDATE ORDERS AS O SET NAME = $2 WHERE O.CUSTOMER_ID = $1'],
];

const ORDER_DELETES = [
  ['alias Mixed', 'DELETE FROM Orders o WHERE o.Customer_Id = $1'],
  ['schema quoted alias', 'DELETE FROM public.orders AS "o" WHERE "o".customer_id = $1'],
];

const CUSTOMER_SELECTS = [
  ['UPPER', 'SELECT name FROM CUSTOMERS WHERE ID = $1'],
  ['Mixed alias', 'SELECT c.name FROM Customers c WHERE C.Id = $1'],
  ['quoted schema-qualified', 'SELECT "name" FROM "public"."customers" WHERE "id" = $1'],
  ['schema alias', 'SELECT name FROM public.Customers AS c WHERE c.ID = $1'],
];

// Quoted names that differ in case, and schemas other than public, are other (missing) tables:
// the server's 42P01, never a row.
const WRONG_TABLES = [
  ['"Customers"', 'INSERT INTO "Customers" (id, name) VALUES ($1, $2)'],
  ['"CUSTOMERS"', 'INSERT INTO "CUSTOMERS" (id, name) VALUES ($1, $2)'],
  ['public."Customers"', 'INSERT INTO public."Customers" (id, name) VALUES ($1, $2)'],
  ['"PUBLIC".customers', 'INSERT INTO "PUBLIC".customers (id, name) VALUES ($1, $2)'],
  ['other_schema.customers', 'INSERT INTO other_schema.customers (id, name) VALUES ($1, $2)'],
];

async function expectCount(r, what, promise, want) {
  const [ok, res] = await r.attempt(what, () => promise);
  if (!ok) return false;
  if (res.rowCount !== want) {
    r.fail(what, `rowCount ${res.rowCount}, expected ${want}`);
    return false;
  }
  r.ok(what);
  return true;
}

async function placement(r) {
  const c = await connect(r.cfg.port);
  const present = []; // customers rows that should be readable afterwards
  for (const mode of MODES) {
    for (const shard of r.shards()) {
      for (const [label, sql] of CUSTOMER_INSERTS) {
        const key = r.take(shard);
        const name = `insert ${label} ${mode}`;
        const what = `customers INSERT ${label} (${mode}) key ${key} owned by ${shard}`;
        await expectCount(r, what, run(c, mode, sql, key, name), 1);
        r.row(what, 'customers', key, name, true);
        present.push({key, name, shard});
      }
      for (const [label, sql] of ORDER_INSERTS) {
        const key = r.take(shard);
        const name = `order ${label} ${mode}`;
        const what = `orders INSERT ${label} (${mode}) customer_id ${key} owned by ${shard}`;
        await expectCount(r, what, run(c, mode, sql, key, name), 1);
        r.row(what, 'orders', key, name, true);
      }
      for (const [label, sql] of CUSTOMER_UPDATES) {
        const key = r.take(shard);
        const what = `customers UPDATE ${label} (${mode}) key ${key} owned by ${shard}`;
        await expectCount(r, `${what}: setup insert`,
                          run(c, 'extended', CUSTOMER_INSERTS[0][1], key, 'before update'), 1);
        const name = `update ${label} ${mode}`;
        await expectCount(r, what, run(c, mode, sql, key, name), 1);
        r.row(what, 'customers', key, name, true);
      }
      for (const [label, sql] of CUSTOMER_DELETES) {
        const key = r.take(shard);
        const what = `customers DELETE ${label} (${mode}) key ${key} owned by ${shard}`;
        await expectCount(r, `${what}: setup insert`,
                          run(c, 'extended', CUSTOMER_INSERTS[0][1], key, 'before delete'), 1);
        await expectCount(r, what, run(c, mode, sql, key), 1);
        r.row(what, 'customers', key, null, false);
      }
      for (const [label, sql] of ORDER_UPDATES) {
        const key = r.take(shard);
        const what = `orders UPDATE ${label} (${mode}) customer_id ${key} owned by ${shard}`;
        await expectCount(r, `${what}: setup insert`,
                          run(c, 'extended', ORDER_INSERTS[0][1], key, 'before update'), 1);
        const name = `order update ${label} ${mode}`;
        await expectCount(r, what, run(c, mode, sql, key, name), 1);
        r.row(what, 'orders', key, name, true);
      }
      for (const [label, sql] of ORDER_DELETES) {
        const key = r.take(shard);
        const what = `orders DELETE ${label} (${mode}) customer_id ${key} owned by ${shard}`;
        await expectCount(r, `${what}: setup insert`,
                          run(c, 'extended', ORDER_INSERTS[0][1], key, 'before delete'), 1);
        await expectCount(r, what, run(c, mode, sql, key), 1);
        r.row(what, 'orders', key, null, false);
      }
    }
  }
  // Reads with every spelling find the row (polling: a replica may be milliseconds behind; a
  // read sent to the wrong shard never finds it).
  for (const mode of MODES) {
    for (const [label, sql] of CUSTOMER_SELECTS) {
      for (const shard of r.shards()) {
        const row = present.find((p) => p.shard === shard);
        const what = `customers SELECT ${label} (${mode}) key ${row.key} owned by ${shard}`;
        const [ok, res] = await r.attempt(what, () => poll(
            () => run(c, mode, sql, row.key),
            (res) => res.rows.length === 1 && Object.values(res.rows[0])[0] === row.name));
        if (!ok) continue;
        const names = res.rows.map((x) => Object.values(x)[0]);
        if (names.length !== 1 || names[0] !== row.name) {
          r.fail(what, `read ${JSON.stringify(names)}, expected ${JSON.stringify([row.name])}`);
        } else {
          r.ok(what);
        }
      }
    }
  }
  // Differently quoted names are other (missing) tables.
  for (const mode of MODES) {
    for (const [label, sql] of WRONG_TABLES) {
      for (const shard of r.shards()) {
        const key = r.take(shard);
        const what = `INSERT INTO ${label} (${mode}) key ${key}`;
        try {
          await run(c, mode, sql, key, `wrong table ${label}`);
          r.fail(what, 'succeeded; expected the server\'s 42P01 (relation does not exist)');
        } catch (e) {
          if (e.code !== '42P01') r.fail(what, `expected 42P01, got ${describeError(e)}`);
          else r.ok(`${what}: 42P01 ${e.message}`);
        }
        r.row(what, 'customers', key, null, false);
      }
    }
    const key = r.take(r.shards()[0]);
    const what = `SELECT FROM "Customers" (${mode})`;
    try {
      await run(c, mode, 'SELECT name FROM "Customers" WHERE id = $1', key);
      r.fail(what, 'succeeded; expected 42P01');
    } catch (e) {
      if (e.code !== '42P01') r.fail(what, `expected 42P01, got ${describeError(e)}`);
      else r.ok(`${what}: 42P01`);
    }
  }
  await c.end();
}

// --- 2. transactions never touch a replica --------------------------------------------------------

const INSERT = 'INSERT INTO customers (id, name) VALUES ($1, $2)';

// Each scenario runs on a fresh connection with one key; steps are [sql, mode, check?].
const TX_SCENARIOS = [
  ['BEGIN + parameterized INSERT', true,
   [['BEGIN'], [INSERT, 'extended'], ['COMMIT']]],
  ['START TRANSACTION', true,
   [['START TRANSACTION'], [INSERT, 'extended'], ['COMMIT']]],
  ['BEGIN READ WRITE', true,
   [['BEGIN READ WRITE'], [INSERT, 'extended'], ['COMMIT']]],
  ['START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ WRITE', true,
   [['START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ WRITE'], [INSERT, 'extended'],
    ['COMMIT']]],
  ['SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE, then BEGIN', true,
   [['SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE'], ['BEGIN'],
    [INSERT, 'extended'], ['COMMIT']]],
  ['SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE, then autocommit INSERT', true,
   [['SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE'], [INSERT, 'extended']]],
  ['BEGIN; SET TRANSACTION READ WRITE', true,
   [['BEGIN'], ['SET TRANSACTION READ WRITE'], [INSERT, 'extended'], ['COMMIT']]],
  ['SELECT then INSERT in one transaction (extended)', true,
   [['BEGIN'], ['SELECT count(*)::int AS n FROM customers WHERE id = $1', 'extended', 0],
    [INSERT, 'extended'], ['SELECT name FROM customers WHERE id = $1', 'extended', 'name'],
    ['COMMIT']]],
  ['SELECT then INSERT in one transaction (simple)', true,
   [['BEGIN'], ['SELECT count(*)::int AS n FROM customers WHERE id = $1', 'simple', 0],
    [INSERT, 'simple'], ['SELECT name FROM customers WHERE id = $1', 'simple', 'name'],
    ['COMMIT']]],
  ['named SELECT prepared outside, then BEGIN + named SELECT + named INSERT', true,
   [['SELECT count(*)::int AS n FROM customers WHERE id = $1', 'named', 0], ['BEGIN'],
    ['SELECT count(*)::int AS n FROM customers WHERE id = $1', 'named', 0], [INSERT, 'named'],
    ['SELECT name FROM customers WHERE id = $1', 'named', 'name'], ['COMMIT']]],
  ['named INSERT prepared in autocommit, then reused in BEGIN..COMMIT', true,
   [[INSERT, 'named'], ['DELETE FROM customers WHERE id = $1', 'named'], ['BEGIN'],
    [INSERT, 'named'], ['COMMIT']]],
  ['BEGIN, INSERT, END', true,
   [['BEGIN'], [INSERT, 'extended'], ['END']]],
  ['ROLLBACK', false,
   [['BEGIN'], [INSERT, 'extended'],
    ['SELECT name FROM customers WHERE id = $1', 'extended', 'name'], ['ROLLBACK']]],
];

async function transactions(r) {
  for (const shard of r.shards()) {
    for (const [label, commits, steps] of TX_SCENARIOS) {
      const key = r.take(shard);
      const name = `tx ${label}`.slice(0, 90);
      const what = `${label} key ${key} owned by ${shard}`;
      const c = await connect(r.cfg.port);
      let ok = true;
      for (const [sql, mode, check] of steps) {
        const [good, res] = await r.attempt(`${what}: ${sql}`, () =>
          mode ? run(c, mode, sql, key, name) : c.query(sql));
        if (!good) {
          ok = false;
          break;
        }
        if (check === 0 && res.rows[0].n !== 0) {
          r.fail(`${what}: ${sql}`, `count ${res.rows[0].n} before the insert, expected 0`);
          ok = false;
        } else if (check === 'name' &&
                   (res.rows.length !== 1 || res.rows[0].name !== name)) {
          r.fail(`${what}: ${sql}`, `read ${JSON.stringify(res.rows)} inside the transaction ` +
                 `after its INSERT, expected the row`);
          ok = false;
        }
      }
      if (!ok) await c.query('ROLLBACK').catch(() => {});
      else r.ok(what);
      r.row(what, 'customers', key, name, commits && ok);
      await c.end();
    }
  }
}

// --- 5. AT TIME ZONE ----------------------------------------------------------------------

const INSTANT = '2025-03-04 05:06:07.123456+00';
const MICROS = {utc: '2025-03-04 05:06:07.123456', berlin: '2025-03-04 06:06:07.123456',
                iso: '2025-03-04T05:06:07.123Z'};
const MILLIS = {utc: '2025-03-04 05:06:07.123', berlin: '2025-03-04 06:06:07.123',
                iso: '2025-03-04T05:06:07.123Z'};

async function timezone(r) {
  // node-postgres parses timestamps in the process' time zone: make it one with an offset.
  process.env.TZ = 'America/Sao_Paulo';
  const raw = {getTypeParser: () => (v) => v};
  const c = await connect(r.cfg.port);
  const craw = await connect(r.cfg.port, {types: raw});
  const insert = 'INSERT INTO customers (id, name, created_at) VALUES ($1, $2, $3)';
  const scenarios = [
    ['timestamptz text parameter', MICROS, (key, name) => c.query(insert, [key, name, INSTANT])],
    ['JS Date parameter', MILLIS,
     (key, name) => c.query(insert, [key, name, new Date(Date.UTC(2025, 2, 4, 5, 6, 7, 123))])],
    ['AT TIME ZONE in VALUES (extended)', MICROS, (key, name) => c.query(
        "INSERT INTO customers (id, name, created_at) VALUES ($1, $2, $3::timestamp AT TIME ZONE 'UTC')",
        [key, name, MICROS.utc])],
    ['AT TIME ZONE in VALUES (simple)', MICROS, (key, name) => c.query(
        `INSERT INTO customers (id, name, created_at) VALUES (${key}, '${name}', ` +
        `TIMESTAMP '${MICROS.utc}' AT TIME ZONE 'UTC')`)],
  ];
  for (const shard of r.shards()) {
    const direct = await connect(r.cfg.primaries[shard], {types: raw});
    for (const [label, want, write] of scenarios) {
      const key = r.take(shard);
      const what = `${label} key ${key} owned by ${shard}`;
      const name = label.replace(/[^A-Za-z ]/g, '');
      const [ok, res] = await r.attempt(`${what}: INSERT`, () => write(key, name));
      r.row(what, 'customers', key, name, true);
      if (ok && res.rowCount === 1) await checkTimes(r, what, want, c, craw, direct, key);
    }
    await direct.end();
  }
  await c.end();
  await craw.end();
}

async function checkTimes(r, what, want, c, craw, direct, key) {
  const q = "SELECT created_at AT TIME ZONE 'UTC' AS utc FROM customers WHERE id = $1";
  const [y, mo, d, h, mi, s, ms] = want.iso.match(/\d+/g).map(Number);
  const local = new Date(y, mo - 1, d, h, mi, s, ms).getTime();
  const checks = [
    [`${q} (raw text)`, () => craw.query(q, [key]), (rows) => rows[0].utc === want.utc, want.utc],
    [`${q} (parsed)`, () => c.query(q, [key]),
     (rows) => rows[0].utc instanceof Date && rows[0].utc.getTime() === local,
     `local Date ${want.utc}`],
    ['Europe/Berlin', () => craw.query(
        "SELECT created_at AT TIME ZONE 'Europe/Berlin' AS t FROM customers WHERE id = $1", [key]),
     (rows) => rows[0].t === want.berlin, want.berlin],
    ['AT TIME ZONE in WHERE', () => craw.query(
        "SELECT id FROM customers WHERE id = $1 AND created_at AT TIME ZONE 'UTC' = $2::timestamp",
        [key, want.utc]),
     (rows) => rows.length === 1, 'one row'],
    ['simple protocol', () => craw.query(
        `SELECT (created_at AT TIME ZONE 'UTC')::text AS utc FROM customers WHERE id = ${key}`),
     (rows) => rows[0].utc === want.utc, want.utc],
    ['timestamptz as Date', () => c.query('SELECT created_at FROM customers WHERE id = $1', [key]),
     (rows) => rows[0].created_at instanceof Date &&
       rows[0].created_at.toISOString() === want.iso,
     want.iso],
  ];
  for (const [label, read, accept, expected] of checks) {
    const [ok, res] = await r.attempt(`${what}: ${label}`, () => poll(
        read, (res) => res.rows.length > 0));
    if (!ok) continue;
    if (res.rows.length === 0 || !accept(res.rows)) {
      r.fail(`${what}: ${label}`, `got ${JSON.stringify(res.rows)}, expected ${expected}`);
    } else {
      r.ok(`${what}: ${label}`);
    }
  }
  // The proxy answers what the owner primary answers.
  const q2 = 'SELECT created_at, created_at AT TIME ZONE \'UTC\' AS utc FROM customers WHERE id = $1';
  const [ok1, viaProxy] = await r.attempt(`${what}: via proxy`, () => craw.query(q2, [key]));
  const [ok2, viaDirect] = await r.attempt(`${what}: direct`, () => direct.query(q2, [key]));
  if (ok1 && ok2 && JSON.stringify(viaProxy.rows) !== JSON.stringify(viaDirect.rows)) {
    r.fail(`${what}: proxy vs primary`, `${JSON.stringify(viaProxy.rows)} != ` +
           JSON.stringify(viaDirect.rows));
  }
}

// --- 6. time keys and the zone of a transaction block --------------------------------------

// events is placed by created_at (timestamptz; 2025 on pg0, 2026 on pg1). set_config('TimeZone',
// ..., true) with parameters (extended protocol) sets the zone for the block: a time without an
// offset then names another instant and is refused inside the block; after it, UTC again.
async function zoneBlocks(r) {
  const c = await connect(r.cfg.port);
  const insert = 'INSERT INTO events (created_at, name) VALUES ($1, $2)';
  const refused = async (what, fn) => {
    try {
      await fn();
      r.fail(what, 'not refused');
    } catch (e) {
      if (/without a UTC offset/.test(e.message) && e.code === '0A000') r.ok(what);
      else r.fail(what, describeError(e));
    }
  };
  const setZone = () => c.query('SELECT set_config($1, $2, true) AS zone',
                                ['TimeZone', 'Asia/Tokyo']);
  await c.query('BEGIN');
  const [okSet, set] = await r.attempt('set_config($1, $2, true) in a block', setZone);
  if (okSet && set.rows[0].zone !== 'Asia/Tokyo') r.fail('set_config', JSON.stringify(set.rows));
  await refused('INSERT of a time without offset in the block',
                () => c.query(insert, ['2026-01-01 05:00', 'node-block']));
  await c.query('ROLLBACK');
  await c.query('BEGIN');
  await r.attempt('set_config again', setZone);
  await r.attempt('INSERT with an offset in the block',
                  () => c.query(insert, ['2026-01-01 05:00+09', 'node-offset']));
  const [okShow, show] = await r.attempt('SHOW TimeZone in the block', () => c.query('SHOW TimeZone'));
  if (okShow && show.rows[0].TimeZone !== 'Asia/Tokyo') {
    r.fail('SHOW TimeZone in the block', JSON.stringify(show.rows));
  }
  await r.attempt('COMMIT', () => c.query('COMMIT'));
  await r.attempt('INSERT of a time without offset after the block (UTC)',
                  () => c.query(insert, ['2026-01-01 05:00', 'node-after']));
  // A session SET as a named prepared statement (extended protocol) inside a block that has its
  // shard: it stays after the COMMIT, on whichever pooled connection serves the session.
  await c.query('BEGIN');
  await c.query('SELECT 1');
  await r.attempt('SET TIME ZONE (extended) in a block',
                  () => c.query({name: 'sg_zone', text: "SET TIME ZONE 'Asia/Tokyo'"}));
  await c.query('COMMIT');
  for (let i = 0; i < 4; ++i) {
    const [ok, res] = await r.attempt('SHOW TimeZone after the COMMIT',
                                      () => c.query('SHOW TimeZone'));
    if (ok && res.rows[0].TimeZone !== 'Asia/Tokyo') {
      r.fail('SHOW TimeZone after the COMMIT', JSON.stringify(res.rows));
    }
  }
  await refused('INSERT of a time without offset in the session\'s zone',
                () => c.query(insert, ['2026-01-01 05:00', 'node-session']));
  await c.end();
}

// events by created_at as `timestamp` (a wall-clock time) with `key_type: timestamp`: node-pg
// sends a Date parameter as the process's local time with its offset ('2026-01-01T05:00:00.000
// +09:00' in Asia/Tokyo), which the column stores without the offset (2026-01-01 05:00: the 2026
// shard, pg1), and a session zone does not change a time without offset.
async function wallClock(r) {
  process.env.TZ = 'Asia/Tokyo';
  const c = await connect(r.cfg.port);
  const insert = 'INSERT INTO events (created_at, name) VALUES ($1, $2)';
  const date = new Date(Date.UTC(2025, 11, 31, 20, 0, 0)); // 2026-01-01 05:00 in Tokyo
  await r.attempt('INSERT of a Date (local time with offset)',
                  () => c.query(insert, [date, 'node-wall-date']));
  const [okRead, read] = await r.attempt('SELECT by the Date',
                                         () => c.query('SELECT name FROM events WHERE ' +
                                                       'created_at = $1', [date]));
  if (okRead && JSON.stringify(read.rows) !== '[{"name":"node-wall-date"}]') {
    r.fail('SELECT by the Date', JSON.stringify(read.rows));
  }
  await c.query("SET TIME ZONE 'Asia/Tokyo'");
  await r.attempt('INSERT of a time without offset in Asia/Tokyo',
                  () => c.query(insert, ['2025-12-31 23:30', 'node-wall-text']));
  await c.end();
}

// Casts on parameters (events by created_at, timestamptz: 2025 on pg0, 2026 on pg1; the
// extended protocol, parameters untyped). $1::timestamp drops the offset node-pg sends and the
// server reads the rest in the session's zone: refused. $1::timestamptz is the column's type:
// placed by the instant (a Date at 2025-12-31 20:00 UTC, sent as 2026-01-01 05:00+09:00).
async function keyCasts(r) {
  process.env.TZ = 'Asia/Tokyo';
  const c = await connect(r.cfg.port);
  const date = new Date(Date.UTC(2025, 11, 31, 20, 0, 0));
  try {
    await c.query('INSERT INTO events (created_at, name) VALUES ($1::timestamp, $2)',
                  [date, 'node-cast-wall']);
    r.fail('INSERT of $1::timestamp into a timestamptz key', 'not refused');
  } catch (e) {
    if (/cast to timestamp/.test(e.message) && e.code === '0A000') r.ok('$1::timestamp refused');
    else r.fail('INSERT of $1::timestamp into a timestamptz key', describeError(e));
  }
  await r.attempt('INSERT of $1::timestamptz',
                  () => c.query('INSERT INTO events (created_at, name) VALUES ' +
                                '($1::timestamptz, $2)', [date, 'node-cast-instant']));
  const [ok, read] = await r.attempt('SELECT by $1::timestamptz',
                                     () => c.query('SELECT name FROM events WHERE created_at = ' +
                                                   '$1::timestamptz', [date]));
  if (ok && JSON.stringify(read.rows) !== '[{"name":"node-cast-instant"}]') {
    r.fail('SELECT by $1::timestamptz', JSON.stringify(read.rows));
  }
  await c.end();
}

// --- 3. read-your-writes -------------------------------------------------------------------

async function readYourWrites(r, cfg) {
  const pool = new pg.Pool({host: '127.0.0.1', port: cfg.port, user: 'app', password: 'app',
                            database: 'shop', max: 2, connectionTimeoutMillis: 5000});
  pool.on('error', () => {});
  const a = await pool.connect();
  const b = await pool.connect();
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
    const what = `key ${key} owned by ${shard} written ${inTx ? 'in BEGIN..COMMIT' : 'autocommit'}`;
    const [wrote] = await r.attempt(`${what}: write`, async () => {
      if (inTx) await a.query('BEGIN');
      await a.query(INSERT, [key, name]);
      if (inTx) await a.query('COMMIT');
    });
    r.row(what, 'customers', key, name, wrote);
    if (!wrote) continue;
    stats.iterations++;
    const sql = 'SELECT name FROM customers WHERE id = $1';
    const [okSame, same] = await r.attempt(`${what}: read on the same connection`,
                                           () => a.query(sql, [key]));
    const [okOther, other] = await r.attempt(`${what}: read on a second pooled connection`,
                                             () => b.query(sql, [key]));
    const onReplica = await replicas[shard].query(sql, [key]);
    if (onReplica.rows.length === 0) stats.replica_stale++;
    if (okSame && (same.rows.length !== 1 || same.rows[0].name !== name)) {
      stats.same_missed++;
      r.fail(`${what}: read on the same connection right after the write`,
             `got ${JSON.stringify(same.rows)} (replica has it: ${onReplica.rows.length > 0})`);
    }
    if (okOther && (other.rows.length !== 1 || other.rows[0].name !== name)) {
      stats.other_missed++;
      if (cfg.proxy_mode) {
        r.fail(`${what}: read on a second pooled connection after the commit ` +
               '(read_your_writes: proxy)',
               `got ${JSON.stringify(other.rows)} (replica has it: ${onReplica.rows.length > 0})`);
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

main({placement, transactions, timezone, read_your_writes: readYourWrites,
      zone_blocks: zoneBlocks, wall_clock: wallClock, key_casts: keyCasts});
