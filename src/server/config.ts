// SPDX-License-Identifier: EUPL-1.2
/** All runtime settings, from environment variables only (the README has the table), parsed once at start. */
import { resolve } from 'node:path';
import { z } from 'zod';
import { isId } from '../lib/ids.ts';
import { parseSecurityContacts, parseSecurityPolicy } from './legal/security-txt.ts';
import { isNotifyKey } from './notify/client.ts';

export interface Config {
  port: number;
  host: string;
  /** postgres://… when set; the embedded SQLite file otherwise */
  databaseUrl: string | undefined;
  sqliteFile: string;
  /** where residents reach the portal, for links printed in SMS and letters (PUBLIC_URL); unset: the listening address (runtime.ts publicUrl()) */
  publicUrl: string | undefined;
  /** the demo municipalities and their made-up month (SEED_DEMO; off by default on an https PUBLIC_URL) */
  seedDemo: boolean;
  /** the demo staff account without a second factor: only with the demo and never on an https PUBLIC_URL (a real deployment) */
  demoStaff: boolean;
  /** how long an invitation link works, in days (INVITE_TTL_DAYS) */
  inviteTtlDays: number;
  /**
   * key for the pseudonymous client ids of the guessing limit (RATE_LIMIT_SECRET). Unset: a
   * random one per process, which is right for one instance; several instances behind one
   * database must share one to share the counts.
   */
  rateLimitSecret: string | undefined;
  /** a staff session ends after this many minutes without a request (STAFF_IDLE_MINUTES) */
  staffIdleMinutes: number;
  /** call-back posts one client may make per 10 minutes (RATE_LIMIT_CALLBACKS); 0 = no limit */
  callbackRateLimit: number;
  /** progress updates one client may send per 10 minutes (RATE_LIMIT_PROGRESS); 0 = no limit */
  progressRateLimit: number;
  /** call-back posts naming one invitation per 24 hours (RATE_LIMIT_CALLBACKS_PER_INVITE); 0 = no limit */
  callbackInviteLimit: number;
  /** where to report a vulnerability, for /.well-known/security.txt (SECURITY_CONTACT); empty: the file answers 404 */
  securityContacts: string[];
  /** the disclosure policy security.txt links to (SECURITY_POLICY_URL; default the project's SECURITY.md) */
  securityPolicyUrl: string;
  /** the municipality's design-token CSS file or package (THEME_CSS_FILE), read at start */
  themeCssFile: string | undefined;
  /** a folder of municipality JSON files, upserted at every start (MUNICIPALITIES_DIR) */
  municipalitiesDir: string | undefined;
  /** the Bearer token /metrics wants (METRICS_TOKEN); unset: /metrics answers the machine itself only */
  metricsToken: string | undefined;
  /** the official DDAS JSON Schema every delivery is checked against (DDAS_SCHEMA_FILE); unset: ../shared/standards beside the project */
  ddasSchemaFile: string | undefined;
  /** the delivery worker of the hand-off to case systems (OUTBOX_*) */
  outbox: { pollMs: number; backoffBaseMs: number; maxAttempts: number; timeoutMs: number };
  /** SMS of the contact plan through NotifyNL (NOTIFY_*); null without a key: SMS steps wait */
  notify: { apiKey: string; baseUrl: string; templateId: string } | null;
  /** the Bearer token NotifyNL sends with delivery receipts and inbound SMS (NOTIFY_CALLBACK_TOKEN); unset: those callbacks answer 404 */
  notifyCallbackToken: string | undefined;
}

/** A configuration value that is not accepted: names the variable and what it takes, in one line. */
export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(message);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/** An optional variable: unset or only spaces counts as not given. */
const given = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

/** A whole number from `min` to `max`, `fallback` when not given. */
function whole(fallback: number, min: number, max: number, unit = ''): { schema: z.ZodType<number>; accepts: string } {
  const accepts = `a whole number${unit} from ${min} to ${max}`;
  const schema = z
    .string()
    .optional()
    .transform((v) => v?.trim() || String(fallback))
    .pipe(z.coerce.number<string>().int().min(min).max(max));
  return { schema, accepts };
}

