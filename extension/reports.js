// Shoppers' reports, from the moment they press Send until the brand's inbox
// has them: a queue in storage.local, which outlives the worker, the browser
// and being offline, delivered by the background with backoff on an alarm.
//
// Exactly once: the id is made when the confirm step opens
// (crypto.randomUUID) and goes with every attempt; the inbox stores an id once
// and answers a repeat with the first receipt (docs/reports-api.md). So an
// attempt whose answer was lost (the worker stopped mid-request, the network
// dropped) is simply sent again, and a second click on Send finds its id here.
//
// Nothing leaves the browser but the reports the user sent, to the inbox the
// confirm step named, and, when the user opens the popup, the question "how
// does my report stand?" about those same reports.

const { api } = globalThis.Genuine;
const INDEX = 'reports'; // [{id, state, …summary}], newest first: the history
const body = (id) => `report:${id}`; // the payload, kept only until the inbox has it
const ALARM = 'genuine:reports';
// Chrome fires alarms no sooner than 30 s; an inbox that is down for a while
// is asked at most hourly, and a report nobody could take for 30 days is
// given up, so a queue never grows without end.
const BACKOFF_S = [30, 60, 120, 300, 900, 1800, 3600];
const GIVE_UP_MS = 30 * 86400e3;
const TIMEOUT_MS = 30e3;
/** The rate limit: reports per hour that the user can send. */
export const PER_HOUR = 10;
// Refusals that no retry can change (the inbox says the report is wrong).
const PERMANENT = new Set([400, 413, 415, 422]);
const SERVER_STATES = new Set(['received', 'confirmed', 'rejected']);
const KEEP = 50; // finished reports kept in the history

const { t } = globalThis.Genuine;

const index = async () => (await api.storage.local.get(INDEX))[INDEX] ?? [];

// Every change to the index goes through this chain: the worker runs one
// flush, a send and a popup's poll at once, and a read-modify-write must not
// lose another's change.
let chain = Promise.resolve();
function serial(fn) {
  const run = chain.then(fn);
  chain = run.catch(() => {});
  return run;
}

function update(id, patch) {
  return serial(async () => {
    const list = await index();
    const i = list.findIndex((e) => e.id === id);
    if (i < 0) return null;
    list[i] = { ...list[i], ...patch, updated_at: new Date().toISOString() };
    await api.storage.local.set({ [INDEX]: list });
    return list[i];
  });
}

/** A finished report: the inbox has it (or refused it for good), the body goes. */
async function finish(id, patch) {
  const e = await update(id, { ...patch, next_at: null });
  await api.storage.local.remove(body(id));
  return e;
}

/** The rate-limit error, or null: at most PER_HOUR reports in any hour. */
function overLimit(list, now) {
  const recent = list.map((e) => Date.parse(e.queued_at)).filter((at) => at > now - 3600e3);
  if (recent.length < PER_HOUR) return null;
  const free = new Date(Math.min(...recent) + 3600e3);
  const time = free.toLocaleTimeString(globalThis.Genuine.uiLanguage(), { hour: '2-digit', minute: '2-digit' });
  return new Error(t('report_rate_limited', String(PER_HOUR), time));
}

/**
 * Queues a checked report for `endpoint` and tries it at once. Returns its
 * history entry. A report whose id is queued already is not queued again.
 */
export async function submit(payload, endpoint) {
  const entry = await serial(async () => {
    const list = await index();
    const had = list.find((e) => e.id === payload.id);
    if (had) return had;
    const now = Date.now();
    const limited = overLimit(list, now);
    if (limited) throw limited;
    const e = {
      id: payload.id,
      state: 'queued',
      endpoint,
      queued_at: new Date(now).toISOString(),
      created_at: payload.created_at,
      store_name: payload.store_name,
      platform: payload.platform,
      category: payload.category,
      brand: payload.verdict?.brand ?? null,
      attempts: 0,
      next_at: now,
    };
    // The body first: an index entry never points at nothing.
    await api.storage.local.set({ [body(e.id)]: payload });
    const open = list.filter((x) => x.state === 'queued' || x.state === 'sent');
    const done = list.filter((x) => !open.includes(x)).slice(0, KEEP);
    await api.storage.local.set({ [INDEX]: [e, ...open, ...done] });
    return e;
  });
  await flush();
  return (await index()).find((e) => e.id === entry.id) ?? entry;
}

