// SPDX-License-Identifier: EUPL-1.2
/**
 * A month of made-up DDAS cases for a demo municipality (SEED_DEMO), so the reach page and the
 * case list show something real on a fresh start: households with one to three signals, the
 * portal's own link by SMS or letter, staff's calls, messages and visits at different parts of the
 * day, and end results. Every case is marked demo (shown as such wherever it is counted) and its
 * reference starts with DEMO-. The same seed and day give the same month. Where the municipality's
 * plan sends its first SMS in wording variants, the SMS cases had theirs (drawn as the plan draws
 * them, sent and delivered, some links opened), so the reach page can compare the wordings.
 */
import { randomUUID } from 'node:crypto';
import type { ContactPlan } from '../../lib/contact-plan.ts';
import { variantOf } from '../../lib/plan-sms.ts';
import { ddasDate, type ContactKind, type DayPart, type EndResult, type SignalPartner } from '../../lib/ddas.ts';
import { insertAttempts, type AttemptInput } from '../store/attempts.ts';
import { recordCase } from '../store/cases.ts';
import type { Store } from '../store/index.ts';
import { drawInvites } from '../invitations/invites.ts';
import { insertInvites } from '../store/invites.ts';

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
export async function seedDemoCases(
  store: Store,
  input: { municipality: string; count: number; seed: number; today?: Date; staffId?: string | null; plan?: ContactPlan | undefined },
): Promise<DemoMonth> {
  const existing = await store.db.selectFrom('cases').select('id').where('municipality', '=', input.municipality).where('demo', '=', 1).executeTakeFirst();
  if (existing) return { cases: 0, attempts: 0 };
  const random = generator(input.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const today = input.today ?? new Date();
  const dayStart = Date.parse(`${ddasDate(today)}T00:00:00Z`);
  const at = (daysAgo: number, part: DayPart) => new Date(dayStart - daysAgo * 86_400_000 + (HOUR_OF[part] - 1) * 3_600_000 + Math.floor(random() * 50) * 60_000);
  const attempts: AttemptInput[] = [];
  const closings: { caseId: string; endResult: EndResult; at: string }[] = [];
  const texted: { caseId: string; caseRef: string; at: Date; opened: boolean }[] = [];
  const firstSms = input.plan?.steps.find((s) => s.action === 'sms' && s.variants);
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
    const linkAt = at(ago, 'morning');
    const bySms = random() < 0.7;
    attempt(linkAt, bySms ? 'sms_whatsapp' : 'letter', false, false);
    let day = ago;
    let reached = random() < 0.08; // the resident answered the link and asked for a call-back
    if (bySms && firstSms) texted.push({ caseId, caseRef: `DEMO-${String(i + 1).padStart(4, '0')}`, at: linkAt, opened: reached || random() < 0.3 });
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
  if (firstSms && input.plan) await seedDemoSms(store, input.municipality, input.plan, firstSms.id, firstSms.variants ?? [], texted, now);
  for (const c of closings) {
    const closedAt = c.at > now ? now : c.at;
    await store.db.updateTable('cases').set({ status: 'closed', end_result: c.endResult, closed_at: closedAt, updated_at: closedAt }).where('id', '=', c.caseId).execute();
  }
  return { cases: input.count, attempts: attempts.length };
}

/** The first SMS of the plan for the demo's SMS cases: the step done with its drawn wording, the SMS delivered, the link (opened or not). */
async function seedDemoSms(
  store: Store,
  municipality: string,
  plan: ContactPlan,
  stepId: string,
  variants: readonly string[],
  texted: readonly { caseId: string; caseRef: string; at: Date; opened: boolean }[],
  now: string,
): Promise<void> {
  if (texted.length === 0) return;
  await store.db
    .insertInto('plan_tasks')
    .values(
      texted.map((t) => ({
        id: randomUUID(),
        municipality,
        case_id: t.caseId,
        step_id: stepId,
        action: 'sms' as const,
        due_at: t.at.toISOString(),
        day_part: null,
        urgent: 0,
        status: 'done' as const,
        reason: null,
        attempt_id: null,
        // drawn from the reference, not the (random) id: the same demo month on every database
        variant: variantOf(plan.seed, t.caseRef, stepId, variants),
        created_at: t.at.toISOString(),
        updated_at: t.at.toISOString(),
      })),
    )
    .execute();
  const tasks = await store.db.selectFrom('plan_tasks').select(['id', 'case_id', 'variant']).where('municipality', '=', municipality).where('step_id', '=', stepId).execute();
  const taskOf = new Map(tasks.map((t) => [t.case_id, t]));
  await store.db
    .insertInto('sms_outbox')
    .values(
      texted.map((t) => ({
        id: randomUUID(),
        municipality,
        case_id: t.caseId,
        task_id: taskOf.get(t.caseId)?.id ?? '',
        phone: null,
        body: null,
        language: 'nl',
        variant: taskOf.get(t.caseId)?.variant ?? null,
        status: 'delivered' as const,
        attempts: 1,
        not_before: t.at.toISOString(),
        notify_id: randomUUID(),
        created_at: t.at.toISOString(),
        sent_at: t.at.toISOString(),
        completed_at: t.at.toISOString(),
      })),
    )
    .execute();
  const invites = texted.map((t) => {
    const [invite] = drawInvites([{ caseRef: t.caseRef, topic: null, row: null }], { municipality, channel: 'sms', batchId: null, now: t.at.toISOString(), ttlDays: 90 });
    if (!invite) throw new Error('no demo invite drawn');
    return { ...invite, caseId: t.caseId };
  });
  await insertInvites(store, invites);
  for (const [i, t] of texted.entries()) {
    if (!t.opened) continue;
    const openedAt = new Date(Math.min(Date.parse(now), t.at.getTime() + 3 * 3_600_000)).toISOString();
    await store.db.updateTable('invites').set({ first_opened_at: openedAt }).where('id', '=', invites[i]?.id ?? '').execute();
  }
}
