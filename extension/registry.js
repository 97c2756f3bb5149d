// Registry sources, their verified cache, and background updates.
//
// Trust: every source has a pinned public key (the default one is built in;
// one a user adds is pinned by the fingerprint they confirmed). Bytes that
// arrive become an engine only through Engine.load, which verifies the
// signature in wasm. Nothing that fails verification, is older than what we
// hold (rollback), or arrived cut short ever replaces the last good copy,
// which lives in IndexedDB with the checksum taken when it was verified and
// is what every worker wake starts from: Engine.loadCached checks the bytes
// are still those (corruption), not the signature again, which would hash
// every byte with SHA-512 on every wake (most of a wake at 10^6 accounts).
import init, { Engine, Sources } from './pkg/genuine.js';
import * as managed from './managed.js';

const { api } = globalThis.Genuine;
const DB = 'genuine';
const STORE = 'registries';
const ALARM = 'genuine:update';
// A compiled registry of 10^6 accounts is about 80 MB; a bound on a hostile host.
const MAX_BYTES = 128 * 1024 * 1024;

const asset = (path) => new URL(`./${path}`, import.meta.url);

function idb() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function tx(mode, fn) {
  const db = await idb();
  try {
    return await new Promise((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const req = fn(t.objectStore(STORE));
      t.oncomplete = () => resolve(req?.result);
      t.onerror = t.onabort = () => reject(t.error);
    });
  } finally {
    db.close();
  }
}

const cacheGet = (id) => tx('readonly', (s) => s.get(id));
const cachePut = (id, entry) => tx('readwrite', (s) => s.put(entry, id));
const cacheDelete = (id) => tx('readwrite', (s) => s.delete(id));

/**
 * The build's pinned sources (config.json), those the organisation's policy
 * sets (managed.js; it may turn off the shared default one), and those the
 * user added.
 */
export async function sources() {
  const config = await (await fetch(asset('config.json'))).json();
  const policy = await managed.policy();
  const { userSources = [] } = await api.storage.local.get('userSources');
  const pinned = config.sources.filter((s) => policy.keepDefault || !s.shared).map((s) => ({ ...s, builtin: true }));
  const fixed = [...pinned, ...policy.sources];
  return [...fixed, ...userSources.filter((u) => !fixed.some((f) => f.url === u.url))];
}

async function keyText(source) {
  if (source.key) return source.key;
  return (await fetch(asset(source.key_file))).text();
}

/** Status shown on the options page, kept apart from the bytes. */
async function setStatus(id, patch) {
  const key = `status:${id}`;
  const old = (await api.storage.local.get(key))[key] ?? {};
  await api.storage.local.set({ [key]: { ...old, ...patch } });
}

export async function status(id) {
  const key = `status:${id}`;
  return (await api.storage.local.get(key))[key] ?? {};
}

const RETRY_MS = 5 * 60 * 1000;
const recentlyChecked = (st) => Boolean(st.lastCheck) && Date.now() - Date.parse(st.lastCheck) < RETRY_MS;

let wasm = null;
/** The one wasm start of this worker (two concurrent inits would make two instances). */
export const ready = () => (wasm ??= init({ module_or_path: asset('pkg/genuine_bg.wasm') }));

/**
 * How far a source is believed (src/sources.rs): the build's own registries
 * are pinned, an organisation's policy is as good as pinned, a registry the
 * user added speaks only for brands no pinned one lists or delegates to it.
 */
export const standingOf = (source) => (source.builtin ? 'pinned' : source.managed ? 'managed' : 'added');

/**
 * All sources judged together: `{ all, loaded }`, `all` the core's Sources
 * (which takes each engine), `loaded` each source with its engine's info.
 * An engine comes from the cached copy if it is still the copy that was
 * verified, else the copy bundled with the build. A cached copy that no
 * longer matches (corrupted storage) is dropped and said so; a source with
 * no bundled copy is then downloaded again at once rather than at the next
 * scheduled update. One source's trouble never stops the others.
 */
export async function loadAll() {
  await ready();
  const all = new Sources();
  const loaded = [];
  for (const source of await sources()) {
    const engine = await loadOne(source);
    if (!engine) continue;
    loaded.push({ source, info: engine.info() });
    all.add(source.id, standingOf(source), engine);
  }
  return { all, loaded };
}

