import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterQueues, queues, secrets, table } from '#shared/topology';
import { grantedResourceVariables } from '../../../local/function-environment.ts';
import { asFunction, confineEnvironmentToGrants } from '../../../local/lambda-runtime.ts';

describe('each local function sees only the resources its topology access grants', () => {
  const variables = { [table.envVar]: 'o2c', [queues.orders.envVar]: 'http://orders', [queues.invoicing.envVar]: 'http://invoicing', [secrets.webhook.localEnvVar]: 's1', [secrets.shopify.localEnvVar]: 's2' };
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const [name, value] of Object.entries(variables)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    confineEnvironmentToGrants();
  });
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('given the generic webhook (table, orders queue, webhook secret), when it reads the environment, then it sees exactly those resources', () => {
    const seen = asFunction('webhookOrders', () => Object.keys(variables).filter((name) => process.env[name] !== undefined));
    expect(seen.sort()).toEqual([table.envVar, queues.orders.envVar, secrets.webhook.localEnvVar].sort());
    expect(asFunction('webhookOrders', () => queues.invoicing.envVar in process.env)).toBe(false);
  });

  it('given code outside any function (the runtime, a test), when it reads the environment, then nothing is hidden', () => {
    expect(Object.keys(variables).every((name) => process.env[name] !== undefined)).toBe(true);
  });

  it('given a function granted no queue, when its asynchronous work reads a queue URL later, then it is still hidden', async () => {
    const later = await asFunction('getOrder', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return process.env[queues.orders.envVar];
    });
    expect(later).toBeUndefined();
    expect([...grantedResourceVariables('getOrder')]).toEqual([table.envVar]);
  });
});

describe('the dead-letter queues a local function sees', () => {
  it('given the worklist readers, then they see every dead-letter queue and the table, and no work queue', () => {
    expect([...grantedResourceVariables('getWorklists')].sort()).toEqual([table.envVar, ...deadLetterQueues.map((queue) => queue.envVar)].sort());
  });

  it('given the redrive function, then it sees the work queues and their dead-letter queues only, not the table', () => {
    expect([...grantedResourceVariables('redriveDeadLetters')].sort()).toEqual(
      [...Object.values(queues).map((queue) => queue.envVar), 'ORDERS_DLQ_URL', 'INVOICING_DLQ_URL', 'BANK_FILES_DLQ_URL'].sort(),
    );
  });
});

describe('the confined environment', () => {
  it('given the runtime moves the simulated clock, when it writes and deletes a variable, then the real environment takes it', () => {
    confineEnvironmentToGrants();
    process.env.O2C_TEST_WRITE = '42';
    expect(process.env.O2C_TEST_WRITE).toBe('42');
    delete process.env.O2C_TEST_WRITE;
    expect(process.env.O2C_TEST_WRITE).toBeUndefined();
  });
});
