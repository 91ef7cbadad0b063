// SPDX-License-Identifier: EUPL-1.2
/**
 * The invitation API routes for a municipality's case system: bearer-key auth, one invitation
 * (JSON), a batch (CSV in, CSV out), the batch again, its printable QR sheet (an Astro
 * component), one QR code.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { codeOfDdasValue, ddasValues, type SignalPartner, type SignalStatus } from '../../lib/ddas.ts';
import { INVITE_ALPHABET, INVITE_CODE_LENGTH } from '../../lib/invite-code.ts';
import { LANGUAGES } from '../../lib/languages.ts';
import type { SignalInput } from '../store/cases.ts';
import { TOPICS } from '../../../flows/resident.ts';
import { normaliseInviteCode } from '../../lib/invite-code.ts';
import { SmsTextError } from '../../lib/invite-sms.ts';
import { authenticate, type ApiCaller } from './api-keys.ts';
import { caseRefProblem, createInvite, INVITE_CHANNELS, inviteQrSvg } from './invites.ts';
import { BATCH_COLUMNS, batchAuditResult, batchCsv, batchOptionsFor, batchSheet, createInviteBatch, MAX_BATCH_ROWS, parseInviteCsv, PHONE_COLUMN } from './batch.ts';
import { audit } from '../staff/audit.ts';
import { getStore } from '../runtime.ts';
import { log } from '../log.ts';
import { nodeRequest } from '../http/guard.ts';
import { dateTimeText, idempotencyHeaders, idText, invalidFields, problems, sendProblem } from '../http/problem.ts';
import type { Api } from '../http/server.ts';

export const MAX_CSV_BYTES = 1024 * 1024;

/** Signals in one request at most; a household has a handful. */
const MAX_SIGNALS = 50;

/** A DDAS date: YYYY-MM-DD, a real day. */
const ddasDateText = z.iso.date();

/**
 * One signal as DDAS writes it (vroegsignaal), without `client`: the portal keeps no BSN, name
 * or address, so a request that sends them is refused rather than stored.
 */
export const ddasSignalSchema = z
  .strictObject({
    ID: z
      .string()
      .trim()
      .min(1)
      .max(100)
      // the same rule as a case reference: it is written into the batch's CSV
      .superRefine((v, ctx) => {
        const p = caseRefProblem(v);
        if (p) ctx.addIssue({ code: 'custom', message: `ID ${p.reason}` });
      })
      .describe('Your own ID of the signal.'),
    signaalpartner: z.strictObject({ type: z.enum(ddasValues('signalPartner') as [string, ...string[]]) }),
    bedrag: z.number().int().min(0).max(10_000_000).optional().describe('The amount owed, in whole euros.'),
    ontstaansdatum: ddasDateText.optional(),
    signaaldatum: ddasDateText.optional(),
    crisissignaal: z.boolean().optional(),
    warmeOverdracht: z.boolean().optional(),
    status: z.enum(ddasValues('signalStatus') as [string, ...string[]]).optional(),
  })
  .meta({ id: 'Vroegsignaal' });

/** A signal in the portal's own codes. */
export function signalInput(s: z.output<typeof ddasSignalSchema>): SignalInput {
  return {
    ref: s.ID,
    partner: codeOfDdasValue('signalPartner', s.signaalpartner.type) as SignalPartner,
    amount: s.bedrag ?? null,
    arisenOn: s.ontstaansdatum ?? null,
    signalledOn: s.signaaldatum ?? null,
    crisis: s.crisissignaal ?? false,
    warmHandover: s.warmeOverdracht ?? false,
    status: s.status === undefined ? null : (codeOfDdasValue('signalStatus', s.status) as SignalStatus),
  };
}

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
  vroegsignalen: z
    .array(ddasSignalSchema)
    .max(MAX_SIGNALS)
    .optional()
    .describe('The household\'s early signals in the DDAS model (Uitwisselmodel Vroegsignalering v0.9), each with your own signal ID. A signal ID sent before is recognised, not stored twice. Needs caseRef: the signals of one case reference make one case with one personal link.'),
})
  .refine((body) => body.vroegsignalen === undefined || body.caseRef !== undefined, { path: ['caseRef'], message: 'Signals need the case reference of the household (caseRef).' })
  .refine((body) => new Set(body.vroegsignalen?.map((s) => s.ID)).size === (body.vroegsignalen?.length ?? 0), { path: ['vroegsignalen'], message: 'A signal ID is in the list twice.' })
  .meta({ id: 'Uitnodiging' });


