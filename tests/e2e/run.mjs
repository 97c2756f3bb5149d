// make e2e: the built extension in real headless Chromium and Firefox ESR, on
// the demo shop pages served by the real `genuine serve --demo` (strict CSP,
// script-src 'none') under the marketplaces' own host names. For each case it
// asserts the banner's level and text; cases are data (cases.json).
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';
import { startFront } from './front.mjs';
import * as chromiumDriver from './chromium.mjs';
import * as firefoxDriver from './firefox.mjs';
import { registryUpdates } from './registry.mjs';
import { prefs } from './prefs.mjs';
import { parity } from './parity.mjs';
import { reportSuite } from './report.mjs';
import { brandSuite } from './brand.mjs';
import { hostileSuite } from './hostile.mjs';
import { checkPageSuite } from './checkpage.mjs';
import { poll } from './helpers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(root, 'tests/e2e/out');
const cases = JSON.parse(readFileSync(join(root, 'tests/e2e/cases.json'), 'utf8'));
const only = process.argv.slice(2);
const browsers = only.length ? only : ['chromium', 'firefox', 'hostile', 'registry', 'report', 'brand', 'settings', 'parity', 'checkpage'];
let failures = 0;

// A page with nothing to say has no banner, which proves nothing by itself:
// a content script that never ran shows none either. So for a `none` case the
// content script must be seen to have taken the background's answer: once the
// background has stored "none" for the page, the test sends the tab a verdict
// of its own, the way the background does when trust changes in the popup.
// content.js shows such a verdict only after its own check has finished
// (before that it ignores it). A watcher put on the page first counts the
// banners added: the probe's must be the only one. The watcher and probe
// are the test's (WebDriver, DevTools); the page gets nothing from the
// extension that it could not see already.
const PROBE_TEXT = 'e2e probe: the content script is listening';
const PROBE = {
  type: 'genuine:verdict',
  verdict: { level: 'caution', brand: null, reasons: [{ code: 'e2e_probe', text: PROBE_TEXT }], signals: {}, report: null },
};
// Page-world script: counts <genuine-banner> elements there now and added later.
const WATCH = `window.__genuineBanners = { before: document.querySelectorAll('genuine-banner').length, added: 0 };
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n.nodeName === 'GENUINE-BANNER') window.__genuineBanners.added++;
  }).observe(document.documentElement, { childList: true });`;

/**
 * Whether the content script decided `none` (see PROBE): null when it did,
 * else what went wrong. `entry()` gives the background's {tabId, verdict} for
 * the page, `run(script)` runs page-world script, `send(tabId, msg)` messages
 * the tab as the extension, `banner()` reads the banner.
 */
async function decidedNone({ entry, run, send, banner }) {
  const e = await poll(async () => {
    const got = await entry();
    return got?.verdict ? got : null;
  });
  if (e?.verdict?.level !== 'none') return `background verdict ${e?.verdict?.level ?? 'never stored'}`;
  await run(WATCH);
  const probed = await poll(async () => {
    await send(e.tabId, PROBE);
    return (await banner())?.text.includes(PROBE_TEXT);
  }, { every: 250 });
  if (!probed) return 'the content script never took a verdict (did it run?)';
  const seen = await run('return window.__genuineBanners');
  if (seen.before !== 0 || seen.added !== 1) return `a banner besides the probe's (${JSON.stringify(seen)})`;
  return null;
}

/** judge() for a case; a `none` case has no banner at all and is held to decidedNone. */
async function judgeCase(browser, c, b, none) {
  let wrong = null;
  if (c.level === 'none') wrong = b ? `a banner (data-level ${b.level})` : await none();
  judge(browser, c, wrong ? { level: wrong, text: '' } : b);
}

