// SPDX-License-Identifier: EUPL-1.2
// GET /staff/uitnodigingen/{batch}/csv: a batch of invitations as CSV (links, SMS texts, check words).
import type { APIRoute } from 'astro';
import { batchCsvDownload } from '../../../../server/staff/invites-page.ts';

export const GET: APIRoute = ({ locals, params, url }) => batchCsvDownload(locals, params.batch ?? '', url);
