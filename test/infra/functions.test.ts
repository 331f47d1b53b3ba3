import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectContext } from '../../infra/app.ts';
import { CONTEXT_SETTINGS, Functions } from '../../infra/constructs/functions.ts';
import { FUNCTION_RUNTIME } from '../../infra/constructs/o2c-function.ts';
import {
  emailEvents,
  buckets,
  deadLetterQueues,
  functions,
  queues,
  secrets,
  stateMachines,
  table,
  type BucketKey,
  type FunctionKey,
  type FunctionSpec,
} from '#shared/topology';
import {
  allowedActions,
  NO_BUNDLING,
  referencedLogicalIds,
  statementsOfRole,
  SYNTH_TIMEOUT_MS,
  synthesizeStack,
  type SynthesizedStack,
} from './synthesized-stack.ts';

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
const bucketId = (key: BucketKey) => synthesized.logicalId(synthesized.stack.storage.buckets[key]);
/** CDK's singleton Lambda behind `Custom::S3BucketNotifications`: the one function the topology does not list. */
const notificationsHandler = () => {
  const handler = synthesized.stack.bucketEvents.notificationsHandler;
  expect(handler, 'the S3 notifications handler').toBeDefined();
  return handler!;
};

/** CDK's singleton Lambda behind `Custom::CDKBucketDeployment`, which copies the console's files at deploy time. */
const deploymentHandler = () => {
  const handler = synthesized.stack.operatorConsole.deploymentHandler;
  expect(handler, 'the console deployment handler').toBeDefined();
  return handler!;
};

