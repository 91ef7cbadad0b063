// SPDX-License-Identifier: EUPL-1.2
/**
 * HTTP side of invitations for a municipality's case system: bearer-key auth, one invitation
 * (JSON), a batch (CSV in, CSV out), the batch again, its printable QR sheet, one QR code.
 */
import { isId } from '../../lib/ids.ts';
import { z } from 'zod';
import { TOPICS } from '../../../flows/resident.ts';
import { normaliseInviteCode } from '../../lib/invite-code.ts';
import { SmsTextError } from '../../lib/invite-sms.ts';
import { authenticate, type ApiCaller } from './api-keys.ts';
import { isValidIdempotencyKey } from '../callbacks/requests.ts';
import {
  batchCsv,
  batchSheet,
  caseRefProblem,
  createInvite,
  createInviteBatch,
  INVITE_CHANNELS,
  inviteQrSvg,
  parseInviteCsv,
} from './invites.ts';
import { getStore } from '../runtime.ts';
import { SHEET_HEADERS, type Sheet } from './print.ts';
import { log } from '../log.ts';
import { apiHeaders, invalidBody, json, problem, readBody } from '../http/problem.ts';

export const MAX_CSV_BYTES = 1024 * 1024;

export const inviteRequestSchema = z.strictObject({
  caseRef: z
    .string()
    .trim()
    .min(1)
    .superRefine((value, ctx) => {
      const p = caseRefProblem(value);
      if (p) ctx.addIssue({ code: 'custom', message: `caseRef ${p.reason}` });
    })
    .optional()
    .describe('The case number in your own system (at most 100 characters; not shown to the resident).'),
  topic: z
    .enum(TOPICS)
    .nullable()
    .optional()
    .describe('Preset the conversation topic; leave out to let the resident choose.'),
  channel: z.enum(INVITE_CHANNELS),
});


function unauthorized(): Response {
  return problem(
    {
      status: 401,
      title: 'Unauthorized',
      detail: 'Send a valid API key of your municipality: Authorization: Bearer hg_…',
    },
    { 'WWW-Authenticate': 'Bearer realm="hulpgesprek"' },
  );
}

function notFound(what: string): Response {
  return problem({ status: 404, title: 'Not Found', detail: `No such ${what}.` });
}

/** An SMS that cannot fit is a deployment setting (PUBLIC_URL, the name), not the caller's fault. */
function smsProblem(error: SmsTextError): Response {
  log.error({ action: 'invites.create', origin: 'http', err: error }, 'invitation failed');
  return problem({ status: 500, title: 'Internal Server Error', detail: error.message });
}

async function caller(request: Request): Promise<ApiCaller | null> {
  return authenticate(await getStore(), request);
}

function idempotencyKey(request: Request): { ok: true; key: string | null } | { ok: false; response: Response } {
  const key = request.headers.get('idempotency-key');
  if (key !== null && !isValidIdempotencyKey(key)) {
    return {
      ok: false,
      response: problem({
        status: 400,
        title: 'Bad Request',
        detail: 'Idempotency-Key must be 8 to 100 visible ASCII characters.',
      }),
    };
  }
  return { ok: true, key };
}

/** POST /api/v1/uitnodigingen */
export async function handleCreateInvite(request: Request): Promise<Response> {
  const who = await caller(request);
  if (!who) return unauthorized();
  const key = idempotencyKey(request);
  if (!key.ok) return key.response;
  const body = await readBody(request, () => null, { accept: ['json'] });
  if (!body.ok) return body.response;
  const parsed = inviteRequestSchema.safeParse(body.value);
  if (!parsed.success) return invalidBody(parsed.error, body.value);
  const store = await getStore();
  try {
    const outcome = await createInvite(
      store,
      who.municipality,
      { caseRef: parsed.data.caseRef ?? null, topic: parsed.data.topic ?? null, channel: parsed.data.channel },
      key.key,
    );
    if (outcome.kind === 'conflict') return conflict();
    return json(201, outcome.invite, outcome.kind === 'replay' ? { 'Idempotent-Replayed': 'true' } : {});
  } catch (error) {
    if (error instanceof SmsTextError) return smsProblem(error);
    throw error;
  }
}