const codeGroups = `[${INVITE_ALPHABET}]{4}-[${INVITE_ALPHABET}]{4}-[${INVITE_ALPHABET}]{${INVITE_CODE_LENGTH - 8}}`;

const inviteSchema = z
  .object({
    id: idText,
    code: z.string().regex(new RegExp(`^${codeGroups}$`)).describe('As printed on a letter; the link carries it without dashes.'),
    link: z.url(),
    smsText: z.string().max(160).nullable().describe('One SMS in the GSM-7 basic character set, with the link and the check word; null for letter-qr.'),
    checkWord: z.string().describe('Print it with the link; the first screen shows the same word.'),
    expiresAt: dateTimeText,
    qrSvgUrl: z.string().describe('A path on this server'),
    vroegsignalen: z
      .array(z.object({ ID: z.string(), ontvangen: z.enum(['nieuw', 'bekend']).describe('bekend: this signal ID was sent before') }))
      .optional()
      .describe('What became of each signal sent with this request.'),
  })
  .meta({ id: 'UitnodigingLink' });


const batchParams = z.object({ id: idText });
const text = (type: string, description: string) => ({ description, content: { [type]: { schema: z.string() } } });
const SECURITY = [{ apiKey: [] }];

declare module 'fastify' {
  interface FastifyRequest {
    /** the case system behind the bearer key (invitation routes) */
    caller?: ApiCaller;
  }
}

/** Every invitation route needs a key of the municipality it acts for. */
async function requireKey(request: FastifyRequest, reply: FastifyReply) {
  const caller = await authenticate(await getStore(), nodeRequest(request));
  if (!caller) {
    return sendProblem(
      reply,
      { status: 401, title: 'Unauthorized', detail: 'Send a valid API key of your municipality: Authorization: Bearer hg_…' },
      { 'WWW-Authenticate': 'Bearer realm="hulpgesprek"' },
    );
  }
  if (!caller.scopes.includes('invites')) {
    return sendProblem(reply, { status: 403, title: 'Forbidden', detail: 'This API key may not make invitations (its scope is not invites).' });
  }
  request.caller = caller;
  return undefined;
}

function callerOf(request: FastifyRequest): ApiCaller {
  if (!request.caller) throw new Error('invitation route without its key check');
  return request.caller;
}

const notFound = (reply: FastifyReply, what: string) => sendProblem(reply, { status: 404, title: 'Not Found', detail: `No such ${what}.` });
const conflict = (reply: FastifyReply) => sendProblem(reply, { status: 409, title: 'Conflict', detail: 'This Idempotency-Key was used before with a different request.' });

/** An SMS that cannot fit is a deployment setting (PUBLIC_URL, the name), not the caller's fault. */
function smsProblem(reply: FastifyReply, error: SmsTextError) {
  log.error({ action: 'invites.create', origin: 'http', err: error }, 'invitation failed');
  return sendProblem(reply, { status: 500, title: 'Internal Server Error', detail: error.message });
}

