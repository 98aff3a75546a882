'use strict';
// One cross-shard count through shardgate with mysql2, both ways the driver sends a statement:
// query() (text protocol) and execute() (server-side prepared: COM_STMT_PREPARE + EXECUTE).
// Config on stdin: {port, table, derived}; prints {"query": [count, distinct], "execute": [...]}.
// derived: the table is read in a derived table.
const mysql = require('mysql2/promise');
const { readConfig } = require('./common');

async function main() {
  const cfg = readConfig();
  const c = await mysql.createConnection({
    host: '127.0.0.1', port: cfg.port, user: 'app', password: 'app', database: 'social',
  });
  const from = cfg.derived ? `(SELECT id FROM ${cfg.table} WHERE id > ?) AS x`
    : `${cfg.table} WHERE id > ?`;
  const sql = `SELECT count(*) AS n, count(DISTINCT id) AS d FROM ${from}`;
  const out = {};
  for (const mode of ['query', 'execute']) {
    const [rows] = mode === 'query' ? await c.query(sql, [0]) : await c.execute(sql, [0]);
    out[mode] = [Number(rows[0].n), Number(rows[0].d)];
  }
  await c.end();
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
