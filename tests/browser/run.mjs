#!/usr/bin/env node
// Browser test of the web page served by sanayicind.
//
//   cd tests/browser && npm ci && node run.mjs /path/to/sanayicind
//
// Starts the daemon on a free port with a fresh SQLite database in a temp
// folder, drives Debian's Chromium (/usr/bin/chromium, or $CHROMIUM_PATH)
// through playwright-core with two browser contexts (a tradesman on a desktop
// width, a customer on a phone width) and checks the whole chat path: register,
// profile, Turkish case-insensitive search, conversation, live messages,
// pending -> ack, unread counts, typing, read receipts, reconnect after a
// daemon restart (close 1001) with sync and no duplicates, and the return to
// the login form on close 4001. Exits 0 when every step passed, 1 otherwise
// (after saving screenshots into the temp folder and printing their paths),
// 2 on bad usage. No test runner; no browser download. With
// BROWSER_TEST_SCREENSHOTS=<dir> it also saves screenshots of both pages
// at a few points (search, chat, end) there, to look at.
// The daemon inherits the environment, so SANAYICIN_WEB_ROOT=resources/web
// makes it serve the page from the source tree instead of its built-in copy
// (handy while editing the page without rebuilding).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import {
  CHROMIUM, CHROMIUM_ARGS, STEP_TIMEOUT_MS, Daemon, StepError, Steps, check, daemonArgument, tail, tid, until,
} from './lib.mjs';

const OVERALL_TIMEOUT_MS = 120_000;

const T = {
  username: 'usta_isik',
  password: 'Gizli-Parola-1',
  displayName: 'Ahmet Işık',
  profile: {
    business_name: 'Işık Oto Elektrik',
    category: 'Oto Elektrik',
    city: 'İstanbul',
    district: 'Kadıköy',
    description: 'Akü, marş motoru ve şarj dinamosu arızaları; yerinde servis.',
  },
};
const C = { username: 'musteri_ayse', password: 'Baska-Parola-2', displayName: 'Ayşe Yılmaz' };
const SEARCH_QUERY = 'IŞIK'; // upper case with dotless I: must find "Işık Oto Elektrik"

const MSG1 = 'Merhaba, aracımın aküsü bitti. Yarın sabah bakabilir misiniz? 🚗';
const MSG2 = 'Tabii, <b>saat 9\'da</b> & "dükkândayım" <img src=x onerror="window.__xss=1">';
const MSG3 = 'Sunucu kapalıyken yazdım, beklemede kalmalı.';
const MSG4 = 'Yeniden bağlandıktan sonra ikinci mesaj.';

/* ------------------------------------------------------------------ */

const binPath = daemonArgument('run.mjs');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sanayicin-browser-'));
let baseUrl = '';
let browser = null;
const pages = {};
const pageErrors = [];
const consoleErrors = []; // printed only on failure: expected refusals are noise
let finished = false;

function log(...args) { console.log('[browser-test]', ...args); }

// The daemon inherits this process's environment (SANAYICIN_WEB_ROOT, say).
const server = new Daemon(binPath, tmp, { log });
const daemonLogPath = server.logPath;
const startDaemon = () => server.start();
const stopDaemon = () => server.stop();

const steps = new Steps(log);
const step = (name, fn) => steps.run(name, fn);

/* ------------------------------------------------------------------ */
/* Page helpers                                                       */

// Frames each page sent, per socket: { name: [[frame, ...], ...] }.
const sentFrames = {};
// Every WebSocket event of both pages, printed (the tail) on failure.
const wireLog = [];

function attachDiagnostics(name, page) {
  sentFrames[name] = [];
  page.on('websocket', (ws) => {
    const frames = [];
    sentFrames[name].push(frames);
    wireLog.push(`${name} #${sentFrames[name].length} open ${ws.url()}`);
    ws.on('framesent', (ev) => {
      wireLog.push(`${name} #${sentFrames[name].length} -> ${String(ev.payload).slice(0, 300)}`);
      try { frames.push(JSON.parse(ev.payload)); } catch { frames.push({ unparsable: String(ev.payload) }); }
    });
    ws.on('framereceived', (ev) => {
      wireLog.push(`${name} #${sentFrames[name].length} <- ${String(ev.payload).slice(0, 300)}`);
    });
    ws.on('close', () => wireLog.push(`${name} #${sentFrames[name].length} closed`));
  });
  page.on('pageerror', (err) => {
    pageErrors.push(`${name}: ${err.message}`);
    log(`${name} page error: ${err.message}`);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`${name}: ${msg.text()}`);
  });
}

