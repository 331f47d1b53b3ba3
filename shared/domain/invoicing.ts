import type { Customer } from './customer.ts';
import { invoiceTotals, dueDate, type InvoiceDocument, type InvoiceLine, type Party, type PaymentInstructions } from './invoice.ts';
import { divideHalfUp } from './money.ts';
import type { Order } from './order.ts';

/** Who issues the invoices: configured once (`O2C_SELLER`), printed on every document. */
export interface Seller {
  party: Party;
  paymentInstructions: PaymentInstructions;
  invoiceSeries: string;
  creditNoteSeries: string;
  /** Sender of invoice emails. */
  /** Sender address (verified in SES); the From name is the seller's name. */
  email: { fromAddress: string; replyTo?: string | undefined };
}

export interface ShipmentLines {
  lines: InvoiceLine[];
  /** The order's running invoiced state after this invoice. */
  invoiced: NonNullable<Order['invoiced']>;
}

/**
 * The invoice lines for what one shipment shipped, taken from the order lines of each SKU in order. Net amounts
 * are prorated by quantity and rounded half-up; the shipment that completes a line takes the remainder, so the
 * invoices of an order add up exactly to the order's net. Shipping is billed once, on the first invoice.
 */
export function linesForShipment(order: Order, shipped: Record<string, number>, invoiceId: string): ShipmentLines {
  const quantities = order.lines.map((_, index) => order.invoiced?.quantities[index] ?? 0);
  const netMinor = order.lines.map((_, index) => order.invoiced?.netMinor[index] ?? 0);
  const lines: InvoiceLine[] = [];
  for (const [sku, shippedQuantity] of Object.entries(shipped)) {
    let remaining = shippedQuantity;
    for (const [index, line] of order.lines.entries()) {
      if (line.sku !== sku || remaining === 0) continue;
      const take = Math.min(line.quantity - quantities[index]!, remaining);
      if (take <= 0) continue;
      const completes = quantities[index]! + take === line.quantity;
      const net = completes ? line.netMinor - netMinor[index]! : divideHalfUp(BigInt(line.netMinor) * BigInt(take), BigInt(line.quantity));
      // Tax-inclusive orders carry gross unit prices; the invoice shows net ones, rounded up, the rest as discount.
      const unitPriceMinor = order.taxesIncluded ? Math.ceil(net / take) : line.unitPriceMinor;
      lines.push({
        lineNumber: lines.length + 1,
        sku,
        description: line.description ?? sku,
        quantity: take,
        unitPriceMinor,
        discountMinor: take * unitPriceMinor - net,
        netMinor: net,
        taxCategory: line.taxRatePpm > 0 ? 'S' : 'Z',
        taxRatePpm: line.taxRatePpm,
      });
      quantities[index]! += take;
      netMinor[index]! += net;
      remaining -= take;
    }
  }
  const shippingDue = !(order.invoiced?.shipping ?? false) && order.shippingMinor > 0;
  if (shippingDue)
    lines.push({
      lineNumber: lines.length + 1,
      sku: 'SHIPPING',
      description: 'Shipping',
      quantity: 1,
      unitPriceMinor: order.shippingMinor,
      discountMinor: 0,
      netMinor: order.shippingMinor,
      taxCategory: order.shippingTaxRatePpm > 0 ? 'S' : 'Z',
      taxRatePpm: order.shippingTaxRatePpm,
    });
  return {
    lines,
    invoiced: { quantities, netMinor, shipping: (order.invoiced?.shipping ?? false) || shippingDue, invoiceIds: [...(order.invoiced?.invoiceIds ?? []), invoiceId] },
  };
}

/** True once every unit of every line has been invoiced. */
export function fullyInvoiced(order: Order, invoiced: ShipmentLines['invoiced']): boolean {
  return order.lines.every((line, index) => (invoiced.quantities[index] ?? 0) >= line.quantity);
}

export function buildInvoiceDocument(input: {
  id: string;
  number: string;
  issueDate: string;
  order: Order;
  customer: Customer;
  seller: Seller;
  lines: InvoiceLine[];
  paymentReference: string;
  /** The shipment's date (ISO YYYY-MM-DD): EN 16931 BT-72, the Lieferdatum §14 UStG requires. */
  deliveryDate?: string | undefined;
}): InvoiceDocument {
  const { order, customer } = input;
  return {
    kind: 'invoice',
    id: input.id,
    number: input.number,
    issueDate: input.issueDate,
    dueDate: dueDate(input.issueDate, customer.terms),
    currency: order.currency,
    seller: input.seller.party,
    buyer: {
      name: order.billingAddress?.company ?? customer.name,
      // Our customer number; a guest's key (`email:<address>`) is no number, and the email is printed anyway.
      identifier: customer.externalId.startsWith('email:') ? undefined : customer.externalId,
      vatId: order.buyerVatId ?? customer.vatId,
      email: customer.contacts.find((contact) => contact.role === 'billing')?.email ?? customer.email,
      address: { ...order.billingAddress, country: order.billingAddress?.country ?? customer.country },
    },
    orderId: order.id,
    buyerReference: order.storeOrderNumber ?? order.externalId,
    deliveryDate: input.deliveryDate,
    lines: input.lines,
    ...invoiceTotals(input.lines),
    terms: customer.terms,
    paymentReference: input.paymentReference,
    paymentInstructions: input.seller.paymentInstructions,
    notes: [],
  };
}
