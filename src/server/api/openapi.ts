// SPDX-License-Identifier: EUPL-1.2
/**
 * The OpenAPI 3.1 description of the public API, built from the same zod schemas that validate
 * requests, so the description cannot drift from what the server accepts.
 */
import { z } from 'zod';
import { callbackRequestSchema } from '../../lib/callback-request.ts';
import { API_VERSION } from './problem.ts';
import { progressSchema } from './conversations-api.ts';
import { inviteRequestSchema, MAX_CSV_BYTES } from './invites-api.ts';
import { INVITE_ALPHABET, INVITE_CODE_LENGTH } from '../../lib/invite-code.ts';
import { MAX_BATCH_ROWS } from '../invites.ts';

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    invalidParams: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'code', 'reason'],
        properties: { name: { type: 'string' }, code: { type: 'string' }, reason: { type: 'string' } },
      },
    },
  },
};

const problemResponse = (description: string) => ({
  description,
  headers: { 'API-Version': { $ref: '#/components/headers/API-Version' } },
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const apiVersionHeader = { 'API-Version': { $ref: '#/components/headers/API-Version' } };
const bearer = [{ apiKey: [] }];
const idempotencyHeader = (description: string) => ({
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description,
  schema: { type: 'string', minLength: 8, maxLength: 100 },
});
const batchIdParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const codeGroups = `[${INVITE_ALPHABET}]{4}-[${INVITE_ALPHABET}]{4}-[${INVITE_ALPHABET}]{${INVITE_CODE_LENGTH - 8}}`;

export function openApiDocument(): Record<string, unknown> {
  const requestSchema = z.toJSONSchema(callbackRequestSchema, { io: 'input', unrepresentable: 'any' });
  const progress = z.toJSONSchema(progressSchema, { io: 'input', unrepresentable: 'any' });
  const inviteInput = z.toJSONSchema(inviteRequestSchema, { io: 'input', unrepresentable: 'any' });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hulpgesprek API',
      version: API_VERSION,
      description:
        'Call-back requests and conversation counts of the Hulpgesprek resident portal, and personal invitation links (SMS, QR codes on letters) for municipalities\' case systems.',
      license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
      contact: { name: 'Hulpgesprek' },
    },
    servers: [{ url: '/api/v1' }],
    paths: {
      '/terugbelverzoeken': {
        post: {
          operationId: 'createTerugbelverzoek',
          summary: 'A resident asks to be called back',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'A retry with the same key returns the first answer and stores nothing new.',
              schema: { type: 'string', minLength: 8, maxLength: 100 },
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/TerugbelverzoekInput' } },
              'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/TerugbelverzoekInput' } },
            },
          },
          responses: {
            '201': {
              description: 'Stored (or, with a repeated Idempotency-Key, stored before)',
              headers: { 'API-Version': { $ref: '#/components/headers/API-Version' } },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Terugbelverzoek' } } },
            },
            '400': problemResponse('Broken JSON or a bad Idempotency-Key'),
            '403': problemResponse('Sent from another site'),
            '409': problemResponse('Idempotency-Key reused with another body'),
            '413': problemResponse('Body over 16 KB'),
            '415': problemResponse('Not JSON or form-encoded'),
            '422': problemResponse('Invalid fields, each named with an error code'),
          },
        },
      },
      '/gesprekken/{id}': {
        put: {
          operationId: 'putGesprek',
          summary: 'How far a conversation got (codes only, no personal data)',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/GesprekInput' } } },
          },
          responses: {
            '204': { description: 'Recorded', headers: { 'API-Version': { $ref: '#/components/headers/API-Version' } } },
            '400': problemResponse('Broken JSON'),
            '404': problemResponse('Not a conversation id'),
            '413': problemResponse('Body over 16 KB'),
            '415': problemResponse('Not JSON'),
            '422': problemResponse('Invalid fields'),
          },
        },
      },
      '/uitnodigingen': {
        post: {
          operationId: 'createUitnodiging',
          summary: 'One personal invitation link, with its check word, SMS text and QR code',
          security: bearer,
          parameters: [idempotencyHeader('A retry with the same key returns the first invitation and makes no new one.')],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/UitnodigingInput' } } },
          },
          responses: {
            '201': {
              description: 'Made (or, with a repeated Idempotency-Key, made before)',
              headers: apiVersionHeader,
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Uitnodiging' } } },
            },
            '400': problemResponse('Broken JSON or a bad Idempotency-Key'),
            '401': problemResponse('No valid API key'),
            '409': problemResponse('Idempotency-Key reused with another body'),
            '413': problemResponse('Body over 16 KB'),
            '415': problemResponse('Not JSON'),
            '422': problemResponse('Invalid fields'),
            '500': problemResponse('The SMS text cannot fit in 160 characters with this PUBLIC_URL and municipality name'),
          },
        },
      },
      '/uitnodigingen/batches': {
        post: {
          operationId: 'createUitnodigingBatch',
          summary: 'An invitation for every row of a CSV; the answer is the same rows as CSV with code, link, SMS text and check word',
          security: bearer,
          parameters: [
            {
              name: 'channel',
              in: 'query',
              required: true,
              description: 'How the invitations reach residents.',
              schema: { type: 'string', enum: ['sms', 'letter-qr'] },
            },
            idempotencyHeader('A retry with the same key and CSV returns the first batch and makes no new one.'),
          ],
          requestBody: {
            required: true,
            description:
              `UTF-8 CSV (RFC 4180), header \`case_ref,topic\` (topic may be left out or empty), at most ${MAX_BATCH_ROWS} rows and ${MAX_CSV_BYTES} bytes. ` +
              'A header with semicolons (a Dutch spreadsheet\'s CSV) is read with semicolons. case_ref is required, unique within the file, ' +
              'at most 100 characters, and may not start with = + - @. Errors name rows as a spreadsheet does (the header is row 1): `row.17.topic`.',
            content: { 'text/csv': { schema: { type: 'string' } } },
          },
          responses: {
            '201': {
              description:
                'All rows stored; CSV `case_ref,code,link,sms_text,check_word,expires_at` in the order of the request (sms_text is empty for letter-qr)',
              headers: {
                ...apiVersionHeader,
                Location: { description: 'The batch, to fetch its CSV again', schema: { type: 'string' } },
              },
              content: { 'text/csv': { schema: { type: 'string' } } },
            },
            '400': problemResponse('Not UTF-8, or a bad Idempotency-Key'),
            '401': problemResponse('No valid API key'),
            '409': problemResponse('Idempotency-Key reused with another body'),
            '413': problemResponse('Body over 1 MB'),
            '415': problemResponse('Not text/csv in UTF-8'),
            '422': problemResponse('No or a wrong channel, or rows that are not valid (nothing is stored)'),
            '500': problemResponse('The SMS text cannot fit in 160 characters with this PUBLIC_URL and municipality name'),
          },
        },
      },
      '/uitnodigingen/batches/{id}': {
        get: {
          operationId: 'getUitnodigingBatch',
          summary: 'A batch of your municipality as CSV again',
          security: bearer,
          parameters: [batchIdParam],
          responses: {
            '200': { description: 'The batch CSV', headers: apiVersionHeader, content: { 'text/csv': { schema: { type: 'string' } } } },
            '401': problemResponse('No valid API key'),
            '404': problemResponse('No such batch of your municipality'),
          },
        },
      },
      '/uitnodigingen/batches/{id}/qr': {
        get: {
          operationId: 'getUitnodigingBatchQr',
          summary: 'The QR codes of a batch on printable A4 label sheets (3 × 7), with case number, code and check word',
          security: bearer,
          parameters: [batchIdParam],
          responses: {
            '200': { description: 'An HTML page with print CSS', headers: apiVersionHeader, content: { 'text/html': { schema: { type: 'string' } } } },
            '401': problemResponse('No valid API key'),
            '404': problemResponse('No such batch of your municipality'),
          },
        },
      },
      '/uitnodigingen/{code}/qr.svg': {
        get: {
          operationId: 'getUitnodigingQr',
          summary: 'The QR code of one invitation of your municipality',
          security: bearer,
          parameters: [
            {
              name: 'code',
              in: 'path',
              required: true,
              description: 'The invitation code, with or without dashes, any case.',
              schema: { type: 'string' },
            },
          ],
          responses: {
            '200': { description: 'SVG', headers: apiVersionHeader, content: { 'image/svg+xml': { schema: { type: 'string' } } } },
            '401': problemResponse('No valid API key'),
            '404': problemResponse('No such invitation of your municipality'),
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'getOpenApi',
          summary: 'This description',
          responses: { '200': { description: 'OpenAPI 3.1 document', content: { 'application/json': {} } } },
        },
      },
    },
    components: {
      headers: {
        'API-Version': { description: 'Version of the API that answered', schema: { type: 'string' } },
      },
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key of one municipality (`hg_…`), made with `node src/cli/api-key.ts`. It acts for that municipality only.',
        },
      },
      schemas: {
        UitnodigingInput: inviteInput,
        Uitnodiging: {
          type: 'object',
          required: ['id', 'code', 'link', 'smsText', 'checkWord', 'expiresAt', 'qrSvgUrl'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            code: { type: 'string', pattern: `^${codeGroups}$`, description: 'As printed on a letter; the link carries it without dashes.' },
            link: { type: 'string', format: 'uri' },
            smsText: {
              type: ['string', 'null'],
              maxLength: 160,
              description: 'One SMS in the GSM-7 basic character set, with the link and the check word; null for letter-qr.',
            },
            checkWord: { type: 'string', description: 'Print it with the link; the first screen shows the same word.' },
            expiresAt: { type: 'string', format: 'date-time' },
            qrSvgUrl: { type: 'string', format: 'uri-reference' },
          },
        },
        TerugbelverzoekInput: requestSchema,
        GesprekInput: progress,
        Terugbelverzoek: {
          type: 'object',
          required: ['id', 'reference', 'status', 'createdAt'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            reference: { type: 'string', pattern: '^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$' },
            status: { type: 'string', enum: ['new', 'in_progress', 'closed'] },
            createdAt: { type: 'string', format: 'date-time' },
          },
        },
        Problem: problemSchema,
      },
    },
  };
}
