// SPDX-License-Identifier: EUPL-1.2
/**
 * Which municipalities hand requests to a case system: a `connector` in their settings AND its
 * signing secret in the named environment variable. One without the other counts as none.
 */
import type { ConnectorConfig, Municipality } from '../../lib/municipality.ts';

/** HMAC keys shorter than this are guessable offline from one signed body. */
export const MIN_SECRET_LENGTH = 32;

export interface WebhookConnector {
  type: 'webhook';
  url: string;
  secret: string;
}

export type ConnectorState =
  | { state: 'none' }
  | { state: 'secretMissing'; secretEnv: string; reason: 'unset' | 'short' }
  | { state: 'configured'; connector: WebhookConnector };

export function connectorState(config: ConnectorConfig | undefined, env: NodeJS.ProcessEnv = process.env): ConnectorState {
  if (!config) return { state: 'none' };
  const secret = env[config.secretEnv]?.trim() ?? '';
  if (secret === '') return { state: 'secretMissing', secretEnv: config.secretEnv, reason: 'unset' };
  if (secret.length < MIN_SECRET_LENGTH) return { state: 'secretMissing', secretEnv: config.secretEnv, reason: 'short' };
  return { state: 'configured', connector: { type: config.type, url: config.url, secret } };
}

/** The usable connector of a municipality, or null: then its requests stay in the staff queue only. */
export function connectorFor(m: Pick<Municipality, 'connector'>, env: NodeJS.ProcessEnv = process.env): WebhookConnector | null {
  const found = connectorState(m.connector, env);
  return found.state === 'configured' ? found.connector : null;
}

/** One line per municipality whose connector cannot be used, for the log at start. */
export function connectorWarnings(municipalities: readonly Pick<Municipality, 'slug' | 'connector'>[], env: NodeJS.ProcessEnv = process.env): string[] {
  return municipalities.flatMap((m) => {
    const found = connectorState(m.connector, env);
    if (found.state !== 'secretMissing') return [];
    const why = found.reason === 'unset' ? 'is not set' : `is shorter than ${MIN_SECRET_LENGTH} characters`;
    return [`municipality ${m.slug}: connector not in use, ${found.secretEnv} ${why}; its requests wait in the staff queue only`];
  });
}
