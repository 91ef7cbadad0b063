// SPDX-License-Identifier: EUPL-1.2
// GET /staff/uitnodigingen/{batch}/qr: the printable sheet of QR codes of a batch.
import type { APIRoute } from 'astro';
import { batchDownload } from '../../../../server/staff/invites-page.ts';

export const GET: APIRoute = ({ locals, params, url }) => batchDownload(locals, params.batch ?? '', url, 'qr');
