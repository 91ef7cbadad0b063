// SPDX-License-Identifier: EUPL-1.2
/**
 * The resident conversation: one question per screen, from the language choice to a stored
 * call-back request (or "I'll do it myself"). Only what is needed to help comes before the
 * request is sent; the rest is offered afterwards, optional, and added to the stored request.
 * Pure data: i18n keys and icon names only.
 *
 * language → welcome → topic* → urgency → (urgentInfo)
 *   → help ─┬─ only "do it myself" → selfHelp ─┬─ "call me after all" → phone …
 *           │                                  └─ "I'm done" → selfDone (final)
 *           └─ anything else → phone → moments → ways → consent (the number read back)
 *                ─┬─ yes → sending ─┬─ SENT → done
 *                 │                 ├─ QUEUED → queued ─┬─ SENT → done
 *                 │                 │                   ├─ DISCARD → discarded (final)
 *                 │                 │                   └─ FAILED → as below
 *                 │                 └─ FAILED → the step of the first invalid field
 *                 ├─ EDIT → phone
 *                 └─ no → noConsent → selfDone (final) | back to consent
 * done ── MORE → extras, each optional, each added to the request as it is given:
 *   checkin → happened → moreBills → talkLanguage → contactPrefs → voicemail → name → thanks (the end)
 *   (FINISH on any extra step → thanks)
 * (* topic is skipped when the invite link already told it; back from urgency still shows it)
 * Every step but the first has BACK; RESTART anywhere starts over with empty answers. DRAFT keeps
 * what is typed or ticked on a step (for a language switch or a reload) without moving on.
 */
import { assign, setup } from 'xstate';
import { westernDigits } from '../src/lib/digits.ts';
import { ANSWERS, answerOfStep, codesOf, emptyAnswers, type AnswerTable, type Answers, type Code } from './answers.ts';
import type { IconName } from '../src/lib/icons.ts';

/** The codes of each answer, from the answer table (./answers.ts). */
export const TOPICS = codesOf(ANSWERS.topic) as readonly Topic[];
export const URGENCIES = codesOf(ANSWERS.urgency) as readonly Urgency[];
export const URGENT_ANSWERS: readonly Urgency[] = ['bailiff', 'eviction', 'cutoff'];
export const HELP = codesOf(ANSWERS.help) as readonly Help[];
export const QUICK_FIXES: readonly Help[] = ['arrangement', 'allowances', 'paperwork'];
export const LIGHT_HELP: readonly Help[] = ['coach', 'walkin', 'buurtteam', 'expert'];
export const CHANNELS = ['sms', 'letter-qr', 'web', 'staff'] as const;
export const FIRST_NAME_MAX: number = ANSWERS.firstName.max;

export type Topic = Code<'topic'>;
export type Urgency = Code<'urgency'>;
export type Help = Code<'help'>;
export type Moment = Code<'moments'>;
export type Way = Code<'ways'>;
export type Channel = (typeof CHANNELS)[number];

/** Error codes a field can carry; the screen shows `errors.<code>` next to the field. */
export type FieldErrors = Partial<Record<string, string>>;

/** The answers (./answers.ts) and what the conversation keeps beside them. */
export interface ResidentContext extends Answers {
  language: string | null;
  channel: Channel;
  inviteId: string | null;
  topicPreset: boolean;
  urgent: boolean;
  reference: string | null;
  /** the stored request's id, for staff who finish it on the spot (tablet mode) */
  requestId: string | null;
  /** the request waited on the device (offline) before it was delivered */
  sentLater: boolean;
  /** the optional answers given after sending could not all be added to the request yet */
  extrasUnsaved: boolean;
  errors: FieldErrors;
}

export interface ResidentInput {
  channel?: Channel;
  topic?: Topic | null;
  inviteId?: string | null;
  language?: string | null;
}

