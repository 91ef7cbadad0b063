// SPDX-License-Identifier: EUPL-1.2
/**
 * A month of made-up DDAS cases for a demo municipality (SEED_DEMO), so the reach page and the
 * case list show something real on a fresh start: households with one to three signals, the
 * portal's own link by SMS or letter, staff's calls, messages and visits at different parts of the
 * day, and end results. Every case is marked demo (shown as such wherever it is counted) and its
 * reference starts with DEMO-. The same seed and day give the same month.
 */
import { randomUUID } from 'node:crypto';
import { ddasDate, type ContactKind, type DayPart, type EndResult, type SignalPartner } from '../../lib/ddas.ts';
import { insertAttempts, type AttemptInput } from '../store/attempts.ts';
import { recordCase } from '../store/cases.ts';
import type { Store } from '../store/index.ts';

/** A small, fast, seedable generator (mulberry32): the demo month is the same every time. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PARTNERS: readonly SignalPartner[] = ['energy', 'energy', 'rent', 'rent', 'water', 'health_insurance', 'health_insurance', 'cak_health_insurance', 'mortgage', 'duo'];
const STAFF_KINDS: readonly ContactKind[] = ['phone', 'phone', 'phone', 'sms_whatsapp', 'home_visit', 'letter', 'card'];
const HOUR_OF: Record<DayPart, number> = { morning: 9, afternoon: 14, evening: 19 };
const HELPED: readonly EndResult[] = ['advice_quick_fix', 'advice_quick_fix', 'follow_up_financial', 'no_help_needed', 'paid_or_arranged', 'follow_up_non_financial'];
const NOT_TAKEN_UP: readonly EndResult[] = ['repeat_signal', 'wrong_signal', 'not_resident'];

export interface DemoMonth {
  cases: number;
  attempts: number;
}

/**
 * Makes `count` demo cases over the 28 days up to `today`, unless the municipality has demo cases
 * already (a restart keeps the first month). Returns what was made.
 */
export async function seedDemoCases(store: Store, input: { municipality: string; count: number; seed: number; today?: Date; staffId?: string | null }): Promise<DemoMonth> {
  const existing = await store.db.selectFrom('cases').select('id').where('municipality', '=', input.municipality).where('demo', '=', 1).executeTakeFirst();
  if (existing) return { cases: 0, attempts: 0 };
  const random = generator(input.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const today = input.today ?? new Date();
  const dayStart = Date.parse(`${ddasDate(today)}T00:00:00Z`);
  const at = (daysAgo: number, part: DayPart) => new Date(dayStart - daysAgo * 86_400_000 + (HOUR_OF[part] - 1) * 3_600_000 + Math.floor(random() * 50) * 60_000);
  const attempts: AttemptInput[] = [];
  const closings: { caseId: string; endResult: EndResult; at: string }[] = [];
  for (let i = 0; i < input.count; i++) {
    const ago = Math.floor(random() * 28);
    const made = at(ago, 'morning');
    const signals = Array.from({ length: 1 + Math.floor(random() * random() * 3) }, (_, n) => ({
      ref: `DEMO-${input.municipality.slice(0, 3).toUpperCase()}-${String(i + 1).padStart(4, '0')}-${n + 1}`,
      partner: pick(PARTNERS),
      amount: 40 + Math.floor(random() * 1500),
      arisenOn: ddasDate(new Date(made.getTime() - (30 + Math.floor(random() * 60)) * 86_400_000)),
      signalledOn: ddasDate(made),
      crisis: random() < 0.06,
      warmHandover: random() < 0.05,
      status: 'not_picked_up_yet' as const,
    }));
    const recorded = await recordCase(store, { municipality: input.municipality, caseRef: `DEMO-${String(i + 1).padStart(4, '0')}`, signals, now: made.toISOString(), demo: true });
    if (recorded.kind !== 'recorded') continue;
    const caseId = recorded.caseId;
    const attempt = (when: Date, kind: ContactKind, reached: boolean, staff: boolean) =>
      attempts.push({
        id: randomUUID(),
        municipality: input.municipality,
        caseId,
        requestId: null,
        staffId: staff ? (input.staffId ?? 'demo') : null,
        kind,
        reached,
        result: staff ? (reached ? 'reached' : random() < 0.4 ? 'voicemail' : 'not_reached') : null,
        at: when.toISOString(),
      });
    if (random() < 0.06) {
      // not taken up: a repeat or a wrong signal, closed the day it came
      closings.push({ caseId, endResult: pick(NOT_TAKEN_UP), at: at(ago, 'afternoon').toISOString() });
      continue;
    }
    // the portal's own link, by SMS or on a letter, the day the signal came
    attempt(at(ago, 'morning'), random() < 0.7 ? 'sms_whatsapp' : 'letter', false, false);
    let day = ago;
    let reached = random() < 0.08; // the resident answered the link and asked for a call-back
    if (reached) attempt(at(Math.max(0, day - 1), 'evening'), 'sms_whatsapp', true, false);
    const tries = Math.floor(random() * 4);
    for (let n = 0; n < tries && !reached && day > 1; n++) {
      day -= 1 + Math.floor(random() * 3);
      if (day < 0) break;
      const part = pick(['morning', 'afternoon', 'afternoon', 'evening'] as const);
      const kind = n >= 2 && random() < 0.5 ? 'home_visit' : pick(STAFF_KINDS);
      // calls in the evening and visits reach more often, as the national monitor finds
      reached = random() < (part === 'evening' ? 0.22 : kind === 'home_visit' ? 0.25 : 0.1);
      attempt(at(day, part), kind, reached, true);
    }
    if (reached && random() < 0.75) closings.push({ caseId, endResult: pick(HELPED), at: at(Math.max(0, day - 1), 'afternoon').toISOString() });
    else if (!reached && ago > 14 && random() < 0.6) closings.push({ caseId, endResult: 'never_reached', at: at(Math.max(0, day - 1), 'afternoon').toISOString() });
  }
  // a moment in the future (the evening of today) is moved to now: no attempt is dated after now
  const now = today.toISOString();
  for (const a of attempts) if (a.at > now) a.at = now;
  await insertAttempts(store, attempts);
  for (const c of closings) {
    const closedAt = c.at > now ? now : c.at;
    await store.db.updateTable('cases').set({ status: 'closed', end_result: c.endResult, closed_at: closedAt, updated_at: closedAt }).where('id', '=', c.caseId).execute();
  }
  return { cases: input.count, attempts: attempts.length };
}
