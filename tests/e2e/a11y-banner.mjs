// Accessibility of the in-page banner. It lives in a closed shadow root, which
// axe (like any page script) cannot walk into from the document. DevTools can:
// CDP's DOM domain (pierce: true) finds the banner's bar inside the root, and
// axe checks the banner's real
// nodes and stylesheet (cloned into an open root, see below) with their real
// computed styles — colours against the banner's own backgrounds, names of
// its buttons, its live-region role — on a page served with a strict CSP, in
// light and dark.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { find } from './chromium.mjs';
import { poll } from './helpers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const AXE = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** One page per level the banner shows (a page with nothing to say has none). */
export const BANNER_PAGES = [
  ['danger', 'detail.tmall.com', 'tmall/lookalike.html'],
  ['caution', 'item.jd.com', 'jd/reseller.html'],
  ['official', 'www.amazon.com', 'amazon/official.html'],
];

/** The banner's bar element inside the closed root, as a CDP object id, or null. */
async function barObject(cdp) {
  const { root: doc } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
  const host = find(doc, (n) => n.nodeName === 'GENUINE-BANNER');
  const shadow = host?.shadowRoots?.[0];
  const bar = shadow && find(shadow, (n) => (n.attributes ?? []).includes('data-level'));
  if (!bar) return null;
  const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: bar.backendNodeId });
  return { objectId: object.objectId, mode: shadow.shadowRootType };
}

/**
 * For each banner page × colour scheme: [{page, scheme, level, mode, violations}].
 * `origin(host)` gives the URL origin the browser reaches the demo pages at.
 * @param {import('playwright-core').BrowserContext} context
 * @param {(host: string) => string} origin
 * @param {{outDir?: string}} [options]
 */
export async function bannerA11y(context, origin, { outDir } = {}) {
  const results = [];
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  const cdp = await context.newCDPSession(page);
  try {
    for (const scheme of /** @type {const} */ (['light', 'dark'])) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [level, host, path] of BANNER_PAGES) {
        await page.goto(`${origin(host)}/demo/${path}`);
        const bar = await poll(() => barObject(cdp));
        if (!bar) {
          results.push({ page: path, width: 'desktop', scheme, level, violations: [{ id: 'no-banner', impact: 'critical', targets: [] }] });
          continue;
        }
        // DevTools evaluation is not subject to the page's CSP (script-src 'none').
        await cdp.send('Runtime.evaluate', { expression: AXE });
        const { result, exceptionDetails } = await cdp.send('Runtime.callFunctionOn', {
          objectId: bar.objectId,
          // axe will not include nodes under a closed root (it resolves its
          // context through open roots only), so the banner's nodes and its
          // stylesheet are cloned, as they are, into an open root in the same
          // page, and the original is taken out while axe looks, so that the
          // contrast check sees the copy's own backgrounds.
          functionDeclaration: `async function (tags) {
            const closed = this.getRootNode();
            const original = closed.host;
            const copyHost = document.createElement('genuine-banner-copy');
            const open = copyHost.attachShadow({ mode: 'open' });
            for (const n of closed.childNodes) open.append(n.cloneNode(true));
            // In <body>: axe's colour check cannot find backgrounds for a node
            // outside it (the banner itself hangs off <html>, where no page
            // style can reach its position); fixed and styled by :host, the
            // copy renders the same either way.
            const parent = original.parentNode, next = original.nextSibling;
            original.remove();
            document.body.append(copyHost);
            try {
              const r = await axe.run({ include: [{ fromShadowDom: ['genuine-banner-copy', '[data-level]'] }] },
                { runOnly: { type: 'tag', values: tags } });
              return JSON.stringify({
                level: this.getAttribute('data-level'),
                checked: r.passes.reduce((n, p) => n + p.nodes.length, 0),
                violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                  targets: v.nodes.map((n) => n.html.slice(0, 80)).slice(0, 5) })),
              });
            } finally {
              copyHost.remove();
              parent.insertBefore(original, next);
            }
          }`,
          arguments: [{ value: TAGS }],
          awaitPromise: true,
          returnByValue: true,
        });
        if (exceptionDetails) throw new Error(`axe on the banner: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
        const r = JSON.parse(result.value);
        const violations = [...r.violations];
        if (r.level !== level) violations.push({ id: 'wrong-level', impact: 'critical', targets: [r.level] });
        // A run that checked nothing proves nothing: the bar has text and buttons.
        if (r.checked === 0) violations.push({ id: 'nothing-checked', impact: 'critical', targets: [] });
        if (outDir && level === 'danger' && scheme === 'light') {
          mkdirSync(outDir, { recursive: true });
          await page.screenshot({ path: join(outDir, 'banner-desktop.png') });
          await page.setViewportSize({ width: 360, height: 780 });
          await page.screenshot({ path: join(outDir, 'banner-phone.png') });
          await page.setViewportSize({ width: 1280, height: 900 });
        }
        results.push({ page: `banner ${level}`, width: 'desktop', scheme, level, mode: bar.mode, checked: r.checked, violations });
      }
    }
  } finally {
    await cdp.detach();
    await page.close();
  }
  return results;
}
