/**
 * Runs a synthetic business through O2C's public API, day by day, and keeps its own books of what it did: which
 * orders it placed and which O2C accepted, which invoices came back, what it paid and how. At the end it compares its
 * books with what O2C shows (`invariants.ts`). The business clock is O2C's (`/_local/clock`): each simulated day ends
 * by moving it one day on, which fires the daily schedules (dunning, the report job) as on AWS.
 */
import { addDays } from '#domain/dates';
import type { O2cApi } from './api-client.ts';
import { waitFor } from './api-client.ts';
import { decides, type Business, type SimCustomer, type SimOrder } from './business.ts';
import { signedStoreRequest, storeOrderExternalId, storeOrderPayload, untaxableAtTheirRate } from './store-payloads.ts';
import { bankFee, returnedPayment, type StatementEntry } from './bank-entries.ts';
import { BANK_FILE_CAPABILITIES, BANK_FILE_FORMATS, statementFile, type BankFileFormat, type BankFileToDrop } from './bank-files.ts';
import { simulatorCsvProfile } from './csv-statement.ts';
import type { SeededRandom } from './random.ts';

/** Where an order rests until a person or a partner acts. */
export const RESTING = ['ON_HOLD', 'CREDIT_REVIEW', 'REJECTED', 'BACKORDERED', 'AWAITING_SHIPMENT', 'CANCELLED', 'SHIPPED', 'INVOICED', 'PAID'];
/** Our bank account the customers pay into. */
export const SELLER_ACCOUNT = 'DE02120300000000202051';
const WAIT_MS = 60_000;

export interface BookOrder {
  externalId: string;
  /** The channel and the id O2C stores for it (a store's numeric order id). */
  source: 'generic' | 'shopify' | 'woocommerce';
  o2cExternalId: string;
  customer: SimCustomer;
  customerId?: string;
  day: number;
  answer: number;
  orderId?: string;
  /** The invoice of its shipment, once the books have it. */
  invoiceId?: string;
  status?: string;
  shipped?: boolean;
}

export interface BookInvoice {
  id: string;
  number: string;
  orderId: string;
  customer: SimCustomer;
  currency: string;
  payableMinor: number;
  dueDate: string;
  reference: string;
  /** Cash the simulator sent for it, by bank reference. */
  paid: { bankReference: string; amountMinor: number }[];
  /** What it still plans to pay, by date. */
  planned: { date: string; amountMinor: number; typo: boolean }[];
  /** Credited by credit notes (a dispute resolved in the customer's favour). */
  creditedMinor: number;
  externalId: string;
  /** The business day the simulator saw it issued. */
  bookedOn: string;
  dispute?: { openOn: string; resolveOn: string; credit: boolean; disputeId?: string; openedOn?: string; resolvedOn?: string };
  promise?: { date: string; keep: boolean; recordedOn: string };
}

export interface SentPayment {
  bankReference: string;
  date: string;
  amountMinor: number;
  invoices: { invoiceId: string; amountMinor: number }[];
  paymentId?: string;
  outcome?: 'auto' | 'clerk' | 'open';
  /** As the statement carried it, so the payer's bank can send it back. */
  entry?: StatementEntry;
  /** The payer's bank sends it back on this day (insufficient funds); `returned` once it did. */
  returnOn?: string;
  returned?: boolean;
}

export interface Books {
  orders: Map<string, BookOrder>;
  invoices: Map<string, BookInvoice>;
  payments: SentPayment[];
  reviews: { approved: number; rejected: number };
  clerk: { resolved: number; left: number };
  /** Customers whose terms the simulator set (by external id → O2C id). */
  configured: Map<string, string>;
}

/** What `--chaos` does to a day, and how much of each it did. */
export interface Chaos {
  random: SeededRandom;
  counts: { duplicateDeliveries: number; outOfOrder: number; redroppedFiles: number; restarts: number };
  /** Called after each phase of a day; may kill and restart the runtime there. */
  afterPhase(day: number, phase: DayPhase): Promise<void>;
  /** The last bank file dropped, to drop again. */
  lastFile?: BankFileToDrop;
}
export type DayPhase = 'orders' | 'shipments' | 'bank-file';

export const newBooks = (): Books => ({ orders: new Map(), invoices: new Map(), payments: [], reviews: { approved: 0, rejected: 0 }, clerk: { resolved: 0, left: 0 }, configured: new Map() });

