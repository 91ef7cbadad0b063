// SPDX-License-Identifier: EUPL-1.2
/**
 * Opens the database (PostgreSQL when given a postgres:// URL, else an embedded SQLite file),
 * and runs and reports the schema migrations that both share.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { Kysely, PostgresDialect, SqliteAdapter, SqliteDialect, sql } from 'kysely';
import type { DialectAdapter, SqliteDatabase, SqliteStatement } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import pg from 'pg';
import { log } from '../log.ts';
import * as m001 from './migrations/001-initial.ts';
import * as m002 from './migrations/002-invites.ts';
import * as m003 from './migrations/003-staff.ts';
import * as m004 from './migrations/004-outbox.ts';
import * as m005 from './migrations/005-ddas.ts';
import * as m006 from './migrations/006-batch-rows.ts';
import * as m007 from './migrations/007-ddas-contact.ts';
import * as m008 from './migrations/008-api-key-scopes.ts';
import * as m009 from './migrations/009-contact-plan.ts';
import * as m010 from './migrations/010-sms.ts';
import * as m011 from './migrations/011-sms-sent-index.ts';
import type { Database } from './schema.ts';

export type StoreDialect = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: StoreDialect;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** `postgres://` or `postgresql://`; when absent or empty, SQLite is used. */
  databaseUrl?: string;
  /** SQLite file path (folder is created); `:memory:` for a throwaway database. */
  sqliteFile?: string;
}

export const DEFAULT_SQLITE_FILE = '.data/hulpgesprek.sqlite';

/** Every migration, by name; names sort in the order they must run. */
const MIGRATIONS: Record<string, Migration> = {
  '001-initial': m001,
  '002-invites': m002,
  '003-staff': m003,
  '004-outbox': m004,
  '005-ddas': m005,
  '006-batch-rows': m006,
  '007-ddas-contact': m007,
  '008-api-key-scopes': m008,
  '009-contact-plan': m009,
  '010-sms': m010,
  '011-sms-sent-index': m011,
};

export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const url = options.databaseUrl?.trim();
  if (url) {
    if (/^postgres(ql)?:\/\//i.test(url)) return openPostgres(url);
    // A typo such as `postgress://` must not quietly send production data to a local file.
    throw new Error(
      'DATABASE_URL must start with postgres:// or postgresql://; leave it empty to use SQLite',
    );
  }
  return openSqlite(options.sqliteFile ?? DEFAULT_SQLITE_FILE);
}

function openPostgres(connectionString: string): Store {
  const pool = new pg.Pool({
    connectionString,
    // Without a timeout a ping against an unreachable server hangs instead of reporting false.
    connectionTimeoutMillis: 5_000,
    types: { getTypeParser: pgTypeParser },
  });
  // An idle client losing its connection (server restart) emits 'error'; unhandled, that
  // would crash the process. The pool replaces the client on the next checkout.
  pool.on('error', (error) => {
    log.error({ action: 'store.idle-error', origin: 'store', err: error }, 'idle PostgreSQL connection failed');
  });
  pool.on('connect', usePreparedStatements);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closed: Promise<void> | undefined;
  return {
    db,
    dialect: 'postgres',
    close: () => (closed ??= db.destroy()),
  };
}

/** SQL text → statement name, for the statements run on every request (see `prepared`). */
const PREPARED = new Map<string, string>();

/**
 * Marks one statement's SQL text to be prepared once per PostgreSQL connection and then only
 * executed: the server parses and plans it once instead of on every request. Only for a fixed
 * text (values as parameters); SQLite ignores it (node:sqlite statements are compiled anyway).
 */
export function prepared(sqlText: string): string {
  if (!PREPARED.has(sqlText)) PREPARED.set(sqlText, `hg_${PREPARED.size + 1}`);
  return sqlText;
}

/** Kysely hands pg a text and values; a text marked `prepared` goes as a named statement instead. */
function usePreparedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (text: unknown, ...rest: unknown[]) => {
    const name = typeof text === 'string' ? PREPARED.get(text) : undefined;
    return name === undefined ? query(text, ...rest) : query({ name, text, values: rest[0] }, ...rest.slice(1));
  };
}

const PG_INT8_OID = 20;

// count(*) and other int8 results arrive as strings by default; numbers are what SQLite gives,
// so both dialects hand the same type to callers. Beyond 2^53 a number would lie, so BigInt.
const pgTypeParser = ((oid: number, format?: 'text' | 'binary') => {
  if (oid === PG_INT8_OID && format !== 'binary') {
    return (value: string) => {
      const n = Number(value);
      return Number.isSafeInteger(n) ? n : BigInt(value);
    };
  }
  return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid);
}) as typeof pg.types.getTypeParser;

