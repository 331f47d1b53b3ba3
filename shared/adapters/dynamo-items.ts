import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DeleteCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '#domain/audit';
import { InvalidRequest } from '#domain/errors';
import { keys } from '#domain/keys';
import { jitteredBackoff, retryOnChange } from '#domain/retry';

export type Item = Record<string, unknown>;

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'gsi4pk', 'gsi4sk', 'entityType', 'expiresAt'];

/** A stored item as its domain object: the table's key and bookkeeping attributes removed. */
export function withoutKeys<T>(item: Item): T {
  const copy: Item = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete copy[attribute];
  return copy as T;
}

/** An audit event in its entity's item collection, in its customer's history when it has one, and (orders', invoices') in its day's events. */
export function auditItem(event: AuditEvent): Item {
  const key =
    event.entity === 'order'
      ? keys.orderAudit(event.entityId, event.at, event.id)
      : event.entity === 'customer'
        ? keys.customerAudit(event.entityId, event.at, event.id)
        : event.entity === 'invoice'
          ? { pk: keys.invoice(event.entityId).pk, sk: `${keys.auditPrefix}${event.at}#${event.id}` }
          : event.entity === 'payment'
            ? { pk: keys.payment(event.entityId).pk, sk: `${keys.auditPrefix}${event.at}#${event.id}` }
            : keys.productAudit(event.entityId, event.at, event.id);
  const customerIndex = event.customerId ? keys.auditOfCustomer(event.customerId, event.at, event.id) : {};
  const dayIndex = event.entity === 'order' || event.entity === 'invoice' ? keys.eventsOfDay(event.entity, event.at, event.id) : {};
  return { ...key, ...customerIndex, ...dayIndex, entityType: 'AuditEvent', ...event };
}

export const IF_ABSENT = 'attribute_not_exists(pk)';

/** Which transaction items failed their condition (by index), or undefined if the error is something else. */
export function failedConditions(error: unknown): number[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const reasons = error.CancellationReasons ?? [];
  if (reasons.some((reason) => reason.Code === 'TransactionConflict' || reason.Code === 'ThrottlingError')) return undefined;
  return reasons.flatMap((reason, index) => (reason.Code === 'ConditionalCheckFailed' ? [index] : []));
}

/** True for the cancellations that another writer caused and a retry may clear. */
export function isContention(error: unknown): boolean {
  if (!(error instanceof TransactionCanceledException)) return (error as Error).name === 'TransactionConflictException';
  return (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict' || reason.Code === 'ThrottlingError');
}

/** Pagination cursors are the last evaluated key, opaque to clients. */
export const encodeCursor = (key: Item | undefined) => (key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null);
export function decodeCursor(cursor: string | undefined): Item | undefined {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof key === 'object' && key !== null && !Array.isArray(key)) return key as Item;
  } catch {
    // falls through to the client error
  }
  throw new InvalidRequest('cursor is not one this API returned');
}

/**
 * Runs a paged query; a cursor DynamoDB refuses (another list's, or one made up) is the client's mistake, a 400, not
 * a 500. DynamoDB checks a start key against the query's partition and range only when it is given.
 */
export async function withCursor<T>(cursor: string | undefined, query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    if (cursor && (error as Error).name === 'ValidationException') throw new InvalidRequest('cursor does not belong to this list: start again without it');
    throw error;
  }
}

export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** Puts an item only if it is still at `expectedVersion` (optimistic concurrency), or only if absent without one. */
export function putIfVersion(tableName: string, item: Item, expectedVersion: number | undefined): TransactItem {
  if (expectedVersion === undefined) return { Put: { TableName: tableName, Item: item, ConditionExpression: IF_ABSENT } };
  return {
    Put: {
      TableName: tableName,
      Item: item,
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': expectedVersion },
    },
  };
}

/**
 * One item alone as the plain conditional write it amounts to: as atomic, at half the write units of a
 * TransactWriteItems. Its refused condition is reported as the transaction would report it (a cancellation whose
 * only item failed its condition), so every caller's reading of `CancellationReasons` holds whichever way it went.
 * A ConditionCheck alone writes nothing and stays a transaction.
 */
async function writeAlone(client: DynamoDBDocumentClient, item: TransactItem): Promise<void> {
  try {
    if (item.Put) await client.send(new PutCommand(item.Put));
    else if (item.Update) await client.send(new UpdateCommand(item.Update));
    else if (item.Delete) await client.send(new DeleteCommand(item.Delete));
    else await client.send(new TransactWriteCommand({ TransactItems: [item] }));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException) && (error as Error).name !== 'ConditionalCheckFailedException') throw error;
    throw new TransactionCanceledException({
      message: `Transaction cancelled: ${(error as Error).message}`,
      $metadata: (error as ConditionalCheckFailedException).$metadata ?? {},
      CancellationReasons: [{ Code: 'ConditionalCheckFailed', Message: (error as Error).message }],
    });
  }
}

