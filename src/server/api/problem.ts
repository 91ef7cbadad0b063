// SPDX-License-Identifier: EUPL-1.2
/** RFC 9457 problem details and the headers every API answer carries (NL API Design Rules). */
export const API_VERSION = '1.0.0';

export function apiHeaders(extra: Record<string, string> = {}): Headers {
  return new Headers({ 'API-Version': API_VERSION, 'Cache-Control': 'no-store', ...extra });
}

export function json(status: number, body: unknown, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: apiHeaders({ 'Content-Type': 'application/json', ...extra }),
  });
}

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  invalidParams?: { name: string; code: string; reason: string }[];
}

export function problem(p: Problem, extra: Record<string, string> = {}): Response {
  const body = { type: p.type ?? 'about:blank', ...p };
  return new Response(JSON.stringify(body), {
    status: p.status,
    headers: apiHeaders({ 'Content-Type': 'application/problem+json', ...extra }),
  });
}

export const MAX_BODY_BYTES = 16 * 1024;

export type BodyResult =
  | { ok: true; kind: 'json' | 'form'; value: unknown; raw: string }
  | { ok: false; response: Response };

/**
 * Reads a request body of at most 16 KB as JSON or form fields. Stops reading as soon as the
 * limit is passed, so a huge body costs no memory.
 */
export async function readBody(request: Request, parseForm: (form: URLSearchParams) => unknown): Promise<BodyResult> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const kind = type === 'application/json' ? 'json' : type === 'application/x-www-form-urlencoded' ? 'form' : null;
  if (!kind) {
    return {
      ok: false,
      response: problem({ status: 415, title: 'Unsupported Media Type', detail: 'Send application/json or application/x-www-form-urlencoded.' }),
    };
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) return { ok: false, response: tooLarge() };
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) {
        await reader.cancel();
        return { ok: false, response: tooLarge() };
      }
      chunks.push(value);
    }
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (kind === 'form') return { ok: true, kind, value: parseForm(new URLSearchParams(raw)), raw };
  try {
    return { ok: true, kind, value: JSON.parse(raw) as unknown, raw };
  } catch {
    return { ok: false, response: problem({ status: 400, title: 'Bad Request', detail: 'The body is not valid JSON.' }) };
  }
}

function tooLarge(): Response {
  return problem({ status: 413, title: 'Content Too Large', detail: `The body may be at most ${MAX_BODY_BYTES} bytes.` });
}