function judge(browser, c, b) {
  const problems = [];
  const level = b ? b.level : 'none';
  if (level !== c.level) problems.push(`level ${level}, expected ${c.level}`);
  if (c.text && !(b?.text ?? '').includes(c.text)) problems.push(`text lacks ${JSON.stringify(c.text)}`);
  if (b && b.pageSeesRoot) problems.push('the page can reach the banner’s shadow root');
  if (b && c.level === 'danger' && b.role !== 'alert') problems.push(`role ${b.role}, expected alert`);
  const ok = problems.length === 0;
  if (!ok) failures++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${browser.padEnd(8)} ${c.host.padEnd(17)} ${c.page.padEnd(30)} ${level.padEnd(8)} ${ok ? JSON.stringify(b?.text ?? '(no banner)') : problems.join('; ')}`);
}

async function chromium(port) {
  const dir = join(out, 'chromium');
  mkdirSync(dir, { recursive: true });
  const { context, worker, extensionId } = await chromiumDriver.launch(join(root, 'dist/chrome'), port);
  try {
    const page = await context.newPage();
    for (const c of cases) {
      const url = `https://${c.host}/demo/${c.page}`;
      await page.goto(url);
      let b = null;
      await poll(async () => (b = await chromiumDriver.banner(page)) || (await chromiumDriver.verdictFor(worker, url))?.level === 'none');
      await judgeCase('chromium', c, b, () => decidedNone({
        entry: () => chromiumDriver.tabEntry(worker, url),
        run: (script) => page.evaluate(/** @type {() => any} */ (new Function(script))),
        send: (tabId, msg) => worker.evaluate(([id, m]) => chrome.tabs.sendMessage(id, m).catch(() => null), [tabId, msg]),
        banner: () => chromiumDriver.banner(page),
      }));
      await page.screenshot({ path: join(dir, c.page.replace('/', '-').replace('.html', '.png')) });
      if (c.override) await override(context, worker, extensionId, page, url, c);
    }
    await keptPlans(worker, page);
  } finally {
    await context.close();
  }
}

