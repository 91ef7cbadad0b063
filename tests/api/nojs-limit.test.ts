// SPDX-License-Identifier: EUPL-1.2
// The no-JavaScript form path shares the API's per-client limit on call-back requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResidentEvent } from '../../flows/resident.ts';
import { applyEvent, startConversation } from '../../src/lib/conversation.ts';
import { startApp, type AppServer } from '../support/app-server.ts';
import { dbRows } from '../support/staff.ts';

let app: AppServer;
beforeAll(async () => {
  app = await startApp({ RATE_LIMIT_CALLBACKS: '1' });
});
afterAll(async () => {
  await app?.stop();
});

function atConsent() {
  const events: ResidentEvent[] = [
    { type: 'CHOOSE', value: 'nl' },
    { type: 'NEXT' },
    { type: 'CHOOSE', value: 'rent' },
    { type: 'CHOOSE', value: 'none' },
    { type: 'CHOOSE_MANY', values: ['talk'] },
    { type: 'ENTER', value: '0612345678' },
    { type: 'CHOOSE_MANY', values: ['morning'] },
    { type: 'CHOOSE', value: 'call' },
  ];
  return events.reduce(applyEvent, startConversation({ channel: 'web' }));
}

const consentYes = (saved: ReturnType<typeof atConsent>) =>
  fetch(`${app.url}/voorbeeld/nl/`, { method: 'POST', body: new URLSearchParams({ conversation: JSON.stringify(saved), answer: 'yes' }) });

describe('no-JS call-back requests', () => {
  it('stores the first request and refuses the next one from the same client, keeping the answers', async () => {
    const first = atConsent();
    expect(first.state).toBe('consent');
    const ok = await consentYes(first);
    expect(await ok.text()).toContain('data-step="done"');
    const count = () => Number(dbRows(app.databaseFile, 'select count(*) as n from callback_requests')[0]?.n);
    expect(count()).toBe(1);

    const again = await consentYes(atConsent());
    const html = await again.text();
    expect(html).toContain('data-step="consent"');
    expect(html).toContain('role="alert"');
    expect(count()).toBe(1);
  });
});
