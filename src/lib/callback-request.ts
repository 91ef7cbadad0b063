// SPDX-License-Identifier: EUPL-1.2
/**
 * The call-back request as the API receives it: one schema for JSON and form posts, codes only
 * (no free text but an optional first name), the phone number checked with libphonenumber.
 * Each problem becomes { name, code } so a screen can show it translated next to its field.
 */
import { z } from 'zod';
import { ANSWERS, codesOf, type AnswerSpec, type AnswerTable, type Answers } from '../../flows/answers.ts';
import { CHANNELS, URGENT_ANSWERS } from '../../flows/resident.ts';
import { ID_PATTERN } from './ids.ts';
import { LANGUAGES, type LanguageCode } from './languages.ts';
import { phoneE164, type PhoneProblem } from './phone.ts';

const languageCodes = Object.keys(LANGUAGES) as [LanguageCode, ...LanguageCode[]];

const PHONE_REASONS: Record<PhoneProblem, string> = {
  required: 'A phone number is needed to call back.',
  letters: 'A phone number has digits only.',
  tooShort: 'This phone number is too short.',
  tooLong: 'This phone number is too long.',
  invalid: 'This is not a valid phone number.',
};

/** How an answer of the table is checked in a request: codes only, the name with letters only. */
function answerSchema(spec: AnswerSpec): z.ZodType {
  const codes = codesOf(spec) as [string, ...string[]];
  switch (spec.type) {
    case 'one':
      return spec.required ? z.enum(codes) : z.enum(codes).optional();
    case 'many':
      return z.array(z.enum(codes)).max(codes.length).default([]);
    case 'phone':
      // checked as the call-back will dial it; the valid value is the number in E.164
      return z
        .string()
        .max(40, { abort: true })
        .transform((value, ctx) => {
          const phone = phoneE164(value);
          if (phone.ok) return phone.e164;
          ctx.addIssue({ code: 'custom', message: PHONE_REASONS[phone.code], params: { code: phone.code } });
          return z.NEVER;
        });
    case 'consent':
      return z.literal(true);
    case 'name':
      return z
        .string()
        .max(spec.max ?? 40)
        .regex(/^[\p{L}\p{M}' .-]*$/u)
        .optional();
  }
}

/** What every request carries beside the answers: where it comes from. */
const envelope = {
  municipality: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/),
  language: z.enum(languageCodes),
  channel: z.enum(CHANNELS).default('web'),
  conversationId: z.string().regex(ID_PATTERN).optional(),
  inviteId: z.string().max(64).optional(),
};

type Optional<T> = { [K in keyof T]?: T[K] extends null ? never : Exclude<T[K], null> };
/** A valid request as the schema gives it: the envelope and the answers (one-choice answers absent when not given). */
export type CallbackRequestValue = z.output<z.ZodObject<typeof envelope>> &
  Pick<Answers, 'phone'> & { consent: true } & Optional<Omit<Answers, 'phone' | 'consent' | 'firstName'>> &
  Pick<{ [K in keyof Answers]: Exclude<Answers[K], null> }, 'topic'> & { firstName?: string } & Record<string, unknown>;

/** The call-back request schema of an answer table: the envelope and every answer. */
export function requestSchemaFor(table: AnswerTable): z.ZodType<CallbackRequestValue, Record<string, unknown>> {
  const shape = Object.fromEntries(Object.entries(table).map(([field, spec]) => [field, answerSchema(spec)]));
  return z.strictObject({ ...envelope, ...shape }) as unknown as z.ZodType<
    CallbackRequestValue,
    Record<string, unknown>
  >;
}

/**
 * The optional answers of a table a resident gives after the request is stored (PUT …/aanvulling):
 * the conversation id proves it is the same device; each answer replaces what was there.
 */
export function supplementSchemaFor(table: AnswerTable): z.ZodType<Supplement, Record<string, unknown>> {
  const shape = Object.fromEntries(
    Object.entries(table)
      .filter(([, spec]) => spec.after)
      .map(([field, spec]) => {
        const codes = codesOf(spec) as [string, ...string[]];
        return [field, spec.type === 'many' ? z.array(z.enum(codes)).max(codes.length).optional() : answerSchema(spec)];
      }),
  );
  return z.strictObject({ conversationId: z.string().regex(ID_PATTERN), ...shape }) as unknown as z.ZodType<
    Supplement,
    Record<string, unknown>
  >;
}

/** The optional answers added after sending, each only when given. */
export type Supplement = { conversationId: string; firstName?: string } & Record<string, string | string[] | undefined>;

export const callbackRequestSchema = requestSchemaFor(ANSWERS);

/**
 * The answer codes a stored request keeps in its answers JSON: every one- or several-choice
 * answer but those with a column of their own; null or [] when not given.
 */
export function storedAnswers(value: Record<string, unknown>, table: AnswerTable = ANSWERS): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, many] of storedFields(table)) out[field] = value[field] ?? (many ? [] : null);
  return out;
}

