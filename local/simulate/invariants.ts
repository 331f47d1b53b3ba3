/**
 * What the simulator proves at the end of a run: its own books against what O2C shows through its API. Each count
 * must be 0; `details` names the items behind every non-zero count so a failure can be followed up. The comparisons
 * themselves are pure (`books-figures.ts`); this module reads O2C and keeps the score.
 */
import type { O2cApi } from './api-client.ts';
import type { Business } from './business.ts';
import { appliedReferences, bookOpenMinor, booksExposure, booksStatement, businessOrderLookup, compareByKey, compareStatement, duplicateInvoiceLines, duplicateOrderLines, judgeNumbering, type ListedDocument, type StatementView } from './books-figures.ts';
import { ordersOf, RESTING, type BookInvoice, type BookOrder, type Books } from './driver.ts';

export interface Invariants {
  lostOrders: number;
  /** Store references (source + external id) O2C holds more than one order for, over the run's customers. */
  duplicateOrders: number;
  /** Orders with more live invoices than the books shipped them (one per shipped order). */
  duplicateInvoices: number;
  /** Numbers missing from a series of invoices or credit notes O2C issued (judged on a fresh ledger only). */
  numberingGaps: number;
  /** Documents sharing a number with another one. */
  duplicateNumbers: number;
  doubleApplications: number;
  /**
   * Per currency: O2C's open amounts − the books' (payable − credited − cash applied), over the run's invoices, plus
   * what O2C shows open on invoices of the run's customers the books never saw.
   */
  ledgerDifferenceMinor: Record<string, number>;
  /** Invoices whose open amount differs from the books' (a payment applied to the wrong invoice cancels out in the sum). */
  invoiceDifferences: number;
  /** Cash O2C recorded for the run's transfers − cash the simulator sent. */
  cashDifferenceMinor: number;
  /** Σ over customers |O2C's exposure − the books' (approved orders not invoiced + open invoices)|; 0 when no business was given. */
  exposureDifferenceMinor: number;
  /** Σ over customers |statement − books|, closing balance per currency and each open item's open amount. */
  statementDifferenceMinor: number;
  /** Reminders O2C sent for an invoice the books say was paid (or credited) in full, or in dispute, by then. */
  remindersToPaidOrDisputed: number;
}

export interface InvariantReport {
  invariants: Invariants;
  failed: string[];
  details: Record<string, string[]>;
}

export interface InvariantOptions {
  /** O2C started empty for this run: every number series it issued must be complete from 1. */
  freshLedger: boolean;
  /** The business the run placed orders for: the books' exposure prices un-invoiced orders from its lines. */
  business?: Business | undefined;
}

interface InvoiceView {
  id: string;
  number: string;
  status: string;
  openMinor: number;
  currency: string;
  kind?: string;
  history?: { type: string; at: string }[];
}

type Details = Record<keyof Invariants, string[]>;

/** What O2C holds for one of the run's customers, read once and judged by every invariant that needs it. */
interface CustomerLedger {
  customerId: string;
  label: string;
  /** A customer of the run's orders (the others are read on a fresh ledger, for their documents only). */
  known: boolean;
  orders: { id: string; source: string; externalId: string }[];
  documents: (ListedDocument & { openMinor: number; currency: string })[];
  exposureMinor?: number | undefined;
  statement?: StatementView | undefined;
}

export async function checkInvariants(api: O2cApi, books: Books, options: InvariantOptions): Promise<InvariantReport> {
  const details = Object.fromEntries(invariantNames.map((name) => [name, [] as string[]])) as Details;
  const applied = appliedReferences(books.payments);

  await checkOrdersArrived(api, books, details);
  const ledgers = await readCustomerLedgers(api, books, options, details);
  checkDuplicates(books, ledgers, details);
  const numbering = judgeNumbering([...books.invoices.values(), ...ledgers.flatMap((ledger) => ledger.documents)], { freshLedger: options.freshLedger });
  details.numberingGaps.push(...numbering.gapLines, ...numbering.unparsed);
  details.duplicateNumbers.push(...numbering.duplicateLines);
  const cash = await checkPayments(api, books, details);
  const ledgerDifferenceMinor = await checkInvoices(api, books, applied, ledgers, details);
  const exposureDifferenceMinor = options.business ? checkExposure(books, options.business, applied, ledgers, details) : 0;
  const statementDifferenceMinor = checkStatements(books, applied, ledgers, details);

  const invariants: Invariants = {
    lostOrders: details.lostOrders.length,
    duplicateOrders: details.duplicateOrders.length,
    duplicateInvoices: details.duplicateInvoices.length,
    // Each other line is a document or a list that could not be judged: the series cannot be called complete.
    numberingGaps: numbering.gaps + details.numberingGaps.length - numbering.gapLines.length,
    duplicateNumbers: numbering.duplicates,
    doubleApplications: details.doubleApplications.length,
    ledgerDifferenceMinor,
    invoiceDifferences: details.invoiceDifferences.length,
    cashDifferenceMinor: cash.recordedMinor - cash.sentMinor,
    exposureDifferenceMinor,
    statementDifferenceMinor,
    remindersToPaidOrDisputed: details.remindersToPaidOrDisputed.length,
  };
  const failed = Object.entries(invariants).filter(([, value]) => (typeof value === 'number' ? value !== 0 : Object.values(value).some((amount) => amount !== 0))).map(([name]) => name);
  return { invariants, failed, details: Object.fromEntries(Object.entries(details).filter(([, lines]) => lines.length > 0)) };
}