/** A text of at least `min` characters, or not given. */
function secret(min: number, whenUnset: string): { schema: z.ZodType<string | undefined>; accepts: string } {
  return { schema: given.pipe(z.string().min(min).optional()), accepts: `at least ${min} characters (or unset: ${whenUnset})` };
}

/** A value a helper parses (and throws on): its own message says what it accepts. */
function parsedBy<T>(parse: (value: string | undefined) => T, accepts: string): { schema: z.ZodType<T>; accepts: string } {
  return {
    schema: z
      .string()
      .optional()
      .transform((value, ctx) => {
        try {
          return parse(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      }),
    accepts,
  };
}

/**
 * Every variable of the README's configuration table, with what it accepts: the one schema the
 * environment is read with, once, at start (src/cli/start.ts → createApp).
 */
export const CONFIG_VARIABLES = {
  PORT: whole(4321, 0, 65535, ' (a port; 0 picks a free one)'),
  HOST: { schema: given.pipe(z.string().default('localhost')), accepts: 'a host name or address' },
  DATABASE_URL: {
    schema: given.pipe(z.string().regex(/^postgres(ql)?:\/\//).optional()),
    accepts: 'a postgres:// address (or unset for the embedded SQLite database)',
  },
  DATABASE_FILE: { schema: given.pipe(z.string().default('.data/hulpgesprek.sqlite')), accepts: 'a file path' },
  PUBLIC_URL: {
    schema: given.pipe(z.url({ protocol: /^https?$/ }).optional()),
    accepts: 'an http:// or https:// address (or unset: the address the server listens on)',
  },
  SEED_DEMO: { schema: given.pipe(z.enum(['true', 'false']).optional()), accepts: 'true or false' },
  INVITE_TTL_DAYS: whole(90, 1, 3650, ' of days'),
  RATE_LIMIT_SECRET: secret(16, 'a random one per process'),
  RATE_LIMIT_CALLBACKS: whole(30, 0, 1_000_000, ' (0 turns the limit off)'),
  RATE_LIMIT_CALLBACKS_PER_INVITE: whole(10, 0, 1_000_000, ' (0 turns the limit off)'),
  RATE_LIMIT_PROGRESS: whole(300, 0, 1_000_000, ' (0 turns the limit off)'),
  STAFF_IDLE_MINUTES: whole(30, 1, 720, ' of minutes'),
  SECURITY_CONTACT: parsedBy(parseSecurityContacts, 'mailto:, https:// or tel: addresses, comma separated'),
  SECURITY_POLICY_URL: parsedBy(parseSecurityPolicy, 'an https:// address'),
  THEME_CSS_FILE: { schema: given, accepts: 'a path or an npm package file' },
  MUNICIPALITIES_DIR: { schema: given, accepts: 'a folder path' },
  METRICS_TOKEN: secret(16, 'then /metrics answers only the machine itself'),
  DDAS_SCHEMA_FILE: { schema: given, accepts: 'a file path (the official json_schema_Uitwisselmodel.json)' },
  OUTBOX_POLL_MS: whole(5_000, 10, 3_600_000, ' of milliseconds'),
  OUTBOX_BACKOFF_BASE_MS: whole(30_000, 1, 3_600_000, ' of milliseconds'),
  OUTBOX_MAX_ATTEMPTS: whole(10, 1, 100),
  OUTBOX_TIMEOUT_MS: whole(10_000, 100, 120_000, ' of milliseconds'),
  NOTIFY_API_KEY: parsedBy(parseNotifyKey, 'a NotifyNL API key, name-<service id>-<secret> (or unset: no SMS is sent)'),
  NOTIFY_BASE_URL: {
    schema: given.pipe(z.url({ protocol: /^https?$/ }).default('https://api.notifynl.nl')),
    accepts: 'an http:// or https:// address',
  },
  NOTIFY_SMS_TEMPLATE_ID: parsedBy(parseTemplateId, 'the id (a UUID) of the SMS template whose whole text is ((bericht))'),
  NOTIFY_CALLBACK_TOKEN: secret(16, 'then the receipt and inbound SMS routes answer 404'),
} as const;

const configSchema = z.object(
  Object.fromEntries(Object.entries(CONFIG_VARIABLES).map(([name, v]) => [name, v.schema])) as {
    [K in keyof typeof CONFIG_VARIABLES]: (typeof CONFIG_VARIABLES)[K]['schema'];
  },
);

/**
 * The configuration from the environment. Throws a ConfigError for the first value that is not
 * accepted; the launcher prints its one line and stops.
 */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0] as z.core.$ZodIssue;
    const variable = String(issue.path[0]) as keyof typeof CONFIG_VARIABLES;
    // a helper's own message already names the variable and what it takes
    if (issue.code === 'custom') throw new ConfigError(variable, issue.message);
    throw new ConfigError(variable, `${variable} must be ${CONFIG_VARIABLES[variable].accepts}, got "${env[variable] ?? ''}"`);
  }
  const v = result.data;
  return {
    port: v.PORT,
    host: v.HOST,
    databaseUrl: v.DATABASE_URL,
    sqliteFile: resolve(v.DATABASE_FILE),
    publicUrl: v.PUBLIC_URL?.replace(/\/$/, ''),
    // a real deployment (https) gets the demo only when asked for it, and never its password-only account
    seedDemo: v.SEED_DEMO === undefined ? !v.PUBLIC_URL?.startsWith('https:') : v.SEED_DEMO === 'true',
    demoStaff: (v.SEED_DEMO === undefined ? !v.PUBLIC_URL?.startsWith('https:') : v.SEED_DEMO === 'true') && !v.PUBLIC_URL?.startsWith('https:'),
    inviteTtlDays: v.INVITE_TTL_DAYS,
    rateLimitSecret: v.RATE_LIMIT_SECRET,
    staffIdleMinutes: v.STAFF_IDLE_MINUTES,
    callbackRateLimit: v.RATE_LIMIT_CALLBACKS,
    progressRateLimit: v.RATE_LIMIT_PROGRESS,
    callbackInviteLimit: v.RATE_LIMIT_CALLBACKS_PER_INVITE,
    securityContacts: v.SECURITY_CONTACT,
    securityPolicyUrl: v.SECURITY_POLICY_URL,
    themeCssFile: v.THEME_CSS_FILE,
    municipalitiesDir: v.MUNICIPALITIES_DIR ? resolve(v.MUNICIPALITIES_DIR) : undefined,
    metricsToken: v.METRICS_TOKEN,
    ddasSchemaFile: v.DDAS_SCHEMA_FILE ? resolve(v.DDAS_SCHEMA_FILE) : undefined,
    outbox: {
      pollMs: v.OUTBOX_POLL_MS,
      backoffBaseMs: v.OUTBOX_BACKOFF_BASE_MS,
      maxAttempts: v.OUTBOX_MAX_ATTEMPTS,
      timeoutMs: v.OUTBOX_TIMEOUT_MS,
    },
    notify: v.NOTIFY_API_KEY ? { apiKey: v.NOTIFY_API_KEY, baseUrl: v.NOTIFY_BASE_URL.replace(/\/$/, ''), templateId: requiredTemplate(v.NOTIFY_SMS_TEMPLATE_ID) } : null,
    notifyCallbackToken: v.NOTIFY_CALLBACK_TOKEN,
  };
}

function parseNotifyKey(value: string | undefined): string | undefined {
  const key = value?.trim();
  if (!key) return undefined;
  if (!isNotifyKey(key)) throw new Error('NOTIFY_API_KEY must be a NotifyNL API key as the service shows it once: name-<service id>-<secret>');
  return key;
}

function parseTemplateId(value: string | undefined): string | undefined {
  const id = value?.trim().toLowerCase();
  if (!id) return undefined;
  if (!isId(id)) throw new Error(`NOTIFY_SMS_TEMPLATE_ID must be the id (a UUID) of the SMS template, got "${value ?? ''}"`);
  return id;
}

/** A key without a template sends nothing: said at start, not at the first SMS. */
function requiredTemplate(id: string | undefined): string {
  if (!id) throw new ConfigError('NOTIFY_SMS_TEMPLATE_ID', 'NOTIFY_SMS_TEMPLATE_ID must be set when NOTIFY_API_KEY is: the id of the SMS template whose whole text is ((bericht))');
  return id;
}

/** For the command-line tools: the configuration, or one line on stderr naming the wrong variable and exit code 1. */
export function configOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return parseConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Configuration: ${error.message}`);
    process.exit(1);
  }
}
