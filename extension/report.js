// The confirm step: shows exactly what a report will send, lets the user pick
// the category, add a note and, only if they tick it, a screenshot of the
// shop page; Send hands it to the background's queue. This page is the only
// place a report is sent from (the background accepts it from no other).
import './messages.js';
import { localize } from './i18n.js';
import { stateText } from './history.js';

const { MSG, api } = globalThis.Genuine;
const { t } = globalThis.Genuine;
/** @type {(id: string) => import('./types').Field} */
const $ = (id) => document.getElementById(id);
await globalThis.Genuine.languageReady;
const lang = globalThis.Genuine.uiLanguage();
// The inbox takes a data URL of at most 1,500,000 bytes (docs/reports-api.md);
// leave room so a re-encoded image is never just over.
const MAX_SHOT = 1_400_000;
const ALL_URLS = { origins: ['<all_urls>'] };

let draft = null;
let screenshot = null;
// The user may have granted every site to the extension themselves; then
// asking is needless and giving it back would take theirs away.
let hadAllUrls = false;

function row(dl, label, value) {
  if (value === null || value === undefined || value === '') return;
  const dt = document.createElement('dt');
  dt.textContent = t(label);
  const dd = document.createElement('dd');
  if (value instanceof Node) dd.append(value);
  else dd.textContent = value;
  dl.append(dt, dd);
}

function render(d) {
  const f = d.fields;
  const dl = $('fields');
  const reasons = document.createElement('ul');
  reasons.append(...f.verdict.reasons.map((r) => Object.assign(document.createElement('li'), { textContent: r.text })));
  const time = document.createElement('time');
  time.dateTime = d.created_at;
  time.textContent = new Date(d.created_at).toLocaleString(lang);
  row(dl, 'report_f_url', f.url);
  row(dl, 'report_f_platform', f.platform);
  row(dl, 'report_f_store', f.store_name);
  row(dl, 'report_f_store_id', f.store_id);
  row(dl, 'report_f_product', f.product_title);
  row(dl, 'report_f_price', [f.price, f.currency].filter(Boolean).join(' '));
  row(dl, 'report_f_verdict', t(f.verdict.level === 'danger' ? 'banner_danger' : 'banner_caution', f.verdict.brand ?? ''));
  row(dl, 'report_f_reasons', f.verdict.reasons.length ? reasons : null);
  row(dl, 'report_f_time', time);
  row(dl, 'report_f_id', d.id);
  $('category').value = f.category;
  $('dest').textContent = t(d.brandInbox ? 'report_dest_brand' : 'report_dest_default', new URL(d.endpoint).host);
  $('shot-help').textContent = t(d.activeTab || hadAllUrls ? 'report_screenshot_help' : 'report_screenshot_help_ask');
  $('form').hidden = false;
}

/** Shrinks a JPEG data URL until the inbox will take it. */
async function fit(dataUrl) {
  for (let i = 0; dataUrl.length > MAX_SHOT && i < 4; i++) {
    const img = await createImageBitmap(await (await fetch(dataUrl)).blob());
    const scale = Math.sqrt(MAX_SHOT / dataUrl.length) * 0.9;
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(img.width * scale));
    canvas.height = Math.max(1, Math.round(img.height * scale));
    canvas.getContext('2d').drawImage(img, 0, 0, canvas.width, canvas.height);
    dataUrl = canvas.toDataURL('image/jpeg', 0.8);
  }
  if (dataUrl.length > MAX_SHOT) throw new Error(t('report_screenshot_too_large'));
  return dataUrl;
}

const withoutHash = (u) => String(u).split('#')[0];

/** The shop page as it shows now, if it is still the page being reported. */
async function capture() {
  const tab = await api.tabs.get(draft.tabId).catch(() => null);
  if (!tab) throw new Error(t('report_screenshot_gone'));
  // captureVisibleTab takes whatever its window shows: only the reported tab will do.
  if (!tab.active) throw new Error(t('report_screenshot_not_front'));
  if (tab.url && withoutHash(tab.url) !== withoutHash(draft.pageUrl)) throw new Error(t('report_screenshot_moved'));
  const shot = await api.tabs.captureVisibleTab(tab.windowId, { format: 'jpeg', quality: 80 });
  return fit(shot);
}

function showShot(dataUrl) {
  screenshot = dataUrl;
  $('thumb-img').src = dataUrl ?? '';
  $('thumb').hidden = !dataUrl;
}

function onShotClick() {
  const box = $('shot');
  const status = $('shot-status');
  if (!box.checked) {
    showShot(null);
    status.textContent = '';
    return;
  }
  // Firefox lends a permission only while it handles the click itself, so
  // the request is made here, before anything is awaited. Without activeTab
  // (the report began at the banner) the browser asks the user for every
  // site; it is given back as soon as the picture is taken.
  const ask = draft.activeTab || hadAllUrls ? null : api.permissions.request(ALL_URLS);
  status.textContent = t('report_screenshot_taking');
  (async () => {
    try {
      if (ask && !(await ask)) throw new Error(t('report_screenshot_denied'));
      showShot(await capture());
      status.textContent = t('report_screenshot_taken');
    } catch (e) {
      box.checked = false;
      showShot(null);
      status.textContent = String(e?.message ?? e);
    } finally {
      if (ask) await api.permissions.remove(ALL_URLS).catch(() => {});
    }
  })();
}

async function onSubmit(e) {
  e.preventDefault();
  const send = $('send');
  const result = $('result');
  send.disabled = true;
  result.dataset.state = 'sending';
  result.textContent = t('report_sending');
  const r = await api.runtime.sendMessage({
    type: MSG.REPORT_SEND,
    draft: draft.id,
    category: $('category').value,
    note: $('note').value,
    screenshot: $('shot').checked ? screenshot : null,
  });
  if (!r?.report) {
    result.dataset.state = 'error';
    result.textContent = r?.error ?? t('report_draft_gone');
    send.disabled = false;
    return;
  }
  result.dataset.state = r.report.state;
  result.dataset.reference = r.report.reference ?? '';
  result.textContent = stateText(r.report);
  $('form').hidden = true;
  $('close').hidden = false;
  $('close').focus();
}

// The window was opened for this report; closing it is all Cancel and Close do.
const close = () => window.close();

localize();
$('form').addEventListener('submit', onSubmit);
$('shot').addEventListener('click', onShotClick);
$('cancel').addEventListener('click', close);
$('close').addEventListener('click', close);
document.addEventListener('keydown', (e) => e.key === 'Escape' && close());
const id = new URLSearchParams(location.search).get('draft');
const reply = await api.runtime.sendMessage({ type: MSG.REPORT_DRAFT, draft: id });
if (reply?.draft) {
  draft = reply.draft;
  hadAllUrls = await api.permissions.contains(ALL_URLS).catch(() => false);
  render(draft);
  $('category').focus();
} else {
  $('result').dataset.state = 'error';
  $('result').textContent = reply?.error ?? t('report_draft_gone');
}
document.body.dataset.ready = 'true';
