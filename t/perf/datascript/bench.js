// bench.js: DataScript's own query benchmark (its bench/ folder: 20,000
// "person" entities, queries q1-q4, qpred1, qpred2, pull-many), run on node
// as the peer of t/perf/bench-query.c.
//
//   node bench.js [--seed S] [--n ENTITIES] [--edn FILE] [--min-s SECONDS]
//
// The dataset comes from a seeded xorshift32 generator that bench-query.c
// repeats bit for bit; --edn also writes it as dh tx-data (the schema, then
// one transaction per 1,000 entities, one form per line), so both sides load
// the same datoms.  Each query is parsed once per call by DataScript's JS API
// (it reads the query string and converts the result to JS arrays: that cost
// is in the numbers, as it is for any JS caller).
//
// Kept from DataScript's bench/: the persons, the queries, the schema-less
// db (no attribute has :db/index, so DataScript answers [?e :name "Ivan"]
// from AEVT; dh keeps every attribute in AVET).  Left out: the :full-name and
// :alias attributes later versions add to each person (no query here reads
// them).  Changed: each call is timed on its own (DataScript averages
// batches of 100 calls over 500 ms samples) and the warm-up is SECONDS, not 2 s.
//
// Output, one line per workload (lines starting with '#' are comments):
//   NAME MEDIAN_MS ROWS CHECKSUM RUNS
// ROWS counts result tuples (pull-many: non-nil maps); CHECKSUM sums every
// value that is not an entity id (numbers as themselves, strings and
// keywords by their length), so both sides can show they found the same
// answer without depending on how entity ids are numbered.
'use strict';

const fs = require('fs');
const d = require('datascript');

const args = { seed: 42, n: 20000, edn: null, minS: 0.5 };
for (let i = 2; i < process.argv.length; i++) {
	const a = process.argv[i], v = process.argv[i + 1];
	if (a === '--seed') args.seed = Number(v), i++;
	else if (a === '--n') args.n = Number(v), i++;
	else if (a === '--edn') args.edn = v, i++;
	else if (a === '--min-s') args.minS = Number(v), i++;
	else {
		process.stderr.write('usage: node bench.js [--seed S] [--n ENTITIES] [--edn FILE] [--min-s SECONDS]\n');
		process.exit(2);
	}
}

// --- the dataset (keep in step with gen_person in bench-query.c) ---
const NAMES = ['Ivan', 'Petr', 'Sergei', 'Oleg', 'Yuri', 'Dmitry', 'Fedor', 'Denis'];
const LAST = ['Ivanov', 'Petrov', 'Sidorov', 'Kovalev', 'Kuznetsov', 'Voronoi'];
const SEX = ['male', 'female'];
const BATCH = 1000;

let rng = (args.seed >>> 0) || 1;
function rint(n) {
	rng ^= rng << 13; rng >>>= 0;
	rng ^= rng >>> 17;
	rng ^= rng << 5; rng >>>= 0;
	return rng % n;
}

const people = [];
for (let i = 0; i < args.n; i++)
	people.push({
		name: NAMES[rint(NAMES.length)],
		'last-name': LAST[rint(LAST.length)],
		sex: SEX[rint(SEX.length)],
		age: rint(100),
		salary: rint(100000),
	});

const SCHEMA = '[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}' +
	' {:db/ident :last-name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}' +
	' {:db/ident :sex :db/valueType :db.type/keyword :db/cardinality :db.cardinality/one}' +
	' {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}' +
	' {:db/ident :salary :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]';

function ednPerson(p) {
	return `{:name "${p.name}" :last-name "${p['last-name']}" :sex :${p.sex} :age ${p.age} :salary ${p.salary}}`;
}

if (args.edn) {
	const out = [`; persons.edn: DataScript's benchmark dataset, ${args.n} persons, seed ${args.seed}`,
		'; written by t/perf/datascript/bench.js; the schema, then one tx per line', SCHEMA];
	for (let i = 0; i < people.length; i += BATCH)
		out.push('[' + people.slice(i, i + BATCH).map(ednPerson).join(' ') + ']');
	fs.writeFileSync(args.edn, out.join('\n') + '\n');
}

