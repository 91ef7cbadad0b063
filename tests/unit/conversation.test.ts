// SPDX-License-Identifier: EUPL-1.2
// The conversation runtime: saved state from untrusted places, form events, what leaves the device.
import { ANSWERS } from '../../flows/answers.ts';
import { describe, expect, it } from 'vitest';
import type { ResidentEvent } from '../../flows/resident.ts';
import {
  applyEvent,
  eventFromForm,
  isSent,
  parseSaved,
  progressReport,
  screenOf,
  startConversation,
  withoutPersonalData,
} from '../../src/lib/conversation.ts';
import { callbackBody, extrasBody } from '../../src/lib/request-body.ts';

function walk(events: ResidentEvent[]) {
  return events.reduce(applyEvent, startConversation({ channel: 'sms', inviteId: 'inv-1' }));
}
const toPhone: ResidentEvent[] = [
  { type: 'CHOOSE', value: 'nl' },
  { type: 'NEXT' },
  { type: 'CHOOSE', value: 'rent' },
  { type: 'CHOOSE', value: 'eviction' },
  { type: 'NEXT' },
  { type: 'CHOOSE_MANY', values: ['arrangement', 'expert'] },
];

describe('saved conversations', () => {
  it('round-trips through JSON', () => {
    const saved = walk(toPhone);
    expect(parseSaved(JSON.stringify(saved))).toEqual(saved);
  });

  it.each([
    ['not JSON', '{oops'],
    ['an unknown state', JSON.stringify({ ...startConversation({}), state: 'hacked' })],
    ['a wrong version', JSON.stringify({ ...startConversation({}), v: 2 })],
    ['a bad id', JSON.stringify({ ...startConversation({}), id: '../../etc' })],
    ['a context field of the wrong type', JSON.stringify({ ...startConversation({}), context: { ...startConversation({}).context, help: 'all' } })],
    ['an object where text belongs', JSON.stringify({ ...startConversation({}), context: { ...startConversation({}).context, phone: { $gt: '' } } })],
    ['null', 'null'],
  ])('refuses %s (the caller starts afresh)', (_, raw) => {
    expect(parseSaved(raw)).toBeNull();
  });

  it('ignores unknown context keys such as __proto__', () => {
    const raw = `{"v":1,"id":"${crypto.randomUUID()}","state":"topic","context":{"__proto__":{"polluted":true},"topic":"rent"}}`;
    const parsed = parseSaved(raw);
    expect(parsed?.context.topic).toBe('rent');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('form posts to events', () => {
  const at = (events: ResidentEvent[]) => screenOf(walk(events));
  it('reads a choice button', () => {
    expect(eventFromForm(at(toPhone.slice(0, 2)), { event: 'ANSWER', value: 'water' })).toEqual({ type: 'CHOOSE', value: 'water' });
  });
  it('reads ticked boxes', () => {
    expect(eventFromForm(at(toPhone.slice(0, 5)), { event: 'ANSWER', values: ['coach', 'walkin'] })).toEqual({ type: 'CHOOSE_MANY', values: ['coach', 'walkin'] });
  });
  it('reads a language switch as a draft of what is typed or ticked, and nothing on a choice step', () => {
    expect(eventFromForm(at(toPhone), { event: 'STAY', value: '06 123', values: ['06 123'] })).toEqual({ type: 'DRAFT', values: ['06 123'] });
    expect(eventFromForm(at(toPhone.slice(0, 5)), { event: 'STAY', values: ['talk'] })).toEqual({ type: 'DRAFT', values: ['talk'] });
    expect(eventFromForm(at(toPhone.slice(0, 3)), { event: 'STAY', values: [] })).toBeNull();
  });
  it('reads back, start over and skip', () => {
    const screen = at(toPhone);
    expect(eventFromForm(screen, { event: 'BACK' })).toEqual({ type: 'BACK' });
    expect(eventFromForm(screen, { event: 'RESTART' })).toEqual({ type: 'RESTART' });
    expect(eventFromForm(screen, { event: 'SKIP' })).toEqual({ type: 'ENTER', value: '' });
  });
  it('ignores unknown events', () => {
    expect(eventFromForm(at(toPhone), { event: 'DROP TABLE' })).toBeNull();
  });
});

describe('drafts: what is typed or ticked stays without moving on', () => {
  it('keeps a typed number, also half typed, and ticked boxes (only real options)', () => {
    const phone = walk([...toPhone, { type: 'DRAFT', values: ['06 1234'] }]);
    expect(phone).toMatchObject({ state: 'phone', context: { phone: '06 1234' } });
    const help = walk([...toPhone.slice(0, 5), { type: 'DRAFT', values: ['talk', 'hacked'] }]);
    expect(help).toMatchObject({ state: 'help', context: { help: ['talk'] } });
    expect(walk([...toPhone.slice(0, 3), { type: 'DRAFT', values: ['x'] }]).state).toBe('urgency');
  });
  it('reads Arabic-Indic and Persian digits as digits', () => {
    const typed = walk([...toPhone, { type: 'ENTER', value: '٠٦١٢٣٤٥٦٧٨' }]);
    expect(typed).toMatchObject({ state: 'moments', context: { phone: '0612345678' } });
    expect(walk([...toPhone, { type: 'ENTER', value: '۰۶۱۲۳۴۵۶۷۸' }]).context.phone).toBe('0612345678');
  });
  it('says what is wrong with a number: letters, or the code the server found', () => {
    expect(walk([...toPhone, { type: 'ENTER', value: 'bel me maar' }]).context.errors.phone).toBe('phone.letters');
    const rejected = walk([...toPhone, { type: 'REJECT', value: '06 1234', errors: { phone: 'phone.tooShort' } }]);
    expect(rejected).toMatchObject({ state: 'phone', context: { phone: '06 1234', errors: { phone: 'phone.tooShort' } } });
  });
});

describe('what leaves the device', () => {
  const finished = walk([
    ...toPhone,
    { type: 'ENTER', value: '06 12345678' },
    { type: 'CHOOSE_MANY', values: ['evening'] },
    { type: 'CHOOSE', value: 'visit' },
    { type: 'CHOOSE', value: 'yes' },
  ]);
  const extras: ResidentEvent[] = [
    { type: 'SENT', reference: 'ABCD-EFGH', requestId: '11111111-2222-4333-8444-555555555555' },
    { type: 'MORE' },
    { type: 'CHOOSE', value: 'hard' },
    { type: 'CHOOSE', value: 'ratherNot' },
    { type: 'CHOOSE', value: 'unknown' },
    { type: 'CHOOSE', value: 'tr' },
    { type: 'CHOOSE_MANY', values: ['woman', 'interpreter'] },
    { type: 'CHOOSE', value: 'no' },
    { type: 'ENTER', value: 'Ayşe' },
  ];

  it('reaches the sending step with every answer', () => {
    expect(finished.state).toBe('sending');
    expect(callbackBody(finished, 'voorbeeld', 'tr', ANSWERS)).toMatchObject({
      municipality: 'voorbeeld',
      language: 'tr',
      topic: 'rent',
      phone: '06 12345678',
      consent: true,
      channel: 'sms',
      inviteId: 'inv-1',
      urgency: 'eviction',
      help: ['arrangement', 'expert'],
      moments: ['evening'],
      ways: ['visit'],
      conversationId: finished.id,
    });
    // only what is needed to help goes before the request is safe
    expect(callbackBody(finished, 'voorbeeld', 'tr', ANSWERS)).not.toHaveProperty('firstName');
    expect(callbackBody(finished, 'voorbeeld', 'tr', ANSWERS)).not.toHaveProperty('checkin');
  });

  it('asks the optional questions after sending, and adds what was given', () => {
    const after = extras.reduce(applyEvent, finished);
    expect(after.state).toBe('thanks');
    expect(isSent(after)).toBe(true);
    expect(extrasBody(after, ANSWERS)).toEqual({
      conversationId: finished.id,
      checkin: 'hard',
      happened: 'ratherNot',
      moreBills: 'unknown',
      talkLanguage: 'tr',
      contactPrefs: ['woman', 'interpreter'],
      voicemail: 'no',
      firstName: 'Ayşe',
    });
    expect(progressReport(after, 'voorbeeld', 'tr')).toMatchObject({ outcome: 'callback', finished: true, lastStep: 'thanks' });
  });

  it('lets the resident stop the optional questions at any one of them', () => {
    const stopped = [...extras.slice(0, 3), { type: 'FINISH' } as const].reduce(applyEvent, finished);
    expect(stopped.state).toBe('thanks');
    expect(extrasBody(stopped, ANSWERS)).toEqual({ conversationId: finished.id, checkin: 'hard' });
  });

  it('reports progress with codes only: never phone or name', () => {
    const text = JSON.stringify(progressReport(finished, 'voorbeeld', 'tr'));
    expect(text).not.toContain('12345678');
    expect(text).not.toContain('Ayşe');
    expect(text).toContain('eviction');
    const after = JSON.stringify(progressReport(extras.reduce(applyEvent, finished), 'voorbeeld', 'tr'));
    expect(after).not.toContain('Ayşe');
    expect(after).toContain('interpreter');
  });

  it('forgets phone and name once the request is sent', () => {
    const done = applyEvent(finished, { type: 'SENT', reference: 'ABCD-EFGH' });
    expect(done.state).toBe('done');
    const kept = withoutPersonalData(done);
    expect(kept.context.phone).toBe('');
    expect(kept.context.firstName).toBe('');
    expect(kept.context.reference).toBe('ABCD-EFGH');
  });

  it('goes back to the phone step when the server refuses the number, keeping every other answer', () => {
    const failed = applyEvent(finished, { type: 'FAILED', errors: { phone: 'phone.invalid' } });
    expect(failed.state).toBe('phone');
    expect(failed.context.errors.phone).toBe('phone.invalid');
    expect(failed.context.help).toEqual(['arrangement', 'expert']);
    expect(failed.context.moments).toEqual(['evening']);
    expect(failed.context.ways).toEqual(['visit']);
  });

  it('goes back from the read-back to the number, which is still there', () => {
    const atConsent = walk([...toPhone, { type: 'ENTER', value: '06 12 34 56 78' }, { type: 'CHOOSE_MANY', values: ['evening'] }, { type: 'CHOOSE', value: 'visit' }]);
    expect(atConsent.state).toBe('consent');
    expect(applyEvent(atConsent, { type: 'EDIT' })).toMatchObject({ state: 'phone', context: { phone: '06 12 34 56 78' } });
  });

  it('starts over with empty answers', () => {
    const again = applyEvent(finished, { type: 'RESTART' });
    expect(again.state).toBe('language');
    expect(again.context.phone).toBe('');
    expect(again.context.help).toEqual([]);
  });
});

describe('the thanks screen after the optional questions', () => {
  it('hears whether the answers arrived, also after the last question', () => {
    const base = startConversation({ channel: 'web' });
    const thanks = { ...base, state: 'thanks' as const, context: { ...base.context, reference: 'ABCD-EFGH' } };
    const failed = applyEvent(thanks, { type: 'EXTRAS_SAVED', ok: false });
    expect(failed).toMatchObject({ state: 'thanks', context: { extrasUnsaved: true } });
    expect(applyEvent(failed, { type: 'EXTRAS_SAVED', ok: true }).context.extrasUnsaved).toBe(false);
  });
});
