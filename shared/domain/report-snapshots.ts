/**
 * The maintained aggregates behind `GET /reports/kpis` and `GET /reports/forecast`: what the daily report job
 * (`snapshotReports`) writes, and how a report reads them back.
 *
 * The job reads the ledger once a day and writes, per currency, three kinds of small items:
 * - an **AR snapshot** of the day: what is open and what is not yet past due, so DSO, BPDSO and CEI read the AR at a
 *   period's ends from two small items of a fixed size;
 * - the **month's figures**: credit sales, and every KPI of the month as counts and amounts that add up across
 *   months (a rate is kept as its part and whole, a duration as its samples in seconds), so a report over any months
 *   merges one item per month;
 * - the **forecast** of the day, with its backtest.
 * A report then costs a fixed number of small reads, whatever the size of the ledger. The figures are as of the
 * job's last run (`computedAt`, `takenAt`), which the reports say.
 *
 * Pure: no clock, no I/O. Amounts are integer minor units of one currency.
 */
import { ageingReport, currentArOf, type AgeingInvoice } from './ageing.ts';
import { cashApplicationKpis, type KpiPayment } from './cash-application-kpis.ts';
import { disputeKpis, promiseKpis, reminderKpis, type CollectionsPayment, type IssuedInvoice, type PromiseRecord, type ReminderRecord } from './collections-kpis.ts';
import { addDays, daysBetween, daysInMonth } from './dates.ts';
import { durationStats, share, type DurationStats, type Share } from './figures.ts';
import { isOpenReceivable } from './invoice.ts';
import { averageDaysDelinquent, bestPossibleDso, collectionEffectivenessIndex, countBackDso, monthsBack, standardDso, type MonthSales, type SalesDocument } from './kpis.ts';
import type { CashForecast } from './forecast.ts';
import { assertSafeInteger, divideHalfUp } from './money.ts';
import { orderKpis, orderStages, type OrderEvent } from './order-kpis.ts';
import type { Dispute } from './ports.ts';
import { compareText } from './text.ts';

export interface CountAmount {
  count: number;
  amountMinor: number;
}

const ZERO: CountAmount = { count: 0, amountMinor: 0 };
const plus = (a: CountAmount, b: CountAmount): CountAmount => ({ count: a.count + b.count, amountMinor: a.amountMinor + b.amountMinor });

// ---------------------------------------------------------------------------------------------------------------
// AR snapshots
// ---------------------------------------------------------------------------------------------------------------

export interface ArSnapshot {
  currency: string;
  /** The business day it describes. */
  date: string;
  /** When the job read the open invoices. */
  takenAt: string;
  openArMinor: number;
  /** Not past due on `date`: not yet due and due that day (BPDSO's and CEI's "current"). */
  currentArMinor: number;
  invoices: number;
}

