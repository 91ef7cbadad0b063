// SPDX-License-Identifier: EUPL-1.2
// Offline and bad networks: the service worker keeps the conversation working, and a call-back request made offline arrives exactly once.
import { expect, test, type Page } from '@playwright/test';
import { callbackRequests } from '../support/db.ts';
import { NL_CALLBACK, REFERENCE, Resident } from '../support/journey.ts';
import { municipality, t, type Lng } from '../support/strings.ts';

const ALL_LANGUAGES: Lng[] = ['nl', 'en', 'tr', 'ar', 'pl', 'uk', 'pap', 'ti'];

/** Waits until the service worker controls the page (it claims the page it was installed from). */
async function controlled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => navigator.serviceWorker?.controller !== null && navigator.serviceWorker?.controller !== undefined,
    null,
    {
      timeout: 15_000,
    },
  );
}

/** Paths of everything in the service worker's caches. */
async function cachedPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const paths: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
    }
    return paths;
  });
}

/** What waits in the device's IndexedDB queue, as raw JSON. */
async function waitingOnDevice(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('hulpgesprek');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('waiting')) return resolve([]);
          const all = db.transaction('waiting').objectStore('waiting').getAll();
          all.onsuccess = () => resolve((all.result as unknown[]).map((r) => JSON.stringify(r)));
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

function rowsFor(conversationId: string): number {
  return callbackRequests({ conversationId }).length;
}

test('offline at the call-back step: kept on the phone, then stored exactly once when back online', async ({
  page,
  context,
}) => {
  const r = new Resident(page, 'nl');
  await r.open();
  await controlled(page);
  await r.walk('nl', NL_CALLBACK, async () => {}, 'consent');
  const id = await r.conversationId();

  await context.setOffline(true);
  await r.choose('consent', 'yes');
  await r.expectStep('queued');
  const box = page.locator('.waiting-box');
  // the number as it was checked and read back before sending; a first name is asked only after it
  await expect(box).toContainText('06 12 34 56 78');
  await expect(box).not.toContainText('Samira');
  expect(rowsFor(id)).toBe(0);
  expect(await waitingOnDevice(page)).toHaveLength(1);
  // The conversation kept for resuming no longer holds the number: only the waiting request does.
  expect(await page.evaluate((key) => localStorage.getItem(key), `hulpgesprek:${municipality.slug}`)).not.toContain(
    '34 56 78',
  );

  // A reload while offline still shows what waits.
  await r.reload();
  await r.expectStep('queued');
  await expect(box).toContainText('06 12 34 56 78');

  await context.setOffline(false);
  await r.expectStep('done');
  await expect(page.getByText(r.text('steps.done.sentLater'))).toBeVisible();
  expect(await r.reference()).toMatch(REFERENCE);
  await expect.poll(() => rowsFor(id)).toBe(1);
  expect(await waitingOnDevice(page)).toEqual([]);

  // Coming back online again, or reopening the page, sends nothing more.
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await r.reload();
  await r.expectStep('done');
  expect(rowsFor(id)).toBe(1);
});

test('once the first screen has loaded, the whole conversation works offline, in another language too', async ({
  page,
  context,
}) => {
  const r = new Resident(page, 'nl');
  await r.open();
  await controlled(page);
  // every language's page (and so its texts) is kept for offline use
  await expect
    .poll(
      async () => {
        const paths = await cachedPaths(page);
        return ALL_LANGUAGES.filter((lng) => !paths.includes(`/${municipality.slug}/${lng}/`));
      },
      { timeout: 15_000 },
    )
    .toEqual([]);
  // a sentence listened to online can be listened to again offline
  await page.getByRole('button', { name: new RegExp(`^${r.text('listen.play')}: `) }).first().click();
  await expect
    .poll(async () => (await cachedPaths(page)).some((p) => p.startsWith('/audio/nl/')), { timeout: 10_000 })
    .toBe(true);
  const clip = (await cachedPaths(page)).find((p) => p.startsWith('/audio/nl/'))!;

  await context.setOffline(true);
  await r.reload();
  expect(await page.evaluate(async (url) => (await fetch(url)).status, clip)).toBe(200);
  const id = await r.conversationId();
  await r.walk('pl', NL_CALLBACK, async () => {}, 'consent');
  await r.choose('consent', 'yes');
  await r.expectStep('queued');
  expect(rowsFor(id)).toBe(0);

  await context.setOffline(false);
  await r.expectStep('done');
  await expect.poll(() => rowsFor(id)).toBe(1);
  expect(callbackRequests({ conversationId: id })[0]).toMatchObject({ language: 'pl' });
});

