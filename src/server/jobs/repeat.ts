// SPDX-License-Identifier: EUPL-1.2
/**
 * The timer scaffold the server's jobs share: `run` once after `firstAfterMs`, then every
 * `everyMs`. Both timers are unref'd, so they never keep the process alive. The returned
 * function stops both. `run` handles its own errors: a returned promise is not awaited here.
 */
export function repeat(run: () => void | Promise<unknown>, everyMs: number, firstAfterMs: number): () => void {
  const first = setTimeout(run, firstAfterMs);
  first.unref();
  const every = setInterval(run, everyMs);
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
