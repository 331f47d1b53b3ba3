/**
 * The cash forecast of one currency: when the open invoices will be paid, summed per ISO week, with a range, and
 * judged by a backtest of the same method on the ledger's own past.
 *
 * The method (`customer-history`): each customer's history is the cash applied to its invoices, each receipt
 * weighing its amount, at `days late` = receipt date − due date. An open invoice is expected on its due date plus
 * the amount-weighted mean lateness of its customer's receipts — only of those at least as late as the invoice
 * already is (an invoice still unpaid 20 days after its due date will not be paid 5 days after it), so an overdue
 * invoice is projected forward from today and never into the past. Its range runs from the 10th to the 90th
 * amount-weighted percentile of the same receipts. A customer without history borrows the whole ledger's; an
 * invoice later than anything its customer ever paid is expected today, within the customer's usual spread. A
 * promise to pay that is not past puts the promised amount on its date. Disputed invoices and deductions under
 * review are held out: no cash is expected from them until a person decides.
 *
 * Per week, `expectedMinor` adds the invoices expected in it; `lowMinor` those whose whole range lies in it (sure
 * to land there if the range holds) and `highMinor` those whose range touches it, so low ≤ expected ≤ high.
 *
 * The backtest makes the same forecast at earlier Mondays from what was known then (invoices issued before,
 * receipts before) and compares each week with the cash actually applied in it to the invoices open then:
 * accuracy = 1 − Σ |forecast − actual| / Σ actual over every week of every backtest forecast. The baseline is the
 * same backtest of the average days to pay over all customers (issue date + the ledger's amount-weighted mean days
 * from issue to receipt, never before the forecast's day).
 *
 * Pure: the caller passes `asOf`, the invoices and the receipts; no clock, no I/O. Amounts are integer minor units.
 */
import { addDays, daysBetween, epochDay, isoWeekStart } from './dates.ts';
import { deductedOf } from './deduction.ts';
import { fraction, percentFigure, type PercentFigure } from './figures.ts';
import type { Invoice } from './invoice.ts';
import { assertSafeInteger, divideHalfUp } from './money.ts';
import type { Payment } from './payment.ts';

/** An invoice as the forecast reads it. `openMinor` is what is open as of the forecast's `asOf`. */
export interface LedgerInvoice {
  id: string;
  customerId: string;
  currency: string;
  issueDate: string;
  dueDate: string;
  /** What it asked to be paid when issued. */
  amountMinor: number;
  openMinor: number;
  /** Disputed: held out of the forecast. */
  disputed?: boolean | undefined;
  /** Deducted by the payer and under review: held out. */
  deductedMinor?: number | undefined;
  promise?: { date: string; amountMinor: number } | undefined;
}

/** Cash applied to an invoice, on the day the money arrived (the payment's booking date). */
export interface CashReceipt {
  invoiceId: string;
  date: string;
  amountMinor: number;
}

/** When one piece of an open invoice is expected, and why. */
export interface Expectation {
  invoiceId: string;
  customerId: string;
  amountMinor: number;
  expectedDate: string;
  earliestDate: string;
  latestDate: string;
  basis: 'promise' | 'customer-history' | 'ledger-history' | 'beyond-history' | 'due-date';
}

export interface ForecastWeek {
  /** The Monday of the ISO week. */
  weekStart: string;
  expectedMinor: number;
  lowMinor: number;
  highMinor: number;
}

export interface Accuracy {
  absoluteErrorMinor: number;
  accuracy: PercentFigure;
}

export interface ForecastAccuracy {
  /** The Mondays the backtest forecasts were made on, oldest first. */
  origins: string[];
  horizonWeeks: number;
  /** Cash applied, in the weeks compared, to the invoices open at each origin. */
  actualMinor: number;
  method: Accuracy;
  baseline: Accuracy & { name: 'average-days-to-pay' };
  /** The same, for forecasts made 1, 2, … weeks before the week compared. */
  byWeeksAhead: { weeksAhead: number; actualMinor: number; method: Accuracy; baseline: Accuracy }[];
}

export interface CashForecast {
  asOf: string;
  currency: string;
  method: 'customer-history';
  weeks: ForecastWeek[];
  /** Expected after the last week. Σ weeks' expected + this + `heldMinor` = Σ open. */
  afterMinor: number;
  /** Open but held out: disputed invoices and deductions under review. */
  heldMinor: number;
  /** Every piece forecast: the inputs of the weeks. */
  expectations: Expectation[];
  /** `null` when the ledger has no past to test on (no cash in any week compared). */
  accuracy: ForecastAccuracy | null;
}

// ---------------------------------------------------------------------------------------------------------------
// History
// ---------------------------------------------------------------------------------------------------------------

