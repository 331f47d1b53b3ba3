/**
 * `npm run bench`: bundle size and cold-start import of every function against the bare DynamoDB client, cash
 * application at 10k and 100k entries, the read capacity of the reports at two ledger sizes, and a long
 * `o2c simulate --chaos` run with its AWS bill, measured on this machine.
 *
 * The bundles (`./bundles.ts`): each function is bundled with the settings CDK uses (`functionBundling`), with its
 * esbuild metafile analysis in `.o2c/bench/<function>/meta.txt`, then imported in fresh Node processes with a
 * Lambda-like environment, alternately with the baseline. Numbers are printed, never asserted: they vary with the machine.
 */
import { benchBundles } from './bundles.ts';

process.stdout.write(`${(await benchBundles()).text}\n`);

// Cash application: parse and match time and memory at 10k and 100k entries against as many open invoices.
if (process.env.BENCH_SKIP_CASH !== 'true') {
  const { benchCashApplication } = await import('./cash-application.ts');
  process.stdout.write(`\nCash application (each step in a fresh process)\n${await benchCashApplication()}\n`);
}

// Cash application's reads per bank file at two ledger sizes: they follow the file's entries, not the ledger.
if (process.env.BENCH_SKIP_RECONCILE_READS !== 'true') {
  const { benchReconcileReads } = await import('./reconcile-reads.ts');
  process.stdout.write(`\n${await benchReconcileReads()}\n`);
}

// Reports: the read capacity of the KPI, forecast and ageing reports, and of the daily job, at two ledger sizes.
if (process.env.BENCH_SKIP_REPORTS !== 'true') {
  const { benchReportReads } = await import('./report-reads.ts');
  process.stdout.write(`\n${(await benchReportReads()).text}\n`);
}

// Invoice numbering: invoices per second through the single FIFO message group, and the AWS projection.
if (process.env.BENCH_SKIP_INVOICES !== 'true') {
  const { benchInvoiceThroughput } = await import('./invoice-throughput.ts');
  process.stdout.write(`\n${await benchInvoiceThroughput()}\n`);
}

// o2c simulate: the default business (issue 16's cost goal is measured on it) under chaos, its invariants, and the AWS
// bill per 1,000 orders from its meter. About 80 minutes on 2 cores; O2C_BENCH_SIMULATE_DAYS=30 and
// O2C_BENCH_SIMULATE_ORDERS=20 give the shorter run the README also reports (about 11 minutes).
if (process.env.BENCH_SKIP_SIMULATE !== 'true') {
  const { simulate, DEFAULT_BUSINESS } = await import('../local/simulate/simulate.ts');
  const { renderSummary } = await import('../local/simulate/summary.ts');
  const days = Number(process.env.O2C_BENCH_SIMULATE_DAYS ?? DEFAULT_BUSINESS.days);
  const ordersPerDay = Number(process.env.O2C_BENCH_SIMULATE_ORDERS ?? DEFAULT_BUSINESS.ordersPerDay);
  const { customers } = DEFAULT_BUSINESS;
  const result = await simulate({ days, ordersPerDay, customers, seed: 7, chaos: true, progress: (line) => process.stderr.write(`[simulate] ${line}\n`) });
  process.stdout.write(`\no2c simulate --days ${days} --orders-per-day ${ordersPerDay} --customers ${customers} --seed 7 --chaos\n${renderSummary(result)}`);
  process.stdout.write(`goal ≤ $0.20 per 1,000 orders (issue 16): ${result.cost ? `$${result.cost.perThousandOrdersUsd}, ${result.cost.perThousandOrdersUsd <= 0.2 ? 'met' : 'not yet'}` : 'no meter'}\n`);
}
