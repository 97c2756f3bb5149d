// make bench (browser part): how long after DOMContentLoaded the banner is up,
// with the background warm and with it stopped first (Chrome stops an idle
// MV3 worker after ~30 s, so the wake is what users meet most: the wasm is
// instantiated again and the registry loaded again before the verdict).
// Reported as medians of N runs and their ratio, measured in one run.
//
// Two registries: the demo one bundled with `make dist`, and, when
// `cargo bench --bench scale` has written it, the demo brands plus 10^5
// synthetic accounts in a copy of the extension. The large one is timed
// waking from the bundled copy (Engine.load: signature) and, after the
// extension downloaded its update into IndexedDB, from that cached copy
// (Engine.loadCached: checksum).
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import http from 'node:http';
import { startServer } from './server.mjs';
import { startFront } from './front.mjs';
import * as chromiumDriver from './chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const N = Number(process.env.BENCH_RUNS ?? 20);
const URL_ = 'https://detail.tmall.com/demo/tmall/lookalike.html';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stats = (xs) => `median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;

const server = await startServer(root);
const front = await startFront(server.port);

async function session(extDir, fn) {
  const { context, extensionId } = await chromiumDriver.launch(extDir, front.port);
  try {
    const page = await context.newPage();
    // The banner's host element lands in the light DOM; note when.
    await chromiumDriver.watchBanner(page);
    const stopWorker = () => chromiumDriver.stopWorker(context, page);
    const once = async () => {
      await page.goto(URL_);
      await page.waitForFunction(() => globalThis.__bannerAt !== undefined, null, { timeout: 30000 });
      return page.evaluate(() => globalThis.__bannerAt - /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType('navigation')[0]).domContentLoadedEventEnd);
    };
    const runs = async (cold) => {
      const out = [];
      for (let i = 0; i < N; i++) {
        if (cold) await stopWorker();
        out.push(await once());
      }
      return out;
    };
    await once(); // the install-time first start is not what users meet again
    return await fn({ context, extensionId, runs, once });
  } finally {
    await context.close();
  }
}

function report(label, warm, cold) {
  console.log(`${label}, worker warm:    ${stats(warm)}`);
  console.log(`${label}, worker stopped: ${stats(cold)}   (stopped / warm: ${(median(cold) / median(warm)).toFixed(2)})`);
}

// A hostile page (issue 17): ~35 MB, a product title of 6 million
// characters and 20,000 more elements, the seller a look-alike so that a
// banner shows. What the extension adds on top of the page itself: the time
// from DOMContentLoaded to the banner, and the highest JS heap sampled while
// the page loads and the content script reads it, against the same page in
// the same browser without the extension.
async function bigPage() {
  const title = 'Aurora Wellness Omega-3 '.repeat(250_000);
  const filler = '<div class="row"><span>item</span> '.concat('x'.repeat(1500), '</div>\n').repeat(20_000);
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>big</title></head><body>
<h1><span id="productTitle">${title}</span></h1>
<div id="merchant-info">Ships from and sold by <a id="sellerProfileTriggerId" href="/s?seller=A2BIG">Aur0ra Wellness 0fficial Store</a>.</div>
<div id="corePrice_feature_div"><span class="a-offscreen">$9.99</span></div>
${filler}</body></html>`;
  const body = Buffer.from(html);
  const pageServer = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "script-src 'none'" });
    res.end(body);
  });
  await new Promise((r) => pageServer.listen(0, '127.0.0.1', () => r(null)));
  const pageFront = await startFront(/** @type {import('node:net').AddressInfo} */ (pageServer.address()).port);
  const url = 'https://www.amazon.com/dp/B0BIGPAGE1';
  const runs = Math.max(3, Math.min(N, 5));
  const measure = async (withExtension) => {
    const { context } = await chromiumDriver.launch(join(root, 'dist/chrome'), pageFront.port, { noExtension: !withExtension });
    const times = [];
    const heaps = [];
    try {
      for (let i = 0; i < runs; i++) {
        const page = await context.newPage();
        await chromiumDriver.watchBanner(page);
        const cdp = await context.newCDPSession(page);
        let peak = 0;
        let sampling = true;
        const sampler = (async () => {
          while (sampling) {
            const h = await cdp.send('Runtime.getHeapUsage').catch(() => null);
            if (h) peak = Math.max(peak, h.usedSize);
            await new Promise((r) => setTimeout(r, 10));
          }
        })();
        await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120000 });
        if (withExtension) {
          await page.waitForFunction(() => globalThis.__bannerAt !== undefined, null, { timeout: 120000 });
          times.push(await page.evaluate(() => globalThis.__bannerAt - /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType('navigation')[0]).domContentLoadedEventEnd));
        } else {
          await new Promise((r) => setTimeout(r, 1500));
        }
        sampling = false;
        await sampler;
        heaps.push(peak / 1e6);
        await page.close();
      }
    } finally {
      await context.close();
    }
    return { times, heaps };
  };
  try {
    const bare = await measure(false);
    const ext = await measure(true);
    const mb = (xs) => `${median(xs).toFixed(1)} MB`;
    console.log(`big page (${(body.length / 1e6).toFixed(1)} MB, a 6,000,000-character title), ${runs} runs: DOMContentLoaded → banner ${stats(ext.times)}; `
      + `peak JS heap ${mb(ext.heaps)} with the extension, ${mb(bare.heaps)} without (with / without: ${(median(ext.heaps) / median(bare.heaps)).toFixed(2)})`);
  } finally {
    pageFront.stop();
    pageServer.close();
  }
}