interface Sample {
  days: number;
  weight: bigint;
}

interface Lateness {
  expected: number;
  early: number;
  late: number;
}

/** The amount-weighted nearest-rank percentile of samples sorted by days. */
function weightedPercentile(samples: readonly Sample[], total: bigint, percent: bigint): number {
  const target = (total * percent + 99n) / 100n;
  let cumulative = 0n;
  for (const sample of samples) {
    cumulative += sample.weight;
    if (cumulative >= target) return sample.days;
  }
  return (samples[samples.length - 1] as Sample).days;
}

/** Mean, 10th and 90th percentile, amount-weighted, of the samples (sorted by days) at least `atLeast` days late. */
function lateness(samples: readonly Sample[], atLeast = Number.MIN_SAFE_INTEGER): Lateness | undefined {
  const kept = samples.filter((sample) => sample.days >= atLeast);
  const total = kept.reduce((sum, sample) => sum + sample.weight, 0n);
  if (total === 0n) return undefined;
  const weighted = kept.reduce((sum, sample) => sum + sample.weight * BigInt(sample.days), 0n);
  return { expected: divideHalfUp(weighted, total), early: weightedPercentile(kept, total, 10n), late: weightedPercentile(kept, total, 90n) };
}

interface History {
  byCustomer: Map<string, Sample[]>;
  ledger: Sample[];
  /** The ledger's amount-weighted mean days from issue to receipt (the baseline), if any cash was received. */
  averageDaysToPay: number | undefined;
}

/** What was known before `before`: receipts dated earlier, on invoices of the ledger. */
function historyBefore(invoices: ReadonlyMap<string, LedgerInvoice>, receipts: readonly CashReceipt[], before: string): History {
  const byCustomer = new Map<string, Sample[]>();
  const ledger: Sample[] = [];
  let weighted = 0n;
  let total = 0n;
  for (const receipt of receipts) {
    const invoice = invoices.get(receipt.invoiceId);
    if (!invoice || receipt.date >= before || receipt.amountMinor <= 0) continue;
    const sample = { days: daysBetween(invoice.dueDate, receipt.date), weight: BigInt(receipt.amountMinor) };
    (byCustomer.get(invoice.customerId) ?? byCustomer.set(invoice.customerId, []).get(invoice.customerId)!).push(sample);
    ledger.push(sample);
    weighted += sample.weight * BigInt(daysBetween(invoice.issueDate, receipt.date));
    total += sample.weight;
  }
  for (const samples of [ledger, ...byCustomer.values()]) samples.sort((a, b) => a.days - b.days);
  return { byCustomer, ledger, averageDaysToPay: total > 0n ? divideHalfUp(weighted, total) : undefined };
}

// ---------------------------------------------------------------------------------------------------------------
// Expectations
// ---------------------------------------------------------------------------------------------------------------

const later = (a: string, b: string) => (a > b ? a : b);
const earlier = (a: string, b: string) => (a < b ? a : b);

/** When `amountMinor` of `invoice`, still unpaid on `today`, is expected by the customer-history method. */
function expectFromHistory(invoice: LedgerInvoice, amountMinor: number, today: string, history: History): Expectation {
  const base = { invoiceId: invoice.id, customerId: invoice.customerId, amountMinor };
  const overdue = daysBetween(invoice.dueDate, today);
  const own = history.byCustomer.get(invoice.customerId) ?? [];
  const samples = own.length > 0 ? own : history.ledger;
  const found = lateness(samples, overdue);
  if (!found) {
    if (samples.length === 0) {
      const date = later(invoice.dueDate, today);
      return { ...base, expectedDate: date, earliestDate: date, latestDate: date, basis: 'due-date' };
    }
    const usual = lateness(samples) as Lateness;
    return { ...base, expectedDate: today, earliestDate: today, latestDate: addDays(today, usual.late - usual.early), basis: 'beyond-history' };
  }
  const on = (days: number) => later(addDays(invoice.dueDate, days), today);
  const expectedDate = on(found.expected);
  return { ...base, expectedDate, earliestDate: earlier(on(found.early), expectedDate), latestDate: later(on(found.late), expectedDate), basis: own.length > 0 ? 'customer-history' : 'ledger-history' };
}

/** The pieces of one open invoice: a promise's amount on its date (when not past), the rest from history. */
function expectInvoice(invoice: LedgerInvoice, openMinor: number, today: string, history: History): Expectation[] {
  const promise = invoice.promise && invoice.promise.date >= today ? invoice.promise : undefined;
  const promised = promise ? Math.min(openMinor, Math.max(0, promise.amountMinor)) : 0;
  const pieces: Expectation[] = [];
  if (promise && promised > 0) pieces.push({ invoiceId: invoice.id, customerId: invoice.customerId, amountMinor: promised, expectedDate: promise.date, earliestDate: promise.date, latestDate: promise.date, basis: 'promise' });
  if (openMinor > promised) pieces.push(expectFromHistory(invoice, openMinor - promised, today, history));
  return pieces;
}

