import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { stepFunctionsWorkflows } from '#adapters/workflows';

const sfn = mockClient(SFNClient);

beforeEach(() => sfn.reset());

describe('order workflow starts', () => {
  it('given a new order, when started, then the execution is named after the order', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn' });

    await expect(stepFunctionsWorkflows(new SFNClient({}), 'sm-arn').startOrder({ orderId: 'O1' }, 'O1')).resolves.toBe('started');

    expect(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input).toEqual({ stateMachineArn: 'sm-arn', name: 'O1', input: '{"orderId":"O1"}' });
  });

  it('given an execution already named after the order, when started again, then it is a no-op', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));

    await expect(stepFunctionsWorkflows(new SFNClient({}), 'sm-arn').startOrder({ orderId: 'O1' }, 'O1')).resolves.toBe('already-started');
  });

  it('given throttling, when started, then the error surfaces so the message is retried', async () => {
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));

    await expect(stepFunctionsWorkflows(new SFNClient({}), 'sm-arn').startOrder({ orderId: 'O1' }, 'O1')).rejects.toThrow('slow down');
  });
});
