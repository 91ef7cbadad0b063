// SPDX-License-Identifier: EUPL-1.2
// The NotifyNL client against a local Notify that checks the signed JWT and fails on purpose.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNotifyKey, Notify } from '../../src/server/notify/client.ts';
import { jwtProblem, startFakeNotify, type FakeNotify } from '../support/fake-notify.ts';

const TEMPLATE = '5a1c2d3e-0000-4000-8000-000000000001';

describe('the NotifyNL client', () => {
  let fake: FakeNotify;
  beforeAll(async () => {
    fake = await startFakeNotify();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('sends an SMS with a JWT Notify accepts, the text as the template’s one field and the outbox id as reference', async () => {
    const notify = new Notify({ baseUrl: fake.url, apiKey: fake.apiKey, templateId: TEMPLATE });
    const result = await notify.sendSms('+31612345678', 'Gemeente Voorbeeld: gratis hulp', 'outbox-1');
    expect(result.kind).toBe('sent');
    const sms = fake.sent.at(-1);
    expect(sms).toMatchObject({ phone: '+31612345678', templateId: TEMPLATE, reference: 'outbox-1', personalisation: { bericht: 'Gemeente Voorbeeld: gratis hulp' } });
    expect(result).toEqual({ kind: 'sent', notifyId: sms?.id });
    expect(fake.requests.at(-1)).toEqual({ method: 'POST', path: '/v2/notifications/sms', authorised: true });
    // a cut-off send is found again by its reference; an unknown one is not there
    expect(await notify.findByReference('outbox-1')).toBe(sms?.id);
    expect(await notify.findByReference('outbox-2')).toBeNull();
  });

  it('is refused by Notify with another service’s secret: a configuration error, nothing sent', async () => {
    const wrong = fake.apiKey.replace(/.{12}$/, '000000000000');
    const notify = new Notify({ baseUrl: fake.url, apiKey: wrong, templateId: TEMPLATE });
    const before = fake.sent.length;
    expect(await notify.sendSms('+31612345678', 'x', 'outbox-3')).toEqual({ kind: 'misconfigured', error: 'HTTP 403 AuthError' });
    expect(fake.sent.length).toBe(before);
    expect(fake.requests.at(-1)?.authorised).toBe(false);
  });

  it('sorts Notify’s failures: an invalid number for good, an outage and the rate limit for later, a dead server too', async () => {
    const notify = new Notify({ baseUrl: fake.url, apiKey: fake.apiKey, templateId: TEMPLATE, timeoutMs: 2000 });
    fake.invalidNumbers.add('+31600000000');
    expect(await notify.sendSms('+31600000000', 'x', 'outbox-4')).toEqual({ kind: 'rejected', error: 'HTTP 400 ValidationError' });
    fake.failNext(1, 500);
    expect(await notify.sendSms('+31612345678', 'x', 'outbox-5')).toEqual({ kind: 'retry', error: 'HTTP 500 Exception' });
    fake.failNext(1, 429);
    expect(await notify.sendSms('+31612345678', 'x', 'outbox-5')).toEqual({ kind: 'retry', error: 'HTTP 429 RateLimitError' });
    // and then it goes
    expect((await notify.sendSms('+31612345678', 'x', 'outbox-5')).kind).toBe('sent');
    const closed = new Notify({ baseUrl: 'http://127.0.0.1:9', apiKey: fake.apiKey, templateId: TEMPLATE, timeoutMs: 2000 });
    expect((await closed.sendSms('+31612345678', 'x', 'outbox-6')).kind).toBe('retry');
  });

  it('takes only a key of Notify’s shape', () => {
    expect(isNotifyKey(fake.apiKey)).toBe(true);
    expect(isNotifyKey('hg_abcdef')).toBe(false);
    expect(() => new Notify({ baseUrl: fake.url, apiKey: 'nonsense', templateId: TEMPLATE })).toThrow(/name-<service id>-<secret>/);
  });

  it('the local Notify checks the JWT as Notify does: signature, issuer and time', () => {
    expect(jwtProblem(undefined, 's', 'k')).toBe('no bearer token');
    expect(jwtProblem('Bearer a.b', 's', 'k')).toBe('not a JWT');
    const token = (claims: object, secret = 'k') => {
      const head = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'HS256' })).toString('base64url');
      const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `Bearer ${head}.${body}.${createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')}`;
    };
    const now = Math.round(Date.now() / 1000);
    expect(jwtProblem(token({ iss: 's', iat: now }), 's', 'k')).toBeNull();
    expect(jwtProblem(token({ iss: 's', iat: now }, 'other'), 's', 'k')).toBe('bad signature');
    expect(jwtProblem(token({ iss: 't', iat: now }), 's', 'k')).toBe('wrong iss');
    expect(jwtProblem(token({ iss: 's', iat: now - 60 }), 's', 'k')).toBe('iat out of range');
  });
});
