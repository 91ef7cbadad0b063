// SPDX-License-Identifier: EUPL-1.2
// POST /api/v1/staff/verzoeken/{id}/contactpogingen: record an attempt to reach the resident.
import type { APIRoute } from 'astro';
import { handleAttempt } from '../../../../../../server/staff/api.ts';

export const POST: APIRoute = ({ request, locals, params }) => handleAttempt(request, locals, params.id ?? '');
