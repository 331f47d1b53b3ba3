import { serveConsole } from './console-server.ts';
import type { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { metered } from '#adapters/metering';
import { CLOCK_OFFSET_ENV, businessClock } from '#shared/clock';
import { repoRoot } from '#shared/state-machine-definitions';
import { buckets, table } from '#shared/topology';
import { serveApiRoute } from './api-gateway.ts';
import { forwardBucketNotifications } from './bucket-notifications.ts';
import { startDynamoDb } from './engines/dynamodb.ts';
import { assertPortFree, freePort, localCredentials, type Engine } from './engines/engine.ts';
import { startS3, startSes, startSqs } from './engines/emulators.ts';
import { SqsJournal } from './engines/sqs-journal.ts';
import { runtimeLog } from './runtime-log.ts';
import { currentFunction, LOCAL_REGION, LocalLambdas } from './lambda-runtime.ts';
import { captureFunctionLogs, Meter } from './meter.ts';
import type { MeterSnapshot } from './meter-snapshot.ts';
import { provisionBuckets, provisionQueues, provisionTable } from './provision.ts';
import { seedDemoData } from './seed.ts';
import { injectedFailures } from './chaos.ts';
import { SqsPollers, type QueueAddress } from './sqs-pollers.ts';
import { functionEnvironment } from './function-environment.ts';
import { LocalScheduler, type FiringResult } from './scheduler.ts';
import { LocalRateSchedules } from './rate-schedules.ts';
import { LocalStepFunctions } from './step-functions.ts';

export interface RuntimeOptions {
  /** Where DynamoDB, S3 and execution records persist; default `.o2c/` in the repository. */
  dataDir?: string;
  /** Start from empty data. */
  fresh?: boolean;
  /** Ports; 0 picks a free one. Defaults: API 3000, DynamoDB 4511, SQS 4512, S3 4513, SES 4514, Step Functions 4515. */
  ports?: Partial<Record<'api' | 'dynamodb' | 'sqs' | 's3' | 'ses' | 'stepfunctions', number>>;
  /** Shorter SQS visibility timeouts, so tests see retries and DLQ redrive in seconds rather than minutes. */
  visibilityTimeoutSeconds?: number;
  seed?: boolean;
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /**
   * Count the functions' log lines for the meter without printing them: a simulation can run at INFO (the level
   * deployed on AWS, so the log bytes are AWS's) and keep its terminal for its own output.
   */
  quietFunctionLogs?: boolean;
}

export interface Runtime {
  url: string;
  endpoints: Record<string, string>;
  queues: Record<string, QueueAddress>;
  stepFunctions: LocalStepFunctions;
  lambdas: LocalLambdas;
  /** Every billable operation since start or the last reset (`GET /_local/meter`); in memory, so a restart resets it. */
  meter: Meter;
  /** The meter's counters plus the storage the engines hold now. */
  meterSnapshot(): Promise<MeterSnapshot>;
  tableName: string;
  /** Resolves once no SQS batch and no workflow execution is in flight. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

const DAY_MS = 24 * 3600 * 1000;
const defaultPorts = { api: 3000, dynamodb: 4511, sqs: 4512, s3: 4513, ses: 4514, stepfunctions: 4515 };

function envPort(name: string): number | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : Number(value);
}

async function resolvePorts(requested: RuntimeOptions['ports'] = {}) {
  const ports = {
    api: requested.api ?? envPort('O2C_PORT') ?? defaultPorts.api,
    dynamodb: requested.dynamodb ?? envPort('O2C_DYNAMODB_PORT') ?? defaultPorts.dynamodb,
    sqs: requested.sqs ?? envPort('O2C_SQS_PORT') ?? defaultPorts.sqs,
    s3: requested.s3 ?? envPort('O2C_S3_PORT') ?? defaultPorts.s3,
    ses: requested.ses ?? envPort('O2C_SES_PORT') ?? defaultPorts.ses,
    stepfunctions: requested.stepfunctions ?? envPort('O2C_SFN_PORT') ?? defaultPorts.stepfunctions,
  };
  for (const name of Object.keys(ports) as (keyof typeof ports)[]) {
    if (ports[name] === 0) ports[name] = await freePort();
    else await assertPortFree(ports[name], `the ${name} engine`);
  }
  return ports;
}

/**
 * Starts the embedded runtime: real local engines, wired as CDK wires AWS (same topology, same handlers,
 * same ASL), plus the glue AWS provides (HTTP API, SQS event source mappings, the clock).
 */
export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const dataDir = resolve(options.dataDir ?? process.env.O2C_DATA_DIR ?? join(repoRoot, '.o2c'));
  if (options.fresh) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const ports = await resolvePorts(options.ports);
  const engines: Engine[] = [];
  const stopAll = async () => {
    for (const engine of engines.reverse()) await engine.stop().catch(() => undefined);
  };

  const journal = new SqsJournal(join(dataDir, 'sqs', 'journal.jsonl'));
  // Installed before any engine or handler starts, so the handlers' SDK clients are built with the meter's middleware.
  const meter = new Meter(currentFunction);
  const uninstallMeter = meter.install();

  try {
    const outcomes = await Promise.allSettled([
      startDynamoDb({ port: ports.dynamodb, dataDir: join(dataDir, 'dynamodb') }),
      startSqs({ port: ports.sqs, journal }),
      startS3({ port: ports.s3, dataDir: join(dataDir, 's3') }),
      startSes({ port: ports.ses }),
    ]);
    // Whatever did start is stopped again if another engine failed, so no Java process is left behind.
    for (const outcome of outcomes) if (outcome.status === 'fulfilled') engines.push(outcome.value);
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
    const [dynamodb, sqs, s3, ses] = engines;
    engines.push({ name: 'meter', endpoint: '', stop: async () => uninstallMeter() });

    const stepFunctionsUrl = `http://127.0.0.1:${ports.stepfunctions}`;
    const awsConfig = { region: LOCAL_REGION, credentials: localCredentials };
    const dynamoClient = new DynamoDBClient({ ...awsConfig, endpoint: dynamodb!.endpoint });
    const sqsClient = new SQSClient({ ...awsConfig, endpoint: sqs!.endpoint });
    const s3Client = new S3Client({ ...awsConfig, endpoint: s3!.endpoint, forcePathStyle: true });
    await provisionTable(dynamoClient);
    await provisionBuckets(s3Client);
    const visibilityOverride = options.visibilityTimeoutSeconds ?? envPort('O2C_SQS_VISIBILITY_SECONDS');
    const queueAddresses = await provisionQueues(sqsClient, visibilityOverride);
    const replayed = await journal.replay(sqsClient, Object.values(queueAddresses).map((address) => address.url));
    if (replayed > 0) runtimeLog.info('messages accepted before the last stop are queued again', { replayed });
    // From here the runtime's own SQS requests stand for AWS features (event source mappings, S3 notifications): metered
    // too. The replay above is not: on AWS those messages would simply still be in the queue.
    metered(sqsClient, 'sqs', (call) => meter.call(call, { glue: 'eventSourceMapping' }));

    Object.assign(
      process.env,
      functionEnvironment({
        endpoints: { dynamodb: dynamodb!.endpoint, sqs: sqs!.endpoint, s3: s3!.endpoint, ses: ses!.endpoint, stepfunctions: stepFunctionsUrl },
        queues: queueAddresses,
        logLevel: options.logLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO',
      }),
    );

    const clockFile = join(dataDir, 'clock.json');
    const savedOffset = existsSync(clockFile) ? (JSON.parse(readFileSync(clockFile, 'utf8')) as { offsetMs: number }).offsetMs : 0;
    process.env[CLOCK_OFFSET_ENV] = String(savedOffset);

    const stopCapturingLogs = captureFunctionLogs(meter, currentFunction, options.quietFunctionLogs ?? false);
    engines.push({ name: 'log-capture', endpoint: '', stop: async () => stopCapturingLogs() });
    const lambdas = new LocalLambdas(meter);
    await lambdas.load();
    const stepFunctions = new LocalStepFunctions(lambdas, join(dataDir, 'stepfunctions', 'executions.json'), meter);
    engines.push(await stepFunctions.start(ports.stepfunctions));

    // Schedules fire for business time from now on, never retroactively for time spent stopped.
    let firedThrough = businessClock.now();
    const scheduler = new LocalScheduler((key, event) => lambdas.invoke(key, event, 'schedule'), {
      beforeFiring: ({ scheduledTime }) => {
        process.env[CLOCK_OFFSET_ENV] = String(scheduledTime.getTime() - Date.now());
      },
    });
    const pollers = new SqsPollers(sqsClient, lambdas, queueAddresses, journal, meter);
    pollers.start();
    engines.push({ name: 'sqs-pollers', endpoint: '', stop: () => pollers.stop() });
    // Work redone because the last run was cut off (`--chaos` kills it on purpose) is counted as chaos's.
    const redriven = meter.asChaos(() => stepFunctions.redriveCutOff());
    if (redriven > 0) runtimeLog.info('workflow executions cut off by the last stop run again', { redriven });
    const rateSchedules = new LocalRateSchedules({ invoke: (key, event) => lambdas.invoke(key, event, 'rateSchedule') });
    engines.push({ name: 'rate-schedules', endpoint: '', stop: () => rateSchedules.stop() });
    await rateSchedules.start();
    const stopNotifications = forwardBucketNotifications((s3 as Engine & { server: EventEmitter }).server, sqsClient, queueAddresses);
    engines.push({ name: 's3-notifications', endpoint: '', stop: stopNotifications });

    // The runtime's own start-up is no AWS traffic: provisioning and the journal's replay use unmetered clients, and
    // the seed and the report job at start run unmetered (after every restart too).
    await meter.unmetered(async () => {
      if (options.seed !== false) await seedDemoData(DynamoDBDocumentClient.from(dynamoClient), table.localName, businessClock.now());
      // The reports read what the daily job wrote; locally it also runs once at start, for today so far.
      void lambdas.invoke('snapshotReports', { date: businessClock.now().toISOString().slice(0, 10) }).catch((error: unknown) => runtimeLog.warn('report job at start failed', { error: String(error) }));
    });

    const clock = {
      get: () => ({ now: businessClock.now().toISOString(), offsetDays: Number(process.env[CLOCK_OFFSET_ENV]) / DAY_MS }),
      /**
       * Moves business time forward, then fires every schedule that fell due since the last firing (real time passes
       * too), day by day, in order; during each firing business time is the scheduled time, as on AWS.
       */
      advance: async (days: number) => {
        const offsetMs = Number(process.env[CLOCK_OFFSET_ENV]) + days * DAY_MS;
        writeFileSync(clockFile, JSON.stringify({ offsetMs }));
        const target = Date.now() + offsetMs;
        const fired = await scheduler.fire(firedThrough, new Date(target));
        firedThrough = new Date(target);
        process.env[CLOCK_OFFSET_ENV] = String(offsetMs);
        return fired;
      },
    };

    const meterSnapshot = async (): Promise<MeterSnapshot> => meter.snapshot(await measureStorage(dynamoClient, s3Client));

    const server = createServer((request, response) => void handleRequest(request, response));
    async function handleRequest(request: IncomingMessage, response: ServerResponse) {
      try {
        if (await serveLocalRoute(request, response, { clock, sesEndpoint: ses!.endpoint, meter, meterSnapshot })) return;
        if (await serveConsole(request, response)) return;
        if (await serveApiRoute(request, response, lambdas, meter)) return;
        sendJson(response, 404, { error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url}` } });
      } catch (error) {
        sendJson(response, 500, { error: { code: 'INTERNAL', message: (error as Error).message } });
      }
    }
    await listen(server, ports.api);
    engines.push({ name: 'api', endpoint: `http://127.0.0.1:${ports.api}`, stop: () => closeServer(server) });

    const settle = async () => {
      for (let quietRounds = 0; quietRounds < 3; ) {
        await stepFunctions.idle();
        await new Promise((resolve) => setTimeout(resolve, 150));
        quietRounds = pollers.busy || rateSchedules.busy ? 0 : quietRounds + 1;
      }
      await stepFunctions.idle();
    };

    return {
      url: `http://127.0.0.1:${ports.api}`,
      endpoints: Object.fromEntries(engines.filter((engine) => engine.endpoint).map((engine) => [engine.name, engine.endpoint])),
      queues: queueAddresses,
      stepFunctions,
      lambdas,
      meter,
      meterSnapshot,
      tableName: table.localName,
      settle,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    uninstallMeter();
    throw error;
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** `/health` and the local-only routes of DESIGN §4. */
async function serveLocalRoute(
  request: IncomingMessage,
  response: ServerResponse,
  context: { clock: { get(): unknown; advance(days: number): Promise<FiringResult[]> }; sesEndpoint: string; meter: Meter; meterSnapshot(): Promise<MeterSnapshot> },
): Promise<boolean> {
  const path = new URL(request.url ?? '/', 'http://local').pathname;
  if (path === '/health' && request.method === 'GET') {
    sendJson(response, 200, { status: 'ok' });
    return true;
  }
  if (path === '/_local/clock' && request.method === 'GET') {
    sendJson(response, 200, context.clock.get());
    return true;
  }
  if (path === '/_local/clock' && request.method === 'POST') {
    let body: unknown;
    try {
      body = await readJson(request);
    } catch {
      sendJson(response, 400, { error: { code: 'INVALID_REQUEST', message: 'body is not valid JSON' } });
      return true;
    }
    const days = (body as { advanceDays?: unknown }).advanceDays;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 0 || days > 3650) {
      sendJson(response, 400, { error: { code: 'INVALID_REQUEST', message: 'advanceDays must be a whole number of days from 0 to 3650' } });
      return true;
    }
    const fired = await context.clock.advance(days);
    sendJson(response, 200, { ...(context.clock.get() as object), fired });
    return true;
  }
  if (path === '/_local/chaos' && request.method === 'GET') {
    sendJson(response, 200, { injectedFailures: injectedFailures() });
    return true;
  }
  if (path === '/_local/meter' && request.method === 'GET') {
    sendJson(response, 200, await context.meterSnapshot());
    return true;
  }
  if (path === '/_local/meter/reset' && request.method === 'POST') {
    context.meter.reset();
    sendJson(response, 200, await context.meterSnapshot());
    return true;
  }
  if (path === '/_local/emails' && request.method === 'GET') {
    const store = await fetch(`${context.sesEndpoint}/store`);
    sendJson(response, 200, { emails: ((await store.json()) as { emails: unknown[] }).emails });
    return true;
  }
  return false;
}

/**
 * What the engines store now, for the storage lines of the cost report: the table's size as DynamoDB reports it and
 * the sum of the buckets' object sizes (current versions). Either is null when the engine cannot say.
 */
async function measureStorage(dynamo: DynamoDBClient, s3: S3Client): Promise<{ tableBytes: number | null; bytesStored: number | null }> {
  const tableBytes = await dynamo
    .send(new DescribeTableCommand({ TableName: table.localName }))
    .then((described) => described.Table?.TableSizeBytes ?? null)
    .catch(() => null);
  let bytesStored: number | null = 0;
  try {
    for (const bucket of Object.values(buckets)) {
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket.localName, ContinuationToken: token }));
        for (const object of page.Contents ?? []) bytesStored += object.Size ?? 0;
        token = page.NextContinuationToken;
      } while (token);
    }
  } catch {
    bytesStored = null;
  }
  return { tableBytes, bytesStored };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
