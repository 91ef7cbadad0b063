// SPDX-License-Identifier: EUPL-1.2
/**
 * Property-based hostile input (fast-check) against the built server: wrong types, huge and odd
 * strings, prototype keys, deep nesting. Never a 5xx, API errors are problem+json, and a
 * call-back row is stored exactly when the answer is 201.
 */
import { DatabaseSync } from 'node:sqlite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '../support/app-server.ts';

let app: AppServer;
const SEED = Number(process.env.FUZZ_SEED ?? 20261126);
const CONCURRENCY = 16;

beforeAll(async () => {
  // Limits off: thousands of requests from one address would otherwise be answered 429.
  app = await startApp({ RATE_LIMIT_CALLBACKS: '0', RATE_LIMIT_PROGRESS: '0' });
});
afterAll(async () => {
  await app?.stop();
});

function count(): number {
  const db = new DatabaseSync(app.databaseFile, { readOnly: true });
  try {
    db.exec('PRAGMA busy_timeout=5000');
    return Number((db.prepare('select count(*) as n from callback_requests').get() as { n: number }).n);
  } finally {
    db.close();
  }
}

interface Sent {
  label: string;
  method: string;
  path: string;
  body?: string;
  type?: string;
}
interface Got extends Sent {
  status: number;
  contentType: string;
}

/** Sends all requests, at most CONCURRENCY at a time. */
async function sendAll(requests: readonly Sent[]): Promise<Got[]> {
  const results: Got[] = new Array<Got>(requests.length);
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      const r = requests[i] as Sent;
      const res = await fetch(`${app.url}${r.path}`, {
        method: r.method,
        redirect: 'manual',
        headers: r.type ? { 'Content-Type': r.type } : {},
        ...(r.body !== undefined ? { body: r.body } : {}),
      });
      await res.arrayBuffer();
      results[i] = { ...r, status: res.status, contentType: res.headers.get('content-type') ?? '' };
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return results;
}

function expectSane(results: readonly Got[], api: boolean): void {
  const broken = results.filter((r) => r.status >= 500);
  expect(broken.map((r) => `${r.status} ${r.method} ${r.path.slice(0, 80)} ${r.label}: ${(r.body ?? '').slice(0, 200)}`)).toEqual([]);
  if (api) {
    const plain = results.filter((r) => r.status >= 400 && !r.contentType.startsWith('application/problem+json'));
    expect(plain.map((r) => `${r.status} ${r.contentType} ${r.path.slice(0, 80)} ${(r.body ?? '').slice(0, 120)}`)).toEqual([]);
  }
}

// --- arbitraries ----------------------------------------------------------------------------

const NASTY = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' OR '1'='1",
  "'; DROP TABLE callback_requests; --",
  '1; select * from staff_accounts',
  '\u202Eenogreb\u202C',
  '\u200B\u200C\u200D\uFEFF',
  '\uD800',
  '\uDFFF\uD800',
  '\u0000',
  'Ā̴̡̛̭͇',
  '🇳🇱👨‍👩‍👧',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '../../etc/passwd',
  '%00%2e%2e%2f',
  '${7*7}{{7*7}}',
  'NaN',
  '-0',
  '1e309',
];

const oddString = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(...NASTY).map((s) => s.repeat(50)),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => 'x'.repeat(n)),
);
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: oddString },
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(oddString, { maxLength: 20 }),
  fc.dictionary(oddString, oddString, { maxKeys: 5 }),
  fc.jsonValue({ maxDepth: 3 }),
);

const validCallback: Record<string, unknown> = {
  municipality: 'voorbeeld',
  language: 'nl',
  topic: 'energy',
  phone: '0612345678',
  consent: true,
  channel: 'web',
  urgency: 'cutoff',
  help: ['arrangement'],
  moments: ['morning'],
  ways: ['call'],
  talkLanguage: 'nl',
  voicemail: 'yes',
  firstName: 'Samira',
};
const validProgress: Record<string, unknown> = {
  municipality: 'voorbeeld',
  channel: 'web',
  language: 'nl',
  topic: null,
  inviteId: null,
  lastStep: 'welcome',
  answers: {},
  outcome: null,
  finished: false,
};

