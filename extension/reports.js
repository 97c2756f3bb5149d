// Shoppers' reports, from the moment they press Send until the brand's inbox
// has them: glue. The queue's policy (exactly-once ids, backoff, Retry-After,
// the hourly limit, giving up after 30 days) and its I/O (storage.local, the
// POSTs) are the core's: src/outbox/ and src/outbox/web.rs. This file hands
// the core storage.local, sets the alarm it asks for, and words its errors
// in the user's language.
//
// Nothing leaves the browser but the reports the user sent, to the inbox the
// confirm step named, and, when the user opens the popup, the question "how
// does my report stand?" about those same reports.
import { outboxSubmit, outboxFlush, outboxPoll, outboxList } from './pkg/genuine.js';
import { ready } from './registry.js';

const { api, t } = globalThis.Genuine;
const ALARM = 'genuine:reports';

const clock = (ms) => new Date(ms).toLocaleTimeString(globalThis.Genuine.uiLanguage(), { hour: '2-digit', minute: '2-digit' });
/** An entry as the history shows it: our own error keys put in words. */
const worded = ({ error_key, ...e }) => (error_key ? { ...e, error: t(error_key) } : e);

/**
 * Queues a checked report for `endpoint` and tries it at once. Returns its
 * history entry. A report whose id is queued already is not queued again.
 */
export async function submit(payload, endpoint) {
  await ready();
  let entry;
  try {
    entry = await outboxSubmit(api.storage.local, payload, endpoint);
  } catch (e) {
    if (e?.free_ms) throw new Error(t('report_rate_limited', String(e.per_hour), clock(e.free_ms)), { cause: e });
    throw e;
  }
  await flush(); // sets the alarm for what is still waiting
  return worded(entry);
}

/** Sends every queued report that is due, then sets the alarm for the next one. */
export async function flush() {
  await ready();
  const when = await outboxFlush(api.storage.local);
  if (when) api.alarms.create(ALARM, { when });
  else await api.alarms.clear(ALARM);
}

export const isAlarm = (alarm) => alarm.name === ALARM;

/** The history, newest first; `refresh` first sends what is due and asks for news. */
export async function list({ refresh = false } = {}) {
  await ready();
  if (refresh) {
    await flush();
    await outboxPoll(api.storage.local);
  }
  return (await outboxList(api.storage.local)).map(worded);
}
