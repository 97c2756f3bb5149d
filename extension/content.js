// The content script: reads what the site profile names, sends one snapshot,
// shows the verdict. It holds no logic of its own and no wasm (a page's CSP
// would block it here); the core runs in the background.
(() => {
  const G = globalThis.Genuine;
  // Check this page injects these files again into a page whose reader may
  // already run (the manifest's, or an earlier click's): one reader per
  // page, so one banner and one set of listeners; it reads the page again.
  if (G.reread) return void G.reread();
  const { MSG, api, banner } = G;
  // Injected on the shopper's click (background.js readTab), not by the
  // manifest: this page is read once, because they asked, and its host is
  // not kept among the plans (which name the marketplaces visited).
  const asked = G.asked === true;
  let current = null; // AbortController of the check in flight

  const collapse = (s, max) => (s ?? '').replace(/\s+/g, ' ').trim().slice(0, max);

  // What collapse(text, max) gives, read a piece at a time and stopped once
  // `max` characters are kept: a title of millions of characters, or an
  // attribute as long, is never copied or cleaned whole (issue 17). Pieces
  // are collapsed as they come, so white space split across two of them is
  // one space, as it is in the whole.
  const PIECE = 4096;
  // `lines`: the pieces are linePieces', whose only white space is single
  // spaces and '\n' breaks; a gap with a break in it is one '\n'.
  const spaced = (s) => s.replace(/\s+/g, ' ');
  const lined = (s) => s.replace(/[ \n]+/g, (gap) => (gap.includes('\n') ? '\n' : ' '));
  /** @param {Iterable<string | { cents: string, raw: string }>} pieces */
  function bounded(pieces, max, lines = false) {
    const squeeze = lines ? lined : spaced;
    let kept = '';
    for (const piece of pieces) {
      // Superscript cents right after a digit are its decimals (src/page/html.rs).
      if (typeof piece !== 'string' && /\d\s*$/.test(kept)) kept = `${kept.trimEnd()}.${piece.cents}`;
      else kept = squeeze(kept + (typeof piece === 'string' ? piece : piece.raw)).trimStart();
      if (kept.length > max) break;
    }
    return kept.trim().slice(0, max);
  }
  function* chunks(text) {
    for (let i = 0; i < text.length; i += PIECE) yield text.slice(i, i + PIECE);
  }
  // An element's text (what textContent would hold), node by node; two
  // digits alone in a <sup> ("18<sup>09</sup>") marked as cents.
  /** @returns {Generator<string | { cents: string, raw: string }>} */
  function* textPieces(el) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.nodeValue ?? '';
      if (n.parentElement?.localName === 'sup' && /^\s*\d\d\s*$/.test(text)) yield { cents: text.trim(), raw: text };
      else yield* chunks(text);
    }
  }
  // Elements that start a line (src/page/html.rs BLOCKS, the same list).
  const BLOCKS = new Set(['address', 'article', 'aside', 'blockquote', 'caption', 'center', 'dd', 'details',
    'dialog', 'dir', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form',
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'li', 'main', 'nav', 'ol', 'p',
    'pre', 'section', 'summary', 'table', 'td', 'tr']);
  // An element's text as lines (Collapser::push_lines): a new line where a
  // text's nearest block ancestor inside `el` is not the previous text's, or
  // after a <br>. Each text's white space is one space; a break is '\n'.
  /** @returns {Generator<string>} */
  function* linePieces(el) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    let block;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === Node.ELEMENT_NODE) {
        if (/** @type {Element} */ (n).localName === 'br') yield '\n';
        continue;
      }
      const text = (n.nodeValue ?? '').replace(/\s+/g, ' ');
      if (text !== ' ' && text !== '') {
        let up = n.parentElement;
        while (up && up !== el && !BLOCKS.has(up.localName)) up = up.parentElement;
        const nearest = up === el ? null : up;
        if (block !== undefined && block !== nearest) yield '\n';
        block = nearest;
      }
      yield* chunks(text);
    }
  }
  const read = (el, sel, max) => sel.attr
    ? bounded(chunks(el.getAttribute(sel.attr) ?? ''), max)
    : sel.lines ? bounded(linePieces(el), max, true) : bounded(textPieces(el), max);

  function query(css, scope = document) {
    try {
      return scope.querySelectorAll(css);
    } catch {
      return []; // a profile from a newer registry may use selectors this browser lacks
    }
  }

  // What `sel` reads inside `scope`, appended to `values` up to `max`.
  function readInto(values, scope, sel, max, maxChars) {
    for (const el of query(sel.css, scope)) {
      if (values.length >= max) break;
      const v = read(el, sel, maxChars);
      if (v) values.push(v);
    }
  }

  // An offer list (Amazon's "Other sellers"): featured blocks first, each
  // block once, at most max_offers; the fields read inside each block.
  function offers(list, plan) {
    const out = [];
    const seen = new Set();
    const blocks = [...(list.featured ?? []).map((s) => [true, s]), ...(list.listed ?? []).map((s) => [false, s])];
    for (const [featured, sel] of blocks) {
      for (const block of query(sel.css)) {
        if (out.length >= plan.max_offers) return out;
        if (seen.has(block)) continue;
        seen.add(block);
        const fields = {};
        for (const [name, selectors] of Object.entries(list.fields ?? {})) {
          const values = [];
          for (const s of selectors) readInto(values, block, s, plan.max_offer_values, plan.max_chars);
          if (values.length) fields[name] = values;
        }
        out.push(featured ? { featured, fields } : { fields });
      }
    }
    return out;
  }

  // The value a page prints beside a label ("Sold by", "Seller:"), for the
  // fields the profile names labels for: src/page/label.rs has the rules,
  // the limits come with the plan, and the core judges what is sent.
  const NEVER_IN = new Set(['script', 'style', 'noscript', 'template', 'textarea']);
  function labelSet(labels) {
    const set = labels.map((l) => {
      const label = l.trim();
      const at = label.indexOf('{}');
      if (at >= 0) {
        // A pattern, "Fulfilled by {}": the whole text, the value between
        // its words; white space collapsed, and a space at `{}` kept, as in
        // label.rs.
        const lower = label.slice(0, at).replace(/\s+/gu, ' ').trimStart().toLowerCase();
        const after = label.slice(at + 2).replace(/\s+/gu, ' ').trimEnd().toLowerCase();
        return { lower, chars: [...lower].length, colon: false, after, afterChars: [...after].length };
      }
      const bare = label.replace(/[:：]+$/, '').trimEnd();
      return { lower: bare.toLowerCase(), chars: [...bare].length, colon: bare.length < label.length };
    }).filter((l) => l.lower.trim());
    return { set, head: Math.max(0, ...set.map((l) => l.chars)) };
  }
  /** @returns {{ inline?: string } | null} what follows the label `text` begins with */
  function labelIn(text, { set, head }) {
    const chars = [...text.slice(0, head * 2 + 2)];
    const lowerHead = chars.slice(0, head).join('').toLowerCase();
    for (const l of set) {
      if (!lowerHead.startsWith(l.lower)) continue;
      const start = chars.slice(0, l.chars).join('');
      if (start.toLowerCase() !== l.lower) continue;
      if (l.after !== undefined) {
        const rest = [...text.slice(start.length)];
        const cut = rest.length - l.afterChars;
        if (cut < 0) continue;
        const value = rest.slice(0, cut).join('').trim();
        if (rest.slice(cut).join('').toLowerCase() === l.after && value) return { inline: value };
        continue;
      }
      const rest = text.slice(start.length).trimStart();
      if (/^[:：]/.test(rest)) {
        const value = rest.slice(1).trim();
        return value ? { inline: value } : {};
      }
      if (!rest && !l.colon) return {};
    }
    return null;
  }
  const avoided = (el, avoid) => [...NEVER_IN, ...avoid].some((css) => {
    try {
      return el.closest(css) !== null;
    } catch {
      return false;
    }
  });
  // After a label alone: the first text or element with text after it, else
  // after an element around it whose whole text is the label (climbing).
  function firstText(from, plan) {
    let elements = 0;
    for (let s = from; s; s = s.nextSibling) {
      let v = '';
      if (s.nodeType === Node.TEXT_NODE) v = bounded(chunks(s.nodeValue ?? ''), plan.max_chars);
      else if (s instanceof Element) {
        // A header cell or a term is the next label, not a value (Seller | Price).
        if (s.localName === 'th' || s.localName === 'dt') return '';
        if (elements++ >= plan.max_label_siblings) return '';
        v = read(s, {}, plan.max_chars);
      }
      // A separator set apart (<span>:</span>) is passed over, as an empty icon is.
      if (/[\p{Alphabetic}\p{N}]/u.test(v)) return v;
    }
    return '';
  }
  function beside(node, parent, label, plan) {
    const v = firstText(node.nextSibling, plan);
    if (v) return v;
    let el = parent;
    for (let i = 0; i < plan.max_label_climb; i++) {
      const up = el.parentElement;
      if (!up || read(el, {}, plan.max_chars) !== label) break;
      const w = firstText(el.nextSibling, plan);
      if (w) return w;
      el = up;
    }
    return '';
  }
  function labelled(plan) {
    const fields = Object.entries(plan.labels ?? {}).map(([name, labels]) => ({ name, labels: labelSet(labels), values: /** @type {string[]} */ ([]) }));
    if (!fields.length) return {};
    const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
    let n = walker.nextNode();
    for (let seen = 0; n && seen < plan.max_label_nodes; seen++, n = walker.nextNode()) {
      const parent = n.parentElement;
      if (!parent || NEVER_IN.has(parent.localName)) continue;
      const text = bounded(chunks(n.nodeValue ?? ''), plan.max_chars);
      if (!text) continue;
      for (const { labels, values } of fields) {
        if (values.length >= plan.max_values) continue;
        const found = labelIn(text, labels);
        if (!found || avoided(parent, plan.label_avoid ?? [])) continue;
        const v = found.inline ?? beside(n, parent, text, plan);
        if (v) values.push(v);
      }
    }
    return Object.fromEntries(fields.filter((f) => f.values.length).map((f) => [f.name, f.values]));
  }

  // Where the JSON string whose opening quote is at `i` ends (its closing
  // quote), escapes passed over as JSON writes them: a brace or a quoted key
  // inside a string does not count. As `outside_strings` in src/page/html.rs.
  function stringEnd(text, i) {
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === '\\') j++;
      else if (text[j] === '"') return j;
    }
    return text.length;
  }
  // The innermost JSON object holding the first `needle` (a quoted key)
  // outside a string, from its `{` to its matching `}`; null if none. As
  // `object_around_key` in src/page/html.rs: a seller's id is read in the
  // object that names the seller, not in a recommended product's.
  const MAX_JSON_DEPTH = 512; // as in html.rs: a hostile script's million `{` keep no million offsets
  function objectAroundKey(text, needle) {
    const opens = [];
    let start = -1;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '"') {
        if (start < 0 && text.startsWith(needle, i)) {
          if (!opens.length) return null;
          start = opens[opens.length - 1];
        }
        i = stringEnd(text, i);
      } else if (c === '{') {
        if (opens.length >= MAX_JSON_DEPTH) return null;
        opens.push(i);
      } else if (c === '}') {
        const open = opens.pop();
        if (start >= 0 && open === start) return text.slice(start, i + 1);
      }
    }
    return null;
  }

  // `re` (a `"key": value` pattern) matched where `key` is a member of the
  // object `text` itself, not of an object or array nested in it; null if
  // none. As `member_value` in src/page/html.rs: a seller object's "name",
  // not its badge's.
  function memberMatch(text, key, re) {
    const needle = `"${key}"`;
    const at = new RegExp(re.source, 'y');
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '"') {
        if (depth === 1 && text.startsWith(needle, i)) {
          at.lastIndex = i;
          const m = at.exec(text);
          if (m) return m;
        }
        i = stringEnd(text, i);
      } else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') depth = Math.max(0, depth - 1);
    }
    return null;
  }

  function collect(plan) {
    const fields = {};
    const kinds = {}; // per field whose selectors say what they read: each value's kind
    for (const [name, selectors] of Object.entries(plan.fields)) {
      const values = [];
      const valueKinds = [];
      for (const sel of selectors) {
        readInto(values, document, sel, plan.max_values, plan.max_chars);
        while (valueKinds.length < values.length) valueKinds.push(sel.kind ?? '');
      }
      if (values.length) fields[name] = values;
      if (values.length && selectors.some((s) => s.kind)) kinds[name] = valueKinds;
    }
    // Walmart, Pinduoduo, Douyin and AliExpress render some fields only from
    // inline JSON: take the first `"key": "string"` or `"key": number` there.
    for (const [name, entries] of Object.entries(plan.script_fields ?? {})) {
      const values = fields[name] ?? [];
      for (const { css, key, same_object_as: anchor } of entries) {
        const re = new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:\\s*("(?:[^"\\\\]|\\\\.)*"|-?\\d+(?:\\.\\d+)?)`);
        for (const el of query(css)) {
          if (values.length >= plan.max_values) break;
          const text = (el.textContent ?? '').slice(0, plan.max_script_bytes);
          const scope = anchor ? objectAroundKey(text, `"${anchor}"`) : text;
          if (scope === null) continue;
          const m = anchor ? memberMatch(scope, key, re) : re.exec(scope);
          if (!m) continue;
          let v;
          try {
            v = String(JSON.parse(m[1]));
          } catch {
            continue;
          }
          v = collapse(v, plan.max_chars);
          if (v) values.push(v);
        }
      }
      if (values.length) fields[name] = values;
      if (kinds[name]) while (kinds[name].length < values.length) kinds[name].push('');
    }
    const jsonld = [];
    if (plan.jsonld) {
      for (const s of query('script[type="application/ld+json"]')) {
        if (jsonld.length >= plan.max_jsonld_blocks) break;
        jsonld.push((s.textContent ?? '').slice(0, plan.max_jsonld_bytes));
      }
    }
    const meta = {};
    for (const name of plan.meta) {
      const el = document.querySelector(`meta[property="${CSS.escape(name)}"], meta[name="${CSS.escape(name)}"]`);
      const v = el && bounded(chunks(el.getAttribute('content') ?? ''), plan.max_chars);
      if (v) meta[name] = v;
    }
    // A sign-in or robot-check page (the profile's gates): the core then
    // judges nothing and the popup says the page could not be read.
    const gate = (plan.gates ?? []).find((g) => query(g.css).length > 0);
    return {
      url: location.href, profile: plan.profile, fields, jsonld, meta, kinds,
      offers: plan.offers ? offers(plan.offers, plan) : [],
      labelled: labelled(plan),
      ...(gate ? { gate: gate.css } : {}),
    };
  }

  const present = (plan) =>
    plan.wait_for.every((f) => (plan.fields[f] ?? []).some((s) => query(s.css).length > 0));

  // Marketplaces render the shop header late (Tmall, Taobao are SPAs): wait for
  // the profile's elements, but never longer than the plan allows.
  /** @returns {Promise<void>} */
  function settle(plan, signal) {
    if (present(plan)) return Promise.resolve();
    return new Promise((resolve) => {
      let timer = 0;
      const done = () => {
        obs.disconnect();
        clearTimeout(timer);
        clearTimeout(limit);
        resolve();
      };
      const obs = new MutationObserver(() => {
        clearTimeout(timer);
        timer = setTimeout(() => present(plan) && done(), 100);
      });
      const limit = setTimeout(done, plan.wait_ms);
      obs.observe(document.documentElement, { childList: true, subtree: true });
      signal.addEventListener('abort', done, { once: true });
    });
  }

  // The plan the background gave for this host before (storage.local
  // `plans`, background.js says what it holds), else one asked for now.
  // With a kept one the page is read while a stopped worker wakes, and
  // judged in one message; the background answers with the right plan when
  // the kept one is not it (registries changed, another profile's page).
  async function check() {
    current?.abort();
    const run = (current = new AbortController());
    const [{ paused = {}, plans }] = await Promise.all([
      api.storage.local.get(['paused', 'plans']),
      globalThis.Genuine.languageReady,
    ]);
    // Paused here by the user (popup or options): read nothing, show nothing.
    if (paused[location.hostname]) return banner.hide();
    const kept = plans?.hosts?.[location.hostname];
    let { plan, stamp } = kept
      ? { plan: kept, stamp: plans.stamp }
      : (await api.runtime.sendMessage({ type: MSG.PLAN, url: location.href, asked })) ?? {};
    let reply;
    for (let tries = 0; plan && tries < 2; tries++) {
      if (run.signal.aborted) return;
      await settle(plan, run.signal);
      if (run.signal.aborted) return;
      reply = await api.runtime.sendMessage({ type: MSG.SNAPSHOT, snapshot: collect(plan), stamp, asked });
      if (!reply?.replan) break;
      ({ plan, stamp } = reply.replan);
    }
    if (run.signal.aborted || !reply?.verdict) return;
    const actions = {
      trust: async (trust) => {
        const r = await api.runtime.sendMessage({ type: MSG.TRUST, trust });
        if (r?.verdict) banner.show(r.verdict, actions);
      },
      // Genuine's own window, where a danger is trusted (banner.js says why).
      confirmTrust: () => api.runtime.sendMessage({ type: MSG.TRUST_OPEN }).catch(() => {}),
      // The background opens the confirm window for this tab (the sender's).
      report: () => api.runtime.sendMessage({ type: MSG.REPORT_OPEN }).catch(() => {}),
    };
    banner.show(reply.verdict, actions);
    shown = actions;
  }
  let shown = null; // the actions of the banner on screen

  // The user trusted or stopped trusting this store in Genuine's own window:
  // the background sends the new verdict (only it can: the page cannot).
  api.runtime.onMessage.addListener((msg, sender) => {
    if (sender.id !== api.runtime.id || sender.tab || msg?.type !== MSG.VERDICT || !shown) return;
    banner.show(msg.verdict, shown);
  });

  // The banner goes, and a read asked for stops: the shopper asked about
  // another page than the one now shown.
  const stop = () => {
    current?.abort();
    banner.hide();
    if (asked) shown = null;
  };

  // In-page navigation (history.pushState) changes the product without a load;
  // content scripts cannot hook the page's pushState, so compare the URL.
  let seen = location.href;
  setInterval(() => {
    if (location.href !== seen) {
      seen = location.href;
      stop();
      if (!asked) check().catch(() => {});
    }
  }, 1000);

  G.reread = () => void check().catch(() => {});
  check().catch(() => {});
  // Paused or resumed on this site from the popup or options: act on it now
  // (a page read because the shopper asked is read again only when asked again).
  api.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local' || !('paused' in changes)) return;
    if (!asked) check().catch(() => {});
    else if (changes.paused.newValue?.[location.hostname]) stop();
  });
})();