function conflict(): Response {
  return problem({
    status: 409,
    title: 'Conflict',
    detail: 'This Idempotency-Key was used before with a different request.',
  });
}

function csvResponse(status: number, csv: string, batchId: string, extra: Record<string, string> = {}): Response {
  return new Response(csv, {
    status,
    headers: apiHeaders({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="uitnodigingen-${batchId}.csv"`,
      ...extra,
    }),
  });
}

/** POST /api/v1/uitnodigingen/batches?channel=sms|letter-qr (body: text/csv) */
export async function handleCreateBatch(request: Request): Promise<Response> {
  const who = await caller(request);
  if (!who) return unauthorized();
  const key = idempotencyKey(request);
  if (!key.ok) return key.response;
  const channel = new URL(request.url).searchParams.get('channel');
  const channelOk = INVITE_CHANNELS.find((c) => c === channel);
  if (!channelOk) {
    return problem({
      status: 422,
      title: 'Unprocessable Content',
      detail: 'Say how the invitations reach residents: ?channel=sms or ?channel=letter-qr.',
      invalidParams: [
        {
          name: 'channel',
          code: channel === null ? 'required' : 'invalid',
          reason: `channel must be one of ${INVITE_CHANNELS.join(', ')}`,
        },
      ],
    });
  }
  const body = await readBody(request, () => null, { accept: ['csv'], maxBytes: MAX_CSV_BYTES });
  if (!body.ok) return body.response;
  if (body.kind !== 'csv') throw new Error('readBody gave another kind than asked for');
  const parsed = parseInviteCsv(body.value);
  if (!parsed.ok) {
    return problem({
      status: 422,
      title: 'Unprocessable Content',
      detail: parsed.detail,
      invalidParams: parsed.invalid,
    });
  }
  const store = await getStore();
  try {
    const outcome = await createInviteBatch(
      store,
      {
        municipality: who.municipality,
        createdBy: `api-key:${who.keyId}`,
        channel: channelOk,
        rows: parsed.rows,
        requestBody: body.value,
      },
      key.key,
    );
    if (outcome.kind === 'conflict') return conflict();
    return csvResponse(201, outcome.csv, outcome.batchId, {
      Location: `/api/v1/uitnodigingen/batches/${outcome.batchId}`,
      ...(outcome.kind === 'replay' ? { 'Idempotent-Replayed': 'true' } : {}),
    });
  } catch (error) {
    if (error instanceof SmsTextError) return smsProblem(error);
    throw error;
  }
}

/** GET /api/v1/uitnodigingen/batches/{id} */
export async function handleGetBatch(request: Request, id: string): Promise<Response> {
  const who = await caller(request);
  if (!who) return unauthorized();
  // Another municipality's batch is "not found", never "forbidden": ids reveal nothing.
  const csv = isId(id) ? await batchCsv(await getStore(), who.municipality, id) : null;
  return csv === null ? notFound('batch') : csvResponse(200, csv, id);
}

/** GET /api/v1/uitnodigingen/batches/{id}/qr: the sheet to render (src/pages/…/qr.astro), or the answer instead. */
export async function batchSheetFor(request: Request, id: string): Promise<{ sheet: Sheet; headers: Record<string, string> } | Response> {
  const who = await caller(request);
  if (!who) return unauthorized();
  const sheet = isId(id) ? await batchSheet(await getStore(), who.municipality, id) : null;
  if (sheet === null) return notFound('batch');
  return { sheet, headers: Object.fromEntries(apiHeaders(SHEET_HEADERS).entries()) };
}

/** GET /api/v1/uitnodigingen/{code}/qr.svg */
export async function handleInviteQr(request: Request, rawCode: string): Promise<Response> {
  const who = await caller(request);
  if (!who) return unauthorized();
  const code = normaliseInviteCode(rawCode);
  const svg = code ? await inviteQrSvg(await getStore(), who.municipality, code) : null;
  if (svg === null) return notFound('invitation');
  return new Response(svg, { status: 200, headers: apiHeaders({ 'Content-Type': 'image/svg+xml' }) });
}
