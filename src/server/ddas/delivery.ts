// SPDX-License-Identifier: EUPL-1.2
/**
 * The municipality's DDAS delivery (Uitwisselmodel Vroegsignalering v0.9) for a period, built
 * from the store: one `levering` per municipality with its signals and cases (each with its
 * contact attempts and, once closed, its end result). `client` stays empty: the portal keeps no
 * BSN, name or address, and the case system adds the person when it merges this into its own
 * delivery. Every delivery is checked against the official schema before it leaves.
 *
 * A case is in the period's delivery when it has at least one signal and was made, had a contact
 * attempt, or was closed within the period; it carries its state at the end of the period (its
 * attempts up to then, its end result if it was closed by then).
 */
import { ddasValue } from '../../lib/ddas.ts';
import { findMunicipality } from '../municipalities.ts';
import type { Store } from '../store/index.ts';
import type { CaseAttemptRow, CaseRow, SignalRow } from '../store/schema.ts';
import { cachedValidator, DDAS_SCHEMA_FILE, type DdasValidator } from './validate.ts';

export const SUPPLIER_CODE = 'HULPGESPREK';

export interface DeliveryPeriod {
  /** YYYY-MM-DD, inclusive */
  from: string;
  /** YYYY-MM-DD, inclusive */
  to: string;
}

export interface DdasSignal {
  ID: string;
  crisissignaal: boolean;
  warmeOverdracht: boolean;
  bedrag?: number;
  ontstaansdatum?: string;
  signaaldatum?: string;
  status?: string;
  signaalpartner: { type: string };
  client: Record<string, never>;
}

export interface DdasAttempt {
  soort: string;
  bereikt: boolean;
  datum: string;
  dagdeel: string;
}

export interface DdasCase {
  resultaat?: string;
  datum_opgepakt?: string;
  vroegsignalen: { ID: string }[];
  contactpogingen: DdasAttempt[];
}

export interface Levering {
  teller: number;
  gemeentecode: string;
  aanleverende_organisatie: { naam?: string; 'kvk-nummer'?: string; contactpersoonen?: { naam?: string; telefoonnummer?: string; email?: string; functietitel?: string }[] };
  vroegsignalen: DdasSignal[];
  vroegsignaalzaken: DdasCase[];
}

export interface Uitwisselmodel {
  startdatumLevering: string;
  einddatumLevering: string;
  aanleverdatumEnTijd: string;
  codeGegevensleverancier: string;
  leveringen: Levering[];
}

/** A municipality whose file lacks what a delivery needs, or a delivery that fails the official schema. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  /** noCode: a municipality's file lacks ddas.gemeentecode; noSchema: the schema file cannot be read; invalid: the delivery fails it */
  readonly kind: 'noCode' | 'noSchema' | 'invalid';
  readonly errors: string[];
  constructor(kind: DeliveryError['kind'], message: string, errors: string[] = []) {
    super(message);
    this.kind = kind;
    this.errors = errors;
  }
}

