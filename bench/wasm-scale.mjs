// Registry scale in wasm (issue 3) and check latency in wasm (issue 7): the
// built engine (`make wasm`) in Node, on the files and queries that
// `cargo bench --bench scale` wrote to target/bench/. For each registry: the
// time until the engine is ready, split as Engine.load reports it (verify /
// decode / index), the wasm memory it took, and checkSignals latency
// (median, p99) over the same 4000 queries as the native run.
//
// Memory: a fresh wasm instance per registry, so `WebAssembly.Memory` grows
// from the same start; the figure is the memory's size after load (what the
// engine and its peak left allocated, as wasm memory never shrinks).
//
// The rows are also written to target/bench/results/wasm.json for the
// summary table `make bench` ends with (bench/summary.mjs).
//
// Usage: node bench/wasm-scale.mjs [SIZES…]   (default 10000 100000 1000000)
import { readFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (p) => path.join(root, p);
const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const key = readFileSync(at('target/bench/bench.pub'), 'utf8');
const wasmBytes = readFileSync(at('extension/pkg/genuine_bg.wasm'));
const mb = (b) => (b / 1e6).toFixed(1);

// Each registry in its own instance of the module: a query string makes the
// import a different module record.
let instance = 0;
async function fresh() {
  // eslint-disable-next-line no-unsanitized/method -- our own build's module, a query string apart
  const mod = await import(`${at('extension/pkg/genuine.js')}?i=${instance++}`);
  const exports = await mod.default({ module_or_path: wasmBytes });
  return { Engine: mod.Engine, memory: exports.memory };
}

function latency(engine, queries) {
  const best = new Array(queries.length).fill(Infinity);
  // Best of three passes per query, as natively: the tail is about queries.
  for (let pass = 0; pass < 3; pass++) {
    queries.forEach((q, i) => {
      const t = performance.now();
      engine.checkSignals(q);
      best[i] = Math.min(best[i], (performance.now() - t) * 1000);
    });
  }
  const pct = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return [s[Math.floor(s.length / 2)], s[Math.floor(s.length * 0.99)]];
  };
  return [pct(best), ...[0, 1, 2, 3].map((k) => pct(best.filter((_, i) => i % 4 === k)))];
}

export async function wasmScale(which = [10000, 100000, 1000000]) {
  console.log('registry scale, wasm in Node ' + process.version + ': load times the best of 3 loads, each in a fresh instance; checkSignals includes the JS↔wasm crossing');
  console.log(`${'accounts'.padStart(9)} ${'form'.padStart(9)} ${'verify'.padStart(8)} ${'decode'.padStart(8)} ${'index'.padStart(8)} ${'ready'.padStart(9)} ${'wasm MB'.padStart(8)} ${'check p50'.padStart(10)} ${'check p99'.padStart(10)}`);
  const rows = [];
  for (const n of which) {
    // JSON and compiled as downloaded (Engine.load: signature), and compiled
    // from the extension's cache (Engine.loadCached: checksum), as on a wake.
    /** @type {[string, string, boolean][]} */
    const forms = [['JSON', `registry-${n}.json.signed`, false], ['compiled', `registry-${n}.signed`, false], ['cached', `registry-${n}.signed`, true]];
    for (const [form, file, cached] of forms) {
      if (!existsSync(at(`target/bench/${file}`))) continue;
      const bytes = readFileSync(at(`target/bench/${file}`));
      // Best of three loads, each in a fresh instance (the machine is shared).
      const loads = [];
      let engine = null;
      for (let run = 0; run < 3; run++) {
        engine?.free();
        const { Engine, memory } = await fresh();
        const sum = cached ? Engine.checksum(bytes) : null;
        const before = memory.buffer.byteLength;
        const t = performance.now();
        engine = cached ? Engine.loadCached(bytes, key, sum) : Engine.load(bytes, key);
        const ready = performance.now() - t;
        loads.push({ ready, split: engine.info().load_ms, before, after: memory.buffer.byteLength });
      }
      const best = loads.reduce((a, b) => (b.ready < a.ready ? b : a));
      const { ready } = best;
      const { before, after: wasmMem } = loads[0];
      const queries = JSON.parse(readFileSync(at(`target/bench/queries-${n}.json`), 'utf8'));
      const [[p50, p99], ...kinds] = latency(engine, queries);
      const { verify, decode, index } = best.split;
      console.log(`${String(n).padStart(9)} ${form.padStart(9)} ${verify.toFixed(1).padStart(6)}ms ${decode.toFixed(1).padStart(6)}ms ${index.toFixed(1).padStart(6)}ms ${ready.toFixed(1).padStart(7)}ms ${mb(wasmMem).padStart(8)} ${p50.toFixed(1).padStart(8)}µs ${p99.toFixed(1).padStart(8)}µs`);
      console.log(`${''.padStart(20)} check p50/p99 µs by query kind: ${['by id', 'homoglyph', 'typo', 'unrelated'].map((k, i) => `${k} ${kinds[i][0].toFixed(1)}/${kinds[i][1].toFixed(1)}`).join(', ')}; ready of the 3 loads ${loads.map((l) => l.ready.toFixed(1)).join(' / ')} ms; memory before load ${mb(before)} MB`);
      rows.push({ n, form, ready, wasmMem, p50, p99 });
      engine.free();
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await wasmScale(sizes.length ? sizes : undefined);
  mkdirSync(at('target/bench/results'), { recursive: true });
  writeFileSync(at('target/bench/results/wasm.json'), JSON.stringify(rows.map((r) => ({ part: 'wasm', ...r })), null, 1));
}
