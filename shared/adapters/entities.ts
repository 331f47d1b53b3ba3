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
import { withoutKeys, type Item } from './dynamo-items.ts';

export function orderItem(order: Order): Item {
  return { ...keys.order(order.id), ...keys.ordersOfCustomer(order.customerId, order.createdAt, order.id), ...keys.orderList(order.status, order.orderedAt, order.id), entityType: 'Order', ...order };
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
  return {
    ...keys.invoice(invoice.id),
    ...keys.invoicesOfCustomer(invoice.customerId, document.dueDate, invoice.id),
    ...keys.documentList(document.kind, invoice.status, document.dueDate, invoice.id),
    entityType: 'Invoice',
    ...invoice,
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

/** The invoice of a stored item, without the attributes copied out of its document for the indexes. */
export function invoiceFromItem(item: Item): Invoice {
  const { dueDate: _dueDate, customerName: _name, invoiceNumber: _number, paymentReference: _reference, currency: _currency, issueDate: _issued, earlyPaymentDiscount: _discount, ...invoice } = withoutKeys<
    Invoice & Record<'dueDate' | 'customerName' | 'invoiceNumber' | 'paymentReference' | 'currency' | 'issueDate' | 'earlyPaymentDiscount', unknown>
  >(item);
  return invoice;
}
