// SPDX-License-Identifier: EUPL-1.2
/**
 * Every answer of the resident conversation, described once. The flow (./resident.ts) asks them;
 * everything else is derived from this table: the request schema and its OpenAPI description,
 * the form reader, what is stored, the staff request view, the body handed to a case system, the
 * reach breakdowns and the locale test. A new question is a row here and a state in the flow.
 *
 * Per answer:
 * - `step`     the flow state that asks it (its texts: steps.<step>.* in locales/<lng>/resident.json)
 * - `type`     `one` (a code or null), `many` (a list of codes), `phone`, `name` (short text), `consent`
 * - `options`  the codes with their pictograms, in screen order; `escape` the "I don't know" one
 * - `personal` personal data: kept in its own column, deleted by the retention job, never counted
 * - `after`    asked after the request is stored (optional; added with PUT …/aanvulling)
 * - `required` the request cannot be stored without it
 * - `staff`    how staff see it: `row` (a line under "what the resident chose", label
 *              staff:detail.<field>), `language` (a row, the code shown as a language name),
 *              `contact` (in the contact block), `none`
 * - `caseSystem` handed to the municipality's case system (how someone feels and what happened stay here)
 * - `reach`    the reach page breaks its funnel down by it
 * - `column`   kept in a column of its own instead of the answers JSON (topic)
 */
import type { IconName } from '../src/lib/icons.ts';

export type AnswerType = 'one' | 'many' | 'phone' | 'name' | 'consent';

export interface AnswerSpec {
  step: string;
  type: AnswerType;
  options?: readonly (readonly [string, IconName])[];
  escape?: string;
  personal: boolean;
  after: boolean;
  required?: boolean;
  staff: 'row' | 'language' | 'contact' | 'none';
  caseSystem: boolean;
  reach?: boolean;
  column?: boolean;
  /** longest text for `name` */
  max?: number;
}

/** Languages a resident can ask to talk in; the screen names each in its own script. */
const TALK_LANGUAGE_CODES = ['nl', 'en', 'tr', 'ar', 'pl', 'uk', 'pap', 'ti', 'other'] as const;

