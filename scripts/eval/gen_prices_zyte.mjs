#!/usr/bin/env node
// Writes tests/fixtures/eval/prices-zyte-dev.tsv and prices-zyte-frozen.tsv:
// price texts as real shops print them, cut from the pages of Zyte's product
// extraction benchmark (scrapinghub/product-extraction-benchmark, MIT, commit
// cba97d7a), labelled with Zyte's own annotations, not by anyone here.
//
//     node scripts/eval/gen_prices_zyte.mjs GITDIR
//
// GITDIR is the benchmark's git directory (the workplace's fetch tool brings
// it). For every page whose annotation has one price (the 12 pages kept in
// tests/fixtures/pages/real are left out), the text of each smallest element
// whose text writes that amount (its digits, grouped or not, then its cents
// after a mark or an inner element: "$229<span>99</span>"), at most 80
// characters, outside <script>, <style> and <head>, white space collapsed; at
// most 3 distinct texts per page, in page order, and only texts that write the
// annotated currency sign (a bare "26" may be a shoe size; a page whose
// annotation names no currency gives no text; a "$" right after a letter,
// "US$", "R$", is another sign than the annotated "$"). Labels:
// - amount: Zyte's annotation, as a decimal; a page whose annotation reads two
//   ways ("2.449": one separator, three digits after it) is dropped;
// - currency: the annotated sign as an ISO code only where the sign names one
//   currency ("€", "£", "zł", "тг.", "₽", a written code); "$", "Rs" and no
//   annotation give none (the text alone cannot say which dollar), the rule the
//   other generated sets follow.
// Split by page, as scripts/eval/zyte_bench.py splits it (a key whose first
// byte is odd is frozen), so one page's texts land in one half. The note is
// `KEY:HOST shop` (the page key's first 10 hex digits, the shop's host; the
// test tallies rows by the note's last word).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import * as cheerio from 'cheerio';

const COMMIT = 'cba97d7a8d42aeefd4021bc15d482f297faceaa3';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The annotated signs as ISO codes, shared with zyte_bench.py.
const SIGN = JSON.parse(readFileSync(join(root, 'scripts/eval/zyte_signs.json'), 'utf8')).signs;

const repo = process.argv[2];
if (!repo) {
  console.error('usage: node scripts/eval/gen_prices_zyte.mjs GITDIR');
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['-C', repo, ...args], { maxBuffer: 1 << 28 });
const truth = JSON.parse(git('show', `${COMMIT}:dataset/ground-truth.json`).toString());
const used = new Set(
  JSON.parse(readFileSync(join(root, 'tests/fixtures/pages/real/index.json'), 'utf8'))
    .filter((p) => p.source.repo === 'scrapinghub/product-extraction-benchmark')
    .map((p) => p.source.path.split('/').pop().split('.')[0]),
);

/** The annotation as one decimal string, or null when it reads two ways. */
function amountOf(text) {
  const t = text.replace(/[\s\u00a0]/g, '');
  if (/^\d+$/.test(t)) return t;
  if (/^\d{1,3}([.,]\d{3})+$/.test(t)) return null;
  const m = /^([\d.,]*\d)[.,](\d{1,2})$/.exec(t);
  if (m) return `${m[1].replace(/[.,]/g, '')}.${m[2]}`;
  return null;
}

/** Matches the amount as a page may print it (see the header). */
function pattern(amount) {
  const [whole, cents] = amount.split('.');
  const digits = [...whole].join("[.,\\s'\\u00a0]?");
  const tail = cents && /[1-9]/.test(cents) ? `(?:[.,]|\\s)*${cents}` : '';
  return new RegExp(`(?<![\\d.,])${digits}${tail}(?!\\d)`);
}

const escape = (s) => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t');
const rows = { dev: [], frozen: [] };
let dropped = 0;
for (const key of Object.keys(truth).sort()) {
  const t = truth[key];
  if (used.has(key) || !t.price || t.price.length !== 1) continue;
  const amount = amountOf(t.price[0]);
  if (amount === null) {
    dropped += 1;
    continue;
  }
  const sign = (t.currency ?? [])[0]?.trim();
  if (!sign) continue;
  const currency = SIGN[sign] ?? '';
  const signRe = new RegExp(
    (/^[A-Za-z]/.test(sign) ? '(?<![A-Za-z])' : sign === '$' ? '(?<![A-Za-z])' : '') +
      sign.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    'i',
  );
  const html = gunzipSync(git('show', `${COMMIT}:dataset/html/${key}.html.gz`)).toString('utf8');
  const $ = cheerio.load(html);
  $('script, style, noscript, template, head').remove();
  const re = pattern(amount);
  const texts = [];
  $('body *').each((_, el) => {
    if (texts.length >= 3) return false;
    const text = $(el).text().replace(/\s+/g, ' ').trim();
    if (text.length > 80 || !re.test(text) || !signRe.test(text)) return undefined;
    // The smallest element: none of its children writes the amount alone.
    const inner = $(el).children().toArray().some((c) => re.test($(c).text().replace(/\s+/g, ' ')));
    if (!inner && !texts.includes(text)) texts.push(text);
    return undefined;
  });
  const split = parseInt(key.slice(0, 2), 16) % 2 ? 'frozen' : 'dev';
  const host = new URL(t.url).host;
  for (const text of texts) {
    rows[split].push([escape(text), '', '', amount, currency, `${key.slice(0, 10)}:${host} shop`].join('\t'));
  }
}
const header = 'text\tcurrency_hint\tdecimal_separator\tamount\tcurrency\tnote';
for (const split of ['dev', 'frozen']) {
  const out = join(root, `tests/fixtures/eval/prices-zyte-${split}.tsv`);
  writeFileSync(out, [header, ...rows[split]].join('\n') + '\n');
  console.log(`${out}: ${rows[split].length} rows`);
}
console.log(`pages dropped for an annotation that reads two ways: ${dropped}`);
