// SPDX-License-Identifier: EUPL-1.2
// The resident flow as a graph: every step reachable, forward and back everywhere, every path ends well.
import { describe, expect, it } from 'vitest';
import { getShortestPaths } from 'xstate/graph';
import { FLOWS } from '../../flows/index.ts';
import { residentFlow, type ResidentEvent } from '../../flows/resident.ts';
import { applyEvent, metaOf, startConversation, STATE_NAMES, type SavedConversation, type StateName } from '../../src/lib/conversation.ts';
import { eventsFor } from '../../src/lib/flow-events.ts';

/**
 * Successor states per state, found by trying every event from a real snapshot of that state;
 * with `forwardOnly`, without going back or starting over (BACK may have several guarded targets).
 */
function successors(forwardOnly = false): Map<StateName, Set<StateName>> {
  const paths = getShortestPaths(residentFlow, {
    input: {},
    events: (snapshot) => eventsFor(snapshot.value as StateName),
    serializeState: (snapshot) => `${String(snapshot.value)}|${snapshot.context.urgent}|${snapshot.context.help.join(',')}`,
  });
  const graph = new Map<StateName, Set<StateName>>();
  for (const path of paths) {
    const from = path.state.value as StateName;
    const saved: SavedConversation = { v: 1, id: '00000000-0000-4000-8000-000000000000', state: from, context: path.state.context };
    const next = graph.get(from) ?? new Set<StateName>();
    for (const event of eventsFor(from)) {
      if (event.type === 'RESTART' || (forwardOnly && event.type === 'BACK')) continue;
      const after = applyEvent(saved, event).state;
      if (after !== from) next.add(after);
    }
    graph.set(from, next);
  }
  return graph;
}

describe('resident flow graph', () => {
  const graph = successors();
  const forwardGraph = successors(true);
  const finals = STATE_NAMES.filter((s) => metaOf(s).kind === 'end');

  it('is registered in flows/index.ts', () => {
    expect(FLOWS.resident).toBe(residentFlow);
  });

  it('reaches every state', () => {
    expect([...graph.keys()].sort()).toEqual([...STATE_NAMES].sort());
  });

  it('ends only in a call-back (sent, waiting on the device or deleted there) or "do it myself"', () => {
    expect(finals.sort()).toEqual(['discarded', 'done', 'queued', 'selfDone', 'thanks']);
  });

  it('a request waiting on the device ends sent, deleted, or back at the step to correct', () => {
    const queued = { ...startConversation({}), state: 'queued' as StateName };
    expect(applyEvent(queued, { type: 'SENT', reference: 'ABCD-EFGH' })).toMatchObject({ state: 'done', context: { sentLater: true, reference: 'ABCD-EFGH' } });
    const withPhone = { ...queued, context: { ...queued.context, phone: '0612345678', firstName: 'Samira' } };
    expect(applyEvent(withPhone, { type: 'DISCARD' })).toMatchObject({ state: 'discarded', context: { phone: '', firstName: '' } });
    expect(applyEvent(withPhone, { type: 'FAILED', errors: { phone: 'phone.notDialable' } }).state).toBe('phone');
    expect(applyEvent(withPhone, { type: 'BACK' }).state).toBe('queued');
  });

  it('has a way forward from every step that is not an end', () => {
    for (const state of STATE_NAMES) {
      if (finals.includes(state)) continue;
      // a guarded BACK (help goes back to urgentInfo or urgency) is no way forward either
      const forward = [...(forwardGraph.get(state) ?? [])];
      expect(forward.length, `${state} has no way forward`).toBeGreaterThan(0);
    }
  });

  it('has a way back on every step but the first and the ends', () => {
    for (const state of STATE_NAMES) {
      const start = startConversation({});
      if (state === start.state || finals.includes(state)) continue;
      const saved = { ...start, state };
      expect(applyEvent(saved, { type: 'BACK' }).state, `${state} has no back`).not.toBe(state);
    }
  });

  it('can finish from every step (no dead ends)', () => {
    for (const state of STATE_NAMES) {
      const seen = new Set<StateName>([state]);
      const queue = [state];
      while (queue.length) {
        for (const next of graph.get(queue.shift() as StateName) ?? []) {
          if (!seen.has(next)) {
            seen.add(next);
            queue.push(next);
          }
        }
      }
      expect(finals.some((f) => seen.has(f)), `${state} cannot reach an end`).toBe(true);
    }
  });

  it('offers "I don\'t know" or "I\'d rather not say" where a resident may not know', () => {
    for (const state of ['topic', 'happened', 'moreBills', 'urgency'] as const) {
      const meta = metaOf(state);
      expect(meta.escape, state).toBeDefined();
      expect(meta.options?.some((o) => o.value === meta.escape)).toBe(true);
    }
  });

  it('gives every choice a pictogram and a label key', () => {
    for (const state of STATE_NAMES) {
      for (const o of metaOf(state).options ?? []) {
        expect(o.icon).toBeTruthy();
        expect(o.label).toBe(`steps.${state}.options.${o.value}`);
      }
    }
  });
});

describe('urgent answers', () => {
  function walkTo(urgency: string): SavedConversation {
    let s = startConversation({});
    for (const e of [
      { type: 'CHOOSE', value: 'nl' },
      { type: 'NEXT' },
      { type: 'CHOOSE', value: 'energy' },
      { type: 'CHOOSE', value: 'worried' },
      { type: 'CHOOSE', value: 'income' },
      { type: 'CHOOSE', value: 'yes' },
      { type: 'CHOOSE', value: urgency },
    ] as ResidentEvent[])
      s = applyEvent(s, e);
    return s;
  }
  it.each(['bailiff', 'eviction', 'cutoff'])('%s sets the urgent flag and shows the phone number first', (answer) => {
    const s = walkTo(answer);
    expect(s.context.urgent).toBe(true);
    expect(s.state).toBe('urgentInfo');
  });
  it.each(['none', 'unknown'])('%s is not urgent', (answer) => {
    const s = walkTo(answer);
    expect(s.context.urgent).toBe(false);
    expect(s.state).toBe('help');
  });
  it('skips the topic question when the invite already told it, and back still shows it', () => {
    let s = startConversation({ topic: 'water', channel: 'sms' });
    s = applyEvent(applyEvent(s, { type: 'CHOOSE', value: 'nl' }), { type: 'NEXT' });
    expect(s.state).toBe('urgency');
    expect(applyEvent(s, { type: 'BACK' }).state).toBe('topic');
  });
});
