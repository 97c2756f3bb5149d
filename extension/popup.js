// The toolbar popup: the current tab's verdict, in words, and the override.
import './messages.js';
import { localize } from './i18n.js';

const { MSG, api } = globalThis.Genuine;
const t = (key, ...subs) => api.i18n.getMessage(key, subs) || key;
const $ = (id) => document.getElementById(id);

function render(verdict, info, tabId) {
  const section = $('verdict');
  const level = verdict?.level ?? 'none';
  section.dataset.level = level;
  $('headline').textContent = t(globalThis.Genuine.headlineKey(verdict), verdict?.brand ?? '');
  const s = verdict?.signals ?? {};
  $('store').textContent = s.store_name ? t('popup_store', s.store_name, s.platform ?? '') : '';
  const ul = $('reasons');
  ul.replaceChildren(...(verdict?.reasons ?? []).map((r) => Object.assign(document.createElement('li'), { textContent: r.text })));
  const warn = level === 'danger' || level === 'caution';
  $('actions').hidden = !warn;
  $('trust').hidden = Boolean(verdict?.trusted);
  $('untrust').hidden = !verdict?.trusted;
  $('trust').onclick = () => trust(tabId, true);
  $('untrust').onclick = () => trust(tabId, false);
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

localize();
// ?tab= lets the popup open as a page for a given tab (details link, tests).
const param = new URLSearchParams(location.search).get('tab');
const tabId = param ? Number(param) : (await api.tabs.query({ active: true, currentWindow: true }))[0]?.id;
const reply = await api.runtime.sendMessage({ type: MSG.TAB, tabId });
render(reply?.verdict, reply?.info, tabId);
