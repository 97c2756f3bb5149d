// Fills every element that names a message key: data-i18n="key" sets its text,
// data-i18n-attr="attr:key[,attr:key]" sets attributes. One helper, as uBlock does.
// Awaits the user's language choice first (see messages.js).
export async function localize(root = document) {
  const { t, languageReady, uiLanguage } = globalThis.Genuine;
  await languageReady;
  /** @type {(sel: string) => NodeListOf<HTMLElement>} */
  const all = (sel) => root.querySelectorAll(sel);
  for (const el of all('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of all('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(',')) {
      const [attr, key] = pair.split(':');
      el.setAttribute(attr.trim(), t(key.trim()));
    }
  }
  document.documentElement.lang = uiLanguage();
  markDemo(root); // not awaited: the page's own work need not wait for it
}

// A demo build (genuine pack --demo) pins a key whose secret is public: every
// extension page says so in its header, where a shopper cannot miss it.
async function markDemo(root) {
  const bar = root.querySelector('.brandbar');
  if (!bar || bar.querySelector('.demo')) return;
  let config;
  try {
    config = await (await fetch(new URL('./config.json', import.meta.url))).json();
  } catch {
    return; // an unpacked source tree has no config.json: not a build at all
  }
  if (!config.demo) return;
  const mark = Object.assign(document.createElement('strong'), { className: 'demo', textContent: globalThis.Genuine.t('demo_build') });
  mark.dataset.demo = 'true';
  bar.append(' ', mark);
}
