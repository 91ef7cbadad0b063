// SPDX-License-Identifier: EUPL-1.2
/**
 * A shared tablet ("samen invullen"): everything the portal left on it goes before the next
 * resident, and a conversation left alone for 5 minutes is wiped. Loaded in staff mode only.
 */

const IDLE_MS = 5 * 60_000;

/** Everything this portal left on the device, gone. */
export function wipeDevice(): void {
  for (const name of ['localStorage', 'sessionStorage'] as const) {
    let storage: Storage;
    try {
      storage = window[name];
    } catch {
      continue;
    }
    for (const key of Object.keys(storage)) if (key.startsWith('hulpgesprek:')) storage.removeItem(key);
  }
}

/** Calls `onIdle` after 5 minutes without a tap, a key or typing; the answer stops watching. */
export function whenIdle(onIdle: () => void): () => void {
  let timer = setTimeout(onIdle, IDLE_MS);
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(onIdle, IDLE_MS);
  };
  const types = ['pointerdown', 'keydown', 'input'];
  for (const type of types) window.addEventListener(type, touch);
  return () => {
    clearTimeout(timer);
    for (const type of types) window.removeEventListener(type, touch);
  };
}
