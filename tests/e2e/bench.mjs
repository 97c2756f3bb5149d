// make bench (browser part): how long after DOMContentLoaded the banner is up,
// with the background warm and with it stopped first (Chrome stops an idle
// MV3 worker after ~30 s, so the cold path is what users meet most). Reported
// as medians of N runs and their ratio, measured in one run.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { statSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { startServer } from './server.mjs';
import { startFront } from './front.mjs';
import * as chromiumDriver from './chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const N = Number(process.env.BENCH_RUNS ?? 20);
const URL_ = 'https://detail.tmall.com/demo/tmall/lookalike.html';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await startServer(root);
const front = await startFront(server.port);
const { context } = await chromiumDriver.launch(join(root, 'dist/chrome'), front.port);
try {
  const page = await context.newPage();
  // The banner's host element lands in the light DOM; note when.
  await page.addInitScript(() => {
    new MutationObserver((_, obs) => {
      if (document.querySelector('genuine-banner')) {
        globalThis.__bannerAt = performance.now();
        obs.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const cdp = await context.newCDPSession(page);
  async function stopWorker() {
    const { targetInfos } = await cdp.send('Target.getTargets');
    for (const t of targetInfos) {
      if (t.type === 'service_worker' && t.url.startsWith('chrome-extension://')) await cdp.send('Target.closeTarget', { targetId: t.targetId });
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  async function once() {
    await page.goto(URL_);
    await page.waitForFunction(() => globalThis.__bannerAt !== undefined, null, { timeout: 15000 });
    return page.evaluate(() => globalThis.__bannerAt - performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd);
  }
  await once(); // first install-time start is not what users meet again
  const warm = [], cold = [];
  for (let i = 0; i < N; i++) warm.push(await once());
  for (let i = 0; i < N; i++) {
    await stopWorker();
    cold.push(await once());
  }
  const wasm = readFileSync(join(root, 'dist/chrome/pkg/genuine_bg.wasm'));
  const reg = statSync(join(root, 'dist/chrome/registry/default.signed')).size;
  const w = median(warm), c = median(cold);
  console.log(`browser: chromium, ${N} runs each, page ${URL_}`);
  console.log(`DOMContentLoaded → banner, worker warm:    median ${w.toFixed(1)} ms (min ${Math.min(...warm).toFixed(1)}, max ${Math.max(...warm).toFixed(1)})`);
  console.log(`DOMContentLoaded → banner, worker stopped: median ${c.toFixed(1)} ms (min ${Math.min(...cold).toFixed(1)}, max ${Math.max(...cold).toFixed(1)})`);
  console.log(`cold / warm: ${(c / w).toFixed(2)}`);
  console.log(`wasm: ${wasm.length} bytes, ${gzipSync(wasm, { level: 9 }).length} gzipped; demo registry: ${reg} bytes`);
} finally {
  await context.close();
  front.stop();
  server.stop();
}