interface OrderView {
  id: string;
  status: string;
  customerId: string;
}
interface InvoiceView {
  id: string;
  number: string;
  orderId: string;
  currency: string;
  payableMinor: number;
  openMinor: number;
  dueDate: string;
  reference: string;
  status: string;
}

export async function orderOf(api: O2cApi, order: Pick<BookOrder, 'source' | 'o2cExternalId'>): Promise<OrderView | undefined> {
  return (await ordersOf(api, order))[0];
}

export async function ordersOf(api: O2cApi, order: Pick<BookOrder, 'source' | 'o2cExternalId'>): Promise<OrderView[]> {
  const { body } = await api.get<{ items?: OrderView[] }>(`/orders?source=${order.source}&externalId=${encodeURIComponent(order.o2cExternalId)}`);
  return body.items ?? [];
}

/** One typo in a reference (its last digit off by one): a person (or the fuzzy rule) has to find the invoice. */
const withTypo = (reference: string) => {
  const last = reference.at(-1) ?? '0';
  const wrong = /\d/.test(last) ? String((Number(last) + 1) % 10) : last === 'A' ? 'B' : 'A';
  return `${reference.slice(0, -1)}${wrong}`;
};

/** When a customer of this habit pays an invoice due on `dueDate` (weekly batches are planned day by day instead). */
function plannedPayments(customer: SimCustomer, payableMinor: number, dueDate: string): BookInvoice['planned'] {
  if (payableMinor === 0) return [];
  const habit = customer.habit;
  switch (habit.kind) {
    case 'on-time':
      return [{ date: addDays(dueDate, -habit.daysEarly), amountMinor: payableMinor, typo: false }];
    case 'late':
      return [{ date: addDays(dueDate, habit.days), amountMinor: payableMinor, typo: false }];
    case 'partial': {
      const half = Math.floor(payableMinor / 2);
      return [
        { date: dueDate, amountMinor: half, typo: false },
        { date: addDays(dueDate, habit.restAfterDays), amountMinor: payableMinor - half, typo: false },
      ];
    }
    case 'typo':
      return [{ date: dueDate, amountMinor: payableMinor, typo: true }];
    case 'promises':
      return [{ date: addDays(dueDate, 40), amountMinor: payableMinor, typo: false }];
    case 'weekly-batch':
    case 'defaults':
    case 'disputes':
      return [];
  }
}

export interface DayReport {
  date: string;
  ordersSent: number;
  invoices: number;
  paymentsSent: number;
  cashMinor: number;
}

/** One business day: orders in, credit reviews decided, shipments out, invoices booked, the day's payments dropped. */
export async function runDay(api: O2cApi, business: Business, books: Books, day: number, options: { clerkCapacity: number; chaos?: Chaos | undefined }): Promise<DayReport> {
  const { chaos } = options;
  const date = await api.businessDate();
  if (day === 0) {
    for (const product of business.products) await api.send('admin', 'PUT', `/products/${product.sku}`, { name: product.name, priceMinor: product.priceMinor, currency: 'EUR', onHand: 1_000_000 });
    const profile = await api.send('admin', 'PUT', `/bank-accounts/${SELLER_ACCOUNT}/csv-profile`, simulatorCsvProfile(SELLER_ACCOUNT, 'EUR'));
    if (profile.status !== 200) throw new Error(`the CSV profile of ${SELLER_ACCOUNT} was refused: ${profile.status} ${JSON.stringify(profile.body)}`);
  }

  const orders = business.ordersOn(day);
  await placeOrders(api, books, orders, date, chaos);
  await chaos?.afterPhase(day, 'orders');
  await settleOrders(api, books);
  await decideReviews(api, books);
  await shipAndInvoice(api, books, business.seed, chaos);
  await workCollections(api, books, date, business.seed);
  await chaos?.afterPhase(day, 'shipments');
  const sent = await payDay(api, books, date, day, business.seed, chaos);
  await chaos?.afterPhase(day, 'bank-file');
  await workExceptions(api, books, options.clerkCapacity);
  return { date, ordersSent: orders.length, invoices: books.invoices.size, paymentsSent: sent.length, cashMinor: sent.reduce((sum, payment) => sum + payment.amountMinor, 0) };
}

/**
 * The day's orders through the signed webhook. Under chaos every order is delivered twice, and the deliveries come in
 * a shuffled order, as a store's retries do: `outOfOrder` counts the orders whose first delivery came after that of an
 * order placed later.
 */
