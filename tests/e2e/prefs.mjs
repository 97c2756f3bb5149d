// The user's own settings in the real extension (Chromium): the language
// chosen in options (banner, popup and the core's reasons follow it, and
// "the browser's language" brings English back), and pausing on a site from
// the popup (the banner goes at once, nothing is read on reload, options lists
// the site, and resuming brings the warning back), and the banner by keyboard.
import { join } from 'node:path';
import { poll, sleep } from './helpers.mjs';
import * as chromiumDriver from './chromium.mjs';

const PAGE = 'https://detail.tmall.com/demo/tmall/lookalike.html';
const HOST = 'detail.tmall.com';

/** The banner once `want` holds for it, else the last one seen (null: none) after `ms`. */
async function bannerWithin(page, ms, want = (b) => b) {
  let b = null;
  await poll(async () => want((b = await chromiumDriver.banner(page))), { ms });
  return b;
}

export async function prefs(root, port, report) {
  const check = (name, ok, detail) => report('chromium', 'settings', name, ok, detail);
  const { context, worker, extensionId } = await chromiumDriver.launch(join(root, 'dist/chrome'), port);
  try {
    const page = await context.newPage();
    const options = await context.newPage();
    const optionsUrl = `chrome-extension://${extensionId}/options.html`;
    const tabOf = (url) => chromiumDriver.tabFor(worker, url);

    // Language.
    await options.goto(optionsUrl);
    await options.waitForSelector('body[data-ready]');
    await Promise.all([options.waitForEvent('load'), options.selectOption('#language', 'zh_CN')]);
    await options.waitForSelector('body[data-ready]');
    const heading = await options.locator('#language-h').textContent();
    check('options page switches to 简体中文', heading === '语言', heading);
    await page.goto(PAGE);
    const zh = await bannerWithin(page, 15000);
    check('banner and reasons in 简体中文', /可能不是/.test(zh?.text ?? '') && /看起来像奥罗拉健康官方旗舰店/.test(zh?.text ?? ''), zh?.text);
    const tabId = await tabOf(PAGE);
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
    await popup.waitForSelector('body[data-ready]');
    const popupText = await popup.locator('main').innerText();
    check('popup in 简体中文', /店铺：天猫 上的/.test(popupText) && /看起来像/.test(popupText), popupText.split('\n').slice(0, 3).join(' / '));
    await Promise.all([options.waitForEvent('load'), options.selectOption('#language', '')]);
    await options.waitForSelector('body[data-ready]');
    await page.reload();
    const en = await bannerWithin(page, 15000, (b) => /Looks like/.test(b?.text ?? ''));
    check("back to the browser's language", /Looks like 奥罗拉健康官方旗舰店/.test(en?.text ?? ''), en?.text);

    // Pause on this site, from the popup.
    await popup.reload();
    await popup.waitForSelector('body[data-ready]');
    const label = await popup.locator('#pause').textContent();
    check('popup offers to pause here', label === `Pause on ${HOST}`, label);
    await popup.click('#pause');
    const gone = await bannerWithin(page, 5000, (b) => !b);
    const badge = await worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
    check('paused: banner and badge go at once', gone === null && badge === '', `banner ${JSON.stringify(gone?.text ?? null)}, badge ${JSON.stringify(badge)}`);
    await page.reload();
    await sleep(2500);
    const after = await chromiumDriver.banner(page);
    const read = await tabOf(PAGE);
    check('paused: nothing read on reload', after === null && Number.isNaN(read), `banner ${after?.level ?? 'none'}, verdict kept: ${!Number.isNaN(read)}`);
    await options.reload();
    await options.waitForSelector('body[data-ready]');
    const listed = await options.locator('#paused').innerText();
    check('options lists the paused site', listed.includes(HOST), listed);
    await options.getByRole('button', { name: `Resume on ${HOST}` }).click();
    const back = await bannerWithin(page, 15000);
    check('resumed from options: the warning is back', back?.level === 'danger', back?.text);

    // By keyboard alone: Tab reaches the banner's buttons inside its closed
    // root (the accessibility tree says which has focus), Enter works them.
    await page.bringToFront();
    const cdp = await context.newCDPSession(page);
    const focused = async () => {
      const { nodes } = await cdp.send('Accessibility.getFullAXTree');
      // The document itself counts as focused too; the element is the other one.
      const hits = nodes.filter((n) => n.role?.value !== 'RootWebArea' && n.properties?.some((p) => p.name === 'focused' && p.value?.value));
      return hits.at(-1)?.name?.value ?? null;
    };
    const path = [];
    for (let i = 0; i < 30 && path.at(-1) !== 'I trust this store…'; i++) {
      await page.keyboard.press('Tab');
      path.push(await focused());
    }
    // On a danger, Enter opens Genuine's own window; trusting is confirmed there.
    await page.keyboard.press('Enter');
    const confirm = await poll(() => context.pages().find((p) => p.url().includes('confirm=trust')), { ms: 5000 });
    if (confirm) {
      await confirm.waitForSelector('body[data-ready]');
      await confirm.keyboard.press('Tab');
      await confirm.focus('#trust');
      await confirm.keyboard.press('Enter');
    }
    const trusted = await bannerWithin(page, 5000, (b) => /You chose to trust/.test(b?.text ?? ''));
    await cdp.detach();
    check('keyboard: Tab to the banner, Enter opens the confirm window, Enter there trusts', Boolean(confirm) && /You chose to trust/.test(trusted?.text ?? ''), `focus went ${path.filter(Boolean).join(' → ')}`);
  } finally {
    await context.close();
  }
}
