// SPDX-License-Identifier: EUPL-1.2
// GET /audio/<lng>/clips-<municipality>-<version>.json: which clip belongs to which sentence.
import type { APIRoute } from 'astro';
import { handleClipTable } from '../../../server/resident/audio-api.ts';

export const GET: APIRoute = ({ params }) => handleClipTable(params.lang ?? '', params.table ?? '');
