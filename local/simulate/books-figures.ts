/**
 * The figures the simulator's books imply, and how they compare with what O2C shows: pure functions (no HTTP), so
 * each comparison `invariants.ts` makes can be tested on awkward books by hand. A figure is computed from the
 * books' own record (what was ordered, shipped, paid, credited); O2C's side comes in as read from its API.
 */
import { percentToPpm } from '#domain/money';
import { priceOrder } from '#domain/order';
import type { Business, SimOrder } from './business.ts';
import type { BookInvoice, BookOrder, SentPayment } from './driver.ts';

/**
 * Statuses in which O2C has approved an order's credit and not invoiced it yet: from the credit approval (APPROVED)
 * through reserving and shipping. Earlier (NEW, RECEIVED, ON_HOLD, CREDIT_REVIEW) no credit is taken; REJECTED and
 * CANCELLED hold none; INVOICED and PAID owe through their invoices.
 */
export const APPROVED_NOT_INVOICED = ['APPROVED', 'BACKORDERED', 'AWAITING_SHIPMENT', 'PARTIALLY_SHIPPED', 'SHIPPED'];

/** Bank references of the transfers O2C applied (by itself or through the clerk): only those reduce what is open. */
export function appliedReferences(payments: readonly SentPayment[]): Set<string> {
  return new Set(payments.filter((payment) => payment.outcome === 'auto' || payment.outcome === 'clerk').map((payment) => payment.bankReference));
}

/** What the books say is still owed on an invoice: payable − credited − the applied parts of the cash sent for it. */
export function bookOpenMinor(invoice: Pick<BookInvoice, 'payableMinor' | 'creditedMinor' | 'discountMinor' | 'paid'>, applied: ReadonlySet<string>): number {
  return invoice.payableMinor - invoice.creditedMinor - invoice.discountMinor - invoice.paid.filter((part) => applied.has(part.bankReference)).reduce((sum, part) => sum + part.amountMinor, 0);
}

/**
 * An order's gross total as O2C prices it (`priceOrder`, tax rounded once per rate over the order) from the lines the
 * business placed: net unit prices, shipping untaxed (the simulator sends no shipping tax rate), nothing included.
 */
export function orderTotalMinor(order: Pick<SimOrder, 'lines' | 'shippingMinor'>): number {
  const lines = order.lines.map((line) => ({ sku: line.sku, quantity: line.quantity, unitPriceMinor: line.unitPriceMinor, taxRatePpm: percentToPpm(line.taxRatePercent) }));
  const priced = priceOrder(lines, { amountMinor: order.shippingMinor, taxRatePpm: 0 }, false);
  return [...priced.lines, priced.shipping].reduce((sum, part) => sum + part.netMinor + part.taxMinor, 0);
}

/**
 * What an order adds to its customer's exposure: its total less what the store collected at checkout. Only a store
 * order can be prepaid (the driver drops `prepaid` when it falls back to the generic webhook), and then in full.
 */
export function orderExposureMinor(order: SimOrder, source: BookOrder['source']): number {
  const total = orderTotalMinor(order);
  return source !== 'generic' && order.prepaid ? 0 : total;
}

/** The business's order behind a book order, regenerated from its day (the business is pure and seeded). */
export function businessOrderLookup(business: Pick<Business, 'ordersOn'>): (order: Pick<BookOrder, 'externalId' | 'day'>) => SimOrder | undefined {
  const days = new Map<number, Map<string, SimOrder>>();
  return (order) => {
    let day = days.get(order.day);
    if (!day) days.set(order.day, (day = new Map(business.ordersOn(order.day).map((placed) => [placed.externalId, placed]))));
    return day.get(order.externalId);
  };
}

export interface BooksExposure {
  /** Approved orders the books have no invoice for: their totals less prepayment. */
  uninvoicedMinor: number;
  /** What the books say is open on the customer's invoices (never below 0: O2C settles at most what is open). */
  openMinor: number;
  totalMinor: number;
}

/**
 * Each O2C customer's credit exposure by the books (O2C's definition, `Customer.exposureMinor`: accepted orders not
 * yet invoiced, then open receivables): grouped by the O2C customer id the books saw on the order, since a customer
 * whose order fell back to the generic webhook is a second O2C customer. An order the business cannot regenerate is
 * reported in `unknown` rather than guessed.
 */
