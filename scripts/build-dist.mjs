// extension/ → dist/chrome and dist/firefox (folders and .zip files).
// Browser differences live here and nowhere else: Chrome takes the service
// worker, Firefox the module background script and its gecko settings.
// The content script's host list is made from the site profiles, so a profile
// added in data/profiles.json is a host the extension reads.
import { readFileSync, writeFileSync, mkdirSync, rmSync, cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { deflateRawSync, deflateSync, crc32 } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'extension');
const out = join(root, 'dist');

for (const need of ['pkg/genuine_bg.wasm', 'pkg/genuine.js', 'registry/default.signed', 'keys/default.pub']) {
  if (!existsSync(join(src, need))) {
    console.error(`build-dist: extension/${need} is missing; run \`make wasm registry\` first`);
    process.exit(1);
  }
}

function matches() {
  const profiles = JSON.parse(readFileSync(join(root, 'data/profiles.json'), 'utf8'));
  const set = new Set();
  for (const p of profiles) {
    for (const h of p.hosts ?? []) {
      if (h.includes('/') || h === '*') continue; // path-scoped or generic: not a host to list
      set.add(`*://${h}/*`);
      set.add(`*://*.${h}/*`);
    }
  }
  // The demo shop pages, as `make demo` serves them.
  set.add('http://127.0.0.1/demo/*');
  set.add('http://localhost/demo/*');
  return [...set].sort();
}

// The pinned registry of this build: where updates come from, the key that must
// have signed them, and the copy shipped inside (used until one verifies).
// The demo build reads the registry `make demo` serves. `inbox` is where a
// report goes when the registry names no inbox for the brand concerned; the
// demo build sends to the inbox `make demo` serves.
function config() {
  return {
    inbox: process.env.GENUINE_INBOX_URL ?? 'http://127.0.0.1:8080/api/reports',
    sources: [
      {
        id: 'default',
        name: 'Genuine demo registry',
        url: process.env.GENUINE_REGISTRY_URL ?? 'http://127.0.0.1:8080/registry/demo.signed',
        key_file: 'keys/default.pub',
        bundled: 'registry/default.signed',
      },
    ],
  };
}

function manifest(browser) {
  const m = JSON.parse(readFileSync(join(src, 'manifest.json'), 'utf8'));
  m.content_scripts[0].matches = matches();
  if (browser === 'chrome') {
    m.background = { service_worker: m.background.service_worker, type: 'module' };
    delete m.browser_specific_settings;
  } else {
    m.background = { scripts: m.background.scripts, type: 'module' };
  }
  return m;
}

// A plain PNG encoder for the toolbar icons: a shield-green disc with a check
// mark, drawn at each size so small icons stay crisp. No image tools needed.
function icon(size) {
  const px = Buffer.alloc(size * (size * 4 + 1));
  const c = size / 2, r = size / 2 - 0.5;
  const seg = (x, y, ax, ay, bx, by) => {
    const dx = bx - ax, dy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(x - ax - t * dx, y - ay - t * dy);
  };
  const w = Math.max(1.2, size * 0.09);
  for (let y = 0; y < size; y++) {
    px[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const fx = x + 0.5, fy = y + 0.5;
      const inside = Math.max(0, Math.min(1, r - Math.hypot(fx - c, fy - c) + 0.5));
      const d = Math.min(seg(fx, fy, size * 0.28, size * 0.52, size * 0.44, size * 0.68), seg(fx, fy, size * 0.44, size * 0.68, size * 0.74, size * 0.34));
      const tick = Math.max(0, Math.min(1, w - d + 0.5));
      const i = y * (size * 4 + 1) + 1 + x * 4;
      const [R, G, B] = [26 + (255 - 26) * tick, 127 + (255 - 127) * tick, 55 + (255 - 55) * tick];
      px.set([Math.round(R), Math.round(G), Math.round(B), Math.round(255 * inside)], i);
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4); ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(px)), chunk('IEND', Buffer.alloc(0))]);
}

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

// A minimal zip writer (deflate, no extras): stores and browsers read it, and
// it spares a fresh machine the `zip` package.
function zip(dir, file) {
  const local = [], central = [];
  let offset = 0;
  for (const path of files(dir).sort()) {
    const name = Buffer.from(relative(dir, path).split('\\').join('/'));
    const data = readFileSync(path);
    const body = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0); head.writeUInt16LE(20, 4); head.writeUInt16LE(0x0800, 6); head.writeUInt16LE(8, 8);
    head.writeUInt32LE(0x00210000, 10); // a fixed DOS time (1980-01-01): same inputs, same zip
    head.writeUInt32LE(crc, 14); head.writeUInt32LE(body.length, 18); head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(name.length, 26);
    local.push(head, name, body);
    const cen = Buffer.alloc(46);
    cen.writeUInt32LE(0x02014b50, 0); cen.writeUInt16LE(20, 4); cen.writeUInt16LE(20, 6); cen.writeUInt16LE(0x0800, 8); cen.writeUInt16LE(8, 10);
    cen.writeUInt32LE(0x00210000, 12); cen.writeUInt32LE(crc, 16); cen.writeUInt32LE(body.length, 20); cen.writeUInt32LE(data.length, 24);
    cen.writeUInt16LE(name.length, 28); cen.writeUInt32LE(offset, 42);
    central.push(cen, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(central.length / 2, 8); end.writeUInt16LE(central.length / 2, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  writeFileSync(file, Buffer.concat([...local, cd, end]));
}

const SKIP = new Set(['manifest.json', 'pkg/.gitignore', 'pkg/package.json', 'pkg/genuine.d.ts', 'pkg/genuine_bg.wasm.d.ts']);
for (const browser of ['chrome', 'firefox']) {
  const dir = join(out, browser);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(src, dir, { recursive: true, filter: (p) => !SKIP.has(relative(src, p)) });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest(browser), null, 2) + '\n');
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config(), null, 2) + '\n');
  mkdirSync(join(dir, 'icons'), { recursive: true });
  for (const s of [16, 32, 48, 128]) writeFileSync(join(dir, 'icons', `${s}.png`), icon(s));
  zip(dir, join(out, `genuine-${browser}.zip`));
  console.log(`dist/${browser}/ and dist/genuine-${browser}.zip`);
}
