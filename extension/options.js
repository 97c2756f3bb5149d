// The options page: registries (status, update, add, remove) and trusted stores.
import './messages.js';
import { localize } from './i18n.js';
import * as managed from './managed.js';

const { MSG, api } = globalThis.Genuine;
const { t } = globalThis.Genuine;
/** @type {typeof api.runtime.sendMessage} */
const send = (msg) => api.runtime.sendMessage(msg);
const cell = (text, cls) => Object.assign(document.createElement('td'), { textContent: text ?? '', className: cls ?? '' });

async function renderSources() {
  const { sources = [] } = await send({ type: MSG.SOURCES });
  const rows = sources.map((s) => {
    const tr = document.createElement('tr');
    tr.dataset.source = s.id;
    const status = s.status?.error ?? (!s.info ? t('options_status_missing') : s.info.stale ? t('options_status_stale') : t('options_status_ok'));
    tr.append(
      cell(`${s.info?.publisher ?? s.name ?? s.url}${s.builtin ? ` (${t('options_builtin')})` : s.managed ? ` (${t('options_managed')})` : ''}`),
      cell(s.info ? String(s.info.version) : '–', 'version'),
      cell(s.info?.issued_at?.slice(0, 10)),
      cell(s.status?.lastCheck ? new Date(s.status.lastCheck).toLocaleString() : t('options_never')),
      cell(status, s.status?.error ? 'status error' : 'status'),
    );
    const td = document.createElement('td');
    if (!s.builtin && !s.managed) {
      const b = Object.assign(document.createElement('button'), { type: 'button', textContent: t('options_remove') });
      b.onclick = async () => {
        await send({ type: MSG.REMOVE_SOURCE, id: s.id });
        await renderSources();
      };
      td.append(b);
    }
    tr.append(td);
    const ignored = s.info?.ignored;
    if (!ignored || (ignored.accounts === 0 && ignored.blocked === 0)) return [tr];
    // An added registry's rows about brands it may not speak for (src/sources.rs).
    const note = document.createElement('tr');
    note.className = 'ignored';
    note.dataset.ignored = s.id;
    const td2 = cell(t('options_ignored', String(ignored.accounts), String(ignored.blocked), ignored.brands.join(', ')), 'ignored');
    td2.colSpan = 6;
    note.append(td2);
    return [tr, note];
  });
  document.querySelector('#sources tbody').replaceChildren(...rows.flat());
}

async function renderTrusted() {
  const { trusted = {} } = await api.storage.local.get('trusted');
  const items = Object.entries(trusted).map(([key, v]) => {
    const li = document.createElement('li');
    const b = Object.assign(document.createElement('button'), { type: 'button', textContent: t('options_remove') });
    b.onclick = async () => {
      const { trusted: now = {} } = await api.storage.local.get('trusted');
      delete now[key];
      await api.storage.local.set({ trusted: now });
      await renderTrusted();
    };
    li.append(`${v.name ?? key} (${key.split(':')[0]}) `, b);
    return li;
  });
  document.getElementById('trusted').replaceChildren(...(items.length ? items : [Object.assign(document.createElement('li'), { textContent: t('options_trusted_none') })]));
}

async function renderPaused() {
  const { paused = {} } = await api.storage.local.get('paused');
  const items = Object.keys(paused).sort().map((host) => {
    const li = document.createElement('li');
    const b = Object.assign(document.createElement('button'), { type: 'button', textContent: t('options_resume') });
    b.setAttribute('aria-label', t('options_resume_on', host));
    b.onclick = async () => {
      const { paused: now = {} } = await api.storage.local.get('paused');
      delete now[host];
      await api.storage.local.set({ paused: now });
      await renderPaused();
    };
    li.append(`${host} `, b);
    return li;
  });
  document.getElementById('paused').replaceChildren(...(items.length ? items : [Object.assign(document.createElement('li'), { textContent: t('options_paused_none') })]));
}

// The chosen locale's messages go to storage.local for every part of the
// extension (see messages.js); the page reloads to speak the new language.
const language = /** @type {HTMLSelectElement} */ (document.getElementById('language'));
language.onchange = async () => {
  const lang = language.value;
  if (!lang) await api.storage.local.remove('language');
  else {
    const messages = await (await fetch(new URL(`_locales/${lang}/messages.json`, location.href))).json();
    await api.storage.local.set({ language: { lang, messages } });
  }
  location.reload();
};

document.getElementById('update').onclick = async () => {
  const out = document.getElementById('update-result');
  out.textContent = '…';
  const { results = {} } = await send({ type: MSG.UPDATE });
  out.textContent = Object.values(results).join(', ');
  out.dataset.done = String(Date.now());
  await renderSources();
};

document.getElementById('add').onsubmit = async (e) => {
  e.preventDefault();
  const f = new FormData(/** @type {HTMLFormElement} */ (e.target));
  const out = document.getElementById('add-result');
  const r = await send({ type: MSG.ADD_SOURCE, url: String(f.get('url')), fingerprint: String(f.get('fingerprint')) });
  out.textContent = r?.error ?? t('options_added', r.source.name);
  out.dataset.done = String(Date.now());
  await renderSources();
};

// A pasted brand link gets the same confirm page as one opened from a brand's site.
document.getElementById('link').onsubmit = async (e) => {
  e.preventDefault();
  let link = String(new FormData(/** @type {HTMLFormElement} */ (e.target)).get('link')).trim();
  // As a browser's address bar would send it: a pasted 奥罗拉 in name= becomes %E5%A5%A5….
  try {
    link = new URL(link).href;
  } catch {
    // The confirm page says what is wrong with it.
  }
  await api.tabs.create({ url: api.runtime.getURL(`confirm-add.html?link=${encodeURIComponent(link)}`) });
};

async function renderInbox() {
  const { url, managed: byPolicy } = await managed.inbox();
  document.getElementById('inbox').textContent = url ? `${url}${byPolicy ? ` (${t('options_managed')})` : ''}` : '–';
}

await localize();
language.value = (await api.storage.local.get('language')).language?.lang ?? '';
await Promise.all([renderSources(), renderTrusted(), renderPaused(), renderInbox()]);
document.body.dataset.ready = 'true';
