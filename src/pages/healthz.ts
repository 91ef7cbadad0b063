// SPDX-License-Identifier: EUPL-1.2
// GET /healthz: 200 when the database answers.
import type { APIRoute } from 'astro';
import { health } from '../server/http/health.ts';

export const GET: APIRoute = () => health();
