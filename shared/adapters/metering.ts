/**
 * Hooks through which the embedded runtime's meter (`local/meter.ts`) sees the AWS requests the handlers make, so a
 * simulated run can be priced (issue 14, `o2c simulate`'s cost report). Everything here is inert unless the runtime
 * set `O2C_METER=1` and installed a sink: on AWS no middleware is added and no request changes.
 *
 * The hooks only report what happened (service, operation, input, output or error); what that costs is the meter's
 * business, so no billing rule lives in handler code.
 */

/** Set by the embedded runtime (never by CDK): turns the hooks on. */
export const METER_ENV = 'O2C_METER';

/** One SDK request as the meter sees it. `input` is what was sent; `output` or `error` what came back. */
export interface MeteredCall {
  service: MeteredService;
  /** The command's name without `Command` (`PutItem`, `Put` for the document client, `SendMessage`, ...). */
  operation: string;
  input: Readonly<Record<string, unknown>>;
  output?: Readonly<Record<string, unknown>>;
  error?: { name: string; message: string };
}

export type MeteredService = 'dynamodb' | 'sqs' | 's3' | 'ses' | 'sfn';

/** What the runtime installs on `globalThis` under {@link METER_SINK}; handlers and the runtime share one process. */
export interface MeterSink {
  call(call: MeteredCall): void;
  /** A secret was read (the plain env var locally); the sink models Secrets Manager's cache. */
  secretRead(secret: string): void;
  /** Business metrics recorded (EMF on AWS, disabled locally): counted for custom metrics and log bytes. */
  metricPoints(points: readonly { metric: { name: string; unit: string }; dimensions: Readonly<Record<string, string>>; value: number }[]): void;
}

/** A registry symbol, so the runtime (local/) and the adapters (shared/) need not import each other. */
export const METER_SINK = Symbol.for('o2c.meter.sink');

/** The installed sink while metering is on, else undefined (always undefined on AWS). */
export function meterSink(): MeterSink | undefined {
  if (process.env[METER_ENV] !== '1') return undefined;
  return (globalThis as { [METER_SINK]?: MeterSink })[METER_SINK];
}

/**
 * DynamoDB operations that accept `ReturnConsumedCapacity`, under both the low-level names and the document
 * client's; asking for `TOTAL` makes DynamoDB (and DynamoDB Local) report the read and write units each consumed.
 */
const CAPACITY_REPORTING_OPERATIONS = new Set([
  'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems',
  'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction',
  'Get', 'Put', 'Update', 'Delete', 'BatchGet', 'BatchWrite', 'TransactGet', 'TransactWrite',
]);

/** The part of an SDK v3 client this module touches; typed loosely so one function serves every client. */
interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (next: (args: { input: object }) => Promise<{ output: object }>, context: { commandName?: string }) => (args: { input: object }) => Promise<{ output: object }>,
      options: { step: 'initialize'; name: string; priority?: 'low' },
    ): void;
  };
}

/**
 * Adds the metering middleware to a client when `O2C_METER=1` (the embedded runtime), and returns the client. For
 * DynamoDB it also asks for `ReturnConsumedCapacity: 'TOTAL'` where the operation takes it; the response's
 * `ConsumedCapacity` is extra data the adapters ignore. With metering off, the client is returned untouched.
 * `report` defaults to the installed sink; the runtime passes its own for the clients of its glue.
 */
export function metered<Client>(client: Client, service: MeteredService, report: (call: MeteredCall) => void = (call) => meterSink()?.call(call)): Client {
  if (process.env[METER_ENV] !== '1') return client;
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      if (service === 'dynamodb' && CAPACITY_REPORTING_OPERATIONS.has(operation) && !('ReturnConsumedCapacity' in args.input))
        args = { ...args, input: { ...args.input, ReturnConsumedCapacity: 'TOTAL' } };
      const input = args.input as Record<string, unknown>;
      try {
        const result = await next(args);
        report({ service, operation, input, output: result.output as Record<string, unknown> });
        return result;
      } catch (error) {
        const failure = error as Error;
        report({ service, operation, input, error: { name: failure.name, message: failure.message } });
        throw error;
      }
    },
    { step: 'initialize', name: 'o2cMeter', priority: 'low' },
  );
  return client;
}