/** One AR snapshot per currency with open receivables, as of `date`. */
export function arSnapshots(input: { invoices: readonly AgeingInvoice[]; date: string; takenAt: string }): ArSnapshot[] {
  const open = input.invoices.filter(isOpenReceivable);
  const currencies = [...new Set(open.map((invoice) => invoice.document.currency))].sort(compareText);
  return currencies.map((currency) => {
    const report = ageingReport({ invoices: open, currency, asOf: input.date });
    return {
      currency,
      date: input.date,
      takenAt: input.takenAt,
      openArMinor: report.totalOpenMinor,
      currentArMinor: currentArOf(report),
      invoices: report.count,
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// A month's figures
// ---------------------------------------------------------------------------------------------------------------

/**
 * Durations of one figure, in seconds: `count` is exact; `seconds` holds them all, sorted, up to `MAX_SAMPLES`, beyond
 * which it keeps that many evenly spaced by rank (the median and p90 then come from those, within 1/`MAX_SAMPLES` of
 * rank), so a month item stays small however busy the month.
 */
export interface Samples {
  count: number;
  seconds: number[];
}
export const MAX_SAMPLES = 100;

export function samplesOf(values: readonly number[]): Samples {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length <= MAX_SAMPLES) return { count: sorted.length, seconds: sorted };
  return { count: sorted.length, seconds: Array.from({ length: MAX_SAMPLES }, (_, index) => sorted[divideHalfUp(BigInt(index * (sorted.length - 1)), BigInt(MAX_SAMPLES - 1))] as number) };
}

export interface ReminderRow {
  level: string;
  sent: number;
  invoices: number;
  paidInvoices: number;
  paidAfterMinor: number;
}

/**
 * One month's figures of one currency. Sales are the month's; every other figure is a **cohort** of the month — the
 * bank entries booked in it, the promises recorded, reminders sent, disputes opened and orders placed in it — judged
 * as of `computedAt`: what became of them by then (a promise made on the 25th and kept on the 3rd counts as kept in
 * its month). The job recomputes a month for `COHORT_MONTHS` months, so late outcomes still reach it.
 */
export interface MonthFigures {
  currency: string;
  /** `YYYY-MM`. */
  month: string;
  /** The last day the month's sales include: its last day once it is over, else the job's day. */
  through: string;
  computedAt: string;
  /** Invoices issued in the month (what they left to pay) less the credit notes issued in it. */
  creditSalesMinor: number;
  invoicesIssued: CountAmount;
  creditNotesIssued: CountAmount;
  /** Of the bank entries booked in the month (see `cash-application-kpis.ts`). */
  cash: {
    entries: CountAmount;
    autoApplied: CountAmount;
    straightThrough: CountAmount;
    lines: CountAmount;
    autoLines: CountAmount;
    byFormat: Record<string, { entries: CountAmount; autoApplied: CountAmount; straightThrough: CountAmount }>;
    byRule: Record<string, CountAmount>;
    exceptions: {
      raised: number;
      open: number;
      resolved: number;
      resolvedPerDay: { date: string; count: number; amountMinor: number }[];
      ageAtResolution: Samples;
      openAge: Samples;
    };
  };
  collections: {
    /** Promises recorded in the month, judged as of `through`. */
    promises: { kept: number; broken: number; pending: number; keptAmountMinor: number; judgedAmountMinor: number };
    /** Invoices issued in the month and those of them disputed; disputes opened in the month and how long they stayed open. */
    disputes: { issued: CountAmount; disputed: CountAmount; resolvedIn: Samples; openFor: Samples };
    /** Reminders sent in the month per level, and the cash that came after each. */
    reminders: ReminderRow[];
  };
  /** Orders placed in the month in this currency, traced through their audit events. */
  orders: {
    orders: number;
    invoiced: number;
    touchless: number;
    cycle: Record<CycleStretch, Samples>;
    credit: { decided: number; approved: number; review: number; rejected: number; reviewApproved: number; reviewRejected: number; reviewPending: number };
  };
}

export type CycleStretch = 'orderedToApproved' | 'approvedToShipped' | 'shippedToInvoiced' | 'invoicedToPaid' | 'orderedToPaid';
const stretches: readonly CycleStretch[] = ['orderedToApproved', 'approvedToShipped', 'shippedToInvoiced', 'invoicedToPaid', 'orderedToPaid'];

export interface MonthInputs {
  currency: string;
  month: string;
  /** The job's business day and instant. */
  today: string;
  at: string;
  /** Invoices and credit notes (any issue date, any currency: filtered here). */
  documents: readonly (SalesDocument & IssuedInvoice)[];
  /** Payments of any booking date (filtered here to the month for the cash figures; all of them settle promises and reminders). */
  payments: readonly (KpiPayment & CollectionsPayment & { bookingDate: string })[];
  formatByFile: Readonly<Record<string, string>>;
  disputes: readonly Pick<Dispute, 'id' | 'invoiceId' | 'status' | 'openedAt' | 'resolution'>[];
  /** Every promise of the invoices in scope, with its invoice and currency. */
  promises: readonly PromiseRecord[];
  reminders: readonly ReminderRecord[];
  /** The audit events of the orders placed in the month in this currency. */
  orderEvents: readonly OrderEvent[];
  /** The dunning policy's level names in order. */
  levels?: readonly string[] | undefined;
}

const inMonth = (date: string, month: string) => date.slice(0, 7) === month;
const toCountAmount = (byCount: Share, byAmount: Share, side: 'part' | 'whole'): CountAmount => ({ count: byCount[side], amountMinor: byAmount[side] });
/** Negative ages (an entry booked before it was imported, clocks apart) count as 0. */
const samples = (stats: DurationStats): Samples => samplesOf(stats.samples.map((sample) => Math.max(0, sample.seconds)));

/** The figures of one month and currency, from the ledger's items in scope. */
export function monthFigures(input: MonthInputs): MonthFigures {
  const { currency, month } = input;
  const monthEnd = `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
  const through = input.today < monthEnd ? input.today : monthEnd;

  const issuedInMonth = input.documents.filter((doc) => doc.document.currency === currency && doc.status !== 'VOID' && inMonth(doc.document.issueDate, month) && doc.document.issueDate <= input.today);
  const issued = (kind: string) => issuedInMonth.filter((doc) => doc.document.kind === kind).reduce((sum, doc) => plus(sum, { count: 1, amountMinor: doc.document.payableMinor }), ZERO);
  const invoicesIssued = issued('invoice');
  const creditNotesIssued = issued('credit-note');

  // Cohorts are judged as of the job's run: every outcome up to now counts, whatever month it happened in.
  const payments = input.payments.filter((payment) => payment.bookingDate <= input.today);
  const monthPayments = payments.filter((payment) => payment.currency === currency && inMonth(payment.bookingDate, month));
  const cash = cashApplicationKpis({ payments: monthPayments, currency, at: input.at, formatByFile: input.formatByFile });
  const byFormat: MonthFigures['cash']['byFormat'] = {};
  for (const entry of cash.entries) {
    const row = (byFormat[entry.format] ??= { entries: ZERO, autoApplied: ZERO, straightThrough: ZERO });
    const one = { count: 1, amountMinor: entry.amountMinor };
    row.entries = plus(row.entries, one);
    if (entry.autoApplied) row.autoApplied = plus(row.autoApplied, one);
    if (entry.straightThrough) row.straightThrough = plus(row.straightThrough, one);
  }

  const promises = promiseKpis({ promises: input.promises.filter((record) => record.currency === currency && inMonth(record.promise.recordedAt, month)), payments, currency, asOf: input.today });
  const disputedIssued = disputeKpis({ invoices: issuedInMonth, disputes: input.disputes, currency, at: input.at });
  const disputesOpened = disputeKpis({ invoices: [], disputes: input.disputes.filter((dispute) => inMonth(dispute.openedAt, month)), currency, at: input.at });
  const reminders = reminderKpis({ reminders: input.reminders.filter((reminder) => inMonth(reminder.sentAt, month)), payments, currency, levels: input.levels });
  const orders = orderKpis({ events: input.orderEvents.filter((event) => event.at <= input.at) });

  return {
    currency,
    month,
    through,
    computedAt: input.at,
    creditSalesMinor: invoicesIssued.amountMinor - creditNotesIssued.amountMinor,
    invoicesIssued,
    creditNotesIssued,
    cash: {
      entries: toCountAmount(cash.envelope.byCount, cash.envelope.byAmount, 'whole'),
      autoApplied: toCountAmount(cash.envelope.byCount, cash.envelope.byAmount, 'part'),
      straightThrough: toCountAmount(cash.straightThrough.byCount, cash.straightThrough.byAmount, 'part'),
      lines: toCountAmount(cash.line.byCount, cash.line.byAmount, 'whole'),
      autoLines: toCountAmount(cash.line.byCount, cash.line.byAmount, 'part'),
      byFormat,
      byRule: Object.fromEntries(cash.byRule.map((row) => [row.rule, { count: row.lines.part, amountMinor: row.amount.part }])),
      exceptions: {
        raised: cash.exceptions.raised,
        open: cash.exceptions.open,
        resolved: cash.exceptions.resolved,
        resolvedPerDay: cash.exceptions.resolvedPerDay,
        ageAtResolution: samples(cash.exceptions.ageAtResolution),
        openAge: samples(cash.exceptions.openAge),
      },
    },
    collections: {
      promises: { kept: promises.kept, broken: promises.broken, pending: promises.pending, keptAmountMinor: promises.keptAmount.part, judgedAmountMinor: promises.keptAmount.whole },
      disputes: {
        issued: toCountAmount(disputedIssued.rate.byCount, disputedIssued.rate.byAmount, 'whole'),
        disputed: toCountAmount(disputedIssued.rate.byCount, disputedIssued.rate.byAmount, 'part'),
        resolvedIn: samples(disputesOpened.resolvedIn),
        openFor: samples(disputesOpened.openFor),
      },
      reminders: reminders.map((row) => ({ level: row.level, sent: row.sent, invoices: row.invoices, paidInvoices: row.paidInvoices.part, paidAfterMinor: row.paidAfterMinor })),
    },
    orders: {
      orders: orders.orderCount,
      invoiced: orders.invoicedCount,
      touchless: orders.touchless.part,
      cycle: Object.fromEntries(stretches.map((stretch) => [stretch, samples(orders.cycle[stretch])])) as Record<CycleStretch, Samples>,
      credit: {
        decided: orders.credit.decided,
        approved: orders.credit.approved.part,
        review: orders.credit.review.part,
        rejected: orders.credit.rejected.part,
        reviewApproved: orders.credit.reviewApproved,
        reviewRejected: orders.credit.reviewRejected,
        reviewPending: orders.credit.reviewPending,
      },
    },
  };
}

/** The months of `YYYY-MM`..`YYYY-MM`, most recent first; at most `limit`. */
export function monthRange(from: string, to: string, limit = 24): string[] {
  if (from > to) throw new RangeError(`from (${from}) is after to (${to})`);
  const [fromYear, fromMonth] = from.split('-').map(Number) as [number, number];
  const [toYear, toMonth] = to.split('-').map(Number) as [number, number];
  const count = (toYear - fromYear) * 12 + (toMonth - fromMonth) + 1;
  if (count > limit) throw new RangeError(`at most ${limit} months at once, asked for ${count}`);
  return monthsBack(to, count);
}

// ---------------------------------------------------------------------------------------------------------------
// The KPI report
// ---------------------------------------------------------------------------------------------------------------

const shareOf = (part: CountAmount, whole: CountAmount) => ({ byCount: share(part.count, whole.count), byAmount: share(part.amountMinor, whole.amountMinor) });

/** Months' samples of one figure merged: the exact count, and the kept seconds thinned again to `MAX_SAMPLES`. */
function mergeSamples(parts: readonly Samples[]): Samples {
  const count = parts.reduce((sum, part) => sum + part.count, 0);
  const merged = samplesOf(parts.flatMap((part) => part.seconds));
  return { count, seconds: merged.seconds };
}

/**
 * Count, median and p90 of merged samples. The seconds they were taken from are listed while there are at most
 * `MAX_SAMPLES` (the inputs, to recompute both); beyond, `sampled: true` says the figures come from evenly spaced ranks.
 */
function summary(parts: readonly Samples[]) {
  const merged = mergeSamples(parts);
  const { samples: _samples, count: _count, ...figures } = durationStats(merged.seconds.map((value, index) => ({ id: String(index), seconds: value })));
  const sampled = merged.count > merged.seconds.length;
  return { count: merged.count, ...figures, sampled, ...(sampled ? {} : { seconds: merged.seconds }) };
}

const noSamples = (): Samples => ({ count: 0, seconds: [] });

/** What a month contributes when the job never ran for it: nothing, said so. */
function missingMonth(currency: string, month: string): MonthFigures {
  const empty = { ...ZERO };
  return {
    currency,
    month,
    through: '',
    computedAt: '',
    creditSalesMinor: 0,
    invoicesIssued: empty,
    creditNotesIssued: empty,
    cash: { entries: empty, autoApplied: empty, straightThrough: empty, lines: empty, autoLines: empty, byFormat: {}, byRule: {}, exceptions: { raised: 0, open: 0, resolved: 0, resolvedPerDay: [], ageAtResolution: noSamples(), openAge: noSamples() } },
    collections: { promises: { kept: 0, broken: 0, pending: 0, keptAmountMinor: 0, judgedAmountMinor: 0 }, disputes: { issued: empty, disputed: empty, resolvedIn: noSamples(), openFor: noSamples() }, reminders: [] },
    orders: { orders: 0, invoiced: 0, touchless: 0, cycle: Object.fromEntries(stretches.map((stretch) => [stretch, noSamples()])) as Record<CycleStretch, Samples>, credit: { decided: 0, approved: 0, review: 0, rejected: 0, reviewApproved: 0, reviewRejected: 0, reviewPending: 0 } },
  };
}

/** Days a month counts for in DSO: its calendar days, or up to `through` while it is not over. */
export function countedDays(figures: Pick<MonthFigures, 'month' | 'through'>): number {
  const full = daysInMonth(figures.month);
  if (!figures.through) return full;
  return Math.min(full, daysBetween(`${figures.month}-01`, figures.through) + 1);
}

export interface KpiReportInput {
  currency: string;
  from: string;
  to: string;
  /** The stored figures of the months asked for (any order; missing months count as empty and are named). */
  months: readonly MonthFigures[];
  /** The last AR snapshot on or before the last day of `to` (or today). */
  closing: ArSnapshot | undefined;
  /** The last AR snapshot before the first day of `from`. */
  opening: ArSnapshot | undefined;
}

const NO_DAYS = { days: null, exact: null } as const;

/**
 * The KPI report of `from`..`to` from the stored aggregates: DSO (standard and count-back), BPDSO, ADD and CEI from
 * the AR snapshots at the period's ends and the months' credit sales, and the cash application, collections and
 * order figures of the months added up. Every figure carries its inputs.
 *
 * A figure that would rest on something the job did not record is `null`, with the reason in `notes`, never a
 * number that looks real: DSO, BPDSO and ADD need every month and an AR snapshot taken in the last month; CEI also
 * one taken in the month before the first.
 */
export function kpiReport(input: KpiReportInput) {
  const { currency } = input;
  const wanted = monthRange(input.from, input.to);
  const stored = new Map(input.months.filter((figures) => figures.currency === currency).map((figures) => [figures.month, figures]));
  const months = wanted.map((month) => stored.get(month) ?? missingMonth(currency, month));
  const missingMonths = months.filter((figures) => !figures.computedAt).map((figures) => figures.month);
  const lastMonth = months[0] as MonthFigures;
  const closing = input.closing && input.closing.date >= `${input.to}-01` ? input.closing : undefined;
  const dayBeforeFrom = addDays(`${input.from}-01`, -1);
  const opening = input.opening && input.opening.date >= `${dayBeforeFrom.slice(0, 7)}-01` && input.opening.date <= dayBeforeFrom ? input.opening : undefined;
  const notes: string[] = [];
  if (missingMonths.length > 0) notes.push(`the report job has no figures for ${missingMonths.join(', ')}: DSO, BPDSO, ADD and CEI are not given, the rates count only the months it has`);
  if (!closing) notes.push(`no AR snapshot was taken in ${input.to}: DSO, BPDSO, ADD and CEI are not given`);
  else if (lastMonth.through && closing.date !== lastMonth.through) notes.push(`the ending AR is of ${closing.date}, the last day the job recorded`);
  if (!opening) notes.push(`no AR snapshot was taken in the month before ${input.from}: CEI is not given`);
  const arKpis = missingMonths.length === 0 && closing !== undefined;

  const sales: MonthSales[] = months.map((figures) => ({ month: figures.month, creditSalesMinor: figures.creditSalesMinor, days: countedDays(figures) }));
  const creditSalesMinor = sales.reduce((sum, month) => sum + month.creditSalesMinor, 0);
  const days = sales.reduce((sum, month) => sum + month.days, 0);
  assertSafeInteger(creditSalesMinor, 'credit sales');
  const endingArMinor = closing?.openArMinor ?? 0;
  const currentArMinor = closing?.currentArMinor ?? 0;

  const dsoStandard = arKpis ? standardDso({ endingArMinor, creditSalesMinor, days }) : { ...NO_DAYS, inputs: { endingArMinor: null, creditSalesMinor, days } };
  const countBack = arKpis ? countBackDso({ endingArMinor, months: sales }) : { ...NO_DAYS, inputs: { endingArMinor: null, months: sales }, steps: [], exhausted: false };
  const bpdso = arKpis ? bestPossibleDso({ currentArMinor, creditSalesMinor, days }) : { ...NO_DAYS, inputs: { currentArMinor: null, creditSalesMinor, days } };
  const add = arKpis ? averageDaysDelinquent(dsoStandard, bpdso) : { ...NO_DAYS, inputs: null };
  const ceiInputs = { openingArMinor: opening?.openArMinor ?? null, creditSalesMinor, months: months.length, closingArMinor: closing?.openArMinor ?? null, closingCurrentArMinor: closing?.currentArMinor ?? null };
  const cei = arKpis && opening ? collectionEffectivenessIndex({ ...ceiInputs, openingArMinor: opening.openArMinor, closingArMinor: endingArMinor, closingCurrentArMinor: currentArMinor }) : { percent: null, exact: null, inputs: ceiInputs };

  const reminderRows: Record<string, ReminderRow> = {};
  for (const figures of months) {
    for (const row of figures.collections.reminders) {
      const target = (reminderRows[row.level] ??= { level: row.level, sent: 0, invoices: 0, paidInvoices: 0, paidAfterMinor: 0 });
      target.sent += row.sent;
      target.invoices += row.invoices;
      target.paidInvoices += row.paidInvoices;
      target.paidAfterMinor += row.paidAfterMinor;
    }
  }
  const levelOrder = months.flatMap((figures) => figures.collections.reminders.map((row) => row.level));
  const total = <T>(pick: (figures: MonthFigures) => T, add: (a: T, b: T) => T, zero: T) => months.map(pick).reduce(add, zero);
  const sumCA = (pick: (figures: MonthFigures) => CountAmount) => total(pick, plus, ZERO);
  const sumCount = (pick: (figures: MonthFigures) => number) => total(pick, (a, b) => a + b, 0);
  const entries = sumCA((figures) => figures.cash.entries);
  const autoApplied = sumCA((figures) => figures.cash.autoApplied);
  const straightThrough = sumCA((figures) => figures.cash.straightThrough);
  const lines = sumCA((figures) => figures.cash.lines);
  const autoLines = sumCA((figures) => figures.cash.autoLines);
  const formats = [...new Set(months.flatMap((figures) => Object.keys(figures.cash.byFormat)))].sort(compareText);
  const rules = [...new Set(months.flatMap((figures) => Object.keys(figures.cash.byRule)))].sort(compareText);
  const promise = (key: keyof MonthFigures['collections']['promises']) => sumCount((figures) => figures.collections.promises[key]);
  const issued = sumCA((figures) => figures.collections.disputes.issued);
  const disputed = sumCA((figures) => figures.collections.disputes.disputed);
  const credit = Object.fromEntries((['decided', 'approved', 'review', 'rejected', 'reviewApproved', 'reviewRejected', 'reviewPending'] as const).map((key) => [key, sumCount((figures) => figures.orders.credit[key])])) as MonthFigures['orders']['credit'];
  const orders = { orders: sumCount((figures) => figures.orders.orders), invoiced: sumCount((figures) => figures.orders.invoiced), touchless: sumCount((figures) => figures.orders.touchless) };

  return {
    currency,
    from: input.from,
    to: input.to,
    /** When the aggregates read were computed: the figures are as of then. */
    asOf: { closingSnapshot: closing ? { date: closing.date, takenAt: closing.takenAt } : null, openingSnapshot: opening ? { date: opening.date, takenAt: opening.takenAt } : null, months: months.map((figures) => ({ month: figures.month, through: figures.through || null, computedAt: figures.computedAt || null })) },
    missingMonths,
    notes,
    dso: { standard: dsoStandard, countBack },
    bpdso,
    add,
    cei,
    cashApplication: {
      envelope: shareOf(autoApplied, entries),
      line: shareOf(autoLines, lines),
      straightThrough: shareOf(straightThrough, entries),
      inputs: { entries, autoApplied, straightThrough, lines, autoLines },
      byFormat: formats.map((format) => {
        const row = (pick: (value: MonthFigures['cash']['byFormat'][string]) => CountAmount) => sumCA((figures) => (figures.cash.byFormat[format] ? pick(figures.cash.byFormat[format]) : ZERO));
        const formatEntries = row((value) => value.entries);
        const formatAuto = row((value) => value.autoApplied);
        const formatStraight = row((value) => value.straightThrough);
        return { format, entries: formatEntries, autoApplied: formatAuto, straightThrough: formatStraight, envelope: shareOf(formatAuto, formatEntries), straightThroughRate: shareOf(formatStraight, formatEntries) };
      }),
      byRule: rules.map((rule) => {
        const row = sumCA((figures) => figures.cash.byRule[rule] ?? ZERO);
        return { rule, lines: share(row.count, lines.count), amount: share(row.amountMinor, lines.amountMinor) };
      }),
      exceptions: {
        raised: sumCount((figures) => figures.cash.exceptions.raised),
        open: sumCount((figures) => figures.cash.exceptions.open),
        resolved: sumCount((figures) => figures.cash.exceptions.resolved),
        resolvedPerDay: mergeDays(months.flatMap((figures) => figures.cash.exceptions.resolvedPerDay)),
        ageAtResolution: summary(months.map((figures) => figures.cash.exceptions.ageAtResolution)),
        openAge: summary(months.map((figures) => figures.cash.exceptions.openAge)),
      },
    },
    collections: {
      promises: { kept: promise('kept'), broken: promise('broken'), pending: promise('pending'), keptRate: share(promise('kept'), promise('kept') + promise('broken')), keptAmount: share(promise('keptAmountMinor'), promise('judgedAmountMinor')) },
      disputes: { rate: shareOf(disputed, issued), inputs: { issued, disputed }, resolvedIn: summary(months.map((figures) => figures.collections.disputes.resolvedIn)), openFor: summary(months.map((figures) => figures.collections.disputes.openFor)) },
      reminders: Object.values(reminderRows)
        .sort((a, b) => levelOrder.indexOf(a.level) - levelOrder.indexOf(b.level) || compareText(a.level, b.level))
        .map((row) => ({ ...row, paidRate: share(row.paidInvoices, row.invoices) })),
    },
    orders: {
      touchless: share(orders.touchless, orders.invoiced),
      inputs: orders,
      cycle: Object.fromEntries(stretches.map((stretch) => [stretch, summary(months.map((figures) => figures.orders.cycle[stretch]))])) as Record<CycleStretch, ReturnType<typeof summary>>,
      credit: { ...credit, approvedRate: share(credit.approved, credit.decided), reviewRate: share(credit.review, credit.decided), rejectedRate: share(credit.rejected, credit.decided) },
    },
    months: months.map((figures) => ({ month: figures.month, creditSalesMinor: figures.creditSalesMinor, days: countedDays(figures), invoicesIssued: figures.invoicesIssued, creditNotesIssued: figures.creditNotesIssued })),
  };
}

export type KpiReport = ReturnType<typeof kpiReport>;

function mergeDays(rows: readonly { date: string; count: number; amountMinor: number }[]) {
  const byDate = new Map<string, { count: number; amountMinor: number }>();
  for (const row of rows) {
    const target = byDate.get(row.date) ?? { count: 0, amountMinor: 0 };
    byDate.set(row.date, { count: target.count + row.count, amountMinor: target.amountMinor + row.amountMinor });
  }
  return [...byDate.entries()].sort(([a], [b]) => compareText(a, b)).map(([date, totals]) => ({ date, ...totals }));
}

/** The stages an order passes, for readers of the cycle figures. */
export const cycleStages = orderStages;

// ---------------------------------------------------------------------------------------------------------------
// The forecast
// ---------------------------------------------------------------------------------------------------------------

/** Weeks the job forecasts; a report shows the first `weeks` of them and adds the rest to `afterMinor`. */
export const FORECAST_WEEKS = 26;
/** The backtest the job runs: this many weekly forecasts made before today, each judged over this many weeks. */
export const FORECAST_BACKTEST = { origins: 8, horizonWeeks: 13 } as const;

export interface ForecastSnapshot extends Omit<CashForecast, 'expectations'> {
  takenAt: string;
  /** What the weeks add up, by why each piece was expected when (promise, customer history, …). */
  byBasis: Record<string, CountAmount>;
  invoices: number;
}

export function forecastSnapshot(forecast: CashForecast, takenAt: string): ForecastSnapshot {
  const { expectations, ...rest } = forecast;
  const byBasis: Record<string, CountAmount> = {};
  for (const piece of expectations) byBasis[piece.basis] = plus(byBasis[piece.basis] ?? ZERO, { count: 1, amountMinor: piece.amountMinor });
  return { ...rest, takenAt, byBasis, invoices: new Set(expectations.map((piece) => piece.invoiceId)).size };
}

/** The first `weeks` weeks of a stored forecast; what lies beyond them is added to `afterMinor`. */
export function forecastReport(snapshot: ForecastSnapshot, weeks: number) {
  if (!Number.isSafeInteger(weeks) || weeks < 1 || weeks > snapshot.weeks.length) throw new RangeError(`weeks must be 1..${snapshot.weeks.length}, got ${weeks}`);
  const shown = snapshot.weeks.slice(0, weeks);
  const beyond = snapshot.weeks.slice(weeks).reduce((sum, week) => sum + week.expectedMinor, 0);
  return { ...snapshot, weeks: shown, afterMinor: snapshot.afterMinor + beyond };
}

/** The KPI report as CSV rows: one per figure, with its value and the inputs a spreadsheet needs to recompute it. */
export function kpiRows(report: KpiReport): Record<string, unknown>[] {
  const base = { currency: report.currency, from: report.from, to: report.to };
  const rate = (figure: string, value: Share, amounts = false) => ({ ...base, figure, value: value.percent, unit: 'percent', ...(amounts ? { partMinor: value.part, wholeMinor: value.whole } : { part: value.part, whole: value.whole }) });
  const rates = (figure: string, value: { byCount: Share; byAmount: Share }) => [rate(`${figure} by count`, value.byCount), rate(`${figure} by amount`, value.byAmount, true)];
  const { dso, bpdso, add, cei, cashApplication: cash, collections, orders } = report;
  return [
    { ...base, figure: 'DSO (standard)', value: dso.standard.days, unit: 'days', endingArMinor: dso.standard.inputs.endingArMinor, creditSalesMinor: dso.standard.inputs.creditSalesMinor, days: dso.standard.inputs.days },
    { ...base, figure: 'DSO (count-back)', value: dso.countBack.days, unit: 'days', endingArMinor: dso.countBack.inputs.endingArMinor },
    ...dso.countBack.inputs.months.map((month) => ({ ...base, figure: `credit sales ${month.month}`, value: null, unit: 'amount', creditSalesMinor: month.creditSalesMinor, days: month.days })),
    { ...base, figure: 'BPDSO', value: bpdso.days, unit: 'days', currentArMinor: bpdso.inputs.currentArMinor, creditSalesMinor: bpdso.inputs.creditSalesMinor, days: bpdso.inputs.days },
    { ...base, figure: 'ADD', value: add.days, unit: 'days' },
    { ...base, figure: 'CEI', value: cei.percent, unit: 'percent', openingArMinor: cei.inputs.openingArMinor, creditSalesMinor: cei.inputs.creditSalesMinor, months: cei.inputs.months, closingArMinor: cei.inputs.closingArMinor, closingCurrentArMinor: cei.inputs.closingCurrentArMinor },
    ...rates('envelope match rate', cash.envelope),
    ...rates('line match rate', cash.line),
    ...rates('straight-through rate', cash.straightThrough),
    ...cash.byFormat.flatMap((row) => rates(`envelope match rate, ${row.format}`, row.envelope)),
    ...cash.byRule.map((row) => rate(`lines by rule, ${row.rule}`, row.lines)),
    rate('promises kept', collections.promises.keptRate),
    ...rates('dispute rate', collections.disputes.rate),
    ...collections.reminders.map((row) => ({ ...rate(`paid after reminder, ${row.level}`, row.paidRate), sent: row.sent, paidAfterMinor: row.paidAfterMinor })),
    rate('touchless orders', orders.touchless),
    ...Object.entries(orders.cycle).map(([stretch, stats]) => ({ ...base, figure: `cycle ${stretch} (median)`, value: stats.median?.days ?? null, unit: 'days', count: stats.count, p90: stats.p90?.days ?? null })),
  ];
}