if (process.env.BENCH_ONLY_BIG === '1') {
  try {
    await bigPage();
  } finally {
    front.stop();
    server.stop();
  }
  process.exit(0);
}

try {
  console.log(`browser: chromium, ${N} runs each, page ${URL_}; DOMContentLoaded → banner`);
  await session(join(root, 'dist/chrome'), async ({ runs }) => {
    const warm = await runs(false);
    report('demo registry (bundled)', warm, await runs(true));
  });

  const big = join(root, 'target/bench/demo-100000.signed');
  if (existsSync(big)) {
    // A copy of the extension whose built-in source is the large registry,
    // updated from the e2e front (a host the browser maps to it).
    const ext = join(root, 'target/bench/chrome-100000');
    rmSync(ext, { recursive: true, force: true });
    cpSync(join(root, 'dist/chrome'), ext, { recursive: true });
    cpSync(big, join(ext, 'registry/default.signed'));
    cpSync(join(root, 'target/bench/bench.pub'), join(ext, 'keys/default.pub'));
    const config = JSON.parse(readFileSync(join(ext, 'config.json'), 'utf8'));
    config.sources[0].url = 'https://brand.genuine.test/registry/bench/default.signed';
    writeFileSync(join(ext, 'config.json'), JSON.stringify(config, null, 2));
    const served = join(root, 'www/registry/bench');
    mkdirSync(served, { recursive: true });
    cpSync(join(root, 'target/bench/demo-100000-v2.signed'), join(served, 'default.signed'));
    try {
      await session(ext, async ({ context, extensionId, runs, once }) => {
        const label = `demo + 10^5 accounts (${(statSync(big).size / 1e6).toFixed(1)} MB)`;
        const warm = await runs(false);
        report(`${label}, bundled copy`, warm, await runs(true));
        const options = await context.newPage();
        await options.goto(`chrome-extension://${extensionId}/options.html`);
        await options.waitForSelector('body[data-ready]');
        await options.click('#update');
        await options.waitForFunction(() => document.getElementById('update-result').dataset.done, null, { timeout: 60000 });
        const result = await options.locator('#update-result').textContent();
        await options.close();
        if (!result.includes('updated')) throw new Error(`the large registry's update did not arrive: ${result}`);
        await once();
        report(`${label}, cached copy`, await runs(false), await runs(true));
        // Where a wake's time goes: the same steps as registry.js, timed in
        // an extension page (same origin, IndexedDB and wasm engine as the
        // worker, which offers no window to time from).
        const probe = await context.newPage();
        await probe.goto(`chrome-extension://${extensionId}/options.html`);
        const steps = await probe.evaluate(async () => {
          const t0 = performance.now();
          // eslint-disable-next-line no-unsanitized/method -- the page's own module, by its own address
          const m = await import(new URL('./pkg/genuine.js', location.href).href);
          await m.default({ module_or_path: new URL('./pkg/genuine_bg.wasm', location.href) });
          const t1 = performance.now();
          const db = await new Promise((res, rej) => { const o = indexedDB.open('genuine', 1); o.onsuccess = () => res(o.result); o.onerror = () => rej(o.error); });
          const entry = await new Promise((res, rej) => { const g = db.transaction('registries').objectStore('registries').get('default'); g.onsuccess = () => res(g.result); g.onerror = () => rej(g.error); });
          db.close();
          const t2 = performance.now();
          const key = await (await fetch('./keys/default.pub')).text();
          const engine = m.Engine.loadCached(new Uint8Array(entry.bytes), key, entry.checksum);
          const t3 = performance.now();
          engine.checkSignals({ platform: 'tmall', store_name: '奥萝拉健康官方旗舰店' });
          const t4 = performance.now();
          return { init: t1 - t0, idb: t2 - t1, load: t3 - t2, split: engine.info().load_ms, check: t4 - t3 };
        });
        await probe.close();
        const f = (x) => x.toFixed(1);
        console.log(`${label}, cached copy, a wake's steps timed in an extension page: wasm init ${f(steps.init)} ms, IndexedDB read ${f(steps.idb)} ms, `
          + `Engine.loadCached ${f(steps.load)} ms (checksum ${f(steps.split.verify)}, decode ${f(steps.split.decode)}, index ${f(steps.split.index)}), first check ${f(steps.check)} ms`);
      });
    } finally {
      rmSync(served, { recursive: true, force: true });
    }
  } else {
    console.log('(no target/bench/demo-100000.signed: run `cargo bench --bench scale` for the 10^5 registry)');
  }

  await bigPage();

  const wasm = readFileSync(join(root, 'dist/chrome/pkg/genuine_bg.wasm'));
  const reg = statSync(join(root, 'dist/chrome/registry/default.signed')).size;
  console.log(`wasm: ${wasm.length} bytes, ${gzipSync(wasm, { level: 9 }).length} gzipped; demo registry: ${reg} bytes`);
} finally {
  front.stop();
  server.stop();
}
