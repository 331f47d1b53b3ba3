import { InvalidRequest } from './errors.ts';
import { invoiceTotals, type Invoice, type InvoiceLine } from './invoice.ts';
import { divideHalfUp, taxIncludedIn } from './money.ts';

/** What to credit on an invoice: some of its lines (by line number and quantity), a gross amount, or everything left. */
export type CreditRequest = { kind: 'lines'; lines: { lineNumber: number; quantity: number }[] } | { kind: 'amount'; amountMinor: number } | { kind: 'remaining' };

/**
 * The lines of a credit note. By lines: the invoice lines' net prorated by quantity (the last units of a line take
 * the remainder). By amount: the gross amount is spread over the invoice's tax rates in proportion to their gross
 * (largest remainder gets the rounding), and each share is split into net and tax, so the credit note's total is
 * exactly the amount asked for. Everything left: the open amount, the same way.
 */
export function creditLines(invoice: Invoice, request: CreditRequest): InvoiceLine[] {
  const { document } = invoice;
  if (request.kind === 'lines') {
    const credited = invoice.creditedQuantities ?? {};
    return request.lines.map((wanted, index) => {
      const line = document.lines.find((candidate) => candidate.lineNumber === wanted.lineNumber);
      if (!line) throw new InvalidRequest(`invoice ${document.number} has no line ${wanted.lineNumber}`);
      const already = credited[String(line.lineNumber)] ?? 0;
      if (wanted.quantity > line.quantity - already)
        throw new InvalidRequest(`line ${line.lineNumber}: ${wanted.quantity} to credit but only ${line.quantity - already} not yet credited`);
      const completes = already + wanted.quantity === line.quantity;
      const creditedNet = divideHalfUp(BigInt(line.netMinor) * BigInt(already), BigInt(line.quantity));
      const net = completes ? line.netMinor - creditedNet : divideHalfUp(BigInt(line.netMinor) * BigInt(wanted.quantity), BigInt(line.quantity));
      return { ...line, lineNumber: index + 1, quantity: wanted.quantity, discountMinor: wanted.quantity * line.unitPriceMinor - net, netMinor: net };
    });
  }
  const grossToCredit = request.kind === 'amount' ? request.amountMinor : invoice.openMinor;
  if (!Number.isSafeInteger(grossToCredit) || grossToCredit <= 0) throw new InvalidRequest('the amount to credit must be a positive number of minor units');
  const groups = document.taxBreakdown.map((group) => ({ ...group, gross: group.taxableMinor + group.taxMinor }));
  const invoiceGross = groups.reduce((sum, group) => sum + group.gross, 0);
  const shares = groups.map((group) => divideHalfUp(BigInt(grossToCredit) * BigInt(group.gross), BigInt(invoiceGross)));
  const largest = groups.reduce((best, group, index) => (group.gross > groups[best]!.gross ? index : best), 0);
  shares[largest]! += grossToCredit - shares.reduce((sum, share) => sum + share, 0);
  return groups
    .map((group, index) => ({ group, gross: shares[index]! }))
    .filter(({ gross }) => gross !== 0)
    .map(({ group, gross }, index) => {
      const net = gross - taxIncludedIn(gross, group.taxRatePpm);
      return {
        lineNumber: index + 1,
        sku: 'CREDIT',
        description: `Credit on invoice ${document.number}${groups.length > 1 ? ` (${group.taxRatePpm / 10_000} % tax)` : ''}`,
        quantity: 1,
        unitPriceMinor: net,
        discountMinor: 0,
        netMinor: net,
        taxCategory: group.taxCategory,
        taxRatePpm: group.taxRatePpm,
      };
    });
}

/** The credit note's totals, with tax rounded per rate like the invoice's. */
export const creditTotals = (lines: readonly InvoiceLine[]) => invoiceTotals(lines);