/** The period's timestamps as the store keeps them: [from 00:00 UTC, the day after `to` 00:00 UTC). */
function bounds(p: DeliveryPeriod): [string, string] {
  const end = new Date(`${p.to}T00:00:00.000Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return [`${p.from}T00:00:00.000Z`, end.toISOString()];
}

const CHUNK = 500;

async function inChunks<T>(ids: readonly string[], load: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await load(ids.slice(i, i + CHUNK))));
  return out;
}

/** The cases of one municipality in the period, with their signals and attempts up to its end. */
export async function periodCases(
  store: Store,
  municipality: string,
  period: DeliveryPeriod,
): Promise<{ case: CaseRow; signals: SignalRow[]; attempts: CaseAttemptRow[] }[]> {
  const [start, end] = bounds(period);
  const db = store.db;
  const cases = await db
    .selectFrom('cases')
    .selectAll()
    .where('municipality', '=', municipality)
    .where('created_at', '<', end)
    .where((eb) =>
      eb.or([
        eb('created_at', '>=', start),
        eb.and([eb('closed_at', '>=', start), eb('closed_at', '<', end)]),
        eb.exists(
          eb
            .selectFrom('case_attempts')
            .select('case_attempts.id')
            .whereRef('case_attempts.case_id', '=', 'cases.id')
            .where('case_attempts.on_date', '>=', period.from)
            .where('case_attempts.on_date', '<=', period.to),
        ),
      ]),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const ids = cases.map((c) => c.id);
  const signals = await inChunks(ids, (chunk) =>
    db.selectFrom('signals').selectAll().where('case_id', 'in', chunk).where('created_at', '<', end).orderBy('created_at').orderBy('signal_ref').execute(),
  );
  const attempts = await inChunks(ids, (chunk) =>
    db.selectFrom('case_attempts').selectAll().where('case_id', 'in', chunk).where('on_date', '<=', period.to).orderBy('on_date').orderBy('created_at').orderBy('id').execute(),
  );
  const signalsOf = Map.groupBy(signals, (s) => s.case_id);
  const attemptsOf = Map.groupBy(attempts, (a) => a.case_id ?? '');
  return cases
    .map((c) => ({ case: c, signals: signalsOf.get(c.id) ?? [], attempts: attemptsOf.get(c.id) ?? [] }))
    // a vroegsignaalzaak has at least one signal (a case reference without signals is not one)
    .filter((c) => c.signals.length > 0);
}

function signalOf(s: SignalRow): DdasSignal {
  const cleared = s.data_deleted_at !== null;
  return {
    ID: s.signal_ref,
    crisissignaal: Number(s.crisis) === 1,
    warmeOverdracht: Number(s.warm_handover) === 1,
    ...(!cleared && s.amount !== null ? { bedrag: Number(s.amount) } : {}),
    ...(!cleared && s.arisen_on ? { ontstaansdatum: s.arisen_on } : {}),
    ...(!cleared && s.signalled_on ? { signaaldatum: s.signalled_on } : {}),
    ...(s.status ? { status: ddasValue('signalStatus', s.status) } : {}),
    signaalpartner: { type: ddasValue('signalPartner', s.partner) },
    client: {},
  };
}

function caseOf(entry: { case: CaseRow; signals: SignalRow[]; attempts: CaseAttemptRow[] }, end: string): DdasCase {
  const c = entry.case;
  const closed = c.status === 'closed' && c.end_result !== null && c.closed_at !== null && c.closed_at < end;
  const first = entry.attempts[0];
  return {
    ...(closed && c.end_result ? { resultaat: ddasValue('endResult', c.end_result) } : {}),
    ...(first ? { datum_opgepakt: first.on_date } : {}),
    vroegsignalen: entry.signals.map((s) => ({ ID: s.signal_ref })),
    contactpogingen: entry.attempts.map((a) => ({
      soort: ddasValue('contactKind', a.kind),
      bereikt: Number(a.reached) === 1,
      datum: a.on_date,
      dagdeel: ddasValue('dayPart', a.day_part),
    })),
  };
}

/**
 * One municipality's levering for the period (gemeentecode empty when its file has none), and how
 * many of its cases are made-up demo cases. The reach page reads the same levering the delivery carries.
 */
export async function leveringOf(store: Store, slug: string, period: DeliveryPeriod, teller = 1): Promise<{ levering: Levering; demoCases: number; portalCountsReached: boolean }> {
  const municipality = await findMunicipality(store, slug);
  if (!municipality) throw new DeliveryError('noCode', `Municipality ${slug} is not in the database.`);
  const [, end] = bounds(period);
  const org = municipality.ddas.aanleverendeOrganisatie;
  const entries = await periodCases(store, slug, period);
  return {
    demoCases: entries.filter((e) => Number(e.case.demo) === 1).length,
    portalCountsReached: municipality.ddas.portalCountsReached,
    levering: {
      teller,
      gemeentecode: municipality.ddas.gemeentecode ?? '',
      aanleverende_organisatie: {
        naam: org?.naam ?? municipality.name,
        ...(org?.kvkNummer ? { 'kvk-nummer': org.kvkNummer } : {}),
        ...(org?.contactpersonen ? { contactpersoonen: org.contactpersonen } : {}),
      },
      vroegsignalen: entries.flatMap((e) => e.signals.map(signalOf)),
      vroegsignaalzaken: entries.map((e) => caseOf(e, end)),
    },
  };
}

/**
 * The delivery of these municipalities for the period, checked against the official schema.
 * Throws DeliveryError when a municipality's file has no `ddas.gemeentecode` or the result does
 * not validate: a broken delivery is never handed out.
 */
export async function ddasDelivery(
  store: Store,
  input: { municipalities: readonly string[]; period: DeliveryPeriod; now?: Date; schemaFile?: string | undefined; validate?: DdasValidator },
): Promise<Uitwisselmodel> {
  const leveringen: Levering[] = [];
  for (const slug of input.municipalities) {
    const { levering } = await leveringOf(store, slug, input.period, leveringen.length + 1);
    if (!levering.gemeentecode) {
      throw new DeliveryError('noCode', `Municipality ${slug} has no ddas.gemeentecode in its file: a DDAS delivery needs the CBS municipality code.`);
    }
    leveringen.push(levering);
  }
  const delivery: Uitwisselmodel = {
    startdatumLevering: input.period.from,
    einddatumLevering: input.period.to,
    aanleverdatumEnTijd: `${(input.now ?? new Date()).toISOString().slice(0, 19)}Z`,
    codeGegevensleverancier: SUPPLIER_CODE,
    leveringen,
  };
  let validate = input.validate;
  if (!validate) {
    const file = input.schemaFile ?? DDAS_SCHEMA_FILE;
    try {
      validate = cachedValidator(file);
    } catch (error) {
      throw new DeliveryError('noSchema', `The official DDAS schema cannot be read from ${file} (set DDAS_SCHEMA_FILE): ${(error as Error).message}`);
    }
  }
  const check = validate(delivery);
  if (!check.ok) throw new DeliveryError('invalid', 'The DDAS delivery does not validate against the official schema; it was not handed out.', check.errors);
  return delivery;
}
