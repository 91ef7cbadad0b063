// SPDX-License-Identifier: EUPL-1.2
// Demo safety (issue 16, item 8): a real deployment (PUBLIC_URL on https) gets no demo unless it asks
// for one, and never the demo staff account without a second factor; a laptop still gets both.
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/server/config.ts';
import { startApp, type AppServer } from '../support/app-server.ts';
import { dbRows } from '../support/staff.ts';

describe('demo safety', () => {
  it('decides from PUBLIC_URL and SEED_DEMO', () => {
    expect(parseConfig({})).toMatchObject({ seedDemo: true, demoStaff: true });
    expect(parseConfig({ PUBLIC_URL: 'http://localhost:4321' })).toMatchObject({ seedDemo: true, demoStaff: true });
    expect(parseConfig({ PUBLIC_URL: 'https://hulp.gemeente.nl' })).toMatchObject({ seedDemo: false, demoStaff: false });
    expect(parseConfig({ PUBLIC_URL: 'https://hulp.gemeente.nl', SEED_DEMO: 'true' })).toMatchObject({ seedDemo: true, demoStaff: false });
    expect(parseConfig({ SEED_DEMO: 'false' })).toMatchObject({ seedDemo: false, demoStaff: false });
  });

  let app: AppServer | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  it('on https seeds nothing unless asked, and then no password-only staff account', async () => {
    app = await startApp({ PUBLIC_URL: 'https://hulp.gemeente.example' });
    // the banner is complete once it names the health address
    const banner = async () => {
      for (let i = 0; i < 30 && !app?.output().includes('health:'); i++) await new Promise((r) => setTimeout(r, 100));
      return app?.output() ?? '';
    };
    expect(await banner()).not.toContain('demo login');
    expect((await fetch(`${app.url}/voorbeeld/nl/`)).status).toBe(404);
    await app.stop();

    app = await startApp({ PUBLIC_URL: 'https://hulp.gemeente.example', SEED_DEMO: 'true' });
    expect((await fetch(`${app.url}/voorbeeld/nl/`)).status).toBe(200);
    expect(await banner()).not.toContain('demo login');
    expect(dbRows(app.databaseFile, 'select count(*) as n from staff_users where demo = 1')).toEqual([{ n: 0 }]);
    // said in the start log (a warning is written at once; the pipe may still be on its way)
    for (let i = 0; i < 30 && !app.stdout().includes('"action":"seed.demo_staff"'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(app.stdout()).toContain('"action":"seed.demo_staff"');
  });

  it('on a laptop still shows the demo and prints its login', async () => {
    app = await startApp();
    for (let i = 0; i < 30 && !app.output().includes('health:'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(app.output()).toContain('demo login: demo@voorbeeld.example');
    expect((await fetch(`${app.url}/voorbeeld/nl/`)).status).toBe(200);
  });
});
