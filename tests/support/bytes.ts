// SPDX-License-Identifier: EUPL-1.2
// Bytes a resident's phone downloads: the first screen as served (compressed), and the island's JavaScript graph from the build.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LANGUAGES } from '../../src/lib/languages.ts';

const root = new URL('../../', import.meta.url).pathname;
const client = join(root, 'dist/client');

export interface FirstScreen {
  /** bytes of the HTML (with its inline CSS) as the server sends it with gzip */
  gzip: number;
  brotli: number;
  raw: number;
  /** stylesheets linked from the page (all CSS is inline when this is empty) */
  stylesheets: string[];
  /** classic scripts that would block rendering (src without defer/async/module) */
  blockingScripts: string[];
  html: string;
}

function fetchBody(url: string, encoding: string): Promise<{ bytes: number; contentEncoding: string | null; text: string }> {
  // fetch would decode the body: the encoded size comes from a plain node:http request
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'Accept-Encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ bytes: body.length, contentEncoding: (res.headers['content-encoding'] as string | undefined) ?? null, text: body.toString('latin1') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The first screen of a municipality as the server sends it, with gzip and with brotli. */
export async function firstScreen(baseUrl: string, path = '/voorbeeld/nl/'): Promise<FirstScreen> {
  const gz = await fetchBody(baseUrl + path, 'gzip');
  const br = await fetchBody(baseUrl + path, 'br');
  const plain = await fetchBody(baseUrl + path, 'identity');
  if (gz.contentEncoding !== 'gzip') throw new Error(`the server did not gzip ${path} (Content-Encoding: ${gz.contentEncoding})`);
  if (br.contentEncoding !== 'br') throw new Error(`the server did not brotli ${path} (Content-Encoding: ${br.contentEncoding})`);
  const html = Buffer.from(plain.text, 'latin1').toString('utf8');
  const stylesheets = [...html.matchAll(/<link\b[^>]*rel=["']?stylesheet[^>]*>/gi)].map((m) => m[0]);
  const blockingScripts = [...html.matchAll(/<script\b([^>]*)>/gi)]
    .map((m) => m[1] ?? '')
    .filter((attrs) => /\bsrc=/.test(attrs) && !/\b(defer|async)\b|type=["']?module/.test(attrs));
  return { gzip: gz.bytes, brotli: br.bytes, raw: plain.bytes, stylesheets, blockingScripts, html };
}

export interface ScriptGraph {
  /** every file the island loads at once (its module, its renderer and their static imports) */
  eager: { file: string; gzip: number }[];
  /** chunks loaded only when needed (dynamic import()) */
  lazy: { file: string; gzip: number }[];
  eagerGzip: number;
  lazyGzip: number;
}

const gz = (file: string) => gzipSync(readFileSync(join(client, file)), { level: 9 }).length;

/**
 * Follows the island's static imports in the built files, from the module and renderer URLs the
 * page names (`component-url`, `renderer-url` and any `<script type="module" src>`).
 */
export function scriptGraph(html: string): ScriptGraph {
  const entries = [
    ...[...html.matchAll(/(?:component-url|renderer-url)="\/([^"]+\.js)"/g)].map((m) => m[1] as string),
    ...[...html.matchAll(/<script\b[^>]*\bsrc="\/([^"]+\.js)"/g)].map((m) => m[1] as string),
  ];
  if (entries.length === 0) throw new Error('the page names no island scripts');
  const eager = new Set<string>();
  const lazy = new Set<string>();
  const visit = (file: string) => {
    if (eager.has(file)) return;
    eager.add(file);
    const code = readFileSync(join(client, file), 'utf8');
    const dir = file.slice(0, file.lastIndexOf('/') + 1);
    for (const m of code.matchAll(/(?:from|import)\s*["'`]\.\/([^"'`]+\.js)["'`]/g)) visit(dir + m[1]);
    for (const m of code.matchAll(/import\(\s*["'`]\.\/([^"'`]+\.js)["'`]\s*\)/g)) lazy.add(dir + m[1]);
  };
  for (const entry of entries) visit(entry);
  for (const file of eager) lazy.delete(file);
  const list = (files: Set<string>) => [...files].sort().map((file) => ({ file, gzip: gz(file) }));
  const e = list(eager);
  const l = list(lazy);
  return { eager: e, lazy: l, eagerGzip: e.reduce((n, f) => n + f.gzip, 0), lazyGzip: l.reduce((n, f) => n + f.gzip, 0) };
}

/** Bytes of each language's clips (MP3 does not compress further). */
export function audioPerLanguage(): Record<string, { files: number; bytes: number }> {
  const out: Record<string, { files: number; bytes: number }> = {};
  for (const lng of Object.keys(LANGUAGES)) {
    const dir = join(root, 'public/audio', lng);
    const files = readdirSync(dir).filter((f) => f.endsWith('.mp3'));
    out[lng] = { files: files.length, bytes: files.reduce((n, f) => n + statSync(join(dir, f)).size, 0) };
  }
  return out;
}
