// SPDX-License-Identifier: EUPL-1.2
/**
 * /metrics against a started app: Prometheus text with request counts and latency per route
 * pattern (never a raw URL), waiting call-back requests and the hand-off backlog per
 * municipality; only with METRICS_TOKEN as Bearer, or without it only for this machine directly.
 */
import http from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '../support/app-server.ts';
import { dbRun, residentRequest } from '../support/staff.ts';

const TOKEN = 'metrics-token-for-the-tests-0123456789';

/** The value of one series, e.g. sample(text, 'hulpgesprek_callback_requests_waiting', { municipality: 'voorbeeld' }). */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.indexOf('}'));
    const found = Object.fromEntries([...body.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

/** A GET with raw control over the connection (local address to connect from, extra headers). */
function rawGet(url: string, options: { headers?: Record<string, string>; localAddress?: string; host?: string } = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: options.host ?? target.hostname, port: target.port, path: target.pathname, headers: options.headers ?? {}, ...(options.localAddress ? { localAddress: options.localAddress } : {}) },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
  });
}

describe('/metrics with METRICS_TOKEN', () => {
  let app: AppServer;

  beforeAll(async () => {
    app = await startApp({ METRICS_TOKEN: TOKEN });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('wants the token as Bearer, compared in full', async () => {
    expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${app.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await fetch(`${app.url}/metrics`, { headers: { Authorization: `Basic ${TOKEN}` } })).status).toBe(401);
    expect((await fetch(`${app.url}/metrics`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(405);
  });

  it('counts requests per route pattern, with latency, and the queue and backlog per municipality', async () => {
    const { id } = await residentRequest(app.url, { municipality: 'zeedorp' });
    await residentRequest(app.url, { municipality: 'zeedorp' });
    await fetch(`${app.url}/staff/verzoeken/${id}`);
    // Closed requests are not waiting; an outbox row of each kind (the demo has no connector, so straight in).
    dbRun(app.databaseFile, "update callback_requests set status = 'closed' where id = ?", id);
    const now = new Date().toISOString();
    for (const [n, status] of ['pending', 'failed', 'failed', 'delivered'].entries()) {
      dbRun(
        app.databaseFile,
        "insert into outbox (id, request_id, municipality, event_type, payload, status, attempts, next_attempt_at, created_at) values (?, ?, 'zeedorp', 'callback_request.created', '{}', ?, 1, ?, ?)",
        `00000000-0000-4000-8000-00000000000${n}`,
        id,
        status,
        now,
        now,
      );
    }

    const res = await fetch(`${app.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();

    expect(sample(text, 'hulpgesprek_http_requests_total', { method: 'POST', route: '/api/v1/terugbelverzoeken', status: '201' })).toBe(2);
    expect(sample(text, 'hulpgesprek_http_requests_total', { method: 'GET', route: '/staff/verzoeken/[id]', status: '303' })).toBe(1);
    expect(sample(text, 'hulpgesprek_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/terugbelverzoeken' })).toBe(2);
    expect(sample(text, 'hulpgesprek_http_request_duration_seconds_bucket', { method: 'POST', route: '/api/v1/terugbelverzoeken', le: '+Inf' })).toBe(2);
    // The route pattern, never the URL with its id.
    expect(text).not.toContain(id);

    expect(sample(text, 'hulpgesprek_callback_requests_waiting', { municipality: 'zeedorp' })).toBe(1);
    expect(sample(text, 'hulpgesprek_callback_requests_waiting', { municipality: 'voorbeeld' })).toBe(0);
    expect(sample(text, 'hulpgesprek_outbox_backlog', { municipality: 'zeedorp', status: 'pending' })).toBe(1);
    expect(sample(text, 'hulpgesprek_outbox_backlog', { municipality: 'zeedorp', status: 'failed' })).toBe(2);
    expect(sample(text, 'hulpgesprek_outbox_backlog', { municipality: 'zeedorp', status: 'delivering' })).toBe(0);
    expect(text).toMatch(/^process_cpu_seconds_total /m);

    // Computed at scrape time: a closed request leaves the gauge at once.
    dbRun(app.databaseFile, "update callback_requests set status = 'closed' where municipality = 'zeedorp'");
    const again = await (await fetch(`${app.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })).text();
    expect(sample(again, 'hulpgesprek_callback_requests_waiting', { municipality: 'zeedorp' })).toBe(0);
    expect(sample(again, 'hulpgesprek_http_requests_total', { method: 'GET', route: '/metrics', status: '200' })).toBe(1);
  });
});

describe('/metrics without METRICS_TOKEN', () => {
  let app: AppServer;

  beforeAll(async () => {
    // On every interface, so a connection from another address than loopback can be tried.
    app = await startApp({ HOST: '0.0.0.0' });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('answers a direct connection from this machine', async () => {
    const res = await rawGet(`${app.url.replace('0.0.0.0', '127.0.0.1')}/metrics`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('hulpgesprek_callback_requests_waiting');
  });

  it('refuses a request that came through a proxy, even on loopback', async () => {
    const url = `${app.url.replace('0.0.0.0', '127.0.0.1')}/metrics`;
    expect((await rawGet(url, { headers: { 'X-Forwarded-For': '203.0.113.9' } })).status).toBe(403);
    expect((await rawGet(url, { headers: { Forwarded: 'for=203.0.113.9' } })).status).toBe(403);
  });

  it('refuses a connection from another address', async (context) => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (!external) return context.skip('this machine has no non-loopback IPv4 address');
    const port = new URL(app.url).port;
    const res = await rawGet(`http://${external}:${port}/metrics`, { localAddress: external });
    expect(res.status).toBe(403);
    expect(res.body).not.toContain('hulpgesprek_');
  });
});
