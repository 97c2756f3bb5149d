// The background: message routing and glue around the wasm core. Verdicts,
// which registry may speak for which brand, registry updates (src/updater/)
// and report delivery (src/outbox/) are the core's (Rust); this file moves
// messages, keeps the user's own choices (trusted stores, added registries),
// paints the toolbar badge and opens our windows. The only network traffic is
// registry downloads and the reports the user sends (both made by the core);
// nothing else about browsing leaves the browser.
import './messages.js';
import * as registry from './registry.js';
import * as reports from './reports.js';
import { checkReport, storeKey, applyTrust, bannerMayTrust, addedSource, checkFingerprint } from './pkg/genuine.js';
import * as offers from './offers.js';
import * as managed from './managed.js';

const { MSG, api } = globalThis.Genuine;
registry.mark('modules');
// make bench reads the wake's steps here (the worker offers no other window).
Object.defineProperty(globalThis, 'genuineWake', { value: registry.wake });

// The worker is stopped when idle (~30 s in Chrome; Firefox suspends its
// event page) and every wake starts here again; `ready` makes concurrent
// first messages share one start. `stamp` names the registries in force (and
// this build): a collect plan the content script kept from before is used
// only while it matches (content.js, `plans` below).
let ready = null;
const load = () => registry.loadAll().then((r) => ({
  ...r,
  stamp: JSON.stringify([api.runtime.getManifest().version, ...r.loaded.map((l) => [l.source.id, l.info.version])]),
}));
const engines = () => (ready ??= load());
// Nearly every wake is for something that needs the registries (a page's
// message, the popup, an alarm), so they start loading now, while the
// message that woke the worker is still on its way to its listener, not
// once it is read (issue 17). A failure is the first caller's to see.
engines().catch(() => {});

// A new set of registries (one was updated, added or removed). The old one's
// wasm memory is given back once nothing can still be judging with it.
function reload() {
  const old = ready;
  ready = load();
  ready.then(() => old?.then(({ all }) => setTimeout(() => all.free(), 5000)), () => {});
}

// Collect plans kept for the content script (storage.local `plans`: content
// scripts cannot read storage.session without also seeing every tab's
// entry). With one, a page is read at once and judged in one message, while
// a stopped worker wakes. It holds what to read on each marketplace host the
// extension ran on (the registry's site profile, nothing from the pages), so
// it says which marketplaces were visited, never which pages, and nothing
// from a private window; it is dropped when the browser starts, and replaced
// whole when the registries change.
let plansWrite = Promise.resolve();
function keepPlan(url, plan, stamp, sender) {
  if (!plan) return; // a host may have pages with and without one: ask again there
  if (sender.tab?.incognito) return; // a private window's hosts are not kept

  plansWrite = plansWrite.then(async () => {
    const host = new URL(url).hostname;
    const { plans } = await api.storage.local.get('plans');
    const hosts = plans?.stamp === stamp ? plans.hosts : {};
    if (JSON.stringify(hosts[host]) === JSON.stringify(plan)) return;
    await api.storage.local.set({ plans: { stamp, hosts: { ...hosts, [host]: plan } } });
  }).catch(() => {});
}

const BADGE = {
  official: { text: '✓', color: '#1a7f37' },
  caution: { text: '?', color: '#9a6700' },
  danger: { text: '!', color: '#cf222e' },
  trusted: { text: '✓', color: '#57606a' },
};
// The user's override: a store they chose to trust is not warned about
// again. What trust covers (warnings only) is the core's (src/choices.rs).
const trustedStores = async () => (await api.storage.local.get('trusted')).trusted ?? {};

async function paint(tabId, verdict) {
  const b = verdict?.trusted ? BADGE.trusted : BADGE[verdict?.level];
  await api.action.setBadgeText({ tabId, text: b ? b.text : '' });
  if (b) await api.action.setBadgeBackgroundColor({ tabId, color: b.color });
  await api.action.setTitle({
    tabId,
    title: t(verdict?.trusted ? 'badge_trusted' : `badge_${verdict?.level ?? 'none'}`),
  });
}

/** Whether two addresses have one origin (false when either is not one). */
function sameOrigin(a, b) {
  try {
    return new URL(String(a)).origin === new URL(String(b)).origin;
  } catch {
    return false;
  }
}

