import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signGenericWebhook } from '#domain/webhook-signature';
import { genericOrder } from '../../support/fixtures.ts';

const sqs = mockClient(SQSClient);
const dynamo = mockClient(DynamoDBDocumentClient);
let handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

beforeAll(async () => {
  process.env.TABLE_NAME = 'table';
  process.env.ORDERS_QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/1/orders';
  process.env.O2C_WEBHOOK_SECRET = 'unit-secret';
  ({ handler } = await import('../../../functions/webhook-orders/handler.ts'));
});

beforeEach(() => {
  sqs.reset();
  dynamo.reset();
});

function signedEvent(body: string): APIGatewayProxyEventV2 {
  return {
    body,
    isBase64Encoded: false,
    headers: { 'x-o2c-signature': signGenericWebhook(body, 'unit-secret', Math.floor(Date.now() / 1000)) },
  } as unknown as APIGatewayProxyEventV2;
}

const context = { functionName: 'webhook-orders', awsRequestId: 'r1', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

describe('webhook-orders handler edges', () => {
  it('given the queue is down, when a new order arrives, then 500 without internals and no dedupe mark, so the store retries', async () => {
    dynamo.on(GetCommand).resolves({});
    sqs.on(SendMessageCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' }));

    const response = await handler(signedEvent(JSON.stringify(genericOrder())), context);

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('Service unavailable');
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('given a base64-encoded body, when signed over the decoded bytes, then it is accepted', async () => {
    dynamo.on(GetCommand).resolves({});
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });
    dynamo.on(PutCommand).resolves({});
    const body = JSON.stringify(genericOrder());
    const event = { ...signedEvent(body), body: Buffer.from(body).toString('base64'), isBase64Encoded: true };

    const response = await handler(event, context);

    expect(response.statusCode).toBe(202);
    expect(JSON.parse(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.MessageBody!)).toMatchObject({ order: { source: 'generic' } });
  });

  it('given a delivery already marked, when it arrives again, then 202 duplicate and nothing is enqueued', async () => {
    dynamo.on(GetCommand).resolves({ Item: { pk: 'DELIVERY#generic#X' } });

    const response = await handler(signedEvent(JSON.stringify(genericOrder())), context);

    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body!)).toMatchObject({ status: 'duplicate' });
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });
});
