import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignatureCheck } from './webhook-signature.ts';

/** A SHA-256 digest is 32 bytes, so its base64 form is always 44 characters ending in one `=`. */
const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

/**
 * The base64 HMAC-SHA256 of the raw body, as Shopify (`X-Shopify-Hmac-Sha256`) and WooCommerce
 * (`X-WC-Webhook-Signature`) compute it. Exposed so tests and the CLI can sign a body exactly like a store does.
 */
export function signBase64Hmac(rawBody: string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody, 'utf8').digest('base64');
}

/**
 * Checks a store's base64 HMAC-SHA256 header against the raw body. The stores sign the exact bytes they send,
 * so the body must be the untouched request text (never re-serialised JSON). The comparison is constant-time on
 * two 32-byte buffers, and malformed input (missing header, wrong length, not base64) is a reason, never a throw.
 * Stores sign without a timestamp, so replay protection is the delivery-id dedupe, not this check.
 */
export function verifyBase64Hmac(header: string | undefined, rawBody: string, secret: string): SignatureCheck {
  if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing signature header' };
  const candidate = header.trim();
  if (!BASE64_SHA256.test(candidate))
    return { ok: false, reason: 'malformed signature header (expected the base64 HMAC-SHA256 of the body)' };
  const expected = createHmac('sha256', secret).update(rawBody, 'utf8').digest();
  const received = Buffer.from(candidate, 'base64');
  if (received.length !== expected.length) return { ok: false, reason: 'malformed signature header (expected the base64 HMAC-SHA256 of the body)' };
  return timingSafeEqual(received, expected) ? { ok: true } : { ok: false, reason: 'signature does not match' };
}
