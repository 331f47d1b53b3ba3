import { Conflict, InvalidRequest } from './errors.ts';
import { invoiceTotals, taxGroupKey, type Invoice, type InvoiceLine, type TaxBreakdown } from './invoice.ts';
import { prorate, runningShare } from './money.ts';
import { taxAtRunningTotal } from './tax.ts';

/** What to credit on an invoice: some of its lines (by line number and quantity), a gross amount, or everything left. */
export type CreditRequest = { kind: 'lines'; lines: { lineNumber: number; quantity: number }[] } | { kind: 'amount'; amountMinor: number } | { kind: 'remaining' };

/** Running totals of what the invoice's credit notes took: units per invoice line, net and tax per tax rate. */
export interface Credited {
  quantities: Record<string, number>;
  byRate: Record<string, { netMinor: number; taxMinor: number }>;
}

export interface CreditPlan {
  lines: InvoiceLine[];
  /** The tax per rate of the credit note: its running share of the invoice's tax of that rate. */
  taxBreakdown: TaxBreakdown[];
  /** The invoice's running totals once this credit note is issued. */
  credited: Credited;
  totals: ReturnType<typeof invoiceTotals>;
}

/**
 * The lines and tax of a credit note, as running shares of what the invoice still has uncredited (the rounding
 * policy of `priceOrder` and `linesForShipment`), so any sequence of credit notes adds up to at most the invoice,
 * and crediting everything, in whatever pieces, credits its net, tax and total exactly.
 * - By lines: each line's net is its running share by units; each rate's tax its running share by net.
 * - By amount (gross): spread over the rates in proportion to what each still has uncredited; within a rate the
 *   gross is split into net and tax by running share. Everything left: the open amount, the same way.
 */
export function planCredit(invoice: Invoice, request: CreditRequest): CreditPlan {
  const { document } = invoice;
  const before = creditedSoFar(invoice);
  const quantities = { ...before.quantities };
  const byRate = Object.fromEntries(Object.entries(before.byRate).map(([key, totals]) => [key, { ...totals }]));
  const rates = document.taxBreakdown.map((group) => ({ group, key: taxGroupKey(group), taken: byRate[taxGroupKey(group)] ?? { netMinor: 0, taxMinor: 0 } }));
  const lines: InvoiceLine[] = [];
  const taxBreakdown: TaxBreakdown[] = [];

  if (request.kind === 'lines') {
    if (request.lines.length === 0) throw new InvalidRequest('name at least one line to credit');
    const netAdded = new Map<string, number>();
    for (const wanted of request.lines) {
      const line = document.lines.find((candidate) => candidate.lineNumber === wanted.lineNumber);
      if (!line) throw new InvalidRequest(`invoice ${document.number} has no line ${wanted.lineNumber}`);
      if (!Number.isSafeInteger(wanted.quantity) || wanted.quantity <= 0) throw new InvalidRequest(`line ${line.lineNumber}: the quantity to credit must be a positive whole number`);
      const already = quantities[String(line.lineNumber)] ?? 0;
      if (wanted.quantity > line.quantity - already)
        throw new InvalidRequest(`line ${line.lineNumber}: ${wanted.quantity} to credit but only ${line.quantity - already} not yet credited`);
      const net = runningShare(line.netMinor, line.quantity, already, already + wanted.quantity);
      quantities[String(line.lineNumber)] = already + wanted.quantity;
      netAdded.set(taxGroupKey(line), (netAdded.get(taxGroupKey(line)) ?? 0) + net);
      lines.push({ ...line, lineNumber: lines.length + 1, quantity: wanted.quantity, discountMinor: wanted.quantity * line.unitPriceMinor - net, netMinor: net });
    }
    for (const { group, key, taken } of rates) {
      const added = netAdded.get(key);
      if (added === undefined) continue;
      const netAfter = taken.netMinor + added;
      if (netAfter > group.taxableMinor) throw new InvalidRequest(`the ${group.taxRatePpm / 10_000} % part of invoice ${document.number} was already credited by amount`);
      const taxAfter = taxAtRunningTotal({ basisMinor: group.taxableMinor, taxMinor: group.taxMinor }, group.taxRatePpm, false, netAfter);
      const tax = clamp(taxAfter - taken.taxMinor, 0, group.taxMinor - taken.taxMinor);
      byRate[key] = { netMinor: netAfter, taxMinor: taken.taxMinor + tax };
      taxBreakdown.push({ taxCategory: group.taxCategory, taxRatePpm: group.taxRatePpm, taxableMinor: added, taxMinor: tax });
    }
    return { lines, taxBreakdown, credited: { quantities, byRate }, totals: invoiceTotals(lines, 0, taxBreakdown) };
  }

  const grossToCredit = request.kind === 'amount' ? request.amountMinor : invoice.openMinor;
  if (!Number.isSafeInteger(grossToCredit) || grossToCredit <= 0) throw new InvalidRequest('the amount to credit must be a positive number of minor units');
  const uncredited = rates.map(({ group, taken }) => group.taxableMinor - taken.netMinor + group.taxMinor - taken.taxMinor);
  const uncreditedTotal = uncredited.reduce((sum, amount) => sum + amount, 0);
  if (grossToCredit > uncreditedTotal) throw new Conflict(`${grossToCredit} to credit but only ${uncreditedTotal} of invoice ${document.number} is not yet credited`);
  let spread = 0;
  for (const [index, { group, key, taken }] of rates.entries()) {
    const gross = runningShare(grossToCredit, uncreditedTotal, spread, spread + uncredited[index]!);
    spread += uncredited[index]!;
    if (gross === 0) continue;
    const grossAfter = taken.netMinor + taken.taxMinor + gross;
    const taxAfter = taxAtRunningTotal({ basisMinor: group.taxableMinor + group.taxMinor, taxMinor: group.taxMinor }, group.taxRatePpm, true, grossAfter);
    const netLeft = group.taxableMinor - taken.netMinor;
    const tax = clamp(taxAfter - taken.taxMinor, Math.max(0, gross - netLeft), Math.min(group.taxMinor - taken.taxMinor, gross));
    const net = gross - tax;
    byRate[key] = { netMinor: taken.netMinor + net, taxMinor: taken.taxMinor + tax };
    lines.push({
      lineNumber: lines.length + 1,
      sku: 'CREDIT',
      description: `Credit on invoice ${document.number}${rates.length > 1 ? ` (${group.taxRatePpm / 10_000} % tax)` : ''}`,
      quantity: 1,
      unitPriceMinor: net,
      discountMinor: 0,
      netMinor: net,
      taxCategory: group.taxCategory,
      taxRatePpm: group.taxRatePpm,
    });
    taxBreakdown.push({ taxCategory: group.taxCategory, taxRatePpm: group.taxRatePpm, taxableMinor: net, taxMinor: tax });
  }
  return { lines, taxBreakdown, credited: { quantities, byRate }, totals: invoiceTotals(lines, 0, taxBreakdown) };
}

