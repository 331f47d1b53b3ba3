import { describe, expect, it } from 'vitest';
import { defaultCreditPolicy } from '#domain/credit';
import { creditPolicyFrom } from '#schemas/credit-policy';

describe('credit policy configuration', () => {
  it('given no configuration, when loaded, then the documented defaults', () => {
    expect(creditPolicyFrom(undefined)).toEqual(defaultCreditPolicy);
  });

  it('given a partial policy, when loaded, then the rest is defaulted', () => {
    expect(creditPolicyFrom('{"maxOverdueDays": 10}')).toEqual({ ...defaultCreditPolicy, maxOverdueDays: 10 });
  });

  it.each(['{"reviewTolerancePercent": -1}', '{"maxOverdueDays": 1.5}', '{"unknownKnob": 1}'])('given %s, when loaded, then the cold start fails naming the field', (json) => {
    expect(() => creditPolicyFrom(json)).toThrow(/Invalid O2C_CREDIT_POLICY/);
  });
});
