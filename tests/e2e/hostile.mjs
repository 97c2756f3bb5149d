// A hostile page against the banner (issue 12, part 4), in Chromium and
// Firefox, on the danger look-alike demo page. The page's own script:
//  - lays a fake green "official" box over the banner (pointer-events: none)
//    and waits for the shopper's real click on what is under it: that click
//    must not trust the store (the badge stays "!"), only open Genuine's own
//    window, where trusting is confirmed;
//  - removes the banner, hides it with attributes or a stylesheet, or puts
//    its own element after it: the banner comes back, visible.
// And a robot-check page (Chromium): nothing judged, the popup says why.
import { join } from 'node:path';
import { poll } from './helpers.mjs';
import * as chromiumDriver from './chromium.mjs';
import * as firefoxDriver from './firefox.mjs';

const PAGE = '/demo/amazon/lookalike.html';
const HOST = 'www.amazon.com';

// What the page does, as strings run in the page's own world.
const ATTACKS = {
  overlay: `const fake = document.createElement('div');
    fake.id = 'fake';
    fake.textContent = '✓ Official store — verified by Genuine';
    fake.style.cssText = 'position:fixed;top:0;left:0;right:0;height:200px;z-index:2147483647;background:#dafbe1;pointer-events:none';
    document.documentElement.append(fake);`,
  remove: `document.querySelector('genuine-banner')?.remove();`,
  attribute: `document.querySelector('genuine-banner')?.setAttribute('style', 'display:none !important');`,
  stylesheet: `const s = document.createElement('style');
    s.textContent = 'genuine-banner { display: none !important; visibility: hidden !important; }';
    document.head.append(s);`,
};
// Is the banner in the page, last, and taking room on screen?
const VISIBLE = `const h = document.querySelector('genuine-banner');
  if (!h) return 'gone';
  if (h.nextSibling) return 'not last';
  const r = h.getBoundingClientRect();
  return r.height > 0 && getComputedStyle(h).visibility !== 'hidden' ? 'visible' : 'hidden';`;

export async function hostileSuite(root, port, report) {
  await chromium(root, port, (name, ok, detail) => report('chromium', 'hostile page', name, ok, detail));
  await firefox(root, port, (name, ok, detail) => report('firefox', 'hostile page', name, ok, detail));
}