export type ResidentEvent =
  | { type: 'CHOOSE'; value: string }
  | { type: 'CHOOSE_MANY'; values: string[] }
  | { type: 'ENTER'; value: string }
  | { type: 'NEXT' }
  | { type: 'BACK' }
  | { type: 'RESTART' }
  | { type: 'SENT'; reference: string; requestId?: string }
  | { type: 'QUEUED' }
  | { type: 'DISCARD' }
  | { type: 'FAILED'; errors: FieldErrors }
  /** what is typed or ticked on the current step, kept without moving on (language switch, reload) */
  | { type: 'DRAFT'; values: string[] }
  /** the runtime checked the typed number and found it wrong (the code says how) */
  | { type: 'REJECT'; value: string; errors: FieldErrors }
  /** back from the read-back to correct the number */
  | { type: 'EDIT' }
  /** after sending: answer the optional questions, or stop them */
  | { type: 'MORE' }
  | { type: 'FINISH' }
  /** the runtime's news whether the optional answers reached the stored request */
  | { type: 'EXTRAS_SAVED'; ok: boolean };

export type ScreenKind = 'language' | 'info' | 'choice' | 'multi' | 'phone' | 'text' | 'sending' | 'end';

export interface OptionMeta {
  value: string;
  icon: IconName;
  /** i18n key of the label: steps.<state>.options.<value> */
  label: string;
}

export interface StepMeta {
  kind: ScreenKind;
  /** the step's own pictogram, shown above the question */
  icon: IconName;
  /** i18n keys: steps.<state>.title and optional steps.<state>.body */
  title: string;
  body?: string;
  options?: readonly OptionMeta[];
  /** context field the step fills (for errors and prefilled answers) */
  field?: keyof ResidentContext;
  /** whether this step counts in "step x of y" */
  counted: boolean;
  /** an optional question asked after the request is safe ("extra question x of y") */
  extra?: boolean;
  /** the choice that means "I don't know" / "I'd rather not say" */
  escape?: string;
}

/**
 * Builds a step's meta with keys that follow `steps.<state>.<part>`. A step that asks an answer
 * takes its field, options, "don't know" choice and whether it comes after sending from the
 * answer table; only steps that ask none (selfHelp, noConsent) bring options of their own.
 */
export function stepMeta(
  state: string,
  spec: Pick<StepMeta, 'kind' | 'icon'> & {
    body?: boolean;
    options?: readonly (readonly [string, IconName])[];
    counted?: boolean;
  },
): StepMeta {
  const { body, counted, kind, icon } = spec;
  const answer = answerOfStep(state, ANSWERS);
  const options = answer?.spec.options ?? spec.options;
  const extra = answer?.spec.after === true;
  return {
    kind,
    icon,
    counted: counted ?? !extra,
    ...(extra ? { extra } : {}),
    ...(answer ? { field: answer.field as keyof ResidentContext } : {}),
    ...(answer?.spec.escape ? { escape: answer.spec.escape } : {}),
    title: `steps.${state}.title`,
    ...(body ? { body: `steps.${state}.body` } : {}),
    ...(options
      ? {
          options: options.map(([value, icon]) => ({
            value,
            icon,
            label: `steps.${state}.options.${value}`,
          })),
        }
      : {}),
  };
}

const EMPTY_ANSWERS = {
  ...(emptyAnswers(ANSWERS) as Answers),
  urgent: false,
  reference: null,
  requestId: null,
  sentLater: false,
  extrasUnsaved: false,
  errors: {},
} satisfies Partial<ResidentContext>;

/** The codes each one- or several-choice answer accepts. */
const OPTION_LISTS: Record<string, readonly string[]> = Object.fromEntries(
  Object.entries(ANSWERS as AnswerTable).flatMap(([field, spec]) => (spec.options ? [[field, codesOf(spec)]] : [])),
);
type ListField = string;

const LANGUAGE_CODE = /^[a-z]{2,3}$/;
/** A first check only (shape); the server validates the number itself with libphonenumber. */
export const PHONE_SHAPE = /^\+?[\d\s\-().]{8,20}$/;

