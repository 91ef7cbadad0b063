// SPDX-License-Identifier: EUPL-1.2
// GET /staff/bereik.csv: the reach figures as CSV (counts only).
import type { APIRoute } from 'astro';
import { reachCsvResponse } from '../../server/staff/reach-page.ts';

export const GET: APIRoute = ({ locals, url }) => reachCsvResponse(locals, url);
