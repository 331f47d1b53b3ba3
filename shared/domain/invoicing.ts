import { invoiceAddressOf, type Customer } from './customer.ts';
import { invoiceTotals, dueDate, type InvoiceDocument, type InvoiceLine, type Party, type PaymentInstructions, type TaxBreakdown } from './invoice.ts';
import { divideCeil, prorate, runningShare } from './money.ts';
import { taxAtRunningTotal } from './tax.ts';
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
  /** The tax of each rate on this invoice: its running share of the order's tax of that rate. */
  taxBreakdown: TaxBreakdown[];
  /** The part of the store's prepayment this invoice takes. */
  prepaidMinor: number;
  /** The order's running invoiced state after this invoice. */
  invoiced: NonNullable<Order['invoiced']>;
}

/** One priced order line or the shipping, as the member of its tax rate that invoices take shares of. */
interface Member {
  sku: string;
  description: string;
  unitPriceMinor: number;
  quantity: number;
  ratePpm: number;
  /** What the buyer's price is stated in: net, or gross for tax-inclusive orders. */
  basisMinor: number;
  taxMinor: number;
  invoicedBefore: number;
  invoicedAfter: number;
}

/**
 * The invoice for what one shipment shipped, under the rounding policy of `priceOrder`: each order line's amount
 * is taken by running share of its units (`runningShare`), each rate's tax by running share of that rate's amount
 * invoiced so far, so every invoice is within a cent of its own exact figures and the invoices of an order add up
 * to the order's net, tax and total exactly. Shipping is billed once, on the first invoice. The store's
 * prepayment is set against the invoices in order until it is used up.
 */
