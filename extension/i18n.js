// Fills every element that names a message key: data-i18n="key" sets its text,
// data-i18n-attr="attr:key[,attr:key]" sets attributes. One helper, as uBlock does.
// Awaits the user's language choice first (see messages.js).
export async function localize(root = document) {
  const { t, languageReady, uiLanguage } = globalThis.Genuine;
  await languageReady;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(',')) {
      const [attr, key] = pair.split(':');
      el.setAttribute(attr.trim(), t(key.trim()));
    }
  }
  document.documentElement.lang = uiLanguage();
}
