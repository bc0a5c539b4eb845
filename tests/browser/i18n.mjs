#!/usr/bin/env node
// Browser test of the web page's languages (resources/web/i18n*.js):
//
//   cd tests/browser && npm ci && node i18n.mjs /path/to/sanayicind
//
// Checks that the two catalogues have the same keys, no empty values and
// every key the page uses; that a browser context with locale tr-TR gets
// Turkish and en-US (or a language the page lacks) gets English, with
// <html lang> set; that an API error is shown by its code in the page's
// language; that after login, in a conversation, no visible text, placeholder,
// aria-label or title of the Turkish page is an English catalogue string;
// that the switch changes every such string at once (in the same task as the
// change event) and survives a reload. Exit code 0 passed, 1 failed, 2 usage.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import {
  CHROMIUM, CHROMIUM_ARGS, STEP_TIMEOUT_MS, Daemon, StepError, Steps, check, daemonArgument, tail, tid, until,
} from './lib.mjs';

const OVERALL_TIMEOUT_MS = 120_000;
const TRADESMAN = {
  username: 'usta_kaya', password: 'Gizli-Parola-7', display_name: 'Mehmet Kaya', role: 'tradesman',
  profile: { business_name: 'Kaya Kaporta Boya', category: 'Kaporta', city: 'İzmir', district: 'Bornova', description: 'Göçük düzeltme, boya ve cila.' },
};
const CUSTOMER = { username: 'musteri_zeynep', password: 'Baska-Parola-8', display_name: 'Zeynep Çelik' };
const MSG_OUT = 'Merhaba, arka tampon çizildi; ne zaman uğrayabilirim?';
const MSG_IN = 'Yarın öğleden sonra gelin, bakalım.';

const binPath = daemonArgument('i18n.mjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sanayicin-i18n-'));
const log = (...args) => console.log('[i18n-test]', ...args);
const server = new Daemon(binPath, tmp, { log });
let browser = null;
const pages = [];
const pageErrors = [];
const steps = new Steps(log);
const step = (name, fn) => steps.run(name, fn);

async function newPage(locale, viewport = { width: 1280, height: 800 }) {
  const ctx = await browser.newContext({ locale, viewport });
  ctx.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await ctx.newPage();
  page.on('pageerror', (err) => pageErrors.push(`${locale}: ${err.message}`));
  pages.push(page);
  await page.goto(`${server.baseUrl}/`);
  await page.locator(tid('auth-section')).waitFor({ state: 'visible' });
  return page;
}

/* ------------------------------------------------------------------ */
/* What the page shows                                                */

// Every visible string of the page: text nodes, and the placeholder,
// aria-label and title of visible elements. Runs in the page; with lang
// set, switches to it first, in the same task, so that what is read is
// what the switch left.
function pageStrings(lang) {
  if (lang) {
    const select = document.querySelector('[data-test="language"]');
    select.value = lang;
    select.dispatchEvent(new Event('change'));
  }
  const visible = (el) => el.checkVisibility({ checkVisibilityCSS: true });
  const where = (el) => el.closest('[data-test]')?.dataset.test || el.tagName.toLowerCase();
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const s = n.nodeValue.trim();
    const p = n.parentElement;
    if (!s || !p || p.closest('noscript, option') || !visible(p)) continue;
    out.push({ kind: 'text', where: where(p), s });
  }
  for (const el of document.body.querySelectorAll('[placeholder], [aria-label], [title]')) {
    if (!visible(el)) continue;
    for (const a of ['placeholder', 'aria-label', 'title']) {
      const s = (el.getAttribute(a) || '').trim();
      if (s) out.push({ kind: a, where: where(el), s });
    }
  }
  return { lang: document.documentElement.lang, strings: out };
}

const forms = (v) => (typeof v === 'string' ? [v] : Object.values(v));

// A catalogue value as a whole-string pattern ("{x}" matches anything);
// values without a letter outside their parameters say nothing about the
// language and are left out.
function patterns(catalogue) {
  const out = [];
  for (const [key, value] of Object.entries(catalogue)) {
    if (key.startsWith('meta.')) continue;
    for (const f of forms(value)) {
      const literal = f.split(/\{\w+\}/);
      if (!literal.some((part) => /\p{L}/u.test(part))) continue;
      const esc = literal.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      out.push({ key, re: new RegExp(`^${esc.join('.+?')}$`, 'su') });
    }
  }
  return out;
}

