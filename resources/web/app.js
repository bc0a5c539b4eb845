/*
 * Sanayicin web client: plain JavaScript, no build step, no dependencies.
 * Talks to the daemon that serves it: HTTP under /api/v1, WebSocket at /ws
 * (see docs/protocol.md). All user-supplied text goes into the page through
 * textContent, never through innerHTML.
 *
 * Stable data-test attributes (tests/browser/run.mjs relies on them):
 *
 *   language (select: tr|en; html[lang] follows it)
 *   session, conn-status[data-state=connecting|online|reconnecting|offline],
 *   reconnect, current-user, logout
 *   error-banner, error-text[data-code], error-dismiss
 *
 *   auth-section, auth-message[data-kind][data-reason][data-code],
 *   show-login, show-register,
 *   login-form, login-username, login-password, login-submit,
 *   register-form, reg-username, reg-password, reg-display-name,
 *   reg-role (select: customer|tradesman), reg-submit
 *
 *   app-section
 *   profile-section (tradesmen only), profile-details, profile-form,
 *   profile-business-name, profile-category, profile-city, profile-district,
 *   profile-description, profile-save, profile-status
 *
 *   search-section, search-form, search-q, search-city, search-category,
 *   search-submit, search-summary, search-results,
 *   search-result[data-user-id], search-result-name, search-result-business,
 *   search-result-place, search-result-online[data-online], search-result-chat
 *
 *   conversations-section, conversation-empty, conversation-list,
 *   conversation-item[data-conversation-id][data-active],
 *   conversation-name, conversation-online[data-online=true|false],
 *   conversation-last, conversation-unread (hidden when 0)
 *
 *   chat-panel, chat-empty, chat-main[data-conversation-id], chat-back,
 *   chat-title, chat-subtitle, chat-peer-online[data-online],
 *   message-list,
 *   message[data-message-id][data-client-msg-id][data-mine=true|false]
 *          [data-state=pending|sent|read|failed|received|deleted],
 *   message-body, message-status,
 *   typing-indicator[data-user-id], composer-form, composer-input, composer-send
 *
 * Every visible string comes from the catalogues (i18n-en.js, i18n-tr.js)
 * through SanayicinI18n (i18n.js): t(key, params) for a string now, a
 * function of it where the text must follow a language switch (el()'s text
 * and attributes, say()).
 */
'use strict';

