// SPDX-License-Identifier: EUPL-1.2
/**
 * The `callback_request.created` event as the case system receives it: what it needs to call
 * the resident back, and nothing about how they feel or what went wrong (that stays here). Which
 * answers travel is said once, in the answer table (flows/answers.ts: `caseSystem`).
 */
import { ANSWERS, type AnswerTable } from '../../../flows/answers.ts';
import type {
  CallbackCreatedBody,
  CallbackRequest,
  CallbackRequestInput,
  OutboxEventInput,
} from '../store/callbacks.ts';

export const CALLBACK_CREATED = 'callback_request.created';
/** Raised when a field changes meaning or goes; new fields are added without a new version. */
export const EVENT_VERSION = 1;

export interface CallbackCreatedEvent {
  event: typeof CALLBACK_CREATED;
  version: typeof EVENT_VERSION;
  /** the same as the X-Hulpgesprek-Delivery header: deduplicate on it */
  deliveryId: string;
  data: {
    requestId: string;
    /** what the resident was told and may quote on the phone */
    reference: string;
    municipality: string;
    createdAt: string;
    urgent: boolean;
    /** the urgency answer code (none, cutoff, bailiff, …), or null */
    urgency: string | null;
    topic: string;
    /** what the resident said would help (codes) */
    help: string[];
    /** the language the resident used on the site */
    language: string;
    /** how they came: web, sms, letter-qr, staff */
    channel: string;
    /** the municipality's own case number, when the resident came through a personal invitation that had one */
    caseRef: string | null;
    /** E.164: the resident asked to be called back on it, by this municipality */
    phone: string;
    firstName: string | null;
    /** when to call (codes), how to reach them, in which language to talk, and whether a voicemail or SMS is all right */
    moments: string[];
    ways: string[];
    talkLanguage: string | null;
    voicemail: string | null;
    /** what makes contact easier: woman, man, interpreter, ownLanguage, none */
    contactPrefs: string[];
    /** and any answer a later flow adds to the table with `caseSystem: true`, by its field name */
    [answer: string]: unknown;
  };
}

function codes(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function code(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The answers of a request the case system receives (`caseSystem` in the table); `only` limits them to some. */
function caseSystemAnswers(
  given: Record<string, unknown>,
  only: (field: string, after: boolean) => boolean = () => true,
  table: AnswerTable = ANSWERS,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(table)
      .filter(([field, spec]) => spec.caseSystem && only(field, spec.after))
      .map(([field, spec]) => [field, spec.type === 'many' ? codes(given[field]) : (code(given[field]) ?? null)]),
  );
}

/** The outbox entry for a new request: its body is built inside the storing transaction. */
export function callbackCreatedEvent(input: CallbackRequestInput, caseRef: string | null): OutboxEventInput {
  return {
    eventType: CALLBACK_CREATED,
    body: (created: CallbackCreatedBody, deliveryId: string) => {
      const event: CallbackCreatedEvent = {
        event: CALLBACK_CREATED,
        version: EVENT_VERSION,
        deliveryId,
        data: {
          requestId: created.id,
          reference: created.reference,
          municipality: input.municipality,
          createdAt: created.createdAt,
          urgent: input.urgent,
          language: input.language,
          channel: input.channel,
          caseRef,
          ...(caseSystemAnswers({
            ...input.answers,
            topic: input.topic,
            phone: input.phone,
            firstName: input.firstName ?? null,
          }) as AnswerData),
        },
      };
      return JSON.stringify(event);
    },
  };
}

type AnswerData = Pick<
  CallbackCreatedEvent['data'],
  | 'urgency'
  | 'topic'
  | 'help'
  | 'phone'
  | 'firstName'
  | 'moments'
  | 'ways'
  | 'talkLanguage'
  | 'voicemail'
  | 'contactPrefs'
>;

export const CALLBACK_SUPPLEMENTED = 'callback_request.supplemented';

/**
 * The optional answers a resident added after sending (who should call or come, in which
 * language, whether a voicemail is all right, a first name): what helps the first contact.
 */
export interface CallbackSupplementedEvent {
  event: typeof CALLBACK_SUPPLEMENTED;
  version: typeof EVENT_VERSION;
  deliveryId: string;
  data: {
    requestId: string;
    reference: string;
    municipality: string;
    firstName: string | null;
    talkLanguage: string | null;
    voicemail: string | null;
    /** woman, man, interpreter, ownLanguage, none */
    contactPrefs: string[];
    [answer: string]: unknown;
  };
}

export function callbackSupplementedEvent(
  request: CallbackRequest,
  deliveryId: string,
): { eventType: string; payload: string } {
  const event: CallbackSupplementedEvent = {
    event: CALLBACK_SUPPLEMENTED,
    version: EVENT_VERSION,
    deliveryId,
    data: {
      requestId: request.id,
      reference: request.reference,
      municipality: request.municipality,
      // the answers given after sending, of those the case system receives
      ...(caseSystemAnswers(
        { ...request.answers, firstName: request.firstName },
        (_, after) => after,
      ) as SupplementData),
    },
  };
  return { eventType: CALLBACK_SUPPLEMENTED, payload: JSON.stringify(event) };
}

type SupplementData = Pick<
  CallbackSupplementedEvent['data'],
  'firstName' | 'talkLanguage' | 'voicemail' | 'contactPrefs'
>;
