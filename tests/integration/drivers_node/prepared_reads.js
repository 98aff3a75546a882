'use strict';
// Reads through shardgate as prepared statements, for shadow reads of prepared statements:
// node-postgres with parameters (the extended protocol: Parse, Bind with text values,
// Execute) or mysql2 execute() (COM_STMT_PREPARE + COM_STMT_EXECUTE with binary values).
// Config on stdin: {engine: "pg"|"mysql", port, database, table, keys: [...], upto: N};
// `SELECT id, n FROM <table> WHERE id = <key>` for each key, then (when upto is given)
// `... WHERE id >= 1 AND id <= <upto>`. Prints {"rows": total rows read}.
const mysql = require('mysql2/promise');
const pg = require('pg');
const { readConfig } = require('./common');

async function main() {
  const cfg = readConfig();
  const point = `SELECT id, n FROM ${cfg.table} WHERE id = `;
  const range = `SELECT id, n FROM ${cfg.table} WHERE id >= 1 AND id <= `;
  let rows = 0;
  if (cfg.engine === 'pg') {
    const c = new pg.Client({host: '127.0.0.1', port: cfg.port, user: 'app', password: 'app',
      database: cfg.database});
    await c.connect();
    for (const k of cfg.keys) rows += (await c.query(point + '$1', [k])).rows.length;
    if (cfg.upto) rows += (await c.query(range + '$1', [cfg.upto])).rows.length;
    await c.end();
  } else {
    const c = await mysql.createConnection({host: '127.0.0.1', port: cfg.port, user: 'app',
      password: 'app', database: cfg.database});
    for (const k of cfg.keys) rows += (await c.execute(point + '?', [k]))[0].length;
    if (cfg.upto) rows += (await c.execute(range + '?', [cfg.upto]))[0].length;
    await c.end();
  }
  console.log(JSON.stringify({rows}));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