/**
 * The one place items are written together. Contention (another transaction on one of the items, throttling) is
 * retried with jittered backoff unless the caller retries itself (`retryContention: false`, e.g. a number counter
 * whose next try must read the counter again); a failed condition or any other error is thrown. One item is written
 * alone (`writeAlone`): the same outcome at half the units.
 */
export async function runTransaction(client: DynamoDBDocumentClient, items: TransactItem[], options: { retryContention?: boolean } = {}): Promise<void> {
  if (items.length === 0) return;
  const send = async () => {
    if (items.length === 1) await writeAlone(client, items[0]!);
    else await client.send(new TransactWriteCommand({ TransactItems: items }));
  };
  if (options.retryContention === false) await send();
  else await retryOnChange('transaction contention', send, { attempts: 8, retryOn: isContention, pauseMs: jitteredBackoff(25) });
}

/** Runs a transaction; `false` when a condition failed (someone moved on meanwhile), anything else throws. */
export async function transactIfUnchanged(client: DynamoDBDocumentClient, items: TransactItem[]): Promise<boolean> {
  try {
    await runTransaction(client, items);
    return true;
  } catch (error) {
    if (failedConditions(error)?.length) return false;
    throw error;
  }
}

/**
 * Writes one transaction: `exists` when its first item creates something that is already there (a redelivery),
 * `changed` when another item's condition failed (someone moved on meanwhile); other errors are thrown.
 */
export async function writeTransaction(client: DynamoDBDocumentClient, items: TransactItem[], options: { firstItemCreates: boolean }): Promise<'written' | 'exists' | 'changed'> {
  try {
    await runTransaction(client, items);
    return 'written';
  } catch (error) {
    const failed = failedConditions(error);
    if (failed === undefined) throw error;
    return options.firstItemCreates && failed.includes(0) ? 'exists' : 'changed';
  }
}

export const putAudit = (tableName: string, event: AuditEvent): TransactItem => ({ Put: { TableName: tableName, Item: auditItem(event), ConditionExpression: IF_ABSENT } });

/** A versioned item and its audit event in one transaction; false when someone changed the item first. */
export const saveWithAudit = (client: DynamoDBDocumentClient, tableName: string, item: Item, expectedVersion: number | undefined, audit: AuditEvent): Promise<boolean> =>
  transactIfUnchanged(client, [putIfVersion(tableName, item, expectedVersion), putAudit(tableName, audit)]);

/** One page of a gsi1 item collection under a sort-key prefix (a customer's orders, its history). */
export async function queryGsi1Page(
  client: DynamoDBDocumentClient,
  tableName: string,
  query: { partition: string; prefix: string; limit: number; cursor?: string | undefined; filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> } | undefined },
): Promise<{ items: Item[]; cursor: string | null }> {
  const response = await withCursor(query.cursor, () => client.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ...(query.filter ? { FilterExpression: query.filter.expression, ExpressionAttributeNames: query.filter.names } : {}),
      ExpressionAttributeValues: { ':pk': query.partition, ':prefix': query.prefix, ...query.filter?.values },
      Limit: query.limit,
      ExclusiveStartKey: decodeCursor(query.cursor),
    }),
  ));
  return { items: response.Items ?? [], cursor: encodeCursor(response.LastEvaluatedKey) };
}