describe('given the stack', () => {
  it("then its Lambda functions are one per topology function plus only CDK's S3 bucket-notifications and console deployment handlers", () => {
    const topologyIds = functionKeys.map((key) => synthesized.logicalId(synthesized.stack.functions.get(key).function));
    const handlerId = synthesized.logicalId(notificationsHandler());
    const deploymentId = synthesized.logicalId(deploymentHandler());
    const all = synthesized.template.findResources('AWS::Lambda::Function');
    expect(Object.keys(all).sort()).toEqual([...topologyIds, handlerId, deploymentId].sort());
    expect(all[handlerId]!.Properties.Description).toMatch(/Custom::S3BucketNotifications/);
  });

  it("then no role uses an AWS managed policy, except the basic execution role CDK gives its S3 notifications and console deployment handlers", () => {
    const handlerRoleIds = [
      synthesized.logicalId(notificationsHandler().node.findChild('Role')),
      synthesized.logicalId(deploymentHandler().node.findChild('ServiceRole')),
    ];
    for (const [logicalId, role] of Object.entries(synthesized.template.findResources('AWS::IAM::Role'))) {
      if (handlerRoleIds.includes(logicalId)) {
        expect(role.Properties.ManagedPolicyArns).toHaveLength(1);
        expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toMatch(/:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole"/);
      } else {
        expect(role.Properties.ManagedPolicyArns, logicalId).toBeUndefined();
      }
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
      ...deadLetterQueues.filter((queue) => access.deadLetters !== undefined && (access.deadLetters !== 'redrive' || queue.source.kind === 'queue')).map((queue) => queue.envVar),
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

  it('then its role touches only the buckets its access lists, and writes only those it may write', () => {
    const access: Partial<Record<BucketKey, 'read' | 'readwrite'>> = spec.access.buckets ?? {};
    const s3Statements = statementsOf(key).filter((statement) => [statement.Action].flat().some((action) => action.startsWith('s3:')));
    const touched = new Set(s3Statements.flatMap((statement) => referencedLogicalIds(statement.Resource)));
    expect([...touched].sort()).toEqual((Object.keys(access) as BucketKey[]).map(bucketId).sort());
    const writes = s3Statements.filter((statement) => [statement.Action].flat().some((action) => action === 's3:PutObject' || action === 's3:DeleteObject'));
    const written = new Set(writes.flatMap((statement) => referencedLogicalIds(statement.Resource)));
    const writable = (Object.entries(access) as [BucketKey, string][]).filter(([, level]) => level === 'readwrite').map(([bucket]) => bucketId(bucket));
    expect([...written].sort()).toEqual(writable.sort());
    const s3Actions = new Set(allowedActions(s3Statements).filter((action) => action.startsWith('s3:')));
    for (const action of s3Actions) expect(['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket']).toContain(action);
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

  it('then its role can read the table and query every global index', () => {
    const tableId = synthesized.logicalId(synthesized.stack.storage.table);
    const statements = statementsOf('getOrder');
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']), Resource: { 'Fn::GetAtt': [tableId, 'Arn'] } }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'dynamodb:Query',
        Resource: table.globalIndexes.map((index) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, `/index/${index.name}`]] })),
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

describe('given the dead-letter queues', () => {
  const built = () => {
    const { intake, functions: fns, schedules } = synthesized.stack;
    return [...Object.values(intake.deadLetterQueues), fns.asyncFailuresQueue!, ...schedules.all().map((schedule) => schedule.deadLetterQueue)];
  };
  const sqsStatements = (key: FunctionKey) => statementsOf(key).filter((statement) => [statement.Action].flat().some((action) => action.startsWith('sqs:')));
  /** The queues a statement names, by logical id (CDK sorts a statement's resources). */
  const ids = (queues: readonly Parameters<typeof synthesized.logicalId>[0][]) => queues.map((queue) => synthesized.logicalId(queue)).sort();
  const named = (resource: unknown) => referencedLogicalIds(resource).sort();

  it('then the topology names every dead-letter queue the stack builds, each once', () => {
    expect(deadLetterQueues).toHaveLength(built().length);
    expect(new Set(deadLetterQueues.map((queue) => queue.name)).size).toBe(deadLetterQueues.length);
  });

  it('then GET /worklists may only read their attributes, on every one of them', () => {
    const statements = sqsStatements('getWorklists');
    expect(statements.map((statement) => statement.Action)).toEqual(['sqs:GetQueueAttributes']);
    expect(named(statements[0]!.Resource)).toEqual(ids(built()));
  });

  it('then GET /worklists/{kind} may read their attributes and peek at messages, but neither delete nor send', () => {
    const [statement, ...others] = sqsStatements('getWorklist');
    expect(others).toEqual([]);
    expect([statement!.Action].flat().sort()).toEqual(['sqs:GetQueueAttributes', 'sqs:ReceiveMessage']);
    expect(named(statement!.Resource)).toEqual(ids(built()));
  });

  it('then the redrive function may start and list message move tasks on the work queues\' dead-letter queues only, and send to their source queues', () => {
    const { intake } = synthesized.stack;
    const statements = sqsStatements('redriveDeadLetters');
    const onDeadLetters = statements.filter((statement) => [statement.Action].flat().includes('sqs:StartMessageMoveTask'));
    expect(onDeadLetters).toHaveLength(1);
    expect([onDeadLetters[0]!.Action].flat().sort()).toEqual(['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ListMessageMoveTasks', 'sqs:ReceiveMessage', 'sqs:StartMessageMoveTask']);
    expect(named(onDeadLetters[0]!.Resource)).toEqual(ids(Object.values(intake.deadLetterQueues)));
    const senders = statements.filter((statement) => [statement.Action].flat().includes('sqs:SendMessage'));
    expect(senders.flatMap((statement) => named(statement.Resource)).sort()).toEqual(ids(Object.values(intake.queues)));
  });

  it('then the redrive function gets the URLs of the redrivable dead-letter queues and their source queues, and no table', () => {
    const variables = resourceOf('redriveDeadLetters').Properties.Environment.Variables as Record<string, unknown>;
    expect(variables.ORDERS_DLQ_URL).toEqual({ Ref: synthesized.logicalId(synthesized.stack.intake.deadLetterQueues.orders) });
    expect(variables.ORDERS_QUEUE_URL).toEqual({ Ref: synthesized.logicalId(synthesized.stack.intake.queues.orders) });
    expect(variables.ASYNC_FAILURES_DLQ_URL).toBeUndefined();
    expect(variables.TABLE_NAME).toBeUndefined();
    // On AWS the redrive is SQS's own message move task; only the local runtime sets another mode.
    expect(variables.O2C_DEAD_LETTER_REDRIVE).toBeUndefined();
  });
});

describe('given business settings in CDK context', () => {
  const context = {
    // The infra passes the policy through unread; the functions validate it at cold start.
    'o2c:cashPolicy': { someLimitMinor: 500, nested: { list: ['a', 'b'] } },
    'o2c:writeOffClerkLimit': 50,
    'o2c:creditNoteClerkLimit': '250',
  };
  let variables: Record<string, unknown>[];
  beforeAll(() => {
    const app = new App({ context: { ...projectContext(), ...NO_BUNDLING, ...context }, builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'ConfiguredFunctions');
    new Functions(stack, 'Functions');
    variables = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map(
      (fn) => fn.Properties.Environment.Variables as Record<string, unknown>,
    );
  }, SYNTH_TIMEOUT_MS);

  it('then every function gets o2c:cashPolicy as JSON in O2C_CASH_POLICY', () => {
    expect(CONTEXT_SETTINGS['o2c:cashPolicy']).toBe('O2C_CASH_POLICY');
    for (const environment of variables) expect(JSON.parse(environment.O2C_CASH_POLICY as string)).toEqual(context['o2c:cashPolicy']);
  });

  it('then every function gets o2c:writeOffClerkLimit in O2C_WRITE_OFF_CLERK_LIMIT', () => {
    for (const environment of variables) expect(environment.O2C_WRITE_OFF_CLERK_LIMIT).toBe('50');
  });

  it('then a string setting is passed as it is, not JSON-quoted', () => {
    for (const environment of variables) expect(environment.O2C_CREDIT_NOTE_CLERK_LIMIT).toBe('250');
  });

  it('then a setting left out of the context leaves its variable unset', () => {
    for (const environment of variables) {
      expect(environment.O2C_CREDIT_POLICY).toBeUndefined();
      expect(environment.O2C_SELLER).toBeUndefined();
    }
  });
});
