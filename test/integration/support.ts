import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { signGenericWebhook } from '#domain/webhook-signature';
import { secrets, type Role } from '#shared/topology';
import { localCredentials } from '../../local/engines/engine.ts';
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

/** The order the API shows for a generic external id, once intake has stored it. */
export async function orderByExternalId(externalId: string): Promise<Record<string, unknown> | undefined> {
  const response = await getAs('viewer', `/orders?source=generic&externalId=${encodeURIComponent(externalId)}`);
  const { items } = (await response.json()) as { items: Record<string, unknown>[] };
  return items[0];
}
