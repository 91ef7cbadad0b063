// SPDX-License-Identifier: EUPL-1.2
/** The process-wide store, opened once from the configuration on first use. */
import { readConfig } from './config.ts';
import { openStore, type Store } from './store/index.ts';

let storePromise: Promise<Store> | undefined;

export function getStore(): Promise<Store> {
  if (!storePromise) {
    const config = readConfig();
    storePromise = openStore({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
  }
  return storePromise;
}

export async function closeStore(): Promise<void> {
  if (!storePromise) return;
  const store = await storePromise;
  storePromise = undefined;
  await store.close();
}
