// SPDX-License-Identifier: EUPL-1.2
// Open or closed, said truthfully: opening hours less Dutch public holidays, read against a clock.
import { describe, expect, it } from 'vitest';
import { nextOpening, nextOpeningKey, openNow } from '../../src/lib/opening-state.ts';
import { openingSchedule } from '../../src/lib/opening.ts';
import { demoMunicipalities } from '../../src/server/seed/seed.ts';

const voorbeeld = demoMunicipalities().find((m) => m.slug === 'voorbeeld')!;
const zeedorp = demoMunicipalities().find((m) => m.slug === 'zeedorp')!;
const at = (iso: string) => new Date(iso);

describe('opening schedule', () => {
  it('is open within the hours and closed outside them', () => {
    const wednesday = at('2026-12-02T10:00:00Z'); // 11:00 in Amsterdam
    const schedule = openingSchedule(voorbeeld, wednesday);
    expect(openNow(schedule, wednesday.getTime())).toBe(true);
    expect(openNow(schedule, at('2026-12-02T17:30:00Z').getTime())).toBe(false); // 18:30
    expect(nextOpening(schedule, at('2026-12-02T17:30:00Z').getTime())).toEqual({ when: 'tomorrow', from: '09:00' });
    expect(nextOpening(schedule, at('2026-12-02T06:00:00Z').getTime())).toEqual({ when: 'today', from: '09:00' });
  });

  it('skips public holidays: on Christmas Eve evening the next opening is Monday 28 December', () => {
    const evening = at('2026-12-24T18:00:00Z');
    const schedule = openingSchedule(voorbeeld, evening);
    expect(schedule.periods.some((p) => p.date === '2026-12-25' || p.date === '2026-12-26')).toBe(false);
    const next = nextOpening(schedule, evening.getTime());
    expect(next).toEqual({ when: 'on', day: 1, from: '09:00' });
    expect(nextOpeningKey(next!)).toEqual({ key: 'talkNow.opensOn', clip: 'talkNow.opensOn#1-09:00' });
    // Christmas Day itself, at 11:00, is closed although it is a Friday
    expect(openNow(schedule, at('2026-12-25T10:00:00Z').getTime())).toBe(false);
  });

  it('follows each municipality’s own hours (Zeedorp closes at 12:30 on Fridays)', () => {
    const friday = at('2026-12-04T12:00:00Z'); // 13:00
    const schedule = openingSchedule(zeedorp, friday);
    expect(openNow(schedule, friday.getTime())).toBe(false);
    expect(nextOpening(schedule, friday.getTime())).toEqual({ when: 'on', day: 1, from: '08:30' });
  });
});
