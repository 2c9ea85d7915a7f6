#!/usr/bin/env node
// check-corpus.js: run every case of t/datalog/*.edn that DataScript can run
// through DataScript and compare its answer with the case's :expect.
//
//   node check-corpus.js [-v] FILE.edn...
//
// A case is checked unless it needs what DataScript lacks: a time view
// (:view, :sources other than {}), an error (:error), types the JS API cannot hold
// (instants, uuids, bigdecs), or it says :datascript "why not" (a known,
// deliberate difference; it is still run and reported) or :datascript-skip
// "why not" (not even run: it would loop forever, say).  DataScript errors
// (an unknown function, say) count as "not runnable", never as agreement.
// Prints one line per disagreement and a summary; exits 1 on disagreement.
'use strict';

const fs = require('fs');
const { read, print, mapGet, mapEntries } = require('./edn.js');
const ds = require('./ds.js');

const args = process.argv.slice(2);
const verbose = args[0] === '-v' ? (args.shift(), true) : false;
const d = ds.loadDatascript();
const stats = { cases: 0, agreed: 0, disagreed: 0, notRunnable: 0, unsupported: 0, markedDiffer: 0, markedAgree: 0 };
const reasons = {};
const note = (cat, why) => { reasons[cat] = reasons[cat] || {}; reasons[cat][why] = (reasons[cat][why] || 0) + 1; };

// Extra sources on the current state ({} views) are the same db in DataScript.
function sourcesNeedViews(s) {
  return s && mapEntries(s).some(([, v]) => v.t !== 'map' || v.items.length > 0);
}

function datasetOf(f) {
  const schema = mapGet(f, 'schema');
  const data = mapGet(f, 'data');
  return { schema: schema ? [schema] : [], data: data ? data.items : [] };
}

for (const file of args) {
  const forms = read(fs.readFileSync(file, 'utf8'));
  const datasets = {};
  for (const f of forms) {
    const name = mapGet(f, 'name');
    if (!name) {
      const dsn = mapGet(f, 'dataset');
      datasets[dsn.v] = datasetOf(f);
      continue;
    }
    stats.cases++;
    const label = `${file}: ${name.v}`;
    const mark = mapGet(f, 'datascript');
    let why = null;
    const skip = mapGet(f, 'datascript-skip');
    if (skip) why = 'marked :datascript-skip: ' + skip.v;
    else if (mapGet(f, 'view')) why = 'time view';
    else if (sourcesNeedViews(mapGet(f, 'sources'))) why = 'extra time-view sources';
    else if (mapGet(f, 'error')) why = 'error case';
    if (why) { stats.unsupported++; note('unsupported', why); continue; }
    const dsn = mapGet(f, 'dataset');
    const dset = dsn ? datasets[dsn.v] : datasetOf(f);
    if (!dset) { console.log(`not ok ${label}: no dataset`); stats.disagreed++; continue; }
    let res, ctx, exp;
    try {
      ctx = ds.buildDb(d, dset.schema, dset.data);
      const inputs = (mapGet(f, 'in') || { items: [] }).items;
      const dbs = { $: ctx.db };
      const srcs = mapGet(f, 'sources');
      if (srcs) for (const [k] of mapEntries(srcs)) dbs[k.v] = ctx.db;
      res = ds.runQuery(d, dbs, mapGet(f, 'query'), inputs, ctx);
      const e = mapGet(f, 'expect');
      exp = e ? ds.substRefs(e, ctx) : null;
    } catch (e) {
      if (e instanceof ds.Unsupported) { stats.unsupported++; note('unsupported', e.message); continue; }
      stats.notRunnable++;
      note('DataScript error', e.message.split('\n')[0].slice(0, 80));
      if (verbose) console.log(`# ${label}: DataScript error: ${e.message.split('\n')[0]}`);
      continue;
    }
    const eps = mapGet(f, 'epsilon');
    const keysKind = res.parts && (res.parts.keys || res.parts.strs || res.parts.syms);
    const o = { eps: eps ? Number(eps.v) : 0, keysKind: !!keysKind };
    let ok;
    const cnt = mapGet(f, 'expect-count');
    if (cnt) ok = ds.countOf(res.value) === Number(cnt.v);
    else ok = ds.resultMatches(res, exp, o);
    if (mark) {
      if (ok) { stats.markedAgree++; console.log(`# ${label}: marked as differing (${mark.v}) but DataScript agrees`); }
      else { stats.markedDiffer++; note('marked as differing', mark.v); if (verbose) console.log(`# ${label}: DataScript gives ${JSON.stringify(res.value)}`); }
      continue;
    }
    if (ok) { stats.agreed++; if (verbose) console.log(`ok ${label}`); continue; }
    stats.disagreed++;
    console.log(`not ok ${label}`);
    console.log(`#   query:      ${res.text || print(mapGet(f, 'query'))}`);
    console.log(`#   expected:   ${exp ? print(exp) : 'count ' + cnt.v}`);
    console.log(`#   DataScript: ${JSON.stringify(res.value)}`);
  }
}

for (const [cat, m] of Object.entries(reasons)) {
  console.log(`# ${cat}:`);
  for (const [why, n] of Object.entries(m)) console.log(`#   ${n} x ${why}`);
}
console.log(`# ${stats.cases} cases: ${stats.agreed} agree with DataScript, ${stats.disagreed} disagree, ` +
  `${stats.markedDiffer} differ as marked, ${stats.markedAgree} marked but agree, ` +
  `${stats.notRunnable} not runnable in DataScript, ${stats.unsupported} need what DataScript lacks`);
console.log(`${stats.agreed} passed, ${stats.disagreed} failed`);
process.exit(stats.disagreed ? 1 : 0);
