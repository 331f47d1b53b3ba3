import { consumers, deadLetterQueues, functions, queues, rateSchedules, secrets, stateMachines, tracing, type FunctionKey } from '#shared/topology';
import type { FunctionMeter, MeterCounters, MeterSnapshot } from '../meter-snapshot.ts';
import { PRICE_LIST, prices as listPrices, usdToPico, type Price, type PriceTable } from './prices.ts';

/**
 * What the operations of a simulated run would cost on AWS (issue 14's `cost`): the meter's snapshot times the
 * price table, per 1,000 orders and by service, with the fixed monthly items apart. Pure: no I/O, no clock.
 *
 * Arithmetic is exact: quantities are fractions of integers, prices integer pico-dollars, each line rounded once
 * (half up) to pico-dollars for the run and to nano-dollars per 1,000 orders; totals are sums of those integers,
 * so the lines shown always add up to the total shown.
 */

/** What is deployed besides the functions and the workflows: counted from the topology the CDK stack is built from. */
export interface DeployedInventory {
  dashboards: number;
  alarms: number;
  secrets: number;
}

/**
 * `infra/constructs/observability.ts` builds one alarm per dead-letter queue, per workflow, per work queue and per
 * function, plus the API's 5xx rate; `infra/constructs/dashboard.ts` one dashboard; `secrets` one secret each.
 * An infra test checks these counts against the synthesized template.
 */
export function deployedInventory(): DeployedInventory {
  return {
    dashboards: 1,
    alarms: deadLetterQueues.length + Object.keys(stateMachines).length + Object.keys(queues).length + Object.keys(functions).length + 1,
    secrets: Object.keys(secrets).length,
  };
}

/** The models behind what the local runtime cannot measure; each is listed in the report's `assumptions`. */
export const costModel = {
  /**
   * With `LoggingFormat.JSON` and active tracing, Lambda writes a `platform.start` (~200 B) and a `platform.report`
   * with its metrics and trace ids (~450 B) per invocation to the function's log group.
   */
  platformLogBytesPerInvocation: 650,
  /**
   * One Step Functions log event (`level: ALL, includeExecutionData: true` in `infra/constructs/workflows.ts`) is its
   * id, type, timestamps, execution ARN and redrive count (~250 B) plus the input or output it carries (measured).
   */
  executionHistoryEnvelopeBytes: 250,
  /** An SQS event source mapping keeps 5 pollers long-polling (20 s) an idle queue: 15 receives a minute per queue. */
  idleReceivesPerQueueMinute: 15,
  /** 730 hours: AWS's month for monthly prices. */
  minutesPerMonth: 43_800,
  /**
   * The stack's X-Ray sampling rule (`tracing` in `shared/topology.ts`): a fixed share of traces, no reservoir (AWS's
   * default rule would record the first request of every second, which is nearly every trace at this volume).
   */
  xrayRecordedShare: { numerator: BigInt(tracing.fixedRate.numerator), denominator: BigInt(tracing.fixedRate.denominator) },
  /** CloudWatch Logs and S3 count a GB as 2³⁰ bytes. */
  bytesPerGb: 1n << 30n,
} as const;

export interface CostLine {
  service: string;
  item: string;
  quantity: number;
  unit: string;
  /** For the whole run. */
  usd: number;
  usdPerThousandOrders: number;
}

export interface FixedMonthlyItem {
  item: string;
  quantity: number;
  unit: string;
  usd: number;
}

/** What `--chaos` added to the run (the meter's `chaos` bucket), priced as the business's operations are. */
export interface ChaosOverhead {
  /** Invocations failed on purpose. */
  injectedFailures: number;
  runUsd: number;
  /** The overhead spread over the run's orders: what chaos would add per 1,000 orders. */
  usdPerThousandOrders: number;
  byService: CostLine[];
}

export interface CostReport {
  orders: number;
  /** The business's operations only: the simulator's probes and the chaos overhead are not in it. */
  perThousandOrdersUsd: number;
  /** The run's variable cost (what `byService` adds up to). */
  runUsd: number;
  byService: CostLine[];
  /** Apart from the figures above; null when the run had none (no `--chaos`, or a snapshot without the bucket). */
  chaosOverhead: ChaosOverhead | null;
  fixedMonthly: FixedMonthlyItem[];
  fixedMonthlyUsd: number;
  priceList: { version: number; date: string; source: string; region: string };
  assumptions: string[];
}

