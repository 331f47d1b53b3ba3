import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectContext } from '../../infra/app.ts';
import { O2cFunction } from '../../infra/constructs/o2c-function.ts';
import { Secrets } from '../../infra/constructs/secrets.ts';
import { Storage } from '../../infra/constructs/storage.ts';
import { buckets, functions, type FunctionSpec } from '#shared/topology';
import { allowedActions, NO_BUNDLING, statementsOfRole, SYNTH_TIMEOUT_MS } from './synthesized-stack.ts';

/** A function the topology does not have (yet): one that stores documents, to exercise bucket grants. */
const documentWriter: FunctionSpec = {
  dir: 'get-order',
  description: 'Test function that writes invoices',
  memoryMb: 256,
  timeoutSeconds: 10,
  access: { buckets: { invoices: 'readwrite', bankFiles: 'read' } },
};

let stack: Stack;
let storage: Storage;
let writer: O2cFunction;
let template: Template;

beforeAll(() => {
  const app = new App({ context: { ...projectContext(), ...NO_BUNDLING }, builtinCloudFormationValidation: false });
  stack = new Stack(app, 'FunctionUnderTest');
  storage = new Storage(stack, 'Storage');
  const secrets = new Secrets(stack, 'Secrets');
  const resources = {
    table: storage.table,
    buckets: storage.buckets,
    queues: {
      orders: new Queue(stack, 'Orders', { enforceSSL: true }),
      invoicing: new Queue(stack, 'Invoicing', { enforceSSL: true, fifo: true }),
      bankFiles: new Queue(stack, 'BankFiles', { enforceSSL: true }),
    },
    stateMachines: {
      order: StateMachine.fromStateMachineArn(stack, 'Order', 'arn:aws:states:eu-west-1:111111111111:stateMachine:order'),
      billing: StateMachine.fromStateMachineArn(stack, 'Billing', 'arn:aws:states:eu-west-1:111111111111:stateMachine:billing'),
    },
    secrets: secrets.secrets,
  };
  new O2cFunction(stack, 'WithCallerEnvironment', {
    spec: functions.getOrder,
    invocation: { kind: 'sync', by: ['a test'] },
    environment: { POWERTOOLS_SERVICE_NAME: 'custom-name', EXTRA_SETTING: 'on' },
  });
  writer = new O2cFunction(stack, 'DocumentWriter', { spec: documentWriter, invocation: { kind: 'sync', by: ['a test'] } });
  writer.grantAccess(resources);
  template = Template.fromStack(stack);
}, SYNTH_TIMEOUT_MS);

const bucketArn = (key: keyof typeof buckets) => ({ 'Fn::GetAtt': [stack.getLogicalId(storage.buckets[key].node.defaultChild as never), 'Arn'] });

describe('given an O2cFunction whose caller passes an environment', () => {
  it('then the caller environment is merged over the defaults, not in place of them', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_METRICS_NAMESPACE: 'O2C',
          POWERTOOLS_SERVICE_NAME: 'custom-name',
          EXTRA_SETTING: 'on',
        },
      },
    });
  });
});

describe('given an O2cFunction with bucket access', () => {
  const statements = () => statementsOfRole(template, stack.getLogicalId(writer.role.node.defaultChild as never));

  it('then it receives each bucket name in the bucket env var', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          [buckets.invoices.envVar]: { Ref: bucketArn('invoices')['Fn::GetAtt'][0] },
          [buckets.bankFiles.envVar]: { Ref: bucketArn('bankFiles')['Fn::GetAtt'][0] },
        },
      },
    });
  });

  it('then it may write objects only in the readwrite bucket', () => {
    const writes = statements().filter((statement) => [statement.Action].flat().includes('s3:PutObject'));
    expect(writes.map((statement) => statement.Resource)).toEqual([{ 'Fn::Join': ['', [bucketArn('invoices'), '/*']] }]);
  });

  it('then it may read objects of both buckets', () => {
    const reads = statements().filter((statement) => [statement.Action].flat().includes('s3:GetObject'));
    expect(reads.map((statement) => statement.Resource)).toEqual(
      expect.arrayContaining([{ 'Fn::Join': ['', [bucketArn('invoices'), '/*']] }, { 'Fn::Join': ['', [bucketArn('bankFiles'), '/*']] }]),
    );
  });

  it('then it gets no table, queue, workflow or secret permission it did not ask for', () => {
    const services = new Set(allowedActions(statements()).map((action) => action.split(':')[0]));
    expect([...services].sort()).toEqual(['logs', 's3', 'xray']);
  });

  it('then cdk-nag raises no unacknowledged finding on it', () => {
    const findings = [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
      pack.validateScope(writer).violations.map((violation) => violation.ruleName),
    );
    expect(findings).toEqual([]);
  });
});