export const ANSWERS = {
  topic: {
    step: 'topic',
    type: 'one',
    options: [
      ['rent', 'house'],
      ['energy', 'high-voltage'],
      ['water', 'droplet'],
      ['health', 'hospital'],
      ['other', 'receipt'],
      ['unknown', 'question'],
    ],
    escape: 'unknown',
    personal: false,
    after: false,
    required: true,
    staff: 'row',
    caseSystem: true,
    reach: true,
    column: true,
  },
  urgency: {
    step: 'urgency',
    type: 'one',
    options: [
      ['bailiff', 'balance-scale'],
      ['eviction', 'door'],
      ['cutoff', 'plug'],
      ['none', 'no'],
      ['unknown', 'question'],
    ],
    escape: 'unknown',
    personal: false,
    after: false,
    staff: 'row',
    caseSystem: true,
    reach: true,
  },
  help: {
    step: 'help',
    type: 'many',
    options: [
      ['talk', 'telephone'],
      ['arrangement', 'handshake'],
      ['allowances', 'euro'],
      ['paperwork', 'memo'],
      ['coach', 'helping-person'],
      ['walkin', 'office'],
      ['buurtteam', 'house-garden'],
      ['expert', 'people-hugging'],
      ['self', 'flexed-biceps'],
    ],
    personal: false,
    after: false,
    staff: 'row',
    caseSystem: true,
  },
  phone: {
    step: 'phone',
    type: 'phone',
    personal: true,
    after: false,
    required: true,
    staff: 'contact',
    caseSystem: true,
  },
  moments: {
    step: 'moments',
    type: 'many',
    options: [
      ['morning', 'sunrise'],
      ['afternoon', 'sun'],
      ['evening', 'moon'],
      ['anytime', 'clock'],
    ],
    personal: false,
    after: false,
    staff: 'row',
    caseSystem: true,
  },
  // asked as one choice, kept as a list so a later version can offer more than one
  ways: {
    step: 'ways',
    type: 'many',
    options: [
      ['call', 'telephone'],
      ['whatsapp', 'mobile-message'],
      ['visit', 'house-garden'],
      ['video', 'video-camera'],
      ['office', 'office'],
    ],
    personal: false,
    after: false,
    staff: 'row',
    caseSystem: true,
  },
  consent: {
    step: 'consent',
    type: 'consent',
    personal: false,
    after: false,
    required: true,
    staff: 'none',
    caseSystem: false,
  },
  checkin: {
    step: 'checkin',
    type: 'one',
    options: [
      ['ok', 'slightly-smiling'],
      ['worried', 'worried'],
      ['hard', 'weary'],
    ],
    personal: false,
    after: true,
    staff: 'row',
    caseSystem: false,
  },
  happened: {
    step: 'happened',
    type: 'one',
    options: [
      ['income', 'briefcase'],
      ['costs', 'receipt'],
      ['overview', 'file-box'],
      ['illness', 'thermometer-face'],
      ['family', 'broken-heart'],
      ['other', 'speech'],
      ['ratherNot', 'zipper-mouth'],
    ],
    escape: 'ratherNot',
    personal: false,
    after: true,
    staff: 'row',
    caseSystem: false,
  },
  moreBills: {
    step: 'moreBills',
    type: 'one',
    options: [
      ['yes', 'yes'],
      ['no', 'no'],
      ['unknown', 'question'],
    ],
    escape: 'unknown',
    personal: false,
    after: true,
    staff: 'row',
    caseSystem: false,
  },
  talkLanguage: {
    step: 'talkLanguage',
    type: 'one',
    options: TALK_LANGUAGE_CODES.map((code) => [code, 'speech'] as const),
    personal: false,
    after: true,
    staff: 'language',
    caseSystem: true,
  },
  contactPrefs: {
    step: 'contactPrefs',
    type: 'many',
    options: [
      ['woman', 'woman'],
      ['man', 'man'],
      ['interpreter', 'interpreter'],
      ['ownLanguage', 'globe'],
      ['none', 'ok-hand'],
    ],
    escape: 'none',
    personal: false,
    after: true,
    staff: 'row',
    caseSystem: true,
  },
  voicemail: {
    step: 'voicemail',
    type: 'one',
    options: [
      ['yes', 'yes'],
      ['no', 'no'],
    ],
    personal: false,
    after: true,
    staff: 'row',
    caseSystem: true,
  },
  firstName: { step: 'name', type: 'name', max: 40, personal: true, after: true, staff: 'contact', caseSystem: true },
} as const satisfies Record<string, AnswerSpec>;

export type AnswerTable = Record<string, AnswerSpec>;
export type AnswerField = keyof typeof ANSWERS;

type CodesOf<S> = S extends { readonly options: readonly (readonly [infer V extends string, IconName])[] } ? V : never;
/** The codes of one answer, e.g. `Code<'topic'>` = 'rent' | 'energy' | … */
export type Code<F extends AnswerField> = CodesOf<(typeof ANSWERS)[F]>;
type ValueOf<S> = S extends { type: 'one' }
  ? CodesOf<S> | null
  : S extends { type: 'many' }
    ? CodesOf<S>[]
    : S extends { type: 'consent' }
      ? boolean
      : string;
/** The answers as the conversation keeps them: null / [] / '' / false until given. */
export type Answers = { -readonly [F in AnswerField]: ValueOf<(typeof ANSWERS)[F]> };

// The helpers below take the table as an argument (no default): whoever imports ANSWERS passes
// the table it sees, so a test that swaps the table (vi.mock) reaches every derived part.

/** The codes of an answer, in screen order. */
export function codesOf(spec: AnswerSpec): readonly string[] {
  return (spec.options ?? []).map(([code]) => code);
}

/** The answers before anything is given. */
export function emptyAnswers(table: AnswerTable): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(table).map(([field, spec]) => [
      field,
      spec.type === 'many' ? [] : spec.type === 'one' ? null : spec.type === 'consent' ? false : '',
    ]),
  );
}

/** The fields of the table that hold codes (one or many): what can be counted. */
export function codeFields(table: AnswerTable): string[] {
  return Object.entries(table)
    .filter(([, spec]) => spec.type === 'one' || spec.type === 'many')
    .map(([field]) => field);
}

/** The answer a flow state asks, with its field name, or undefined for a state that asks none. */
export function answerOfStep(
  step: string,
  table: AnswerTable = ANSWERS,
): { field: string; spec: AnswerSpec } | undefined {
  const found = Object.entries(table).find(([, spec]) => spec.step === step);
  return found ? { field: found[0], spec: found[1] } : undefined;
}
