// SPDX-License-Identifier: EUPL-1.2
/** HTTP side of conversation progress: codes only, so reach can be counted without personal data. */
import { isId } from '../../lib/ids.ts';
import { z } from 'zod';
import { CHANNELS, TOPICS } from '../../../flows/resident.ts';
import { STATE_NAMES } from '../../lib/conversation.ts';
import { LANGUAGES, type LanguageCode } from '../../lib/languages.ts';
import { findMunicipality } from '../municipalities.ts';
import { overClientLimit } from '../http/rate-limit.ts';
import { appConfig, getStore } from '../runtime.ts';
import { upsertConversationProgress } from '../store/conversations.ts';
import { invalidBody, problem, readBody, tooManyRequests } from '../http/problem.ts';

const code = z.string().max(40).regex(/^[A-Za-z-]*$/);
export const progressSchema = z.strictObject({
  municipality: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/),
  channel: z.enum(CHANNELS),
  language: z.enum(Object.keys(LANGUAGES) as [LanguageCode, ...LanguageCode[]]),
  topic: z.enum(TOPICS).nullable(),
  inviteId: z.string().max(64).nullable(),
  lastStep: z.enum(STATE_NAMES as unknown as [string, ...string[]]),
  answers: z.record(z.string().max(40), z.union([code, z.array(code).max(12), z.null()])),
  outcome: z.enum(['callback', 'self']).nullable(),
  finished: z.boolean(),
});

export async function handleConversationProgress(request: Request, id: string, clientAddress: string | undefined): Promise<Response> {
  const limited = await overClientLimit(await getStore(), 'progress-put', appConfig().progressRateLimit, clientAddress);
  if (limited) return tooManyRequests(limited.retryAfterSeconds);
  if (!isId(id)) {
    return problem({ status: 404, title: 'Not Found', detail: 'No such conversation id.' });
  }
  const body = await readBody(request, (form) => Object.fromEntries(form));
  if (!body.ok) return body.response;
  const parsed = progressSchema.safeParse(body.value);
  if (!parsed.success) return invalidBody(parsed.error, body.value);
  const store = await getStore();
  if (!(await findMunicipality(store, parsed.data.municipality))) {
    return problem({
      status: 422,
      title: 'Unprocessable Content',
      detail: 'One or more fields are not valid.',
      invalidParams: [{ name: 'municipality', code: 'unknown', reason: 'No such municipality.' }],
    });
  }
  await upsertConversationProgress(store, { id, ...parsed.data });
  return new Response(null, { status: 204, headers: { 'API-Version': '1.0.0', 'Cache-Control': 'no-store' } });
}
