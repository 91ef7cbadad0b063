// SPDX-License-Identifier: EUPL-1.2
/**
 * The OpenAPI 3.1 description of the public API, built from the same zod schemas that validate
 * requests, so the description cannot drift from what the server accepts.
 */
import { z } from 'zod';
import { callbackRequestSchema, supplementSchema } from '../../lib/callback-request.ts';
import { API_VERSION } from './problem.ts';
import { progressSchema } from '../callbacks/progress-api.ts';
import { inviteRequestSchema, MAX_CSV_BYTES } from '../invitations/api.ts';
import { INVITE_ALPHABET, INVITE_CODE_LENGTH } from '../../lib/invite-code.ts';
import { MAX_BATCH_ROWS } from '../invitations/invites.ts';
import { closeSchema, contactAttemptSchema } from '../staff/api.ts';
import { REQUEST_STATUSES } from '../store/staff-requests.ts';

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
const staffSession = [{ staffSession: [] }];
const csrfHeader = {
  name: 'X-CSRF-Token',
  in: 'header',
  required: true,
  description: 'The session\'s CSRF token (from GET /staff/ik); required on every write.',
  schema: { type: 'string' },
};
const requestIdParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const timeLeftSchema = {
  type: ['object', 'null'],
  description: 'Against the municipality\'s promise in working days (Monday to Friday, its time zone); null when closed.',
  required: ['deadline', 'overdue', 'workingDaysLeft', 'text', 'deadlineText'],
  properties: {
    deadline: { type: 'string', format: 'date-time' },
    overdue: { type: 'boolean' },
    workingDaysLeft: { type: 'integer', minimum: 0 },
    text: { type: 'string', description: 'in Dutch, as the staff queue shows it' },
    deadlineText: { type: 'string' },
  },
};
const staffVerzoekProperties = {
  id: { type: 'string', format: 'uuid' },
  reference: { type: 'string' },
  municipality: { type: 'string' },
  municipalityName: { type: 'string' },
  urgent: { type: 'boolean' },
  status: { type: 'string', enum: [...REQUEST_STATUSES] },
  topic: { type: 'string' },
  language: { type: 'string' },
  channel: { type: 'string' },
  createdAt: { type: 'string', format: 'date-time' },
  assignedTo: {
    type: ['object', 'null'],
    required: ['id', 'name'],
    properties: { id: { type: 'string' }, name: { type: 'string' } },
  },
  timeLeft: timeLeftSchema,
  labels: {
    type: 'object',
    description: 'Dutch labels of the codes',
    properties: { topic: { type: 'string' }, language: { type: 'string' }, channel: { type: 'string' }, status: { type: 'string' } },
  },
};
const batchIdParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const codeGroups = `[${INVITE_ALPHABET}]{4}-[${INVITE_ALPHABET}]{4}-[${INVITE_ALPHABET}]{${INVITE_CODE_LENGTH - 8}}`;

