// What every browser suite needs to wait for the browser: one meaning per name.
//   sleep(ms)              waits, nothing else.
//   poll(fn, {ms, every})  retries fn until it gives something truthy; on time
//                          out gives back fn's last answer for the test to judge.
//   waitFor(what, fn, …)   the same, but time out is an error naming `what`.

/** How long a suite waits for the extension to act (a worker wake, a verdict, a window). */
export const WAIT_MS = 15000;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls `fn` every `every` ms until it returns a truthy value, and returns
 * that value. When `ms` have passed: fn's last (falsy) answer, or, if its
 * last call threw, that error. A throw before then counts as "not yet": a
 * page still loading, a worker being restarted, a window not open.
 */
export async function poll(fn, { ms = WAIT_MS, every = 100 } = {}) {
  const end = Date.now() + ms;
  for (;;) {
    let value;
    let error = null;
    try {
      value = await fn();
    } catch (e) {
      error = e;
    }
    if (!error && value) return value;
    if (Date.now() >= end) {
      if (error) throw error;
      return value;
    }
    await sleep(every);
  }
}

/** poll(fn), where running out of time is an error: "timed out waiting for <what>". */
export async function waitFor(what, fn, options) {
  let last;
  const value = await poll(fn, options).catch((e) => {
    last = e;
  });
  if (!value) throw new Error(`timed out waiting for ${what}${last ? ` (last: ${last.message ?? last})` : ''}`);
  return value;
}
