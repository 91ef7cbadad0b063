// SPDX-License-Identifier: EUPL-1.2
// The log never carries personal data: secret keys are censored and every string is masked.
import { describe, expect, it } from 'vitest';
import { createLogger, maskText } from '../../src/server/log.ts';

const SECRETS = ['0612345678', '06-12345678', '+31 6 1234 5678', '+31612345678', '(020) 123 4567', 'Samira', 'Yusuf', 'ABCD-EFGH-JKMNP', 'abcdefghjkmnp', 'samira@example.nl', 'hg_staff=s3cr3tsession', 'Bearer hgk_live_key', 'Welkom-1234!', 'JBSWY3DPEHPK3PXP'];

function capture(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, logger: createLogger({ write: (s: string) => void lines.push(s) }) };
}

describe('log redaction', () => {
  it('censors secret keys at any depth and masks phone numbers, codes and e-mail addresses in every string', () => {
    const { lines, logger } = capture();
    logger.info({
      phone: '0612345678',
      firstName: 'Samira',
      body: { phone: '06-12345678', first_name: 'Yusuf', code: 'ABCD-EFGH-JKMNP', nested: { deeper: { firstName: 'Samira', totpSecret: 'JBSWY3DPEHPK3PXP' } } },
      req: { headers: { cookie: 'hg_staff=s3cr3tsession', authorization: 'Bearer hgk_live_key' } },
      password: 'Welkom-1234!',
      note: 'call +31 6 1234 5678 or (020) 123 4567, mail samira@example.nl, code abcdefghjkmnp',
      list: ['0612345678', { code: 'x' }],
    });
    logger.error(new Error('could not store +31612345678 for samira@example.nl with code ABCD-EFGH-JKMNP'));
    logger.error({ err: new Error('duplicate 06-12345678') }, 'failed for ABCD-EFGH-JKMNP and 0612345678');
    logger.warn('resident samira@example.nl typed abcdefghjkmnp');
    const out = lines.join('');
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    for (const secret of SECRETS) expect(out).not.toContain(secret);
    expect(out).not.toMatch(/\d{8}/);
    expect(out).toContain('[redacted]');
    expect(out).toContain('[phone]');
  });

  it('keeps what is not personal: route patterns, status codes, the ISO time', () => {
    const { lines, logger } = capture();
    logger.info({ action: 'http.request', object: '/s/[code]', result: 201, origin: 'http', actor: 'resident', durationMs: 12.5 });
    const line = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(line).toMatchObject({ action: 'http.request', object: '/s/[code]', result: 201, origin: 'http', actor: 'resident', durationMs: 12.5 });
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('masks each kind of identifier in free text', () => {
    expect(maskText('bel 0031 6 12 34 56 78 nu')).toBe('bel [phone] nu');
    expect(maskText('code ABCD-EFGH-JKMNP of ABCDEFGHJKMNP')).toBe('code [code] of [code]');
    expect(maskText('mail a.b+c@gemeente.example.nl')).toBe('mail [email]');
    expect(maskText('reference ABCD-EFGH, status 422')).toBe('reference ABCD-EFGH, status 422');
  });
});
