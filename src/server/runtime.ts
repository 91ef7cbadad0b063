// SPDX-License-Identifier: EUPL-1.2
/**
 * The running app's configuration and store, for the pages and routes: set once by createApp
 * (src/server/app.ts). Outside the app (the Astro dev server, tests that call a route directly)
 * the environment is parsed once, on first use, and the store opened from it.
 */
import { parseConfig, type Config } from './config.ts';
import { openStore, type Store } from './store/index.ts';

interface Runtime {
  config: Config;
  store: Promise<Store> | undefined;
  /** where the server listens, once it does (PUBLIC_URL's default) */
  listening: string | undefined;
}

let runtime: Runtime | undefined;

function current(): Runtime {
  return (runtime ??= { config: parseConfig(), store: undefined, listening: undefined });
}

/** Called by createApp: from now on every page and route uses this configuration and store. */
export function useRuntime(config: Config, store: Store): void {
  runtime = { config, store: Promise.resolve(store), listening: undefined };
}

/** The address the server listens on (the launcher knows it only after listen, e.g. with PORT=0). */
export function setListeningAddress(base: string): void {
  current().listening = base;
}

export function appConfig(): Config {
  return current().config;
}

/** Where residents reach the portal: PUBLIC_URL, else the address the server listens on. */
export function publicUrl(): string {
  const { config, listening } = current();
  return config.publicUrl ?? listening ?? `http://${config.host}:${config.port}`;
}

export function getStore(): Promise<Store> {
  const r = current();
  return (r.store ??= openStore({ databaseUrl: r.config.databaseUrl, sqliteFile: r.config.sqliteFile }));
}

export async function closeStore(): Promise<void> {
  const store = runtime?.store;
  if (!store) return;
  runtime = undefined;
  await (await store).close();
}