export function openApiDocument(): Record<string, unknown> {
  const requestSchema = z.toJSONSchema(callbackRequestSchema, { io: 'input', unrepresentable: 'any' });
  const supplementInput = z.toJSONSchema(supplementSchema, { io: 'input', unrepresentable: 'any' });
  const progress = z.toJSONSchema(progressSchema, { io: 'input', unrepresentable: 'any' });
  const inviteInput = z.toJSONSchema(inviteRequestSchema, { io: 'input', unrepresentable: 'any' });
  const attemptInput = z.toJSONSchema(contactAttemptSchema, { io: 'input', unrepresentable: 'any' });
  const closeInput = z.toJSONSchema(closeSchema, { io: 'input', unrepresentable: 'any' });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hulpgesprek API',
      version: API_VERSION,
      description:
        'Call-back requests and conversation counts of the Hulpgesprek resident portal, personal invitation links (SMS, QR codes on letters) for municipalities\' case systems, and the staff call-back queue (/staff/…, session cookie).',
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
            '429': problemResponse('Too many requests from this network (Retry-After says when to try again)'),
          },
        },
      },
      '/terugbelverzoeken/{id}/aanvulling': {
        put: {
          operationId: 'putTerugbelverzoekAanvulling',
          summary: 'The optional answers a resident adds after sending (each replaces what was there)',
          description: 'Only the device that sent the request knows its conversationId, which is the proof. A closed request, one whose personal data is gone, or one older than 7 days takes nothing more.',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/AanvullingInput' } } },
          },
          responses: {
            '204': { description: 'Added', headers: { 'API-Version': { $ref: '#/components/headers/API-Version' } } },
            '400': problemResponse('Broken JSON'),
            '404': problemResponse('No such request for this conversation'),
            '409': problemResponse('Closed or too old'),
            '413': problemResponse('Body over 16 KB'),
            '415': problemResponse('Not JSON'),
            '422': problemResponse('Invalid fields'),
            '429': problemResponse('Too many updates from this network (Retry-After says when to try again)'),
          },
        },
      },
      '/telefoonnummer': {
        post: {
          operationId: 'checkTelefoonnummer',
          summary: 'Checks a typed phone number as a call-back request would, and reads it back in groups',
          description: 'Stores and logs nothing. Arabic-Indic and Persian digits are read as digits.',
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { type: 'object', required: ['phone'], properties: { phone: { type: 'string', maxLength: 60 } } } },
            },
          },
          responses: {
            '200': {
              description: 'A number that can be called',
              headers: { 'API-Version': { $ref: '#/components/headers/API-Version' } },
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['e164', 'display', 'groups'],
                    properties: { e164: { type: 'string' }, display: { type: 'string', examples: ['06 12 34 56 78'] }, groups: { type: 'array', items: { type: 'string' } } },
                  },
                },
              },
            },
            '413': problemResponse('Body over 1 KB'),
            '415': problemResponse('Not JSON or form-encoded'),
            '422': problemResponse('Not a number that can be called: the code says why (required, letters, tooShort, tooLong, invalid)'),
            '429': problemResponse('Too many requests from this network (Retry-After says when to try again)'),
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
            '429': problemResponse('Too many updates from this network (Retry-After says when to try again)'),
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
      '/staff/ik': {
        get: {
          operationId: 'getStaffIk',
          summary: 'The logged-in staff member, their municipalities and the CSRF token for writes',
          tags: ['staff'],
          security: staffSession,
          responses: {
            '200': { description: 'Who you are', headers: apiVersionHeader, content: { 'application/json': { schema: { $ref: '#/components/schemas/StaffIk' } } } },
            '401': problemResponse('No session with both login steps'),
          },
        },
      },
      '/staff/sessie': {
        delete: {
          operationId: 'deleteStaffSessie',
          summary: 'Log out: the session ends in the database and the cookie is cleared',
          tags: ['staff'],
          security: staffSession,
          parameters: [csrfHeader],
          responses: {
            '204': { description: 'Logged out', headers: apiVersionHeader },
            '401': problemResponse('No session'),
            '403': problemResponse('No or a wrong X-CSRF-Token, or sent from another site'),
          },
        },
      },
      '/staff/verzoeken': {
        get: {
          operationId: 'listStaffVerzoeken',
          summary: 'The call-back queue: open requests of your municipalities, urgent first, then oldest first (no personal data)',
          tags: ['staff'],
          security: staffSession,
          responses: {
            '200': {
              description: 'The queue',
              headers: apiVersionHeader,
              content: {
                'application/json': {
                  schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { $ref: '#/components/schemas/StaffVerzoek' } } } },
                },
              },
            },
            '401': problemResponse('No session with both login steps'),
          },
        },
      },
      '/staff/verzoeken/{id}': {
        get: {
          operationId: 'getStaffVerzoek',
          summary: 'One request with what the resident chose, phone number and first name; every call is written to the audit log',
          tags: ['staff'],
          security: staffSession,
          parameters: [requestIdParam],
          responses: {
            '200': { description: 'The request', headers: apiVersionHeader, content: { 'application/json': { schema: { $ref: '#/components/schemas/StaffVerzoekDetail' } } } },
            '401': problemResponse('No session with both login steps'),
            '404': problemResponse('No such request in your municipalities'),
          },
        },
      },
      '/staff/verzoeken/{id}/toewijzing': {
        post: {
          operationId: 'assignStaffVerzoek',
          summary: 'Assign the request to yourself; a new request becomes in_progress',
          tags: ['staff'],
          security: staffSession,
          parameters: [requestIdParam, csrfHeader],
          responses: {
            '200': { description: 'Assigned', headers: apiVersionHeader, content: { 'application/json': { schema: { $ref: '#/components/schemas/StaffVerzoek' } } } },
            '401': problemResponse('No session with both login steps'),
            '403': problemResponse('No or a wrong X-CSRF-Token, or sent from another site'),
            '404': problemResponse('No such request in your municipalities'),
            '409': problemResponse('The request is closed'),
          },
        },
      },
      '/staff/verzoeken/{id}/contactpogingen': {
        post: {
          operationId: 'createStaffContactpoging',
          summary: 'Record an attempt to reach the resident; the first makes a new request in_progress',
          tags: ['staff'],
          security: staffSession,
          parameters: [requestIdParam, csrfHeader],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ContactpogingInput' } } } },
          responses: {
            '201': { description: 'Recorded', headers: apiVersionHeader, content: { 'application/json': { schema: { $ref: '#/components/schemas/StaffVerzoek' } } } },
            '400': problemResponse('Broken JSON'),
            '401': problemResponse('No session with both login steps'),
            '403': problemResponse('No or a wrong X-CSRF-Token, or sent from another site'),
            '404': problemResponse('No such request in your municipalities'),
            '409': problemResponse('The request is closed'),
            '413': problemResponse('Body over 16 KB'),
            '415': problemResponse('Not JSON'),
            '422': problemResponse('Invalid fields'),
          },
        },
      },
      '/staff/verzoeken/{id}/afsluiting': {
        post: {
          operationId: 'closeStaffVerzoek',
          summary: 'Close the request with an outcome (once)',
          tags: ['staff'],
          security: staffSession,
          parameters: [requestIdParam, csrfHeader],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/AfsluitingInput' } } } },
          responses: {
            '200': { description: 'Closed', headers: apiVersionHeader, content: { 'application/json': { schema: { $ref: '#/components/schemas/StaffVerzoek' } } } },
            '400': problemResponse('Broken JSON'),
            '401': problemResponse('No session with both login steps'),
            '403': problemResponse('No or a wrong X-CSRF-Token, or sent from another site'),
            '404': problemResponse('No such request in your municipalities'),
            '409': problemResponse('The request is closed already'),
            '413': problemResponse('Body over 16 KB'),
            '415': problemResponse('Not JSON'),
            '422': problemResponse('Invalid fields'),
          },
        },
      },
      '/staff/audit': {
        get: {
          operationId: 'listStaffAudit',
          summary: 'The audit log of your municipalities, newest first, 50 rows a page (administrators)',
          tags: ['staff'],
          security: staffSession,
          parameters: [{ name: 'pagina', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 200 } }],
          responses: {
            '200': { description: 'One page', headers: apiVersionHeader, content: { 'application/json': { schema: { $ref: '#/components/schemas/AuditPagina' } } } },
            '401': problemResponse('No session with both login steps'),
            '403': problemResponse('Not an administrator'),
          },
        },
      },
      '/staff/overdrachten': {
        get: {
          operationId: 'listStaffOverdrachten',
          summary: 'Hand-off to case systems (administrators): the connector of each of your municipalities, and deliveries that failed or failed at least once and wait for another attempt',
          tags: ['staff'],
          security: staffSession,
          responses: {
            '200': { description: 'Connectors and deliveries', headers: apiVersionHeader, content: { 'application/json': { schema: { $ref: '#/components/schemas/Overdrachten' } } } },
            '401': problemResponse('No session with both login steps'),
            '403': problemResponse('Not an administrator'),
          },
        },
      },
      '/staff/overdrachten/{delivery}/opnieuw': {
        post: {
          operationId: 'retryStaffOverdracht',
          summary: 'Try a delivery again now, with a new series of attempts (administrators; written to the audit log)',
          tags: ['staff'],
          security: staffSession,
          parameters: [{ name: 'delivery', in: 'path', required: true, description: 'The delivery id (X-Hulpgesprek-Delivery)', schema: { type: 'string', format: 'uuid' } }, csrfHeader],
          responses: {
            '202': {
              description: 'Due now; the delivery worker sends it within OUTBOX_POLL_MS',
              headers: apiVersionHeader,
              content: { 'application/json': { schema: { type: 'object', required: ['id', 'status'], properties: { id: { type: 'string', format: 'uuid' }, status: { type: 'string', enum: ['pending'] } } } } },
            },
            '401': problemResponse('No session with both login steps'),
            '403': problemResponse('No or a wrong X-CSRF-Token, or sent from another site'),
            '404': problemResponse('No such delivery in your municipalities, or not an administrator'),
            '409': problemResponse('Delivered already, being sent, or its data was deleted by retention'),
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
        staffSession: {
          type: 'apiKey',
          in: 'cookie',
          name: 'hg_staff',
          description:
            'The staff session cookie, set by logging in at /staff/login (password, then the second factor). It reaches only the municipalities the staff member serves; writes also need X-CSRF-Token.',
        },
      },
      schemas: {
        UitnodigingInput: inviteInput,
        ContactpogingInput: attemptInput,
        AfsluitingInput: closeInput,
        StaffVerzoek: { type: 'object', required: Object.keys(staffVerzoekProperties), properties: staffVerzoekProperties },
        StaffVerzoekDetail: {
          type: 'object',
          required: [...Object.keys(staffVerzoekProperties), 'answers', 'phone', 'firstName', 'attempts'],
          properties: {
            ...staffVerzoekProperties,
            answers: { type: 'object', description: 'The answer codes as the resident gave them' },
            answerRows: {
              type: 'array',
              description: 'The answers in Dutch, whatever language the resident used',
              items: { type: 'object', properties: { term: { type: 'string' }, values: { type: 'array', items: { type: 'string' } } } },
            },
            phone: { type: ['string', 'null'], description: 'E.164; null once the retention period has passed' },
            phoneDisplay: { type: ['string', 'null'] },
            firstName: { type: ['string', 'null'] },
            voicemailAllowed: { type: ['boolean', 'null'] },
            outcome: { type: ['string', 'null'] },
            outcomeLabel: { type: ['string', 'null'] },
            closedAt: { type: ['string', 'null'], format: 'date-time' },
            personalDataDeletedAt: { type: ['string', 'null'], format: 'date-time' },
            attempts: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  id: { type: 'string' },
                  createdAt: { type: 'string', format: 'date-time' },
                  staffId: { type: 'string' },
                  staffName: { type: 'string' },
                  kind: { type: 'string' },
                  result: { type: 'string' },
                  noteCode: { type: ['string', 'null'] },
                },
              },
            },
          },
        },
        StaffIk: {
          type: 'object',
          required: ['id', 'email', 'name', 'role', 'municipalities', 'demo', 'csrfToken', 'expiresAt'],
          properties: {
            id: { type: 'string' },
            email: { type: 'string' },
            name: { type: 'string' },
            role: { type: 'string', enum: ['caseworker', 'coordinator', 'admin'] },
            municipalities: { type: 'array', items: { type: 'string' } },
            demo: { type: 'boolean' },
            csrfToken: { type: 'string' },
            expiresAt: { type: 'string', format: 'date-time' },
          },
        },
        AuditPagina: {
          type: 'object',
          required: ['page', 'pageSize', 'hasMore', 'entries'],
          properties: {
            page: { type: 'integer' },
            pageSize: { type: 'integer' },
            hasMore: { type: 'boolean' },
            entries: {
              type: 'array',
              items: {
                type: 'object',
                required: ['id', 'at', 'actor', 'action', 'objectType', 'objectId', 'municipality', 'result', 'origin'],
                properties: {
                  id: { type: 'string' },
                  at: { type: 'string', format: 'date-time' },
                  actor: { type: 'string', description: 'A staff id, or system' },
                  actorName: { type: 'string' },
                  action: { type: 'string' },
                  objectType: { type: 'string' },
                  objectId: { type: ['string', 'null'] },
                  municipality: { type: ['string', 'null'] },
                  result: { type: 'string' },
                  origin: { type: 'string', enum: ['staff-ui', 'api', 'job'] },
                },
              },
            },
          },
        },
        Overdrachten: {
          type: 'object',
          required: ['connectors', 'deliveries'],
          properties: {
            connectors: {
              type: 'array',
              items: {
                type: 'object',
                required: ['municipality', 'name', 'state', 'host', 'secretEnv', 'text'],
                properties: {
                  municipality: { type: 'string' },
                  name: { type: 'string' },
                  state: { type: 'string', enum: ['configured', 'none', 'secretMissing'], description: 'secretMissing: the connector is set but its secret is not in the environment, so it is not used' },
                  host: { type: ['string', 'null'], description: 'The receiver\'s host when configured' },
                  secretEnv: { type: ['string', 'null'], description: 'The environment variable that should hold the secret, when missing' },
                  text: { type: 'string', description: 'Dutch' },
                },
              },
            },
            deliveries: {
              type: 'array',
              description: 'Failed first, then oldest first; at most 200',
              items: {
                type: 'object',
                required: ['id', 'requestId', 'reference', 'municipality', 'eventType', 'status', 'attempts', 'nextAttemptAt', 'lastError', 'lastAttemptAt', 'createdAt', 'retryable'],
                properties: {
                  id: { type: 'string', format: 'uuid', description: 'The delivery id (X-Hulpgesprek-Delivery)' },
                  requestId: { type: 'string', format: 'uuid' },
                  reference: { type: 'string' },
                  municipality: { type: 'string' },
                  municipalityName: { type: 'string' },
                  eventType: { type: 'string', enum: ['callback_request.created'] },
                  status: { type: 'string', enum: ['pending', 'failed'] },
                  statusLabel: { type: 'string', description: 'Dutch' },
                  attempts: { type: 'integer', minimum: 0, description: 'In the current series (a retry starts a new one)' },
                  nextAttemptAt: { type: 'string', format: 'date-time', description: 'When a pending delivery is sent again' },
                  lastError: { type: ['string', 'null'], description: 'Technical, e.g. "HTTP 503" or "timeout after 10000 ms"; never a response body' },
                  lastAttemptAt: { type: ['string', 'null'], format: 'date-time' },
                  deliveredAt: { type: ['string', 'null'], format: 'date-time' },
                  createdAt: { type: 'string', format: 'date-time' },
                  retryable: { type: 'boolean', description: 'false once retention deleted the data' },
                },
              },
            },
          },
        },
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
        AanvullingInput: supplementInput,
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
