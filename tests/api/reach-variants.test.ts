// SPDX-License-Identifier: EUPL-1.2
/**
 * The reach page's "which SMS wording works" against the built server and a real SQLite file: a
 * table per SMS step with the 95 % interval in every cell and the plain sentence under it; one
 * line for a period without SMS; nothing for a municipality without wording variants; and the
 * same counts in the CSV. Another municipality's SMS do not count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '../support/app-server.ts';
import { createStaff, StaffClient } from '../support/staff.ts';
import { addVariantCases } from '../support/variant-cases.ts';
import { openStore } from '../../src/server/store/index.ts';

let app: AppServer;
let client: StaffClient;

/** The page's text as a reader gets it: entities decoded, tags kept. */
const decoded = (html: string) => html.replaceAll('&#39;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&');
/** One row of a table, by its data-variant, with its tags removed. */
function rowText(html: string, step: string, variant: string): string {
  const table = html.slice(html.indexOf(`data-step="${step}"`));
  const row = new RegExp(`<tr[^>]*data-variant="${variant}"[^>]*>([\\s\\S]*?)</tr>`).exec(table)?.[1] ?? '';
  return row.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

beforeAll(async () => {
  app = await startApp();
  const coordinator = await createStaff(app.databaseFile, { role: 'coordinator', municipalities: ['voorbeeld', 'zeedorp'], name: 'Cora Coördinator' });
  // two days ago: inside the page's default period (the 28 days up to today)
  const sentAt = new Date(Date.now() - 2 * 86_400_000).toISOString();
  const store = await openStore({ sqliteFile: app.databaseFile });
  try {
    // the demo month's own first SMS (src/server/seed/demo-cases.ts) would add to these counts
    await store.db.deleteFrom('sms_outbox').where('municipality', '=', 'voorbeeld').execute();
    await addVariantCases(store, { municipality: 'voorbeeld', variant: 'invite', sent: 40, opened: 4, finished: 4, callback: 10, reached: 12, unsent: 5, unsentStatuses: ['failed', 'cancelled'], sentAt });
    await addVariantCases(store, { municipality: 'voorbeeld', variant: 'invitePersonal', sent: 40, opened: 30, finished: 20, callback: 10, reached: 10, sentAt });
    await addVariantCases(store, { municipality: 'voorbeeld', step: 'reminder', variant: 'reminder', sent: 5, opened: 1, sentAt });
    await addVariantCases(store, { municipality: 'zeedorp', variant: 'invite', sent: 7, opened: 7, sentAt });
  } finally {
    await store.close();
  }
  client = new StaffClient(app.url);
  await client.login(coordinator);
});

afterAll(async () => {
  await app?.stop();
  if (process.env.SHOW_SERVER_OUTPUT) console.log(app?.output());
});

describe('which SMS wording works, on the reach page', () => {
  it('shows a table per SMS step: sent, and per measure the count, the share and the 95 % interval', async () => {
    const res = await client.fetch('/staff/bereik?gemeente=voorbeeld');
    expect(res.status).toBe(200);
    const html = decoded(await res.text());
    expect(html).toContain('<h2 id="variants-title">Welke sms-tekst werkt</h2>');
    expect(html).toContain('<caption id="variants-sms">Sms-stap ‘sms’ (dag 0)</caption>');
    expect(html).toMatch(/hoeveel zaken die sms van \d{4}-\d\d-\d\d tot en met \d{4}-\d\d-\d\d kregen/);
    expect(html).toMatch(/<th scope="col">Tekst<\/th>\s*<th scope="col">Verstuurd<\/th>\s*<th scope="col">Link geopend<\/th>\s*<th scope="col">Gesprek afgemaakt<\/th>\s*<th scope="col">Terugbelverzoek<\/th>\s*<th scope="col">Bereikt<\/th>/);
    // unsent SMS and the other municipality's do not count
    expect(rowText(html, 'sms', 'invite')).toBe('Standaard 40 4 · 10% (4–23%) 4 · 10% (4–23%) 10 · 25% (14–40%) 12 · 30% (18–45%)');
    expect(rowText(html, 'sms', 'invitePersonal')).toBe('Persoonlijk 40 30 · 75% (60–86%) 20 · 50% (35–65%) 10 · 25% (14–40%) 10 · 25% (14–40%)');
    expect(html).toMatch(/<th scope="row">Persoonlijk<\/th>/);
    expect(rowText(html, 'reminder', 'reminder')).toBe('Herinnering 5 1 · 20% (4–62%) 0 · 0% (0–43%) 0 · 0% (0–43%) 0 · 0% (0–43%)');
  });

  it('says under each table in one plain sentence what is clear and what is not yet', async () => {
    const html = decoded(await (await client.fetch('/staff/bereik?gemeente=voorbeeld')).text());
    const sms = html.slice(html.indexOf('data-step="sms"'), html.indexOf('data-step="reminder"'));
    expect(sms.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toContain(
      "De tekst ‘Persoonlijk’ werkt duidelijk beter voor het openen van de link en het afmaken van het gesprek. Voor het vragen om terugbellen en het bereik is het verschil nog niet duidelijk: er zijn meer sms'en nodig.",
    );
    const reminder = html.slice(html.indexOf('data-step="reminder"'));
    expect(reminder).toContain('Er is nog niets te vergelijken: in deze periode is maar één tekst van deze stap verstuurd.');
    // the wordings themselves, with the municipality's name
    expect(sms).toContain('Persoonlijk: “Gemeente Voorbeeld: achter met betalen? Dat overkomt veel mensen.');
  });

  it('says in one line when nothing was sent in the period, and is absent where the plan has no wording variants', async () => {
    const none = decoded(await (await client.fetch('/staff/bereik?gemeente=voorbeeld&van=2020-01-01&tot=2020-01-31')).text());
    expect(none).toContain('Welke sms-tekst werkt');
    expect(none).toContain('In deze periode is nog geen sms van het contactplan verstuurd.');
    expect(none).not.toContain('<caption id="variants-');
    const zeedorp = decoded(await (await client.fetch('/staff/bereik?gemeente=zeedorp&van=2020-01-01&tot=2020-01-31')).text());
    expect(zeedorp).toContain('<h1>Bereik</h1>');
    expect(zeedorp).not.toContain('Welke sms-tekst werkt');
  });

  it('exports the same counts in the CSV, counts only', async () => {
    const csv = (await (await client.fetch('/staff/bereik.csv?gemeente=voorbeeld')).text()).split('\r\n');
    expect(csv).toEqual(expect.arrayContaining(['variants.sms,invite,sent,40', 'variants.sms,invitePersonal,opened,30', 'variants.reminder,reminder,sent,5']));
    const zeedorp = (await (await client.fetch('/staff/bereik.csv?gemeente=zeedorp')).text()).split('\r\n');
    expect(zeedorp.filter((l) => l.startsWith('variants.'))).toEqual(['variants.sms,invite,sent,7', 'variants.sms,invite,opened,7', 'variants.sms,invite,finished,0', 'variants.sms,invite,callback,0', 'variants.sms,invite,reached,0']);
  });
});
