// SPDX-License-Identifier: EUPL-1.2
// POST /staff/samen/afronden: the staff member records the outcome at the end of "samen invullen".
import type { APIRoute } from 'astro';
import { finishTogether } from '../../../server/staff/together.ts';

export const POST: APIRoute = ({ locals, request }) => finishTogether(locals, request);
