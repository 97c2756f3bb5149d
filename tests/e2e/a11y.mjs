// Accessibility: axe-core on every www page and on the extension popup, at
// desktop and phone width, in light and dark. Also drives the web checker
// once (a look-alike name must give the danger verdict) and screenshots it.
import { readFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tabFor } from './chromium.mjs';
import { poll } from './helpers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const AXE = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
// A brand link as a brand publishes it (www/add/, docs/brands.md).
const LINK_QUERY = 'registry=https%3A%2F%2Fbrand.example%2Fregistry%2Fbrand.signed&key=abc876de491f22887fdb5daef8c97e83&name=Aurora%20Wellness';
export const PAGES = ['index.html', 'check.html', 'registry.html', 'brands.html', 'inbox.html', `add/?${LINK_QUERY}`];
export const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 360, height: 780 } };
export const SCHEMES = /** @type {const} */ (['light', 'dark']);
// WCAG 2.1 A and AA, plus axe's best practices (landmarks, one h1, region).
export const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

async function axe(page) {
  // Not addScriptTag: that is an inline script, which the extension popup's
  // CSP (and any strict CSP on www) blocks. DevTools evaluation is not subject
  // to the page's CSP.
  await page.evaluate(AXE);
  return page.evaluate(async (tags) => {
    const r = await globalThis.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  }, TAGS);
}

/** The page's texts are filled in (site.js sets lang after loading a locale). */
async function settled(page) {
  await page.waitForFunction(() => document.querySelector('[data-i18n]')?.textContent.trim() !== '' || !document.querySelector('[data-i18n]'));
  await page.waitForLoadState('networkidle');
}

/** Types the look-alike name on the checker and returns the shown level and headline. */
export async function runChecker(page, baseUrl) {
  await page.goto(`${baseUrl}/check.html`);
  await settled(page);
  await page.fill('#store', 'Aur0ra Wellness 0fficial Store');
  await page.selectOption('#platform', 'amazon');
  await page.click('button[type=submit]');
  await page.waitForSelector('#result:not([hidden])', { timeout: 15000 });
  return page.evaluate(() => ({
    level: document.getElementById('result').dataset.level,
    headline: document.getElementById('result-h').textContent,
    reasons: [...document.querySelectorAll('#result-reasons li')].map((li) => li.textContent),
  }));
}

/**
 * The report views, made the way a user makes them: a demo danger page, the
 * popup's Report button, Send in the confirm window (so the popup has a
 * history), then a second confirm window left open. Returns [name, url]
 * pairs; the extension's inbox must be a server that can take the report.
 * @returns {Promise<[string, string][]>}
 */
export async function reportViews(context, baseUrl, extensionId) {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const shop = await context.newPage();
  const url = `${baseUrl}/demo/tmall/blocklisted.html`;
  await shop.goto(url);
  const tabId = await poll(() => tabFor(worker, url, { withReport: true }));
  const popupUrl = `chrome-extension://${extensionId}/popup.html?tab=${tabId}`;
  const popup = await context.newPage();
  const confirm = async () => {
    await popup.goto(popupUrl);
    await popup.waitForSelector('body[data-ready]');
    const next = context.waitForEvent('page', { predicate: (p) => p.url().includes('/report.html') });
    await popup.click('#report');
    const w = await next;
    await w.waitForSelector('#form:not([hidden])');
    return w;
  };
  const first = await confirm();
  await first.click('#send');
  await first.waitForSelector('#result[data-state="received"]');
  await first.close();
  const second = await confirm();
  return [['popup.html (danger, history)', popupUrl], ['report.html (confirm step)', second.url()]];
}

/**
 * Runs axe everywhere; returns [{page, width, scheme, violations}] (violations
 * empty when clean) and the checker's result. `extensionId` adds the popup
 * and the options page, `extensionViews` more [name, url] pairs.
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} baseUrl
 * @param {{extensionId?: string, extensionViews?: [string, string][], outDir?: string}} [options]
 */
export async function a11y(context, baseUrl, { extensionId, extensionViews = [], outDir } = {}) {
  const results = [];
  const page = await context.newPage();
  try {
    for (const [widthName, size] of Object.entries(WIDTHS)) {
      await page.setViewportSize(size);
      for (const scheme of SCHEMES) {
        await page.emulateMedia({ colorScheme: scheme });
        const targets = PAGES.map((p) => [p, `${baseUrl}/${p}`]);
        if (extensionId) targets.push(['popup.html', `chrome-extension://${extensionId}/popup.html`]);
        if (extensionId) targets.push(['options.html', `chrome-extension://${extensionId}/options.html`]);
        targets.push(...extensionViews);
        if (extensionId) {
          const link = encodeURIComponent(`https://brand.example/add?${LINK_QUERY}`);
          targets.push(['confirm-add.html', `chrome-extension://${extensionId}/confirm-add.html?link=${link}`]);
        }
        for (const [name, url] of targets) {
          await page.goto(url);
          await settled(page);
          results.push({ page: name, width: widthName, scheme, violations: await axe(page) });
          if (outDir && scheme === 'light' && name.startsWith('popup.html (')) {
            // The popup as the README shows it: its own box, not the empty tab around it.
            mkdirSync(outDir, { recursive: true });
            await page.locator('body').screenshot({ path: join(outDir, `popup-${widthName}.png`) });
          }
        }
        // The checker with a verdict showing is a different page to axe.
        const checker = await runChecker(page, baseUrl);
        results.push({ page: 'check.html (danger shown)', width: widthName, scheme, violations: await axe(page), checker });
        if (outDir && scheme === 'light') {
          mkdirSync(outDir, { recursive: true });
          await page.screenshot({ path: join(outDir, `www-check-${widthName}.png`), fullPage: true });
        }
      }
    }
  } finally {
    await page.close();
  }
  return results;
}
