// SPDX-License-Identifier: EUPL-1.2
/**
 * Which voice reads a text: its clip when there is one; else the browser's own voice, but only
 * one made for that language (phones silently fall back to another language otherwise); else none,
 * and then no listen button is shown.
 */
export interface VoiceLike {
  lang: string;
}

export function browserVoiceFor<V extends VoiceLike>(voices: readonly V[], lang: string): V | undefined {
  return voices.find((v) => v.lang.toLowerCase().split(/[-_]/)[0] === lang.toLowerCase());
}

export function voiceSource(id: string, clips: Record<string, string>, voices: readonly VoiceLike[], lang: string): 'clip' | 'browser' | null {
  if (clips[id]) return 'clip';
  return browserVoiceFor(voices, lang) ? 'browser' : null;
}
