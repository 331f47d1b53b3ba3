/**
 * Read and write capacity as DynamoDB reports it, for the benches and the read-cost tests: a DynamoDB client whose
 * every read and write asks for `ReturnConsumedCapacity: 'TOTAL'` and adds up the units it is told, and a BatchWrite
 * seeder. DynamoDB Local returns units as DynamoDB prices them (4 KB read units, halved for eventually consistent
 * reads), except that a read which finds nothing reports 0 where AWS charges a minimum: `emptyReads` counts those
 * requests, so a reader can add AWS's minimum (0.5 unit each, eventually consistent) where it matters.
 */
import { DynamoDBClient, type ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Item } from '#adapters/dynamo-items';
import { localCredentials } from '../../local/engines/engine.ts';

const READS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand', 'GetCommand', 'BatchGetCommand', 'TransactGetItemsCommand', 'TransactGetCommand']);
const WRITES = new Set(['PutItemCommand', 'BatchWriteItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'PutCommand', 'BatchWriteCommand', 'UpdateCommand', 'DeleteCommand', 'TransactWriteItemsCommand', 'TransactWriteCommand']);

export interface Usage {
  readUnits: number;
  readRequests: number;
  /** Reads that reported 0 units (nothing found): AWS bills each its minimum, DynamoDB Local reports 0. */
  emptyReads: number;
  writeUnits: number;
  writeRequests: number;
  /** Requests whose response carried no ConsumedCapacity (should stay 0: then every unit was counted). */
  unmetered: number;
  /** Each request: its command and units. */
  log: { command: string; units: number }[];
}

export const noUsage = (): Usage => ({ readUnits: 0, readRequests: 0, emptyReads: 0, writeUnits: 0, writeRequests: 0, unmetered: 0, log: [] });

/** A document client whose every read and write asks for, and adds up, the capacity it consumed. */
export function meteredClient(endpoint: string | DynamoDBClient['config']['endpoint'], config: { region?: string; credentials?: typeof localCredentials } = {}) {
  const base = new DynamoDBClient({ endpoint, region: config.region ?? 'us-east-1', credentials: config.credentials ?? localCredentials });
  let usage = noUsage();
  base.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? '';
      const kind = READS.has(name) ? 'read' : WRITES.has(name) ? 'write' : undefined;
      if (!kind) return next(args);
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
      const units = consumed === undefined ? undefined : (Array.isArray(consumed) ? consumed : [consumed]).reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
      if (units === undefined) usage.unmetered += 1;
      usage.log.push({ command: name.replace(/Command$/, ''), units: units ?? 0 });
      if (kind === 'read') {
        usage.readRequests += 1;
        usage.readUnits += units ?? 0;
        if (units === 0) usage.emptyReads += 1;
      } else {
        usage.writeRequests += 1;
        usage.writeUnits += units ?? 0;
      }
      return result;
    },
    { step: 'initialize', name: 'o2cBenchConsumedCapacity' },
  );
  const documents = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false } });
  return {
    documents,
    /** Runs `work` and returns what it consumed (one measurement at a time). */
    async measure<T>(work: () => Promise<T>): Promise<{ result: T; usage: Usage; ms: number }> {
      usage = noUsage();
      const started = performance.now();
      const result = await work();
      return { result, usage, ms: performance.now() - started };
    },
    destroy: () => base.destroy(),
  };
}

/** Writes the items with BatchWrite, `parallel` batches at once, retrying what DynamoDB leaves unprocessed. */
export async function seedItems(documents: DynamoDBDocumentClient, tableName: string, items: readonly Item[], options: { parallel?: number; progress?: (done: number) => void } = {}): Promise<void> {
  const batches: Item[][] = [];
  for (let start = 0; start < items.length; start += 25) batches.push(items.slice(start, start + 25) as Item[]);
  let next = 0;
  await Promise.all(
    Array.from({ length: options.parallel ?? 8 }, async () => {
      while (next < batches.length) {
        const batch = batches[next++] as Item[];
        if (next % 400 === 0) options.progress?.(next * 25);
        let request: Record<string, { PutRequest: { Item: Item } }[]> | undefined = { [tableName]: batch.map((item) => ({ PutRequest: { Item: item } })) };
        while (request && Object.keys(request).length > 0) {
          const response = await documents.send(new BatchWriteCommand({ RequestItems: request }));
          request = response.UnprocessedItems as typeof request;
        }
      }
    }),
  );
}