function inLanguage(strings, wrong, label) {
  const bad = [];
  for (const e of strings) {
    const hit = wrong.find((p) => p.re.test(e.s));
    if (hit) bad.push(`${e.where} ${e.kind} "${e.s}" (${hit.key})`);
  }
  check(bad.length === 0, `${label}: ${bad.length} strings of the other language:\n  ${bad.join('\n  ')}`);
}

async function textOf(page, name) {
  return ((await page.locator(tid(name)).first().textContent()) ?? '').trim();
}

/* ------------------------------------------------------------------ */

async function main() {
  check(fs.existsSync(CHROMIUM), `${CHROMIUM} not found: install it with "apt-get install -y chromium"`);
  let cat = null; // { en: {...}, tr: {...} } as the page has them
  let trOnly = null;
  let enOnly = null;

  await step('daemon serves the page, its language files and the catalogues', async () => {
    await server.start();
    log(`daemon pid ${server.proc.child.pid} on ${server.baseUrl}, data in ${tmp}`);
    for (const file of ['i18n.js', 'i18n-en.js', 'i18n-tr.js']) {
      const r = await fetch(`${server.baseUrl}/assets/${file}`);
      check(r.status === 200, `GET /assets/${file} answered ${r.status}`);
      check((r.headers.get('content-type') || '').includes('javascript'), `GET /assets/${file}: ${r.headers.get('content-type')}`);
    }
  });

  process.env.TMPDIR = tmp;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });

  const tr = await newPage('tr-TR');

  await step('the catalogues have the same keys, no empty values, and every key the page uses', async () => {
    cat = await tr.evaluate(() => window.SanayicinI18n.catalogues);
    check(cat.en && cat.tr, `catalogues loaded: ${Object.keys(cat || {}).join(', ')}`);
    const problems = [];
    for (const [a, b] of [['en', 'tr'], ['tr', 'en']]) {
      for (const k of Object.keys(cat[a])) if (!(k in cat[b])) problems.push(`${k} is in ${a} but not in ${b}`);
    }
    for (const lang of ['en', 'tr']) {
      for (const [k, v] of Object.entries(cat[lang])) {
        const ok = typeof v === 'string' ? v.trim() !== ''
          : v && typeof v === 'object' && 'other' in v && forms(v).every((f) => typeof f === 'string' && f.trim() !== '');
        if (!ok) problems.push(`${lang} ${k} is empty or malformed: ${JSON.stringify(v)}`);
        const other = cat[lang === 'en' ? 'tr' : 'en'][k];
        if (v && typeof v === 'object' && other && typeof other === 'object' &&
            JSON.stringify(Object.keys(v).sort()) !== JSON.stringify(Object.keys(other).sort())) {
          problems.push(`${k}: plural forms differ`);
        }
      }
    }
    // A Turkish value equal to the English one is an untranslated string,
    // unless it has no words (formats such as "{day} {time}").
    for (const [k, v] of Object.entries(cat.tr)) {
      if (JSON.stringify(v) === JSON.stringify(cat.en[k]) && forms(v).some((f) => /\p{L}/u.test(f.replace(/\{\w+\}/g, '')))) {
        problems.push(`tr ${k} is the English text: ${JSON.stringify(v)}`);
      }
    }
    // Keys named in the markup and as literals in app.js exist.
    const html = await (await fetch(`${server.baseUrl}/`)).text();
    const app = await (await fetch(`${server.baseUrl}/assets/app.js`)).text();
    const prefixes = new Set(Object.keys(cat.en).map((k) => k.split('.')[0]));
    const used = new Set([...html.matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g)].map((m) => m[1]));
    for (const m of app.matchAll(/'([a-z]+\.[A-Za-z_.]+)'/g)) if (prefixes.has(m[1].split('.')[0])) used.add(m[1]);
    check(used.size > 40, `only ${used.size} keys found in the page: the scan is broken`);
    for (const k of used) if (!(k in cat.en)) problems.push(`the page uses ${k}, which no catalogue has`);
    check(problems.length === 0, `catalogue problems:\n  ${problems.join('\n  ')}`);
    trOnly = patterns(Object.fromEntries(Object.entries(cat.tr).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(cat.en[k]))));
    enOnly = patterns(Object.fromEntries(Object.entries(cat.en).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(cat.tr[k]))));
  });

  await step('locale tr-TR gets Turkish, en-US and de-DE get English, with <html lang>', async () => {
    const en = await newPage('en-US');
    const de = await newPage('de-DE');
    for (const [page, lang] of [[tr, 'tr'], [en, 'en'], [de, 'en']]) {
      const got = await page.evaluate(pageStrings);
      check(got.lang === lang, `<html lang> is "${got.lang}", expected ${lang}`);
      check((await textOf(page, 'show-login')) === cat[lang]['auth.showLogin'],
        `show-login reads "${await textOf(page, 'show-login')}" in a ${lang} page`);
      check((await page.locator(tid('language')).inputValue()) === lang, `the switch does not show ${lang}`);
      inLanguage(got.strings, lang === 'tr' ? enOnly : trOnly, `login page in ${lang}`);
    }
  });

  await step('times, numbers and plurals follow the language', async () => {
    const got = await tr.evaluate(() => {
      const I = window.SanayicinI18n;
      const now = new Date();
      const at = (days, h) => new Date(now.getFullYear(), now.getMonth(), now.getDate() - days, h, 5).toISOString();
      const sample = () => ({
        today: I.time(at(0, 0)), yesterday: I.time(at(1, 14)), old: I.time(at(40, 9)),
        one: I.t('search.found', { count: 1 }), many: I.t('search.found', { count: 2 }),
        big: I.t('chat.tooLong', { count: 4000 }),
      });
      const out = { tr: sample() };
      I.setLang('en', { remember: false });
      out.en = sample();
      I.setLang('tr', { remember: false });
      return out;
    });
    check(got.tr.today === '00:05' && got.en.today === '12:05 AM', `today: ${got.tr.today} / ${got.en.today}`);
    check(got.tr.yesterday === 'Dün 14:05' && got.en.yesterday === 'Yesterday 02:05 PM', `yesterday: ${got.tr.yesterday} / ${got.en.yesterday}`);
    check(got.tr.old !== got.en.old && /\d/.test(got.tr.old), `a date 40 days ago: ${got.tr.old} / ${got.en.old}`);
    check(got.en.one === '1 tradesman found.' && got.en.many === '2 tradesmen found.' && got.tr.many === '2 usta bulundu.',
      `plurals: ${JSON.stringify([got.en.one, got.en.many, got.tr.many])}`);
    check(got.tr.big.includes('4.000') && got.en.big.includes('4,000'), `numbers: ${got.tr.big} / ${got.en.big}`);
  });

  await step('a wrong password is shown by its code, in Turkish, and follows a switch', async () => {
    await tr.locator(tid('login-username')).fill(CUSTOMER.username);
    await tr.locator(tid('login-password')).fill('yanlis-parola-1');
    await tr.locator(tid('login-submit')).click();
    const m = tr.locator(tid('auth-message'));
    await until('the refusal on the login form', async () => (await m.getAttribute('data-code')) === 'unauthorized');
    check((await textOf(tr, 'auth-message')) === cat.tr['error.login.unauthorized'], `auth-message reads "${await textOf(tr, 'auth-message')}"`);
    await tr.locator(tid('language')).selectOption('en');
    check((await textOf(tr, 'auth-message')) === cat.en['error.login.unauthorized'], `after the switch: "${await textOf(tr, 'auth-message')}"`);
    await tr.locator(tid('language')).selectOption('tr');
    check((await textOf(tr, 'auth-message')) === cat.tr['error.login.unauthorized'], 'switching back did not bring Turkish back');
  });

  await step('in a conversation, no visible string of the Turkish page is English', async () => {
    const { profile, ...account } = TRADESMAN;
    const reg = await server.api('POST', '/auth/register', null, account);
    check(reg.status === 201, `registering the tradesman: ${reg.status} ${JSON.stringify(reg.data)}`);
    const tok = reg.data.token;
    const prof = await server.api('PUT', '/me/profile', tok, profile);
    check(prof.status === 200, `the tradesman's profile: ${prof.status}`);
    await tr.locator(tid('show-register')).click();
    await tr.locator(tid('reg-username')).fill(CUSTOMER.username);
    await tr.locator(tid('reg-password')).fill(CUSTOMER.password);
    await tr.locator(tid('reg-display-name')).fill(CUSTOMER.display_name);
    await tr.locator(tid('reg-submit')).click();
    await tr.locator(tid('app-section')).waitFor({ state: 'visible' });
    await until('online', async () => (await tr.locator(tid('conn-status')).getAttribute('data-state')) === 'online');
    await tr.locator(tid('search-q')).fill('kaporta');
    await tr.locator(tid('search-submit')).click();
    const result = tr.locator(`${tid('search-result')}[data-user-id="${reg.data.user.id}"]`);
    await result.waitFor({ state: 'visible' });
    await result.locator(tid('search-result-chat')).click();
    await tr.locator(tid('chat-main')).waitFor({ state: 'visible' });
    const convId = Number(await tr.locator(tid('chat-main')).getAttribute('data-conversation-id'));
    await tr.locator(tid('composer-input')).fill(MSG_OUT);
    await tr.locator(tid('composer-send')).click();
    await until('the message acknowledged', async () =>
      (await tr.locator(`${tid('message')}[data-mine="true"]`).getAttribute('data-state')) === 'sent');
    const reply = await server.api('POST', `/conversations/${convId}/messages`, tok, { body: MSG_IN, client_msg_id: 'i18n-1' });
    check(reply.status === 201, `the tradesman's reply: ${reply.status}`);
    await until('the reply on the page', async () => (await tr.locator(`${tid('message')}[data-mine="false"]`).count()) === 1);
    const got = await tr.evaluate(pageStrings);
    check(got.lang === 'tr', `<html lang> is ${got.lang}`);
    inLanguage(got.strings, enOnly, 'Turkish page in a conversation');
    const has = (s) => got.strings.some((e) => e.s === s);
    for (const k of ['conn.online', 'session.logout', 'search.title', 'conv.title', 'chat.send', 'msg.sent']) {
      check(has(cat.tr[k]), `"${cat.tr[k]}" (${k}) is not on the Turkish page`);
    }
    check(has(cat.tr['search.found'].one.replace('{count}', '1')), 'the search summary is not Turkish');
    check(got.strings.some((e) => e.kind === 'placeholder' && e.s === cat.tr['chat.composerPlaceholder']), 'the composer placeholder is not Turkish');
    log(`${got.strings.length} visible strings checked`);
  });

  await step('the switch changes every visible string at once and survives a reload', async () => {
    const before = await tr.evaluate(pageStrings);
    const after = await tr.evaluate(pageStrings, 'en');
    check(after.lang === 'en', `<html lang> after the switch: ${after.lang}`);
    inLanguage(after.strings, trOnly, 'right after the switch to English');
    const trCount = before.strings.filter((e) => trOnly.some((p) => p.re.test(e.s))).length;
    const changed = after.strings.filter((e) => enOnly.some((p) => p.re.test(e.s))).length;
    check(trCount > 15 && changed >= trCount,
      `${trCount} Turkish catalogue strings before the switch, ${changed} English ones after`);
    check((await tr.evaluate(() => localStorage.getItem('sanayicin.lang'))) === 'en', 'the choice is not in localStorage');
    await tr.reload();
    await tr.locator(tid('app-section')).waitFor({ state: 'visible' });
    await until('online after the reload', async () => (await tr.locator(tid('conn-status')).getAttribute('data-state')) === 'online');
    const reloaded = await tr.evaluate(pageStrings);
    check(reloaded.lang === 'en', `after a reload in a tr-TR browser, <html lang> is ${reloaded.lang}`);
    check((await textOf(tr, 'conn-status')) === cat.en['conn.online'], `conn-status reads "${await textOf(tr, 'conn-status')}"`);
    inLanguage(reloaded.strings, trOnly, 'English page after a reload');
    const back = await tr.evaluate(pageStrings, 'tr');
    inLanguage(back.strings, enOnly, 'switched back to Turkish');
  });

  await step('no uncaught errors in the pages', async () => {
    check(pageErrors.length === 0, `uncaught page errors:\n  ${pageErrors.join('\n  ')}`);
  });
}

