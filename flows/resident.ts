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
import type { IconName } from '../src/lib/icons.ts';

export const TOPICS = ['rent', 'energy', 'water', 'health', 'other', 'unknown'] as const;
export const CHECKINS = ['ok', 'worried', 'hard'] as const;
export const HAPPENINGS = [
  'income',
  'costs',
  'overview',
  'illness',
  'family',
  'other',
  'ratherNot',
] as const;
export const YES_NO_UNKNOWN = ['yes', 'no', 'unknown'] as const;
export const URGENCIES = ['bailiff', 'eviction', 'cutoff', 'none', 'unknown'] as const;
export const URGENT_ANSWERS: readonly Urgency[] = ['bailiff', 'eviction', 'cutoff'];
export const HELP = [
  'talk',
  'arrangement',
  'allowances',
  'paperwork',
  'coach',
  'walkin',
  'buurtteam',
  'expert',
  'self',
] as const;
export const QUICK_FIXES: readonly Help[] = ['arrangement', 'allowances', 'paperwork'];
export const LIGHT_HELP: readonly Help[] = ['coach', 'walkin', 'buurtteam', 'expert'];
export const MOMENTS = ['morning', 'afternoon', 'evening', 'anytime'] as const;
export const WAYS = ['call', 'whatsapp', 'visit', 'video', 'office'] as const;
/** what makes contact easier for the resident: who calls or comes, and in which language */
export const CONTACT_PREFS = ['woman', 'man', 'interpreter', 'ownLanguage', 'none'] as const;
export const TALK_LANGUAGES = ['nl', 'en', 'tr', 'ar', 'pl', 'uk', 'pap', 'ti', 'other'] as const;
export const YES_NO = ['yes', 'no'] as const;
export const CHANNELS = ['sms', 'letter-qr', 'web', 'staff'] as const;

export type Topic = (typeof TOPICS)[number];
export type Checkin = (typeof CHECKINS)[number];
export type Happening = (typeof HAPPENINGS)[number];
export type YesNoUnknown = (typeof YES_NO_UNKNOWN)[number];
export type Urgency = (typeof URGENCIES)[number];
export type Help = (typeof HELP)[number];
export type Moment = (typeof MOMENTS)[number];
export type Way = (typeof WAYS)[number];
export type ContactPref = (typeof CONTACT_PREFS)[number];
export type TalkLanguage = (typeof TALK_LANGUAGES)[number];
export type YesNo = (typeof YES_NO)[number];
export type Channel = (typeof CHANNELS)[number];

/** Error codes a field can carry; the screen shows `errors.<code>` next to the field. */
export type FieldErrors = Partial<Record<string, string>>;

