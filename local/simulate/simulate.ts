/**
 * `o2c simulate`: a synthetic business in fast-forward through the real pipeline (the same handlers, ASL and local
 * engines as `npm start`), proven against the simulator's own books at the end.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays } from '#domain/dates';
import { share } from '#domain/figures';
import { MeterSnapshot } from '../meter-snapshot.ts';
import { O2cApi } from './api-client.ts';
import { costReport, type CostReport } from './cost.ts';
import { addMeterSnapshots } from './meter-sum.ts';
import { createBusiness } from './business.ts';
import { bookInvoices, fullyShipped, invoicesInOrder, newBooks, orderOf, runDay, type BookOrder, type Books, type Chaos, type DayPhase } from './driver.ts';
import { invoiceDifferences } from './expected-invoices.ts';
import { SeededRandom } from './random.ts';
import { checkInvariants, type InvariantReport } from './invariants.ts';
import { exited, freePorts, killRuntimeProcess, startRuntimeProcess, type RuntimePorts } from './runtime-process.ts';

/** The default business of `o2c simulate` (what the issue's cost goal is measured on): 90 days, 50 orders a day, 40 customers. */
export const DEFAULT_BUSINESS = { days: 90, ordersPerDay: 50, customers: 40, seed: 1 } as const;

export interface SimulateOptions {
  days: number;
  ordersPerDay: number;
  customers: number;
  seed: number;
  /** Drive a running O2C instead of starting one. */
  url?: string | undefined;
  /** Duplicate and shuffled deliveries, injected transient failures, bank files dropped twice, kill -9 and restart. */
  chaos?: boolean | undefined;
  clerkCapacity?: number | undefined;
  /** Progress lines (stderr in the CLI). */
  progress?: (line: string) => void;
}

export interface SimulationResult {
  seed: number;
  days: number;
  ordersPerDay: number;
  customers: number;
  from: string;
  to: string;
  elapsedSeconds: number;
  invariants: InvariantReport['invariants'] & { invoiceAmountDifferences: number };
  failed: string[];
  details: InvariantReport['details'];
  /** `byStatus` as O2C shows each order at the end; `waiting` the ones still waiting for stock, a person or the carrier. */
  orders: { sent: number; accepted: number; refused: number; bySource: Record<string, number>; byStatus: Record<string, number>; waiting: Record<string, number>; creditReviews: Books['reviews']; cancelledByBuyer: number; splitShipments: number; restocks: number };
  invoices: { issued: number; payableMinor: number };
  cash: { entries: number; amountMinor: number; autoApplied: number; exceptions: number; resolvedByClerk: number; waiting: number; returned: number; earlyPaymentDiscounts: number; withoutRemittance: number; overlappingStatements: number };
  kpis: { o2c: Record<string, unknown>; simulator: { entries: number; cashMinor: number; autoApplied: number; creditSalesMinor: number }; differences: string[] } | null;
  chaos: { enabled: boolean; duplicateDeliveries: number; concurrentDuplicates: number; outOfOrder: number; injectedFailures: number; redroppedFiles: number; restarts: number; killsInFlight: number };
  /** What the customers and the clerk did about open invoices (the books), and the reminders O2C sent by level. */
  collections: { disputesOpened: number; disputesCredited: number; disputesRejected: number; promisesMade: number; promisesKept: number; promisesBroken: number; remindersByLevel: { level: string; sent: number }[]; creditHoldsPlaced: number; creditHoldsReleased: number };
  /** O2C's forecast made on `madeOn`, week by week, against the cash the invoices open then actually brought. */
  forecast: { madeOn: string; weeks: { weekStart: string; forecastMinor: number; actualMinor: number }[]; accuracyPercent: string | null } | null;
  /** What the run's operations would cost on AWS (list prices), from the runtime's meter; null when it has none. */
  cost: CostReport | null;
}

/**
 * Where a run's business starts (a Monday morning, UTC): the same seed then gives the same dates, weekdays and
 * due dates in every run, and a run of a few hours never crosses midnight in the middle of a simulated day.
 */
export const SIMULATION_START = '2027-01-04T07:00:00Z';

/** Share of asynchronous invocations (workflow tasks, queue consumers) failed on purpose under --chaos. */
const CHAOS_FAILURE_RATE = 0.03;
/** Under chaos, a message a failed consumer returned is visible again this soon (AWS: the queue's own timeout). */
const CHAOS_VISIBILITY_SECONDS = 10;

/** `[######--------------]` for `done` of `total`, 20 wide. */
export const progressBar = (done: number, total: number) => {
  const filled = Math.round((20 * done) / Math.max(total, 1));
  return `[${'#'.repeat(filled)}${'-'.repeat(20 - filled)}]`;
};

