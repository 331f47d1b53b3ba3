import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { invoiceDocumentItem, invoiceItem } from '#adapters/entities';
import type { Invoice } from '#domain/invoice';
import { signBase64Hmac } from '#domain/store-signatures';
import { signGenericWebhook } from '#domain/webhook-signature';
import { businessMetrics, point } from '#shared/metrics';
import type * as Observability from '#shared/observability';
import { repoRoot } from '#shared/state-machine-definitions';
import { eurInvoice } from '../../fixtures/invoices/samples.ts';
import { genericOrder } from '../../support/fixtures.ts';

/**
 * The business metrics handlers emit, read the way Powertools documents for tests: with POWERTOOLS_DEV set, Metrics
 * writes its EMF documents through the global console, where a spy reads them (and keeps them out of the output).
 */
type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
type StepHandler = (event: unknown, context: Context) => Promise<unknown>;

interface Emf {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [field: string]: unknown;
}

const sqs = mockClient(SQSClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const context = { functionName: 'o2c-test', awsRequestId: 'r1', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
let webhookOrders: HttpHandler;
let webhookShopify: HttpHandler;
let sendInvoiceEmail: StepHandler;
let recordEmailEvents: StepHandler;
let observability: typeof Observability;
let emitted: Emf[];

beforeAll(async () => {
  vi.stubEnv('POWERTOOLS_DEV', 'true');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('TABLE_NAME', 'table');
  vi.stubEnv('ORDERS_QUEUE_URL', 'https://sqs.eu-west-1.amazonaws.com/1/orders');
  vi.stubEnv('INVOICES_BUCKET', 'invoices');
  vi.stubEnv('O2C_WEBHOOK_SECRET', 'unit-secret');
  vi.stubEnv('O2C_SHOPIFY_SECRET', 'shopify-secret');
  // The handlers build their metrics client at import, like a cold start: after the environment is set.
  ({ handler: webhookOrders } = await import('../../../functions/webhook-orders/handler.ts'));
  ({ handler: webhookShopify } = await import('../../../functions/webhook-shopify/handler.ts'));
  ({ handler: sendInvoiceEmail } = await import('../../../functions/send-invoice-email/handler.ts'));
  ({ handler: recordEmailEvents } = await import('../../../functions/record-email-events/handler.ts'));
  observability = await import('#shared/observability');
});

afterAll(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

beforeEach(() => {
  sqs.reset();
  dynamo.reset();
  s3.reset();
  emitted = [];
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
    const parsed = typeof line === 'string' && line.startsWith('{"_aws"') ? (JSON.parse(line) as Emf) : undefined;
    if (parsed) emitted.push(parsed);
  });
});

/** Each EMF document as `{namespace, dimensions, metric: value…, dimension: value…}`, for readable expectations. */
const documents = () =>
  emitted.map(({ _aws, ...fields }) => {
    const [directive] = _aws.CloudWatchMetrics;
    return { namespace: directive?.Namespace, dimensions: directive?.Dimensions, units: directive?.Metrics.map((metric) => `${metric.Name}:${metric.Unit}`), ...fields };
  });

function genericDelivery(body: string): APIGatewayProxyEventV2 {
  return { body, isBase64Encoded: false, headers: { 'x-o2c-signature': signGenericWebhook(body, 'unit-secret', Math.floor(Date.now() / 1000)) } } as unknown as APIGatewayProxyEventV2;
}

function shopifyDelivery(topic: string, body: string, webhookId: string): APIGatewayProxyEventV2 {
  return {
    body,
    isBase64Encoded: false,
    headers: { 'x-shopify-topic': topic, 'x-shopify-webhook-id': webhookId, 'x-shopify-hmac-sha256': signBase64Hmac(body, 'shopify-secret') },
  } as unknown as APIGatewayProxyEventV2;
}

const shopifyOrder = () => readFileSync(join(repoRoot, 'test/fixtures/shopify/orders-create-docs-example.json'), 'utf8');

describe('given the generic order webhook', () => {
  it('when a new order is queued, then one EMF document in O2C counts one accepted order from the generic source', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });

    const response = await webhookOrders(genericDelivery(JSON.stringify(genericOrder())), context);

    expect(response.statusCode).toBe(202);
    expect(documents()).toEqual([
      { namespace: 'O2C', dimensions: [['service', 'Source']], units: ['OrdersAccepted:Count'], service: 'o2c', Source: 'generic', OrdersAccepted: 1 },
    ]);
  });

  it('when a delivery already seen arrives again, then nothing is counted', async () => {
    dynamo.on(GetCommand).resolves({ Item: { pk: 'DELIVERY#generic#X' } });

    const response = await webhookOrders(genericDelivery(JSON.stringify(genericOrder())), context);

    expect(JSON.parse(response.body!)).toMatchObject({ status: 'duplicate' });
    expect(documents()).toEqual([]);
  });

  it('when the signature is wrong, then the 401 counts nothing', async () => {
    const event = { ...genericDelivery('{}'), headers: { 'x-o2c-signature': 't=1,v1=00' } };

    const response = await webhookOrders(event, context);

    expect(response.statusCode).toBe(401);
    expect(documents()).toEqual([]);
  });
});