// --- timing ---
function nowMs() {
	return Number(process.hrtime.bigint()) / 1e6;
}

function median(v) {
	const s = v.slice().sort((a, b) => a - b), n = s.length;
	return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

// Warm up (at least 3 runs and minS seconds: V8's JIT takes a few hundred
// ms to settle), then at least 15 timed runs and at least minS seconds.
function bench(fn) {
	let r;
	let start = nowMs();
	for (let i = 0; i < 3 || nowMs() - start < args.minS * 1000; i++) r = fn();
	const t = [];
	start = nowMs();
	while (t.length < 15 || (nowMs() - start < args.minS * 1000 && t.length < 100000)) {
		const t0 = nowMs();
		r = fn();
		t.push(nowMs() - t0);
	}
	return { ms: median(t), runs: t.length, result: r };
}

function valsum(x) {
	if (typeof x === 'number') return x;
	if (typeof x === 'string') return Buffer.byteLength(x);
	return 0;
}

// Rows of a relation; column 0 is ?e and not summed.
function relsum(rows) {
	let s = 0;
	for (const r of rows)
		for (let i = 1; i < r.length; i++) s += valsum(r[i]);
	return s;
}

function report(name, ms, rows, sum, runs) {
	process.stdout.write(`${name} ${ms.toFixed(4)} ${rows} ${sum} ${runs}\n`);
}

process.stdout.write(`# datascript ${require('datascript/package.json').version} on node ${process.version}, ${args.n} persons, seed ${args.seed}\n`);

// Load as dh does: one transaction per 1,000 entities.  One run: a cold
// process, like dh's load.
let db;
{
	const t0 = nowMs();
	db = d.empty_db();
	for (let i = 0; i < people.length; i += BATCH)
		db = d.db_with(db, people.slice(i, i + BATCH));
	report('load', nowMs() - t0, d.datoms(db, ':eavt').length, 0, 1);
}

// Attributes are strings and :sex values the strings "male"/"female" in
// DataScript's JS API (it has no keywords); dh stores :sex as keywords.
const queries = [
	['q1', '[:find ?e :where [?e "name" "Ivan"]]', []],
	['q2', '[:find ?e ?a :where [?e "name" "Ivan"] [?e "age" ?a]]', []],
	['q3', '[:find ?e ?a :where [?e "name" "Ivan"] [?e "age" ?a] [?e "sex" "male"]]', []],
	['q4', '[:find ?e ?l ?a :where [?e "name" "Ivan"] [?e "last-name" ?l] [?e "age" ?a] [?e "sex" "male"]]', []],
	['qpred1', '[:find ?e ?s :where [?e "salary" ?s] [(> ?s 50000)]]', []],
	['qpred2', '[:find ?e ?s :in $ ?min_s :where [?e "salary" ?s] [(> ?s ?min_s)]]', [50000]],
	// not in DataScript's set: q1 without the cost of handing 2,501 tuples
	// to JS (clj->js), which is about half of q1's time here
	['q1-count', '[:find (count ?e) . :where [?e "name" "Ivan"]]', []],
];
for (const [name, text, inputs] of queries) {
	const r = bench(() => d.q(text, db, ...inputs));
	if (typeof r.result === 'number') // a scalar: one row, summed
		report(name, r.ms, 1, r.result, r.runs);
	else
		report(name, r.ms, r.result.length, relsum(r.result), r.runs);
}

// pull-many: every person, the eids collected outside the timing.
{
	const eids = d.q('[:find [?e ...] :where [?e "name"]]', db).sort((a, b) => a - b);
	const pattern = '["name" "last-name" "age" "sex" "salary"]';
	const r = bench(() => d.pull_many(db, pattern, eids));
	let rows = 0, sum = 0;
	for (const m of r.result) {
		if (m == null) continue;
		rows++;
		for (const k of Object.keys(m)) sum += valsum(m[k]);
	}
	report('pull-many', r.ms, rows, sum, r.runs);
}
