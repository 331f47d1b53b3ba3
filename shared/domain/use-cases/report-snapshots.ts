/**
 * The daily report job and the reports that read what it wrote (`report-snapshots.ts` says what is kept and why).
 *
 * The job reads the ledger of the day and the month before: the open invoices, the documents and the order and
 * invoice audit events of the window (one index partition per day), the payments booked in the last half year (the forecast's history), the disputes and
 * orders of the window. Its cost grows with what happened in that window, once a day; a report's cost does not grow
 * at all. Every write is a whole-item put keyed by currency and day or month, so a repeated run (Scheduler
 * redelivers) writes the same items again.
 */
import type { AuditEvent } from '../audit.ts';
import { addDays, daysInMonth, epochDay, isoWeekStart } from '../dates.ts';
import { defaultDunningPolicy } from '../dunning.ts';
import { InvalidRequest } from '../errors.ts';
import { cashForecast, cashReceiptsOf, ledgerInvoiceOf } from '../forecast.ts';
import { share } from '../figures.ts';
import type { Invoice } from '../invoice.ts';
import { isCurrency } from '../money.ts';
import type { Order } from '../order.ts';
import type { Payment } from '../payment.ts';
import type { Clock, Dispute, DunningStore } from '../ports.ts';
import {
  arSnapshots,
  FORECAST_BACKTEST,
  FORECAST_WEEKS,
  forecastReport,
  forecastSnapshot,
  kpiReport,
  monthFigures,
  monthRange,
  type ArSnapshot,
  type ForecastSnapshot,
  type MonthFigures,
} from '../report-snapshots.ts';
import type { PromiseRecord, ReminderRecord } from '../collections-kpis.ts';
import { monthsBack } from '../kpis.ts';

/** What the job reads of the ledger. Every method reads one index range (or batch of keys) and follows its pages. */
export interface ReportSource {
  /** Every invoice with something outstanding (OPEN, PARTIALLY_PAID, DISPUTED), of every currency. */
  outstandingInvoices(): Promise<Invoice[]>;
  /** The audit events of orders or invoices from `from` through `to` (days). */
  events(entity: 'order' | 'invoice', from: string, to: string): Promise<AuditEvent[]>;
  /** Invoices and credit notes of every status due on or after `dueFrom` (every document issued since is among them). */
  documentsDue(dueFrom: string): Promise<Invoice[]>;
  /** Payments of every status booked from `from` through `to`. */
  paymentsBooked(from: string, to: string): Promise<Payment[]>;
  /** Disputes of every status opened from `from` through `to`. */
  disputesOpened(from: string, to: string): Promise<Dispute[]>;
  /** Orders of every status placed from `from` through `to`: what the report reads of them (not their lines). */
  ordersPlaced(from: string, to: string): Promise<Pick<Order, 'id' | 'currency' | 'orderedAt'>[]>;
  invoices(ids: readonly string[]): Promise<Invoice[]>;
  /** The format of each bank file (by SHA-256) that has a record. */
  bankFileFormats(sha256s: readonly string[]): Promise<Record<string, string>>;
}

export interface ReportStore {
  /** Puts the items, whole (a rerun writes the same again). */
  save(input: { snapshots: readonly ArSnapshot[]; months: readonly MonthFigures[]; forecasts: readonly ForecastSnapshot[] }): Promise<void>;
  months(currency: string, months: readonly string[]): Promise<MonthFigures[]>;
  /** The last AR snapshot dated on or before `date`. */
  snapshotOnOrBefore(currency: string, date: string): Promise<ArSnapshot | undefined>;
  latestForecast(currency: string): Promise<ForecastSnapshot | undefined>;
}

/** Days of payments the forecast learns from (and its backtest replays). */
export const FORECAST_HISTORY_DAYS = 182;
/** Months the job recomputes on every run: this one and the three before, so their cohorts' late outcomes arrive. */
export const COHORT_MONTHS = 4;

const promiseRecordsOf = (invoice: Invoice): PromiseRecord[] => {
  const { promise, pastPromises = [] } = invoice.dunning ?? {};
  return [...pastPromises, ...(promise ? [promise] : [])].map((record) => ({ invoiceId: invoice.id, currency: invoice.document.currency, promise: record }));
};

export interface SnapshotSummary {
  date: string;
  takenAt: string;
  currencies: string[];
  months: string[];
  /** Per currency: DSO (count-back over the three months to `date`) and the month's match rate by count, for the dashboard. */
  headline: { currency: string; dsoDays: string | null; matchRatePercent: string | null }[];
}

/**
 * Writes the AR snapshot of `date` (default: today), the figures of its month and the month before, and the
 * forecast from `date`, per currency. The scheduled run passes the day that just closed.
 */
