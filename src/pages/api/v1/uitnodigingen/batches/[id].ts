// SPDX-License-Identifier: EUPL-1.2
// GET /api/v1/uitnodigingen/batches/{id}: a batch's CSV again.
import type { APIRoute } from 'astro';
import { handleGetBatch } from '../../../../../server/invitations/api.ts';

export const GET: APIRoute = ({ request, params }) => handleGetBatch(request, params.id ?? '');
