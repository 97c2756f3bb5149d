// The built extension in real headless Firefox ESR through geckodriver's
// WebDriver HTTP API. Marionette reaches closed shadow roots (it is privileged),
// so the banner is read with plain WebDriver commands.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poll } from './helpers.mjs';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
const SHADOW = 'shadow-6066-11e4-a52e-4f735466cecf';

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
      s.close(() => resolve(port));
    });
  });

function firefoxBinary() {
  for (const b of [process.env.FIREFOX, '/usr/bin/firefox-esr', '/usr/bin/firefox']) if (b) return b;
}

/**
 * `dir`: install this unpacked extension instead of `zipFile`; `prefs`: extra
 * Firefox prefs; `systemAccess` lets a test open the extension's own pages:
 * WebDriver may not navigate to moz-extension:// URLs, privileged (chrome
 * context) script may.
 * @param {string | null} zipFile
 * @param {number} port
 * @param {{dir?: string, prefs?: Record<string, unknown>, systemAccess?: boolean}} [options]
 */
export async function launch(zipFile, port, { dir, prefs = {}, systemAccess = false } = {}) {
  const wdPort = await freePort();
  const geckoArgs = ['--port', String(wdPort), '--log', 'error', ...(systemAccess ? ['--allow-system-access'] : [])];
  const gecko = spawn(process.env.GECKODRIVER ?? 'geckodriver', geckoArgs, {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${wdPort}`;
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`${base}/status`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const call = async (method, path, body) => {
    const r = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const j = await r.json();
    if (j.value?.error) {
      throw Object.assign(new Error(`${method} ${path}: ${j.value.error}: ${j.value.message}`), { code: j.value.error });
    }
    return j.value;
  };
  const { sessionId } = await call('POST', '/session', {
    capabilities: {
      alwaysMatch: {
        browserName: 'firefox',
        acceptInsecureCerts: true, // the e2e front's throw-away certificate
        'moz:firefoxOptions': {
          binary: firefoxBinary(),
          args: ['-headless', '-profile', mkdtempSync(join(tmpdir(), 'genuine-firefox-'))],
          prefs: {
            // Every host name is this machine: the demo pages answer as the marketplaces.
            'network.dns.forceResolve': '127.0.0.1',
            'dom.security.https_first': false,
            'dom.security.https_only_mode': false,
            'network.proxy.type': 0,
            'extensions.webextensions.restrictedDomains': '',
            ...prefs,
          },
        },
      },
    },
  });
  const s = `/session/${sessionId}`;
  const addonId = await call('POST', `${s}/moz/addon/install`, dir ? { path: dir, temporary: true } : {
    addon: readFileSync(zipFile).toString('base64'),
    temporary: true,
  });
  return {
    name: 'firefox',
    addonId,
    origin: (host) => `https://${host}:${port}`,
    goto: (url) => call('POST', `${s}/url`, { url }),
    screenshot: async () => Buffer.from(await call('GET', `${s}/screenshot`), 'base64'),
    exec: (script, args = []) => call('POST', `${s}/execute/sync`, { script, args }),
    /** Any WebDriver command of this session: `command('GET', '/window/handles')`. */
    command: (method, path, body) => call(method, `${s}${path}`, body),
    /** Any WebDriver command of this session: wd('POST', '/element', {...}). */
    wd: (method, path, body) => call(method, `${s}${path}`, body),
    /** The banner as {level, text, pageSeesRoot} or null when there is none. */
    async banner() {
      let host;
      try {
        host = await call('POST', `${s}/element`, { using: 'css selector', value: 'genuine-banner' });
      } catch (e) {
        if (e.code === 'no such element') return null;
        throw e;
      }
      const root = await call('GET', `${s}/element/${host[ELEMENT]}/shadow`);
      const bar = await call('POST', `${s}/shadow/${root[SHADOW]}/element`, { using: 'css selector', value: '.bar' });
      const id = bar[ELEMENT];
      return {
        level: await call('GET', `${s}/element/${id}/attribute/data-level`),
        role: await call('GET', `${s}/element/${id}/attribute/role`),
        text: (await call('GET', `${s}/element/${id}/text`)).replace(/\s+/g, ' ').trim(),
        pageSeesRoot: await call('POST', `${s}/execute/sync`, {
          script: "return document.querySelector('genuine-banner').shadowRoot !== null",
          args: [],
        }),
      };
    },
    /** Clicks the banner's `button.<cls>` as a user would (WebDriver reaches into the closed root). */
    async clickBanner(cls) {
      const host = await call('POST', `${s}/element`, { using: 'css selector', value: 'genuine-banner' });
      const root = await call('GET', `${s}/element/${host[ELEMENT]}/shadow`);
      const button = await call('POST', `${s}/shadow/${root[SHADOW]}/element`, { using: 'css selector', value: `button.${cls}` });
      await call('POST', `${s}/element/${button[ELEMENT]}/click`, {});
    },
    async close() {
      await call('DELETE', s).catch(() => {});
      gecko.kill();
    },
  };
}

/**
 * The packed extension of `root`'s dist/ under a known internal UUID, with
 * one of its pages (options.html) open in a second tab: WebDriver may not
 * navigate to moz-extension:// pages, so privileged script opens it, as the
 * settings menu would. `inExtension` runs script in that page's window (its
 * browser.* APIs) and goes back to the first tab (`main`).
 * `prefs`: extra Firefox prefs.
 * @param {string} root
 * @param {number} port
 * @param {{prefs?: Record<string, unknown>}} [options]
 */
export async function launchWithExtensionTab(root, port, { prefs = {} } = {}) {
  const geckoId = JSON.parse(readFileSync(join(root, 'dist/firefox/manifest.json'), 'utf8')).browser_specific_settings.gecko.id;
  const uuid = randomUUID();
  const ff = await launch(join(root, 'dist/genuine-firefox.zip'), port, {
    systemAccess: true,
    prefs: { 'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: uuid }), ...prefs },
  });
  try {
    const main = await ff.wd('GET', '/window');
    await ff.wd('POST', '/moz/context', { context: 'chrome' });
    await ff.exec(`const win = Services.wm.getMostRecentWindow('navigator:browser');
      win.gBrowser.addTab(arguments[0], { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });`, [`moz-extension://${uuid}/options.html`]);
    await ff.wd('POST', '/moz/context', { context: 'content' });
    const ext = await poll(async () => (await ff.wd('GET', '/window/handles')).find((h) => h !== main));
    /** @param {string} script @param {unknown[]} [args] */
    const inExtension = async (script, args = []) => {
      await ff.wd('POST', '/window', { handle: ext });
      try {
        return await ff.exec(script, args);
      } finally {
        await ff.wd('POST', '/window', { handle: main });
      }
    };
    /** The background's entry for the tab showing `url` ({tabId, url, verdict, …}; chromiumDriver.tabEntry's twin). */
    const tabEntry = (url) => inExtension(`return browser.storage.session.get(null).then((all) => {
      const key = Object.keys(all).find((k) => k.startsWith('tab:') && all[k].url === arguments[0]);
      return key ? { tabId: Number(key.slice(4)), ...all[key] } : null;
    })`, [url]);
    return { ff, main, inExtension, tabEntry };
  } catch (e) {
    await ff.close();
    throw e;
  }
}

/**
 * Presses the extension's toolbar button in the selected tab, as the user
 * does: the browser action's own triggerAction, which lends the extension
 * activeTab on that tab and opens its popup panel (privileged script, so
 * `ff` needs systemAccess). The panel itself is out of WebDriver's reach.
 * @param {Awaited<ReturnType<typeof launch>>} ff
 */
export async function pressToolbar(ff) {
  await ff.wd('POST', '/moz/context', { context: 'chrome' });
  try {
    await ff.exec(`return (async () => {
      const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
      const extension = WebExtensionPolicy.getByID(arguments[0]).extension;
      const win = Services.wm.getMostRecentWindow('navigator:browser');
      await ExtensionParent.apiManager.global.browserActionFor(extension).triggerAction(win);
    })();`, [ff.addonId]);
  } finally {
    await ff.wd('POST', '/moz/context', { context: 'content' });
  }
}
