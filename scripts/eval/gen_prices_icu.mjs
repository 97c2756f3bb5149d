#!/usr/bin/env node
// Writes tests/fixtures/eval/prices-icu-frozen.tsv: prices as ICU formats them
// (Node's Intl.NumberFormat; ICU 78.2, CLDR 48 in Node 20.20), a second
// generator beside scripts/eval/gen_prices.py (Babel 2.19, CLDR 47): another
// implementation, a newer CLDR, the locale's own digits by default (ICU writes
// ar-EG in Arabic-Indic digits), and narrow symbols Babel does not give.
// The whole set is frozen: written once, before the parser was looked at
// against it, and never tuned to.
//
//     node scripts/eval/gen_prices_icu.mjs     # same output for the same Node
//
// Locales: the identifiers Babel ships (target/eval-data/babel-unpacked, made
// by gen_prices.py), those ICU supports. Currencies: USD, EUR and one drawn
// (seeded) from the codes in data/currencies.tsv. Forms: symbol, narrow
// symbol, ISO code, name. Labels as in gen_prices.py: with the hint the
// currency formatted; without, only when the printed symbol names that one
// currency in every locale here (or is the ISO code); name forms only with
// the hint.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const babelData = join(root, 'target/eval-data/babel-unpacked/babel/locale-data');
const tags = readdirSync(babelData)
  .filter((f) => f.endsWith('.dat') && f !== 'root.dat')
  .map((f) => f.slice(0, -4).replaceAll('_', '-'))
  .filter((t) => Intl.NumberFormat.supportedLocalesOf([t]).length === 1)
  .sort();
const codes = readFileSync(join(root, 'data/currencies.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => l.split('\t')[0]);

// mulberry32: a fixed stream for the draws.
let seed = 20261202;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (list) => list[Math.floor(random() * list.length)];

const symbolOf = (tag, code, display) =>
  new Intl.NumberFormat(tag, { style: 'currency', currency: code, currencyDisplay: display })
    .formatToParts(1)
    .filter((p) => p.type === 'currency')
    .map((p) => p.value)
    .join('');

// Every symbol printed for every currency in any locale: which name one only.
const names = new Map();
for (const tag of tags) {
  for (const code of codes) {
    for (const display of ['symbol', 'narrowSymbol']) {
      const s = symbolOf(tag, code, display);
      if (!names.has(s)) names.set(s, new Set());
      names.get(s).add(code);
    }
  }
}

const escape = (s) =>
  [...s]
    .map((ch) => (/[\p{Cf}\p{Zs}\p{Cc}]/u.test(ch) && ch !== ' ' ? `\\u{${ch.codePointAt(0).toString(16)}}` : ch))
    .join('');

const rows = [];
const seen = new Set();
const push = (row) => {
  const key = row.slice(0, 5).join('\t'); // the same case under another note is one row
  if (!seen.has(key)) {
    seen.add(key);
    rows.push(row.join('\t'));
  }
};
for (const tag of tags) {
  const drawn = [...new Set(['USD', 'EUR', pick(codes)])];
  for (const code of drawn) {
    const digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
      .maximumFractionDigits;
    const magnitude = pick([1, 100, 10_000, 10_000_000]);
    const amount = (Math.floor(random() * magnitude * 100) + 1) / 100;
    const plain = amount.toFixed(digits);
    for (const display of ['symbol', 'narrowSymbol', 'code', 'name']) {
      const text = new Intl.NumberFormat(tag, { style: 'currency', currency: code, currencyDisplay: display }).format(
        Number(plain),
      );
      const note = `${tag} ${display}`;
      push([escape(text), code, '', plain, code, note]);
      if (display === 'name') continue;
      const printed = symbolOf(tag, code, display);
      const only = printed === code || (names.get(printed)?.size === 1 && names.get(printed).has(code));
      push([escape(text), '', '', plain, only ? code : '', `${note} no hint`]);
    }
  }
}
const header = 'text\tcurrency_hint\tdecimal_separator\tamount\tcurrency\tnote\n';
const out = join(root, 'tests/fixtures/eval/prices-icu-frozen.tsv');
writeFileSync(out, header + rows.map((r) => `${r}\n`).join(''));
console.log(`tests/fixtures/eval/prices-icu-frozen.tsv: ${rows.length} rows (${tags.length} locales, Node ${process.versions.node}, ICU ${process.versions.icu}, CLDR ${process.versions.cldr})`);