describe('given the Shopify webhook', () => {
  beforeEach(() => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });
  });

  it('when orders/create is queued, then an accepted order from shopify is counted and the store is answered {status, deliveryId} only', async () => {
    const response = await webhookShopify(shopifyDelivery('orders/create', shopifyOrder(), 'w-1'), context);

    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body!)).toEqual({ status: 'accepted', deliveryId: 'w-1' });
    expect(documents()).toMatchObject([{ dimensions: [['service', 'Source']], Source: 'shopify', OrdersAccepted: 1 }]);
  });

  it('when orders/cancelled is queued, then it is accepted but no order is counted', async () => {
    const response = await webhookShopify(shopifyDelivery('orders/cancelled', shopifyOrder(), 'w-2'), context);

    expect(JSON.parse(response.body!)).toEqual({ status: 'accepted', deliveryId: 'w-2' });
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(1);
    expect(documents()).toEqual([]);
  });
});

const invoice: Invoice = {
  id: eurInvoice.id,
  customerId: 'C-1',
  orderId: 'O-1',
  shipmentKey: 'DHL#1',
  document: eurInvoice,
  status: 'OPEN',
  openMinor: eurInvoice.payableMinor,
  paidMinor: 0,
  email: { status: 'PENDING', attempts: 0 },
  pdfKey: `${eurInvoice.id}.pdf`,
  ublKey: `${eurInvoice.id}.xml`,
  createdAt: '2026-03-02T10:00:00.000Z',
  updatedAt: '2026-03-02T10:00:00.000Z',
  version: 1,
};

describe('given the invoice email step', () => {
  it('when its documents cannot be read, then the step fails as a TransientError for the workflow to retry and one failed send is counted', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [invoiceItem(invoice), invoiceDocumentItem(invoice)] });
    dynamo.on(TransactWriteCommand).resolves({});
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }));

    await expect(sendInvoiceEmail({ invoiceId: invoice.id }, context)).rejects.toMatchObject({ name: 'TransientError' });

    expect(documents()).toEqual([{ namespace: 'O2C', dimensions: [['service', 'Kind']], units: ['EmailsFailed:Count'], service: 'o2c', Kind: 'send', EmailsFailed: 1 }]);
  });

  it('when the invoice was already emailed, then nothing is sent and nothing is counted', async () => {
    const sent = { ...invoice, email: { status: 'SENT' as const, attempts: 1, messageId: 'm-1' } };
    dynamo.on(QueryCommand).resolves({ Items: [invoiceItem(sent), invoiceDocumentItem(sent)] });

    await expect(sendInvoiceEmail({ invoiceId: invoice.id }, context)).resolves.toMatchObject({ email: 'already-sent' });

    expect(documents()).toEqual([]);
  });
});

describe('given a batch that issued invoices in two currencies (as issue-invoices records them)', () => {
  it('when recorded and flushed, then each currency is its own EMF document with its count and amount', () => {
    const { metrics, recordMetrics } = observability;

    recordMetrics([point(businessMetrics.invoicesIssued, { Currency: 'EUR' }), point(businessMetrics.invoicedAmount, { Currency: 'EUR' }, 11_900)]);
    recordMetrics([point(businessMetrics.invoicesIssued, { Currency: 'USD' }), point(businessMetrics.invoicedAmount, { Currency: 'USD' }, 500)]);
    metrics.publishStoredMetrics();

    expect(documents()).toEqual([
      { namespace: 'O2C', dimensions: [['service', 'Currency']], units: ['InvoicesIssued:Count', 'InvoicedAmountMinor:None'], service: 'o2c', Currency: 'EUR', InvoicesIssued: 1, InvoicedAmountMinor: 11_900 },
      { namespace: 'O2C', dimensions: [['service', 'Currency']], units: ['InvoicesIssued:Count', 'InvoicedAmountMinor:None'], service: 'o2c', Currency: 'USD', InvoicesIssued: 1, InvoicedAmountMinor: 500 },
    ]);
  });
});

/** An SES bounce of the invoice's email as EventBridge delivers it (AWS "Monitoring using Amazon SES event publishing"). */
function bounce(bounceType: 'Permanent' | 'Transient') {
  return {
    'detail-type': 'Email Bounced',
    source: 'aws.ses',
    time: '2026-03-02T12:00:05Z',
    detail: {
      eventType: 'Bounce',
      bounce: { bounceType, bouncedRecipients: [{ emailAddress: 'ap@buyer.example', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }], timestamp: '2026-03-02T12:00:04.000Z' },
      mail: { timestamp: '2026-03-02T12:00:00.000Z', messageId: 'm-1', destination: ['ap@buyer.example'] },
    },
  };
}

describe('given SES events about an invoice email that was sent', () => {
  beforeEach(() => {
    const sent = { ...invoice, email: { status: 'SENT' as const, attempts: 1, messageId: 'm-1' } };
    dynamo.on(GetCommand).resolves({ Item: { invoiceId: invoice.id } });
    dynamo.on(QueryCommand).resolves({ Items: [invoiceItem(sent), invoiceDocumentItem(sent)] });
    dynamo.on(TransactWriteCommand).resolves({});
  });

  it('when a permanent bounce is recorded, then one failed email is counted as a bounce', async () => {
    await expect(recordEmailEvents(bounce('Permanent'), context)).resolves.toMatchObject({ recorded: true, status: 'BOUNCED', failed: true });

    expect(documents()).toMatchObject([{ dimensions: [['service', 'Kind']], Kind: 'bounce', EmailsFailed: 1 }]);
  });

  it('when a transient bounce is recorded, then nothing is counted: SES is still trying', async () => {
    await expect(recordEmailEvents(bounce('Transient'), context)).resolves.toMatchObject({ recorded: true, failed: false });

    expect(documents()).toEqual([]);
  });
});
