import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, inject, it } from 'vitest';
import { sqsInvoicingQueue } from '#adapters/invoicing-queue';
import { dynamoInvoiceStore } from '#adapters/invoice-store';
import { newCustomer } from '#domain/customer';
import { keys } from '#domain/keys';
import { newOrder, revise } from '#domain/order';
import { issueInvoice } from '#domain/use-cases/issue-invoice';
import { demoSeller } from '#schemas/seller';
import { awsConfig, directDeps, eventually, sqsConfig, uniqueId } from './support.ts';

/** Shipped orders written directly, each with one recorded shipment, so only invoicing runs concurrently. */
async function shippedOrders(count: number) {
  const deps = directDeps();
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')), { marshallOptions: { removeUndefinedValues: true } });
  const now = new Date().toISOString();
  const customer = newCustomer({ id: deps.ids.next(), source: 'generic', externalId: uniqueId('C'), name: 'Numbers Ltd', email: 'n@x.example', country: 'DE', currency: 'EUR' }, 10_000_000, now);
  const orders = [];
  for (let index = 0; index < count; index++) {
    const order = newOrder(
      { source: 'generic', externalId: uniqueId('N'), orderedAt: now, currency: 'EUR', customer, lines: [{ sku: 'WIDGET-1', quantity: 1, unitPriceMinor: 1999, taxRatePpm: 190_000 }], shippingMinor: 0 },
      { orderId: deps.ids.next(), customerId: customer.id },
      now,
    );
    const shipped = revise(order, { status: 'SHIPPED', shippedQuantities: { 'WIDGET-1': 1 } }, now);
    await deps.orders.create({ order: shipped, newCustomer: index === 0 ? customer : undefined, audit: { id: deps.ids.next(), entity: 'order', entityId: order.id, type: 'OrderStored', actor: 'test', at: now } });
    await documents.send(
      new PutCommand({
        TableName: inject('o2cTable'),
        Item: { ...keys.shipment(order.id, 'DHL', `T${index}`), entityType: 'Shipment', orderId: order.id, carrier: 'DHL', trackingNumber: `T${index}`, shippedAt: now, quantities: { 'WIDGET-1': 1 }, recordedAt: now },
      }),
    );
    orders.push(shipped);
  }
  return { orders, documents };
}

describe('invoice numbers', () => {
  it('given 200 shipments queued at once for invoicing, when the FIFO consumer bills them, then 200 distinct consecutive numbers', async () => {
    const { orders, documents } = await shippedOrders(200);
    const queue = sqsInvoicingQueue(new SQSClient(sqsConfig()), inject('o2cQueues').invoicing!.url);
    const invoices = dynamoInvoiceStore(documents, inject('o2cTable'));

    await Promise.all(orders.map((order, index) => queue.enqueue({ orderId: order.id, shipmentKey: `DHL#T${index}` })));

    const numbers = await eventually(async () => {
      const ids = await Promise.all(orders.map((order, index) => invoices.findIdByShipment(order.id, `DHL#T${index}`)));
      if (ids.some((id) => id === undefined)) return undefined;
      const issued = await Promise.all(ids.map((id) => invoices.get(id!)));
      return issued.map((invoice) => invoice!.document.number);
    }, 120_000);
    const sequences = numbers.map((number) => Number(number.split('-')[2])).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(200);
    expect(sequences[199]! - sequences[0]!).toBe(199);
  }, 180_000);

  it('given 20 shipped orders, when all are invoiced at once in one series, then 20 distinct consecutive numbers (contention retried, no gap)', async () => {
    const { orders, documents } = await shippedOrders(20);
    const series = `T${Math.random().toString(36).slice(2, 6).toUpperCase().replace(/[^A-Z]/g, 'X')}`.slice(0, 6);
    const deps = { ...directDeps(), invoices: dynamoInvoiceStore(documents, inject('o2cTable')), seller: { ...demoSeller, invoiceSeries: series } };

    const issued = await Promise.all(orders.map((order, index) => issueInvoice({ orderId: order.id, shipmentKey: `DHL#T${index}` }, deps)));

    const sequences = issued.map((invoice) => Number(invoice.number.split('-')[2])).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(new Set(issued.map((invoice) => invoice.invoiceId)).size).toBe(20);
  }, 120_000);

  it('given an invoiced shipment, when invoiced again, then the same invoice comes back', async () => {
    const { orders, documents } = await shippedOrders(1);
    const deps = { ...directDeps(), invoices: dynamoInvoiceStore(documents, inject('o2cTable')), seller: demoSeller };

    const first = await issueInvoice({ orderId: orders[0]!.id, shipmentKey: 'DHL#T0' }, deps);
    const again = await issueInvoice({ orderId: orders[0]!.id, shipmentKey: 'DHL#T0' }, deps);

    expect(again).toEqual({ ...first, created: false });
  });
});