export interface ResidentContext {
  language: string | null;
  channel: Channel;
  inviteId: string | null;
  topicPreset: boolean;
  topic: Topic | null;
  checkin: Checkin | null;
  happened: Happening | null;
  moreBills: YesNoUnknown | null;
  urgency: Urgency | null;
  urgent: boolean;
  help: Help[];
  phone: string;
  moments: Moment[];
  ways: Way[];
  talkLanguage: TalkLanguage | null;
  contactPrefs: ContactPref[];
  voicemail: YesNo | null;
  firstName: string;
  consent: boolean;
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

export type ScreenKind =
  | 'language'
  | 'info'
  | 'choice'
  | 'multi'
  | 'phone'
  | 'text'
  | 'sending'
  | 'end';

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

/** Builds a step's meta with keys that follow `steps.<state>.<part>`. */
function step(
  state: string,
  spec: Omit<StepMeta, 'title' | 'body' | 'options' | 'counted'> & {
    body?: boolean;
    options?: readonly (readonly [string, IconName])[];
    counted?: boolean;
  },
): StepMeta {
  const { body, options, counted, ...rest } = spec;
  return {
    ...rest,
    counted: counted ?? !rest.extra,
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
  topic: null,
  checkin: null,
  happened: null,
  moreBills: null,
  urgency: null,
  urgent: false,
  help: [],
  phone: '',
  moments: [],
  ways: [],
  talkLanguage: null,
  contactPrefs: [],
  voicemail: null,
  firstName: '',
  consent: false,
  reference: null,
  requestId: null,
  sentLater: false,
  extrasUnsaved: false,
  errors: {},
} satisfies Partial<ResidentContext>;

const OPTION_LISTS = {
  topic: TOPICS,
  checkin: CHECKINS,
  happened: HAPPENINGS,
  moreBills: YES_NO_UNKNOWN,
  urgency: URGENCIES,
  voicemail: YES_NO,
  talkLanguage: TALK_LANGUAGES,
  help: HELP,
  moments: MOMENTS,
  ways: WAYS,
  contactPrefs: CONTACT_PREFS,
} as const;
type ListField = keyof typeof OPTION_LISTS;

const LANGUAGE_CODE = /^[a-z]{2,3}$/;
/** A first check only (shape); the server validates the number itself with libphonenumber. */
export const PHONE_SHAPE = /^\+?[\d\s\-().]{8,20}$/;
export const FIRST_NAME_MAX = 40;

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
  return { guard: { type: 'isOption', params: { field } }, target, actions: { type: 'record', params: { field } } } as const;
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
      meta: step('language', { kind: 'language', icon: 'globe', counted: false }),
      on: {
        CHOOSE: { guard: 'isLanguage', target: 'welcome', actions: 'recordLanguage' },
      },
    },
    welcome: {
      meta: step('welcome', { kind: 'info', icon: 'waving-hand', body: true, counted: false }),
      on: {
        NEXT: [{ guard: 'topicPreset', target: 'urgency' }, { target: 'topic' }],
        BACK: 'language',
      },
    },
    topic: {
      meta: step('topic', {
        kind: 'choice',
        icon: 'envelope',
        field: 'topic',
        escape: 'unknown',
        options: [
          ['rent', 'house'],
          ['energy', 'high-voltage'],
          ['water', 'droplet'],
          ['health', 'hospital'],
          ['other', 'receipt'],
          ['unknown', 'question'],
        ],
      }),
      on: {
        CHOOSE: choose('topic', 'urgency'),
        BACK: 'welcome',
      },
    },
    urgency: {
      meta: step('urgency', {
        kind: 'choice',
        icon: 'warning',
        body: true,
        field: 'urgency',
        escape: 'unknown',
        options: [
          ['bailiff', 'balance-scale'],
          ['eviction', 'door'],
          ['cutoff', 'plug'],
          ['none', 'no'],
          ['unknown', 'question'],
        ],
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
      meta: step('urgentInfo', { kind: 'info', icon: 'telephone', body: true, counted: false }),
      on: { NEXT: 'help', BACK: 'urgency' },
    },
    help: {
      meta: step('help', {
        kind: 'multi',
        icon: 'raising-hand',
        field: 'help',
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
      meta: step('selfHelp', {
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
      meta: step('phone', { kind: 'phone', icon: 'mobile-phone', body: true, field: 'phone' }),
      on: {
        ENTER: [
          { guard: 'phoneLooksValid', target: 'moments', actions: 'recordPhone' },
          { actions: 'rejectPhone' },
        ],
        REJECT: { actions: 'rejectPhone' },
        DRAFT: { actions: { type: 'draftText', params: { field: 'phone' } } },
        BACK: [{ guard: 'choseOnlySelfHelp', target: 'selfHelp' }, { target: 'help' }],
      },
    },
    moments: {
      meta: step('moments', {
        kind: 'multi',
        icon: 'calendar',
        field: 'moments',
        options: [
          ['morning', 'sunrise'],
          ['afternoon', 'sun'],
          ['evening', 'moon'],
          ['anytime', 'clock'],
        ],
      }),
      on: {
        CHOOSE_MANY: chooseMany('moments', 'ways'),
        DRAFT: draftMany('moments'),
        BACK: 'phone',
      },
    },
    ways: {
      meta: step('ways', {
        kind: 'choice',
        icon: 'speech',
        field: 'ways',
        options: [
          ['call', 'telephone'],
          ['whatsapp', 'mobile-message'],
          ['visit', 'house-garden'],
          ['video', 'video-camera'],
          ['office', 'office'],
        ],
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
      meta: step('consent', {
        kind: 'choice',
        icon: 'lock',
        body: true,
        field: 'consent',
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
      meta: step('noConsent', {
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
      meta: step('sending', { kind: 'sending', icon: 'outbox', counted: false }),
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
      meta: step('queued', { kind: 'end', icon: 'outbox', body: true, counted: false }),
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
      meta: step('done', { kind: 'end', icon: 'check', counted: false }),
      on: { MORE: 'checkin' },
    },
    checkin: {
      meta: step('checkin', {
        kind: 'choice',
        icon: 'speech',
        body: true,
        field: 'checkin',
        extra: true,
        options: [
          ['ok', 'slightly-smiling'],
          ['worried', 'worried'],
          ['hard', 'weary'],
        ],
      }),
      on: {
        CHOOSE: choose('checkin', 'happened'),
        FINISH: 'thanks',
        BACK: 'done',
      },
    },
    happened: {
      meta: step('happened', {
        kind: 'choice',
        icon: 'thought',
        body: true,
        field: 'happened',
        escape: 'ratherNot',
        extra: true,
        options: [
          ['income', 'briefcase'],
          ['costs', 'receipt'],
          ['overview', 'file-box'],
          ['illness', 'thermometer-face'],
          ['family', 'broken-heart'],
          ['other', 'speech'],
          ['ratherNot', 'zipper-mouth'],
        ],
      }),
      on: {
        CHOOSE: choose('happened', 'moreBills'),
        FINISH: 'thanks',
        BACK: 'checkin',
      },
    },
    moreBills: {
      meta: step('moreBills', {
        kind: 'choice',
        icon: 'envelopes',
        field: 'moreBills',
        escape: 'unknown',
        extra: true,
        options: [
          ['yes', 'yes'],
          ['no', 'no'],
          ['unknown', 'question'],
        ],
      }),
      on: {
        CHOOSE: choose('moreBills', 'talkLanguage'),
        FINISH: 'thanks',
        BACK: 'happened',
      },
    },
    talkLanguage: {
      meta: step('talkLanguage', {
        kind: 'choice',
        icon: 'globe',
        field: 'talkLanguage',
        extra: true,
        // the screen adds each language's own name in its own script: that, not a pictogram, tells them apart
        options: TALK_LANGUAGES.map((lng) => [lng, 'speech'] as const),
      }),
      on: {
        CHOOSE: choose('talkLanguage', 'contactPrefs'),
        FINISH: 'thanks',
        BACK: 'moreBills',
      },
    },
    contactPrefs: {
      meta: step('contactPrefs', {
        kind: 'multi',
        icon: 'busts',
        field: 'contactPrefs',
        escape: 'none',
        extra: true,
        options: [
          ['woman', 'woman'],
          ['man', 'man'],
          ['interpreter', 'interpreter'],
          ['ownLanguage', 'globe'],
          ['none', 'ok-hand'],
        ],
      }),
      on: {
        CHOOSE_MANY: chooseMany('contactPrefs', 'voicemail'),
        DRAFT: draftMany('contactPrefs'),
        FINISH: 'thanks',
        BACK: 'talkLanguage',
      },
    },
    voicemail: {
      meta: step('voicemail', {
        kind: 'choice',
        icon: 'voicemail',
        body: true,
        field: 'voicemail',
        extra: true,
        options: [
          ['yes', 'yes'],
          ['no', 'no'],
        ],
      }),
      on: {
        CHOOSE: choose('voicemail', 'name'),
        FINISH: 'thanks',
        BACK: 'contactPrefs',
      },
    },
    name: {
      meta: step('name', { kind: 'text', icon: 'name-badge', body: true, field: 'firstName', extra: true }),
      on: {
        ENTER: [
          { guard: 'nameFits', target: 'thanks', actions: 'recordName' },
          { actions: 'rejectName' },
        ],
        REJECT: { actions: 'rejectName' },
        DRAFT: { actions: { type: 'draftText', params: { field: 'firstName' } } },
        FINISH: 'thanks',
        BACK: 'voicemail',
      },
    },
    // an end, but not a final state: news that the optional answers (still) did not arrive must reach it
    thanks: {
      meta: step('thanks', { kind: 'end', icon: 'check', body: true, counted: false }),
    },
    discarded: {
      type: 'final',
      meta: step('discarded', { kind: 'end', icon: 'wastebasket', body: true, counted: false }),
    },
    selfDone: {
      type: 'final',
      meta: step('selfDone', { kind: 'end', icon: 'flexed-biceps', body: true, counted: false }),
    },
  },
});

export type ResidentFlow = typeof residentFlow;
