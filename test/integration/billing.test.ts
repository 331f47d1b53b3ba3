import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, inject, it } from 'vitest';
import { dynamoInvoiceStore } from '#adapters/invoice-store';
import { recordEmailEvent } from '#domain/use-cases/billing';
import { genericOrder } from '../support/fixtures.ts';
import { awsConfig, baseUrl, createProduct, directDeps, eventually, getAs, orderByExternalId, orderInStatus, postOrder, postSigned, uniqueId } from './support.ts';

interface InvoiceView {
  id: string;
  number: string;
  totalMinor: number;
  netMinor: number;
  taxMinor: number;
  openMinor: number;
  status: string;
  reference: string;
  email: { status: string };
  pdfUrl: string | null;
  ublUrl: string | null;
}

async function shippableOrder(sku: string, quantity: number, email: string) {
  const order = genericOrder({ customer: { externalId: uniqueId('C'), name: 'Billing Test GmbH', email, country: 'DE' }, lines: [{ sku, quantity, unitPriceMinor: 1999, taxRatePercent: 19 }], shippingMinor: 500 });
  await postOrder(JSON.stringify(order));
  const stored = await eventually(async () => orderByExternalId(String(order.externalId)));
  return orderInStatus(String(stored.id), ['AWAITING_SHIPMENT']);
}

async function invoicesOf(orderId: string, count: number): Promise<InvoiceView[]> {
  return eventually(async () => {
    const { items } = (await (await getAs('viewer', `/invoices?orderId=${orderId}`)).json()) as { items: InvoiceView[] };
    return items.length === count && items.every((invoice) => invoice.email.status === 'SENT') ? items : undefined;
  }, 30_000);
}

const shipment = (orderId: unknown, trackingNumber: string, lines?: { sku: string; quantity: number }[]) => ({
  orderId,
  carrier: 'UPS',
  trackingNumber,
  shippedAt: new Date().toISOString(),
  ...(lines ? { lines } : {}),
});

describe('billing: shipment → invoice → PDF and UBL → email', () => {
  it('given a shipped order whose confirmation arrives three times, when billed, then one invoice, one PDF, one UBL and one email', async () => {
    const sku = uniqueId('BILL');
    await createProduct(sku, 10, 1999);
    const email = `${uniqueId('ap')}@buyer.example`;
    const order = await shippableOrder(sku, 2, email);
    const tracking = uniqueId('1Z');

    const confirmations = [];
    for (let delivery = 0; delivery < 3; delivery++) confirmations.push((await postSigned('/shipments', shipment(order.id, tracking))).status);

    expect(confirmations).toEqual([201, 200, 200]);
    const [invoice] = await invoicesOf(String(order.id), 1);
    // 2 × 19.99 = 39.98 + shipping 5.00 (untaxed) = 44.98 net; 19 % of 39.98 = 7.5962 → 7.60; total 52.58.
    expect(invoice).toMatchObject({ status: 'OPEN', netMinor: 4498, taxMinor: 760, totalMinor: 5258, openMinor: 5258 });
    expect(invoice!.number).toMatch(/^INV-\d{4}-\d{6}$/);
    expect(invoice!.reference).toMatch(/^RF\d{2}INV\d{10}$/);

    const detail = (await (await getAs('viewer', `/invoices/${invoice!.id}`)).json()) as InvoiceView;
    const pdf = new Uint8Array(await (await fetch(detail.pdfUrl!)).arrayBuffer());
    expect(new TextDecoder().decode(pdf.slice(0, 5))).toBe('%PDF-');
    const ubl = new XMLParser({ removeNSPrefix: true, parseTagValue: false }).parse(await (await fetch(detail.ublUrl!)).text()) as { Invoice: { ID: string; LegalMonetaryTotal: { PayableAmount: { '#text': string } | string } } };
    expect(ubl.Invoice.ID).toBe(invoice!.number);
    expect(JSON.stringify(ubl.Invoice.LegalMonetaryTotal.PayableAmount)).toContain('52.58');

    const { emails } = (await (await fetch(`${baseUrl()}/_local/emails`)).json()) as { emails: { subject: string; destination: { to: string[] }; attachments: { filename: string }[] }[] };
    const sent = emails.filter((message) => message.subject.includes(invoice!.number));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.destination.to).toEqual([email]);
    expect(sent[0]!.attachments.map((attachment) => attachment.filename).sort()).toEqual([`${invoice!.number}.pdf`, `${invoice!.number}.xml`]);
    await orderInStatus(String(order.id), ['INVOICED']);
  });

  it('given two partial shipments, when billed, then two invoices with consecutive numbers that add up to the order', async () => {
    const sku = uniqueId('BILL');
    await createProduct(sku, 10, 1999);
    const order = await shippableOrder(sku, 3, `${uniqueId('ap')}@buyer.example`);

    await postSigned('/shipments', shipment(order.id, uniqueId('1Z'), [{ sku, quantity: 1 }]));
    await invoicesOf(String(order.id), 1);
    await postSigned('/shipments', shipment(order.id, uniqueId('1Z')));
    const invoices = await invoicesOf(String(order.id), 2);

    const numbers = invoices.map((invoice) => Number(invoice.number.split('-')[2])).sort((a, b) => a - b);
    expect(numbers[1]! - numbers[0]!).toBe(1);
    expect(invoices.reduce((sum, invoice) => sum + invoice.netMinor, 0)).toBe(3 * 1999 + 500);
  });
});

describe('SES delivery events', () => {
  it('given an emailed invoice, when SES reports a permanent bounce of its message, then the invoice email is BOUNCED with the reason', async () => {
    const sku = uniqueId('BOUNCE');
    await createProduct(sku, 5, 1999);
    const order = await shippableOrder(sku, 1, `${uniqueId('gone')}@buyer.example`);
    await postSigned('/shipments', shipment(order.id, uniqueId('1Z')));
    const [invoice] = await invoicesOf(String(order.id), 1);
    const invoices = dynamoInvoiceStore(DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')), { marshallOptions: { removeUndefinedValues: true } }), inject('o2cTable'));
    const messageId = (await invoices.get(invoice!.id))!.email.messageId!;

    const outcome = await recordEmailEvent({ messageId, kind: 'bounce', bounceType: 'Permanent', detail: 'smtp; 550 5.1.1 user unknown', at: new Date().toISOString() }, { ...directDeps(), invoices });

    expect(outcome).toMatchObject({ recorded: true, status: 'BOUNCED' });
    const detail = (await (await getAs('viewer', `/invoices/${invoice!.id}`)).json()) as { email: { status: string; lastError: string } };
    expect(detail.email).toMatchObject({ status: 'BOUNCED', lastError: 'bounce: smtp; 550 5.1.1 user unknown' });
  });
});
