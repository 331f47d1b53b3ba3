/**
 * Receivables KPIs of one currency: days sales outstanding (standard and count-back), best possible DSO, average
 * days delinquent, and the Credit Research Foundation's collection effectiveness index. Each result carries the
 * inputs it was computed from and its exact value (`figures.ts`), so a person can recompute it by hand; the
 * formulas and worked examples are in docs/kpis.md.
 *
 * Inputs are plain figures (minor units of one currency, day counts); `creditSalesByMonth` and the ageing report
 * (`ageing.ts`, `currentArOf`) derive them from the ledger. Pure: no clock, no I/O.
 */
import { daysInMonth } from './dates.ts';
import { daysFigure, difference, fraction, fractionOf, percentFigure, sum, type DaysFigure, type Fraction, type PercentFigure } from './figures.ts';
import type { Invoice, InvoiceDocument } from './invoice.ts';
import { assertSafeInteger } from './money.ts';

export interface StandardDsoInputs {
  /** All open receivables at the end of the period (due or not). */
  endingArMinor: number;
  /** Credit sales of the period, net of credit notes. */
  creditSalesMinor: number;
  /** Days in the period. */
  days: number;
}

export interface BestPossibleDsoInputs {
  /** The open receivables at the end of the period that are not past due (not-due and due-today). */
  currentArMinor: number;
  creditSalesMinor: number;
  days: number;
}

/** One month of credit sales, for count-back DSO. */
export interface MonthSales {
  /** `YYYY-MM`. */
  month: string;
  creditSalesMinor: number;
  /** Days the month counts for: its calendar days, or a convention such as 30. */
  days: number;
}

export interface CountBackDsoInputs {
  endingArMinor: number;
  /** Most recent month first. */
  months: MonthSales[];
}

export interface CollectionEffectivenessInputs {
  /** Open receivables at the start of the period. */
  openingArMinor: number;
  /** Credit sales of the whole period. */
  creditSalesMinor: number;
  /** Months in the period (N): the formula takes the average month's sales, creditSales / N. */
  months: number;
  /** Open receivables at the end of the period. */
  closingArMinor: number;
  /** Of those, what is not past due at the end of the period. */
  closingCurrentArMinor: number;
}

export type DaysKpi<Inputs> = DaysFigure & { inputs: Inputs };
export type PercentKpi<Inputs> = PercentFigure & { inputs: Inputs };

/** How count-back DSO used one month: the AR left when it was reached, and the days it counted. */
export interface CountBackStep {
  month: string;
  arBeforeMinor: number;
  /** `whole`: the AR left covered the month's sales; `part`: it was pro-rated; `none`: the AR was used up before it. */
  counted: 'whole' | 'part' | 'none';
  days: DaysFigure;
}

export interface CountBackDso extends DaysKpi<CountBackDsoInputs> {
  steps: CountBackStep[];
  /**
   * The ending AR is more than the sales of every month given: the result is all the days covered, and the true
   * DSO is at least that (give more months).
   */
  exhausted: boolean;
}

