import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '#shared/metrics';
import { repoRoot } from '#shared/state-machine-definitions';
import { functionBundling } from '../bundling.ts';
import { acknowledgeServiceWildcards } from '../nag.ts';
import {
  buckets as bucketSpecs,
  deadLetterQueues as deadLetterQueueSpecs,
  queues as queueSpecs,
  secrets as secretSpecs,
  stateMachines as stateMachineSpecs,
  table as tableSpec,
  type BucketKey,
  type FunctionSpec,
  type QueueKey,
  type SecretKey,
  type StateMachineKey,
} from '#shared/topology';

/**
 * The current Node.js LTS Lambda runtime. One constant so every function, and the infra tests, agree on it.
 */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

/** How long function logs are kept: long enough to investigate a month-end close, short enough to stay cheap. */
export const FUNCTION_LOG_RETENTION = RetentionDays.ONE_MONTH;

/** Item-level DynamoDB actions a reader needs (transactions check conditions with ConditionCheckItem). */
const TABLE_READ_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query'];
/** What a writer needs on top: TransactWriteItems is authorised per item through these. */
const TABLE_WRITE_ACTIONS = ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
/** Indexes only answer queries. */
const INDEX_READ_ACTIONS = ['dynamodb:Query'];
const BUCKET_READ_OBJECT_ACTIONS = ['s3:GetObject'];
const BUCKET_WRITE_OBJECT_ACTIONS = ['s3:PutObject', 's3:DeleteObject'];
/**
 * SQS actions on the dead-letter queues per `deadLetters` level. A redrive's StartMessageMoveTask needs receive,
 * delete and attributes on the dead-letter queue (and SendMessage on the source queue, the function's `sendTo`).
 */
