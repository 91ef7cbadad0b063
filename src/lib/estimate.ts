// SPDX-License-Identifier: EUPL-1.2
/**
 * What the welcome screen promises, measured rather than guessed: the questions on the shortest
 * way from the welcome to a sent call-back request, the taps it takes, and how long it takes to
 * hear every sentence on those screens (the clip seconds in the audio manifest).
 */
import { getShortestPaths } from 'xstate/graph';
import { residentFlow, type ResidentEvent } from '../../flows/resident.ts';
import { metaOf, type StateName } from './conversation.ts';
import { eventsFor } from './flow-events.ts';
import type { AudioManifest } from './speech.ts';

export interface PathStep {
  state: StateName;
  event: ResidentEvent;
}

const cache = new Map<boolean, PathStep[]>();

/**
 * The steps (state and the answer given on it) from the language screen to `sending`, the
 * shortest there is. With `preset`, the invite link already told the topic.
 */
export function shortestRequestPath(preset: boolean): PathStep[] {
  const known = cache.get(preset);
  if (known) return known;
  const paths = getShortestPaths(residentFlow, {
    input: preset ? { topic: 'rent' } : {},
    events: (snapshot) => eventsFor(snapshot.value as StateName).filter((e) => e.type !== 'BACK' && e.type !== 'RESTART'),
    serializeState: (snapshot) => String(snapshot.value),
    toState: (snapshot) => snapshot.value === 'sending',
  });
  const path = paths.find((p) => p.state.value === 'sending');
  if (!path) throw new Error('no way from the first screen to a sent request');
  const steps = path.steps;
  const out: PathStep[] = [];
  // path.steps[i].state is the state reached by path.steps[i].event; the first step's state is the start
  for (let i = 1; i < steps.length; i++) out.push({ state: steps[i - 1]!.state.value as StateName, event: steps[i]!.event });
  cache.set(preset, out);
  return out;
}

/** Taps a resident makes for one answer: a choice is one, ticks plus "Next", a field and "Next". */
export function tapsFor(step: PathStep): number {
  switch (step.event.type) {
    case 'CHOOSE_MANY':
      return step.event.values.length + 1;
    case 'ENTER':
      return 2;
    default:
      return 1;
  }
}

/** The sentences a screen reads out, as clip ids: title, body, hints and labels, every choice. */
export function screenClipIds(state: StateName): string[] {
  const meta = metaOf(state);
  const ids = [meta.title, ...(meta.body ? [meta.body] : [])];
  if (meta.kind === 'multi') ids.push(`steps.${state}.hint`);
  if (meta.kind === 'phone' || meta.kind === 'text') ids.push(`steps.${state}.label`);
  if (meta.kind === 'phone') ids.push('steps.phone.hint');
  if (state === 'consent') ids.push('steps.consent.number');
  for (const o of meta.options ?? []) ids.push(o.label);
  return ids;
}

export interface Estimate {
  /** questions after the welcome until the request is sent */
  questions: number;
  taps: number;
  /** seconds to hear every sentence of those questions */
  seconds: number;
  /** whole minutes, rounded up: what the welcome says */
  minutes: number;
}

/** The questions on the path: screens after the welcome that ask something (counted in "x of y"). */
function questionSteps(path: PathStep[]): PathStep[] {
  return path.filter((s) => metaOf(s.state).counted);
}

export function estimate(manifest: AudioManifest | undefined, slug: string, preset: boolean): Estimate {
  const path = shortestRequestPath(preset);
  const questions = questionSteps(path);
  let seconds = 0;
  for (const step of questions) {
    for (const id of screenClipIds(step.state)) {
      const entry = manifest?.entries[`${id}@${slug}`] ?? manifest?.entries[id];
      seconds += entry?.seconds ?? 0;
    }
  }
  return {
    questions: questions.length,
    taps: path.reduce((n, s) => n + tapsFor(s), 0),
    seconds: Math.round(seconds * 10) / 10,
    minutes: Math.max(1, Math.ceil(seconds / 60)),
  };
}

/** The clip id of the welcome's length sentence for these numbers. */
export function lengthClipId(e: Pick<Estimate, 'questions' | 'minutes'>): string {
  return `steps.welcome.length#${e.questions}-${e.minutes}`;
}