export function booksExposure(input: {
  orders: readonly BookOrder[];
  invoices: readonly BookInvoice[];
  applied: ReadonlySet<string>;
  businessOrder: (order: BookOrder) => SimOrder | undefined;
}): { byCustomer: Map<string, BooksExposure>; unknown: string[] } {
  const byCustomer = new Map<string, BooksExposure>();
  const unknown: string[] = [];
  const of = (customerId: string) => byCustomer.get(customerId) ?? byCustomer.set(customerId, { uninvoicedMinor: 0, openMinor: 0, totalMinor: 0 }).get(customerId)!;
  const ordersById = new Map(input.orders.filter((order) => order.orderId).map((order) => [order.orderId!, order]));
  const invoicedByOrder = new Map<string, number>();
  for (const invoice of input.invoices) invoicedByOrder.set(invoice.orderId, (invoicedByOrder.get(invoice.orderId) ?? 0) + invoice.payableMinor);
  for (const order of input.orders) {
    if (order.answer !== 202 || !order.customerId) continue;
    of(order.customerId);
    if (!order.status || !APPROVED_NOT_INVOICED.includes(order.status)) continue;
    const placed = input.businessOrder(order);
    // A split order's first invoice moved its share from the order to the receivables: what is left is not invoiced yet.
    if (!placed) unknown.push(`${order.externalId}: not among the business's orders of day ${order.day}`);
    else of(order.customerId).uninvoicedMinor += Math.max(0, orderExposureMinor(placed, order.source) - (order.orderId ? (invoicedByOrder.get(order.orderId) ?? 0) : 0));
  }
  for (const invoice of input.invoices) {
    const customerId = ordersById.get(invoice.orderId)?.customerId;
    if (!customerId) {
      unknown.push(`${invoice.number}: its order ${invoice.orderId} has no customer in the books`);
      continue;
    }
    of(customerId).openMinor += Math.max(0, bookOpenMinor(invoice, input.applied));
  }
  for (const exposure of byCustomer.values()) exposure.totalMinor = exposure.uninvoicedMinor + exposure.openMinor;
  return { byCustomer, unknown };
}

/** O2C's figure per key beside the books': Σ |O2C − books| and a line per key that differs (a key missing on one side counts as 0 there). */
export function compareByKey(o2c: ReadonlyMap<string, number>, books: ReadonlyMap<string, number>, label: (key: string) => string): { differenceMinor: number; details: string[] } {
  let differenceMinor = 0;
  const details: string[] = [];
  for (const key of new Set([...o2c.keys(), ...books.keys()])) {
    const shown = o2c.get(key) ?? 0;
    const booked = books.get(key) ?? 0;
    if (shown === booked) continue;
    differenceMinor += Math.abs(shown - booked);
    details.push(`${label(key)}: O2C ${o2c.has(key) ? shown : 'none'}, the books ${books.has(key) ? booked : 'none'}`);
  }
  return { differenceMinor, details };
}

/** The JSON statement of account as far as it is compared (`GET /customers/{id}/statement`, `#domain/statement`). */
export interface StatementView {
  items: { kind: string; invoiceId?: string | undefined; number: string; currency: string; openMinor: number }[];
  totals: { currency: string; balanceMinor: number }[];
}

/**
 * A customer's statement by the books: each invoice still owed with what is open on it, and the closing balance per
 * currency (Σ of what the books say is open, an overpaid invoice's negative amount included: cash held on account).
 */
export function booksStatement(invoices: readonly BookInvoice[], applied: ReadonlySet<string>): { openItems: Map<string, { number: string; openMinor: number }>; balances: Map<string, number> } {
  const openItems = new Map<string, { number: string; openMinor: number }>();
  const balances = new Map<string, number>();
  for (const invoice of invoices) {
    const open = bookOpenMinor(invoice, applied);
    if (open > 0) openItems.set(invoice.id, { number: invoice.number, openMinor: open });
    balances.set(invoice.currency, (balances.get(invoice.currency) ?? 0) + open);
  }
  return { openItems, balances };
}

/**
 * O2C's statement against the books: the closing balance per currency and each open invoice's open amount. The
 * difference is the sum of both: a wrong item usually moves the balance too, and either alone is worth a look.
 */
export function compareStatement(statement: StatementView, books: ReturnType<typeof booksStatement>): { differenceMinor: number; details: string[] } {
  const shownItems = new Map(statement.items.filter((item) => item.kind === 'invoice' && item.invoiceId).map((item) => [item.invoiceId!, item]));
  const numbers = new Map([...[...books.openItems].map(([id, item]) => [id, item.number] as const), ...[...shownItems].map(([id, item]) => [id, item.number] as const)]);
  const items = compareByKey(new Map([...shownItems].map(([id, item]) => [id, item.openMinor])), new Map([...books.openItems].map(([id, item]) => [id, item.openMinor])), (id) => `open item ${numbers.get(id) ?? id}`);
  const balances = compareByKey(new Map(statement.totals.map((total) => [total.currency, total.balanceMinor])), books.balances, (currency) => `closing balance ${currency}`);
  return { differenceMinor: items.differenceMinor + balances.differenceMinor, details: [...balances.details, ...items.details] };
}

