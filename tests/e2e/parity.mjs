// One interpretation, two collectors: the same saved page read by the content
// script in real Chromium and in real Firefox, and by `genuine extract` (the
// native HTML parser), must give the same signals. Pages: our own fixtures
// (tests/fixtures/pages, each with the address it stands for), the demo shop pages (www/demo/, the
// robot-check page among them), the real saved pages in the
// repository (tests/fixtures/pages/real: the marketplace as seller, a
// Latin-1 page without a charset header; the hand-written offer lists, JD
// 自营 and Tmall Supermarket pages are among our own fixtures) and the real saved marketplace
// pages handed to us in ../shared/fixtures/pages (index.json), which must
// be there when GENUINE_REQUIRE_FIXTURES=1 (CI).
// Each is served under its own host name with a strict CSP, so none of its
// scripts run: what is compared is what the profile reads off the markup.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import http from 'node:http';
import { join } from 'node:path';
import { startFront } from './front.mjs';
import { poll } from './helpers.mjs';
import * as chromiumDriver from './chromium.mjs';
import * as firefoxDriver from './firefox.mjs';

const FIELDS = ['platform', 'store_name', 'store_id', 'store_url', 'title', 'brand', 'gtin', 'price', 'currency', 'price_source', 'offers', 'unreadable'];
// Offers are objects: compared whatever the order of their keys (the
// worker's copy comes back through storage.session with keys sorted).
const canonical = (v) => JSON.stringify(v ?? null, (_, x) => (x && typeof x === 'object' && !Array.isArray(x)
  ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]]))
  : x));
const same = (a, b) => canonical(a) === canonical(b);

/** The address bar for a real page's `site` (as tests/it/pages.rs reads it). */
function urlOfSite(site) {
  const s = site.split(/\s+/)[0];
  const host = s.split('/')[0].startsWith('item.') ? s : `www.${s}`;
  return host.includes('/') ? `https://${host}` : `https://${host}/`;
}

