// SPDX-License-Identifier: EUPL-1.2
/**
 * The call-back request as the API receives it: one schema for JSON and form posts, codes only
 * (no free text but an optional first name), the phone number checked with libphonenumber.
 * Each problem becomes { name, code } so a screen can show it translated next to its field.
 */
import { z } from 'zod';
import {
  CHANNELS,
  CHECKINS,
  CONTACT_PREFS,
  FIRST_NAME_MAX,
  HAPPENINGS,
  HELP,
  MOMENTS,
  TALK_LANGUAGES,
  TOPICS,
  URGENCIES,
  URGENT_ANSWERS,
  WAYS,
  YES_NO,
  YES_NO_UNKNOWN,
} from '../../flows/resident.ts';
import { LANGUAGES, type LanguageCode } from './languages.ts';
import { checkPhone, type PhoneProblem } from './phone.ts';

const languageCodes = Object.keys(LANGUAGES) as [LanguageCode, ...LanguageCode[]];

export const callbackRequestSchema = z.strictObject({
  municipality: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/),
  language: z.enum(languageCodes),
  topic: z.enum(TOPICS),
  phone: z.string().max(40),
  consent: z.literal(true),
  channel: z.enum(CHANNELS).default('web'),
  conversationId: z.uuid().optional(),
  inviteId: z.string().max(64).optional(),
  checkin: z.enum(CHECKINS).optional(),
  happened: z.enum(HAPPENINGS).optional(),
  moreBills: z.enum(YES_NO_UNKNOWN).optional(),
  urgency: z.enum(URGENCIES).optional(),
  help: z.array(z.enum(HELP)).max(HELP.length).default([]),
  moments: z.array(z.enum(MOMENTS)).max(MOMENTS.length).default([]),
  ways: z.array(z.enum(WAYS)).max(WAYS.length).default([]),
  talkLanguage: z.enum(TALK_LANGUAGES).optional(),
  contactPrefs: z.array(z.enum(CONTACT_PREFS)).max(CONTACT_PREFS.length).default([]),
  voicemail: z.enum(YES_NO).optional(),
  firstName: z
    .string()
    .max(FIRST_NAME_MAX)
    .regex(/^[\p{L}\p{M}' .-]*$/u)
    .optional(),
});

/**
 * The optional answers a resident gives after the request is stored (PUT …/aanvulling): the
 * conversation id proves it is the same device; each answer replaces what was there.
 */
export const supplementSchema = callbackRequestSchema
  .pick({ checkin: true, happened: true, moreBills: true, talkLanguage: true, voicemail: true, firstName: true })
  .extend({
    conversationId: z.uuid(),
    contactPrefs: z.array(z.enum(CONTACT_PREFS)).max(CONTACT_PREFS.length).optional(),
  })
  .strict();
export type Supplement = z.output<typeof supplementSchema>;

export type CallbackRequestInput = z.input<typeof callbackRequestSchema>;

export interface ValidCallbackRequest extends z.output<typeof callbackRequestSchema> {
  /** the phone number in E.164 */
  phoneE164: string;
  urgent: boolean;
}

export interface InvalidParam {
  name: string;
  code: string;
  reason: string;
}

export type Validation = { ok: true; value: ValidCallbackRequest } | { ok: false; invalid: InvalidParam[] };

function codeOf(issue: z.core.$ZodIssue, body: unknown): string {
  if (issue.path.length === 1 && body && typeof body === 'object') {
    const given = (body as Record<PropertyKey, unknown>)[issue.path[0] as PropertyKey];
    if (given === undefined || given === null || given === '') return 'required';
  }
  switch (issue.code) {
    case 'too_big':
      return 'tooLong';
    case 'unrecognized_keys':
      return 'unknownField';
    default:
      return 'invalid';
  }
}

const PHONE_REASONS: Record<PhoneProblem, string> = {
  required: 'A phone number is needed to call back.',
  letters: 'A phone number has digits only.',
  tooShort: 'This phone number is too short.',
  tooLong: 'This phone number is too long.',
  invalid: 'This is not a valid phone number.',
};

/** Each problem zod found in a body, as `{ name, code, reason }`; an unknown field by its own name. */
export function invalidParamsOf(error: z.ZodError, body: unknown): InvalidParam[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ name: key, code: 'unknownField', reason: 'This field is not part of the request.' }))
      : [{ name: issue.path.map(String).join('.') || '(body)', code: codeOf(issue, body), reason: issue.message }],
  );
}

export function validateCallbackRequest(body: unknown): Validation {
  const result = callbackRequestSchema.safeParse(body);
  const invalid: InvalidParam[] = result.success ? [] : invalidParamsOf(result.error, body);
  const rawPhone = (body as { phone?: unknown } | null)?.phone;
  const phone = typeof rawPhone === 'string' ? checkPhone(rawPhone) : null;
  if (phone && !phone.ok && !invalid.some((i) => i.name === 'phone')) {
    invalid.push({ name: 'phone', code: phone.code, reason: PHONE_REASONS[phone.code] });
  }
  if (invalid.length > 0 || !result.success || !phone?.ok) return { ok: false, invalid };
  const urgent = result.data.urgency !== undefined && URGENT_ANSWERS.includes(result.data.urgency);
  return { ok: true, value: { ...result.data, phoneE164: phone.e164, urgent } };
}

/**
 * Reads a form-encoded body into the JSON shape: repeated fields become arrays, "true"/"yes"
 * for consent becomes true. Unknown fields stay, so validation can name them.
 */
export function fromFormFields(form: URLSearchParams): Record<string, unknown> {
  const arrays = new Set(['help', 'moments', 'ways', 'contactPrefs']);
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    const values = form.getAll(key);
    if (arrays.has(key)) out[key] = values.flatMap((v) => v.split(',')).filter((v) => v !== '');
    else if (key === 'consent') out[key] = values[0] === 'true' || values[0] === 'yes' || values[0] === 'on';
    else out[key] = values[0];
  }
  return out;
}
