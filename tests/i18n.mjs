// The translations' own conventions, for the extension and for www/:
// every key in every locale, no key unused, the same placeholders everywhere,
// and (extension) a description on every key. Run: node tests/i18n.mjs
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const problems = [];
const fail = (m) => problems.push(m);
const read = (p) => readFileSync(join(root, p), 'utf8');
const files = (dir, ext) => readdirSync(join(root, dir)).filter((f) => f.endsWith(ext)).map((f) => `${dir}/${f}`);

/**
 * The keys a set of sources uses. A key counts as used when it is named by
 * data-i18n / data-i18n-attr, by __MSG_key__, or as a whole quoted string in
 * script ('popup_nothing' in headlineKey, t('key')); a template literal
 * `prefix_${…}` (banner_${v.level}, platform_${p}) uses every key with that prefix.
 */
function usedKeys(sources) {
  const exact = new Set();
  const prefixes = new Set();
  for (const text of sources) {
    for (const m of text.matchAll(/data-i18n="([^"]+)"/g)) exact.add(m[1]);
    for (const m of text.matchAll(/data-i18n-attr="([^"]+)"/g)) {
      for (const pair of m[1].split(',')) exact.add(pair.split(':')[1].trim());
    }
    for (const m of text.matchAll(/__MSG_(\w+)__/g)) exact.add(m[1]);
    for (const m of text.matchAll(/['"]([a-z][A-Za-z0-9_]*)['"]/g)) exact.add(m[1]);
    for (const m of text.matchAll(/`([a-z][a-z0-9]*_)\$\{/g)) prefixes.add(m[1]);
  }
  return { exact, prefixes, has: (k) => exact.has(k) || [...prefixes].some((p) => k.startsWith(p)) };
}

/** Compares every locale with the reference one; `placeholders(message)` gives a message's placeholder set. */
function compare(name, locales, ref, placeholders, used, keysOf) {
  const refKeys = keysOf(locales[ref]);
  for (const [loc, msgs] of Object.entries(locales)) {
    const keys = keysOf(msgs);
    for (const k of refKeys) if (!keys.includes(k)) fail(`${name} ${loc}: missing key ${k}`);
    for (const k of keys) if (!refKeys.includes(k)) fail(`${name} ${loc}: key ${k} is not in ${ref}`);
    for (const k of keys.filter((k) => refKeys.includes(k))) {
      const a = placeholders(locales[ref], k).sort().join(' ');
      const b = placeholders(msgs, k).sort().join(' ');
      if (a !== b) fail(`${name} ${loc}: ${k} has placeholders [${b}], ${ref} has [${a}]`);
    }
  }
  for (const k of refKeys) if (!used.has(k)) fail(`${name}: key ${k} is not used`);
  for (const k of used.exact) {
    // Only names that look like keys of this set: a quoted 'storage' in script is not a message.
    if (!refKeys.includes(k) && looksLikeKey(k, refKeys)) fail(`${name}: ${k} is used but no locale has it`);
  }
}
// A used name is taken for a key when it shares a key's prefix (banner_, check_…).
const looksLikeKey = (k, keys) => k.includes('_') && keys.some((r) => r.split('_')[0] === k.split('_')[0]);

// --- extension: _locales/<lang>/messages.json, chrome.i18n format ---
const extLocales = Object.fromEntries(
  readdirSync(join(root, 'extension/_locales')).map((l) => [l, JSON.parse(read(`extension/_locales/${l}/messages.json`))]),
);
// The manifest names messages only as __MSG_key__; its own keys (options_ui…) are not messages.
const extSources = [
  ...[...files('extension', '.js'), ...files('extension', '.html')].map(read),
  [...read('extension/manifest.json').matchAll(/__MSG_\w+__/g)].join(' '),
  // The outbox (Rust) names our own report errors by key (`error_key`); reports.js words them.
  read('src/outbox/mod.rs'),
];
// Named placeholders ($BRAND$) must match the placeholders object, and that object's contents.
const extPlaceholders = (msgs, k) => {
  const named = [...(msgs[k].message.matchAll(/\$([A-Za-z0-9_@]+)\$/g))].map((m) => m[1].toLowerCase());
  const declared = Object.entries(msgs[k].placeholders ?? {}).map(([n, p]) => `${n.toLowerCase()}=${p.content}`);
  for (const n of named) if (!declared.some((d) => d.startsWith(`${n}=`))) fail(`extension: ${k}: $${n.toUpperCase()}$ has no placeholder entry`);
  return [...new Set(named)].concat(declared);
};
for (const l of ['en', 'zh_CN', 'fr', 'de']) if (!extLocales[l]) fail(`extension: no _locales/${l}`);
for (const [l, msgs] of Object.entries(extLocales)) {
  for (const [k, v] of Object.entries(msgs)) {
    if (!v.message?.trim()) fail(`extension ${l}: ${k} has no message`);
    if (!v.description?.trim()) fail(`extension ${l}: ${k} has no description`);
  }
}
compare('extension', extLocales, 'en', extPlaceholders, usedKeys(extSources), Object.keys);

// --- www: i18n/<lang>.json, flat {key: "text with {name}"} ---
const wwwLocales = Object.fromEntries(
  readdirSync(join(root, 'www/i18n')).map((f) => [f.replace(/\.json$/, ''), JSON.parse(read(`www/i18n/${f}`))]),
);
// inbox.* and demo/ belong to other parts and are not localised (yet).
// The pages' sources (www/pages/, made into www/*.html by make site).
const wwwSources = [...files('www/pages', '.html'), ...files('www/pages/add', '.html'), ...files('www', '.js'), ...files('www/add', '.js')]
  .filter((f) => !/\/inbox\./.test(f))
  .map(read);
const wwwPlaceholders = (msgs, k) => [...new Set([...msgs[k].matchAll(/\{(\w+)\}/g)].map((m) => m[1]))];
for (const l of ['en', 'zh-CN', 'fr', 'de']) if (!wwwLocales[l]) fail(`www: no i18n/${l}.json`);
for (const [l, msgs] of Object.entries(wwwLocales)) {
  for (const [k, v] of Object.entries(msgs)) if (typeof v !== 'string' || !v.trim()) fail(`www ${l}: ${k} is empty`);
}
compare('www', wwwLocales, 'en', wwwPlaceholders, usedKeys(wwwSources), Object.keys);

const counts = `extension ${Object.keys(extLocales.en ?? {}).length} keys × ${Object.keys(extLocales).length} locales, www ${Object.keys(wwwLocales.en ?? {}).length} keys × ${Object.keys(wwwLocales).length} locales`;
if (problems.length) {
  for (const p of problems) console.log(`FAIL ${p}`);
  console.log(`i18n: ${problems.length} problems (${counts})`);
  process.exit(1);
}
console.log(`i18n: ok (${counts})`);
