// SPDX-License-Identifier: EUPL-1.2
// GET /s/<code>: a personal link from an SMS or a letter's QR code opens the conversation.
import type { APIRoute } from 'astro';
import { openInviteLink } from '../../server/invite-links.ts';

export const GET: APIRoute = ({ request, params, clientAddress }) =>
  openInviteLink(request, params.code ?? '', clientAddress);
