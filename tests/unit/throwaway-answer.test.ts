// SPDX-License-Identifier: EUPL-1.2
/**
 * The answers are described once (flows/answers.ts): a question added to a copy of the table and
 * of the flow — here "do you have pets?", asked between the way of contact and consent — travels
 * through the conversation and its no-JS form, the call-back API (JSON and form posts), the
 * store, the staff request view, the reach breakdown, the OpenAPI description and the webhook
 * body a case system receives, without a change to any file under src/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMachine, type AnyStateMachine } from 'xstate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as AnswersModule from '../../flows/answers.ts';
import type * as ResidentModule from '../../flows/resident.ts';

vi.mock('../../flows/answers.ts', async (importOriginal) => {
  const original = await importOriginal<typeof AnswersModule>();
  const pets = {
    step: 'pets',
    type: 'one',
    options: [
      ['dog', 'house'],
      ['cat', 'house'],
      ['none', 'no'],
    ],
    personal: false,
    after: false,
    staff: 'row',
    caseSystem: true,
    reach: true,
  } as const;
  return { ...original, ANSWERS: { ...original.ANSWERS, pets } };
});

vi.mock('../../flows/resident.ts', async (importOriginal) => {
  const original = await importOriginal<typeof ResidentModule>();
  const flow = original.residentFlow as unknown as AnyStateMachine;
  const states = flow.config.states as Record<string, { on: Record<string, unknown> }>;
  const copy = createMachine(
    {
      ...flow.config,
      states: {
        ...states,
        // ways → pets → consent, and back
        ways: { ...states.ways, on: { ...states.ways!.on, CHOOSE: { ...(states.ways!.on.CHOOSE as object), target: 'pets' } } },
        pets: {
          meta: original.stepMeta('pets', { kind: 'choice', icon: 'house' }),
          on: {
            CHOOSE: { guard: { type: 'isOption', params: { field: 'pets' } }, target: 'consent', actions: { type: 'record', params: { field: 'pets' } } },
            BACK: 'ways',
          },
        },
        consent: { ...states.consent, on: { ...states.consent!.on, BACK: 'pets' } },
      },
    } as never,
    flow.implementations as never,
  );
  return { ...original, residentFlow: copy };
});

const dir = mkdtempSync(join(tmpdir(), 'hg-throwaway-'));
process.env.DATABASE_FILE = join(dir, 'db.sqlite');
process.env.SEED_DEMO = 'false';
const SECRET_ENV = 'HULPGESPREK_WEBHOOK_SECRET_THROWAWAY';
process.env[SECRET_ENV] = 'a-secret-of-at-least-thirty-two-characters';

const { applyEvent, eventFromForm, screenOf, startConversation } = await import('../../src/lib/conversation.ts');
const { callbackBody } = await import('../../src/lib/request-body.ts');
const { createHttp } = await import('../../src/server/http/server.ts');
const { startOutboxWorker } = await import('../../src/server/connector/worker.ts');
const { i18n } = await import('../../src/server/locales.ts');
const { reachReport } = await import('../../src/server/staff/reach.ts');
const { closeStore, getStore } = await import('../../src/server/runtime.ts');
const { demoMunicipalities } = await import('../../src/server/seed/seed.ts');
const { viewRequest } = await import('../../src/server/staff/requests.ts');
const { getCallbackRequest } = await import('../../src/server/store/callbacks.ts');
const { migrateToLatest } = await import('../../src/server/store/index.ts');
const { upsertMunicipality } = await import('../../src/server/store/municipalities.ts');
const { STATE_NAMES } = await import('../../src/lib/conversation.ts');
type Saved = ReturnType<typeof startConversation>;

const received: string[] = [];
const receiver = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    received.push(body);
    res.writeHead(204).end();
  });
});

beforeAll(async () => {
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  const port = (receiver.address() as { port: number }).port;
  const store = await getStore();
  await migrateToLatest(store);
  const base = demoMunicipalities().find((m) => m.slug === 'voorbeeld')!;
  const connector = { type: 'webhook', url: `http://127.0.0.1:${port}/hook`, secretEnv: SECRET_ENV };
  await upsertMunicipality(store, { slug: 'voorbeeld', name: base.name, config: { ...base, connector } });
  // the new question's words: data in the locale resources, as a translator would add them
  i18n.addResource('nl', 'resident', 'steps.pets.options.dog', 'Een hond');
  i18n.addResource('nl', 'resident', 'steps.pets.options.cat', 'Een kat');
  i18n.addResource('nl', 'staff', 'detail.pets', 'Huisdieren');
});

afterAll(async () => {
  await closeStore();
  await new Promise<void>((done) => receiver.close(() => done()));
  rmSync(dir, { recursive: true, force: true });
});

/** A no-JS form post on the resident page: the button's name/value pairs, read into a flow event. */
function submit(saved: Saved, form: { event: string; value?: string; values?: string[] }): Saved {
  const event = eventFromForm(screenOf(saved), form);
  expect(event, `${saved.state}: ${JSON.stringify(form)}`).not.toBeNull();
  return applyEvent(saved, event!);
}

