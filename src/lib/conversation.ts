// SPDX-License-Identifier: EUPL-1.2
/**
 * The conversation runtime shared by the browser island and the server (no-JavaScript path):
 * saved conversation ⇄ flow snapshot, events from form fields, and the screen model to render.
 */
import { isId } from './ids.ts';
import { ANSWERS, codeFields, codesOf, type AnswerTable } from '../../flows/answers.ts';
import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import {
  residentFlow,
  type ResidentContext,
  type ResidentEvent,
  type ResidentInput,
  type StepMeta,
} from '../../flows/resident.ts';

export type StateName = SnapshotFrom<typeof residentFlow>['value'] & string;

/** What is kept on the device (localStorage) and in the no-JS form: small and versioned. */
export interface SavedConversation {
  v: 1;
  /** random id: names the conversation in progress counts and is the call-back's idempotency key */
  id: string;
  state: StateName;
  context: ResidentContext;
}

export const STATE_NAMES = Object.keys(residentFlow.config.states ?? {}) as StateName[];

export function metaOf(state: StateName): StepMeta {
  const meta = residentFlow.config.states?.[state]?.meta as StepMeta | undefined;
  if (!meta) throw new Error(`state ${state} has no meta`);
  return meta;
}

export const COUNTED_STATES = STATE_NAMES.filter((s) => metaOf(s).counted);
/** The optional questions asked after the request is stored, in flow order. */
export const EXTRA_STATES = STATE_NAMES.filter((s) => metaOf(s).extra === true);

export function newId(): string {
  return globalThis.crypto.randomUUID();
}

export function startConversation(input: ResidentInput, id: string = newId()): SavedConversation {
  const [snapshot] = initialTransition(residentFlow, input);
  return { v: 1, id, state: snapshot.value as StateName, context: snapshot.context };
}

export function applyEvent(saved: SavedConversation, event: ResidentEvent): SavedConversation {
  const snapshot = residentFlow.resolveState({ value: saved.state, context: saved.context });
  if (snapshot.status === 'done') {
    if (event.type !== 'RESTART') return saved;
    return startConversation({
      channel: saved.context.channel,
      language: saved.context.language,
      inviteId: saved.context.inviteId,
    });
  }
  const [next] = transition(residentFlow, snapshot, event);
  return { ...saved, state: next.value as StateName, context: next.context };
}

export function isFinished(saved: SavedConversation): boolean {
  return metaOf(saved.state).kind === 'end';
}

/** The request is stored: from the confirmation through the optional questions after it. */
export function isSent(saved: SavedConversation): boolean {
  return (
    saved.context.reference !== null &&
    (saved.state === 'done' || saved.state === 'thanks' || metaOf(saved.state).extra === true)
  );
}

/** Drops what identifies the resident once it is no longer needed on the device. */
export function withoutPersonalData(saved: SavedConversation): SavedConversation {
  return { ...saved, context: { ...saved.context, phone: '', firstName: '' } };
}

const CONTEXT_DEFAULTS = startConversation({}, 'x').context;

/**
 * Reads a saved conversation from untrusted JSON (device storage or a form field). Anything
 * that does not fit the current flow gives null, so the caller starts afresh instead of crashing.
 */
export function parseSaved(raw: unknown): SavedConversation | null {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  if (!value || typeof value !== 'object') return null;
  const v = value as Partial<SavedConversation>;
  if (v.v !== 1 || typeof v.id !== 'string' || !isId(v.id)) return null;
  if (typeof v.state !== 'string' || !STATE_NAMES.includes(v.state as StateName)) return null;
  if (!v.context || typeof v.context !== 'object') return null;
  const context: Record<string, unknown> = { ...CONTEXT_DEFAULTS };
  for (const [key, fallback] of Object.entries(CONTEXT_DEFAULTS)) {
    const given = (v.context as unknown as Record<string, unknown>)[key];
    if (given === undefined) continue;
    const sameShape =
      (Array.isArray(fallback) && Array.isArray(given) && given.every((x) => typeof x === 'string')) ||
      (fallback === null && (typeof given === 'string' || given === null)) ||
      (typeof fallback === typeof given && !Array.isArray(given) && given !== null && typeof given !== 'object') ||
      (key === 'errors' && typeof given === 'object' && given !== null && !Array.isArray(given));
    if (!sameShape) return null;
    context[key] = given;
  }
  return { v: 1, id: v.id, state: v.state as StateName, context: context as unknown as ResidentContext };
}

export interface Screen {
  state: StateName;
  meta: StepMeta;
  context: ResidentContext;
  /** 1-based position among counted steps (or among the optional questions: `extra`), or null where no progress is shown */
  progress: { current: number; total: number; extra: boolean } | null;
  canGoBack: boolean;
}

