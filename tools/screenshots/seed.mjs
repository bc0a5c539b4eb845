#!/usr/bin/env node
// Fills a fresh Sanayicin cluster with the demo data of demo-data.mjs over
// the public API, as its users would: accounts, business profiles,
// conversations with messages, read receipts, reports of a spammer's
// messages, and the spammer banned by the administrator.
//
//   node seed.mjs --base http://127.0.0.1:PORT --out demo.json
//
// The administrator (made beforehand with `sanayicind user create --admin`)
// logs in with SANAYICIN_CONSOLE_USER / SANAYICIN_CONSOLE_PASSWORD.
// demo.json gets every account's id and token and the conversations, for
// traffic.mjs and web.mjs. Runs again on the same data without harm: a taken
// username logs in, a conversation that exists is returned, a message with a
// client_msg_id already stored is not stored twice.

import fs from 'node:fs';
import { parseArgs } from 'node:util';
import {
  BAN_REASON, CUSTOMERS, DIALOGUES, PASSWORD, REPORT_REASONS, SPAM, SPAMMER, TRADESMEN,
} from './demo-data.mjs';
import { api } from './client.mjs';

const { values: opt } = parseArgs({ options: { base: { type: 'string' }, out: { type: 'string' } } });
if (!opt.base || !opt.out) {
  console.error('usage: node seed.mjs --base URL --out FILE');
  process.exit(2);
}
const base = opt.base.replace(/\/$/, '');
const log = (...a) => console.log('[seed]', ...a);

async function account(u) {
  const body = { username: u.username, password: PASSWORD, display_name: u.display_name, role: u.role };
  let r = await api(base, 'POST', '/auth/register', null, body, [201, 409]);
  if (r.status === 409) r = await api(base, 'POST', '/auth/login', null, { username: u.username, password: PASSWORD });
  return { ...u, id: r.data.user.id, token: r.data.token };
}

async function send(conv, from, body, n) {
  return api(base, 'POST', `/conversations/${conv}/messages`, from.token,
    { body, client_msg_id: `seed-${conv}-${n}` }, [200, 201]);
}

async function main() {
  const admin = await api(base, 'POST', '/auth/login', null,
    { username: process.env.SANAYICIN_CONSOLE_USER, password: process.env.SANAYICIN_CONSOLE_PASSWORD });
  const tradesmen = [];
  for (const u of TRADESMEN) {
    const a = await account(u);
    await api(base, 'PUT', '/me/profile', a.token, u.profile);
    tradesmen.push(a);
  }
  const customers = [];
  for (const u of CUSTOMERS) customers.push(await account(u));
  log(`${tradesmen.length} tradesmen, ${customers.length} customers`);

  // Each tradesman talks with two customers; the chat follows his trade and
  // stops at a different point in each, so some wait for an answer.
  const conversations = [];
  for (const [i, t] of tradesmen.entries()) {
    for (const k of [0, 1]) {
      const c = customers[(2 * i + k) % customers.length];
      const conv = await api(base, 'POST', '/conversations', c.token, { peer_id: t.id }, [200, 201]);
      const lines = DIALOGUES[t.profile.category] || DIALOGUES['Oto Mekanik'];
      const upto = k === 0 ? lines.length : Math.max(2, lines.length - 2 - (i % 3));
      let last = null;
      for (let n = 0; n < upto; n++) {
        last = await send(conv.data.id, n % 2 === 0 ? c : t, lines[n], n);
      }
      // The tradesman has read what the customer wrote in most chats.
      if ((i + k) % 3 !== 2 && last) {
        await api(base, 'POST', `/conversations/${conv.data.id}/read`, t.token, { message_id: last.data.id }, [204]);
      }
      conversations.push({ id: conv.data.id, customer: c.username, tradesman: t.username });
    }
  }
  log(`${conversations.length} conversations`);

  // A threat, reported by the tradesman who got it.
  const angry = customers.find((c) => c.username === 'serkan_avci');
  const osman = tradesmen.find((t) => t.username === 'usta_osman');
  const conv = await api(base, 'POST', '/conversations', angry.token, { peer_id: osman.id }, [200, 201]);
  await send(conv.data.id, angry, 'Dün yaptığınız iş yine bozuldu, ev karanlıkta kaldı.', 0);
  await send(conv.data.id, osman, 'Geçmiş olsun, bugün ücretsiz bakarım. Saat kaçta evdesiniz?', 1);
  const threat = await send(conv.data.id, angry,
    'Bu ne biçim iş! Paramı geri vermezsen dükkânını her yerde rezil ederim, bilmiş ol.', 2);
  await api(base, 'POST', `/messages/${threat.data.id}/report`, osman.token, { reason: 'Tehdit ve hakaret içeren mesaj' }, [202]);
  conversations.push({ id: conv.data.id, customer: angry.username, tradesman: osman.username });

  // The spammer writes to three tradesmen; each reports it; the
  // administrator bans the account.
  const spammer = await account(SPAMMER);
  let reports = 1;
  for (const [j, t] of tradesmen.slice(2, 5).entries()) {
    const sc = await api(base, 'POST', '/conversations', spammer.token, { peer_id: t.id }, [200, 201]);
    const m = await send(sc.data.id, spammer, SPAM, 0);
    await api(base, 'POST', `/messages/${m.data.id}/report`, t.token, { reason: REPORT_REASONS[j % REPORT_REASONS.length] }, [202]);
    reports += 1;
  }
  await api(base, 'POST', `/admin/users/${spammer.id}/ban`, admin.data.token, { reason: BAN_REASON }, [204]);
  log(`${reports} reports, ${spammer.username} banned`);

  const users = [...tradesmen, ...customers].map(({ username, id, role, token, display_name }) => ({ username, id, role, token, display_name }));
  fs.writeFileSync(opt.out, JSON.stringify({ password: PASSWORD, users, conversations, banned: spammer.username }, null, 2));
  log(`wrote ${opt.out}`);
}

main().catch((err) => {
  console.error(`[seed] ${err.message}`);
  process.exit(1);
});
