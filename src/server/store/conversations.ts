// SPDX-License-Identifier: EUPL-1.2
/**
 * Conversation progress: where a resident got to and which answer codes they gave, so drop-off
 * can be counted per step. Holds no personal data.
 */
import type { Store } from './index.ts';
import type { ConversationRow } from './schema.ts';

export type ConversationOutcome = 'callback' | 'self';

export interface ConversationProgressInput {
  id: string;
  municipality: string;
  channel: string;
  language: string;
  topic: string | null;
  inviteId: string | null;
  lastStep: string;
  /** Answer codes only; never free text or personal data. */
  answers: Record<string, unknown>;
  outcome: ConversationOutcome | null;
  finished: boolean;
}

export interface Conversation {
  id: string;
  municipality: string;
  channel: string;
  language: string;
  topic: string | null;
  inviteId: string | null;
  lastStep: string;
  answers: Record<string, unknown>;
  outcome: ConversationOutcome | null;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/**
 * Inserts the conversation on its first save and updates it on later ones. `started_at` is
 * never overwritten and `finished_at` is set only the first time `finished` is true.
 * Returns false when the id already belongs to another municipality or is finished (nothing is changed).
 */
export async function upsertConversationProgress(
  store: Store,
  input: ConversationProgressInput,
): Promise<boolean> {
  const now = new Date().toISOString();
  const answers = JSON.stringify(input.answers);
  const result = await store.db
    .insertInto('conversations')
    .values({
      id: input.id,
      municipality: input.municipality,
      channel: input.channel,
      language: input.language,
      topic: input.topic,
      invite_id: input.inviteId,
      last_step: input.lastStep,
      answers,
      outcome: input.outcome,
      started_at: now,
      updated_at: now,
      finished_at: input.finished ? now : null,
    })
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet((eb) => ({
          channel: input.channel,
          language: input.language,
          topic: input.topic,
          invite_id: input.inviteId,
          last_step: input.lastStep,
          answers,
          outcome: input.outcome,
          updated_at: now,
          finished_at: eb.fn.coalesce('conversations.finished_at', 'excluded.finished_at'),
        }))
        // Ids come from the browser; one municipality's conversation cannot be taken over
        // by a request made on another's site.
        .where('conversations.municipality', '=', input.municipality)
        // A finished conversation is final: a late progress report cannot undo its outcome.
        .where('conversations.finished_at', 'is', null),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function getConversation(store: Store, id: string): Promise<Conversation | undefined> {
  const row = await store.db
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toConversation(row);
}

function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    municipality: row.municipality,
    channel: row.channel,
    language: row.language,
    topic: row.topic,
    inviteId: row.invite_id,
    lastStep: row.last_step,
    answers: JSON.parse(row.answers) as Record<string, unknown>,
    outcome: row.outcome,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}
