// Shared by every page: the language (data-i18n like the extension's
// i18n.js, but from www/i18n/*.json since a web page has no browser.i18n),
// the header's language switcher, and the one way to load the wasm core.
export const LANGS = ['en', 'zh-CN', 'fr', 'de'];
const SAVED = 'genuine.lang';
let messages = {};

// Storage throws in some private modes and sandboxed frames; the language
// then simply isn't remembered.
const saved = () => { try { return localStorage.getItem(SAVED); } catch { return null; } };
const save = (lang) => { try { localStorage.setItem(SAVED, lang); } catch { /* not remembered */ } };

/** The saved choice, else the first of the browser's languages we have (zh-TW → zh-CN), else English. */
export function pickLang() {
  if (LANGS.includes(saved())) return saved();
  for (const want of navigator.languages?.length ? navigator.languages : [navigator.language ?? 'en']) {
    const w = want.toLowerCase();
    const hit = LANGS.find((l) => l.toLowerCase() === w) ?? LANGS.find((l) => l.split('-')[0] === w.split('-')[0]);
    if (hit) return hit;
  }
  return 'en';
}

/** The message for `key` with `{name}` replaced from `subs`; the key itself if missing, so a gap shows. */
export function t(key, subs = {}) {
  return (messages[key] ?? key).replace(/\{(\w+)\}/g, (m, n) => (n in subs ? String(subs[n]) : m));
}

/** data-i18n="key" sets text; data-i18n-attr="attr:key[,attr:key]" sets attributes. */
export function localize(root = document) {
  /** @type {(sel: string) => NodeListOf<HTMLElement>} */
  const all = (sel) => root.querySelectorAll(sel);
  for (const el of all('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of all('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(',')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      el.setAttribute(attr, t(key));
    }
  }
}

async function setLang(lang) {
  messages = await fetch(new URL(`i18n/${lang}.json`, import.meta.url)).then((r) => r.json());
  document.documentElement.lang = lang;
  localize();
  const select = /** @type {HTMLSelectElement | null} */ (document.getElementById('lang'));
  if (select) select.value = lang;
  // Pages re-render what they built from data (verdicts, brand lists).
  document.dispatchEvent(new CustomEvent('genuine:lang', { detail: lang }));
}

/** Resolves once the page's texts are in place. */
export const ready = setLang(pickLang());

document.getElementById('lang')?.addEventListener('change', (e) => {
  const { value } = /** @type {HTMLSelectElement} */ (e.target);
  save(value);
  setLang(value);
});

let engine;
/**
 * The same core and registry as the extension: pkg/ from `make wasm`, the demo
 * registry from `make registry`, verified against its pinned public key
 * before anything is read from it.
 */
export function loadEngine() {
  engine ??= (async () => {
    const here = (p) => new URL(p, import.meta.url);
    const { default: init, Engine } = await import('./pkg/genuine.js');
    await init({ module_or_path: here('pkg/genuine_bg.wasm') });
    const [signed, key] = await Promise.all([
      fetch(here('registry/demo.signed')).then((r) => r.arrayBuffer()),
      fetch(here('registry/demo.pub')).then((r) => r.text()),
    ]);
    return Engine.load(new Uint8Array(signed), key);
  })();
  return engine;
}

/** A registry's address as a link only when it is http(s): the registry is signed, but a link is still no place for javascript:. */
export function safeHref(url) {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

/** "Registry: publisher, version, date" under the pages that use it. */
export async function showRegistry(el) {
  const info = (await loadEngine()).info();
  const render = () => {
    el.textContent = t(info.stale ? 'registry_info_stale' : 'registry_info', {
      publisher: info.publisher, version: info.version, date: info.issued_at.slice(0, 10), fingerprint: info.fingerprint,
    });
  };
  render();
  document.addEventListener('genuine:lang', render);
}