function chosen(event: ResidentEvent): string | undefined {
  return event.type === 'CHOOSE' || event.type === 'ENTER' || event.type === 'REJECT' ? event.value : undefined;
}
function chosenMany(event: ResidentEvent): string[] {
  // a malformed event (no list) chooses nothing rather than break the conversation
  return (event.type === 'CHOOSE_MANY' || event.type === 'DRAFT') && Array.isArray(event.values) ? event.values : [];
}
/** What is wrong with a number the shape check refused (the server says it more precisely when it can be asked). */
function phoneProblem(phone: string): string {
  return phone === '' ? 'phone.required' : /\p{L}/u.test(phone) ? 'phone.letters' : 'phone.invalid';
}

/** A typed number as kept: Arabic-Indic and Persian digits become 0–9, outer spaces go. */
function typedPhone(event: ResidentEvent): string {
  return westernDigits(chosen(event) ?? '').trim();
}

/** A one-choice answer that fills `field` and moves on. */
function choose(field: ListField, target: string) {
  return {
    guard: { type: 'isOption', params: { field } },
    target,
    actions: { type: 'record', params: { field } },
  } as const;
}
/** A several-choices answer that fills `field` and moves on, or asks for at least one. */
function chooseMany(field: ListField, target: string) {
  return [
    { guard: { type: 'areOptions', params: { field } }, target, actions: { type: 'recordMany', params: { field } } },
    { actions: { type: 'requireChoice', params: { field } } },
  ] as const;
}
/** Keeps what is ticked on a several-choices step without moving on. */
function draftMany(field: ListField) {
  return { actions: { type: 'draftMany', params: { field } } } as const;
}

