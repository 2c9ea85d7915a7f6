// edn.js: a small EDN reader and printer for the Datalog test tools.
//
// Forms are plain objects tagged by t:
//   {t:'nil'} {t:'bool',v} {t:'int',v:BigInt} {t:'float',v:Number}
//   {t:'bigdec',v:'1.50'} {t:'char',v} {t:'str',v} {t:'sym',v} {t:'kw',v}
//   {t:'list'|'vec'|'set',items} {t:'map',items:[k0,v0,k1,v1,...]}
//   {t:'tag',tag,v}
// Keywords and tags are kept without their ':' / '#'.  Enough of EDN for
// queries, tx-data and results; not a validating reader.
'use strict';

class EdnError extends Error {}

function read(text) {
  let i = 0;
  const n = text.length;
  const ws = () => {
    for (;;) {
      while (i < n && /[\s,]/.test(text[i])) i++;
      if (text[i] === ';') { while (i < n && text[i] !== '\n') i++; continue; }
      if (text[i] === '#' && text[i + 1] === '_') { i += 2; form(); continue; }
      break;
    }
  };
  const delim = (c) => c === undefined || /[\s,()[\]{}";]/.test(c);
  const seq = (close) => {
    const items = [];
    for (;;) {
      ws();
      if (i >= n) throw new EdnError(`unterminated collection, expected '${close}'`);
      if (text[i] === close) { i++; return items; }
      items.push(form());
    }
  };
  function form() {
    ws();
    if (i >= n) throw new EdnError('unexpected end of input');
    const c = text[i];
    if (c === '(') { i++; return { t: 'list', items: seq(')') }; }
    if (c === '[') { i++; return { t: 'vec', items: seq(']') }; }
    if (c === '{') { i++; return { t: 'map', items: seq('}') }; }
    if (c === '"') {
      i++;
      let s = '';
      for (;;) {
        if (i >= n) throw new EdnError('unterminated string');
        const ch = text[i++];
        if (ch === '"') break;
        if (ch === '\\') {
          const e = text[i++];
          if (e === 'n') s += '\n'; else if (e === 't') s += '\t'; else if (e === 'r') s += '\r';
          else if (e === 'b') s += '\b'; else if (e === 'f') s += '\f';
          else if (e === 'u') { s += String.fromCharCode(parseInt(text.substr(i, 4), 16)); i += 4; }
          else s += e;
        } else s += ch;
      }
      return { t: 'str', v: s };
    }
    if (c === '#') {
      i++;
      if (text[i] === '{') { i++; return { t: 'set', items: seq('}') }; }
      if (text[i] === '#') {
        i++;
        const s = token();
        return { t: 'float', v: s === 'NaN' ? NaN : s === 'Inf' ? Infinity : -Infinity };
      }
      const tag = token();
      return { t: 'tag', tag, v: form() };
    }
    if (c === '\\') {
      i++;
      let s = text[i++];
      while (!delim(text[i])) s += text[i++];
      const names = { newline: '\n', space: ' ', tab: '\t', return: '\r' };
      return { t: 'char', v: names[s] || s };
    }
    if (c === ')' || c === ']' || c === '}') throw new EdnError(`unexpected '${c}'`);
    const s = token();
    if (s[0] === ':') return { t: 'kw', v: s.slice(1) };
    if (/^[-+]?\d/.test(s)) {
      if (/^[-+]?\d+N?$/.test(s)) return { t: 'int', v: BigInt(s.replace(/N$/, '')) };
      if (/M$/.test(s)) return { t: 'bigdec', v: s.slice(0, -1).replace(/^\+/, '') };
      return { t: 'float', v: Number(s) };
    }
    if (s === 'nil') return { t: 'nil' };
    if (s === 'true') return { t: 'bool', v: true };
    if (s === 'false') return { t: 'bool', v: false };
    return { t: 'sym', v: s };
  }
  function token() {
    const st = i;
    while (i < n && !delim(text[i])) i++;
    if (st === i) throw new EdnError(`unexpected character '${text[i]}'`);
    return text.slice(st, i);
  }
  const out = [];
  for (;;) {
    ws();
    if (i >= n) return out;
    out.push(form());
  }
}

function readOne(text) {
  const f = read(text);
  if (f.length !== 1) throw new EdnError(`expected one form, found ${f.length}`);
  return f[0];
}

function fmtFloat(d) {
  if (Number.isNaN(d)) return '##NaN';
  if (d === Infinity) return '##Inf';
  if (d === -Infinity) return '##-Inf';
  let s = String(d);
  if (/e/.test(s)) {
    let [m, e] = s.split('e');
    if (!/\./.test(m)) m += '.0';
    return m + 'E' + e.replace(/^\+/, '');
  }
  if (!/\./.test(s)) s += '.0';
  return s;
}

function quote(s) {
  let o = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === '"') o += '\\"';
    else if (ch === '\\') o += '\\\\';
    else if (ch === '\n') o += '\\n';
    else if (ch === '\t') o += '\\t';
    else if (ch === '\r') o += '\\r';
    else if (c < 0x20) o += '\\u' + c.toString(16).padStart(4, '0');
    else o += ch;
  }
  return o + '"';
}

