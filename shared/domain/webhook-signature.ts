import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a signature's timestamp may be from now, either way (DESIGN §4: five minutes). */
export const SIGNATURE_WINDOW_SECONDS = 300;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** `X-O2C-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export function signGenericWebhook(rawBody: string, secret: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${rawBody}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export function verifyGenericWebhook(
  header: string | undefined,
  rawBody: string,
  secret: string,
  nowUnixSeconds: number,
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing X-O2C-Signature header' };
  const parts = new Map<string, string[]>();
  for (const part of header.split(',')) {
    const [key, ...rest] = part.trim().split('=');
    if (!key || rest.length === 0) continue;
    parts.set(key, [...(parts.get(key) ?? []), rest.join('=')]);
  }
  const timestamp = parts.get('t')?.[0];
  const candidates = parts.get('v1') ?? [];
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || candidates.length === 0)
    return { ok: false, reason: 'malformed X-O2C-Signature header (expected t=<unix seconds>,v1=<hex>)' };
  if (Math.abs(nowUnixSeconds - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS)
    return { ok: false, reason: 'signature timestamp outside the 5-minute window' };
  const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest();
  // Several v1 values let a sender sign with the old and the new secret during a rotation.
  const matches = candidates.some((candidate) => {
    if (!/^[0-9a-f]{64}$/i.test(candidate)) return false;
    return timingSafeEqual(Buffer.from(candidate, 'hex'), expected);
  });
  return matches ? { ok: true } : { ok: false, reason: 'signature does not match' };
}
