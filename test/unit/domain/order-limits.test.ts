import { describe, expect, it } from 'vitest';
import { InvalidRequest } from '#domain/errors';
import type { CanonicalOrder } from '#domain/order';
import { checkOrderLimits } from '#domain/order-limits';

const order = (overrides: Partial<CanonicalOrder>): CanonicalOrder => ({
  source: 'shopify',
  externalId: '1001',
  orderedAt: '2026-11-23T10:00:00Z',
  currency: 'EUR',
  customer: { externalId: 'C-1', name: 'Acme GmbH', email: 'ap@acme.example', country: 'DE' },
  lines: [{ sku: 'A', quantity: 1, unitPriceMinor: 1999, taxRatePpm: 190_000 }],
  shippingMinor: 0,
  ...overrides,
});

const refusal = (candidate: CanonicalOrder) => {
  try {
    checkOrderLimits(candidate, 'invalid order');
  } catch (error) {
    if (error instanceof InvalidRequest) return JSON.stringify(error.details);
    throw error;
  }
  return undefined;
};

describe('order limits', () => {
  it('given a negative shipping amount (a store bug), when checked, then refused as negative, not as too large', () => {
    expect(refusal(order({ shippingMinor: -4000 }))).toMatch(/shippingMinor.*must not be negative/);
  });

  it('given a line whose discounts exceed it, when checked, then refused naming its discount as negative', () => {
    expect(refusal(order({ lines: [{ sku: 'A', quantity: 1, unitPriceMinor: 100, taxRatePpm: 0, discountMinor: 150 }] }))).toMatch(/lines\.0\.discountMinor.*must not be negative/);
  });
});
