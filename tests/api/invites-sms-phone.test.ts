// SPDX-License-Identifier: EUPL-1.2
// The batch API takes a resident's mobile number only from a municipality whose contact plan sends SMS (Voorbeeld), not from one without (Zeedorp).
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbRows } from '../support/staff.ts';
import { startApp, type AppServer } from '../support/app-server.ts';

const root = new URL('../../', import.meta.url).pathname;

let app: AppServer;
let voorbeeldKey: string;
let zeedorpKey: string;

function makeKey(databaseFile: string, municipality: string): string {
  return execFileSync(process.execPath, ['src/cli/api-key.ts', '--municipality', municipality, '--name', 'test'], {
    cwd: root,
    env: { ...process.env, DATABASE_FILE: databaseFile },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

function postBatch(key: string, csv: string) {
  return fetch(`${app.url}/api/v1/uitnodigingen/batches?channel=sms`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'text/csv' },
    body: csv,
  });
}

beforeAll(async () => {
  app = await startApp();
  voorbeeldKey = makeKey(app.databaseFile, 'voorbeeld');
  zeedorpKey = makeKey(app.databaseFile, 'zeedorp');
});
afterAll(async () => {
  await app?.stop();
});

describe('the telefoon column through the API', () => {
  it('is stored in E.164 with the language for a municipality whose plan sends SMS, without a "link sent" attempt', async () => {
    const [withPhone, without] = [`T-${randomUUID().slice(0, 8)}`, `T-${randomUUID().slice(0, 8)}`];
    const res = await postBatch(
      voorbeeldKey,
      `case_ref;signaal_id;signaalpartner;Mobiel nummer;taal\n${withPhone};${withPhone}-S;Energie;06 12 34 56 78;pl\n${without};${without}-S;Huur;;\n`,
    );
    expect(res.status).toBe(201);
    const cases = (ref: string) =>
      dbRows(app.databaseFile, 'SELECT id, sms_phone, language FROM cases WHERE case_ref = ?', ref)[0] ?? {};
    expect(cases(withPhone)).toMatchObject({ sms_phone: '+31612345678', language: 'pl' });
    expect(cases(without)).toMatchObject({ sms_phone: null, language: null });
    const attempts = (ref: string) =>
      dbRows(
        app.databaseFile,
        'SELECT a.kind FROM case_attempts a JOIN cases c ON c.id = a.case_id WHERE c.case_ref = ?',
        ref,
      );
    expect(attempts(withPhone)).toEqual([]);
    expect(attempts(without)).toEqual([{ kind: 'sms_whatsapp' }]);
  });

  it('refuses the file as personal data for a municipality without an SMS plan', async () => {
    const res = await postBatch(zeedorpKey, 'case_ref,telefoon\nZ-1,0612345678\n');
    expect(res.status).toBe(422);
    const body = (await res.json()) as { invalidParams: { name: string; code: string }[] };
    expect(body.invalidParams).toEqual([expect.objectContaining({ name: 'row.1', code: 'personalData' })]);
    expect(dbRows(app.databaseFile, "SELECT id FROM cases WHERE case_ref = 'Z-1'")).toEqual([]);
  });
});
