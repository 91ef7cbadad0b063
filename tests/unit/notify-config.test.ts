// SPDX-License-Identifier: EUPL-1.2
// NOTIFY_* in the configuration: a key needs its template, a malformed key or template id stops the start with one line.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/server/config.ts';

const KEY = 'hulpgesprek_test-3d2a4b8e-1c2d-4e5f-8a9b-0c1d2e3f4a5b-7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910';
const TEMPLATE = '5a1c2d3e-0000-4000-8000-000000000001';

describe('the NotifyNL settings', () => {
  it('are off without a key: nothing is sent', () => {
    expect(parseConfig({}).notify).toBeNull();
    expect(parseConfig({}).notifyCallbackToken).toBeUndefined();
  });

  it('take a key, the template and an address (without its trailing slash)', () => {
    const config = parseConfig({ NOTIFY_API_KEY: KEY, NOTIFY_SMS_TEMPLATE_ID: TEMPLATE.toUpperCase(), NOTIFY_BASE_URL: 'https://notify.example.nl/', NOTIFY_CALLBACK_TOKEN: 'a-long-enough-token' });
    expect(config.notify).toEqual({ apiKey: KEY, templateId: TEMPLATE, baseUrl: 'https://notify.example.nl' });
    expect(config.notifyCallbackToken).toBe('a-long-enough-token');
    expect(parseConfig({ NOTIFY_API_KEY: KEY, NOTIFY_SMS_TEMPLATE_ID: TEMPLATE }).notify?.baseUrl).toBe('https://api.notifynl.nl');
  });

  it('refuse a key without a template, a malformed key or template id, and a short callback token, naming the variable', () => {
    const refused = (env: NodeJS.ProcessEnv) => {
      try {
        parseConfig(env);
      } catch (error) {
        if (error instanceof ConfigError) return error.variable;
      }
      return null;
    };
    expect(refused({ NOTIFY_API_KEY: KEY })).toBe('NOTIFY_SMS_TEMPLATE_ID');
    expect(refused({ NOTIFY_API_KEY: 'not-a-key', NOTIFY_SMS_TEMPLATE_ID: TEMPLATE })).toBe('NOTIFY_API_KEY');
    expect(refused({ NOTIFY_API_KEY: KEY, NOTIFY_SMS_TEMPLATE_ID: 'template-1' })).toBe('NOTIFY_SMS_TEMPLATE_ID');
    expect(refused({ NOTIFY_CALLBACK_TOKEN: 'short' })).toBe('NOTIFY_CALLBACK_TOKEN');
    expect(refused({ NOTIFY_BASE_URL: 'ftp://x' })).toBe('NOTIFY_BASE_URL');
  });
});
