// SPDX-License-Identifier: EUPL-1.2
// PUT /api/v1/terugbelverzoeken/{id}/aanvulling: the optional answers a resident adds after sending.
import type { APIRoute } from 'astro';
import { handleSupplement } from '../../../../../server/callbacks/api.ts';

export const PUT: APIRoute = ({ request, params, clientAddress }) => handleSupplement(request, params.id ?? '', clientAddress);
