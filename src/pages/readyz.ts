// SPDX-License-Identifier: EUPL-1.2
// GET /readyz: 200 when the database answers and every migration is applied, else 503 problem+json.
import type { APIRoute } from 'astro';
import { ready } from '../server/http/health.ts';

export const GET: APIRoute = () => ready();
