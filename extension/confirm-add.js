// The confirm page of a brand link: who asks, which registry, which key, and
// what adding means. Nothing is downloaded or added before the user clicks
// Add here, on the extension's own page, which no web page can reach or click.
import './messages.js';
import { localize } from './i18n.js';

const { MSG, api } = globalThis.Genuine;
const t = (key, ...subs) => api.i18n.getMessage(key, subs) || key;
/** @type {(id: string) => import('./types').Field} */
const $ = (id) => document.getElementById(id);
/** @type {typeof api.runtime.sendMessage} */
const send = (msg) => api.runtime.sendMessage(msg);

// Closing our own tab needs no "tabs" permission; window.close() would not
// work on a tab the user opened.
async function closeTab() {
  const tab = await api.tabs.getCurrent();
  if (tab) await api.tabs.remove(tab.id);
}

function done(text, ok) {
  $('result').textContent = text;
  $('result').dataset.done = ok ? 'added' : 'failed';
}

localize();
const link = new URLSearchParams(location.search).get('link') ?? '';
const { offer, error } = await send({ type: MSG.PARSE_LINK, link });
if (!offer) {
  done(t('confirm_bad_link', error ?? ''), false);
} else {
  $('site').textContent = offer.site;
  $('name').textContent = offer.name;
  $('registry').textContent = offer.registry;
  // Grouped in fours, as people compare them against the brand's page.
  $('fingerprint').textContent = offer.fingerprint.match(/.{4}/g).join(' ');
  $('offer').hidden = false;
  $('cancel').onclick = closeTab;
  $('add').onclick = async () => {
    $('add').disabled = $('cancel').disabled = true;
    $('result').textContent = t('confirm_adding');
    const r = await send({ type: MSG.ADD_SOURCE, url: offer.registry, fingerprint: offer.fingerprint });
    $('offer').hidden = Boolean(r?.source);
    $('add').disabled = $('cancel').disabled = false;
    done(r?.source ? t('confirm_added', r.source.name) : t('confirm_failed', r?.error ?? ''), Boolean(r?.source));
    $('after').hidden = false;
  };
}
document.body.dataset.ready = 'true';
