// SPDX-License-Identifier: EUPL-1.2
// POST /api/v1/staff/verzoeken/{id}/toewijzing: assign the request to yourself.
import type { APIRoute } from 'astro';
import { handleAssign } from '../../../../../../server/staff/api.ts';

export const POST: APIRoute = ({ locals, params }) => handleAssign(locals, params.id ?? '');