// The content script reads a page with the plan kept from an earlier visit
// (background.js `plans`), before a stopped worker has woken. A kept plan
// that is no longer the page's (registries changed since; another site's)
// must never decide: the background answers with the right one and the page
// is read again. Each kept plan here reads the wrong element as the store.
async function keptPlans(worker, page) {
  const c = cases.find((x) => x.host === 'detail.tmall.com' && x.level === 'danger');
  const url = `https://${c.host}/demo/${c.page}`;
  const { plans } = await worker.evaluate(() => chrome.storage.local.get('plans'));
  const real = plans?.hosts?.[c.host];
  const ok1 = Boolean(real && plans.stamp);
  console.log(`${ok1 ? 'ok  ' : 'FAIL'} chromium ${'kept plans'.padEnd(17)} ${'a visit keeps its plan'.padEnd(30)} ${ok1 ? plans.stamp : JSON.stringify(plans)}`);
  if (!ok1) return void failures++;
  const wrong = { ...real, fields: { ...real.fields, store_name: [{ css: 'title' }] } };
  const amazon = plans.hosts['www.amazon.com'];
  /** @type {[string, object][]} */
  const poisoned = [
    ['registries changed since', { stamp: 'an older registry', hosts: { [c.host]: wrong } }],
    ['another site\'s plan', { stamp: plans.stamp, hosts: { [c.host]: { ...amazon, fields: { ...amazon.fields, store_name: [{ css: 'title' }] } } } }],
  ];
  for (const [name, kept] of poisoned) {
    await worker.evaluate((p) => chrome.storage.local.set({ plans: p }), kept);
    await page.goto(url);
    let b = null;
    await poll(async () => (b = await chromiumDriver.banner(page)));
    const fixed = (await worker.evaluate(() => chrome.storage.local.get('plans'))).plans;
    const ok = b?.level === c.level && b.text.includes(c.text ?? '') && fixed?.stamp === plans.stamp;
    if (!ok) failures++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} chromium ${'kept plans'.padEnd(17)} ${name.padEnd(30)} ${b?.level ?? 'no banner'} ${JSON.stringify(b?.text ?? '')}`);
  }
}

// The popup shows the tab's verdict; "I trust this store" there turns the
// page's warning into the user's own decision, and "Stop trusting" undoes it.
async function override(context, worker, extensionId, page, url, c) {
  const problems = [];
  const tabId = await chromiumDriver.tabFor(worker, url);
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
  await popup.waitForSelector('body[data-ready]');
  const headline = await popup.locator("#headline").textContent();
  if (!headline.includes(c.override.popup)) problems.push(`popup says ${JSON.stringify(headline)}`);
  await popup.click('#trust');
  await popup.waitForFunction(() => !document.getElementById('untrust').hidden);
  await page.reload();
  let b = await poll(async () => {
    const now = await chromiumDriver.banner(page);
    return now?.text.includes(c.override.trusted) ? now : null;
  });
  if (!b?.text.includes(c.override.trusted)) problems.push(`after trust the banner says ${JSON.stringify(b?.text)}`);
  await popup.click('#untrust');
  await popup.waitForFunction(() => !document.getElementById('trust').hidden);
  await page.reload();
  await poll(async () => {
    b = await chromiumDriver.banner(page);
    return b?.level === c.level && !b.text.includes(c.override.trusted);
  });
  if (b?.level !== c.level || b.text.includes(c.override.trusted)) problems.push(`after undo the banner says ${JSON.stringify(b?.text)}`);
  await popup.close();
  if (problems.length) failures++;
  console.log(`${problems.length ? 'FAIL' : 'ok  '} chromium ${'popup + override'.padEnd(17)} ${c.page.padEnd(30)} ${problems.join('; ') || 'popup shows the verdict; trust quiets the warning; undo restores it'}`);
}

async function firefox(port) {
  const dir = join(out, 'firefox');
  mkdirSync(dir, { recursive: true });
  // An extension page of ours, to read what the background decided for each page.
  const { ff, inExtension, tabEntry: entryOf } = await firefoxDriver.launchWithExtensionTab(root, port);
  try {
    for (const c of cases) {
      const url = `${ff.origin(c.host)}/demo/${c.page}`;
      await ff.goto(url);
      let b = null;
      await poll(async () => (b = await ff.banner()) || (c.level === 'none' && (await entryOf(url))?.verdict));
      await judgeCase('firefox', c, b, () => decidedNone({
        entry: () => entryOf(url),
        run: (script) => ff.exec(script),
        // From the background page, as the background sends it: a message
        // from our options tab would carry sender.tab, which content.js refuses.
        send: (tabId, msg) => inExtension(`return browser.runtime.getBackgroundPage()
          .then((bg) => bg.browser.tabs.sendMessage(arguments[0], bg.JSON.parse(arguments[1])))
          .then(() => null, (e) => String(e))`, [tabId, JSON.stringify(msg)]),
        banner: () => ff.banner(),
      }));
      writeFileSync(join(dir, c.page.replace('/', '-').replace('.html', '.png')), await ff.screenshot());
    }
  } finally {
    await ff.close();
  }
}

const server = await startServer(root);
const front = await startFront(server.port);
try {
  for (const b of browsers) {
    const line = (browser, area, name, ok, detail) => {
      if (!ok) failures++;
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${browser.padEnd(8)} ${area.padEnd(17)} ${name.padEnd(40)} ${detail ?? ''}`);
    };
    const run = {
      chromium,
      firefox,
      registry: (port) =>
        registryUpdates(root, port, line),
      settings: (port) => prefs(root, port, line),
      // Its own server: saved pages under their own addresses.
      parity: () => parity(root, line),
      // Its own servers (an inbox with a token and a database, stopped and
      // started again), so not the shared one.
      report: () => reportSuite(root, ['chromium', 'firefox'], line),
      brand: (port) => brandSuite(root, port, server.port, line),
      hostile: (port) => hostileSuite(root, port, line),
      // "Check this page" on a shop no profile names, both browsers.
      checkpage: (port) => checkPageSuite(root, port, line),
    }[b];
    if (!run) throw new Error(`unknown browser ${b}`);
    try {
      await run(front.port);
    } catch (e) {
      failures++;
      console.log(`FAIL ${b}: ${e.stack ?? e}`);
    }
  }
} finally {
  front.stop();
  server.stop();
}
console.log(failures ? `e2e: ${failures} failed` : `e2e: all passed (${browsers.join(', ')})`);
process.exit(failures ? 1 : 0);
