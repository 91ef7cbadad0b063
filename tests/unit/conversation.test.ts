// SPDX-License-Identifier: EUPL-1.2
// The conversation runtime: saved state from untrusted places, form events, what leaves the device.
import { describe, expect, it } from 'vitest';
import type { ResidentEvent } from '../../flows/resident.ts';
import {
  applyEvent,
  callbackBody,
  eventFromForm,
  parseSaved,
  progressReport,
  screenOf,
  startConversation,
  withoutPersonalData,
} from '../../src/lib/conversation.ts';

function walk(events: ResidentEvent[]) {
  return events.reduce(applyEvent, startConversation({ channel: 'sms', inviteId: 'inv-1' }));
}
const toPhone: ResidentEvent[] = [
  { type: 'CHOOSE', value: 'nl' },
  { type: 'NEXT' },
  { type: 'CHOOSE', value: 'rent' },
  { type: 'CHOOSE', value: 'hard' },
  { type: 'CHOOSE', value: 'ratherNot' },
  { type: 'CHOOSE', value: 'unknown' },
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
    expect(eventFromForm(at(toPhone.slice(0, 8)), { event: 'ANSWER', values: ['coach', 'walkin'] })).toEqual({ type: 'CHOOSE_MANY', values: ['coach', 'walkin'] });
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

describe('what leaves the device', () => {
  const finished = walk([
    ...toPhone,
    { type: 'ENTER', value: '06 12345678' },
    { type: 'CHOOSE_MANY', values: ['evening'] },
    { type: 'CHOOSE_MANY', values: ['visit'] },
    { type: 'CHOOSE', value: 'tr' },
    { type: 'CHOOSE', value: 'no' },
    { type: 'ENTER', value: 'Ayşe' },
    { type: 'CHOOSE', value: 'yes' },
  ]);

  it('reaches the sending step with every answer', () => {
    expect(finished.state).toBe('sending');
    expect(callbackBody(finished, 'voorbeeld', 'tr')).toMatchObject({
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
      talkLanguage: 'tr',
      voicemail: 'no',
      firstName: 'Ayşe',
      conversationId: finished.id,
    });
  });

  it('reports progress with codes only: never phone or name', () => {
    const text = JSON.stringify(progressReport(finished, 'voorbeeld', 'tr'));
    expect(text).not.toContain('12345678');
    expect(text).not.toContain('Ayşe');
    expect(text).toContain('eviction');
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
    expect(failed.context.firstName).toBe('Ayşe');
  });

  it('starts over with empty answers', () => {
    const again = applyEvent(finished, { type: 'RESTART' });
    expect(again.state).toBe('language');
    expect(again.context.phone).toBe('');
    expect(again.context.help).toEqual([]);
  });
});
