import { describe, expect, it } from 'vitest';
import { signGenericWebhook, verifyGenericWebhook } from '#domain/webhook-signature';

const secret = 'test-secret';
const body = '{"externalId":"ORD-1"}';
const now = 1_795_000_000;

describe('generic webhook signature', () => {
  it('given a body signed now with the secret, when verified, then it passes', () => {
    expect(verifyGenericWebhook(signGenericWebhook(body, secret, now), body, secret, now)).toEqual({ ok: true });
  });

  it('given a body changed by one byte after signing, when verified, then it fails', () => {
    const header = signGenericWebhook(body, secret, now);

    expect(verifyGenericWebhook(header, body.replace('1', '2'), secret, now)).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('given another secret, when verified, then it fails', () => {
    expect(verifyGenericWebhook(signGenericWebhook(body, 'other', now), body, secret, now).ok).toBe(false);
  });

  it.each([
    [300, true],
    [301, false],
    [-300, true],
    [-301, false],
  ])('given a timestamp %i s from now, when verified, then ok is %s (5-minute window both ways)', (skew, ok) => {
    const header = signGenericWebhook(body, secret, now + skew);

    expect(verifyGenericWebhook(header, body, secret, now).ok).toBe(ok);
  });

  it('given two v1 values during a secret rotation, when one matches, then it passes', () => {
    const fresh = signGenericWebhook(body, secret, now);
    const old = signGenericWebhook(body, 'old-secret', now).split('v1=')[1];

    expect(verifyGenericWebhook(`${fresh},v1=${old}`, body, secret, now).ok).toBe(true);
  });

  it.each([undefined, '', 't=abc,v1=00', `v1=${'a'.repeat(64)}`, `t=${now}`, `t=${now},v1=zz`])(
    'given the malformed header %j, when verified, then it fails without throwing',
    (header) => {
      expect(verifyGenericWebhook(header, body, secret, now).ok).toBe(false);
    },
  );
});