test.describe('without a service worker (as in browsers without Background Sync)', () => {
  test.use({ serviceWorkers: 'block' });

  test('a flaky network (answers lost, requests failing at random) still stores exactly one request', async ({
    page,
  }) => {
    // Deterministic "random": the same failures every run.
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    let attempts = 0;
    await page.route('**/api/v1/terugbelverzoeken', async (route) => {
      attempts += 1;
      if (attempts === 1) {
        // stored on the server, but the answer never reaches the phone
        await route.fetch();
        return route.abort('connectionreset');
      }
      if (attempts < 6 && random() < 0.7) return route.abort(random() < 0.5 ? 'internetdisconnected' : 'timedout');
      if (attempts < 6 && random() < 0.5) return route.fulfill({ status: 503, body: '' });
      return route.continue();
    });
    const r = new Resident(page, 'nl');
    await r.open();
    await r.walk('nl', NL_CALLBACK, async () => {}, 'consent');
    const id = await r.conversationId();
    await r.choose('consent', 'yes');
    await r.expectStep('queued');
    await expect.poll(() => rowsFor(id)).toBe(1);

    // The resident taps "Send now" until it gets through.
    for (let i = 0; i < 10; i++) {
      if ((await r.heading().innerText()) === r.title('done')) break;
      await r.button('steps.queued.sendNow').click();
      await page.waitForTimeout(300);
    }
    await r.expectStep('done');
    const reference = await r.reference();
    expect(callbackRequests({ conversationId: id })).toEqual([expect.objectContaining({ reference })]);
    expect(attempts).toBeGreaterThan(1);
  });
});

test('the resident can delete a request that waits on the phone: nothing is sent', async ({ page, context }) => {
  const r = new Resident(page, 'nl');
  await r.open();
  await controlled(page);
  await r.walk('nl', NL_CALLBACK, async () => {}, 'consent');
  const id = await r.conversationId();
  await context.setOffline(true);
  await r.choose('consent', 'yes');
  await r.expectStep('queued');
  await r.button('steps.queued.delete').click();
  await r.expectStep('discarded');
  expect(await waitingOnDevice(page)).toEqual([]);
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await r.reload();
  await r.expectStep('discarded');
  expect(rowsFor(id)).toBe(0);
  expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain('12345678');
});

test('a new service worker mid-conversation does not reload the page or lose an answer', async ({ page }) => {
  const r = new Resident(page, 'nl');
  await r.open();
  await controlled(page);
  await r.walk('nl', NL_CALLBACK, async () => {}, 'moments');
  await page.evaluate(() => {
    (window as unknown as { __samePage: boolean }).__samePage = true;
  });
  const firstWorker = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);

  // A new version of the worker is published while the resident is answering.
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.register('/sw.js?version=next', { scope: '/' });
    await new Promise<void>((resolve) => {
      const installed = () => registration.waiting !== null || registration.active?.scriptURL.includes('version=next');
      if (installed()) return resolve();
      const timer = setInterval(() => {
        if (installed()) {
          clearInterval(timer);
          resolve();
        }
      }, 100);
    });
  });
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);
  await r.expectStep('moments');
  // it waits until the conversation is finished instead of taking over now
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(firstWorker);

  await r.tick('moments', NL_CALLBACK.moments);
  await r.reload();
  await r.expectStep('ways');
  await r.back();
  for (const moment of NL_CALLBACK.moments) await expect(r.checkbox('moments', moment)).toBeChecked();
});

test('a page that is not on the phone yet shows the offline page, in every language', async ({ page, context }) => {
  const r = new Resident(page, 'nl');
  await r.open();
  await controlled(page);
  await context.setOffline(true);
  for (const lng of ALL_LANGUAGES) {
    // zeedorp's pages were never opened on this phone
    await page.goto(`/zeedorp/${lng}/`);
    await expect(page.locator('html')).toHaveAttribute('lang', lng);
    await expect(page.locator('html')).toHaveAttribute('dir', lng === 'ar' ? 'rtl' : 'ltr');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t(lng, 'offline.title'));
    await expect(page.getByRole('link', { name: t(lng, 'offline.retry') })).toBeVisible();
  }
});
