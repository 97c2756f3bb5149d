// make e2e: the built extension in real headless Chromium and Firefox ESR, on
// the demo shop pages served by the real `genuine serve --demo` (strict CSP,
// script-src 'none') under the marketplaces' own host names. For each case it
// asserts the banner's level and text; cases are data (cases.json).
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
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

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(root, 'tests/e2e/out');
const cases = JSON.parse(readFileSync(join(root, 'tests/e2e/cases.json'), 'utf8'));
const only = process.argv.slice(2);
const browsers = only.length ? only : ['chromium', 'firefox', 'hostile', 'registry', 'report', 'brand', 'settings', 'parity'];
const WAIT_MS = 15000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let failures = 0;

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
      for (const until = Date.now() + WAIT_MS; Date.now() < until; await sleep(100)) {
        b = await chromiumDriver.banner(page);
        if (b || (await chromiumDriver.verdictFor(worker, url))?.level === 'none') break;
      }
      judge('chromium', c, b);
      await page.screenshot({ path: join(dir, c.page.replace('/', '-').replace('.html', '.png')) });
      if (c.override) await override(context, worker, extensionId, page, url, c);
    }
  } finally {
    await context.close();
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
  let b = null;
  for (const until = Date.now() + WAIT_MS; Date.now() < until; await sleep(100)) {
    b = await chromiumDriver.banner(page);
    if (b?.text.includes(c.override.trusted)) break;
  }
  if (!b?.text.includes(c.override.trusted)) problems.push(`after trust the banner says ${JSON.stringify(b?.text)}`);
  await popup.click('#untrust');
  await popup.waitForFunction(() => !document.getElementById('trust').hidden);
  await page.reload();
  for (const until = Date.now() + WAIT_MS; Date.now() < until; await sleep(100)) {
    b = await chromiumDriver.banner(page);
    if (b?.level === c.level && !b.text.includes(c.override.trusted)) break;
  }
  if (b?.level !== c.level || b.text.includes(c.override.trusted)) problems.push(`after undo the banner says ${JSON.stringify(b?.text)}`);
  await popup.close();
  if (problems.length) failures++;
  console.log(`${problems.length ? 'FAIL' : 'ok  '} chromium ${'popup + override'.padEnd(17)} ${c.page.padEnd(30)} ${problems.join('; ') || 'popup shows the verdict; trust quiets the warning; undo restores it'}`);
}

async function firefox(port) {
  const dir = join(out, 'firefox');
  mkdirSync(dir, { recursive: true });
  // A fixed internal UUID for the extension, so an extension page of ours
  // can be opened to read what the background decided for each page.
  const geckoId = JSON.parse(readFileSync(join(root, 'dist/firefox/manifest.json'), 'utf8')).browser_specific_settings.gecko.id;
  const uuid = randomUUID();
  const ff = await firefoxDriver.launch(join(root, 'dist/genuine-firefox.zip'), port, {
    systemAccess: true,
    prefs: { 'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: uuid }) },
  });
  try {
    const main = await ff.wd('GET', '/window');
    // WebDriver may not navigate to moz-extension:// pages; privileged script opens one.
    await ff.wd('POST', '/moz/context', { context: 'chrome' });
    await ff.exec(`const win = Services.wm.getMostRecentWindow('navigator:browser');
      win.gBrowser.addTab(arguments[0], { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });`, [`moz-extension://${uuid}/options.html`]);
    await ff.wd('POST', '/moz/context', { context: 'content' });
    let ext = null;
    for (const until = Date.now() + WAIT_MS; !ext && Date.now() < until; await sleep(100)) {
      ext = (await ff.wd('GET', '/window/handles')).find((h) => h !== main);
    }
    // The background's verdict for a page (session storage, as the popup reads it).
    const verdictOf = async (url) => {
      await ff.wd('POST', '/window', { handle: ext });
      try {
        return await ff.exec('return browser.storage.session.get(null).then((all) => Object.values(all).find((e) => e && e.url === arguments[0])?.verdict ?? null)', [url]);
      } finally {
        await ff.wd('POST', '/window', { handle: main });
      }
    };
    for (const c of cases) {
      const url = `${ff.origin(c.host)}/demo/${c.page}`;
      await ff.goto(url);
      let b = null;
      let decided = null;
      // A page with nothing to say has no banner: wait until the background
      // has judged it, so "no banner" is the extension's answer, not its absence.
      for (const until = Date.now() + WAIT_MS; Date.now() < until && !b && !decided; await sleep(100)) {
        b = await ff.banner();
        if (!b && c.level === 'none') decided = await verdictOf(url);
      }
      if (c.level === 'none' && decided?.level !== 'none') {
        b = b ?? { level: `no verdict from the background (${decided?.level ?? 'none stored'})`, text: '' };
      }
      judge('firefox', c, b);
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
