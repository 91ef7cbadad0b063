// SPDX-License-Identifier: EUPL-1.2
// Reads the test server's SQLite file (read-only) so journeys can check what was stored.
import { DatabaseSync } from 'node:sqlite';
import type { CallbackRequestRow, ConversationRow } from '../../src/server/store/schema.ts';

export type { CallbackRequestRow, ConversationRow };

export function databaseFile(): string {
  const file = process.env.E2E_DATABASE_FILE;
  if (!file) throw new Error('E2E_DATABASE_FILE is not set: run the browser tests with tests/playwright.config.ts');
  return file;
}

/** Runs one query on a fresh read-only connection, so every call sees the latest commit. */
function query<T>(sql: string, ...params: (string | number | null)[]): T[] {
  const db = new DatabaseSync(databaseFile(), { readOnly: true });
  try {
    db.exec('PRAGMA busy_timeout=5000');
    return db
      .prepare(sql)
      .all(...params)
      .map((row) => ({ ...row }) as T);
  } finally {
    db.close();
  }
}

export function callbackRequests(where: { reference?: string; conversationId?: string } = {}): CallbackRequestRow[] {
  if (where.reference !== undefined) {
    return query<CallbackRequestRow>('SELECT * FROM callback_requests WHERE reference = ?', where.reference);
  }
  if (where.conversationId !== undefined) {
    return query<CallbackRequestRow>('SELECT * FROM callback_requests WHERE conversation_id = ?', where.conversationId);
  }
  return query<CallbackRequestRow>('SELECT * FROM callback_requests ORDER BY created_at');
}

export function conversations(where: { id?: string } = {}): ConversationRow[] {
  if (where.id !== undefined) return query<ConversationRow>('SELECT * FROM conversations WHERE id = ?', where.id);
  return query<ConversationRow>('SELECT * FROM conversations ORDER BY started_at');
}
