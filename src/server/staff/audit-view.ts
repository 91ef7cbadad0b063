// SPDX-License-Identifier: EUPL-1.2
/** The audit log as an administrator reads it: their municipalities' rows, newest first, a page at a time. */
import { listAuditEntries, type AuditEntry } from '../store/audit.ts';
import type { Store } from '../store/index.ts';
import { staffNames } from '../store/staff.ts';
import type { StaffContext } from './session.ts';
import { label, st } from './texts.ts';

export const AUDIT_PAGE_SIZE = 50;
/** Offsets get slow deep down; nobody pages through 200 × 50 rows by hand. */
export const MAX_AUDIT_PAGE = 200;

export interface AuditRowView extends AuditEntry {
  actorName: string;
  actionLabel: string;
  originLabel: string;
}

export interface AuditPage {
  page: number;
  pageSize: number;
  hasMore: boolean;
  entries: AuditRowView[];
}

export function parsePage(raw: string | null, max = MAX_AUDIT_PAGE): number {
  const n = Number(raw ?? '1');
  return Number.isInteger(n) && n >= 1 && n <= max ? n : 1;
}

export async function auditPageFor(store: Store, staff: StaffContext, page: number): Promise<AuditPage> {
  const { entries, hasMore } = await listAuditEntries(store, {
    municipalities: staff.municipalities,
    limit: AUDIT_PAGE_SIZE,
    offset: (page - 1) * AUDIT_PAGE_SIZE,
  });
  const names = await staffNames(store, entries.map((e) => e.actor));
  return {
    page,
    pageSize: AUDIT_PAGE_SIZE,
    hasMore: hasMore && page < MAX_AUDIT_PAGE,
    entries: entries.map((e) => ({
      ...e,
      actorName: e.actor === 'system' ? st('audit.system') : (names.get(e.actor) ?? e.actor),
      actionLabel: label('action', e.action),
      originLabel: label('origin', e.origin),
    })),
  };
}
