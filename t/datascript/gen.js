#!/usr/bin/env node
// gen.js: the DataScript differential test's case generator.
//
//   node gen.js [--seed N] [--random N] [--out FILE]
//
// Builds a seeded random dataset of ~300 people (names, ages, salaries,
// scores, unique emails, cities, levels, card-many friends and tags, a
// parent), runs hand-written query templates and randomly generated queries
// through DataScript, and writes a case file in the format of t/datalog/README
// with DataScript's answer as :expect, entity ids written as #ref "tempid".
// Queries DataScript refuses are counted and left out; so are random queries
// with huge results and most random queries with empty ones.  The same seed
// and DataScript version give the same file.  A summary goes to stderr.
'use strict';

const fs = require('fs');
const { read, readOne, print, E } = require('./edn.js');
const ds = require('./ds.js');

// ------------------------------------------------------------------ options
const opt = { seed: 20240611, random: 320, out: null };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--seed') opt.seed = Number(process.argv[++i]);
  else if (a === '--random') opt.random = Number(process.argv[++i]);
  else if (a === '--out') opt.out = process.argv[++i];
  else { console.error('usage: gen.js [--seed N] [--random N] [--out FILE]'); process.exit(2); }
}

// mulberry32: small, seedable, the same everywhere
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(opt.seed);
const ri = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1)); // inclusive
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const chance = (p) => rand() < p;
const S = (s) => JSON.stringify(s); // an EDN string literal (ASCII only here)

// ------------------------------------------------------------------ dataset
const N = 300;
const FIRST = ['Ada', 'Bo', 'Cy', 'Di', 'Ed', 'Fay', 'Gus', 'Hal', 'Ivy', 'Jo', 'Kim', 'Lu', 'Max', 'Nia', 'Oz', 'Pia'];
const LAST = ['Berg', 'Dahl', 'Holm', 'Lund', 'Moe', 'Ness', 'Strand', 'Vik'];
const CITIES = ['Oslo', 'Bergen', 'Berlin', 'Paris', 'Rome', 'Lima', 'Tokyo', 'Quito'];
const TAGS = ['art', 'chess', 'dance', 'food', 'golf', 'hiking', 'jazz', 'tech'];
const LEVELS = ['junior', 'mid', 'senior', 'lead'];

const ATTRS = {
  'person/name': { type: 'string', unique: 'identity' },
  'person/email': { type: 'string', unique: 'value' },
  'person/age': { type: 'long' },
  'person/salary': { type: 'long' },
  'person/score': { type: 'double' },
  'person/active': { type: 'boolean' },
  'person/city': { type: 'string' },
  'person/level': { type: 'keyword' },
  'person/tags': { type: 'string', many: true },
  'person/friend': { type: 'ref', many: true },
  'person/parent': { type: 'ref' },
};

const people = [];
for (let i = 0; i < N; i++) {
  const p = {
    id: 'p' + i,
    name: `${pick(FIRST)} ${pick(LAST)} ${i}`,
    email: `p${i}@example.org`,
    age: ri(1, 90),
    city: pick(CITIES),
    level: pick(LEVELS),
    active: chance(0.6),
    score: ri(0, 200) / 2, // multiples of 0.5: sums are exact in any order
    tags: [...new Set(Array.from({ length: ri(0, 3) }, () => pick(TAGS)))].sort(),
    friends: [],
  };
  if (chance(0.85)) p.salary = ri(10, 90) * 100;
  if (i > 0 && chance(0.7)) p.parent = ri(Math.max(0, i - 60), i - 1);
  people.push(p);
}
for (const p of people) {
  const k = chance(0.2) ? 0 : ri(1, 4);
  const fs2 = new Set();
  for (let j = 0; j < k; j++) fs2.add(ri(0, N - 1));
  p.friends = [...fs2].sort((a, b) => a - b);
}