/** A valid body with some fields replaced, removed or added (the most interesting near misses). */
function mutated(base: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(base);
  return fc
    .record({
      replace: fc.dictionary(fc.constantFrom(...keys), oddValue, { maxKeys: 3 }),
      remove: fc.subarray(keys, { maxLength: 2 }),
      add: fc.dictionary(fc.oneof(oddString, fc.constantFrom('__proto__', 'constructor', 'prototype')), oddValue, { maxKeys: 2 }),
    })
    .map(({ replace, remove, add }) => {
      const out: Record<string, unknown> = { ...base };
      for (const k of remove) delete out[k];
      for (const [k, v] of Object.entries(replace)) out[k] = v;
      for (const [k, v] of Object.entries(add)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      return out;
    });
}

/** Raw JSON texts: prototype pollution attempts, deep nesting, broken and non-object JSON. */
const rawJson = fc.oneof(
  fc.constantFrom(
    '{"__proto__":{"admin":true},"municipality":"voorbeeld"}',
    '{"constructor":{"prototype":{"admin":true}}}',
    '{"municipality":"voorbeeld","__proto__":null}',
    '[]',
    'null',
    '0',
    '"x"',
    '{',
    '{"a":1,}',
    '\uFEFF{}',
    '',
  ),
  fc.integer({ min: 10, max: 5000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 10, max: 3000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc.string({ maxLength: 200 }),
  fc.jsonValue().map((v) => JSON.stringify(v)),
);

function jsonBodies(base: Record<string, unknown>): fc.Arbitrary<string> {
  return fc.oneof({ weight: 3, arbitrary: mutated(base).map((o) => JSON.stringify(o)) }, { weight: 1, arbitrary: rawJson });
}

const formPairs = (keys: readonly string[]) =>
  fc.array(fc.tuple(fc.oneof(fc.constantFrom(...keys, '__proto__', 'constructor'), oddString), fc.oneof(oddString, fc.constantFrom('true', 'voorbeeld', 'nl', 'energy', '0612345678'))), {
    maxLength: 16,
  });
const formBody = (keys: readonly string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: formPairs(keys).map((pairs) => new URLSearchParams(pairs).toString()) },
    fc.constantFrom('%', '%zz=1', '&&&', '=', 'a=%E0%A4%A', 'a'.repeat(20_000)),
  );

/**
 * Path segments: odd strings, sent percent-encoded byte by byte (lone surrogates become U+FFFD),
 * short enough for Node's 16 KB header limit (beyond it Node itself answers 431 and closes).
 */
const pathSegment = fc.oneof(oddString.map((s) => s.slice(0, 1500)), fc.constantFrom('', '..', '%2e%2e', 'ABCD-EFGH-JKMNP', 'abcd efgh jkmnp')).map((s) =>
  [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0').toUpperCase()}`)).join(''),
);

const sample = <T>(arb: fc.Arbitrary<T>, numRuns: number, offset: number) => fc.sample(arb, { numRuns, seed: SEED + offset });

// --- properties -----------------------------------------------------------------------------

describe('hostile input', () => {
  it('POST /api/v1/terugbelverzoeken (JSON and form): no 5xx, problem+json, a row exactly for each 201', async () => {
    const json = sample(jsonBodies(validCallback), 3000, 1).map((body): Sent => ({ label: 'json', method: 'POST', path: '/api/v1/terugbelverzoeken', body, type: 'application/json' }));
    const form = sample(formBody(Object.keys(validCallback)), 1500, 2).map((body): Sent => ({
      label: 'form',
      method: 'POST',
      path: '/api/v1/terugbelverzoeken',
      body,
      type: 'application/x-www-form-urlencoded',
    }));
    const types = sample(fc.constantFrom('text/plain', 'application/json; charset=latin1', 'multipart/form-data', 'APPLICATION/JSON', ''), 100, 3).map(
      (type): Sent => ({ label: 'type', method: 'POST', path: '/api/v1/terugbelverzoeken', body: JSON.stringify(validCallback), type }),
    );
    const before = count();
    const results = await sendAll([...json, ...form, ...types]);
    expectSane(results, true);
    const created = results.filter((r) => r.status === 201).length;
    // Each 201 stored one row (no Idempotency-Key is sent); every refused body stored none.
    expect(count() - before).toBe(created);
    expect(created).toBeGreaterThan(0);
    expect(results.filter((r) => r.status === 422).length).toBeGreaterThan(1000);
  }, 120_000);

  it('PUT /api/v1/gesprekken/{id}: no 5xx, problem+json, never a call-back row', async () => {
    const id = fc.oneof({ weight: 3, arbitrary: fc.uuid().map((u) => u.toLowerCase()) }, pathSegment);
    const requests = sample(fc.tuple(id, jsonBodies(validProgress)), 2500, 4).map(([i, body]): Sent => ({
      label: 'progress',
      method: 'PUT',
      path: `/api/v1/gesprekken/${i}`,
      body,
      type: 'application/json',
    }));
    const before = count();
    const results = await sendAll(requests);
    expectSane(results, true);
    expect(results.filter((r) => r.status === 204).length).toBeGreaterThan(0);
    expect(count()).toBe(before);
  }, 120_000);

  it('POST /voorbeeld/nl/ (the form without JavaScript): no 5xx, and random answers store nothing', async () => {
    const page = await (await fetch(`${app.url}/voorbeeld/nl/`)).text();
    const conversation = (/name="conversation" value="([^"]*)"/.exec(page)?.[1] ?? '').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    expect(conversation).toContain('"state"');
    const saved = JSON.parse(conversation) as Record<string, unknown>;
    const conversationField = fc.oneof(
      fc.constant(conversation),
      mutated(saved).map((o) => JSON.stringify(o)),
      rawJson,
      oddString,
    );
    const fields = fc.record({
      conversation: conversationField,
      answer: fc.array(fc.oneof(oddString, fc.constantFrom('nl', 'energy', 'yes', 'no', 'dontknow')), { maxLength: 3 }),
      event: fc.option(fc.oneof(oddString, fc.constantFrom('ANSWER', 'BACK', 'RESTART', 'SENT', 'FAILED')), { nil: undefined }),
    });
    const requests = sample(fields, 2000, 5).map(({ conversation: c, answer, event }): Sent => {
      const form = new URLSearchParams({ conversation: c });
      for (const a of answer) form.append('answer', a);
      if (event !== undefined) form.append('event', event);
      return { label: 'nojs', method: 'POST', path: '/voorbeeld/nl/', body: form.toString(), type: 'application/x-www-form-urlencoded' };
    });
    const before = count();
    const results = await sendAll(requests);
    expectSane(results, false);
    expect(count()).toBe(before);
  }, 120_000);

  it('GET /s/{code}: no 5xx for any code', async () => {
    const requests = sample(pathSegment, 1200, 6).map((code): Sent => ({ label: 'link', method: 'GET', path: `/s/${code}` }));
    const results = await sendAll(requests);
    expectSane(results, false);
    // Unknown codes get the friendly page (200) until the guessing limit answers 429.
    expect(results.every((r) => [200, 303, 404, 429, 400].includes(r.status))).toBe(true);
  }, 120_000);
});
