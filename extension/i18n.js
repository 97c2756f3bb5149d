// Fills every element that names a message key: data-i18n="key" sets its text,
// data-i18n-attr="attr:key[,attr:key]" sets attributes. One helper, as uBlock does.
export function localize(root = document) {
  const { api } = globalThis.Genuine;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = api.i18n.getMessage(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(',')) {
      const [attr, key] = pair.split(':');
      el.setAttribute(attr.trim(), api.i18n.getMessage(key.trim()));
    }
  }
  document.documentElement.lang = api.i18n.getUILanguage();
}
