// ds.js: the bridge between dh's Datalog test cases and DataScript's JS API.
//
// DataScript's JS API keeps attribute names and keyword values as strings,
// so the bridge spells every keyword of data, queries and inputs as a string
// with its colon (":person/name", ":red"), except the query's own keywords
// (:find :in :where ...), pull options (:as :limit :default) and :db/id.
// Strings in our data never start with ':', so results map back without
// ambiguity.  Numbers lose the long/double distinction in JS; comparisons
// here treat them numerically, and gen.js restores the type from the schema.
'use strict';

const path = require('path');
const { read, readOne, print, E, mapGet, mapEntries } = require('./edn.js');

function loadDatascript() {
  const dirs = [process.env.DH_DATASCRIPT_DIR, process.cwd(), __dirname].filter(Boolean);
  for (const d of dirs) {
    try {
      return require(path.join(d, 'node_modules', 'datascript'));
    } catch (e) { /* next */ }
  }
  return require('datascript');
}

// Types DataScript's JS API cannot carry faithfully.
const UNSUPPORTED_TAGS = new Set(['inst', 'uuid', 'bytes']);

class Unsupported extends Error {}

// --- schema: dh tx-data -> DataScript's schema map and our attribute table
function translateSchema(forms) {
  const attrs = {}; // ident -> {type, many, unique, component}
  const ds = {};
  for (const tx of forms) {
    for (const m of tx.items) {
      if (m.t !== 'map') throw new Unsupported('schema form is not a map');
      const ident = mapGet(m, 'db/ident').v;
      const vt = mapGet(m, 'db/valueType');
      const card = mapGet(m, 'db/cardinality');
      const uniq = mapGet(m, 'db/unique');
      const comp = mapGet(m, 'db/isComponent');
      const a = {
        type: vt ? vt.v.replace('db.type/', '') : 'any',
        many: !!(card && card.v === 'db.cardinality/many'),
        unique: uniq ? uniq.v.replace('db.unique/', '') : null,
        component: !!(comp && comp.v),
      };
      attrs[ident] = a;
      const s = {};
      if (a.type === 'ref') s[':db/valueType'] = ':db.type/ref';
      if (a.many) s[':db/cardinality'] = ':db.cardinality/many';
      if (a.unique) s[':db/unique'] = ':db.unique/' + a.unique;
      if (a.component) s[':db/isComponent'] = true;
      ds[':' + ident] = s;
    }
  }
  return { attrs, ds };
}

// --- values: EDN form -> JS value for DataScript
function toJs(x, ctx) {
  switch (x.t) {
    case 'nil': return null;
    case 'bool': return x.v;
    case 'int': return Number(x.v);
    case 'float': return x.v;
    case 'str': return x.v;
    case 'kw': return ':' + x.v;
    case 'vec': case 'list': return x.items.map((y) => toJs(y, ctx));
    case 'set': return x.items.map((y) => toJs(y, ctx));
    case 'map': {
      const o = {};
      for (const [k, v] of mapEntries(x)) o[k.t === 'kw' ? ':' + k.v : String(toJs(k, ctx))] = toJs(v, ctx);
      return o;
    }
    case 'tag':
      if (x.tag === 'ref') return refId(x, ctx);
      throw new Unsupported('value #' + x.tag + ' ' + print(x.v));
    default:
      throw new Unsupported('value ' + print(x));
  }
}

function refId(x, ctx) {
  const id = ctx && ctx.tempids[x.v.v];
  if (id === undefined) throw new Unsupported('unknown #ref ' + print(x.v));
  return id;
}

// One tx-data vector -> JS tx-data.  Tempid strings stay strings.
function translateTx(tx, ctx) {
  return tx.items.map((f) => {
    if (f.t === 'map') {
      const o = {};
      for (const [k, v] of mapEntries(f)) {
        if (k.t !== 'kw') throw new Unsupported('entity map key ' + print(k));
        o[k.v === 'db/id' ? ':db/id' : ':' + k.v] = toJs(v, ctx);
      }
      return o;
    }
    if (f.t === 'vec' || f.t === 'list') {
      const [op, ...rest] = f.items;
      return [':' + op.v, ...rest.map((y) => toJs(y, ctx))];
    }
    throw new Unsupported('tx form ' + print(f));
  });
}

function hasUnsupported(x) {
  if (x.t === 'tag') return UNSUPPORTED_TAGS.has(x.tag) || hasUnsupported(x.v);
  if (x.t === 'bigdec' || x.t === 'char') return true;
  if (x.items) return x.items.some(hasUnsupported);
  return false;
}

