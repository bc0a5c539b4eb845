#!/usr/bin/env node
// Live demo traffic for tools/screenshots.sh: the demo users of demo.json
// (seed.mjs) online over WebSockets, typing and writing to each other in
// their conversations, reading what they get, a few of them coming and
// going. Loopback only; stops by itself after --duration seconds (and on
// SIGTERM), closing every socket.
//
//   node --experimental-websocket traffic.mjs --base http://127.0.0.1:PORT \
//       --demo demo.json [--duration 120] [--rate 6] [--calm USER]
//
// --rate is messages per second on average; it swings between a third and
// five thirds of that over a minute so that the console's charts move.
// --calm leaves the conversations of that user alone (they stay as seeded,
// readable in the web page's pictures); the user is online all the same.

import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { LIVE_CUSTOMER, LIVE_TRADESMAN } from './demo-data.mjs';

const { values: opt } = parseArgs({
  options: {
    base: { type: 'string' }, demo: { type: 'string' },
    duration: { type: 'string', default: '120' }, rate: { type: 'string', default: '6' },
    calm: { type: 'string', default: '' },
  },
});
const duration = Number(opt.duration);
const rate = Number(opt.rate);
if (!opt.base || !opt.demo || !(duration > 0 && duration <= 3600) || !(rate > 0 && rate <= 200)) {
  console.error('usage: node --experimental-websocket traffic.mjs --base URL --demo FILE [--duration 1-3600] [--rate 1-200]');
  process.exit(2);
}
if (!new URL(opt.base).hostname.match(/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/)) {
  console.error('traffic.mjs: --base must be a loopback address');
  process.exit(2);
}
const wsUrl = opt.base.replace(/^http/, 'ws').replace(/\/$/, '') + '/ws';
const demo = JSON.parse(fs.readFileSync(opt.demo, 'utf8'));
const log = (...a) => console.log('[traffic]', ...a);
const lively = demo.conversations.filter((c) => c.customer !== opt.calm && c.tradesman !== opt.calm);

const sockets = new Set();
const counts = { sent: 0, acked: 0, received: 0, errors: 0, opened: 0 };
let stopping = false;
let serial = 0;

// One WebSocket of a user; `ready` once hello came.
function open(user) {
  const ws = new WebSocket(wsUrl);
  const conn = { user, ws, ready: false };
  sockets.add(conn);
  ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token: user.token }));
  ws.onmessage = (ev) => {
    let f;
    try { f = JSON.parse(ev.data); } catch { return; }
    if (f.type === 'hello') { conn.ready = true; counts.opened += 1; }
    else if (f.type === 'ack') counts.acked += 1;
    else if (f.type === 'error') counts.errors += 1;
    else if (f.type === 'message' && f.message) {
      counts.received += 1;
      // Read it a moment later, as a person would.
      setTimeout(() => frame(conn, { type: 'read', conversation_id: f.message.conversation_id, message_id: f.message.id }),
        500 + Math.random() * 2000);
    }
  };
  ws.onclose = () => sockets.delete(conn);
  ws.onerror = () => {};
  return conn;
}

function frame(conn, f) {
  if (conn.ready && conn.ws.readyState === WebSocket.OPEN) conn.ws.send(JSON.stringify(f));
}

function connOf(username) {
  for (const c of sockets) if (c.user.username === username && c.ready) return c;
  return null;
}

const pick = (a) => a[Math.floor(Math.random() * a.length)];

// One exchange: someone types for a second or two, then sends.
function speak() {
  const conv = pick(lively);
  const fromTradesman = Math.random() < 0.5;
  const who = fromTradesman ? conv.tradesman : conv.customer;
  const conn = connOf(who);
  if (!conn) return;
  frame(conn, { type: 'typing', conversation_id: conv.id });
  setTimeout(() => {
    if (stopping) return;
    frame(conn, {
      type: 'send', conversation_id: conv.id, client_msg_id: `demo-${process.pid}-${++serial}`,
      body: pick(fromTradesman ? LIVE_TRADESMAN : LIVE_CUSTOMER),
    });
    counts.sent += 1;
  }, 800 + Math.random() * 1200);
}

const people = demo.users.filter((u) => u.username !== demo.banned);
for (const u of people) open(u);
// Tradesmen keep the app open on a second device too.
for (const u of people.filter((p) => p.role === 'tradesman')) open(u);

const started = Date.now();
let nextAt = Date.now();
const ticker = setInterval(() => {
  const now = Date.now();
  const swing = 1 + (2 / 3) * Math.sin((2 * Math.PI * (now - started)) / 60_000);
  while (nextAt <= now) {
    speak();
    nextAt += 1000 / (rate * swing);
  }
}, 50);

// Someone closes the app, and comes back a little later.
const churn = setInterval(() => {
  const c = pick([...sockets].filter((s) => s.user.role === 'customer'));
  if (!c) return;
  c.ws.close(1000);
  setTimeout(() => { if (!stopping) open(c.user); }, 3000 + Math.random() * 5000);
}, 7000);

const report = setInterval(() => log(JSON.stringify({ open: sockets.size, ...counts })), 10_000);

function stop(why) {
  if (stopping) return;
  stopping = true;
  clearInterval(ticker);
  clearInterval(churn);
  clearInterval(report);
  log(`stopping (${why}): ${JSON.stringify({ open: sockets.size, ...counts })}`);
  for (const c of sockets) c.ws.close(1000);
  setTimeout(() => process.exit(0), 1000).unref();
}

setTimeout(() => stop(`${duration} s passed`), duration * 1000);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => stop(sig));
log(`${people.length} users, ${sockets.size} sockets to ${wsUrl}, ${rate} msg/s for ${duration} s`);
if (!people.length || !lively.length) stop('no users or conversations');
