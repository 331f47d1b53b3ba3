/**
 * The maintained aggregates behind `GET /reports/kpis` and `GET /reports/forecast`: what the daily report job
 * (`snapshotReports`) writes, and how a report reads them back.
 *
 * The job reads the ledger once a day and writes, per currency, three kinds of small items:
 * - an **AR snapshot** of the day: what is open, what is not yet past due, and the open amounts by due date (enough
 *   to age on any buckets), so DSO, BPDSO and CEI read the AR at a period's ends from two items;
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
import { daysBetween, daysInMonth } from './dates.ts';
import { durationStats, share, type DurationStats, type Share } from './figures.ts';
import { isOpenReceivable } from './invoice.ts';
import { averageDaysDelinquent, bestPossibleDso, collectionEffectivenessIndex, countBackDso, monthsBack, standardDso, type MonthSales, type SalesDocument } from './kpis.ts';
import type { CashForecast } from './forecast.ts';
import { assertSafeInteger } from './money.ts';
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
  /** The open amounts by due date, oldest first: Σ = `openArMinor`; ages on any buckets. */
  byDueDate: { dueDate: string; amountMinor: number; count: number }[];
}

/** One AR snapshot per currency with open receivables, as of `date`. */
export function arSnapshots(input: { invoices: readonly AgeingInvoice[]; date: string; takenAt: string }): ArSnapshot[] {
  const open = input.invoices.filter(isOpenReceivable);
  const currencies = [...new Set(open.map((invoice) => invoice.document.currency))].sort(compareText);
  return currencies.map((currency) => {
    const report = ageingReport({ invoices: open, currency, asOf: input.date });
    const byDueDate = new Map<string, CountAmount>();
    for (const item of report.items) byDueDate.set(item.dueDate, plus(byDueDate.get(item.dueDate) ?? ZERO, { count: 1, amountMinor: item.openMinor }));
    return {
      currency,
      date: input.date,
      takenAt: input.takenAt,
      openArMinor: report.totalOpenMinor,
      currentArMinor: currentArOf(report),
      invoices: report.count,
      byDueDate: [...byDueDate.entries()].sort(([a], [b]) => compareText(a, b)).map(([dueDate, totals]) => ({ dueDate, ...totals })),
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// A month's figures
// ---------------------------------------------------------------------------------------------------------------

export interface ReminderRow {
  level: string;
  sent: number;
  invoices: number;
  paidInvoices: number;
  paidAfterMinor: number;
}

export interface MonthFigures {
  currency: string;
  /** `YYYY-MM`. */
  month: string;
  /** The last day the figures include: the month's last day once it is over, else the job's day. */
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
      ageAtResolutionSeconds: number[];
      openAgeSeconds: number[];
    };
  };
  collections: {
    /** Promises recorded in the month, judged as of `through`. */
    promises: { kept: number; broken: number; pending: number; keptAmountMinor: number; judgedAmountMinor: number };
    /** Invoices issued in the month and those of them disputed; disputes opened in the month and how long they stayed open. */
    disputes: { issued: CountAmount; disputed: CountAmount; resolvedInSeconds: number[]; openForSeconds: number[] };
    /** Reminders sent in the month per level, and the cash that came after each. */
    reminders: ReminderRow[];
  };
  /** Orders placed in the month in this currency, traced through their audit events. */
  orders: {
    orders: number;
    invoiced: number;
    touchless: number;
    cycleSeconds: Record<CycleStretch, number[]>;
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
const seconds = (stats: DurationStats): number[] => stats.samples.map((sample) => sample.seconds).sort((a, b) => a - b);

/** The figures of one month and currency, from the ledger's items in scope. */
export function monthFigures(input: MonthInputs): MonthFigures {
  const { currency, month } = input;
  const monthEnd = `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
  const through = input.today < monthEnd ? input.today : monthEnd;
  const throughAt = input.today <= monthEnd ? input.at : `${monthEnd}T23:59:59.999Z`;

  const issuedInMonth = input.documents.filter((doc) => doc.document.currency === currency && doc.status !== 'VOID' && inMonth(doc.document.issueDate, month));
  const issued = (kind: string) => issuedInMonth.filter((doc) => doc.document.kind === kind).reduce((sum, doc) => plus(sum, { count: 1, amountMinor: doc.document.payableMinor }), ZERO);
  const invoicesIssued = issued('invoice');
  const creditNotesIssued = issued('credit-note');

  const monthPayments = input.payments.filter((payment) => payment.currency === currency && inMonth(payment.bookingDate, month));
  const cash = cashApplicationKpis({ payments: monthPayments, currency, at: throughAt, formatByFile: input.formatByFile });
  const byFormat: MonthFigures['cash']['byFormat'] = {};
  for (const entry of cash.entries) {
    const row = (byFormat[entry.format] ??= { entries: ZERO, autoApplied: ZERO, straightThrough: ZERO });
    const one = { count: 1, amountMinor: entry.amountMinor };
    row.entries = plus(row.entries, one);
    if (entry.autoApplied) row.autoApplied = plus(row.autoApplied, one);
    if (entry.straightThrough) row.straightThrough = plus(row.straightThrough, one);
  }

  const payments = input.payments.filter((payment) => payment.bookingDate <= through);
  const promises = promiseKpis({ promises: input.promises.filter((record) => record.currency === currency && inMonth(record.promise.recordedAt, month)), payments, currency, asOf: through });
  const disputedIssued = disputeKpis({ invoices: issuedInMonth, disputes: input.disputes, currency, at: throughAt });
  const disputesOpened = disputeKpis({ invoices: [], disputes: input.disputes.filter((dispute) => inMonth(dispute.openedAt, month)), currency, at: throughAt });
  const reminders = reminderKpis({ reminders: input.reminders.filter((reminder) => inMonth(reminder.sentAt, month)), payments, currency, levels: input.levels });
  const orders = orderKpis({ events: input.orderEvents.filter((event) => event.at <= throughAt) });

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
        ageAtResolutionSeconds: seconds(cash.exceptions.ageAtResolution),
        openAgeSeconds: seconds(cash.exceptions.openAge),
      },
    },
    collections: {
      promises: { kept: promises.kept, broken: promises.broken, pending: promises.pending, keptAmountMinor: promises.keptAmount.part, judgedAmountMinor: promises.keptAmount.whole },
      disputes: {
        issued: toCountAmount(disputedIssued.rate.byCount, disputedIssued.rate.byAmount, 'whole'),
        disputed: toCountAmount(disputedIssued.rate.byCount, disputedIssued.rate.byAmount, 'part'),
        resolvedInSeconds: seconds(disputesOpened.resolvedIn),
        openForSeconds: seconds(disputesOpened.openFor),
      },
      reminders: reminders.map((row) => ({ level: row.level, sent: row.sent, invoices: row.invoices, paidInvoices: row.paidInvoices.part, paidAfterMinor: row.paidAfterMinor })),
    },
    orders: {
      orders: orders.orderCount,
      invoiced: orders.invoicedCount,
      touchless: orders.touchless.part,
      cycleSeconds: Object.fromEntries(stretches.map((stretch) => [stretch, seconds(orders.cycle[stretch])])) as Record<CycleStretch, number[]>,
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
/** Count, median and p90 of merged samples in seconds, with the samples sorted (the inputs of the two figures). */
const summary = (values: readonly number[]) => {
  const { samples: _samples, ...rest } = durationStats(values.map((value, index) => ({ id: String(index), seconds: value })));
  return { ...rest, seconds: [...values].sort((a, b) => a - b) };
};

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
    cash: { entries: empty, autoApplied: empty, straightThrough: empty, lines: empty, autoLines: empty, byFormat: {}, byRule: {}, exceptions: { raised: 0, open: 0, resolved: 0, resolvedPerDay: [], ageAtResolutionSeconds: [], openAgeSeconds: [] } },
    collections: { promises: { kept: 0, broken: 0, pending: 0, keptAmountMinor: 0, judgedAmountMinor: 0 }, disputes: { issued: empty, disputed: empty, resolvedInSeconds: [], openForSeconds: [] }, reminders: [] },
    orders: { orders: 0, invoiced: 0, touchless: 0, cycleSeconds: Object.fromEntries(stretches.map((stretch) => [stretch, []])) as unknown as Record<CycleStretch, number[]>, credit: { decided: 0, approved: 0, review: 0, rejected: 0, reviewApproved: 0, reviewRejected: 0, reviewPending: 0 } },
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

/**
 * The KPI report of `from`..`to` from the stored aggregates: DSO (standard and count-back), BPDSO, ADD and CEI from
 * the AR snapshots at the period's ends and the months' credit sales, and the cash application, collections and
 * order figures of the months added up. Every figure carries its inputs.
 */
export function kpiReport(input: KpiReportInput) {
  const { currency } = input;
  const wanted = monthRange(input.from, input.to);
  const stored = new Map(input.months.filter((figures) => figures.currency === currency).map((figures) => [figures.month, figures]));
  const months = wanted.map((month) => stored.get(month) ?? missingMonth(currency, month));
  const missingMonths = months.filter((figures) => !figures.computedAt).map((figures) => figures.month);

  const sales: MonthSales[] = months.map((figures) => ({ month: figures.month, creditSalesMinor: figures.creditSalesMinor, days: countedDays(figures) }));
  const creditSalesMinor = sales.reduce((sum, month) => sum + month.creditSalesMinor, 0);
  const days = sales.reduce((sum, month) => sum + month.days, 0);
  assertSafeInteger(creditSalesMinor, 'credit sales');
  const endingArMinor = input.closing?.openArMinor ?? 0;
  const currentArMinor = input.closing?.currentArMinor ?? 0;

  const dsoStandard = standardDso({ endingArMinor, creditSalesMinor, days });
  const bpdso = bestPossibleDso({ currentArMinor, creditSalesMinor, days });
  const cei = collectionEffectivenessIndex({
    openingArMinor: input.opening?.openArMinor ?? 0,
    creditSalesMinor,
    months: months.length,
    closingArMinor: endingArMinor,
    closingCurrentArMinor: currentArMinor,
  });

  const total = months.reduce(
    (sum, figures) => {
      const cash = figures.cash;
      sum.entries = plus(sum.entries, cash.entries);
      sum.autoApplied = plus(sum.autoApplied, cash.autoApplied);
      sum.straightThrough = plus(sum.straightThrough, cash.straightThrough);
      sum.lines = plus(sum.lines, cash.lines);
      sum.autoLines = plus(sum.autoLines, cash.autoLines);
      for (const [format, row] of Object.entries(cash.byFormat)) {
        const target = (sum.byFormat[format] ??= { entries: ZERO, autoApplied: ZERO, straightThrough: ZERO });
        target.entries = plus(target.entries, row.entries);
        target.autoApplied = plus(target.autoApplied, row.autoApplied);
        target.straightThrough = plus(target.straightThrough, row.straightThrough);
      }
      for (const [rule, row] of Object.entries(cash.byRule)) sum.byRule[rule] = plus(sum.byRule[rule] ?? ZERO, row);
      sum.raised += cash.exceptions.raised;
      sum.open += cash.exceptions.open;
      sum.resolved += cash.exceptions.resolved;
      sum.resolvedPerDay.push(...cash.exceptions.resolvedPerDay);
      sum.ageAtResolution.push(...cash.exceptions.ageAtResolutionSeconds);
      sum.openAge.push(...cash.exceptions.openAgeSeconds);
      const collections = figures.collections;
      for (const key of ['kept', 'broken', 'pending', 'keptAmountMinor', 'judgedAmountMinor'] as const) sum.promises[key] += collections.promises[key];
      sum.issued = plus(sum.issued, collections.disputes.issued);
      sum.disputed = plus(sum.disputed, collections.disputes.disputed);
      sum.resolvedIn.push(...collections.disputes.resolvedInSeconds);
      sum.openFor.push(...collections.disputes.openForSeconds);
      for (const row of collections.reminders) {
        const target = (sum.reminders[row.level] ??= { level: row.level, sent: 0, invoices: 0, paidInvoices: 0, paidAfterMinor: 0 });
        target.sent += row.sent;
        target.invoices += row.invoices;
        target.paidInvoices += row.paidInvoices;
        target.paidAfterMinor += row.paidAfterMinor;
      }
      sum.orders += figures.orders.orders;
      sum.invoiced += figures.orders.invoiced;
      sum.touchless += figures.orders.touchless;
      for (const stretch of stretches) sum.cycle[stretch].push(...(figures.orders.cycleSeconds[stretch] ?? []));
      for (const key of Object.keys(sum.credit) as (keyof typeof sum.credit)[]) sum.credit[key] += figures.orders.credit[key];
      return sum;
    },
    {
      entries: ZERO,
      autoApplied: ZERO,
      straightThrough: ZERO,
      lines: ZERO,
      autoLines: ZERO,
      byFormat: {} as MonthFigures['cash']['byFormat'],
      byRule: {} as Record<string, CountAmount>,
      raised: 0,
      open: 0,
      resolved: 0,
      resolvedPerDay: [] as { date: string; count: number; amountMinor: number }[],
      ageAtResolution: [] as number[],
      openAge: [] as number[],
      promises: { kept: 0, broken: 0, pending: 0, keptAmountMinor: 0, judgedAmountMinor: 0 },
      issued: ZERO,
      disputed: ZERO,
      resolvedIn: [] as number[],
      openFor: [] as number[],
      reminders: {} as Record<string, ReminderRow>,
      orders: 0,
      invoiced: 0,
      touchless: 0,
      cycle: Object.fromEntries(stretches.map((stretch) => [stretch, [] as number[]])) as Record<CycleStretch, number[]>,
      credit: { decided: 0, approved: 0, review: 0, rejected: 0, reviewApproved: 0, reviewRejected: 0, reviewPending: 0 },
    },
  );
  const levelOrder = months.flatMap((figures) => figures.collections.reminders.map((row) => row.level));

  return {
    currency,
    from: input.from,
    to: input.to,
    /** When the aggregates read were computed: the figures are as of then. */
    asOf: { closingSnapshot: input.closing ? { date: input.closing.date, takenAt: input.closing.takenAt } : null, openingSnapshot: input.opening ? { date: input.opening.date, takenAt: input.opening.takenAt } : null, months: months.map((figures) => ({ month: figures.month, through: figures.through || null, computedAt: figures.computedAt || null })) },
    missingMonths,
    dso: { standard: dsoStandard, countBack: countBackDso({ endingArMinor, months: sales }) },
    bpdso,
    add: averageDaysDelinquent(dsoStandard, bpdso),
    cei,
    cashApplication: {
      envelope: shareOf(total.autoApplied, total.entries),
      line: shareOf(total.autoLines, total.lines),
      straightThrough: shareOf(total.straightThrough, total.entries),
      inputs: { entries: total.entries, autoApplied: total.autoApplied, straightThrough: total.straightThrough, lines: total.lines, autoLines: total.autoLines },
      byFormat: Object.entries(total.byFormat)
        .sort(([a], [b]) => compareText(a, b))
        .map(([format, row]) => ({ format, entries: row.entries, autoApplied: row.autoApplied, straightThrough: row.straightThrough, envelope: shareOf(row.autoApplied, row.entries), straightThroughRate: shareOf(row.straightThrough, row.entries) })),
      byRule: Object.entries(total.byRule)
        .sort(([a], [b]) => compareText(a, b))
        .map(([rule, row]) => ({ rule, lines: share(row.count, total.lines.count), amount: share(row.amountMinor, total.lines.amountMinor) })),
      exceptions: {
        raised: total.raised,
        open: total.open,
        resolved: total.resolved,
        resolvedPerDay: mergeDays(total.resolvedPerDay),
        ageAtResolution: summary(total.ageAtResolution),
        openAge: summary(total.openAge),
      },
    },
    collections: {
      promises: { kept: total.promises.kept, broken: total.promises.broken, pending: total.promises.pending, keptRate: share(total.promises.kept, total.promises.kept + total.promises.broken), keptAmount: share(total.promises.keptAmountMinor, total.promises.judgedAmountMinor) },
      disputes: { rate: shareOf(total.disputed, total.issued), inputs: { issued: total.issued, disputed: total.disputed }, resolvedIn: summary(total.resolvedIn), openFor: summary(total.openFor) },
      reminders: Object.values(total.reminders)
        .sort((a, b) => levelOrder.indexOf(a.level) - levelOrder.indexOf(b.level) || compareText(a.level, b.level))
        .map((row) => ({ ...row, paidRate: share(row.paidInvoices, row.invoices) })),
    },
    orders: {
      touchless: share(total.touchless, total.invoiced),
      inputs: { orders: total.orders, invoiced: total.invoiced, touchless: total.touchless },
      cycle: Object.fromEntries(stretches.map((stretch) => [stretch, summary(total.cycle[stretch])])) as Record<CycleStretch, ReturnType<typeof summary>>,
      credit: { ...total.credit, approvedRate: share(total.credit.approved, total.credit.decided), reviewRate: share(total.credit.review, total.credit.decided), rejectedRate: share(total.credit.rejected, total.credit.decided) },
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