export async function snapshotReports(input: { date?: string | undefined }, deps: { source: ReportSource; store: ReportStore; clock: Clock; dunning: Pick<DunningStore, 'policy'> }): Promise<SnapshotSummary> {
  const now = deps.clock.now();
  const takenAt = now.toISOString();
  const today = takenAt.slice(0, 10);
  const date = input.date ?? today;
  epochDay(date, 'date');
  // What is open is read now: a snapshot can only be of today so far, or of the day that just closed.
  if (date !== today && date !== addDays(today, -1)) throw new InvalidRequest(`the report job runs for today (${today}) or the day that just closed, not ${date}`);
  const months = monthsBack(date.slice(0, 7), COHORT_MONTHS);
  const windowStart = `${months.at(-1)}-01`;
  const historyStart = [windowStart, addDays(date, -FORECAST_HISTORY_DAYS)].sort()[0] as string;

  const [outstanding, recentDocuments, orderEvents, invoiceEvents, payments, disputes, orders, policy] = await Promise.all([
    deps.source.outstandingInvoices(),
    deps.source.documentsDue(windowStart),
    deps.source.events('order', windowStart, date),
    deps.source.events('invoice', windowStart, date),
    deps.source.paymentsBooked(historyStart, date),
    deps.source.disputesOpened(windowStart, date),
    deps.source.ordersPlaced(windowStart, date),
    deps.dunning.policy(),
  ]);
  const events = [...orderEvents, ...invoiceEvents];

  // Every invoice the figures name, read once: the window's documents, what is open, and what the rest refers to.
  const known = new Map<string, Invoice>();
  for (const invoice of [...outstanding, ...recentDocuments]) if (invoice.document.issueDate <= date) known.set(invoice.id, invoice);
  // An invoice whose status changed meanwhile can sit in two status lists of the index for a moment: once each.
  const open = [...new Map(outstanding.filter((invoice) => invoice.document.issueDate <= date).map((invoice) => [invoice.id, invoice])).values()];
  const referred = new Set<string>([
    ...events.filter((event) => event.entity === 'invoice' && (event.type === 'PromiseToPayRecorded' || event.type === 'DunningReminderSent')).map((event) => event.entityId),
    ...disputes.map((dispute) => dispute.invoiceId),
    ...cashReceiptsOf(payments).map((receipt) => receipt.invoiceId),
  ]);
  for (const invoice of await deps.source.invoices([...referred].filter((id) => !known.has(id)))) known.set(invoice.id, invoice);
  const currencyOf = (invoiceId: string) => known.get(invoiceId)?.document.currency;

  const documents = [...known.values()].filter((invoice) => invoice.document.issueDate >= windowStart);
  const promised = new Set(events.filter((event) => event.type === 'PromiseToPayRecorded').map((event) => event.entityId));
  const promises = [...promised].flatMap((invoiceId) => {
    const invoice = known.get(invoiceId);
    return invoice ? promiseRecordsOf(invoice) : [];
  });
  const reminders: ReminderRecord[] = events
    .filter((event) => event.entity === 'invoice' && event.type === 'DunningReminderSent')
    .flatMap((event) => {
      const currency = currencyOf(event.entityId);
      return currency ? [{ invoiceId: event.entityId, currency, level: event.after ?? '?', sentAt: event.at }] : [];
    });
  const formatByFile = await deps.source.bankFileFormats([...new Set(payments.map((payment) => payment.source.bankFile))]);
  const orderOf = new Map(orders.map((order) => [order.id, { currency: order.currency, month: order.orderedAt.slice(0, 7) }]));
  const levels = (policy ?? defaultDunningPolicy).levels.map((level) => level.name);

  const withOpen = arSnapshots({ invoices: open, date, takenAt });
  const currencies = [...new Set([...withOpen.map((snapshot) => snapshot.currency), ...documents.map((invoice) => invoice.document.currency), ...payments.map((payment) => payment.currency), ...orders.map((order) => order.currency)])].sort();
  // A currency with nothing open has an AR of 0 that day, which a report must not take from an older snapshot.
  const snapshots = currencies.map((currency) => withOpen.find((snapshot) => snapshot.currency === currency) ?? { currency, date, takenAt, openArMinor: 0, currentArMinor: 0, invoices: 0 });
  const figures = currencies.flatMap((currency) =>
    months.map((month) =>
      monthFigures({
        currency,
        month,
        today: date,
        at: takenAt,
        documents,
        payments,
        formatByFile,
        disputes: disputes.filter((dispute) => currencyOf(dispute.invoiceId) === currency),
        promises,
        reminders,
        orderEvents: events.filter((event) => event.entity === 'order' && orderOf.get(event.entityId)?.currency === currency && orderOf.get(event.entityId)?.month === month),
        levels,
      }),
    ),
  );
  const receipts = cashReceiptsOf(payments);
  const ledger = [...known.values()].flatMap((invoice) => ledgerInvoiceOf(invoice) ?? []);
  // The backtest's forecasts start on Mondays, so its result changes once a week: a run later in the same week keeps
  // the week's backtest instead of replaying it (it is most of the job's work).
  const forecasts = await Promise.all(
    currencies.map(async (currency) => {
      const previous = await deps.store.latestForecast(currency);
      const sameWeek = previous?.accuracy && previous.asOf <= date && isoWeekStart(previous.asOf) === isoWeekStart(date);
      const forecast = cashForecast({ invoices: ledger, receipts, currency, asOf: date, weeks: FORECAST_WEEKS, backtest: sameWeek ? false : FORECAST_BACKTEST });
      return forecastSnapshot(sameWeek ? { ...forecast, accuracy: previous.accuracy } : forecast, takenAt);
    }),
  );

  await deps.store.save({ snapshots, months: figures, forecasts });

  const headlineMonths = monthsBack(date.slice(0, 7), 3);
  const headline = await Promise.all(
    currencies.map(async (currency) => {
      const stored = await deps.store.months(currency, headlineMonths);
      const report = kpiReport({ currency, from: headlineMonths[2] as string, to: headlineMonths[0] as string, months: stored, closing: snapshots.find((snapshot) => snapshot.currency === currency), opening: undefined });
      const current = stored.find((item) => item.month === headlineMonths[0]);
      const match = current ? share(current.cash.autoApplied.count, current.cash.entries.count).percent : null;
      return { currency, dsoDays: report.dso.countBack.days, matchRatePercent: match };
    }),
  );
  return { date, takenAt, currencies, months, headline };
}

