// SPDX-License-Identifier: EUPL-1.2
// POST /api/v1/terugbelverzoeken: a resident asks to be called back.
import type { APIRoute } from 'astro';
import { handleCreateCallback } from '../../../server/callbacks/api.ts';

export const POST: APIRoute = ({ request, clientAddress }) => handleCreateCallback(request, clientAddress);
