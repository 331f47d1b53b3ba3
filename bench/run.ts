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

// o2c simulate: the default business, exactly as `npx o2c simulate` runs it (issue 16's cost goal is measured on it),
// its invariants, and the AWS bill per 1,000 orders from its meter. About 27 minutes on 2 cores.
// O2C_BENCH_SIMULATE_DAYS / _ORDERS / _SEED and O2C_BENCH_SIMULATE_CHAOS=true run another business, e.g. the 30-day
// chaos run the README also reports (30, 20, 7, chaos: about 11 minutes).
if (process.env.BENCH_SKIP_SIMULATE !== 'true') {
  const { simulate, DEFAULT_BUSINESS } = await import('../local/simulate/simulate.ts');
  const { renderSummary } = await import('../local/simulate/summary.ts');
  const days = Number(process.env.O2C_BENCH_SIMULATE_DAYS ?? DEFAULT_BUSINESS.days);
  const ordersPerDay = Number(process.env.O2C_BENCH_SIMULATE_ORDERS ?? DEFAULT_BUSINESS.ordersPerDay);
  const seed = Number(process.env.O2C_BENCH_SIMULATE_SEED ?? DEFAULT_BUSINESS.seed);
  const chaos = process.env.O2C_BENCH_SIMULATE_CHAOS === 'true';
  const { customers } = DEFAULT_BUSINESS;
  const result = await simulate({ days, ordersPerDay, customers, seed, chaos, progress: (line) => process.stderr.write(`[simulate] ${line}\n`) });
  process.stdout.write(`\no2c simulate --days ${days} --orders-per-day ${ordersPerDay} --customers ${customers} --seed ${seed}${chaos ? ' --chaos' : ''}\n${renderSummary(result)}`);
  process.stdout.write(`goal ≤ $0.20 per 1,000 orders (issue 16): ${result.cost ? `$${result.cost.perThousandOrdersUsd}, ${result.cost.perThousandOrdersUsd <= 0.2 ? 'met' : 'not yet'}` : 'no meter'}\n`);
}
