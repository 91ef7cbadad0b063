// SPDX-License-Identifier: EUPL-1.2
/** HTTP side of creating a call-back request: body limits, content types, problem details. */
import { fromFormFields } from '../../lib/callback-request.ts';
import { isValidIdempotencyKey, submitCallbackRequest } from '../callbacks.ts';
import { readConfig } from '../config.ts';
import { overClientLimit, overInviteLimit } from '../rate-limit.ts';
import { getStore } from '../runtime.ts';
import { json, problem, readBody, tooManyRequests } from './problem.ts';

export async function handleCreateCallback(request: Request, clientAddress: string | undefined): Promise<Response> {
  const config = readConfig();
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
