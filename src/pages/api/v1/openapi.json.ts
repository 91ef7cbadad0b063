// SPDX-License-Identifier: EUPL-1.2
// GET /api/v1/openapi.json: the API description.
import type { APIRoute } from 'astro';
import { openApiDocument } from '../../../server/http/openapi.ts';
import { json } from '../../../server/http/problem.ts';

export const GET: APIRoute = () => json(200, openApiDocument(), { 'Cache-Control': 'public, max-age=300' });