/** A quantity as an exact fraction. */
interface Quantity {
  numerator: bigint;
  denominator: bigint;
}
const whole = (value: number | bigint): Quantity => ({ numerator: BigInt(value), denominator: 1n });
/** Capacity units arrive as decimals with at most three places (the meter sums thousandths). */
const thousandths = (value: number): Quantity => ({ numerator: BigInt(Math.round(value * 1000)), denominator: 1000n });

const divideHalfUp = (numerator: bigint, denominator: bigint): bigint => (numerator * 2n + denominator) / (denominator * 2n);

/** Pico-dollars for a quantity at a price, rounded half up once. */
export function linePico(quantity: Quantity, price: Price): bigint {
  return divideHalfUp(quantity.numerator * usdToPico(price.usd), quantity.denominator * BigInt(price.per));
}

const picoToUsd = (pico: bigint): number => Number(divideHalfUp(pico, 1000n)) / 1e9;
const asNumber = (quantity: Quantity): number => Number(quantity.numerator) / Number(quantity.denominator);

/** Lambda bills memory in MB as a share of a GB of 1,024 MB, and duration in ms. */
const gbSeconds = (memoryMb: number, billedMs: number | bigint): Quantity => ({ numerator: BigInt(memoryMb) * BigInt(billedMs), denominator: 1024n * 1000n });
const sumQuantities = (quantities: Quantity[]): Quantity => {
  const denominator = quantities.reduce((product, quantity) => (product % quantity.denominator === 0n ? product : product * quantity.denominator), 1n);
  return { numerator: quantities.reduce((sum, quantity) => sum + (quantity.numerator * denominator) / quantity.denominator, 0n), denominator };
};
const bytesAsGb = (bytes: number | bigint): Quantity => ({ numerator: BigInt(bytes), denominator: costModel.bytesPerGb });

/**
 * Prices a meter snapshot for `orders` orders. Functions on a rate schedule (the outbox relay) run whatever the
 * orders are: their measured cost per invocation is projected to a month and shown with the fixed items instead.
 * The snapshot's `chaos` bucket is priced the same way and shown apart (`chaosOverhead`), out of the per-order figure.
 */
export function costReport(input: { snapshot: MeterSnapshot; orders: number; prices?: PriceTable; inventory?: DeployedInventory }): CostReport {
  const { snapshot, orders } = input;
  if (!Number.isInteger(orders) || orders <= 0) throw new RangeError(`orders must be a positive whole number, not ${orders}`);
  const table = input.prices ?? listPrices;
  const inventory = input.inventory ?? deployedInventory();
  const rateScheduled = new Set<string>(rateSchedules.map((spec) => spec.function));
  const business = pricedLines(variableLines(snapshot, table, rateScheduled), orders);
  const chaos = snapshot.chaos ? pricedLines(variableLines(snapshot.chaos, table, rateScheduled), orders) : undefined;
  const injectedFailures = snapshot.chaos ? Object.values(snapshot.chaos.injectedFailures).reduce((sum, count) => sum + count, 0) : 0;
  const fixed = fixedMonthlyItems(snapshot, table, inventory, rateScheduled);
  const fixedPico = fixed.reduce((total, item) => total + item.pico, 0n);
  return {
    orders,
    perThousandOrdersUsd: business.perThousandOrdersUsd,
    runUsd: business.runUsd,
    byService: business.byService,
    chaosOverhead:
      chaos && (chaos.byService.length > 0 || injectedFailures > 0)
        ? { injectedFailures, runUsd: chaos.runUsd, usdPerThousandOrders: chaos.perThousandOrdersUsd, byService: chaos.byService }
        : null,
    fixedMonthly: fixed.map(({ item, quantity, unit, pico }) => ({ item, quantity, unit, usd: picoToUsd(pico) })),
    fixedMonthlyUsd: picoToUsd(fixedPico),
    priceList: { version: PRICE_LIST.version, date: PRICE_LIST.asLastChecked, source: PRICE_LIST.source, region: PRICE_LIST.region },
    assumptions: [
      `Lambda: ${snapshot.lambda.architecture}, each function's configured memory × its measured duration rounded up to 1 ms; durations are measured in one shared local process, so contention inflates them somewhat; init (cold start) time is not priced.`,
      `Lambda platform log lines: ${costModel.platformLogBytesPerInvocation} B per invocation (JSON format, active tracing).`,
      `Step Functions history logging: ${costModel.executionHistoryEnvelopeBytes} B per event plus the measured input/output it carries.`,
      'DynamoDB: units as ReturnConsumedCapacity reports them (DynamoDB Local), with AWS minimums for empty reads and an estimate for refused conditional writes.',
      'X-Ray: one trace per API request, queue batch and schedule firing, all recorded (below 1 request/s the default rule\'s reservoir takes every one).',
      `SQS: an idle queue costs ${costModel.idleReceivesPerQueueMinute} long-poll receives a minute per event source mapping, priced monthly; the local pollers' empty receives are not priced.`,
      `Rate-scheduled functions (${[...rateScheduled].join(', ')}) are priced monthly from their measured cost per invocation, not per order.`,
      'Secrets Manager: one fetch per function and secret per 5 minutes of real time (one warm instance each); more instances fetch more.',
      'Not metered: the simulator\'s own reads (GETs marked X-O2C-Simulator-Probe) and the runtime\'s start-up (seed, report job at start). Chaos overhead (failed-on-purpose invocations, their retries, executions re-driven after a kill, requests marked X-O2C-Simulator-Chaos) is priced apart.',
      'Free tiers are ignored; the first 3 dashboards of an account are free in practice.',
    ],
  };
}