// With BROWSER_TEST_SCREENSHOTS=<dir>, saves both pages as <dir>/<label>-<page>.png.
async function snap(label) {
  const dir = process.env.BROWSER_TEST_SCREENSHOTS;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, page] of Object.entries(pages)) {
    await page.screenshot({ path: path.join(dir, `${label}-${name}.png`), fullPage: true, timeout: 5000 }).catch(() => {});
  }
}

async function text(page, selector) {
  return (await page.locator(selector).first().textContent()) ?? '';
}

async function isVisible(page, name) {
  return page.locator(tid(name)).first().isVisible();
}

async function token(page) {
  return page.evaluate(() => sessionStorage.getItem('sanayicin.token'));
}

// Every message element in the open chat, as plain data.
async function chatMessages(page) {
  return page.locator(`${tid('message-list')} ${tid('message')}`).evaluateAll((nodes) => nodes.map((n) => ({
    id: n.dataset.messageId ? Number(n.dataset.messageId) : null,
    cid: n.dataset.clientMsgId || null,
    mine: n.dataset.mine === 'true',
    state: n.dataset.state,
    body: n.querySelector('[data-test="message-body"]').textContent,
  })));
}

async function findMessage(page, body) {
  return (await chatMessages(page)).find((m) => m.body === body);
}

async function register(page, user, role) {
  await page.locator(tid('show-register')).click();
  await page.locator(tid('reg-username')).fill(user.username);
  await page.locator(tid('reg-password')).fill(user.password);
  await page.locator(tid('reg-display-name')).fill(user.displayName);
  await page.locator(tid('reg-role')).selectOption(role);
  await page.locator(tid('reg-submit')).click();
}

const api = (method, urlPath, tok, body) => server.api(method, urlPath, tok, body);

/* ------------------------------------------------------------------ */
/* The scenario                                                       */

