// The brand link page (/add?registry=…&key=…&name=…, docs/brands.md). It only
// shows what the link says and whether Genuine is here: the extension's
// content script marks <html data-genuine="ready"> and turns a real click on
// the button into Genuine's own confirm page. This page decides nothing.
import { ready, t } from '../site.js';

/** @type {(id: string) => HTMLElement & Partial<HTMLInputElement>} */
const $ = (id) => document.getElementById(id);
const q = new URLSearchParams(location.search);
const offer = { name: q.get('name')?.trim(), registry: q.get('registry'), key: q.get('key') };
const complete = Boolean(offer.name && offer.registry && offer.key);
const here = () => document.documentElement.dataset.genuine === 'ready';

function render() {
  $('lead').textContent = complete ? t('add_lead', { name: offer.name }) : t('add_incomplete');
  $('offer').hidden = $('genuine-add').hidden = !complete;
  $('name').textContent = offer.name ?? '';
  $('registry').textContent = offer.registry ?? '';
  $('fingerprint').textContent = offer.key ?? '';
  $('status').textContent = complete ? t(here() ? 'add_ready' : 'add_missing') : '';
}

await ready;
render();
document.addEventListener('genuine:lang', render);
// The content script may arrive after this script: follow its mark.
new MutationObserver(render).observe(document.documentElement, { attributes: true, attributeFilter: ['data-genuine'] });
$('genuine-add').addEventListener('click', () => {
  if (!here()) $('status').textContent = t('add_missing');
});