function print(x) {
  switch (x.t) {
    case 'nil': return 'nil';
    case 'bool': return x.v ? 'true' : 'false';
    case 'int': return x.v.toString();
    case 'float': return fmtFloat(x.v);
    case 'bigdec': return x.v + 'M';
    case 'char': return x.v === '\n' ? '\\newline' : x.v === ' ' ? '\\space' : '\\' + x.v;
    case 'str': return quote(x.v);
    case 'sym': return x.v;
    case 'kw': return ':' + x.v;
    case 'list': return '(' + x.items.map(print).join(' ') + ')';
    case 'vec': return '[' + x.items.map(print).join(' ') + ']';
    case 'set': return '#{' + x.items.map(print).join(' ') + '}';
    case 'map': {
      const parts = [];
      for (let k = 0; k < x.items.length; k += 2)
        parts.push(print(x.items[k]) + ' ' + print(x.items[k + 1]));
      return '{' + parts.join(', ') + '}';
    }
    case 'tag': return '#' + x.tag + ' ' + print(x.v);
    default: throw new EdnError('cannot print ' + JSON.stringify(x));
  }
}

// Constructors and accessors.
const E = {
  nil: { t: 'nil' },
  bool: (v) => ({ t: 'bool', v: !!v }),
  int: (v) => ({ t: 'int', v: BigInt(v) }),
  float: (v) => ({ t: 'float', v }),
  str: (v) => ({ t: 'str', v }),
  sym: (v) => ({ t: 'sym', v }),
  kw: (v) => ({ t: 'kw', v }),
  vec: (items) => ({ t: 'vec', items }),
  list: (items) => ({ t: 'list', items }),
  set: (items) => ({ t: 'set', items }),
  map: (pairs) => ({ t: 'map', items: pairs.flat() }),
  tag: (tag, v) => ({ t: 'tag', tag, v }),
};

function mapGet(m, kw) {
  if (!m || m.t !== 'map') return undefined;
  for (let k = 0; k < m.items.length; k += 2)
    if (m.items[k].t === 'kw' && m.items[k].v === kw) return m.items[k + 1];
  return undefined;
}
function mapGetStr(m, s) {
  if (!m || m.t !== 'map') return undefined;
  for (let k = 0; k < m.items.length; k += 2)
    if (m.items[k].t === 'str' && m.items[k].v === s) return m.items[k + 1];
  return undefined;
}
function mapEntries(m) {
  const out = [];
  for (let k = 0; k < m.items.length; k += 2) out.push([m.items[k], m.items[k + 1]]);
  return out;
}

module.exports = { read, readOne, print, E, mapGet, mapGetStr, mapEntries, EdnError, fmtFloat };
