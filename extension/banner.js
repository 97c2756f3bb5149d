// The in-page banner. It lives in a closed shadow root so the page can neither
// restyle it nor read or click it from script; every text goes in through
// textContent, never as HTML, because verdict texts quote page data.
(() => {
  const { t } = globalThis.Genuine;

  // The build's colour marks whose banner it is (a brand build's, or Genuine's);
  // the level colours stay the same in every build: red always means danger.
  const accent = /^#[0-9a-f]{6}$/.test(globalThis.Genuine.look?.accent ?? '') ? globalThis.Genuine.look.accent : '#1a7f37';
  const CSS = `
    :host { all: initial !important; display: block !important; position: fixed !important;
      top: 0 !important; left: 0 !important; right: 0 !important; z-index: 2147483647 !important;
      visibility: visible !important; opacity: 1 !important; transform: none !important; }
    .bar { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: flex-start; padding: 10px 16px; margin: 0;
      font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif;
      color: #1f2328; background: #fff; border-bottom: 3px solid; box-shadow: 0 2px 8px rgba(0,0,0,.18); }
    .bar[data-level="official"] { border-color: #1a7f37; background: #dafbe1; }
    .bar[data-level="caution"] { border-color: #9a6700; background: #fff8c5; }
    .bar[data-level="danger"] { border-color: #cf222e; background: #ffebe9; }
    .bar[data-trusted] { border-color: #57606a; background: #f6f8fa; }
    .bar[data-level] { border-left: 6px solid ${accent}; }
    .mark { flex: none; width: 24px; height: 24px; border-radius: 50%; color: #fff; font-weight: 700;
      display: grid; place-items: center; background: #57606a; }
    [data-level="official"] .mark { background: #1a7f37; } [data-level="caution"] .mark { background: #9a6700; }
    [data-level="danger"] .mark { background: #cf222e; } [data-trusted] .mark { background: #57606a; }
    .body { flex: 1 1 220px; min-width: 0; overflow-wrap: anywhere; } .headline { font-weight: 600; display: block; }
    .reason { margin: 2px 0 0; } ul { margin: 4px 0 0; padding-left: 20px; } summary { cursor: pointer; margin-top: 2px; }
    /* On a phone the buttons go below the words rather than squeezing them. */
    .actions { display: flex; flex-wrap: wrap; gap: 8px; flex: none; margin-left: auto; }
    button { font: inherit; padding: 3px 10px; border: 1px solid #8c959f; border-radius: 6px; background: #fff; color: #1f2328; cursor: pointer; }
    button:focus-visible, summary:focus-visible { outline: 2px solid #0969da; outline-offset: 2px; }
    @media (prefers-color-scheme: dark) {
      .bar { color: #e6edf3; background: #161b22; box-shadow: 0 2px 8px rgba(0,0,0,.6); }
      .bar[data-level="official"] { background: #0f2e1a; } .bar[data-level="caution"] { background: #2e2508; }
      .bar[data-level="danger"] { background: #3a1216; } .bar[data-trusted] { background: #21262d; }
      button { background: #21262d; color: #e6edf3; border-color: #6e7681; }
    }`;

  let host = null;

  function el(tag, attrs = {}, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  const headline = (v) => t(globalThis.Genuine.headlineKey(v), v.brand ?? '');

  function render(v, actions) {
    const bar = el('div', {
      class: 'bar',
      'data-level': v.level,
      // Danger interrupts a screen reader, the rest waits its turn; neither takes focus.
      role: v.level === 'danger' && !v.trusted ? 'alert' : 'status',
      'aria-label': t('banner_label'),
    });
    if (v.trusted) bar.setAttribute('data-trusted', '');
    bar.append(el('span', { class: 'mark', 'aria-hidden': 'true' }, v.level === 'official' || v.trusted ? '✓' : '!'));
    const body = el('div', { class: 'body' });
    body.append(el('strong', { class: 'headline' }, headline(v)));
    const [first, ...more] = v.reasons ?? [];
    if (first && !v.trusted) body.append(el('p', { class: 'reason' }, first.text));
    if (more.length && !v.trusted) {
      const d = el('details');
      d.append(el('summary', {}, t('banner_more', String(more.length))));
      const ul = el('ul');
      for (const r of more) ul.append(el('li', {}, r.text));
      d.append(ul);
      body.append(d);
    }
    const act = el('div', { class: 'actions' });
    const button = (cls, label, onClick) => {
      const b = el('button', { type: 'button', class: cls }, label);
      // Only real clicks: a closed root already hides us from page script, this is belt and braces.
      b.addEventListener('click', (e) => e.isTrusted && onClick());
      act.append(b);
      return b;
    };
    if (v.trusted) button('untrust', t('banner_untrust'), () => actions.trust(false));
    // A page can draw over its own banner (a fake green box over this very
    // button) and collect one real click: trusting a store Genuine calls
    // dangerous is confirmed only in Genuine's own window, which no page
    // reaches. A caution stays one click, undone from the popup.
    else if (v.level === 'danger') button('trust', t('banner_trust_confirm'), actions.confirmTrust);
    else if (v.level === 'caution') button('trust', t('banner_trust'), () => actions.trust(true));
    // Report only asks the background to open the extension's own confirm
    // window; nothing is put together or sent from the page.
    if (v.report && !v.trusted) button('report', t('banner_report'), actions.report);
    button('close', '×', hide).setAttribute('aria-label', t('banner_close'));
    bar.append(body, act);
    return bar;
  }

  // A page that removes the banner, hides it with attributes, or puts its
  // own element after it (to draw on top at the same z-index) gets it back,
  // at the end of the document and bare. Bounded, so a page that fights
  // forever costs a few hundred DOM moves, not a hung tab; the toolbar badge,
  // which no page can touch, keeps the verdict whatever happens here.
  const MAX_RESTORES = 50;
  let guard = null;

  function keep() {
    let restores = 0;
    guard = new MutationObserver(() => {
      if (!host) return;
      const tampered = !host.isConnected || host.nextSibling !== null || host.attributes.length > 0;
      if (!tampered) return;
      if (++restores > MAX_RESTORES) return guard.disconnect();
      for (const a of [...host.attributes]) host.removeAttribute(a.name);
      document.documentElement.append(host);
    });
    guard.observe(document.documentElement, { childList: true });
    guard.observe(host, { attributes: true });
  }

  function show(verdict, actions) {
    hide();
    if (!verdict || verdict.level === 'none') return;
    host = document.createElement('genuine-banner');
    const root = host.attachShadow({ mode: 'closed' });
    root.append(el('style', {}, CSS), render(verdict, actions));
    document.documentElement.append(host);
    keep();
  }

  function hide() {
    guard?.disconnect();
    guard = null;
    host?.remove();
    host = null;
  }

  globalThis.Genuine.banner = { show, hide };
})();
