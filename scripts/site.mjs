// make site: the www pages from one layout (www/pages/layout.html: head,
// header, navigation, footer) and each page's own part (www/pages/<page>:
// its <head> lines, a blank line, then what goes in <main>). Written where
// `genuine serve --root www` serves them (www/index.html…, git-ignored like
// www/pkg/), at build time, so a page is whole HTML with no script needed
// to draw its header. The navigation link to the page itself gets
// aria-current="page"; pages in a folder (add/) link back with ../.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const www = join(dirname(fileURLToPath(import.meta.url)), '../www');
const PAGES = ['index.html', 'check.html', 'registry.html', 'brands.html', 'add/index.html'];

/** The page `name` as served: the layout filled with the page's own part. */
function render(layout, name, source) {
  const split = source.indexOf('\n\n');
  if (split < 0) throw new Error(`www/pages/${name}: no blank line after the <head> lines`);
  const root = '../'.repeat(name.split('/').length - 1);
  const html = layout
    .replace('{{head}}', () => source.slice(0, split))
    .replace('{{main}}', () => source.slice(split + 2))
    .replaceAll('{{root}}', root);
  // add/ is reached from a brand's link, not from the navigation.
  return html.replace(`<a href="${root}${name}" `, `<a href="${root}${name}" aria-current="page" `);
}

const layout = readFileSync(join(www, 'pages/layout.html'), 'utf8');
for (const name of PAGES) {
  const out = join(www, name);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, render(layout, name, readFileSync(join(www, 'pages', name), 'utf8')));
}
console.log(`site: ${PAGES.length} pages from www/pages/ into ${relative(process.cwd(), www) || '.'}/`);
