import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeductionRecord } from '#domain/deduction';
import { keys } from '#domain/keys';
import type { DeductionStore } from '#domain/ports';
import { gsi1PartitionPage, putAudit, putIfVersion, transactIfUnchanged, withoutKeys } from './dynamo-items.ts';
import { customerItem, deductionItem, putInvoice, putOrder } from './entities.ts';
import { deductionMarkers, invoiceMarkers, orderMarkers } from './worklist-markers.ts';

/** Deductions on the table: one item each, listed by status through gsi1 (`DEDUCTIONS#<status>`), oldest first. */
export function dynamoDeductionStore(client: DynamoDBDocumentClient, tableName: string): DeductionStore {
  return {
    async get(deductionId) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.deduction(deductionId), ConsistentRead: true }));
      return Item ? withoutKeys<DeductionRecord>(Item) : undefined;
    },

    async list(status, page) {
      const result = await gsi1PartitionPage(client, tableName, keys.deductionsByStatusPartition(status), page);
      return { items: result.items.map((item) => withoutKeys<DeductionRecord>(item)), cursor: result.cursor };
    },

    async resolve({ deduction, invoice, customer, orders, audits }) {
      return transactIfUnchanged(client, [
        putIfVersion(tableName, deductionItem(deduction.after), deduction.before.version),
        putInvoice(tableName, invoice.before, invoice.after),
        ...(customer ? [putIfVersion(tableName, customerItem(customer.after), customer.before.version)] : []),
        ...(orders ?? []).map(({ before, after }) => putOrder(tableName, before, after)),
        ...audits.map((audit) => putAudit(tableName, audit)),
        ...deductionMarkers(tableName, deduction.before, deduction.after),
        ...invoiceMarkers(tableName, invoice.before, invoice.after),
        ...(orders ?? []).flatMap(({ before, after }) => orderMarkers(tableName, before, after)),
      ]);
    },
  };
}
