import type { BankEntry } from '#domain/bank-statement';
import type { Invoice } from '#domain/invoice';
import { eurInvoice } from '../fixtures/invoices/samples.ts';

let sequence = 0;

/** A booked EUR credit on our account with a fresh id and bank reference; `extra` overrides any field. */
export const bankEntry = (amountMinor: number, extra: Partial<BankEntry> = {}): BankEntry => ({
  id: `s:${++sequence}`,
  account: 'DE02120300000000202051',
  currency: 'EUR',
  amountMinor,
  bookingDate: '2026-11-20',
  valueDate: '2026-11-20',
  reversal: false,
  bankReference: `BANKREF-${sequence}`,
  references: [],
  remittance: '',
  counterparty: {},
  ...extra,
});

/** An issued EUR invoice of customer C-42 (the sample invoice renumbered) with `openMinor` open, as the invoice store holds it. */
export const storedInvoice = (number: string, openMinor: number, extra: Partial<Invoice> & { currency?: string; dueDate?: string } = {}): Invoice => {
  const { currency, dueDate, ...rest } = extra;
  return {
    id: `id-${number}`,
    customerId: 'C-42',
    orderId: `O-${number}`,
    shipmentKey: `DHL#${number}`,
    document: { ...eurInvoice, id: `id-${number}`, number, currency: currency ?? 'EUR', dueDate: dueDate ?? '2026-12-01', payableMinor: openMinor },
    status: 'OPEN',
    openMinor,
    email: { status: 'SENT', attempts: 1 },
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    version: 1,
    ...rest,
  };
};
