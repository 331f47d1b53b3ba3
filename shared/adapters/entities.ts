/**
 * One mapper per entity: how each is stored as a table item (its keys, the index attributes that make it findable
 * while it should be, and the projections), in one place. Every adapter that writes an entity, alone or inside
 * another's transaction, writes what these functions make, so an index can never be right in one writer and stale
 * in another.
 */
import { isCashOnAccount } from '#domain/cash-on-account';
import type { Customer } from '#domain/customer';
import { firstQueueDate } from '#domain/dunning';
import { isCollectible, isOpenReceivable, type Invoice } from '#domain/invoice';
import { dunnableOf, type DeductionRecord } from '#domain/deduction';
import { keys } from '#domain/keys';
import type { Order } from '#domain/order';
import type { Payment } from '#domain/payment';
import type { Dispute, Product } from '#domain/ports';
import { invoiceNumberKeys, normalizePartyName } from '#domain/remittance';
import { nameKey, numberKey } from '#domain/search';
import { putHeader, withoutKeys, type Item, type SplitEntity, type TransactItem } from './dynamo-items.ts';

/**
 * What an order never changes after it is created, and may be large (a 500-line order's lines are about 75 KB):
 * stored once, in an item of its own beside the order (`keys.orderDetail`), and in no index. The order item, which
 * every status change rewrites (in the table, the customer's orders and the status lists), holds the rest.
 */
export const ORDER_DETAIL_ATTRIBUTES = ['lines', 'billingAddress', 'shippingAddress', 'storeTotals', 'payment'] as const satisfies readonly (keyof Order)[];
type OrderDetail = Pick<Order, (typeof ORDER_DETAIL_ATTRIBUTES)[number]>;

const detailOf = (order: Order): OrderDetail => Object.fromEntries(ORDER_DETAIL_ATTRIBUTES.map((attribute) => [attribute, order[attribute]])) as OrderDetail;

/** The order item: everything but its detail, with the keys of the customer's orders (gsi1) and the status lists (gsi4). */
export function orderItem(order: Order): Item {
  const header: Item = { ...order };
  for (const attribute of ORDER_DETAIL_ATTRIBUTES) delete header[attribute];
  return { ...keys.order(order.id), ...keys.ordersOfCustomer(order.customerId, order.createdAt, order.id), ...keys.orderList(order.status, order.orderedAt, order.id), entityType: 'Order', ...header };
}

/** The order's detail item, written with the order in the transaction that creates it, never again. */
export function orderDetailItem(order: Order): Item {
  return { ...keys.orderDetail(order.id), entityType: 'OrderDetail', orderId: order.id, ...detailOf(order) };
}

/**
 * The order of an order item and its detail item. An order item written before the detail had an item of its own
 * carries its lines itself and has no detail item: it is the whole order.
 */
export function orderFromItems(item: Item, detail: Item | undefined): Order {
  const order = withoutKeys<Order>(item);
  if (!detail) return order;
  const { orderId: _orderId, ...rest } = withoutKeys<OrderDetail & { orderId: string }>(detail);
  return { ...order, ...rest };
}

/** True for an order item that still carries its detail (written before the detail item existed). */
export const carriesItsDetail = (item: Item): boolean => 'lines' in item;

/** An order as its header and its detail. */
export const splitOrder: SplitEntity<Order> = { partKey: keys.orderDetail, ownerOf: (detail) => String(detail.orderId), carriesItsPart: carriesItsDetail, join: orderFromItems };

/**
 * The write that replaces an order item (the header) if it is still at `before`'s version. It also requires the
 * stored item not to carry its detail: replacing an old-layout item with a header would drop its lines, so such a
 * write is refused as a change (the caller reads the order again, and the store's read moves the detail out first).
 */
export function putOrder(tableName: string, before: Order, after: Order): TransactItem {
  // Nothing changes an order's detail after creation; a change that did would be lost here, so it is refused loudly.
  if (JSON.stringify(detailOf(before)) !== JSON.stringify(detailOf(after))) throw new Error(`order ${after.id}: its ${ORDER_DETAIL_ATTRIBUTES.join(', ')} are written once, when it is created`);
  return putHeader(tableName, orderItem(after), before.version, 'lines');
}

export function customerItem(customer: Customer): Item {
  return { ...keys.customer(customer.id), ...keys.customerList(nameKey(customer.name), customer.id), entityType: 'Customer', ...customer };
}

export function productItem(product: Product): Item {
  return { ...keys.product(product.sku), entityType: 'Product', ...product };
}

export function paymentItem(payment: Payment): Item {
  const onAccount = isCashOnAccount(payment) && payment.customerId ? keys.cashOnAccount(payment.customerId, payment.bookingDate, payment.id) : {};
  return { ...keys.payment(payment.id), ...keys.paymentsByStatus(payment.status, payment.bookingDate, payment.id), ...onAccount, entityType: 'Payment', ...payment };
}

/**
 * The stored invoice. While it is payable it also carries the open-items index (gsi2) and, top level, the few
 * attributes that index projects; a write that closes it drops them, so the index only ever holds open items.
 */
export function deductionItem(deduction: DeductionRecord): Item {
  return { ...keys.deduction(deduction.id), ...keys.deductionsByStatus(deduction.status, deduction.createdAt, deduction.id), entityType: 'Deduction', ...deduction };
}

export function disputeItem(dispute: Dispute): Item {
  return { ...keys.dispute(dispute.id), ...keys.disputeList(dispute.status, dispute.openedAt, dispute.id), entityType: 'Dispute', ...dispute };
}

