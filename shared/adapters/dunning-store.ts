import { brokenPromiseWork } from '#domain/worklists';
import { workMarkerChanges } from './worklist-markers.ts';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DunningPolicy } from '#domain/dunning';
import { keys } from '#domain/keys';
import type { DueInvoice, DunningRun, DunningStore } from '#domain/ports';
import { IF_ABSENT, putAudit, putIfVersion, withoutKeys, writeTransaction, type TransactItem } from './dynamo-items.ts';
import { customerItem, dunningQueueKeys } from './entities.ts';

/** Collections' reads and writes: the work queue (gsi3), the policy, and each customer's run of a day. */
export function dynamoDunningStore(client: DynamoDBDocumentClient, tableName: string): DunningStore {
  return {
    async policy() {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.dunningPolicy }));
      return Item?.policy as DunningPolicy | undefined;
    },

    async savePolicy(policy, savedBy, savedAt) {
      await client.send(new PutCommand({ TableName: tableName, Item: { ...keys.dunningPolicy, entityType: 'DunningPolicy', policy, savedBy, savedAt } }));
    },

    async due(today) {
      const items: DueInvoice[] = [];
      let readCapacity = 0;
      let cursor: Record<string, unknown> | undefined;
      do {
        const response = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'gsi3',
            KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk <= :through',
            ExpressionAttributeValues: { ':pk': keys.dunningQueuePartition, ':through': `${today}#\uffff` },
            ExclusiveStartKey: cursor,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        );
        readCapacity += response.ConsumedCapacity?.CapacityUnits ?? 0;
        items.push(...(response.Items ?? []).map((item) => withoutKeys<DueInvoice>(item)));
        cursor = response.LastEvaluatedKey;
      } while (cursor);
      return { items, readCapacity };
    },

    async runOf(date, customerId) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.dunningRun(date, customerId), ConsistentRead: true }));
      return Item ? withoutKeys<DunningRun>(Item) : undefined;
    },

    async recordRun({ run, invoices, customer, audits }) {
      const invoiceUpdates: TransactItem[] = invoices.map(({ invoice, dunning, at }) => {
        const queue: { gsi3pk?: string; gsi3sk?: string } = dunningQueueKeys({ ...invoice, document: { kind: 'invoice', dueDate: invoice.dueDate }, dunning });
        const queued = queue.gsi3sk !== undefined;
        return {
          Update: {
            TableName: tableName,
            Key: keys.invoice(invoice.id),
            UpdateExpression: `SET #dunning = :dunning, #version = :next, updatedAt = :at${queued ? ', gsi3pk = :pk, gsi3sk = :sk' : ''}${queued ? '' : ' REMOVE gsi3pk, gsi3sk'}`,
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#dunning': 'dunning', '#version': 'version' },
            ExpressionAttributeValues: { ':dunning': dunning, ':next': invoice.version + 1, ':version': invoice.version, ':at': at, ...(queued ? { ':pk': queue.gsi3pk, ':sk': queue.gsi3sk } : {}) },
          },
        };
      });
      const items: TransactItem[] = [
        ...(run ? [{ Put: { TableName: tableName, Item: { ...keys.dunningRun(run.date, run.customerId), entityType: 'DunningRun', ...run }, ConditionExpression: IF_ABSENT } }] : []),
        ...invoiceUpdates,
        ...(customer ? [putIfVersion(tableName, customerItem(customer.after), customer.before.version)] : []),
        ...audits.map((audit) => putAudit(tableName, audit)),
        // The run changes only the dunning state, so of the invoice's worklists only a broken promise can move.
        ...invoices.flatMap(({ invoice, dunning }) => workMarkerChanges(tableName, brokenPromiseWork(invoice), brokenPromiseWork({ ...invoice, dunning }))),
      ];
      return writeTransaction(client, items, { firstItemCreates: run !== undefined });
    },

    async markRunEmailed(date, customerId, messageId) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.dunningRun(date, customerId),
          UpdateExpression: 'SET email = :email',
          ExpressionAttributeValues: { ':email': { status: 'SENT', messageId } },
        }),
      );
    },
  };
}
