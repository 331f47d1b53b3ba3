import { describe, expect, it } from 'vitest';
import type { BankEntry } from '#domain/bank-statement';
import type { Customer } from '#domain/customer';
import type { Invoice } from '#domain/invoice';
import type { Order } from '#domain/order';
import { orderAfterSettlement, paymentIdFor, settleInvoice, settledByInvoice, withExposureReduced } from '#domain/payment';
import { eurInvoice } from '../../fixtures/invoices/samples.ts';

const invoice = (overrides: Partial<Invoice> = {}): Invoice => ({
  id: 'INV-ID-1',
  customerId: 'C-42',
  orderId: eurInvoice.orderId,
  shipmentKey: 'DHL#1',
  document: eurInvoice,
  status: 'OPEN',
  openMinor: eurInvoice.payableMinor,
  email: { status: 'SENT', attempts: 1 },
  createdAt: '2026-03-02T10:00:00.000Z',
  updatedAt: '2026-03-02T10:00:00.000Z',
  version: 3,
  ...overrides,
});

const entry = (overrides: Partial<BankEntry> = {}): BankEntry => ({
  id: 'S1:1',
  account: 'DE02120300000000202051',
  currency: 'EUR',
  amountMinor: 1000,
  bookingDate: '2026-11-20',
  valueDate: '2026-11-20',
  reversal: false,
  bankReference: 'BR-1',
  references: [],
  remittance: 'first',
  counterparty: {},
  ...overrides,
});

const AT = '2026-11-23T10:00:00.000Z';

describe('paymentIdFor', () => {
  it('given the same entry in two overlapping statements (other statement ids and remittance text), when keyed, then the same payment id', () => {
    expect(paymentIdFor(entry({ id: 'S2:7', remittance: 'as shown another day' }))).toBe(paymentIdFor(entry()));
  });

  it('given a different bank reference, amount, date or account, when keyed, then a different payment id', () => {
    const ids = [entry(), entry({ bankReference: 'BR-2' }), entry({ amountMinor: 1001 }), entry({ bookingDate: '2026-11-21' }), entry({ account: 'DE89370400440532013000' })].map(paymentIdFor);
    expect(new Set(ids).size).toBe(5);
  });

  it('given no bank reference (NONREF), when keyed, then the content decides, so two different payments stay two', () => {
    expect(paymentIdFor(entry({ bankReference: 'NONREF', remittance: 'a' }))).not.toBe(paymentIdFor(entry({ bankReference: 'NONREF', remittance: 'b' })));
    expect(paymentIdFor(entry({ bankReference: 'NONREF', id: 'X:1' }))).toBe(paymentIdFor(entry({ bankReference: 'NONREF', id: 'Y:9' })));
  });
});

describe('settleInvoice', () => {
  it('given an open invoice, when part of it is paid, then PARTIALLY_PAID with the rest open and the version moved on', () => {
    expect(settleInvoice(invoice(), 10_000, 0, AT)).toMatchObject({ status: 'PARTIALLY_PAID', openMinor: eurInvoice.payableMinor - 10_000, paidMinor: 10_000, version: 4, updatedAt: AT });
  });

  it('given the rest paid less a discount, when settled, then PAID with only the cash counted as paid', () => {
    const settled = settleInvoice(settleInvoice(invoice(), 10_000, 0, AT), eurInvoice.payableMinor - 10_500, 500, AT);
    expect(settled).toMatchObject({ status: 'PAID', openMinor: 0, paidMinor: eurInvoice.payableMinor - 500 });
  });

  it('given a paid invoice, when its payment is returned, then OPEN again', () => {
    const paid = settleInvoice(invoice(), eurInvoice.payableMinor, 0, AT);
    expect(settleInvoice(paid, -eurInvoice.payableMinor, 0, AT)).toMatchObject({ status: 'OPEN', openMinor: eurInvoice.payableMinor, paidMinor: 0 });
  });

  it('given a disputed invoice, when paid, then it stays DISPUTED and returns to PAID when the dispute ends', () => {
    const settled = settleInvoice(invoice({ status: 'DISPUTED', dispute: { id: 'D1', statusBefore: 'OPEN' } }), eurInvoice.payableMinor, 0, AT);
    expect(settled).toMatchObject({ status: 'DISPUTED', openMinor: 0, dispute: { id: 'D1', statusBefore: 'PAID' } });
  });

  it('given more than is open, when settled, then it refuses rather than go negative', () => {
    expect(() => settleInvoice(invoice({ openMinor: 100 }), 101, 0, AT)).toThrow(RangeError);
  });
});

describe('exposure and totals', () => {
  const customer = { id: 'C-42', currency: 'EUR', exposureMinor: 50_000, version: 7 } as Customer;

  it('given cash in the customer’s credit currency, when settled, then exposure falls by it; in another currency it is left alone', () => {
    expect(withExposureReduced(customer, 'EUR', 20_000, AT)).toMatchObject({ exposureMinor: 30_000, version: 8 });
    expect(withExposureReduced(customer, 'EUR', -20_000, AT)).toMatchObject({ exposureMinor: 70_000 });
    expect(withExposureReduced(customer, 'USD', 20_000, AT)).toBeUndefined();
  });

  it('given allocations and adjustments over two invoices, when totalled, then cash and adjustments per invoice', () => {
    const totals = settledByInvoice({
      allocations: [
        { invoiceId: 'A', amountMinor: 100 },
        { invoiceId: 'B', amountMinor: 200 },
      ],
      adjustments: [{ invoiceId: 'B', amountMinor: 5 }],
    });
    expect(Object.fromEntries(totals)).toEqual({ A: { cash: 100, adjusted: 0 }, B: { cash: 200, adjusted: 5 } });
  });
});

describe('orderAfterSettlement', () => {
  const order = (status: Order['status'], invoiceIds: string[]) => ({ id: 'O1', status, version: 4, invoiced: { quantities: [], netMinor: [], shipping: true, invoiceIds } }) as unknown as Order;
  const paid = invoice({ id: 'A', status: 'PAID', openMinor: 0 });
  const open = invoice({ id: 'B' });

  it('given an invoiced order whose invoices are all paid, when settled, then it is PAID', () => {
    expect(orderAfterSettlement(order('INVOICED', ['A']), (id) => (id === 'A' ? paid : undefined), AT)).toMatchObject({ status: 'PAID', version: 5 });
  });

  it('given one invoice still open, when settled, then the order does not change', () => {
    expect(orderAfterSettlement(order('INVOICED', ['A', 'B']), (id) => ({ A: paid, B: open })[id], AT)).toBeUndefined();
  });

  it('given a credited invoice replaced by a corrected one that is open, when settled, then the order waits for the replacement', () => {
    const credited = invoice({ id: 'C', status: 'CREDITED', openMinor: 0, replacedByInvoiceId: 'B' });
    expect(orderAfterSettlement(order('INVOICED', ['C']), (id) => ({ C: credited, B: open })[id], AT)).toBeUndefined();
    expect(orderAfterSettlement(order('INVOICED', ['C']), (id) => ({ C: credited, B: { ...open, status: 'PAID' as const, openMinor: 0 } })[id], AT)).toMatchObject({ status: 'PAID' });
  });

  it('given a paid order whose invoice was reopened by a return, when settled, then it is INVOICED again', () => {
    expect(orderAfterSettlement(order('PAID', ['B']), () => open, AT)).toMatchObject({ status: 'INVOICED' });
  });
});