/** A page of one whole gsi1 partition (a status list: payments, deductions), in sort-key order. */
export async function gsi1PartitionPage(client: DynamoDBDocumentClient, tableName: string, partition: string, page: { limit: number; cursor?: string | undefined }): Promise<{ items: Item[]; cursor: string | null }> {
  const response = await withCursor(page.cursor, () =>
    client.send(new QueryCommand({ TableName: tableName, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': partition }, Limit: page.limit, ExclusiveStartKey: decodeCursor(page.cursor) })),
  );
  return { items: response.Items ?? [], cursor: encodeCursor(response.LastEvaluatedKey) };
}

/** BatchGet's and BatchWrite's caps on keys per call. */
const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;
/** Unprocessed keys are asked again after a jittered pause, this many times at most: a throttled table gets room. */
const BATCH_ATTEMPTS = 8;
const batchPause = jitteredBackoff(50, 2_000);

async function untilProcessed<R>(first: R, send: (request: R) => Promise<R | undefined>, what: string): Promise<void> {
  let request: R | undefined = first;
  for (let attempt = 0; request; attempt++) {
    if (attempt >= BATCH_ATTEMPTS) throw new Error(`${what} left items unprocessed after ${BATCH_ATTEMPTS} attempts`);
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, batchPause(attempt)));
    request = await send(request);
  }
}

/** The items of `itemKeys` that exist (any order), strongly consistent unless told: batches of 100, unprocessed keys asked again. */
export async function batchGetItems(client: DynamoDBDocumentClient, tableName: string, itemKeys: readonly { pk: string; sk: string }[], options: { consistent?: boolean } = {}): Promise<Item[]> {
  const found: Item[] = [];
  for (let start = 0; start < itemKeys.length; start += BATCH_GET_LIMIT) {
    await untilProcessed<Record<string, { Keys: Item[]; ConsistentRead?: boolean }>>(
      { [tableName]: { Keys: itemKeys.slice(start, start + BATCH_GET_LIMIT), ConsistentRead: options.consistent ?? true } },
      async (request) => {
        const response = await client.send(new BatchGetCommand({ RequestItems: request }));
        found.push(...(response.Responses?.[tableName] ?? []));
        const left = response.UnprocessedKeys as typeof request | undefined;
        return left && Object.keys(left).length > 0 ? left : undefined;
      },
      'BatchGetItem',
    );
  }
  return found;
}

/** Puts whole items, 25 a call, unprocessed ones put again. Not a transaction: for items each correct on its own. */
export async function batchPutItems(client: DynamoDBDocumentClient, tableName: string, items: readonly Item[]): Promise<void> {
  for (let start = 0; start < items.length; start += BATCH_WRITE_LIMIT) {
    await untilProcessed<Record<string, { PutRequest: { Item: Item } }[]>>(
      { [tableName]: items.slice(start, start + BATCH_WRITE_LIMIT).map((item) => ({ PutRequest: { Item: item } })) },
      async (request) => {
        const response = await client.send(new BatchWriteCommand({ RequestItems: request }));
        const left = response.UnprocessedItems as typeof request | undefined;
        return left && Object.keys(left).length > 0 ? left : undefined;
      },
      'BatchWriteItem',
    );
  }
}

/** Every item of one query, following its pages. */
export async function queryAll(client: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const response = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(response.Items ?? []));
    start = response.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * An entity kept as a header item (rewritten on every change) and a part written once (an order's detail, an
 * invoice's document). How the store finds, joins and recognises the two.
 */
export interface SplitEntity<T> {
  /** The key of the written-once part of the entity with this id. */
  partKey(id: string): { pk: string; sk: string };
  /** The id of the entity a part item belongs to. */
  ownerOf(part: Item): string;
  /** True for an item written before the split: it still carries the part. */
  carriesItsPart(item: Item): boolean;
  join(header: Item, part: Item | undefined): T;
}

/** The entities of header items read from an index or a BatchGet: their parts in one strongly consistent BatchGet (a part is written with its header). */
export async function joinParts<T>(client: DynamoDBDocumentClient, tableName: string, items: readonly Item[], entity: SplitEntity<T>): Promise<T[]> {
  const wanted = items.filter((item) => !entity.carriesItsPart(item)).map((item) => entity.partKey(String(item.id)));
  const parts = new Map((await batchGetItems(client, tableName, wanted)).map((part) => [entity.ownerOf(part), part]));
  return items.map((item) => entity.join(item, parts.get(String(item.id))));
}

/**
 * An item written before the split: its part is put on its own and the header put without it, while the entity is
 * still at the version read, so the next change writes the header alone. If someone changed it meanwhile, the next
 * read moves it.
 */
export async function movePartOut(client: DynamoDBDocumentClient, tableName: string, moved: { part: Item; header: Item; version: number }): Promise<void> {
  try {
    await runTransaction(client, [{ Put: { TableName: tableName, Item: moved.part, ConditionExpression: IF_ABSENT } }, putIfVersion(tableName, moved.header, moved.version)]);
  } catch (error) {
    if (!failedConditions(error)) throw error;
  }
}

/**
 * The write that replaces a header item if it is still at `expectedVersion` and is not of the old layout (`partAttribute`
 * in it): replacing such an item would drop its part, so the write is refused as a change, and the store's next read
 * moves the part out first.
 */
export function putHeader(tableName: string, header: Item, expectedVersion: number, partAttribute: string): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: header,
      ConditionExpression: '#version = :expected AND attribute_not_exists(#part)',
      ExpressionAttributeNames: { '#version': 'version', '#part': partAttribute },
      ExpressionAttributeValues: { ':expected': expectedVersion },
    },
  };
}
