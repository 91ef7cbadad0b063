// SPDX-License-Identifier: EUPL-1.2
// Throwaway stores for the contract tests: a temp SQLite file always, a fresh PostgreSQL schema when TEST_DATABASE_URL is set.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { migrateToLatest, openStore, type Store, type StoreDialect, type StoreOptions } from '../../src/server/store/index.ts';
import { upsertMunicipality } from '../../src/server/store/municipalities.ts';

/** The PostgreSQL server to test against; without it the PostgreSQL targets are skipped. */
export const pgUrl = process.env['TEST_DATABASE_URL'];

/** One open store and how to close it and throw its database away. */
export interface Opened {
  store: Store;
  cleanup(): Promise<void>;
}

/** Two stores on one (migrated) database, as two instances of the app would have. */
export interface Pair {
  a: Store;
  b: Store;
  cleanup(): Promise<void>;
}

/** A database to run one suite of contract tests against. */
export interface ContractTarget<T> {
  name: StoreDialect;
  open: () => Promise<T>;
  skip: boolean;
}

/** Says, once per calling file, that its PostgreSQL tests (`what`) are skipped when TEST_DATABASE_URL is not set. */
export function noticeSkipped(what: string): void {
  if (!pgUrl) console.log(`PostgreSQL ${what} skipped: TEST_DATABASE_URL not set`);
}

/** Where a throwaway database lives: how to open stores on it, and how to close them and throw it away. */
interface TempDatabase {
  options: StoreOptions;
  release(closeStores: () => Promise<void>): Promise<void>;
}

function sqliteTempDatabase(prefix: string, file: string): TempDatabase {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    options: { sqliteFile: join(dir, file) },
    async release(closeStores) {
      await closeStores();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresTempDatabase(): Promise<TempDatabase> {
  const url = pgUrl ?? '';
  const schema = `hg_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  // Every pooled connection starts with only the test schema on its search_path.
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return {
    options: { databaseUrl: scoped.toString() },
    async release(closeStores) {
      try {
        await closeStores();
        await admin.query(`drop schema ${schema} cascade`);
      } finally {
        await admin.end();
      }
    },
  };
}

async function openOne(database: TempDatabase): Promise<Opened> {
  const store = await openStore(database.options);
  return {
    store,
    cleanup: () => database.release(() => store.close()),
  };
}

async function openPair(database: TempDatabase): Promise<Pair> {
  const a = await openStore(database.options);
  await migrateToLatest(a);
  const b = await openStore(database.options);
  return {
    a,
    b,
    cleanup: () =>
      database.release(async () => {
        await a.close();
        await b.close();
      }),
  };
}

/** An unmigrated store on `file` (relative, may name folders that do not exist yet) in a new temp folder. */
export async function openSqliteTemp(prefix = 'hg-store-', file = 'store.db'): Promise<Opened> {
  return openOne(sqliteTempDatabase(prefix, file));
}

/** An unmigrated store in a fresh schema `hg_test_<random>` on TEST_DATABASE_URL, dropped by cleanup. */
export async function openPostgresTemp(): Promise<Opened> {
  return openOne(await postgresTempDatabase());
}

export async function openSqlitePair(prefix = 'hg-store-'): Promise<Pair> {
  return openPair(sqliteTempDatabase(prefix, 'store.db'));
}

export async function openPostgresPair(): Promise<Pair> {
  return openPair(await postgresTempDatabase());
}

/** SQLite always, PostgreSQL skipped unless TEST_DATABASE_URL is set; see openSqliteTemp for the arguments. */
export function contractTargets(prefix?: string, file?: string): ContractTarget<Opened>[] {
  return [
    { name: 'sqlite', open: () => openSqliteTemp(prefix, file), skip: false },
    { name: 'postgres', open: openPostgresTemp, skip: !pgUrl },
  ];
}

/** Like contractTargets, with two stores on one database. */
export function pairTargets(prefix?: string): ContractTarget<Pair>[] {
  return [
    { name: 'sqlite', open: () => openSqlitePair(prefix), skip: false },
    { name: 'postgres', open: openPostgresPair, skip: !pgUrl },
  ];
}

/** Adds municipalities by name, each with the lower-cased name as slug and an empty config. */
export async function seedMunicipalities(store: Store, ...names: string[]): Promise<void> {
  for (const name of names) await upsertMunicipality(store, { slug: name.toLowerCase(), name, config: {} });
}

/**
 * In a describe block: before its tests, opens a store with `open`, hands it to `use`, migrates it
 * and adds `municipalities` (see seedMunicipalities); after them, closes it and throws it away.
 */
export function useMigratedStore(open: () => Promise<Opened>, use: (store: Store) => void, ...municipalities: string[]): void {
  let opened: Opened | undefined;

  beforeAll(async () => {
    opened = await open();
    use(opened.store);
    await migrateToLatest(opened.store);
    await seedMunicipalities(opened.store, ...municipalities);
  });

  afterAll(async () => {
    await opened?.cleanup();
  });
}