export const residentFlow = setup({
  types: {
    context: {} as ResidentContext,
    events: {} as ResidentEvent,
    input: {} as ResidentInput,
    meta: {} as StepMeta,
  },
  guards: {
    is: ({ event }, params: { value: string }) => chosen(event) === params.value,
    isLanguage: ({ event }) => LANGUAGE_CODE.test(chosen(event) ?? ''),
    isOption: ({ event }, params: { field: ListField }) =>
      (OPTION_LISTS[params.field] as readonly string[]).includes(chosen(event) ?? ''),
    areOptions: ({ event }, params: { field: ListField }) => {
      const values = chosenMany(event);
      const list = OPTION_LISTS[params.field] as readonly string[];
      return values.length > 0 && values.every((v) => list.includes(v));
    },
    isUrgentAnswer: ({ event }) => URGENT_ANSWERS.includes(chosen(event) as Urgency),
    topicPreset: ({ context }) => context.topicPreset && context.topic !== null,
    isUrgent: ({ context }) => context.urgent,
    onlySelfHelp: ({ event }) => {
      const values = chosenMany(event);
      return values.length === 1 && values[0] === 'self';
    },
    choseOnlySelfHelp: ({ context }) => context.help.length === 1 && context.help[0] === 'self',
    phoneLooksValid: ({ event }) => PHONE_SHAPE.test(typedPhone(event)),
    nameFits: ({ event }) => (chosen(event) ?? '').trim().length <= FIRST_NAME_MAX,
    phoneFailed: ({ event }) => event.type === 'FAILED' && event.errors.phone !== undefined,
  },
  actions: {
    recordLanguage: assign({ language: ({ event }) => chosen(event) ?? null }),
    record: assign(({ context, event }, params: { field: ListField }) => ({
      ...context,
      [params.field]: chosen(event) ?? null,
      errors: { ...context.errors, [params.field]: undefined },
    })),
    recordMany: assign(({ context, event }, params: { field: ListField }) => ({
      ...context,
      [params.field]: chosenMany(event),
      errors: { ...context.errors, [params.field]: undefined },
    })),
    recordUrgency: assign({
      urgency: ({ event }) => (chosen(event) as Urgency) ?? null,
      urgent: ({ event }) => URGENT_ANSWERS.includes(chosen(event) as Urgency),
    }),
    recordOne: assign(({ context, event }, params: { field: 'ways' }) => ({
      ...context,
      [params.field]: [chosen(event) as Way],
      errors: { ...context.errors, [params.field]: undefined },
    })),
    recordPhone: assign(({ context, event }) => ({
      phone: typedPhone(event),
      errors: { ...context.errors, phone: undefined },
    })),
    rejectPhone: assign(({ context, event }) => {
      const phone = typedPhone(event);
      const code = event.type === 'REJECT' ? event.errors.phone : undefined;
      return { phone, errors: { ...context.errors, phone: code ?? phoneProblem(phone) } };
    }),
    draftText: assign(({ context, event }, params: { field: 'phone' | 'firstName' }) => ({
      ...context,
      [params.field]: (chosenMany(event)[0] ?? '').slice(0, 60),
    })),
    draftMany: assign(({ context, event }, params: { field: ListField }) => {
      const list = OPTION_LISTS[params.field] as readonly string[];
      return { ...context, [params.field]: chosenMany(event).filter((v) => list.includes(v)) };
    }),
    recordExtrasSaved: assign({ extrasUnsaved: ({ event }) => event.type === 'EXTRAS_SAVED' && !event.ok }),
    recordName: assign(({ context, event }) => ({
      firstName: (chosen(event) ?? '').trim(),
      errors: { ...context.errors, firstName: undefined },
    })),
    requireChoice: assign(({ context }, params: { field: ListField }) => ({
      errors: { ...context.errors, [params.field]: 'choice.required' },
    })),
    rejectName: assign(({ context }) => ({
      errors: { ...context.errors, firstName: 'firstName.tooLong' },
    })),
    giveConsent: assign({ consent: true, errors: {} }),
    withdrawConsent: assign({ consent: false }),
    markSent: assign({
      reference: ({ event }) => (event.type === 'SENT' ? event.reference : null),
      requestId: ({ event }) => (event.type === 'SENT' ? (event.requestId ?? null) : null),
      errors: {},
    }),
    markSentLater: assign({ sentLater: true }),
    clearErrors: assign({ errors: {} }),
    forgetPersonalData: assign({ phone: '', firstName: '', consent: false }),
    recordErrors: assign({
      errors: ({ event }) => (event.type === 'FAILED' ? event.errors : {}),
    }),
    reset: assign(({ context }) => ({ ...context, ...EMPTY_ANSWERS, topicPreset: false })),
  },
}).createMachine({
  id: 'resident',
  initial: 'language',
  context: ({ input }) => ({
    ...EMPTY_ANSWERS,
    help: [],
    moments: [],
    ways: [],
    errors: {},
    language: input.language ?? null,
    channel: input.channel ?? 'web',
    inviteId: input.inviteId ?? null,
    topic: input.topic ?? null,
    topicPreset: Boolean(input.topic),
  }),
  on: {
    RESTART: { target: '.language', actions: 'reset' },
    EXTRAS_SAVED: { actions: 'recordExtrasSaved' },
  },
  states: {
    language: {
      meta: stepMeta('language', { kind: 'language', icon: 'globe', counted: false }),
      on: {
        CHOOSE: { guard: 'isLanguage', target: 'welcome', actions: 'recordLanguage' },
      },
    },
    welcome: {
      meta: stepMeta('welcome', { kind: 'info', icon: 'waving-hand', body: true, counted: false }),
      on: {
        NEXT: [{ guard: 'topicPreset', target: 'urgency' }, { target: 'topic' }],
        BACK: 'language',
      },
    },
    topic: {
      meta: stepMeta('topic', {
        kind: 'choice',
        icon: 'envelope',
      }),
      on: {
        CHOOSE: choose('topic', 'urgency'),
        BACK: 'welcome',
      },
    },
    urgency: {
      meta: stepMeta('urgency', {
        kind: 'choice',
        icon: 'warning',
        body: true,
      }),
      on: {
        CHOOSE: [
          {
            guard: 'isUrgentAnswer',
            target: 'urgentInfo',
            actions: 'recordUrgency',
          },
          {
            guard: { type: 'isOption', params: { field: 'urgency' } },
            target: 'help',
            actions: 'recordUrgency',
          },
        ],
        BACK: 'topic',
      },
    },
    urgentInfo: {
      meta: stepMeta('urgentInfo', { kind: 'info', icon: 'telephone', body: true, counted: false }),
      on: { NEXT: 'help', BACK: 'urgency' },
    },
    help: {
      meta: stepMeta('help', {
        kind: 'multi',
        icon: 'raising-hand',
      }),
      on: {
        CHOOSE_MANY: [
          {
            guard: 'onlySelfHelp',
            target: 'selfHelp',
            actions: { type: 'recordMany', params: { field: 'help' } },
          },
          {
            guard: { type: 'areOptions', params: { field: 'help' } },
            target: 'phone',
            actions: { type: 'recordMany', params: { field: 'help' } },
          },
          { actions: { type: 'requireChoice', params: { field: 'help' } } },
        ],
        DRAFT: draftMany('help'),
        BACK: [{ guard: 'isUrgent', target: 'urgentInfo' }, { target: 'urgency' }],
      },
    },
    selfHelp: {
      meta: stepMeta('selfHelp', {
        kind: 'choice',
        icon: 'light-bulb',
        body: true,
        counted: false,
        options: [
          ['callback', 'telephone'],
          ['finish', 'check'],
        ],
      }),
      on: {
        CHOOSE: [
          { guard: { type: 'is', params: { value: 'callback' } }, target: 'phone' },
          { guard: { type: 'is', params: { value: 'finish' } }, target: 'selfDone' },
        ],
        BACK: 'help',
      },
    },
    phone: {
      meta: stepMeta('phone', { kind: 'phone', icon: 'mobile-phone', body: true }),
      on: {
        ENTER: [{ guard: 'phoneLooksValid', target: 'moments', actions: 'recordPhone' }, { actions: 'rejectPhone' }],
        REJECT: { actions: 'rejectPhone' },
        DRAFT: { actions: { type: 'draftText', params: { field: 'phone' } } },
        BACK: [{ guard: 'choseOnlySelfHelp', target: 'selfHelp' }, { target: 'help' }],
      },
    },
    moments: {
      meta: stepMeta('moments', {
        kind: 'multi',
        icon: 'calendar',
      }),
      on: {
        CHOOSE_MANY: chooseMany('moments', 'ways'),
        DRAFT: draftMany('moments'),
        BACK: 'phone',
      },
    },
    ways: {
      meta: stepMeta('ways', {
        kind: 'choice',
        icon: 'speech',
      }),
      on: {
        CHOOSE: {
          guard: { type: 'isOption', params: { field: 'ways' } },
          target: 'consent',
          actions: { type: 'recordOne', params: { field: 'ways' } },
        },
        BACK: 'moments',
      },
    },
    consent: {
      meta: stepMeta('consent', {
        kind: 'choice',
        icon: 'lock',
        body: true,
        options: [
          ['yes', 'yes'],
          ['no', 'no'],
        ],
      }),
      on: {
        CHOOSE: [
          { guard: { type: 'is', params: { value: 'yes' } }, target: 'sending', actions: 'giveConsent' },
          { guard: { type: 'is', params: { value: 'no' } }, target: 'noConsent', actions: 'withdrawConsent' },
        ],
        EDIT: 'phone',
        BACK: 'ways',
      },
    },
    noConsent: {
      meta: stepMeta('noConsent', {
        kind: 'choice',
        icon: 'telephone',
        body: true,
        counted: false,
        options: [
          ['back', 'back'],
          ['finish', 'check'],
        ],
      }),
      on: {
        CHOOSE: [
          { guard: { type: 'is', params: { value: 'back' } }, target: 'consent' },
          { guard: { type: 'is', params: { value: 'finish' } }, target: 'selfDone' },
        ],
        BACK: 'consent',
      },
    },
    sending: {
      meta: stepMeta('sending', { kind: 'sending', icon: 'outbox', counted: false }),
      on: {
        SENT: { target: 'done', actions: 'markSent' },
        QUEUED: { target: 'queued', actions: 'clearErrors' },
        FAILED: [
          { guard: 'phoneFailed', target: 'phone', actions: 'recordErrors' },
          { target: 'consent', actions: 'recordErrors' },
        ],
        BACK: 'consent',
      },
    },
    // Offline or the server could not be reached: the request waits on the device (IndexedDB)
    // until it can be delivered; the resident can see and delete it meanwhile.
    queued: {
      meta: stepMeta('queued', { kind: 'end', icon: 'outbox', body: true, counted: false }),
      on: {
        SENT: { target: 'done', actions: ['markSent', 'markSentLater'] },
        FAILED: [
          { guard: 'phoneFailed', target: 'phone', actions: 'recordErrors' },
          { target: 'consent', actions: 'recordErrors' },
        ],
        DISCARD: { target: 'discarded', actions: 'forgetPersonalData' },
      },
    },
    // The request is stored: the confirmation, then the optional questions if the resident wants.
    done: {
      meta: stepMeta('done', { kind: 'end', icon: 'check', counted: false }),
      on: { MORE: 'checkin' },
    },
    checkin: {
      meta: stepMeta('checkin', {
        kind: 'choice',
        icon: 'speech',
        body: true,
      }),
      on: {
        CHOOSE: choose('checkin', 'happened'),
        FINISH: 'thanks',
        BACK: 'done',
      },
    },
    happened: {
      meta: stepMeta('happened', {
        kind: 'choice',
        icon: 'thought',
        body: true,
      }),
      on: {
        CHOOSE: choose('happened', 'moreBills'),
        FINISH: 'thanks',
        BACK: 'checkin',
      },
    },
    moreBills: {
      meta: stepMeta('moreBills', {
        kind: 'choice',
        icon: 'envelopes',
      }),
      on: {
        CHOOSE: choose('moreBills', 'talkLanguage'),
        FINISH: 'thanks',
        BACK: 'happened',
      },
    },
    talkLanguage: {
      meta: stepMeta('talkLanguage', {
        kind: 'choice',
        icon: 'globe',
      }),
      on: {
        CHOOSE: choose('talkLanguage', 'contactPrefs'),
        FINISH: 'thanks',
        BACK: 'moreBills',
      },
    },
    contactPrefs: {
      meta: stepMeta('contactPrefs', {
        kind: 'multi',
        icon: 'busts',
      }),
      on: {
        CHOOSE_MANY: chooseMany('contactPrefs', 'voicemail'),
        DRAFT: draftMany('contactPrefs'),
        FINISH: 'thanks',
        BACK: 'talkLanguage',
      },
    },
    voicemail: {
      meta: stepMeta('voicemail', {
        kind: 'choice',
        icon: 'voicemail',
        body: true,
      }),
      on: {
        CHOOSE: choose('voicemail', 'name'),
        FINISH: 'thanks',
        BACK: 'contactPrefs',
      },
    },
    name: {
      meta: stepMeta('name', { kind: 'text', icon: 'name-badge', body: true }),
      on: {
        ENTER: [{ guard: 'nameFits', target: 'thanks', actions: 'recordName' }, { actions: 'rejectName' }],
        REJECT: { actions: 'rejectName' },
        DRAFT: { actions: { type: 'draftText', params: { field: 'firstName' } } },
        FINISH: 'thanks',
        BACK: 'voicemail',
      },
    },
    // an end, but not a final state: news that the optional answers (still) did not arrive must reach it
    thanks: {
      meta: stepMeta('thanks', { kind: 'end', icon: 'check', body: true, counted: false }),
    },
    discarded: {
      type: 'final',
      meta: stepMeta('discarded', { kind: 'end', icon: 'wastebasket', body: true, counted: false }),
    },
    selfDone: {
      type: 'final',
      meta: stepMeta('selfDone', { kind: 'end', icon: 'flexed-biceps', body: true, counted: false }),
    },
  },
});

export type ResidentFlow = typeof residentFlow;
