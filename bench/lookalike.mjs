// Side by side on the evaluation corpus (tests/fixtures/eval/cases.tsv):
// (a) Genuine's engine, the built wasm (`make wasm`), and (b) the name
// matchers a team might reach for first, fuse.js and uFuzzy, over the
// official store names with their usual thresholds. Reports danger
// precision/recall, false alarms on the cases that should stay quiet, and
// the median time per check, all measured in this one run.
//
// Usage: node bench/lookalike.mjs   (after `make wasm` and `cargo build`)
import { readFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import Fuse from 'fuse.js';
import uFuzzy from '@leeoniya/ufuzzy';
import init, { Engine } from '../extension/pkg/genuine.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (p) => path.join(root, p);
const EVAL = 'tests/fixtures/eval';

// The evaluation registry, imported and signed with the published demo key
// (the wasm Engine only loads signed files; these are test fixtures).
function signedRegistry() {
  mkdirSync(at('target/eval'), { recursive: true });
  const genuine = at('target/debug/genuine');
  execFileSync(genuine, ['registry', 'import', '--accounts', at(`${EVAL}/accounts.csv`),
    '--products', at(`${EVAL}/products.csv`), '--blocklist', at(`${EVAL}/blocklist.csv`),
    '--publisher', 'evaluation fixtures', '--demo', '--out', at('target/eval/registry.json')]);
  execFileSync(genuine, ['registry', 'sign', '--key', at('www/demo/registry/demo.secret'),
    at('target/eval/registry.json'), '--out', at('target/eval/registry.signed')]);
  return readFileSync(at('target/eval/registry.signed'));
}

const unescape = (s) => s.replace(/\\u\{([0-9a-fA-F]+)\}/g, (_, h) => String.fromCodePoint(parseInt(h, 16)));

function cases() {
  const [, ...lines] = readFileSync(at(`${EVAL}/cases.tsv`), 'utf8').split('\n').filter((l) => l.trim());
  return lines.map((l) => {
    const c = l.split('\t');
    const opt = (s) => (s ? unescape(s) : undefined);
    return {
      kind: c[0], expected: c[8],
      signals: { platform: c[1], store_name: opt(c[2]), store_id: opt(c[3]), title: opt(c[4]),
        brand: opt(c[5]), price: opt(c[6]), currency: opt(c[7]), gtin: opt(c[11]) },
    };
  });
}

function accounts() {
  const [, ...rows] = readFileSync(at(`${EVAL}/accounts.csv`), 'utf8').trim().split('\n');
  return rows.map((r) => {
    const [brand, , platform, store_name, store_id] = r.split(',');
    return { brand, platform, store_name, store_id };
  });
}

// A name matcher's verdict: a listed store (same platform, name and id) is
// official; a name close to an official store's name is a look-alike.
function nameMatcher(search) {
  const listed = accounts();
  return (s) => {
    const own = listed.find((a) => a.platform === s.platform && a.store_name === s.store_name
      && (!s.store_id || a.store_id === s.store_id));
    if (own) return 'official';
    return s.store_name && search(s.store_name) ? 'danger' : 'none';
  };
}

function fuseMatcher() {
  // fuse.js defaults: threshold 0.6 is very loose; 0.3 is the usual "strict" choice.
  const fuse = new Fuse(accounts().map((a) => a.store_name), { includeScore: true, threshold: 0.3 });
  return nameMatcher((name) => fuse.search(name, { limit: 1 }).length > 0);
}

function ufuzzyMatcher() {
  // intraMode 1: one typo (substitution, transposition, insertion, deletion) per term.
  const uf = new uFuzzy({ intraMode: 1 });
  const haystack = accounts().map((a) => a.store_name);
  return nameMatcher((name) => (uf.filter(haystack, name) ?? []).length > 0);
}

function measure(label, judge, all) {
  const times = [];
  let tp = 0, predicted = 0, actual = 0, negatives = 0, alarms = 0;
  for (const c of all) {
    const t0 = process.hrtime.bigint();
    const got = judge(c.signals);
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
    const warn = got === 'danger' || got === 'caution';
    if (c.expected === 'danger') actual++;
    if (got === 'danger') predicted++;
    if (got === 'danger' && c.expected === 'danger') tp++;
    if (c.expected === 'none') { negatives++; if (warn) alarms++; }
  }
  times.sort((a, b) => a - b);
  return { label, precision: tp / (predicted || 1), recall: tp / (actual || 1), alarms, negatives,
    median_us: times[Math.floor(times.length / 2)] };
}

await init({ module_or_path: readFileSync(at('extension/pkg/genuine_bg.wasm')) });
const engine = Engine.load(signedRegistry(), readFileSync(at('www/demo/registry/demo.pub'), 'utf8'));
const all = cases();
const genuine = (s) => engine.checkSignals(Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined))).level;
// One warm-up pass each, so that JIT and wasm compilation are not timed.
const judges = [['genuine (wasm)', genuine], ['fuse.js 0.3', fuseMatcher()], ['uFuzzy intraMode 1', ufuzzyMatcher()]];
for (const [, j] of judges) for (const c of all) j(c.signals);
const results = judges.map(([label, j]) => measure(label, j, all));
const base = results[0].median_us;
console.log(`${all.length} cases (${all.filter((c) => c.expected === 'danger').length} danger, ${results[0].negatives} negatives)`);
console.log('matcher              danger P  danger R  false alarms    median µs/check  (× genuine)');
for (const r of results) {
  console.log(`${r.label.padEnd(20)} ${r.precision.toFixed(3).padStart(8)}  ${r.recall.toFixed(3).padStart(8)}  `
    + `${`${r.alarms}/${r.negatives}`.padStart(7)} ${(r.alarms / r.negatives).toFixed(3)}  ${r.median_us.toFixed(1).padStart(10)}  ${(r.median_us / base).toFixed(2).padStart(8)}`);
}
