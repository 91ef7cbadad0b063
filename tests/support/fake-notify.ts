// SPDX-License-Identifier: EUPL-1.2
/**
 * A local NotifyNL: a real HTTP server that implements the Notify endpoints the portal uses
 * (POST /v2/notifications/sms, GET /v2/notifications?reference=…), checks the JWT the client
 * signs (HS256 with the key's secret, iss = the service id, iat within 30 s, as Notify does),
 * answers as Notify does (ValidationError for an invalid number, RateLimitError, 500), can be told
 * to fail on purpose, and sends delivery receipts to a callback URL with a bearer token.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSms {
  id: string;
  reference: string | null;
  phone: string;
  templateId: string;
  personalisation: Record<string, unknown>;
  createdAt: string;
}

export interface FakeNotify {
  url: string;
  serviceId: string;
  /** the key to configure the portal with */
  apiKey: string;
  sent: FakeSms[];
  /** every request, with whether its JWT held */
  requests: { method: string; path: string; authorised: boolean }[];
  /** the next `n` sends answer this status (500 = outage, 429 = rate limit) */
  failNext(n: number, status: 500 | 429 | 503): void;
  /** numbers Notify refuses (400 ValidationError) */
  invalidNumbers: Set<string>;
  /** sends a delivery receipt for one SMS to `callbackUrl`, as Notify does */
  receipt(sms: FakeSms, status: 'delivered' | 'permanent-failure' | 'temporary-failure' | 'technical-failure', callbackUrl: string, token: string): Promise<number>;
  close(): Promise<void>;
}

/** Checks a Notify JWT as Notify does; the reason it fails, or null. */
export function jwtProblem(authorization: string | undefined, serviceId: string, secret: string, nowSeconds = Date.now() / 1000): string | null {
  const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  if (!token) return 'no bearer token';
  const [head, body, signature] = token.split('.');
  if (!head || !body || !signature) return 'not a JWT';
  const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string };
  if (header.alg !== 'HS256') return 'not HS256';
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad signature';
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as { iss?: string; iat?: number };
  if (claims.iss !== serviceId) return 'wrong iss';
  if (typeof claims.iat !== 'number' || Math.abs(nowSeconds - claims.iat) > 30) return 'iat out of range';
  return null;
}

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString();
  return text ? (JSON.parse(text) as unknown) : null;
}

function answer(res: ServerResponse, status: number, data: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(data));
}

const notifyError = (status: number, error: string, message: string) => ({ status_code: status, errors: [{ error, message }] });

export async function startFakeNotify(): Promise<FakeNotify> {
  const serviceId = randomUUID();
  const secret = randomUUID();
  const sent: FakeSms[] = [];
  const requests: FakeNotify['requests'] = [];
  const invalidNumbers = new Set<string>();
  let failures: { n: number; status: number } = { n: 0, status: 500 };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const problem = jwtProblem(req.headers.authorization, serviceId, secret);
      requests.push({ method: req.method ?? '', path: url.pathname, authorised: problem === null });
      if (problem) return answer(res, 403, notifyError(403, 'AuthError', `Invalid token: ${problem}`));
      if (req.method === 'POST' && url.pathname === '/v2/notifications/sms') {
        const body = (await bodyOf(req)) as { phone_number?: string; template_id?: string; personalisation?: Record<string, unknown>; reference?: string };
        if (failures.n > 0) {
          failures = { ...failures, n: failures.n - 1 };
          const type = failures.status === 429 ? 'RateLimitError' : 'Exception';
          return answer(res, failures.status, notifyError(failures.status, type, 'on purpose'));
        }
        if (!body.phone_number || invalidNumbers.has(body.phone_number)) return answer(res, 400, notifyError(400, 'ValidationError', 'phone_number Not a valid mobile number'));
        if (!body.template_id) return answer(res, 400, notifyError(400, 'ValidationError', 'template_id is a required property'));
        const sms: FakeSms = { id: randomUUID(), reference: body.reference ?? null, phone: body.phone_number, templateId: body.template_id, personalisation: body.personalisation ?? {}, createdAt: new Date().toISOString() };
        sent.push(sms);
        return answer(res, 201, { id: sms.id, reference: sms.reference, content: { body: String(sms.personalisation.bericht ?? ''), from_number: 'Gemeente' }, uri: `${url.origin}/v2/notifications/${sms.id}`, template: { id: sms.templateId, version: 1, uri: '' } });
      }
      if (req.method === 'GET' && url.pathname === '/v2/notifications') {
        const reference = url.searchParams.get('reference');
        const list = sent.filter((s) => reference === null || s.reference === reference).map((s) => ({ id: s.id, reference: s.reference, type: 'sms', status: 'sending', phone_number: s.phone }));
        return answer(res, 200, { notifications: list, links: { current: url.href } });
      }
      return answer(res, 404, notifyError(404, 'NotFound', 'no such endpoint'));
    })().catch((error: unknown) => answer(res, 500, notifyError(500, 'Exception', String(error))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    serviceId,
    apiKey: `hulpgesprek_test-${serviceId}-${secret}`,
    sent,
    requests,
    invalidNumbers,
    failNext(n, status) {
      failures = { n, status };
    },
    async receipt(sms, status, callbackUrl, token) {
      const now = new Date().toISOString();
      const r = await fetch(callbackUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ id: sms.id, reference: sms.reference, to: sms.phone, status, created_at: sms.createdAt, completed_at: now, sent_at: sms.createdAt, notification_type: 'sms' }),
      });
      return r.status;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
