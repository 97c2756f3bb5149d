// Settings from the organisation that manages this browser (docs/managed.md):
// Chrome reads them through managed_schema.json from its policies, Firefox
// from the enterprise policy `3rdparty.Extensions.<add-on id>`. Registries set
// here are always on and the user cannot remove them; the report endpoint
// replaces the build's own. Policy text is still checked: a bad entry is
// skipped, never trusted further than a user-added registry would be.
import './messages.js';

const { api } = globalThis.Genuine;

/** https anywhere, plain http only on this machine: the rule for every address we fetch. */
export function fetchable(text) {
  try {
    const u = new URL(String(text));
    const loopback = u.hostname === 'localhost' || u.hostname === '[::1]' || u.hostname.startsWith('127.');
    return u.protocol === 'https:' || (u.protocol === 'http:' && loopback) ? u.href : null;
  } catch {
    return null;
  }
}

async function raw() {
  try {
    return (await api.storage.managed.get(null)) ?? {};
  } catch {
    // Firefox rejects when no policy names this add-on: nothing is managed.
    return {};
  }
}

/** {sources, inbox, keepDefault}: what the policy sets, validated. */
export async function policy() {
  const p = await raw();
  const sources = [];
  for (const s of Array.isArray(p.sources) ? p.sources : []) {
    const url = fetchable(s?.url);
    if (!url || typeof s.key !== 'string' || sources.some((x) => x.url === url)) continue;
    const name = typeof s.name === 'string' && s.name.trim() ? s.name.trim().slice(0, 80) : new URL(url).host;
    sources.push({ id: `managed:${url}`, url, key: s.key, name, managed: true });
  }
  return { sources, inbox: fetchable(p.report_endpoint), keepDefault: p.keep_default_registry !== false };
}

/** The report endpoint in force: the policy's, else the build's (config.json `inbox`). */
export async function inbox() {
  const fromPolicy = (await policy()).inbox;
  if (fromPolicy) return { url: fromPolicy, managed: true };
  const config = await (await fetch(api.runtime.getURL('config.json'))).json();
  return { url: config.inbox ?? null, managed: false };
}
