// The one place that names the messages between content script, popup and
// background; their shapes, and this global's, are types.d.ts (checked by
// `make lint`). Loaded as a classic content script and imported by the module
// pages, so it only sets a global (t, uiLanguage and languageReady below).
globalThis.Genuine = Object.assign(globalThis.Genuine ?? /** @type {import('./types').GenuineGlobal} */ ({}), {
  MSG: Object.freeze(/** @satisfies {import('./types').Names} */ ({
    WAKE: 'genuine:wake', //         wake.js → background {}              → {} (starts a stopped worker early; nothing of the page)
    PLAN: 'genuine:plan', //         content → background {url}           → {plan|null, stamp}
    SNAPSHOT: 'genuine:snapshot', // content → background {snapshot, stamp} → {verdict} | {replan: {plan, stamp}}
    TAB: 'genuine:tab', //           popup   → background {tabId}         → {verdict|null, url, info}
    READ: 'genuine:read', //         popup   → background {tabId}         → {verdict} (Check this page: reads a tab no profile reads, on the shopper's click)
    TRUST: 'genuine:trust', //       ui      → background {tabId, trust}  → {verdict} (from a banner: never trusts a danger)
    TRUST_OPEN: 'genuine:trust-open', // banner → background {}           → {} (opens the popup for the sender's tab in a window)
    VERDICT: 'genuine:verdict', //   background → content {verdict}       → {} (the user changed their trust elsewhere)
    SOURCES: 'genuine:sources', //   options → background {}              → {sources: [{id, name, url, builtin, info, status}]}
    UPDATE: 'genuine:update', //     options → background {}              → {results: {id: outcome}}
    ADD_SOURCE: 'genuine:add-source', // options → background {url, fingerprint, key_url?} → {source} | {error}
    REMOVE_SOURCE: 'genuine:remove-source', // options → background {id}  → {}
    // Reports (docs/architecture.md, "Reports in the extension"). Only OPEN may
    // come from a content script, and then only for the sender's own tab.
    REPORT_OPEN: 'genuine:report-open', //   banner/popup → background {tabId?, activeTab?} → {} (opens report.html)
    REPORT_DRAFT: 'genuine:report-draft', // report page → background {draft}      → {draft, limit}
    REPORT_SEND: 'genuine:report-send', //   report page → background {draft, category, note, screenshot?} → {report}
    REPORTS: 'genuine:reports', //           popup → background {}                → {reports: [entry, …]}
    BRAND_LINK: 'genuine:brand-link', // brandlink.js → background {} (the tab's address is the link) → {}
    PARSE_LINK: 'genuine:parse-link', // confirm page → background {link} → {offer: {site, registry, fingerprint, name}} | {error}
  })),
  LEVELS: Object.freeze(['official', 'caution', 'danger', 'none']),
  api: globalThis.browser ?? globalThis.chrome,
  // The message key of a verdict's headline; banner and popup say the same.
  headlineKey: (v) =>
    !v ? 'popup_nothing'
    : v.signals?.unreadable ? 'popup_unreadable'
    : v.trusted ? 'banner_trusted'
    : v.level === 'official' && v.reasons?.[0]?.code === 'authorized_reseller' ? 'banner_authorized'
    // Only another seller of the page's offer list is flagged (verdict/offers.rs).
    : v.level === 'caution' && v.reasons?.[0]?.code?.startsWith('listed_offer_') ? 'banner_listed_offer'
    : `banner_${v.level}`,
  // A platform id ("tmall") as shoppers know it ("Tmall", "天猫"); the id itself if unknown.
  platformName: (p) => (p && globalThis.Genuine.t(`platform_${p}`)) || p || '',
});

// Language. The browser's by default (i18n.getMessage); the options page can
// choose another. browser.i18n cannot switch, so the chosen locale's
// messages.json is kept in storage.local under `language` and formatted here
// the way the browser would. storage.local, not a fetch of _locales: content
// scripts could only fetch extension files made web-accessible, which would
// let any page detect the extension.
(() => {
  const G = globalThis.Genuine;
  // Content scripts list this file at document_start (wake.js) and again at
  // document_idle, in one shared global: the second run keeps the first's.
  if (G.languageReady) return;
  const { api } = G;
  let chosen = null; // {lang: 'zh_CN', messages: {...}} or null for the browser's language
  G.languageReady = api.storage.local.get('language').then(
    ({ language }) => { chosen = language ?? null; },
    () => {},
  );
  api.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && 'language' in changes) chosen = changes.language.newValue ?? null;
  });
  // Chrome's message format: $NAME$ names a placeholder whose content may say
  // $1…$9 (the substitutions); $$ is a dollar sign.
  const format = (entry, subs) => {
    const sub = (text) => text.replace(/\$(\d)/g, (_, d) => String(subs[d - 1] ?? ''));
    return entry.message.replace(/\$([A-Za-z0-9_@]+)\$|\$\$/g, (m, name) =>
      name === undefined ? '$' : sub(entry.placeholders?.[name.toLowerCase()]?.content ?? m),
    );
  };
  /** The message `key` in the user's language, with substitutions; the key itself if missing. */
  G.t = (key, ...subs) => {
    const entry = chosen?.messages?.[key];
    return (entry ? format(entry, subs) : api.i18n.getMessage(key, subs)) || key;
  };
  /** The user's language as a BCP 47 tag ('zh-CN'), for dates and for the core's reasons. */
  G.uiLanguage = () => (chosen?.lang ?? api.i18n.getUILanguage()).replace('_', '-');
})();
