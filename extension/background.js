// The background: owns the wasm core and the registry, answers the content
// script and the popup, paints the toolbar badge. All judgement is in Rust;
// this file only moves messages. Nothing here talks to the network.
import './messages.js';
import init, { Engine } from './pkg/genuine.js';

const { MSG, api } = globalThis.Genuine;

// The worker is stopped when idle (~30 s in Chrome) and every wake starts
// here again; `ready` makes concurrent first messages share one start.
let ready = null;
const engine = () => (ready ??= start());

async function start() {
  await init({ module_or_path: new URL('./pkg/genuine_bg.wasm', import.meta.url) });
  const [signed, key] = await Promise.all([
    fetch(new URL('./registry/default.signed', import.meta.url)).then((r) => r.arrayBuffer()),
    fetch(new URL('./keys/default.pub', import.meta.url)).then((r) => r.text()),
  ]);
  return Engine.load(new Uint8Array(signed), key);
}

const BADGE = {
  official: { text: '✓', color: '#1a7f37' },
  caution: { text: '?', color: '#9a6700' },
  danger: { text: '!', color: '#cf222e' },
  trusted: { text: '✓', color: '#57606a' },
};

function storeKey(signals) {
  const s = signals ?? {};
  if (!s.platform || !(s.store_id || s.store_name)) return null;
  return `${s.platform}:${s.store_id ? 'id:' + s.store_id : 'name:' + s.store_name}`;
}

// The user's override: a store they chose to trust is not warned about again.
async function applyTrust(verdict) {
  const key = storeKey(verdict.signals);
  const { trusted = {} } = await api.storage.local.get('trusted');
  if (key && trusted[key] && (verdict.level === 'danger' || verdict.level === 'caution')) {
    return { ...verdict, trusted: { key, since: trusted[key].since, level: verdict.level } };
  }
  return verdict;
}

async function paint(tabId, verdict) {
  const b = verdict?.trusted ? BADGE.trusted : BADGE[verdict?.level];
  await api.action.setBadgeText({ tabId, text: b ? b.text : '' });
  if (b) await api.action.setBadgeBackgroundColor({ tabId, color: b.color });
  await api.action.setTitle({
    tabId,
    title: api.i18n.getMessage(verdict?.trusted ? 'badge_trusted' : `badge_${verdict?.level ?? 'none'}`),
  });
}

async function judge(tabId, url, snapshot) {
  const e = await engine();
  const verdict = await applyTrust(e.check(snapshot));
  if (tabId !== undefined) {
    // Session storage: the popup must find the verdict after the worker slept,
    // and it must not outlive the browser session (it names pages visited).
    await api.storage.session.set({ [`tab:${tabId}`]: { url, verdict, snapshot } });
    await paint(tabId, verdict);
  }
  return verdict;
}

async function setTrust(tabId, trust) {
  const entry = (await api.storage.session.get(`tab:${tabId}`))[`tab:${tabId}`];
  const key = storeKey(entry?.verdict?.signals);
  if (!key) return { verdict: entry?.verdict ?? null };
  const { trusted = {} } = await api.storage.local.get('trusted');
  if (trust) trusted[key] = { since: new Date().toISOString(), name: entry.verdict.signals.store_name ?? null };
  else delete trusted[key];
  await api.storage.local.set({ trusted });
  return { verdict: await judge(tabId, entry.url, entry.snapshot) };
}

const handlers = {
  async [MSG.PLAN](msg) {
    return { plan: (await engine()).plan(String(msg.url)) ?? null };
  },
  async [MSG.SNAPSHOT](msg, sender) {
    const tab = sender.tab;
    if (!tab || sender.url?.startsWith(api.runtime.getURL(''))) throw new Error('snapshots come from content scripts');
    return { verdict: await judge(tab.id, sender.url ?? tab.url, msg.snapshot) };
  },
  async [MSG.TAB](msg) {
    const key = `tab:${msg.tabId}`;
    const entry = (await api.storage.session.get(key))[key];
    return { verdict: entry?.verdict ?? null, info: (await engine()).info() };
  },
  async [MSG.TRUST](msg, sender) {
    // From the banner the tab is the sender's own; from our own pages (the
    // popup, also when opened as a tab) it is the one they name.
    const ours = sender.url?.startsWith(api.runtime.getURL(''));
    const tabId = ours ? Number(msg.tabId) : sender.tab?.id;
    return setTrust(tabId, Boolean(msg.trust));
  },
};

api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  // Only our own extension's pages and content scripts can reach this
  // listener (no externally_connectable), but the content script relays page
  // data, so every field is treated as untrusted by the core.
  const handle = handlers[msg?.type];
  if (!handle || sender.id !== api.runtime.id) return false;
  handle(msg, sender).then(sendResponse, (e) => sendResponse({ error: String(e?.message ?? e) }));
  return true;
});

api.tabs.onRemoved.addListener((tabId) => api.storage.session.remove(`tab:${tabId}`));
