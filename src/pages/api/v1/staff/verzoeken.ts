// SPDX-License-Identifier: EUPL-1.2
// GET /api/v1/staff/verzoeken: the call-back queue of the staff member's municipalities.
import type { APIRoute } from 'astro';
import { handleQueue } from '../../../../server/staff/api.ts';

export const GET: APIRoute = ({ locals }) => handleQueue(locals);
