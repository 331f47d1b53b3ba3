import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { CHAOS_FAILURE_PREFIX, injectsFailure, sqsBatchInvocation } from '../../../local/chaos.ts';
import { asExecution, chaosEvents, taskAttempt } from '../../../local/step-functions.ts';

const draw = (key: string, attempt: number, overrides: { seed?: number; functionKey?: string; failureRate?: number } = {}) =>
  injectsFailure({ seed: 7, failureRate: 0.03, functionKey: 'validateOrder', key, attempt, ...overrides });
const keys = Array.from({ length: 20_000 }, (_, index) => `order-${index}/ValidateOrder`);

/** One task whose transient Lambda errors are retried, as the workflows retry theirs. */
const retriedTask = {
  StartAt: 'Validate',
  States: {
    Validate: {
      Type: 'Task',
      Resource: 'arn:aws:lambda:us-east-1:000000000000:function:o2c-validate-order',
      Retry: [{ ErrorEquals: ['Lambda.ServiceException'], IntervalSeconds: 1, MaxAttempts: 3 }],
      End: true,
    },
  },
};

describe('chaos: which invocations fail on purpose', () => {
  it('given the same seed, function, invocation key and attempt, when drawn again, then the decision is the same', () => {
    const first = keys.slice(0, 2_000).map((key) => draw(key, 1));
    const again = keys.slice(0, 2_000).map((key) => draw(key, 1));

    expect(again).toEqual(first);
    expect(first.some(Boolean)).toBe(true);
    // Another seed or another function makes other decisions.
    expect(keys.slice(0, 2_000).map((key) => draw(key, 1, { seed: 8 }))).not.toEqual(first);
    expect(keys.slice(0, 2_000).map((key) => draw(key, 1, { functionKey: 'issueInvoices' }))).not.toEqual(first);
  });

  it('given many invocation keys, when drawn, then the share that fails is near the configured rate, and no rate fails none', () => {
    const share = (failureRate: number) => keys.filter((key) => draw(key, 1, { failureRate })).length / keys.length;

    expect(share(0.03)).toBeGreaterThan(0.025);
    expect(share(0.03)).toBeLessThan(0.035);
    expect(share(0.5)).toBeGreaterThan(0.48);
    expect(share(0.5)).toBeLessThan(0.52);
    expect(share(0)).toBe(0);
  });

  it('given invocations that failed, when attempted again, then each draws anew and all of them succeed within a few attempts', () => {
    const failedFirst = keys.filter((key) => draw(key, 1, { failureRate: 0.2 }));
    const failedAgain = failedFirst.filter((key) => draw(key, 2, { failureRate: 0.2 }));

    expect(failedAgain.length / failedFirst.length).toBeGreaterThan(0.15);
    expect(failedAgain.length / failedFirst.length).toBeLessThan(0.25);
    for (const key of failedFirst) expect([2, 3, 4, 5, 6, 7, 8, 9, 10].some((attempt) => !draw(key, attempt, { failureRate: 0.2 })), key).toBe(true);
  });

  it('given an SQS batch, when keyed, then the order of its messages does not matter and a redelivery is the next attempt with another key', () => {
    const batch = [
      { body: '{"orderId":"O1"}', receiveCount: 1 },
      { body: '{"orderId":"O2"}', receiveCount: 1 },
    ];

    expect(sqsBatchInvocation([...batch].reverse())).toEqual(sqsBatchInvocation(batch));
    expect(sqsBatchInvocation(batch).attempt).toBe(1);
    const redelivered = sqsBatchInvocation(batch.map((message) => ({ ...message, receiveCount: 2 })));
    expect(redelivered.attempt).toBe(2);
    expect(redelivered.key).not.toBe(sqsBatchInvocation(batch).key);
  });

  it('given a workflow task retried, when its attempts are keyed, then the key is the execution and state and each retry counts up', async () => {
    const seen: { key: string; attempt: number }[] = [];
    const handler = async (input: unknown) => {
      seen.push(taskAttempt('Validate', input));
      if (seen.length < 3) throw Object.assign(new Error('transient'), { name: 'Lambda.ServiceException' });
      return input;
    };

    await asExecution('order-O1', () =>
      new StateMachine(retriedTask as never).run({ orderId: 'O1' } as never, { overrides: { taskResourceLocalHandlers: { Validate: handler as never }, retryIntervalOverrides: { Validate: 0 } } }).result,
    );

    expect(seen).toEqual([
      { key: 'order-O1/Validate', attempt: 1 },
      { key: 'order-O1/Validate', attempt: 2 },
      { key: 'order-O1/Validate', attempt: 3 },
    ]);
  });

  it('given a task failed on purpose once and for real once, when its event log is read, then only the injected failure and its retry are chaos\'s', async () => {
    let attempts = 0;
    const handler = async (input: unknown) => {
      attempts++;
      if (attempts === 1) throw Object.assign(new Error(`${CHAOS_FAILURE_PREFIX} of validateOrder`), { name: 'Lambda.ServiceException' });
      if (attempts === 2) throw Object.assign(new Error('the engine was busy'), { name: 'Lambda.ServiceException' });
      return input;
    };
    const execution = new StateMachine(retriedTask as never).run({ orderId: 'O1' } as never, { overrides: { taskResourceLocalHandlers: { Validate: handler as never }, retryIntervalOverrides: { Validate: 0 } } });
    const isChaos = chaosEvents();
    const classified: string[] = [];
    const reading = (async () => {
      for await (const event of execution.eventLogs) classified.push(`${event.type}${isChaos(event as never) ? ' (chaos)' : ''}`);
    })();
    await execution.result;
    await reading;

    expect(classified.filter((type) => type.startsWith('State'))).toEqual([
      'StateEntered',
      'StateFailed (chaos)',
      'StateRetried (chaos)',
      'StateFailed',
      'StateRetried',
      'StateExited',
    ]);
  });
});
