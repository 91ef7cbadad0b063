// SPDX-License-Identifier: EUPL-1.2
// Every log line carries action, object, result, origin, actor and a UTC time, whatever the call gave.
import { describe, expect, it } from 'vitest';
import { createLogger, requestRecords } from '../../src/server/log.ts';

const SIX = ['action', 'object', 'result', 'origin', 'actor', 'time'] as const;

function capture(): { lines: () => Record<string, unknown>[]; logger: ReturnType<typeof createLogger> } {
  const raw: string[] = [];
  return {
    lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>),
    logger: createLogger({ write: (s: string) => void raw.push(s) }),
  };
}

describe('log fields', () => {
  it('fills in what a line leaves out: the process outside a request, the result from the level', () => {
    const { lines, logger } = capture();
    logger.info('plain message');
    logger.warn({ action: 'config.check' }, 'half a line');
    logger.error(new Error('boom'));
    const [info, warn, error] = lines();
    for (const line of lines()) {
      for (const field of SIX) expect(line[field], field).toBeDefined();
      expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(info).toMatchObject({ action: 'log', object: 'process', result: 'ok', origin: 'process', actor: 'system' });
    expect(warn).toMatchObject({ action: 'config.check', result: 'warning' });
    expect(error).toMatchObject({ result: 'error' });
  });

  it('inside a request, takes its route pattern and caller; the call’s own fields still win', () => {
    const { lines, logger } = capture();
    requestRecords.run({ object: '/api/v1/terugbelverzoeken', actor: 'resident' }, () => {
      logger.error({ err: new Error('insert failed') }, 'request failed');
      logger.info({ action: 'http.request', object: '/x', result: 201, origin: 'http', actor: 'anonymous' });
    });
    const [failed, own] = lines();
    expect(failed).toMatchObject({
      action: 'log',
      object: '/api/v1/terugbelverzoeken',
      result: 'error',
      origin: 'http',
      actor: 'resident',
    });
    expect(own).toMatchObject({
      action: 'http.request',
      object: '/x',
      result: 201,
      origin: 'http',
      actor: 'anonymous',
    });
  });
});
