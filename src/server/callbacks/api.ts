// SPDX-License-Identifier: EUPL-1.2
/** HTTP side of creating a call-back request: body limits, content types, problem details. */
import { isId } from '../../lib/ids.ts';
import { fromFormFields } from '../../lib/callback-request.ts';
import { checkPhone } from '../../lib/phone.ts';
import { isValidIdempotencyKey, submitCallbackRequest, supplementRequest } from './requests.ts';
import { overClientLimit, overInviteLimit } from '../http/rate-limit.ts';
import { appConfig, getStore } from '../runtime.ts';
import { json, problem, readBody, tooManyRequests } from '../http/problem.ts';

export async function handleCreateCallback(request: Request, clientAddress: string | undefined): Promise<Response> {
  const config = appConfig();
  const store = await getStore();
  // Counted before anything is read: a flood of broken bodies costs as much as valid ones.
  const limited = await overClientLimit(store, 'callback-post', config.callbackRateLimit, clientAddress);
  if (limited) return tooManyRequests(limited.retryAfterSeconds);
  const key = request.headers.get('idempotency-key');
  if (key !== null && !isValidIdempotencyKey(key)) {
    return problem({
      status: 400,
      title: 'Bad Request',
      detail: 'Idempotency-Key must be 8 to 100 visible ASCII characters.',
    });
  }
  const body = await readBody(request, fromFormFields);
  if (!body.ok) return body.response;
  const inviteId = body.value && typeof body.value === 'object' ? (body.value as { inviteId?: unknown }).inviteId : undefined;
  const perInvite = await overInviteLimit(store, inviteId, config.callbackInviteLimit);
  if (perInvite) return tooManyRequests(perInvite.retryAfterSeconds);
  const outcome = await submitCallbackRequest(store, body.value, key);
  switch (outcome.kind) {
    case 'created':
      return json(201, outcome.body);
    case 'replay':
      return json(outcome.status, outcome.body, { 'Idempotent-Replayed': 'true' });
    case 'conflict':
      return problem({
        status: 409,
        title: 'Conflict',
        detail: 'This Idempotency-Key was used before with a different request.',
      });
    case 'invalid':
      return problem({
        status: 422,
        title: 'Unprocessable Content',
        detail: 'One or more fields are not valid.',
        invalidParams: outcome.invalid,
      });
  }
}


/** PUT /api/v1/terugbelverzoeken/{id}/aanvulling: the optional answers given after sending. */
export async function handleSupplement(request: Request, id: string, clientAddress: string | undefined): Promise<Response> {
  const store = await getStore();
  const limited = await overClientLimit(store, 'progress-put', appConfig().progressRateLimit, clientAddress);
  if (limited) return tooManyRequests(limited.retryAfterSeconds);
  const notFound = problem({ status: 404, title: 'Not Found', detail: 'No such call-back request for this conversation.' });
  if (!isId(id)) return notFound;
  const body = await readBody(request, fromFormFields, { accept: ['json'] });
  if (!body.ok) return body.response;
  const outcome = await supplementRequest(store, id, body.value);
  switch (outcome.kind) {
    case 'ok':
      return new Response(null, { status: 204, headers: { 'API-Version': '1.0.0', 'Cache-Control': 'no-store' } });
    case 'notFound':
      return notFound;
    case 'closed':
      return problem({ status: 409, title: 'Conflict', detail: 'This request is closed or too old to add answers to.' });
    case 'invalid':
      return problem({ status: 422, title: 'Unprocessable Content', detail: 'One or more fields are not valid.', invalidParams: outcome.invalid });
  }
}

/**
 * POST /api/v1/telefoonnummer: checks a typed number as the call-back will (libphonenumber) and
 * gives it back grouped for reading aloud. Stores nothing; the number is in no log.
 */
export async function handlePhoneCheck(request: Request, clientAddress: string | undefined): Promise<Response> {
  const limited = await overClientLimit(await getStore(), 'progress-put', appConfig().progressRateLimit, clientAddress);
  if (limited) return tooManyRequests(limited.retryAfterSeconds);
  const body = await readBody(request, (form) => Object.fromEntries(form), { maxBytes: 1024 });
  if (!body.ok) return body.response;
  const phone = (body.value as { phone?: unknown } | null)?.phone;
  const result = checkPhone(typeof phone === 'string' ? phone.slice(0, 60) : '');
  if (!result.ok) {
    return problem({
      status: 422,
      title: 'Unprocessable Content',
      detail: 'This phone number cannot be called.',
      invalidParams: [{ name: 'phone', code: result.code, reason: `phone: ${result.code}` }],
    });
  }
  return json(200, { e164: result.e164, display: result.display, groups: result.groups });
}
