// Side by side on the frozen generated splits (tests/fixtures/eval/{generated,dnstwist}-frozen.tsv,
// issue 13: names nobody here tuned the engine on; the hand corpus cases.tsv,
// which the engine was tuned on, is printed after it, marked as such):
// (a) Genuine's engine, the built wasm (`make wasm`), and (b) the name
// matchers a team might reach for first, fuse.js and uFuzzy, over the
// official store names with their usual thresholds. Reports danger
// precision/recall, false alarms on the cases that should stay quiet, and
// the median time per check, all measured in this one run.
//
// Then the same queries at scale (issue 7): the evaluation registry plus the
// synthetic brands of `cargo bench --bench scale` (10^5 and 10^6 accounts,
// files in target/bench/), the matchers searching all those store names. A
// fuse.js search is linear in the names (about half a second per query at
// 10^5, five at 10^6), so fuse.js runs on a fixed sample of the cases, and
// all three are also scored on that sample for a like-for-like ratio.
//
// Usage: node bench/lookalike.mjs   (after `make wasm`, `cargo build` and, for
// the scale part, `cargo bench --bench scale`)
import { readFileSync, mkdirSync, existsSync } from 'node:fs';
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
    '--publisher', 'evaluation fixtures', '--demo', '--out', at('target/eval/registry.json')], { stdio: 'ignore' });
  execFileSync(genuine, ['registry', 'compile', '--key', at('www/demo/registry/demo.secret'),
    at('target/eval/registry.json'), '--out', at('target/eval/registry.signed')], { stdio: 'ignore' });
  return readFileSync(at('target/eval/registry.signed'));
}

const unescape = (s) => s.replace(/\\u\{([0-9a-fA-F]+)\}/g, (_, h) => String.fromCodePoint(parseInt(h, 16)));

function cases(file) {
  const [, ...lines] = readFileSync(at(`${EVAL}/${file}`), 'utf8').split('\n').filter((l) => l.trim());
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
function nameMatcher(listed, search) {
  const byName = new Map();
  for (const a of listed) {
    const k = `${a.platform}\t${a.store_name}`;
    byName.set(k, [...(byName.get(k) ?? []), a]);
  }
  return (s) => {
    const own = (byName.get(`${s.platform}\t${s.store_name}`) ?? []).find((a) => !s.store_id || a.store_id === s.store_id);
    if (own) return 'official';
    return s.store_name && search(s.store_name) ? 'danger' : 'none';
  };
}

function fuseMatcher(listed) {
  // fuse.js defaults: threshold 0.6 is very loose; 0.3 is the usual "strict" choice.
  const fuse = new Fuse(listed.map((a) => a.store_name), { includeScore: true, threshold: 0.3 });
  return nameMatcher(listed, (name) => fuse.search(name, { limit: 1 }).length > 0);
}

function ufuzzyMatcher(listed) {
  // intraMode 1: one typo (substitution, transposition, insertion, deletion) per term.
  const uf = new uFuzzy({ intraMode: 1 });
  const haystack = listed.map((a) => a.store_name);
  return nameMatcher(listed, (name) => (uf.filter(haystack, name) ?? []).length > 0);
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
  return { label, cases: all.length, precision: tp / (predicted || 1), recall: tp / (actual || 1), alarms, negatives,
    median_us: times[Math.floor(times.length / 2)] };
}

function table(results, base) {
  console.log('matcher              cases  danger P  danger R  false alarms    median µs/check  (× genuine)');
  for (const r of results) {
    console.log(`${r.label.padEnd(20)} ${String(r.cases).padStart(5)} ${r.precision.toFixed(3).padStart(8)}  ${r.recall.toFixed(3).padStart(8)}  `
      + `${`${r.alarms}/${r.negatives}`.padStart(7)} ${(r.alarms / (r.negatives || 1)).toFixed(3)}  ${r.median_us.toFixed(1).padStart(12)}  ${(r.median_us / base).toFixed(2).padStart(8)}`);
  }
}

const checker = (engine) => (s) => engine.checkSignals(Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined))).level;

// One warm-up pass each, so that JIT and wasm compilation are not timed.
function run(judges, cases) {
  for (const [, j] of judges) for (const c of cases.slice(0, 50)) j(c.signals);
  return judges.map(([label, j]) => measure(label, j, cases));
}

await init({ module_or_path: readFileSync(at('extension/pkg/genuine_bg.wasm')) });
const all = cases('generated-frozen.tsv');
const dnstwist = cases('dnstwist-frozen.tsv');
const tuned = cases('cases.tsv');
{
  const engine = Engine.load(signedRegistry(), readFileSync(at('www/demo/registry/demo.pub'), 'utf8'));
  const listed = accounts();
  for (const [what, set] of /** @type {[string, any[]][]} */ ([['FROZEN generated split (not tuned on)', all], ['FROZEN dnstwist split (not tuned on)', dnstwist], ['hand corpus cases.tsv (tuned on: a training score)', tuned]])) {
    const results = run([['genuine (wasm)', checker(engine)], ['fuse.js 0.3', fuseMatcher(listed)], ['uFuzzy intraMode 1', ufuzzyMatcher(listed)]], set);
    console.log(`look-alike search, evaluation registry (${listed.length} accounts), ${what}: ${set.length} cases (${set.filter((c) => c.expected === 'danger').length} danger, ${results[0].negatives} negatives)`);
    table(results, results[0].median_us);
  }
  engine.free();
}

// A fixed sample: every k-th case, so danger cases and quiet ones keep their share.
const sample = (k) => all.filter((_, i) => i % k === 0);

for (const [n, k] of [[100000, 10], [1000000, 25]]) {
  const file = at(`target/bench/lookalike-${n}.signed`);
  if (!existsSync(file)) continue;
  const engine = Engine.load(readFileSync(file), readFileSync(at('target/bench/bench.pub'), 'utf8'));
  const listed = JSON.parse(readFileSync(at(`target/bench/lookalike-${n}.names.json`), 'utf8'))
    .map(([platform, store_name, store_id]) => ({ platform, store_name, store_id }));
  const genuine = checker(engine);
  const uf = ufuzzyMatcher(listed);
  const t = performance.now();
  const fuse = fuseMatcher(listed);
  const fuseIndexMs = performance.now() - t;
  const some = sample(k);
  console.log(`\nlook-alike search at scale: evaluation registry + synthetic brands, ${listed.length} accounts; the ${all.length} cases of the frozen split`);
  const full = run([['genuine (wasm)', genuine], ['uFuzzy intraMode 1', uf]], all);
  table(full, full[0].median_us);
  console.log(`fuse.js on a sample of ${some.length} cases (every ${k}th: ${some.filter((c) => c.expected === 'danger').length} danger, ${some.filter((c) => c.expected === 'none').length} negatives), all three on that sample; fuse.js index built in ${fuseIndexMs.toFixed(0)} ms:`);
  const onSample = [measure('genuine (wasm)', genuine, some), measure('fuse.js 0.3', fuse, some), measure('uFuzzy intraMode 1', uf, some)];
  table(onSample, onSample[0].median_us);
  const [g, f] = onSample;
  console.log(`genuine vs fuse.js at ${n}: ${(f.median_us / g.median_us).toFixed(0)}× faster (target ≥ 20×); danger recall ${g.recall.toFixed(3)} vs ${f.recall.toFixed(3)} on the sample, ${full[0].recall.toFixed(3)} on all cases (target: higher than fuse.js)`);
  engine.free();
}