async function attempt(e) {
  const payload = (await api.storage.local.get(body(e.id)))[body(e.id)];
  if (!payload) return finish(e.id, { state: 'failed', error: t('report_lost') });
  if (Date.now() - Date.parse(e.queued_at) > GIVE_UP_MS) return finish(e.id, { state: 'failed', error: t('report_expired') });
  // 'sent' until the inbox answers: if the worker dies here, the next flush
  // finds it 'sent' and sends it again under the same id.
  await update(e.id, { state: 'sent', attempts: (e.attempts ?? 0) + 1 });
  let res;
  try {
    res = await fetch(e.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(payload),
      credentials: 'omit',
      cache: 'no-store',
      // A report goes where the confirm step said, or nowhere.
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    return retry(e, String(err?.message ?? err), 0);
  }
  const answer = await res.json().catch(() => ({}));
  if (res.ok && answer.reference) {
    const state = SERVER_STATES.has(answer.status) ? answer.status : 'received';
    return finish(e.id, { state, reference: String(answer.reference), received_at: new Date().toISOString(), error: null });
  }
  const why = typeof answer.message === 'string' ? answer.message : `HTTP ${res.status}`;
  if (PERMANENT.has(res.status)) return finish(e.id, { state: 'failed', error: why });
  return retry(e, why, Number(res.headers.get('Retry-After')) || 0);
}

function retry(e, error, retryAfterS) {
  const n = e.attempts ?? 0;
  const wait = Math.max(BACKOFF_S[Math.min(n, BACKOFF_S.length - 1)], retryAfterS);
  return update(e.id, { state: 'queued', attempts: n + 1, error, next_at: Date.now() + wait * 1000 });
}

let flushing = null;
let again = false;

/**
 * Sends every queued report that is due, then sets the alarm for the next
 * one. Concurrent calls share the run in flight, which makes one more pass
 * for reports queued while it ran.
 */
export function flush() {
  if (flushing) {
    again = true;
    return flushing;
  }
  flushing = (async () => {
    do {
      again = false;
      const now = Date.now();
      const due = (await index()).filter((e) => (e.state === 'queued' || e.state === 'sent') && (e.next_at ?? 0) <= now);
      for (const e of due.reverse()) await attempt(e); // oldest first
    } while (again);
    await schedule();
  })().finally(() => {
    flushing = null;
  });
  return flushing;
}

async function schedule() {
  const next = Math.min(...(await index()).filter((e) => e.state === 'queued').map((e) => e.next_at ?? 0));
  if (Number.isFinite(next)) api.alarms.create(ALARM, { when: Math.max(next, Date.now() + 1000) });
  else await api.alarms.clear(ALARM);
}

export const isAlarm = (alarm) => alarm.name === ALARM;

/** `endpoint/{id}`: the inbox's status lookup for one report. */
function statusUrl(e) {
  const base = e.endpoint.endsWith('/') ? e.endpoint : `${e.endpoint}/`;
  return new URL(encodeURIComponent(e.id), base);
}

/** Asks the inboxes how the user's delivered reports stand (when the popup opens). */
async function poll() {
  const since = Date.now() - 90 * 86400e3;
  const open = (await index()).filter((e) => e.state === 'received' && Date.parse(e.queued_at) > since).slice(0, 10);
  await Promise.all(
    open.map(async (e) => {
      try {
        const res = await fetch(statusUrl(e), { credentials: 'omit', cache: 'no-store', redirect: 'error', signal: AbortSignal.timeout(5000) });
        const answer = res.ok ? await res.json() : null;
        if (SERVER_STATES.has(answer?.status) && answer.status !== e.state) await update(e.id, { state: answer.status });
      } catch {
        // Unreachable now: the history keeps what it knew.
      }
    }),
  );
}

/** The history, newest first; `refresh` first sends what is due and asks for news. */
export async function list({ refresh = false } = {}) {
  if (refresh) {
    await flush();
    await poll();
  }
  return (await index()).map(({ endpoint, ...e }) => ({ ...e, inbox: new URL(endpoint).host }));
}
