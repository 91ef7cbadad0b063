// SPDX-License-Identifier: EUPL-1.2
/**
 * The second factor: TOTP (RFC 6238, 6 digits, 30 s) as every authenticator app speaks it,
 * accepted one step either side of now for clocks that drift, and each step only once.
 */
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

const PERIOD = 30;
const ISSUER = 'Hulpgesprek';

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, email: string): string {
  return generateURI({ issuer: ISSUER, label: email, secret, period: PERIOD });
}

/** The enrolment QR code as inline SVG markup (the page labels it). */
export async function totpQrSvg(secret: string, email: string): Promise<string> {
  const svg = await QRCode.toString(totpUri(secret, email), { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  // Drop the XML prolog so the SVG can sit inside HTML; the page gives it role="img" and a name.
  return svg.replace(/^<\?xml[^>]*>\s*/, '').trim();
}

/** The secret in groups of four, as people type it into an app by hand. */
export function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/** Digits only: people type "123 456" or paste with spaces. */
export function normaliseCode(raw: string): string | null {
  const code = raw.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(code) ? code : null;
}

/**
 * The time step the code belongs to when it is valid now (±1 step) and later than `lastStep`,
 * else null. The caller must then claim the step in the database (claimTotpStep), which is
 * what stops the same code from working twice across instances.
 */
export async function checkTotp(secret: string, rawCode: string, lastStep: number | null, now: Date): Promise<number | null> {
  const token = normaliseCode(rawCode);
  if (!token) return null;
  try {
    const result = await verify({
      secret,
      token,
      period: PERIOD,
      epoch: Math.floor(now.getTime() / 1000),
      epochTolerance: PERIOD,
      ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    return null;
  }
}
