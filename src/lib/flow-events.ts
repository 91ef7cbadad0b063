// SPDX-License-Identifier: EUPL-1.2
/**
 * What a resident can do on each step of flows/resident.ts (one event per option, plus back and
 * start over), and one real snapshot of every step: for the graph tests and the welcome's
 * measured estimate (src/lib/estimate.ts). Server and tests only (xstate/graph).
 */
import { getShortestPaths } from 'xstate/graph';
import { residentFlow, type ResidentContext, type ResidentEvent, type ResidentInput } from '../../flows/resident.ts';
import { metaOf, type StateName } from './conversation.ts';

/** Every event a resident can cause on a step (one per option, plus back and start over). */
export function eventsFor(state: StateName): ResidentEvent[] {
  const meta = metaOf(state);
  const events: ResidentEvent[] = [{ type: 'BACK' }, { type: 'RESTART' }];
  switch (meta.kind) {
    case 'language':
      events.push({ type: 'CHOOSE', value: 'nl' });
      break;
    case 'choice':
      for (const o of meta.options ?? []) events.push({ type: 'CHOOSE', value: o.value });
      break;
    case 'multi':
      for (const o of meta.options ?? []) events.push({ type: 'CHOOSE_MANY', values: [o.value] });
      events.push({ type: 'CHOOSE_MANY', values: [] });
      break;
    case 'phone':
      events.push({ type: 'ENTER', value: '06 12345678' }, { type: 'ENTER', value: '12' });
      break;
    case 'text':
      events.push({ type: 'ENTER', value: 'Samira' }, { type: 'ENTER', value: '' });
      break;
    case 'info':
      events.push({ type: 'NEXT' });
      break;
    case 'sending':
      events.push(
        { type: 'SENT', reference: 'ABCD-EFGH' },
        { type: 'QUEUED' },
        { type: 'FAILED', errors: { phone: 'phone.invalid' } },
        { type: 'FAILED', errors: { network: 'network' } },
      );
      break;
    case 'end':
      if (state === 'done') events.push({ type: 'MORE' });
      if (state === 'queued') {
        events.push(
          { type: 'SENT', reference: 'ABCD-EFGH' },
          { type: 'DISCARD' },
          { type: 'FAILED', errors: { phone: 'phone.invalid' } },
        );
      }
      break;
  }
  if (metaOf(state).extra) events.push({ type: 'FINISH' });
  if (state === 'consent') events.push({ type: 'EDIT' });
  // what is typed or ticked but not yet sent, and the runtime's own news: they keep the step
  if (meta.kind === 'phone') events.push({ type: 'DRAFT', values: ['06'] }, { type: 'REJECT', value: '12', errors: { phone: 'phone.tooShort' } });
  if (meta.kind === 'text') events.push({ type: 'DRAFT', values: ['Sam'] }, { type: 'REJECT', value: 'x'.repeat(60), errors: { firstName: 'firstName.tooLong' } });
  if (meta.kind === 'multi') events.push({ type: 'DRAFT', values: [meta.options?.[0]?.value ?? ''] });
  events.push({ type: 'EXTRAS_SAVED', ok: true });
  return events;
}

export interface StepSnapshot {
  state: StateName;
  context: ResidentContext;
}

/**
 * One snapshot per step, each at the end of the shortest way a resident gets there (so its
 * context holds the answers that lead to it), in the order the shortest paths are found.
 */
export function snapshotPerStep(input: ResidentInput = {}): StepSnapshot[] {
  const paths = getShortestPaths(residentFlow, {
    input,
    events: (snapshot) => eventsFor(snapshot.value as StateName),
    serializeState: (snapshot) => String(snapshot.value),
  });
  return paths.map((path) => ({ state: path.state.value as StateName, context: path.state.context }));
}