type Line = { service: string; item: string; quantity: Quantity; price: Price };

/**
 * The lines that scale with the work done, for one set of the meter's counters (the business's, or chaos's).
 * Functions on a rate schedule are left out: they are priced monthly.
 */
function variableLines(counters: MeterCounters, table: PriceTable, rateScheduled: ReadonlySet<string>): Line[] {
  const perOrderFunctions = Object.entries(counters.lambda.functions).filter(([key]) => !rateScheduled.has(key));
  const gbSecondPrice = counters.lambda.architecture === 'arm64' ? table.lambdaGbSecondArm64 : table.lambdaGbSecondX86;
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

  const lines: Line[] = [];
  const add = (service: string, item: string, quantity: Quantity, price: Price) => {
    if (quantity.numerator > 0n) lines.push({ service, item, quantity, price });
  };

  const machines = Object.values(counters.stepFunctions.stateMachines);
  const standard = machines.filter((machine) => machine.type === 'STANDARD');
  const express = machines.filter((machine) => machine.type === 'EXPRESS');
  add('Step Functions', 'Standard state transitions', whole(sum(standard.map((machine) => machine.stateTransitions))), table.stepFunctionsStandardTransitions);
  add('Step Functions', 'Express requests', whole(sum(express.map((machine) => machine.executionsStarted))), table.stepFunctionsExpressRequests);
  // Express bills at least 64 MB in 100 ms units; the meter has each workflow's total duration, rounded up once here.
  add('Step Functions', 'Express duration', gbSeconds(64, BigInt(sum(express.map((machine) => Math.ceil(machine.durationMs / 100) * 100)))), table.stepFunctionsExpressGbSecond);

  add('Lambda', 'requests', whole(sum(perOrderFunctions.map(([, meter]) => meter.invocations))), table.lambdaRequests);
  add('Lambda', `duration (${counters.lambda.architecture}, configured memory)`, sumQuantities(perOrderFunctions.map(([, meter]) => gbSeconds(meter.memoryMb, meter.billedMs))), gbSecondPrice);

  const rateScheduledUnits = (field: 'readUnits' | 'writeUnits') => sum(Object.entries(counters.lambda.functions).filter(([key]) => rateScheduled.has(key)).map(([, meter]) => meter[field]));
  add('DynamoDB', 'read request units', thousandths(counters.dynamodb.readUnits - rateScheduledUnits('readUnits')), table.dynamodbReadUnits);
  add('DynamoDB', 'write request units', thousandths(counters.dynamodb.writeUnits - rateScheduledUnits('writeUnits') + counters.dynamodb.estimatedFailedWriteUnits), table.dynamodbWriteUnits);

  const queueMeters = Object.values(counters.sqs.queues);
  add('SQS', 'standard requests', whole(sum(queueMeters.filter((queue) => !queue.fifo).map((queue) => queue.billedRequests))), table.sqsStandardRequests);
  add('SQS', 'FIFO requests', whole(sum(queueMeters.filter((queue) => queue.fifo).map((queue) => queue.billedRequests))), table.sqsFifoRequests);

  add('S3', 'PUT/COPY/POST/LIST requests', whole(counters.s3.putRequests), table.s3PutRequests);
  add('S3', 'GET and other requests', whole(counters.s3.getRequests), table.s3GetRequests);
  add('S3', 'storage of what the run wrote, first month', bytesAsGb(counters.s3.bytesPut), table.s3StorageGbMonth);

  add('SES', 'emails', whole(counters.ses.messages), table.sesMessages);
  add('SES', 'attachments', bytesAsGb(counters.ses.attachmentBytes), table.sesAttachmentGb);

  add('API Gateway', 'HTTP API requests', whole(counters.apiGateway.billedRequests), table.apiGatewayHttpRequests);

  const perOrderInvocations = sum(perOrderFunctions.map(([, meter]) => meter.invocations));
  add('CloudWatch Logs', 'function logs', bytesAsGb(sum(perOrderFunctions.map(([, meter]) => meter.logBytes))), table.cloudWatchLogsIngestionGb);
  add('CloudWatch Logs', 'Lambda platform lines', bytesAsGb(perOrderInvocations * costModel.platformLogBytesPerInvocation), table.cloudWatchLogsIngestionGb);
  add('CloudWatch Logs', 'EMF metric documents', bytesAsGb(counters.cloudwatch.emfBytes), table.cloudWatchLogsIngestionGb);
  // What each workflow's log level keeps: every history event with its data (ALL), or the failure events (ERROR).
  const executionLogBytes = (machine: (typeof machines)[number]) =>
    machine.logLevel === 'ALL'
      ? machine.historyEvents * costModel.executionHistoryEnvelopeBytes + machine.executionDataBytes
      : machine.logLevel === 'ERROR'
        ? machine.errorEvents * costModel.executionHistoryEnvelopeBytes + machine.errorDataBytes
        : 0;
  const logLevels = [...new Set(machines.map((machine) => machine.logLevel))].join(', ');
  add('CloudWatch Logs', `Step Functions execution log (${logLevels}, with data)`, bytesAsGb(sum(machines.map(executionLogBytes))), table.cloudWatchLogsIngestionGb);

  // A trace starts where no traced caller handed one on: API requests, queue batches, schedule firings. Workflow
  // executions and their tasks join the trace of whoever started them.
  const traceRoots = sum(perOrderFunctions.map(([, meter]) => meter.byTrigger.api + meter.byTrigger.sqs + meter.byTrigger.schedule));
  add('X-Ray', 'traces recorded', { numerator: BigInt(traceRoots) * costModel.xrayRecordedShare.numerator, denominator: costModel.xrayRecordedShare.denominator }, table.xrayTracesRecorded);
  add('EventBridge Scheduler', 'daily schedule invocations', whole(sum(perOrderFunctions.map(([, meter]) => meter.byTrigger.schedule))), table.schedulerInvocations);
  add('Secrets Manager', 'API calls (5-minute cache per function)', whole(counters.secretsManager.calls), table.secretsManagerCalls);
  return lines;
}

