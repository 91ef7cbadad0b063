// SPDX-License-Identifier: EUPL-1.2
// Benchmark section: bytes on the wire for the first screen, the JavaScript before the first answer and of the whole conversation, audio per language.
import { chromium } from 'playwright-core';
import { audioPerLanguage, firstScreen, scriptGraph } from '../support/bytes.ts';
import { chromiumPath, CHROMIUM_FLAGS, startFreshApp } from './browser.ts';
import { round, type Row, type SectionOutcome } from './section.ts';

const kb = (n: number) => `${round(n / 1024)} KB`;

/** With JavaScript off, a tap on the first screen still gives the next question: no JS is needed before the first answer. */
async function answersWithoutJavaScript(url: string): Promise<{ works: boolean; scriptRequests: number }> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    let scriptRequests = 0;
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scriptRequests++;
    });
    await page.goto(`${url}/voorbeeld/nl/`);
    const before = await page.locator('h1').innerText();
    await page.locator('form.step button[name="answer"]').first().click();
    await page.waitForLoadState('load');
    const after = await page.locator('h1').innerText();
    return { works: after !== before && (await page.locator('form.step[data-step="welcome"]').count()) === 1, scriptRequests };
  } finally {
    await browser.close();
  }
}

export async function bytes(): Promise<SectionOutcome> {
  const app = await startFreshApp();
  try {
    const screen = await firstScreen(app.url, '/voorbeeld/nl/');
    const graph = scriptGraph(screen.html);
    const noJs = await answersWithoutJavaScript(app.url);
    const audio = audioPerLanguage();
    const queue = graph.lazy.find((f) => f.file.includes('waiting-delivery'));
    const result = {
      firstScreen: { gzip: screen.gzip, brotli: screen.brotli, raw: screen.raw, stylesheets: screen.stylesheets.length },
      jsBeforeFirstAnswer: { bytes: noJs.works ? 0 : null, answeredWithoutJavaScript: noJs.works, blockingScripts: screen.blockingScripts.length },
      conversationJs: { eagerGzip: graph.eagerGzip, eager: graph.eager, lazy: graph.lazy },
      audio,
    };
    const rows: Row[] = [
      ['first screen HTML + inline CSS, gzip (brotli)', `${kb(screen.gzip)} (${kb(screen.brotli)}), ${kb(screen.raw)} raw`, '≤ 14 KB', screen.gzip <= 14 * 1024 && screen.stylesheets.length === 0],
      ['JavaScript needed before the first answer', noJs.works ? '0 KB (answered with JS off)' : 'the answer needs JS', '0', noJs.works && screen.blockingScripts.length === 0],
      ['JavaScript of the conversation, gzip', `${kb(graph.eagerGzip)} in ${graph.eager.length} files`, '≤ 30 KB', graph.eagerGzip <= 30 * 1024],
      ['  + device queue, only when a request cannot be sent', queue ? kb(queue.gzip) : 'not found', '', null],
    ];
    for (const [lng, a] of Object.entries(audio)) rows.push([`audio ${lng}`, `${round(a.bytes / 2 ** 20, 2)} MB in ${a.files} clips (kept as played)`, '', null]);
    return { result, rows };
  } finally {
    await app.stop();
  }
}
