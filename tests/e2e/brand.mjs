// Brands, in real Chromium and Firefox (docs/brands.md, docs/managed.md):
// - the white-label build made by `genuine pack` from the demo brand.toml:
//   the brand's name in the popup, its registry the one judging pages, its
//   report endpoint in config.json;
// - a brand link (made by `genuine link`): a scripted click does nothing;
//   confirm page → Cancel adds nothing → again → Add → listed in the options
//   and judging pages → Remove in one click;
// - managed storage set by real browser policy files (Chromium:
//   /etc/chromium/policies/managed/, Firefox: distribution/policies.json),
//   removed again afterwards: the policy's registry is on, cannot be removed,
//   turns the shared default off, and its report endpoint is in force.
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as chromiumDriver from './chromium.mjs';
import * as firefoxDriver from './firefox.mjs';
import { startServer } from './server.mjs';
import { startFront } from './front.mjs';
import { WAIT_MS, poll, sleep } from './helpers.mjs';

const BRAND_TOML = 'www/demo/brand/brand.toml';
const CHROMIUM_POLICY_DIR = '/etc/chromium/policies/managed';
const FIREFOX_POLICY = '/usr/lib/firefox-esr/distribution/policies.json';
const MANAGED_INBOX = 'https://reports.example.org/api/reports';
const LINK_NAME = 'Kestrel Audio (e2e brand link)';

/** Chromium's id of an unpacked extension: SHA-256 of its absolute path, 32 hex digits spelled a–p. */
export function unpackedId(dir) {
  const hex = createHash('sha256').update(realpathSync(dir)).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/** True when two folders hold the same files with the same bytes. */
function sameTree(a, b) {
  const list = (dir) => readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length))
    .sort();
  const [la, lb] = [list(a), list(b)];
  return la.length === lb.length && la.every((f, i) => f === lb[i] && readFileSync(join(a, f)).equals(readFileSync(join(b, f))));
}

/** A top-level `key = "value"` of brand.toml (the suite reads what the brand wrote, not a copy). */
const tomlValue = (text, key) => text.match(new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, 'm'))?.[1];

/** A file written for the test and removed after it; folders it had to make go too. */
function placeFile(path, text) {
  const made = [];
  for (let d = dirname(path); !existsSync(d); d = dirname(d)) made.unshift(d);
  for (const d of made) mkdirSync(d);
  const before = existsSync(path) ? readFileSync(path) : null;
  writeFileSync(path, text);
  return () => {
    if (before) writeFileSync(path, before);
    else rmSync(path, { force: true });
    for (const d of made.reverse()) {
      try { rmdirSync(d); } catch { /* not empty: someone else's files */ }
    }
  };
}