/** The index of the week (from the Monday `start`) that `date` falls in; negative before it. */
function weekIndex(start: string, date: string): number {
  const days = daysBetween(start, date);
  return (days - (((days % 7) + 7) % 7)) / 7;
}

function sumWeeks(start: string, count: number, expectations: readonly Expectation[]): { weeks: ForecastWeek[]; afterMinor: number } {
  const weeks = Array.from({ length: count }, (_, index) => ({ weekStart: addDays(start, 7 * index), expectedMinor: 0, lowMinor: 0, highMinor: 0 }));
  let afterMinor = 0;
  for (const piece of expectations) {
    const expected = weekIndex(start, piece.expectedDate);
    const first = weekIndex(start, piece.earliestDate);
    const last = weekIndex(start, piece.latestDate);
    if (expected < count) (weeks[expected] as ForecastWeek).expectedMinor += piece.amountMinor;
    else afterMinor += piece.amountMinor;
    if (first === last && first < count) (weeks[first] as ForecastWeek).lowMinor += piece.amountMinor;
    for (let index = first; index <= Math.min(last, count - 1); index++) (weeks[index] as ForecastWeek).highMinor += piece.amountMinor;
  }
  return { weeks, afterMinor };
}

// ---------------------------------------------------------------------------------------------------------------
// Backtest
// ---------------------------------------------------------------------------------------------------------------

const accuracyOf = (errorMinor: number, actualMinor: number): Accuracy => ({
  absoluteErrorMinor: errorMinor,
  accuracy: percentFigure(fraction(100n * BigInt(actualMinor - errorMinor), BigInt(actualMinor))),
});

/**
 * Forecasts made at `origins` Mondays (the last one `horizonWeeks` weeks before the week of `asOf`, so every week
 * compared is over), each from what was known at its Monday, against the cash that came.
 */