async function main() {
  check(fs.existsSync(binPath), `daemon binary not found: ${binPath}`);
  check(fs.existsSync(CHROMIUM), `${CHROMIUM} not found: install it with "apt-get install -y chromium"`);

  await step('daemon starts and answers /healthz', async () => {
    await startDaemon();
    baseUrl = server.baseUrl;
    log(`daemon pid ${server.proc.child.pid} on ${baseUrl}, data in ${tmp}`);
  });

  await step('GET / serves the page and its assets', async () => {
    const res = await fetch(`${baseUrl}/`);
    check(res.status === 200, `GET / answered ${res.status}`);
    check((res.headers.get('content-type') || '').includes('text/html'),
      `GET / has content type ${res.headers.get('content-type')}, expected text/html`);
    for (const [file, type] of [['app.js', 'javascript'], ['style.css', 'text/css']]) {
      const r = await fetch(`${baseUrl}/assets/${file}`);
      check(r.status === 200, `GET /assets/${file} answered ${r.status}`);
      check((r.headers.get('content-type') || '').includes(type),
        `GET /assets/${file} has content type ${r.headers.get('content-type')}, expected one with ${type}`);
    }
  });

  // Chromium's profile goes into our temp folder (Playwright makes a fresh
  // --user-data-dir per launch and removes it on close).
  process.env.TMPDIR = tmp;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
  const ctxT = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'tr-TR' });
  const ctxC = await browser.newContext({ viewport: { width: 390, height: 800 }, locale: 'tr-TR' });
  for (const ctx of [ctxT, ctxC]) ctx.setDefaultTimeout(STEP_TIMEOUT_MS);
  const pt = await ctxT.newPage();
  const pc = await ctxC.newPage();
  pages.tradesman = pt;
  pages.customer = pc;
  attachDiagnostics('tradesman', pt);
  attachDiagnostics('customer', pc);

  let tradesmanId = 0;
  let conversationId = 0;

  await step('tradesman registers and gets a live connection', async () => {
    await pt.goto(`${baseUrl}/`);
    await pt.locator(tid('auth-section')).waitFor({ state: 'visible' });
    await register(pt, T, 'tradesman');
    await pt.locator(tid('app-section')).waitFor({ state: 'visible' });
    const who = await text(pt, tid('current-user'));
    check(who.includes(T.displayName), `current-user shows "${who}", expected it to contain "${T.displayName}"`);
    await until('tradesman conn-status to be online',
      async () => (await pt.locator(tid('conn-status')).getAttribute('data-state')) === 'online');
    const tok = await token(pt);
    check(tok && tok.length >= 16, 'no token in sessionStorage after registering');
    const me = await api('GET', '/me', tok);
    check(me.status === 200 && me.data.username === T.username, `GET /me with the page's token: ${me.status} ${JSON.stringify(me.data)}`);
    tradesmanId = me.data.id;
    check(await isVisible(pt, 'profile-section'), 'the profile form is not shown to a tradesman');
  });

  await step('tradesman fills the profile (Turkish text)', async () => {
    const f = T.profile;
    await pt.locator(tid('profile-business-name')).fill(f.business_name);
    await pt.locator(tid('profile-category')).fill(f.category);
    await pt.locator(tid('profile-city')).fill(f.city);
    await pt.locator(tid('profile-district')).fill(f.district);
    await pt.locator(tid('profile-description')).fill(f.description);
    await pt.locator(tid('profile-save')).click();
    await until('profile-status to say saved', async () =>
      (await pt.locator(tid('profile-status')).getAttribute('data-state')) === 'saved');
    const p = await api('GET', `/tradesmen/${tradesmanId}`);
    check(p.status === 200, `GET /tradesmen/${tradesmanId} answered ${p.status}`);
    for (const k of Object.keys(f)) {
      check(p.data[k] === f[k], `profile field ${k} is ${JSON.stringify(p.data[k])}, expected ${JSON.stringify(f[k])}`);
    }
  });

  await step('customer sees the server error for a taken username', async () => {
    await pc.goto(`${baseUrl}/`);
    await pc.locator(tid('auth-section')).waitFor({ state: 'visible' });
    await register(pc, { ...C, username: T.username }, 'customer');
    // The page shows the error by its code, in the page's language.
    await until('auth-message with the conflict error', async () => {
      if (!(await isVisible(pc, 'auth-message'))) return false;
      const m = await text(pc, tid('auth-message'));
      return (await pc.locator(tid('auth-message')).getAttribute('data-code')) === 'conflict' && m.trim() ? m : false;
    });
    check(!(await isVisible(pc, 'app-section')), 'the app opened although registration failed');
  });

  await step('customer registers', async () => {
    await pc.locator(tid('reg-username')).fill(C.username);
    await pc.locator(tid('reg-submit')).click();
    await pc.locator(tid('app-section')).waitFor({ state: 'visible' });
    check((await text(pc, tid('current-user'))).includes(C.displayName), 'current-user does not show the customer');
    check(!(await isVisible(pc, 'profile-section')), 'the profile form is shown to a customer');
    await until('customer conn-status to be online',
      async () => (await pc.locator(tid('conn-status')).getAttribute('data-state')) === 'online');
  });

  await step(`customer searches "${SEARCH_QUERY}" and finds the tradesman`, async () => {
    await pc.locator(tid('search-q')).fill(SEARCH_QUERY);
    await pc.locator(tid('search-submit')).click();
    const result = pc.locator(tid('search-result'), { hasText: T.profile.business_name });
    await until(`a search result "${T.profile.business_name}"`, async () => (await result.count()) === 1);
    const uid = Number(await result.getAttribute('data-user-id'));
    check(uid === tradesmanId, `search result has data-user-id ${uid}, expected ${tradesmanId}`);
    const place = await text(pc, `${tid('search-result')}[data-user-id="${tradesmanId}"] ${tid('search-result-place')}`);
    check(place.includes('İstanbul'), `search result place "${place}" does not name İstanbul`);
    await snap('search');
  });

  await step('customer opens a conversation with the tradesman', async () => {
    await pc.locator(`${tid('search-result')}[data-user-id="${tradesmanId}"] ${tid('search-result-chat')}`).click();
    await pc.locator(tid('chat-main')).waitFor({ state: 'visible' });
    const title = await text(pc, tid('chat-title'));
    check(title === T.displayName, `chat-title is "${title}", expected "${T.displayName}"`);
    conversationId = Number(await pc.locator(tid('chat-main')).getAttribute('data-conversation-id'));
    check(conversationId > 0, 'chat-main has no data-conversation-id');
    const item = pc.locator(`${tid('conversation-item')}[data-conversation-id="${conversationId}"]`);
    check((await item.count()) === 1, 'the conversation is not in the customer\'s list');
    check(!(await pc.locator(tid('search-section')).isVisible()), 'phone width: the sidebar should give way to the open chat');
    // Presence is shared only once both see the conversation (docs/protocol.md).
    check((await pc.locator(tid('chat-peer-online')).getAttribute('data-online')) !== 'true',
      'an empty conversation shows whether the tradesman is online');
  });

  await step('customer sends a message: pending, then acknowledged', async () => {
    // Record every state a message element goes through.
    await pc.evaluate(() => {
      window.__states = [];
      const list = document.querySelector('[data-test="message-list"]');
      const seen = () => {
        for (const n of list.querySelectorAll('[data-test="message"]')) window.__states.push(n.dataset.state);
      };
      new MutationObserver(seen).observe(list, { childList: true, subtree: true, attributes: true });
    });
    await pc.locator(tid('composer-input')).fill(MSG1);
    await pc.locator(tid('composer-input')).press('Enter');
    const m = await until('the message to be acknowledged (data-state sent or read, with an id)', async () => {
      const found = await findMessage(pc, MSG1);
      return found && found.id && (found.state === 'sent' || found.state === 'read') ? found : false;
    });
    check(m.mine, 'the sent message is not marked as mine');
    await until('the tradesman to be shown online in the chat header once the conversation has a message',
      async () => (await pc.locator(tid('chat-peer-online')).getAttribute('data-online')) === 'true');
    const states = await pc.evaluate(() => window.__states);
    check(states.includes('pending'), `the message was never shown as pending (states seen: ${[...new Set(states)].join(', ')})`);
    check((await pc.locator(tid('composer-input')).inputValue()) === '', 'the composer was not cleared after sending');
  });

  await step('tradesman sees the new conversation live with an unread count', async () => {
    const item = pt.locator(`${tid('conversation-item')}[data-conversation-id="${conversationId}"]`);
    await until('the conversation to appear in the tradesman\'s list', async () => (await item.count()) === 1);
    await until('unread badge "1"', async () => {
      const badge = item.locator(tid('conversation-unread'));
      return (await badge.isVisible()) && (await badge.textContent()).trim() === '1';
    });
    const last = await item.locator(tid('conversation-last')).textContent();
    check(last.includes(MSG1), `conversation-last is "${last}", expected the message text`);
    const name = await item.locator(tid('conversation-name')).textContent();
    check(name === C.displayName, `conversation-name is "${name}", expected "${C.displayName}"`);
    await until('the customer to be shown online', async () =>
      (await item.locator(tid('conversation-online')).getAttribute('data-online')) === 'true');
    check((await pt.title()).startsWith('(1)'), `page title "${await pt.title()}" does not show 1 unread`);
  });

  await step('tradesman opens it: message shown, unread cleared, customer sees "read"', async () => {
    await pt.locator(`${tid('conversation-item')}[data-conversation-id="${conversationId}"]`).click();
    await until('the customer\'s message in the tradesman\'s chat', async () => {
      const m = await findMessage(pt, MSG1);
      return m && !m.mine && m.state === 'received';
    });
    await until('the unread badge to disappear', async () =>
      !(await pt.locator(`${tid('conversation-item')}[data-conversation-id="${conversationId}"] ${tid('conversation-unread')}`).isVisible()));
    await until('the customer\'s message to be marked read', async () => (await findMessage(pc, MSG1))?.state === 'read');
    const after = await api('GET', `/conversations/${conversationId}`, await token(pt));
    check(after.status === 200 && after.data.unread_count === 0,
      `GET /conversations/${conversationId} for the tradesman: unread_count ${JSON.stringify(after.data && after.data.unread_count)}, expected 0`);
  });

  await step('customer sees the tradesman typing', async () => {
    await pt.locator(tid('composer-input')).pressSequentially('Tabii', { delay: 30 });
    await until('the typing indicator on the customer\'s page', async () =>
      (await isVisible(pc, 'typing-indicator')) &&
      (await pc.locator(tid('typing-indicator')).getAttribute('data-user-id')) === String(tradesmanId) &&
      (await text(pc, tid('typing-indicator'))).includes(T.displayName));
  });

  await step('tradesman replies; the customer sees it live, escaped', async () => {
    await pt.locator(tid('composer-input')).fill(MSG2);
    await pt.locator(tid('composer-send')).click();
    await until('the reply to be acknowledged', async () => {
      const m = await findMessage(pt, MSG2);
      return m && m.id && m.state !== 'pending';
    });
    await until('the reply on the customer\'s page', async () => {
      const m = await findMessage(pc, MSG2);
      return m && !m.mine && m.state === 'received';
    });
    const html = await pc.locator(tid('message-list')).evaluate((n) => ({
      tags: n.querySelectorAll('b, img').length,
      xss: window.__xss === 1,
    }));
    check(html.tags === 0 && !html.xss, 'user text was parsed as HTML on the customer\'s page');
    await until('the typing indicator to go away after the message', async () => !(await isVisible(pc, 'typing-indicator')));
    const badge = pc.locator(`${tid('conversation-item')}[data-conversation-id="${conversationId}"] ${tid('conversation-unread')}`);
    check((await badge.getAttribute('hidden')) !== null, 'a message in the open chat counted as unread');
    await snap('chat');
  });

  await step('tradesman reloads: still logged in, history loaded over HTTP', async () => {
    await pt.reload();
    await pt.locator(tid('app-section')).waitFor({ state: 'visible' });
    await until('tradesman conn-status to be online again',
      async () => (await pt.locator(tid('conn-status')).getAttribute('data-state')) === 'online');
    await pt.locator(`${tid('conversation-item')}[data-conversation-id="${conversationId}"]`).click();
    await until('both messages in the reloaded chat', async () => {
      const ms = await chatMessages(pt);
      return ms.length === 2 && ms[0].body === MSG1 && ms[1].body === MSG2 && ms[1].mine;
    });
  });

  await step('daemon restart: close 1001, pending while down, reconnect, sync, no duplicates', async () => {
    const old = await stopDaemon();
    check(old.exited, 'the daemon did not stop');
    if (old.code !== 0) log(`note: daemon exited with code ${old.code} signal ${old.signal} after SIGTERM (the spec says 0)`);
    for (const [name, page] of [['customer', pc], ['tradesman', pt]]) {
      await until(`${name} to notice the closed connection`, async () =>
        (await page.locator(tid('conn-status')).getAttribute('data-state')) !== 'online');
    }
    // The tradesman's browser goes offline so that it misses the next
    // messages and has to fetch them with sync when it comes back. (Going
    // offline before the close would hide the close frame from the page.)
    await ctxT.setOffline(true);
    await pc.locator(tid('composer-input')).fill(MSG3);
    await pc.locator(tid('composer-send')).click();
    await sleep(300);
    const pending = await findMessage(pc, MSG3);
    check(pending && pending.state === 'pending' && !pending.id,
      `a message sent while the server is down should stay pending, got ${JSON.stringify(pending)}`);

    await startDaemon();
    await until('the customer to reconnect', async () =>
      (await pc.locator(tid('conn-status')).getAttribute('data-state')) === 'online', 40_000);
    await until('the pending message to be sent after the reconnect', async () => {
      const m = await findMessage(pc, MSG3);
      return m && m.id && m.state !== 'pending';
    });
    await pc.locator(tid('composer-input')).fill(MSG4);
    await pc.locator(tid('composer-send')).click();
    await until('the second message to be acknowledged', async () => {
      const m = await findMessage(pc, MSG4);
      return m && m.id && m.state !== 'pending';
    });

    await ctxT.setOffline(false);
    await until('the tradesman to reconnect', async () =>
      (await pt.locator(tid('conn-status')).getAttribute('data-state')) === 'online', 40_000);
    await until('the two missed messages on the tradesman\'s page', async () => {
      const ms = await chatMessages(pt);
      return ms.some((m) => m.body === MSG3) && ms.some((m) => m.body === MSG4);
    });
    await sleep(500); // let any late duplicate arrive before counting
    for (const [name, page] of [['tradesman', pt], ['customer', pc]]) {
      const ms = await chatMessages(page);
      const bodies = ms.map((m) => m.body);
      check(JSON.stringify(bodies) === JSON.stringify([MSG1, MSG2, MSG3, MSG4]),
        `${name} shows ${JSON.stringify(bodies)}, expected the four messages once each, in order`);
      const ids = ms.map((m) => m.id);
      check(ids.every((id) => id > 0) && new Set(ids).size === 4, `${name}: message ids ${JSON.stringify(ids)} are not four distinct ids`);
    }
    // What went over the wire: every socket opened with an auth frame; the
    // tradesman asked for what it missed with sync from the highest id it had
    // seen; the customer resent the pending message with its client_msg_id.
    for (const [name, sockets] of Object.entries(sentFrames)) {
      for (const frames of sockets) {
        if (frames.length) check(frames[0].type === 'auth' && typeof frames[0].token === 'string',
          `${name}: a socket's first frame was ${JSON.stringify(frames[0])}, expected auth`);
      }
    }
    const msg2 = (await chatMessages(pt)).find((m) => m.body === MSG2);
    const syncs = sentFrames.tradesman.flat().filter((f) => f.type === 'sync');
    check(syncs.some((f) => f.after_id === msg2.id),
      `the tradesman did not send sync with after_id ${msg2.id} (syncs sent: ${JSON.stringify(syncs)})`);
    const sends3 = sentFrames.customer.flat().filter((f) => f.type === 'send' && f.body === MSG3);
    check(sends3.length >= 1 && sends3.every((f) => f.client_msg_id === pending.cid && f.conversation_id === conversationId),
      `the customer's resend of the pending message: ${JSON.stringify(sends3)}, expected client_msg_id ${pending.cid}`);
    const hist = await api('GET', `/conversations/${conversationId}/messages?limit=50`, await token(pc));
    check(hist.status === 200 && hist.data.items.length === 4,
      `the server holds ${hist.data && hist.data.items && hist.data.items.length} messages, expected 4 (a resend was stored twice?)`);
  });

  await step('logout elsewhere closes the socket with 4001: back to the login form', async () => {
    const tok = await token(pc);
    const res = await api('POST', '/auth/logout', tok);
    check(res.status === 204, `POST /auth/logout answered ${res.status}`);
    await pc.locator(tid('auth-section')).waitFor({ state: 'visible' });
    await until('a message on the login form that the session ended', async () =>
      (await isVisible(pc, 'auth-message')) && (await text(pc, tid('auth-message'))).trim() !== '' &&
      (await pc.locator(tid('auth-message')).getAttribute('data-reason')) === 'session-ended');
    check(!(await isVisible(pc, 'app-section')), 'the app is still shown after close 4001');
    check((await token(pc)) === null, 'the token is still in sessionStorage after close 4001');
  });

  await step('no uncaught errors in the pages', async () => {
    check(pageErrors.length === 0, `uncaught page errors:\n  ${pageErrors.join('\n  ')}`);
  });
}

