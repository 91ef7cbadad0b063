// SPDX-License-Identifier: EUPL-1.2
/**
 * NotifyNL (the Dutch public sector's fork of GOV.UK Notify), through the official
 * `notifications-node-client`: it signs every request with a JWT made from the API key. Its HTTP
 * goes through fetch here, with a time limit, and every answer is sorted into what the SMS outbox
 * does next: sent, rejected for good (an invalid number), or try again later (an outage, the rate
 * limit, a timeout). A key Notify refuses is a configuration error, said as such.
 */
import { NotifyClient } from 'notifications-node-client';
import { isId } from '../../lib/ids.ts';

export interface NotifySettings {
  /** the service's API address, e.g. https://api.notifynl.nl */
  baseUrl: string;
  /** `{name}-{service id}-{secret}` as Notify shows it once */
  apiKey: string;
  /** the SMS template whose whole body is `((bericht))`: the portal writes the text (src/lib/plan-sms.ts) */
  templateId: string;
  timeoutMs?: number;
}

export type SendResult =
  | { kind: 'sent'; notifyId: string }
  /** Notify will never take this one (ValidationError: an invalid number, a bad template) */
  | { kind: 'rejected'; error: string }
  /** the key or the template is wrong: nothing will go until someone fixes the configuration */
  | { kind: 'misconfigured'; error: string }
  /** an outage, the rate limit, a timeout: the same message again later */
  | { kind: 'retry'; error: string };

/** Whether the key has Notify's shape: a name, then the service id and the secret, both UUIDs (36 characters each). */
export function isNotifyKey(key: string): boolean {
  if (key.length < 75 || key[key.length - 37] !== '-' || key[key.length - 74] !== '-') return false;
  return /^[\w.-]+$/.test(key.slice(0, -74)) && isId(key.slice(-73, -37)) && isId(key.slice(-36));
}

interface HttpOptions {
  method: string;
  url: string;
  data?: unknown;
  headers: Record<string, string>;
}

/** What the client's HTTP layer answers or throws (the shape of axios, which it was written for). */
class HttpError extends Error {
  readonly response: { status: number; data: unknown } | undefined;
  constructor(response: { status: number; data: unknown } | undefined, message: string) {
    super(message);
    this.response = response;
  }
}

function fetchAdapter(timeoutMs: number) {
  return async (options: HttpOptions): Promise<{ status: number; data: unknown }> => {
    let answer: Response;
    try {
      answer = await fetch(options.url, {
        method: options.method.toUpperCase(),
        headers: { ...options.headers, ...(options.data === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: options.data === undefined ? null : JSON.stringify(options.data),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      throw new HttpError(undefined, name === 'TimeoutError' ? `timeout after ${timeoutMs} ms` : `network: ${(error as Error).message}`);
    }
    const text = await answer.text();
    let data: unknown = text;
    try {
      data = JSON.parse(text);
    } catch {
      // not JSON: kept as text, never logged
    }
    if (answer.status >= 300) throw new HttpError({ status: answer.status, data }, `HTTP ${answer.status}`);
    return { status: answer.status, data };
  };
}

/** The first error type Notify names in its answer ({errors: [{error, message}]}), e.g. ValidationError. */
function errorType(data: unknown): string {
  const first = (data as { errors?: { error?: unknown }[] } | null)?.errors?.[0]?.error;
  return typeof first === 'string' ? first : 'unknown';
}

export class Notify {
  readonly #client: NotifyClient;
  readonly #templateId: string;

  constructor(settings: NotifySettings) {
    if (!isNotifyKey(settings.apiKey)) throw new Error('The NotifyNL API key is not of the form name-<service id>-<secret>.');
    this.#client = new NotifyClient(settings.baseUrl.replace(/\/$/, ''), settings.apiKey);
    this.#client.setClient(fetchAdapter(settings.timeoutMs ?? 10_000) as unknown as Parameters<NotifyClient['setClient']>[0]);
    this.#templateId = settings.templateId;
  }

  /** Sends one SMS; `reference` is the outbox row's id, so a send cut off halfway can be found again. */
  async sendSms(phone: string, text: string, reference: string): Promise<SendResult> {
    try {
      const answer = await this.#client.sendSms(this.#templateId, phone, { personalisation: { bericht: text }, reference });
      const id = (answer.data as { id?: unknown }).id;
      return typeof id === 'string' ? { kind: 'sent', notifyId: id } : { kind: 'retry', error: 'answer without id' };
    } catch (error) {
      return classify(error);
    }
  }

  /**
   * The id of the SMS Notify already has under this reference, or null: after a crash between
   * sending and recording, the outbox asks before it sends again. Throws when Notify cannot say.
   */
  async findByReference(reference: string): Promise<string | null> {
    const answer = await this.#client.getNotifications('sms', undefined, reference);
    const found = (answer.data as { notifications?: { id?: unknown; reference?: unknown }[] }).notifications ?? [];
    const match = found.find((n) => n.reference === reference && typeof n.id === 'string');
    return match ? (match.id as string) : null;
  }
}

function classify(error: unknown): SendResult {
  if (!(error instanceof HttpError)) return { kind: 'retry', error: (error as Error).message };
  const status = error.response?.status;
  if (status === undefined) return { kind: 'retry', error: error.message };
  const type = errorType(error.response?.data);
  if (status === 403) return { kind: 'misconfigured', error: `HTTP 403 ${type}` };
  if (status === 400) return type === 'ValidationError' || type === 'BadRequestError' ? { kind: 'rejected', error: `HTTP 400 ${type}` } : { kind: 'misconfigured', error: `HTTP 400 ${type}` };
  if (status === 429 || status >= 500) return { kind: 'retry', error: `HTTP ${status} ${type}` };
  return { kind: 'misconfigured', error: `HTTP ${status} ${type}` };
}