async function placeOrders(api: O2cApi, books: Books, orders: readonly SimOrder[], date: string, chaos: Chaos | undefined) {
  if (!chaos) {
    await Promise.all(orders.map((order) => placeOrder(api, books, order, date)));
    return;
  }
  const deliveries = orders.flatMap((order, index) => [{ order, index }, { order, index }]);
  for (let index = deliveries.length - 1; index > 0; index--) {
    const other = chaos.random.int(0, index);
    [deliveries[index], deliveries[other]] = [deliveries[other]!, deliveries[index]!];
  }
  const firstSeen: number[] = [];
  for (const delivery of deliveries) if (!firstSeen.includes(delivery.index)) firstSeen.push(delivery.index);
  chaos.counts.outOfOrder += firstSeen.filter((index, position) => firstSeen.slice(0, position).some((earlier) => earlier > index)).length;
  chaos.counts.duplicateDeliveries += orders.length;
  for (const delivery of deliveries) await placeOrder(api, books, delivery.order, date);
}

async function placeOrder(api: O2cApi, books: Books, order: SimOrder, date: string) {
  const input = {
    externalId: order.externalId,
    orderedAt: `${date}T09:00:00Z`,
    currency: 'EUR',
    customer: { externalId: order.customer.externalId, name: order.customer.name, email: order.customer.email, country: order.customer.country },
    lines: order.lines.map((line) => ({ sku: line.sku, description: line.sku, quantity: line.quantity, unitPriceMinor: line.unitPriceMinor, taxRatePercent: line.taxRatePercent })),
    shippingMinor: order.shippingMinor,
    prepaid: order.prepaid,
  };
  // A store rounds tax per line; a line whose tax rounds to 0.00 would be read as untaxed, so such an order goes generic.
  const source = order.customer.channel !== 'generic' && untaxableAtTheirRate(input).length === 0 ? order.customer.channel : 'generic';
  let answer: number;
  if (source === 'generic') {
    const { prepaid: _prepaid, ...generic } = input;
    answer = await api.signed('/webhooks/orders', generic);
  } else {
    const request = signedStoreRequest(source, storeOrderPayload(source, input), `${order.externalId}-created`, { environment: process.env });
    answer = await api.post(request.path, request.headers, request.body);
  }
  const earlier = books.orders.get(order.externalId);
  // A redelivery is answered too (as a duplicate); the order counts as accepted once any delivery was.
  if (earlier && earlier.answer === 202) return;
  const o2cExternalId = source === 'generic' ? order.externalId : storeOrderExternalId(source, order.externalId);
  books.orders.set(order.externalId, { externalId: order.externalId, source, o2cExternalId, customer: order.customer, day: order.day, answer });
}

async function settleOrders(api: O2cApi, books: Books) {
  const pending = [...books.orders.values()].filter((order) => order.answer === 202 && (!order.status || !RESTING.includes(order.status)));
  await Promise.all(
    pending.map(async (order) => {
      const found = await waitFor(async () => {
        const view = await orderOf(api, order);
        return view && RESTING.includes(view.status) ? view : undefined;
      }, WAIT_MS);
      if (found) Object.assign(order, { orderId: found.id, status: found.status, customerId: found.customerId });
    }),
  );
  await configureCustomers(api, books);
}

/** A customer's terms, once O2C created it with its first order (the store does not send terms). */
async function configureCustomers(api: O2cApi, books: Books) {
  for (const order of books.orders.values()) {
    if (!order.customerId || books.configured.has(order.customer.externalId)) continue;
    const { status } = await api.send('admin', 'PUT', `/customers/${order.customerId}`, { terms: { basis: 'invoice-date', days: order.customer.termsDays } });
    if (status === 200) books.configured.set(order.customer.externalId, order.customerId);
  }
}

/** The credit manager approves the orders of customers it trusts and rejects the rest. */
async function decideReviews(api: O2cApi, books: Books) {
  const reviews = [...books.orders.values()].filter((order) => order.status === 'CREDIT_REVIEW' && order.orderId);
  for (const order of reviews) {
    const approve = order.customer.habit.kind !== 'defaults';
    const { status } = await api.send('credit-manager', 'POST', `/orders/${order.orderId}/credit-decision`, { decision: approve ? 'approve' : 'reject', reason: approve ? 'known customer, pays' : 'payment history' });
    if (status === 200 || status === 201) books.reviews[approve ? 'approved' : 'rejected'] += 1;
    order.status = undefined;
  }
  if (reviews.length > 0) await settleOrders(api, books);
}

