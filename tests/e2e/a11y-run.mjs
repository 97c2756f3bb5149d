// node tests/e2e/a11y-run.mjs: the real `genuine serve --demo` and the built
// extension in headless Chromium; axe on every www page, the popup, options
// and the in-page banner (each level, light and dark), one
// line each, exit 1 on any violation or if the checker misses the look-alike.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';
import * as chromiumDriver from './chromium.mjs';
import { a11y } from './a11y.mjs';
import { bannerA11y } from './a11y-banner.mjs';
import { startFront } from './front.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const server = await startServer(root);
// The banner pages load under the marketplaces' names, over TLS (amazon.com is HSTS-preloaded).
const front = await startFront(server.port);
let failures = 0;
try {
  const { context, extensionId } = await chromiumDriver.launch(join(root, 'dist/chrome'), front.port);
  try {
    const base = `http://127.0.0.1:${server.port}`;
    const results = [
      ...(await a11y(context, base, { extensionId, outDir: join(root, 'tests/e2e/out') })),
      ...(await bannerA11y(context, (host) => `https://${host}`)),
    ];
    for (const r of results) {
      const n = r.violations.length;
      if (n) failures++;
      const what = (n ? r.violations.map((v) => `${v.id} (${v.impact}) ${v.targets.join(', ')}`).join('; ') : '0 violations') + (r.checked ? ` (${r.checked} node checks passed)` : '');
      console.log(`${n ? 'FAIL' : 'ok  '} ${r.page.padEnd(26)} ${r.width.padEnd(7)} ${r.scheme.padEnd(5)} ${what}`);
      if (r.checker) {
        const ok = r.checker.level === 'danger';
        if (!ok) failures++;
        console.log(`${ok ? 'ok  ' : 'FAIL'} ${'checker: Aur0ra … amazon'.padEnd(26)} ${r.width.padEnd(7)} ${r.scheme.padEnd(5)} ${r.checker.level}: ${r.checker.headline} — ${r.checker.reasons.join(' | ')}`);
      }
    }
    console.log(failures ? `a11y: ${failures} failed` : `a11y: all ${results.length} page views clean`);
  } finally {
    await context.close();
  }
} catch (e) {
  failures++;
  console.log(`FAIL a11y: ${e.stack ?? e}`);
} finally {
  front.stop();
  server.stop();
}
process.exit(failures ? 1 : 0);
