// SPDX-License-Identifier: EUPL-1.2
// What a reply SMS must say to stop the plan's SMS, and how the numbers Notify and case systems write are read.
import { describe, expect, it } from 'vitest';
import { isStopMessage, numberE164 } from '../../src/server/notify/receipts.ts';

describe('a reply that says STOP', () => {
  it('is STOP in the ways people type it', () => {
    for (const text of ['STOP', 'stop', ' Stop. ', 'stop!', '"STOP"', 'Stop sms', 'STOP SMS.', 'sms stop', 'STOPPEN', 'Afmelden', 'geen sms meer', 'СТОП', 'stop\n']) expect(isStopMessage(text), text).toBe(true);
  });

  it('is nothing else: a message that mentions stopping is a message', () => {
    for (const text of ['', 'Bedankt', 'stop met bellen', 'STOP STOP', 'Ik wil niet stoppen', 'stopt u maar', 'nonstop', '0612345678']) expect(isStopMessage(text), text).toBe(false);
  });
});

describe('a number as Notify writes it', () => {
  it('reads Dutch numbers with or without the plus or the 0, and foreign ones without the plus', () => {
    for (const raw of ['31612345678', '+31612345678', '0612345678', '+31 6 1234 5678', '0031612345678', '06-12345678']) expect(numberE164(raw), raw).toBe('+31612345678');
    expect(numberE164('447911123456')).toBe('+447911123456');
    expect(numberE164('32470123456')).toBe('+32470123456');
    expect(numberE164('4915112345678')).toBe('+4915112345678');
  });

  it('gives nothing for what is not a number', () => {
    for (const raw of ['', 'Gemeente', '123', '+', '0000000000']) expect(numberE164(raw), raw).toBeNull();
  });
});
