/**
 * Function bundles and cold-start import (issue 16: "cheap per order and quick to start"). Goals: every function
 * bundle ≤ 600 KiB, and its import ≤ 1.5× the import of a bundle of the bare DynamoDB client (`@aws-sdk/client-dynamodb`'s
 * `DynamoDBClient`, no document client) built with the same settings in the same run.
 *
 * Each function is bundled with the settings CDK uses (`functionBundling`), with esbuild's metafile: its analysis is
 * written to `.o2c/bench/<function>/meta.txt` and the JSON beside it (`meta.json`), and the three largest inputs are
 * printed. Then the baseline and the function are imported alternately, each in a fresh Node process with a
 * Lambda-like environment (`--enable-source-maps`, as CDK sets it), `BENCH_RUNS` times each; the ratio is the
 * function's median over the baseline's median from the same interleaved runs, so a busy machine slows both alike.
 *
 * `npx tsx bench/bundles.ts` runs it alone; `BENCH_FUNCTIONS=get-order,issue-invoices` measures only those folders.
 * Numbers are printed, never asserted: they vary with the machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { analyzeMetafile, build, type Metafile } from 'esbuild';
import { functionBundling } from '../infra/bundling.ts';
import { repoRoot } from '#shared/state-machine-definitions';
import { buckets, deadLetterQueues, functions, queues, secrets, stateMachines, table } from '#shared/topology';

/** The issue's goals. */
export const BUNDLE_GOAL_KIB = 600;
export const IMPORT_RATIO_GOAL = 1.5;

/** The baseline: the bare DynamoDB client, one line, bundled and imported exactly as a function is. */
const BASELINE_NAME = 'baseline-dynamodb-client';
const BASELINE_SOURCE = "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const client = new DynamoDBClient({});\n";

const outDir = join(repoRoot, '.o2c', 'bench');

/** What CDK gives a function, with made-up AWS names (nothing is called: only the import is measured). */
const lambdaLikeEnv: NodeJS.ProcessEnv = {
  ...process.env,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  [table.envVar]: 'o2c-bench',
  ...Object.fromEntries(Object.values(queues).map((queue) => [queue.envVar, `https://sqs.us-east-1.amazonaws.com/000000000000/${queue.localName}`])),
  ...Object.fromEntries(deadLetterQueues.map((queue) => [queue.envVar, `https://sqs.us-east-1.amazonaws.com/000000000000/${queue.localName}`])),
  ...Object.fromEntries(Object.values(stateMachines).map((machine) => [machine.envVar, `arn:aws:states:us-east-1:000000000000:stateMachine:${machine.localName}`])),
  ...Object.fromEntries(Object.values(buckets).map((bucket) => [bucket.envVar, bucket.localName])),
  ...Object.fromEntries(Object.values(secrets).map((secret) => [secret.localEnvVar, 'bench-secret'])),
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kib = (bytes: number) => bytes / 1024;

interface Sample {
  importMs: number;
  /** CPU time (user + system) the import took: steadier than the wall clock when the machine is shared. */
  cpuMs: number;
  rssMb: number;
}

/** One cold start: a fresh process imports the bundle; the time is what the module graph's evaluation costs. */
function coldStart(bundle: string): Sample {
  const probe = `const c0 = process.cpuUsage(); const t0 = performance.now(); await import(${JSON.stringify(pathToFileURL(bundle).href)});
const t1 = performance.now(); const cpu = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({ importMs: t1 - t0, cpuMs: (cpu.user + cpu.system) / 1000, rssMb: process.memoryUsage().rss / 1048576 }));`;
  const output = execFileSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', probe], { env: lambdaLikeEnv, encoding: 'utf8' });
  return JSON.parse(output) as Sample;
}

interface BuiltBundle {
  outfile: string;
  bytes: number;
  gzipBytes: number;
  metafile: Metafile;
}

/** Bundles one entry with `functionBundling` and keeps its metafile (JSON and analysis) beside the bundle. */
async function bundle(name: string, entry: { path: string } | { contents: string }): Promise<BuiltBundle> {
  const dir = join(outDir, name);
  const outfile = join(dir, 'index.mjs');
  const input = 'path' in entry ? { entryPoints: [entry.path] } : { stdin: { contents: entry.contents, resolveDir: repoRoot, loader: 'ts' as const, sourcefile: `${name}.ts` } };
  const result = await build({ ...functionBundling, ...input, outfile, metafile: true, logLevel: 'error' });
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(result.metafile));
  writeFileSync(join(dir, 'meta.txt'), await analyzeMetafile(result.metafile, { verbose: false }));
  const code = readFileSync(outfile);
  return { outfile, bytes: code.length, gzipBytes: gzipSync(code).length, metafile: result.metafile };
}

