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

// Pause on this site: the page is not read at all until resumed.
async function renderPause(host) {
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
    await renderPause(host);
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
render(reply?.verdict, reply?.info, tabId);
// The tab's address: from the check we made there, else (after a pause, when
// nothing was read) from activeTab, which the toolbar click grants.
const hostOf = (u) => { try { const x = new URL(u); return /^https?:$/.test(x.protocol) ? x.hostname : ''; } catch { return ''; } };
await renderPause(hostOf(reply?.url ?? active?.url ?? ''));
// What is known at once, then what the queue and the inboxes say now.
await history(false);
await history(true);
document.body.dataset.ready = 'true';
