// Registry sources and their updates: glue. What to fetch, what to keep and
// what an answer means is the core's (src/updater/, Rust, with its I/O in
// src/updater/web.rs: fetch and the verified copies in IndexedDB); this file
// says which sources there are, reads their pinned keys, and sets the alarm.
//
// Trust: every source has a pinned public key (the default one is built in;
// one a user adds is pinned by the fingerprint they confirmed). Bytes become
// an engine only after the core verified the signature; nothing that fails,
// is older than what is held (rollback), is already expired or arrived cut
// short ever replaces the last good copy, which every worker wake starts
// from (checked against the checksum taken when it was verified).
import init, { Sources, loadSource, updateSource, updateAlarm } from './pkg/genuine.js';
import * as managed from './managed.js';

const { api } = globalThis.Genuine;
const ALARM = 'genuine:update';

/**
 * When each step of this worker's start ended, in ms since 1970 (`start`:
 * when the browser began it). Read by `make bench` (tests/e2e/bench.mjs) to
 * say where a wake's time goes; timings only, nothing about pages.
 */
export const wake = { start: performance.timeOrigin, marks: /** @type {Record<string, number>} */ ({}) };
/** Notes the first time `step` ended in this worker. */
export const mark = (step) => { wake.marks[step] ??= performance.timeOrigin + performance.now(); };

const asset = (path) => new URL(`./${path}`, import.meta.url);

/**
 * The build's pinned sources (config.json), those the organisation's policy
 * sets (managed.js; it may turn off the shared default one), and those the
 * user added.
 */
export async function sources() {
  // Three independent reads; a wake waits for the slowest, not their sum.
  const [config, policy, { userSources = [] }] = await Promise.all([
    fetch(asset('config.json')).then((r) => r.json()),
    managed.policy(),
    api.storage.local.get('userSources'),
  ]);
  const pinned = config.sources.filter((s) => policy.keepDefault || !s.shared).map((s) => ({ ...s, builtin: true }));
  const fixed = [...pinned, ...policy.sources];
  return [...fixed, ...userSources.filter((u) => !fixed.some((f) => f.url === u.url))];
}

async function keyText(source) {
  if (source.key) return source.key;
  return (await fetch(asset(source.key_file))).text();
}

/** Status shown on the options page (written by the core). */
export async function status(id) {
  const key = `status:${id}`;
  return (await api.storage.local.get(key))[key] ?? {};
}

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
 * Where each engine comes from (the cached copy, the bundled one, a
 * download) is the core's choice (updater::on_start). One source's trouble
 * never stops the others.
 */
export async function loadAll() {
  // The wasm start, the list of sources and their keys do not wait for one
  // another; then every source loads at once (its IndexedDB read and
  // checksum), and they are added in the list's order.
  const listed = sources().then((list) => (mark('sources'), list));
  const withKeys = listed.then((list) => Promise.all(list.map(async (source) => {
    try {
      return { source, key: await keyText(source) };
    } catch (e) {
      console.warn(`registry ${source.id}: ${e?.message ?? e}`);
      return { source, key: null };
    }
  })));
  const [, keyed] = await Promise.all([ready().then(() => mark('wasm')), withKeys]);
  mark('keys');
  const engines = await Promise.all(keyed.map(async ({ source, key }) => {
    if (key === null) return undefined;
    try {
      return await loadSource(forCore(source), key, api.storage.local);
    } catch (e) {
      console.warn(`registry ${source.id}: ${e?.message ?? e}`);
      return undefined;
    }
  }));
  mark('loaded');
  const all = new Sources();
  const loaded = [];
  keyed.forEach(({ source }, i) => {
    const engine = engines[i];
    if (!engine) return;
    loaded.push({ source, info: engine.info() });
    all.add(source.id, standingOf(source), engine);
  });
  return { all, loaded };
}

/** What the core needs of a source: its id, update URL and bundled copy. */
const forCore = (source) => ({ id: source.id, url: source.url ?? null, bundled: source.bundled ? asset(source.bundled).href : null });

/**
 * Asks one source's host for a newer copy (the core decides and keeps it).
 * Returns the new engine, or 'unchanged' / 'failed' (the status says why).
 * `held`: the info of the copy in use, if any.
 */
export async function update(source, held) {
  await ready();
  const r = await updateSource(forCore(source), await keyText(source), held?.version, api.storage.local);
  return r.result === 'updated' ? r.engine : r.result;
}

/** The core's jittered schedule, so a million installs don't arrive at once. */
export async function schedule() {
  await ready();
  await api.alarms.create(ALARM, updateAlarm(Math.random()));
}

/**
 * The same, only if the alarm is gone: alarms may not survive a browser
 * restart, and nothing but install would set it again. Called whenever the
 * worker starts; an alarm that is there keeps its time.
 */
export async function ensureScheduled() {
  if (!(await api.alarms.get(ALARM))) await schedule();
}

export const isUpdateAlarm = (alarm) => alarm.name === ALARM;