(() => {
  const API = '/api/v1';
  const TOKEN_KEY = 'sanayicin.token';
  const TYPING_SEND_EVERY_MS = 2500;
  const TYPING_SHOW_MS = 5000;
  const MAX_BODY = 4000;
  const APP_NAME = 'Sanayicin';

  const I18N = window.SanayicinI18n;
  const t = I18N.t;

  const $ = (name) => document.querySelector(`[data-test="${name}"]`);

  // Sets a node's text to a string, or to a function of the language that is
  // evaluated again after every switch.
  const say = (node, value) => I18N.bindText(node, value);

  /* ------------------------------------------------------------------ */
  /* State                                                              */

  const state = {
    token: null,
    me: null,
    conversations: new Map(), // id -> Conversation
    fetchingConv: new Map(),  // id -> Promise
    online: new Map(),        // user id -> bool
    messages: new Map(),      // conversation id -> Map(message id -> Message)
    seen: new Set(),          // every message id shown or stored once
    maxSeenId: 0,
    pending: new Map(),       // client_msg_id -> {conversation_id, body, state, error, created_at}
    peerRead: new Map(),      // conversation id -> highest id a peer has read
    myRead: new Map(),        // conversation id -> highest id we reported read
    typing: new Map(),        // conversation id -> {user_id, timer}
    active: null,             // open conversation id
    lastTypingSent: 0,
    // WebSocket
    ws: null,
    wsReady: false,
    everConnected: false,
    attempt: 0,
    reconnectTimer: null,
    heartbeatTimer: null,
    lastFrameAt: 0,
    heartbeatS: 30,
    syncing: false,
  };

  /* ------------------------------------------------------------------ */
  /* Small helpers                                                      */

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'test') node.dataset.test = v;
      else if (k === 'text') say(node, v);
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else I18N.bindAttr(node, k, v);
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function show(node, visible) { node.hidden = !visible; }

  function codePoints(s) { return [...s].length; }

  function isBlank(s) { return /^[\s\u200b\u2060\ufeff]*$/u.test(s); }

  function newClientMsgId() {
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return 'w-' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  }

  // A time element whose text and title follow the language.
  function timeEl(iso, cls) {
    return el('time', { class: cls, datetime: iso, text: () => I18N.time(iso), title: () => I18N.fullTime(iso) });
  }

  /* ------------------------------------------------------------------ */
  /* Errors                                                             */

  class ApiError extends Error {
    constructor(status, code, message, retryAfter) {
      super(message);
      this.status = status;
      this.code = code;
      this.retryAfter = retryAfter;
    }
  }

  function isNetworkError(err) {
    return err instanceof TypeError && /fetch|network|load failed/i.test(err.message);
  }

  /*
   * The sentence for an error code (docs/protocol.md lists them), in the
   * page's language: "error.<context>.<code>" where a context words it
   * better (a 401 at login is a wrong password), else "error.<code>". A code
   * the page does not know gets the HTTP status's sentence or a general one.
   */
  function errorText(code, { context, status, retryAfter } = {}) {
    let text;
    if (context && I18N.has(`error.${context}.${code}`)) text = t(`error.${context}.${code}`);
    else if (I18N.has(`error.${code}`)) text = t(`error.${code}`);
    else if (status) text = t('error.http', { status });
    else text = t('error.unknown');
    const wait = Number(retryAfter);
    if (code === 'rate_limited' && Number.isFinite(wait) && wait > 0) {
      text += ' ' + t('error.retryIn', { count: wait });
    }
    return text;
  }

  // The code an error is shown by (data-code), and a function giving its text.
  function describeError(err, context) {
    if (err instanceof ApiError) {
      return { code: err.code, text: () => errorText(err.code, { context, status: err.status, retryAfter: err.retryAfter }) };
    }
    if (isNetworkError(err)) return { code: 'network', text: () => t('error.network') };
    if (err && typeof err.key === 'string') return { code: err.key, text: () => t(err.key, err.params) };
    console.error(err);
    return { code: 'unknown', text: () => t('error.unknown') };
  }

  // A page message: a catalogue key (and its parameters) rather than a text.
  const msg = (key, params) => ({ key, params });

  let bannerTimer = null;
  function showError(err, context) {
    const d = describeError(err, context);
    const node = $('error-text');
    say(node, d.text);
    node.dataset.code = d.code;
    show($('error-banner'), true);
    clearTimeout(bannerTimer);
    bannerTimer = setTimeout(() => show($('error-banner'), false), 15000);
  }
  function clearError() {
    clearTimeout(bannerTimer);
    show($('error-banner'), false);
    say($('error-text'), '');
    delete $('error-text').dataset.code;
  }

  /* ------------------------------------------------------------------ */
  /* HTTP                                                               */

  async function api(method, path, body, { auth = true } = {}) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth && state.token) headers.Authorization = `Bearer ${state.token}`;
    const res = await fetch(API + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    let data = null;
    const text = await res.text();
    if (text) {
      try { data = JSON.parse(text); } catch { data = null; }
    }
    if (!res.ok) {
      const e = (data && data.error) || {};
      // The server's own sentence is English and stays out of the page:
      // the code says what happened (errorText).
      const err = new ApiError(res.status, e.code || `http_${res.status}`,
        e.message || `${res.status} ${res.statusText}`,
        res.headers.get('Retry-After'));
      if (res.status === 401 && auth && state.token) {
        goToLogin(msg('auth.sessionEnded'), 'error', 'session-ended');
      }
      throw err;
    }
    return data;
  }

  /* ------------------------------------------------------------------ */
  /* Authentication views                                               */

  function setAuthTab(tab) {
    const login = tab === 'login';
    show($('login-form'), login);
    show($('register-form'), !login);
    $('show-login').setAttribute('aria-selected', String(login));
    $('show-register').setAttribute('aria-selected', String(!login));
  }

  /*
   * The note above the login form: nothing, a page message (msg()) or an
   * error (describeError). data-reason says why in words no language
   * changes (tests and styles read it), data-code the error's code.
   */
  function setAuthMessage(what, kind, reason) {
    const m = $('auth-message');
    delete m.dataset.code;
    delete m.dataset.reason;
    if (!what) {
      say(m, '');
      show(m, false);
      return;
    }
    if (what.key) say(m, () => t(what.key, what.params));
    else {
      say(m, what.text);
      m.dataset.code = what.code;
    }
    if (reason) m.dataset.reason = reason;
    m.dataset.kind = kind || 'info';
    show(m, true);
  }

  function goToLogin(message, kind = 'error', reason) {
    teardown();
    show($('app-section'), false);
    show($('session'), false);
    show($('auth-section'), true);
    setAuthTab('login');
    setAuthMessage(message || null, kind, reason);
  }

  function teardown() {
    state.token = null;
    state.me = null;
    sessionStorage.removeItem(TOKEN_KEY);
    closeSocket();
    clearTimeout(state.reconnectTimer);
    state.reconnectTimer = null;
    for (const t of state.typing.values()) clearTimeout(t.timer);
    state.conversations.clear();
    state.fetchingConv.clear();
    state.online.clear();
    state.messages.clear();
    state.seen.clear();
    state.maxSeenId = 0;
    state.pending.clear();
    state.peerRead.clear();
    state.myRead.clear();
    state.typing.clear();
    state.active = null;
    state.everConnected = false;
    state.attempt = 0;
    $('conversation-list').replaceChildren();
    $('search-results').replaceChildren();
    say($('search-summary'), '');
    $('message-list').replaceChildren();
    say($('profile-status'), '');
    $('profile-form').reset();
    show($('chat-main'), false);
    show($('chat-empty'), true);
    $('app-section').classList.remove('chat-open');
    document.title = APP_NAME;
  }

  async function onLogin(ev) {
    ev.preventDefault();
    const f = ev.target;
    const username = f.username.value.trim();
    const password = f.password.value;
    if (!username || !password) {
      setAuthMessage(msg('auth.loginMissing'), 'error', 'missing');
      return;
    }
    await submitAuth(f, '/auth/login', { username, password }, 'login');
  }

  async function onRegister(ev) {
    ev.preventDefault();
    const f = ev.target;
    const body = {
      username: f.username.value.trim(),
      password: f.password.value,
      display_name: f.display_name.value.trim(),
      role: f.role.value,
    };
    if (!body.username || !body.password || !body.display_name) {
      setAuthMessage(msg('auth.registerMissing'), 'error', 'missing');
      return;
    }
    await submitAuth(f, '/auth/register', body, 'register');
  }

  async function submitAuth(form, path, body, context) {
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    setAuthMessage('');
    try {
      const data = await api('POST', path, body, { auth: false });
      form.reset();
      startSession(data.token, data.user);
    } catch (err) {
      setAuthMessage(describeError(err, context), 'error', 'refused');
    } finally {
      button.disabled = false;
    }
  }

  async function logout() {
    const token = state.token;
    closeSocket();
    try {
      if (token) {
        await fetch(API + '/auth/logout', {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}` },
        });
      }
    } catch { /* leaving anyway */ }
    goToLogin(msg('auth.loggedOut'), 'info', 'logged-out');
  }

  /* ------------------------------------------------------------------ */
  /* Session                                                            */

  function startSession(token, user) {
    state.token = token;
    state.me = user;
    sessionStorage.setItem(TOKEN_KEY, token);
    clearError();
    setAuthMessage('');
    show($('auth-section'), false);
    show($('app-section'), true);
    show($('session'), true);
    const roleKey = `role.${user.role}`;
    say($('current-user'), user.display_name);
    I18N.bindAttr($('current-user'), 'title', () =>
      t('session.who', { username: user.username, role: I18N.has(roleKey) ? t(roleKey) : user.role }));
    show($('profile-section'), user.role === 'tradesman');
    if (user.role === 'tradesman') loadProfile();
    loadConversations().catch(showError);
    connect();
  }

  async function resumeSession() {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) { goToLogin(''); return; }
    state.token = token;
    try {
      const me = await api('GET', '/me');
      startSession(token, me);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return; // already on login
      goToLogin(describeError(err), 'error', 'refused');
    }
  }

  /* ------------------------------------------------------------------ */
  /* Profile (tradesmen)                                                */

  const PROFILE_FIELDS = ['business_name', 'category', 'city', 'district', 'description'];

  async function loadProfile() {
    const me = state.me;
    try {
      const p = await api('GET', `/tradesmen/${me.id}`);
      if (state.me !== me) return;
      const f = $('profile-form');
      for (const k of PROFILE_FIELDS) f[k].value = p[k] || '';
      // A filled-in profile stays folded away on small screens.
      if (p.business_name && window.matchMedia('(max-width: 799px)').matches) {
        $('profile-details').open = false;
      }
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) showError(err);
    }
  }

  async function onSaveProfile(ev) {
    ev.preventDefault();
    const f = ev.target;
    const body = {};
    for (const k of PROFILE_FIELDS) body[k] = f[k].value.trim();
    const status = $('profile-status');
    say(status, () => t('profile.saving'));
    status.dataset.state = 'saving';
    $('profile-save').disabled = true;
    try {
      const p = await api('PUT', '/me/profile', body);
      for (const k of PROFILE_FIELDS) f[k].value = p[k] || '';
      say(status, () => t('profile.saved'));
      status.dataset.state = 'saved';
    } catch (err) {
      say(status, () => t('profile.notSaved'));
      status.dataset.state = 'error';
      showError(err);
    } finally {
      $('profile-save').disabled = false;
    }
  }

  /* ------------------------------------------------------------------ */
  /* Directory search                                                   */

  async function onSearch(ev) {
    ev.preventDefault();
    const f = ev.target;
    const params = new URLSearchParams();
    for (const k of ['q', 'city', 'category']) {
      const v = f[k].value.trim();
      if (v) params.set(k, v);
    }
    params.set('limit', '50');
    const summary = $('search-summary');
    say(summary, () => t('search.searching'));
    $('search-submit').disabled = true;
    try {
      const data = await api('GET', `/tradesmen?${params}`);
      renderResults(data.items || [], data.total ?? (data.items || []).length);
    } catch (err) {
      say(summary, '');
      showError(err);
    } finally {
      $('search-submit').disabled = false;
    }
  }

  function renderResults(items, total) {
    say($('search-summary'), () => {
      if (total === 0) return t('search.none');
      const found = t('search.found', { count: total });
      return items.length < total ? t('search.foundShowing', { found, count: items.length }) : found;
    });
    const list = $('search-results');
    list.replaceChildren(...items.map((p) => {
      const online = state.online.has(p.user_id) ? state.online.get(p.user_id) : !!p.online;
      const place = [p.district, p.city].filter(Boolean).join(', ');
      const isMe = state.me && p.user_id === state.me.id;
      return el('li', { class: 'result', test: 'search-result', 'data-user-id': p.user_id },
        el('div', { class: 'result-head' },
          el('span', { class: 'dot', test: 'search-result-online', 'data-online': String(online), title: onlineTitle(p.user_id, online) }),
          el('strong', { test: 'search-result-business', text: p.business_name || p.display_name }),
        ),
        el('div', { class: 'muted', test: 'search-result-name', text: p.display_name }),
        el('div', { class: 'muted small', test: 'search-result-place', text: [p.category, place].filter(Boolean).join(' · ') }),
        p.description ? el('p', { class: 'small desc', text: p.description }) : null,
        isMe ? el('span', { class: 'muted small', text: () => t('search.thisIsYou') })
          : el('button', { type: 'button', class: 'secondary', test: 'search-result-chat', text: () => t('search.message'), onclick: (e) => openConversationWith(p.user_id, e.currentTarget) }),
      );
    }));
  }

  async function openConversationWith(peerId, button) {
    if (button) button.disabled = true;
    try {
      const conv = await api('POST', '/conversations', { peer_id: peerId });
      upsertConversation(conv);
      renderConversations();
      openConversation(conv.id);
    } catch (err) {
      showError(err);
    } finally {
      if (button) button.disabled = false;
    }
  }

  /* ------------------------------------------------------------------ */
  /* Conversations                                                      */

  function peerOf(conv) {
    const others = (conv.participants || []).filter((p) => !state.me || p.id !== state.me.id);
    return others[0] || (conv.participants || [])[0] || { id: 0, display_name: '', username: '' };
  }

  function peerName(peer) { return peer.display_name || t('conv.unknownPeer'); }

  function isOnline(user) {
    return state.online.has(user.id) ? state.online.get(user.id) : !!user.online;
  }

  // A presence dot's title: reads the current state, so presence changes
  // and a language switch both show in it.
  function onlineTitle(userId, fallback) {
    return () => ((state.online.has(userId) ? state.online.get(userId) : fallback) ? t('presence.online') : t('presence.offline'));
  }

  function activityKey(conv) {
    const t = Date.parse((conv.last_message && conv.last_message.created_at) || conv.created_at);
    return Number.isNaN(t) ? 0 : t;
  }

  function upsertConversation(conv) {
    const old = state.conversations.get(conv.id);
    if (old && old.last_message && conv.last_message && old.last_message.id > conv.last_message.id) {
      conv.last_message = old.last_message; // we already saw a newer one live
    }
    state.conversations.set(conv.id, conv);
    for (const p of conv.participants || []) {
      if (typeof p.online === 'boolean') state.online.set(p.id, p.online);
    }
    if (conv.last_message) noteId(conv.last_message.id);
    if (conv.id === state.active) conv.unread_count = 0;
  }

  async function loadConversations() {
    const me = state.me;
    const items = [];
    for (let offset = 0; offset < 1000; offset += 200) {
      const data = await api('GET', `/conversations?limit=200&offset=${offset}`);
      if (state.me !== me) return;
      items.push(...(data.items || []));
      if (!data.items || data.items.length < 200 || items.length >= (data.total || 0)) break;
    }
    const ids = new Set(items.map((c) => c.id));
    for (const id of [...state.conversations.keys()]) {
      if (!ids.has(id) && id !== state.active) state.conversations.delete(id);
    }
    for (const c of items) upsertConversation(c);
    renderConversations();
    if (state.active) {
      renderChatHeader();
      markActiveRead();
    }
  }

  function fetchConversation(id) {
    if (state.fetchingConv.has(id)) return state.fetchingConv.get(id);
    const me = state.me;
    const p = api('GET', `/conversations/${id}`)
      .then((conv) => {
        if (state.me !== me) return null;
        upsertConversation(conv);
        renderConversations();
        return conv;
      })
      .catch((err) => { showError(err); return null; })
      .finally(() => state.fetchingConv.delete(id));
    state.fetchingConv.set(id, p);
    return p;
  }

  function renderConversations() {
    const convs = [...state.conversations.values()].sort((a, b) => activityKey(b) - activityKey(a) || b.id - a.id);
    show($('conversation-empty'), convs.length === 0);
    let unreadTotal = 0;
    $('conversation-list').replaceChildren(...convs.map((c) => {
      const peer = peerOf(c);
      const online = isOnline(peer);
      const unread = c.id === state.active ? 0 : (c.unread_count || 0);
      unreadTotal += unread;
      const typing = state.typing.has(c.id);
      const last = c.last_message;
      const mineLast = !!(last && state.me && last.sender_id === state.me.id);
      const preview = () => {
        if (typing) return t('conv.typing');
        if (!last) return t('conv.noMessages');
        if (last.deleted) return t('conv.lastRemoved');
        return mineLast ? t('conv.lastMine', { body: last.body }) : last.body;
      };
      return el('li', {},
        el('button', {
          type: 'button',
          class: 'conv' + (c.id === state.active ? ' active' : '') + (unread ? ' has-unread' : ''),
          test: 'conversation-item',
          'data-conversation-id': c.id,
          'data-active': String(c.id === state.active),
          onclick: () => openConversation(c.id),
        },
        el('span', { class: 'dot', test: 'conversation-online', 'data-online': String(online), title: onlineTitle(peer.id, online) }),
        el('span', { class: 'conv-main' },
          el('span', { class: 'conv-top' },
            el('span', { class: 'conv-name', test: 'conversation-name', text: () => peerName(peer) }),
            last ? timeEl(last.created_at, 'muted small') : null,
          ),
          el('span', { class: 'conv-last' + (typing ? ' is-typing' : ''), test: 'conversation-last', text: preview }),
        ),
        el('span', { class: 'badge', test: 'conversation-unread', hidden: unread === 0, 'aria-label': () => t('conv.unread', { count: unread }) }, String(unread)),
        ));
    }));
    document.title = unreadTotal ? `(${unreadTotal}) ${APP_NAME}` : APP_NAME;
  }

  async function openConversation(id) {
    state.active = id;
    state.lastTypingSent = 0;
    const conv = state.conversations.get(id);
    if (conv) conv.unread_count = 0;
    $('app-section').classList.add('chat-open');
    show($('chat-empty'), false);
    show($('chat-main'), true);
    $('chat-main').dataset.conversationId = String(id);
    renderConversations();
    renderChatHeader();
    renderMessages(true);
    renderTyping();
    $('composer-input').focus();
    try {
      await loadMessages(id);
    } catch (err) {
      showError(err);
    }
    if (state.active === id) {
      renderMessages(true);
      markActiveRead();
    }
  }

  function closeConversation() {
    state.active = null;
    $('app-section').classList.remove('chat-open');
    show($('chat-main'), false);
    show($('chat-empty'), true);
    renderConversations();
  }

  async function loadMessages(convId) {
    const me = state.me;
    let after = null;
    for (let page = 0; page < 10; page++) {
      const qs = new URLSearchParams({ limit: '200' });
      if (after !== null) qs.set('after_id', String(after));
      const data = await api('GET', `/conversations/${convId}/messages?${qs}`);
      if (state.me !== me) return;
      const items = data.items || [];
      for (const m of items) addMessage(m, { quiet: true });
      if (!data.has_more || items.length === 0) break;
      const last = items[items.length - 1].id;
      if (after !== null && last <= after) break;
      after = last;
    }
  }

  function noteId(id) {
    if (typeof id === 'number' && id > state.maxSeenId) state.maxSeenId = id;
  }

  function convMessages(convId) {
    let m = state.messages.get(convId);
    if (!m) { m = new Map(); state.messages.set(convId, m); }
    return m;
  }

  /*
   * Stores a message once. Returns true when it is new to this page. A
   * message already seen (by id) is dropped, which is what makes replays
   * after a reconnect harmless.
   */
  function addMessage(m, { quiet = false } = {}) {
    if (!m || typeof m.id !== 'number') return false;
    if (state.me && m.sender_id === state.me.id && m.client_msg_id && state.pending.has(m.client_msg_id)) {
      state.pending.delete(m.client_msg_id);
    }
    if (state.seen.has(m.id)) return false;
    state.seen.add(m.id);
    noteId(m.id);
    convMessages(m.conversation_id).set(m.id, m);
    const conv = state.conversations.get(m.conversation_id);
    if (conv && (!conv.last_message || conv.last_message.id <= m.id)) conv.last_message = m;
    if (!quiet) {
      // A message from this user ends their typing indicator.
      const t = state.typing.get(m.conversation_id);
      if (t && t.user_id === m.sender_id) { clearTimeout(t.timer); state.typing.delete(m.conversation_id); }
    }
    return true;
  }

  function renderChatHeader() {
    const conv = state.conversations.get(state.active);
    if (!conv) return;
    const peer = peerOf(conv);
    const online = isOnline(peer);
    say($('chat-title'), peerName(peer));
    say($('chat-subtitle'), () => {
      const status = online ? t('chat.peerOnline') : t('chat.peerOffline');
      return peer.username ? t('chat.subtitle', { username: peer.username, status }) : status;
    });
    const dot = $('chat-peer-online');
    dot.dataset.online = String(online);
    I18N.bindAttr(dot, 'title', onlineTitle(peer.id, online));
  }

  function messageState(m) {
    const mine = state.me && m.sender_id === state.me.id;
    if (m.deleted) return 'deleted';
    if (!mine) return 'received';
    return (state.peerRead.get(m.conversation_id) || 0) >= m.id ? 'read' : 'sent';
  }

  // The status line under one's own message, by data-state.
  function statusText(st, errorCode) {
    if (st === 'failed') return errorCode ? t('msg.failedBecause', { reason: errorText(errorCode, { context: 'send' }) }) : t('msg.failed');
    if (st === 'pending' || st === 'sent' || st === 'read') return t(`msg.${st}`);
    return '';
  }

  function renderMessages(forceBottom) {
    const convId = state.active;
    const list = $('message-list');
    if (convId === null) { list.replaceChildren(); return; }
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    const stored = [...convMessages(convId).values()].sort((a, b) => (a.seq - b.seq) || (a.id - b.id));
    const nodes = stored.map((m) => {
      const mine = !!state.me && m.sender_id === state.me.id;
      const st = messageState(m);
      return el('li', {
        class: `msg ${mine ? 'mine' : 'theirs'} ${st}`,
        test: 'message',
        'data-message-id': m.id,
        'data-client-msg-id': m.client_msg_id || null,
        'data-mine': String(mine),
        'data-state': st,
      },
      el('div', { class: 'msg-body', test: 'message-body', text: m.deleted ? () => t('msg.removed') : m.body }),
      el('div', { class: 'msg-meta' },
        timeEl(m.created_at),
        mine ? el('span', { class: 'msg-status', test: 'message-status', text: () => statusText(st) }) : null),
      );
    });
    for (const [cid, p] of state.pending) {
      if (p.conversation_id !== convId) continue;
      nodes.push(el('li', {
        class: `msg mine ${p.state}`,
        test: 'message',
        'data-client-msg-id': cid,
        'data-mine': 'true',
        'data-state': p.state,
        'data-error': p.error || null,
        onclick: p.state === 'failed' ? () => retryPending(cid) : null,
      },
      el('div', { class: 'msg-body', test: 'message-body', text: p.body }),
      el('div', { class: 'msg-meta' },
        el('span', { class: 'msg-status', test: 'message-status', text: () => statusText(p.state, p.error) })),
      ));
    }
    list.replaceChildren(...nodes);
    if (forceBottom || nearBottom) list.scrollTop = list.scrollHeight;
  }

  function renderTyping() {
    const ind = $('typing-indicator');
    const typing = state.active !== null && state.typing.get(state.active);
    if (!typing) { show(ind, false); say(ind, ''); delete ind.dataset.userId; return; }
    const conv = state.conversations.get(state.active);
    const who = conv && (conv.participants || []).find((p) => p.id === typing.user_id);
    ind.dataset.userId = String(typing.user_id);
    say(ind, () => (who && who.display_name ? t('chat.typing', { name: who.display_name }) : t('chat.someoneTyping')));
    show(ind, true);
  }

  function markActiveRead() {
    const convId = state.active;
    if (convId === null || document.hidden || !state.me) return;
    const conv = state.conversations.get(convId);
    if (conv && conv.unread_count) { conv.unread_count = 0; renderConversations(); }
    let top = 0;
    for (const m of convMessages(convId).values()) {
      if (m.sender_id !== state.me.id && m.id > top) top = m.id;
    }
    if (!top || top <= (state.myRead.get(convId) || 0)) return;
    state.myRead.set(convId, top);
    if (!wsSend({ type: 'read', conversation_id: convId, message_id: top })) {
      api('POST', `/conversations/${convId}/read`, { message_id: top }).catch(() => {
        state.myRead.set(convId, 0);
      });
    }
  }

  /* ------------------------------------------------------------------ */
  /* Sending                                                            */

  function onCompose(ev) {
    ev.preventDefault();
    const input = $('composer-input');
    const body = input.value;
    if (state.active === null) return;
    if (isBlank(body)) return;
    if (codePoints(body) > MAX_BODY) {
      showError({ key: 'chat.tooLong', params: { count: MAX_BODY } });
      return;
    }
    const cid = newClientMsgId();
    state.pending.set(cid, {
      conversation_id: state.active,
      body,
      state: 'pending',
      error: null,
    });
    input.value = '';
    autoGrow();
    state.lastTypingSent = 0;
    renderMessages(true);
    transmit(cid);
  }

  function transmit(cid) {
    const p = state.pending.get(cid);
    if (!p) return;
    // When the socket is down the message stays pending and goes out again
    // (with the same client_msg_id) as soon as we are connected.
    wsSend({ type: 'send', conversation_id: p.conversation_id, client_msg_id: cid, body: p.body });
  }

  function retryPending(cid) {
    const p = state.pending.get(cid);
    if (!p) return;
    p.state = 'pending';
    p.error = null;
    p.retries = 0;
    renderMessages();
    transmit(cid);
  }

  function onComposerInput() {
    autoGrow();
    if (state.active === null || !state.wsReady) return;
    if (isBlank($('composer-input').value)) return;
    const now = Date.now();
    if (now - state.lastTypingSent < TYPING_SEND_EVERY_MS) return;
    state.lastTypingSent = now;
    wsSend({ type: 'typing', conversation_id: state.active });
  }

  function autoGrow() {
    const t = $('composer-input');
    t.style.height = 'auto';
    t.style.height = Math.min(t.scrollHeight, 160) + 'px';
  }

  /* ------------------------------------------------------------------ */
  /* WebSocket                                                          */

  function setConn(kind, key, params) {
    const s = $('conn-status');
    s.dataset.state = kind;
    say(s, () => t(key, params));
    I18N.bindAttr(s, 'title', () => t(key, params));
    show($('reconnect'), kind === 'reconnecting' || kind === 'offline');
  }

  function wsSend(frame) {
    if (!state.ws || !state.wsReady || state.ws.readyState !== WebSocket.OPEN) return false;
    state.ws.send(JSON.stringify(frame));
    return true;
  }

  function connect() {
    if (!state.token) return;
    clearTimeout(state.reconnectTimer);
    state.reconnectTimer = null;
    closeSocket();
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (err) {
      showError(err);
      scheduleReconnect();
      return;
    }
    state.ws = ws;
    state.wsReady = false;
    setConn('connecting', state.everConnected ? 'conn.reconnecting' : 'conn.connecting');
    ws.onopen = () => {
      if (state.ws !== ws) return;
      ws.send(JSON.stringify({ type: 'auth', token: state.token }));
    };
    ws.onmessage = (ev) => {
      if (state.ws !== ws) return;
      state.lastFrameAt = Date.now();
      let frame;
      try { frame = JSON.parse(ev.data); } catch { return; }
      if (frame && typeof frame.type === 'string') handleFrame(frame);
    };
    ws.onclose = (ev) => onSocketClosed(ws, ev);
    ws.onerror = () => { /* onclose follows and carries the code */ };
  }

  function closeSocket() {
    const ws = state.ws;
    state.ws = null;
    state.wsReady = false;
    clearInterval(state.heartbeatTimer);
    state.heartbeatTimer = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onerror = null;
      ws.onclose = null;
      try { ws.close(1000); } catch { /* already closed */ }
    }
  }

  function onSocketClosed(ws, ev) {
    if (state.ws !== ws) return;
    state.ws = null;
    state.wsReady = false;
    clearInterval(state.heartbeatTimer);
    state.heartbeatTimer = null;
    for (const t of state.typing.values()) clearTimeout(t.timer);
    state.typing.clear();
    renderTyping();
    switch (ev.code) {
      case 4001:
        goToLogin(msg('auth.sessionClosed'), 'error', 'session-ended');
        return;
      case 4003:
        goToLogin(msg('auth.banned'), 'error', 'banned');
        return;
      case 4000:
        setConn('offline', 'conn.kicked');
        showError({ key: 'conn.kickedLong' });
        return;
      case 1008:
      case 1009:
        showError({ key: 'conn.protocolError' });
        scheduleReconnect();
        return;
      default: // 1001 going away, 1006 abnormal, anything else: try again
        scheduleReconnect();
    }
  }

  function scheduleReconnect() {
    clearTimeout(state.reconnectTimer);
    const base = Math.min(30000, 500 * 2 ** Math.min(state.attempt, 6));
    const delay = Math.round(base / 2 + Math.random() * base / 2);
    state.attempt += 1;
    setConn('reconnecting', 'conn.retryIn', { count: Math.ceil(delay / 1000) });
    state.reconnectTimer = setTimeout(connect, delay);
  }

  function startHeartbeat(seconds) {
    clearInterval(state.heartbeatTimer);
    const s = Number.isFinite(seconds) && seconds > 0 ? seconds : 30;
    state.heartbeatS = s;
    state.heartbeatTimer = setInterval(() => {
      const ws = state.ws;
      if (!ws || !state.wsReady) return;
      if (Date.now() - state.lastFrameAt > (2 * s + 5) * 1000) {
        // The server has gone quiet: drop this socket and start again.
        closeSocket();
        scheduleReconnect();
        return;
      }
      wsSend({ type: 'ping', ts: Date.now() });
    }, Math.max(5, s / 2) * 1000); // twice per heartbeat period keeps the socket well inside it
  }

  function handleFrame(f) {
    switch (f.type) {
      case 'hello': return onHello(f);
      case 'ack': return onAck(f);
      case 'message': return onMessageFrame(f);
      case 'synced': return onSynced(f);
      case 'typing': return onTypingFrame(f);
      case 'read': return onReadFrame(f);
      case 'presence': return onPresence(f);
      case 'message_deleted': return onDeleted(f);
      case 'error': return onErrorFrame(f);
      case 'pong': return undefined;
      default: return undefined; // newer server, unknown frame: ignore
    }
  }

  function onHello(f) {
    const reconnect = state.everConnected;
    state.wsReady = true;
    state.everConnected = true;
    state.attempt = 0;
    setConn('online', 'conn.online');
    startHeartbeat(f.heartbeat_s);
    if (f.user && state.me && f.user.id !== state.me.id) {
      goToLogin(msg('auth.otherAccount'), 'error', 'session-ended');
      return;
    }
    if (reconnect) {
      // Everything after the highest id we have seen; repeats are dropped.
      requestSync(state.maxSeenId);
    } else {
      noteId(f.last_message_id);
      loadConversations().catch(showError);
    }
    for (const [cid, p] of state.pending) {
      if (p.state === 'pending') transmit(cid);
    }
    markActiveRead();
  }

  function requestSync(afterId) {
    state.syncing = true;
    wsSend({ type: 'sync', after_id: afterId, limit: 500 });
  }

  function onSynced(f) {
    if (f.has_more && typeof f.last_id === 'number' && f.last_id > 0) {
      requestSync(Math.max(f.last_id, state.maxSeenId));
      return;
    }
    state.syncing = false;
    loadConversations().catch(showError);
    renderMessages();
  }

  function onAck(f) {
    if (f.message) {
      if (f.client_msg_id) state.pending.delete(f.client_msg_id);
      addMessage(f.message);
      renderConversations();
      if (f.message.conversation_id === state.active) renderMessages(true);
    }
  }

  function onMessageFrame(f) {
    const m = f.message;
    if (!m) return;
    const fresh = addMessage(m);
    if (!fresh) {
      if (m.conversation_id === state.active) renderMessages();
      return;
    }
    const mine = state.me && m.sender_id === state.me.id;
    const conv = state.conversations.get(m.conversation_id);
    if (!conv) {
      fetchConversation(m.conversation_id); // its unread_count comes from the server
    } else if (!mine && !(m.conversation_id === state.active && !document.hidden)) {
      conv.unread_count = (conv.unread_count || 0) + 1;
    }
    renderConversations();
    if (m.conversation_id === state.active) {
      renderMessages();
      renderTyping();
      markActiveRead();
    }
  }

  function onTypingFrame(f) {
    if (!state.me || f.user_id === state.me.id) return;
    const old = state.typing.get(f.conversation_id);
    if (old) clearTimeout(old.timer);
    const entry = {
      user_id: f.user_id,
      timer: setTimeout(() => {
        if (state.typing.get(f.conversation_id) === entry) {
          state.typing.delete(f.conversation_id);
          renderTyping();
          renderConversations();
        }
      }, TYPING_SHOW_MS),
    };
    state.typing.set(f.conversation_id, entry);
    renderTyping();
    renderConversations();
  }

  function onReadFrame(f) {
    if (!state.me || f.user_id === state.me.id) return;
    const prev = state.peerRead.get(f.conversation_id) || 0;
    if (f.message_id > prev) state.peerRead.set(f.conversation_id, f.message_id);
    if (f.conversation_id === state.active) renderMessages();
  }

  function onPresence(f) {
    state.online.set(f.user_id, !!f.online);
    renderConversations();
    if (state.active !== null) renderChatHeader();
    for (const dot of document.querySelectorAll('[data-test="search-result"]')) {
      if (Number(dot.dataset.userId) === f.user_id) {
        const d = dot.querySelector('[data-test="search-result-online"]');
        d.dataset.online = String(!!f.online);
        I18N.bindAttr(d, 'title', onlineTitle(f.user_id, !!f.online));
      }
    }
  }

  function onDeleted(f) {
    const m = convMessages(f.conversation_id).get(f.message_id);
    if (m) { m.deleted = true; m.body = ''; }
    const conv = state.conversations.get(f.conversation_id);
    if (conv && conv.last_message && conv.last_message.id === f.message_id) {
      conv.last_message = { ...conv.last_message, deleted: true, body: '' };
    }
    renderConversations();
    if (f.conversation_id === state.active) renderMessages();
  }

  function onErrorFrame(f) {
    const code = typeof f.code === 'string' && f.code ? f.code : 'unknown';
    if (code === 'unauthorized') return; // close 4001 follows and sends us to login
    const p = f.ref ? state.pending.get(f.ref) : null;
    if (p) {
      if (f.code === 'rate_limited') {
        const wait = Math.max(100, Number(f.retry_after_ms) || 1000);
        setTimeout(() => transmit(f.ref), wait);
        return;
      }
      // Not stored (the database was unreachable): resending the same
      // client_msg_id is safe, so try a few times before giving up.
      if (f.code === 'unavailable' && (p.retries || 0) < 5) {
        p.retries = (p.retries || 0) + 1;
        setTimeout(() => transmit(f.ref), 1000 * 2 ** (p.retries - 1));
        return;
      }
      p.state = 'failed';
      p.error = code;
      if (p.conversation_id === state.active) renderMessages();
    }
    showError(new ApiError(0, code, f.message || code, f.retry_after_ms ? Math.ceil(f.retry_after_ms / 1000) : null),
      p ? 'send' : 'ws');
  }

  /* ------------------------------------------------------------------ */
  /* Wiring                                                             */

  function initLanguage() {
    const select = $('language');
    select.replaceChildren(...I18N.supported().map((code) =>
      el('option', { value: code, lang: code }, I18N.names[code] || code)));
    I18N.onChange((lang) => { select.value = lang; });
    I18N.start();
    select.addEventListener('change', () => I18N.setLang(select.value));
  }

  function init() {
    initLanguage();
    $('show-login').addEventListener('click', () => { setAuthTab('login'); setAuthMessage(''); });
    $('show-register').addEventListener('click', () => { setAuthTab('register'); setAuthMessage(''); });
    $('login-form').addEventListener('submit', onLogin);
    $('register-form').addEventListener('submit', onRegister);
    $('logout').addEventListener('click', logout);
    $('reconnect').addEventListener('click', () => { state.attempt = 0; connect(); });
    $('error-dismiss').addEventListener('click', clearError);
    $('profile-form').addEventListener('submit', onSaveProfile);
    $('search-form').addEventListener('submit', onSearch);
    $('composer-form').addEventListener('submit', onCompose);
    $('chat-back').addEventListener('click', closeConversation);
    const input = $('composer-input');
    input.addEventListener('input', onComposerInput);
    input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        $('composer-form').requestSubmit();
      }
    });
    document.addEventListener('visibilitychange', () => { if (!document.hidden) markActiveRead(); });
    window.addEventListener('online', () => {
      if (state.token && !state.ws) { state.attempt = 0; connect(); }
    });
    resumeSession();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
