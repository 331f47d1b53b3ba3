/**
 * Invoice numbering throughput through the single FIFO message group (issue 16, "Throughput noted").
 *
 * On the real local engines (the embedded runtime, started in a process of its own exactly as the integration tests
 * start it: fresh data, free ports) and through the real path: `O2C_BENCH_INVOICES` orders (default 500) come in
 * through the signed order webhook and the order workflow until each is `AWAITING_SHIPMENT` (set-up, not measured);
 * then the burst: one signed `POST /shipments` per order, `O2C_BENCH_SHIPMENT_CONCURRENCY` (default 50) at a time,
 * each recorded with its invoicing-outbox mark and relayed to `o2c-invoicing.fifo` (one message group) by
 * `confirm-shipment`; the event source mapping hands batches to `issue-invoices`, which numbers them.
 *
 * What is read, not guessed:
 * - each `issue-invoices` batch as the event source mapping delivers it (records, start, end), and each record's SQS
 *   `SentTimestamp`: the enqueue instant (timed around the runtime's `LocalLambdas.invoke`, where the meter times it);
 * - the DynamoDB, SQS and Step Functions requests `issue-invoices` made, by operation, and the write units they
 *   consumed (the meter's sink, `ReturnConsumedCapacity`), and the snapshot `GET /_local/meter` answers;
 * - the invoices themselves (`GET /invoices`): all N issued, numbers 1..N with no gap and no duplicate.
 * The AWS projection printed last multiplies the measured requests per invoice by latencies that are assumptions
 * (`AWS_ASSUMED_MS`), stated in the output.
 *
 * `npx tsx bench/invoice-throughput.ts` runs it alone (about 5 minutes for 500 on 2 cores, half of it the set-up);
 * `benchInvoiceThroughput()` returns the text for `bench/run.ts`. Speed is printed, never asserted: it varies with
 * the machine, and locally every engine (DynamoDB Local's JVM, fauxqs, the Step Functions runner rendering each
 * invoice's PDF and UBL, the HTTP API taking the shipments) shares the same cores as the numbering.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { MeteredCall } from '#adapters/metering';
import { repoRoot } from '#shared/state-machine-definitions';
import { consumers, functions, queues } from '#shared/topology';
import { O2cApi } from '../local/simulate/api-client.ts';
import { currentFunction } from '../local/lambda-runtime.ts';
import { MeterSnapshot } from '../local/meter-snapshot.ts';
import { startRuntime } from '../local/runtime.ts';

const thisFile = fileURLToPath(import.meta.url);
const progress = (message: string) => process.stderr.write(`[invoice-throughput ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

const SKU = 'BENCH-1';
const ORDERS_PER_CUSTOMER = 10;

interface Batch {
  startedAt: number;
  endedAt: number;
  records: number;
  failed: number;
  sentAt: number[];
}

/** What the child process measures, as JSON on its last stdout line. */
interface Measurement {
  invoices: number;
  shipmentConcurrency: number;
  setupSeconds: number;
  shipmentsAnsweredMs: number;
  firstEnqueue: number;
  lastEnqueue: number;
  lastNumbered: number;
  batches: Batch[];
  numbers: { count: number; distinct: number; min: number; max: number; consecutive: boolean };
  /** issue-invoices' AWS requests by `service:operation`, and the DynamoDB units they consumed. */
  calls: Record<string, number>;
  transactionItems: number[];
  issueInvoices: { invocations: number; billedMs: number; readUnits: number; writeUnits: number };
  confirmShipment: { invocations: number; readUnits: number; writeUnits: number };
  dynamodb: { writeUnits: number; readUnits: number; estimatedFailedWriteUnits: number };
  invoicingQueue: { billedRequests: number; byOperation: Record<string, number> };
  billingExecutionsStarted: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Child: the runtime in process, the set-up, the burst
// ---------------------------------------------------------------------------------------------------------------

/** Runs `work` over `items`, `concurrency` at a time. */
async function pool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

/** Every item of a paginated list. */
async function listAll<T>(api: O2cApi, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<{ items: T[]; cursor?: string | null }>(`${path}${path.includes('?') ? '&' : '?'}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, 'admin');
    if (page.status !== 200) throw new Error(`GET ${path} answered ${page.status}`);
    items.push(...page.body.items);
    cursor = page.body.cursor ?? undefined;
  } while (cursor);
  return items;
}

async function measureInChild(): Promise<Measurement> {
  const count = Number(process.env.O2C_BENCH_INVOICES ?? 500);
  const shipmentConcurrency = Number(process.env.O2C_BENCH_SHIPMENT_CONCURRENCY ?? 50);
  const dataDir = mkdtempSync(join(tmpdir(), 'o2c-bench-invoices-'));
  const setupStarted = Date.now();
  progress(`starting the embedded runtime (data in ${dataDir})`);
  // As the integration tests start it, at the log level deployed on AWS (INFO), the lines counted but not printed.
  const runtime = await startRuntime({ dataDir, fresh: true, ports: { api: 0, dynamodb: 0, sqs: 0, s3: 0, ses: 0, stepfunctions: 0 }, logLevel: 'INFO', quietFunctionLogs: true });
  try {
    const api = new O2cApi(runtime.url);

    // Set-up: stock, then the orders through the webhook and the order workflow, until all wait for shipment.
    const product = await api.send('admin', 'PUT', `/products/${SKU}`, { name: 'Bench widget', priceMinor: 1999, currency: 'EUR', onHand: count });
    if (product.status !== 200) throw new Error(`PUT /products/${SKU} answered ${product.status}`);
    const orderedAt = new Date().toISOString();
    const externalIds = Array.from({ length: count }, (_, index) => `BENCH-${index + 1}`);
    progress(`posting ${count} orders`);
    await pool(externalIds, 10, async (externalId, index) => {
      const customer = Math.floor(index / ORDERS_PER_CUSTOMER) + 1;
      const status = await api.signed('/webhooks/orders', {
        externalId,
        orderedAt,
        currency: 'EUR',
        customer: { externalId: `BENCH-C-${customer}`, name: `Bench Customer ${customer} GmbH`, email: `ap${customer}@bench.example`, country: 'DE' },
        lines: [{ sku: SKU, description: 'Bench widget', quantity: 1, unitPriceMinor: 1999, taxRatePercent: 19 }],
        shippingMinor: 0,
      });
      if (status !== 202) throw new Error(`order ${externalId} answered ${status}`);
    });
    let waiting: { id: string }[] = [];
    for (let round = 0; round < 120; round++) {
      await runtime.settle();
      waiting = await listAll<{ id: string }>(api, '/orders?status=AWAITING_SHIPMENT');
      progress(`${waiting.length}/${count} orders awaiting shipment`);
      if (waiting.length >= count) break;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    if (waiting.length !== count) throw new Error(`only ${waiting.length} of ${count} orders reached AWAITING_SHIPMENT`);
    const setupSeconds = (Date.now() - setupStarted) / 1000;

    // Instruments: the event source mapping's invocations of issue-invoices, and the AWS requests it makes.
    const batches: Batch[] = [];
    const lambdas = runtime.lambdas;
    const invoke = lambdas.invoke.bind(lambdas);
    lambdas.invoke = async (key, event, trigger) => {
      if (key !== 'issueInvoices' || trigger !== 'sqs') return invoke(key, event, trigger);
      const records = (event as SQSEvent).Records;
      const startedAt = Date.now();
      let failed = records.length;
      try {
        const response = (await invoke(key, event, trigger)) as SQSBatchResponse | undefined;
        failed = response?.batchItemFailures.length ?? 0;
        return response;
      } finally {
        batches.push({ startedAt, endedAt: Date.now(), records: records.length, failed, sentAt: records.map((record) => Number(record.attributes.SentTimestamp)) });
      }
    };
    const calls: Record<string, number> = {};
    const transactionItems: number[] = [];
    const meter = runtime.meter;
    const meterCall = meter.call.bind(meter);
    meter.call = (call: MeteredCall, origin) => {
      if (currentFunction() === 'issueInvoices') {
        const name = `${call.service}:${call.operation}`;
        calls[name] = (calls[name] ?? 0) + 1;
        if (call.service === 'dynamodb' && /^TransactWrite/.test(call.operation)) transactionItems.push((call.input.TransactItems as unknown[] | undefined)?.length ?? 0);
      }
      meterCall(call, origin);
    };

    // The burst: every order's shipment confirmed, as a carrier's or 3PL's system would send them.
    const reset = await fetch(`${runtime.url}/_local/meter/reset`, { method: 'POST' });
    await reset.arrayBuffer();
    progress(`burst: ${count} shipments confirmed, ${shipmentConcurrency} at a time`);
    const burstStarted = Date.now();
    const shippedAt = new Date().toISOString();
    await pool(waiting, shipmentConcurrency, async (order, index) => {
      const status = await api.signed('/shipments', { orderId: order.id, carrier: 'BENCH', trackingNumber: `T${index + 1}`, shippedAt });
      if (status !== 201) throw new Error(`shipment of ${order.id} answered ${status}`);
    });
    const shipmentsAnsweredMs = Date.now() - burstStarted;
    progress(`shipments answered in ${(shipmentsAnsweredMs / 1000).toFixed(1)} s; waiting for the last invoice number`);
    const deadline = Date.now() + 30 * 60_000;
    const numbered = () => batches.reduce((sum, batch) => sum + batch.records - batch.failed, 0);
    while (numbered() < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    if (numbered() < count) throw new Error(`only ${numbered()} of ${count} invoicing requests were processed in 30 minutes`);
    // The meter as the README's "Metering" section reads it, taken once the last invoice is numbered.
    const snapshot = MeterSnapshot.parse(await (await fetch(`${runtime.url}/_local/meter`)).json());
    progress('numbered; checking the numbers and letting the billing workflows finish');

    const invoices = await listAll<{ number: string; orderId: string }>(api, '/invoices?status=OPEN');
    const sequences = invoices.map((invoice) => Number(invoice.number.split('-').at(-1))).sort((a, b) => a - b);
    const distinct = new Set(sequences).size;
    await runtime.settle();

    const sentAll = batches.flatMap((batch) => batch.sentAt).filter((sent) => Number.isFinite(sent) && sent > 0);
    const issue = snapshot.lambda.functions.issueInvoices!;
    const confirm = snapshot.lambda.functions.confirmShipment!;
    const queue = Object.entries(snapshot.sqs.queues).find(([url]) => url.endsWith(queues.invoicing.localName))?.[1];
    return {
      invoices: count,
      shipmentConcurrency,
      setupSeconds,
      shipmentsAnsweredMs,
      firstEnqueue: sentAll.length > 0 ? Math.min(...sentAll) : burstStarted,
      lastEnqueue: sentAll.length > 0 ? Math.max(...sentAll) : burstStarted + shipmentsAnsweredMs,
      lastNumbered: Math.max(...batches.map((batch) => batch.endedAt)),
      batches,
      numbers: { count: sequences.length, distinct, min: sequences[0] ?? 0, max: sequences.at(-1) ?? 0, consecutive: distinct === sequences.length && sequences.at(-1)! - sequences[0]! === sequences.length - 1 },
      calls,
      transactionItems,
      issueInvoices: { invocations: issue.invocations, billedMs: issue.billedMs, readUnits: issue.readUnits, writeUnits: issue.writeUnits },
      confirmShipment: { invocations: confirm.invocations, readUnits: confirm.readUnits, writeUnits: confirm.writeUnits },
      dynamodb: { writeUnits: snapshot.dynamodb.writeUnits, readUnits: snapshot.dynamodb.readUnits, estimatedFailedWriteUnits: snapshot.dynamodb.estimatedFailedWriteUnits },
      invoicingQueue: { billedRequests: queue?.billedRequests ?? 0, byOperation: queue?.byOperation ?? {} },
      billingExecutionsStarted: Object.entries(snapshot.stepFunctions.stateMachines).find(([name]) => /billing/i.test(name))?.[1].executionsStarted ?? 0,
    };
  } finally {
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Parent: run the child, report
// ---------------------------------------------------------------------------------------------------------------

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};
const fixed = (value: number, digits = 1) => value.toFixed(digits);

/**
 * Assumptions, not measurements: in-region AWS latency of each request `issue-invoices` makes (warm, arm64, 512 MB),
 * the CPU of one invoice at 512 MB (about 0.3 vCPU), and the event source mapping's cycle between two batches of a
 * group (DeleteMessageBatch, the next ReceiveMessage, Invoke). The request counts they multiply are measured.
 */
export const AWS_ASSUMED_MS: Record<string, number> = { 'dynamodb:GetItem': 5, 'dynamodb:TransactWriteItems': 25, 'sfn:StartExecution': 30 };
const AWS_ASSUMED_CPU_MS_PER_INVOICE = 10;
const AWS_ASSUMED_CYCLE_MS = 80;

export function renderInvoiceThroughput(m: Measurement): string {
  const consumer = consumers.find((candidate) => candidate.queue === 'invoicing')!;
  const spec = functions[consumer.function];
  const seconds = (m.lastNumbered - m.firstEnqueue) / 1000;
  const durations = m.batches.map((batch) => batch.endedAt - batch.startedAt);
  const sizes = m.batches.map((batch) => batch.records);
  const busyMs = durations.reduce((sum, ms) => sum + ms, 0);
  const records = sizes.reduce((sum, size) => sum + size, 0);
  const waits = m.batches.flatMap((batch) => batch.sentAt.map((sent) => batch.startedAt - sent));
  // Between one batch's end and the next one's start: delete, the next receive, the invocation (the mapping's cycle).
  const gaps = m.batches.slice(1).map((batch, index) => batch.startedAt - m.batches[index]!.endedAt);
  const afterLastEnqueue = m.batches.filter((batch) => batch.startedAt >= m.lastEnqueue);
  const drainInvoices = afterLastEnqueue.reduce((sum, batch) => sum + batch.records, 0);
  const drainSeconds = afterLastEnqueue.length > 0 ? (m.lastNumbered - Math.min(...afterLastEnqueue.map((batch) => batch.startedAt))) / 1000 : 0;
  const perInvoice = (value: number) => fixed(value / m.invoices, 2);
  const callsPerInvoice = Object.entries(m.calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, calls]) => `${name} ${perInvoice(calls)}`)
    .join(', ');
  const rows: [string, string][] = [
    ['invoices numbered', `${m.invoices} (numbers ${m.numbers.min}..${m.numbers.max}, ${m.numbers.distinct} distinct, no gap: ${m.numbers.consecutive ? 'yes' : 'NO'})`],
    ['first enqueue → last invoice numbered', `${fixed(seconds)} s`],
    ['invoices/s through the one message group', fixed(m.invoices / seconds)],
    ['shipments: all 201 after', `${fixed(m.shipmentsAnsweredMs / 1000)} s (${m.shipmentConcurrency} at a time); enqueues spread over ${fixed((m.lastEnqueue - m.firstEnqueue) / 1000)} s`],
    ['backlog drain after the last enqueue', drainInvoices > 0 ? `${drainInvoices} invoices in ${fixed(drainSeconds)} s = ${fixed(drainInvoices / Math.max(drainSeconds, 0.001))} /s` : 'none (numbering kept up with the enqueues)'],
    ['batch size (configured / delivered)', `${consumer.batchSize} / median ${percentile(sizes, 50)}, mean ${fixed(records / m.batches.length)} over ${m.batches.length} batches${m.batches.some((batch) => batch.failed > 0) ? `, ${m.batches.reduce((sum, batch) => sum + batch.failed, 0)} records reported failed and retried` : ''}`],
    ['per-batch ms (issue-invoices invocation)', `median ${percentile(durations, 50)}, p95 ${percentile(durations, 95)}, max ${Math.max(...durations)}; mean per invoice ${fixed(busyMs / records)} ms`],
    ['between batches ms (delete, receive, invoke)', gaps.length > 0 ? `median ${percentile(gaps, 50)}, p95 ${percentile(gaps, 95)}` : '-'],
    ['consumer busy', `${fixed((100 * busyMs) / (m.lastNumbered - m.firstEnqueue), 0)} % of the window; ${fixed((1000 * records) / busyMs)} invoices/s while busy`],
    ['queue wait (enqueue → batch start)', `median ${fixed(percentile(waits, 50) / 1000)} s, p95 ${fixed(percentile(waits, 95) / 1000)} s, max ${fixed(Math.max(...waits) / 1000)} s`],
    ['issue-invoices requests per invoice', callsPerInvoice],
    ['DynamoDB per invoice (issue-invoices)', `${perInvoice(m.issueInvoices.writeUnits)} WCU, ${perInvoice(m.issueInvoices.readUnits)} RCU; one TransactWriteItems of ${percentile(m.transactionItems, 50)} items (median) taking the number`],
    ['DynamoDB per shipment (confirm-shipment)', `${perInvoice(m.confirmShipment.writeUnits)} WCU, ${perInvoice(m.confirmShipment.readUnits)} RCU`],
    ['DynamoDB, the whole run (meter)', `${fixed(m.dynamodb.writeUnits, 0)} WCU (${perInvoice(m.dynamodb.writeUnits)} per invoice, billing workflows so far included), refused writes ≈ ${fixed(m.dynamodb.estimatedFailedWriteUnits, 0)} WCU`],
    ['counter item', `${perInvoice(m.transactionItems.length)} conditional update per invoice (inside its TransactWriteItems: 2 WCU), not one per batch`],
    ['invoicing queue requests (meter)', `${Object.entries(m.invoicingQueue.byOperation).map(([operation, calls]) => `${operation} ${calls}`).join(', ')}`],
    ['billing workflows started', String(m.billingExecutionsStarted)],
    ['issue-invoices', `${spec.memoryMb} MB, timeout ${spec.timeoutSeconds} s, ${m.issueInvoices.invocations} invocations, ${m.issueInvoices.billedMs} ms billed`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  // AWS: the measured requests per invoice at the assumed latencies; a batch is processed record after record.
  const awsInvoiceMs = Object.entries(m.calls).reduce((sum, [name, calls]) => sum + (AWS_ASSUMED_MS[name] ?? 10) * (calls / m.invoices), AWS_ASSUMED_CPU_MS_PER_INVOICE);
  const awsBatchMs = consumer.batchSize * awsInvoiceMs;
  const awsRate = (1000 * consumer.batchSize) / (awsBatchMs + AWS_ASSUMED_CYCLE_MS);
  const notes = [
    `  set-up (orders in, through the order workflow, not measured): ${fixed(m.setupSeconds, 0)} s. ${availableParallelism()} cores, shared by every local engine (DynamoDB Local's JVM, fauxqs, the HTTP API taking the shipments) and by the billing workflows (PDF, UBL, email) with the numbering: on AWS those run elsewhere.`,
    ...(percentile(sizes, 50) < consumer.batchSize && waits.some((wait) => wait > 1000)
      ? [`  batches of ${percentile(sizes, 50)} although messages waited: fauxqs 1.9.2 returns at most one message of a group per ReceiveMessage (AWS returns up to 10 of the same group), so locally every invoice pays one mapping cycle.`]
      : []),
    `  AWS projection (assumed latencies ${Object.entries(AWS_ASSUMED_MS).map(([name, ms]) => `${name.split(':')[1]} ${ms} ms`).join(', ')}, CPU ${AWS_ASSUMED_CPU_MS_PER_INVOICE} ms, mapping cycle ${AWS_ASSUMED_CYCLE_MS} ms): ${fixed(awsInvoiceMs, 0)} ms per invoice, a batch of ${consumer.batchSize} in ${fixed(awsBatchMs, 0)} ms, ≈ ${fixed(awsRate)} invoices/s per message group.`,
  ];
  return [
    `Invoice numbering through the single FIFO message group (${queues.invoicing.localName}, MessageGroupId "invoices"), real local engines, Node ${process.version}, ${process.arch}`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    ...notes,
  ].join('\n');
}

export async function benchInvoiceThroughput(): Promise<string> {
  const output = execFileSync(process.execPath, ['--import', 'tsx', thisFile, '--child'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1_048_576,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const last = output.trim().split('\n').at(-1) ?? '';
  return renderInvoiceThroughput(JSON.parse(last) as Measurement);
}

const invokedDirectly = process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url;
if (invokedDirectly && process.argv.includes('--child')) {
  const measurement = await measureInChild();
  process.stdout.write(`\n${JSON.stringify(measurement)}\n`);
  process.exit(0);
} else if (invokedDirectly) {
  process.stdout.write(`${await benchInvoiceThroughput()}\n`);
}
