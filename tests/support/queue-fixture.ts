// SPDX-License-Identifier: EUPL-1.2
// Many open call-back requests at once, straight into a server's SQLite file (the queue test and its bench).
import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';

const LANGS = ['nl', 'tr', 'ar', 'pl', 'uk'];

/**
 * `count` requests: every 10th for zeedorp, every 100th urgent, every 3rd in progress, every 250th
 * assigned to `mine`, languages in turn, request 7 of a case with a rent signal.
 */
export function insertRequests(file: string, count: number, mine: string): void {
  const db = new DatabaseSync(file);
  try {
    db.exec('PRAGMA busy_timeout=5000');
    db.exec('BEGIN');
    const now = Date.now();
    const caseId = randomUUID();
    db.prepare("insert into cases (id, municipality, case_ref, status, demo, created_at, updated_at) values (?, 'voorbeeld', 'Q-HUUR', 'open', 0, ?, ?)").run(caseId, new Date(now).toISOString(), new Date(now).toISOString());
    db.prepare("insert into signals (id, case_id, municipality, signal_ref, partner, crisis, warm_handover, times_received, created_at, updated_at) values (?, ?, 'voorbeeld', 'Q-HUUR-1', 'rent', 0, 0, 1, ?, ?)").run(randomUUID(), caseId, new Date(now).toISOString(), new Date(now).toISOString());
    const insert = db.prepare(
      "insert into callback_requests (id, reference, municipality, channel, language, topic, urgent, answers, phone, first_name, consent, status, assigned_to, created_at, updated_at, case_id) values (?, ?, ?, 'sms', ?, 'rent', ?, '{}', '+31612345678', 'Sam', 1, ?, ?, ?, ?, ?)",
    );
    for (let i = 0; i < count; i++) {
      const at = new Date(now - (count - i) * 60_000).toISOString();
      insert.run(
        randomUUID(),
        `Q${String(i).padStart(4, '0')}-TEST`,
        i % 10 === 0 ? 'zeedorp' : 'voorbeeld',
        LANGS[i % LANGS.length] ?? 'nl',
        i % 100 === 0 ? 1 : 0,
        i % 3 === 0 ? 'in_progress' : 'new',
        i % 250 === 0 ? mine : null,
        at,
        at,
        i === 7 ? caseId : null,
      );
    }
    db.exec('COMMIT');
  } finally {
    db.close();
  }
}

