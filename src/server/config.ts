// SPDX-License-Identifier: EUPL-1.2
/** All runtime settings, from environment variables only (the README has the table). */
import { resolve } from 'node:path';
import { parseSecurityContacts, parseSecurityPolicy } from './security-txt.ts';

export interface Config {
  port: number;
  host: string;
  /** postgres://… when set; the embedded SQLite file otherwise */
  databaseUrl: string | undefined;
  sqliteFile: string;
  /** where residents reach the portal, for links printed in SMS and letters */
  publicUrl: string;
  seedDemo: boolean;
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
  /** the delivery worker of the hand-off to case systems (OUTBOX_*) */
  outbox: { pollMs: number; backoffBaseMs: number; maxAttempts: number; timeoutMs: number };
}

function wholeFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const value = Number(env[name]?.trim() || fallback);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${env[name]}"`);
  return value;
}

function limitFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name]?.trim() || fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number (0 turns the limit off), got "${env[name]}"`);
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 4321);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number (0 picks a free one), got "${env.PORT}"`);
  const host = env.HOST ?? 'localhost';
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must start with postgres:// (leave it unset for the embedded SQLite database)');
  }
  const inviteTtlDays = Number(env.INVITE_TTL_DAYS?.trim() || 90);
  if (!Number.isInteger(inviteTtlDays) || inviteTtlDays < 1 || inviteTtlDays > 3650) {
    throw new Error(`INVITE_TTL_DAYS must be a whole number of days from 1 to 3650, got "${env.INVITE_TTL_DAYS}"`);
  }
  const rateLimitSecret = env.RATE_LIMIT_SECRET?.trim() || undefined;
  if (rateLimitSecret !== undefined && rateLimitSecret.length < 16) {
    throw new Error('RATE_LIMIT_SECRET must be at least 16 characters (or unset for a random one per process)');
  }
  const staffIdleMinutes = Number(env.STAFF_IDLE_MINUTES?.trim() || 30);
  if (!Number.isInteger(staffIdleMinutes) || staffIdleMinutes < 1 || staffIdleMinutes > 720) {
    throw new Error(`STAFF_IDLE_MINUTES must be a whole number of minutes from 1 to 720, got "${env.STAFF_IDLE_MINUTES}"`);
  }
  const metricsToken = env.METRICS_TOKEN?.trim() || undefined;
  if (metricsToken !== undefined && metricsToken.length < 16) {
    throw new Error('METRICS_TOKEN must be at least 16 characters (or unset: then /metrics answers only the machine itself)');
  }
  return {
    port,
    host,
    databaseUrl,
    sqliteFile: resolve(env.DATABASE_FILE ?? '.data/hulpgesprek.sqlite'),
    publicUrl: (env.PUBLIC_URL ?? `http://${host}:${port}`).replace(/\/$/, ''),
    seedDemo: env.SEED_DEMO !== 'false',
    inviteTtlDays,
    rateLimitSecret,
    staffIdleMinutes,
    callbackRateLimit: limitFrom(env, 'RATE_LIMIT_CALLBACKS', 30),
    progressRateLimit: limitFrom(env, 'RATE_LIMIT_PROGRESS', 300),
    callbackInviteLimit: limitFrom(env, 'RATE_LIMIT_CALLBACKS_PER_INVITE', 10),
    securityContacts: parseSecurityContacts(env.SECURITY_CONTACT),
    securityPolicyUrl: parseSecurityPolicy(env.SECURITY_POLICY_URL),
    themeCssFile: env.THEME_CSS_FILE?.trim() || undefined,
    municipalitiesDir: env.MUNICIPALITIES_DIR?.trim() ? resolve(env.MUNICIPALITIES_DIR.trim()) : undefined,
    metricsToken,
    outbox: {
      pollMs: wholeFrom(env, 'OUTBOX_POLL_MS', 5_000, 10, 3_600_000),
      backoffBaseMs: wholeFrom(env, 'OUTBOX_BACKOFF_BASE_MS', 30_000, 1, 3_600_000),
      maxAttempts: wholeFrom(env, 'OUTBOX_MAX_ATTEMPTS', 10, 1, 100),
      timeoutMs: wholeFrom(env, 'OUTBOX_TIMEOUT_MS', 10_000, 100, 120_000),
    },
  };
}
