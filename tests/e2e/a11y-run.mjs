// node tests/e2e/a11y-run.mjs: the real `genuine serve --demo` and the built
// extension in headless Chromium; axe on every www page, the popup, options
// and the in-page banner (each level, light and dark), one
// line each, exit 1 on any violation or if the checker misses the look-alike.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';
import * as chromiumDriver from './chromium.mjs';
import { a11y, reportViews } from './a11y.mjs';
import { bannerA11y } from './a11y-banner.mjs';
import { startFront } from './front.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
// Reports made for the report views go to this server's own database.
const tmp = mkdtempSync(join(tmpdir(), 'genuine-a11y-'));
const server = await startServer(root, ['--db', join(tmp, 'genuine.db')]);
// The banner pages load under the marketplaces' names, over TLS (amazon.com is HSTS-preloaded).
const front = await startFront(server.port);
let failures = 0;
try {
  const base = `http://127.0.0.1:${server.port}`;
  const ext = join(tmp, 'chrome');
  cpSync(join(root, 'dist/chrome'), ext, { recursive: true });
  const config = JSON.parse(readFileSync(join(ext, 'config.json'), 'utf8'));
  writeFileSync(join(ext, 'config.json'), JSON.stringify({ ...config, inbox: `${base}/api/reports` }));
  const { context, extensionId } = await chromiumDriver.launch(ext, front.port);
  try {
    const extensionViews = await reportViews(context, base, extensionId);
    const results = [
      ...(await a11y(context, base, { extensionId, extensionViews, outDir: join(root, 'tests/e2e/out') })),
      ...(await bannerA11y(context, (host) => `https://${host}`, { outDir: join(root, 'tests/e2e/out') })),
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
