#!/usr/bin/env node
// Screenshots of the web page for tools/screenshots.sh, in Turkish and
// English, through Debian's Chromium (playwright-core from tests/browser):
// the login form, a conversation, and a search beside it, as a demo customer of
// demo.json sees them while the demo traffic runs.
//
//   node web.mjs --base http://127.0.0.1:PORT --demo demo.json --out docs/images
//
// Writes OUT/web-{login,search,chat}-{tr,en}.png (1280x800).

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(new URL('../../tests/browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const { CHROMIUM, CHROMIUM_ARGS, tid } = await import('../../tests/browser/lib.mjs');

const { values: opt } = parseArgs({
  options: {
    base: { type: 'string' }, demo: { type: 'string' }, out: { type: 'string' },
    user: { type: 'string', default: 'ayse_yilmaz' }, peer: { type: 'string', default: 'usta_ahmet' },
    search: { type: 'string', default: 'elektrik' },
  },
});
if (!opt.base || !opt.demo || !opt.out) {
  console.error('usage: node web.mjs --base URL --demo FILE --out DIR [--user NAME] [--peer NAME] [--search TEXT]');
  process.exit(2);
}
const demo = JSON.parse(fs.readFileSync(opt.demo, 'utf8'));
const peer = demo.users.find((u) => u.username === opt.peer);
if (!peer) throw new Error(`no demo user ${opt.peer}`);
fs.mkdirSync(opt.out, { recursive: true });
const log = (...a) => console.log('[web-shots]', ...a);

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
try {
  for (const [lang, locale] of [['tr', 'tr-TR'], ['en', 'en-US']]) {
    const ctx = await browser.newContext({ locale, viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    ctx.setDefaultTimeout(20_000);
    const page = await ctx.newPage();
    const shot = async (name) => {
      const file = path.join(opt.out, `web-${name}-${lang}.png`);
      await page.screenshot({ path: file });
      log(file);
    };
    await page.goto(`${opt.base}/`);
    await page.locator(tid('auth-section')).waitFor({ state: 'visible' });
    await page.locator(tid('login-username')).fill(opt.user);
    await page.locator(tid('login-password')).fill(demo.password);
    await shot('login');

    await page.locator(tid('login-submit')).click();
    await page.locator(tid('app-section')).waitFor({ state: 'visible' });
    await page.locator(`${tid('conn-status')}[data-state="online"]`).waitFor();
    await page.locator(tid('conversation-item')).first().waitFor();
    await page.locator(`${tid('conversation-item')}:has(${tid('conversation-name')}:text-is("${peer.display_name}"))`).click();
    await page.locator(`${tid('message')}`).first().waitFor();
    await page.locator(`${tid('chat-peer-online')}[data-online="true"]`).waitFor().catch(() => log('peer not shown online'));
    await page.waitForTimeout(2000); // a few seconds of live traffic in the list
    await shot('chat');

    // The search beside the open chat.
    await page.locator(tid('search-q')).fill(opt.search);
    await page.locator(tid('search-submit')).click();
    await page.locator(tid('search-result')).first().waitFor();
    await shot('search');
    await ctx.close();
  }
} finally {
  await browser.close();
}
