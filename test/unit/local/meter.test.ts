import { describe, expect, it } from 'vitest';
import { attachmentBytes, compactLogBytes, Meter } from '../../../local/meter.ts';

describe('local meter', () => {
  it('given DynamoDB responses with ConsumedCapacity, when metered, then reads and writes are summed per function and empty reads get AWS minimums', () => {
    const meter = new Meter(() => 'webhookOrders');

    meter.call({ service: 'dynamodb', operation: 'PutItem', input: {}, output: { ConsumedCapacity: { TableName: 't', CapacityUnits: 6 } } });
    meter.call({ service: 'dynamodb', operation: 'TransactWriteItems', input: {}, output: { ConsumedCapacity: [{ TableName: 't', CapacityUnits: 8 }] } });
    meter.call({ service: 'dynamodb', operation: 'GetItem', input: {}, output: { ConsumedCapacity: { TableName: 't', CapacityUnits: 0.5 } } });
    meter.call({ service: 'dynamodb', operation: 'Query', input: { ConsistentRead: true }, output: { ConsumedCapacity: { TableName: 't', CapacityUnits: 0 } } });
    meter.call({ service: 'dynamodb', operation: 'PutItem', input: {}, error: { name: 'ConditionalCheckFailedException', message: 'no' } });

    const snapshot = meter.snapshot();
    expect(snapshot.dynamodb).toMatchObject({ calls: 5, readUnits: 1.5, writeUnits: 14, estimatedFailedWriteUnits: 1 });
    expect(snapshot.lambda.functions.webhookOrders).toMatchObject({ readUnits: 1.5, writeUnits: 14 });
  });

  it('given SQS requests, when metered, then payloads count in 64 KiB chunks, FIFO queues apart and idle event-source polls aside', () => {
    const meter = new Meter();
    const url = 'http://sqs.us-east-1.localhost:1/000000000000/o2c-orders';

    meter.call({ service: 'sqs', operation: 'SendMessage', input: { QueueUrl: url, MessageBody: 'x'.repeat(70_000) } });
    meter.call({ service: 'sqs', operation: 'ReceiveMessage', input: { QueueUrl: url }, output: { Messages: [] } }, { glue: 'eventSourceMapping' });
    meter.call({ service: 'sqs', operation: 'DeleteMessageBatch', input: { QueueUrl: url } }, { glue: 'eventSourceMapping' });
    meter.call({ service: 'sqs', operation: 'SendMessage', input: { QueueUrl: 'http://h/0/o2c-invoicing.fifo', MessageBody: '{}' } });

    const { queues } = meter.snapshot().sqs;
    expect(queues['o2c-orders']).toMatchObject({ fifo: false, billedRequests: 3, idlePolls: 1 });
    expect(queues['o2c-invoicing.fifo']).toMatchObject({ fifo: true, billedRequests: 1 });
  });

  it('given a workflow with a retried task, when its events are metered, then every state entered and every retry is a transition', () => {
    const meter = new Meter();

    meter.executionStarted('order');
    meter.executionEvent('order', { type: 'ExecutionStarted', input: { orderId: 'O1' } });
    meter.executionEvent('order', { type: 'StateEntered', state: { type: 'Choice', input: { orderId: 'O1' } } });
    meter.executionEvent('order', { type: 'StateExited', state: { type: 'Choice', output: { orderId: 'O1' } } });
    meter.executionEvent('order', { type: 'StateEntered', state: { type: 'Task', input: { orderId: 'O1' } } });
    meter.executionEvent('order', { type: 'StateFailed', state: { type: 'Task' } });
    meter.executionEvent('order', { type: 'StateRetried', state: { type: 'Task', input: { orderId: 'O1' } } });
    meter.executionEvent('order', { type: 'StateExited', state: { type: 'Task', output: {} } });
    meter.executionEvent('order', { type: 'ExecutionSucceeded', output: {} });

    expect(meter.snapshot().stepFunctions.stateMachines.order).toMatchObject({ executionsStarted: 1, stateTransitions: 3 });
  });

  it('given invocations, when metered, then each duration is rounded up to the millisecond at the function\'s memory', () => {
    const meter = new Meter();

    meter.functionInvoked('intakeOrders', 'sqs', 10.2, false);
    meter.functionInvoked('intakeOrders', 'sqs', 0.3, true);

    expect(meter.snapshot().lambda.functions.intakeOrders).toMatchObject({ memoryMb: 512, invocations: 2, errors: 1, billedMs: 12, byTrigger: { sqs: 2 } });
  });

  it('given secrets read often, when metered, then Secrets Manager is called once per function and secret while the 5-minute cache holds', () => {
    let running: 'webhookOrders' | 'confirmShipment' = 'webhookOrders';
    const meter = new Meter(() => running);

    meter.secretRead('webhook');
    meter.secretRead('webhook');
    running = 'confirmShipment';
    meter.secretRead('webhook');

    expect(meter.snapshot().secretsManager).toEqual({ reads: 3, calls: 2 });
  });

  it('given work run unmetered, when it and what it awaits report operations, then none is counted and work outside still is', async () => {
    const meter = new Meter(() => 'findOrders');
    const operations = async () => {
      meter.apiRequest(10);
      await Promise.resolve();
      meter.call({ service: 'dynamodb', operation: 'Query', input: {}, output: { ConsumedCapacity: { TableName: 't', CapacityUnits: 0.5 } } });
      meter.functionLogged('findOrders', 100);
      meter.secretRead('webhook');
      meter.functionInvoked('findOrders', 'api', 5, false);
    };

    await meter.unmetered(operations);
    const unmetered = meter.snapshot();
    await operations();

    expect(unmetered.apiGateway.requests).toBe(0);
    expect(unmetered.dynamodb.calls).toBe(0);
    expect(unmetered.secretsManager.reads).toBe(0);
    expect(unmetered.lambda.functions.findOrders).toBeUndefined();
    const metered = meter.snapshot();
    expect(metered.apiGateway.requests).toBe(1);
    expect(metered.dynamodb.readUnits).toBe(0.5);
    expect(metered.lambda.functions.findOrders).toMatchObject({ invocations: 1, logBytes: 100, readUnits: 0.5 });
  });

  it('given work run as chaos\'s, when it reports operations, then they are counted in the chaos bucket and not the business\'s', async () => {
    const meter = new Meter(() => 'validateOrder');

    await meter.asChaos(async () => {
      meter.executionStarted('order');
      await Promise.resolve();
      meter.functionInvoked('validateOrder', 'stepFunctions', 4.5, false);
      meter.call({ service: 'dynamodb', operation: 'GetItem', input: {}, output: { ConsumedCapacity: { TableName: 't', CapacityUnits: 0.5 } } });
    });
    meter.functionInvoked('validateOrder', 'stepFunctions', 3, false);

    const snapshot = meter.snapshot({ tableBytes: 100, bytesStored: 10 });
    expect(snapshot.lambda.functions.validateOrder).toMatchObject({ invocations: 1, billedMs: 3, readUnits: 0 });
    expect(snapshot.stepFunctions.stateMachines.order!.executionsStarted).toBe(0);
    expect(snapshot.dynamodb.readUnits).toBe(0);
    expect(snapshot.chaos!.lambda.functions.validateOrder).toMatchObject({ invocations: 1, billedMs: 5, readUnits: 0.5, initMs: 0 });
    expect(snapshot.chaos!.stepFunctions.stateMachines.order!.executionsStarted).toBe(1);
    expect(snapshot.chaos!.dynamodb).toMatchObject({ calls: 1, readUnits: 0.5, tableBytes: null });
    expect(snapshot.chaos!.s3.bytesStored).toBeNull();
  });

  it('given an invocation failed on purpose, when metered, then it is a failed 1 ms invocation of chaos\'s and its batch\'s receive moves there', () => {
    const meter = new Meter();
    const url = 'http://sqs.us-east-1.localhost:1/000000000000/o2c-orders';
    const bodies = ['{"orderId":"O1"}', '{"orderId":"O2"}'];
    const receive = () => meter.call({ service: 'sqs', operation: 'ReceiveMessage', input: { QueueUrl: url }, output: { Messages: bodies.map((Body) => ({ Body })) } }, { glue: 'eventSourceMapping' });

    receive();
    meter.injectedFailure('intakeOrders', 'sqs', { queueUrl: url, bodies });
    // The batch comes back and is consumed.
    receive();
    meter.functionInvoked('intakeOrders', 'sqs', 20, false);
    meter.injectedFailure('validateOrder', 'stepFunctions');

    const snapshot = meter.snapshot();
    expect(snapshot.sqs.queues['o2c-orders']).toMatchObject({ billedRequests: 1, byOperation: { ReceiveMessage: 1 } });
    expect(snapshot.lambda.functions.intakeOrders).toMatchObject({ invocations: 1, errors: 0 });
    expect(snapshot.chaos!.sqs.queues['o2c-orders']).toMatchObject({ billedRequests: 1, byOperation: { ReceiveMessage: 1 } });
    expect(snapshot.chaos!.lambda.functions.intakeOrders).toMatchObject({ invocations: 1, errors: 1, billedMs: 1, byTrigger: { sqs: 1 } });
    expect(snapshot.chaos!.lambda.functions.validateOrder).toMatchObject({ invocations: 1, errors: 1, byTrigger: { stepFunctions: 1 } });
    expect(snapshot.chaos!.injectedFailures).toEqual({ intakeOrders: 1, validateOrder: 1 });

    meter.reset();
    expect(meter.snapshot().chaos!.injectedFailures).toEqual({});
  });

  it('given a reset, when read, then the counters are zero again', () => {
    const meter = new Meter();
    meter.apiRequest(600 * 1024);
    expect(meter.snapshot().apiGateway).toEqual({ requests: 1, billedRequests: 2 });

    meter.reset();

    expect(meter.snapshot().apiGateway).toEqual({ requests: 0, billedRequests: 0 });
  });

  it('given a raw MIME email, when sized, then only the attachment parts count', () => {
    const raw = [
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Hello',
      '--b1',
      'Content-Type: application/pdf',
      'Content-Disposition: attachment; filename="i.pdf"',
      '',
      'QUJDRA==',
      '--b1--',
      '',
    ].join('\r\n');

    expect(attachmentBytes(raw)).toBe('QUJDRA=='.length);
  });

  it('given a pretty-printed JSON log line, when sized, then it counts as the compact line AWS would ingest', () => {
    expect(compactLogBytes('{\n    "level": "INFO",\n    "message": "hi"\n}\n')).toBe('{"level":"INFO","message":"hi"}'.length + 1);
    expect(compactLogBytes('plain text\n')).toBe(11);
  });
});