function assertDays(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${what} must be a whole number of days ≥ 1, got ${value}`);
}

/** `receivables` / credit sales × days, exactly, with its inputs; no value when there were no sales (or negative ones). */
function daysOfSales<Inputs extends { creditSalesMinor: number; days: number }>(receivables: keyof Inputs & string, inputs: Inputs): DaysKpi<Inputs> {
  const receivablesMinor = inputs[receivables] as number;
  assertSafeInteger(receivablesMinor, receivables);
  assertSafeInteger(inputs.creditSalesMinor, 'creditSalesMinor');
  assertDays(inputs.days, 'days');
  const value = inputs.creditSalesMinor > 0 ? fraction(BigInt(receivablesMinor) * BigInt(inputs.days), BigInt(inputs.creditSalesMinor)) : undefined;
  return { ...daysFigure(value), inputs: { ...inputs } };
}

/** Standard DSO = ending AR / credit sales × days. */
export const standardDso = (inputs: StandardDsoInputs): DaysKpi<StandardDsoInputs> => daysOfSales('endingArMinor', inputs);

/** Best possible DSO = current (not past due) AR / credit sales × days: the DSO if every customer paid on time. */
export const bestPossibleDso = (inputs: BestPossibleDsoInputs): DaysKpi<BestPossibleDsoInputs> => daysOfSales('currentArMinor', inputs);

/**
 * Average days delinquent = DSO − best possible DSO, exactly (from the two figures' exact values, not their
 * rounded days). Pass the standard DSO and the BPDSO of the same period, so both use the same sales and days.
 */
export function averageDaysDelinquent(dso: DaysFigure, bpdso: DaysFigure): DaysKpi<{ dso: DaysFigure; bpdso: DaysFigure }> {
  const inputs = { dso: { days: dso.days, exact: dso.exact }, bpdso: { days: bpdso.days, exact: bpdso.exact } };
  if (!dso.exact || !bpdso.exact) return { ...daysFigure(undefined), inputs };
  return { ...daysFigure(difference(fractionOf(dso.exact), fractionOf(bpdso.exact))), inputs };
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Count-back DSO: starting from the ending AR, take off each month's credit sales, most recent month first,
 * counting that month's days in full while the AR left covers its sales; the month the AR runs out in counts the
 * share of its days that the AR left is of its sales. A month with no sales (or negative net sales) counts in full
 * and takes nothing off. An AR of zero or less gives 0 days.
 */
export function countBackDso(inputs: CountBackDsoInputs): CountBackDso {
  assertSafeInteger(inputs.endingArMinor, 'endingArMinor');
  inputs.months.forEach((month, index) => {
    if (!MONTH.test(month.month)) throw new RangeError(`months[${index}].month must be YYYY-MM, got ${JSON.stringify(month.month)}`);
    assertSafeInteger(month.creditSalesMinor, `months[${index}].creditSalesMinor`);
    assertDays(month.days, `months[${index}].days`);
    const previous = inputs.months[index - 1];
    if (previous && month.month >= previous.month) throw new RangeError(`months must be most recent first: ${month.month} after ${previous.month}`);
  });
  let remaining = BigInt(inputs.endingArMinor);
  let days = fraction(0n, 1n) as Fraction;
  const steps: CountBackStep[] = [];
  for (const month of inputs.months) {
    const arBeforeMinor = Number(remaining);
    const sales = BigInt(Math.max(0, month.creditSalesMinor));
    let counted: CountBackStep['counted'] = 'none';
    let monthDays = fraction(0n, 1n) as Fraction;
    if (remaining > 0n && remaining >= sales) {
      counted = 'whole';
      monthDays = fraction(BigInt(month.days), 1n) as Fraction;
      remaining -= sales;
    } else if (remaining > 0n) {
      counted = 'part';
      monthDays = fraction(remaining * BigInt(month.days), sales) as Fraction;
      remaining = 0n;
    }
    days = sum(days, monthDays);
    steps.push({ month: month.month, arBeforeMinor, counted, days: daysFigure(monthDays) });
  }
  return { ...daysFigure(days), inputs: { endingArMinor: inputs.endingArMinor, months: inputs.months.map((month) => ({ ...month })) }, steps, exhausted: remaining > 0n };
}

/**
 * Collection effectiveness index (Credit Research Foundation):
 * (opening + sales / N − closing) / (opening + sales / N − closing current) × 100, computed exactly as
 * 100 × (N·opening + sales − N·closing) / (N·opening + sales − N·closing current). No value when the denominator
 * (what was there to collect) is zero or less.
 */
export function collectionEffectivenessIndex(inputs: CollectionEffectivenessInputs): PercentKpi<CollectionEffectivenessInputs> {
  for (const key of ['openingArMinor', 'creditSalesMinor', 'closingArMinor', 'closingCurrentArMinor'] as const) assertSafeInteger(inputs[key], key);
  if (!Number.isSafeInteger(inputs.months) || inputs.months < 1) throw new RangeError(`months must be a whole number ≥ 1, got ${inputs.months}`);
  const n = BigInt(inputs.months);
  const available = n * BigInt(inputs.openingArMinor) + BigInt(inputs.creditSalesMinor);
  const collected = available - n * BigInt(inputs.closingArMinor);
  const collectible = available - n * BigInt(inputs.closingCurrentArMinor);
  return { ...percentFigure(collectible > 0n ? fraction(100n * collected, collectible) : undefined), inputs: { ...inputs } };
}

/** `count` months ending with `last` (`YYYY-MM`), most recent first: ('2026-03', 3) → 2026-03, 2026-02, 2026-01. */
export function monthsBack(last: string, count: number): string[] {
  daysInMonth(last);
  const [year, month] = last.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, index) => {
    const date = new Date(Date.UTC(year, month - 1 - index, 1));
    return date.toISOString().slice(0, 7);
  });
}

/** What credit sales reads of a document (a stored `Invoice` fits). */
export type SalesDocument = Pick<Invoice, 'status'> & { document: Pick<InvoiceDocument, 'kind' | 'currency' | 'issueDate' | 'payableMinor'> };

/**
 * Credit sales of each month in `months` (most recent first), with its calendar days: what invoices issued in the
 * month left to pay (their payable amount; paid at checkout is no credit), less the credit notes issued in it.
 * Void documents and other currencies are left out.
 */
export function creditSalesByMonth(input: { documents: readonly SalesDocument[]; currency: string; months: readonly string[] }): MonthSales[] {
  const sales = new Map(input.months.map((month) => [month, 0]));
  for (const { status, document } of input.documents) {
    const month = document.issueDate.slice(0, 7);
    if (status === 'VOID' || document.currency !== input.currency || !sales.has(month)) continue;
    sales.set(month, (sales.get(month) as number) + (document.kind === 'invoice' ? document.payableMinor : -document.payableMinor));
  }
  return input.months.map((month) => ({ month, creditSalesMinor: sales.get(month) as number, days: daysInMonth(month) }));
}

/** Standard DSO over whole months: their sales and their days added up. */
export function standardDsoOverMonths(input: { endingArMinor: number; months: readonly MonthSales[] }): DaysKpi<StandardDsoInputs> {
  const creditSalesMinor = input.months.reduce((sum, month) => sum + month.creditSalesMinor, 0);
  const days = input.months.reduce((sum, month) => sum + month.days, 0);
  return standardDso({ endingArMinor: input.endingArMinor, creditSalesMinor, days });
}
