// Multi-row INSERTs split per shard through node drivers: node pg with parameters (extended
// protocol, RETURNING in the statement's row order) and mysql2 execute() (COM_STMT_EXECUTE),
// each in autocommit and inside a transaction. Args: pg|mysql, port, first id, rows.
const mysql = require(__dirname + '/../drivers_node/node_modules/mysql2/promise');
const { Client } = require(__dirname + '/../drivers_node/node_modules/pg');

function rowsSql(n, first, placeholder) {
  const values = [];
  const params = [];
  for (let i = 0; i < n; ++i) {
    values.push('(' + placeholder(2 * i + 1) + ', ' + placeholder(2 * i + 2) + ')');
    params.push(first + i, 'node ' + (first + i) + " it's");
  }
  return { values: values.join(', '), params };
}

(async () => {
  const engine = process.argv[2];
  const [port, first, n] = process.argv.slice(3).map(Number);
  if (engine === 'pg') await pg(port, first, n); else await my(port, first, n);
  console.log('done');
})().catch(e => { console.error(String(e).slice(0, 2000)); process.exit(1); });

async function pg(port, first, n) {
  const p = new Client({ host: '127.0.0.1', port, user: 'app', password: 'app', database: 'shop' });
  await p.connect();
  let q = rowsSql(n, first, i => '$' + i);
  const r = await p.query('INSERT INTO sg_writes (id, v) VALUES ' + q.values + ' RETURNING id', q.params);
  if (r.rowCount !== n) throw new Error('pg rowCount ' + r.rowCount);
  r.rows.forEach((row, i) => {
    if (Number(row.id) !== first + i) throw new Error('pg RETURNING order: row ' + i + ' is ' + row.id);
  });
  await p.query('BEGIN');
  q = rowsSql(4, first + n, i => '$' + i);
  await p.query('INSERT INTO sg_writes (id, v) VALUES ' + q.values, q.params);
  await p.query('COMMIT');
  await p.end();
}

async function my(port, first, n) {
  const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'app', password: 'app', database: 'social' });
  q = rowsSql(n, first, () => '?');
  const [res] = await c.execute('INSERT INTO sg_writes (id, v) VALUES ' + q.values, q.params);
  if (res.affectedRows !== n) throw new Error('mysql affectedRows ' + res.affectedRows);
  await c.query('BEGIN');
  q = rowsSql(4, first + n, () => '?');
  await c.execute('INSERT INTO sg_writes (id, v) VALUES ' + q.values, q.params);
  await c.query('COMMIT');
  await c.end();
}