function countBy<T>(items: Iterable<T>, key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  // In key order, not the order O2C happened to answer in: a seed's result reads the same every run.
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

export async function simulate(options: SimulateOptions): Promise<SimulationResult> {
  const started = Date.now();
  const say = options.progress ?? (() => undefined);
  let runtime: { child: ChildProcess; dataDir: string; ports: RuntimePorts; env: Record<string, string> } | undefined;
  let baseUrl = options.url;
  if (options.chaos && baseUrl) throw new Error('--chaos kills and restarts the runtime it starts: it cannot be combined with --url');
  if (!baseUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'o2c-simulate-'));
    // The runtime keeps business time as an offset from the wall clock, in its data directory: start it at the run's start.
    writeFileSync(join(dataDir, 'clock.json'), JSON.stringify({ offsetMs: Date.parse(SIMULATION_START) - Date.now() }));
    const ports = await freePorts();
    const env: Record<string, string> = options.chaos ? { O2C_CHAOS_FAILURE_RATE: String(CHAOS_FAILURE_RATE), O2C_CHAOS_SEED: String(options.seed), O2C_SQS_VISIBILITY_SECONDS: String(CHAOS_VISIBILITY_SECONDS) } : {};
    say(`starting an embedded runtime on port ${ports.api} (data in ${dataDir})`);
    const started = startRuntimeProcess({ dataDir, ports, env });
    runtime = { child: started.child, dataDir, ports, env };
    await started.ready;
    baseUrl = `http://127.0.0.1:${ports.api}`;
  }
  try {
    const api = new O2cApi(baseUrl);
    const business = createBusiness({ seed: options.seed, customers: options.customers, ordersPerDay: options.ordersPerDay });
    const books = newBooks();
    let injectedBeforeRestarts = 0;
    // The meter counts from the business's first day (not the runtime's start-up), across restarts.
    let meteredBeforeRestarts: MeterSnapshot | undefined;
    const meterNow = async (): Promise<MeterSnapshot | undefined> => {
      const response = await fetch(`${baseUrl}/_local/meter`).catch(() => undefined);
      if (!response?.ok) return undefined;
      const parsed = MeterSnapshot.safeParse(await response.json());
      return parsed.success ? parsed.data : undefined;
    };
    const banked = (reading: MeterSnapshot | undefined) => (reading && meteredBeforeRestarts ? addMeterSnapshots(meteredBeforeRestarts, reading) : (reading ?? meteredBeforeRestarts));
    await fetch(`${baseUrl}/_local/meter/reset`, { method: 'POST' }).catch(() => undefined);
    const injectedNow = async () => ((await (await fetch(`${baseUrl}/_local/chaos`)).json()) as { injectedFailures: { total: number } }).injectedFailures.total;
    const chaos: Chaos | undefined = options.chaos
      ? (() => {
          const random = new SeededRandom(options.seed).fork('chaos');
          const phases: DayPhase[] = ['orders', 'shipments', 'bank-file'];
          // At least two kills between phases, at seeded points of the run, and one while a day's orders are in flight.
          const kills = new Set(Array.from({ length: Math.max(2, Math.floor(options.days / 10)) }, () => `${random.int(0, options.days - 1)}:${random.pick(phases)}`));
          while (kills.size < 2) kills.add(`${random.int(0, options.days - 1)}:${random.pick(phases)}`);
          const inFlightKill = `${random.int(0, options.days - 1)}:orders`;
          const killAndRestart = async (when: string) => {
            if (!runtime) return;
            // What the meter and the chaos counter saw dies with the process: bank them first (reads race the kill in flight).
            injectedBeforeRestarts += await injectedNow().catch(() => 0);
            meteredBeforeRestarts = banked(await meterNow());
            say(`chaos: kill -9 of the runtime ${when}, then a restart on the same data`);
            killRuntimeProcess(runtime.child, 'SIGKILL');
            await exited(runtime.child);
            const again = startRuntimeProcess({ dataDir: runtime.dataDir, ports: runtime.ports, env: runtime.env });
            runtime.child = again.child;
            await again.ready;
          };
          return {
            random,
            counts: { duplicateDeliveries: 0, concurrentDuplicates: 0, outOfOrder: 0, redroppedFiles: 0, restarts: 0, killsInFlight: 0 },
            async afterPhase(day: number, phase: DayPhase) {
              if (!kills.has(`${day}:${phase}`)) return;
              await killAndRestart(`after ${phase} on day ${day + 1}`);
              this.counts.restarts += 1;
            },
            async duringPhase(day: number, phase: DayPhase) {
              if (`${day}:${phase}` !== inFlightKill) return;
              // A moment into the day's deliveries: some are answered, some in flight, the rest not yet sent.
              await new Promise((resolve) => setTimeout(resolve, 150));
              await killAndRestart(`while the orders of day ${day + 1} are in flight`);
              this.counts.restarts += 1;
              this.counts.killsInFlight += 1;
            },
          };
        })()
      : undefined;
    const from = await api.businessDate();
    let to = from;
    const forecastDay = Math.floor(options.days / 3);
    let forecastMade: { madeOn: string; openInvoiceIds: Set<string>; weeks: { weekStart: string; expectedMinor: number }[] } | undefined;
    for (let day = 0; day < options.days; day++) {
      if (day === forecastDay && day > 0) forecastMade = await takeForecast(api, books);
      const report = await runDay(api, business, books, day, { clerkCapacity: options.clerkCapacity ?? 20, chaos });
      to = report.date;
      const cashMinor = books.payments.reduce((sum, payment) => sum + payment.amountMinor, 0);
      say(`${progressBar(day + 1, options.days)} day ${day + 1}/${options.days} ${report.date}: ${books.orders.size} orders, ${report.invoices} invoices, ${books.payments.length} payments, ${(cashMinor / 100).toFixed(2)} EUR cash`);
      await api.advanceDays(1);
    }
    // Whatever O2C is still working on gets a last chance to finish before the books are closed.
    await bookInvoices(api, books, options.seed, 120_000);
    const injectedFailures = chaos ? injectedBeforeRestarts + (await injectedNow()) : 0;
    const metered = banked(await meterNow());
    // For studying where the bill comes from: the raw meter, by function, state machine and queue.
    if (metered && process.env.O2C_SIMULATE_METER_OUT) writeFileSync(process.env.O2C_SIMULATE_METER_OUT, JSON.stringify(metered, null, 2));

    const checked = await checkInvariants(api, books, { freshLedger: runtime !== undefined, business });
    const { failed, details } = checked;
    // Every fully invoiced order against what the seller expected to invoice for it (the simulator's own arithmetic).
    const amountDifferences = [...books.orders.values()]
      .filter((order) => fullyShipped(order) && order.shipments.every((shipment) => shipment.invoiceId && books.invoices.has(shipment.invoiceId)))
      .flatMap((order) => invoiceDifferences(order.placed, order.shipments.map((shipment) => books.invoices.get(shipment.invoiceId!)!), books.configured.has(order.customer.externalId) ? order.customer.termsDays : undefined));
    const invariants = { ...checked.invariants, invoiceAmountDifferences: amountDifferences.length };
    if (amountDifferences.length > 0) {
      failed.push('invoiceAmountDifferences');
      details.invoiceAmountDifferences = amountDifferences;
    }
    // A chaos run that injected nothing of a kind proved nothing about it: it does not pass.
    if (chaos) for (const [kind, count] of Object.entries({ ...chaos.counts, injectedFailures })) if (count === 0) failed.push(`chaos.${kind}`);
    // The last invoices may have come after the clock moved on: the KPI period runs to the business date now.
    const kpis = await readKpis(api, books, from, await api.businessDate());
    if (!kpis || kpis.differences.length > 0) {
      failed.push('kpis');
      details.kpis = kpis?.differences ?? ['O2C gave no KPI report'];
    }
    const orders = [...books.orders.values()];
    const payments = books.payments;
    const finalStatuses = await finalOrderStatuses(api, orders);
    return {
      seed: options.seed,
      days: options.days,
      ordersPerDay: options.ordersPerDay,
      customers: options.customers,
      from,
      to,
      elapsedSeconds: Math.round((Date.now() - started) / 100) / 10,
      invariants,
      failed,
      details,
      orders: {
        sent: orders.length,
        accepted: orders.filter((order) => order.answer === 202).length,
        refused: orders.filter((order) => order.answer !== 202).length,
        bySource: countBy(orders, (order) => order.source),
        byStatus: countBy(finalStatuses.values(), (status) => status),
        waiting: countBy([...finalStatuses.values()].filter((status) => STILL_WAITING.includes(status)), (status) => WAITING_FOR[status] ?? status),
        creditReviews: books.reviews,
        cancelledByBuyer: orders.filter((order) => order.cancellation?.confirmed).length,
        splitShipments: orders.filter((order) => order.shipments.length > 1).length,
        restocks: books.restocks,
      },
      invoices: { issued: books.invoices.size, payableMinor: [...books.invoices.values()].reduce((sum, invoice) => sum + invoice.payableMinor, 0) },
      cash: {
        entries: payments.length,
        amountMinor: payments.reduce((sum, payment) => sum + payment.amountMinor, 0),
        autoApplied: payments.filter((payment) => payment.outcome === 'auto').length,
        exceptions: payments.filter((payment) => payment.outcome !== 'auto').length,
        resolvedByClerk: books.clerk.resolved,
        waiting: books.clerk.left,
        returned: payments.filter((payment) => payment.returned).length,
        earlyPaymentDiscounts: invoicesInOrder(books).filter((invoice) => invoice.discountMinor > 0).length,
        withoutRemittance: payments.filter((payment) => payment.entry && !payment.entry.remittance).length,
        overlappingStatements: books.overlappingStatements,
      },
      kpis,
      chaos: { enabled: chaos !== undefined, injectedFailures, ...(chaos?.counts ?? { duplicateDeliveries: 0, concurrentDuplicates: 0, outOfOrder: 0, redroppedFiles: 0, restarts: 0, killsInFlight: 0 }) },
      collections: {
        disputesOpened: [...books.invoices.values()].filter((invoice) => invoice.dispute?.openedOn).length,
        disputesCredited: [...books.invoices.values()].filter((invoice) => invoice.dispute?.resolvedOn && invoice.dispute.credit).length,
        disputesRejected: [...books.invoices.values()].filter((invoice) => invoice.dispute?.resolvedOn && !invoice.dispute.credit).length,
        promisesMade: [...books.invoices.values()].filter((invoice) => invoice.promise).length,
        promisesKept: [...books.invoices.values()].filter((invoice) => invoice.promise?.keep).length,
        promisesBroken: [...books.invoices.values()].filter((invoice) => invoice.promise && !invoice.promise.keep).length,
        remindersByLevel: (kpis?.o2c.remindersByLevel as { level: string; sent: number }[] | undefined) ?? [],
        ...(await creditHolds(api, [...books.configured.values()])),
      },
      forecast: forecastMade ? judgeForecast(forecastMade, books, to) : null,
      cost: metered ? costReport({ snapshot: metered, orders: orders.filter((order) => order.answer === 202).length }) : null,
    };
  } finally {
    if (runtime) {
      killRuntimeProcess(runtime.child, 'SIGTERM');
      await Promise.race([exited(runtime.child), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      killRuntimeProcess(runtime.child, 'SIGKILL');
      rmSync(runtime.dataDir, { recursive: true, force: true });
    }
  }
}

/** Orders at rest that still wait for something, and what. */
const STILL_WAITING = ['ON_HOLD', 'CREDIT_REVIEW', 'BACKORDERED', 'AWAITING_SHIPMENT', 'PARTIALLY_SHIPPED'];
const WAITING_FOR: Record<string, string> = { ON_HOLD: 'a person (on hold)', CREDIT_REVIEW: 'the credit manager', BACKORDERED: 'stock', AWAITING_SHIPMENT: 'the carrier', PARTIALLY_SHIPPED: 'the carrier (the rest)' };

/** Each accepted order's status as O2C shows it at the end of the run. */
async function finalOrderStatuses(api: O2cApi, orders: readonly BookOrder[]): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  for (const order of orders.filter((each) => each.answer === 202)) statuses.set(order.externalId, (await orderOf(api, order))?.status ?? 'NOT_FOUND');
  return statuses;
}

