import { describe, expect, it } from 'vitest';
import { invoiceDocumentItem, invoiceFromItems, invoiceItem, orderDetailItem, orderFromItems, orderItem, putInvoice, putOrder } from '#adapters/entities';
import type { Invoice } from '#domain/invoice';
import { newOrder, type Order } from '#domain/order';
import { eurInvoice } from '../../fixtures/invoices/samples.ts';

const order: Order = newOrder(
  {
    source: 'shopify',
    externalId: 'E1',
    orderedAt: '2026-11-23T10:00:00Z',
    currency: 'EUR',
    customer: { externalId: 'C', name: 'N', email: 'e@x.example', country: 'DE' },
    lines: [
      { sku: 'A', description: 'Widget', quantity: 2, unitPriceMinor: 1999, taxRatePpm: 190_000 },
      { sku: 'B', quantity: 1, unitPriceMinor: 500, taxRatePpm: 70_000 },
    ],
    shippingMinor: 490,
    billingAddress: { name: 'A. Buyer', line1: 'Hauptstraße 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
    shippingAddress: { name: 'A. Buyer', line1: 'Lager 2', city: 'Berlin', postalCode: '10117', country: 'DE' },
    storeTotals: { totalMinor: 5033 },
    payment: { status: 'paid', capturedMinor: 5033 },
  },
  { orderId: 'O1', customerId: 'C1' },
  '2026-11-23T10:00:00Z',
);

describe('order items: what never changes apart from what does', () => {
  it('given an order, when mapped, then its lines, addresses and store figures are in its detail item, not in the order item its status changes rewrite', () => {
    const item = orderItem(order);
    const detail = orderDetailItem(order);

    for (const attribute of ['lines', 'billingAddress', 'shippingAddress', 'storeTotals', 'payment']) expect(item).not.toHaveProperty(attribute);
    expect(item).toMatchObject({ pk: 'ORDER#O1', sk: 'ORDER', gsi1pk: 'CUSTOMER#C1', gsi4pk: 'LIST#order#NEW', status: 'NEW', totalMinor: order.totalMinor, version: order.version });
    expect(detail).toMatchObject({ pk: 'ORDER#O1', sk: 'ORDER#DETAIL', entityType: 'OrderDetail', orderId: 'O1', lines: order.lines, billingAddress: order.billingAddress });
    expect(Object.keys(detail).filter((key) => key.startsWith('gsi'))).toEqual([]);
  });

  it('given the two items, when read back, then they are the order', () => {
    expect(orderFromItems(orderItem(order), orderDetailItem(order))).toEqual(order);
  });

  it('given an order item written before details had an item of their own, when read alone, then it is the whole order', () => {
    const whole = { ...orderItem(order), ...order };

    expect(orderFromItems(whole, undefined)).toEqual(order);
  });

  it('given a status change, when the order is put, then only the order item is written, if still at the version read and not of the old layout', () => {
    const after: Order = { ...order, status: 'RECEIVED', version: order.version + 1 };

    expect(putOrder('t', order, after)).toEqual({
      Put: {
        TableName: 't',
        Item: orderItem(after),
        ConditionExpression: '#version = :expected AND attribute_not_exists(#part)',
        ExpressionAttributeNames: { '#version': 'version', '#part': 'lines' },
        ExpressionAttributeValues: { ':expected': order.version },
      },
    });
  });

  it('given a change that would alter the lines, when the order is put, then it is refused rather than lost', () => {
    const after: Order = { ...order, lines: order.lines.slice(1), version: order.version + 1 };

    expect(() => putOrder('t', order, after)).toThrow(/written once/);
  });
});

describe('invoice items: the document as issued apart from the state that changes', () => {
  const invoice: Invoice = {
    id: eurInvoice.id,
    customerId: 'C-1',
    orderId: 'O-1',
    shipmentKey: 'DHL#1',
    document: eurInvoice,
    status: 'OPEN',
    openMinor: eurInvoice.payableMinor,
    email: { status: 'PENDING', attempts: 0 },
    createdAt: '2026-03-02T10:00:00.000Z',
    updatedAt: '2026-03-02T10:00:00.000Z',
    version: 1,
  };

  it('given an invoice, when mapped, then its document is in its own item, in no index, and the invoice item keeps only what the indexes read of it', () => {
    const item = invoiceItem(invoice);
    const documentItem = invoiceDocumentItem(invoice);

    expect(item).not.toHaveProperty('document');
    expect(item).toMatchObject({ pk: `INVOICE#${invoice.id}`, sk: 'INVOICE', gsi2pk: 'OPEN#EUR', dueDate: eurInvoice.dueDate, currency: 'EUR', invoiceNumber: eurInvoice.number, openMinor: invoice.openMinor });
    expect(documentItem).toEqual({ pk: `INVOICE#${invoice.id}`, sk: 'INVOICE#DOCUMENT', entityType: 'InvoiceDocument', invoiceId: invoice.id, document: eurInvoice });
  });

  it('given the two items, or an old-layout item alone, when read back, then they are the invoice', () => {
    expect(invoiceFromItems(invoiceItem(invoice), invoiceDocumentItem(invoice))).toEqual(invoice);
    expect(invoiceFromItems({ ...invoiceItem(invoice), document: eurInvoice }, undefined)).toEqual(invoice);
  });

  it('given a payment, when the invoice is put, then only the invoice item is written, if still at the version read and not of the old layout; a changed document is refused', () => {
    const paid: Invoice = { ...invoice, status: 'PAID', openMinor: 0, version: 2 };

    expect(putInvoice('t', invoice, paid)).toEqual({
      Put: {
        TableName: 't',
        Item: invoiceItem(paid),
        ConditionExpression: '#version = :expected AND attribute_not_exists(#part)',
        ExpressionAttributeNames: { '#version': 'version', '#part': 'document' },
        ExpressionAttributeValues: { ':expected': 1 },
      },
    });
    expect(() => putInvoice('t', invoice, { ...paid, document: { ...eurInvoice, lines: [] } })).toThrow(/written once/);
  });
});
