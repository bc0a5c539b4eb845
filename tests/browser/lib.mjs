// What the browser tests (run.mjs, i18n.mjs) share: Debian's Chromium, step
// checks that wait, and the daemon on a free loopback port with a fresh
// SQLite database in a temp folder.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const STEP_TIMEOUT_MS = 15_000;
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export class StepError extends Error {}

export function check(cond, message) {
  if (!cond) throw new StepError(message);
}

export async function until(desc, fn, timeout = STEP_TIMEOUT_MS) {
  const end = Date.now() + timeout;
  let lastErr = null;
  let lastVal;
  while (Date.now() < end) {
    try {
      lastVal = await fn();
      if (lastVal) return lastVal;
    } catch (err) {
      lastErr = err;
    }
    await sleep(100);
  }
  let detail = '';
  if (lastErr) detail = ` (last error: ${lastErr.message.split('\n')[0]})`;
  throw new StepError(`timed out after ${timeout} ms waiting for: ${desc}${detail}`);
}

export const tid = (name) => `[data-test="${name}"]`;

// The daemon binary named on the command line (exit 2 without one).
export function daemonArgument(script) {
  const bin = process.argv[2];
  if (!bin) {
    console.error(`usage: node ${script} <path to sanayicind>`);
    process.exit(2);
  }
  return path.resolve(bin);
}

// Named steps, counted and logged; `current` names the one that failed.
export class Steps {
  constructor(log) {
    this.log = log;
    this.current = 'setup';
    this.passed = 0;
  }

  async run(name, fn) {
    this.current = name;
    const t0 = Date.now();
    await fn();
    this.passed += 1;
    this.log(`ok ${this.passed} - ${name} (${Date.now() - t0} ms)`);
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port: p } = srv.address();
      srv.close(() => resolve(p));
    });
  });
}

export function tail(file, lines = 40) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// One sanayicind on 127.0.0.1 with its data in dir; start() again after
// stop() restarts it on the same port and database.
export class Daemon {
  constructor(binPath, dir, { env = process.env, log = console.log } = {}) {
    this.binPath = binPath;
    this.dir = dir;
    this.env = { ...env };
    this.log = log;
    this.logPath = path.join(dir, 'daemon.log');
    this.port = 0;
    this.baseUrl = '';
    this.proc = null;
  }

  async start() {
    if (!this.port) {
      this.port = await freePort();
      this.baseUrl = `http://127.0.0.1:${this.port}`;
    }
    const { dir, logPath } = this;
    const args = ['--listen', `127.0.0.1:${this.port}`, '--data-dir', dir, '--database', `sqlite:///${dir}/db.sqlite`];
    const out = fs.openSync(logPath, 'a');
    fs.writeSync(out, `\n=== ${new Date().toISOString()} ${this.binPath} ${args.join(' ')}\n`);
    const child = spawn(this.binPath, args, { stdio: ['ignore', out, out], env: this.env });
    fs.closeSync(out);
    const proc = { child, exited: false, code: null, signal: null };
    proc.done = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        proc.exited = true;
        proc.code = code;
        proc.signal = signal;
        resolve();
      });
      child.on('error', (err) => {
        proc.exited = true;
        proc.error = err;
        resolve();
      });
    });
    this.proc = proc;
    const end = Date.now() + 30_000;
    while (Date.now() < end) {
      if (proc.exited) {
        throw new StepError(`daemon exited before it served /healthz (code ${proc.code}, signal ${proc.signal}` +
          `${proc.error ? `, ${proc.error.message}` : ''}); log ${logPath}:\n${tail(logPath)}`);
      }
      try {
        const res = await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (res.status === 200) {
          const body = await res.json().catch(() => null);
          check(body && body.status === 'ok', `/healthz answered 200 but not {"status":"ok"}: ${JSON.stringify(body)}`);
          return proc;
        }
      } catch (err) {
        if (err instanceof StepError) throw err;
      }
      await sleep(100);
    }
    throw new StepError(`daemon did not answer GET /healthz within 30 s; log ${logPath}:\n${tail(logPath)}`);
  }

  // The daemon's own drain limit (--drain-timeout-ms) defaults to 10 s.
  async stop(timeoutMs = 15_000) {
    const proc = this.proc;
    if (!proc || proc.exited) return proc;
    try {
      process.kill(proc.child.pid, 'SIGTERM');
    } catch { /* gone already */ }
    const killed = await Promise.race([proc.done.then(() => false), sleep(timeoutMs).then(() => true)]);
    if (killed && !proc.exited) {
      this.log(`daemon (pid ${proc.child.pid}) did not exit ${timeoutMs} ms after SIGTERM; sending SIGKILL`);
      try { process.kill(proc.child.pid, 'SIGKILL'); } catch { /* gone */ }
      await proc.done;
    }
    return proc;
  }

  // The API on this daemon: { status, data } (data parsed when it is JSON).
  async api(method, urlPath, tok, body) {
    const headers = {};
    if (tok) headers.Authorization = `Bearer ${tok}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${this.baseUrl}/api/v1${urlPath}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    const raw = await res.text();
    let data = null;
    try { data = raw ? JSON.parse(raw) : null; } catch { data = raw; }
    return { status: res.status, data };
  }
}
