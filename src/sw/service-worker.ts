// SPDX-License-Identifier: EUPL-1.2
// The service worker (built by src/cli/service-worker.ts into /sw.js): app shell and "no internet" pages
// precached, resident pages network-first with the last copy kept, clips kept as used, waiting call-back requests sent.
import type { RouteHandlerCallbackOptions } from 'workbox-core/types.js';
import { ExpirationPlugin } from 'workbox-expiration';
import {
  addPlugins,
  cleanupOutdatedCaches,
  matchPrecache,
  precacheAndRoute,
  type PrecacheEntry,
} from 'workbox-precaching';
import { createPartialResponse, RangeRequestsPlugin } from 'workbox-range-requests';
import { registerRoute } from 'workbox-routing';
import { NetworkFirst, Strategy, type StrategyHandler } from 'workbox-strategies';
import { isLanguage } from '../lib/languages.ts';
import { clipTableOf, isAudioClip, isClipTable, offlinePagePath, residentPageLanguage } from '../lib/offline-paths.ts';
import { deliverWaiting, SYNC_TAG, type DeliveryOutcome } from '../lib/waiting-requests.ts';

declare let self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | PrecacheEntry)[] };
/** Background Sync is not in TypeScript's worker library (nor in every browser: iOS has none). */
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

const PAGES = 'pages';
const AUDIO = 'audio';
/** A page that warms the cache may list every language of its municipality, and no more than that. */
const MAX_WARM_URLS = 24;
/**
 * WARM leaves a kept page alone for this long: residents pay for their data. A new version
 * refreshes kept pages on activation, and a page opened online is fetched anew anyway.
 */
const WARM_AGAIN_AFTER_MS = 7 * 24 * 3600_000;

// Every request not matched below goes to the network untouched: the API, staff pages, personal
// links, /healthz, /readyz, /.well-known/, other origins and every non-GET request (routes match GET only).

