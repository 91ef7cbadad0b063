// SPDX-License-Identifier: EUPL-1.2
/**
 * The one HTTP layer (src/server/http/server.ts): static files first, compressed at build and
 * sent as they are; an address under /api/ that no route takes is the API's 404, never a page.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '../support/app-server.ts';

const root = new URL('../../', import.meta.url).pathname;
let app: AppServer;

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app.stop();
});

/** A raw GET: fetch would decode the body, and the test needs the bytes as sent. */
function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${app.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

describe('static files', () => {
  const dir = join(root, 'dist/client/_astro');
  const script = readdirSync(dir).find((f) => f.endsWith('.js') && readFileSync(join(dir, f)).length > 4096);

  it('sends the brotli file made at build to a browser that takes it, the plain file to one that does not', async () => {
    expect(script).toBeDefined();
    const original = readFileSync(join(dir, script ?? ''));
    const br = await rawGet(`/_astro/${script}`, { 'Accept-Encoding': 'br, gzip' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.body.length).toBeLessThan(original.length);
    expect(brotliDecompressSync(br.body).equals(original)).toBe(true);
    const plain = await rawGet(`/_astro/${script}`, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(original)).toBe(true);
  });

  it('answers a file that is not there with the 404 page, not a stack trace', async () => {
    const res = await fetch(`${app.url}/_astro/bestaat-niet.js`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/at .*\.(ts|js):\d+/);
  });
});

describe('the API', () => {
  it('answers an address no API route takes with problem details', async () => {
    for (const path of ['/api/v1/bestaat-niet', '/api/v1/', '/api/v2/terugbelverzoeken']) {
      const res = await fetch(`${app.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toBe('application/problem+json');
    }
  });
});
