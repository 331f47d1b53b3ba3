import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '#domain/audit';
import type { Customer } from '#domain/customer';
import { keys } from '#domain/keys';
import type { Customers } from '#domain/ports';
import { IF_ABSENT, auditItem, decodeCursor, encodeCursor, failedConditions, withoutKeys } from './dynamo-items.ts';
import { customerItem } from './order-store.ts';

export function dynamoCustomers(client: DynamoDBDocumentClient, tableName: string): Customers {
  return {
    async get(customerId) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.customer(customerId), ConsistentRead: true }));
      return Item ? withoutKeys<Customer>(Item) : undefined;
    },

    async save(before, after, audit) {
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: customerItem(after),
                  ConditionExpression: '#version = :expected',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':expected': before.version },
                },
              },
              { Put: { TableName: tableName, Item: auditItem(audit), ConditionExpression: IF_ABSENT } },
            ],
          }),
        );
        return true;
      } catch (error) {
        if (failedConditions(error)?.length) return false;
        throw error;
      }
    },

    async history(customerId, page) {
      const response = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.customerPartition(customerId), ':prefix': keys.auditPrefix },
          Limit: page.limit,
          ExclusiveStartKey: decodeCursor(page.cursor),
        }),
      );
      return { items: (response.Items ?? []).map((item) => withoutKeys<AuditEvent>(item)), cursor: encodeCursor(response.LastEvaluatedKey) };
    },
  };
}
