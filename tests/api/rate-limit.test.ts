// SPDX-License-Identifier: EUPL-1.2
// Per-client limits on the public write endpoints (built server, small limits from the environment).
import http from 'node:http';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '../support/app-server.ts';

let app: AppServer;
const valid = { municipality: 'voorbeeld', language: 'nl', topic: 'energy', phone: '0612345678', consent: true };
const progress = {
  municipality: 'voorbeeld',
  channel: 'web',
  language: 'nl',
  topic: null,
  inviteId: null,
  lastStep: 'welcome',
  answers: {},
  outcome: null,
  finished: false,
};

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A JSON request from a chosen loopback address, so each test is its own client network. */
function send(method: string, path: string, body: unknown, from: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = http.request(
      `${app.url}${path}`,
      { method, localAddress: from, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function count(): number {
  const db = new DatabaseSync(app.databaseFile, { readOnly: true });
  try {
    return Number((db.prepare('select count(*) as n from callback_requests').get() as { n: number }).n);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  app = await startApp({ RATE_LIMIT_CALLBACKS: '3', RATE_LIMIT_PROGRESS: '5', RATE_LIMIT_CALLBACKS_PER_INVITE: '2' });
});
afterAll(async () => {
  await app?.stop();
});

describe('write limits per client network', () => {
  it('answers the call-back post over the limit with 429 problem+json and Retry-After, and stores nothing', async () => {
    // Invalid bodies count too: a flood of broken requests is no cheaper than valid ones.
    expect((await send('POST', '/api/v1/terugbelverzoeken', { municipality: 'voorbeeld' }, '127.0.0.21')).status).toBe(422);
    for (let i = 0; i < 2; i++) expect((await send('POST', '/api/v1/terugbelverzoeken', valid, '127.0.0.21')).status).toBe(201);
    const before = count();
    const refused = await send('POST', '/api/v1/terugbelverzoeken', valid, '127.0.0.21');
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(600);
    expect(JSON.parse(refused.body)).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect(count()).toBe(before);
    // Another network is not affected.
    expect((await send('POST', '/api/v1/terugbelverzoeken', valid, '127.0.0.22')).status).toBe(201);
  });

  it('limits progress updates separately', async () => {
    const id = '6f1c2d3e-4a5b-4c6d-8e7f-901234567890';
    for (let i = 0; i < 5; i++) expect((await send('PUT', `/api/v1/gesprekken/${id}`, progress, '127.0.0.23')).status).toBe(204);
    const refused = await send('PUT', `/api/v1/gesprekken/${id}`, progress, '127.0.0.23');
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    // The call-back limit of this network is its own count.
    expect((await send('POST', '/api/v1/terugbelverzoeken', valid, '127.0.0.23')).status).toBe(201);
  });
});

describe('write limits per invitation', () => {
  it('refuses a third call-back request naming the same invitation in a day, from whatever network', async () => {
    // An invitation id nobody has: the request is invalid (422), but counts like any other.
    const named = { ...valid, inviteId: 'inv-0000-limit-test' };
    expect((await send('POST', '/api/v1/terugbelverzoeken', named, '127.0.0.31')).status).toBe(422);
    expect((await send('POST', '/api/v1/terugbelverzoeken', named, '127.0.0.32')).status).toBe(422);
    const refused = await send('POST', '/api/v1/terugbelverzoeken', named, '127.0.0.33');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(600);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(24 * 3600);
    // Another invitation, and requests without one, are not affected.
    expect((await send('POST', '/api/v1/terugbelverzoeken', { ...valid, inviteId: 'inv-0000-other' }, '127.0.0.34')).status).toBe(422);
    expect((await send('POST', '/api/v1/terugbelverzoeken', valid, '127.0.0.35')).status).toBe(201);
  });
});
