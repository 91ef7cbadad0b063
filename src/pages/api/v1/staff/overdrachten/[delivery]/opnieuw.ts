// SPDX-License-Identifier: EUPL-1.2
// POST /api/v1/staff/overdrachten/{delivery}/opnieuw: try a failed hand-off to the case system again, now.
import type { APIRoute } from 'astro';
import { handleHandoffRetry } from '../../../../../../server/staff/api.ts';

export const POST: APIRoute = ({ locals, params }) => handleHandoffRetry(locals, params.delivery ?? '');
