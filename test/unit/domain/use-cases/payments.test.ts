import { describe, expect, it } from 'vitest';
import { Conflict, InvalidRequest } from '#domain/errors';
import type { Invoice } from '#domain/invoice';
import type { Payment } from '#domain/payment';
import type { PaymentWrite } from '#domain/ports';
import { allocatePayment, type AllocatePaymentDeps, type AllocationRequest } from '#domain/use-cases/payments';
import { Random } from '../../../support/cash-ledger.ts';
import { storedInvoice } from '../../../support/cash-fixtures.ts';

const invoice = storedInvoice;

const unmatched = (amountMinor: number): Payment => ({
  id: 'PAY-1',
  account: 'DE02120300000000202051',
  currency: 'EUR',
  amountMinor,
  bookingDate: '2026-11-20',
  valueDate: '2026-11-20',
  bankReference: 'R-1',
  references: [],
  remittance: 'thanks',
  counterparty: { name: 'Acme GmbH', account: 'DE89370400440532013000' },
  source: { bankFile: 'sha', fileKey: 'inbound/a.xml', entryId: 'S:1' },
  status: 'UNMATCHED',
  allocations: [],
  adjustments: [],
  unappliedMinor: amountMinor,
  reason: 'no reference',
  candidates: [],
  createdAt: '2026-11-20T00:00:00.000Z',
  updatedAt: '2026-11-20T00:00:00.000Z',
  version: 1,
});

function harness(payment: Payment, invoices: Invoice[]) {
  const writes: PaymentWrite[] = [];
  const stored = new Map(invoices.map((item) => [item.id, item]));
  let n = 0;
  const deps: AllocatePaymentDeps = {
    payments: { get: async () => payment, write: async (change: PaymentWrite) => (writes.push(change), 'written') } as unknown as AllocatePaymentDeps['payments'],
    invoices: { get: async (id: string) => stored.get(id) } as unknown as AllocatePaymentDeps['invoices'],
    customers: { get: async () => undefined } as unknown as AllocatePaymentDeps['customers'],
    receivables: { oldestOverdueDays: async () => 0, overdueInvoiceIds: async () => [] },
    orders: { get: async () => undefined },
    clock: { now: () => new Date('2026-11-23T08:00:00Z') },
    ids: { next: () => `ID${++n}` },
    clerkWriteOffLimitMinor: () => 1_000_000,
  };
  return { deps, writes };
}

const request = (overrides: Partial<AllocationRequest>): AllocationRequest => ({ allocations: [], writeOffs: [], rememberPayer: false, ...overrides });
const caller = { actor: 'clerk@example.com', roles: ['credit-manager'] };

describe('allocatePayment: a person’s allocation never creates money either', () => {
  it('given a negative allocation (past the schema), when allocated, then it is refused and nothing is written', async () => {
    const { deps, writes } = harness(unmatched(1_000), [invoice('INV-2026-000901', 5_000)]);

    await expect(allocatePayment({ paymentId: 'PAY-1', request: request({ allocations: [{ invoiceId: 'id-INV-2026-000901', amountMinor: -500 }] }), caller }, deps)).rejects.toBeInstanceOf(InvalidRequest);
    expect(writes).toEqual([]);
  });

  it('given a write-off larger than what the allocation leaves open, when allocated, then 409 and nothing is written', async () => {
    const { deps, writes } = harness(unmatched(1_000), [invoice('INV-2026-000902', 1_005)]);

    const refused = allocatePayment({ paymentId: 'PAY-1', request: request({ allocations: [{ invoiceId: 'id-INV-2026-000902', amountMinor: 1_000 }], writeOffs: [{ invoiceId: 'id-INV-2026-000902', amountMinor: 10, reason: 'bank fee' }] }), caller }, deps);

    await expect(refused).rejects.toBeInstanceOf(Conflict);
    await expect(refused).rejects.toThrow(/more than the 1005 open/);
    expect(writes).toEqual([]);
  });

  it('given random requests (zero, negative, too large, split over invoices, with write-offs), when allocated, then each is refused or keeps every invariant', async () => {
    let written = 0;
    let refused = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const random = new Random(seed);
      const invoices = Array.from({ length: random.int(1, 3) }, (_, index) => invoice(`INV-2026-${String(seed * 10 + index).padStart(6, '0')}`, random.int(1, 5_000)));
      const payment = unmatched(random.int(1, 8_000));
      const amount = () => random.pick([0, -random.int(1, 100), random.int(1, 3_000), random.int(1, 10)]);
      const allocations = invoices.filter(() => random.chance(0.7)).map((item) => ({ invoiceId: item.id, amountMinor: amount() }));
      const writeOffs = allocations.filter(() => random.chance(0.4)).map((line) => ({ invoiceId: line.invoiceId, amountMinor: amount(), reason: 'fee' }));
      if (allocations.length === 0) continue;
      const { deps, writes } = harness(payment, invoices);
      try {
        await allocatePayment({ paymentId: 'PAY-1', request: request({ allocations, writeOffs }), caller }, deps);
      } catch (error) {
        expect(error instanceof Conflict || error instanceof InvalidRequest, String(error)).toBe(true);
        expect(writes).toEqual([]);
        refused++;
        continue;
      }
      written++;
      const [write] = writes;
      const after = 'changed' in write!.payment ? write!.payment.changed.after : undefined;
      const cash = allocations.reduce((sum, line) => sum + line.amountMinor, 0);
      expect(allocations.every((line) => line.amountMinor > 0) && writeOffs.every((line) => line.amountMinor > 0), `seed ${seed}`).toBe(true);
      expect(cash).toBeLessThanOrEqual(payment.unappliedMinor);
      expect(after!.unappliedMinor + cash).toBe(payment.unappliedMinor);
      for (const { before, after: invoiceAfter } of write!.invoices) {
        expect(invoiceAfter.openMinor, `seed ${seed}: ${before.document.number}`).toBeGreaterThanOrEqual(0);
        expect(invoiceAfter.openMinor).toBeLessThanOrEqual(before.openMinor);
      }
    }
    expect(written).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });
});
