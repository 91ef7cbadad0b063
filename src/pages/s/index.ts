// SPDX-License-Identifier: EUPL-1.2
// GET /s/ (?code=…): type the code from a letter by hand; the same answers as /s/<code>.
import type { APIRoute } from 'astro';
import { openInviteLink } from '../../server/invite-links.ts';

export const GET: APIRoute = ({ request, url, clientAddress }) =>
  openInviteLink(request, url.searchParams.get('code'), clientAddress);
