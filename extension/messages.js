// The one place that names the messages between content script, popup and
// background (shapes: docs/architecture.md). Loaded as a classic content
// script and imported by the module pages, so it only sets a global.
globalThis.Genuine = Object.assign(globalThis.Genuine ?? {}, {
  MSG: Object.freeze({
    PLAN: 'genuine:plan', //         content → background {url}           → {plan|null}
    SNAPSHOT: 'genuine:snapshot', // content → background {snapshot}      → {verdict}
    TAB: 'genuine:tab', //           popup   → background {tabId}         → {verdict|null, info}
    TRUST: 'genuine:trust', //       ui      → background {tabId, trust}  → {verdict}
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
  }),
  LEVELS: Object.freeze(['official', 'caution', 'danger', 'none']),
  api: globalThis.browser ?? globalThis.chrome,
  // The message key of a verdict's headline; banner and popup say the same.
  headlineKey: (v) =>
    !v ? 'popup_nothing'
    : v.trusted ? 'banner_trusted'
    : v.level === 'official' && v.reasons?.[0]?.code === 'authorized_reseller' ? 'banner_authorized'
    : `banner_${v.level}`,
  // A platform id ("tmall") as shoppers know it ("Tmall", "天猫"); the id itself if unknown.
  platformName: (p) => (p && (globalThis.browser ?? globalThis.chrome).i18n.getMessage(`platform_${p}`)) || p || '',
});
