// SPDX-License-Identifier: EUPL-1.2
// GET /api/v1/staff/audit: the audit log of the administrator's municipalities, a page at a time.
import type { APIRoute } from 'astro';
import { handleAudit } from '../../../../server/staff/api.ts';

export const GET: APIRoute = ({ locals, url }) => handleAudit(locals, url);
