// SPDX-License-Identifier: EUPL-1.2
// POST /api/v1/uitnodigingen/batches: invitations for every row of a CSV, answered as CSV.
import type { APIRoute } from 'astro';
import { handleCreateBatch } from '../../../../server/invitations/api.ts';

export const POST: APIRoute = ({ request }) => handleCreateBatch(request);
