// SPDX-License-Identifier: EUPL-1.2
/**
 * The contact plan job: for every municipality with a plan in its file, every open case is given
 * the steps that are due (src/lib/contact-plan.ts) — a call or a visit for staff's "Vandaag", a
 * letter for the next print batch, an SMS (which waits while no NotifyNL key is set) — and a case
 * whose plan stopped (reached, call-back, closed) loses its remaining steps. One instance at a
 * time (a lock row), every few minutes in the server.
 */
import { randomUUID } from 'node:crypto';
import { dueSteps, planStopped } from '../../lib/contact-plan.ts';
import { variantOf } from '../../lib/plan-sms.ts';
import { log } from '../log.ts';
import { allMunicipalities } from '../municipalities.ts';
import type { Store } from '../store/index.ts';
import { acquireJobLock, releaseJobLock } from '../store/job-locks.ts';
import { insertPlanTasks, openPlanCases, skipRemainingTasks, type NewPlanTask } from '../store/plan.ts';
import { repeat } from './repeat.ts';

export const PLAN_LOCK = 'contact-plan';
const LOCK_MS = 10 * 60_000;

export interface PlanReport {
  ran: boolean;
  /** new steps per municipality, by what became of them */
  added: Record<string, { open: number; waiting: number; skipped: number }>;
  stopped: number;
}

export async function runContactPlan(store: Store, now: Date = new Date(), options: { smsConfigured?: boolean } = {}): Promise<PlanReport> {
  const report: PlanReport = { ran: false, added: {}, stopped: 0 };
  const holder = randomUUID();
  const at = now.toISOString();
  if (!(await acquireJobLock(store, { name: PLAN_LOCK, holder, now: at, expiresAt: new Date(now.getTime() + LOCK_MS).toISOString() }))) return report;
  report.ran = true;
  try {
    for (const m of await allMunicipalities(store)) {
      if (!m.contactPlan) continue;
      const tasks: NewPlanTask[] = [];
      const stopped: string[] = [];
      for (const c of await openPlanCases(store, m.slug)) {
        if (planStopped(c)) {
          stopped.push(c.id);
          continue;
        }
        for (const due of dueSteps(m.contactPlan, c, now)) {
          const sms = due.step.action === 'sms';
          const status = due.outcome === 'skip' ? 'skipped' : sms && !options.smsConfigured ? 'waiting' : 'open';
          tasks.push({
            id: randomUUID(),
            municipality: m.slug,
            case_id: c.id,
            step_id: due.step.id,
            action: due.step.action,
            due_at: due.dueAt,
            day_part: due.dayPart,
            urgent: c.crisis ? 1 : 0,
            status,
            reason: due.reason ?? (status === 'waiting' ? 'noNotifyKey' : null),
            attempt_id: null,
            // the wording this case gets, drawn from the plan's seed (the same seed, the same wording)
            variant: sms && due.step.variants ? variantOf(m.contactPlan.seed, c.id, due.step.id, due.step.variants) : null,
            created_at: at,
          });
        }
      }
      await insertPlanTasks(store, tasks);
      report.stopped += await skipRemainingTasks(store, stopped, at);
      const count = (s: string) => tasks.filter((t) => t.status === s).length;
      if (tasks.length) report.added[m.slug] = { open: count('open'), waiting: count('waiting'), skipped: count('skipped') };
    }
  } finally {
    await releaseJobLock(store, PLAN_LOCK, holder);
  }
  return report;
}

/** Every five minutes in the server (unref'd timers); a failed run is logged, the next one tries again. */
export function scheduleContactPlan(store: Store, options: { smsConfigured: boolean }, everyMs = 5 * 60_000, firstAfterMs = 30_000): () => void {
  const run = () =>
    runContactPlan(store, new Date(), options).then(
      (r) => {
        for (const [slug, n] of Object.entries(r.added)) log.info({ action: 'plan.run', object: slug, origin: 'job', result: n.open + n.waiting + n.skipped }, `contact plan: ${n.open} tasks for staff, ${n.waiting} SMS waiting, ${n.skipped} skipped`);
      },
      (error: unknown) => log.error({ action: 'plan.run', origin: 'job', err: error }, 'contact plan run failed'),
    );
  return repeat(run, everyMs, firstAfterMs);
}
