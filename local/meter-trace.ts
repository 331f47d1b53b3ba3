import { appendFileSync } from 'node:fs';

/**
 * `O2C_METER_TRACE=<file>`: one JSON line per DynamoDB write that consumed capacity, with the function that made
 * it, the operation, the write units and what it wrote (each item's entity type, its JSON size and the indexes it
 * is in; an update or delete by its sort-key prefix). For finding where write units go (issue 16); off by default.
 */
export const METER_TRACE_ENV = 'O2C_METER_TRACE';

type Item = Record<string, unknown>;
type Request = { Put?: { Item: Item }; Update?: { Key: Item }; Delete?: { Key: Item }; ConditionCheck?: { Key: Item } };

const INDEX_KEYS = ['gsi1pk', 'gsi2pk', 'gsi3pk', 'gsi4pk'];
const prefixOf = (key: Item) => String(key.sk ?? key.pk ?? '?').split('#')[0]!;
const describeItem = (item: Item) => ({ entity: String(item.entityType ?? prefixOf(item)), bytes: Buffer.byteLength(JSON.stringify(item)), indexes: INDEX_KEYS.filter((key) => key in item) });

function written(input: Readonly<Record<string, unknown>>): unknown[] {
  const parts: unknown[] = [];
  if (input.Item) parts.push(describeItem(input.Item as Item));
  else if (input.Key) parts.push({ update: prefixOf(input.Key as Item) });
  for (const request of (input.TransactItems ?? []) as Request[]) {
    if (request.Put) parts.push(describeItem(request.Put.Item));
    else if (request.Update) parts.push({ update: prefixOf(request.Update.Key) });
    else if (request.Delete) parts.push({ delete: prefixOf(request.Delete.Key) });
    else parts.push({ check: prefixOf(request.ConditionCheck?.Key ?? {}) });
  }
  for (const requests of Object.values((input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: Item } }[]>))
    for (const request of requests) parts.push(request.PutRequest ? describeItem(request.PutRequest.Item) : { delete: '?' });
  return parts;
}

export function traceWrite(functionKey: string | undefined, operation: string, input: Readonly<Record<string, unknown>>, writeMilliUnits: number): void {
  const file = process.env[METER_TRACE_ENV];
  if (!file || writeMilliUnits <= 0) return;
  appendFileSync(file, `${JSON.stringify({ function: functionKey ?? 'runtime', operation, writeUnits: writeMilliUnits / 1000, items: written(input) })}\n`);
}