function sendCsv(reply: FastifyReply, status: number, csv: string, batchId: string) {
  return reply.code(status).type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="uitnodigingen-${batchId}.csv"`).send(csv);
}

export async function invitationRoutes(api: Api): Promise<void> {
  api.post(
    '/uitnodigingen',
    {
      onRequest: requireKey,
      schema: {
        operationId: 'createUitnodiging',
        summary: 'One personal invitation link, with its check word, SMS text and QR code',
        security: SECURITY,
        headers: idempotencyHeaders('A retry with the same key returns the first invitation and makes no new one.'),
        body: inviteRequestSchema,
        response: {
          200: { description: 'The case has a working personal link already: that one, with the signals added to the case', content: { 'application/json': { schema: inviteSchema } } },
          201: { description: 'Made (or, with a repeated Idempotency-Key, made before)', content: { 'application/json': { schema: inviteSchema } } },
          ...problems({
            400: 'Broken JSON or a bad Idempotency-Key',
            401: 'No valid API key',
            409: 'Idempotency-Key reused with another body, or a signal ID that belongs to another case',
            413: 'Body over 16 KB',
            415: 'Not JSON',
            422: 'Invalid fields (a signal with client data is refused: the portal keeps no BSN, name or address)',
            500: 'The SMS text cannot fit in 160 characters with this PUBLIC_URL and municipality name',
          }),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      try {
        const outcome = await createInvite(
          await getStore(),
          callerOf(request).municipality,
          { caseRef: body.caseRef ?? null, topic: body.topic ?? null, channel: body.channel, signals: (body.vroegsignalen ?? []).map(signalInput) },
          request.headers['idempotency-key'] ?? null,
        );
        if (outcome.kind === 'conflict') return conflict(reply);
        if (outcome.kind === 'otherCase') {
          return sendProblem(reply, { status: 409, title: 'Conflict', detail: `Signal ID ${outcome.refs.join(', ')} belongs to another case of this municipality; nothing was stored.` });
        }
        if (outcome.kind === 'replay') reply.header('Idempotent-Replayed', 'true');
        else {
          const who = callerOf(request);
          const signals = outcome.invite.vroegsignalen;
          await audit(await getStore(), {
            actor: `api-key:${who.keyId}`,
            action: 'invite',
            objectType: 'invite',
            objectId: outcome.invite.id,
            municipality: who.municipality,
            result: `ok (${outcome.kind === 'existing' ? 'the case’s working link' : 'new link'}${signals ? `; signals: ${signals.filter((x) => x.ontvangen === 'nieuw').length} new, ${signals.filter((x) => x.ontvangen === 'bekend').length} known` : ''})`,
            origin: 'api',
          });
        }
        return reply.code(outcome.kind === 'existing' || outcome.existing ? 200 : 201).send(outcome.invite);
      } catch (error) {
        if (error instanceof SmsTextError) return smsProblem(reply, error);
        throw error;
      }
    },
  );

  api.post(
    '/uitnodigingen/batches',
    {
      onRequest: requireKey,
      bodyLimit: MAX_CSV_BYTES,
      config: { accept: ['csv'] },
      schema: {
        operationId: 'createUitnodigingBatch',
        summary: 'Personal links for the households of a CSV, one row per signal or household; the answer says per row what became of it',
        security: SECURITY,
        headers: idempotencyHeaders('A retry with the same key and CSV returns the first batch and makes no new one.'),
        querystring: z.object({ channel: z.string().optional().describe('How the invitations reach residents: sms or letter-qr.').meta({ enum: [...INVITE_CHANNELS] }) }),
        body: z
          .string()
          .describe(
            `UTF-8 CSV (RFC 4180) with a header of these columns in any order and case: \`${BATCH_COLUMNS.join(',')}\`; only case_ref is required. ` +
              `At most ${MAX_BATCH_ROWS} rows and ${MAX_CSV_BYTES} bytes. A header with semicolons (a Dutch spreadsheet's CSV) is read with semicolons. ` +
              'Rows with the same case_ref are one household: one case, one personal link. The signal columns are the DDAS vroegsignaal fields: ' +
              'signaal_id is your own signal ID (a signal sent before is recognised, not doubled), signaalpartner and signaalstatus take the DDAS values ' +
              "(or the portal's codes), bedrag euros (rounded to whole euros), dates YYYY-MM-DD or DD-MM-YYYY, crisissignaal and warme_overdracht ja/nee. " +
              `taal is the resident's language code (${Object.keys(LANGUAGES).join(', ')}). ` +
              `${PHONE_COLUMN} (the resident's mobile number, for the SMS the portal sends itself) is taken only when your municipality's contact plan sends SMS; otherwise it is personal data like the others. ` +
              'A column with personal data (bsn, naam, adres, geboortedatum, …) refuses the whole file: the portal keeps none. ' +
              'A row that cannot be used is refused with a Dutch reason and the other rows are kept. References may not start with = + - @.',
          ),
        response: {
          201: text(
            'text/csv',
            'At least one row stored. CSV `row,case_ref,signaal_id,result,reason,code,link,sms_text,check_word,expires_at`, one row per row of the request: ' +
              'result is `made` (a new personal link, shared by the rows of one household), `existing` (the case had a working link: that one) or `refused` (reason says why, in Dutch; nothing of that row was stored). ' +
              'sms_text is empty for letter-qr. Location names the batch.',
          ),
          ...problems({
            400: 'Not UTF-8, or a bad Idempotency-Key',
            401: 'No valid API key',
            409: 'Idempotency-Key reused with another body',
            413: 'Body over 1 MB',
            415: 'Not text/csv in UTF-8',
            422: 'No or a wrong channel, a header or file that cannot be read, or no row that can be used (nothing is stored); reasons in Dutch',
            500: 'The SMS text cannot fit in 160 characters with this PUBLIC_URL and municipality name',
          }),
        },
      },
    },
    async (request, reply) => {
      const channel = request.query.channel;
      const channelOk = INVITE_CHANNELS.find((c) => c === channel);
      if (!channelOk) {
        return invalidFields(
          reply,
          [{ name: 'channel', code: channel === undefined ? 'required' : 'invalid', reason: `channel must be one of ${INVITE_CHANNELS.join(', ')}` }],
          'Say how the invitations reach residents: ?channel=sms or ?channel=letter-qr.',
        );
      }
      const who = callerOf(request);
      // the resident's mobile number only for a municipality whose contact plan sends the SMS
      const parsed = parseInviteCsv(request.body, await batchOptionsFor(await getStore(), who.municipality));
      if (!parsed.ok) return invalidFields(reply, parsed.invalid, parsed.detail);
      try {
        const outcome = await createInviteBatch(
          await getStore(),
          { municipality: who.municipality, createdBy: `api-key:${who.keyId}`, channel: channelOk, rows: parsed.rows, requestBody: request.body },
          request.headers['idempotency-key'] ?? null,
        );
        if (outcome.kind === 'conflict') return conflict(reply);
        if (outcome.kind === 'refused') return invalidFields(reply, outcome.invalid, outcome.detail);
        reply.header('Location', `/api/v1/uitnodigingen/batches/${outcome.batchId}`);
        if (outcome.kind === 'replay') reply.header('Idempotent-Replayed', 'true');
        else await audit(await getStore(), { actor: `api-key:${who.keyId}`, action: 'invite', objectType: 'invite_batch', objectId: outcome.batchId, municipality: who.municipality, result: batchAuditResult(outcome.counts), origin: 'api' });
        return sendCsv(reply, 201, outcome.csv, outcome.batchId);
      } catch (error) {
        if (error instanceof SmsTextError) return smsProblem(reply, error);
        throw error;
      }
    },
  );

  api.get(
    '/uitnodigingen/batches/:id',
    {
      onRequest: requireKey,
      config: { notFound: 'No such batch.' },
      schema: {
        operationId: 'getUitnodigingBatch',
        summary: 'A batch of your municipality as CSV again',
        security: SECURITY,
        params: batchParams,
        response: { 200: text('text/csv', 'The batch CSV'), ...problems({ 401: 'No valid API key', 404: 'No such batch of your municipality' }) },
      },
    },
    async (request, reply) => {
      // Another municipality's batch is "not found", never "forbidden": ids reveal nothing.
      const csv = await batchCsv(await getStore(), callerOf(request).municipality, request.params.id);
      return csv === null ? notFound(reply, 'batch') : sendCsv(reply, 200, csv, request.params.id);
    },
  );

  api.get(
    '/uitnodigingen/batches/:id/qr',
    {
      onRequest: requireKey,
      config: { notFound: 'No such batch.' },
      schema: {
        operationId: 'getUitnodigingBatchQr',
        summary: 'The QR codes of a batch on printable A4 label sheets (3 × 7), with case number, code and check word',
        security: SECURITY,
        params: batchParams,
        response: { 200: text('text/html', 'An HTML page with print CSS'), ...problems({ 401: 'No valid API key', 404: 'No such batch of your municipality' }) },
      },
    },
    async (request, reply) => {
      const sheet = await batchSheet(await getStore(), callerOf(request).municipality, request.params.id);
      if (sheet === null) return notFound(reply, 'batch');
      // the sheet is an Astro component (src/components/QrSheet.astro), rendered by its page
      return api.renderPage(request, reply, { qrSheet: sheet });
    },
  );

  api.get(
    '/uitnodigingen/:code/qr.svg',
    {
      onRequest: requireKey,
      schema: {
        operationId: 'getUitnodigingQr',
        summary: 'The QR code of one invitation of your municipality',
        security: SECURITY,
        params: z.object({ code: z.string().max(40).describe('The invitation code, with or without dashes, any case.') }),
        response: { 200: text('image/svg+xml', 'SVG'), ...problems({ 401: 'No valid API key', 404: 'No such invitation of your municipality' }) },
      },
    },
    async (request, reply) => {
      const code = normaliseInviteCode(request.params.code);
      const svg = code ? await inviteQrSvg(await getStore(), callerOf(request).municipality, code) : null;
      return svg === null ? notFound(reply, 'invitation') : reply.type('image/svg+xml').send(svg);
    },
  );
}