const invariantNames: (keyof Invariants)[] = [
  'lostOrders',
  'duplicateOrders',
  'duplicateInvoices',
  'numberingGaps',
  'duplicateNumbers',
  'doubleApplications',
  'ledgerDifferenceMinor',
  'invoiceDifferences',
  'cashDifferenceMinor',
  'exposureDifferenceMinor',
  'statementDifferenceMinor',
  'remindersToPaidOrDisputed',
];

/** Every order O2C accepted is stored and resting, and every shipped one was invoiced. */
async function checkOrdersArrived(api: O2cApi, books: Books, details: Details) {
  for (const order of books.orders.values()) {
    if (order.answer !== 202) continue;
    const [stored] = await ordersOf(api, order);
    if (!stored) details.lostOrders.push(`${order.externalId}: accepted (202) but not stored`);
    else if (!RESTING.includes(stored.status)) details.lostOrders.push(`${order.externalId}: stuck in ${stored.status}`);
    for (const shipment of order.shipments) if (!shipment.invoiceId) details.lostOrders.push(`${order.externalId}: ${shipment.trackingNumber} shipped, but no invoice came`);
  }
}

/**
 * The O2C customers the run's orders went to (a customer whose order fell back to the generic webhook is a second
 * one), each with all its orders, invoices and credit notes (every status), its exposure and its statement. On a
 * fresh ledger every other customer's documents are listed too, so the number series are judged whole.
 */
async function readCustomerLedgers(api: O2cApi, books: Books, options: InvariantOptions, details: Details): Promise<CustomerLedger[]> {
  const customers = new Map<string, BookOrder>();
  for (const order of books.orders.values()) if (order.customerId && !customers.has(order.customerId)) customers.set(order.customerId, order);
  const ledgers: CustomerLedger[] = [];
  for (const [customerId, order] of customers) {
    const label = `${order.customer.name} (${order.source} customer of ${order.customer.externalId}, ${customerId})`;
    const orders = await listAll<CustomerLedger['orders'][number]>(api, `/orders?customerId=${customerId}`);
    const documents = await listAll<CustomerLedger['documents'][number]>(api, `/invoices?customerId=${customerId}`);
    const customer = await api.get<{ exposureMinor?: number }>(`/customers/${customerId}`);
    const statement = await api.get<StatementView>(`/customers/${customerId}/statement`);
    // A list O2C would not give cannot be judged: say so under the invariants that needed it, so the run fails.
    if (!orders.ok) details.duplicateOrders.push(`${label}: its orders could not be listed (${orders.status})`);
    if (!documents.ok) details.duplicateInvoices.push(`${label}: its invoices could not be listed (${documents.status})`);
    if (customer.status !== 200) details.exposureDifferenceMinor.push(`${label}: GET /customers answered ${customer.status}`);
    if (statement.status !== 200) details.statementDifferenceMinor.push(`${label}: its statement answered ${statement.status}`);
    ledgers.push({
      customerId,
      label,
      known: true,
      orders: orders.items,
      documents: documents.items,
      exposureMinor: customer.status === 200 ? customer.body.exposureMinor : undefined,
      statement: statement.status === 200 ? statement.body : undefined,
    });
  }
  if (!options.freshLedger) return ledgers;
  const everyone = await listAll<{ id: string; name: string }>(api, '/customers');
  if (!everyone.ok) details.numberingGaps.push(`the customers could not be listed (${everyone.status}): the series are judged on the run's customers only`);
  for (const customer of everyone.items.filter((item) => !customers.has(item.id))) {
    const label = `${customer.name} (${customer.id}, no order of the run)`;
    const documents = await listAll<CustomerLedger['documents'][number]>(api, `/invoices?customerId=${customer.id}`);
    if (!documents.ok) details.numberingGaps.push(`${label}: its invoices could not be listed (${documents.status})`);
    ledgers.push({ customerId: customer.id, label, known: false, orders: [], documents: documents.items });
  }
  return ledgers;
}