// the real HTTP layer (API routes, validation, problem details), without pages or static files
const { api } = await createHttp();

async function post(body: string, type: string, key: string): Promise<Response> {
  const answer = await api.inject({ method: 'POST', url: '/api/v1/terugbelverzoeken', headers: { 'Content-Type': type, 'Idempotency-Key': key }, payload: body });
  return new Response(answer.body, { status: answer.statusCode });
}

describe('a throwaway question added to a copy of the table and the flow', () => {
  let requestId = '';

  it('is asked by the flow, with its options from the table, and goes into the request body', async () => {
    expect(STATE_NAMES).toContain('pets');
    let saved = startConversation({ channel: 'sms' });
    saved = submit(saved, { event: 'ANSWER', value: 'nl' });
    saved = submit(saved, { event: 'NEXT' });
    saved = submit(saved, { event: 'ANSWER', value: 'rent' });
    saved = submit(saved, { event: 'ANSWER', value: 'none' });
    saved = submit(saved, { event: 'ANSWER', values: ['talk'] });
    saved = submit(saved, { event: 'ANSWER', value: '06 12 34 56 78' });
    saved = submit(saved, { event: 'ANSWER', values: ['evening'] });
    saved = submit(saved, { event: 'ANSWER', value: 'whatsapp' });
    expect(saved.state).toBe('pets');
    expect(screenOf(saved).meta.options?.map((o) => o.value)).toEqual(['dog', 'cat', 'none']);
    expect(submit(saved, { event: 'ANSWER', value: 'parrot' }).state).toBe('pets');
    saved = submit(saved, { event: 'ANSWER', value: 'dog' });
    expect(saved.state).toBe('consent');
    saved = submit(saved, { event: 'ANSWER', value: 'yes' });
    expect(saved.state).toBe('sending');
    const { ANSWERS } = await import('../../flows/answers.ts');
    expect(callbackBody(saved, 'voorbeeld', 'nl', ANSWERS)).toMatchObject({ pets: 'dog', ways: ['whatsapp'] });
  });

  it('is taken by the API as JSON and refused with its own name when the code is unknown', async () => {
    const body = { municipality: 'voorbeeld', language: 'nl', topic: 'rent', phone: '0612345678', consent: true, ways: ['call'], pets: 'dog' };
    const wrong = await post(JSON.stringify({ ...body, pets: 'parrot' }), 'application/json', 'throwaway-wrong-1');
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as { invalidParams: { name: string }[] }).invalidParams.map((p) => p.name)).toEqual(['pets']);
    const created = await post(JSON.stringify(body), 'application/json', 'throwaway-json-1');
    expect(created.status).toBe(201);
    requestId = ((await created.json()) as { id: string }).id;
  });

  it('is taken by the API as a form post, and kept in the store', async () => {
    const form = new URLSearchParams({ municipality: 'voorbeeld', language: 'nl', topic: 'energy', phone: '0612345679', consent: 'on', pets: 'cat' });
    const created = await post(form.toString(), 'application/x-www-form-urlencoded', 'throwaway-form-1');
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    expect((await getCallbackRequest(await getStore(), id))?.answers.pets).toBe('cat');
    expect((await getCallbackRequest(await getStore(), requestId))?.answers.pets).toBe('dog');
  });

  it('is shown to staff under its own heading, in Dutch', async () => {
    const staff = { sessionId: 's', staffId: 'staff-1', email: 'a@example.org', name: 'A', role: 'caseworker', municipalities: ['voorbeeld'], csrfToken: 'c', demo: false, secondFactorOk: true, totpEnabled: false } as const;
    const detail = await viewRequest(await getStore(), { ...staff, municipalities: [...staff.municipalities] } as never, requestId, 'staff-ui');
    expect(detail?.answerRows).toContainEqual({ term: 'Huisdieren', values: ['Een hond'] });
  });

  it('is a reach breakdown and part of the OpenAPI description of the request', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const report = await reachReport(await getStore(), 'voorbeeld', { from: today, to: today });
    expect(report.by.pets?.map((b) => [b.key, b.funnel.callbacksRequested])).toEqual([
      ['cat', 1],
      ['dog', 1],
    ]);
    const doc = JSON.stringify((await api.inject({ url: '/api/v1/openapi.json' })).json());
    expect(doc).toContain('"pets":{"type":"string","enum":["dog","cat","none"]}');
  });

  it('reaches the case system in the webhook body', async () => {
    const worker = startOutboxWorker(await getStore(), { pollMs: 50, backoffBaseMs: 100, maxAttempts: 3, timeoutMs: 5000 }, false);
    expect(await worker.runOnce()).toBe(2);
    await worker.stop();
    const bodies = received.map((b) => JSON.parse(b) as { data: { requestId: string; pets: unknown } });
    expect(bodies.find((b) => b.data.requestId === requestId)?.data.pets).toBe('dog');
    expect(bodies.map((b) => b.data.pets).sort()).toEqual(['cat', 'dog']);
  });
});
