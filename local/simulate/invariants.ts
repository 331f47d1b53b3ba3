/**
 * What the simulator proves at the end of a run: its own books against what O2C shows through its API. Each count
 * must be 0; `details` names the items behind every non-zero count so a failure can be followed up.
 */
import type { O2cApi } from './api-client.ts';
import { ordersOf, RESTING, type Books } from './driver.ts';

export interface Invariants {
  lostOrders: number;
  duplicateOrders: number;
  duplicateInvoices: number;
  numberingGaps: number;
  duplicateNumbers: number;
  doubleApplications: number;
  /** Per currency: O2C's open amounts − the books' (payable − cash paid and applied), over the run's invoices. */
  ledgerDifferenceMinor: Record<string, number>;
  /** Invoices whose open amount differs from the books' (a payment applied to the wrong invoice cancels out in the sum). */
  invoiceDifferences: number;
  /** Cash O2C recorded for the run's transfers − cash the simulator sent. */
  cashDifferenceMinor: number;
  /** Reminders O2C sent for an invoice the books say was paid (or credited) in full, or in dispute, by then. */
  remindersToPaidOrDisputed: number;
}

export interface InvariantReport {
  invariants: Invariants;
  failed: string[];
  details: Record<string, string[]>;
}

interface InvoiceItem {
  id: string;
  number: string;
  status: string;
  openMinor: number;
  currency: string;
  kind?: string;
}

/** Leading series and trailing counter of a document number: `INV-2026-000123` → [`INV-2026-`, 123]. */
function seriesOf(number: string): [string, number] | undefined {
  const match = /^(.*?)(\d+)$/.exec(number);
  return match ? [match[1] as string, Number(match[2])] : undefined;
}

