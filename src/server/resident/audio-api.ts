// SPDX-License-Identifier: EUPL-1.2
/** HTTP side of the clip tables the island fetches: content-hashed, so kept for good when current. */
import { isLanguage } from '../../lib/languages.ts';
import { clipTable } from './audio.ts';
import { findMunicipality } from '../municipalities.ts';
import { getStore } from '../runtime.ts';

const TABLE = /^clips-([a-z0-9][a-z0-9-]{1,40})-([0-9a-f]{12})$/;

export async function handleClipTable(lang: string, name: string): Promise<Response> {
  const match = TABLE.exec(name);
  const notFound = new Response('Not found', { status: 404, headers: { 'Cache-Control': 'no-store' } });
  if (!match || !isLanguage(lang)) return notFound;
  const [, slug, version] = match as unknown as [string, string, string];
  const m = await findMunicipality(await getStore(), slug);
  if (!m || !m.languages.includes(lang)) return notFound;
  const table = clipTable(lang, m.slug);
  // an older version (a page from before a deploy) gets today's table, not to be kept
  const cache = table.version === version ? 'public, max-age=31536000, immutable' : 'no-cache';
  return new Response(JSON.stringify(table.clips), { headers: { 'Content-Type': 'application/json', 'Cache-Control': cache } });
}
