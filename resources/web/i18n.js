/*
 * Sanayicin web client: the page's languages. Plain JavaScript, no
 * dependencies. The catalogues (i18n-en.js, i18n-tr.js) are loaded before
 * this file's users and register themselves with SanayicinI18n.add().
 *
 * Which language: the one saved with the switch (localStorage
 * "sanayicin.lang"), else the first of navigator.languages that is Turkish
 * (tr, tr-TR, ...) or English (en-*), else English.
 *
 * A catalogue maps keys to strings; "{name}" in a string is replaced by the
 * parameter of that name. A value that is an object holds plural forms by
 * Intl.PluralRules category (one, other, ...) and is chosen by params.count.
 * Static markup names its keys with data-i18n (text), data-i18n-placeholder,
 * data-i18n-aria-label and data-i18n-title; script-made text is bound with
 * bindText()/bindAttr() so that a switch re-renders every string at once.
 */
'use strict';

(() => {
  const STORAGE_KEY = 'sanayicin.lang';
  const FALLBACK = 'en';
  // Each language's own name, the same on every page: not translated.
  const NAMES = { tr: 'Türkçe', en: 'English' };
  const STATIC_ATTRS = ['placeholder', 'aria-label', 'title'];

  const catalogues = {};
  const listeners = [];
  // node -> { text: fn, attrs: { name: fn } } for nodes marked data-i18n-bound.
  const bound = new WeakMap();
  let lang = FALLBACK;

  function add(code, catalogue) { catalogues[code] = catalogue; }

  function supported() { return Object.keys(catalogues); }

  function fromBrowser(list) {
    for (const tag of list || []) {
      const base = String(tag).toLowerCase().split(/[-_]/)[0];
      if (base === 'tr' || base === 'en') return base;
    }
    return FALLBACK;
  }

  function saved() {
    try {
      const v = localStorage.getItem(STORAGE_KEY);
      return v && catalogues[v] ? v : null;
    } catch { return null; } // storage disabled: follow the browser
  }

  function initial() {
    const list = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
    const choice = saved() || fromBrowser(list);
    return catalogues[choice] ? choice : FALLBACK;
  }

  function locale() { return (catalogues[lang] && catalogues[lang]['meta.locale']) || 'en-US'; }

  function lookup(key) {
    const own = catalogues[lang] && catalogues[lang][key];
    if (own !== undefined) return own;
    const fb = catalogues[FALLBACK] && catalogues[FALLBACK][key];
    if (fb !== undefined) {
      console.warn(`i18n: "${key}" is missing in ${lang}`);
      return fb;
    }
    console.warn(`i18n: unknown key "${key}"`);
    return key;
  }

  function has(key) { return !!(catalogues[lang] && catalogues[lang][key] !== undefined); }

  function fill(template, params) {
    return template.replace(/\{(\w+)\}/g, (m, name) =>
      (params && params[name] !== undefined && params[name] !== null ? String(params[name]) : m));
  }

  function t(key, params) {
    let v = lookup(key);
    if (v && typeof v === 'object') {
      const n = Number(params && params.count);
      const cat = new Intl.PluralRules(locale()).select(Number.isFinite(n) ? n : 0);
      v = v[cat] !== undefined ? v[cat] : v.other;
      if (params && Number.isFinite(n)) params = { ...params, count: number(n) };
    }
    return fill(String(v), params);
  }

  function number(n) { return new Intl.NumberFormat(locale()).format(n); }

  /* Times: today as the time of day, yesterday as "yesterday" and the time,
   * within the last week as the weekday and the time, else the date. */
  function time(iso, now = new Date()) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return '';
    const clock = d.toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' });
    const startOf = (x) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
    const days = Math.round((startOf(now) - startOf(d)) / 86400000);
    if (days === 0) return clock;
    if (days === 1) return t('time.yesterday', { time: clock });
    if (days > 1 && days < 7) {
      return t('time.weekday', { day: d.toLocaleDateString(locale(), { weekday: 'short' }), time: clock });
    }
    const sameYear = d.getFullYear() === now.getFullYear();
    return d.toLocaleDateString(locale(), sameYear
      ? { day: 'numeric', month: 'short' }
      : { day: 'numeric', month: 'short', year: 'numeric' });
  }

  function fullTime(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return '';
    return d.toLocaleString(locale(), { dateStyle: 'full', timeStyle: 'short' });
  }

  /* Bound text: evaluated now and again after every switch. */

  function entry(node) {
    let e = bound.get(node);
    if (!e) { e = { text: null, attrs: {} }; bound.set(node, e); }
    node.dataset.i18nBound = '';
    return e;
  }

  function bindText(node, value) {
    if (typeof value === 'function') {
      entry(node).text = value;
      node.textContent = value();
      return;
    }
    const e = bound.get(node);
    if (e) e.text = null;
    node.textContent = value === null || value === undefined ? '' : String(value);
  }

  function bindAttr(node, name, value) {
    if (typeof value === 'function') {
      entry(node).attrs[name] = value;
      node.setAttribute(name, value());
      return;
    }
    const e = bound.get(node);
    if (e) delete e.attrs[name];
    if (value === null || value === undefined || value === false) node.removeAttribute(name);
    else node.setAttribute(name, value === true ? '' : String(value));
  }

  function applyStatic(root) {
    for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    for (const attr of STATIC_ATTRS) {
      for (const node of root.querySelectorAll(`[data-i18n-${attr}]`)) {
        node.setAttribute(attr, t(node.getAttribute(`data-i18n-${attr}`)));
      }
    }
  }

  function applyBound(root) {
    for (const node of root.querySelectorAll('[data-i18n-bound]')) {
      const e = bound.get(node);
      if (!e) continue;
      if (e.text) node.textContent = e.text();
      for (const [name, fn] of Object.entries(e.attrs)) node.setAttribute(name, fn());
    }
  }

  function apply() {
    document.documentElement.lang = lang;
    applyStatic(document);
    applyBound(document);
    for (const fn of listeners) fn(lang);
  }

  function setLang(code, { remember = true } = {}) {
    if (!catalogues[code]) return;
    lang = code;
    if (remember) {
      try { localStorage.setItem(STORAGE_KEY, code); } catch { /* not remembered */ }
    }
    apply();
  }

  function start() {
    lang = initial();
    apply();
  }

  window.SanayicinI18n = {
    add,
    start,
    setLang,
    get lang() { return lang; },
    supported,
    names: NAMES,
    catalogues,
    t,
    has,
    number,
    time,
    fullTime,
    bindText,
    bindAttr,
    onChange: (fn) => listeners.push(fn),
    fromBrowser,
  };
})();
