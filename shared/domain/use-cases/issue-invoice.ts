import { auditTrail } from '../audit.ts';
import { creditorReferenceFor } from '../creditor-reference.ts';
import { Conflict, OrderNotFound } from '../errors.ts';
import { formatDocumentNumber, type Invoice } from '../invoice.ts';
import { buildInvoiceDocument, fullyInvoiced, linesForShipment, type Seller } from '../invoicing.ts';
import { revise } from '../order.ts';
import type { Clock, IdGenerator, InvoiceStore, OrderStore } from '../ports.ts';
import { RETRY, retryOnChange } from '../retry.ts';

export interface IssueInvoiceDeps {
  orders: OrderStore;
  invoices: InvoiceStore;
  seller: Seller;
  clock: Clock;
  ids: IdGenerator;
}

/** Re-reads of the order (it changed under us) before giving up to the workflow's retry. */
const MAX_ATTEMPTS = 5;
/** Contention on a series' counter: each round one contender wins, so the ceiling is the burst it can absorb. */
const MAX_NUMBER_ATTEMPTS = 400;
/** The order changed while its invoice was being numbered: read it again. */
const ORDER_CHANGED = Symbol('order changed');

export interface IssuedInvoice {
  invoiceId: string;
  number: string;
  created: boolean;
  currency: string;
  /** The invoice's gross total in minor units of its currency. */
  totalMinor: number;
}

/**
 * Invoices what one shipment shipped, once: a redelivered confirmation finds the invoice of that shipment. The
 * number is taken in the same transaction that writes the invoice and the order's invoiced state, conditional on
 * the counter's last value, so concurrent invoices of a series get consecutive numbers with no gap and no duplicate.
 */
export async function issueInvoice(input: { orderId: string; shipmentKey: string }, deps: IssueInvoiceDeps): Promise<IssuedInvoice> {
  const giveUp = `could not allocate an invoice number for order ${input.orderId}; retry`;
  return retryOnChange(
    giveUp,
    async () => {
    const existingId = await deps.invoices.findIdByShipment(input.orderId, input.shipmentKey);
    if (existingId) {
      const existing = await deps.invoices.get(existingId);
      return { invoiceId: existingId, number: existing?.document.number ?? '', created: false, currency: existing?.document.currency ?? '', totalMinor: existing?.document.totalMinor ?? 0 };
    }
    const order = await deps.orders.get(input.orderId);
    if (!order) throw new OrderNotFound(`order ${input.orderId} does not exist`);
    const [carrier, trackingNumber] = input.shipmentKey.split('#');
    const shipment = carrier && trackingNumber ? await deps.orders.getShipment(order.id, carrier, trackingNumber) : undefined;
    if (!shipment) throw new Conflict(`order ${order.id} has no shipment ${input.shipmentKey}`);
    const customer = await deps.orders.getCustomer(order.customerId);
    if (!customer) throw new OrderNotFound(`customer ${order.customerId} does not exist`);

    const now = deps.clock.now();
    const issueDate = now.toISOString().slice(0, 10);
    const year = now.getUTCFullYear();
    const series = deps.seller.invoiceSeries;
    const invoiceId = deps.ids.next();
    const { lines, taxBreakdown, prepaidMinor, invoiced } = linesForShipment(order, shipment.quantities, invoiceId);
    if (lines.length === 0) throw new Conflict(`shipment ${input.shipmentKey} of order ${order.id} has nothing left to invoice`);
    const at = now.toISOString();
    // Paid at checkout means paid: an order whose prepayment covers every invoice is settled once it is all invoiced.
    const prepaidInFull = (invoiced.prepaidMinor ?? 0) >= order.totalMinor;
    const status = order.status === 'SHIPPED' && fullyInvoiced(order, invoiced) ? (prepaidInFull ? 'PAID' : 'INVOICED') : order.status;
    const orderChange = { before: order, after: revise(order, { invoiced, status }, at) };

    // Only the number changes between tries while other invoices of the series take theirs.
    const issued = await retryOnChange<IssuedInvoice | typeof ORDER_CHANGED>(
      giveUp,
      async () => {
      const sequence = (await deps.invoices.lastSequence(series, year)) + 1;
      const number = formatDocumentNumber(series, year, sequence);
      const document = buildInvoiceDocument({ id: invoiceId, number, issueDate, order, customer, seller: deps.seller, lines, taxBreakdown, prepaidMinor, paymentReference: creditorReferenceFor(number), deliveryDate: shipment.shippedAt.slice(0, 10) });
      const invoice: Invoice = {
        id: invoiceId,
        customerId: customer.id,
        orderId: order.id,
        shipmentKey: input.shipmentKey,
        document,
        status: document.payableMinor === 0 ? 'PAID' : 'OPEN',
        openMinor: document.payableMinor,
        paidMinor: document.prepaidMinor,
        email: { status: 'PENDING', attempts: 0 },
        createdAt: at,
        updatedAt: at,
        version: 1,
      };
      const outcome = await deps.invoices.create({
        invoice,
        series,
        year,
        sequence,
        order: orderChange,
        audit: auditTrail(deps, { actor: 'workflow:billing', at })({
          entity: 'order',
          entityId: order.id,
          customerId: customer.id,
          type: 'InvoiceIssued',
          before: order.status,
          after: status,
          reason: `${number} for ${input.shipmentKey}: ${document.totalMinor} ${document.currency}${document.prepaidMinor > 0 ? `, ${document.prepaidMinor} prepaid at checkout` : ''}, due ${document.dueDate}`,
        }),
      });
      if (outcome === 'created') return { invoiceId, number, created: true, currency: document.currency, totalMinor: document.totalMinor };
      return outcome === 'number-taken' ? RETRY : ORDER_CHANGED;
      },
      { attempts: MAX_NUMBER_ATTEMPTS, pauseMs: (attempt) => Math.random() * Math.min(50, 2 * attempt) },
    );
    return issued === ORDER_CHANGED ? RETRY : issued;
    },
    { attempts: MAX_ATTEMPTS },
  );
}
