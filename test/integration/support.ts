import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { signGenericWebhook } from '#domain/webhook-signature';
import { secrets, type Role } from '#shared/topology';
import { dynamoCatalogue } from '#adapters/catalogue';
import { dynamoCustomers } from '#adapters/customers';
import { dynamoOrderStore } from '#adapters/order-store';
import { dynamoReceivables } from '#adapters/receivables';
import { businessClock } from '#shared/clock';
import { ulids } from '#shared/ids';
import { localCredentials } from '../../local/engines/engine.ts';
import { genericOrder } from '../support/fixtures.ts';
import { functionEnvironment } from '../../local/function-environment.ts';
import { mintDevToken } from '../../local/dev-tokens.ts';

export const baseUrl = () => inject('o2cUrl');
export const endpoints = () => inject('o2cEndpoints');
export const awsConfig = (service: string) => ({ region: 'us-east-1', credentials: localCredentials, endpoint: endpoints()[service]! });

/** The test process does not resolve fauxqs's `sqs.<region>.localhost` host, so it talks to loopback directly. */
export const sqsConfig = () => {
  const endpoint = new URL(endpoints().sqs!);
  return { ...awsConfig('sqs'), endpoint: `http://127.0.0.1:${endpoint.port}`, useQueueUrlAsEndpoint: false };
};

const secret = secrets.webhook.devDefault;

