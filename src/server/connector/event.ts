// SPDX-License-Identifier: EUPL-1.2
/**
 * The `callback_request.created` event as the case system receives it: what it needs to call
 * the resident back, and nothing about how they feel or what happened (that stays here).
 */
import type { CallbackCreatedBody, CallbackRequest, CallbackRequestInput, OutboxEventInput } from '../store/callbacks.ts';

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
  };
}

function codes(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function code(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
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
          urgency: code(input.answers['urgency']),
          topic: input.topic,
          help: codes(input.answers['help']),
          language: input.language,
          channel: input.channel,
          caseRef,
          phone: input.phone,
          firstName: input.firstName ?? null,
          moments: codes(input.answers['moments']),
          ways: codes(input.answers['ways']),
          talkLanguage: code(input.answers['talkLanguage']),
          voicemail: code(input.answers['voicemail']),
          contactPrefs: codes(input.answers['contactPrefs']),
        },
      };
      return JSON.stringify(event);
    },
  };
}

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
  };
}

export function callbackSupplementedEvent(request: CallbackRequest, deliveryId: string): { eventType: string; payload: string } {
  const event: CallbackSupplementedEvent = {
    event: CALLBACK_SUPPLEMENTED,
    version: EVENT_VERSION,
    deliveryId,
    data: {
      requestId: request.id,
      reference: request.reference,
      municipality: request.municipality,
      firstName: request.firstName,
      talkLanguage: code(request.answers['talkLanguage']),
      voicemail: code(request.answers['voicemail']),
      contactPrefs: codes(request.answers['contactPrefs']),
    },
  };
  return { eventType: CALLBACK_SUPPLEMENTED, payload: JSON.stringify(event) };
}