/* ------------------------------------------------------------------ */

async function screenshots() {
  const saved = [];
  for (const [name, page] of Object.entries(pages)) {
    const file = path.join(tmp, `failure-${name}.png`);
    try {
      await page.screenshot({ path: file, fullPage: true, timeout: 5000 });
      saved.push(file);
    } catch (err) {
      log(`could not take a screenshot of the ${name} page: ${err.message.split('\n')[0]}`);
    }
  }
  return saved;
}

async function cleanup() {
  if (browser) {
    await Promise.race([browser.close().catch(() => {}), sleep(10_000)]);
    browser = null;
  }
  await stopDaemon();
}

async function finish(err) {
  if (finished) return;
  finished = true;
  setTimeout(() => { console.error('[browser-test] cleanup hung; exiting'); process.exit(1); }, 30_000).unref();
  clearTimeout(overall);
  if (!err) {
    await snap('end');
    await cleanup();
    fs.rmSync(tmp, { recursive: true, force: true });
    log('all steps passed');
    console.log(`browser: ${steps.passed} passed, 0 failed`);
    process.exit(0);
  }
  console.error(`[browser-test] FAILED in step "${steps.current}": ${err && err.stack && !(err instanceof StepError) ? err.stack : err.message}`);
  for (const file of await screenshots()) console.error(`[browser-test] screenshot: ${file}`);
  if (wireLog.length) {
    console.error(`[browser-test] WebSocket traffic (last 40 of ${wireLog.length}):\n  ${wireLog.slice(-40).join('\n  ')}`);
  }
  if (consoleErrors.length) {
    console.error(`[browser-test] browser console errors (last 20):\n  ${consoleErrors.slice(-20).join('\n  ')}`);
  }
  console.error(`[browser-test] daemon log: ${daemonLogPath}\n${tail(daemonLogPath, 30)}`);
  await cleanup();
  console.error(`[browser-test] temp folder kept: ${tmp}`);
  console.log(`browser: ${steps.passed} passed, 1 failed`);
  process.exit(1);
}

const overall = setTimeout(() => {
  finish(new StepError(`overall timeout of ${OVERALL_TIMEOUT_MS / 1000} s exceeded`));
}, OVERALL_TIMEOUT_MS);

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => finish(new StepError(`interrupted by ${sig}`)));
}

main().then(() => finish(null), (err) => finish(err || new Error('unknown failure')));
