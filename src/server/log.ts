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

const ALPHABET = '[23456789ABCDEFGHJKMNPQRSTUVWXYZ]';
// A code as printed (XXXX-XXXX-XXXXX) or typed without dashes, in either case.
const INVITE_CODE = new RegExp(`(?<![0-9A-Za-z])${ALPHABET}{4}-?${ALPHABET}{4}-?${ALPHABET}{5}(?![0-9A-Za-z])`, 'gi');
// Eight or more digits with optional separators: every phone number, also as typed by a resident.
const PHONE = /(?:\+|(?<![0-9]))\d(?:[\s().\-/]*\d){7,}/g;
/** An e-mail address needs an @, a phone number digits. */
const CAN_HOLD_SECRET = /[@\d]/;
const EMAIL = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[a-z]{2,}/gi;

/** Masks anything in a string that looks like a phone number, an invite code or an e-mail address. */
export function maskText(text: string): string {
  // What none of the three can be in (no @, no digit, shorter than a code) goes as it is: most of a line's strings.
  if (text.length < 13 && !CAN_HOLD_SECRET.test(text)) return text;
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

/** How every line is written, by both loggers: no pid or host, `msg`, the level by name, UTC ISO time. */
const LINE_FORMAT = {
  base: null,
  messageKey: 'msg',
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label: string) => ({ level: label }) },
};

/** The logger; `destination` is for tests, which capture the lines. */
export function createLogger(destination?: DestinationStream): Logger {
  const options = {
    ...LINE_FORMAT,
    // pino merges the call's own fields over these, so only what a line leaves out is filled in
    mixin: (_merge: object, level: number) => defaultFields(level),
    formatters: {
      ...LINE_FORMAT.formatters,
      log: (object: Record<string, unknown>) => scrub(object) as Record<string, unknown>,
    },
    // pino serialises `err` itself after the formatter; this keeps it the scrubbed copy.
    serializers: { err: (e: unknown) => scrub(e) },
    hooks: {
      // The message text is masked too: an error message may quote a phone number or a code.
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void, level: number) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? maskText(a) : a instanceof Error ? { err: scrub(a) } : a)),
        );
        // a warning or an error goes out now, with the lines before it
        if (level >= 40 && destination === undefined) STDOUT.flush();
      },
    },
  };
  return pino(options, destination ?? STDOUT);
}

/**
 * stdout, buffered: lines go out in writes of about 4 KB (some 25 request lines) instead of one
 * system call each, which under load was a third of what a request cost. What is buffered is
 * written at least every FLUSH_MS, at once for a warning or an error, and at exit (pino's own
 * exit handler); only a killed process (SIGKILL, out of memory) loses the last FLUSH_MS of lines.
 */
const STDOUT = pino.destination({ dest: 1, sync: false, minLength: 4096 });
const FLUSH_MS = 500;
setInterval(() => STDOUT.flush(), FLUSH_MS).unref();

export const log: Logger = createLogger();

/** The one line per answered request: every field given, none of them free text. */
export interface RequestLine extends LogFields {
  action: 'http.request';
  origin: 'http';
  result: number;
  durationMs: number;
  aborted?: true;
}

/**
 * The request log: the same stream as `log`, without its defaults and its scrubbing, which a
 * line built only of a route pattern, a status, an actor and a duration does not need. It is
 * written for every request, so it is kept to pino's bare path.
 */
export function createRequestLogger(destination?: DestinationStream): (line: RequestLine) => void {
  const logger = pino(LINE_FORMAT, destination ?? STDOUT);
  return (line) => logger.info(line);
}

export const logRequest = createRequestLogger();

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