/** The invoice once a credit note of this plan is issued against it: less open, `CREDITED` when nothing is left. */
export function invoiceAfterCredit(invoice: Invoice, plan: CreditPlan, creditNoteId: string, at: string): Invoice {
  const openMinor = invoice.openMinor - plan.totals.totalMinor;
  if (openMinor < 0) throw new RangeError(`a credit of ${plan.totals.totalMinor} is more than the ${invoice.openMinor} open on ${invoice.document.number}`);
  return {
    ...invoice,
    openMinor,
    status: openMinor === 0 ? 'CREDITED' : invoice.status,
    creditedQuantities: plan.credited.quantities,
    creditedByRate: plan.credited.byRate,
    creditNoteIds: [...(invoice.creditNoteIds ?? []), creditNoteId],
    updatedAt: at,
    version: invoice.version + 1,
  };
}

/**
 * The invoice's running credited totals. An invoice credited before these totals were kept has only its credited
 * units: its rates' totals are taken as the running shares of those units.
 */
export function creditedSoFar(invoice: Invoice): Credited {
  const quantities = invoice.creditedQuantities ?? {};
  if (invoice.creditedByRate) return { quantities, byRate: invoice.creditedByRate };
  const byRate: Credited['byRate'] = {};
  for (const group of invoice.document.taxBreakdown) {
    const netMinor = invoice.document.lines
      .filter((line) => taxGroupKey(line) === taxGroupKey(group))
      .reduce((sum, line) => sum + prorate(line.netMinor, quantities[String(line.lineNumber)] ?? 0, line.quantity), 0);
    if (netMinor > 0) byRate[taxGroupKey(group)] = { netMinor, taxMinor: taxAtRunningTotal({ basisMinor: group.taxableMinor, taxMinor: group.taxMinor }, group.taxRatePpm, false, netMinor) };
  }
  return { quantities, byRate };
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