export function linesForShipment(order: Order, shipped: Record<string, number>, invoiceId: string): ShipmentLines {
  const quantities = order.lines.map((_, index) => order.invoiced?.quantities[index] ?? 0);
  const before = [...quantities];
  for (const [sku, shippedQuantity] of Object.entries(shipped)) {
    let remaining = shippedQuantity;
    for (const [index, line] of order.lines.entries()) {
      if (line.sku !== sku || remaining === 0) continue;
      const take = Math.min(line.quantity - quantities[index]!, remaining);
      if (take <= 0) continue;
      quantities[index]! += take;
      remaining -= take;
    }
  }
  const shippingBefore = order.invoiced?.shipping ?? false;
  const shippingDue = !shippingBefore && (order.shippingMinor > 0 || order.shippingTaxMinor > 0);
  const basis = (net: number, tax: number) => (order.taxesIncluded ? net + tax : net);
  const members: Member[] = [
    ...order.lines.map((line, index) => ({
      sku: line.sku,
      description: line.description ?? line.sku,
      unitPriceMinor: line.unitPriceMinor,
      quantity: line.quantity,
      ratePpm: line.taxRatePpm,
      basisMinor: basis(line.netMinor, line.taxMinor),
      taxMinor: line.taxMinor,
      invoicedBefore: before[index]!,
      invoicedAfter: quantities[index]!,
    })),
    {
      sku: 'SHIPPING',
      description: 'Shipping',
      unitPriceMinor: order.shippingMinor,
      quantity: 1,
      ratePpm: order.shippingTaxRatePpm,
      basisMinor: basis(order.shippingMinor, order.shippingTaxMinor),
      taxMinor: order.shippingTaxMinor,
      invoicedBefore: shippingBefore ? 1 : 0,
      invoicedAfter: shippingBefore || shippingDue ? 1 : 0,
    },
  ];
  const invoicedBasis = (member: Member, units: number) => prorate(member.basisMinor, units, member.quantity);

  const lines: (InvoiceLine & { member: number })[] = [];
  const taxBreakdown: TaxBreakdown[] = [];
  for (const ratePpm of [...new Set(members.map((member) => member.ratePpm))].sort((a, b) => b - a)) {
    const ofRate = members.filter((member) => member.ratePpm === ratePpm);
    const taking = ofRate.filter((member) => member.invoicedAfter > member.invoicedBefore);
    if (taking.length === 0) continue;
    const rate = { basisMinor: sum(ofRate.map((member) => member.basisMinor)), taxMinor: sum(ofRate.map((member) => member.taxMinor)) };
    const soFar = (units: (member: Member) => number) => sum(ofRate.map((member) => invoicedBasis(member, units(member))));
    const basisBefore = soFar((member) => member.invoicedBefore);
    const basisAfter = soFar((member) => member.invoicedAfter);
    const taxMinor = taxAtRunningTotal(rate, ratePpm, order.taxesIncluded, basisAfter) - taxAtRunningTotal(rate, ratePpm, order.taxesIncluded, basisBefore);
    // Net prices: each line's net is its share. Gross prices: the rate's net (gross − tax) is spread over the lines by their gross.
    const netOfRate = basisAfter - basisBefore - (order.taxesIncluded ? taxMinor : 0);
    let spread = 0;
    const category = ratePpm > 0 ? 'S' : 'Z';
    let taxableMinor = 0;
    for (const member of taking) {
      const share = invoicedBasis(member, member.invoicedAfter) - invoicedBasis(member, member.invoicedBefore);
      const net = order.taxesIncluded ? runningShare(netOfRate, basisAfter - basisBefore, spread, spread + share) : share;
      spread += share;
      taxableMinor += net;
      const quantity = member.invoicedAfter - member.invoicedBefore;
      // Tax-inclusive orders carry gross unit prices; the invoice states net ones, rounded up, the rest as discount.
      const unitPriceMinor = order.taxesIncluded ? divideCeil(net, quantity) : member.unitPriceMinor;
      lines.push({ member: members.indexOf(member), lineNumber: 0, sku: member.sku, description: member.description, quantity, unitPriceMinor, discountMinor: quantity * unitPriceMinor - net, netMinor: net, taxCategory: category, taxRatePpm: ratePpm });
    }
    taxBreakdown.push({ taxCategory: category, taxRatePpm: ratePpm, taxableMinor, taxMinor });
  }
  // In the order's own line order, shipping last, whatever rate each line has.
  const ordered = lines.sort((a, b) => a.member - b.member).map(({ member: _member, ...line }, index) => ({ ...line, lineNumber: index + 1 }));
  const total = sum(ordered.map((line) => line.netMinor)) + sum(taxBreakdown.map((group) => group.taxMinor));
  const prepaidBefore = order.invoiced?.prepaidMinor ?? 0;
  const prepaidMinor = Math.max(0, Math.min(total, (order.prepaidMinor ?? 0) - prepaidBefore));
  return {
    lines: ordered,
    taxBreakdown,
    prepaidMinor,
    invoiced: {
      quantities,
      netMinor: order.lines.map((line, index) => prorate(line.netMinor, quantities[index]!, line.quantity)),
      shipping: shippingBefore || shippingDue,
      invoiceIds: [...(order.invoiced?.invoiceIds ?? []), invoiceId],
      prepaidMinor: prepaidBefore + prepaidMinor,
    },
  };
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

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
  /** The tax per rate when it is a running share of the order's (see `linesForShipment`); computed from the lines otherwise. */
  taxBreakdown?: readonly TaxBreakdown[] | undefined;
  prepaidMinor?: number | undefined;
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
      email: invoiceAddressOf(customer),
      address: { ...order.billingAddress, country: order.billingAddress?.country ?? customer.country },
    },
    orderId: order.id,
    buyerReference: order.storeOrderNumber ?? order.externalId,
    deliveryDate: input.deliveryDate,
    lines: input.lines,
    ...invoiceTotals(input.lines, input.prepaidMinor ?? 0, input.taxBreakdown),
    terms: customer.terms,
    paymentReference: input.paymentReference,
    paymentInstructions: input.seller.paymentInstructions,
    notes: [],
  };
}
