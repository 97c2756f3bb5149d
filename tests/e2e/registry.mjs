// Registry updates in the real extension (Chromium): a user adds a brand's
// registry (signed by the demo brand's key, which the pinned demo registry
// delegates Aurora Wellness to) on the options page, then the brand's host
// serves, in turn, a
// tampered file, one signed by another key, an older version (rollback), a
// 404 (network trouble), a good newer version, the same again (304) and an
// expired one; then compiled files and patches between them (a patch for a
// version the client does not hold, a good one, a tampered one); finally the
// cached copy is corrupted under a sleeping worker.
// After each step the options page and a page verdict must say the right thing.
// Then an attacker's registry is added (signed by an undelegated key): its
// rows about the pinned brand must change nothing, reports must not go to its
// inbox, and the options page must say what it ignored.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poll, sleep } from './helpers.mjs';
import * as chromiumDriver from './chromium.mjs';


export async function registryUpdates(root, port, report) {
  const bin = join(root, 'target/debug/genuine');
  const demo = join(root, 'www/demo/registry');
  const tmp = mkdtempSync(join(tmpdir(), 'genuine-reg-'));
  const g = (...args) => execFileSync(bin, args, { cwd: tmp, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  // The demo brand's key: www/demo/registry/delegations.csv names it.
  copyFileSync(join(root, 'www/demo/brand/aurora.secret'), join(tmp, 'k.secret'));
  copyFileSync(join(root, 'www/demo/brand/aurora.pub'), join(tmp, 'k.pub'));
  g('registry', 'keygen', '--secret', 'other.secret', '--public', 'other.pub');
  // The brand's own registry: the demo accounts, plus a reseller it has confirmed as counterfeit.
  writeFileSync(join(tmp, 'blocklist.csv'), readFileSync(join(demo, 'blocklist.csv'), 'utf8') +
    'jd,优品生活专营店,3101,,Aurora Wellness,sold fakes (brand e2e registry),2026-11-01\n');
  const make = (version, key = 'k.secret', days = '30') => {
    g('registry', 'import', '--accounts', join(demo, 'accounts.csv'), '--products', join(demo, 'products.csv'),
      '--blocklist', 'blocklist.csv', '--publisher', 'Aurora Wellness brand registry (e2e)', '--version', String(version),
      '--valid-days', days, '--out', `v${version}.json`);
    g('registry', 'sign', '--key', key, `v${version}.json`, '--out', `v${version}.signed`);
    return join(tmp, `v${version}.signed`);
  };
  // The compiled form (what browsers are meant to get) and the patch from one to the next.
  const makeCompiled = (version) => {
    make(version);
    g('registry', 'compile', '--key', 'k.secret', `v${version}.json`, '--out', `v${version}.compiled`);
    return join(tmp, `v${version}.compiled`);
  };
  const fingerprint = g('registry', 'verify', '--pubkey', 'k.pub', make(10)).match(/signed by ([0-9a-f]{32})/)[1];
  const served = join(root, 'www/registry/e2e');
  mkdirSync(served, { recursive: true });
  const serve = (file) => copyFileSync(file, join(served, 'brand.signed'));
  copyFileSync(join(tmp, 'k.pub'), join(served, 'brand.pub'));
  serve(join(tmp, 'v10.signed'));

  const { context, worker, extensionId } = await chromiumDriver.launch(join(root, 'dist/chrome'), port);
  const options = await context.newPage();
  const page = await context.newPage();
  const check = async (name, ok, detail) => report('chromium', 'registry', name, ok, detail);
  async function sourceRow() {
    await options.reload();
    await options.waitForSelector('body[data-ready]');
    const row = options.locator('tr[data-source^="user:"]');
    if ((await row.count()) === 0) return null;
    return { version: await row.locator('.version').textContent(), status: await row.locator('.status').textContent() };
  }
  async function updateNow() {
    await options.click('#update');
    await options.waitForFunction(() => document.getElementById('update-result').dataset.done);
    const text = await options.locator('#update-result').textContent();
    return text;
  }
  async function verdict(pathname) {
    const url = `https://item.jd.com/demo/${pathname}`;
    await page.goto(url);
    return poll(() => chromiumDriver.verdictFor(worker, url));
  }
  // Adds a registry as a user does: its address and key fingerprint in the options page's form.
  async function addInOptions(url, print) {
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    await options.waitForSelector('body[data-ready]');
    await options.fill('input[name=url]', url);
    await options.fill('input[name=fingerprint]', print);
    await options.click('#add button[type=submit]');
    await options.waitForFunction(() => document.getElementById('add-result').dataset.done);
  }
  try {
    await addInOptions('https://brand.genuine.test/registry/e2e/brand.signed', fingerprint);
    const added = await options.locator('#add-result').textContent();
    let row = await sourceRow();
    await check('add by URL + fingerprint', added.startsWith('Added') && row?.version === '10', `${added} / ${JSON.stringify(row)}`);
    let v = await verdict('jd/reseller.html');
    await check('added registry is used', v?.level === 'danger' && v.reasons[0].code === 'known_counterfeit', v?.reasons?.[0]?.text);

    /** @type {[string, () => unknown, string, string, RegExp][]} */
    const steps = [
      ['tampered file refused', () => { const b = readFileSync(make(11)); b[b.length - 20] ^= 1; writeFileSync(join(served, 'brand.signed'), b); }, 'failed', '10', /signature|verif/i],
      ['other key refused', () => serve(make(12, 'other.secret')), 'failed', '10', /key|signed/i],
      ['rollback refused', () => serve(make(9)), 'failed', '10', /rollback/],
      ['network error keeps the last good copy', () => rmSync(join(served, 'brand.signed')), 'failed', '10', /HTTP 404/],
      ['newer version taken', () => serve(join(tmp, 'v11.signed')), 'updated', '11', /^OK$/],
      ['unchanged file answers 304', () => {}, 'unchanged', '11', /^OK$/],
      // Valid for 0 days: expired once the clock passes its issue second.
      ['expired registry used, marked stale', async () => { serve(make(13, 'k.secret', '0')); await sleep(1100); }, 'updated', '13', /out of date/i],
    ];
    for (const [name, act, outcome, version, status] of steps) {
      await act();
      const result = await updateNow();
      row = await sourceRow();
      const ok = result.includes(outcome) && row?.version === version && status.test(row?.status ?? '');
      await check(name, ok, `update: ${result}; row: ${JSON.stringify(row)}`);
    }
    // Patches (registry::patch): the host publishes `<file>.from-<version>.patch` beside the
    // file; a client asks for the one from the version it holds, and downloads the whole
    // file when there is none or it does not verify. `status:<id>` says how it came.
    /** @returns {Promise<{updatedBy?: string, patchRefused?: string}>} */
    const statusOf = async () => {
      const w = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
      const key = 'status:user:https://brand.genuine.test/registry/e2e/brand.signed';
      return (await w.evaluate((k) => chrome.storage.local.get(k), key))[key] ?? {};
    };
    const publish = (version, patchFrom, tamper = false) => {
      const target = makeCompiled(version);
      for (const f of readdirSync(served)) if (f.endsWith('.patch')) rmSync(join(served, f));
      if (patchFrom !== undefined) {
        const out = join(served, `brand.signed.from-${patchFrom}.patch`);
        g('registry', 'patch', '--key', 'k.secret', '--from', join(tmp, `v${patchFrom}.compiled`), '--to', target, '--out', out);
        if (tamper) { const b = readFileSync(out); b[b.length - 30] ^= 1; writeFileSync(out, b); }
      }
      serve(target);
    };
    makeCompiled(14);
    /** @type {[string, () => unknown, string, string, string, RegExp | null][]} */
    const patchSteps = [
      ['a patch only for a version the client does not hold: the whole file', () => publish(15, 14), 'updated', '15', 'download', null],
      ['a patch from the version held: taken', () => publish(16, 15), 'updated', '16', 'patch', null],
      ['a tampered patch: refused, the whole file instead', () => publish(17, 16, true), 'updated', '17', 'download', /signature/],
      ['unchanged after a patch: the HEAD answers 304', () => {}, 'unchanged', '17', 'download', /signature/],
    ];
    for (const [name, act, outcome, version, by, refused] of patchSteps) {
      await act();
      const result = await updateNow();
      row = await sourceRow();
      const st = await statusOf();
      const ok = result.includes(outcome) && row?.version === version && /^OK$/.test(row?.status ?? '') && st.updatedBy === by &&
        (refused ? refused.test(st.patchRefused ?? '') : !st.patchRefused);
      await check(name, ok, `update: ${result}; row: ${JSON.stringify(row)}; by ${st.updatedBy}, patch refused: ${st.patchRefused ?? '-'}`);
    }

    v = await verdict('jd/reseller.html');
    await check('still used after all that', v?.level === 'danger', v?.reasons?.[0]?.text);

    // Corrupt the cached copy, then let the worker die: the next wake must drop it, say so, and go on.
    await worker.evaluate(async () => {
      const db = await new Promise((res, rej) => { const o = indexedDB.open('genuine', 1); o.onsuccess = () => res(o.result); o.onerror = () => rej(o.error); });
      await new Promise((res, rej) => {
        const t = db.transaction('registries', 'readwrite');
        const s = t.objectStore('registries');
        s.getAllKeys().onsuccess = (e) => { for (const k of e.target.result) if (k.startsWith('user:')) s.get(k).onsuccess = (g) => { const entry = g.target.result; const b = new Uint8Array(entry.bytes); b[100] ^= 0xff; s.put({ ...entry, bytes: b.buffer }, k); }; };
        t.oncomplete = res; t.onerror = () => rej(t.error);
      });
    });
    const cdp = await context.newCDPSession(page);
    for (const t of (await cdp.send('Target.getTargets')).targetInfos) {
      if (t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}`)) await cdp.send('Target.closeTarget', { targetId: t.targetId });
    }
    await sleep(300);
    row = await sourceRow();
    await check('corrupted cache dropped and reported', /cached copy dropped/.test(row?.status ?? ''), JSON.stringify(row));
    const w2 = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const url = 'https://item.jd.com/demo/jd/official.html';
    await page.goto(url);
    const v2 = await poll(() => chromiumDriver.verdictFor(w2, url));
    await check('default registry unharmed', v2?.level === 'official', v2?.reasons?.[0]?.text);

    // The attacker's registry: the pinned brand's blocklisted Tmall store as its official one, its own inbox.
    writeFileSync(join(tmp, 'evil.csv'), 'brand,brand_aliases,platform,store_name,store_id,store_url,kind\n' +
      'Aurora Wellness,奥罗拉健康,tmall,奥罗拉健康正品特卖店,6666,,official\n' +
      'Aurora Wellness,奥罗拉健康,jd,优品生活专营店,3101,,official\n');
    g('registry', 'import', '--accounts', 'evil.csv', '--publisher', 'Aurora Wellness (really)', '--version', '50',
      '--report-endpoint', 'https://attacker.genuine.test/api/reports', '--out', 'evil.json');
    g('registry', 'sign', '--key', 'other.secret', 'evil.json', '--out', 'evil.signed');
    const evilPrint = g('registry', 'verify', '--pubkey', 'other.pub', join(tmp, 'evil.signed')).match(/signed by ([0-9a-f]{32})/)[1];
    copyFileSync(join(tmp, 'evil.signed'), join(served, 'evil.signed'));
    copyFileSync(join(tmp, 'other.pub'), join(served, 'evil.pub'));
    await addInOptions('https://brand.genuine.test/registry/e2e/evil.signed', evilPrint);
    await options.reload();
    await options.waitForSelector('body[data-ready]');
    const note = options.locator('tr[data-ignored="user:https://brand.genuine.test/registry/e2e/evil.signed"]');
    const noteText = (await note.count()) ? await note.textContent() : '';
    await check('options page says what an added registry may not speak for', /2 store/.test(noteText) && noteText.includes('Aurora Wellness'), noteText);
    const w3 = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const tmallUrl = 'https://detail.tmall.com/demo/tmall/blocklisted.html';
    await page.goto(tmallUrl);
    const v3 = await poll(() => chromiumDriver.verdictFor(w3, tmallUrl));
    await check('an added registry cannot make a blocklisted store official', v3?.level === 'danger' && v3.reasons[0].code === 'known_counterfeit', JSON.stringify(v3?.reasons?.[0]));
    await check('nor send its reports to its own inbox', v3?.report && v3.report.endpoint !== 'https://attacker.genuine.test/api/reports', JSON.stringify(v3?.report?.endpoint));
  } finally {
    await context.close();
    rmSync(served, { recursive: true, force: true });
  }
  await alarmAfterWorkerStart(root, port, check);
}

// Chrome says alarms may not survive a browser restart, and the worker is
// started again for every event after one. The update alarm is made sure of
// whenever the worker starts, not only on install: cleared, the worker
// stopped, then woken by a shop page, it must be there again. (Restarting
// the browser itself proves nothing here: Chromium fires onInstalled again
// for an extension loaded with --load-extension on every launch.)
async function alarmAfterWorkerStart(root, port, check) {
  const { context, worker } = await chromiumDriver.launch(join(root, 'dist/chrome'), port);
  const alarm = (w) => w.evaluate(() => chrome.alarms.get('genuine:update').then((a) => a ?? null));
  try {
    let a = await poll(() => alarm(worker));
    if (!a) return check('the update alarm is set on install', false, 'no alarm');
    await worker.evaluate(() => { globalThis.__beforeStop = true; return chrome.alarms.clear('genuine:update'); });
    const page = await context.newPage();
    await chromiumDriver.stopWorker(context, page);
    await page.goto('https://detail.tmall.com/demo/tmall/official.html');
    // A fresh worker has none of the old one's globals.
    let fresh = false;
    a = await poll(async () => {
      const w = context.serviceWorkers().find((x) => x.url().startsWith('chrome-extension://'));
      if (!w) return null;
      const seen = await w.evaluate(() => ({ fresh: !globalThis.__beforeStop })).catch(() => null);
      fresh = fresh || !!seen?.fresh;
      return fresh ? alarm(w).catch(() => null) : null;
    }, { every: 200 });
    await check('the update alarm is set again when the worker starts', fresh && a !== null && a.periodInMinutes >= 360, fresh ? JSON.stringify(a) : 'the worker was not restarted');
  } finally {
    await context.close();
  }
}
