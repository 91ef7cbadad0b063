// SPDX-License-Identifier: EUPL-1.2
// The call-back API against the built server and a real SQLite file: valid, invalid, retries, limits.
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttp } from '../../src/server/http/server.ts';
import { startApp, type AppServer } from '../support/app-server.ts';

let app: AppServer;
const endpoint = () => `${app.url}/api/v1/terugbelverzoeken`;
const valid = {
  municipality: 'voorbeeld',
  language: 'nl',
  topic: 'energy',
  phone: '06-12345678',
  consent: true,
  channel: 'sms',
  urgency: 'cutoff',
  help: ['arrangement', 'buurtteam'],
  moments: ['morning'],
  ways: ['call', 'whatsapp'],
  talkLanguage: 'nl',
  voicemail: 'yes',
  firstName: 'Samira',
};

function rows(sql: string, ...params: (string | number)[]): Record<string, unknown>[] {
  const db = new DatabaseSync(app.databaseFile, { readOnly: true });
  try {
    return db.prepare(sql).all(...params) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}
const count = () => Number(rows('select count(*) as n from callback_requests')[0]?.n);

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(endpoint(), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
  if (process.env.SHOW_SERVER_OUTPUT) console.log(app?.output());
});

describe('POST /api/v1/terugbelverzoeken', () => {
  it('stores a valid request with the phone number in E.164 and answers 201 with a reference', async () => {
    const res = await post(valid);
    expect(res.status).toBe(201);
    expect(res.headers.get('api-version')).toMatch(/^\d+\.\d+\.\d+$/);
    const body = (await res.json()) as { id: string; reference: string; status: string };
    expect(body.reference).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(body.reference).not.toContain('6123');
    const [row] = rows('select * from callback_requests where reference = ?', body.reference);
    expect(row).toMatchObject({ municipality: 'voorbeeld', phone: '+31612345678', urgent: 1, topic: 'energy', channel: 'sms', first_name: 'Samira', status: 'new' });
    expect(JSON.parse(String(row?.answers))).toMatchObject({ help: ['arrangement', 'buurtteam'], ways: ['call', 'whatsapp'], voicemail: 'yes' });
  });

  it.each([
    ['+31 6 1234 5678', '+31612345678'],
    ['0031612345678', '+31612345678'],
    ['0118 123 456', '+31118123456'],
    ['+44 7911 123456', '+447911123456'],
    ['+90 532 123 45 67', '+905321234567'],
  ])('accepts %s as %s', async (phone, e164) => {
    const res = await post({ ...valid, phone });
    expect(res.status).toBe(201);
    const { reference } = (await res.json()) as { reference: string };
    expect(rows('select phone from callback_requests where reference = ?', reference)[0]?.phone).toBe(e164);
  });

  it('accepts the form-encoded body of the no-JavaScript path', async () => {
    const form = new URLSearchParams({ municipality: 'voorbeeld', language: 'en', topic: 'rent', phone: '0612345678', consent: 'true' });
    form.append('help', 'coach');
    form.append('help', 'walkin');
    const res = await fetch(endpoint(), { method: 'POST', body: form });
    expect(res.status).toBe(201);
    const { reference } = (await res.json()) as { reference: string };
    const [row] = rows('select * from callback_requests where reference = ?', reference);
    expect(row?.language).toBe('en');
    expect(JSON.parse(String(row?.answers)).help).toEqual(['coach', 'walkin']);
  });

  it('answers 422 naming every invalid field with a code, and stores nothing', async () => {
    const before = count();
    const res = await post({ ...valid, phone: '12', topic: 'casino', consent: false, language: 'xx', firstName: '<script>', extra: 1 });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { status: number; invalidParams: { name: string; code: string }[] };
    expect(problem.status).toBe(422);
    const byName = Object.fromEntries(problem.invalidParams.map((p) => [p.name, p.code]));
    expect(byName).toMatchObject({ phone: 'tooShort', topic: 'invalid', consent: 'invalid', language: 'invalid', firstName: 'invalid', extra: 'unknownField' });
    expect(count()).toBe(before);
  });

  it('says which required fields are missing', async () => {
    const res = await post({ municipality: 'voorbeeld' });
    expect(res.status).toBe(422);
    const { invalidParams } = (await res.json()) as { invalidParams: { name: string; code: string }[] };
    for (const name of ['language', 'topic', 'phone', 'consent']) expect(invalidParams).toContainEqual(expect.objectContaining({ name, code: 'required' }));
  });

  it('refuses an unknown municipality', async () => {
    const res = await post({ ...valid, municipality: 'nergenshuizen' });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { invalidParams: unknown[] }).invalidParams).toContainEqual(expect.objectContaining({ name: 'municipality', code: 'unknown' }));
  });

  it('answers a retry with the same Idempotency-Key with the first answer and stores nothing new', async () => {
    const key = `retry-${Date.now()}`;
    const first = await post(valid, { 'Idempotency-Key': key });
    const firstBody = await first.json();
    const before = count();
    const again = await Promise.all([1, 2, 3].map(() => post(valid, { 'Idempotency-Key': key })));
    for (const res of again) {
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual(firstBody);
    }
    expect(count()).toBe(before);
  });

  it('refuses the same Idempotency-Key with another body (409)', async () => {
    const key = `conflict-${Date.now()}`;
    expect((await post(valid, { 'Idempotency-Key': key })).status).toBe(201);
    const res = await post({ ...valid, topic: 'water' }, { 'Idempotency-Key': key });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers 400 for broken JSON', async () => {
    const res = await post('{"municipality": "voorbeeld",');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('api-version')).toBeTruthy();
  });

  it('answers 413 for a body over 16 KB without storing it', async () => {
    const before = count();
    const res = await post({ ...valid, firstName: 'a'.repeat(17 * 1024) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { status: number }).status).toBe(413);
    expect(count()).toBe(before);
  });

  it('answers 415 for another content type', async () => {
    const res = await fetch(endpoint(), { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(valid) });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses a post from another site (403)', async () => {
    const res = await post(valid, { Origin: 'https://elders.example' });
    expect(res.status).toBe(403);
  });
});