/** Posts a generic order webhook signed as a store would (or with the given signature header). */
export async function postOrder(body: string, options: { signature?: string; signedAt?: number } = {}): Promise<Response> {
  const signature = options.signature ?? signGenericWebhook(body, secret, options.signedAt ?? Math.floor(Date.now() / 1000));
  return fetch(`${baseUrl()}/webhooks/orders`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-o2c-signature': signature }, body });
}

export async function getAs(role: Role | undefined, path: string, token?: string): Promise<Response> {
  const bearer = token ?? (role ? await mintDevToken(role) : undefined);
  return fetch(`${baseUrl()}${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
}

/** Polls until `probe` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const documents = () => DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')));

/** Writes or deletes in batches of 25, retrying what DynamoDB leaves unprocessed (seeding large ledgers fast). */
export async function batchWrite(tableName: string, requests: Record<string, unknown>[]) {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')), { marshallOptions: { removeUndefinedValues: true } });
  for (let start = 0; start < requests.length; start += 25) {
    let request: Record<string, unknown[]> | undefined = { [tableName]: requests.slice(start, start + 25) };
    while (request && Object.keys(request).length > 0) {
      const response = await client.send(new BatchWriteCommand({ RequestItems: request as never }));
      request = response.UnprocessedItems as typeof request;
    }
  }
}

/** Every table item whose key or attributes mention `text`: proof that a refused request wrote nothing. */
export async function itemsMentioning(text: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents().send(new ScanCommand({ TableName: inject('o2cTable'), ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(page.Items ?? []).filter((item) => JSON.stringify(item).includes(text)));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The order the API shows for a store's external id (any source unless given), once intake has stored it. */
export async function orderByExternalId(externalId: string, source?: 'generic' | 'shopify' | 'woocommerce'): Promise<Record<string, unknown> | undefined> {
  for (const candidate of source ? [source] : (['generic', 'shopify', 'woocommerce'] as const)) {
    const response = await getAs('viewer', `/orders?source=${candidate}&externalId=${encodeURIComponent(externalId)}`);
    const { items } = (await response.json()) as { items: Record<string, unknown>[] };
    if (items[0]) return items[0];
  }
  return undefined;
}


/** Env for handlers and adapters used directly in this test process, pointing at the shared engines. */
export function useLocalFunctionEnvironment(): void {
  const all = endpoints();
  Object.assign(
    process.env,
    functionEnvironment({
      endpoints: { dynamodb: all.dynamodb!, sqs: all.sqs!, s3: all.s3!, ses: all.ses!, stepfunctions: all.stepfunctions! },
      queues: inject('o2cQueues'),
      logLevel: 'SILENT',
    }),
  );
}

/** The real adapters on DynamoDB Local, for tests that drive use cases concurrently. */
export function directDeps() {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')), { marshallOptions: { removeUndefinedValues: true } });
  const tableName = inject('o2cTable');
  return {
    orders: dynamoOrderStore(documents, tableName),
    catalogue: dynamoCatalogue(documents, tableName),
    customers: dynamoCustomers(documents, tableName),
    receivables: dynamoReceivables(documents, tableName),
    clock: businessClock,
    ids: ulids,
  };
}

export const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** Sends JSON with a bearer token for `role`. */
export async function sendAs(role: Role, method: 'POST' | 'PUT', path: string, body: unknown): Promise<Response> {
  return fetch(`${baseUrl()}${path}`, {
    method,
    headers: { authorization: `Bearer ${await mintDevToken(role)}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Posts a body signed with the generic scheme to any signed route (e.g. `/shipments`). */
export async function postSigned(path: string, body: unknown): Promise<Response> {
  const text = JSON.stringify(body);
  return fetch(`${baseUrl()}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-o2c-signature': signGenericWebhook(text, secret, Math.floor(Date.now() / 1000)) },
    body: text,
  });
}

/** The order by id once its status is one of `statuses`. */
export async function orderInStatus(orderId: string, statuses: string[], timeoutMs = 20_000): Promise<Record<string, unknown>> {
  return eventually(async () => {
    const response = await getAs('admin', `/orders/${orderId}`);
    if (response.status !== 200) return undefined;
    const order = (await response.json()) as Record<string, unknown>;
    return statuses.includes(String(order.status)) ? order : undefined;
  }, timeoutMs);
}

/** Creates a product with `onHand` units through the API (admin). */
export async function createProduct(sku: string, onHand: number, priceMinor = 100, currency = 'EUR'): Promise<void> {
  const response = await sendAs('admin', 'PUT', `/products/${sku}`, { name: `Test ${sku}`, priceMinor, currency, onHand });
  if (response.status !== 200) throw new Error(`product ${sku}: ${response.status} ${await response.text()}`);
}

export async function productStock(sku: string): Promise<{ onHand: number; reserved: number; available: number }> {
  return (await (await getAs('viewer', `/products/${sku}`)).json()) as { onHand: number; reserved: number; available: number };
}

export interface InvoiceView {
  id: string;
  replacesInvoiceId?: string;
  replacedByInvoiceId?: string;
  number: string;
  status: string;
  totalMinor: number;
  openMinor: number;
  customerId: string;
  email: { status: string };
}

export interface TestCustomer {
  externalId: string;
  name: string;
  email: string;
  country: string;
}

export const newTestCustomer = (): TestCustomer => ({ externalId: uniqueId('C'), name: 'Credit Test AG', email: `${uniqueId('ap')}@buyer.example`, country: 'DE' });

/** A shipped and invoiced order of `quantity` × 19.99 EUR at 19 % (no shipping), of a new customer or the one given; its invoice once emailed. */
export async function invoicedOrder(quantity: number, customer: TestCustomer = newTestCustomer()): Promise<InvoiceView> {
  const sku = uniqueId('CN');
  await createProduct(sku, quantity, 1999);
  const order = genericOrder({ customer, lines: [{ sku, quantity, unitPriceMinor: 1999, taxRatePercent: 19 }], shippingMinor: 0 });
  await postOrder(JSON.stringify(order));
  const stored = await eventually(async () => orderByExternalId(String(order.externalId)));
  await orderInStatus(String(stored.id), ['AWAITING_SHIPMENT']);
  await postSigned('/shipments', { orderId: stored.id, carrier: 'GLS', trackingNumber: uniqueId('G'), shippedAt: new Date().toISOString() });
  return eventually(async () => {
    const { items } = (await (await getAs('viewer', `/invoices?orderId=${String(stored.id)}`)).json()) as { items: InvoiceView[] };
    return items[0]?.email.status === 'SENT' ? items[0] : undefined;
  }, 30_000);
}

