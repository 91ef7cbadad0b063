// SPDX-License-Identifier: EUPL-1.2
// GET /api/v1/staff/verzoeken/{id}: one request with personal data (audited); 404 outside your municipalities.
import type { APIRoute } from 'astro';
import { handleStaffRequestDetail } from '../../../../../server/staff/api.ts';

export const GET: APIRoute = ({ locals, params }) => handleStaffRequestDetail(locals, params.id ?? '');
