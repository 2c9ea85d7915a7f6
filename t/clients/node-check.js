// t/clients/node-check.js HOST PORT DBNAME [SECTION...]: node-postgres
// (npm's pg, pinned by t/clients/package-lock.json) against a PostgreSQL
// server.  Each section prints what the driver handed back (rows as the
// driver's type parsers make them, fields with their type OIDs, command
// tags and row counts, error codes); t/t4670-serve-node.sh runs it against
// PostgreSQL 15 and against dh-serve and compares the outputs.  Run with
// NODE_PATH set to the node_modules that holds pg.
const { Client } = require('pg');

const [host, port, database, ...only] = process.argv.slice(2);

function show(r) {
  const fields = r.fields.map((f) => `${f.name}:${f.dataTypeID}`).join(' ');
  return `${r.command} ${r.rowCount} [${fields}] ${JSON.stringify(r.rows)}`;
}

async function q(c, text, params) {
  try {
    const r = await c.query(text, params);
    console.log('  ' + (Array.isArray(r) ? r.map(show).join(' ; ') : show(r)));
  } catch (e) {
    console.log(`  error ${e.code} ${e.message} severity=${e.severity}`);
  }
}

const sections = {
  async parameters(c) {
    await q(c, 'DROP TABLE IF EXISTS ntypes');
    await q(c, 'CREATE TABLE ntypes (id int PRIMARY KEY, s smallint, l bigint, n numeric(10,2), f float8, ' +
      't text, b bytea, ok bool, d date, ts timestamp, tz timestamptz, u uuid, j jsonb, js json, a int[], ta text[], iv interval)');
    await q(c, 'INSERT INTO ntypes VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)', [
      1, -7, '9007199254740993', '12.5', 0.1, "héllo 'q' \\", Buffer.from([0, 1, 254, 255]), true, '1999-12-31',
      '2024-02-29 12:00:01.5', new Date(Date.UTC(2024, 1, 29, 10, 0, 1)), 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      { z: 1, a: [true, null] }, JSON.stringify([1, 'x']), [1, null, 3], ['a', 'b c', null], '1 day 02:03:04']);
    await q(c, 'INSERT INTO ntypes (id) VALUES ($1)', [2]);
    await q(c, 'SELECT * FROM ntypes ORDER BY id');
    await q(c, 'SELECT id FROM ntypes WHERE l = $1 AND n = $2 AND b = $3 AND a = $4', ['9007199254740993', 12.5, Buffer.from([0, 1, 254, 255]), [1, null, 3]]);
    await q(c, 'SELECT $1::int + $2::int AS sum, $3::text IS NULL AS isnull, $4::bool AS yes', [40, 2, null, true]);
    await q(c, 'SELECT $1 AS untyped', ['text by default']);
    await q(c, { text: 'SELECT 1 AS a, $1::text AS b', values: ['x'], rowMode: 'array' });
  },
  async prepared(c) {
    for (const v of [1, 2, 3]) await q(c, { name: 'twice', text: 'SELECT $1::int * 2 AS twice', values: [v] });
    await q(c, { name: 'bad', text: 'SELECT nosuch', values: [] });
    await q(c, { name: 'zero', text: 'SELECT 1 / $1::int AS x', values: [0] });
    await q(c, 'SELECT 1 AS after');
  },
  async simple(c) {
    await q(c, 'SELECT 1 AS a; SELECT 2 AS b');
    await q(c, 'CREATE TABLE IF NOT EXISTS nsimple (id int); INSERT INTO nsimple VALUES (1), (2); SELECT count(*) FROM nsimple');
    await q(c, 'SELECT 1; SELECT 1 / 0; SELECT 3');
    await q(c, 'DROP TABLE nsimple');
  },
  async transactions(c) {
    await q(c, 'DROP TABLE IF EXISTS ntx');
    await q(c, 'CREATE TABLE ntx (id int PRIMARY KEY, v text)');
    await q(c, 'BEGIN');
    await q(c, 'INSERT INTO ntx VALUES ($1, $2)', [1, 'committed']);
    await q(c, 'COMMIT');
    await q(c, 'BEGIN');
    await q(c, 'INSERT INTO ntx VALUES ($1, $2)', [2, 'rolled back']);
    await q(c, 'ROLLBACK');
    await q(c, 'BEGIN');
    await q(c, 'INSERT INTO ntx VALUES ($1, $2)', [1, 'dup']);
    await q(c, 'SELECT 1');
    await q(c, 'COMMIT');
    await q(c, 'BEGIN');
    await q(c, 'SAVEPOINT s');
    await q(c, 'INSERT INTO ntx VALUES ($1, $2)', [3, 'gone']);
    await q(c, 'ROLLBACK TO SAVEPOINT s');
    await q(c, 'INSERT INTO ntx VALUES ($1, $2)', [4, 'kept']);
    await q(c, 'COMMIT');
    await q(c, 'SELECT * FROM ntx ORDER BY id');
  },
  async errors(c) {
    await q(c, 'SELECT * FROM nosuch');
    await q(c, 'SELEC 1');
    await q(c, 'SELECT $1::int', ['x']);
    await q(c, 'SELECT 99999::int2');
    await q(c, 'INSERT INTO ntx VALUES (NULL, $1)', ['n']);
  },
  async notify(c) {
    // two clients: the listener gets what the other one sends, at its
    // commit, in order, once per distinct notification
    const other = new Client({ host, port: +port, database, user: 'postgres' });
    await other.connect();
    const got = [];
    c.on('notification', (m) => got.push(`${m.channel} ${m.payload} ${m.processId === other.processID ? 'from-other' : 'from-?'}`));
    await q(c, 'LISTEN chan');
    await q(other, 'BEGIN');
    await q(other, "NOTIFY chan, 'one'");
    await q(other, "SELECT pg_notify('chan', 'two')");
    await q(other, "NOTIFY chan, 'one'");
    await new Promise((r) => setTimeout(r, 300));
    console.log(`  before commit: ${got.length}`);
    await q(other, 'COMMIT');
    await q(other, "NOTIFY chan, 'three'");
    await new Promise((r) => setTimeout(r, 500));
    for (const g of got) console.log('  ' + g);
    await other.end();
  },
};

(async () => {
  for (const [name, fn] of Object.entries(sections)) {
    if (only.length && !only.includes(name)) continue;
    console.log(name);
    const c = new Client({ host, port: +port, database, user: 'postgres' });
    await c.connect();
    try {
      await fn(c);
    } catch (e) {
      console.log(`  UNEXPECTED ${e.message}`);
    }
    await c.end();
  }
})();
