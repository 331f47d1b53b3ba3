import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  buckets as bucketSpecs,
  queues as queueSpecs,
  secrets as secretSpecs,
  stateMachines as stateMachineSpecs,
  table as tableSpec,
} from '#shared/topology';
import { Api } from './constructs/api.ts';
import { BucketEvents } from './constructs/bucket-events.ts';
import { OperationsDashboard } from './constructs/dashboard.ts';
import { Functions } from './constructs/functions.ts';
import { EmailEvents } from './constructs/email-events.ts';
import { Identity } from './constructs/identity.ts';
import { Intake } from './constructs/intake.ts';
import { Observability } from './constructs/observability.ts';
import { Schedules } from './constructs/schedules.ts';
import { Secrets } from './constructs/secrets.ts';
import { Storage } from './constructs/storage.ts';
import { Workflows } from './constructs/workflows.ts';

/**
 * The whole O2C platform in one stack, assembled from domain constructs that each read `shared/topology.ts`.
 *
 * Build order matters only once: functions exist before the state machines that call them, and their access
 * (which may name a state machine) is granted after everything else is built.
 */
export class O2cStack extends Stack {
  readonly storage: Storage;
  readonly secrets: Secrets;
  readonly functions: Functions;
  readonly intake: Intake;
  readonly bucketEvents: BucketEvents;
  readonly workflows: Workflows;
  readonly identity: Identity;
  readonly api: Api;
  readonly observability: Observability;
  readonly dashboard: OperationsDashboard;
  readonly emailEvents: EmailEvents;
  readonly schedules: Schedules;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, {
      description: 'O2C: serverless order-to-cash (webhooks, order intake and workflow, billing, collections, cash application, operator API)',
      ...props,
    });

    this.storage = new Storage(this, 'Storage');
    this.secrets = new Secrets(this, 'Secrets');
    this.functions = new Functions(this, 'Functions');
    this.intake = new Intake(this, 'Intake', { functions: this.functions });
    this.bucketEvents = new BucketEvents(this, 'BucketEvents', { buckets: this.storage.buckets, queues: this.intake.queues });
    this.workflows = new Workflows(this, 'Workflows', { functions: this.functions });
    this.functions.grantAccess({
      table: this.storage.table,
      buckets: this.storage.buckets,
      queues: this.intake.queues,
      stateMachines: this.workflows.stateMachines,
      secrets: this.secrets.secrets,
    });
    this.emailEvents = new EmailEvents(this, 'EmailEvents', { functions: this.functions });
    this.schedules = new Schedules(this, 'Schedules', { functions: this.functions });
    this.functions.grantDeadLetters({ queues: this.intake.deadLetterQueues, schedules: Object.fromEntries(this.schedules.all().map((built) => [built.spec.id, built.deadLetterQueue])) });
    this.identity = new Identity(this, 'Identity');
    this.api = new Api(this, 'Api', {
      functions: this.functions,
      userPool: this.identity.userPool,
      userPoolClient: this.identity.client,
    });
    const asyncFailures = this.functions.asyncFailuresQueue;
    const watched = {
      deadLetterQueues: { ...this.intake.deadLetterQueues, ...(asyncFailures ? { asyncFailures } : {}), ...this.schedules.deadLetterQueues },
      queues: this.intake.queues,
      stateMachines: this.workflows.stateMachines,
      functions: this.functions,
      httpApi: this.api.httpApi,
    };
    this.observability = new Observability(this, 'Observability', watched);
    this.dashboard = new OperationsDashboard(this, 'Dashboard', { ...watched, alarms: this.observability.alarms });

    this.outputs();
  }

  private outputs(): void {
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId, description: 'Operator user pool' });
    new CfnOutput(this, 'UserPoolClientId', { value: this.identity.client.userPoolClientId, description: 'Operator app client (SRP sign-in)' });
    new CfnOutput(this, 'TableName', { value: this.storage.table.tableName, description: `The single table (${tableSpec.envVar})` });
    for (const [key, bucket] of Object.entries(this.storage.buckets)) {
      const spec = bucketSpecs[key as keyof typeof bucketSpecs];
      new CfnOutput(this, `${spec.id}Name`, { value: bucket.bucketName, description: `${key} bucket (${spec.envVar})` });
    }
    for (const [key, queue] of Object.entries(this.intake.queues)) {
      const spec = queueSpecs[key as keyof typeof queueSpecs];
      new CfnOutput(this, `${spec.id}Url`, { value: queue.queueUrl, description: `${key} queue (${spec.envVar})` });
    }
    for (const [key, stateMachine] of Object.entries(this.workflows.stateMachines)) {
      const spec = stateMachineSpecs[key as keyof typeof stateMachineSpecs];
      new CfnOutput(this, `${spec.id}Arn`, { value: stateMachine.stateMachineArn, description: `${key} workflow (${spec.envVar})` });
    }
    for (const [key, secret] of Object.entries(this.secrets.secrets)) {
      const spec = secretSpecs[key as keyof typeof secretSpecs];
      new CfnOutput(this, `${spec.id}Arn`, { value: secret.secretArn, description: `Set the ${key} secret value after deploy (${spec.arnEnvVar})` });
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: this.observability.alarmTopic.topicArn, description: 'Subscribe the on-call address' });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboard.dashboardName, description: 'The CloudWatch dashboard: alarms, business row, pipeline row' });
  }
}

