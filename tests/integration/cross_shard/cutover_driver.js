// Writers for the MySQL cutover test: mysql2 (COM_STMT_EXECUTE through execute()) with CLIENTS
// connections inserting into sg_vert for SECONDS. Prints one JSON line: {"done": n, "errors":
// [...], "longest_ms": ms}. Args: port, clients, seconds.
const mysql = require(__dirname + '/../drivers_node/node_modules/mysql2/promise');

(async () => {
  const [port, clients, seconds] = process.argv.slice(2).map(Number);
  const until = Date.now() + seconds * 1000;
  let done = 0;
  let longest = 0;
  const errors = [];
  const writer = async (client) => {
    const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'app',
                                             password: 'app', database: 'social' });
    while (Date.now() < until) {
      const started = Date.now();
      try {
        const [r] = await c.execute('INSERT INTO sg_vert (id) VALUES (?)', [client]);
        if (r.affectedRows !== 1) throw new Error('affectedRows ' + r.affectedRows);
        ++done;
      } catch (e) {
        errors.push(String(e).slice(0, 300));
      }
      longest = Math.max(longest, Date.now() - started);
    }
    await c.end();
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => writer(i + 1)));
  console.log(JSON.stringify({ done, errors, longest_ms: longest }));
})().catch(e => { console.error(String(e).slice(0, 2000)); process.exit(1); });