// Build a DataScript db from a dataset {schema:[tx...], data:[tx...]}.
// Returns {db, tempids, attrs, txids} or throws Unsupported.
function buildDb(d, schemaTxs, dataTxs) {
  if (schemaTxs.some(hasUnsupported) || dataTxs.some(hasUnsupported))
    throw new Unsupported('dataset uses a type DataScript cannot hold (instant, uuid, bigdec, bytes)');
  const { attrs, ds } = translateSchema(schemaTxs);
  for (const a of Object.values(attrs))
    if (['instant', 'uuid', 'bigdec', 'bytes'].includes(a.type))
      throw new Unsupported('dataset has an attribute of type ' + a.type);
  const conn = d.create_conn(ds);
  const ctx = { tempids: {}, txids: [] };
  for (const tx of dataTxs) {
    const rep = d.transact(conn, translateTx(tx, ctx));
    for (const [k, v] of Object.entries(rep.tempids)) {
      if (k === ':db/current-tx') continue;
      if (ctx.tempids[k] === undefined) ctx.tempids[k] = v;
    }
    ctx.txids.push(rep.tempids[':db/current-tx']);
  }
  return { db: d.db(conn), tempids: ctx.tempids, attrs, txids: ctx.txids };
}

// --- queries
const QUERY_KWS = new Set(['find', 'in', 'where', 'with', 'keys', 'strs', 'syms']);
const PULL_OPTS = new Set(['as', 'limit', 'default']);
const FN_RENAMES = {
  'str/starts-with?': 'clojure.string/starts-with?',
  'str/ends-with?': 'clojure.string/ends-with?',
  'str/includes?': 'clojure.string/includes?',
  'str/blank?': 'clojure.string/blank?',
};

// Translate a query form into DataScript's dialect (see the top comment).
function translateForm(x, ctx, inPull) {
  switch (x.t) {
    case 'kw':
      if (x.v === 'db/id' || (inPull && PULL_OPTS.has(x.v))) return x;
      return E.str(':' + x.v);
    case 'sym':
      return FN_RENAMES[x.v] ? E.sym(FN_RENAMES[x.v]) : x;
    case 'tag':
      if (x.tag === 'ref') return E.int(refId(x, ctx));
      throw new Unsupported('#' + x.tag + ' in a query');
    case 'bigdec': case 'char':
      throw new Unsupported(print(x) + ' in a query');
    case 'list': {
      const head = x.items[0];
      const pull = head && head.t === 'sym' && head.v === 'pull';
      return { t: 'list', items: x.items.map((y) => translateForm(y, ctx, inPull || pull)) };
    }
    case 'vec': case 'set': case 'map':
      return { t: x.t, items: x.items.map((y) => translateForm(y, ctx, inPull)) };
    default:
      return x;
  }
}

// The query's clauses as {find, in, with, where, keys...} (vector or map form).
function queryParts(q) {
  const parts = {};
  if (q.t === 'map') {
    for (const [k, v] of mapEntries(q)) parts[k.v] = v.items;
    return parts;
  }
  let cur = null;
  for (const it of q.items) {
    if (it.t === 'kw' && QUERY_KWS.has(it.v)) { cur = it.v; parts[cur] = []; continue; }
    parts[cur].push(it);
  }
  return parts;
}

function translateQuery(q, ctx) {
  const parts = queryParts(q);
  const out = [];
  for (const k of ['find', 'keys', 'strs', 'syms', 'with', 'in', 'where']) {
    let items = parts[k];
    if (k === 'in' && !items) items = [E.sym('$')];
    if (!items) continue;
    out.push(E.kw(k));
    for (const it of items) {
      if (k === 'find' || k === 'where' || k === 'in') out.push(translateForm(it, ctx, false));
      else out.push(it);
    }
  }
  return { text: print(E.vec(out)), parts };
}

// The shape of a query's result from its :find.
function findShape(parts) {
  const f = parts.find;
  if (f.length === 2 && f[1].t === 'sym' && f[1].v === '.') return 'scalar';
  if (f.length === 1 && f[0].t === 'vec') {
    const it = f[0].items;
    if (it.length === 2 && it[1].t === 'sym' && it[1].v === '...') return 'coll';
    return 'tuple';
  }
  return 'rel';
}

