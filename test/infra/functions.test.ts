import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_RUNTIME } from '../../infra/constructs/o2c-function.ts';
import {
  emailEvents,
  buckets,
  functions,
  queues,
  secrets,
  stateMachines,
  table,
  type FunctionKey,
  type FunctionSpec,
} from '#shared/topology';
import { allowedActions, statementsOfRole, SYNTH_TIMEOUT_MS, synthesizeStack, type SynthesizedStack } from './synthesized-stack.ts';

let synthesized: SynthesizedStack;
beforeAll(() => {
  synthesized = synthesizeStack();
}, SYNTH_TIMEOUT_MS);

const functionKeys = Object.keys(functions) as FunctionKey[];
const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

const resourceOf = (key: FunctionKey) =>
  synthesized.template.toJSON().Resources[synthesized.logicalId(synthesized.stack.functions.get(key).function)];
const statementsOf = (key: FunctionKey) =>
  statementsOfRole(synthesized.template, synthesized.logicalId(synthesized.stack.functions.get(key).role));

describe('given the stack', () => {
  it('then it has exactly one Lambda function per topology function (no hidden helper functions)', () => {
    expect(Object.keys(synthesized.template.findResources('AWS::Lambda::Function'))).toHaveLength(functionKeys.length);
  });

  it('then no role uses an AWS managed policy', () => {
    for (const role of Object.values(synthesized.template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe.each(functionKeys)('given the %s function', (key) => {
  const spec: FunctionSpec = functions[key];

  it('then it runs on arm64 with the current Node LTS runtime', () => {
    expect(resourceOf(key).Properties).toMatchObject({ Runtime: FUNCTION_RUNTIME.name, Architectures: ['arm64'] });
  });

  it('then its memory and timeout come from the topology', () => {
    expect(resourceOf(key).Properties).toMatchObject({ MemorySize: spec.memoryMb, Timeout: spec.timeoutSeconds });
  });

  it('then it traces actively with X-Ray', () => {
    expect(resourceOf(key).Properties.TracingConfig).toEqual({ Mode: 'Active' });
  });

  it('then it logs to its own log group kept for one month', () => {
    const logGroupId = synthesized.logicalId(synthesized.stack.functions.get(key).logGroup);
    expect(resourceOf(key).Properties.LoggingConfig.LogGroup).toEqual({ Ref: logGroupId });
    expect(synthesized.template.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(30);
  });

  it('then its environment has the house defaults', () => {
    expect(resourceOf(key).Properties.Environment.Variables).toMatchObject({
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: `o2c-${spec.dir}`,
      POWERTOOLS_METRICS_NAMESPACE: 'O2C',
    });
  });

  it('then its environment names exactly the resources its access lists', () => {
    const { access } = spec;
    const expected = [
      ...(access.table ? [table.envVar] : []),
      ...(access.sendTo ?? []).map((queue) => queues[queue].envVar),
      ...(access.startExecution ?? []).map((machine) => stateMachines[machine].envVar),
      ...(access.secrets ?? []).map((secret) => secrets[secret].arnEnvVar),
      ...Object.keys(access.buckets ?? {}).map((bucket) => buckets[bucket as keyof typeof buckets].envVar),
      ...('sendEmail' in access && access.sendEmail ? [emailEvents.envVar] : []),
    ].sort();
    const defaults = ['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE'];
    const names = Object.keys(resourceOf(key).Properties.Environment.Variables).filter((name) => !defaults.includes(name));
    expect(names.sort()).toEqual(expected);
  });

  it('then its role writes the table only if its access is readwrite', () => {
    const writes = allowedActions(statementsOf(key)).filter((action) => TABLE_WRITE_ACTIONS.includes(action));
    if (spec.access.table === 'readwrite') expect(writes.sort()).toEqual([...TABLE_WRITE_ACTIONS].sort());
    else expect(writes).toEqual([]);
  });

  it('then its role touches SQS, Step Functions and Secrets Manager only as its access lists', () => {
    const { access } = spec;
    const actions = allowedActions(statementsOf(key));
    // A function invoked asynchronously (by EventBridge) may also send its failed events to its dead-letter queue.
    const asyncInvoked = synthesized.stack.functions.get(key).function.deadLetterQueue !== undefined;
    expect(actions.includes('sqs:SendMessage')).toBe((access.sendTo ?? []).length > 0 || asyncInvoked);
    expect(actions.includes('states:StartExecution')).toBe((access.startExecution ?? []).length > 0);
    expect(actions.includes('secretsmanager:GetSecretValue')).toBe((access.secrets ?? []).length > 0);
  });

  it('then the only statement of its role on every resource ("*") is X-Ray', () => {
    const wildcard = statementsOf(key).filter((statement) => [statement.Resource].flat().includes('*'));
    expect(wildcard.flatMap((statement) => [statement.Action].flat()).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });
});

describe('given the get-order function', () => {
  it('then its role cannot write the table', () => {
    const actions = allowedActions(statementsOf('getOrder'));
    expect(actions.filter((action) => TABLE_WRITE_ACTIONS.includes(action) || action === 'dynamodb:*')).toEqual([]);
  });

  it('then its role can read the table and query the global index', () => {
    const tableId = synthesized.logicalId(synthesized.stack.storage.table);
    const statements = statementsOf('getOrder');
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']), Resource: { 'Fn::GetAtt': [tableId, 'Arn'] } }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'dynamodb:Query',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, `/index/${table.globalIndexes[0]!.name}`]] },
      }),
    );
  });
});

describe('given the intake function', () => {
  it('then its role may start only the order workflow', () => {
    const startStatements = statementsOf('intakeOrders').filter((statement) => [statement.Action].flat().includes('states:StartExecution'));
    expect(startStatements.map((statement) => statement.Resource)).toEqual([
      { Ref: synthesized.logicalId(synthesized.stack.workflows.stateMachines.order) },
    ]);
  });
});