/** Orders O2C holds more than once for one store reference (`source` + `externalId`): one line per reference. */
export function duplicateOrderLines(orders: readonly { id: string; source: string; externalId: string }[]): string[] {
  const byReference = groupBy(orders, (order) => `${order.source} ${order.externalId}`);
  return [...byReference].filter(([, group]) => group.length > 1).map(([reference, group]) => `${reference}: ${group.length} orders (${group.map((order) => order.id).join(', ')})`);
}

export interface ListedDocument {
  id: string;
  kind?: string | undefined;
  number: string;
  orderId: string;
  status: string;
}

/**
 * Orders with more live invoices (not VOID, not credit notes) than the books shipped them: today one shipment per
 * shipped order, so a second invoice, or an invoice for an order the books never shipped, is one too many.
 */
export function duplicateInvoiceLines(documents: readonly ListedDocument[], shipmentsOf: (orderId: string) => number, orderLabel: (orderId: string) => string): string[] {
  const live = documents.filter((document) => (document.kind ?? 'invoice') === 'invoice' && document.status !== 'VOID');
  return [...groupBy(live, (document) => document.orderId)]
    .filter(([orderId, group]) => group.length > shipmentsOf(orderId))
    .map(([orderId, group]) => `${orderLabel(orderId)}: ${group.map((document) => document.number).join(', ')} for ${shipmentsOf(orderId)} shipment(s)`);
}

/** Leading series and trailing counter of a document number: `INV-2026-000123` → [`INV-2026-`, 123]. */
export function seriesOf(number: string): [string, number] | undefined {
  const match = /^(.*?)(\d+)$/.exec(number);
  return match ? [match[1] as string, Number(match[2])] : undefined;
}

/**
 * Judges each number series (invoices, credit notes, per year) of the documents listed, one document per id. A
 * number used by two documents is a duplicate. On a fresh ledger every series O2C issued must be 1..N (its counter
 * starts at 1 per series and year and a number is taken in the same transaction as its document), so every number
 * missing below the highest is a gap, an early one or one before the last alike. On a ledger others write to,
 * their documents fill numbers we cannot see: gaps are not judged there.
 */
export function judgeNumbering(documents: readonly { id: string; number: string }[], options: { freshLedger: boolean }): { gaps: number; duplicates: number; gapLines: string[]; duplicateLines: string[]; unparsed: string[] } {
  const byId = new Map(documents.map((document) => [document.id, document.number]));
  const series = new Map<string, Map<number, string[]>>();
  const unparsed: string[] = [];
  for (const [id, number] of byId) {
    const parsed = seriesOf(number);
    if (!parsed) {
      unparsed.push(`${id}: number ${JSON.stringify(number)} has no counter`);
      continue;
    }
    const counters = series.get(parsed[0]) ?? series.set(parsed[0], new Map()).get(parsed[0])!;
    counters.set(parsed[1], [...(counters.get(parsed[1]) ?? []), number]);
  }
  let gaps = 0;
  let duplicates = 0;
  const gapLines: string[] = [];
  const duplicateLines: string[] = [];
  for (const [prefix, counters] of [...series].sort(([a], [b]) => a.localeCompare(b))) {
    for (const [, numbers] of [...counters].sort(([a], [b]) => a - b)) {
      if (numbers.length < 2) continue;
      duplicates += numbers.length - 1;
      duplicateLines.push(`${numbers[0]}: ${numbers.length} documents`);
    }
    if (!options.freshLedger) continue;
    const highest = Math.max(...counters.keys());
    const missing = Array.from({ length: highest }, (_, index) => index + 1).filter((counter) => !counters.has(counter));
    if (missing.length === 0) continue;
    gaps += missing.length;
    gapLines.push(`${prefix}: ${missing.length} missing of 1..${highest} (${ranges(missing)})`);
  }
  return { gaps, duplicates, gapLines, duplicateLines, unparsed };
}

/** `[1, 2, 3, 7, 9, 10]` → `1-3, 7, 9-10`: missing numbers, readable however many there are. */
function ranges(numbers: readonly number[]): string {
  const parts: string[] = [];
  for (let index = 0; index < numbers.length; ) {
    let end = index;
    while (end + 1 < numbers.length && numbers[end + 1] === numbers[end]! + 1) end += 1;
    parts.push(end === index ? `${numbers[index]}` : `${numbers[index]}-${numbers[end]}`);
    index = end + 1;
  }
  return parts.length > 20 ? `${parts.slice(0, 20).join(', ')}, …` : parts.join(', ');
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