// The app shell and the "no internet" page of every language (injected at build). Their clips are
// kept by WARM for the resident's own language only.
addPlugins([new RangeRequestsPlugin()]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

/** One copy per page, whatever the query string. */
function pageKey(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

const pages = new NetworkFirst({
  cacheName: PAGES,
  networkTimeoutSeconds: 4,
  matchOptions: { ignoreSearch: true },
  plugins: [
    { cacheKeyWillBeUsed: async ({ request }) => pageKey(request.url) },
    // only a real page: no error page, no redirect (a navigation's redirect arrives opaque)
    {
      cacheWillUpdate: async ({ response }) => (response.status === 200 && response.type === 'basic' ? response : null),
    },
  ],
});

function isResidentPage(url: URL): boolean {
  return url.origin === self.location.origin && residentPageLanguage(url.pathname) !== null;
}

registerRoute(
  ({ request, url }) => request.mode === 'navigate' && isResidentPage(url),
  async (options: RouteHandlerCallbackOptions) => {
    try {
      return await pages.handle(options);
    } catch {
      // Neither online nor on the device: the "no internet" page in the page's language.
      const lang = residentPageLanguage(options.url.pathname) ?? undefined;
      return (
        (await matchPrecache(offlinePagePath(lang))) ?? (await matchPrecache(offlinePagePath())) ?? Response.error()
      );
    }
  },
);

/**
 * Clips are content-hashed, so a kept one is never stale. The <audio> element asks for byte
 * ranges; a 206 is never kept: on a miss the whole clip is fetched and kept, and every range is
 * cut from the kept clip.
 */
class AudioClips extends Strategy {
  protected override async _handle(request: Request, handler: StrategyHandler): Promise<Response> {
    const kept = await handler.cacheMatch(request);
    if (kept) return kept;
    const whole = await handler.fetch(request.url);
    if (whole.status !== 200) return whole;
    await handler.cachePut(request.url, whole.clone());
    return request.headers.has('range') ? createPartialResponse(request, whole) : whole;
  }
}

registerRoute(
  ({ url }) => url.origin === self.location.origin && isAudioClip(url.pathname),
  new AudioClips({
    cacheName: AUDIO,
    plugins: [
      new ExpirationPlugin({ maxEntries: 400, maxAgeSeconds: 60 * 24 * 3600, purgeOnQuotaError: true }),
      new RangeRequestsPlugin(),
    ],
  }),
);

/** Which clip belongs to which sentence: content-hashed like the clips, so kept as it is. */
registerRoute(
  ({ url }) => url.origin === self.location.origin && isClipTable(url.pathname),
  new AudioClips({ cacheName: AUDIO, plugins: [new ExpirationPlugin({ maxEntries: 400, maxAgeSeconds: 60 * 24 * 3600, purgeOnQuotaError: true })] }),
);

/**
 * Fetches a page without cookies (no invitation, nothing personal) and keeps it if it is a real
 * page, with the clip table it names, so the page can speak when it is opened offline.
 */
async function keepPage(cache: Cache, url: string): Promise<void> {
  try {
    const response = await fetch(url, { credentials: 'omit' });
    const html = (response.headers.get('Content-Type') ?? '').startsWith('text/html');
    if (response.status !== 200 || response.redirected || !html) return;
    const table = clipTableOf(await response.clone().text());
    await cache.put(url, response);
    if (table) await keepClipTable(new URL(table, self.location.origin).href);
  } catch {
    // offline or refused: the page stays as it was (or missing)
  }
}

async function keepClipTable(url: string): Promise<void> {
  const audio = await caches.open(AUDIO);
  if (await audio.match(url)) return;
  const response = await fetch(url);
  if (response.status === 200) await audio.put(url, response);
}

const warming = new Set<string>();

/** The clips of the "no internet" page in the resident's language, so it can speak offline too. */
async function keepOfflineClips(lang: unknown): Promise<void> {
  if (typeof lang !== 'string' || !isLanguage(lang)) return;
  const page = await matchPrecache(offlinePagePath(lang));
  if (!page) return;
  const html = await page.text();
  const cache = await caches.open(AUDIO);
  for (const m of html.matchAll(/\ssrc="(\/audio\/[a-z]+\/[0-9a-f]+\.mp3)"/g)) {
    const url = new URL(m[1] as string, self.location.origin).href;
    if (await cache.match(url)) continue;
    try {
      const response = await fetch(url);
      if (response.status === 200) await cache.put(url, response);
    } catch {
      // offline: next time
    }
  }
}

/** The pages (each with its language's texts) a resident page asked to have on the device. */
async function warm(urls: unknown): Promise<void> {
  if (!Array.isArray(urls)) return;
  const wanted = new Set<string>();
  for (const raw of urls.slice(0, MAX_WARM_URLS)) {
    if (typeof raw !== 'string') continue;
    let url: URL;
    try {
      url = new URL(raw, self.location.origin);
    } catch {
      continue;
    }
    if (isResidentPage(url)) wanted.add(pageKey(url.href));
  }
  const cache = await caches.open(PAGES);
  for (const url of wanted) {
    if (warming.has(url)) continue;
    const kept = await cache.match(url);
    const date = Date.parse(kept?.headers.get('Date') ?? '');
    if (kept && Date.now() - date < WARM_AGAIN_AFTER_MS) continue;
    warming.add(url);
    try {
      await keepPage(cache, url);
    } finally {
      warming.delete(url);
    }
  }
}

/** After an update the kept pages name the old version's scripts: fetch them again (old copies stay if that fails). */
async function refreshPages(): Promise<void> {
  const cache = await caches.open(PAGES);
  for (const request of await cache.keys()) await keepPage(cache, request.url);
}

/** Background Sync gives up after a few tries; rejecting asks the browser to try again later. */
async function deliverOrRetry(): Promise<void> {
  const outcomes: DeliveryOutcome[] = await deliverWaiting();
  if (outcomes.some((o) => o.result === 'later' && o.reason !== 'busy'))
    throw new Error('call-back requests still waiting');
}

self.addEventListener('sync', (event) => {
  const sync = event as SyncEvent;
  if (sync.tag === SYNC_TAG) sync.waitUntil(deliverOrRetry());
});

self.addEventListener('message', (event) => {
  const data: unknown = event.data;
  if (typeof data !== 'object' || data === null) return;
  const message = data as { type?: unknown; urls?: unknown; lang?: unknown };
  if (message.type === 'SKIP_WAITING') void self.skipWaiting();
  else if (message.type === 'DELIVER') event.waitUntil(deliverWaiting());
  else if (message.type === 'WARM') event.waitUntil(warm(message.urls).then(() => keepOfflineClips(message.lang)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
  // Not part of activation: pages' requests wait until activation is done, and these use the network.
  void deliverWaiting().catch(() => undefined);
  void refreshPages();
});
