'use strict';
// Runs cross-shard queries with the unmodified Node drivers (`pg` simple Query, unnamed and
// named extended protocol; `mysql2` COM_QUERY with text rows and COM_STMT_EXECUTE with binary
// rows) and prints their answers as JSON, so scatter_test.py can compare the answer through
// shardgate with the same driver's answer from the oracle database.
// Usage: node scatter_driver.js pg|mysql PORT DATABASE [WRITE] < queries.json
// (WRITE: the queries run inside a transaction that first runs this statement, rolled back
// at the end)
// (a query is a string, or for mysql [sql, parameters] or {error: sql, values})
const path = require('path');
const modules = path.join(__dirname, '..', 'drivers_node', 'node_modules');
const queries = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const [engine, port, database, write] = process.argv.slice(2);

async function pgAnswers() {
  const pg = require(path.join(modules, 'pg'));
  const client = new pg.Client({host: '127.0.0.1', port: Number(port), user: 'app',
                                password: 'app', database, connectionTimeoutMillis: 5000});
  await client.connect();
  if (write) { // every read below runs inside a transaction that wrote on every shard
    await client.query('BEGIN');
    await client.query(write);
  }
  const out = [];
  for (const sql of queries) {
    const simple = await client.query(sql); // one Query message
    // Parse/Bind/Describe/Execute/Sync, then a named statement: the extended protocol
    const extended = await client.query({text: sql, values: []});
    const named = await client.query({name: 'q' + out.length, text: sql, values: []});
    const answer = (r) => ({fields: r.fields.map((f) => f.name), rows: r.rows});
    out.push({simple: answer(simple), extended: answer(extended), named: answer(named)});
  }
  if (write) {
    await client.query('ROLLBACK');
  }
  await client.end();
  return out;
}

async function mysqlAnswers() {
  const mysql = require(path.join(modules, 'mysql2', 'promise'));
  const conn = await mysql.createConnection({host: '127.0.0.1', port: Number(port), user: 'app',
                                             password: 'app', database});
  if (write) {
    await conn.beginTransaction();
    await conn.query(write);
  }
  const out = [];
  for (const query of queries) {
    if (query.error) { // a statement expected to fail: its error, then the session goes on
      try {
        await conn.execute(query.error, query.values);
        out.push({error: null});
      } catch (e) {
        out.push({errno: e.errno, message: e.message});
      }
      continue;
    }
    const [sql, values] = Array.isArray(query) ? query : [query, []];
    // mysql2 writes the values into the text itself for query()
    const [rows, fields] = await conn.query(sql, values);
    // execute(): COM_STMT_PREPARE once, then COM_STMT_EXECUTE with the values bound
    const [binaryRows, binaryFields] = await conn.execute(sql, values);
    out.push({fields: fields.map((f) => f.name), rows,
              binaryFields: binaryFields.map((f) => f.name), binaryRows});
  }
  if (write) {
    await conn.rollback();
  }
  await conn.end();
  return out;
}

(engine === 'pg' ? pgAnswers() : mysqlAnswers())
    .then((out) => process.stdout.write(JSON.stringify(out)))
    .catch((e) => {
      process.stderr.write(String(e && e.stack || e) + '\n');
      process.exit(1);
    });