export function pages(root) {
  const own = join(root, 'tests/fixtures/pages');
  /** @type {{ name: string, file: string, url: string, store?: string | null }[]} */
  const list = readdirSync(own)
    .filter((f) => f.endsWith('.expected.json'))
    .map((f) => ({ name: f.replace('.expected.json', ''), file: join(own, f.replace('.expected.json', '.html')), url: JSON.parse(readFileSync(join(own, f), 'utf8')).url }))
    .filter((p) => p.url && existsSync(p.file));
  // Own fixtures of shops no profile claims (tests/fixtures/pages/generic-*:
  // JSON-LD in wrappers, meta price tags, template leftovers) are at
  // addresses the extension does not read: each again under the demo address,
  // read with the generic profile, as the real dev pages below.
  for (const p of [...list]) {
    if (p.name.startsWith('generic-')) list.push({ name: `generic ${p.name}`, file: p.file, url: `http://127.0.0.1/demo/generic/${p.name}.html` });
  }
  // The demo shop pages as make site draws them into www/demo/, at the
  // address their expected signals (tests/fixtures/demo/SHOP/) name.
  const demo = join(root, 'tests/fixtures/demo');
  for (const shop of readdirSync(demo)) {
    for (const f of readdirSync(join(demo, shop))) {
      const page = `${shop}/${f.replace('.expected.json', '.html')}`;
      const file = join(root, 'www/demo', page);
      if (!existsSync(file)) throw new Error(`${file} is missing: make site draws it`);
      list.push({ name: `demo ${page}`, file, url: JSON.parse(readFileSync(join(demo, shop, f), 'utf8')).url });
    }
  }
  const real = join(root, 'tests/fixtures/pages/real');
  const unpacked = mkdtempSync(join(tmpdir(), 'genuine-real-'));
  for (const p of JSON.parse(readFileSync(join(real, 'index.json'), 'utf8'))) {
    const file = join(unpacked, p.file.replace(/\.gz$/, ''));
    writeFileSync(file, gunzipSync(readFileSync(join(real, p.file))));
    const name = p.file.replace('.html.gz', '');
    // Served over the e2e front's TLS: an http:// address of 2013 becomes https://.
    list.push({ name: `repo ${name}`, file, url: (p.url ?? `https://${p.host}/`).replace(/^http:/, 'https:') });
    // The dev pages again where the extension reads pages with the generic
    // profile: under the demo address (the manifest's http://127.0.0.1/demo/*),
    // in a folder no site profile claims. Marketplaces without a profile
    // (Jumia, Buyee, DHgate, Newegg…) are read there as they would be if a
    // registry named their hosts without a profile of their own: JSON-LD,
    // microdata, the labelled seller, og:site_name (issue 14).
    if (p.split === 'dev') list.push({ name: `generic ${name}`, file, url: `http://127.0.0.1/demo/generic/${name}.html` });
  }
  // The labelled-seller cases (tests/fixtures/labels.jsonl, tests/it/labels.rs),
  // each a small page read with the generic profile, as the dev pages above.
  const labels = readFileSync(join(root, 'tests/fixtures/labels.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
  labels.forEach((line, i) => {
    const c = JSON.parse(line);
    const file = join(unpacked, `label-${i}.html`);
    writeFileSync(file, `<!DOCTYPE html><html><head><meta charset=utf-8></head><body>${c.html}</body></html>`);
    list.push({ name: `label ${c.case}`.slice(0, 60), file, url: `http://127.0.0.1/demo/generic/label-${i}.html` });
  });
  // The label walk's bound in the browser (issue 14): a label after 120,000
  // text nodes is past max_label_nodes (100,000) and must give no seller, as
  // natively (tests/it/labels.rs); the same label after 50 nodes gives one.
  for (const [what, nodes] of /** @type {[string, number][]} */ ([['past', 120_000], ['within', 50]])) {
    const file = join(unpacked, `label-bound-${what}.html`);
    writeFileSync(file, `<!DOCTYPE html><html><head><meta charset=utf-8></head><body>${'<i>x</i>'.repeat(nodes)}<div>Sold by: Aurora Shop</div></body></html>`);
    list.push({ name: `label ${what} the walk's bound`, file, url: `http://127.0.0.1/demo/generic/label-bound-${what}.html`, store: what === 'within' ? 'Aurora Shop' : null });
  }
  const shared = join(root, '../shared/fixtures/pages');
  let skipped = null;
  if (existsSync(join(shared, 'index.json'))) {
    for (const p of JSON.parse(readFileSync(join(shared, 'index.json'), 'utf8'))) {
      list.push({ name: `real ${p.file.replace('.html', '')}`, file: join(shared, p.file), url: urlOfSite(p.site) });
    }
  } else skipped = `${shared} not found: the real saved pages are skipped (own fixtures only)`;
  return { list, skipped };
}

function isUtf8(bytes) {
  try { new TextDecoder('utf-8', { fatal: true }).decode(bytes); return true; } catch { return false; }
}

/**
 * Chromium with the unpacked extension: pages at their own addresses (the
 * host resolver sends every name to the front), the worker's verdict read
 * from its session storage.
 */
async function chromium(root, frontPort) {
  const { context, worker } = await chromiumDriver.launch(join(root, 'dist/chrome'), frontPort);
  const page = await context.newPage();
  return {
    name: 'chromium',
    address: (url) => url,
    async signals(url) {
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      return poll(async () => (await chromiumDriver.tabEntry(worker, url))?.verdict?.signals ?? null, { ms: 20000, every: 150 });
    },
    close: () => context.close(),
  };
}

/**
 * Firefox with the packed extension: every name resolves to this machine,
 * so an address carries the front's port; the background's verdict is read
 * from its session storage by an extension page of ours (opened by
 * privileged script: WebDriver may not navigate to moz-extension://).
 */
async function firefox(root, frontPort) {
  const { ff, tabEntry } = await firefoxDriver.launchWithExtensionTab(root, frontPort);
  return {
    name: 'firefox',
    address: (url) => {
      const u = new URL(url);
      u.port = String(frontPort);
      return u.href;
    },
    async signals(url) {
      await ff.goto(url);
      return poll(async () => (await tabEntry(url))?.verdict?.signals ?? null, { ms: 20000, every: 150 });
    },
    close: () => ff.close(),
  };
}

export async function parity(root, report) {
  const { list, skipped } = pages(root);
  if (skipped && process.env.GENUINE_REQUIRE_FIXTURES === '1') report('chromium', 'parity', 'shared real pages', false, `${skipped}, and GENUINE_REQUIRE_FIXTURES=1`);
  else if (skipped) console.log(`skip parity            ${skipped}`);
  // URLs must differ per page: two real pages may stand for the same address.
  const byUrl = new Map();
  for (const p of list) {
    let url = p.url;
    for (let n = 2; byUrl.has(url); n++) url = `${p.url}${p.url.includes('?') ? '&' : '?'}genuine_copy=${n}`;
    p.url = url;
    byUrl.set(url, p);
  }
  const server = http.createServer((req, res) => {
    // The demo address is http:// (127.0.0.1 has no certificate to offer); the
    // rest https://. Firefox's addresses carry the front's port: not ours to match.
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const p = byUrl.get(`https://${host}${req.url}`) ?? byUrl.get(`http://${host}${req.url}`);
    if (!p) { res.writeHead(404); res.end(); return; }
    const bytes = readFileSync(p.file);
    // Saved pages are usually re-encoded to UTF-8 but keep their old
    // <meta charset>; a header says what the bytes are, as the marketplace's did.
    res.writeHead(200, {
      'content-type': isUtf8(bytes) ? 'text/html; charset=utf-8' : 'text/html',
      'content-security-policy': "script-src 'none'",
    });
    res.end(bytes);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(null)));
  const front = await startFront(/** @type {import('node:net').AddressInfo} */ (server.address()).port);
  const bin = join(root, 'target/debug/genuine');
  // The extension reads only the hosts its content script is declared for
  // (the marketplaces' own); a page elsewhere is read by the web checker and
  // `genuine extract`, not the extension, so there is nothing to compare.
  const matches = JSON.parse(readFileSync(join(root, 'dist/chrome/manifest.json'), 'utf8')).content_scripts
    .flatMap((c) => c.matches)
    .map((m) => new RegExp(`^${m.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`));
  try {
    for (const launch of [chromium, firefox]) {
      const b = await launch(root, front.port);
      try {
        for (const p of list) {
          if (!matches.some((re) => re.test(p.url))) {
            console.log(`skip ${b.name.padEnd(9)} parity            ${p.name.padEnd(40)} ${new URL(p.url).host} is not a marketplace the extension reads`);
            continue;
          }
          // The native side reads the page at the address the browser shows
          // (a relative store link is made absolute against it).
          const url = b.address(p.url);
          const native = JSON.parse(execFileSync(bin, ['extract', '--url', url, p.file], { encoding: 'utf8' }));
          const browser = await b.signals(url);
          const diffs = browser
            ? FIELDS.filter((f) => !same(browser[f], native[f])).map((f) => `${f}: browser ${JSON.stringify(browser[f] ?? null)} ≠ native ${JSON.stringify(native[f] ?? null)}`)
            : ['the browser judged nothing'];
          // Pages made to test a rule say what both sides must read, not only that they agree.
          if ('store' in p && (native.store_name ?? null) !== p.store) diffs.push(`store_name: native ${JSON.stringify(native.store_name ?? null)}, want ${JSON.stringify(p.store)}`);
          const shown = FIELDS.filter((f) => native[f] != null && ['store_name', 'price', 'currency'].includes(f)).map((f) => `${f}=${native[f]}`).join(' ');
          report(b.name, 'parity', p.name, diffs.length === 0, diffs.length ? diffs.join('; ') : `same signals (${shown})`);
        }
      } finally {
        await b.close();
      }
    }
  } finally {
    front.stop();
    server.close();
  }
}
