// SPDX-License-Identifier: EUPL-1.2
/**
 * The server's structured log (pino, one JSON line per event on stdout) and the per-request
 * record that the request wrapper in src/cli/start.ts and src/middleware.ts fill in together.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type DestinationStream, type Logger } from 'pino';

/** Who acted: a request's caller, or `system` for the process and its jobs. */
export type Actor = 'resident' | 'staff' | 'api-key' | 'anonymous' | 'system';

/** What one request logs: filled in by the middleware, written by the wrapper when the answer is sent. */
export interface RequestRecord {
  /** the route pattern (never the raw URL: it may carry an invite code or an id) */
  object: string;
  actor: Actor;
}

/** Keys whose values never reach the log, at any depth. */
const SECRET_KEY = /^(phone|firstName|first_name|code|password|totp.*|cookie|set-cookie|authorization)$/i;
const CENSOR = '[redacted]';

/**
 * Paths for pino's own redaction; the deep walk in `scrub` catches the same keys at any depth
 * (fast-redact has no prefix wildcard for `totp*`, so the walk is what covers `totpSecret`).
 */
export const REDACT_PATHS = [
  'phone',
  '*.phone',
  'firstName',
  '*.firstName',
  'first_name',
  '*.first_name',
  'code',
  '*.code',
  'password',
  '*.password',
  'totp',
  '*.totp',
  'totpSecret',
  '*.totpSecret',
  'totpCode',
  '*.totpCode',
  'req.headers.cookie',
  'req.headers.authorization',
];

const ALPHABET = '[23456789ABCDEFGHJKMNPQRSTUVWXYZ]';
// A code as printed (XXXX-XXXX-XXXXX) or typed without dashes, in either case.
const INVITE_CODE = new RegExp(`(?<![0-9A-Za-z])${ALPHABET}{4}-?${ALPHABET}{4}-?${ALPHABET}{5}(?![0-9A-Za-z])`, 'gi');
// Eight or more digits with optional separators: every phone number, also as typed by a resident.
const PHONE = /(?:\+|(?<![0-9]))\d(?:[\s().\-/]*\d){7,}/g;
const EMAIL = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[a-z]{2,}/gi;

/** Masks anything in a string that looks like a phone number, an invite code or an e-mail address. */
export function maskText(text: string): string {
  return text.replace(EMAIL, '[email]').replace(INVITE_CODE, '[code]').replace(PHONE, '[phone]');
}

/** A copy of a log value with secret keys censored and every string masked, errors included. */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[deep]';
  if (value instanceof Error) {
    const out: Record<string, unknown> = { type: value.name, message: maskText(value.message) };
    if (value.stack) out.stack = maskText(value.stack);
    if (value.cause !== undefined) out.cause = scrub(value.cause, depth + 1);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = SECRET_KEY.test(key) ? CENSOR : scrub(v, depth + 1);
  return out;
}

/** The six fields every line carries (with `time`, UTC ISO 8601); a call's own values win. */
export interface LogFields {
  action: string;
  object: string;
  result: string | number;
  origin: string;
  actor: Actor;
}

/**
 * Defaults for a line that does not say: inside a request its route pattern and caller, outside
 * it the process; the result follows the level (`error` from level 50, `warning` at 40).
 */
export function defaultFields(level: number, record: RequestRecord | undefined = currentRequest()): LogFields {
  return {
    action: 'log',
    object: record?.object ?? 'process',
    result: level >= 50 ? 'error' : level >= 40 ? 'warning' : 'ok',
    origin: record ? 'http' : 'process',
    actor: record?.actor ?? 'system',
  };
}

/** The logger; `destination` is for tests, which capture the lines. */
export function createLogger(destination?: DestinationStream): Logger {
  const options = {
    base: null,
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    // pino merges the call's own fields over these, so only what a line leaves out is filled in
    mixin: (_merge: object, level: number) => defaultFields(level),
    formatters: {
      level: (label: string) => ({ level: label }),
      log: (object: Record<string, unknown>) => scrub(object) as Record<string, unknown>,
    },
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    // pino serialises `err` itself after the formatter; this keeps it the scrubbed copy.
    serializers: { err: (e: unknown) => scrub(e) },
    hooks: {
      // The message text is masked too: an error message may quote a phone number or a code.
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? maskText(a) : a instanceof Error ? { err: scrub(a) } : a)),
        );
      },
    },
  };
  // stdout, written asynchronously: under load, lines that pile up while one write is under way go
  // out together instead of one system call per request; pino flushes what is left at exit.
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
}

export const log: Logger = createLogger();

const RESIDENT_ROUTES = new Set(['/api/v1/terugbelverzoeken', '/api/v1/gesprekken/[id]']);

/**
 * Who a request acts as, from its route: a staff session is set later by the middleware; a key
 * is only sent by case systems to the invitation API; the conversation and its API are residents'.
 */
export function actorFor(routePattern: string, hasAuthorization: boolean): Actor {
  if (routePattern.startsWith('/api/v1/uitnodigingen') && hasAuthorization) return 'api-key';
  if (RESIDENT_ROUTES.has(routePattern) || routePattern.startsWith('/[municipality]') || /^\/s(\/|$)/.test(routePattern)) {
    return 'resident';
  }
  return 'anonymous';
}

/** The record of the request being answered: the app (src/server/app.ts) opens it, the middleware fills it in. */
export const requestRecords = new AsyncLocalStorage<RequestRecord>();

/** The current request's record (undefined outside the wrapper, e.g. in the dev server). */
export function currentRequest(): RequestRecord | undefined {
  return requestRecords.getStore();
}
