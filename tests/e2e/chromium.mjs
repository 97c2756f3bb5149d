// The built extension in real headless Chromium, driven by playwright-core.
// The closed shadow root is out of reach of page script and of Playwright's
// selectors; CDP's DOM domain (pierce: true) reads it as assistive tech would.
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './helpers.mjs';

const EXECUTABLE = process.env.CHROMIUM ?? '/usr/bin/chromium';

/**
 * `userDataDir`: a profile to reuse (a browser restart keeps its storage).
 * `noExtension`: the same browser without the extension (a bench's baseline).
 * `toolbar`: lets the test press the extension's toolbar button
 * (toolbarPopup; CDP's Extensions domain needs this flag and Playwright's pipe).
 * @param {string} extDir
 * @param {number} port
 * @param {{userDataDir?: string, noExtension?: boolean, toolbar?: boolean}} [options]
 */
export async function launch(extDir, port, { userDataDir, noExtension = false, toolbar = false } = {}) {
  const context = await chromium.launchPersistentContext(userDataDir ?? mkdtempSync(join(tmpdir(), 'genuine-chromium-')), {
    executablePath: EXECUTABLE,
    headless: true,
    args: [
      ...(noExtension ? [] : [`--disable-extensions-except=${extDir}`, `--load-extension=${extDir}`]),
      ...(toolbar ? ['--enable-unsafe-extension-debugging'] : []),
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--ignore-certificate-errors', // the e2e front's throw-away certificate
      `--host-resolver-rules=MAP * 127.0.0.1:${port}`,
    ],
  });
  if (noExtension) return { context, worker: null, extensionId: null, name: 'chromium', origin: (host) => `https://${host}` };
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15000 }));
  const extensionId = new URL(worker.url()).host;
  return { context, worker, extensionId, name: 'chromium', origin: (host) => `https://${host}` };
}

/**
 * Stops the extension's service worker, as Chrome does after ~30 s idle: the
 * next event starts it again from the top. `page` is any page of `context`
 * (a CDP session needs one).
 */
export async function stopWorker(context, page) {
  const cdp = await context.newCDPSession(page);
  const { targetInfos } = await cdp.send('Target.getTargets');
  for (const t of targetInfos) {
    if (t.type === 'service_worker' && t.url.startsWith('chrome-extension://')) await cdp.send('Target.closeTarget', { targetId: t.targetId });
  }
  await cdp.detach();
  await new Promise((r) => setTimeout(r, 200));
}