describe('POST /<municipality>/<lang>/ (the no-JavaScript path)', () => {
  it('moves the conversation on with a form post', async () => {
    const res = await fetch(`${app.url}/voorbeeld/nl/`, { method: 'POST', body: new URLSearchParams({ answer: 'nl' }) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('data-step="welcome"');
  });
  it('refuses a form over 16 KB with 413, like the API', async () => {
    const res = await fetch(`${app.url}/voorbeeld/nl/`, { method: 'POST', body: new URLSearchParams({ conversation: 'x'.repeat(17 * 1024) }) });
    expect(res.status).toBe(413);
  });
});

describe('GET /healthz', () => {
  it('is 200 when the database answers', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});

describe('PUT /api/v1/gesprekken/{id}', () => {
  it('records how far a conversation got, codes only', async () => {
    const id = crypto.randomUUID();
    const report = { municipality: 'voorbeeld', channel: 'letter-qr', language: 'tr', topic: 'rent', inviteId: null, lastStep: 'checkin', answers: { topic: 'rent' }, outcome: null, finished: false };
    const res = await fetch(`${app.url}/api/v1/gesprekken/${id}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(report) });
    expect(res.status).toBe(204);
    expect(rows('select channel, language, last_step from conversations where id = ?', id)[0]).toEqual({ channel: 'letter-qr', language: 'tr', last_step: 'checkin' });
  });
  it('refuses free text where codes belong', async () => {
    const res = await fetch(`${app.url}/api/v1/gesprekken/${crypto.randomUUID()}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ municipality: 'voorbeeld', channel: 'web', language: 'nl', topic: null, inviteId: null, lastStep: 'phone', answers: { phone: '0612345678 call me' }, outcome: null, finished: false }),
    });
    expect(res.status).toBe(422);
  });
  it('takes only the answers and codes the flow knows, and an invitation of that municipality that exists', async () => {
    const base = { municipality: 'voorbeeld', channel: 'web', language: 'nl', topic: null, inviteId: null, lastStep: 'topic', answers: { topic: 'rent' }, outcome: null, finished: false };
    const put = async (change: Record<string, unknown>) => {
      const id = crypto.randomUUID();
      const res = await fetch(`${app.url}/api/v1/gesprekken/${id}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...base, ...change }) });
      return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as { invalidParams?: { name: string; code: string }[] }), stored: rows('select count(*) as n from conversations where id = ?', id)[0]?.n };
    };
    expect((await put({})).status).toBe(204);
    expect(await put({ answers: { huisnummer: 'ja' } })).toMatchObject({ status: 422, body: { invalidParams: [{ name: 'answers.huisnummer', code: 'unknownField' }] }, stored: 0 });
    expect(await put({ answers: { topic: 'kapot' } })).toMatchObject({ status: 422, body: { invalidParams: [{ name: 'answers.topic', code: 'unknownCode' }] }, stored: 0 });
    expect(await put({ answers: { topic: ['rent'] } })).toMatchObject({ status: 422, stored: 0 });
    expect(await put({ inviteId: crypto.randomUUID() })).toMatchObject({ status: 422, body: { invalidParams: [{ name: 'inviteId', code: 'unknown' }] }, stored: 0 });
    expect(await put({ inviteId: 'not-an-id' })).toMatchObject({ status: 422, stored: 0 });
  });
});

describe('OpenAPI description', () => {
  // the routes as the HTTP layer registers them (src/server/http/server.ts), so a new one cannot be left out
  async function routes(): Promise<{ path: string; methods: string[] }[]> {
    const { api, routes: registered } = await createHttp();
    await api.close();
    return registered.map((r) => ({ path: r.pattern.replace(/^\/api\/v1/, '').replace(/\[(\w+)\]/g, '{$1}'), methods: r.methods.map((m) => m.toLowerCase()) }));
  }

  it('describes exactly the routes that exist, with their methods', async () => {
    const res = await fetch(`${app.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\.1/);
    const described = Object.entries(doc.paths).map(([path, ops]) => ({ path, methods: Object.keys(ops).sort() })).sort((a, b) => a.path.localeCompare(b.path));
    const served = (await routes()).map((r) => ({ ...r, methods: r.methods.sort() })).sort((a, b) => a.path.localeCompare(b.path));
    expect(served.length).toBeGreaterThan(15);
    expect(described).toEqual(served);
  });

  it('lists the fields the API really requires', async () => {
    const doc = (await (await fetch(`${app.url}/api/v1/openapi.json`)).json()) as {
      components: { schemas: { TerugbelverzoekInput: { required: string[]; properties: Record<string, unknown> } } };
    };
    const schema = doc.components.schemas.TerugbelverzoekInput;
    expect(schema.required.sort()).toEqual(['consent', 'language', 'municipality', 'phone', 'topic']);
    // every property the description names is accepted by the server (a 201, not an unknownField)
    for (const name of Object.keys(schema.properties)) expect(Object.keys(valid).concat(['channel', 'conversationId', 'inviteId', 'checkin', 'happened', 'moreBills', 'contactPrefs'])).toContain(name);
  });
});

describe('PUT /api/v1/terugbelverzoeken/{id}/aanvulling', () => {
  const put = (id: string, body: unknown) =>
    fetch(`${endpoint()}/${id}/aanvulling`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  async function created(): Promise<{ id: string; conversationId: string }> {
    const conversationId = crypto.randomUUID();
    // what is needed to send; name, talk language and voicemail come after it
    const needed = Object.fromEntries(Object.entries(valid).filter(([k]) => !['firstName', 'talkLanguage', 'voicemail'].includes(k)));
    const res = await post({ ...needed, conversationId });
    expect(res.status).toBe(201);
    return { id: ((await res.json()) as { id: string }).id, conversationId };
  }

  it('adds the optional answers given after sending, from the device that sent the request', async () => {
    const { id, conversationId } = await created();
    expect((await put(id, { conversationId, checkin: 'hard', contactPrefs: ['woman', 'interpreter'] })).status).toBe(204);
    expect((await put(id, { conversationId, talkLanguage: 'ar', voicemail: 'no', firstName: 'Samira' })).status).toBe(204);
    const [row] = rows('select answers, first_name from callback_requests where id = ?', id);
    expect(row?.first_name).toBe('Samira');
    expect(JSON.parse(String(row?.answers))).toMatchObject({ checkin: 'hard', contactPrefs: ['woman', 'interpreter'], talkLanguage: 'ar', voicemail: 'no', urgency: 'cutoff', help: ['arrangement', 'buurtteam'] });
  });

  it('answers 404 for another conversation id or a made-up request, and changes nothing', async () => {
    const { id } = await created();
    expect((await put(id, { conversationId: crypto.randomUUID(), firstName: 'Eve' })).status).toBe(404);
    expect((await put(crypto.randomUUID(), { conversationId: crypto.randomUUID(), firstName: 'Eve' })).status).toBe(404);
    expect((await put('not-an-id', { conversationId: crypto.randomUUID() })).status).toBe(404);
    expect(rows('select first_name from callback_requests where id = ?', id)[0]?.first_name).toBeNull();
  });

  it('refuses what the flow does not know with 422, naming the field, and a closed request with 409', async () => {
    const { id, conversationId } = await created();
    const res = await put(id, { conversationId, contactPrefs: ['robot'], phone: '0612345678' });
    expect(res.status).toBe(422);
    const names = ((await res.json()) as { invalidParams: { name: string }[] }).invalidParams.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['phone', 'contactPrefs.0']));
    const db = new DatabaseSync(app.databaseFile);
    // the server may be writing (a background job): wait for it rather than fail
    db.exec('PRAGMA busy_timeout=5000');
    db.prepare("update callback_requests set status = 'closed' where id = ?").run(id);
    db.close();
    expect((await put(id, { conversationId, checkin: 'ok' })).status).toBe(409);
  });
});

describe('POST /api/v1/telefoonnummer', () => {
  const check = (phone: unknown) =>
    fetch(`${app.url}/api/v1/telefoonnummer`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ phone }) });

  it('reads a number back in the groups Dutch people say, Arabic-Indic digits too', async () => {
    for (const typed of ['0612345678', '٠٦١٢٣٤٥٦٧٨']) {
      const res = await check(typed);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ e164: '+31612345678', display: '06 12 34 56 78', groups: ['06', '12', '34', '56', '78'] });
    }
  });

  it('says what is wrong with a number, as a code the page translates', async () => {
    for (const [typed, code] of [['0612', 'tooShort'], ['0612345678999', 'tooLong'], ['bel mij', 'letters'], ['', 'required'], [42, 'required']] as const) {
      const res = await check(typed);
      expect(res.status, String(typed)).toBe(422);
      expect(((await res.json()) as { invalidParams: { code: string }[] }).invalidParams[0]?.code, String(typed)).toBe(code);
    }
    const before = count();
    await check('0612345678');
    expect(count(), 'a check stores nothing').toBe(before);
  });
});