/** Half the invoices of a disputing customer are disputed five days before they are due; half of those credited. */
function disputePlan(order: BookOrder, invoice: InvoiceView, seed: number): Partial<Pick<BookInvoice, 'dispute' | 'planned'>> {
  if (order.customer.habit.kind !== 'disputes' || invoice.payableMinor === 0) return {};
  if (!decides(seed, `${order.externalId}:dispute`, 0.5)) return { planned: [{ date: invoice.dueDate, amountMinor: invoice.payableMinor, typo: false }] };
  const openOn = addDays(invoice.dueDate, -5);
  return { dispute: { openOn, resolveOn: addDays(openOn, 4), credit: decides(seed, `${order.externalId}:credit`, 0.5) }, planned: [] };
}

async function shipAndInvoice(api: O2cApi, books: Books, seed: number, chaos?: Chaos) {
  // Shipped now in business time, so an invoice's delivery date is the day the simulated goods left.
  const shippedAt = await api.businessNow();
  const ready = [...books.orders.values()].filter((order) => order.status === 'AWAITING_SHIPMENT' && !order.shipped && order.orderId);
  await Promise.all(
    ready.map(async (order) => {
      const status = await api.signed('/shipments', { orderId: order.orderId, carrier: 'GLS', trackingNumber: `${order.externalId}-1`, shippedAt });
      if (status < 300) order.shipped = true;
    }),
  );
  await bookInvoices(api, books, seed, WAIT_MS, chaos);
}

/**
 * Books the invoice of every shipped order that has none in the books yet. An invoice slower than `waitMs` (a
 * failed attempt waiting out its visibility timeout, a restart) is looked for again the next day and once more at
 * the end of the run, so the books never miss one that O2C issued late.
 */
export async function bookInvoices(api: O2cApi, books: Books, seed: number, waitMs: number, chaos?: Chaos) {
  const shipped = [...books.orders.values()].filter((order) => order.shipped && !order.invoiceId);
  await Promise.all(
    shipped.map(async (order) => {
      const invoice = await waitFor(async () => {
        const { body } = await api.get<{ items?: InvoiceView[] }>(`/invoices?orderId=${order.orderId}`);
        return body.items?.find((item) => item.number && item.status !== 'VOID');
      }, waitMs);
      if (!invoice) return;
      order.status = 'INVOICED';
      order.invoiceId = invoice.id;
      const disputing = disputePlan(order, invoice, seed);
      if (chaos) {
        // The carrier confirms again, after the invoice went out: one shipment must stay one invoice.
        await api.signed('/shipments', { orderId: order.orderId, carrier: 'GLS', trackingNumber: `${order.externalId}-1`, shippedAt: new Date().toISOString() });
        chaos.counts.duplicateDeliveries += 1;
      }
      books.invoices.set(invoice.id, {
        id: invoice.id,
        number: invoice.number,
        orderId: invoice.orderId,
        customer: order.customer,
        currency: invoice.currency,
        payableMinor: invoice.payableMinor,
        dueDate: invoice.dueDate,
        reference: invoice.reference,
        paid: [],
        planned: disputing.planned ?? plannedPayments(order.customer, invoice.payableMinor, invoice.dueDate),
        creditedMinor: 0,
        externalId: order.externalId,
        bookedOn: await api.businessDate(),
        dispute: disputing.dispute,
      });
    }),
  );
}

const openOf = (invoice: BookInvoice) => invoice.payableMinor - invoice.creditedMinor - invoice.paid.reduce((sum, payment) => sum + payment.amountMinor, 0);

/**
 * What customers and the clerk do about open invoices: disputes opened when the customer calls and resolved a few
 * days later (credited in full, or rejected and then paid); a promise to pay recorded once the customer was reminded.
 */