// Run one query (a form, already #ref-free or with ctx.tempids) with its
// non-$ inputs against db.  Returns the JS result.
function runQuery(d, dbs, q, inputs, ctx) {
  if (q.t === 'list') {
    // standalone (pull EID PATTERN)
    const [, eid, pat] = q.items;
    const e = toJs(eid, ctx);
    return { shape: 'pull', value: d.pull(dbs.$, print(translateForm(pat, ctx, true)), e) };
  }
  const { text, parts } = translateQuery(q, ctx);
  const ins = parts.in || [E.sym('$')];
  const args = [];
  let k = 0;
  for (const it of ins) {
    if (it.t === 'sym' && it.v.startsWith('$')) {
      if (!dbs[it.v]) throw new Unsupported('source ' + it.v);
      args.push(dbs[it.v]);
    } else if (it.t === 'sym' && it.v === '%') {
      args.push(print(translateForm(inputs[k++], ctx, false)));
    } else {
      args.push(toJs(inputs[k++], ctx));
    }
  }
  return { shape: findShape(parts), parts, text, value: d.q(text, ...args) };
}

// --- comparing a JS result with an expected EDN form (#refs already ints)
function numEq(a, b, eps) {
  if (a === b) return true;
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (!eps) return false;
  return Math.abs(a - b) <= eps * Math.max(1, Math.abs(a), Math.abs(b));
}

function keyCandidates(k, keysKind) {
  if (k.t === 'kw') return k.v === 'db/id' ? ['id', ':db/id'] : [':' + k.v, keysKind ? k.v : null];
  if (k.t === 'str') return [k.v];
  if (k.t === 'sym') return [k.v];
  return [String(toJs(k))];
}

function match(exp, js, o) {
  switch (exp.t) {
    case 'nil': return js === null || js === undefined;
    case 'bool': return js === exp.v;
    case 'int': return typeof js === 'number' && numEq(Number(exp.v), js, o.eps);
    case 'float': return typeof js === 'number' && numEq(exp.v, js, o.eps);
    case 'str': return js === exp.v;
    case 'kw': return js === ':' + exp.v || js === exp.v;
    case 'sym': return js === exp.v;
    case 'vec': case 'list':
      return Array.isArray(js) && js.length === exp.items.length &&
        exp.items.every((x, i) => match(x, js[i], o));
    case 'set': return Array.isArray(js) && bagMatch(exp.items, js, o);
    case 'map': {
      if (js === null || typeof js !== 'object' || Array.isArray(js)) return false;
      const ents = mapEntries(exp);
      if (Object.keys(js).length !== ents.length) return false;
      return ents.every(([k, v]) => {
        const key = keyCandidates(k, o.keysKind).find((c) => c !== null && c in js);
        return key !== undefined && match(v, js[key], o);
      });
    }
    default: return false;
  }
}

function bagMatch(items, arr, o) {
  if (items.length !== arr.length) return false;
  const used = new Array(arr.length).fill(false);
  outer: for (const x of items) {
    for (let i = 0; i < arr.length; i++) {
      if (!used[i] && match(x, arr[i], o)) { used[i] = true; continue outer; }
    }
    return false;
  }
  return true;
}

// Compare a run result with an expected form.  Relations and collections
// are compared as multisets of rows, whatever their container.
function resultMatches(res, exp, o) {
  if ((res.shape === 'rel' || res.shape === 'coll') && (exp.t === 'set' || exp.t === 'vec'))
    return Array.isArray(res.value) && bagMatch(exp.items, res.value, o);
  return match(exp, res.value, o);
}

function countOf(js) {
  if (js === null || js === undefined) return 0;
  if (Array.isArray(js)) return js.length;
  return 1;
}

// Replace #ref "x" with the DataScript id and #tx K with its tx id.
function substRefs(x, ctx) {
  if (x.t === 'tag' && x.tag === 'ref') return E.int(refId(x, ctx));
  if (x.t === 'tag' && x.tag === 'tx') {
    const k = Number(x.v.v);
    if (!ctx.txids[k - 1]) throw new Unsupported('#tx ' + k);
    return E.int(ctx.txids[k - 1]);
  }
  if (x.items) return { t: x.t, items: x.items.map((y) => substRefs(y, ctx)) };
  if (x.t === 'tag') return { t: 'tag', tag: x.tag, v: substRefs(x.v, ctx) };
  return x;
}

module.exports = {
  loadDatascript, buildDb, translateSchema, translateTx, translateQuery, translateForm,
  runQuery, resultMatches, match, countOf, substRefs, queryParts, findShape, toJs, Unsupported,
};
