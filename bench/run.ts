/**
 * `npm run bench`: bundle size and cold-start init of every function, cash application at 10k and 100k entries,
 * the read capacity of the reports at two ledger sizes, and a long `o2c simulate --chaos` run with its AWS bill,
 * measured on this machine.
 *
 * Each function is bundled with the settings CDK uses (`FUNCTION_BUNDLING`), then imported in fresh Node
 * processes with a Lambda-like environment; the init time is what a cold start adds before the first event.
 * Numbers are printed, never asserted: they vary with the machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { functionBundling } from '../infra/bundling.ts';
import { repoRoot } from '#shared/state-machine-definitions';
import { buckets, functions, queues, secrets, stateMachines, table } from '#shared/topology';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const outDir = join(repoRoot, '.o2c', 'bench');

/** What CDK gives a function, with made-up AWS names (nothing is called: only the init is measured). */
const lambdaLikeEnv: NodeJS.ProcessEnv = {
  ...process.env,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  [table.envVar]: 'o2c-bench',
  ...Object.fromEntries(Object.values(queues).map((queue) => [queue.envVar, `https://sqs.us-east-1.amazonaws.com/000000000000/${queue.localName}`])),
  ...Object.fromEntries(Object.values(stateMachines).map((machine) => [machine.envVar, `arn:aws:states:us-east-1:000000000000:stateMachine:${machine.localName}`])),
  ...Object.fromEntries(Object.values(buckets).map((bucket) => [bucket.envVar, bucket.localName])),
  ...Object.fromEntries(Object.values(secrets).map((secret) => [secret.localEnvVar, 'bench-secret'])),
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function coldStart(bundle: string): { initMs: number; rssMb: number } {
  const probe = `const t0 = performance.now(); await import(${JSON.stringify(pathToFileURL(bundle).href)}); const t1 = performance.now();
process.stdout.write(JSON.stringify({ initMs: t1 - t0, rssMb: process.memoryUsage().rss / 1048576 }));`;
  const output = execFileSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', probe], { env: lambdaLikeEnv, encoding: 'utf8' });
  return JSON.parse(output) as { initMs: number; rssMb: number };
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const rows: string[][] = [];
for (const spec of Object.values(functions)) {
  const outfile = join(outDir, spec.dir, 'index.mjs');
  await build({ ...functionBundling, entryPoints: [join(repoRoot, 'functions', spec.dir, 'handler.ts')], outfile, logLevel: 'error' });
  const code = readFileSync(outfile);
  const samples = Array.from({ length: RUNS }, () => coldStart(outfile));
  rows.push([
    spec.dir,
    `${(code.length / 1024).toFixed(0)} KiB`,
    `${(gzipSync(code).length / 1024).toFixed(0)} KiB`,
    `${median(samples.map((sample) => sample.initMs)).toFixed(0)} ms`,
    `${median(samples.map((sample) => sample.rssMb)).toFixed(0)} MiB`,
    `${spec.memoryMb} MB`,
  ]);
}

const header = ['function', 'bundle', 'gzipped', `init (median of ${RUNS})`, 'RSS after init', 'configured'];
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
process.stdout.write(`Node ${process.version}, ${process.arch}; bundles in ${outDir}\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}\n${rows.map(line).join('\n')}\n`);

// Cash application: parse and match time and memory at 10k and 100k entries against as many open invoices.
if (process.env.BENCH_SKIP_CASH !== 'true') {
  const { benchCashApplication } = await import('./cash-application.ts');
  process.stdout.write(`\nCash application (each step in a fresh process)\n${await benchCashApplication()}\n`);
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

// o2c simulate: the long seeded chaos run (issue 14), its invariants, and the AWS bill per 1,000 orders from its meter.
if (process.env.BENCH_SKIP_SIMULATE !== 'true') {
  const { simulate } = await import('../local/simulate/simulate.ts');
  const { renderSummary } = await import('../local/simulate/summary.ts');
  const days = Number(process.env.O2C_BENCH_SIMULATE_DAYS ?? 30);
  const ordersPerDay = Number(process.env.O2C_BENCH_SIMULATE_ORDERS ?? 20);
  const result = await simulate({ days, ordersPerDay, customers: 40, seed: 7, chaos: true, progress: (line) => process.stderr.write(`[simulate] ${line}\n`) });
  process.stdout.write(`\no2c simulate --days ${days} --orders-per-day ${ordersPerDay} --customers 40 --seed 7 --chaos\n${renderSummary(result)}`);
  process.stdout.write(`goal ≤ $0.20 per 1,000 orders (issue 16): ${result.cost ? `$${result.cost.perThousandOrdersUsd}, ${result.cost.perThousandOrdersUsd <= 0.2 ? 'met' : 'not yet'}` : 'no meter'}\n`);
}