async function workCollections(api: O2cApi, books: Books, date: string, seed: number) {
  for (const invoice of books.invoices.values()) {
    const dispute = invoice.dispute;
    if (dispute && !dispute.openedOn && date >= dispute.openOn && openOf(invoice) > 0) {
      const { status, body } = await api.send<{ disputeId?: string }>('ar-clerk', 'POST', `/invoices/${invoice.id}/disputes`, { reasonCode: 'damaged', note: 'the customer called: goods arrived damaged' });
      if (status === 201 && body.disputeId) Object.assign(dispute, { disputeId: body.disputeId, openedOn: date });
    } else if (dispute?.disputeId && !dispute.resolvedOn && date >= dispute.resolveOn) {
      const { status } = await api.send('ar-clerk', 'POST', `/disputes/${dispute.disputeId}/resolution`, dispute.credit ? { outcome: 'credit', reason: 'photos confirm the damage' } : { outcome: 'reject', reason: 'delivery note signed without remarks' });
      if (status !== 200) continue;
      dispute.resolvedOn = date;
      if (dispute.credit) invoice.creditedMinor = openOf(invoice);
      else invoice.planned.push({ date: addDays(date, 7), amountMinor: openOf(invoice), typo: false });
    }
    if (invoice.customer.habit.kind === 'promises' && !invoice.promise && openOf(invoice) > 0 && date > invoice.dueDate) {
      const { body } = await api.get<{ dunning?: { level?: number } }>(`/invoices/${invoice.id}`);
      if ((body.dunning?.level ?? 0) < 1) continue;
      const promised = addDays(date, 7);
      const { status } = await api.send('ar-clerk', 'POST', `/invoices/${invoice.id}/promises`, { date: promised, amountMinor: openOf(invoice), note: 'promised on the phone after the reminder' });
      if (status !== 201 && status !== 200) continue;
      const keep = decides(seed, `${invoice.externalId}:promise`, 0.6);
      invoice.promise = { date: promised, keep, recordedOn: date };
      invoice.planned = [{ date: keep ? addDays(promised, -1) : addDays(promised, 12), amountMinor: openOf(invoice), typo: false }];
    }
  }
}

/** Today's transfers, in one camt.053 statement: planned ones, and weekly batches naming every invoice they pay. */
async function payDay(api: O2cApi, books: Books, date: string, day: number, seed: number, chaos?: Chaos): Promise<SentPayment[]> {
  if (chaos?.lastFile && chaos.random.chance(0.5)) {
    // The bank (or a person) drops yesterday's file again: the same content must apply nothing twice.
    const status = await api.uploadBankFile(chaos.lastFile.name, chaos.lastFile.content, chaos.lastFile.account);
    if (status === 202 || status === 200) chaos.counts.redroppedFiles += 1;
  }
  const payments: (SentPayment & { remittance: string; debtor: SimCustomer })[] = [];
  let sequence = 0;
  const reference = () => `SIM${date.replace(/-/g, '')}${String(++sequence).padStart(4, '0')}-${day}`;
  for (const invoice of books.invoices.values()) {
    for (const plan of invoice.planned.filter((item) => item.date <= date)) {
      const bankReference = reference();
      payments.push({ bankReference, date, amountMinor: plan.amountMinor, invoices: [{ invoiceId: invoice.id, amountMinor: plan.amountMinor }], remittance: plan.typo ? withTypo(invoice.reference) : invoice.reference, debtor: invoice.customer });
    }
    invoice.planned = invoice.planned.filter((item) => item.date > date);
  }
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const batchPayers = new Set([...books.invoices.values()].map((invoice) => invoice.customer).filter((customer) => customer.habit.kind === 'weekly-batch' && customer.habit.weekday === weekday));
  for (const customer of batchPayers) {
    const open = [...books.invoices.values()].filter((invoice) => invoice.customer === customer && openOf(invoice) > 0 && invoice.dueDate <= addDays(date, 7));
    if (open.length === 0) continue;
    const parts = open.map((invoice) => ({ invoiceId: invoice.id, amountMinor: openOf(invoice) }));
    payments.push({ bankReference: reference(), date, amountMinor: parts.reduce((sum, part) => sum + part.amountMinor, 0), invoices: parts, remittance: `Invoices ${open.map((invoice) => invoice.number).join(' ')}`, debtor: customer });
  }
  // Banks send a statement every business day, with or without entries.
  const entries: StatementEntry[] = payments.map((payment) => (payment.entry = { amountMinor: payment.amountMinor, bankReference: payment.bankReference, bookingDate: date, endToEndId: payment.bankReference, remittance: payment.remittance, payerName: payment.debtor.name, payerAccount: payment.debtor.account }));
  // A late payer's transfer sometimes comes back two days later (insufficient funds); it pays again five days after.
  for (const payment of payments) if (payment.debtor.habit.kind === 'late' && payment.invoices.length === 1 && decides(seed, `${payment.bankReference}:return`, 0.3)) payment.returnOn = addDays(date, 2);
  const rotated = BANK_FILE_FORMATS[day % BANK_FILE_FORMATS.length] as BankFileFormat;
  const returns = BANK_FILE_CAPABILITIES[rotated].returns ? books.payments.filter((payment) => payment.returnOn && payment.returnOn <= date && !payment.returned && payment.entry && payment.paymentId && payment.outcome !== 'open') : [];
  for (const payment of returns) entries.push(returnedPayment(payment.entry!, { bankReference: `RTN${payment.bankReference}`, bookingDate: date, reason: 'AM04' }));
  // The bank charges its fees on some days: money out that cash application must leave alone.
  if (decides(seed, `${date}:fee`, 0.3)) entries.push(bankFee({ amountMinor: 250, bankReference: `FEE${date.replace(/-/g, '')}`, bookingDate: date }));
  // The bank's files come in every format O2C reads, a different one each day (a CSV cannot be empty; BAI2 carries no returns).
  const format = rotated === 'csv' && entries.length === 0 ? 'camt053' : rotated;
  const file = statementFile(format, { statementId: `SIM-${date}-${day}`, account: SELLER_ACCOUNT, currency: 'EUR', openingMinor: 0, date, entries });
  const status = await api.uploadBankFile(file.name, file.content, file.account);
  if (status !== 202) throw new Error(`the ${format} bank file of ${date} was refused: ${status}`);
  if (chaos) chaos.lastFile = file;
  for (const payment of payments) {
    for (const part of payment.invoices) books.invoices.get(part.invoiceId)?.paid.push({ bankReference: payment.bankReference, amountMinor: part.amountMinor });
    const { remittance: _remittance, debtor: _debtor, ...sent } = payment;
    books.payments.push(sent);
  }
  await Promise.all(payments.map((payment) => recordOutcome(api, books, payment.bankReference)));
  for (const payment of returns) await bookReturn(api, books, payment, date);
  return payments.map(({ remittance: _remittance, debtor: _debtor, ...sent }) => sent);
}