/** Notes on `page` when the banner's host element lands: `globalThis.__bannerAt` (ms since navigation start). */
export async function watchBanner(page) {
  await page.addInitScript(() => {
    new MutationObserver((_, obs) => {
      if (document.querySelector('genuine-banner')) {
        globalThis.__bannerAt = performance.now();
        obs.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
}

function textOf(node) {
  if (node.nodeType === 3) return node.nodeValue;
  if (node.nodeName === 'STYLE') return '';
  return (node.children ?? []).map(textOf).join(' ');
}

/** The first node of a CDP DOM tree (pierce: true) that `pred` accepts, shadow roots included. */
export function find(node, pred) {
  if (pred(node)) return node;
  for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) {
    const hit = find(child, pred);
    if (hit) return hit;
  }
  return null;
}

/** The banner as {level, text, closed} or null when there is none. */
export async function banner(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const host = find(root, (n) => n.nodeName === 'GENUINE-BANNER');
    if (!host) return null;
    const shadow = host.shadowRoots?.[0];
    const bar = shadow && find(shadow, (n) => (n.attributes ?? []).includes('data-level'));
    if (!bar) return null;
    const attrs = bar.attributes;
    return {
      level: attrs[attrs.indexOf('data-level') + 1],
      role: attrs[attrs.indexOf('role') + 1],
      text: textOf(bar).replace(/\s+/g, ' ').trim(),
      mode: shadow.shadowRootType,
      // What the page itself sees: a closed root is null to its scripts.
      pageSeesRoot: await page.evaluate(() => document.querySelector('genuine-banner')?.shadowRoot !== null),
    };
  } finally {
    await cdp.detach();
  }
}

/**
 * Clicks the banner's button of class `cls` as a user does: a real mouse
 * event at its place on screen (trusted), through the closed shadow root.
 * Returns false when the banner has no such button.
 */
export async function clickBanner(page, cls) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const host = find(root, (n) => n.nodeName === 'GENUINE-BANNER');
    const classOf = (n) => (n.attributes ?? [])[(n.attributes ?? []).indexOf('class') + 1];
    const button = host && find(host, (n) => n.nodeName === 'BUTTON' && classOf(n) === cls);
    if (!button) return false;
    const { model } = await cdp.send('DOM.getBoxModel', { backendNodeId: button.backendNodeId });
    const [x1, y1, , , x3, y3] = model.content;
    const at = { x: (x1 + x3) / 2, y: (y1 + y3) / 2, button: 'left', clickCount: 1 };
    await cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', ...at });
    await cdp.send('Input.dispatchMouseEvent', { type: 'mousePressed', ...at });
    await cdp.send('Input.dispatchMouseEvent', { type: 'mouseReleased', ...at });
    return true;
  } finally {
    await cdp.detach();
  }
}

/**
 * What the background keeps for the tab it judged `url` in, as
 * {tabId, url, verdict, snapshot}, or null if none yet. Without the "tabs"
 * permission the worker cannot query tabs by URL; the entries it keeps per
 * tab (`tab:<id>` in session storage) name the page. `withReport`: only a
 * verdict that offers a report counts.
 */
export async function tabEntry(worker, url, { withReport = false } = {}) {
  /** @type {Promise<{tabId: number, url: string, verdict: any, snapshot: any} | null>} */
  return worker.evaluate(async ([u, report]) => {
    /** @type {Record<string, any>} */
    const all = await chrome.storage.session.get(null);
    const key = Object.keys(all).find((k) => k.startsWith('tab:') && all[k].url === u && (!report || all[k].verdict?.report));
    return key ? { tabId: Number(key.slice(4)), ...all[key] } : null;
  }, [url, withReport]);
}

/** The background's verdict for `url` (set when the check finished), or null. */
export const verdictFor = async (worker, url) => (await tabEntry(worker, url))?.verdict ?? null;

/** The id of the tab the background judged `url` in, NaN if none yet. */
export const tabFor = async (worker, url, options) => (await tabEntry(worker, url, options))?.tabId ?? NaN;

/**
 * Presses the extension's toolbar button on `page`'s tab, as the user does
 * (CDP Extensions.triggerAction: the browser lends the extension activeTab
 * on that tab and opens the real popup), and returns that popup once it is
 * ready: `run(expr)` evaluates there, `click(css)` is a real mouse click,
 * `close()` shuts it. Playwright does not list an action popup among its
 * pages, so it is driven over CDP (launch with `toolbar: true`).
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} extensionId
 * @param {import('playwright-core').Page} page
 */
export async function toolbarPopup(context, extensionId, page) {
  const browser = context.browser();
  if (!browser) throw new Error('no browser to press the toolbar button in');
  const cdp = await browser.newBrowserCDPSession();
  const targets = async (filter) => (await cdp.send('Target.getTargets', filter ? { filter } : {})).targetInfos;
  const tab = (await targets([{ type: 'tab' }])).find((t) => t.url === page.url());
  if (!tab) throw new Error(`no tab shows ${page.url()}`);
  const popupUrl = `chrome-extension://${extensionId}/popup.html`;
  const before = new Set((await targets()).filter((t) => t.url === popupUrl).map((t) => t.targetId));
  await cdp.send('Extensions.triggerAction', { id: extensionId, targetId: tab.targetId });
  const target = await waitFor('the toolbar popup', async () => (await targets()).find((t) => t.url === popupUrl && !before.has(t.targetId)));
  // Not a flat session: Playwright's CDPSession sends to its own target only,
  // so the popup's commands go through Target.sendMessageToTarget.
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  let next = 0;
  const waiting = new Map();
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message);
    waiting.get(m.id)?.(m);
    waiting.delete(m.id);
  });
  const send = (method, params = {}) => new Promise((resolve, reject) => {
    const id = ++next;
    waiting.set(id, (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result)));
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
  });
  /** @param {string} expression */
  const run = async (expression) => {
    const r = await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (r.exceptionDetails) throw new Error(`${expression}: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value;
  };
  await waitFor('the popup ready', () => run("document.body?.dataset.ready === 'true'"));
  return {
    run,
    /** @param {string} css */
    async click(css) {
      const at = await run(`(() => { const r = document.querySelector(${JSON.stringify(css)}).getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; })()`);
      const e = { ...at, button: 'left', clickCount: 1 };
      await send('Input.dispatchMouseEvent', { type: 'mouseMoved', ...e });
      await send('Input.dispatchMouseEvent', { type: 'mousePressed', ...e });
      await send('Input.dispatchMouseEvent', { type: 'mouseReleased', ...e });
    },
    async close() {
      await cdp.send('Target.closeTarget', { targetId: target.targetId }).catch(() => {});
      await cdp.detach().catch(() => {});
    },
  };
}