const DEAD_LETTER_ACTIONS = {
  count: ['sqs:GetQueueAttributes'],
  peek: ['sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
  redrive: ['sqs:GetQueueAttributes', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:StartMessageMoveTask', 'sqs:ListMessageMoveTasks'],
} as const;

/**
 * The resources a function's `access` in the topology can name. Built once by the stack and handed to every
 * function, so grants and environment variables come from one place.
 */
export interface O2cResources {
  readonly table: ITable;
  readonly buckets: Readonly<Record<BucketKey, IBucket>>;
  readonly queues: Readonly<Record<QueueKey, IQueue>>;
  readonly stateMachines: Readonly<Record<StateMachineKey, IStateMachine>>;
  readonly secrets: Readonly<Record<SecretKey, ISecret>>;
}

/**
 * How the function is invoked. Synchronous invokers (API Gateway, Step Functions tasks) and SQS event source
 * mappings get the failure back themselves; anything invoked asynchronously needs somewhere for failed events.
 */
export type FunctionInvocation =
  | { readonly kind: 'sync'; readonly by: readonly string[] }
  | { readonly kind: 'async'; readonly deadLetterQueue: IQueue };

export interface O2cFunctionProps {
  /** The function's entry in `shared/topology.ts`: folder, memory, timeout and access. */
  readonly spec: FunctionSpec;
  readonly invocation: FunctionInvocation;
  /** Merged over our defaults; a key given here wins. */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * One Lambda function with the house defaults: arm64, current Node LTS, the topology's memory and timeout, an
 * explicit log group with retention, active tracing, source maps, and an esbuild ESM bundle that includes the
 * AWS SDK (so the deployed code runs the exact SDK version we tested).
 *
 * The role is our own, not the CDK default with `AWSLambdaBasicExecutionRole`: it may write only to its own log
 * group, and {@link O2cFunction.grantAccess} adds exactly what the topology's `access` lists.
 */
export class O2cFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly spec: FunctionSpec;
  private accessGranted = false;

  constructor(scope: Construct, id: string, props: O2cFunctionProps) {
    super(scope, id);
    this.spec = props.spec;

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: FUNCTION_LOG_RETENTION,
      // Business records and their audit trail live in DynamoDB; function logs are diagnostics.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.spec.dir}: its own log group plus the topology's access`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(repoRoot, 'functions', props.spec.dir, 'handler.ts'),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      description: props.spec.description,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.spec.memoryMb,
      timeout: Duration.seconds(props.spec.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      tracing: Tracing.ACTIVE,
      deadLetterQueue: props.invocation.kind === 'async' ? props.invocation.deadLetterQueue : undefined,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: `o2c-${props.spec.dir}`,
        // The metric catalogue's namespace, which the dashboard reads too: one product, one namespace.
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...props.environment,
      },
      // The esbuild settings `npm run bench` measures, in CDK's terms.
      bundling: {
        format: OutputFormat.ESM,
        target: functionBundling.target,
        mainFields: [...functionBundling.mainFields],
        banner: functionBundling.banner.js,
        minify: functionBundling.minify,
        keepNames: functionBundling.keepNames,
        sourceMap: functionBundling.sourcemap,
        sourcesContent: functionBundling.sourcesContent,
        externalModules: [...functionBundling.external],
        esbuildArgs: { '--alias': Object.entries(functionBundling.alias).map(([module, replacement]) => `${module}=${replacement}`) },
      },
    });

    // Tracing.ACTIVE adds the X-Ray statement to the role's default policy; nothing else here may use "*".
    acknowledgeServiceWildcards(
      this.role,
      'Only the X-Ray statement added by Tracing.ACTIVE (xray:PutTraceSegments, xray:PutTelemetryRecords) uses "*": these actions have no resource-level permissions.',
    );
    if (props.invocation.kind === 'sync') {
      Validations.of(this.function).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason: `Never invoked asynchronously, only by ${props.invocation.by.join(', ')}: API Gateway and Step Functions get the error back, and an SQS message that keeps failing moves to its queue's dead-letter queue, so a function DLQ would never receive anything.`,
      });
    }
  }

  /**
   * Grants the topology's `deadLetters` access on the dead-letter queues (by their topology name) and sets their URL
   * variables: every queue for readers, only those with a source queue for a redrive, whose source queues the
   * function must also send to. Separate from {@link grantAccess} because the schedules' queues are built later.
   */
  grantDeadLetters(deadLetterQueues: Readonly<Record<string, IQueue>>): void {
    const level = this.spec.access.deadLetters;
    if (!level) return;
    const specs = level === 'redrive' ? deadLetterQueueSpecs.filter((spec) => spec.source.kind === 'queue') : deadLetterQueueSpecs;
    const arns = specs.map((spec) => {
      const queue = deadLetterQueues[spec.name];
      if (!queue) throw new Error(`No dead-letter queue ${spec.name} was built for ${this.spec.dir}`);
      if (spec.source.kind === 'queue' && level === 'redrive' && !(this.spec.access.sendTo ?? []).includes(spec.source.queue))
        throw new Error(`${this.spec.dir} redrives ${spec.name} but may not send to its source queue ${spec.source.queue}`);
      this.function.addEnvironment(spec.envVar, queue.queueUrl);
      return queue.queueArn;
    });
    this.function.addToRolePolicy(new PolicyStatement({ actions: [...DEAD_LETTER_ACTIONS[level]], resources: arns }));
  }

  /**
   * Grants exactly the topology's `access` and sets the matching environment variables (table name, queue URLs,
   * state machine ARNs, secret ARNs, bucket names). Called once the stack has built every resource, because a
   * function may start a state machine whose tasks are other functions.
   */
  grantAccess(resources: O2cResources): void {
    if (this.accessGranted) throw new Error(`Access of ${this.spec.dir} was already granted`);
    this.accessGranted = true;
    const { access } = this.spec;

    if (access.table) {
      const table = resources.table;
      this.function.addEnvironment(tableSpec.envVar, table.tableName);
      const tableActions = access.table === 'readwrite' ? [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS] : TABLE_READ_ACTIONS;
      this.function.addToRolePolicy(new PolicyStatement({ actions: tableActions, resources: [table.tableArn] }));
      const indexArns = tableSpec.globalIndexes.map((index) => `${table.tableArn}/index/${index.name}`);
      if (indexArns.length > 0) {
        this.function.addToRolePolicy(new PolicyStatement({ actions: INDEX_READ_ACTIONS, resources: indexArns }));
      }
    }

    for (const key of access.sendTo ?? []) {
      const queue = resources.queues[key];
      this.function.addEnvironment(queueSpecs[key].envVar, queue.queueUrl);
      queue.grantSendMessages(this.function);
    }

    if (access.sendEmail) {
      // The sending identity (domain or address) is verified in SES by the operator, after deploy.
      const identities = Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: '*' });
      this.function.addToRolePolicy(new PolicyStatement({ actions: ['ses:SendEmail', 'ses:SendRawEmail'], resources: [identities] }));
      const defaultPolicy = this.role.node.tryFindChild('DefaultPolicy');
      if (defaultPolicy)
        Validations.of(defaultPolicy).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*]',
          reason: 'SES checks the From identity per message; which verified identity (domain or address) the seller sends from is configured after deploy, so the grant covers this account\'s identities in this region only.',
        });
    }

    for (const key of access.startExecution ?? []) {
      const stateMachine = resources.stateMachines[key];
      this.function.addEnvironment(stateMachineSpecs[key].envVar, stateMachine.stateMachineArn);
      stateMachine.grantStartExecution(this.function);
    }

    for (const key of access.secrets ?? []) {
      const secret = resources.secrets[key];
      this.function.addEnvironment(secretSpecs[key].arnEnvVar, secret.secretArn);
      secret.grantRead(this.function);
    }

    for (const [key, level] of Object.entries(access.buckets ?? {}) as [BucketKey, 'read' | 'readwrite'][]) {
      const bucket = resources.buckets[key];
      this.function.addEnvironment(bucketSpecs[key].envVar, bucket.bucketName);
      const objectActions = level === 'readwrite' ? [...BUCKET_READ_OBJECT_ACTIONS, ...BUCKET_WRITE_OBJECT_ACTIONS] : BUCKET_READ_OBJECT_ACTIONS;
      this.function.addToRolePolicy(new PolicyStatement({ actions: objectActions, resources: [bucket.arnForObjects('*')] }));
      this.function.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
      const bucketResource = bucket.node.defaultChild as CfnElement | undefined;
      const defaultPolicy = this.role.node.tryFindChild('DefaultPolicy');
      if (bucketResource && defaultPolicy) {
        Validations.of(defaultPolicy).acknowledge({
          id: `AwsSolutions-IAM5[Resource::<${Stack.of(bucket).getLogicalId(bucketResource)}.Arn>/*]`,
          reason: `Objects in the ${bucketSpecs[key].id} are keyed by generated ids, so object access is granted on the bucket's objects, never on other buckets.`,
        });
      }
    }
  }
}