function schemaEdn() {
  const maps = Object.entries(ATTRS).map(([id, a]) => {
    let s = `{:db/ident :${id} :db/valueType :db.type/${a.type} :db/cardinality :db.cardinality/${a.many ? 'many' : 'one'}`;
    if (a.unique) s += ` :db/unique :db.unique/${a.unique}`;
    return s + '}';
  });
  return '[' + maps.join('\n          ') + ']';
}
function tx1Edn() {
  return '[' + people.map((p) => {
    let s = `{:db/id ${S(p.id)} :person/name ${S(p.name)} :person/email ${S(p.email)} :person/age ${p.age}` +
      ` :person/city ${S(p.city)} :person/level :${p.level} :person/active ${p.active} :person/score ${print(E.float(p.score))}`;
    if (p.salary !== undefined) s += ` :person/salary ${p.salary}`;
    if (p.tags.length) s += ` :person/tags [${p.tags.map(S).join(' ')}]`;
    return s + '}';
  }).join('\n         ') + ']';
}
function tx2Edn() {
  const forms = [];
  for (const p of people) {
    if (p.parent !== undefined) forms.push(`[:db/add #ref ${S(p.id)} :person/parent #ref ${S('p' + p.parent)}]`);
    for (const f of p.friends) forms.push(`[:db/add #ref ${S(p.id)} :person/friend #ref ${S('p' + f)}]`);
  }
  return '[' + forms.join('\n         ') + ']';
}

const schemaText = schemaEdn();
const dataText = `[${tx1Edn()}\n        ${tx2Edn()}]`;
const d = ds.loadDatascript();
const dbx = ds.buildDb(d, [readOne(schemaText)], readOne(dataText).items);
const idToTemp = {};
for (const [k, v] of Object.entries(dbx.tempids)) idToTemp[v] = k;

// ------------------------------------------------------------------ results
// JS result -> EDN by column type: long double string boolean keyword ref
// attr pull, {vec: t}, {set: t}.
function conv(js, t) {
  if (js === null || js === undefined) return E.nil;
  if (typeof t === 'object') {
    if (t.vec) return E.vec(js.map((x) => conv(x, t.vec)));
    if (t.set) return E.set(sortForms(js.map((x) => conv(x, t.set))));
  }
  switch (t) {
    case 'long':
      if (!Number.isInteger(js)) throw new Error(`expected a long, got ${js}`);
      return E.int(js);
    case 'double': return E.float(js);
    case 'string': return E.str(js);
    case 'boolean': return E.bool(js);
    case 'keyword': case 'attr': return E.kw(String(js).replace(/^:/, ''));
    case 'ref': {
      const name = idToTemp[js];
      if (name === undefined) throw new Error(`entity ${js} has no tempid`);
      return E.tag('ref', E.str(name));
    }
    case 'pull': return convPull(js);
    default: throw new Error('unknown type ' + JSON.stringify(t));
  }
}

function convPull(o) {
  if (o === null) return E.nil;
  const pairs = [];
  for (const [k, v] of Object.entries(o)) {
    if (k === 'id' || k === ':db/id') { pairs.push([E.kw('db/id'), conv(v, 'ref')]); continue; }
    const name = k.replace(/^:/, '');
    const rev = /\/_/.test(name);
    const a = ATTRS[name.replace('/_', '/')];
    if (!a) throw new Error('pull key ' + k);
    const one = (x) => (a.type === 'ref' ? convPull(x) : conv(x, a.type));
    pairs.push([E.kw(name), rev || a.many ? E.vec(v.map(one)) : one(v)]);
  }
  return E.map(pairs);
}

