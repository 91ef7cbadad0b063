// SPDX-License-Identifier: EUPL-1.2
/** All runtime settings, from environment variables only (the README has the table). */
import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** postgres://… when set; the embedded SQLite file otherwise */
  databaseUrl: string | undefined;
  sqliteFile: string;
  /** where residents reach the portal, for links printed in SMS and letters */
  publicUrl: string;
  seedDemo: boolean;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 4321);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number (0 picks a free one), got "${env.PORT}"`);
  const host = env.HOST ?? 'localhost';
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must start with postgres:// (leave it unset for the embedded SQLite database)');
  }
  return {
    port,
    host,
    databaseUrl,
    sqliteFile: resolve(env.DATABASE_FILE ?? '.data/hulpgesprek.sqlite'),
    publicUrl: (env.PUBLIC_URL ?? `http://${host}:${port}`).replace(/\/$/, ''),
    seedDemo: env.SEED_DEMO !== 'false',
  };
}
