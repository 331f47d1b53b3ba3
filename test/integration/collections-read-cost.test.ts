import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { dynamoDunningStore } from '#adapters/dunning-store';
import { invoiceDocumentItem, invoiceItem } from '#adapters/entities';
import { creditorReferenceFor } from '#domain/creditor-reference';
import { addDays } from '#domain/dates';
import { keys } from '#domain/keys';
import type { Invoice } from '#domain/invoice';
import { eurInvoice } from '../fixtures/invoices/samples.ts';
import { awsConfig, batchWrite, uniqueId } from './support.ts';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')), { marshallOptions: { removeUndefinedValues: true } });

/** An open invoice whose next dunning step is due on `nextActionDate`. */
function openInvoice(run: string, index: number, dueDate: string, nextActionDate: string): Invoice {
  const id = `${run}-${String(index).padStart(5, '0')}`;
  const number = `RC-${run.slice(-6)}-${String(index).padStart(6, '0')}`;
  return {
    id,
    customerId: `${run}-C${index % 200}`,
    orderId: `${run}-O${index}`,
    shipmentKey: `GLS#${id}`,
    document: { ...eurInvoice, id, number, paymentReference: creditorReferenceFor(number), dueDate },
    status: 'OPEN',
    openMinor: eurInvoice.payableMinor,
    email: { status: 'SENT', attempts: 1 },
    dunning: { level: 0, nextActionDate },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
  };
}


describe('collections read cost', () => {
  const written: Invoice[] = [];
  // Other tests scan the shared table: 10 000 extra items would slow every one of them down.
  afterAll(async () => batchWrite(inject('o2cTable'), written.flatMap((invoice) => [{ DeleteRequest: { Key: keys.invoice(invoice.id) } }, { DeleteRequest: { Key: keys.invoiceDocument(invoice.id) } }])), 180_000);

  it('given 10 000 open invoices of which 100 are due, when the run reads its work queue, then it reads the 100 and consumes at most 2 read units per due invoice', async () => {
    const tableName = inject('o2cTable');
    const run = uniqueId('RC');
    // A day far in the future, so invoices of other tests are not due yet; 100 due on it, 9 900 later.
    const today = '2031-06-15';
    const invoices = Array.from({ length: 10_000 }, (_, index) =>
      index < 100 ? openInvoice(run, index, addDays(today, -1), addDays(today, index % 3 === 0 ? 0 : -index % 5)) : openInvoice(run, index, addDays(today, 30 + (index % 60)), addDays(today, 16 + (index % 60))),
    );
    written.push(...invoices);
    await batchWrite(tableName, invoices.flatMap((invoice) => [{ PutRequest: { Item: invoiceItem(invoice) } }, { PutRequest: { Item: invoiceDocumentItem(invoice) } }]));

    const { items, readCapacity } = await dynamoDunningStore(documents, tableName).due(today);
    const ours = items.filter((item) => item.id.startsWith(run));

    expect(ours).toHaveLength(100);
    expect(items.length).toBeLessThan(1_000); // the queue holds what is due, not every open invoice
    console.log(`collections read cost: ${items.length} due item(s) read (100 of this test's 10 000), ${readCapacity} read capacity units`);
    expect(readCapacity).toBeGreaterThan(0);
    expect(readCapacity).toBeLessThanOrEqual(2 * items.length);
  }, 180_000);
});
