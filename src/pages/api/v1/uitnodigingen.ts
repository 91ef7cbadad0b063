// SPDX-License-Identifier: EUPL-1.2
// POST /api/v1/uitnodigingen: one personal invitation link (SMS or letter QR code).
import type { APIRoute } from 'astro';
import { handleCreateInvite } from '../../../server/invitations/api.ts';

export const POST: APIRoute = ({ request }) => handleCreateInvite(request);
