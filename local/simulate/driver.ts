/**
 * Runs a synthetic business through O2C's public API, day by day, and keeps its own books of what it did: which
 * orders it placed and which O2C accepted, which invoices came back, what it paid and how. At the end it compares its
 * books with what O2C shows (`invariants.ts`). The business clock is O2C's (`/_local/clock`): each simulated day ends
 * by moving it one day on, which fires the daily schedules (dunning, the report job) as on AWS.
 */
import { addDays } from '#domain/dates';
import type { O2cApi, SendOptions } from './api-client.ts';
import { waitFor } from './api-client.ts';
import { decides, type Business, type SimCustomer, type SimOrder } from './business.ts';
import { signedStoreRequest, storeOrderExternalId, storeOrderPayload, untaxableAtTheirRate, type StoreOrderInput, type StoreSource } from './store-payloads.ts';
import { bankFee, overlappingStatement, returnedPayment, type StatementEntry, type StatementInput } from './bank-entries.ts';
import { earlyPaymentDiscountOf } from './expected-invoices.ts';
import { BANK_FILE_CAPABILITIES, BANK_FILE_FORMATS, statementFile, type BankFileFormat, type BankFileToDrop } from './bank-files.ts';
import { simulatorCsvProfile } from './csv-statement.ts';
import type { SeededRandom } from './random.ts';

/** Where an order rests until a person or a partner acts. */
export const RESTING = ['ON_HOLD', 'CREDIT_REVIEW', 'REJECTED', 'BACKORDERED', 'AWAITING_SHIPMENT', 'PARTIALLY_SHIPPED', 'CANCELLED', 'SHIPPED', 'INVOICED', 'PAID'];
/** Resting, but waiting for someone else (stock, a person): read again every day. */
const WAITING = ['ON_HOLD', 'CREDIT_REVIEW', 'BACKORDERED'];
/** Our bank account the customers pay into. */
export const SELLER_ACCOUNT = 'DE02120300000000202051';
const WAIT_MS = 60_000;

/** One carrier confirmation: the lines it shipped (all outstanding when absent), and the invoice that came for it. */
export interface BookShipment {
  trackingNumber: string;
  lines?: { sku: string; quantity: number }[] | undefined;
  invoiceId?: string | undefined;
}

export interface BookOrder {
  externalId: string;
  /** The order as the business placed it (lines, prices, prepaid): what the seller expects to invoice. */
  placed: SimOrder;
  /** The channel and the id O2C stores for it (a store's numeric order id). */
  source: 'generic' | 'shopify' | 'woocommerce';
  o2cExternalId: string;
  customer: SimCustomer;
  customerId?: string;
  day: number;
  answer: number;
  orderId?: string;
  status?: string;
  /** What the carrier confirmed, in order; each shipment's invoice once the books have it. */
  shipments: BookShipment[];
  /** A split order's second shipment leaves on this day. */
  restShipsOn?: string | undefined;
  /** The buyer cancelled it at the store; O2C confirmed with CANCELLED. */
  cancellation?: { sentOn: string; confirmed: boolean } | undefined;
}

/** Every shipment of the order was sent (a split order's rest included). */
export const fullyShipped = (order: BookOrder) => order.shipments.length > 0 && order.restShipsOn === undefined;

export interface BookInvoice {
  id: string;
  /** Stable across runs of a seed: the order's external id and the shipment's place (`…-D3-O7#1`). */
  key: string;
  number: string;
  orderId: string;
  totalMinor: number;
  issueDate: string;
  customer: SimCustomer;
  currency: string;
  payableMinor: number;
  dueDate: string;
  reference: string;
  /** Cash the simulator sent for it, by bank reference. */
  paid: { bankReference: string; amountMinor: number }[];
  /** What it still plans to pay, by date; `discountMinor` is the early-payment discount the payer keeps back. */
  planned: { date: string; amountMinor: number; typo: boolean; discountMinor?: number | undefined }[];
  /** Credited by credit notes (a dispute resolved in the customer's favour). */
  creditedMinor: number;
  /** Kept back by the payer as the early-payment discount its terms grant. */
  discountMinor: number;
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
  /** The format of the statement it came in: a return can be linked to it only if that one named the payer. */
  receivedAs?: BankFileFormat;
  /** The payer's bank sends it back on this day (insufficient funds); `returnSent` once it did, `returned` once O2C reversed it. */
  returnOn?: string;
  returnSent?: boolean;
  returned?: boolean;
}

