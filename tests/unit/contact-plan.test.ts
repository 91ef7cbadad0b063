// SPDX-License-Identifier: EUPL-1.2
// The contact plan as data: what is due when, what is skipped and why, and when the plan stops.
import { describe, expect, it } from 'vitest';
import { contactPlanSchema, DEFAULT_PLAN, dueSteps, planStopped, untriedDayPart, type PlanCase } from '../../src/lib/contact-plan.ts';

const CREATED = '2026-11-02T08:00:00.000Z';
const day = (n: number, hour = 9) => new Date(Date.parse(CREATED) + n * 86_400_000 + (hour - 8) * 3_600_000);
const fresh = (over: Partial<PlanCase> = {}): PlanCase => ({
  createdAt: CREATED,
  crisis: false,
  linkOpened: false,
  reached: false,
  callbackRequested: false,
  closed: false,
  smsStopped: false,
  numberFailed: false,
  hasPhone: true,
  stepsTaken: [],
  dayPartsTried: [],
  ...over,
});
const ids = (c: PlanCase, at: Date) => dueSteps(DEFAULT_PLAN, c, at).map((d) => `${d.step.id}:${d.outcome}${d.reason ? `(${d.reason})` : ''}${d.dayPart ? `@${d.dayPart}` : ''}`);

describe('the contact plan', () => {
  it('is data the municipality file carries, checked: ids once, days in order', () => {
    expect(contactPlanSchema.parse(DEFAULT_PLAN)).toEqual(DEFAULT_PLAN);
    expect(contactPlanSchema.safeParse({ steps: [{ id: 'a', day: 3, action: 'sms' }, { id: 'a', day: 5, action: 'call' }] }).success).toBe(false);
    expect(contactPlanSchema.safeParse({ steps: [{ id: 'a', day: 5, action: 'sms' }, { id: 'b', day: 3, action: 'call' }] }).success).toBe(false);
    expect(contactPlanSchema.safeParse({ steps: [{ id: 'a', day: 0, action: 'fax' }] }).success).toBe(false);
  });

  it('makes each step due on its day, once', () => {
    expect(ids(fresh(), day(0))).toEqual(['sms:do']);
    expect(ids(fresh({ stepsTaken: ['sms'] }), day(2))).toEqual([]);
    expect(ids(fresh({ stepsTaken: ['sms'] }), day(3))).toEqual(['reminder:do']);
    expect(ids(fresh({ stepsTaken: ['sms', 'reminder'] }), day(7))).toEqual(['letter:do']);
    expect(ids(fresh({ stepsTaken: ['sms', 'reminder', 'letter'] }), day(10))).toEqual(['call:do@evening']);
    // a day missed (the job did not run) gives every step that is due, in order
    expect(ids(fresh(), day(14))).toEqual(['sms:do', 'reminder:do', 'letter:do', 'call:do@evening', 'visit:do@evening']);
  });

  it('skips the reminder once the link was opened, and every SMS after STOP, a failed number or without a phone', () => {
    expect(ids(fresh({ stepsTaken: ['sms'], linkOpened: true }), day(3))).toEqual(['reminder:skip(linkOpened)']);
    expect(ids(fresh({ smsStopped: true }), day(3))).toEqual(['sms:skip(smsStopped)', 'reminder:skip(smsStopped)']);
    expect(ids(fresh({ hasPhone: false }), day(0))).toEqual(['sms:skip(noPhone)']);
    // a failed number: no more SMS, and a call the same day
    expect(ids(fresh({ stepsTaken: ['sms'], numberFailed: true }), day(1))).toEqual(['failed-number-call:do@evening']);
  });

  it('calls at a part of the day not tried yet, else another than the last', () => {
    expect(untriedDayPart([])).toBe('evening');
    expect(untriedDayPart(['evening'])).toBe('morning');
    expect(untriedDayPart(['evening', 'morning'])).toBe('afternoon');
    expect(untriedDayPart(['morning', 'afternoon', 'evening'])).toBe('morning');
    expect(untriedDayPart(['evening', 'afternoon', 'morning'])).toBe('evening');
    expect(ids(fresh({ stepsTaken: ['sms', 'reminder', 'letter'], dayPartsTried: ['evening'] }), day(10))).toEqual(['call:do@morning']);
  });

  it('skips to a call the same day for a crisis signal, then goes on after the plan’s call', () => {
    expect(ids(fresh({ crisis: true }), day(0))).toEqual(['crisis-call:do@evening']);
    expect(ids(fresh({ crisis: true, stepsTaken: ['crisis-call'] }), day(13))).toEqual([]);
    expect(ids(fresh({ crisis: true, stepsTaken: ['crisis-call'] }), day(14))).toEqual(['visit:do@evening']);
  });

  it('stops once the case is reached, the resident asked for a call-back, or the case is closed', () => {
    expect(planStopped(fresh())).toBeNull();
    for (const [over, why] of [
      [{ reached: true }, 'reached'],
      [{ callbackRequested: true }, 'callbackRequested'],
      [{ closed: true }, 'closed'],
    ] as const) {
      expect(planStopped(fresh(over))).toBe(why);
      expect(dueSteps(DEFAULT_PLAN, fresh(over), day(20))).toEqual([]);
    }
  });
});
