// SPDX-License-Identifier: EUPL-1.2
// The built server's stdout: one structured line per request, and never a phone number, name, code or cookie.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '../support/app-server.ts';

const root = new URL('../../', import.meta.url).pathname;
let app: AppServer;

beforeAll(async () => {
  // no security contact: the start then logs a warning, one more kind of line to check
  app = await startApp({ SECURITY_CONTACT: '' });
});
afterAll(async () => {
  await app?.stop();
});

describe('server log', () => {
  it('logs each request by route pattern and leaks no personal data', async () => {
    const key = execFileSync(process.execPath, ['src/cli/api-key.ts', '--municipality', 'voorbeeld', '--name', 'log-test'], {
      cwd: root,
      env: { ...process.env, DATABASE_FILE: app.databaseFile },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
    const made = await fetch(`${app.url}/api/v1/uitnodigingen`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ caseRef: 'LOG-1', topic: 'energy', channel: 'sms' }),
    });
    expect(made.status).toBe(201);
    const { code } = (await made.json()) as { code: string };

    const opened = await fetch(`${app.url}/s/${code}`, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(cookie).toMatch(/^hg_invite=.+/);
    expect((await fetch(`${app.url}/voorbeeld/nl/`, { headers: { Cookie: cookie } })).status).toBe(200);
    expect((await fetch(`${app.url}/s/${code.toLowerCase().replace(/-/g, '')}x`)).status).toBe(200);

    const posted = await fetch(`${app.url}/api/v1/terugbelverzoeken`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
      body: JSON.stringify({ municipality: 'voorbeeld', language: 'nl', topic: 'energy', phone: '06-87654321', consent: true, firstName: 'Marijke' }),
    });
    expect(posted.status).toBe(201);
    const invalid = await fetch(`${app.url}/api/v1/terugbelverzoeken`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ municipality: 'voorbeeld', phone: '+31 6 8765 4322', firstName: 'Marijke', email: 'marijke@example.nl' }),
    });
    expect(invalid.status).toBe(422);
    // Eight answers so far (the key is made by the CLI, not the server); the log goes out in batches.
    const lines = await app.requestLines(6);
    const out = app.output();
    const cookieValue = cookie.split('=')[1] as string;
    for (const secret of [code, code.replace(/-/g, ''), code.toLowerCase().replace(/-/g, ''), '0687654321', '06-87654321', '+31687654321', '8765 4322', 'Marijke', 'marijke@example.nl', cookieValue, key]) {
      expect(out, secret).not.toContain(secret);
    }
    const objects = lines.map((l) => l.object);
    expect(objects).toEqual(expect.arrayContaining(['/s/[code]', '/[municipality]/[lang]', '/api/v1/terugbelverzoeken', '/api/v1/uitnodigingen']));
    for (const l of lines) {
      expect(l).toMatchObject({ origin: 'http', result: expect.any(Number), durationMs: expect.any(Number) });
      expect(['resident', 'staff', 'api-key', 'anonymous']).toContain(l.actor);
      expect(String(l.time)).toMatch(/Z$/);
    }
    expect(lines.find((l) => l.object === '/api/v1/uitnodigingen')?.actor).toBe('api-key');
    expect(lines.find((l) => l.object === '/s/[code]')?.actor).toBe('resident');
  });

  // Runs last: it stops the server to see the lines written on the way out.
  it('writes only JSON lines to stdout, each with action, object, result, origin, actor and a UTC time', async () => {
    for (const path of ['/readyz', '/healthz', '/.well-known/security.txt', '/bestaat-niet/', '/favicon.svg', '/api/v1/openapi.json']) await fetch(`${app.url}${path}`);
    await app.stop('SIGTERM');
    const lines = app
      .stdout()
      .split('\n')
      .filter((l) => l.trim());
    const actions = new Set<unknown>();
    for (const text of lines) {
      const line = JSON.parse(text) as Record<string, unknown>;
      for (const field of ['action', 'object', 'origin', 'actor']) expect(typeof line[field], `${field} in ${text}`).toBe('string');
      expect(['string', 'number'], `result in ${text}`).toContain(typeof line.result);
      expect(['resident', 'staff', 'api-key', 'anonymous', 'system'], text).toContain(line.actor);
      expect(line.time, text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      actions.add(line.action);
    }
    // start, a warning, requests and the stop are all there
    expect([...actions]).toEqual(expect.arrayContaining(['process.start', 'config.check', 'http.request', 'process.stop']));
  });
});
