// Brand links in the background (docs/brands.md): a brand's /add page asks,
// through brandlink.js, to show an offer; the offer is shown on the
// extension's own confirm page, and only a click there adds the registry
// (through the same ADD_SOURCE as the options page). The link is read by the
// core (Rust, via wasm) so the extension and `genuine link` agree on it.
import { parseBrandLink } from './pkg/genuine.js';
import './messages.js';
import { ready } from './registry.js';

const { api } = globalThis.Genuine;

/** {offer: {site, registry, fingerprint, name}} or {error: reason}. */
export async function parse(link) {
  await ready();
  try {
    return { offer: parseBrandLink(String(link ?? '')) };
  } catch (e) {
    return { error: String(e?.message ?? e) };
  }
}

/**
 * Opens the confirm page for the link of the tab that asked. The link is the
 * tab's own address as the browser knows it, not what the page says.
 */
export async function open(link) {
  await api.tabs.create({ url: api.runtime.getURL(`confirm-add.html?link=${encodeURIComponent(link)}`) });
  return {};
}