/** The largest inputs of a bundle by the bytes they contribute to it, paths shortened to their package or file. */
export function largestInputs(metafile: Metafile, count: number): { input: string; bytes: number }[] {
  const output = Object.values(metafile.outputs).find((candidate) => candidate.entryPoint !== undefined || Object.keys(candidate.inputs).length > 0);
  if (!output) return [];
  return Object.entries(output.inputs)
    .map(([input, { bytesInOutput }]) => ({ input: input.replace(/^.*node_modules\//, ''), bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}

export interface BundleRow {
  name: string;
  bytes: number;
  gzipBytes: number;
  importMs: number;
  baselineMs: number;
  ratio: number;
  cpuMs: number;
  baselineCpuMs: number;
  cpuRatio: number;
  rssMb: number;
  configuredMb: number;
  largest: { input: string; bytes: number }[];
  meta: string;
}

/** Measures every function (or those in `BENCH_FUNCTIONS`) against the baseline; returns the printed text and the rows. */
export async function benchBundles(runs = Number(process.env.BENCH_RUNS ?? 7)): Promise<{ text: string; rows: BundleRow[]; baseline: { bytes: number; gzipBytes: number; importMs: number } }> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const only = process.env.BENCH_FUNCTIONS?.split(',').map((name) => name.trim()).filter(Boolean);
  const specs = Object.values(functions).filter((spec) => !only || only.includes(spec.dir));

  const baseline = await bundle(BASELINE_NAME, { contents: BASELINE_SOURCE });
  const allBaselineMs: number[] = [];
  const allBaselineCpuMs: number[] = [];
  const rows: BundleRow[] = [];
  for (const spec of specs) {
    const built = await bundle(spec.dir, { path: join(repoRoot, 'functions', spec.dir, 'handler.ts') });
    const samples: Sample[] = [];
    const baselineSamples: Sample[] = [];
    for (let run = 0; run < runs; run++) {
      baselineSamples.push(coldStart(baseline.outfile));
      samples.push(coldStart(built.outfile));
    }
    const baselineMs = baselineSamples.map((sample) => sample.importMs);
    const baselineCpuMs = median(baselineSamples.map((sample) => sample.cpuMs));
    allBaselineMs.push(...baselineMs);
    allBaselineCpuMs.push(...baselineSamples.map((sample) => sample.cpuMs));
    const importMs = median(samples.map((sample) => sample.importMs));
    const cpuMs = median(samples.map((sample) => sample.cpuMs));
    rows.push({
      name: spec.dir,
      bytes: built.bytes,
      gzipBytes: built.gzipBytes,
      importMs,
      baselineMs: median(baselineMs),
      ratio: importMs / median(baselineMs),
      cpuMs,
      baselineCpuMs,
      cpuRatio: cpuMs / baselineCpuMs,
      rssMb: median(samples.map((sample) => sample.rssMb)),
      configuredMb: spec.memoryMb,
      largest: largestInputs(built.metafile, 3),
      meta: relative(repoRoot, join(outDir, spec.dir, 'meta.txt')),
    });
    process.stderr.write(`[bundles] ${spec.dir}\n`);
  }

  const baselineMedian = median(allBaselineMs);
  const header = ['function', 'bundle', 'gzipped', `≤ ${BUNDLE_GOAL_KIB} KiB`, `import (median of ${runs})`, 'baseline', 'ratio', `≤ ${IMPORT_RATIO_GOAL}×`, 'CPU', 'baseline CPU', 'CPU ratio', 'RSS', 'configured'];
  const cells = rows.map((row) => [
    row.name,
    `${kib(row.bytes).toFixed(0)} KiB`,
    `${kib(row.gzipBytes).toFixed(0)} KiB`,
    kib(row.bytes) <= BUNDLE_GOAL_KIB ? 'met' : 'NOT MET',
    `${row.importMs.toFixed(1)} ms`,
    `${row.baselineMs.toFixed(1)} ms`,
    `${row.ratio.toFixed(2)}×`,
    row.ratio <= IMPORT_RATIO_GOAL ? 'met' : 'NOT MET',
    `${row.cpuMs.toFixed(1)} ms`,
    `${row.baselineCpuMs.toFixed(1)} ms`,
    `${row.cpuRatio.toFixed(2)}×`,
    `${row.rssMb.toFixed(0)} MiB`,
    `${row.configuredMb} MB`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((row) => row[column]!.length)));
  const line = (values: string[]) => values.map((value, column) => value.padEnd(widths[column]!)).join('  ').trimEnd();
  const largest = rows.map((row) => `${row.name}: ${row.meta}; ${row.largest.map((input) => `${input.input} ${kib(input.bytes).toFixed(0)} KiB`).join(', ')}`);
  const bundlesMet = rows.filter((row) => kib(row.bytes) <= BUNDLE_GOAL_KIB).length;
  const ratiosMet = rows.filter((row) => row.ratio <= IMPORT_RATIO_GOAL).length;
  const cpuRatiosMet = rows.filter((row) => row.cpuRatio <= IMPORT_RATIO_GOAL).length;
  const text = [
    `Node ${process.version}, ${process.arch}; bundles in ${relative(repoRoot, outDir)}`,
    `baseline (bare DynamoDB client: import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; new DynamoDBClient({})): ` +
      `${kib(baseline.bytes).toFixed(0)} KiB, ${kib(baseline.gzipBytes).toFixed(0)} KiB gzipped, import ${baselineMedian.toFixed(1)} ms, ${median(allBaselineCpuMs).toFixed(1)} ms CPU (medians of ${allBaselineMs.length}, interleaved with the functions)`,
    'import: wall-clock time of `await import(bundle)` in a fresh process, judged against the goal; CPU: the CPU time it took (user + system), for a shared machine',
    line(header),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...cells.map(line),
    '',
    'Largest inputs (esbuild metafile; full analysis in each meta.txt, JSON in meta.json beside it)',
    ...largest,
    '',
    `bundles: ${bundlesMet} of ${rows.length} ≤ ${BUNDLE_GOAL_KIB} KiB; import ratio: ${ratiosMet} of ${rows.length} ≤ ${IMPORT_RATIO_GOAL}× (CPU ratio: ${cpuRatiosMet} of ${rows.length})`,
  ].join('\n');
  return { text, rows, baseline: { bytes: baseline.bytes, gzipBytes: baseline.gzipBytes, importMs: baselineMedian } };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.stdout.write(`${(await benchBundles()).text}\n`);
