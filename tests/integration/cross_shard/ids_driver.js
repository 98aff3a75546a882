// Generated keys through node drivers: node pg with parameters (extended protocol) inserts
// without the key and reads the ids back from RETURNING, and asks nextval() as a named
// (prepared) statement; mysql2 execute() (COM_STMT_EXECUTE) inserts without the key and reads
// insertId. Prints one JSON line: {"ids": [...], "next": n}. Args: pg|mysql, port, rows.
const mysql = require(__dirname + '/../drivers_node/node_modules/mysql2/promise');
const { Client } = require(__dirname + '/../drivers_node/node_modules/pg');

(async () => {
  const engine = process.argv[2];
  const [port, n] = process.argv.slice(3).map(Number);
  const out = engine === 'pg' ? await pg(port, n) : await my(port, n);
  console.log(JSON.stringify(out));
})().catch(e => { console.error(String(e).slice(0, 2000)); process.exit(1); });

async function pg(port, n) {
  const p = new Client({ host: '127.0.0.1', port, user: 'app', password: 'app', database: 'shop' });
  await p.connect();
  const ids = [];
  for (let i = 0; i < n; ++i) {
    const r = await p.query('INSERT INTO sg_ids (v) VALUES ($1) RETURNING id', ['node ' + i]);
    ids.push(Number(r.rows[0].id));
  }
  // two rows in one statement, parameters and a DEFAULT key
  const two = await p.query('INSERT INTO sg_ids (id, v) VALUES (DEFAULT, $1), (DEFAULT, $2) RETURNING id',
                            ['node a', 'node b']);
  two.rows.forEach(row => ids.push(Number(row.id)));
  const next = await p.query({ name: 'next_id', text: "SELECT nextval('sg_ids_id_seq')" });
  await p.end();
  return { ids, next: Number(next.rows[0].nextval) };
}

async function my(port, n) {
  const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'app', password: 'app',
                                           database: 'social' });
  const ids = [];
  for (let i = 0; i < n; ++i) {
    const [r] = await c.execute('INSERT INTO sg_ids (v) VALUES (?)', ['node ' + i]);
    if (r.affectedRows !== 1) throw new Error('affectedRows ' + r.affectedRows);
    ids.push(Number(r.insertId));
  }
  const [next] = await c.query('SELECT NEXT VALUE FOR sg_ids_id_seq AS n');
  await c.end();
  return { ids, next: Number(next[0].n) };
}
