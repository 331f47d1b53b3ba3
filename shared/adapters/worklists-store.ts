import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#domain/keys';
import type { WorklistReader } from '#domain/use-cases/worklists';
import type { MarkerKind, WorkEntry } from '#domain/worklists';
import { decodeCursor, encodeCursor, withCursor, withoutKeys, type Item } from './dynamo-items.ts';

/** The worklists' markers (gsi4), one partition per kind, oldest first. */
export function dynamoWorklists(client: DynamoDBDocumentClient, tableName: string): WorklistReader {
  const query = (kind: MarkerKind, limit: number | undefined, cursor: string | undefined) =>
    withCursor(cursor, () => client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi4',
        KeyConditionExpression: 'gsi4pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.worklistPartition(kind) },
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor),
      }),
    ));
  return {
    async page(kind, page) {
      const response = await query(kind, page.limit, page.cursor);
      return { items: (response.Items ?? []).map((item) => withoutKeys<WorkEntry>(item)), cursor: encodeCursor(response.LastEvaluatedKey) };
    },

    /** Every entry of one worklist: reads that worklist's partition only, however large the ledger. */
    async all(kind) {
      const entries: WorkEntry[] = [];
      let cursor: string | undefined;
      do {
        const response = await query(kind, undefined, cursor);
        entries.push(...(response.Items ?? []).map((item: Item) => withoutKeys<WorkEntry>(item)));
        cursor = encodeCursor(response.LastEvaluatedKey) ?? undefined;
      } while (cursor);
      return entries;
    },
  };
}


