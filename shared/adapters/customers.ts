import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '#domain/audit';
import type { Customer } from '#domain/customer';
import { keys } from '#domain/keys';
import type { Customers } from '#domain/ports';
import { queryGsi1Page, saveWithAudit, withoutKeys } from './dynamo-items.ts';
import { customerItem } from './entities.ts';

export function dynamoCustomers(client: DynamoDBDocumentClient, tableName: string): Customers {
  return {
    async get(customerId) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.customer(customerId), ConsistentRead: true }));
      return Item ? withoutKeys<Customer>(Item) : undefined;
    },

    save: (before, after, audit) => saveWithAudit(client, tableName, customerItem(after), before.version, audit),

    async history(customerId, page) {
      const result = await queryGsi1Page(client, tableName, { partition: keys.customerPartition(customerId), prefix: keys.auditPrefix, ...page });
      return { items: result.items.map((item) => withoutKeys<AuditEvent>(item)), cursor: result.cursor };
    },
  };
}
