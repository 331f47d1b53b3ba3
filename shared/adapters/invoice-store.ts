import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '#domain/audit';
import { keys } from '#domain/keys';
import type { Invoice } from '#domain/invoice';
import type { Order } from '#domain/order';
import type { Dispute, InvoiceStore } from '#domain/ports';
import { IF_ABSENT, failedConditions, isContention, joinParts, movePartOut, putAudit, putIfVersion, queryGsi1Page, runTransaction, transactIfUnchanged, withoutKeys, type Item, type TransactItem } from './dynamo-items.ts';
import { epochSeconds } from '#domain/dates';
import { carriesItsDocument, customerItem, deductionItem, disputeItem, invoiceDocumentItem, invoiceFromItems, invoiceItem, invoiceSearchItems, putInvoice, putOrder, splitInvoice } from './entities.ts';
import { deductionMarkers, invoiceMarkers, orderMarkers } from './worklist-markers.ts';

/** Bounces arrive within minutes, complaints within weeks; half a year covers both. */
const EMAIL_LINK_SECONDS = 180 * 24 * 3600;

/** Statuses in which an invoice can still be paid: these are the open items of cash application and dunning. */




/** Takes number `sequence` of a counter only if the counter is at `sequence − 1` (or absent, for the first). */
function takeNumber(tableName: string, series: string, year: number, sequence: number): TransactItem {
  const key = keys.numberCounter(series, year);
  if (sequence === 1) return { Put: { TableName: tableName, Item: { ...key, entityType: 'NumberCounter', series, year, last: 1 }, ConditionExpression: IF_ABSENT } };
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: 'SET #last = :sequence',
      ConditionExpression: '#last = :previous',
      ExpressionAttributeNames: { '#last': 'last' },
      ExpressionAttributeValues: { ':sequence': sequence, ':previous': sequence - 1 },
    },
  };
}

