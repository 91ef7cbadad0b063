// SPDX-License-Identifier: EUPL-1.2
// GET /<municipality>/<lang>/manifest.webmanifest: the web app manifest (404 for an unknown municipality or language).
import type { APIRoute } from 'astro';
import { appManifestResponse } from '../../../server/resident/app-manifest.ts';

export const GET: APIRoute = ({ params }) => appManifestResponse(params.municipality ?? '', params.lang ?? '');
