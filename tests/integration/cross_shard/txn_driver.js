// Distributed transactions through node drivers: mysql2 execute() (prepares lazily inside the
// transaction) and node pg with parameters (extended protocol). Args: mysql port, pg port,
// two MySQL keys and two PostgreSQL keys on different shards.
const mysql = require(__dirname + '/../drivers_node/node_modules/mysql2/promise');
const { Client } = require(__dirname + '/../drivers_node/node_modules/pg');
(async () => {
  const [myPort, pgPort, a, b, pa, pb] = process.argv.slice(2).map(Number);
  const c = await mysql.createConnection({ host: '127.0.0.1', port: myPort, user: 'app', password: 'app', database: 'social' });
  await c.query('BEGIN');
  await c.execute('UPDATE sg_accounts SET balance = balance - ? WHERE id = ?', [7, a]);
  await c.execute('UPDATE sg_accounts SET balance = balance + ? WHERE id = ?', [7, b]);
  await c.query('COMMIT');
  await c.end();
  const p = new Client({ host: '127.0.0.1', port: pgPort, user: 'app', password: 'app', database: 'shop' });
  await p.connect();
  await p.query('BEGIN');
  await p.query('UPDATE sg_accounts SET balance = balance - $1 WHERE id = $2', [7, pa]);
  await p.query('UPDATE sg_accounts SET balance = balance + $1 WHERE id = $2', [7, pb]);
  await p.query('COMMIT');
  await p.end();
  console.log('done');
})().catch(e => { console.error(e); process.exit(1); });