function backtest(invoices: readonly LedgerInvoice[], receipts: readonly CashReceipt[], asOf: string, options: { origins: number; horizonWeeks: number }): ForecastAccuracy | null {
  const byId = new Map(invoices.map((invoice) => [invoice.id, invoice]));
  const lastOrigin = addDays(isoWeekStart(asOf), -7 * options.horizonWeeks);
  const origins = Array.from({ length: options.origins }, (_, index) => addDays(lastOrigin, -7 * (options.origins - 1 - index)));
  const leads = Array.from({ length: options.horizonWeeks }, () => ({ actual: 0, method: 0, baseline: 0 }));
  for (const origin of origins) {
    const history = historyBefore(byId, receipts, origin);
    const paidBefore = new Map<string, number>();
    for (const receipt of receipts) if (receipt.date < origin) paidBefore.set(receipt.invoiceId, (paidBefore.get(receipt.invoiceId) ?? 0) + receipt.amountMinor);
    const open = invoices.filter((invoice) => invoice.issueDate < origin).map((invoice) => ({ invoice, openMinor: invoice.amountMinor - (paidBefore.get(invoice.id) ?? 0) })).filter(({ openMinor }) => openMinor > 0);
    const method = sumWeeks(origin, options.horizonWeeks, open.flatMap(({ invoice, openMinor }) => expectInvoice({ ...invoice, promise: undefined }, openMinor, origin, history))).weeks;
    const baseline = sumWeeks(
      origin,
      options.horizonWeeks,
      open.map(({ invoice, openMinor }) => {
        const date = later(history.averageDaysToPay === undefined ? invoice.dueDate : addDays(invoice.issueDate, history.averageDaysToPay), origin);
        return { invoiceId: invoice.id, customerId: invoice.customerId, amountMinor: openMinor, expectedDate: date, earliestDate: date, latestDate: date, basis: 'ledger-history' as const };
      }),
    ).weeks;
    const openIds = new Set(open.map(({ invoice }) => invoice.id));
    const actual = Array.from({ length: options.horizonWeeks }, () => 0);
    for (const receipt of receipts) {
      const index = weekIndex(origin, receipt.date);
      if (openIds.has(receipt.invoiceId) && index >= 0 && index < options.horizonWeeks) actual[index] = (actual[index] as number) + receipt.amountMinor;
    }
    leads.forEach((lead, index) => {
      const cash = actual[index] as number;
      lead.actual += cash;
      lead.method += Math.abs((method[index] as ForecastWeek).expectedMinor - cash);
      lead.baseline += Math.abs((baseline[index] as ForecastWeek).expectedMinor - cash);
    });
  }
  const total = leads.reduce((sum, lead) => ({ actual: sum.actual + lead.actual, method: sum.method + lead.method, baseline: sum.baseline + lead.baseline }), { actual: 0, method: 0, baseline: 0 });
  if (total.actual === 0) return null;
  for (const value of [total.actual, total.method, total.baseline]) assertSafeInteger(value, 'a backtest sum');
  return {
    origins,
    horizonWeeks: options.horizonWeeks,
    actualMinor: total.actual,
    method: accuracyOf(total.method, total.actual),
    baseline: { name: 'average-days-to-pay', ...accuracyOf(total.baseline, total.actual) },
    byWeeksAhead: leads.map((lead, index) => ({ weeksAhead: index + 1, actualMinor: lead.actual, method: accuracyOf(lead.method, lead.actual), baseline: accuracyOf(lead.baseline, lead.actual) })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The forecast
// ---------------------------------------------------------------------------------------------------------------

/**
 * The cash forecast of the open invoices in `currency` for `weeks` ISO weeks from the week of `asOf`, with the
 * backtest of the method over `backtest.origins` weekly forecasts of `backtest.horizonWeeks` weeks each (default:
 * 8 forecasts of `weeks` weeks; `false` skips it).
 */
export function cashForecast(input: {
  invoices: readonly LedgerInvoice[];
  receipts: readonly CashReceipt[];
  currency: string;
  asOf: string;
  weeks?: number | undefined;
  backtest?: { origins: number; horizonWeeks: number } | false | undefined;
}): CashForecast {
  const { currency, asOf } = input;
  epochDay(asOf, 'asOf');
  const weekCount = input.weeks ?? 13;
  if (!Number.isSafeInteger(weekCount) || weekCount < 1 || weekCount > 104) throw new RangeError(`weeks must be 1..104, got ${weekCount}`);
  const invoices = input.invoices.filter((invoice) => invoice.currency === currency);
  const ids = new Set(invoices.map((invoice) => invoice.id));
  const receipts = input.receipts.filter((receipt) => ids.has(receipt.invoiceId));
  const history = historyBefore(new Map(invoices.map((invoice) => [invoice.id, invoice])), receipts, asOf);

  let heldMinor = 0;
  const expectations: Expectation[] = [];
  for (const invoice of invoices) {
    if (invoice.openMinor <= 0) continue;
    assertSafeInteger(invoice.openMinor, `invoice ${invoice.id}: open amount`);
    const held = invoice.disputed ? invoice.openMinor : Math.min(invoice.openMinor, Math.max(0, invoice.deductedMinor ?? 0));
    heldMinor += held;
    if (invoice.openMinor > held) expectations.push(...expectInvoice(invoice, invoice.openMinor - held, asOf, history));
  }
  const { weeks, afterMinor } = sumWeeks(isoWeekStart(asOf), weekCount, expectations);
  const options = input.backtest === false ? undefined : (input.backtest ?? { origins: 8, horizonWeeks: weekCount });
  return { asOf, currency, method: 'customer-history', weeks, afterMinor, heldMinor, expectations, accuracy: options ? backtest(invoices, receipts, asOf, options) : null };
}

/** An issued invoice as the forecast reads it (credit notes and void invoices are none). */
export function ledgerInvoiceOf(invoice: Invoice): LedgerInvoice | undefined {
  if (invoice.document.kind !== 'invoice' || invoice.status === 'VOID') return undefined;
  const promise = invoice.dunning?.promise;
  return {
    id: invoice.id,
    customerId: invoice.customerId,
    currency: invoice.document.currency,
    issueDate: invoice.document.issueDate,
    dueDate: invoice.document.dueDate,
    amountMinor: invoice.document.payableMinor,
    openMinor: invoice.status === 'CREDITED' ? 0 : invoice.openMinor,
    disputed: invoice.status === 'DISPUTED',
    deductedMinor: deductedOf(invoice),
    promise: promise ? { date: promise.date, amountMinor: promise.amountMinor } : undefined,
  };
}

/** The cash each payment applied to invoices, on its booking date; a payment the bank returned applied none. */
export function cashReceiptsOf(payments: readonly Pick<Payment, 'status' | 'bookingDate' | 'allocations'>[]): CashReceipt[] {
  return payments.flatMap((payment) => (payment.status === 'REVERSED' ? [] : payment.allocations.map((allocation) => ({ invoiceId: allocation.invoiceId, date: payment.bookingDate, amountMinor: allocation.amountMinor }))));
}