async function finish(err) {
  clearTimeout(overall);
  setTimeout(() => { console.error('[i18n-test] cleanup hung; exiting'); process.exit(1); }, 30_000).unref();
  if (err) {
    console.error(`[i18n-test] FAILED in step "${steps.current}": ${err instanceof StepError ? err.message : err.stack}`);
    for (const [i, page] of pages.entries()) {
      const file = path.join(tmp, `failure-${i}.png`);
      await page.screenshot({ path: file, fullPage: true, timeout: 5000 }).then(() => console.error(`[i18n-test] screenshot: ${file}`), () => {});
    }
    console.error(`[i18n-test] daemon log: ${server.logPath}\n${tail(server.logPath, 20)}`);
  }
  if (browser) await Promise.race([browser.close().catch(() => {}), sleep(10_000)]);
  await server.stop();
  if (!err) fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`i18n: ${steps.passed} passed, ${err ? 1 : 0} failed`);
  process.exit(err ? 1 : 0);
}

const overall = setTimeout(() => finish(new StepError(`overall timeout of ${OVERALL_TIMEOUT_MS / 1000} s exceeded`)), OVERALL_TIMEOUT_MS);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => finish(new StepError(`interrupted by ${sig}`)));
main().then(() => finish(null), (e) => finish(e || new Error('unknown failure')));