async function judge(tabId, url, snapshot) {
  // Several registries speak about one page; which of them may say what is
  // the core's (src/sources.rs), never this file's.
  const [{ all }, trusted] = await Promise.all([engines(), trustedStores(), globalThis.Genuine.languageReady]);
  registry.mark('engines');
  const verdict = applyTrust(all.check(snapshot, globalThis.Genuine.uiLanguage()), trusted);
  registry.mark('judged');
  // Session storage: the popup must find the verdict after the worker slept,
  // and it must not outlive the browser session (it names pages visited).
  await api.storage.session.set({ [`tab:${tabId}`]: { url, verdict, snapshot } });
  registry.mark('stored');
  for (const done of reading.get(tabId) ?? []) done(verdict);
  return verdict;
}

async function setTrust(tabId, trust) {
  const entry = (await api.storage.session.get(`tab:${tabId}`))[`tab:${tabId}`];
  await engines(); // the wasm is ready
  const key = entry?.verdict?.signals ? storeKey(entry.verdict.signals) : undefined;
  if (!key) return { verdict: entry?.verdict ?? null };
  const { trusted = {} } = await api.storage.local.get('trusted');
  if (trust) trusted[key] = { since: new Date().toISOString(), name: entry.verdict.signals.store_name ?? null };
  else delete trusted[key];
  await api.storage.local.set({ trusted });
  const verdict = await judge(tabId, entry.url, entry.snapshot);
  await paint(tabId, verdict);
  // The banner on that tab follows (it cannot see storage.session).
  api.tabs.sendMessage(tabId, { type: MSG.VERDICT, verdict }).catch(() => {});
  return { verdict };
}

/**
 * Brings forward the window of ours kept in session storage under `key`
 * (one confirm or trust window per tab); false when there is none, or it
 * was closed, and another should be opened.
 */
