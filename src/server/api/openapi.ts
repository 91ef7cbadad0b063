// SPDX-License-Identifier: EUPL-1.2
/**
 * The OpenAPI 3.1 description of the public API, built from the same zod schemas that validate
 * requests, so the description cannot drift from what the server accepts.
 */
import { z } from 'zod';
import { callbackRequestSchema } from '../../lib/callback-request.ts';
import { API_VERSION } from './problem.ts';
import { progressSchema } from './conversations-api.ts';

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

export function openApiDocument(): Record<string, unknown> {
  const requestSchema = z.toJSONSchema(callbackRequestSchema, { io: 'input', unrepresentable: 'any' });
  const progress = z.toJSONSchema(progressSchema, { io: 'input', unrepresentable: 'any' });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hulpgesprek API',
      version: API_VERSION,
      description: 'Call-back requests and conversation counts of the Hulpgesprek resident portal.',
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
      schemas: {
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
