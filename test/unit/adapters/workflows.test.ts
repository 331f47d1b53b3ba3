import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { START_CLAIM_LEASE_MS, StartInFlight, stepFunctionsWorkflows } from '#adapters/workflows';

const sfn = mockClient(SFNClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const NOW = 1_800_000_000_000;
const claims = { documents: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: 'o2c', now: () => NOW };
const workflows = () => stepFunctionsWorkflows(new SFNClient({}), 'arn:aws:states:us-east-1:1:stateMachine:o2c-order-workflow', claims);
const claimRefused = (state: string) => new ConditionalCheckFailedException({ message: 'refused', $metadata: {}, Item: { state: { S: state } } });

beforeEach(() => {
  sfn.reset();
  dynamo.reset();
});

describe('order workflow starts, claimed in the table', () => {
  it('given a new order, when started, then the name is claimed, the execution started under it, and the claim confirmed', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn' });

    await expect(workflows().startOrder({ orderId: 'O1' }, 'O1')).resolves.toBe('started');

    const claim = dynamo.commandCalls(PutCommand)[0]!.args[0].input;
    expect(claim.Item).toMatchObject({ pk: 'START#o2c-order-workflow#O1', sk: 'START', state: 'CLAIMED', claimedAt: NOW });
    expect(claim.ConditionExpression).toBe('attribute_not_exists(pk) OR (#state = :claimed AND claimedAt < :stale)');
    expect(claim.ExpressionAttributeValues).toMatchObject({ ':stale': NOW - START_CLAIM_LEASE_MS });
    expect(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input).toEqual({ stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:o2c-order-workflow', name: 'O1', input: '{"orderId":"O1"}' });
    expect(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input.ExpressionAttributeValues).toEqual({ ':started': 'STARTED' });
  });

  it('given a start already confirmed, when started again, then nothing is sent', async () => {
    dynamo.on(PutCommand).rejects(claimRefused('STARTED'));

    await expect(workflows().startOrder({ orderId: 'O1' }, 'O1')).resolves.toBe('already-started');

    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('given another invocation claimed it within the lease, when started, then a transient error asks for a retry and nothing is sent', async () => {
    dynamo.on(PutCommand).rejects(claimRefused('CLAIMED'));

    await expect(workflows().startOrder({ orderId: 'O1' }, 'O1')).rejects.toBeInstanceOf(StartInFlight);

    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('given a Standard workflow that already ran under the name, when started, then it is a no-op and the claim is confirmed', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));

    await expect(workflows().startOrder({ orderId: 'O1' }, 'O1')).resolves.toBe('started');

    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it('given throttling, when started, then the claim is released and the error surfaces so the message is retried', async () => {
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));

    await expect(workflows().startOrder({ orderId: 'O1' }, 'O1')).rejects.toThrow('slow down');

    expect(dynamo.commandCalls(DeleteCommand)[0]!.args[0].input).toMatchObject({ Key: { pk: 'START#o2c-order-workflow#O1', sk: 'START' }, ExpressionAttributeValues: { ':mine': NOW } });
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});
