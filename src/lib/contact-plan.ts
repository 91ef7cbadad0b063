// SPDX-License-Identifier: EUPL-1.2
/**
 * A municipality's contact plan, as data: ordered steps, each on a day after the signal came in
 * (with a condition), for example day 0 an SMS with the link; day 3 a reminder if the link was not
 * opened; day 7 a letter with the QR code; day 10 a call at another part of the day than the last
 * attempt; day 14 a home visit. The plan stops as soon as the case is reached, the resident asked
 * for a call-back, or the case is closed (a resident who wants no help is closed with that end
 * result). A crisis signal skips to a call the same day. No SMS goes to a resident who said STOP or
 * whose number failed; a failed number moves the case to a call.
 *
 * Framework-free: what is due is decided here from the case's state; src/server/jobs makes it happen.
 */
import { z } from 'zod';
import type { DayPart } from './ddas.ts';
import { SMS_VARIANTS } from './plan-sms.ts';

export const PLAN_ACTIONS = ['sms', 'letter', 'call', 'visit'] as const;
export type PlanAction = (typeof PLAN_ACTIONS)[number];

export const planStepSchema = z.strictObject({
  /** stable name of the step, e.g. "reminder"; a case does each step once */
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'a step id is lowercase letters, digits and -'),
  /** days after the signal came in (0 = the same day) */
  day: z.number().int().min(0).max(90),
  action: z.enum(PLAN_ACTIONS),
  /** `linkNotOpened`: only while the personal link was never opened (a reminder) */
  when: z.enum(['always', 'linkNotOpened']).default('always'),
  /** an SMS step's wordings (locales/<lng>/outreach.json → sms.plan): each case gets one at random */
  variants: z.array(z.enum(SMS_VARIANTS)).min(1).max(5).optional(),
});
export type PlanStep = z.infer<typeof planStepSchema>;

export const contactPlanSchema = z
  .strictObject({
    steps: z.array(planStepSchema).min(1).max(20),
    /** what the random choice of a wording variant is drawn from: the same seed, the same choice per case */
    seed: z.string().min(1).max(80).default('hulpgesprek'),
    /** when SMS may go out (Europe/Amsterdam; never on Sundays or public holidays) and how fast */
    sending: z
      .strictObject({
        from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
        to: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
        /** the rate NotifyNL allows this service, in SMS per minute */
        perMinute: z.number().int().min(1).max(3000),
      })
      .refine((w) => w.from < w.to, { message: 'from is before to', path: ['to'] })
      .default({ from: '09:00', to: '20:00', perMinute: 60 }),
  })
  .superRefine((plan, ctx) => {
    const ids = new Set<string>();
    plan.steps.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `duplicate step id ${s.id}` });
      ids.add(s.id);
      const before = plan.steps[i - 1];
      if (before && before.day > s.day) ctx.addIssue({ code: 'custom', path: ['steps', i, 'day'], message: 'steps are in the order of their day' });
      if (s.variants && s.action !== 'sms') ctx.addIssue({ code: 'custom', path: ['steps', i, 'variants'], message: 'only an SMS step has wording variants' });
    });
  });
export type ContactPlan = z.infer<typeof contactPlanSchema>;

/**
 * Whether the plan sends SMS itself (a step with action `sms`): only then may a batch carry the
 * resident's mobile number (src/server/invitations/batch.ts). No plan sends none.
 */
export function planSendsSms(plan: Pick<ContactPlan, 'steps'> | null | undefined): boolean {
  return plan?.steps.some((s) => s.action === 'sms') ?? false;
}

/** The plan of the national monitor's advice and Roermond's practice: SMS, reminder, letter, call, visit. */
export const DEFAULT_PLAN: ContactPlan = {
  seed: 'hulpgesprek',
  sending: { from: '09:00', to: '20:00', perMinute: 60 },
  steps: [
    { id: 'sms', day: 0, action: 'sms', when: 'always', variants: ['invite', 'invitePersonal'] },
    { id: 'reminder', day: 3, action: 'sms', when: 'linkNotOpened', variants: ['reminder'] },
    { id: 'letter', day: 7, action: 'letter', when: 'always' },
    { id: 'call', day: 10, action: 'call', when: 'always' },
    { id: 'visit', day: 14, action: 'visit', when: 'always' },
  ],
};