/** Per table (the flow's, or a test's copy): its stored answers, each with whether it takes several codes. */
const storedFieldsOf = new WeakMap<AnswerTable, [string, boolean][]>();

function storedFields(table: AnswerTable): [string, boolean][] {
  let fields = storedFieldsOf.get(table);
  if (!fields) {
    fields = Object.entries(table)
      .filter(([, spec]) => (spec.type === 'one' || spec.type === 'many') && !spec.column)
      .map(([field, spec]) => [field, spec.type === 'many']);
    storedFieldsOf.set(table, fields);
  }
  return fields;
}
export const supplementSchema = supplementSchemaFor(ANSWERS);

export type CallbackRequestInput = z.input<typeof callbackRequestSchema>;

export type ValidCallbackRequest = CallbackRequestValue & {
  /** the phone number in E.164 */
  phoneE164: string;
  urgent: boolean;
};

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
    case 'custom':
      // a check of our own names its code (the phone number's: letters, tooShort, …)
      return typeof issue.params?.code === 'string' ? issue.params.code : 'invalid';
    case 'too_big':
      return 'tooLong';
    case 'unrecognized_keys':
      return 'unknownField';
    default:
      return 'invalid';
  }
}


/** Each problem zod found in a body, as `{ name, code, reason }`; an unknown field by its own name. */
export function invalidParamsOf(error: z.ZodError, body: unknown): InvalidParam[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ name: [...issue.path.map(String), key].join('.'), code: 'unknownField', reason: 'This field is not part of the request.' }))
      : [{ name: issue.path.map(String).join('.') || '(body)', code: codeOf(issue, body), reason: issue.message }],
  );
}

export function validateCallbackRequest(body: unknown, schema = callbackRequestSchema): Validation {
  const result = schema.safeParse(body);
  return result.success ? { ok: true, value: validRequest(result.data) } : { ok: false, invalid: invalidParamsOf(result.error, body) };
}

/** What the schema gave (the phone number already in E.164), with what follows from it. */
export function validRequest(value: CallbackRequestValue): ValidCallbackRequest {
  const urgent = value.urgency !== undefined && (URGENT_ANSWERS as readonly unknown[]).includes(value.urgency);
  return { ...value, phoneE164: value.phone as string, urgent };
}

/**
 * Reads a form-encoded body into the JSON shape: repeated fields become arrays, "true"/"yes"
 * for consent becomes true. Unknown fields stay, so validation can name them.
 */
export function fromFormFields(form: URLSearchParams, table: AnswerTable = ANSWERS): Record<string, unknown> {
  const arrays = new Set(Object.keys(table).filter((field) => table[field]?.type === 'many'));
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    const values = form.getAll(key);
    if (arrays.has(key)) out[key] = values.flatMap((v) => v.split(',')).filter((v) => v !== '');
    else if (table[key]?.type === 'consent')
      out[key] = values[0] === 'true' || values[0] === 'yes' || values[0] === 'on';
    else out[key] = values[0];
  }
  return out;
}