/** Once O2C reversed the returned payment, the invoice is open again and the customer pays it anew. */
async function bookReturn(api: O2cApi, books: Books, payment: SentPayment, date: string) {
  const reversed = await waitFor(async () => {
    const { body } = await api.get<PaymentView>(`/payments/${payment.paymentId}`);
    return body.status === 'REVERSED' ? body : undefined;
  }, WAIT_MS);
  if (!reversed) return;
  payment.returned = true;
  for (const part of payment.invoices) {
    const invoice = books.invoices.get(part.invoiceId);
    if (!invoice) continue;
    invoice.paid = invoice.paid.filter((paid) => paid.bankReference !== payment.bankReference);
    invoice.planned.push({ date: addDays(date, 5), amountMinor: part.amountMinor, typo: false });
  }
}

interface PaymentView {
  id: string;
  status: string;
  allocations: { invoiceId: string; amountMinor: number; by: string }[];
}

async function recordOutcome(api: O2cApi, books: Books, bankReference: string) {
  const payment = books.payments.find((item) => item.bankReference === bankReference);
  if (!payment) return;
  const found = await waitFor(async () => {
    const { body } = await api.get<{ items?: { entity: string; id: string }[] }>(`/search?q=${encodeURIComponent(bankReference)}`);
    const hit = body.items?.find((item) => item.entity === 'payment');
    if (!hit) return undefined;
    const { body: view } = await api.get<PaymentView>(`/payments/${hit.id}`);
    return view.status === 'APPLIED' || view.status === 'UNMATCHED' ? view : undefined;
  }, WAIT_MS);
  if (!found) return;
  payment.paymentId = found.id;
  payment.outcome = found.status === 'APPLIED' ? 'auto' : 'open';
}

/** The clerk works the exceptions queue up to its daily capacity, allocating each payment as the payer meant it. */
async function workExceptions(api: O2cApi, books: Books, capacity: number) {
  const open = books.payments.filter((payment) => payment.outcome === 'open' && payment.paymentId);
  for (const payment of open.slice(0, capacity)) {
    const { status } = await api.send('ar-clerk', 'POST', `/payments/${payment.paymentId}/allocations`, { allocations: payment.invoices, note: 'allocated from the remittance' });
    if (status === 200 || status === 201) {
      payment.outcome = 'clerk';
      books.clerk.resolved += 1;
    }
  }
  books.clerk.left = books.payments.filter((payment) => payment.outcome === 'open').length;
}
