// SPDX-License-Identifier: EUPL-1.2
/**
 * What a conversation sends: the call-back request body the API expects, and the optional answers
 * added after it, both read off the answer table (flows/answers.ts). Used by the server's no-JS
 * path and by the island's later steps (loaded apart), which get the table from the island: the
 * table then stays in the island's own chunk instead of a shared one.
 */
import type { AnswerTable } from '../../flows/answers.ts';
import type { SavedConversation } from './conversation.ts';

/** An answer as a body carries it: null when not given (an empty list or text is not given either). */
function given(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 ? value : null;
  if (value === '' || value === undefined) return null;
  return value;
}

/** The optional answers given after sending, as the supplement API takes them (only what was given). */
export function extrasBody(saved: SavedConversation, table: AnswerTable): Record<string, unknown> {
  const answers = saved.context as unknown as Record<string, unknown>;
  const body: Record<string, unknown> = { conversationId: saved.id };
  for (const [field, spec] of Object.entries(table)) {
    const value = given(answers[field]);
    if (spec.after && value !== null) body[field] = value;
  }
  return body;
}

/** The call-back request body the API expects, from the answers of a finished conversation. */
export function callbackBody(
  saved: SavedConversation,
  municipality: string,
  language: string,
  table: AnswerTable,
): Record<string, unknown> {
  const c = saved.context;
  const answers = c as unknown as Record<string, unknown>;
  const body: Record<string, unknown> = { municipality, language, channel: c.channel, conversationId: saved.id };
  if (c.inviteId !== null) body.inviteId = c.inviteId;
  for (const [field, spec] of Object.entries(table)) {
    // what the request needs is always sent (the server names what is missing); lists always
    const value = spec.required || spec.type === 'many' ? (answers[field] ?? null) : given(answers[field]);
    if (value !== null) body[field] = value;
  }
  if (body.topic === undefined) body.topic = 'unknown';
  return body;
}