/** The step a crisis signal gets first, whatever the plan: a call, the same day. */
export const CRISIS_CALL: PlanStep = { id: 'crisis-call', day: 0, action: 'call', when: 'always' };
/** The call a failed number leads to, the same day. */
export const FAILED_NUMBER_CALL: PlanStep = { id: 'failed-number-call', day: 0, action: 'call', when: 'always' };

/** What the plan needs to know of one case. */
export interface PlanCase {
  /** when the first signal came in (ISO) */
  createdAt: string;
  crisis: boolean;
  linkOpened: boolean;
  /** at least one attempt with contact */
  reached: boolean;
  callbackRequested: boolean;
  closed: boolean;
  /** the resident replied STOP (or used the STOP link) */
  smsStopped: boolean;
  /** an SMS to this number failed (invalid or permanently failed) */
  numberFailed: boolean;
  /** whether the case has a personal link made for SMS (no number, no SMS) */
  hasPhone: boolean;
  /** steps this case had already (done, skipped or waiting) */
  stepsTaken: readonly string[];
  /** the parts of the day already tried by phone or at the door, in the order of the attempts */
  dayPartsTried: readonly DayPart[];
}

export interface DueStep {
  step: PlanStep;
  /** when it became due (ISO): the day's start after `createdAt` */
  dueAt: string;
  /** what to do instead of the plan's action, e.g. no SMS: `skip` */
  outcome: 'do' | 'skip';
  /** for a call or visit: the part of the day to try (not tried yet, or not the last) */
  dayPart: DayPart | null;
  /** why a step is skipped */
  reason?: 'smsStopped' | 'numberFailed' | 'noPhone' | 'linkOpened';
}

const DAY_MS = 86_400_000;
const ORDER: readonly DayPart[] = ['morning', 'afternoon', 'evening'];

/** Why the plan has ended for this case, or null while it runs. */
export function planStopped(c: PlanCase): 'reached' | 'callbackRequested' | 'closed' | null {
  if (c.closed) return 'closed';
  if (c.reached) return 'reached';
  if (c.callbackRequested) return 'callbackRequested';
  return null;
}

/**
 * The part of the day for the next call or visit: one not tried yet (the evening first, as it
 * reaches most), else another than the last try. `tried` is in the order of the attempts.
 */
export function untriedDayPart(tried: readonly DayPart[]): DayPart {
  if (!tried.includes('evening')) return 'evening';
  return ORDER.find((p) => !tried.includes(p)) ?? (tried.at(-1) === 'evening' ? 'morning' : 'evening');
}

/**
 * The steps that are due for this case at `now` and not taken yet, in order: each to do, or to
 * skip with its reason (a skipped step is recorded too, so the plan moves on). Nothing once the
 * plan stopped. A crisis signal starts with a call the same day and drops the SMS and letter
 * steps before the plan's first call; a failed number adds a call the same day.
 */
export function dueSteps(plan: ContactPlan, c: PlanCase, now: Date): DueStep[] {
  if (planStopped(c)) return [];
  const start = Date.parse(c.createdAt);
  let steps = plan.steps;
  if (c.crisis) {
    const firstCall = steps.findIndex((s) => s.action === 'call');
    steps = [CRISIS_CALL, ...(firstCall < 0 ? steps : steps.slice(firstCall + 1))];
  }
  if (c.numberFailed) steps = [...steps, FAILED_NUMBER_CALL];
  const out: DueStep[] = [];
  for (const step of steps) {
    if (c.stepsTaken.includes(step.id)) continue;
    const dueMs = step.id === FAILED_NUMBER_CALL.id ? start : start + step.day * DAY_MS;
    if (dueMs > now.getTime()) continue;
    const base = { step, dueAt: new Date(dueMs).toISOString(), dayPart: null };
    if (step.action === 'sms') {
      const reason = c.smsStopped ? 'smsStopped' : c.numberFailed ? 'numberFailed' : !c.hasPhone ? 'noPhone' : step.when === 'linkNotOpened' && c.linkOpened ? 'linkOpened' : null;
      out.push(reason ? { ...base, outcome: 'skip', reason } : { ...base, outcome: 'do' });
      continue;
    }
    if (step.when === 'linkNotOpened' && c.linkOpened) {
      out.push({ ...base, outcome: 'skip', reason: 'linkOpened' });
      continue;
    }
    out.push({ ...base, outcome: 'do', dayPart: step.action === 'call' || step.action === 'visit' ? untriedDayPart(c.dayPartsTried) : null });
  }
  return out;
}