/** Each line priced for the run (pico-dollars) and per 1,000 orders (nano-dollars); totals are sums of those. */
function pricedLines(lines: readonly Line[], orders: number): { byService: CostLine[]; runUsd: number; perThousandOrdersUsd: number } {
  const byService: CostLine[] = [];
  let runPico = 0n;
  let perThousandNano = 0n;
  for (const line of lines) {
    const pico = linePico(line.quantity, line.price);
    // Per 1,000 orders in nano-dollars: pico × 1,000 / orders / 1,000.
    const nanoPerThousand = divideHalfUp(pico, BigInt(orders));
    runPico += pico;
    perThousandNano += nanoPerThousand;
    byService.push({ service: line.service, item: line.item, quantity: asNumber(line.quantity), unit: line.price.unit, usd: picoToUsd(pico), usdPerThousandOrders: Number(nanoPerThousand) / 1e9 });
  }
  return { byService, runUsd: picoToUsd(runPico), perThousandOrdersUsd: Number(perThousandNano) / 1e9 };
}

/** The monthly items that do not scale with orders: what is deployed, what is stored, what runs on a timer. */
function fixedMonthlyItems(snapshot: MeterSnapshot, table: PriceTable, inventory: DeployedInventory, rateScheduled: ReadonlySet<string>) {
  const items: { item: string; quantity: number; unit: string; pico: bigint }[] = [];
  const add = (item: string, quantity: Quantity, price: Price) => items.push({ item, quantity: asNumber(quantity), unit: price.unit, pico: linePico(quantity, price) });

  add('CloudWatch dashboard', whole(inventory.dashboards), table.cloudWatchDashboardMonth);
  add('CloudWatch alarms', whole(inventory.alarms), table.cloudWatchAlarmMonth);
  add('CloudWatch custom metrics (series seen in the run)', whole(snapshot.cloudwatch.metricSeries), table.cloudWatchCustomMetricMonth);
  add('Secrets Manager secrets', whole(inventory.secrets), table.secretsManagerSecretMonth);
  if (snapshot.s3.bytesStored !== null) add('S3 storage (everything stored at the end of the run)', bytesAsGb(snapshot.s3.bytesStored), table.s3StorageGbMonth);
  if (snapshot.dynamodb.tableBytes !== null) add('DynamoDB storage (the table at the end of the run)', bytesAsGb(snapshot.dynamodb.tableBytes), table.dynamodbStorageGbMonth);

  const idleReceives = (fifo: boolean) =>
    consumers.filter((consumer) => (queues[consumer.queue] as { fifo?: boolean }).fifo === true === fifo).length * costModel.idleReceivesPerQueueMinute * costModel.minutesPerMonth;
  add('SQS event source mappings polling (standard queues)', whole(idleReceives(false)), table.sqsStandardRequests);
  add('SQS event source mappings polling (FIFO queues)', whole(idleReceives(true)), table.sqsFifoRequests);

  for (const spec of rateSchedules) {
    if (!rateScheduled.has(spec.function)) continue;
    const firings = costModel.minutesPerMonth / spec.everyMinutes;
    const meter: FunctionMeter | undefined = snapshot.lambda.functions[spec.function as FunctionKey];
    add(`${spec.id} schedule (rate ${spec.everyMinutes} min): Scheduler invocations`, whole(firings), table.schedulerInvocations);
    add(`${spec.id} schedule: Lambda requests`, whole(firings), table.lambdaRequests);
    add(`${spec.id} schedule: X-Ray traces`, whole(firings), table.xrayTracesRecorded);
    add(`${spec.id} schedule: Lambda platform log lines`, bytesAsGb(firings * costModel.platformLogBytesPerInvocation), table.cloudWatchLogsIngestionGb);
    if (!meter || meter.invocations === 0) continue;
    // Per firing as measured, times the firings of a month: exact fractions of the run's totals.
    const perMonth = (total: Quantity): Quantity => ({ numerator: total.numerator * BigInt(firings), denominator: total.denominator * BigInt(meter.invocations) });
    const gbSecondPrice = snapshot.lambda.architecture === 'arm64' ? table.lambdaGbSecondArm64 : table.lambdaGbSecondX86;
    add(`${spec.id} schedule: Lambda duration`, perMonth(gbSeconds(meter.memoryMb, meter.billedMs)), gbSecondPrice);
    add(`${spec.id} schedule: DynamoDB read units`, perMonth(thousandths(meter.readUnits)), table.dynamodbReadUnits);
    add(`${spec.id} schedule: DynamoDB write units`, perMonth(thousandths(meter.writeUnits)), table.dynamodbWriteUnits);
    add(`${spec.id} schedule: function logs`, perMonth(bytesAsGb(meter.logBytes)), table.cloudWatchLogsIngestionGb);
  }
  return items;
}
