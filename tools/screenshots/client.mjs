// The HTTP side of the demo scripts: one API call, retried while the
// server says 429 or 503 (Retry-After), failing on any other status not
// expected.

import { setTimeout as sleep } from 'node:timers/promises';

export async function api(base, method, path, token, body, expect = [200]) {
  for (let attempt = 0; ; attempt++) {
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${base}/api/v1${path}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = text; }
    if (expect.includes(res.status)) return { status: res.status, data };
    if ((res.status === 429 || res.status === 503) && attempt < 20) {
      await sleep(1000 * Math.min(5, Number(res.headers.get('Retry-After')) || 1));
      continue;
    }
    const code = data && data.error ? `${data.error.code}: ${data.error.message}` : text.slice(0, 200);
    throw new Error(`${method} ${path} answered ${res.status} (${code})`);
  }
}
