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
    BRAND_LINK: 'genuine:brand-link', // brandlink.js → background {} (the tab's address is the link) → {}
    PARSE_LINK: 'genuine:parse-link', // confirm page → background {link} → {offer: {site, registry, fingerprint, name}} | {error}
  }),
  LEVELS: Object.freeze(['official', 'caution', 'danger', 'none']),
  api: globalThis.browser ?? globalThis.chrome,
  // The message key of a verdict's headline; banner and popup say the same.
  headlineKey: (v) =>
    !v ? 'popup_nothing'
    : v.trusted ? 'banner_trusted'
    : v.level === 'official' && v.reasons?.[0]?.code === 'authorized_reseller' ? 'banner_authorized'
    : `banner_${v.level}`,
});
