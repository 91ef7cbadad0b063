// SPDX-License-Identifier: EUPL-1.2
// Staff helpers for API and browser tests: accounts made through the repository, fresh TOTP codes, and an HTTP client with a cookie jar.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { generate, generateSecret } from 'otplib';
import { createHttp } from '../../src/server/http/server.ts';
import { createStaffAccount } from '../../src/server/staff/accounts.ts';
import { openStore, type StoreOptions } from '../../src/server/store/index.ts';

export interface TestStaff {
  id: string;
  email: string;
  password: string;
  /** base32, already enrolled; null when the account must enrol at its first login */
  secret: string | null;
  /** the last TOTP step a code was made for (the server takes each step once) */
  lastStep?: number;
}

let counter = 0;

/** Makes an account straight in the repository of the server's database (a string names its SQLite file). */
export async function createStaff(
  database: string | StoreOptions,
  options: { role?: 'caseworker' | 'coordinator' | 'admin'; municipalities?: string[]; enrolled?: boolean; name?: string } = {},
): Promise<TestStaff> {
  const store = await openStore(typeof database === 'string' ? { sqliteFile: database } : database);
  try {
    const email = `staff-${process.pid}-${Date.now()}-${++counter}@test.example`;
    const password = `correct horse ${counter} battery`;
    const secret = options.enrolled === false ? null : generateSecret();
    const id = await createStaffAccount(store, {
      email,
      name: options.name ?? `Medewerker ${counter}`,
      role: options.role ?? 'caseworker',
      municipalities: options.municipalities ?? ['voorbeeld'],
      password,
      totpSecret: secret,
    });
    return { id, email, password, secret };
  } finally {
    await store.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A code the server will take: for the current 30 s step, or the next one when this one was
 * used already (the server accepts one step ahead); waits when both are used.
 */
export async function freshCode(user: { secret: string | null; lastStep?: number }): Promise<string> {
  if (!user.secret) throw new Error('this account has no second factor yet');
  for (;;) {
    const current = Math.floor(Date.now() / 30_000);
    const step = user.lastStep === undefined ? current : Math.max(current, user.lastStep + 1);
    if (step <= current + 1) {
      user.lastStep = step;
      return generate({ secret: user.secret, epoch: step * 30 });
    }
    await sleep(1000);
  }
}

/** Reads a server's SQLite file (read-only, fresh connection per call). */
export function dbRows(file: string, query: string, ...params: (string | number | null)[]): Record<string, unknown>[] {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    db.exec('PRAGMA busy_timeout=5000');
    return db
      .prepare(query)
      .all(...params)
      .map((r) => ({ ...r }));
  } finally {
    db.close();
  }
}

/** Writes to a server's SQLite file (to age a session, lift a lock, …). */
export function dbRun(file: string, query: string, ...params: (string | number | null)[]): void {
  const db = new DatabaseSync(file);
  try {
    db.exec('PRAGMA busy_timeout=5000');
    db.prepare(query).run(...params);
  } finally {
    db.close();
  }
}

interface Cookie {
  name: string;
  value: string;
  path: string;
}

/** fetch with a cookie jar that honours Path, never following redirects (tests look at them). */
export class StaffClient {
  readonly base: string;
  readonly userAgent: string;
  private jar: Cookie[] = [];

  constructor(base: string, userAgent = 'hulpgesprek-tests') {
    this.base = base;
    this.userAgent = userAgent;
  }

  cookie(name: string, path = '/staff'): string | undefined {
    return this.jar.find((c) => c.name === name && c.path === path)?.value;
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const url = new URL(path, this.base);
    const headers = new Headers(init.headers);
    headers.set('User-Agent', this.userAgent);
    const sent = this.jar.filter((c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`));
    if (sent.length > 0) headers.set('Cookie', sent.map((c) => `${c.name}=${c.value}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attrs.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const gone = attrs.some((a) => a.toLowerCase() === 'max-age=0') || value === '';
      this.jar = this.jar.filter((c) => !(c.name === name && c.path === path));
      if (!gone) this.jar.push({ name, value, path });
    }
    return res;
  }

  /** GET a page and read the CSRF token of its first form. */
  async formToken(path: string): Promise<{ token: string; html: string; status: number }> {
    const res = await this.fetch(path);
    const html = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (!token) throw new Error(`no CSRF token on ${path} (status ${res.status})`);
    return { token, html, status: res.status };
  }

  /** POST a form (urlencoded), with the page's CSRF token unless one is given. */
  async postForm(path: string, fields: Record<string, string>, token?: string): Promise<Response> {
    const csrf = token ?? (await this.formToken(path.split('?')[0] ?? path)).token;
    return this.fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, ...fields }),
    });
  }

  /** Step 1: email and password. Answers the 303 (or the page again on failure). */
  async password(email: string, password: string): Promise<Response> {
    const { token } = await this.formToken('/staff/login');
    return this.postForm('/staff/login', { email, password }, token);
  }

  /** Both steps for an enrolled account; throws unless it ends on the queue. */
  async login(user: TestStaff): Promise<void> {
    const first = await this.password(user.email, user.password);
    if (first.status !== 303) throw new Error(`password step answered ${first.status}`);
    const next = first.headers.get('location');
    if (next === '/staff') return;
    if (next === '/staff/login/instellen') {
      const { html } = await this.formToken(next);
      const secret = /data-totp-secret[^>]*>([^<]+)</.exec(html)?.[1]?.replace(/\s/g, '');
      if (!secret) throw new Error('no secret on the enrolment page');
      user.secret = secret;
    }
    const path = next ?? '';
    const res = await this.postForm(path, { code: await freshCode(user) });
    if (res.status !== 303 || res.headers.get('location') !== '/staff') {
      throw new Error(`second step answered ${res.status} → ${res.headers.get('location')}`);
    }
  }

  /** The session's CSRF token for API writes. */
  async apiToken(): Promise<string> {
    const res = await this.fetch('/api/v1/staff/ik');
    if (res.status !== 200) throw new Error(`/api/v1/staff/ik answered ${res.status}`);
    return ((await res.json()) as { csrfToken: string }).csrfToken;
  }

  async apiPost(path: string, body: unknown, token?: string | null): Promise<Response> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    const csrf = token === undefined ? await this.apiToken() : token;
    if (csrf !== null) headers['X-CSRF-Token'] = csrf;
    return this.fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
  }
}

