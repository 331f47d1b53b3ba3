import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import {
  buckets as bucketSpecs,
  queues as queueSpecs,
  secrets as secretSpecs,
  stateMachines as stateMachineSpecs,
  table as tableSpec,
} from '#shared/topology';
import { Api } from './constructs/api.ts';
import { OperatorConsole, type ConsoleDomain } from './constructs/console.ts';
import { BucketEvents } from './constructs/bucket-events.ts';
import { OperationsDashboard } from './constructs/dashboard.ts';
import { Functions } from './constructs/functions.ts';
import { EmailEvents } from './constructs/email-events.ts';
import { CONSOLE_SCOPES, Identity } from './constructs/identity.ts';
import { Intake } from './constructs/intake.ts';
import { Observability } from './constructs/observability.ts';
import { Schedules } from './constructs/schedules.ts';
import { Secrets } from './constructs/secrets.ts';
import { Storage } from './constructs/storage.ts';
import { Workflows } from './constructs/workflows.ts';

export interface O2cStackProps extends StackProps {
  /** The built operator console; see {@link OperatorConsoleProps.assetDir}. @default `console/dist` */
  readonly consoleAssetDir?: string;
}

/**
 * The whole O2C platform in one stack, assembled from domain constructs that each read `shared/topology.ts`.
 *
 * Build order matters twice: functions exist before the state machines that call them, and their access
 * (which may name a state machine) is granted after everything else is built; the console's distribution exists
 * before the API (whose CORS origin it is) and its files are published after it (their config.json names the API).
 */
export class O2cStack extends Stack {
  readonly storage: Storage;
  readonly secrets: Secrets;
  readonly functions: Functions;
  readonly intake: Intake;
  readonly bucketEvents: BucketEvents;
  readonly workflows: Workflows;
  readonly identity: Identity;
  readonly operatorConsole: OperatorConsole;
  /** The console's app client (authorization code grant with PKCE). */
  readonly consoleClient: UserPoolClient;
  readonly api: Api;
  readonly observability: Observability;
  readonly dashboard: OperationsDashboard;
  readonly emailEvents: EmailEvents;
  readonly schedules: Schedules;

  constructor(scope: Construct, id: string, props: O2cStackProps = {}) {
    const { consoleAssetDir, ...stackProps } = props;
    super(scope, id, {
      description: 'O2C: serverless order-to-cash (webhooks, order intake and workflow, billing, collections, cash application, operator API, operator console)',
      ...stackProps,
    });

    this.storage = new Storage(this, 'Storage');
    this.identity = new Identity(this, 'Identity', { domainPrefix: contextString(this, 'o2c:authDomainPrefix') });
    // The console and the API name each other: the distribution first (its URL is the sign-in callback and the
    // API's CORS origin), the API later, then the console's files with a config.json naming the API. Built before
    // the functions so a console that was not built fails the synth before seconds of esbuild.
    this.operatorConsole = new OperatorConsole(this, 'Console', {
      assetDir: consoleAssetDir,
      accessLogsBucket: this.storage.accessLogsBucket,
      authDomainUrl: this.identity.domain.baseUrl(),
      domain: consoleDomain(this),
    });
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
    const consoleClient = this.identity.addConsoleClient(this.operatorConsole.url);
    this.consoleClient = consoleClient;
    this.api = new Api(this, 'Api', {
      functions: this.functions,
      userPool: this.identity.userPool,
      userPoolClients: [this.identity.client, consoleClient],
      corsOrigins: [this.operatorConsole.origin],
    });
    this.operatorConsole.publish({
      apiUrl: this.api.httpApi.apiEndpoint,
      auth: {
        kind: 'cognito',
        domain: this.identity.domain.baseUrl(),
        clientId: consoleClient.userPoolClientId,
        redirectUri: this.operatorConsole.url,
        logoutUri: this.operatorConsole.url,
        scopes: [...CONSOLE_SCOPES],
      },
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
    new CfnOutput(this, 'ConsoleUrl', { value: this.operatorConsole.url, description: 'The operator console (sign-in through the Cognito hosted pages)' });
    new CfnOutput(this, 'ConsoleDistributionDomainName', {
      value: this.operatorConsole.distribution.distributionDomainName,
      description: 'Point a custom console domain (o2c:consoleDomain) here with an alias or CNAME record',
    });
    new CfnOutput(this, 'SignInDomainUrl', { value: this.identity.domain.baseUrl(), description: 'Cognito hosted sign-in pages and OAuth 2.0 endpoints' });
    new CfnOutput(this, 'ConsoleClientId', { value: this.consoleClient.userPoolClientId, description: 'Console app client (authorization code + PKCE)' });
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


/** A string from CDK context (`-c key=value` or `cdk.json`), if set. */
function contextString(scope: Construct, key: string): string | undefined {
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`CDK context ${key} must be a string`);
  return value;
}

/**
 * The console's custom domain from CDK context `o2c:consoleDomain`: JSON on the command line
 * (`-c o2c:consoleDomain='{"domainName":"console.example.com","certificateArn":"arn:aws:acm:us-east-1:…"}'`) or an
 * object in `cdk.json`.
 */
function consoleDomain(scope: Construct): ConsoleDomain | undefined {
  const key = 'o2c:consoleDomain';
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  let parsed: unknown = value;
  try {
    if (typeof value === 'string') parsed = JSON.parse(value);
  } catch {
    // reported below
  }
  const domain = parsed as Partial<ConsoleDomain> | null;
  if (typeof domain?.domainName !== 'string' || typeof domain.certificateArn !== 'string') {
    throw new Error(`CDK context ${key} must be {"domainName": "console.example.com", "certificateArn": "arn:aws:acm:us-east-1:…"}`);
  }
  return { domainName: domain.domainName, certificateArn: domain.certificateArn };
}