function sortForms(forms) {
  return forms.map((f) => [print(f), f]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((x) => x[1]);
}

// ------------------------------------------------------------------ cases
const cases = [];
const stats = { tried: 0, written: 0, dsErrors: 0, tooBig: 0, emptySkipped: 0, byKind: {} };
const dsErrors = {};

// Run query text (with inputs, EDN texts) in DataScript; on success add a case.
// types: one per find element (pull: 'pull').  o.eps, o.random.
function add(kind, qtext, types, inputs = [], o = {}) {
  stats.tried++;
  if (process.env.GEN_DEBUG) console.error('gen.js: ' + kind + ': ' + qtext);
  const q = readOne(qtext);
  const ins = inputs.map(readOne);
  let res;
  try {
    res = ds.runQuery(d, { $: dbx.db }, q, ins, dbx);
  } catch (e) {
    stats.dsErrors++;
    const why = e.message.split('\n')[0].slice(0, 70);
    dsErrors[why] = (dsErrors[why] || 0) + 1;
    return false;
  }
  let v = res.value;
  const rows = Array.isArray(v) ? v.length : 1;
  if (o.random && rows > 400) { stats.tooBig++; return false; }
  if (o.random && (v === null || rows === 0) && !chance(0.15)) { stats.emptySkipped++; return false; }
  let expect;
  if (res.shape === 'pull') expect = convPull(v);
  else if (res.shape === 'scalar') expect = conv(v, types[0]);
  else if (res.shape === 'tuple') expect = v === null ? E.nil : E.vec(v.map((x, i) => conv(x, types[i])));
  else if (res.shape === 'coll') expect = E.vec(sortForms(v.map((x) => conv(x, types[0]))));
  else {
    const keys = res.parts.keys ? 'keys' : res.parts.strs ? 'strs' : res.parts.syms ? 'syms' : null;
    const row = (r) => {
      if (!keys) return E.vec(r.map((x, i) => conv(x, types[i])));
      return E.map(res.parts[keys].map((k, i) => [
        keys === 'keys' ? E.kw(k.v) : keys === 'strs' ? E.str(k.v) : E.sym(k.v), conv(r[k.v], types[i])]));
    };
    const forms = sortForms(v.map(row));
    expect = res.parts.with ? E.vec(forms) : E.set(forms);
  }
  stats.written++;
  stats.byKind[kind] = (stats.byKind[kind] || 0) + 1;
  let s = `{:name ${S(`${String(cases.length + 1).padStart(3, '0')} ${kind}`)}\n :dataset "gen"\n :query ${print(q)}`;
  if (ins.length) s += `\n :in [${ins.map(print).join(' ')}]`;
  if (o.eps) s += `\n :epsilon ${o.eps}`;
  s += `\n :expect ${print(expect)}}`;
  cases.push(s);
  return true;
}

const somePerson = () => pick(people);
const withSalary = () => { for (;;) { const p = pick(people); if (p.salary !== undefined) return p; } };
const ANC = '[[(anc ?x ?a) [?x :person/parent ?a]] [(anc ?x ?a) [?x :person/parent ?p] (anc ?p ?a)]]';
// Recursion over the cyclic friend graph is exponential in DataScript's
// top-down evaluation; friends within two hops is a two-branch rule instead.
const HOP2 = '[[(hop2 ?a ?b) [?a :person/friend ?b]] [(hop2 ?a ?b) [?a :person/friend ?x] [?x :person/friend ?b]]]';

// --- hand-written templates, each instantiated a few times with constants
// drawn from the data
const TEMPLATES = [
  ['lookup scalar', () => { const p = somePerson(); const a = pick(['age', 'city', 'score', 'active', 'level']);
    add('lookup scalar', `[:find ?v . :where [?e :person/email ${S(p.email)}] [?e :person/${a} ?v]]`, [ATTRS['person/' + a].type]); }],
  ['lookup ref', () => { const p = somePerson();
    add('lookup ref', `[:find ?a . :where [[:person/name ${S(p.name)}] :person/age ?a]]`, ['long']); }],
  ['by city', () => add('by city', `[:find ?n :where [?e :person/city ${S(pick(CITIES))}] [?e :person/name ?n]]`, ['string'])],
  ['by keyword', () => add('by keyword', `[:find ?e :where [?e :person/level :${pick(LEVELS)}] [?e :person/city ${S(pick(CITIES))}]]`, ['ref'])],
  ['range', () => { const lo = ri(1, 60), hi = lo + ri(1, 20);
    add('range', `[:find ?n ?a :where [?e :person/age ?a] [(< ${lo} ?a ${hi})] [?e :person/name ?n]]`, ['string', 'long']); }],
  ['collection find', () => add('collection find', `[:find [?a ...] :where [?e :person/city ${S(pick(CITIES))}] [?e :person/age ?a]]`, ['long'])],
  ['tuple find', () => { const p = somePerson();
    add('tuple find', `[:find [?c ?l] :where [?e :person/email ${S(p.email)}] [?e :person/city ?c] [?e :person/level ?l]]`, ['string', 'keyword']); }],
  ['friends', () => { const p = somePerson();
    add('friends', `[:find ?n :where [?e :person/name ${S(p.name)}] [?e :person/friend ?f] [?f :person/name ?n]]`, ['string']); }],
  ['friends of friends', () => { const p = somePerson();
    add('friends of friends', `[:find ?f2 :where [?e :person/email ${S(p.email)}] [?e :person/friend ?f] [?f :person/friend ?f2] [(not= ?e ?f2)]]`, ['ref']); }],
  ['reverse ref', () => { const p = somePerson();
    add('reverse ref', `[:find ?n :where [?c :person/parent ?p] [?p :person/name ${S(p.name)}] [?c :person/name ?n]]`, ['string']); }],
  ['not', () => add('not', `[:find ?n :where [?e :person/city ${S(pick(CITIES))}] [?e :person/name ?n] (not [?e :person/tags ${S(pick(TAGS))}])]`, ['string'])],
  ['not-join', () => add('not-join', `[:find ?e :where [?e :person/level :${pick(LEVELS)}] [?e :person/active true] (not-join [?e] [?e :person/friend ?f] [?f :person/city ${S(pick(CITIES))}])]`, ['ref'])],
  ['or', () => add('or', `[:find ?n :where (or [?e :person/city ${S(pick(CITIES))}] [?e :person/tags ${S(pick(TAGS))}]) [?e :person/age ?a] [(> ?a ${ri(50, 85)})] [?e :person/name ?n]]`, ['string'])],
  ['or-join', () => add('or-join', `[:find ?e :where [?e :person/city ${S(pick(CITIES))}] (or-join [?e] (and [?e :person/friend ?f] [?f :person/level :lead]) [?e :person/salary ${withSalary().salary}])]`, ['ref'])],
  ['get-else', () => add('get-else', `[:find ?n ?s :where [?e :person/city ${S(pick(CITIES))}] [?e :person/level :${pick(LEVELS)}] [?e :person/name ?n] [(get-else $ ?e :person/salary -1) ?s]]`, ['string', 'long'])],
  ['missing?', () => add('missing?', `[:find ?n :where [?e :person/city ${S(pick(CITIES))}] [?e :person/name ?n] [(missing? $ ?e :person/parent)]]`, ['string'])],
  ['str', () => add('str', `[:find ?s :where [?e :person/level :${pick(LEVELS)}] [?e :person/city ${S(pick(CITIES))}] [?e :person/age ?a] [?e :person/email ?m] [(str ?m "/" ?a) ?s]]`, ['string'])],
  ['arithmetic', () => add('arithmetic', `[:find ?n ?x :where [?e :person/city ${S(pick(CITIES))}] [?e :person/salary ?s] [?e :person/age ?a] [(* ?a 100) ?y] [(- ?s ?y) ?x] [(> ?x ${ri(0, 4000)})] [?e :person/name ?n]]`, ['string', 'long'])],
  ['string predicate', () => add('string predicate', `[:find ?n :where [?e :person/name ?n] [(str/starts-with? ?n ${S(pick(FIRST) + ' ' + pick(LAST))})]]`, ['string'])],
  ['count by city', () => add('count by city', '[:find ?c (count ?e) :where [?e :person/city ?c]]', ['string', 'long'])],
  ['count by tag', () => add('count by tag', `[:find ?t (count ?e) :where [?e :person/tags ?t] [?e :person/level :${pick(LEVELS)}]]`, ['string', 'long'])],
  ['sum with', () => add('sum with', `[:find ?c (sum ?s) :with ?e :where [?e :person/city ?c] [?e :person/salary ?s] [?e :person/level :${pick(LEVELS)}]]`, ['string', 'long'])],
  ['sum doubles', () => add('sum doubles', `[:find ?l (sum ?x) :with ?e :where [?e :person/level ?l] [?e :person/score ?x] [?e :person/city ${S(pick(CITIES))}]]`, ['keyword', 'double'])],
  ['avg', () => add('avg', `[:find ?c (avg ?a) :with ?e :where [?e :person/city ?c] [?e :person/age ?a] [?e :person/active ${chance(0.5)}]]`, ['string', 'double'], [], { eps: '1e-9' })],
  ['min max', () => add('min max', `[:find ?c (min ?a) (max ?a) :where [?e :person/city ?c] [?e :person/age ?a] [?e :person/tags ${S(pick(TAGS))}]]`, ['string', 'long', 'long'])],
  ['median', () => add('median', `[:find ?c (median ?x) :with ?e :where [?e :person/city ?c] [?e :person/score ?x] [?e :person/level :${pick(LEVELS)}]]`, ['string', 'double'])],
  ['variance', () => add('variance', `[:find ?c (variance ?a) (stddev ?a) :with ?e :where [?e :person/city ?c] [?e :person/age ?a]]`, ['string', 'double', 'double'], [], { eps: '1e-9' })],
  ['count-distinct', () => add('count-distinct', `[:find ?l (count-distinct ?c) :where [?e :person/level ?l] [?e :person/city ?c] [?e :person/tags ${S(pick(TAGS))}]]`, ['keyword', 'long'])],
  ['distinct', () => add('distinct', `[:find ?c (distinct ?l) :where [?e :person/city ?c] [?e :person/level ?l] [?e :person/tags ${S(pick(TAGS))}]]`, ['string', { set: 'keyword' }])],
  ['min n max n', () => add('min n max n', `[:find ?c (min 3 ?a) (max 2 ?a) :where [?e :person/city ?c] [?e :person/age ?a]]`, ['string', { vec: 'long' }, { vec: 'long' }])],
  ['scalar aggregate', () => add('scalar aggregate', `[:find (count ?e) . :where [?e :person/city ${S(pick(CITIES))}] [?e :person/active ${chance(0.5)}]]`, ['long'])],
  ['keys', () => add('keys', `[:find ?n ?a :keys name age :where [?e :person/level :lead] [?e :person/city ${S(pick(CITIES))}] [?e :person/name ?n] [?e :person/age ?a]]`, ['string', 'long'])],
  ['collection input', () => add('collection input', '[:find ?n :in $ [?c ...] ?min :where [?e :person/city ?c] [?e :person/age ?a] [(>= ?a ?min)] [?e :person/name ?n]]', ['string'], [`[${S(pick(CITIES))} ${S(pick(CITIES))}]`, String(ri(60, 85))])],
  ['relation input', () => { const a = somePerson(), b = somePerson();
    add('relation input', '[:find ?c ?bonus :in $ [[?n ?bonus]] :where [?e :person/name ?n] [?e :person/city ?c]]', ['string', 'long'], [`[[${S(a.name)} ${ri(1, 9)}] [${S(b.name)} ${ri(10, 19)}]]`]); }],
  ['tuple input', () => { const p = somePerson();
    add('tuple input', '[:find ?e . :in $ [?c ?a] :where [?e :person/city ?c] [?e :person/age ?a]]', ['ref'], [`[${S(p.city)} ${p.age}]`]); }],
  ['ancestors', () => { const p = pick(people.filter((x) => x.parent !== undefined));
    add('ancestors', `[:find ?a :in $ % :where [?x :person/email ${S(p.email)}] (anc ?x ?a)]`, ['ref'], [ANC]); }],
  ['descendant count', () => { const p = pick(people.slice(0, 60));
    add('descendant count', `[:find (count ?x) . :in $ % :where [?a :person/email ${S(p.email)}] (anc ?x ?a)]`, ['long'], [ANC]); }],
  ['two hops', () => { const p = somePerson();
    add('two hops', `[:find ?b :in $ % :where [?a :person/email ${S(p.email)}] (hop2 ?a ?b)]`, ['ref'], [HOP2]); }],
  ['pull', () => add('pull', `[:find (pull ?e [:person/name :person/age :person/level {:person/parent [:person/name]}]) :where [?e :person/city ${S(pick(CITIES))}] [?e :person/tags ${S(pick(TAGS))}]]`, ['pull'])],
  ['pull wildcard', () => { const p = somePerson();
    add('pull wildcard', `[:find (pull ?e [*]) . :where [?e :person/email ${S(p.email)}]]`, ['pull']); }],
  ['pull reverse', () => { const p = pick(people.slice(0, 100));
    add('pull reverse', `(pull [:person/email ${S(p.email)}] [:person/name {:person/_parent [:person/name]} {:person/friend [:person/city]}])`, ['pull']); }],
  ['pull recursive', () => { const p = pick(people.filter((x) => x.parent !== undefined));
    add('pull recursive', `(pull [:person/name ${S(p.name)}] [:person/age {:person/parent ...}])`, ['pull']); }],
];

for (let round = 0; round < 3; round++)
  for (const [, f] of TEMPLATES) f();

// --- random queries: 1-4 connected patterns, maybe a predicate, a negation,
// a disjunction, a function binding, an aggregate
const SCALAR_ATTRS = ['person/name', 'person/email', 'person/age', 'person/salary', 'person/score', 'person/active', 'person/city', 'person/level', 'person/tags'];
const lit = (type, v) => type === 'string' ? S(v) : type === 'keyword' ? ':' + v : type === 'double' ? print(E.float(v)) : String(v);
const valueOf = (p, attr) => {
  const k = { 'person/name': 'name', 'person/email': 'email', 'person/age': 'age', 'person/salary': 'salary', 'person/score': 'score',
    'person/active': 'active', 'person/city': 'city', 'person/level': 'level', 'person/tags': 'tags' }[attr];
  const v = p[k];
  return Array.isArray(v) ? (v.length ? pick(v) : undefined) : v;
};

function randomQuery() {
  const ents = ['?e0'];
  const vals = []; // {v, type}
  const where = [];
  let nv = 0;
  const npat = ri(1, 4);
  for (let i = 0; i < npat; i++) {
    const e = pick(ents);
    if (chance(0.3) && ents.length < 3) {
      const ref = pick(['person/friend', 'person/parent']);
      const ne = '?e' + ents.length;
      if (chance(0.5)) { where.push(`[${e} :${ref} ${ne}]`); } else { where.push(`[${ne} :${ref} ${e}]`); }
      ents.push(ne);
      continue;
    }
    const attr = pick(SCALAR_ATTRS);
    const type = ATTRS[attr].type;
    if (chance(0.35)) {
      const v = valueOf(somePerson(), attr);
      if (v === undefined) continue;
      where.push(`[${e} :${attr} ${lit(type, v)}]`);
    } else {
      const v = '?v' + nv++;
      where.push(`[${e} :${attr} ${v}]`);
      vals.push({ v, type, attr });
    }
  }
  if (!where.length) return;
  // a predicate on a numeric or string value
  const nums = vals.filter((x) => x.type === 'long' || x.type === 'double');
  if (nums.length && chance(0.5)) {
    const x = pick(nums);
    const c = valueOf(somePerson(), x.attr);
    if (c !== undefined) where.push(`[(${pick(['<', '>', '<=', '>=', 'not='])} ${x.v} ${lit(x.type, c)})]`);
  }
  const strs = vals.filter((x) => x.type === 'string');
  if (strs.length && chance(0.2)) {
    const x = pick(strs);
    where.push(`[(${pick(['<', '>='])} ${x.v} ${S(pick('BEGHMPT'))})]`);
  }
  if (chance(0.25)) where.push(`(not [${pick(ents)} :person/${pick(['city', 'level', 'tags'])} ${pick([S(pick(CITIES)), ':' + pick(LEVELS), S(pick(TAGS))])}])`);
  if (chance(0.2)) {
    const e = pick(ents);
    where.push(`(or [${e} :person/city ${S(pick(CITIES))}] [${e} :person/level :${pick(LEVELS)}])`);
  }
  if (nums.length && chance(0.3)) {
    const x = pick(nums);
    const w = '?w' + nv++;
    const f = pick(['+', '-', '*']);
    where.push(`[(${f} ${x.v} ${x.type === 'double' ? '2.0' : ri(1, 9)}) ${w}]`);
    vals.push({ v: w, type: x.type, attr: x.attr });
  }
  // find
  const cols = [...ents.map((v) => ({ v, type: 'ref' })), ...vals];
  if (chance(0.2) && cols.length >= 1) {
    const g = vals.filter((x) => x.type !== 'double');
    const group = g.length && chance(0.7) ? pick(g) : null;
    const agg = pick(['count', 'count-distinct', 'min', 'max']);
    const target = agg === 'count' || agg === 'count-distinct' ? pick(ents) : null;
    const nt = vals.filter((x) => x.type === 'long');
    if (agg === 'min' || agg === 'max') {
      if (!nt.length) return;
      const t = pick(nt);
      const find = group && group !== t ? `${group.v} (${agg} ${t.v})` : `(${agg} ${t.v})`;
      const types = group && group !== t ? [group.type, 'long'] : ['long'];
      add('random aggregate', `[:find ${find} :where ${where.join(' ')}]`, types, [], { random: true });
    } else {
      const find = group ? `${group.v} (${agg} ${target})` : `(${agg} ${target})`;
      add('random aggregate', `[:find ${find} :where ${where.join(' ')}]`, group ? [group.type, 'long'] : ['long'], [], { random: true });
    }
    return;
  }
  const k = ri(1, Math.min(3, cols.length));
  const chosen = [];
  const pool = cols.slice();
  for (let i = 0; i < k; i++) chosen.push(pool.splice(Math.floor(rand() * pool.length), 1)[0]);
  add('random join', `[:find ${chosen.map((c) => c.v).join(' ')} :where ${where.join(' ')}]`, chosen.map((c) => c.type), [], { random: true });
}

let guard = 0;
const before = stats.written;
while (stats.written - before < opt.random && guard++ < opt.random * 20) randomQuery();

// ------------------------------------------------------------------ output
const header = `;; Generated by t/datascript/gen.js --seed ${opt.seed} --random ${opt.random} from DataScript ${
  require('./package.json').dependencies.datascript}; do not edit.
;; ${stats.written} cases; expectations are DataScript's answers.
`;
const text = header + `{:dataset "gen"\n :schema ${schemaText}\n :data ${dataText}}\n\n` + cases.join('\n\n') + '\n';
if (opt.out) fs.writeFileSync(opt.out, text); else process.stdout.write(text);
console.error(`gen.js: seed ${opt.seed}: ${stats.tried} queries tried, ${stats.written} cases written, ` +
  `${stats.dsErrors} refused by DataScript, ${stats.tooBig} random ones too large, ${stats.emptySkipped} random empty ones left out`);
for (const [k, n] of Object.entries(stats.byKind)) console.error(`gen.js:   ${n} x ${k}`);
for (const [k, n] of Object.entries(dsErrors)) console.error(`gen.js:   DataScript refused ${n}: ${k}`);