export async function checkInvariants(api: O2cApi, books: Books, options: { freshLedger: boolean }): Promise<InvariantReport> {
  const details: Record<string, string[]> = { remindersToPaidOrDisputed: [], lostOrders: [], duplicateOrders: [], duplicateInvoices: [], numberingGaps: [], duplicateNumbers: [], doubleApplications: [], ledgerDifferenceMinor: [], cashDifferenceMinor: [] };

  for (const order of books.orders.values()) {
    if (order.answer !== 202) continue;
    const items = await ordersOf(api, order);
    if (items.length === 0) details.lostOrders!.push(`${order.externalId}: accepted (202) but not stored`);
    else if (!RESTING.includes(items[0]!.status)) details.lostOrders!.push(`${order.externalId}: stuck in ${items[0]!.status}`);
    if (items.length > 1) details.duplicateOrders!.push(`${order.externalId}: ${items.length} orders`);
    for (const shipment of order.shipments) if (!shipment.invoiceId) details.lostOrders!.push(`${order.externalId}: ${shipment.trackingNumber} shipped, but no invoice came`);
    if (order.shipments.length > 0 && items[0]) {
      const { body: invoices } = await api.get<{ items?: InvoiceItem[] }>(`/invoices?orderId=${items[0].id}`);
      const issued = (invoices.items ?? []).filter((invoice) => invoice.status !== 'VOID' && !invoice.number.startsWith('CN'));
      if (issued.length > order.shipments.length) details.duplicateInvoices!.push(`${order.externalId}: ${issued.map((invoice) => invoice.number).join(', ')} for one shipment`);
    }
  }

  const series = new Map<string, number[]>();
  for (const invoice of books.invoices.values()) {
    const parsed = seriesOf(invoice.number);
    if (parsed) (series.get(parsed[0]) ?? series.set(parsed[0], []).get(parsed[0])!).push(parsed[1]);
  }
  for (const [prefix, numbers] of series) {
    const distinct = [...new Set(numbers)].sort((a, b) => a - b);
    if (distinct.length < numbers.length) details.duplicateNumbers!.push(`${prefix}: ${numbers.length - distinct.length} numbers used twice`);
    // Numbers of other invoices (a running ledger driven with --url) fill gaps we cannot see: only a fresh ledger is judged.
    const gaps = options.freshLedger && distinct.length > 0 ? distinct.at(-1)! - distinct[0]! + 1 - distinct.length : 0;
    if (gaps > 0) details.numberingGaps!.push(`${prefix}: ${gaps} missing between ${distinct[0]} and ${distinct.at(-1)}`);
  }

  let recordedCash = 0;
  for (const payment of books.payments) {
    const { body } = await api.get<{ items?: { entity: string; id: string }[] }>(`/search?q=${encodeURIComponent(payment.bankReference)}`);
    const hits = (body.items ?? []).filter((item) => item.entity === 'payment');
    if (hits.length > 1) details.doubleApplications!.push(`${payment.bankReference}: ${hits.length} payments`);
    for (const hit of hits) {
      const { body: view } = await api.get<{ amountMinor: number; allocations: { amountMinor: number }[] }>(`/payments/${hit.id}`);
      recordedCash += view.amountMinor;
      const allocated = view.allocations.reduce((sum, allocation) => sum + allocation.amountMinor, 0);
      if (allocated > view.amountMinor) details.doubleApplications!.push(`${payment.bankReference}: ${allocated} allocated of ${view.amountMinor}`);
    }
  }
  const sentCash = books.payments.reduce((sum, payment) => sum + payment.amountMinor, 0);

  const ledgerDifferenceMinor: Record<string, number> = {};
  const applied = new Set(books.payments.filter((payment) => payment.outcome === 'auto' || payment.outcome === 'clerk').map((payment) => payment.bankReference));
  const paidOn = new Map(books.payments.map((payment) => [payment.bankReference, payment.date]));
  for (const invoice of books.invoices.values()) {
    const { body: view } = await api.get<InvoiceItem & { history?: { type: string; at: string }[] }>(`/invoices/${invoice.id}`);
    const appliedParts = invoice.paid.filter((part) => applied.has(part.bankReference));
    const expectedOpen = invoice.payableMinor - invoice.creditedMinor - invoice.discountMinor - appliedParts.reduce((sum, part) => sum + part.amountMinor, 0);
    // The day the books say nothing was left to chase: the payment that completed it, or the credit note.
    let running = invoice.payableMinor - invoice.creditedMinor;
    let settledOn = invoice.creditedMinor > 0 && running <= 0 ? invoice.dispute?.resolvedOn : undefined;
    for (const part of [...appliedParts].sort((a, b) => (paidOn.get(a.bankReference) ?? '').localeCompare(paidOn.get(b.bankReference) ?? ''))) {
      running -= part.amountMinor;
      if (running <= 0 && !settledOn) settledOn = paidOn.get(part.bankReference);
    }
    for (const reminder of (view.history ?? []).filter((event) => event.type === 'DunningReminderSent')) {
      const day = reminder.at.slice(0, 10);
      const dispute = invoice.dispute;
      if (settledOn && settledOn < day) details.remindersToPaidOrDisputed!.push(`${invoice.number}: reminded on ${day}, settled on ${settledOn}`);
      else if (dispute?.openedOn && dispute.openedOn < day && (!dispute.resolvedOn || day <= dispute.resolvedOn)) details.remindersToPaidOrDisputed!.push(`${invoice.number}: reminded on ${day} while in dispute since ${dispute.openedOn}`);
    }
    const difference = view.openMinor - expectedOpen;
    ledgerDifferenceMinor[invoice.currency] = (ledgerDifferenceMinor[invoice.currency] ?? 0) + difference;
    if (difference !== 0) details.ledgerDifferenceMinor!.push(`${invoice.number}: O2C shows ${view.openMinor} open, the books ${expectedOpen}`);
  }
  if (recordedCash !== sentCash) details.cashDifferenceMinor!.push(`O2C recorded ${recordedCash} of the ${sentCash} sent`);

  const invariants: Invariants = {
    lostOrders: details.lostOrders!.length,
    duplicateOrders: details.duplicateOrders!.length,
    duplicateInvoices: details.duplicateInvoices!.length,
    numberingGaps: [...series.values()].length === 0 ? 0 : details.numberingGaps!.reduce((sum, line) => sum + Number(/: (\d+) missing/.exec(line)?.[1] ?? 0), 0),
    duplicateNumbers: details.duplicateNumbers!.length,
    doubleApplications: details.doubleApplications!.length,
    ledgerDifferenceMinor,
    invoiceDifferences: details.ledgerDifferenceMinor!.length,
    cashDifferenceMinor: recordedCash - sentCash,
    remindersToPaidOrDisputed: details.remindersToPaidOrDisputed!.length,
  };
  const failed = Object.entries(invariants).filter(([, value]) => (typeof value === 'number' ? value !== 0 : Object.values(value).some((amount) => amount !== 0))).map(([name]) => name);
  return { invariants, failed, details: Object.fromEntries(Object.entries(details).filter(([, lines]) => lines.length > 0)) };
}
