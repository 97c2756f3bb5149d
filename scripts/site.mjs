// make site: every HTML page of www/ from its source in www/pages/, at build
// time, so a page is whole HTML with no script needed to draw it. Written
// where `genuine serve --root www` serves them (git-ignored like www/pkg/);
// `node scripts/site.mjs DIR` writes them under DIR instead (tests/it does).
//
// - Our site: www/pages/document.html (the document every page of ours
//   shares) around www/pages/layout.html (header, navigation, footer)
//   around each page's own part (www/pages/<page>: its <head> lines, a
//   blank line, then what goes in <main>). The navigation link to the page
//   itself gets aria-current="page"; pages in a folder (add/) link back
//   with ../. The inbox (www/pages/inbox.html, same two parts) has no site
//   navigation: document.html around it only.
// - The demo shop pages, www/demo/: each www/pages/demo/<shop>/NAME.json is
//   one page's own data (store, price, offers…), drawn by that
//   marketplace's layout.html inside www/pages/demo/layout.html. Any other
//   .html under www/pages/demo/ is a whole page, copied as it is.
import { readFileSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const www = join(dirname(fileURLToPath(import.meta.url)), '../www');
const out = process.argv[2] ?? www;
const PAGES = ['index.html', 'check.html', 'registry.html', 'brands.html', 'add/index.html'];
// What the imitated marketplaces put in <html lang> and <title>.
const SHOPS = {
  amazon: { lang: 'en', title: 'Amazon.com: {{product}}' },
  jd: { lang: 'zh-CN', title: '{{product}}【行情 报价 价格 评测】-京东' },
  tmall: { lang: 'zh-CN', title: '{{product}} - 天猫Tmall.com' },
};

const ESCAPED = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escape = (v) => String(v).replace(/[&<>"]/g, (c) => ESCAPED[c]);

/**
 * Fills a template, mustache-like and no more: {{name}} the value,
 * HTML-escaped; {{{name}}} the value as it is (HTML drawn already);
 * {{#name}}…{{/name}} the part when name is set, once per item if it is a
 * list (the item's values over the rest, and {{n}} its number from 1), with
 * an object's values over the rest if it is one; {{^name}}…{{/name}} the
 * part when name is not set; {{! …}} a comment. A tag alone on its line
 * takes the line with it. A {{name}} with no value is an error, not an
 * empty string: a misspelt name must not draw a page with a hole in it.
 * Every name looked up is added to `used`.
 */
function fill(template, scope, used, where) {
  const t = template.replace(/^(\{\{[#^/!][^}]*\}\})\n/gm, '$1').replace(/\{\{![^}]*\}\}/g, '');
  // One pass, so that nothing filled in is read again as a tag.
  const tag = /\{\{([#^])(\w+)\}\}([\s\S]*?)\{\{\/\2\}\}|\{\{(\{?)(\w+)\}?\}\}/g;
  return t.replace(tag, (_, kind, section, part, raw, name) => {
    if (name) {
      used.add(name);
      if (scope[name] === undefined) throw new Error(`${where}: no value for {{${name}}}`);
      return raw ? String(scope[name]) : escape(scope[name]);
    }
    used.add(section);
    const v = scope[section];
    const set = Array.isArray(v) ? v.length > 0 : Boolean(v);
    if (kind === '^') return set ? '' : fill(part, scope, used, where);
    if (!set) return '';
    if (Array.isArray(v)) return v.map((item, i) => fill(part, { ...scope, ...item, n: i + 1 }, used, where)).join('');
    return fill(part, typeof v === 'object' ? { ...scope, ...v } : scope, used, where);
  });
}

/** `text` split at its first blank line: [the <head> lines, the rest]. */
function parts(text, where) {
  const split = text.indexOf('\n\n');
  if (split < 0) throw new Error(`${where}: no blank line after the <head> lines`);
  return [text.slice(0, split), text.slice(split + 2)];
}

const read = (name) => readFileSync(join(www, 'pages', name), 'utf8');
function write(name, html) {
  mkdirSync(dirname(join(out, name)), { recursive: true });
  writeFileSync(join(out, name), html);
}

/** Our page `name` as served: the document around the layout around the page's own part. */
function sitePage(document, layout, name) {
  const root = '../'.repeat(name.split('/').length - 1);
  const [head, main] = parts(read(name), `www/pages/${name}`);
  const framed = fill(layout, { head, main, root }, new Set(), 'www/pages/layout.html');
  const [fullHead, body] = parts(framed, 'www/pages/layout.html');
  const html = fill(document, { head: fullHead, body }, new Set(), 'www/pages/document.html');
  // add/ is reached from a brand's link, not from the navigation.
  return html.replace(`<a href="${root}${name}" `, `<a href="${root}${name}" aria-current="page" `);
}

// Amazon draws a price twice, $49.99 for screen readers and $49<sup>99</sup>
// on screen: every price in the data gets its whole and cents parts for the second.
function withPriceParts(v) {
  if (Array.isArray(v)) return v.map(withPriceParts);
  if (!v || typeof v !== 'object') return v;
  const o = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withPriceParts(x)]));
  if (typeof o.price === 'string') [o.price_whole, o.price_cents = '00'] = o.price.split('.');
  return o;
}

/** Names in the page's data (and its lists' items), so that a misspelt one is caught. */
function names(data) {
  return Object.entries(data).flatMap(([k, v]) => [k, ...(Array.isArray(v) ? v.flatMap(names)
    : v && typeof v === 'object' ? names(v) : [])]);
}

/** The demo shop page `shop/NAME.json` as served. */
function shopPage(frame, layout, shop, file) {
  const where = `www/pages/demo/${shop}/${file}`;
  const data = JSON.parse(read(`demo/${shop}/${file}`));
  const scope = { ...withPriceParts(data), shop, lang: SHOPS[shop].lang };
  const used = new Set();
  const body = fill(layout, scope, used, where);
  const html = fill(frame, { ...scope, body, title: fill(SHOPS[shop].title, scope, used, where) }, used, where);
  const unused = names(data).filter((k) => !used.has(k));
  if (unused.length) throw new Error(`${where}: ${unused.join(', ')} not used by ${shop}/layout.html (misspelt?)`);
  return html;
}

const document = read('document.html');
const layout = read('layout.html');
for (const name of PAGES) write(name, sitePage(document, layout, name));
const [inboxHead, inboxBody] = parts(read('inbox.html'), 'www/pages/inbox.html');
write('inbox.html', fill(document, { head: inboxHead, body: inboxBody }, new Set(), 'www/pages/document.html'));

const frame = read('demo/layout.html');
let shopPages = 0;
for (const name of readdirSync(join(www, 'pages/demo'), { recursive: true }).map(String).sort()) {
  const [shop, file] = name.split('/');
  if (name.endsWith('.html') && !name.endsWith('layout.html')) write(`demo/${name}`, read(`demo/${name}`));
  if (!file?.endsWith('.json')) continue;
  if (!SHOPS[shop]) throw new Error(`www/pages/demo/${name}: no marketplace ${shop} in scripts/site.mjs SHOPS`);
  write(`demo/${shop}/${file.replace(/\.json$/, '.html')}`, shopPage(frame, read(`demo/${shop}/layout.html`), shop, file));
  shopPages++;
}
const shown = relative(process.cwd(), out);
console.log(`site: ${PAGES.length} pages, the inbox and ${shopPages} demo shop pages from www/pages/ into ${shown.startsWith('..') ? out : shown || '.'}/`);
