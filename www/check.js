// The web checker: the form's input becomes a snapshot, the core reads it
// exactly as it reads a page (store id from the link, price with the
// marketplace's currency), then judges it on the platform the shopper picked.
import { ready, t, loadEngine, showRegistry } from './site.js';

/** @type {(id: string) => HTMLElement & Partial<HTMLInputElement>} */
const $ = (id) => document.getElementById(id);
const form = $('check');
let engine = null;
let lastSignals = null; // judged again when the language changes, so the reasons follow it

const isLink = (text) => /^https?:\/\//i.test(text.trim());

function snapshotOf(store, price, currency) {
  const link = isLink(store) ? store.trim() : '';
  const fields = {};
  if (link) fields.store_url = [link];
  else fields.store_name = [store.trim()];
  if (price.trim()) fields.price = [price.trim()];
  if (currency) fields.currency = [currency];
  return { url: link, fields, jsonld: [], meta: {} };
}

async function check() {
  engine = await loadEngine();
  const store = $('store').value;
  if (!store.trim()) {
    $('store').setAttribute('aria-invalid', 'true');
    showError(t('check_empty'));
    $('store').focus();
    return;
  }
  $('store').removeAttribute('aria-invalid');
  const { signals } = engine.check(snapshotOf(store, $('price').value, $('currency').value));
  signals.platform = $('platform').value;
  lastSignals = signals;
  render();
  $('result-h').focus();
}

function render() {
  if (!lastSignals) return;
  const v = engine.checkSignals(lastSignals, document.documentElement.lang);
  const section = $('result');
  section.hidden = false;
  $('check-error').hidden = true;
  section.dataset.level = v.level;
  $('result-level').textContent = t(`level_${v.level}`);
  const authorized = v.level === 'official' && v.reasons[0]?.code === 'authorized_reseller';
  $('result-h').textContent = t(authorized ? 'verdict_authorized' : `verdict_${v.level}`, { brand: v.brand ?? '' });
  const s = v.signals;
  $('result-store').textContent = s.store_name || s.store_id
    ? t('verdict_store', { store: s.store_name ?? s.store_id, platform: t(`platform_${s.platform ?? 'web'}`) })
    : '';
  $('result-reasons').replaceChildren(
    ...v.reasons.map((r) => Object.assign(document.createElement('li'), { textContent: r.text })),
  );
}

function showError(text) {
  $('result').hidden = true;
  $('check-error').textContent = text;
  $('check-error').hidden = false;
}

// A pasted link names its marketplace; the profile that would read that page says which.
$('store').addEventListener('input', async () => {
  const text = $('store').value;
  if (!isLink(text)) return;
  const plan = (await loadEngine()).plan(text.trim());
  if (plan?.platform) $('platform').value = plan.platform;
});

form.addEventListener('submit', (e) => {
  e.preventDefault();
  check().catch((err) => showError(t('check_failed', { error: err?.message ?? String(err) })));
});

document.addEventListener('genuine:lang', render);
await ready;
showRegistry($('registry-info')).catch(() => {});
