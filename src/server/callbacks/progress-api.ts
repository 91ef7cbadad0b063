// SPDX-License-Identifier: EUPL-1.2
/** HTTP side of conversation progress: codes only, so reach can be counted without personal data. */
import { z } from 'zod';
import { CHANNELS, TOPICS } from '../../../flows/resident.ts';
import { answerCodeProblems, STATE_NAMES } from '../../lib/conversation.ts';
import { isId } from '../../lib/ids.ts';
import { LANGUAGES, type LanguageCode } from '../../lib/languages.ts';
import { findMunicipality } from '../municipalities.ts';
import type { Api } from '../http/server.ts';
import { idText, invalidFields, problems } from '../http/problem.ts';
import { appConfig, getStore } from '../runtime.ts';
import { upsertConversationProgress } from '../store/conversations.ts';
import { getInvite } from '../store/invites.ts';
import { clientLimit } from './api.ts';

const code = z.string().max(40).regex(/^[A-Za-z-]*$/);
export const progressSchema = z
  .strictObject({
  municipality: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/),
  channel: z.enum(CHANNELS),
  language: z.enum(Object.keys(LANGUAGES) as [LanguageCode, ...LanguageCode[]]),
  topic: z.enum(TOPICS).nullable(),
  inviteId: z.string().max(64).nullable(),
  lastStep: z.enum(STATE_NAMES as unknown as [string, ...string[]]),
  answers: z.record(z.string().max(40), z.union([code, z.array(code).max(12), z.null()])),
  outcome: z.enum(['callback', 'self']).nullable(),
  finished: z.boolean(),
  })
  .meta({ id: 'Gesprek' });

export async function progressRoutes(api: Api): Promise<void> {
  api.put(
    '/gesprekken/:id',
    {
      onRequest: clientLimit('progress-put', () => appConfig().progressRateLimit),
      config: { accept: ['json', 'form'], notFound: 'No such conversation id.' },
      schema: {
        operationId: 'putGesprek',
        summary: 'How far a conversation got (codes only, no personal data)',
        params: z.object({ id: idText }),
        body: progressSchema,
        response: {
          204: z.null().describe('Recorded'),
          ...problems({
            400: 'Broken JSON',
            404: 'Not a conversation id',
            413: 'Body over 16 KB',
            415: 'Not JSON',
            422: 'Invalid fields',
            429: 'Too many updates from this network (Retry-After says when to try again)',
          }),
        },
      },
    },
    async (request, reply) => {
      const store = await getStore();
      const body = request.body;
      if (!(await findMunicipality(store, body.municipality))) {
        return invalidFields(reply, [{ name: 'municipality', code: 'unknown', reason: 'No such municipality.' }]);
      }
      // only what the flow counts: its code fields with the codes it offers
      const unknown = answerCodeProblems(body.answers);
      if (unknown.length > 0) {
        return invalidFields(
          reply,
          unknown.map((p) => ({ name: `answers.${p.field}`, code: p.code, reason: p.code === 'unknownField' ? 'The conversation has no such answer.' : 'Not one of the codes this answer offers.' })),
        );
      }
      // an invitation of this municipality that exists, or none: progress cannot be pinned on another's link
      if (body.inviteId !== null) {
        const invite = isId(body.inviteId) ? await getInvite(store, body.inviteId) : undefined;
        if (!invite || invite.municipality !== body.municipality) return invalidFields(reply, [{ name: 'inviteId', code: 'unknown', reason: 'No such invitation.' }]);
      }
      await upsertConversationProgress(store, { id: request.params.id, ...body });
      return reply.code(204).send(null);
    },
  );
}
