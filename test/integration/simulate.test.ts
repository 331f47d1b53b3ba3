/**
 * `o2c simulate` (issue 14), a short seeded run in `npm test`: its own runtime on free ports and fresh data, a
 * business of a few customers for twelve days under chaos (duplicates, injected failures, files dropped again,
 * kill -9 and restart, once with orders in flight), and every invariant 0 against the simulator's own books. The long
 * run is part of `npm run bench`.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../local/simulate/simulate.ts';

describe('o2c simulate', () => {
  it('given seed 11, 12 days of 3 orders a day from 6 customers with chaos, when simulated through the real pipeline, then nothing is lost, doubled or mis-booked, and every kind of chaos happened', async () => {
    const result = await simulate({ days: 12, ordersPerDay: 3, customers: 6, seed: 11, chaos: true });

    expect(result.failed, JSON.stringify(result.details, null, 2)).toEqual([]);
    expect(result.orders.sent).toBe(36);
    expect(result.orders.accepted).toBe(36);
    expect(Object.keys(result.orders.bySource).sort()).toEqual(['generic', 'shopify', 'woocommerce']);
    expect(result.cost?.perThousandOrdersUsd).toBeGreaterThan(0);
    expect(result.invoices.issued).toBeGreaterThan(0);
    expect(Object.values(result.invariants.ledgerDifferenceMinor).every((difference) => difference === 0)).toBe(true);
    expect(result.kpis?.differences).toEqual([]);
    for (const kind of ['duplicateDeliveries', 'outOfOrder', 'injectedFailures', 'redroppedFiles', 'restarts', 'killsInFlight'] as const) expect(result.chaos[kind], kind).toBeGreaterThan(0);
    // The business's awkward turns happened too, and O2C's invoices for them add up to what the seller expected.
    expect(result.orders.splitShipments).toBeGreaterThan(0);
    expect(result.orders.cancelledByBuyer).toBeGreaterThan(0);
    expect(result.cash.earlyPaymentDiscounts).toBeGreaterThan(0);
    expect(result.cash.overlappingStatements).toBeGreaterThan(0);
    expect(result.from).toBe('2027-01-04');
  }, 600_000);
});
