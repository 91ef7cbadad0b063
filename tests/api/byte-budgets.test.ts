// SPDX-License-Identifier: EUPL-1.2
// Byte budgets (deterministic, so tests; timings live in `npm run bench`): the first screen in one round trip, the island's JavaScript.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '../support/app-server.ts';
import { firstScreen, scriptGraph, type FirstScreen } from '../support/bytes.ts';

/** One TCP round trip on a new connection: 10 segments of ~1.4 KB (RFC 6928). */
const FIRST_SCREEN_BUDGET = 14 * 1024;
const ISLAND_BUDGET = 30 * 1024;
/** the device queue, loaded only when a request cannot be sent */
const QUEUE_CHUNK_BUDGET = 4 * 1024;

let app: AppServer;
const screens: Record<string, FirstScreen> = {};

beforeAll(async () => {
  app = await startApp();
  for (const path of ['/voorbeeld/nl/', '/voorbeeld/ar/', '/zeedorp/nl/']) screens[path] = await firstScreen(app.url, path);
});
afterAll(async () => {
  await app?.stop();
});

describe('byte budgets', () => {
  it('sends the first screen (HTML with all its CSS inline) in one round trip: at most 14 KB with gzip', () => {
    for (const [path, screen] of Object.entries(screens)) {
      expect(screen.stylesheets, `${path} links a stylesheet: an extra round trip`).toEqual([]);
      expect(screen.gzip, `${path}: ${screen.gzip} bytes gzip`).toBeLessThanOrEqual(FIRST_SCREEN_BUDGET);
      expect(screen.brotli, `${path}: brotli is smaller than gzip`).toBeLessThan(screen.gzip);
    }
  });

  it('needs no JavaScript before the first answer: no blocking script, and the answers are form posts', () => {
    for (const [path, screen] of Object.entries(screens)) {
      expect(screen.blockingScripts, path).toEqual([]);
      expect(screen.html, path).toMatch(/<form[^>]*method="post"[^>]*class="step step-language"/);
      expect(screen.html, path).toMatch(/<button[^>]*type="submit"[^>]*name="answer"/);
    }
  });

  it('keeps the JavaScript of the conversation within 30 KB gzip, and the device queue small and loaded apart', () => {
    const graph = scriptGraph(screens['/voorbeeld/nl/']!.html);
    const listed = graph.eager.map((f) => `${f.file} ${f.gzip}`).join(', ');
    expect(graph.eagerGzip, `island scripts: ${listed}`).toBeLessThanOrEqual(ISLAND_BUDGET);
    const queue = graph.lazy.filter((f) => f.file.includes('waiting-delivery'));
    expect(queue).toHaveLength(1);
    expect(queue[0]!.gzip).toBeLessThanOrEqual(QUEUE_CHUNK_BUDGET);
    expect(graph.eager.some((f) => f.file.includes('waiting-delivery')), 'the queue is not in the eager graph').toBe(false);
  });
});
