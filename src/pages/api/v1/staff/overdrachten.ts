// SPDX-License-Identifier: EUPL-1.2
// GET /api/v1/staff/overdrachten: connectors and failed hand-offs to the case systems of the administrator's municipalities.
import type { APIRoute } from 'astro';
import { handleHandoffs } from '../../../../server/staff/api.ts';

export const GET: APIRoute = ({ locals }) => handleHandoffs(locals);
