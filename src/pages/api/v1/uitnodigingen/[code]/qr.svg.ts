// SPDX-License-Identifier: EUPL-1.2
// GET /api/v1/uitnodigingen/{code}/qr.svg: one invitation's QR code.
import type { APIRoute } from 'astro';
import { handleInviteQr } from '../../../../../server/invitations/api.ts';

export const GET: APIRoute = ({ request, params }) => handleInviteQr(request, params.code ?? '');
