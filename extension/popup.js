// The toolbar popup: the current tab's verdict, in words, the override, the
// Report button and the history of the user's reports.
import './messages.js';
import { localize } from './i18n.js';
import { historyItems } from './history.js';

const { MSG, api } = globalThis.Genuine;
const t = (key, ...subs) => api.i18n.getMessage(key, subs) || key;
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

async function history(refresh) {
  const { reports = [] } = (await api.runtime.sendMessage({ type: MSG.REPORTS, refresh })) ?? {};
  $('history').hidden = reports.length === 0;
  $('reports').replaceChildren(...historyItems(reports.slice(0, 10)));
}

localize();
// ?tab= lets the popup open as a page for a given tab (details link, tests).
const param = new URLSearchParams(location.search).get('tab');
const tabId = param ? Number(param) : (await api.tabs.query({ active: true, currentWindow: true }))[0]?.id;
const reply = await api.runtime.sendMessage({ type: MSG.TAB, tabId });
render(reply?.verdict, reply?.info, tabId);
// What is known at once, then what the queue and the inboxes say now.
await history(false);
await history(true);
document.body.dataset.ready = 'true';
