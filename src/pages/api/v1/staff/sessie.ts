// SPDX-License-Identifier: EUPL-1.2
// DELETE /api/v1/staff/sessie: log out (ends the session in the database).
import type { APIRoute } from 'astro';
import { handleLogout } from '../../../../server/staff/api.ts';

export const DELETE: APIRoute = ({ request, locals }) => handleLogout(request, locals);
