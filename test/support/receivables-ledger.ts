/**
 * Generated receivables for the report tests: seeded (mulberry32 from `cash-ledger.ts`), no `Math.random`, no
 * clock, integer minor units only.
 * - `randomInvoices`: a ledger of stored invoices and credit notes in any states, for invariants of the ageing.
 */
import { addDays } from '#domain/dates';
import type { Invoice, InvoiceDocument, InvoiceStatus } from '#domain/invoice';
import { eurCreditNote, eurInvoice, jpyInvoice, kwdInvoice } from '../fixtures/invoices/samples.ts';
import { Random } from './cash-ledger.ts';

export { Random };

const bases: Record<string, InvoiceDocument> = { EUR: eurInvoice, JPY: jpyInvoice, KWD: kwdInvoice };

/** A stored invoice (or credit note) built from a sample document, with the receivable state given. */
export function storedInvoice(input: {
  id: string;
  customerId: string;
  currency: string;
  kind?: 'invoice' | 'credit-note';
  issueDate: string;
  dueDate: string;
  totalMinor: number;
  openMinor: number;
  status: InvoiceStatus;
  deductedMinor?: number;
}): Invoice {
  const base = input.kind === 'credit-note' ? { ...eurCreditNote, currency: input.currency } : (bases[input.currency] ?? { ...eurInvoice, currency: input.currency });
  const number = `${input.kind === 'credit-note' ? 'CN' : 'INV'}-${input.issueDate.slice(0, 4)}-${input.id}`;
  return {
    id: input.id,
    customerId: input.customerId,
    orderId: `O-${input.id}`,
    shipmentKey: `DHL#${input.id}`,
    document: { ...base, id: input.id, number, issueDate: input.issueDate, dueDate: input.dueDate, totalMinor: input.totalMinor, prepaidMinor: 0, payableMinor: input.totalMinor, paymentReference: `RF00${input.id}` },
    status: input.status,
    openMinor: input.openMinor,
    dunning: input.deductedMinor ? { level: 0, deductedMinor: input.deductedMinor } : undefined,
    email: { status: 'SENT', attempts: 1 },
    createdAt: `${input.issueDate}T09:00:00.000Z`,
    updatedAt: `${input.issueDate}T09:00:00.000Z`,
    version: 1,
  };
}

/**
 * `count` invoices and credit notes of `customers` customers in `currencies`, due from a year before `asOf` to
 * two months after it, in every status: open, partly paid, disputed (some with deductions), paid, credited, void.
 */
export function randomInvoices(random: Random, options: { count: number; asOf: string; currencies: readonly string[]; customers: number }): Invoice[] {
  const statuses: [InvoiceStatus, number][] = [
    ['OPEN', 5],
    ['PARTIALLY_PAID', 2],
    ['DISPUTED', 1],
    ['PAID', 2],
    ['CREDITED', 0.5],
    ['VOID', 0.3],
  ];
  return Array.from({ length: options.count }, (_, index) => {
    const currency = random.pick(options.currencies);
    const kind = random.chance(0.08) ? 'credit-note' : 'invoice';
    const dueDate = addDays(options.asOf, random.chance(0.05) ? 0 : random.int(-400, 60));
    const totalMinor = random.chance(0.05) ? 1 : random.int(1, 5_000_000);
    const status = kind === 'credit-note' ? random.pick<InvoiceStatus>(['PAID', 'OPEN', 'VOID']) : random.weighted(statuses);
    const openMinor = status === 'PAID' || status === 'CREDITED' || status === 'VOID' ? 0 : status === 'PARTIALLY_PAID' ? random.int(1, totalMinor) : kind === 'credit-note' ? random.int(0, totalMinor) : totalMinor;
    const deductedMinor = openMinor > 0 && random.chance(0.1) ? random.int(1, openMinor) : 0;
    return storedInvoice({ id: String(index + 1).padStart(6, '0'), customerId: `C-${random.int(1, options.customers)}`, currency, kind, issueDate: addDays(dueDate, -30), dueDate, totalMinor, openMinor, status, deductedMinor });
  });
}
