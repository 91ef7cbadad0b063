// SPDX-License-Identifier: EUPL-1.2
// Invitations against the built server and a real SQLite file: batches, links, QR codes, SMS texts, limits, keys.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/lib/csv.ts';
import { gsm7Length, isGsm7 } from '../../src/lib/gsm7.ts';
import { generateInviteCode } from '../../src/lib/invite-code.ts';
import { openStore } from '../../src/server/store/index.ts';
import { insertInvites } from '../../src/server/store/invites.ts';
import { upsertMunicipality } from '../../src/server/store/municipalities.ts';
import { dbRows } from '../support/staff.ts';
import { startApp, type AppServer } from '../support/app-server.ts';

const root = new URL('../../', import.meta.url).pathname;
const DISPLAY_CODE = /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{5}$/;
const HEADER = ['row', 'case_ref', 'signaal_id', 'result', 'reason', 'code', 'link', 'sms_text', 'check_word', 'expires_at'];

let app: AppServer;
let voorbeeldKey: string;
let zeedorpKey: string;

const rows = dbRows;

/** Makes a key with the CLI, as an operator would; stdout holds the key alone. */
function makeKey(databaseFile: string, municipality: string, name = 'test'): string {
  return execFileSync(process.execPath, ['src/cli/api-key.ts', '--municipality', municipality, '--name', name], {
    cwd: root,
    env: { ...process.env, DATABASE_FILE: databaseFile },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A GET that does not follow redirects, sent from a chosen loopback address, so each test is
 * its own client for the guessing limit (Linux routes all of 127.0.0.0/8 to loopback).
 */
function get(
  url: string,
  options: { from?: string; headers?: Record<string, string>; method?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: options.method ?? 'GET', localAddress: options.from ?? '127.0.0.1', headers: options.headers ?? {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function api(
  server: AppServer,
  path: string,
  init: { method?: string; key?: string | null; body?: string; type?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key) headers.Authorization = `Bearer ${init.key}`;
  if (init.type) headers['Content-Type'] = init.type;
  return fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
}

async function createBatch(
  server: AppServer,
  key: string,
  csv: string,
  channel: string,
  headers: Record<string, string> = {},
) {
  return api(server, `/api/v1/uitnodigingen/batches?channel=${channel}`, {
    method: 'POST',
    key,
    body: csv,
    type: 'text/csv',
    headers,
  });
}

async function createInvite(body: Record<string, unknown>, key = voorbeeldKey) {
  const res = await api(app, '/api/v1/uitnodigingen', {
    method: 'POST',
    key,
    body: JSON.stringify(body),
    type: 'application/json',
  });
  expect(res.status).toBe(201);
  return (await res.json()) as {
    id: string;
    code: string;
    link: string;
    smsText: string | null;
    checkWord: string;
    expiresAt: string;
    qrSvgUrl: string;
  };
}

function records(csv: string): Record<string, string>[] {
  const [header, ...data] = parseCsv(csv);
  expect(header).toEqual(HEADER);
  return data.map((r) => Object.fromEntries(HEADER.map((h, i) => [h, r[i] ?? ''])));
}

function compact(code: string): string {
  return code.replaceAll('-', '');
}

/**
 * Draws the served SVG (the `qrcode` library's one-path output: M/m moves and h runs at half
 * rows) into a bitmap, 4 pixels per module, so jsQR reads exactly what a letter would carry.
 */
function rasterise(svg: string): PNG {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  const d = /<path stroke="#000000" d="([^"]+)"/.exec(svg)?.[1];
  if (!size || !d) throw new Error(`not a QR SVG: ${svg.slice(0, 120)}`);
  const scale = 4;
  const png = new PNG({ width: size * scale, height: size * scale });
  png.data.fill(255);
  let x = 0;
  let y = 0;
  for (const [, cmd, a, b] of d.matchAll(/([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?/g)) {
    const n = Number(a);
    if (cmd === 'M') [x, y] = [n, Number(b)];
    else if (cmd === 'm') [x, y] = [x + n, y + Number(b)];
    else {
      for (let col = x; col < x + n; col++) {
        for (let py = Math.floor(y) * scale; py < (Math.floor(y) + 1) * scale; py++) {
          for (let px = col * scale; px < (col + 1) * scale; px++) {
            const at = (py * png.width + px) * 4;
            png.data[at] = png.data[at + 1] = png.data[at + 2] = 0;
          }
        }
      }
      x += n;
    }
  }
  return png;
}

function decode(png: PNG): string | undefined {
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

beforeAll(async () => {
  app = await startApp();
  voorbeeldKey = makeKey(app.databaseFile, 'voorbeeld');
  zeedorpKey = makeKey(app.databaseFile, 'zeedorp');
});
afterAll(async () => {
  await app?.stop();
  if (process.env.SHOW_SERVER_OUTPUT) console.log(app?.output());
});

describe('batches from CSV', () => {
  it('makes 1,000 SMS invitations with unique codes, in the order of the CSV, and gives the same CSV again', async () => {
    const input = [
      'case_ref,topic',
      ...Array.from(
        { length: 1000 },
        (_, i) => `ZAAK-${String(i + 1).padStart(4, '0')},${['rent', 'energy', '', 'water'][i % 4]}`,
      ),
    ].join('\r\n');
    const started = performance.now();
    const res = await createBatch(app, voorbeeldKey, input, 'sms');
    const csv = await res.text();
    const ms = performance.now() - started;
    console.log(`[bench] batch of 1000 SMS invitations: ${ms.toFixed(0)} ms`);
    expect(res.status, csv).toBe(201);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const location = res.headers.get('location') ?? '';
    expect(location).toMatch(/^\/api\/v1\/uitnodigingen\/batches\/[0-9a-f-]{36}$/);

    const out = records(csv);
    expect(out).toHaveLength(1000);
    expect(out.map((r) => r.row)).toEqual(Array.from({ length: 1000 }, (_, i) => String(i + 2)));
    expect(new Set(out.map((r) => r.result))).toEqual(new Set(['made']));
    expect(out.map((r) => r.case_ref)).toEqual(
      Array.from({ length: 1000 }, (_, i) => `ZAAK-${String(i + 1).padStart(4, '0')}`),
    );
    expect(new Set(out.map((r) => r.code)).size).toBe(1000);
    for (const r of out) {
      expect(r.code).toMatch(DISPLAY_CODE);
      expect(r.link).toBe(`${app.url}/s/${compact(r.code ?? '')}`);
      expect(r.check_word).toMatch(/^[A-Z]{2,8}$/);
      expect(r.sms_text).toContain(` ${r.link} `);
      expect(r.sms_text?.endsWith(`Controlewoord: ${r.check_word}`)).toBe(true);
      expect(isGsm7(r.sms_text ?? '')).toBe(true);
      expect(gsm7Length(r.sms_text ?? '')).toBeLessThanOrEqual(160);
      expect(Date.parse(r.expires_at ?? '') - Date.now()).toBeGreaterThan(89 * 86_400_000);
    }

    const again = await api(app, location, { key: voorbeeldKey });
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(csv);

    const batchId = location.split('/').pop() ?? '';
    expect(
      rows(app.databaseFile, 'select size, created_by, municipality from invite_batches where id = ?', batchId),
    ).toEqual([
      { size: 1000, created_by: expect.stringMatching(/^api-key:[0-9a-f-]{36}$/), municipality: 'voorbeeld' },
    ]);
    const stored = rows(
      app.databaseFile,
      'select code, topic, channel, case_ref from invites where batch_id = ? order by batch_row',
      batchId,
    );
    expect(stored[0]).toEqual({
      code: compact(out[0]?.code ?? ''),
      topic: 'rent',
      channel: 'sms',
      case_ref: 'ZAAK-0001',
    });
    expect(stored[2]?.topic).toBeNull();
  });

  it('answers a retry with the same Idempotency-Key with the first batch, and refuses the key for another CSV', async () => {
    const key = `batch-${randomUUID()}`;
    const csv = 'case_ref\nIDEM-1\nIDEM-2\n';
    const first = await createBatch(app, voorbeeldKey, csv, 'letter-qr', { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    const body = await first.text();
    const retry = await createBatch(app, voorbeeldKey, csv, 'letter-qr', { 'Idempotency-Key': key });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    expect(await retry.text()).toBe(body);
    expect(rows(app.databaseFile, "select count(*) as n from invites where case_ref = 'IDEM-1'")[0]?.n).toBe(1);
    expect(
      (await createBatch(app, voorbeeldKey, 'case_ref\nIDEM-3\n', 'letter-qr', { 'Idempotency-Key': key })).status,
    ).toBe(409);
  });

  it('refuses a batch in which no row can be used (422, reasons in Dutch), and stores nothing', async () => {
    const before = rows(app.databaseFile, 'select count(*) as n from invites')[0]?.n;
    const lines = ['case_ref,topic', ...Array.from({ length: 15 }, (_, i) => `=BAD-${i},rent`), 'BAD-17,gas'];
    const res = await createBatch(app, voorbeeldKey, lines.join('\n'), 'sms');
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { detail: string; invalidParams: { name: string; reason: string }[] };
    expect(problem.detail).toContain('Geen enkele regel is goed');
    expect(problem.invalidParams).toHaveLength(16);
    expect(problem.invalidParams.at(-1)).toEqual({
      name: 'row.17.topic',
      code: 'invalid',
      reason: "Rij 17: onderwerp 'gas' kennen we niet. Kies uit rent, energy, water, health, other, unknown, of laat het leeg.",
    });
    expect(rows(app.databaseFile, 'select count(*) as n from invites')[0]?.n).toBe(before);
  });

  it('keeps the valid rows of a batch, refuses the others per row with a Dutch reason, and gives one link per household', async () => {
    const tag = randomUUID().slice(0, 8);
    const csv = [
      'case_ref;signaal_id;signaalpartner;bedrag;signaaldatum;crisissignaal',
      `H1-${tag};S1-${tag};Energie;320;2026-11-02;nee`,
      `H1-${tag};S2-${tag};Water;45,50;02-11-2026;`,
      `H2-${tag};S3-${tag};Huur;900;;ja`,
      `H3-${tag};S4-${tag};Gas;10;;`,
      `H2-${tag};S3-${tag};Huur;900;;ja`,
      `;S5-${tag};Zorg;;;`,
      `H4-${tag};;;;;`,
    ].join('\n');
    const res = await createBatch(app, voorbeeldKey, csv, 'sms');
    const text = await res.text();
    expect(res.status, text).toBe(201);
    const out = records(text);
    expect(out.map((r) => [r.row, r.case_ref, r.signaal_id, r.result])).toEqual([
      ['2', `H1-${tag}`, `S1-${tag}`, 'made'],
      ['3', `H1-${tag}`, `S2-${tag}`, 'made'],
      ['4', `H2-${tag}`, `S3-${tag}`, 'made'],
      ['5', `H3-${tag}`, `S4-${tag}`, 'refused'],
      ['6', `H2-${tag}`, `S3-${tag}`, 'refused'],
      ['7', '', `S5-${tag}`, 'refused'],
      ['8', `H4-${tag}`, '', 'made'],
    ]);
    expect(out[3]?.reason).toMatch(/^Rij 5: signaalpartner 'Gas' staat niet in de DDAS-lijst/);
    expect(out[4]?.reason).toBe(`Rij 6: signaal S3-${tag} staat ook in rij 4.`);
    expect(out[5]?.reason).toBe('Rij 7: case_ref is leeg.');
    for (const refused of out.filter((r) => r.result === 'refused')) expect([refused.code, refused.link, refused.sms_text]).toEqual(['', '', '']);
    // the two signals of household 1 share one link; every household has its own
    expect(out[0]?.link).toBe(out[1]?.link);
    expect(new Set(out.filter((r) => r.result === 'made').map((r) => r.link)).size).toBe(3);
    expect(out[0]?.sms_text).toContain(out[0]?.link);

    const cases = rows(app.databaseFile, 'select id, case_ref from cases where case_ref like ? order by case_ref', `%-${tag}`);
    expect(cases.map((c) => c.case_ref)).toEqual([`H1-${tag}`, `H2-${tag}`, `H4-${tag}`]);
    expect(
      rows(app.databaseFile, 'select signal_ref, partner, amount, signalled_on, crisis from signals where signal_ref like ? order by signal_ref', `%-${tag}`),
    ).toEqual([
      { signal_ref: `S1-${tag}`, partner: 'energy', amount: 320, signalled_on: '2026-11-02', crisis: 0 },
      { signal_ref: `S2-${tag}`, partner: 'water', amount: 46, signalled_on: '2026-11-02', crisis: 0 },
      { signal_ref: `S3-${tag}`, partner: 'rent', amount: 900, signalled_on: null, crisis: 1 },
    ]);
    // the same batch read back says the same, refused rows and all
    const again = await api(app, res.headers.get('location') ?? '', { key: voorbeeldKey });
    expect(await again.text()).toBe(text);

    // The next delivery: household 1 again with a known and a new signal keeps its link;
    // a signal ID of household 1 under household 5 is refused, household 5's other row is kept.
    const next = await createBatch(
      app,
      voorbeeldKey,
      ['case_ref,signaal_id,signaalpartner', `H1-${tag},S1-${tag},Energie`, `H1-${tag},S6-${tag},DUO`, `H5-${tag},S2-${tag},Water`, `H5-${tag},S7-${tag},Water`].join('\n'),
      'letter-qr',
    );
    const nextOut = records(await next.text());
    expect(nextOut.map((r) => [r.case_ref, r.result])).toEqual([
      [`H1-${tag}`, 'existing'],
      [`H1-${tag}`, 'existing'],
      [`H5-${tag}`, 'refused'],
      [`H5-${tag}`, 'made'],
    ]);
    expect(nextOut[0]?.link).toBe(out[0]?.link);
    expect(nextOut[0]?.sms_text).toBe(''); // a letter batch
    expect(nextOut[2]?.reason).toBe(`Rij 4: signaal S2-${tag} hoort bij een andere zaak van deze gemeente. Van deze rij is niets bewaard.`);
    expect(rows(app.databaseFile, 'select times_received from signals where signal_ref = ?', `S1-${tag}`)).toEqual([{ times_received: 2 }]);
    // both deliveries are in the audit log, with what became of their rows
    expect(rows(app.databaseFile, "select actor, result, origin from audit_log where action = 'invite' and object_type = 'invite_batch' and object_id = ?", String(next.headers.get('location')).split('/').pop() ?? '')).toEqual([
      { actor: expect.stringMatching(/^api-key:/), result: 'ok (1 new links, 1 kept; rows: 3 kept, 1 refused)', origin: 'api' },
    ]);
    const household1 = String(cases[0]?.id);
    expect(rows(app.databaseFile, 'select count(*) as n from signals where case_id = ?', household1)).toEqual([{ n: 3 }]);
    // each delivery is the portal's own contact attempt on the case: by SMS first, then by letter, not (yet) reached
    expect(rows(app.databaseFile, 'select kind, reached, staff_id from case_attempts where case_id = ? order by created_at', household1)).toEqual([
      { kind: 'sms_whatsapp', reached: 0, staff_id: null },
      { kind: 'letter', reached: 0, staff_id: null },
    ]);
    // the letter sheet carries both households' links, the kept one too
    const sheet = await (await api(app, `${next.headers.get('location')}/qr`, { key: voorbeeldKey })).text();
    expect(sheet.match(/<div class="cell">/g)).toHaveLength(2);
  });

  it('refuses a file with a column of personal data before reading a row', async () => {
    const res = await createBatch(app, voorbeeldKey, 'case_ref,bsn\nP-1,123456782', 'sms');
    expect(res.status).toBe(422);
    expect(((await res.json()) as { invalidParams: { code: string }[] }).invalidParams).toEqual([
      expect.objectContaining({ name: 'row.1', code: 'personalData' }),
    ]);
    expect(rows(app.databaseFile, "select count(*) as n from cases where case_ref = 'P-1'")[0]?.n).toBe(0);
  });

  it('refuses more than 5,000 rows (422), over 1 MB (413), other types (415), other encodings (400), no channel (422)', async () => {
    const many = ['case_ref', ...Array.from({ length: 5001 }, (_, i) => `R${i}`)].join('\n');
    const tooMany = await createBatch(app, voorbeeldKey, many, 'sms');
    expect(tooMany.status).toBe(422);
    expect(((await tooMany.json()) as { invalidParams: { name: string }[] }).invalidParams[0]?.name).toBe('rows');
    const huge = `case_ref\n${'x'.repeat(1024 * 1024)}`;
    expect((await createBatch(app, voorbeeldKey, huge, 'sms')).status).toBe(413);
    expect(
      (
        await api(app, '/api/v1/uitnodigingen/batches?channel=sms', {
          method: 'POST',
          key: voorbeeldKey,
          body: 'case_ref\nA',
          type: 'application/json',
        })
      ).status,
    ).toBe(415);
    const latin1 = await fetch(`${app.url}/api/v1/uitnodigingen/batches?channel=sms`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${voorbeeldKey}`, 'Content-Type': 'text/csv' },
      body: Buffer.from('case_ref\nCaf\xe9\n', 'latin1'),
    });
    expect(latin1.status).toBe(400);
    const noChannel = await api(app, '/api/v1/uitnodigingen/batches', {
      method: 'POST',
      key: voorbeeldKey,
      body: 'case_ref\nA',
      type: 'text/csv',
    });
    expect(noChannel.status).toBe(422);
    expect(((await noChannel.json()) as { invalidParams: { name: string; code: string }[] }).invalidParams).toEqual([
      expect.objectContaining({ name: 'channel', code: 'required' }),
    ]);
  });

  it('still takes JSON call-back requests up to 16 KB only (the CSV limit is for CSV)', async () => {
    const res = await fetch(`${app.url}/api/v1/terugbelverzoeken`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ municipality: 'voorbeeld', firstName: 'a'.repeat(17 * 1024) }),
    });
    expect(res.status).toBe(413);
  });
});

describe('one invitation', () => {
  it('answers 201 with code, link, SMS text, check word, expiry and QR address', async () => {
    const invite = await createInvite({ caseRef: 'EEN-1', topic: 'water', channel: 'sms' });
    expect(invite.code).toMatch(DISPLAY_CODE);
    expect(invite.link).toBe(`${app.url}/s/${compact(invite.code)}`);
    expect(invite.smsText).toBe(
      `Gemeente Voorbeeld: er staat een rekening open. Wij helpen gratis. Kijk op ${invite.link} Controlewoord: ${invite.checkWord}`,
    );
    expect(invite.qrSvgUrl).toBe(`/api/v1/uitnodigingen/${compact(invite.code)}/qr.svg`);
    const letter = await createInvite({ channel: 'letter-qr' });
    expect(letter.smsText).toBeNull();
    expect(rows(app.databaseFile, 'select case_ref, topic from invites where id = ?', letter.id)[0]).toEqual({
      case_ref: null,
      topic: null,
    });
  });

  it('names invalid fields (422) and refuses other content types (415)', async () => {
    const res = await api(app, '/api/v1/uitnodigingen', {
      method: 'POST',
      key: voorbeeldKey,
      body: JSON.stringify({ channel: 'fax', topic: 'gas', caseRef: '=1+1', extra: true }),
      type: 'application/json',
    });
    expect(res.status).toBe(422);
    const names = ((await res.json()) as { invalidParams: { name: string }[] }).invalidParams.map((p) => p.name).sort();
    expect(names).toEqual(['caseRef', 'channel', 'extra', 'topic']);
    expect(
      (await api(app, '/api/v1/uitnodigingen', { method: 'POST', key: voorbeeldKey, body: 'x', type: 'text/csv' }))
        .status,
    ).toBe(415);
  });
});

describe('DDAS signals with an invitation', () => {
  const signal = (ID: string, type = 'Energie', extra: Record<string, unknown> = {}) => ({
    ID,
    signaalpartner: { type },
    bedrag: 450,
    ontstaansdatum: '2026-10-10',
    signaaldatum: '2026-11-05',
    crisissignaal: false,
    warmeOverdracht: false,
    status: 'Nog niet opgepakt',
    ...extra,
  });
  const post = (body: unknown, key = voorbeeldKey, headers: Record<string, string> = {}) =>
    api(app, '/api/v1/uitnodigingen', { method: 'POST', key, body: JSON.stringify(body), type: 'application/json', headers });

  it('makes one case with one personal link for the signals of one household, and recognises a signal sent again', async () => {
    const caseRef = `HH-${randomUUID().slice(0, 8)}`;
    const first = await post({ caseRef, channel: 'sms', vroegsignalen: [signal(`${caseRef}-E`), signal(`${caseRef}-W`, 'Water')] });
    expect(first.status).toBe(201);
    const made = (await first.json()) as { id: string; code: string; vroegsignalen: { ID: string; ontvangen: string }[] };
    expect(made.vroegsignalen).toEqual([
      { ID: `${caseRef}-E`, ontvangen: 'nieuw' },
      { ID: `${caseRef}-W`, ontvangen: 'nieuw' },
    ]);
    // A month later the rent is late too, and the energy signal comes again with a higher amount.
    const later = { caseRef, channel: 'letter-qr', vroegsignalen: [signal(`${caseRef}-E`, 'Energie', { bedrag: 610 }), signal(`${caseRef}-H`, 'Huur')] };
    const idempotency = { 'Idempotency-Key': `later-${caseRef}` };
    const again = await post(later, voorbeeldKey, idempotency);
    expect(again.status).toBe(200);
    // the same delivery retried (its answer lost on the way) answers the same and counts nothing twice
    const retried = await post(later, voorbeeldKey, idempotency);
    expect([retried.status, retried.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
    expect(((await retried.json()) as { id: string }).id).toBe(made.id);
    const same = (await again.json()) as { id: string; code: string; smsText: string | null; vroegsignalen: { ID: string; ontvangen: string }[] };
    expect(same.id).toBe(made.id);
    expect(same.code).toBe(made.code);
    expect(same.smsText).toBeNull();
    expect(same.vroegsignalen).toEqual([
      { ID: `${caseRef}-E`, ontvangen: 'bekend' },
      { ID: `${caseRef}-H`, ontvangen: 'nieuw' },
    ]);
    expect(rows(app.databaseFile, "select result from audit_log where action = 'invite' and object_id = ? order by at", made.id).map((r) => r.result)).toEqual([
      'ok (new link; signals: 2 new, 0 known)',
      'ok (the case’s working link; signals: 1 new, 1 known)',
    ]);
    const cases = rows(app.databaseFile, 'select id from cases where municipality = ? and case_ref = ?', 'voorbeeld', caseRef);
    expect(cases).toHaveLength(1);
    const caseId = cases[0]?.id as string;
    expect(rows(app.databaseFile, 'select case_id from invites where id = ?', made.id)[0]?.case_id).toBe(caseId);
    const stored = rows(app.databaseFile, 'select signal_ref, partner, amount, times_received from signals where case_id = ? order by signal_ref', caseId);
    expect(stored).toEqual([
      { signal_ref: `${caseRef}-E`, partner: 'energy', amount: 610, times_received: 2 },
      { signal_ref: `${caseRef}-H`, partner: 'rent', amount: 450, times_received: 1 },
      { signal_ref: `${caseRef}-W`, partner: 'water', amount: 450, times_received: 1 },
    ]);
  });

  it('refuses client data (the portal keeps no BSN, name or address), signals without a case reference, unknown partners and dates that do not exist', async () => {
    const withClient = await post({ caseRef: 'HH-CLIENT', channel: 'sms', vroegsignalen: [signal('S-C', 'Energie', { client: { Burgerservicenummer: '123456789', Achternaam: 'Dijk' } })] });
    expect(withClient.status).toBe(422);
    const body = await withClient.text();
    expect(body).toContain('vroegsignalen.0.client');
    expect(body).not.toContain('123456789');
    const invalid = await post({ channel: 'sms', vroegsignalen: [signal('S-1', 'Gas', { signaaldatum: '2026-02-30', bedrag: 12.5 })] });
    expect(invalid.status).toBe(422);
    const names = ((await invalid.json()) as { invalidParams: { name: string }[] }).invalidParams.map((p) => p.name).sort();
    expect(names).toEqual(['vroegsignalen.0.bedrag', 'vroegsignalen.0.signaaldatum', 'vroegsignalen.0.signaalpartner.type']);
    const noCase = await post({ channel: 'sms', vroegsignalen: [signal('S-1')] });
    expect(noCase.status).toBe(422);
    expect(((await noCase.json()) as { invalidParams: { name: string }[] }).invalidParams.map((p) => p.name)).toEqual(['caseRef']);
    expect(rows(app.databaseFile, "select count(*) as n from signals where signal_ref in ('S-C', 'S-1')")[0]?.n).toBe(0);
  });

  it("answers 409 for a signal ID of another household's case, and stores nothing of that request", async () => {
    const a = `HH-${randomUUID().slice(0, 8)}`;
    const b = `HH-${randomUUID().slice(0, 8)}`;
    expect((await post({ caseRef: a, channel: 'sms', vroegsignalen: [signal(`${a}-1`)] })).status).toBe(201);
    const clash = await post({ caseRef: b, channel: 'sms', vroegsignalen: [signal(`${b}-1`), signal(`${a}-1`)] });
    expect(clash.status).toBe(409);
    expect(((await clash.json()) as { detail: string }).detail).toContain(`${a}-1`);
    expect(rows(app.databaseFile, 'select count(*) as n from cases where case_ref = ?', b)[0]?.n).toBe(0);
    expect(rows(app.databaseFile, 'select count(*) as n from signals where signal_ref = ?', `${b}-1`)[0]?.n).toBe(0);
    // the same signal ID in another municipality is another signal
    expect((await post({ caseRef: b, channel: 'sms', vroegsignalen: [signal(`${a}-1`)] }, zeedorpKey)).status).toBe(201);
  });
});

describe('opening a personal link', () => {
  for (const channel of ['sms', 'letter-qr'] as const) {
    it(`${channel}: redirects into the conversation with a cookie, counts the opening, and the call-back carries the invitation`, async () => {
      const invite = await createInvite({ caseRef: `OPEN-${channel}`, topic: 'energy', channel });
      // As a resident might type it: lowercase, with dashes.
      const res = await get(`${app.url}/s/${invite.code.toLowerCase()}`, { from: '127.0.0.2' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/voorbeeld/');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      const cookie = res.headers['set-cookie']?.[0] ?? '';
      expect(cookie.split('; ').sort()).toEqual(
        [`hg_invite=${invite.id}`, 'HttpOnly', 'Max-Age=86400', 'Path=/', 'SameSite=Lax'].sort(),
      );
      const [opened] = rows(app.databaseFile, 'select * from invites where id = ?', invite.id);
      expect(opened).toMatchObject({ opened_count: 1, channel });
      expect(opened?.first_opened_at).toBe(opened?.last_opened_at);
      // Nothing about who opened it: no column for it, and the counters hold no address.
      expect(Object.keys(opened ?? {}).filter((c) => /(^|_)(ip|agent|user_agent|address)(_|$)/.test(c))).toEqual([]);
      expect(JSON.stringify(rows(app.databaseFile, 'select bucket from rate_limits'))).not.toContain('127.0.0');

      const again = await get(`${app.url}/s/${compact(invite.code)}`, { from: '127.0.0.2' });
      expect(again.status).toBe(303);
      const [twice] = rows(app.databaseFile, 'select * from invites where id = ?', invite.id);
      expect(twice).toMatchObject({ opened_count: 2, first_opened_at: opened?.first_opened_at });
      // A link checker's HEAD is answered alike but is not an opening.
      expect((await get(`${app.url}/s/${compact(invite.code)}`, { from: '127.0.0.2', method: 'HEAD' })).status).toBe(
        303,
      );
      expect(rows(app.databaseFile, 'select opened_count from invites where id = ?', invite.id)[0]?.opened_count).toBe(
        2,
      );

      // The conversation page starts with the invitation: channel, topic, id, and the check word to show.
      const page = await get(`${app.url}/voorbeeld/nl/`, { headers: { Cookie: `hg_invite=${invite.id}` } });
      expect(page.status).toBe(200);
      const props = page.body.replaceAll('&quot;', '"');
      expect(props).toContain(`"inviteId":[0,"${invite.id}"]`);
      expect(props).toContain(`"channel":[0,"${channel}"]`);
      expect(props).toContain(`"topic":[0,"energy"]`);
      expect(props).toMatch(
        new RegExp(`"invite":\\[0,\\{"checkWord":\\[0,"${invite.checkWord}"\\],"channel":\\[0,"${channel}"\\]\\}\\]`),
      );
      // Another municipality's page ignores the cookie.
      const other = await get(`${app.url}/zeedorp/nl/`, { headers: { Cookie: `hg_invite=${invite.id}` } });
      expect(other.body).not.toContain(invite.id);

      const callback = await fetch(`${app.url}/api/v1/terugbelverzoeken`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          municipality: 'voorbeeld',
          language: 'nl',
          topic: 'energy',
          phone: '0612345678',
          consent: true,
          channel,
          inviteId: invite.id,
        }),
      });
      expect(callback.status).toBe(201);
      const { reference } = (await callback.json()) as { reference: string };
      expect(
        rows(app.databaseFile, 'select channel, invite_id from callback_requests where reference = ?', reference)[0],
      ).toEqual({ channel, invite_id: invite.id });
    });
  }

  it('shows the same page, byte for byte, for an unknown, a mistyped and an expired code, and does not count the expired one', async () => {
    const store = await openStore({ sqliteFile: app.databaseFile });
    const expired = { id: randomUUID(), code: generateInviteCode() };
    try {
      const now = Date.now();
      await insertInvites(store, [
        {
          ...expired,
          municipality: 'voorbeeld',
          topic: 'rent',
          channel: 'letter-qr',
          caseRef: 'OLD-1',
          checkWord: 'APPEL',
          createdAt: new Date(now - 100 * 86_400_000).toISOString(),
          expiresAt: new Date(now - 86_400_000).toISOString(),
        },
      ]);
    } finally {
      await store.close();
    }
    const from = '127.0.0.3';
    const unknown = await get(`${app.url}/s/${generateInviteCode()}`, { from });
    const mistyped = await get(`${app.url}/s/${expired.code.slice(0, 12)}O`, { from });
    const old = await get(`${app.url}/s/${expired.code}`, { from });
    for (const res of [unknown, mistyped, old]) {
      expect(res.status).toBe(200);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers['cache-control']).toBe('no-store');
    }
    expect(old.body).toBe(unknown.body);
    expect(mistyped.body).toBe(unknown.body);
    // It offers the conversation anyway: every municipality of the deployment, with its phone number.
    expect(unknown.body).toContain('href="/voorbeeld/"');
    expect(unknown.body).toContain('href="/zeedorp/"');
    expect(unknown.body).toContain('href="tel:+31118123456"');
    expect(unknown.body).not.toContain('APPEL');
    expect(
      rows(app.databaseFile, 'select opened_count, first_opened_at from invites where id = ?', expired.id)[0],
    ).toEqual({ opened_count: 0, first_opened_at: null });
  });

  it('lets a resident type the code on the page', async () => {
    const invite = await createInvite({ channel: 'letter-qr' });
    const empty = await get(`${app.url}/s/`, { from: '127.0.0.4' });
    expect(empty.status).toBe(200);
    expect(empty.body).toContain('<form method="get" action="/s/">');
    const typed = await get(
      `${app.url}/s/?code=${encodeURIComponent(` ${invite.code.toLowerCase().replaceAll('-', ' ')} `)}`,
      { from: '127.0.0.4' },
    );
    expect(typed.status).toBe(303);
    expect(typed.headers['set-cookie']?.[0]).toContain(`hg_invite=${invite.id}`);
  });

  it('answers the 21st failed lookup from one client with 429 and Retry-After, and from then on every code, the right one too', async () => {
    const from = '127.0.0.5';
    for (let i = 1; i <= 20; i++)
      expect((await get(`${app.url}/s/${generateInviteCode()}`, { from })).status, `lookup ${i}`).toBe(200);
    const limited = await get(`${app.url}/s/${generateInviteCode()}`, { from });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 600).toBe(true);
    expect(limited.body).toContain('Even wachten');
    expect(limited.body).toContain('href="/voorbeeld/"');

    const invite = await createInvite({ channel: 'sms' });
    // the working code answers as the wrong ones do: the 21st guess tells nothing
    const right = await get(`${app.url}/s/${compact(invite.code)}`, { from });
    expect(right.status).toBe(429);
    expect(right.headers['set-cookie']).toBeUndefined();
    expect((await get(`${app.url}/s/${compact(invite.code)}?sms=stoppen`, { from })).status).toBe(429);
    // Another client is not affected, and opens the same link.
    expect((await get(`${app.url}/s/${compact(invite.code)}`, { from: '127.0.0.7' })).status).toBe(303);
    expect((await get(`${app.url}/s/${generateInviteCode()}`, { from: '127.0.0.6' })).status).toBe(200);
  });

  it('answers an invitation opened more than 50 times in an hour with 429, and stops counting', async () => {
    const invite = await createInvite({ channel: 'sms' });
    for (let i = 1; i <= 50; i++)
      expect((await get(`${app.url}/s/${compact(invite.code)}`, { from: '127.0.0.7' })).status, `opening ${i}`).toBe(
        303,
      );
    const limited = await get(`${app.url}/s/${compact(invite.code)}`, { from: '127.0.0.8' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(rows(app.databaseFile, 'select opened_count from invites where id = ?', invite.id)[0]?.opened_count).toBe(
      50,
    );
  });
});

describe('QR codes', () => {
  it('every QR code of a batch sheet and every qr.svg decodes to its link', async () => {
    const caseRefs = Array.from({ length: 25 }, (_, i) => `QR-${i + 1}`);
    const res = await createBatch(
      app,
      voorbeeldKey,
      ['case_ref,topic', ...caseRefs.map((c) => `${c},health`)].join('\n'),
      'letter-qr',
    );
    expect(res.status).toBe(201);
    const byCode = new Map(records(await res.text()).map((r) => [r.code, r]));
    for (const r of byCode.values()) expect(r.sms_text).toBe('');

    const sheet = await api(app, `${res.headers.get('location')}/qr`, { key: voorbeeldKey });
    expect(sheet.status).toBe(200);
    expect(sheet.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await sheet.text();
    expect(html).toContain('@page { size: A4');
    expect(html.match(/<section class="page">/g)).toHaveLength(2); // 21 labels a page
    const cells = [
      ...html.matchAll(
        /<div class="cell">(<svg[\s\S]*?<\/svg>)<div class="label"><div class="case">([^<]*)<\/div><div class="code">([^<]*)<\/div><div class="word">Controlewoord: <strong>([^<]*)<\/strong>/g,
      ),
    ];
    expect(cells.map((c) => c[2])).toEqual(caseRefs);
    for (const [, svg, caseRef, code, word] of cells) {
      const row = byCode.get(code ?? '');
      expect(row).toMatchObject({ case_ref: caseRef, check_word: word });
      expect(decode(rasterise(svg ?? ''))).toBe(row?.link);
    }

    for (const row of [...byCode.values()].slice(0, 5)) {
      const svg = await api(app, `/api/v1/uitnodigingen/${compact(row.code ?? '')}/qr.svg`, { key: voorbeeldKey });
      expect(svg.status).toBe(200);
      expect(svg.headers.get('content-type')).toBe('image/svg+xml');
      expect(decode(rasterise(await svg.text()))).toBe(row.link);
      // The library's own PNG of the same link agrees (a check on the rasteriser above).
      const png = PNG.sync.read(
        await QRCode.toBuffer(row.link ?? '', { errorCorrectionLevel: 'M', margin: 4, scale: 4 }),
      );
      expect(decode(png)).toBe(row.link);
    }
  });
});

describe('API keys', () => {
  let batch: string;
  let code: string;
  beforeAll(async () => {
    const res = await createBatch(app, voorbeeldKey, 'case_ref\nKEY-1\n', 'letter-qr');
    batch = res.headers.get('location') ?? '';
    code = compact(records(await res.text())[0]?.code ?? '');
  });

  it.each([
    ['no key', null],
    ['a malformed key', 'not-a-key'],
    ['an unknown key', `hg_${'A'.repeat(43)}`],
  ])('answers %s with 401 and WWW-Authenticate', async (_what, key) => {
    const requests: { path: string; method?: string; body?: string; type?: string }[] = [
      { path: '/api/v1/uitnodigingen', method: 'POST', body: '{"channel":"sms"}', type: 'application/json' },
      { path: '/api/v1/uitnodigingen/batches?channel=sms', method: 'POST', body: 'case_ref\nA', type: 'text/csv' },
      { path: batch },
      { path: `${batch}/qr` },
      { path: `/api/v1/uitnodigingen/${code}/qr.svg` },
    ];
    for (const { path, ...init } of requests) {
      const res = await api(app, path, { ...init, key });
      expect(res.status, `${init.method ?? 'GET'} ${path}`).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it("answers another municipality's key with 404 for this municipality's batch and QR codes", async () => {
    expect((await api(app, batch, { key: zeedorpKey })).status).toBe(404);
    expect((await api(app, `${batch}/qr`, { key: zeedorpKey })).status).toBe(404);
    expect((await api(app, `/api/v1/uitnodigingen/${code}/qr.svg`, { key: zeedorpKey })).status).toBe(404);
    expect((await api(app, `/api/v1/uitnodigingen/batches/${randomUUID()}`, { key: voorbeeldKey })).status).toBe(404);
    expect((await api(app, batch, { key: voorbeeldKey })).status).toBe(200);
  });

  it('makes invitations of the key’s own municipality only', async () => {
    const invite = await createInvite({ channel: 'sms' }, zeedorpKey);
    expect(invite.smsText).toMatch(/^Gemeente Zeedorp: /);
    expect(rows(app.databaseFile, 'select municipality from invites where id = ?', invite.id)[0]?.municipality).toBe(
      'zeedorp',
    );
    const res = await get(`${app.url}/s/${compact(invite.code)}`, { from: '127.0.0.9' });
    expect(res.headers.location).toBe('/zeedorp/');
  });

  it('answers a revoked key with 401', async () => {
    const key = makeKey(app.databaseFile, 'voorbeeld', 'to revoke');
    // 32 random bytes, base64url, after hg_
    expect(key).toMatch(/^hg_[A-Za-z0-9_-]{43}$/);
    expect((await api(app, batch, { key })).status).toBe(200);
    const [row] = rows(app.databaseFile, "select id from api_keys where name = 'to revoke'");
    execFileSync(process.execPath, ['src/cli/api-key.ts', '--revoke', String(row?.id)], {
      cwd: root,
      env: { ...process.env, DATABASE_FILE: app.databaseFile },
      stdio: 'ignore',
    });
    expect((await api(app, batch, { key })).status).toBe(401);
    // Only the hash is stored.
    expect(JSON.stringify(rows(app.databaseFile, 'select * from api_keys'))).not.toContain(key);
  });
});

describe('SMS texts for a long name and a long PUBLIC_URL (and INVITE_TTL_DAYS)', () => {
  const publicUrl = 'https://hulpgesprek.gemeente-hoeksche-waard-zuidland.example';
  const longName = 'Gemeente Oud-Beijerland, Hoeksche Waard en Korendijk-Strijen';
  let long: AppServer;

  beforeAll(async () => {
    // an https address is a real deployment's: the demo this test builds on must be asked for
    long = await startApp({ PUBLIC_URL: publicUrl, INVITE_TTL_DAYS: '30', SEED_DEMO: 'true' });
    const store = await openStore({ sqliteFile: long.databaseFile });
    try {
      const base = (
        await store.db
          .selectFrom('municipalities')
          .select('config')
          .where('slug', '=', 'voorbeeld')
          .executeTakeFirstOrThrow()
      ).config;
      await upsertMunicipality(store, {
        slug: 'hoeksche-waard',
        name: longName,
        config: { ...JSON.parse(base), slug: 'hoeksche-waard', name: longName },
      });
    } finally {
      await store.close();
    }
  });
  afterAll(async () => {
    await long?.stop();
  });

  it('keeps every SMS of a batch within 160 GSM-7 characters', async () => {
    expect(longName).toHaveLength(60);
    expect(publicUrl.length).toBeGreaterThanOrEqual(60);
    const key = makeKey(long.databaseFile, 'hoeksche-waard');
    const res = await createBatch(
      long,
      key,
      ['case_ref', ...Array.from({ length: 500 }, (_, i) => `HW-${i}`)].join('\n'),
      'sms',
    );
    expect(res.status).toBe(201);
    const out = records(await res.text());
    expect(out).toHaveLength(500);
    for (const r of out) {
      expect(r.link).toBe(`${publicUrl}/s/${compact(r.code ?? '')}`);
      expect(isGsm7(r.sms_text ?? '')).toBe(true);
      expect(gsm7Length(r.sms_text ?? '')).toBeLessThanOrEqual(160);
      expect(r.sms_text).toContain(` ${r.link} Controlewoord: ${r.check_word}`);
      expect(r.sms_text).toMatch(/^(Gemeente )?Oud-Beijerland, Hoeksche Waard en Korendijk-Strijen: /);
      expect(Math.round((Date.parse(r.expires_at ?? '') - Date.now()) / 86_400_000)).toBe(30);
    }
  });
});
