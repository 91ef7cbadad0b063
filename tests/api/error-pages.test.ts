// SPDX-License-Identifier: EUPL-1.2
/**
 * The error pages are Astro components (src/components/ErrorPage.astro): a page that fails says
 * so in every language with 500 and no trace of the failure; an unknown address says so with 404;
 * the API answers both as problem details.
 */
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '../support/app-server.ts';

let app: AppServer;
beforeAll(async () => {
  app = await startApp();
  // a municipality whose settings no longer parse: its page fails on our side
  const db = new DatabaseSync(app.databaseFile);
  // the server may be writing (a background job): wait for it rather than fail
  db.exec('PRAGMA busy_timeout=5000');
  db.prepare("insert into municipalities (slug, name, config, created_at, updated_at) values ('kapot', 'Kapot', '{}', ?, ?)").run(new Date().toISOString(), new Date().toISOString());
  db.close();
});
afterAll(async () => {
  await app.stop();
});

describe('error pages', () => {
  it('says "something went wrong" in every language, Dutch first, with 500 and nothing of the error', async () => {
    const res = await fetch(`${app.url}/kapot/nl/`);
    expect(res.status).toBe(500);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('<h1>Er is iets niet goed</h1>');
    for (const lng of ['en', 'tr', 'ar', 'pl', 'uk', 'pap', 'ti']) expect(html).toContain(`<section lang="${lng}"`);
    expect(html.indexOf('lang="nl" dir="ltr"><h1>')).toBeLessThan(html.indexOf('<section lang="en"'));
    expect(html).not.toMatch(/parseMunicipality|Invalid input|at \S+\.ts:\d+|stack/i);
    // the details are in the log instead
    expect(app.stdout()).toContain('request failed');
  });

  it('says "this address does not exist" with 404, and the API answers problem details', async () => {
    const page = await fetch(`${app.url}/bestaat/niet/echt/niet`);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('<section lang="ar" dir="rtl">');
    const api = await fetch(`${app.url}/api/v1/bestaat-niet`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