// ---------------------------------------------------------------------------------------------------------------
// The reports
// ---------------------------------------------------------------------------------------------------------------

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function currencyOfQuery(currency: string | undefined): string {
  const code = currency?.toUpperCase();
  if (!code || !isCurrency(code)) throw new InvalidRequest('currency must be an ISO 4217 code, e.g. EUR: amounts of two currencies are never added');
  return code;
}

const lastDayOf = (month: string) => `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;

/**
 * `GET /reports/kpis?currency=EUR[&from=YYYY-MM][&to=YYYY-MM]` (default: the three months to this one): DSO, BPDSO,
 * ADD, CEI and the cash application, collections and order figures, each with its inputs, from the stored aggregates.
 */
export async function reportKpis(query: { currency?: string | undefined; from?: string | undefined; to?: string | undefined }, deps: { store: ReportStore; clock: Clock }) {
  const currency = currencyOfQuery(query.currency);
  const today = deps.clock.now().toISOString().slice(0, 10);
  for (const [name, value] of [['from', query.from], ['to', query.to]] as const) {
    if (value !== undefined && (!MONTH.test(value) || value < '2000-01')) throw new InvalidRequest(`${name} must be a month from 2000-01 on, YYYY-MM, got ${JSON.stringify(value)}`);
  }
  const to = query.to ?? today.slice(0, 7);
  if (to > today.slice(0, 7)) throw new InvalidRequest(`to (${to}) is after this month (${today.slice(0, 7)}): there are no figures yet`);
  const from = query.from ?? (monthsBack(to, 3)[2] as string);
  let months: string[];
  try {
    months = monthRange(from, to);
  } catch (error) {
    throw new InvalidRequest((error as Error).message);
  }
  const closingDate = [lastDayOf(to), today].sort()[0] as string;
  const [stored, closing, opening] = await Promise.all([
    deps.store.months(currency, months),
    deps.store.snapshotOnOrBefore(currency, closingDate),
    deps.store.snapshotOnOrBefore(currency, addDays(`${from}-01`, -1)),
  ]);
  return kpiReport({ currency, from, to, months: stored, closing, opening });
}

/** `GET /reports/forecast?currency=EUR[&weeks=13]`: the latest forecast the job made, its first `weeks` weeks, with its backtest. */
export async function reportForecast(query: { currency?: string | undefined; weeks?: string | undefined }, deps: { store: ReportStore }) {
  const currency = currencyOfQuery(query.currency);
  const weeks = query.weeks === undefined ? 13 : Number(query.weeks);
  if (!/^\d{1,3}$/.test(query.weeks ?? '13') || weeks < 1 || weeks > FORECAST_WEEKS) throw new InvalidRequest(`weeks must be a whole number 1..${FORECAST_WEEKS}, got ${JSON.stringify(query.weeks)}`);
  const snapshot = await deps.store.latestForecast(currency);
  if (snapshot && weeks > snapshot.weeks.length) throw new InvalidRequest(`the latest forecast has ${snapshot.weeks.length} weeks`);
  if (!snapshot) return { currency, asOf: null, method: 'customer-history', weeks: [], afterMinor: 0, heldMinor: 0, accuracy: null, note: 'the report job has not run for this currency yet' };
  return forecastReport(snapshot, weeks);
}
