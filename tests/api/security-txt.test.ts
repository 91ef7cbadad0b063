// SPDX-License-Identifier: EUPL-1.2
// The built server's /.well-known/security.txt: the deployment's contacts from SECURITY_CONTACT, or 404 and a warning at start.
import { afterAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '../support/app-server.ts';

const started: AppServer[] = [];
afterAll(async () => {
  await Promise.all(started.map((a) => a.stop()));
});

async function start(env: Record<string, string>): Promise<AppServer> {
  const app = await startApp(env);
  started.push(app);
  return app;
}

describe('GET /.well-known/security.txt', () => {
  it('names the configured contacts, expires within a year and is canonical at PUBLIC_URL', async () => {
    const app = await start({
      SECURITY_CONTACT: 'mailto:security@gemeente.example,https://gemeente.example/kwetsbaarheid-melden',
      SECURITY_POLICY_URL: 'https://gemeente.example/cvd',
      PUBLIC_URL: 'https://hulp.gemeente.example',
    });
    const res = await fetch(`${app.url}/.well-known/security.txt`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const text = await res.text();
    const lines = text.split('\n');
    expect(lines).toContain('Contact: mailto:security@gemeente.example');
    expect(lines).toContain('Contact: https://gemeente.example/kwetsbaarheid-melden');
    expect(lines).toContain('Preferred-Languages: nl, en');
    expect(lines).toContain('Canonical: https://hulp.gemeente.example/.well-known/security.txt');
    expect(lines).toContain('Policy: https://gemeente.example/cvd');
    const expires = lines.filter((l) => l.startsWith('Expires: '));
    expect(expires).toHaveLength(1);
    const at = Date.parse(expires[0]!.slice('Expires: '.length));
    expect(at).toBeGreaterThan(Date.now());
    expect(at).toBeLessThan(Date.now() + 365 * 86_400_000);
    expect(app.stdout()).not.toContain('SECURITY_CONTACT');
  });

  it('is 404 without SECURITY_CONTACT, and the start log says so', async () => {
    const app = await start({ SECURITY_CONTACT: '' });
    const res = await fetch(`${app.url}/.well-known/security.txt`);
    expect(res.status).toBe(404);
    const warning = app
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.object === 'SECURITY_CONTACT');
    expect(warning).toMatchObject({
      level: 'warn',
      action: 'config.check',
      result: 'missing',
      origin: 'process',
      actor: 'system',
    });
  });

  it('a contact that is not a mailto:, https:// or tel: address stops the start', async () => {
    await expect(startApp({ SECURITY_CONTACT: 'security@gemeente.example' })).rejects.toThrow(
      /SECURITY_CONTACT: "security@gemeente.example"/,
    );
  });
});
