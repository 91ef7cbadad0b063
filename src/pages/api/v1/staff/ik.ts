// SPDX-License-Identifier: EUPL-1.2
// GET /api/v1/staff/ik: the logged-in staff member and the CSRF token for writes.
import type { APIRoute } from 'astro';
import { handleWhoAmI } from '../../../../server/staff/api.ts';

export const GET: APIRoute = ({ locals }) => handleWhoAmI(locals);
