// SPDX-License-Identifier: EUPL-1.2
// POST /staff/uitloggen: ends the session (the gate has checked its CSRF token).
import type { APIRoute } from 'astro';
import { logoutResponse } from '../../server/staff/pages.ts';

export const POST: APIRoute = ({ request, locals }) => logoutResponse(request, locals);
