import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signBase64Hmac, verifyBase64Hmac } from '#domain/store-signatures';
import { repoRoot } from '#shared/state-machine-definitions';

/** A real store body, signed over its exact bytes (pretty-printed, trailing newline and all). */
const rawBody = readFileSync(join(repoRoot, 'test/fixtures/shopify/orders-create-docs-example.json'), 'utf8');
const secret = 'shpss_test_secret';

describe('store webhook signatures (base64 HMAC-SHA256 of the raw body)', () => {
  // RFC 4231 §4.2 and §4.3, HMAC-SHA-256: the published hex digests, re-encoded as base64 as the stores send them.
  it.each([
    ['RFC 4231 test case 1', '\u000b'.repeat(20), 'Hi There', 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
    ['RFC 4231 test case 2', 'Jefe', 'what do ya want for nothing?', '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
  ])('given the %s key and data, when signed and verified, then the base64 digest is the published one', (_case, key, data, publishedHex) => {
    const published = Buffer.from(publishedHex, 'hex').toString('base64');

    expect(signBase64Hmac(data, key)).toBe(published);
    expect(verifyBase64Hmac(published, data, key)).toEqual({ ok: true });
  });

  it('given a store body signed with the shared secret, when verified, then it passes', () => {
    expect(verifyBase64Hmac(signBase64Hmac(rawBody, secret), rawBody, secret)).toEqual({ ok: true });
  });

  it('given a body changed by one byte after signing, when verified, then it fails as a mismatch', () => {
    const header = signBase64Hmac(rawBody, secret);
    const tampered = rawBody.replace('"total_price": "359.97"', '"total_price": "359.98"');

    expect(tampered).not.toBe(rawBody);
    expect(verifyBase64Hmac(header, tampered, secret)).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('given the same JSON re-serialised (whitespace changed), when verified, then it fails: only the raw bytes count', () => {
    const header = signBase64Hmac(rawBody, secret);

    expect(verifyBase64Hmac(header, JSON.stringify(JSON.parse(rawBody)), secret).ok).toBe(false);
  });

  it('given another secret, when verified, then it fails as a mismatch', () => {
    expect(verifyBase64Hmac(signBase64Hmac(rawBody, 'other-secret'), rawBody, secret)).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('given a valid header with surrounding whitespace, when verified, then it passes', () => {
    expect(verifyBase64Hmac(`  ${signBase64Hmac(rawBody, secret)}\t`, rawBody, secret)).toEqual({ ok: true });
  });

  it.each([undefined, '', '   '])('given the missing header %j, when verified, then it fails without throwing', (header) => {
    expect(verifyBase64Hmac(header, rawBody, secret)).toEqual({ ok: false, reason: 'missing signature header' });
  });

  const valid = signBase64Hmac(rawBody, secret);
  it.each([
    ['hex instead of base64', Buffer.from(valid, 'base64').toString('hex')],
    ['a truncated digest', valid.slice(0, 40)],
    ['a digest with an extra character', `${valid}A`],
    ['the base64 of 31 bytes', Buffer.alloc(31, 7).toString('base64')],
    ['non-base64 characters', `${valid.slice(0, 42)}!=`],
    ['a sha256= prefix', `sha256=${valid}`],
    ['a generic t=,v1= header', `t=1795000000,v1=${'a'.repeat(64)}`],
    ['multi-byte text', 'é'.repeat(44)],
  ])('given a header with %s, when verified, then it fails as malformed without throwing', (_case, header) => {
    const check = verifyBase64Hmac(header, rawBody, secret);

    expect(check.ok).toBe(false);
    expect(check).toMatchObject({ reason: expect.stringMatching(/^malformed signature header/) });
  });

  it('given a well-formed base64 digest of the wrong body, when verified, then it fails as a mismatch', () => {
    expect(verifyBase64Hmac(signBase64Hmac('{}', secret), rawBody, secret)).toEqual({ ok: false, reason: 'signature does not match' });
  });
});
