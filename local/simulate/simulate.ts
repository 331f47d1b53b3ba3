/**
 * `o2c simulate`: a synthetic business in fast-forward through the real pipeline (the same handlers, ASL and local
 * engines as `npm start`), proven against the simulator's own books at the end.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { O2cApi } from './api-client.ts';
import { createBusiness } from './business.ts';
import { newBooks, runDay, type Books } from './driver.ts';
import { checkInvariants, type InvariantReport } from './invariants.ts';
import { exited, freePorts, killRuntimeProcess, startRuntimeProcess } from './runtime-process.ts';

export interface SimulateOptions {
  days: number;
  ordersPerDay: number;
  customers: number;
  seed: number;
  /** Drive a running O2C instead of starting one. */
  url?: string | undefined;
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
  invariants: InvariantReport['invariants'];
  failed: string[];
  details: InvariantReport['details'];
  orders: { sent: number; accepted: number; refused: number; byStatus: Record<string, number>; creditReviews: Books['reviews'] };
  invoices: { issued: number; payableMinor: number };
  cash: { entries: number; amountMinor: number; autoApplied: number; exceptions: number; resolvedByClerk: number; waiting: number };
  kpis: { o2c: unknown; simulator: { entries: number; autoApplied: number; creditSalesMinor: number } } | null;
  chaos: { enabled: false };
}

function countBy<T>(items: Iterable<T>, key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

export async function simulate(options: SimulateOptions): Promise<SimulationResult> {
  const started = Date.now();
  const say = options.progress ?? (() => undefined);
  let runtime: { child: ChildProcess; dataDir: string } | undefined;
  let baseUrl = options.url;
  if (!baseUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'o2c-simulate-'));
    const ports = await freePorts();
    say(`starting an embedded runtime on port ${ports.api} (data in ${dataDir})`);
    const process = startRuntimeProcess({ dataDir, ports });
    runtime = { child: process.child, dataDir };
    await process.ready;
    baseUrl = `http://127.0.0.1:${ports.api}`;
  }
  try {
    const api = new O2cApi(baseUrl);
    const business = createBusiness({ seed: options.seed, customers: options.customers, ordersPerDay: options.ordersPerDay });
    const books = newBooks();
    const from = await api.businessDate();
    let to = from;
    for (let day = 0; day < options.days; day++) {
      const report = await runDay(api, business, books, day, { clerkCapacity: options.clerkCapacity ?? 20 });
      to = report.date;
      say(`day ${day + 1}/${options.days} ${report.date}: ${books.orders.size} orders, ${report.invoices} invoices, ${books.payments.length} payments (${(report.cashMinor / 100).toFixed(2)} EUR today)`);
      await api.advanceDays(1);
    }

    const { invariants, failed, details } = await checkInvariants(api, books, { freshLedger: runtime !== undefined });
    const kpis = await readKpis(api, books, from, to);
    const orders = [...books.orders.values()];
    const payments = books.payments;
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
      orders: { sent: orders.length, accepted: orders.filter((order) => order.answer === 202).length, refused: orders.filter((order) => order.answer !== 202).length, byStatus: countBy(orders, (order) => order.status ?? 'UNKNOWN'), creditReviews: books.reviews },
      invoices: { issued: books.invoices.size, payableMinor: [...books.invoices.values()].reduce((sum, invoice) => sum + invoice.payableMinor, 0) },
      cash: {
        entries: payments.length,
        amountMinor: payments.reduce((sum, payment) => sum + payment.amountMinor, 0),
        autoApplied: payments.filter((payment) => payment.outcome === 'auto').length,
        exceptions: payments.filter((payment) => payment.outcome !== 'auto').length,
        resolvedByClerk: books.clerk.resolved,
        waiting: books.clerk.left,
      },
      kpis,
      chaos: { enabled: false },
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

/** O2C's own KPI report over the run's months, beside the same counts from the simulator's books. */
async function readKpis(api: O2cApi, books: Books, from: string, to: string): Promise<SimulationResult['kpis']> {
  const run = await api.send('admin', 'POST', '/reports/snapshots', {});
  if (run.status !== 200) return null;
  const { body } = await api.get<{ cashApplication: { inputs: { entries: { count: number }; autoApplied: { count: number } } }; months: { creditSalesMinor: number }[] }>(`/reports/kpis?currency=EUR&from=${from.slice(0, 7)}&to=${to.slice(0, 7)}`);
  return {
    o2c: body,
    simulator: {
      entries: books.payments.length,
      autoApplied: books.payments.filter((payment) => payment.outcome === 'auto').length,
      creditSalesMinor: [...books.invoices.values()].reduce((sum, invoice) => sum + invoice.payableMinor, 0),
    },
  };
}
