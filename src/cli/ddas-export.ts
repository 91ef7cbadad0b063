// SPDX-License-Identifier: EUPL-1.2
/**
 * `npm run ddas:export -- --van 2026-11-01 --tot 2026-11-30 [--gemeente voorbeeld] [--out file]`:
 * the DDAS delivery of the period as JSON (stdout, or the file), one levering per municipality
 * (every municipality whose file has a ddas.gemeentecode, or the one asked for), checked against
 * the official schema (DDAS_SCHEMA_FILE, default ../shared/standards/). Nothing is written when it
 * does not validate. Audited, as the API is.
 */
import { writeFileSync } from 'node:fs';
import { parsePeriod, PERIOD_PROBLEMS } from '../lib/period.ts';
import { configOrExit } from '../server/config.ts';
import { ddasDelivery, DeliveryError } from '../server/ddas/delivery.ts';
import { allMunicipalities } from '../server/municipalities.ts';
import { audit } from '../server/staff/audit.ts';
import { migrateToLatest, openStore } from '../server/store/index.ts';
import { parseOptionsOrExit } from './args.ts';

const FIRST_DAY = '--van YYYY-MM-DD';
const LAST_DAY = '--tot YYYY-MM-DD';
const USAGE = `Usage:
  npm run ddas:export -- ${FIRST_DAY} ${LAST_DAY} [--gemeente <slug>] [--out <file>]`;

const args = parseOptionsOrExit(
  { van: { type: 'string' }, tot: { type: 'string' }, gemeente: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const,
  USAGE,
);
const parsed = parsePeriod(args.van, args.tot);
if (!parsed.ok) {
  console.error(`--${parsed.field} ${PERIOD_PROBLEMS[parsed.problem]}\n\n${USAGE}`);
  process.exit(2);
}

const config = configOrExit();
const store = await openStore({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
try {
  await migrateToLatest(store);
  const all = await allMunicipalities(store);
  let slugs: string[];
  if (args.gemeente !== undefined) {
    if (!all.some((m) => m.slug === args.gemeente)) throw new Error(`No municipality "${args.gemeente}" in the database`);
    slugs = [args.gemeente];
  } else {
    slugs = all.filter((m) => m.ddas.gemeentecode).map((m) => m.slug);
    const without = all.filter((m) => !m.ddas.gemeentecode).map((m) => m.slug);
    if (without.length) console.error(`Left out (no ddas.gemeentecode in their file): ${without.join(', ')}`);
    if (slugs.length === 0) throw new Error('No municipality has a ddas.gemeentecode in its file: there is nothing to deliver.');
  }
  const delivery = await ddasDelivery(store, { municipalities: slugs, period: parsed.period, schemaFile: config.ddasSchemaFile });
  const json = `${JSON.stringify(delivery, null, 2)}\n`;
  if (args.out) writeFileSync(args.out, json);
  else process.stdout.write(json);
  await audit(store, ...slugs.map((m) => ({ actor: 'cli:ddas-export', action: 'export' as const, objectType: 'ddas_delivery', objectId: `${parsed.period.from}/${parsed.period.to}`, municipality: m, result: 'ok', origin: 'job' as const })));
  const cases = delivery.leveringen.reduce((n, l) => n + l.vroegsignaalzaken.length, 0);
  console.error(`DDAS delivery ${parsed.period.from} to ${parsed.period.to}: ${delivery.leveringen.length} levering(en), ${cases} cases; valid against the official schema.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  if (error instanceof DeliveryError) for (const e of error.errors.slice(0, 20)) console.error(`  ${e}`);
  process.exitCode = 1;
} finally {
  await store.close();
}
