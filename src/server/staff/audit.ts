// SPDX-License-Identifier: EUPL-1.2
/**
 * Writing audit rows. Called before personal data is handed out, so a view that cannot be
 * recorded fails instead of happening unrecorded.
 */
import { randomUUID } from 'node:crypto';
import { insertAuditEntries, type AuditEntry, type AuditOrigin } from '../store/audit.ts';
import type { Store } from '../store/index.ts';

/** What is recorded; later pages (dashboard exports, invites) add their own. */
export type AuditAction =
  | 'view'
  | 'export'
  | 'assign'
  | 'attempt'
  | 'close'
  | 'login'
  | 'logout'
  | 'enrol_totp'
  | 'retention'
  | 'invite'
  | 'handoff'
  | 'retry_delivery';

export interface AuditInput {
  actor: string;
  action: AuditAction;
  objectType: string;
  objectId: string | null;
  municipality: string | null;
  result: string;
  origin: AuditOrigin;
  /** defaults to now */
  at?: Date;
}

export async function audit(store: Store, ...inputs: AuditInput[]): Promise<void> {
  const entries: AuditEntry[] = inputs.map((i) => ({
    id: randomUUID(),
    at: (i.at ?? new Date()).toISOString(),
    actor: i.actor,
    action: i.action,
    objectType: i.objectType,
    objectId: i.objectId,
    municipality: i.municipality,
    result: i.result,
    origin: i.origin,
  }));
  await insertAuditEntries(store, entries);
}