/** Every page of a list route (`limit`, `cursor`), or what was read before O2C refused one. */
async function listAll<T>(api: O2cApi, path: string): Promise<{ ok: boolean; status: number; items: T[] }> {
  const items: T[] = [];
  let cursor: string | null | undefined;
  do {
    const { status, body } = await api.get<{ items?: T[]; cursor?: string | null }>(`${path}${path.includes('?') ? '&' : '?'}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (status !== 200) return { ok: false, status, items };
    items.push(...(body.items ?? []));
    cursor = body.cursor;
  } while (cursor);
  return { ok: true, status: 200, items };
}

/**
 * One order per store reference, one live invoice per shipment, judged on everything O2C lists for the run's
 * customers (a look-up by reference or by order only ever finds one).
 */
function checkDuplicates(books: Books, ledgers: readonly CustomerLedger[], details: Details) {
  const byOrderId = new Map([...books.orders.values()].filter((order) => order.orderId).map((order) => [order.orderId!, order]));
  for (const ledger of ledgers) {
    details.duplicateOrders.push(...duplicateOrderLines(ledger.orders).map((line) => `${ledger.label}: ${line}`));
    const shipmentsOf = (orderId: string) => byOrderId.get(orderId)?.shipments.length ?? 0;
    const orderLabel = (orderId: string) => byOrderId.get(orderId)?.externalId ?? `order ${orderId} (not in the books)`;
    details.duplicateInvoices.push(...duplicateInvoiceLines(ledger.documents, shipmentsOf, orderLabel));
  }
}

async function checkPayments(api: O2cApi, books: Books, details: Details): Promise<{ recordedMinor: number; sentMinor: number }> {
  let recordedMinor = 0;
  for (const payment of books.payments) {
    const { body } = await api.get<{ items?: { entity: string; id: string }[] }>(`/search?q=${encodeURIComponent(payment.bankReference)}`);
    const hits = (body.items ?? []).filter((item) => item.entity === 'payment');
    if (hits.length > 1) details.doubleApplications.push(`${payment.bankReference}: ${hits.length} payments`);
    for (const hit of hits) {
      const { body: view } = await api.get<{ amountMinor: number; allocations: { amountMinor: number }[] }>(`/payments/${hit.id}`);
      recordedMinor += view.amountMinor;
      const allocated = view.allocations.reduce((sum, allocation) => sum + allocation.amountMinor, 0);
      if (allocated > view.amountMinor) details.doubleApplications.push(`${payment.bankReference}: ${allocated} allocated of ${view.amountMinor}`);
    }
  }
  const sentMinor = books.payments.reduce((sum, payment) => sum + payment.amountMinor, 0);
  if (recordedMinor !== sentMinor) details.cashDifferenceMinor.push(`O2C recorded ${recordedMinor} of the ${sentMinor} sent`);
  return { recordedMinor, sentMinor };
}

/**
 * Each booked invoice's open amount against the books, and the reminders O2C sent for it; then what O2C shows open
 * on the customers' invoices the books never saw (a duplicate invoice is money asked twice).
 */
async function checkInvoices(api: O2cApi, books: Books, applied: ReadonlySet<string>, ledgers: readonly CustomerLedger[], details: Details): Promise<Record<string, number>> {
  const ledgerDifferenceMinor: Record<string, number> = {};
  const paidOn = new Map(books.payments.map((payment) => [payment.bankReference, payment.date]));
  for (const invoice of books.invoices.values()) {
    const { body: view } = await api.get<InvoiceView>(`/invoices/${invoice.id}`);
    details.remindersToPaidOrDisputed.push(...remindersAfterSettlement(invoice, view, applied, paidOn));
    const expectedOpen = bookOpenMinor(invoice, applied);
    const difference = view.openMinor - expectedOpen;
    ledgerDifferenceMinor[invoice.currency] = (ledgerDifferenceMinor[invoice.currency] ?? 0) + difference;
    if (difference !== 0) details.invoiceDifferences.push(`${invoice.number}: O2C shows ${view.openMinor} open, the books ${expectedOpen}`);
  }
  for (const document of ledgers.flatMap((ledger) => ledger.documents)) {
    if (books.invoices.has(document.id) || (document.kind ?? 'invoice') !== 'invoice' || document.openMinor === 0) continue;
    ledgerDifferenceMinor[document.currency] = (ledgerDifferenceMinor[document.currency] ?? 0) + document.openMinor;
    details.ledgerDifferenceMinor.push(`${document.number} (${document.status}): O2C shows ${document.openMinor} open, the books never saw it`);
  }
  for (const [currency, difference] of Object.entries(ledgerDifferenceMinor)) if (difference !== 0) details.ledgerDifferenceMinor.push(`${currency}: O2C's open amounts exceed the books' by ${difference}`);
  return ledgerDifferenceMinor;
}

/** Reminders dated after the day the books say nothing was left to chase, or while the books had it in dispute. */
function remindersAfterSettlement(invoice: BookInvoice, view: InvoiceView, applied: ReadonlySet<string>, paidOn: ReadonlyMap<string, string>): string[] {
  const appliedParts = invoice.paid.filter((part) => applied.has(part.bankReference));
  // The day the books say nothing was left to chase: the payment that completed it, or the credit note.
  let running = invoice.payableMinor - invoice.creditedMinor;
  let settledOn = invoice.creditedMinor > 0 && running <= 0 ? invoice.dispute?.resolvedOn : undefined;
  for (const part of [...appliedParts].sort((a, b) => (paidOn.get(a.bankReference) ?? '').localeCompare(paidOn.get(b.bankReference) ?? ''))) {
    running -= part.amountMinor;
    if (running <= 0 && !settledOn) settledOn = paidOn.get(part.bankReference);
  }
  const lines: string[] = [];
  for (const reminder of (view.history ?? []).filter((event) => event.type === 'DunningReminderSent')) {
    const day = reminder.at.slice(0, 10);
    const dispute = invoice.dispute;
    if (settledOn && settledOn < day) lines.push(`${invoice.number}: reminded on ${day}, settled on ${settledOn}`);
    else if (dispute?.openedOn && dispute.openedOn < day && (!dispute.resolvedOn || day <= dispute.resolvedOn)) lines.push(`${invoice.number}: reminded on ${day} while in dispute since ${dispute.openedOn}`);
  }
  return lines;
}

/**
 * Each customer's exposure (`GET /customers/{id}`) against the books': the approved orders they have no invoice for,
 * priced from the business's lines, plus what they say is open on the customer's invoices.
 */
function checkExposure(books: Books, business: Business, applied: ReadonlySet<string>, ledgers: readonly CustomerLedger[], details: Details): number {
  const figures = booksExposure({ orders: [...books.orders.values()], invoices: [...books.invoices.values()], applied, businessOrder: businessOrderLookup(business) });
  details.exposureDifferenceMinor.push(...figures.unknown);
  const shown = new Map(ledgers.filter((ledger) => ledger.exposureMinor !== undefined).map((ledger) => [ledger.customerId, ledger.exposureMinor!]));
  const booked = new Map([...figures.byCustomer].filter(([customerId]) => shown.has(customerId)).map(([customerId, exposure]) => [customerId, exposure.totalMinor]));
  const labels = new Map(ledgers.map((ledger) => [ledger.customerId, ledger.label]));
  const breakdown = (customerId: string) => {
    const exposure = figures.byCustomer.get(customerId);
    return `${labels.get(customerId) ?? customerId}${exposure ? ` [books: ${exposure.uninvoicedMinor} not invoiced + ${exposure.openMinor} open]` : ''}`;
  };
  const { differenceMinor, details: lines } = compareByKey(shown, booked, breakdown);
  details.exposureDifferenceMinor.push(...lines);
  // An order the books cannot price, or a customer O2C would not show, leaves the figure unproven: it fails.
  const unread = ledgers.filter((ledger) => ledger.known && ledger.exposureMinor === undefined).length;
  return differenceMinor + figures.unknown.length + unread;
}

/** Each customer's statement of account (JSON) against the books' open invoices of that customer. */
function checkStatements(books: Books, applied: ReadonlySet<string>, ledgers: readonly CustomerLedger[], details: Details): number {
  const customerOfOrder = new Map([...books.orders.values()].filter((order) => order.orderId).map((order) => [order.orderId!, order.customerId]));
  let differenceMinor = 0;
  for (const ledger of ledgers.filter((item) => item.known)) {
    if (!ledger.statement) {
      differenceMinor += 1;
      continue;
    }
    const invoices = [...books.invoices.values()].filter((invoice) => customerOfOrder.get(invoice.orderId) === ledger.customerId);
    const compared = compareStatement(ledger.statement, booksStatement(invoices, applied));
    differenceMinor += compared.differenceMinor;
    details.statementDifferenceMinor.push(...compared.details.map((line) => `${ledger.label}: ${line}`));
  }
  return differenceMinor;
}