export async function brandSuite(root, frontPort, serverPort, report) {
  const bin = join(root, 'target/debug/genuine');
  const demo = join(root, 'www/demo/registry');
  const tmp = mkdtempSync(join(tmpdir(), 'genuine-brand-'));
  const served = join(root, 'www/registry/e2e-brand');
  const g = (args, cwd = tmp) => execFileSync(bin, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const toml = readFileSync(join(root, BRAND_TOML), 'utf8');
  const brand = { name: tomlValue(toml, 'name'), endpoint: tomlValue(toml, 'endpoint'), firefoxId: tomlValue(toml, 'id') };

  // The white-label build, exactly as a brand makes it.
  g(['pack', '--demo', '--brand', BRAND_TOML, '--out', join(tmp, 'build')], root);

  // Two more registries with their own keys, served by the real server:
  // one a brand link offers (it blocklists the Kestrel reseller), one a
  // policy sets (it blocklists the JD reseller).
  mkdirSync(served, { recursive: true });
  // Each speaks for one brand only (the demo's rows of that brand): a
  // registry that lists a brand a pinned or managed one lists is not
  // believed about it (src/sources.rs), so the link's registry must not be
  // outvoted by the policy's about Kestrel Audio.
  const only = (file, brandName, col) => readFileSync(join(demo, file), 'utf8').split('\n')
    .filter((l, i) => i === 0 || l.split(',')[col] === brandName).join('\n') + '\n';
  const registry = (name, publisher, brandName, blockRow, extraAccounts = '') => {
    g(['registry', 'keygen', '--secret', `${name}.secret`, '--public', `${name}.pub`]);
    writeFileSync(join(tmp, `${name}-accounts.csv`), only('accounts.csv', brandName, 0) + extraAccounts);
    writeFileSync(join(tmp, `${name}-products.csv`), only('products.csv', brandName, 0));
    writeFileSync(join(tmp, `${name}-block.csv`), only('blocklist.csv', brandName, 4) + blockRow);
    g(['registry', 'import', '--accounts', `${name}-accounts.csv`, '--products', `${name}-products.csv`,
      '--blocklist', `${name}-block.csv`, '--publisher', publisher, '--version', '5',
      ...(name === 'link' ? ['--report-endpoint', 'https://attacker.genuine.test/api/reports'] : []), '--out', `${name}.json`]);
    g(['registry', 'sign', '--key', `${name}.secret`, `${name}.json`, '--out', `${name}.signed`]);
    copyFileSync(join(tmp, `${name}.signed`), join(served, `${name}.signed`));
    copyFileSync(join(tmp, `${name}.pub`), join(served, `${name}.pub`));
    const fingerprint = g(['registry', 'verify', '--pubkey', `${name}.pub`, `${name}.signed`]).match(/signed by ([0-9a-f]{32})/)[1];
    return { url: `http://127.0.0.1:${serverPort}/registry/e2e-brand/${name}.signed`, key: readFileSync(join(tmp, `${name}.pub`), 'utf8'), fingerprint, publisher };
  };
  // The link's registry also tries to speak for the pinned brand: it lists
  // the brand registry's blocklisted Tmall store as Aurora's official one,
  // and names its own inbox. Both must be ignored (src/sources.rs).
  const offered = registry('link', 'Kestrel Audio registry (e2e brand link)', 'Kestrel Audio',
    'amazon,SoundDeals Outlet,A5SOUND01,,Kestrel Audio,sold fake earbuds (e2e brand link registry),2026-11-01\n',
    'Aurora Wellness,奥罗拉健康,tmall,奥罗拉健康正品特卖店,6666,,official\n');
  const managed = registry('managed', 'Managed registry (e2e policy)', 'Aurora Wellness',
    'jd,优品生活专营店,3101,,Aurora Wellness,sold fakes (e2e policy registry),2026-11-01\n');
  const link = g(['link', '--site', `http://127.0.0.1:${serverPort}`, '--registry', offered.url, '--pubkey', 'link.pub', '--name', LINK_NAME]).trim();
  const policy = { sources: [{ url: managed.url, key: managed.key, name: 'Managed e2e' }], report_endpoint: MANAGED_INBOX, keep_default_registry: false };
  const ctx = { root, tmp, frontPort, serverPort, brand, offered, managed, link, policy, report };
  try {
    await chromiumBrand(ctx);
    await brandInboxReports(ctx);
    await chromiumManaged(ctx);
    await firefoxBrand(ctx);
  } finally {
    rmSync(served, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * A report from the white-label build reaches the brand's own inbox: the
 * demo brand.toml with its [reports] endpoint pointed at a real `genuine
 * serve` of the test's (its own SQLite file and token), packed the way a brand
 * packs, then Report → Send on a look-alike of the brand's store, in each
 * browser; the inbox API (with the token) must then hold that one report.
 */
async function brandInboxReports({ root, tmp, frontPort, report }) {
  const token = randomUUID();
  const inbox = await startServer(root, ['--db', join(tmp, 'brand-inbox.db'), '--token', token]);
  // Chromium's --host-resolver-rules map every address, IP literals too, to
  // one front; Chromium's front here leads to the brand's own server (which
  // also serves the demo pages and registries), so its reports land there.
  // Firefox resolves names to 127.0.0.1 and keeps ports: it reaches the
  // inbox's own port directly.
  const front = await startFront(inbox.port);
  // Beside brand.toml, so its relative paths (key, bundled registry) still hold.
  const toml = join(root, dirname(BRAND_TOML), 'e2e-inbox.brand.toml');
  const url = '/demo/tmall/lookalike.html';
  const stored = async () => {
    const res = await fetch(`http://127.0.0.1:${inbox.port}/api/inbox/reports?limit=500`, { headers: { Authorization: `Bearer ${token}` } });
    return res.json();
  };
  const judge = async (browser, level, state, dest, pageUrl, before) => {
    const list = await stored();
    const row = list.reports?.find((r) => r.url === pageUrl);
    report(browser, 'brand', 'a report reaches the brand’s endpoint',
      level === 'danger' && list.total === before + 1 && (row?.brand ?? row?.verdict?.brand) === 'Aurora Wellness' && dest.includes(`127.0.0.1:${inbox.port}`),
      `banner ${level}; ${state}; inbox ${list.total}: ${row?.reference} ${row?.store_name} (${row?.brand ?? row?.verdict?.brand}); shown destination: ${dest}`);
  };
  try {
    const endpoint = `http://127.0.0.1:${inbox.port}/api/reports`;
    writeFileSync(toml, readFileSync(join(root, BRAND_TOML), 'utf8').replace(/^endpoint\s*=\s*"[^"]*"/m, `endpoint = "${endpoint}"`));
    execFileSync(join(root, 'target/debug/genuine'), ['pack', '--demo', '--brand', toml, '--out', join(tmp, 'build-inbox')], { stdio: 'ignore' });

    // Chromium.
    const { context } = await chromiumDriver.launch(join(tmp, 'build-inbox/chrome'), front.port);
    try {
      const page = await context.newPage();
      const pageUrl = `https://detail.tmall.com${url}`;
      await page.goto(pageUrl);
      const b = await poll(() => chromiumDriver.banner(page));
      const next = context.waitForEvent('page', { predicate: (p) => p.url().includes('/report.html'), timeout: WAIT_MS });
      if (!(await chromiumDriver.clickBanner(page, 'report'))) throw new Error('no Report button in the brand build’s banner');
      const w = await next;
      await w.waitForSelector('#form:not([hidden])');
      const dest = await w.textContent('#dest');
      await w.click('#send');
      await w.waitForSelector('#result[data-state="received"], #result[data-state="error"]', { timeout: 40000 });
      const state = await w.$eval('#result', (r) => `${r.dataset.state} ${r.dataset.reference ?? ''}`);
      await judge('chromium', b?.level, state, dest, pageUrl, 0);
    } finally {
      await context.close();
    }

    // Firefox.
    const ff = await firefoxDriver.launch(join(tmp, 'build-inbox/aurora-firefox.zip'), frontPort);
    const el = (r) => r['element-6066-11e4-a52e-4f735466cecf'];
    const css = (value) => ({ using: 'css selector', value });
    try {
      const main = await ff.wd('GET', '/window');
      const pageUrl = `${ff.origin('detail.tmall.com')}${url}`;
      await ff.goto(pageUrl);
      const b = await poll(async () => ((await ff.banner())?.text.includes('Report') ? ff.banner() : null));
      await ff.clickBanner('report');
      const w = await poll(async () => (await ff.wd('GET', '/window/handles')).find((h) => h !== main));
      await ff.wd('POST', '/window', { handle: w });
      await poll(() => ff.exec("return document.body.dataset.ready === 'true' && !document.getElementById('form').hidden"));
      const dest = await ff.exec("return document.getElementById('dest').textContent");
      await ff.wd('POST', `/element/${el(await ff.wd('POST', '/element', css('#send')))}/click`, {});
      const state = await poll(() => ff.exec(`const r = document.getElementById('result');
        return ['received', 'queued', 'error'].includes(r.dataset.state) ? r.dataset.state + ' ' + (r.dataset.reference ?? '') : null;`), { ms: 40000 });
      await judge('firefox', b?.level, state, dest, pageUrl, 1);
    } finally {
      await ff.close();
    }
  } finally {
    rmSync(toml, { force: true });
    front.stop();
    inbox.stop();
  }
}

/** The verdict the background stored for `url` after loading it in a fresh tab. */
async function chromiumVerdict(context, worker, url) {
  await worker.evaluate(() => chrome.storage.session.clear());
  const page = await context.newPage();
  await page.goto(url);
  const v = await poll(() => chromiumDriver.verdictFor(worker, url));
  const b = await chromiumDriver.banner(page);
  await page.close();
  return { v, banner: b };
}

async function chromiumBrand({ tmp, frontPort, brand, offered, link, report }) {
  const check = (name, ok, detail) => report('chromium', 'brand', name, ok, detail);
  // The Chrome zip as a store or a user would get it, unpacked by Info-ZIP's
  // unzip (not our packer): the brand's suite runs on what is in the package,
  // as Firefox's does on aurora-firefox.zip.
  const ext = join(tmp, 'chrome-from-zip');
  execFileSync('unzip', ['-q', '-o', join(tmp, 'build/aurora-chrome.zip'), '-d', ext]);
  const { context, worker, extensionId } = await chromiumDriver.launch(ext, frontPort);
  try {
    check('the Chrome zip unpacks into the same files as build/chrome', sameTree(ext, join(tmp, 'build/chrome')), ext);
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    const footer = await poll(() => popup.locator('#registry').textContent());
    const bar = (await popup.locator('.brandbar > span').first().textContent()).trim();
    const demoMark = await popup.locator('.brandbar [data-demo]').count();
    check('popup shows the brand name (and DEMO: a --demo build)', bar === brand.name && demoMark === 1 && footer.includes('Aurora Wellness (demo brand)'), `${bar} / ${footer}`);
    await popup.close();

    const config = await worker.evaluate(async () => (await fetch(chrome.runtime.getURL('config.json'))).json());
    check('config.json inbox is the brand endpoint', config.inbox === brand.endpoint && config.sources.length === 1, JSON.stringify({ inbox: config.inbox, sources: config.sources.map((s) => s.id) }));

    let { v, banner } = await chromiumVerdict(context, worker, 'https://detail.tmall.com/demo/tmall/official.html');
    check('brand registry judges the page', v?.level === 'official' && v.brand === 'Aurora Wellness' && banner?.text.includes('Aurora Wellness'), banner?.text);
    ({ v } = await chromiumVerdict(context, worker, 'https://www.amazon.com/demo/amazon/kestrel-reseller.html'));
    check('shared default registry is off', v?.level === 'none', `Kestrel reseller: ${v?.level}`);

    const page = await context.newPage();
    await page.goto(link);
    await page.waitForSelector('html[data-genuine="ready"]', { timeout: WAIT_MS });
    const before = context.pages().length;
    await page.evaluate(() => document.getElementById('genuine-add').click());
    await sleep(1500);
    check('a scripted click on the link page opens nothing', context.pages().length === before, `${context.pages().length - before} pages opened`);

    const openConfirm = async () => {
      const [confirm] = await Promise.all([context.waitForEvent('page', { timeout: WAIT_MS }), page.click('#genuine-add')]);
      await confirm.waitForSelector('body[data-ready]', { timeout: WAIT_MS });
      return confirm;
    };
    const userSources = () => /** @type {Promise<any[]>} */ (worker.evaluate(async () => (await chrome.storage.local.get('userSources')).userSources ?? []));
    let confirm = await openConfirm();
    const shown = await confirm.evaluate(() => Object.fromEntries(['site', 'name', 'registry', 'fingerprint'].map((id) => [id, document.getElementById(id).textContent])));
    const origin = new URL(link).origin;
    check('confirm page shows who asks, which registry, which key',
      confirm.url().startsWith(`chrome-extension://${extensionId}/confirm-add.html`) && shown.site === origin && shown.name === LINK_NAME &&
      shown.registry === offered.url && shown.fingerprint.replaceAll(' ', '') === offered.fingerprint, JSON.stringify(shown));
    await Promise.all([confirm.waitForEvent('close', { timeout: WAIT_MS }), confirm.click('#cancel')]);
    const afterCancel = await userSources();
    check('cancel closes the page and adds nothing', afterCancel.length === 0, JSON.stringify(afterCancel));

    confirm = await openConfirm();
    await confirm.click('#add');
    await confirm.waitForSelector('#result[data-done]', { timeout: WAIT_MS });
    const result = await confirm.locator('#result').textContent();
    const added = await userSources();
    check('confirm adds the registry', result.startsWith('Added') && added.length === 1 && added[0].url === offered.url, result);
    await confirm.close();

    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    await options.waitForSelector('body[data-ready]');
    const row = options.locator('tr[data-source^="user:"]');
    const rowText = (await row.count()) === 1 ? await row.textContent() : '';
    check('options lists it', rowText.includes(offered.publisher) && rowText.includes('OK'), rowText);
    ({ v } = await chromiumVerdict(context, worker, 'https://www.amazon.com/demo/amazon/kestrel-reseller.html'));
    check('added registry judges pages', v?.level === 'danger' && v.reasons[0].code === 'known_counterfeit', v?.reasons?.[0]?.text);
    ({ v } = await chromiumVerdict(context, worker, 'https://detail.tmall.com/demo/tmall/blocklisted.html'));
    check('…but not the pinned brand\'s blocklisted store', v?.level === 'danger' && v.reasons[0].code === 'known_counterfeit' && v.report?.endpoint !== 'https://attacker.genuine.test/api/reports', `${v?.level} ${v?.reasons?.[0]?.code} → ${v?.report?.endpoint}`);
    await row.locator('button').click();
    await options.waitForFunction(() => !document.querySelector('tr[data-source^="user:"]'), null, { timeout: WAIT_MS });
    ({ v } = await chromiumVerdict(context, worker, 'https://www.amazon.com/demo/amazon/kestrel-reseller.html'));
    check('removed in one click', (await userSources()).length === 0 && v?.level === 'none', `after remove: ${v?.level}`);

    // A link pasted into the options page gets the same confirm page.
    await options.fill('#link input[name=link]', link);
    const [pasted] = await Promise.all([context.waitForEvent('page', { timeout: WAIT_MS }), options.click('#link button[type=submit]')]);
    await pasted.waitForSelector('body[data-ready]', { timeout: WAIT_MS });
    const pastedName = await pasted.locator('#name').textContent();
    check('a pasted brand link opens the same confirm page', pastedName === LINK_NAME && (await userSources()).length === 0, pastedName);
    await pasted.close();
  } finally {
    await context.close();
  }
}

async function chromiumManaged({ root, frontPort, managed, policy, report }) {
  const check = (name, ok, detail) => report('chromium', 'managed', name, ok, detail);
  const ext = join(root, 'dist/chrome');
  const id = unpackedId(ext);
  let remove;
  try {
    remove = placeFile(join(CHROMIUM_POLICY_DIR, `genuine-e2e-${process.pid}.json`), JSON.stringify({ '3rdparty': { extensions: { [id]: policy } } }));
  } catch (e) {
    check('policy file written', false, `cannot write ${CHROMIUM_POLICY_DIR} (${e.code}); the managed test needs root`);
    return;
  }
  const { context, worker, extensionId } = await chromiumDriver.launch(ext, frontPort);
  try {
    check('unpacked id as computed for the policy', extensionId === id, `${extensionId} vs ${id}`);
    const got = await worker.evaluate(() => chrome.storage.managed.get(null));
    check('storage.managed holds the policy', got?.report_endpoint === MANAGED_INBOX, JSON.stringify(got).slice(0, 120));
    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    await options.waitForSelector('body[data-ready]');
    const rows = await options.locator('tr[data-source]').evaluateAll((trs) => trs.map((tr) => ({ id: tr.dataset.source, text: tr.textContent, buttons: tr.querySelectorAll('button').length })));
    check('policy registry listed, not removable; shared default off',
      rows.length === 1 && rows[0].id === `managed:${managed.url}` && rows[0].text.includes(managed.publisher) && rows[0].text.includes('set by your organisation') && rows[0].buttons === 0,
      JSON.stringify(rows));
    const inbox = await options.locator('#inbox').textContent();
    check('policy report endpoint in force', inbox === `${MANAGED_INBOX} (set by your organisation)`, inbox);
    const { v } = await chromiumVerdict(context, worker, 'https://item.jd.com/demo/jd/reseller.html');
    check('policy registry judges pages', v?.level === 'danger' && v.reasons[0].code === 'known_counterfeit', v?.reasons?.[0]?.text);
  } finally {
    await context.close();
    remove();
  }
}

async function firefoxBrand({ tmp, frontPort, brand, offered, managed, link, policy, report }) {
  const check = (name, ok, detail) => report('firefox', 'brand', name, ok, detail);
  const uuid = randomUUID();
  let remove = null;
  try {
    remove = placeFile(FIREFOX_POLICY, JSON.stringify({ policies: { '3rdparty': { Extensions: { [brand.firefoxId]: policy } } } }));
  } catch (e) {
    check('policy file written', false, `cannot write ${FIREFOX_POLICY} (${e.code})`);
  }
  // A fixed internal UUID, so the test knows the extension's origin.
  const ff = await firefoxDriver.launch(join(tmp, 'build/aurora-firefox.zip'), frontPort, {
    systemAccess: true,
    prefs: { 'extensions.webextensions.uuids': JSON.stringify({ [brand.firefoxId]: uuid }) },
  });
  const base = `moz-extension://${uuid}`;
  const find = async (css) => (await ff.wd('POST', '/element', { using: 'css selector', value: css }))['element-6066-11e4-a52e-4f735466cecf'];
  const text = async (css) => ff.wd('GET', `/element/${await find(css)}/text`);
  const click = async (css) => ff.wd('POST', `/element/${await find(css)}/click`, {});
  const handles = () => ff.wd('GET', '/window/handles');
  const banner = async (host, page) => {
    await ff.goto(`${ff.origin(host)}/demo/${page}`);
    return poll(() => ff.banner());
  };
  const home = await ff.wd('GET', '/window');
  const switchToNewTab = async () => {
    const tab = await poll(async () => (await handles()).find((h) => h !== home));
    await ff.wd('POST', '/window', { handle: tab });
    return tab;
  };
  // WebDriver may not navigate to moz-extension:// pages; privileged script
  // opens one in a new tab, as the toolbar button or the settings menu would.
  const inExtension = async (path, fn) => {
    await ff.wd('POST', '/moz/context', { context: 'chrome' });
    await ff.exec(`const win = Services.wm.getMostRecentWindow('navigator:browser');
      win.gBrowser.selectedTab = win.gBrowser.addTab(arguments[0], { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });`, [`${base}/${path}`]);
    await ff.wd('POST', '/moz/context', { context: 'content' });
    await switchToNewTab();
    await poll(() => ff.exec("return document.readyState === 'complete' && (document.body?.dataset.ready === 'true' || !document.querySelector('main table'))"));
    try {
      return await fn();
    } finally {
      await ff.wd('DELETE', '/window');
      await ff.wd('POST', '/window', { handle: home });
    }
  };
  const userSources = () => inExtension('options.html', () => ff.exec("return browser.storage.local.get('userSources').then((r) => r.userSources ?? [])"));
  try {
    await inExtension('popup.html', async () => {
      const footer = await poll(() => text('#registry'));
      const bar = await text('.brandbar > span');
      const demoMark = await poll(() => ff.exec("return document.querySelectorAll('.brandbar [data-demo]').length"));
      check('popup shows the brand name (and DEMO: a --demo build)', bar === brand.name && demoMark === 1 && footer.includes('Aurora Wellness (demo brand)'), `${bar} / ${footer} / demo ${demoMark}`);
      const config = await ff.exec("return fetch('config.json').then((r) => r.json())");
      check('config.json inbox is the brand endpoint', config.inbox === brand.endpoint, config.inbox);
    });
    let b = await banner('detail.tmall.com', 'tmall/official.html');
    check('brand registry judges the page', b?.level === 'official' && b.text.includes('Aurora Wellness'), b?.text);

    if (remove) {
      const fcheck = (name, ok, detail) => report('firefox', 'managed', name, ok, detail);
      await inExtension('options.html', async () => {
        const rows = await ff.exec("return [...document.querySelectorAll('tr[data-source]')].map((tr) => ({ id: tr.dataset.source, text: tr.textContent, buttons: tr.querySelectorAll('button').length }))");
        const m = rows.find((r) => r.id === `managed:${managed.url}`);
        fcheck('policy registry listed next to the brand one, not removable',
          rows.length === 2 && rows[0].id === 'brand' && m?.buttons === 0 && m.text.includes(managed.publisher) && m.text.includes('set by your organisation'), JSON.stringify(rows));
        const inbox = await text('#inbox');
        fcheck('policy report endpoint in force', inbox === `${MANAGED_INBOX} (set by your organisation)`, inbox);
      });
      b = await banner('item.jd.com', 'jd/reseller.html');
      fcheck('policy registry judges pages', b?.level === 'danger' && /counterfeit|fake/i.test(b.text), b?.text);
    }

    // The brand link, through WebDriver's real clicks and tab handles.
    await ff.goto(link);
    const ready = await poll(() => ff.exec("return document.documentElement.dataset.genuine === 'ready'"));
    check('link page sees the extension', ready === true, String(ready));
    await ff.exec("document.getElementById('genuine-add').click()");
    await sleep(1500);
    check('a scripted click on the link page opens nothing', (await handles()).length === 1, JSON.stringify(await handles()));
    const openConfirm = async () => {
      await click('#genuine-add');
      await switchToNewTab();
      await poll(() => ff.exec("return document.body?.dataset.ready === 'true'"));
    };
    await openConfirm();
    const shown = { name: await text('#name'), registry: await text('#registry'), fingerprint: await text('#fingerprint') };
    check('confirm page shows who asks, which registry, which key',
      shown.name === LINK_NAME && shown.registry === offered.url && shown.fingerprint.replaceAll(' ', '') === offered.fingerprint, JSON.stringify(shown));
    await click('#cancel');
    const closed = await poll(async () => (await handles()).length === 1);
    await ff.wd('POST', '/window', { handle: home });
    const afterCancel = await userSources();
    check('cancel closes the page and adds nothing', closed === true && afterCancel.length === 0, `closed: ${closed}, sources: ${afterCancel.length}`);

    await openConfirm();
    await click('#add');
    const result = await poll(() => ff.exec("return document.getElementById('result').dataset.done && document.getElementById('result').textContent"));
    await ff.wd('DELETE', '/window');
    await ff.wd('POST', '/window', { handle: home });
    check('confirm adds the registry', String(result).startsWith('Added') && (await userSources()).length === 1, String(result));
    b = await banner('www.amazon.com', 'amazon/kestrel-reseller.html');
    check('added registry judges pages', b?.level === 'danger' && /counterfeit|fake/i.test(b.text), b?.text);
    b = await banner('detail.tmall.com', 'tmall/blocklisted.html');
    check('…but not the pinned brand\'s blocklisted store', b?.level === 'danger' && /counterfeit/i.test(b.text), b?.text);
    const gone = await inExtension('options.html', async () => {
      await click('tr[data-source^="user:"] button');
      return poll(() => ff.exec("return !document.querySelector('tr[data-source^=\"user:\"]')"));
    });
    check('removed in one click', gone === true && (await userSources()).length === 0, `row gone: ${gone}`);
  } finally {
    await ff.close();
    remove?.();
  }
}
