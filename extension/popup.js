// The toolbar popup: the current tab's verdict, in words, the override, the
// Report button and the history of the user's reports.
import './messages.js';
import { localize } from './i18n.js';
import { historyItems } from './history.js';

const { MSG, api } = globalThis.Genuine;
const { t } = globalThis.Genuine;
/** @type {(id: string) => import('./types').Field} */
const $ = (id) => document.getElementById(id);

function render(verdict, info, tabId) {
  const section = $('verdict');
  const level = verdict?.level ?? 'none';
  section.dataset.level = level;
  $('headline').textContent = t(globalThis.Genuine.headlineKey(verdict), verdict?.brand ?? '');
  const s = verdict?.signals ?? {};
  $('store').textContent = s.store_name ? t('popup_store', s.store_name, globalThis.Genuine.platformName(s.platform)) : '';
  const ul = $('reasons');
  ul.replaceChildren(...(verdict?.reasons ?? []).map((r) => Object.assign(document.createElement('li'), { textContent: r.text })));
  const warn = level === 'danger' || level === 'caution';
  $('actions').hidden = !warn;
  $('trust').hidden = Boolean(verdict?.trusted);
  // Opened from a danger banner's "I trust this store…": say what trusting means.
  $('confirm-trust').hidden = !(confirming && level === 'danger' && !verdict?.trusted);
  $('untrust').hidden = !verdict?.trusted;
  $('trust').onclick = () => trust(tabId, true);
  $('untrust').onclick = () => trust(tabId, false);
  $('report').hidden = !verdict?.report || Boolean(verdict?.trusted);
  $('report').onclick = () => report(tabId);
  if (info) {
    $('registry').textContent = t(
      info.stale ? 'popup_registry_stale' : 'popup_registry',
      info.publisher,
      String(info.version),
      info.issued_at.slice(0, 10),
    );
  }
}

async function trust(tabId, on) {
  const r = await api.runtime.sendMessage({ type: MSG.TRUST, tabId, trust: on });
  const again = await api.runtime.sendMessage({ type: MSG.TAB, tabId });
  render(r?.verdict ?? again.verdict, again.info, tabId);
}

// Opened from the toolbar button, the popup has lent the extension activeTab
// on this tab, which is all a screenshot needs; the confirm window says so.
async function report(tabId) {
  const r = await api.runtime.sendMessage({ type: MSG.REPORT_OPEN, tabId, activeTab: !param });
  $('report-error').textContent = r?.error ?? '';
  if (!r?.error && !param) window.close();
}

const hostOf = (u) => { try { const x = new URL(u); return /^https?:$/.test(x.protocol) ? x.hostname : ''; } catch { return ''; } };
const withoutHash = (u) => String(u).split('#')[0];

// Check this page: where Genuine read nothing (no site profile names the
// host, or the page is not read yet), the shopper may ask for it; the
// background injects the reader, and the core reads the page with the
// profile for its address (the generic one on a host no profile names).
// Nothing is read before that click, and nothing of the page leaves the browser.
let reads = 0; // reads asked for and not yet answered
let lent = false; // whether one of them asked the browser for this origin
async function renderRead(url, read) {
  const host = hostOf(url);
  const { paused = {} } = await api.storage.local.get('paused');
  $('read').hidden = read || !host || Boolean(paused[host]);
  if ($('read').hidden) return;
  // A host pattern: without a port, as Firefox's match patterns take none
  // (Chrome's then match any port).
  const origins = [`${new URL(url).protocol}//${host}/*`];
  // From the toolbar the popup has lent Genuine activeTab on this tab, which
  // is all the read needs. Opened otherwise, the one origin is asked for,
  // unless the user granted it already (then asking is needless and giving
  // it back would take theirs away).
  const ask = Boolean(param) && !(await api.permissions.contains({ origins }).catch(() => false));
  $('read-page').onclick = () => {
    // Firefox lends a permission only while it handles the click itself, so
    // the request is made here, before anything is awaited (report.js too).
    const asking = ask ? api.permissions.request({ origins }) : null;
    lent ||= Boolean(asking);
    reads++;
    $('read-status').textContent = t('popup_reading');
    (async () => {
      try {
        if (asking && !(await asking)) throw new Error(t('popup_read_denied'));
        const r = await api.runtime.sendMessage({ type: MSG.READ, tabId });
        if (r?.error) throw new Error(r.error);
        const now = await api.runtime.sendMessage({ type: MSG.TAB, tabId });
        render(now?.verdict ?? r.verdict, now?.info, tabId);
        $('read').hidden = true;
        $('read-status').textContent = '';
      } catch (e) {
        $('read-status').textContent = String(e?.message ?? e);
      } finally {
        // The host access lasts the read the shopper asked for, no longer;
        // the reader stays in the page for the banner's buttons.
        if (--reads === 0 && lent) {
          lent = false;
          await api.permissions.remove({ origins }).catch(() => {});
        }
      }
    })();
  };
}

// Pause on this site: the page is not read at all until resumed.
async function renderPause(host, url) {
  if (!host) return;
  const { paused = {} } = await api.storage.local.get('paused');
  const on = Boolean(paused[host]);
  $('site').hidden = false;
  $('pause').textContent = t(on ? 'popup_resume' : 'popup_pause', host);
  $('pause').onclick = async () => {
    const { paused: now = {} } = await api.storage.local.get('paused');
    if (on) delete now[host];
    else now[host] = Date.now();
    await api.storage.local.set({ paused: now });
    if (!on) render(null, null, null);
    await renderPause(host, url);
    await renderRead(url, false);
  };
}

async function history(refresh) {
  const { reports = [] } = (await api.runtime.sendMessage({ type: MSG.REPORTS, refresh })) ?? {};
  $('history').hidden = reports.length === 0;
  $('reports').replaceChildren(...historyItems(reports.slice(0, 10)));
}

await localize();
// ?tab= lets the popup open as a page for a given tab (details link, tests).
const param = new URLSearchParams(location.search).get('tab');
const confirming = new URLSearchParams(location.search).get('confirm') === 'trust';
const active = param ? null : (await api.tabs.query({ active: true, currentWindow: true }))[0];
const tabId = param ? Number(param) : active?.id;
const reply = await api.runtime.sendMessage({ type: MSG.TAB, tabId });
// The tab's address as the browser shows it to us: without the "tabs"
// permission only where Genuine may read the tab (activeTab, which the
// toolbar click lends, or host access), else from the check we made there.
const seen = active ? active.url : (await api.tabs.get(tabId).catch(() => null))?.url;
const url = seen ?? reply?.url ?? '';
// A verdict kept for another page of this tab is not this page's: the tab
// went on to a site nothing reads by itself, or a read asked for saw an
// in-page navigation (which it does not follow).
const read = Boolean(reply?.verdict) && !(seen && reply?.url && withoutHash(seen) !== withoutHash(reply.url));
render(read ? reply?.verdict : null, reply?.info, tabId);
await renderPause(hostOf(url), url);
await renderRead(url, read);
// What is known at once, then what the queue and the inboxes say now.
await history(false);
await history(true);
document.body.dataset.ready = 'true';
