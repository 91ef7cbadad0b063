// SPDX-License-Identifier: EUPL-1.2
// GET /staff/uitnodigingen/{batch}/csv: a batch of invitations as CSV (links, SMS texts, check words).
import type { APIRoute } from 'astro';
import { batchDownload } from '../../../../server/staff/invites-page.ts';

export const GET: APIRoute = ({ locals, params, url }) => batchDownload(locals, params.batch ?? '', url, 'csv');