async function loadOne(source) {
  const key = await keyText(source);
  let engine = null;
  let dropped = null;
  const cached = await cacheGet(source.id).catch(() => undefined);
  if (cached) {
    try {
      const bytes = new Uint8Array(cached.bytes);
      // Copies cached before checksums were kept are verified in full.
      engine = cached.checksum ? Engine.loadCached(bytes, key, cached.checksum) : Engine.load(bytes, key);
    } catch (e) {
      await cacheDelete(source.id).catch(() => {});
      dropped = `cached copy dropped: ${e.message}`;
      await setStatus(source.id, { error: dropped });
    }
  }
  if (!engine && source.bundled) {
    const bytes = new Uint8Array(await (await fetch(asset(source.bundled))).arrayBuffer());
    engine = Engine.load(bytes, key);
  }
  if (!engine && dropped && source.url) {
    const again = await update(source, null, cached?.version ?? 0);
    if (typeof again !== 'string') {
      engine = again;
      await setStatus(source.id, { error: `${dropped}; downloaded again` });
    }
  }
  // A source with no copy yet (set by policy, or a build without a bundled
  // copy) is fetched now rather than at the next alarm; at most every few
  // minutes, so a host that is down is not asked at every worker wake.
  if (!engine && !source.bundled && !recentlyChecked(await status(source.id))) {
    const r = await update(source, null);
    if (typeof r !== 'string') engine = r;
  }
  return engine;
}

async function readBody(res) {
  const len = Number(res.headers.get('content-length') ?? 0);
  if (len > MAX_BYTES) throw new Error(`registry too large (${len} bytes)`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > MAX_BYTES) throw new Error(`registry too large (${bytes.length} bytes)`);
  return bytes;
}

/**
 * Fetches one source and, only if it verifies and is newer, makes it the
 * cached copy. Returns what happened, for the options page and the tests.
 * `held`: the info of the copy in use, if any. `floor`: the lowest version
 * to accept when neither it nor a cached copy says what was held (a copy
 * just dropped as corrupted).
 */
export async function update(source, held, floor = 0) {
  await ready();
  const now = new Date().toISOString();
  const cached = await cacheGet(source.id).catch(() => undefined);
  try {
    const headers = cached?.etag ? { 'If-None-Match': cached.etag } : {};
    const res = await fetch(source.url, { headers, cache: 'no-store', credentials: 'omit' });
    if (res.status === 304) {
      await setStatus(source.id, { lastCheck: now, error: null });
      return 'unchanged';
    }
    if (!res.ok) throw new Error(`HTTP ${res.status} from ${source.url}`);
    const bytes = await readBody(res);
    // Taken first: its copy in wasm memory is freed before Engine.load makes the one it keeps.
    const checksum = Engine.checksum(bytes);
    const engine = Engine.load(bytes, await keyText(source)); // throws unless genuine
    const info = engine.info();
    const heldVersion = held?.version ?? cached?.version ?? floor;
    if (info.version < heldVersion) {
      throw new Error(`refused version ${info.version}: older than the version ${heldVersion} in use (rollback)`);
    }
    if (info.version === heldVersion && held) {
      await setStatus(source.id, { lastCheck: now, error: null });
      return 'unchanged';
    }
    await cachePut(source.id, { bytes: bytes.buffer, checksum, etag: res.headers.get('etag'), version: info.version, fetchedAt: now });
    await setStatus(source.id, { lastCheck: now, lastUpdate: now, error: null });
    return engine;
  } catch (e) {
    await setStatus(source.id, { lastCheck: now, error: String(e?.message ?? e) });
    return 'failed';
  }
}

/** Daily-ish checks, jittered so a million installs don't arrive at once. */
export function schedule() {
  api.alarms.create(ALARM, { delayInMinutes: 1 + Math.random() * 30, periodInMinutes: 360 + Math.random() * 60 });
}

/**
 * The same, only if the alarm is gone: alarms may not survive a browser
 * restart, and nothing but install would set it again. Called whenever the
 * worker starts; an alarm that is there keeps its time.
 */
export async function ensureScheduled() {
  if (!(await api.alarms.get(ALARM))) schedule();
}

export const isUpdateAlarm = (alarm) => alarm.name === ALARM;