describe('without JavaScript, the optional answers after sending', () => {
  it('"send again" on the thanks screen adds them to the stored request', async () => {
    const { startConversation } = await import('../../src/lib/conversation.ts');
    const conversationId = crypto.randomUUID();
    const needed = Object.fromEntries(Object.entries(valid).filter(([k]) => !['firstName', 'talkLanguage', 'voicemail'].includes(k)));
    const created = (await (await post({ ...needed, conversationId })).json()) as { id: string; reference: string };
    const start = startConversation({ channel: 'web', language: 'nl' }, conversationId);
    const saved = {
      ...start,
      state: 'thanks',
      context: { ...start.context, reference: created.reference, requestId: created.id, checkin: 'hard', contactPrefs: ['man'], extrasUnsaved: true },
    };
    const res = await fetch(`${app.url}/voorbeeld/nl/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: app.url, 'Sec-Fetch-Site': 'same-origin' },
      body: new URLSearchParams({ conversation: JSON.stringify(saved), event: 'RETRY_EXTRAS' }),
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-step="thanks"');
    // the page no longer says that something still has to be sent (the text is in the island's table, not on screen)
    expect(html).not.toContain('class="field-error-box"');
    expect(html).toContain('&quot;extrasUnsaved&quot;:false');
    const [row] = rows('select answers from callback_requests where id = ?', created.id);
    expect(JSON.parse(String(row?.answers))).toMatchObject({ checkin: 'hard', contactPrefs: ['man'] });
  });
});
