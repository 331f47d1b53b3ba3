import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { invoiceDocumentItem, invoiceItem } from '#adapters/entities';
import { dynamoReceivables } from '#adapters/receivables';
import { addDays } from '#domain/dates';
import type { Invoice } from '#domain/invoice';
import { keys } from '#domain/keys';
import { eurInvoice } from '../fixtures/invoices/samples.ts';
import { awsConfig, batchWrite, uniqueId } from './support.ts';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')), { marshallOptions: { removeUndefinedValues: true } });


/**
 * DynamoDB ends a Query page once it has read 1 MB, before the filter; DynamoDB Local does not measure pages the same
 * way, so this client ends every page after `items` items, as the service does when `items` invoices fill 1 MB.
 */
function pagingAfter(items: number): DynamoDBDocumentClient {
  return new Proxy(documents, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver) as unknown;
      return (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
        if (command instanceof QueryCommand) command.input.Limit = Math.min(command.input.Limit ?? items, items);
        return target.send(command);
      };
    },
  });
}

const TODAY = new Date('2026-07-01T09:30:00Z');

/** One invoice of `customerId`; paid ones carry a long note, as real invoices carry lines: their items are ~5 KB. */
function invoiceOf(customerId: string, index: number, dueDate: string, state: { status: Invoice['status']; openMinor: number }): Invoice {
  const id = `${customerId}-${String(index).padStart(5, '0')}`;
  return {
    id,
    customerId,
    orderId: `${id}-O`,
    shipmentKey: `GLS#${id}`,
    document: { ...eurInvoice, id, number: `RP-${String(index).padStart(6, '0')}`, dueDate, notes: ['Thank you for your order. '.repeat(180)] },
    status: state.status,
    openMinor: state.openMinor,
    paidMinor: eurInvoice.payableMinor - state.openMinor,
    email: { status: 'SENT', attempts: 1 },
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    version: 2,
  };
}

describe('receivables reads that cannot miss', () => {
  const tableName = inject('o2cTable');
  const customerId = uniqueId('LONG');
  const written: Invoice[] = [];
  // Four years of paid invoices (several 1 MB pages), then what is still overdue, due last.
  beforeAll(async () => {
    for (let index = 0; index < 400; index++) written.push(invoiceOf(customerId, index, addDays('2022-01-03', index * 3), { status: 'PAID', openMinor: 0 }));
    written.push(invoiceOf(customerId, 900, '2026-05-02', { status: 'DISPUTED', openMinor: 1_000 }));
    written.push(invoiceOf(customerId, 901, '2026-06-01', { status: 'PARTIALLY_PAID', openMinor: 2_500 }));
    // Due today: not overdue yet.
    written.push(invoiceOf(customerId, 902, '2026-07-01', { status: 'OPEN', openMinor: 3_000 }));
    await batchWrite(tableName, written.flatMap((invoice) => [{ PutRequest: { Item: invoiceItem(invoice) } }, { PutRequest: { Item: invoiceDocumentItem(invoice) } }]));
  }, 120_000);
  // Other tests scan the shared table and read open items: leave nothing behind.
  afterAll(async () => batchWrite(tableName, written.flatMap((invoice) => [{ DeleteRequest: { Key: keys.invoice(invoice.id) } }, { DeleteRequest: { Key: keys.invoiceDocument(invoice.id) } }])), 120_000);

  it('given a customer with 400 paid invoices before its overdue ones, when credit asks for the oldest overdue days, then the disputed one due 60 days ago counts', async () => {
    const receivables = dynamoReceivables(pagingAfter(200), tableName);

    expect(await receivables.oldestOverdueDays(customerId, TODAY)).toBe(60);
  });

  it('given the same customer, when a payment asks what undisputed invoice is still overdue, then the part-paid one behind the 1 MB page is found', async () => {
    const receivables = dynamoReceivables(pagingAfter(200), tableName);

    expect(await receivables.overdueInvoiceIds(customerId, TODAY)).toEqual([`${customerId}-00901`]);
  });

  it('given pages of 7 items (the adapter’s own page size), when both questions are asked, then the answers are the same', async () => {
    const receivables = dynamoReceivables(documents, tableName, { pageSize: 7 });

    expect(await receivables.oldestOverdueDays(customerId, TODAY)).toBe(60);
    expect(await receivables.overdueInvoiceIds(customerId, TODAY)).toEqual([`${customerId}-00901`]);
    expect(await receivables.overdueInvoiceIds(customerId, new Date('2026-07-02T00:00:00Z'))).toEqual([`${customerId}-00901`, `${customerId}-00902`]);
  });

  it('given a customer with no invoices, when asked, then nothing is overdue', async () => {
    const receivables = dynamoReceivables(documents, tableName, { pageSize: 7 });

    expect(await receivables.oldestOverdueDays(uniqueId('NONE'), TODAY)).toBe(0);
    expect(await receivables.overdueInvoiceIds(uniqueId('NONE'), TODAY)).toEqual([]);
  });
});
