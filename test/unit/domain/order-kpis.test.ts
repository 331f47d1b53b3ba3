import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CASH_APPLICATION_ACTOR, COLLECTIONS_ACTOR, isPersonActor } from '#domain/audit';
import { orderKpis, type OrderEvent } from '#domain/order-kpis';

let sequence = 0;
/** An order event `minutes` after 2026-06-01T08:00Z. */
const event = (orderId: string, type: string, actor: string, minutes: number, after?: string): OrderEvent => ({
  id: String(++sequence).padStart(4, '0'),
  entity: 'order',
  entityId: orderId,
  type,
  actor,
  at: new Date(Date.parse('2026-06-01T08:00:00.000Z') + minutes * 60_000).toISOString(),
  after,
});
const HOUR = 60;
const DAY = 24 * HOUR;

// The worked example of docs/kpis.md ("Orders").
const events: OrderEvent[] = [
  // O1: through without a person, paid 30 days after invoicing.
  event('O1', 'OrderStored', 'webhook:shopify', 0, 'NEW'),
  event('O1', 'OrderReceived', 'workflow:order', 1, 'RECEIVED'),
  event('O1', 'CreditApproved', 'workflow:credit', HOUR, 'APPROVED'),
  event('O1', 'StockReserved', 'workflow:fulfilment', HOUR + 1, 'AWAITING_SHIPMENT'),
  event('O1', 'OrderShipped', 'carrier:dhl', DAY, 'SHIPPED'),
  event('O1', 'InvoiceIssued', 'workflow:billing', DAY + HOUR, 'INVOICED'),
  event('O1', 'OrderPaid', CASH_APPLICATION_ACTOR, 31 * DAY + HOUR, 'PAID'),
  // O2: credit review approved by a person.
  event('O2', 'OrderStored', 'webhook:generic', 0, 'NEW'),
  event('O2', 'CreditReviewRequired', 'workflow:credit', 10, 'CREDIT_REVIEW'),
  event('O2', 'CreditApprovedByReview', 'alice', 5 * HOUR, 'APPROVED'),
  event('O2', 'OrderShipped', 'carrier:ups', 2 * DAY, 'PARTIALLY_SHIPPED'),
  event('O2', 'OrderShipped', 'carrier:ups', 3 * DAY, 'SHIPPED'),
  event('O2', 'InvoiceIssued', 'workflow:billing', 3 * DAY + 10, 'INVOICED'),
  // O3: paid at checkout: invoicing settles it.
  event('O3', 'OrderStored', 'webhook:woocommerce', 0, 'NEW'),
  event('O3', 'CreditApproved', 'workflow:credit', 10, 'APPROVED'),
  event('O3', 'OrderShipped', 'carrier:dhl', 2 * DAY, 'SHIPPED'),
  event('O3', 'InvoiceIssued', 'workflow:billing', 2 * DAY + 30, 'PAID'),
  // O4: rejected by the policy.
  event('O4', 'OrderStored', 'webhook:generic', 0, 'NEW'),
  event('O4', 'CreditRejected', 'workflow:credit', 5, 'REJECTED'),
  // O5: held, released by a person, not yet decided.
  event('O5', 'OrderStored', 'webhook:generic', 0, 'NEW'),
  event('O5', 'OrderHeld', 'workflow:order', 1, 'ON_HOLD'),
  event('O5', 'OrderReleased', 'bob', 2 * HOUR, 'RECEIVED'),
];

describe('order KPIs: worked example (docs/kpis.md, "Orders")', () => {
  const kpis = orderKpis({ events: [...events].reverse() });

  it('given three invoiced orders of which one needed a credit reviewer, when rated, then 2/3 are touchless', () => {
    expect(kpis.touchless).toEqual({ part: 2, whole: 3, percent: '66.67' });
    expect(kpis).toMatchObject({ orderCount: 5, invoicedCount: 3 });
    expect(kpis.traces.find((trace) => trace.orderId === 'O2')?.manualSteps).toEqual([{ type: 'CreditApprovedByReview', actor: 'alice', at: '2026-06-01T13:00:00.000Z' }]);
    expect(kpis.traces.find((trace) => trace.orderId === 'O5')).toMatchObject({ touchless: false, manualSteps: [{ actor: 'bob' }] });
  });

  it('given the stages each order reached, when the cycle is measured, then each stage has its median and p90 over the orders that reached both ends', () => {
    expect(kpis.cycle.orderedToApproved).toMatchObject({ count: 3, median: { seconds: HOUR * 60 }, p90: { seconds: 5 * HOUR * 60, days: '0.21' } });
    expect(kpis.cycle.approvedToShipped.samples).toEqual([
      { id: 'O1', seconds: (DAY - HOUR) * 60 },
      { id: 'O2', seconds: (3 * DAY - 5 * HOUR) * 60 },
      { id: 'O3', seconds: (2 * DAY - 10) * 60 },
    ]);
    expect(kpis.cycle.invoicedToPaid.samples).toEqual([
      { id: 'O1', seconds: 30 * DAY * 60 },
      { id: 'O3', seconds: 0 },
    ]);
    expect(kpis.cycle.orderedToPaid).toMatchObject({ count: 2, median: { days: '2.02' }, p90: { days: '31.04' } });
  });

  it('given four credit decisions, when counted, then the policy\'s outcomes and the reviewer\'s', () => {
    expect(kpis.credit).toEqual({
      decided: 4,
      approved: { part: 2, whole: 4, percent: '50.00' },
      review: { part: 1, whole: 4, percent: '25.00' },
      rejected: { part: 1, whole: 4, percent: '25.00' },
      reviewApproved: 1,
      reviewRejected: 0,
      reviewPending: 0,
    });
  });
});

describe('who is a person in the audit trail', () => {
  it.each(['alice', 'ops@example.com', 'unknown'])('given the actor %s, when asked, then it is a person', (actor) => {
    expect(isPersonActor(actor)).toBe(true);
  });

  it('given every system actor the code writes, when asked, then none is a person', () => {
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []));
    const literals = new Set<string>([CASH_APPLICATION_ACTOR, COLLECTIONS_ACTOR]);
    for (const file of [...files('shared'), ...files('functions')]) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/actor: '([^']+)'/g)) literals.add(match[1] as string);
      for (const match of text.matchAll(/'((?:workflow|webhook|carrier):[^']*)'/g)) literals.add(match[1] as string);
      for (const match of text.matchAll(/`((?:workflow|webhook|carrier):)\$\{/g)) literals.add(`${match[1]}x`);
    }
    expect([...literals].filter(isPersonActor)).toEqual([]);
    expect(literals.size).toBeGreaterThan(8);
  });
});