async function focusKept(key) {
  const open = await session(key);
  if (open === undefined) return false;
  try {
    await api.windows.update(open, { focused: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * The popup for a tab, in a window of its own: where the banner's "I trust
 * this store…" on a danger is confirmed. One per tab, like the report window.
 */
async function openTrust(tabId) {
  if (!Number.isInteger(tabId)) throw new Error('no tab');
  if (await focusKept(`trustWindow:${tabId}`)) return {};
  const url = api.runtime.getURL(`popup.html?tab=${tabId}&confirm=trust`);
  const win = await api.windows.create({ url, type: 'popup', width: 420, height: 560 });
  await api.storage.session.set({ [`trustWindow:${tabId}`]: win.id });
  return {};
}

async function updateAll() {
  const results = {};
  const { loaded } = await engines();
  let changed = false;
  for (const source of await registry.sources()) {
    const held = loaded.find((e) => e.source.id === source.id)?.info;
    const r = await registry.update(source, held);
    results[source.id] = typeof r === 'string' ? r : 'updated';
    changed ||= typeof r !== 'string';
  }
  if (changed) reload();
  return results;
}

const ours = (sender) => Boolean(sender.url?.startsWith(api.runtime.getURL('')));
/**
 * Adds a registry the user gave by address and key fingerprint. Which
 * addresses may be added and whether the key is the one they confirmed are
 * the core's (src/choices.rs); the registry itself is verified like any other.
 */
async function addSource({ url, fingerprint, key_url }) {
  await engines(); // the wasm is ready
  const href = new URL(url).href; // throws on a malformed URL
  const added = addedSource(href, key_url ? new URL(key_url, href).href : undefined);
  const key = await (await fetch(added.key_url, { credentials: 'omit' })).text();
  const source = { id: added.id, url: added.url, key, name: new URL(href).host };
  const r = await registry.update(source, null);
  if (typeof r === 'string') throw new Error((await registry.status(added.id)).error ?? 'could not load the registry');
  const info = r.info();
  r.free(); // loaded again with the others, as an added source
  checkFingerprint(info.fingerprint, String(fingerprint ?? ''));
  source.name = info.publisher;
  const { userSources = [] } = await api.storage.local.get('userSources');
  await api.storage.local.set({ userSources: [...userSources.filter((s) => s.id !== added.id), source] });
  reload();
  return { source: { id: added.id, name: source.name, url: source.url } };
}

async function listSources() {
  const { all } = await engines();
  const out = [];
  for (const s of await registry.sources()) {
    // `info.ignored`: what an added registry lists but may not speak for.
    out.push({ id: s.id, name: s.name, url: s.url, builtin: Boolean(s.builtin), managed: Boolean(s.managed), info: all.info(s.id) ?? null, status: await registry.status(s.id) });
  }
  return { sources: out };
}

async function removeSource({ id }) {
  const { userSources = [] } = await api.storage.local.get('userSources');
  await api.storage.local.set({ userSources: userSources.filter((s) => s.id !== id) });
  await api.storage.local.remove(`status:${id}`);
  reload();
  return {};
}

const { t } = globalThis.Genuine;
const session = async (key) => (await api.storage.session.get(key))[key];

/**
 * Opens the confirm step (report.html, a small window of its own) for a
 * tab's verdict. A report is put together and sent only there, on the
 * extension's own page: the banner's button can do no more than this, so a
 * page that fooled it would still need the user to press Send. The draft,
 * with the report's id, waits in session storage, which content scripts
 * cannot read. One confirm window per tab: another click brings it forward.
 */
async function openReport(tabId, activeTab) {
  const entry = await session(`tab:${tabId}`);
  const offer = entry?.verdict?.trusted ? null : entry?.verdict?.report;
  if (!Number.isInteger(tabId) || !offer) throw new Error(t('report_nothing'));
  if (await focusKept(`reportWindow:${tabId}`)) return {};
  const { endpoint, ...fields } = offer;
  const draft = {
    id: crypto.randomUUID(),
    tabId,
    pageUrl: entry.url,
    created_at: new Date().toISOString(),
    // The toolbar popup was opened on this tab, so the browser lent us
    // activeTab: a screenshot needs no other permission.
    activeTab,
    // The brand's own inbox, else the default: a policy's (managed.js), else the build's.
    endpoint: endpoint ?? (await managed.inbox()).url,
    brandInbox: Boolean(endpoint),
    fields,
  };
  await api.storage.session.set({ [`draft:${draft.id}`]: draft });
  const url = api.runtime.getURL(`report.html?draft=${draft.id}`);
  const win = await api.windows.create({ url, type: 'popup', width: 520, height: 760 });
  await api.storage.session.set({ [`reportWindow:${tabId}`]: win.id, [`draft:${draft.id}`]: { ...draft, windowId: win.id } });
  return {};
}

/**
 * Send, from the confirm step: the draft as shown plus what the user chose,
 * checked by the core exactly as the inbox will check it, then queued.
 */
async function sendReport({ draft: id, category, note, screenshot }) {
  const draft = await session(`draft:${id}`);
  if (!draft) {
    const sent = (await reports.list()).find((e) => e.id === id);
    if (sent) return { report: sent };
    throw new Error(t('report_draft_gone'));
  }
  const payload = { id: draft.id, ...draft.fields, category: String(category), note: String(note ?? '').trim(), created_at: draft.created_at };
  if (screenshot) payload.screenshot = String(screenshot);
  await engines(); // the wasm is ready
  checkReport(JSON.stringify(payload)); // throws the inbox's own objection, in words
  const report = await reports.submit(payload, draft.endpoint);
  await api.storage.session.remove(`draft:${id}`);
  return { report };
}

// Check this page (the popup): the page reader, injected on the shopper's
// click into a tab the manifest's content scripts do not run in (a shop no
// site profile names). The files are the manifest's own, in its order, so
// the page is read as a marketplace page is; which profile reads it is the
// core's (page::profile_for: a host no profile names gets the generic one).
// Firefox's getManifest() gives the files as full moz-extension:// URLs,
// Chrome's as written: both become paths from the extension's root.
const READER = (api.runtime.getManifest().content_scripts ?? [])
  .map((c) => (c.js ?? []).map((f) => new URL(f, api.runtime.getURL('')).pathname.slice(1)))
  .find((files) => files.includes('content.js')) ?? [];
// Long enough for the generic profile's wait (its plan's wait_ms) and a worker wake.
const READ_MS = 15000;
// The reads asked for and not yet judged, per tab: judge() hands each its
// tab's verdict as soon as it is stored.
/** @type {Map<number, Set<(verdict: unknown) => void>>} */
const reading = new Map();

/**
 * Reads tab `tabId` now and gives its verdict. The host access it takes is
 * the popup's: activeTab from the toolbar click, else the one origin the
 * popup asked for on the click (and gives back once this answers).
 */
async function readTab({ tabId }) {
  const id = Number(tabId);
  if (!Number.isInteger(id)) throw new Error('no tab');
  const key = `tab:${id}`;
  // The browser's refusal (no host access, a tab gone, a page of its own)
  // says nothing a shopper can act on beyond this.
  const failed = () => {
    throw new Error(t('popup_read_failed'));
  };
  // Marks the reader as asked for, and says where the tab is: the first
  // thing run in the page, so nothing is read on a site the user paused.
  const [first] = await api.scripting.executeScript({
    target: { tabId: id },
    func: () => {
      globalThis.Genuine = Object.assign(globalThis.Genuine ?? /** @type {import('./types').GenuineGlobal} */ ({}), { asked: true });
      return location.href;
    },
  }).catch(failed);
  const url = new URL(String(first?.result));
  if (!/^https?:$/.test(url.protocol)) failed();
  const { paused = {} } = await api.storage.local.get('paused');
  if (paused[url.hostname]) throw new Error(t('popup_read_paused'));
  // The verdict of this read, not one kept from an earlier page of the tab.
  await api.storage.session.remove(key);
  let done;
  const judged = new Promise((resolve) => { done = resolve; });
  const waiting = reading.get(id) ?? new Set();
  reading.set(id, waiting.add(done));
  let timer;
  try {
    await api.scripting.executeScript({ target: { tabId: id }, files: READER }).catch(failed);
    const late = new Promise((resolve) => { timer = setTimeout(resolve, READ_MS, null); });
    const verdict = await Promise.race([judged, late]);
    return verdict ? { verdict } : failed();
  } finally {
    clearTimeout(timer);
    waiting.delete(done);
    if (!waiting.size) reading.delete(id);
  }
}

const handlers = {
  // wake.js's early start: being here is the point; engines() began at the top.
  [MSG.WAKE]: async () => ({}),
  async [MSG.PLAN](msg, sender) {
    registry.mark('plan asked');
    // Only pinned registries say how to read a page.
    const { all, stamp } = await engines();
    const plan = all.plan(String(msg.url)) ?? null;
    if (!msg.asked) keepPlan(String(msg.url), plan, stamp, sender);
    return { plan, stamp };
  },
  async [MSG.SNAPSHOT](msg, sender) {
    if (!sender.tab || ours(sender)) throw new Error('snapshots come from content scripts');
    registry.mark('snapshot sent');
    // Read with a kept plan: judged only if it is still the plan for this
    // page under the registries in force, else read again with that one.
    const { all, stamp } = await engines();
    const url = String(msg.snapshot?.url);
    // The address is what proves a web shop (src/verdict): it must be the
    // sender's own, as the browser knows it, not one a message claims.
    if (!sameOrigin(url, sender.url ?? sender.tab.url)) throw new Error('a snapshot names another page than its sender');
    const plan = all.plan(url) ?? null;
    if (msg.stamp !== stamp || plan?.profile !== msg.snapshot?.profile) {
      if (!msg.asked) keepPlan(url, plan, stamp, sender);
      return { replan: { plan, stamp } };
    }
    const verdict = await judge(sender.tab.id, sender.url ?? sender.tab.url, msg.snapshot);
    // The badge is painted after the reply: it need not hold up the banner.
    setTimeout(() => paint(sender.tab.id, verdict).catch(() => {}));
    return { verdict };
  },
  async [MSG.TAB](msg) {
    const key = `tab:${msg.tabId}`;
    const entry = (await api.storage.session.get(key))[key];
    const { loaded } = await engines();
    // The registry whose verdict stands, else the first pinned one.
    const from = loaded.find((l) => l.source.id === entry?.verdict?.source) ?? loaded[0];
    return { verdict: entry?.verdict ?? null, url: entry?.url ?? null, info: from?.info ?? null };
  },
  async [MSG.TRUST](msg, sender) {
    // From our own pages (the popup, also opened as a window) the tab is the
    // one they name, and any verdict may be trusted.
    if (ours(sender)) return setTrust(Number(msg.tabId), Boolean(msg.trust));
    // From the banner, the sender's own tab; a page may draw over the banner,
    // so there it trusts a caution at most (a danger: openTrust).
    const tabId = sender.tab?.id;
    if (msg.trust) {
      await engines(); // the wasm is ready
      const level = (await session(`tab:${tabId}`))?.verdict?.level;
      if (!bannerMayTrust(String(level))) throw new Error('a store Genuine warns about is trusted only in Genuine’s own window');
    }
    return setTrust(tabId, Boolean(msg.trust));
  },
  async [MSG.TRUST_OPEN](msg, sender) {
    if (!sender.tab || ours(sender)) throw new Error('from a banner only');
    return openTrust(sender.tab.id);
  },
  async [MSG.REPORT_OPEN](msg, sender) {
    // From the banner, always the sender's own tab, and never with activeTab.
    return ours(sender) ? openReport(Number(msg.tabId), msg.activeTab === true) : openReport(sender.tab?.id, false);
  },
  async [MSG.BRAND_LINK](msg, sender) {
    if (!sender.tab || ours(sender)) throw new Error('brand links come from their page');
    return offers.open(sender.url ?? sender.tab.url);
  },
};
// Registry management only from the extension's own pages, never a content script.
const pageOnly = {
  [MSG.SOURCES]: listSources,
  [MSG.UPDATE]: async () => ({ results: await updateAll() }),
  [MSG.ADD_SOURCE]: addSource,
  [MSG.REMOVE_SOURCE]: removeSource,
  // Reports are read, put together and sent only by our own pages.
  [MSG.REPORT_DRAFT]: async ({ draft }) => {
    const d = await session(`draft:${draft}`);
    if (!d) throw new Error(t('report_draft_gone'));
    return { draft: d };
  },
  [MSG.REPORT_SEND]: sendReport,
  [MSG.REPORTS]: async ({ refresh }) => ({ reports: await reports.list({ refresh: Boolean(refresh) }) }),
  [MSG.PARSE_LINK]: (msg) => offers.parse(msg.link),
  [MSG.READ]: readTab,
};

api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  // Only our own extension's pages and content scripts can reach this
  // listener (no externally_connectable), but the content script relays page
  // data, so every field is treated as untrusted by the core.
  if (sender.id !== api.runtime.id) return false;
  const handle = handlers[msg?.type] ?? (ours(sender) ? pageOnly[msg?.type] : undefined);
  if (!handle) return false;
  handle(msg, sender).then(sendResponse, (e) => sendResponse({ error: String(e?.message ?? e) }));
  return true;
});

api.tabs.onRemoved.addListener((tabId) => api.storage.session.remove([`tab:${tabId}`, `reportWindow:${tabId}`, `trustWindow:${tabId}`]));
api.windows.onRemoved.addListener(async (windowId) => {
  const all = await api.storage.session.get(null);
  // The confirm window closed: its draft (unsent, or sent and done) goes too.
  const gone = Object.keys(all).filter((k) => ((k.startsWith('reportWindow:') || k.startsWith('trustWindow:')) && all[k] === windowId) || (k.startsWith('draft:') && all[k]?.windowId === windowId));
  if (gone.length) await api.storage.session.remove(gone);
});
api.runtime.onInstalled.addListener(() => {
  registry.schedule();
  reports.flush();
});
// Alarms may not survive a browser restart (Chrome says so): the queue is
// looked at again on every start, and the update alarm is made sure of
// whenever the worker starts (a browser start wakes it too).
api.runtime.onStartup.addListener(() => {
  reports.flush();
  // The kept plans name marketplaces visited: no longer than a browser session.
  api.storage.local.remove('plans');
});
registry.ensureScheduled();
api.alarms.onAlarm.addListener((alarm) => {
  if (registry.isUpdateAlarm(alarm)) updateAll();
  if (reports.isAlarm(alarm)) reports.flush();
});

// Paused on a site (popup or options): its tabs lose their badge and verdict
// at once; the content script hides the banner itself (content.js).
api.storage.onChanged.addListener(async (changes, area) => {
  if (area !== 'local' || !('paused' in changes)) return;
  const paused = changes.paused.newValue ?? {};
  const all = await api.storage.session.get(null);
  for (const [key, entry] of Object.entries(all)) {
    if (!key.startsWith('tab:') || !entry?.url) continue;
    let host;
    try { host = new URL(entry.url).hostname; } catch { continue; }
    if (!paused[host]) continue;
    const tabId = Number(key.slice(4));
    await api.storage.session.remove(key);
    await api.action.setBadgeText({ tabId, text: '' }).catch(() => {});
  }
});
