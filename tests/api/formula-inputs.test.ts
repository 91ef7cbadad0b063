// SPDX-License-Identifier: EUPL-1.2
// CSV that a spreadsheet cannot turn into a formula (issue 16, item 5): every input path refuses a
// case reference or signal ID that a spreadsheet would run, with a clear reason, keeping what was typed.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '../support/app-server.ts';
import { createStaff, dbRows, StaffClient } from '../support/staff.ts';

const root = new URL('../../', import.meta.url).pathname;
let app: AppServer;
let key: string;
beforeAll(async () => {
  app = await startApp();
  key = execFileSync(process.execPath, ['src/cli/api-key.ts', '--municipality', 'voorbeeld', '--name', 'formulas'], { cwd: root, env: { ...process.env, DATABASE_FILE: app.databaseFile }, encoding: 'utf8' }).trim();
});
afterAll(async () => {
  await app?.stop();
});

const FORMULA = '=HYPERLINK("https://elders.example","zaak")';

describe('a reference a spreadsheet would run', () => {
  it('is refused on the staff form, with the reason in Dutch and the text kept in its box', async () => {
    const admin = await createStaff(app.databaseFile, { role: 'admin', municipalities: ['voorbeeld'], name: 'Ada Admin' });
    const client = new StaffClient(app.url);
    await client.login(admin);
    const res = await client.postForm('/staff/uitnodigingen', { municipality: 'voorbeeld', channel: 'sms', caseRef: FORMULA });
    const html = await res.text();
    expect(html).toContain('Het zaaknummer mag niet beginnen met =, +, - of @');
    expect(html).toContain('value="=HYPERLINK(&quot;https://elders.example&quot;,&quot;zaak&quot;)"');
    expect(dbRows(app.databaseFile, 'select count(*) as n from invites where case_ref = ?', FORMULA)).toEqual([{ n: 0 }]);
  });

  it('is refused by the API as a case reference and as a signal ID (422), and in a batch row', async () => {
    const post = (body: unknown) =>
      fetch(`${app.url}/api/v1/uitnodigingen`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ caseRef: '@SUM(A1)', channel: 'sms' })).status).toBe(422);
    const signal = await post({ caseRef: 'OK-1', channel: 'sms', vroegsignalen: [{ ID: '+cmd|calc', signaalpartner: { type: 'Water' } }] });
    expect(signal.status).toBe(422);
    expect(JSON.stringify(await signal.json())).toContain('formula');
    const batch = await fetch(`${app.url}/api/v1/uitnodigingen/batches?channel=sms`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'text/csv' },
      body: 'case_ref,signaal_id,signaalpartner\nGOED-1,GOED-1-S,Water\n-1+2,X-S,Water\n',
    });
    expect(batch.status).toBe(201);
    const csv = await batch.text();
    // the refused row's reason quotes the value neutralised, and no cell of the answer starts a formula
    expect(csv).toContain('refused');
    for (const cell of csv.split(/[,\r\n]+/)) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@\t]/);
  });
});
