// The report inbox page: a thin client of /api/inbox (docs/reports-api.md).
// Everything from a report is a stranger's text, so it only ever goes into
// the page as textContent, never as HTML.

const KEY = 'genuine.inboxToken';
const PAGE = 50;
/** @type {(sel: string) => HTMLElement & Partial<HTMLInputElement>} */
const $ = (sel) => document.querySelector(sel);
let offset = 0;

function status(text, isError = false) {
  $('#status').textContent = text;
  $('#status').classList.toggle('error', isError);
}

async function api(path, options = {}) {
  const token = sessionStorage.getItem(KEY);
  const res = await fetch(`/api/inbox/${path}`, {
    ...options,
    headers: { ...options.headers, Authorization: `Bearer ${token}` },
  });
  if (res.status === 401 || res.status === 503) {
    const body = await res.json().catch(() => ({}));
    if (res.status === 401) logout();
    throw new Error(body.message || `the server answered ${res.status}`);
  }
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw new Error(body.message || `the server answered ${res.status}`);
  }
  return res;
}

function filters() {
  const q = new URLSearchParams();
  for (const name of ['state', 'platform', 'brand']) {
    const value = $(`#filters [name=${name}]`).value.trim();
    if (value) q.set(name, value);
  }
  return q;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text ?? '';
  if (className) td.className = className;
  return td;
}

function storeCell(row, r) {
  const td = cell(row, '');
  const name = document.createElement(/^https?:\/\//.test(r.url) ? 'a' : 'span');
  name.textContent = `${r.store_name} (${r.platform}${r.store_id ? ` ${r.store_id}` : ''})`;
  if (name instanceof HTMLAnchorElement) {
    name.href = r.url;
    name.rel = 'noopener noreferrer';
    name.target = '_blank';
  }
  td.append(name);
  if (r.product_title) td.append(document.createElement('br'), r.product_title);
}

function decideCell(row, r) {
  const td = cell(row, '');
  const note = document.createElement('input');
  note.type = 'text';
  note.setAttribute('aria-label', `Note on ${r.reference}`);
  note.placeholder = 'note (optional)';
  td.append(note);
  for (const [state, label] of [['confirmed', 'Confirm'], ['rejected', 'Reject']]) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.setAttribute('aria-label', `${label} ${r.reference}`);
    b.addEventListener('click', () => decide(r, state, note.value));
    td.append(b);
  }
  if (r.has_screenshot) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = 'Screenshot';
    b.setAttribute('aria-label', `Screenshot of ${r.reference}`);
    b.addEventListener('click', () => showScreenshot(r));
    td.append(b);
  }
}

function render(data) {
  const body = /** @type {HTMLTableSectionElement} */ (document.querySelector('#reports tbody'));
  body.replaceChildren();
  for (const r of data.reports) {
    const row = body.insertRow();
    cell(row, r.reference);
    cell(row, r.received_at);
    storeCell(row, r);
    cell(row, r.verdict?.brand);
    cell(row, `${r.category.replace('_', ' ')} (verdict: ${r.verdict?.level})`);
    cell(row, r.note, 'note');
    cell(row, r.state + (r.state_note ? `: ${r.state_note}` : ''), `state-${r.state}`);
    decideCell(row, r);
  }
  const last = Math.min(offset + data.reports.length, data.total);
  $('#count').textContent = data.total
    ? `${offset + 1}–${last} of ${data.total} reports`
    : 'No reports match.';
  $('#prev').disabled = offset === 0;
  $('#next').disabled = last >= data.total;
}

async function load() {
  const q = filters();
  q.set('limit', String(PAGE));
  q.set('offset', String(offset));
  try {
    const res = await api(`reports?${q}`);
    render(await res.json());
    $('#login').hidden = true;
    $('#inbox').hidden = false;
    status('');
  } catch (e) {
    status(`Could not load the inbox: ${e.message}`, true);
  }
}

async function decide(r, state, note) {
  try {
    await api(`reports/${encodeURIComponent(r.id)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ state, note: note || undefined }),
    });
    status(`${r.reference} is now ${state}.`);
    await load();
  } catch (e) {
    status(`Could not change ${r.reference}: ${e.message}`, true);
  }
}

async function showScreenshot(r) {
  try {
    const blob = await (await api(`reports/${encodeURIComponent(r.id)}/screenshot`)).blob();
    const img = $('#shot img');
    if (img.src) URL.revokeObjectURL(img.src);
    img.src = URL.createObjectURL(blob);
    img.alt = `Screenshot the shopper sent with ${r.reference}`;
    $('#shot figcaption').textContent = `${r.reference}: ${r.store_name}`;
    $('#shot').hidden = false;
    $('#shot-close').focus();
  } catch (e) {
    status(`Could not load the screenshot: ${e.message}`, true);
  }
}

// Exports need the Authorization header, which a plain link cannot send.
async function download(path) {
  const platform = $('#filters [name=platform]').value;
  const sep = path.includes('?') ? '&' : '?';
  try {
    const res = await api(platform && path.startsWith('export') ? `${path}${sep}platform=${platform}` : path);
    const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '')?.[1]
      || 'genuine-confirmed.json';
    const a = document.createElement('a');
    a.href = URL.createObjectURL(await res.blob());
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  } catch (e) {
    status(`Could not download: ${e.message}`, true);
  }
}

function logout() {
  sessionStorage.removeItem(KEY);
  $('#inbox').hidden = true;
  $('#login').hidden = false;
  $('#token').value = '';
  $('#token').focus();
}

$('#login').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem(KEY, $('#token').value.trim());
  offset = 0;
  load();
});
$('#filters').addEventListener('submit', (e) => {
  e.preventDefault();
  offset = 0;
  load();
});
$('#prev').addEventListener('click', () => { offset = Math.max(0, offset - PAGE); load(); });
$('#next').addEventListener('click', () => { offset += PAGE; load(); });
$('#logout').addEventListener('click', () => { logout(); status('The token is forgotten.'); });
$('#shot-close').addEventListener('click', () => { $('#shot').hidden = true; });
for (const b of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-download]'))) {
  b.addEventListener('click', () => download(b.dataset.download));
}
if (sessionStorage.getItem(KEY)) load();
