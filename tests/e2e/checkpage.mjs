// "Check this page", end to end in real Chromium and Firefox: a shop no site
// profile names is read only when the shopper asks, from the popup. The page
// is the demo's Amazon look-alike (JSON-LD names the store "Aur0ra Wellness
// 0fficial Store" and the brand Aurora Wellness) served as a web shop at
// shop.example.net, where no content script of the manifest runs: read with
// the generic profile it is a danger, a look-alike of Aurora Wellness.
// Before the click: no verdict, no banner, the button shown. After it: the
// verdict in the popup, the banner on the page (one, though the button was
// clicked twice), and no host access kept. Chromium presses the real toolbar
// button (activeTab) and clicks in the real popup; Firefox presses it too,
// then opens the popup as a page (its panel is out of WebDriver's reach),
// where the popup asks for the one origin, granted as a user would
// (extensions.webextOptionalPermissionPrompts: false), and gives it back.
import { join } from 'node:path';
import { poll, sleep, waitFor } from './helpers.mjs';
import * as chromiumDriver from './chromium.mjs';
import * as firefoxDriver from './firefox.mjs';
import { AXE, TAGS } from './a11y.mjs';

const SHOP = {
  host: 'shop.example.net',
  path: '/demo/amazon/lookalike.html',
  level: 'danger',
  store: 'Aur0ra Wellness 0fficial Store',
  banner: 'Looks like Aurora Wellness',
};
// A marketplace page the manifest's content script reads by itself.
const MARKETPLACE = { host: 'www.amazon.com', path: '/demo/amazon/lookalike.html' };
// Another shop no profile names, paused by the user.
const PAUSED = { host: 'paused-shop.example.org', path: '/demo/amazon/official.html' };
// How long a page with no reader is given to show that nothing reads it.
const QUIET_MS = 1500;
const PATTERN = `https://${SHOP.host}/*`;

// Page-world script: the most <genuine-banner> elements the page held at
// once from now on. A banner shown again replaces itself (banner.js), so
// each read may add one; two readers would each keep their own.
const WATCH = `const count = () => document.querySelectorAll('genuine-banner').length;
  window.__genuineBanners = { before: count(), most: count() };
  new MutationObserver(() => {
    window.__genuineBanners.most = Math.max(window.__genuineBanners.most, count());
  }).observe(document.documentElement, { childList: true });
  return true;`;
const BANNERS = "return { ...window.__genuineBanners, now: document.querySelectorAll('genuine-banner').length }";
const once = (c) => c.before === 0 && c.most === 1 && c.now === 1;
// In the popup: what it shows.
const POPUP_STATE = `({
  level: document.getElementById('verdict').dataset.level,
  store: document.getElementById('store').textContent,
  button: document.getElementById('read')?.hidden === false,
  status: document.getElementById('read-status')?.textContent ?? '',
  pause: document.getElementById('site').hidden ? '' : document.getElementById('pause').textContent,
})`;

export async function checkPageSuite(root, port, log) {
  for (const [name, run] of /** @type {const} */ ([['chromium', chromium], ['firefox', firefox]])) {
    const check = (what, ok, detail) => log(name, 'check page', what, ok, detail);
    try {
      await run(root, port, check);
    } catch (e) {
      check('suite', false, e.stack ?? String(e));
    }
  }
}

