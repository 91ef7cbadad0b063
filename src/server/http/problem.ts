// SPDX-License-Identifier: EUPL-1.2
/** RFC 9457 problem details and the headers every API answer carries (NL API Design Rules). */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { invalidParamsOf } from '../../lib/callback-request.ts';
import { ID_PATTERN } from '../../lib/ids.ts';

export const API_VERSION = '1.0.0';

export function apiHeaders(extra: Record<string, string> = {}): Headers {
  return new Headers({ 'API-Version': API_VERSION, 'Cache-Control': 'no-store', ...extra });
}

export function json(status: number, body: unknown, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: apiHeaders({ 'Content-Type': 'application/json', ...extra }),
  });
}

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  invalidParams?: { name: string; code: string; reason: string }[];
}

/** The body of a problem answer (RFC 9457), for the API (sendProblem) and for the pages' Response (problem). */
export function problemBody(p: Problem): Problem & { type: string } {
  return { type: p.type ?? 'about:blank', ...p };
}

/** A problem answer of an API route, as application/problem+json (RFC 9457 defines no charset parameter). */
export function sendProblem(reply: FastifyReply, p: Problem, extra: Record<string, string> = {}): FastifyReply {
  return reply.code(p.status).headers(extra).type('application/problem+json').serializer(JSON.stringify).send(problemBody(p));
}

export function problem(p: Problem, extra: Record<string, string> = {}): Response {
  const body = problemBody(p);
  return new Response(JSON.stringify(body), {
    status: p.status,
    headers: apiHeaders({ 'Content-Type': 'application/problem+json', ...extra }),
  });
}

/** 429 with Retry-After, for a client over a rate limit. */
export function tooManyRequests(reply: FastifyReply, retryAfterSeconds: number): FastifyReply {
  return sendProblem(
    reply,
    { status: 429, title: 'Too Many Requests', detail: `Too many requests from this network. Try again in ${retryAfterSeconds} seconds.` },
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

export const MAX_BODY_BYTES = 16 * 1024;

export type BodyKind = 'json' | 'form' | 'csv';

export const MEDIA_TYPES: Record<BodyKind, string> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
  csv: 'text/csv',
};

/**
 * The form fields of a page's no-JavaScript post (a page route is Astro's, so Fastify reads no
 * body there), of at most 16 KB like an API body: reading stops as soon as the limit is passed,
 * so a huge body costs no memory.
 */
export async function readForm(request: Request): Promise<{ ok: true; form: URLSearchParams } | { ok: false; response: Response }> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== MEDIA_TYPES.form) {
    return { ok: false, response: problem({ status: 415, title: 'Unsupported Media Type', detail: `Send ${MEDIA_TYPES.form}.` }) };
  }
  if (Number(request.headers.get('content-length') ?? '0') > MAX_BODY_BYTES) return { ok: false, response: tooLarge(MAX_BODY_BYTES) };
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) {
        await reader.cancel();
        return { ok: false, response: tooLarge(MAX_BODY_BYTES) };
      }
      chunks.push(value);
    }
  }
  return { ok: true, form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')) };
}

function tooLarge(maxBytes: number): Response {
  return problem({ status: 413, title: 'Content Too Large', detail: `The body may be at most ${maxBytes} bytes.` });
}

/** The one zod-to-problem+json mapper: 422 naming every field zod refused, with a code a screen can translate. */
export function invalidBody(error: z.ZodError, body: unknown): Problem & { type: string } {
  return problemBody({ status: 422, title: 'Unprocessable Content', detail: 'One or more fields are not valid.', invalidParams: invalidParamsOf(error, body) });
}

/** 422 for fields a route finds wrong after the schema (an unknown municipality, say). */
export function invalidFields(reply: FastifyReply, invalidParams: NonNullable<Problem['invalidParams']>, detail = 'One or more fields are not valid.'): FastifyReply {
  return sendProblem(reply, { status: 422, title: 'Unprocessable Content', detail, invalidParams });
}

/** Problem details in the OpenAPI document (components.schemas.Problem). */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    invalidParams: z.array(z.object({ name: z.string(), code: z.string(), reason: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

/** The problem answers of a route, each with what it means there, e.g. { 404: 'No such batch' }. */
export function problems(described: Record<number, string>): Record<number, { description: string; content: { 'application/problem+json': { schema: typeof problemSchema } } }> {
  return Object.fromEntries(
    Object.entries(described).map(([status, description]) => [status, { description, content: { 'application/problem+json': { schema: problemSchema } } }]),
  );
}

/** The Idempotency-Key header of a write that may be retried (400 when it is malformed). */
export function idempotencyHeaders(description: string) {
  return z.looseObject({
    'idempotency-key': z
      .string()
      .regex(/^[\x21-\x7e]{8,100}$/, 'Idempotency-Key must be 8 to 100 visible ASCII characters.')
      .optional()
      .describe(description),
  });
}

/** A time in an answer (ISO 8601, as stored): described as date-time, not checked again on the way out. */
export const dateTimeText = z.string().meta({ format: 'date-time' });

/** An id (a UUID, as src/lib/ids.ts checks it) in a path or an answer. */
export const idText = z.string().regex(ID_PATTERN).meta({ format: 'uuid' });