/**
 * The transfers the payer's bank sends back in today's statement: those due, applied by O2C, never sent back before,
 * and that came in a statement naming the payer (a BAI2 one names none, so O2C could not link the return to it: the
 * bank of one account sends one format, it is only the simulator that turns formats day by day). None on a day whose
 * format marks no return: they wait for the next.
 */
export function returnsDue(payments: readonly SentPayment[], date: string, format: BankFileFormat): SentPayment[] {
  if (!BANK_FILE_CAPABILITIES[format].returns) return [];
  return payments.filter(
    (payment) =>
      payment.returnOn !== undefined &&
      payment.returnOn <= date &&
      !payment.returnSent &&
      !payment.returned &&
      payment.entry !== undefined &&
      payment.paymentId !== undefined &&
      payment.outcome !== 'open' &&
      payment.receivedAs !== undefined &&
      BANK_FILE_CAPABILITIES[payment.receivedAs].payer,
  );
}

export interface Books {
  orders: Map<string, BookOrder>;
  invoices: Map<string, BookInvoice>;
  payments: SentPayment[];
  reviews: { approved: number; rejected: number };
  clerk: { resolved: number; left: number };
  /** Customers whose terms the simulator set (by external id → O2C id). */
  configured: Map<string, string>;
  /** Yesterday's statement, for a bank that repeats it in today's. */
  lastStatement?: StatementInput | undefined;
  /** Statements that repeated the day before's entries; restocks of the scarce part. */
  overlappingStatements: number;
  restocks: number;
}

/** What `--chaos` does to a day, and how much of each it did. */
export interface Chaos {
  random: SeededRandom;
  counts: { duplicateDeliveries: number; concurrentDuplicates: number; outOfOrder: number; redroppedFiles: number; restarts: number; killsInFlight: number };
  /** Called after each phase of a day; may kill and restart the runtime there. */
  afterPhase(day: number, phase: DayPhase): Promise<void>;
  /** Called as a phase's requests start; may kill the runtime while they are in flight, and restart it. */
  duringPhase(day: number, phase: DayPhase): Promise<void>;
  /** The last bank file dropped, to drop again. */
  lastFile?: BankFileToDrop;
}
export type DayPhase = 'orders' | 'shipments' | 'bank-file';

export const newBooks = (): Books => ({ orders: new Map(), invoices: new Map(), payments: [], reviews: { approved: 0, rejected: 0 }, clerk: { resolved: 0, left: 0 }, configured: new Map(), overlappingStatements: 0, restocks: 0 });

/** The books' invoices in a fixed order (not the order O2C happened to answer in), so a seed pays the same way every run. */
export const invoicesInOrder = (books: Books) => [...books.invoices.values()].sort((a, b) => a.key.localeCompare(b.key));

