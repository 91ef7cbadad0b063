// SPDX-License-Identifier: EUPL-1.2
// Baseline for the `api` benchmark: a bare node:http server that stores the same call-back row in the
// same (migrated) schema, with the app's SQLite pragmas, and answers 201 like POST /api/v1/terugbelverzoeken.
//
// Run: PORT=… BARE_DATABASE_URL=postgres://… | BARE_DATABASE_FILE=… node tests/bench/bare-server.ts
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { migrateToLatest, openStore } from '../../src/server/store/index.ts';
import { newReference, isUniqueViolation } from '../../src/server/store/callbacks.ts';
import { upsertMunicipality } from '../../src/server/store/municipalities.ts';

const databaseUrl = process.env.BARE_DATABASE_URL?.trim() || undefined;
const sqliteFile = process.env.BARE_DATABASE_FILE ?? '';
if (!databaseUrl && !sqliteFile) throw new Error('set BARE_DATABASE_URL or BARE_DATABASE_FILE');

// The schema comes from the app's own migrations, and the municipality the foreign key points at.
const setup = await openStore(databaseUrl ? { databaseUrl } : { sqliteFile });
await migrateToLatest(setup);
await upsertMunicipality(setup, { slug: 'voorbeeld', name: 'Voorbeeld', config: {} });
await setup.close();

const COLUMNS = [
  'id',
  'reference',
  'municipality',
  'conversation_id',
  'invite_id',
  'channel',
  'language',
  'topic',
  'urgent',
  'answers',
  'phone',
  'first_name',
  'consent',
  'status',
  'assigned_to',
  'outcome',
  'created_at',
  'updated_at',
  'closed_at',
  'personal_data_deleted_at',
] as const;

type Value = string | number | null;
type Insert = (values: Value[]) => Promise<void>;

function sqliteInsert(file: string): Insert {
  const db = new DatabaseSync(file);
  // The same pragmas as src/server/store/index.ts.
  db.exec('PRAGMA busy_timeout=5000');
  db.exec('PRAGMA journal_mode=WAL');
  db.exec('PRAGMA synchronous=FULL');
  db.exec('PRAGMA foreign_keys=ON');
  const stmt = db.prepare(`INSERT INTO callback_requests (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
  return (values) => {
    stmt.run(...values);
    return Promise.resolve();
  };
}

function postgresInsert(url: string): Insert {
  // Default pool size (10), as the app's store has.
  const pool = new pg.Pool({ connectionString: url });
  const text = `insert into callback_requests (${COLUMNS.join(', ')}) values (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;
  return async (values) => {
    await pool.query(text, values);
  };
}

const insert = databaseUrl ? postgresInsert(databaseUrl) : sqliteInsert(sqliteFile);

interface Body {
  municipality?: unknown;
  language?: unknown;
  topic?: unknown;
  phone?: unknown;
  consent?: unknown;
  urgency?: unknown;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function create(body: Body): Promise<{ id: string; reference: string; status: 'new'; createdAt: string }> {
  const phone = String(body.phone).replace(/^0/, '+31');
  const answers = JSON.stringify({ checkin: null, happened: null, moreBills: null, urgency: null, help: [], moments: [], ways: [], talkLanguage: null, contactPrefs: [], voicemail: null });
  for (let attempt = 0; attempt < 5; attempt++) {
    const now = new Date().toISOString();
    const row = { id: randomUUID(), reference: newReference(), status: 'new' as const, createdAt: now };
    try {
      await insert([row.id, row.reference, String(body.municipality), null, null, 'web', String(body.language), String(body.topic), 0, answers, phone, null, 1, 'new', null, null, now, now, null, null]);
      return row;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  throw new Error('no free reference');
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/api/v1/terugbelverzoeken') return send(res, 404, { title: 'Not Found' });
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= 16 * 1024) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > 16 * 1024) return send(res, 413, { title: 'Content Too Large' });
    let body: Body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body;
    } catch {
      return send(res, 400, { title: 'Bad Request' });
    }
    const ok =
      body !== null &&
      typeof body === 'object' &&
      typeof body.municipality === 'string' &&
      typeof body.language === 'string' &&
      typeof body.topic === 'string' &&
      typeof body.phone === 'string' &&
      body.consent === true;
    if (!ok) return send(res, 422, { title: 'Unprocessable Content' });
    create(body).then(
      (row) => send(res, 201, row),
      (error: unknown) => {
        console.error(error);
        send(res, 500, { title: 'Internal Server Error' });
      },
    );
  });
});
server.keepAliveTimeout = 5_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(`bare server running on http://127.0.0.1:${port}`);
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setInterval(() => server.closeIdleConnections(), 100).unref();
  setTimeout(() => process.exit(1), 5_000).unref();
});