/** Credit holds O2C placed on (and released from) the run's customers, from each customer's history. */
async function creditHolds(api: O2cApi, customerIds: readonly string[]) {
  const counts = { creditHoldsPlaced: 0, creditHoldsReleased: 0 };
  for (const customerId of customerIds) {
    let cursor: string | null | undefined;
    do {
      const { body } = await api.get<{ history?: { type: string }[]; historyCursor?: string | null }>(`/customers/${customerId}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      for (const event of body.history ?? []) {
        if (event.type === 'CreditHoldPlaced') counts.creditHoldsPlaced += 1;
        if (event.type === 'CreditHoldReleased') counts.creditHoldsReleased += 1;
      }
      cursor = body.historyCursor;
    } while (cursor);
  }
  return counts;
}

/** O2C's forecast as of this morning (its report job run first), and which invoices were open then. */
async function takeForecast(api: O2cApi, books: Books) {
  await api.send('admin', 'POST', '/reports/snapshots', {});
  const { body } = await api.get<{ asOf: string | null; weeks: { weekStart: string; expectedMinor: number }[] }>('/reports/forecast?currency=EUR&weeks=13');
  const openInvoiceIds = new Set([...books.invoices.values()].filter((invoice) => invoice.payableMinor - invoice.creditedMinor - invoice.paid.reduce((sum, part) => sum + part.amountMinor, 0) > 0).map((invoice) => invoice.id));
  return { madeOn: body.asOf ?? (await api.businessDate()), openInvoiceIds, weeks: body.weeks ?? [] };
}

/**
 * Each forecast week that ended within the run, against the cash that arrived in it for the invoices open when the
 * forecast was made: accuracy = 1 − Σ |forecast − actual| / Σ actual (the measure O2C's own backtest uses).
 */
function judgeForecast(made: { madeOn: string; openInvoiceIds: Set<string>; weeks: { weekStart: string; expectedMinor: number }[] }, books: Books, lastDay: string): NonNullable<SimulationResult['forecast']> {
  const paidOn = new Map(books.payments.map((payment) => [payment.bankReference, payment.date]));
  const cash = [...books.invoices.values()].filter((invoice) => made.openInvoiceIds.has(invoice.id)).flatMap((invoice) => invoice.paid.map((part) => ({ date: paidOn.get(part.bankReference) ?? '', amountMinor: part.amountMinor })));
  const weeks = made.weeks
    .filter((week) => addDays(week.weekStart, 6) <= lastDay)
    .map((week) => ({ weekStart: week.weekStart, forecastMinor: week.expectedMinor, actualMinor: cash.filter((item) => item.date >= week.weekStart && item.date <= addDays(week.weekStart, 6) && item.date >= made.madeOn).reduce((sum, item) => sum + item.amountMinor, 0) }));
  const actual = weeks.reduce((sum, week) => sum + week.actualMinor, 0);
  const error = weeks.reduce((sum, week) => sum + Math.abs(week.forecastMinor - week.actualMinor), 0);
  return { madeOn: made.madeOn, weeks, accuracyPercent: actual > 0 ? share(actual - Math.min(error, actual), actual).percent : null };
}

interface KpiReport {
  cashApplication: { envelope: { byCount: { percent: string | null } }; inputs: { entries: { count: number; amountMinor: number }; autoApplied: { count: number } } };
  months: { creditSalesMinor: number }[];
  dso: { standard: { days: string | null }; countBack: { days: string | null } };
  bpdso: { days: string | null };
  cei: { percent: string | null };
  collections: { promises: { kept: number; broken: number; pending: number }; reminders: { level: string; sent: number }[] };
  orders: { touchless: { percent: string | null } };
}

/**
 * O2C's own KPI report over the run's months (after running its report job), beside the same counts from the
 * simulator's books: entries, auto-applied entries, cash and credit sales must agree exactly.
 */
async function readKpis(api: O2cApi, books: Books, from: string, to: string): Promise<SimulationResult['kpis']> {
  const run = await api.send('admin', 'POST', '/reports/snapshots', {});
  if (run.status !== 200) return null;
  const { status, body } = await api.get<KpiReport>(`/reports/kpis?currency=EUR&from=${from.slice(0, 7)}&to=${to.slice(0, 7)}`);
  if (status !== 200) return null;
  const invoices = [...books.invoices.values()];
  const o2c = {
    entries: body.cashApplication.inputs.entries.count,
    cashMinor: body.cashApplication.inputs.entries.amountMinor,
    autoApplied: body.cashApplication.inputs.autoApplied.count,
    creditSalesMinor: body.months.reduce((sum, month) => sum + month.creditSalesMinor, 0),
  };
  const simulator = {
    entries: books.payments.length,
    cashMinor: books.payments.reduce((sum, payment) => sum + payment.amountMinor, 0),
    autoApplied: books.payments.filter((payment) => payment.outcome === 'auto').length,
    creditSalesMinor: invoices.reduce((sum, invoice) => sum + invoice.payableMinor - invoice.creditedMinor, 0),
  };
  const differences = (Object.keys(o2c) as (keyof typeof o2c)[]).filter((key) => o2c[key] !== simulator[key]).map((key) => `${key}: O2C ${o2c[key]}, the books ${simulator[key]}`);
  return {
    o2c: { ...o2c, dsoStandardDays: body.dso.standard.days, dsoCountBackDays: body.dso.countBack.days, bpdsoDays: body.bpdso.days, ceiPercent: body.cei.percent, envelopeMatchPercent: body.cashApplication.envelope.byCount.percent, touchlessPercent: body.orders.touchless.percent, promises: body.collections.promises, remindersByLevel: body.collections.reminders.map(({ level, sent }) => ({ level, sent })) },
    simulator,
    differences,
  };
}
