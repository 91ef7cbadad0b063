// SPDX-License-Identifier: EUPL-1.2
/**
 * The staff queue after a big batch, against the built server and a real SQLite file: 10,000 open
 * requests, pages of 50 under 200 KB of HTML, and the filters (status, urgent, assigned to me,
 * language, municipality, signal partner) on the page and in the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '../support/app-server.ts';
import { createStaff, StaffClient, type TestStaff } from '../support/staff.ts';
import { insertRequests } from '../support/queue-fixture.ts';

let app: AppServer;
let admin: TestStaff;
let client: StaffClient;

beforeAll(async () => {
  app = await startApp();
  admin = await createStaff(app.databaseFile, { role: 'admin', municipalities: ['voorbeeld', 'zeedorp'], name: 'Anne Admin' });
  insertRequests(app.databaseFile, 10_000, admin.id);
  client = new StaffClient(app.url);
  await client.login(admin);
}, 60_000);

afterAll(async () => {
  await app?.stop();
});

const rowsIn = (html: string) => (html.match(/<tr data-request-id="/g) ?? []).length;

describe('the queue with 10,000 open requests', () => {
  it('shows 50 a page, urgent first, in well under 200 KB of HTML, with a way to the next page', async () => {
    const started = performance.now();
    const res = await client.fetch('/staff');
    const html = await res.text();
    console.log(`[bench] queue page with 10,000 open requests: ${(performance.now() - started).toFixed(0)} ms, ${(Buffer.byteLength(html) / 1024).toFixed(1)} KB`);
    expect(res.status).toBe(200);
    expect(Buffer.byteLength(html)).toBeLessThan(200 * 1024);
    expect(rowsIn(html)).toBe(50);
    expect(html).toContain('Open terugbelverzoeken (10000)');
    expect(html).toContain('href="/staff?pagina=2"');
    // the 100 urgent ones fill the first two pages
    expect((html.match(/<span class="urgent">Dringend<\/span>/g) ?? []).length).toBe(50);
    const last = await (await client.fetch('/staff?pagina=200')).text();
    expect(rowsIn(last)).toBe(50);
    expect(last).not.toContain('pagina=201');
  });

  it('filters by status, urgent, assigned to me, language, municipality and signal partner, and keeps the filters on the next page', async () => {
    const count = async (query: string) => {
      const res = await client.fetch(`/api/v1/staff/verzoeken?${query}`);
      expect(res.status, query).toBe(200);
      return ((await res.json()) as { total: number; items: unknown[]; pages: number }).total;
    };
    expect(await count('')).toBe(10_000);
    expect(await count('dringend=1')).toBe(100);
    expect(await count('van_mij=1')).toBe(40);
    expect(await count('status=in_behandeling')).toBe(3334);
    expect(await count('taal=ar')).toBe(2000);
    expect(await count('gemeente=zeedorp')).toBe(1000);
    expect(await count('gemeente=zeedorp&dringend=1')).toBe(100);
    expect(await count('signaalpartner=rent')).toBe(1);
    // a language or municipality that is not one's own narrows nothing; a status that does not exist is refused
    expect(await count('taal=xx&gemeente=atlantis')).toBe(10_000);
    expect((await client.fetch('/api/v1/staff/verzoeken?status=weg')).status).toBe(422);
    const filtered = await (await client.fetch('/staff?taal=nl&dringend=1')).text();
    expect(filtered).toContain('Open terugbelverzoeken (100)');
    const page2 = await (await client.fetch('/staff?taal=pl')).text();
    expect(page2).toContain('href="/staff?taal=pl&amp;pagina=2"');
  });
});
