import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, inject, it } from 'vitest';
import { localStateMachineArn } from '../../local/step-functions.ts';
import { genericOrder } from '../support/fixtures.ts';
import { awsConfig, eventually, orderByExternalId, sqsConfig } from './support.ts';

const sqs = () => new SQSClient(sqsConfig());
const sfn = () => new SFNClient(awsConfig('stepfunctions'));

describe('orders queue', () => {
  it('given a poison message beside a good one, when the batch fails partly, then the good order is stored and the poison lands in the DLQ', async () => {
    const queues = inject('o2cQueues');
    const order = genericOrder();
    const good = { deliveryId: String(order.externalId), receivedAt: new Date().toISOString(), order: { ...order, source: 'generic', lines: [{ sku: 'WIDGET-1', quantity: 1, unitPriceMinor: 1999, taxRatePpm: 190000 }] } };
    const poisonMarker = `poison-${Date.now()}`;

    await sqs().send(
      new SendMessageBatchCommand({
        QueueUrl: queues.orders!.url,
        Entries: [
          { Id: 'poison', MessageBody: JSON.stringify({ marker: poisonMarker, not: 'an order' }) },
          { Id: 'good', MessageBody: JSON.stringify(good) },
        ],
      }),
    );

    await eventually(async () => ((await orderByExternalId(String(order.externalId))) ? true : undefined));
    const dead = await eventually(
      async () => {
        const { Messages = [] } = await sqs().send(new ReceiveMessageCommand({ QueueUrl: queues.ordersDlq!.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        return Messages.find((message) => message.Body?.includes(poisonMarker));
      },
      40_000,
    );
    expect(dead.Body).toContain(poisonMarker);
    const { Attributes } = await sqs().send(
      new GetQueueAttributesCommand({ QueueUrl: queues.orders!.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    expect(Attributes).toMatchObject({ ApproximateNumberOfMessages: '0' });
  });
});

describe('order workflow on the local Step Functions endpoint', () => {
  const arn = localStateMachineArn('order');

  it('given an execution for an order that does not exist, when it runs, then it fails as OrderNotFound', async () => {
    const { executionArn } = await sfn().send(new StartExecutionCommand({ stateMachineArn: arn, name: `missing-${Date.now()}`, input: JSON.stringify({ orderId: 'NO-SUCH-ORDER' }) }));

    const finished = await eventually(async () => {
      const execution = await sfn().send(new DescribeExecutionCommand({ executionArn }));
      return execution.status === 'RUNNING' ? undefined : execution;
    });

    expect(finished).toMatchObject({ status: 'FAILED', error: 'OrderNotFound' });
  });

  it('given a finished execution, when started again under its name, then the Express workflow runs it again (names are not deduplicated)', async () => {
    const name = `twice-${Date.now()}`;
    const input = JSON.stringify({ orderId: 'NO-SUCH-ORDER' });
    const first = await sfn().send(new StartExecutionCommand({ stateMachineArn: arn, name, input }));
    await eventually(async () => ((await sfn().send(new DescribeExecutionCommand({ executionArn: first.executionArn }))).status === 'RUNNING' ? undefined : true));

    const again = await sfn().send(new StartExecutionCommand({ stateMachineArn: arn, name, input }));

    expect(again.executionArn).not.toBe(first.executionArn);
    expect(again.executionArn).toContain(`:express:o2c-order-workflow:${name}:`);
  });

  it('given the billing workflow, when started for an invoice that does not exist, then it fails as NotFound', async () => {
    const { executionArn } = await sfn().send(new StartExecutionCommand({ stateMachineArn: localStateMachineArn('billing'), name: `missing-invoice-${Date.now()}`, input: JSON.stringify({ invoiceId: 'NO-SUCH-INVOICE' }) }));

    const finished = await eventually(async () => {
      const execution = await sfn().send(new DescribeExecutionCommand({ executionArn }));
      return execution.status === 'RUNNING' ? undefined : execution;
    });

    expect(finished).toMatchObject({ status: 'FAILED', error: 'NotFound' });
  });
});