/**
 * The search entries of an invoice or credit note: its number (which is also the body of its RF reference). An
 * invoice also gets the two links cash application reads a payment's candidates by (issue 16): the digits of its
 * number, and its buyer's name as payers' names are compared → its customer. They never change, so they are
 * written once, with the invoice; whether the invoice is still open is read from the invoice (gsi2).
 */
export function invoiceSearchItems(invoice: Invoice): Item[] {
  const { document } = invoice;
  const search = { ...keys.searchEntry(numberKey(document.number), 'INVOICE', invoice.id), entityType: 'SearchEntry', entity: 'invoice', id: invoice.id, label: `${document.kind === 'credit-note' ? 'credit note' : 'invoice'} ${document.number}` };
  if (document.kind === 'credit-note') return [search];
  const digits = invoiceNumberKeys(document.number).digits;
  const payerName = normalizePartyName(document.buyer.name);
  return [
    search,
    ...(digits ? [{ ...keys.invoiceNumberDigits(digits, invoice.id), entityType: 'MatchLink', id: invoice.id }] : []),
    ...(payerName ? [{ ...keys.payerName(payerName, invoice.customerId), entityType: 'MatchLink', customerId: invoice.customerId }] : []),
  ];
}

export function paymentSearchItems(payment: Payment): Item[] {
  const key = numberKey(payment.bankReference);
  return key ? [{ ...keys.searchEntry(key, 'PAYMENT', payment.id), entityType: 'SearchEntry', entity: 'payment', id: payment.id, label: `payment ${payment.bankReference} of ${payment.bookingDate}` }] : [];
}

export function invoiceItem(invoice: Invoice): Item {
  const { document } = invoice;
  const payable = isOpenReceivable(invoice);
  const openItem = payable
    ? {
        ...keys.openInvoice(document.currency, invoice.customerId, document.dueDate, invoice.id),
        customerName: document.buyer.name,
        invoiceNumber: document.number,
        paymentReference: document.paymentReference,
        currency: document.currency,
        issueDate: document.issueDate,
        ...(document.terms.earlyPaymentDiscount ? { earlyPaymentDiscount: document.terms.earlyPaymentDiscount } : {}),
      }
    : {};
  const { document: _document, ...header } = invoice;
  return {
    ...keys.invoice(invoice.id),
    ...keys.invoicesOfCustomer(invoice.customerId, document.dueDate, invoice.id),
    ...keys.documentList(document.kind, invoice.status, document.dueDate, invoice.id),
    entityType: 'Invoice',
    ...header,
    dueDate: document.dueDate,
    // Always at the top, so the cross-customer lists can filter by it.
    currency: document.currency,
    ...openItem,
    ...dunningQueueKeys(invoice),
  };
}

/**
 * Collections' work queue (gsi3): a payable invoice outside a dispute, until every dunning level was taken. Before
 * the daily run has looked at it, it is queued a fortnight before its due date, whatever the policy.
 */
export function dunningQueueKeys(invoice: Pick<Invoice, 'id' | 'status' | 'openMinor' | 'dunning'> & { document: Pick<Invoice['document'], 'kind' | 'dueDate'> }) {
  const next = invoice.dunning?.nextActionDate;
  // Deductions under review that cover everything open pause dunning like a dispute.
  if (!isCollectible(invoice) || next === null || dunnableOf(invoice) === 0) return {};
  return keys.dunningQueue(next ?? firstQueueDate(invoice.document.dueDate), invoice.id);
}

/**
 * The document as issued, in an item of its own beside the invoice (`keys.invoiceDocument`), in no index: written in
 * the transaction that creates the invoice, never again. The invoice item, which every payment, email and dunning
 * step rewrites (in the table and its indexes), holds the rest, and the few document fields the indexes need.
 */
export function invoiceDocumentItem(invoice: Invoice): Item {
  return { ...keys.invoiceDocument(invoice.id), entityType: 'InvoiceDocument', invoiceId: invoice.id, document: invoice.document };
}

/** True for an invoice item that still carries its document (written before the document had an item of its own). */
export const carriesItsDocument = (item: Item): boolean => 'document' in item;

/** The invoice of an invoice item and its document item; an old-layout item carries its document and is read alone. */
export function invoiceFromItems(item: Item, documentItem: Item | undefined): Invoice {
  const invoice = invoiceFromItem(item);
  return documentItem ? { ...invoice, document: documentItem.document as Invoice['document'] } : invoice;
}

/** An invoice as its header and its document. */
export const splitInvoice: SplitEntity<Invoice> = { partKey: keys.invoiceDocument, ownerOf: (document) => String(document.invoiceId), carriesItsPart: carriesItsDocument, join: invoiceFromItems };

/**
 * The write that replaces an invoice item if it is still at `before`'s version, and is not of the old layout (its
 * document in it): replacing such an item would drop the document, so the write is refused as a change and the
 * store's next read moves the document out first.
 */
export function putInvoice(tableName: string, before: Invoice, after: Invoice): TransactItem {
  // The document as issued never changes; a change that did would be lost here, so it is refused loudly.
  if (JSON.stringify(before.document) !== JSON.stringify(after.document)) throw new Error(`invoice ${after.id}: its document is written once, when it is issued`);
  return putHeader(tableName, invoiceItem(after), before.version, 'document');
}

/** The invoice of a stored item, without the attributes copied out of its document for the indexes. */
function invoiceFromItem(item: Item): Invoice {
  const { dueDate: _dueDate, customerName: _name, invoiceNumber: _number, paymentReference: _reference, currency: _currency, issueDate: _issued, earlyPaymentDiscount: _discount, ...invoice } = withoutKeys<
    Invoice & Record<'dueDate' | 'customerName' | 'invoiceNumber' | 'paymentReference' | 'currency' | 'issueDate' | 'earlyPaymentDiscount', unknown>
  >(item);
  return invoice;
}
