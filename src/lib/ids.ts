// SPDX-License-Identifier: EUPL-1.2
/** The one id check: ids here are lower-case UUIDs (crypto.randomUUID), in the browser and on the server. */
/** For schemas (zod `.regex(ID_PATTERN)`), so they check ids as the code does. */
export const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}
