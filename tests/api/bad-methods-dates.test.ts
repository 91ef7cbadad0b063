// SPDX-License-Identifier: EUPL-1.2
// Bad input never gives a 5xx (issue 16, item 4, part): a method a page does not take is 405 with
// Allow, logged by its route pattern only; a day that does not exist on the reach page or its CSV
// is 400 with a clear Dutch message.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '../support/app-server.ts';
import { createStaff, StaffClient } from '../support/staff.ts';

let app: AppServer;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

/** node:http, since fetch refuses to send TRACE. */
function send(method: string, path: string): Promise<{ status: number; allow: string | undefined }> {
  const url = new URL(path, app.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, allow: res.headers.allow });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('methods a page does not take', () => {
  it.each([
    ['TRACE', '/voorbeeld/nl/geheim-pad-7f3a'],
    ['OPTIONS', '/voorbeeld/nl/'],
    ['PUT', '/voorbeeld/nl/'],
    ['DELETE', '/staff/login'],
    ['PATCH', '/'],
    ['TRACE', '/api/v1/terugbelverzoeken'],
  ])('%s %s answers 405 with Allow', async (method, path) => {
    expect(await send(method, path)).toEqual({ status: 405, allow: 'GET, HEAD, POST' });
  });

  it('still answers the methods a page takes, and logs no path, only its pattern', async () => {
    expect((await send('GET', '/voorbeeld/nl/')).status).toBe(200);
    expect((await send('HEAD', '/voorbeeld/nl/')).status).toBe(200);
    const lines = await app.requestLines(8);
    expect(app.stdout()).not.toContain('geheim-pad-7f3a');
    expect(lines.filter((l) => l.result === 405).length).toBeGreaterThanOrEqual(6);
  });
});

describe('a reach period with a day that does not exist', () => {
  it('is 400 with what is wrong, on the page and for the CSV; a real period still works', async () => {
    const staff = await createStaff(app.databaseFile, { role: 'coordinator', municipalities: ['voorbeeld'], name: 'Rita Reach' });
    const client = new StaffClient(app.url);
    await client.login(staff);
    const page = await client.fetch('/staff/bereik?van=2026-02-31&tot=2026-03-10');
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('De datum bij ‘van’ (2026-02-31) bestaat niet.');
    const csv = await client.fetch('/staff/bereik.csv?van=2026-03-01&tot=2026-13-01');
    expect(csv.status).toBe(400);
    expect(await csv.text()).toContain('De datum bij ‘tot’ (2026-13-01) bestaat niet.');
    expect((await client.fetch('/staff/bereik?van=gisteren')).status).toBe(400);
    expect((await client.fetch('/staff/bereik?van=2026-02-01&tot=2026-02-28')).status).toBe(200);
  });
});