export function screenOf(saved: SavedConversation): Screen {
  const meta = metaOf(saved.state);
  const index = COUNTED_STATES.indexOf(saved.state);
  const extraIndex = EXTRA_STATES.indexOf(saved.state);
  const stateNode = residentFlow.config.states?.[saved.state];
  return {
    state: saved.state,
    meta,
    context: saved.context,
    progress:
      index >= 0
        ? { current: index + 1, total: COUNTED_STATES.length, extra: false }
        : extraIndex >= 0
          ? { current: extraIndex + 1, total: EXTRA_STATES.length, extra: true }
          : null,
    canGoBack: Boolean(stateNode?.on && 'BACK' in stateNode.on),
  };
}

/** Turns a submitted form (button name/value pairs) into a flow event for the current screen. */
export function eventFromForm(
  screen: Screen,
  form: { event?: string | null; value?: string | null; values?: string[] },
): ResidentEvent | null {
  switch (form.event) {
    case 'BACK':
    case 'RESTART':
    case 'NEXT':
    case 'DISCARD':
    case 'EDIT':
    case 'MORE':
    case 'FINISH':
      return { type: form.event };
    case 'SKIP':
      return { type: 'ENTER', value: '' };
    case 'STAY':
      // a language switch: what is typed or ticked on this step goes along, unchecked and unsent
      return draftEvent(screen, form);
    case 'ANSWER':
      break;
    default:
      return null;
  }
  switch (screen.meta.kind) {
    case 'language':
    case 'choice':
      return { type: 'CHOOSE', value: form.value ?? '' };
    case 'multi':
      return { type: 'CHOOSE_MANY', values: form.values ?? [] };
    case 'phone':
    case 'text':
      return { type: 'ENTER', value: form.value ?? '' };
    case 'info':
      return { type: 'NEXT' };
    default:
      return null;
  }
}

/** What is typed or ticked on a step that keeps drafts (text fields and several-choice steps). */
export function draftEvent(screen: Screen, form: { value?: string | null; values?: string[] }): ResidentEvent | null {
  switch (screen.meta.kind) {
    case 'phone':
    case 'text':
      return { type: 'DRAFT', values: [form.value ?? ''] };
    case 'multi':
      return { type: 'DRAFT', values: form.values ?? [] };
    default:
      return null;
  }
}

/** The answers as codes only (for counts per conversation): never phone, name or free text. */
export function answerCodes(context: ResidentContext, table: AnswerTable = ANSWERS): Record<string, unknown> {
  const answers = context as unknown as Record<string, unknown>;
  return Object.fromEntries(codeFields(table).map((field) => [field, answers[field] ?? null]));
}

/**
 * What is wrong with answers that came from outside (the progress API): fields the flow does not
 * count, and codes it does not offer. Empty when each is a field of `answerCodes` with one of its
 * codes (a list of them for several choices) or null.
 */
export function answerCodeProblems(answers: Record<string, unknown>, table: AnswerTable = ANSWERS): { field: string; code: 'unknownField' | 'unknownCode' }[] {
  const fields = new Set(codeFields(table));
  const problems: { field: string; code: 'unknownField' | 'unknownCode' }[] = [];
  for (const [field, value] of Object.entries(answers)) {
    const spec = table[field];
    if (!fields.has(field) || !spec) {
      problems.push({ field, code: 'unknownField' });
      continue;
    }
    const codes = codesOf(spec);
    const given = value === null ? [] : Array.isArray(value) ? value : [value];
    const fits = spec.type === 'many' ? value === null || Array.isArray(value) : !Array.isArray(value);
    if (!fits || given.some((v) => typeof v !== 'string' || !codes.includes(v))) problems.push({ field, code: 'unknownCode' });
  }
  return problems;
}

export interface ProgressReport {
  municipality: string;
  channel: string;
  language: string;
  topic: string | null;
  inviteId: string | null;
  lastStep: StateName;
  answers: Record<string, unknown>;
  outcome: 'callback' | 'self' | null;
  finished: boolean;
}

/** What the municipality may learn of a conversation in progress: codes, never personal data. */
export function progressReport(
  saved: SavedConversation,
  municipality: string,
  language: string,
): ProgressReport | null {
  // Nothing is counted before the resident has chosen a language: opening a page is not a conversation.
  if (saved.state === 'language') return null;
  const outcome = isSent(saved) ? 'callback' : saved.state === 'selfDone' ? 'self' : null;
  return {
    municipality,
    channel: saved.context.channel,
    language,
    topic: saved.context.topic,
    inviteId: saved.context.inviteId,
    lastStep: saved.state,
    answers: answerCodes(saved.context),
    outcome,
    finished: outcome !== null,
  };
}