function openSqlite(file: string): Store {
  const inMemory = file === ':memory:';
  if (!inMemory) mkdirSync(dirname(resolve(file)), { recursive: true });
  const raw = new DatabaseSync(file);
  try {
    // busy_timeout first, so the journal-mode switch waits for another process holding a lock.
    raw.exec('PRAGMA busy_timeout=5000');
    if (!inMemory) {
      const mode = raw.prepare('PRAGMA journal_mode=WAL').get()?.['journal_mode'];
      if (mode !== 'wal')
        throw new Error(`SQLite refused WAL mode for ${file} (got ${String(mode)})`);
    }
    // FULL: a commit is on disk before we answer 201, so it survives a kill or power cut.
    raw.exec('PRAGMA synchronous=FULL');
    raw.exec('PRAGMA foreign_keys=ON');
  } catch (error) {
    raw.close();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new SqliteMigrationSafeDialect({ database: sqliteAdapter(raw) }) });
  let closed: Promise<void> | undefined;
  return {
    db,
    dialect: 'sqlite',
    close: () =>
      (closed ??= db.destroy().then(() => {
        // Kysely only closes the database if a query ever ran.
        if (raw.isOpen) raw.close();
      })),
  };
}

/**
 * Kysely takes no migration lock on SQLite and runs migrations outside a transaction, so two
 * processes starting on one file both apply the pending ones and one fails. SQLite does run DDL
 * in transactions: saying so makes the migrator run in one, which begins IMMEDIATE (below),
 * so the second process waits for the first and then finds nothing pending.
 */
class SqliteMigrationSafeDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new SqliteTransactionalDdlAdapter();
  }
}

class SqliteTransactionalDdlAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** Presents node:sqlite's DatabaseSync in the better-sqlite3 shape Kysely's SqliteDialect expects. */
function sqliteAdapter(raw: DatabaseSync): SqliteDatabase {
  // Kysely prepares every query anew; the same few statements serve every request, so they are
  // kept (Kysely runs one query at a time on this connection, so a statement is never shared).
  const prepared = new Map<string, ReturnType<DatabaseSync['prepare']>>();
  const prepareOnce = (sql: string) => {
    let stmt = prepared.get(sql);
    if (!stmt) {
      if (prepared.size >= 500) prepared.clear();
      stmt = raw.prepare(sql);
      prepared.set(sql, stmt);
    }
    return stmt;
  };
  return {
    close() {
      prepared.clear();
      if (raw.isOpen) raw.close();
    },
    prepare(text: string): SqliteStatement {
      // Kysely opens transactions with a plain (deferred) BEGIN. A deferred transaction that
      // reads and then writes fails at once with SQLITE_BUSY when another process wrote in
      // between, without waiting for busy_timeout; IMMEDIATE takes the write lock up front.
      const stmt = prepareOnce(text.trim().toLowerCase() === 'begin' ? 'BEGIN IMMEDIATE' : text);
      return {
        reader: stmt.columns().length > 0,
        all: (params) => stmt.all(...toSqlite(params)).map(plainRow),
        run: (params) => {
          const { changes, lastInsertRowid } = stmt.run(...toSqlite(params));
          return { changes, lastInsertRowid };
        },
        iterate: function* (params) {
          for (const row of stmt.iterate(...toSqlite(params))) yield plainRow(row);
        },
      };
    },
  };
}

function toSqlite(params: ReadonlyArray<unknown>): SQLInputValue[] {
  // node:sqlite rejects booleans; everything else it cannot bind fails loudly on its own.
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : (p as SQLInputValue)));
}

// node:sqlite rows have a null prototype; pg rows are ordinary objects. Callers get one shape.
function plainRow(row: object): Record<string, unknown> {
  return { ...row };
}

function createMigrator(store: Store, migrationTableSchema?: string): Migrator {
  return new Migrator({
    db: store.db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableSchema,
  });
}

// Kysely decides whether its bookkeeping table exists by looking in every schema, so on a
// database where another schema already has one it would skip creating ours. Naming the
// current schema (the first on search_path) keeps the check to where our tables live.
async function migratorFor(store: Store): Promise<Migrator> {
  if (store.dialect !== 'postgres') return createMigrator(store);
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(
    store.db,
  );
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('PostgreSQL has no current schema: check search_path');
  return createMigrator(store, schema);
}

/** Applies every pending migration; returns the names applied now. Throws if any fails. */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = await migratorFor(store);
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      failed ? `Migration ${failed} failed: ${reason}` : `Migrating the database failed: ${reason}`,
      { cause: error },
    );
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Applies the migrations up to and including `name` (tests of a migration build the schema before it). */
export async function migrateTo(store: Store, name: string): Promise<void> {
  const { error } = await (await migratorFor(store)).migrateTo(name);
  if (error !== undefined) throw error instanceof Error ? error : new Error(String(error));
}

export async function migrationStatus(
  store: Store,
): Promise<{ applied: string[]; pending: string[] }> {
  const migrator = await migratorFor(store);
  const migrations = await migrator.getMigrations();
  return {
    applied: migrations.filter((m) => m.executedAt !== undefined).map((m) => m.name),
    pending: migrations.filter((m) => m.executedAt === undefined).map((m) => m.name),
  };
}

/** True when the database answers a trivial query; never throws (for health checks). */
export async function pingStore(store: Store): Promise<boolean> {
  try {
    await sql`select 1`.execute(store.db);
    return true;
  } catch {
    return false;
  }
}

export type { Database } from './schema.ts';

/**
 * Lets waiting requests in between the chunks of a long job. The embedded SQLite answers
 * synchronously, so a loop of awaited statements would otherwise hold the event loop for the
 * whole batch (5,000 cases: half a second in which no resident page is answered).
 */
export function breather(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
