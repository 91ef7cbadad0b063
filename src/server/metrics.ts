// SPDX-License-Identifier: EUPL-1.2
/**
 * /metrics in the Prometheus text format (prom-client): HTTP requests and latency per route
 * pattern, call-back requests waiting per municipality, the hand-off backlog per municipality.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { openRequestCounts } from './store/callbacks.ts';
import type { Store } from './store/index.ts';
import { listMunicipalities } from './store/municipalities.ts';
import { outboxBacklog } from './store/outbox.ts';

export const METRICS_PATH = '/metrics';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
/** Headers a reverse proxy adds: a request that passed one is not "from this machine", whatever its socket says. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip'];

export interface Metrics {
  registry: Registry;
  /** Called by the request log for every answer. `route` is the route pattern, never the URL. */
  observeRequest(method: string | undefined, route: string, status: number, seconds: number): void;
}

export function createMetrics(store: Store): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'hulpgesprek_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'hulpgesprek_http_request_duration_seconds',
    help: 'Time from request to the end of the answer, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    registers: [registry],
  });

  /** Every municipality at 0 first, so a series does not vanish when its count drops to nothing. */
  function perMunicipality<T extends string>(gauge: Gauge<T>, rows: { labels: Record<T, string>; count: number }[], zeroes: Record<T, string>[]): void {
    gauge.reset();
    for (const labels of zeroes) gauge.set(labels as Partial<Record<T, string | number>>, 0);
    for (const row of rows) gauge.set(row.labels as Partial<Record<T, string | number>>, row.count);
  }

  new Gauge({
    name: 'hulpgesprek_callback_requests_waiting',
    help: 'Call-back requests open in the staff queue (new or in progress), per municipality',
    labelNames: ['municipality'] as const,
    registers: [registry],
    async collect() {
      const slugs = (await listMunicipalities(store)).map((m) => m.slug);
      const rows = await openRequestCounts(store);
      perMunicipality(this, rows.map((r) => ({ labels: { municipality: r.municipality }, count: r.count })), slugs.map((municipality) => ({ municipality })));
    },
  });

  new Gauge({
    name: 'hulpgesprek_outbox_backlog',
    help: 'Hand-offs to case systems not delivered yet (pending, delivering, failed), per municipality',
    labelNames: ['municipality', 'status'] as const,
    registers: [registry],
    async collect() {
      const rows = await outboxBacklog(store);
      const slugs = [...new Set(rows.map((r) => r.municipality))];
      const zeroes = slugs.flatMap((municipality) => ['pending', 'delivering', 'failed'].map((status) => ({ municipality, status })));
      perMunicipality(this, rows.map((r) => ({ labels: { municipality: r.municipality, status: r.status }, count: r.count })), zeroes);
    },
  });

  return {
    registry,
    observeRequest(method, route, status, seconds) {
      const m = method && METHODS.has(method) ? method : 'other';
      requests.inc({ method: m, route, status: String(status) });
      latency.observe({ method: m, route }, seconds);
    },
  };
}

function sameSecret(given: string, expected: string): boolean {
  // Hashing first makes the comparison constant-time whatever the lengths.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Who may read /metrics: with METRICS_TOKEN, whoever sends it as a Bearer token; without it,
 * only a direct connection from this machine (loopback, no proxy headers), so a proxy that
 * forwards everything does not publish the counts.
 */
export function metricsAccess(req: Pick<http.IncomingMessage, 'headers' | 'socket'>, token: string | undefined): 'ok' | 'unauthorized' | 'forbidden' {
  if (token !== undefined) {
    const header = req.headers.authorization ?? '';
    const given = /^Bearer (.+)$/i.exec(header)?.[1]?.trim() ?? '';
    return given !== '' && sameSecret(given, token) ? 'ok' : 'unauthorized';
  }
  const remote = req.socket.remoteAddress ?? '';
  if (!LOOPBACK.has(remote)) return 'forbidden';
  return PROXY_HEADERS.some((h) => req.headers[h] !== undefined) ? 'forbidden' : 'ok';
}
