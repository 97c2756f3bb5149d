// The registry browser: the core filters (folded: case, width, spacing, any
// script), this page only lays the brands out.
import { ready, t, loadEngine, safeHref, showRegistry } from './site.js';

/** @type {(id: string) => HTMLElement & Partial<HTMLInputElement>} */
const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...kids) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...kids);
  return e;
};

function storeCell(name, url) {
  const href = url && safeHref(url);
  return el('td', {}, href ? el('a', { href, rel: 'noopener noreferrer' }, name) : name);
}

function accountsTable(brand) {
  const head = el('tr', {}, ...['registry_col_platform', 'registry_col_store', 'registry_col_kind'].map((k) => el('th', { scope: 'col', textContent: t(k) })));
  const rows = brand.accounts.map((a) =>
    el('tr', {}, el('td', { textContent: t(`platform_${a.platform}`) }), storeCell(a.store_name || a.store_id, a.store_url), el('td', { textContent: t(`kind_${a.kind}`) })));
  const table = el('table', {}, el('caption', { className: 'hint', textContent: t('registry_accounts', { brand: brand.name }) }), el('thead', {}, head), el('tbody', {}, ...rows));
  // A wide table scrolls on its own at phone width; the wrapper is focusable so keyboards can scroll it too.
  return el('div', { className: 'table-wrap', tabIndex: 0, role: 'region', ariaLabel: t('registry_accounts', { brand: brand.name }) }, table);
}

function brandSection(brand, i) {
  const id = `brand-${i}`;
  const s = el('section', { className: 'brand' }, el('h2', { id, textContent: brand.name }));
  s.setAttribute('aria-labelledby', id);
  if (brand.aliases.length) s.append(el('p', { textContent: t('registry_aliases', { aliases: brand.aliases.join(' · ') }) }));
  s.append(accountsTable(brand));
  if (brand.blocked.length) {
    s.append(el('h3', { textContent: t('registry_blocked') }), el('ul', {}, ...brand.blocked.map((b) =>
      el('li', {}, `${t(`platform_${b.platform}`)}: ${b.store_name}`, ' — ', el('span', { textContent: b.reason })))));
  }
  return s;
}

async function render() {
  const brands = (await loadEngine()).brands($('q').value);
  $('count').textContent = t(brands.length ? 'registry_count' : 'registry_none', { count: brands.length });
  $('brands').replaceChildren(...brands.map(brandSection));
}

const show = () => render().catch((e) => { $('count').textContent = t('check_failed', { error: e?.message ?? String(e) }); });
$('q').addEventListener('input', show);
$('search').addEventListener('submit', (e) => { e.preventDefault(); show(); });
document.addEventListener('genuine:lang', show);
await ready;
show();
showRegistry($('registry-info')).catch(() => {});