async function chromium(root, port, check) {
  const { context, worker, extensionId } = await chromiumDriver.launch(join(root, 'dist/chrome'), port);
  try {
    const page = await context.newPage();
    const url = `https://${HOST}${PAGE}`;
    await page.goto(url);
    const b = await poll(() => chromiumDriver.banner(page));
    check('the danger banner is shown', b?.level === 'danger', b?.text);
    const tabId = await chromiumDriver.tabFor(worker, url);
    const badge = () => worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
    const run = (js) => page.evaluate(js);
    const visible = () => page.evaluate(`(() => { ${VISIBLE} })()`);

    await run(ATTACKS.overlay);
    const windows = context.pages().length;
    const clicked = await chromiumDriver.clickBanner(page, 'trust');
    const confirm = await poll(() => context.pages().find((p) => p.url().includes('confirm=trust')));
    const { trusted = {} } = await worker.evaluate(() => chrome.storage.local.get('trusted'));
    check('a real click under a fake overlay trusts nothing', clicked && Object.keys(trusted).length === 0 && (await badge()) === '!', `clicked ${clicked}, trusted ${JSON.stringify(trusted)}, badge ${await badge()}`);
    check('… and opens Genuine’s own window instead', Boolean(confirm) && context.pages().length > windows, confirm?.url());
    if (confirm) {
      await confirm.waitForSelector('body[data-ready]');
      const note = await confirm.locator('#confirm-trust').isVisible();
      await confirm.click('#trust');
      await confirm.waitForFunction(() => !document.getElementById('untrust').hidden);
      const after = await poll(async () => ((await chromiumDriver.banner(page))?.text.includes('You chose to trust') ? chromiumDriver.banner(page) : null));
      check('trusting there is explained, stored, and the banner follows', note && (await badge()) === '✓' && Boolean(after), `${await badge()} / ${after?.text}`);
      await confirm.click('#untrust');
      await confirm.waitForFunction(() => !document.getElementById('trust').hidden);
      await poll(async () => (await chromiumDriver.banner(page))?.level === 'danger' && !(await chromiumDriver.banner(page)).text.includes('You chose'));
      await confirm.close();
    }
    // A page cannot make the background trust a danger either (the content
    // script's own message is refused for a danger).
    for (const name of ['remove', 'attribute', 'stylesheet']) {
      await run(ATTACKS[name]);
      const state = await poll(async () => ((await visible()) === 'visible' ? 'visible' : null), { ms: 3000 });
      check(`banner comes back after the page's ${name}`, state === 'visible', String(await visible()));
    }
    // A page that fights forever: bounded work, and the badge still warns.
    const fight = await page.evaluate(async () => {
      let n = 0;
      const t0 = performance.now();
      while (n < 500 && performance.now() - t0 < 3000) {
        document.querySelector('genuine-banner')?.remove();
        n++;
        await new Promise((r) => setTimeout(r, 0));
      }
      return n;
    });
    check('a page that keeps removing it: bounded, badge still "!"', fight === 500 && (await badge()) === '!', `removed ${fight} times, badge ${await badge()}`);

    // A robot-check page: nothing judged, and the popup says why.
    const gateUrl = `https://${HOST}/demo/amazon/captcha.html`;
    await page.goto(gateUrl);
    const v = await poll(() => chromiumDriver.verdictFor(worker, gateUrl));
    const gateTab = await chromiumDriver.tabFor(worker, gateUrl);
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${gateTab}`);
    await popup.waitForSelector('body[data-ready]');
    const said = await popup.locator('#headline').textContent();
    check('a robot-check page is not judged, and the popup says it could not be read', v?.level === 'none' && Boolean(v?.signals?.unreadable) && /could not read/.test(said), `${v?.level} ${v?.signals?.unreadable} / ${said}`);
    await popup.close();
  } finally {
    await context.close();
  }
}

async function firefox(root, port, check) {
  const ff = await firefoxDriver.launch(join(root, 'dist/genuine-firefox.zip'), port);
  try {
    await ff.goto(`${ff.origin(HOST)}${PAGE}`);
    const b = await poll(() => ff.banner());
    check('the danger banner is shown', b?.level === 'danger', b?.text);
    const main = (await ff.wd('GET', '/window/handles'))[0];
    await ff.exec(ATTACKS.overlay);
    await ff.clickBanner('trust');
    const other = await poll(async () => (await ff.wd('GET', '/window/handles')).find((h) => h !== main));
    check('a click on trust under a fake overlay opens Genuine’s own window', Boolean(other), String(other));
    if (other) {
      await ff.wd('POST', '/window', { handle: other });
      const href = await poll(() => ff.exec("return document.body.dataset.ready ? location.href : ''"));
      const noted = await ff.exec("return !document.getElementById('confirm-trust').hidden");
      check('… the popup, asking to confirm', /popup\.html\?tab=\d+&confirm=trust/.test(href) && noted, href);
      await ff.wd('DELETE', '/window');
      await ff.wd('POST', '/window', { handle: main });
    }
    const still = await ff.banner();
    check('nothing trusted from the page', still?.level === 'danger' && !still.text.includes('You chose'), still?.text);
    for (const name of ['remove', 'attribute', 'stylesheet']) {
      await ff.exec(ATTACKS[name]);
      const state = await poll(async () => ((await ff.exec(VISIBLE)) === 'visible' ? 'visible' : null), { ms: 3000 });
      check(`banner comes back after the page's ${name}`, state === 'visible', String(await ff.exec(VISIBLE)));
    }
  } finally {
    await ff.close();
  }
}
