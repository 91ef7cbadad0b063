// SPDX-License-Identifier: EUPL-1.2
// POST /api/v1/staff/verzoeken/{id}/afsluiting: close the request with an outcome.
import type { APIRoute } from 'astro';
import { handleClose } from '../../../../../../server/staff/api.ts';

export const POST: APIRoute = ({ request, locals, params }) => handleClose(request, locals, params.id ?? '');
