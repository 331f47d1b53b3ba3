import { describe, expect, it } from 'vitest';
import { ProductBody } from '#schemas/operator-api';

describe('PUT /products/{sku} body', () => {
  it('given what GET answers (KWD, 3 decimals), when parsed, then accepted with the sku kept for the check and the stock we keep dropped', () => {
    const fromGet = { sku: 'DATES-KW', name: 'Dates', priceMinor: 1_250, currency: 'KWD', active: true, onHand: 12, reserved: 5, available: 7, updatedAt: '2026-12-01T10:00:00.000Z' };

    expect(ProductBody.parse(fromGet)).toEqual({ sku: 'DATES-KW', name: 'Dates', priceMinor: 1_250, currency: 'KWD', active: true, onHand: 12 });
  });

  it('given a field GET never answers, when parsed, then refused', () => {
    expect(ProductBody.safeParse({ onHand: 1, colour: 'red' }).success).toBe(false);
  });
});