interface OrderView {
  id: string;
  status: string;
  customerId: string;
}
interface InvoiceView {
  id: string;
  kind?: string;
  number: string;
  orderId: string;
  currency: string;
  totalMinor: number;
  issueDate: string;
  lines?: { sku?: string }[];
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
function plannedPayments(customer: SimCustomer, payableMinor: number, issueDate: string, dueDate: string): BookInvoice['planned'] {
  if (payableMinor === 0) return [];
  const habit = customer.habit;
  switch (habit.kind) {
    case 'on-time': {
      const discount = customer.earlyPaymentDiscount;
      if (!discount) return [{ date: addDays(dueDate, -habit.daysEarly), amountMinor: payableMinor, typo: false }];
      // Paid three days before the discount ends, less the discount worked out on the payable amount.
      const discountMinor = earlyPaymentDiscountOf(payableMinor, discount.rateBasisPoints);
      return [{ date: addDays(issueDate, discount.days - 3), amountMinor: payableMinor - discountMinor, typo: false, discountMinor }];
    }
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
    for (const product of business.products) {
      const onHand = product.sku === business.scarce.sku ? business.scarce.onHand : 1_000_000;
      await api.send('admin', 'PUT', `/products/${product.sku}`, { name: product.name, priceMinor: product.priceMinor, currency: 'EUR', onHand });
    }
    const profile = await api.send('admin', 'PUT', `/bank-accounts/${SELLER_ACCOUNT}/csv-profile`, simulatorCsvProfile(SELLER_ACCOUNT, 'EUR'));
    if (profile.status !== 200) throw new Error(`the CSV profile of ${SELLER_ACCOUNT} was refused: ${profile.status} ${JSON.stringify(profile.body)}`);
  } else if (day % business.scarce.everyDays === 0) await restock(api, books, business.scarce);

  const orders = business.ordersOn(day);
  await cancelBeforeCreation(api, orders, date, business.seed, chaos);
  await Promise.all([placeOrders(api, books, orders, date, chaos), chaos?.duringPhase(day, 'orders')]);
  await chaos?.afterPhase(day, 'orders');
  await settleOrders(api, books);
  await decideReviews(api, books);
  await cancelOrders(api, books, orders, date, business.seed, chaos);
  await shipAndInvoice(api, books, date, business.seed, chaos);
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
  // A third of the orders come twice at the same moment (two webhook workers racing); the rest twice, apart.
  const deliveries = orders.flatMap((order, index) => (chaos.random.chance(1 / 3) ? [{ order, index, concurrent: true }] : [{ order, index, concurrent: false }, { order, index, concurrent: false }]));
  for (let index = deliveries.length - 1; index > 0; index--) {
    const other = chaos.random.int(0, index);
    [deliveries[index], deliveries[other]] = [deliveries[other]!, deliveries[index]!];
  }
  const firstSeen: number[] = [];
  for (const delivery of deliveries) if (!firstSeen.includes(delivery.index)) firstSeen.push(delivery.index);
  chaos.counts.outOfOrder += firstSeen.filter((index, position) => firstSeen.slice(0, position).some((earlier) => earlier > index)).length;
  chaos.counts.duplicateDeliveries += orders.length;
  chaos.counts.concurrentDuplicates += deliveries.filter((delivery) => delivery.concurrent).length;
  // Every delivery after an order's first is there only because of chaos: the meter bills it apart.
  const delivered = new Set<number>();
  for (const delivery of deliveries) {
    const copies = Array.from({ length: delivery.concurrent ? 2 : 1 }, (_, copy) => placeOrder(api, books, delivery.order, date, { chaos: copy > 0 || delivered.has(delivery.index) }));
    delivered.add(delivery.index);
    await Promise.all(copies);
  }
}

/**
 * A store's (or carrier's) delivery that got no answer because the runtime died under it is sent again, as their
 * retries do, until it is answered: the answer then says whether the first attempt had already been accepted.
 */
async function untilAnswered(send: () => Promise<number>): Promise<number> {
  for (let waited = 0; ; waited += 500) {
    try {
      return await send();
    } catch (error) {
      if (waited > 180_000) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** The order as the store (or the generic webhook) sends it. */
const orderInput = (order: SimOrder, date: string): StoreOrderInput => ({
    externalId: order.externalId,
    orderedAt: `${date}T09:00:00Z`,
    currency: 'EUR',
    customer: { externalId: order.customer.externalId, name: order.customer.name, email: order.customer.email, country: order.customer.country },
    lines: order.lines.map((line) => ({ sku: line.sku, description: line.sku, quantity: line.quantity, unitPriceMinor: line.unitPriceMinor, taxRatePercent: line.taxRatePercent })),
    shippingMinor: order.shippingMinor,
    prepaid: order.prepaid,
  });

/** A store rounds tax per line; a line whose tax rounds to 0.00 would be read as untaxed, so such an order goes generic. */
const channelOf = (order: SimOrder, input: StoreOrderInput) => (order.customer.channel !== 'generic' && untaxableAtTheirRate(input).length === 0 ? order.customer.channel : 'generic');

async function placeOrder(api: O2cApi, books: Books, order: SimOrder, date: string, mark?: SendOptions) {
  const input = orderInput(order, date);
  const source = channelOf(order, input);
  let answer: number;
  if (source === 'generic') {
    const { prepaid: _prepaid, ...generic } = input;
    answer = await untilAnswered(() => api.signed('/webhooks/orders', generic, mark));
  } else {
    const request = signedStoreRequest(source, storeOrderPayload(source, input), `${order.externalId}-created`, { environment: process.env });
    answer = await untilAnswered(() => api.post(request.path, request.headers, request.body, mark));
  }
  const earlier = books.orders.get(order.externalId);
  // A redelivery is answered too (as a duplicate); the order counts as accepted once any delivery was.
  if (earlier && earlier.answer === 202) return;
  const o2cExternalId = source === 'generic' ? order.externalId : storeOrderExternalId(source, order.externalId);
  books.orders.set(order.externalId, { externalId: order.externalId, placed: order, source, o2cExternalId, customer: order.customer, day: order.day, answer, shipments: [] });
}

/** The store's signed cancellation of an order (Shopify `cancelled_at`, WooCommerce status `cancelled`). */
/** The deliveries after the first (`chaosFrom` on) are chaos's, billed apart. */
async function sendCancellation(api: O2cApi, order: SimOrder, source: StoreSource, date: string, deliveries: number, chaosFrom = 1) {
  const payload = storeOrderPayload(source, orderInput(order, date));
  const cancelledAt = await api.businessNow();
  const [body, topic] = source === 'shopify' ? [{ ...payload, cancelled_at: cancelledAt, cancel_reason: 'customer' }, 'orders/cancelled'] : [{ ...payload, status: 'cancelled' }, 'order.updated'];
  for (let delivery = 0; delivery < deliveries; delivery++) {
    const request = signedStoreRequest(source, body, `${order.externalId}-cancelled`, { topic, environment: process.env });
    await untilAnswered(() => api.post(request.path, request.headers, request.body, { chaos: delivery >= chaosFrom }));
  }
}

/**
 * Under chaos, half the day's cancellations reach O2C before the orders they cancel (a store's webhooks come in any
 * order): O2C must still end with the order cancelled.
 */
const cancelsFirst = (order: SimOrder, seed: number) => order.cancelled && decides(seed, `${order.externalId}:cancel-first`, 0.5);

async function cancelBeforeCreation(api: O2cApi, orders: readonly SimOrder[], date: string, seed: number, chaos: Chaos | undefined): Promise<void> {
  if (!chaos) return;
  for (const order of orders) {
    const source = channelOf(order, orderInput(order, date));
    if (source === 'generic' || !cancelsFirst(order, seed)) continue;
    await sendCancellation(api, order, source, date, 1);
    chaos.counts.outOfOrder += 1;
  }
}

/**
 * The buyers who cancel at the store do it once their order is in (whatever O2C decided about it): the store sends
 * its cancellation, signed, and O2C must release the order before anything ships. Under chaos, twice (and for some,
 * once more: the copy that came before the order).
 */
async function cancelOrders(api: O2cApi, books: Books, placed: readonly SimOrder[], date: string, seed: number, chaos: Chaos | undefined) {
  const cancelling = placed.map((order) => books.orders.get(order.externalId)).filter((order): order is BookOrder & { source: StoreSource } => order !== undefined && order.placed.cancelled && order.answer === 202 && order.source !== 'generic' && !order.cancellation);
  await Promise.all(
    cancelling.map(async (order) => {
      // Under chaos both copies are extra when the store's one cancellation already came before the order.
      await sendCancellation(api, order.placed, order.source, date, chaos ? 2 : 1, chaos && cancelsFirst(order.placed, seed) ? 0 : 1);
      if (chaos) chaos.counts.duplicateDeliveries += 1;
      order.cancellation = { sentOn: date, confirmed: false };
      const view = await waitFor(async () => {
        const found = await orderOf(api, order);
        return found && (found.status === 'CANCELLED' || found.status === 'REJECTED') ? found : undefined;
      }, WAIT_MS);
      if (view) Object.assign(order, { status: view.status, orderId: view.id, customerId: view.customerId, cancellation: { sentOn: date, confirmed: view.status === 'CANCELLED' } });
    }),
  );
}

/** The warehouse receives the scarce part: on hand goes up, and O2C resumes the orders waiting for it. */
async function restock(api: O2cApi, books: Books, scarce: Business['scarce']) {
  const { status, body } = await api.get<{ onHand: number }>(`/products/${scarce.sku}`, 'admin');
  if (status !== 200) return;
  const { status: saved } = await api.send('admin', 'PUT', `/products/${scarce.sku}`, { onHand: body.onHand + scarce.restockUnits });
  if (saved === 200) books.restocks += 1;
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
  // Orders waiting for stock or a person may have moved on since yesterday (a restock, a released hold).
  const waiting = [...books.orders.values()].filter((order) => order.answer === 202 && order.status && WAITING.includes(order.status));
  await Promise.all(
    waiting.map(async (order) => {
      const view = await orderOf(api, order);
      if (view && RESTING.includes(view.status)) order.status = view.status;
    }),
  );
  await configureCustomers(api, books);
}

/** A customer's terms, once O2C created it with its first order (the store does not send terms). */
async function configureCustomers(api: O2cApi, books: Books) {
  for (const order of books.orders.values()) {
    if (!order.customerId || books.configured.has(order.customer.externalId)) continue;
    const { earlyPaymentDiscount } = order.customer;
    const { status } = await api.send('admin', 'PUT', `/customers/${order.customerId}`, { terms: { basis: 'invoice-date', days: order.customer.termsDays, ...(earlyPaymentDiscount ? { earlyPaymentDiscount } : {}) } });
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

/**
 * The carrier confirms what left today: orders ready to ship (a split order's first line alone, its rest two days
 * later), then the invoices O2C issued for them are booked.
 */
async function shipAndInvoice(api: O2cApi, books: Books, date: string, seed: number, chaos?: Chaos) {
  // Shipped now in business time, so an invoice's delivery date is the day the simulated goods left.
  const shippedAt = await api.businessNow();
  const ship = async (order: BookOrder, shipment: BookShipment) => {
    // Under chaos the carrier's confirmation sometimes comes twice at the same moment: one shipment, one invoice.
    const copies = chaos?.random.chance(0.2) ? 2 : 1;
    if (chaos && copies === 2) chaos.counts.concurrentDuplicates += 1;
    const statuses = await Promise.all(Array.from({ length: copies }, (_, copy) => api.signed('/shipments', { orderId: order.orderId, carrier: 'GLS', trackingNumber: shipment.trackingNumber, shippedAt, ...(shipment.lines ? { lines: shipment.lines } : {}) }, { chaos: copy > 0 })));
    if (statuses.every((status) => status >= 300)) return false;
    order.shipments.push(shipment);
    return true;
  };
  const orders = [...books.orders.values()].filter((order) => order.orderId && !order.cancellation);
  await Promise.all([
    ...orders
      .filter((order) => order.status === 'AWAITING_SHIPMENT' && order.shipments.length === 0)
      .map(async (order) => {
        const [first] = order.placed.lines;
        const split = order.placed.splitShipment && order.placed.lines.length > 1 && first !== undefined;
        const shipped = await ship(order, { trackingNumber: `${order.externalId}-1`, lines: split ? [{ sku: first.sku, quantity: first.quantity }] : undefined });
        if (!shipped) return;
        order.status = split ? 'PARTIALLY_SHIPPED' : 'SHIPPED';
        order.restShipsOn = split ? addDays(date, 2) : undefined;
      }),
    ...orders
      .filter((order) => order.restShipsOn !== undefined && order.restShipsOn <= date)
      .map(async (order) => {
        if (!(await ship(order, { trackingNumber: `${order.externalId}-2` }))) return;
        order.status = 'SHIPPED';
        order.restShipsOn = undefined;
      }),
  ]);
  await bookInvoices(api, books, seed, WAIT_MS, chaos);
}

/** The SKUs a shipment took: its lines, or what the order's earlier shipments left. */
function skusOf(order: BookOrder, shipment: BookShipment): string[] {
  if (shipment.lines) return shipment.lines.map((line) => line.sku);
  const before = order.shipments.slice(0, order.shipments.indexOf(shipment)).flatMap((earlier) => earlier.lines?.map((line) => line.sku) ?? []);
  return order.placed.lines.map((line) => line.sku).filter((sku) => !before.includes(sku));
}

const sameSkus = (invoice: InvoiceView, skus: readonly string[]) => {
  const invoiced = new Set((invoice.lines ?? []).map((line) => line.sku).filter((sku) => sku !== 'SHIPPING'));
  return invoiced.size === skus.length && skus.every((sku) => invoiced.has(sku));
};

/**
 * Books the invoice of every shipment that has none in the books yet (the one of the order's invoices not yet booked
 * that bills the shipment's SKUs). An invoice slower than `waitMs` (a failed attempt waiting out its visibility
 * timeout, a restart) is looked for again the next day and once more at the end of the run, so the books never miss
 * one that O2C issued late.
 */
export async function bookInvoices(api: O2cApi, books: Books, seed: number, waitMs: number, chaos?: Chaos) {
  const waiting = [...books.orders.values()].flatMap((order) => order.shipments.map((shipment, index) => ({ order, shipment, index }))).filter(({ shipment }) => !shipment.invoiceId);
  await Promise.all(
    waiting.map(async ({ order, shipment, index }) => {
      const skus = skusOf(order, shipment);
      const invoice = await waitFor(async () => {
        const { body } = await api.get<{ items?: InvoiceView[] }>(`/invoices?orderId=${order.orderId}`);
        return body.items?.find((item) => item.number && item.status !== 'VOID' && item.kind !== 'credit-note' && !books.invoices.has(item.id) && sameSkus(item, skus));
      }, waitMs);
      if (!invoice || books.invoices.has(invoice.id)) return;
      shipment.invoiceId = invoice.id;
      if (fullyShipped(order) && order.shipments.every((each) => each.invoiceId)) order.status = 'INVOICED';
      const disputing = disputePlan(order, invoice, seed);
      if (chaos) {
        // The carrier confirms again, after the invoice went out: one shipment must stay one invoice.
        await api.signed('/shipments', { orderId: order.orderId, carrier: 'GLS', trackingNumber: shipment.trackingNumber, shippedAt: new Date().toISOString(), ...(shipment.lines ? { lines: shipment.lines } : {}) }, { chaos: true });
        chaos.counts.duplicateDeliveries += 1;
      }
      books.invoices.set(invoice.id, {
        id: invoice.id,
        key: `${order.externalId}#${index + 1}`,
        number: invoice.number,
        orderId: invoice.orderId,
        totalMinor: invoice.totalMinor,
        issueDate: invoice.issueDate,
        customer: order.customer,
        currency: invoice.currency,
        payableMinor: invoice.payableMinor,
        dueDate: invoice.dueDate,
        reference: invoice.reference,
        paid: [],
        planned: disputing.planned ?? plannedPayments(order.customer, invoice.payableMinor, invoice.issueDate, invoice.dueDate),
        creditedMinor: 0,
        discountMinor: 0,
        externalId: order.externalId,
        bookedOn: await api.businessDate(),
        dispute: disputing.dispute,
      });
    }),
  );
}

export const openOf = (invoice: BookInvoice) => invoice.payableMinor - invoice.creditedMinor - invoice.discountMinor - invoice.paid.reduce((sum, payment) => sum + payment.amountMinor, 0);

/**
 * What customers and the clerk do about open invoices: disputes opened when the customer calls and resolved a few
 * days later (credited in full, or rejected and then paid); a promise to pay recorded once the customer was reminded.
 */
async function workCollections(api: O2cApi, books: Books, date: string, seed: number) {
  for (const invoice of invoicesInOrder(books)) {
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

/** How likely a single-invoice transfer of a payer of this habit comes back from its bank. */
const RETURN_CHANCE: Partial<Record<SimCustomer['habit']['kind'], number>> = { late: 0.3, partial: 0.3, typo: 0.2, 'on-time': 0.1 };

/** Today's transfers in the day's bank statement: planned ones, and weekly batches (most naming every invoice they pay). */
async function payDay(api: O2cApi, books: Books, date: string, day: number, seed: number, chaos?: Chaos): Promise<SentPayment[]> {
  if (chaos?.lastFile && chaos.random.chance(0.5)) {
    // The bank (or a person) drops yesterday's file again: the same content must apply nothing twice.
    const status = await api.uploadBankFile(chaos.lastFile.name, chaos.lastFile.content, chaos.lastFile.account, { chaos: true });
    if (status === 202 || status === 200) chaos.counts.redroppedFiles += 1;
  }
  const payments: (SentPayment & { remittance: string; debtor: SimCustomer })[] = [];
  let sequence = 0;
  const reference = () => `SIM${date.replace(/-/g, '')}${String(++sequence).padStart(4, '0')}-${day}`;
  const invoices = invoicesInOrder(books);
  for (const invoice of invoices) {
    for (const plan of invoice.planned.filter((item) => item.date <= date)) {
      const bankReference = reference();
      payments.push({ bankReference, date, amountMinor: plan.amountMinor, invoices: [{ invoiceId: invoice.id, amountMinor: plan.amountMinor }], remittance: plan.typo ? withTypo(invoice.reference) : invoice.reference, debtor: invoice.customer });
      // The payer keeps the discount back as it pays: from then on the books owe O2C nothing more for it.
      invoice.discountMinor += plan.discountMinor ?? 0;
    }
    invoice.planned = invoice.planned.filter((item) => item.date > date);
  }
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const batchPayers = [...new Set(invoices.map((invoice) => invoice.customer))].filter((customer) => customer.habit.kind === 'weekly-batch' && customer.habit.weekday === weekday).sort((a, b) => a.externalId.localeCompare(b.externalId));
  for (const customer of batchPayers) {
    const open = invoices.filter((invoice) => invoice.customer === customer && openOf(invoice) > 0 && invoice.dueDate <= addDays(date, 7));
    if (open.length === 0) continue;
    const parts = open.map((invoice) => ({ invoiceId: invoice.id, amountMinor: openOf(invoice) }));
    // Some batches name no invoice at all: O2C has the payer's account and the amount to go on, or a person does.
    const remittance = decides(seed, `${customer.externalId}:${date}:bare`, 0.4) ? '' : `Invoices ${open.map((invoice) => invoice.number).join(' ')}`;
    payments.push({ bankReference: reference(), date, amountMinor: parts.reduce((sum, part) => sum + part.amountMinor, 0), invoices: parts, remittance, debtor: customer });
  }
  // Banks send a statement every business day, with or without entries.
  const entries: StatementEntry[] = payments.map((payment) => (payment.entry = { amountMinor: payment.amountMinor, bankReference: payment.bankReference, bookingDate: date, endToEndId: payment.bankReference, remittance: payment.remittance || undefined, payerName: payment.debtor.name, payerAccount: payment.debtor.account }));
  // A transfer sometimes comes back two days later (insufficient funds), most often a late or partial payer's; it pays
  // again five days after. Not a discounted one: paid again after the discount period, it would owe the discount too.
  for (const payment of payments) if (payment.invoices.length === 1 && !payment.debtor.earlyPaymentDiscount && decides(seed, `${payment.bankReference}:return`, RETURN_CHANCE[payment.debtor.habit.kind] ?? 0)) payment.returnOn = addDays(date, 2);
  const rotated = BANK_FILE_FORMATS[day % BANK_FILE_FORMATS.length] as BankFileFormat;
  const returns = returnsDue(books.payments, date, rotated);
  for (const payment of returns) {
    entries.push(returnedPayment(payment.entry!, { bankReference: `RTN${payment.bankReference}`, bookingDate: date, reason: 'AM04' }));
    payment.returnSent = true;
  }
  // The bank charges its fees on some days: money out that cash application must leave alone.
  if (decides(seed, `${date}:fee`, 0.3)) entries.push(bankFee({ amountMinor: 250, bankReference: `FEE${date.replace(/-/g, '')}`, bookingDate: date }));
  // The bank's files come in every format O2C reads, a different one each day (a CSV cannot be empty; BAI2 carries no returns).
  const format = rotated === 'csv' && entries.length === 0 ? 'camt053' : rotated;
  for (const payment of payments) payment.receivedAs = format;
  const today: StatementInput = { statementId: `SIM-${date}-${day}`, account: SELLER_ACCOUNT, currency: 'EUR', openingMinor: 0, date, entries };
  // Some banks repeat the day before's entries in today's statement: O2C must take each entry once.
  const overlapping = books.lastStatement && decides(seed, `${date}:overlap`, 0.2);
  const file = statementFile(format, overlapping && books.lastStatement ? overlappingStatement(books.lastStatement, today) : today);
  if (overlapping) books.overlappingStatements += 1;
  books.lastStatement = today;
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
