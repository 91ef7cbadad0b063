// SPDX-License-Identifier: EUPL-1.2
// The listen button's voice: the clip first, the browser's voice only in the right language, else none.
import { describe, expect, it } from 'vitest';
import { voiceSource } from '../../src/lib/voice.ts';

describe('voiceSource', () => {
  const clips = { 'steps.topic.title': '/audio/ti/abc.mp3' };
  it('prefers the clip', () => {
    expect(voiceSource('steps.topic.title', clips, [{ lang: 'ti-ER' }], 'ti')).toBe('clip');
  });
  it('uses the browser voice for a missing clip only when it speaks that language', () => {
    expect(voiceSource('steps.topic.body', clips, [{ lang: 'ti-ER' }], 'ti')).toBe('browser');
    expect(voiceSource('steps.topic.body', clips, [{ lang: 'am-ET' }, { lang: 'en-US' }], 'ti')).toBeNull();
  });
  it('shows no button when neither exists', () => {
    expect(voiceSource('steps.topic.body', {}, [], 'pap')).toBeNull();
  });
});