/** A call-back request made the way a resident makes one (the public API); returns its id and reference. */
export async function residentRequest(
  base: string,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; reference: string }> {
  const res = await fetch(new URL('/api/v1/terugbelverzoeken', base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      municipality: 'voorbeeld',
      language: 'tr',
      topic: 'energy',
      phone: '06-12345678',
      consent: true,
      channel: 'sms',
      urgency: 'none',
      help: ['arrangement', 'buurtteam'],
      moments: ['morning'],
      ways: ['call', 'whatsapp'],
      talkLanguage: 'tr',
      voicemail: 'yes',
      firstName: 'Ayşe',
      ...overrides,
    }),
  });
  if (res.status !== 201) throw new Error(`resident request answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { id: string; reference: string };
}

const root = new URL('../../', import.meta.url).pathname;

export interface StaffRoute {
  /** relative to the project */
  file: string;
  /** the URL, with [param] placeholders */
  path: string;
  methods: string[];
}

/** The staff API routes as the HTTP layer registers them (src/server/staff/api.ts). */
const { api: layer, routes: apiRoutes } = await createHttp();
await layer.close();

/**
 * Every staff page under src/pages/staff (read from disk) and every staff API route (as
 * registered), so a new route is tested the moment it exists. An .astro page takes POST when it
 * has a post form.
 */
export function staffRoutes(): StaffRoute[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  const pages = join(root, 'src/pages');
  const pageRoutes = walk(join(pages, 'staff')).sort().map((file) => {
    const source = readFileSync(file, 'utf8');
    const rel = relative(pages, file).replace(/\.(astro|ts)$/, '').replace(/(^|\/)index$/, '');
    const methods = file.endsWith('.astro')
      ? ['GET', ...(/method="post"/.test(source) ? ['POST'] : [])]
      : [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1] as string);
    return { file: relative(root, file), path: `/${rel}`, methods };
  });
  const api = apiRoutes
    .filter((r) => r.pattern.startsWith('/api/v1/staff/'))
    .map((r) => ({ file: 'src/server/staff/api.ts', path: r.pattern, methods: r.methods }));
  return [...pageRoutes, ...api];
}

/** Values for the route parameters staff routes use; a route with any other parameter fails the tests until added here. */
export const ROUTE_PARAMS = ['id', 'municipality', 'lang', 'batch', 'delivery', 'case'] as const;
export type RouteParam = (typeof ROUTE_PARAMS)[number];

/** The route's URL with its parameters filled in; throws on a parameter not in ROUTE_PARAMS. */
export function fillRoute(path: string, values: Record<RouteParam, string>): string {
  return path.replace(/\[(\w+)\]/g, (_, name: string) => {
    if (!(ROUTE_PARAMS as readonly string[]).includes(name)) throw new Error(`${path}: route parameter [${name}] is unknown to the staff tests (tests/support/staff.ts)`);
    return values[name as RouteParam];
  });
}
