// SPDX-License-Identifier: EUPL-1.2
/**
 * The hand-off to case systems as administrators see it (page and JSON API): each municipality's
 * connector state, the deliveries that failed or keep failing, and "try again" (audited).
 */
import { isId } from '../../lib/ids.ts';
import { connectorState } from '../connector/connectors.ts';
import { findMunicipality } from '../municipalities.ts';
import { getStore } from '../runtime.ts';
import type { AuditOrigin } from '../store/audit.ts';
import type { Store } from '../store/index.ts';
import { listDeliveryProblems, retryDelivery, type Delivery } from '../store/outbox.ts';
import { audit } from './audit.ts';
import { can } from './nav.ts';
import { municipalityNames, requireStaff } from './pages.ts';
import type { StaffContext } from './session.ts';
import { st } from './texts.ts';


export interface DeliveryView extends Omit<Delivery, 'hasPayload'> {
  municipalityName: string;
  statusLabel: string;
  /** false when there is nothing left to send (retention deleted it) */
  retryable: boolean;
}

export interface ConnectorView {
  municipality: string;
  name: string;
  state: 'configured' | 'none' | 'secretMissing';
  /** the receiver's host (never the full URL: a path may carry a token) */
  host: string | null;
  /** the environment variable that should hold the secret, when it is missing */
  secretEnv: string | null;
  /** the Dutch sentence the page shows */
  text: string;
}

export interface HandoffOverview {
  connectors: ConnectorView[];
  deliveries: DeliveryView[];
}

async function connectorsOf(store: Store, staff: StaffContext, names: string[]): Promise<ConnectorView[]> {
  return Promise.all(
    staff.municipalities.map(async (slug, i) => {
      const name = names[i] ?? slug;
      const found = connectorState((await findMunicipality(store, slug))?.connector);
      if (found.state === 'configured') {
        const host = new URL(found.connector.url).host;
        return { municipality: slug, name, state: found.state, host, secretEnv: null, text: st('handoff.connectorConfigured', { name, host }) };
      }
      if (found.state === 'secretMissing') {
        return { municipality: slug, name, state: found.state, host: null, secretEnv: found.secretEnv, text: st('handoff.connectorSecretMissing', { name, env: found.secretEnv }) };
      }
      return { municipality: slug, name, state: found.state, host: null, secretEnv: null, text: st('handoff.connectorNone', { name }) };
    }),
  );
}

/** For an administrator: their municipalities only (in SQL), never another's. */
export async function handoffOverview(store: Store, staff: StaffContext): Promise<HandoffOverview> {
  const names = await municipalityNames(staff.municipalities);
  const nameOf = new Map(staff.municipalities.map((slug, i) => [slug, names[i] ?? slug]));
  const problems = await listDeliveryProblems(store, staff.municipalities);
  return {
    connectors: await connectorsOf(store, staff, names),
    deliveries: problems.map(({ hasPayload, ...d }) => ({
      ...d,
      municipalityName: nameOf.get(d.municipality) ?? d.municipality,
      statusLabel: st(`handoff.statusLabel.${d.status}`),
      retryable: hasPayload && (d.status === 'failed' || d.status === 'pending'),
    })),
  };
}

export type RetryOutcome = { kind: 'ok'; reference: string } | { kind: 'notFound' } | { kind: 'notRetryable' };

/** "Opnieuw proberen": the delivery is due now with a new series of attempts; audited either way it went. */
export async function retryHandoff(store: Store, staff: StaffContext, deliveryId: string, origin: AuditOrigin): Promise<RetryOutcome> {
  if (!can(staff, 'handoff') || !isId(deliveryId)) return { kind: 'notFound' };
  const result = await retryDelivery(store, { id: deliveryId, municipalities: staff.municipalities, now: new Date().toISOString() });
  if (result.kind === 'notFound') return result;
  const was = result.previous;
  await audit(store, {
    actor: staff.staffId,
    action: 'retry_delivery',
    objectType: 'outbox_delivery',
    objectId: deliveryId,
    municipality: was.municipality,
    result: result.kind === 'ok' ? `ok: due now (was ${was.status} after ${was.attempts} attempts)` : `refused: ${was.status}${was.hasPayload ? '' : ', no payload'}`,
    origin,
  });
  return result.kind === 'ok' ? { kind: 'ok', reference: was.reference } : { kind: 'notRetryable' };
}

export type HandoffPage =
  | { kind: 'forbidden'; staff: StaffContext }
  | { kind: 'notFound'; staff: StaffContext }
  | { kind: 'response'; response: Response }
  | { kind: 'page'; staff: StaffContext; overview: HandoffOverview; message: { tone: 'status' | 'alert'; text: string } | null };

/** GET /staff/overdracht, and its POST (delivery=<id>): retry, then back to the page (post, redirect, get). */
export async function handoffPage(request: Request, locals: App.Locals, url: URL): Promise<HandoffPage> {
  const staff = requireStaff(locals);
  if (!can(staff, 'handoff')) return { kind: 'forbidden', staff };
  const store = await getStore();
  if (request.method === 'POST') {
    const form = new URLSearchParams(await request.text());
    const outcome = await retryHandoff(store, staff, form.get('delivery') ?? '', 'staff-ui');
    if (outcome.kind === 'notFound') return { kind: 'notFound', staff };
    const location = outcome.kind === 'ok' ? '/staff/overdracht?gedaan=opnieuw#bericht' : '/staff/overdracht?fout=opnieuw#bericht';
    return { kind: 'response', response: new Response(null, { status: 303, headers: { Location: location } }) };
  }
  const message =
    url.searchParams.get('gedaan') === 'opnieuw'
      ? { tone: 'status' as const, text: st('handoff.done') }
      : url.searchParams.get('fout') === 'opnieuw'
        ? { tone: 'alert' as const, text: st('handoff.errors.notRetryable') }
        : null;
  return { kind: 'page', staff, overview: await handoffOverview(store, staff), message };
}