export function dynamoInvoiceStore(client: DynamoDBDocumentClient, tableName: string): InvoiceStore {
  const getItem = async (key: { pk: string; sk: string }) => (await client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  return {
    async get(invoiceId) {
      // The invoice item and its document item: one strongly consistent query of the two.
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.invoice(invoiceId).pk, ':prefix': keys.invoiceItemsPrefix },
          ConsistentRead: true,
        }),
      );
      const item = Items.find((candidate) => candidate.sk === keys.invoice(invoiceId).sk);
      if (!item) return undefined;
      const documentItem = Items.find((candidate) => candidate.sk === keys.invoiceDocument(invoiceId).sk);
      const invoice = invoiceFromItems(item, documentItem);
      if (!documentItem && carriesItsDocument(item)) await moveDocumentOut(invoice);
      return invoice;
    },

    async findIdByShipment(orderId, shipmentKey) {
      return (await getItem(keys.invoiceRef(orderId, shipmentKey)))?.invoiceId as string | undefined;
    },

    async lastSequence(series, year) {
      return Number((await getItem(keys.numberCounter(series, year)))?.last ?? 0);
    },

    async create({ invoice, series, year, sequence, order, audit }) {
      try {
        await runTransaction(
          client,
          [
            takeNumber(tableName, series, year, sequence),
            { Put: { TableName: tableName, Item: invoiceItem(invoice), ConditionExpression: IF_ABSENT } },
            { Put: { TableName: tableName, Item: { ...keys.invoiceRef(invoice.orderId, invoice.shipmentKey), entityType: 'InvoiceRef', invoiceId: invoice.id }, ConditionExpression: IF_ABSENT } },
            putOrder(tableName, order.before, order.after),
            putAudit(tableName, audit),
            ...invoiceMarkers(tableName, undefined, invoice),
            ...orderMarkers(tableName, order.before, order.after as Order),
            ...invoiceSearchItems(invoice).map((item): TransactItem => ({ Put: { TableName: tableName, Item: item } })),
            // Last, so the positions the refusals are read by do not move.
            { Put: { TableName: tableName, Item: invoiceDocumentItem(invoice) } },
          ],
          { retryContention: false },
        );
        return 'created';
      } catch (error) {
        // Two writers on the counter at once: the next try reads the counter again.
        if (isContention(error)) return 'number-taken';
        const failed = failedConditions(error);
        if (failed === undefined) throw error;
        if (failed.includes(2)) return 'exists';
        if (failed.includes(0)) return 'number-taken';
        if (failed.includes(3)) return 'order-changed';
        throw error;
      }
    },

    async update(before, after, audit) {
      return transactIfUnchanged(client, [putInvoice(tableName, before, after), ...(audit ? [putAudit(tableName, audit)] : []), ...invoiceMarkers(tableName, before, after)]);
    },

    async createLinkedDocument({ document, series, year, sequence, invoice, customer, deduction, audit }) {
      try {
        await runTransaction(
          client,
          [
            takeNumber(tableName, series, year, sequence),
            { Put: { TableName: tableName, Item: invoiceItem(document), ConditionExpression: IF_ABSENT } },
            putInvoice(tableName, invoice.before, invoice.after),
            putAudit(tableName, audit),
            ...(customer ? [putIfVersion(tableName, customerItem(customer.after), customer.before.version)] : []),
            ...(deduction ? [putIfVersion(tableName, deductionItem(deduction.after), deduction.before.version)] : []),
            ...invoiceMarkers(tableName, undefined, document),
            ...invoiceSearchItems(document).map((item): TransactItem => ({ Put: { TableName: tableName, Item: item } })),
            ...invoiceMarkers(tableName, invoice.before, invoice.after),
            ...(deduction ? deductionMarkers(tableName, deduction.before, deduction.after) : []),
            { Put: { TableName: tableName, Item: invoiceDocumentItem(document) } },
          ],
          { retryContention: false },
        );
        return 'created';
      } catch (error) {
        // Two writers on the counter at once: the next try reads the counter again.
        if (isContention(error)) return 'number-taken';
        const failed = failedConditions(error);
        if (failed === undefined) throw error;
        if (failed.includes(0)) return 'number-taken';
        if (failed.includes(2) || failed.includes(4) || failed.includes(5)) return 'invoice-changed';
        throw error;
      }
    },

    async saveDispute(dispute, invoice, audit) {
      return transactIfUnchanged(client, [
        putIfVersion(tableName, disputeItem(dispute), dispute.version === 1 ? undefined : dispute.version - 1),
        putInvoice(tableName, invoice.before, invoice.after),
        putAudit(tableName, audit),
        ...invoiceMarkers(tableName, invoice.before, invoice.after),
      ]);
    },

    async linkEmailMessage(messageId, invoiceId, at) {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keys.emailMessage(messageId), entityType: 'EmailMessage', invoiceId, expiresAt: epochSeconds(at) + EMAIL_LINK_SECONDS },
        }),
      );
    },

    async findByEmailMessage(messageId) {
      const invoiceId = (await getItem(keys.emailMessage(messageId)))?.invoiceId as string | undefined;
      return invoiceId ? this.get(invoiceId) : undefined;
    },

    async getDispute(disputeId) {
      const item = await getItem(keys.dispute(disputeId));
      return item ? withoutKeys<Dispute>(item) : undefined;
    },

    async history(invoiceId, limit) {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.invoice(invoiceId).pk, ':prefix': keys.auditPrefix },
          Limit: limit,
        }),
      );
      return Items.map((item) => withoutKeys<AuditEvent>(item));
    },

    async listOfCustomer(customerId, page) {
      const result = await queryGsi1Page(client, tableName, { partition: keys.customerPartition(customerId), prefix: keys.invoicesOfCustomerPrefix, ...page });
      return { items: await invoicesOfItems(client, tableName, result.items), cursor: result.cursor };
    },
  };

  function moveDocumentOut(invoice: Invoice): Promise<void> {
    return movePartOut(client, tableName, { part: invoiceDocumentItem(invoice), header: invoiceItem(invoice), version: invoice.version });
  }
}

/** The invoices of invoice items read from an index or a BatchGet, with their documents. */
export const invoicesOfItems = (client: DynamoDBDocumentClient, tableName: string, items: readonly Item[]): Promise<Invoice[]> => joinParts(client, tableName, items, splitInvoice);
