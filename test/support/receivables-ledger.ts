/**
 * Generated receivables for the report tests: seeded (mulberry32 from `cash-ledger.ts`), no `Math.random`, no
 * clock, integer minor units only.
 * - `randomInvoices`: a ledger of stored invoices and credit notes in any states, for invariants of the ageing.
 * - `paymentBehaviourLedger`: a year of invoices and the cash that paid them, from customers whose payment habits
 *   are known by construction (on time, late by N days, erratic, partial payers), for the cash forecast's backtest.
 */
import { addDays } from '#domain/dates';
import type { CashReceipt, LedgerInvoice } from '#domain/forecast';
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

export type PaymentBehaviour =
  /** Pays within two days either side of the due date. */
  | { kind: 'on-time' }
  /** Pays `days` after the due date, give or take three days. */
  | { kind: 'late'; days: number }
  /** Pays anywhere from ten days early to sixty days late. */
  | { kind: 'erratic' }
  /** Pays 50–70 % around the due date and the rest 25–35 days after it. */
  | { kind: 'partial' };

export interface BehaviourLedger {
  asOf: string;
  customers: { id: string; behaviour: PaymentBehaviour; termsDays: number }[];
  invoices: LedgerInvoice[];
  /** The cash received before `asOf`; what the behaviours would pay later is not in the ledger yet. */
  receipts: CashReceipt[];
}

/**
 * A year (`days`) of invoices up to `asOf` from `customers` customers, each with one payment behaviour (drawn in
 * turn: on time, late by 10–50 days, erratic, partial), 14-, 30- or 60-day terms, an invoice every 3–12 days and
 * a size that scales its amounts 1–10×. Each invoice is paid as its customer's behaviour says; the receipts dated
 * before `asOf` are the ledger's cash, and what they leave is open.
 */
export function paymentBehaviourLedger(options: { seed: number; asOf: string; customers: number; days?: number; currency?: string }): BehaviourLedger {
  const random = new Random(options.seed);
  const currency = options.currency ?? 'EUR';
  const start = addDays(options.asOf, -(options.days ?? 364));
  const kinds: PaymentBehaviour['kind'][] = ['on-time', 'late', 'erratic', 'partial'];
  const customers = Array.from({ length: options.customers }, (_, index) => {
    const kind = kinds[index % kinds.length] as PaymentBehaviour['kind'];
    const behaviour: PaymentBehaviour = kind === 'late' ? { kind, days: random.int(10, 50) } : { kind };
    return { id: `C-${String(index + 1).padStart(3, '0')}`, behaviour, termsDays: random.pick([14, 30, 30, 60]), size: random.int(1, 10) };
  });
  const invoices: LedgerInvoice[] = [];
  const receipts: CashReceipt[] = [];
  for (const customer of customers) {
    for (let issueDate = addDays(start, random.int(0, 10)); issueDate < options.asOf; issueDate = addDays(issueDate, random.int(3, 12))) {
      const id = `${customer.id}-${String(invoices.length + 1).padStart(6, '0')}`;
      const dueDate = addDays(issueDate, customer.termsDays);
      const amountMinor = customer.size * random.int(100_00, 2_000_00);
      const payments = paymentsOf(customer.behaviour, amountMinor, random).map(({ days, amountMinor: paid }) => ({ invoiceId: id, date: addDays(dueDate, days), amountMinor: paid }));
      const received = payments.filter((payment) => payment.date < options.asOf && payment.date >= issueDate);
      const early = payments.filter((payment) => payment.date < issueDate);
      // Nobody pays before the invoice exists: such a payment arrives on the issue date.
      for (const payment of early) received.push({ ...payment, date: issueDate });
      receipts.push(...received);
      const openMinor = amountMinor - received.reduce((sum, payment) => sum + payment.amountMinor, 0);
      invoices.push({ id, customerId: customer.id, currency, issueDate, dueDate, amountMinor, openMinor });
    }
  }
  receipts.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { asOf: options.asOf, customers: customers.map(({ id, behaviour, termsDays }) => ({ id, behaviour, termsDays })), invoices, receipts };
}

/** The payments one invoice gets, in days after its due date. */
function paymentsOf(behaviour: PaymentBehaviour, amountMinor: number, random: Random): { days: number; amountMinor: number }[] {
  switch (behaviour.kind) {
    case 'on-time':
      return [{ days: random.int(-2, 2), amountMinor }];
    case 'late':
      return [{ days: behaviour.days + random.int(-3, 3), amountMinor }];
    case 'erratic':
      return [{ days: random.int(-10, 60), amountMinor }];
    case 'partial': {
      const first = Number((BigInt(amountMinor) * BigInt(random.int(50, 70))) / 100n);
      return [
        { days: random.int(-2, 2), amountMinor: first },
        { days: random.int(25, 35), amountMinor: amountMinor - first },
      ];
    }
  }
}