async function chromium(root, port, check) {
  const { context, worker, extensionId } = await chromiumDriver.launch(join(root, 'dist/chrome'), port, { toolbar: true });
  try {
    const page = await context.newPage();
    const popupOn = () => chromiumDriver.toolbarPopup(context, extensionId, page);

    // A marketplace page, read by itself: no button.
    const market = `https://${MARKETPLACE.host}${MARKETPLACE.path}`;
    await page.goto(market);
    await waitFor('the marketplace banner', () => chromiumDriver.banner(page));
    let popup = await popupOn();
    const m = await popup.run(POPUP_STATE);
    await popup.close();
    check('button hidden on a page read by itself', !m.button && m.level === 'danger', JSON.stringify(m));

    // A paused shop: no button (nothing is read there, even when asked).
    await worker.evaluate((host) => chrome.storage.local.set({ paused: { [host]: Date.now() } }), PAUSED.host);
    await page.goto(`https://${PAUSED.host}${PAUSED.path}`);
    popup = await popupOn();
    const p = await popup.run(POPUP_STATE);
    await popup.close();
    check('button hidden on a paused site', !p.button && p.pause === `Resume on ${PAUSED.host}`, JSON.stringify(p));

    // The shop no profile names: nothing read until the click.
    const url = `https://${SHOP.host}${SHOP.path}`;
    await page.goto(url);
    await sleep(QUIET_MS);
    const entry0 = await chromiumDriver.tabEntry(worker, url);
    const banner0 = await chromiumDriver.banner(page);
    popup = await popupOn();
    const before = await popup.run(POPUP_STATE);
    check('before the click: nothing read, the button shown', !entry0 && !banner0 && before.button && before.level === 'none',
      JSON.stringify({ entry: entry0?.verdict?.level ?? null, banner: banner0?.level ?? null, popup: before }));
    // axe, as on the other popup views (a11y.mjs), with the line and button shown.
    await popup.run(AXE);
    const violations = await popup.run(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(TAGS)} } })
      .then((r) => r.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target.join(' ')) })))`);
    check('axe: the popup with the button shown', violations.length === 0, JSON.stringify(violations));
    await page.evaluate(/** @type {() => boolean} */ (new Function(WATCH)));
    await popup.click('#read-page');
    await popup.click('#read-page'); // a second click while the first read runs
    const after = await poll(async () => {
      const s = await popup.run(POPUP_STATE);
      return s.level !== 'none' || s.status.includes('could not') ? s : null;
    });
    await popup.close();
    check('after the click: the verdict in the popup', after?.level === SHOP.level && after.store.includes(SHOP.store) && !after.button, JSON.stringify(after));
    const b = await poll(() => chromiumDriver.banner(page));
    await sleep(QUIET_MS); // the second click's read, had it started a second reader, shows its banner by now
    const count = await page.evaluate(/** @type {() => any} */ (new Function(BANNERS)));
    const badge = await worker.evaluate(async (u) => {
      /** @type {Record<string, any>} */
      const all = await chrome.storage.session.get(null);
      const key = Object.keys(all).find((k) => k.startsWith('tab:') && all[k].url === u);
      return key ? chrome.action.getBadgeText({ tabId: Number(key.slice(4)) }) : null;
    }, url);
    check('the banner on the page, once, and the badge', b?.level === SHOP.level && b.text.includes(SHOP.banner) && once(count) && badge === '!',
      `${b?.level} ${JSON.stringify(b?.text)}; banners ${JSON.stringify(count)}; badge ${JSON.stringify(badge)}`);
    const kept = await worker.evaluate(async (pattern) => ({
      access: await chrome.permissions.contains({ origins: [pattern] }),
      plans: Object.keys(/** @type {Record<string, any>} */ (await chrome.storage.local.get('plans')).plans?.hosts ?? {}),
    }), PATTERN);
    check('no host access and no plan kept for the shop', !kept.access && !kept.plans.includes(SHOP.host), JSON.stringify(kept));
  } finally {
    await context.close();
  }
}

async function firefox(root, port, check) {
  const { ff, main, tabEntry } = await firefoxDriver.launchWithExtensionTab(root, port, {
    prefs: { 'extensions.webextOptionalPermissionPrompts': false },
  });
  const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
  try {
    const ext = (await ff.wd('GET', '/window/handles')).find((h) => h !== main);
    const url = `${ff.origin(SHOP.host)}${SHOP.path}`;
    await ff.goto(url);
    await sleep(QUIET_MS);
    const entry0 = await tabEntry(url);
    const banner0 = await ff.banner();
    await ff.exec(WATCH);
    // The toolbar button, pressed on the shop's tab, lends activeTab there,
    // so the popup may see the tab's address; opened as a page it holds no
    // activeTab of its own and asks for the origin.
    await firefoxDriver.pressToolbar(ff);
    await ff.wd('POST', '/window', { handle: ext });
    const tabId = await ff.exec(`return browser.tabs.query({}).then((ts) => ts.find((t) => t.url?.startsWith(arguments[0]))?.id)`, [url]);
    await ff.exec("location.assign('popup.html?tab=' + arguments[0])", [tabId]);
    await waitFor('the popup page', () => ff.exec("return location.pathname.endsWith('/popup.html') && document.body.dataset.ready === 'true'"));
    const before = await ff.exec(`return ${POPUP_STATE}`);
    check('before the click: nothing read, the button shown', !entry0 && !banner0 && before.button && before.level === 'none',
      JSON.stringify({ entry: entry0?.verdict?.level ?? null, banner: banner0?.level ?? null, popup: before }));
    await ff.exec(`window.__granted = [];
      browser.permissions.onAdded.addListener((p) => window.__granted.push(...(p.origins ?? [])));`);
    const button = (await ff.wd('POST', '/element', { using: 'css selector', value: '#read-page' }))[ELEMENT];
    await ff.wd('POST', `/element/${button}/click`, {});
    await ff.wd('POST', `/element/${button}/click`, {}).catch(() => {}); // hidden already if the read was that quick
    const after = await poll(async () => {
      const s = await ff.exec(`return ${POPUP_STATE}`);
      return s.level !== 'none' || s.status.includes('could not') || s.status.includes('permission') ? s : null;
    });
    check('after the click: the verdict in the popup', after?.level === SHOP.level && after.store.includes(SHOP.store) && !after.button, JSON.stringify(after));
    const access = await poll(async () => {
      const held = await ff.exec('return browser.permissions.contains({ origins: [arguments[0]] })', [PATTERN]);
      return held ? null : { held, granted: await ff.exec('return window.__granted') };
    }, { ms: 5000 });
    check('the one origin asked for, and given back after the read', access?.held === false && access.granted.includes(PATTERN), JSON.stringify(access));
    await ff.wd('POST', '/window', { handle: main });
    const b = await poll(() => ff.banner());
    await sleep(QUIET_MS); // as in Chromium: time for a second reader's banner
    const count = await ff.exec(BANNERS);
    check('the banner on the page, once', b?.level === SHOP.level && b.text.includes(SHOP.banner) && once(count),
      `${b?.level} ${JSON.stringify(b?.text)}; banners ${JSON.stringify(count)}`);
  } finally {
    await ff.close();
  }
}
