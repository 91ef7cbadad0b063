// SPDX-License-Identifier: EUPL-1.2
// GET /api/v1/uitnodigingen/batches/{id}/qr: the batch's QR codes on printable A4 sheets.
import type { APIRoute } from 'astro';
import { handleBatchSheet } from '../../../../../../server/invitations/api.ts';

export const GET: APIRoute = ({ request, params }) => handleBatchSheet(request, params.id ?? '');
