import { describe, expect, it } from 'vitest';
import { keys } from '#domain/keys';
import { normalizeAccount, normalizePartyName } from '#domain/remittance';

describe('what a bank file says becomes a table key', () => {
  it('given an account written with spaces, when normalized, then the compact IBAN; given one longer than any account scheme, then no account', () => {
    expect(normalizeAccount('DE02 1203 0000 0000 2020 51')).toBe('DE02120300000000202051');
    expect(normalizeAccount(`SE${'1'.repeat(63)}`)).toBeUndefined();
    expect(normalizeAccount(`SE${'1'.repeat(62)}`)).toHaveLength(64);
  });

  it('given a payer name of thousands of characters, when keyed, then the key stays far below DynamoDB\'s 2,048 bytes and names sharing its first 200 characters share it', () => {
    const name = normalizePartyName(`${'Ärger Straße '.repeat(400)}\uFFFF AB`)!;

    const partition = keys.payerNamePartition(name);

    expect(Buffer.byteLength(partition)).toBeLessThanOrEqual(210);
    expect(keys.payerName(name, 'C1').pk).toBe(partition);
    expect(keys.payerNamePartition(`${name} other`)).toBe(partition);
  });
});
