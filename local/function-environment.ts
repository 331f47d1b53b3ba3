import { buckets, deadLetterQueues, functions, queues, secrets, stateMachines, table, type BucketKey, type FunctionKey, type FunctionSpec, type StateMachineKey } from '#shared/topology';
import { localCredentials } from './engines/engine.ts';
import { LOCAL_REGION } from './lambda-runtime.ts';
import type { QueueAddress } from './sqs-pollers.ts';
import { localStateMachineArn } from './step-functions.ts';

/**
 * The environment the handlers run with locally: what CDK gives each function (resource names, queue URLs,
 * state machine ARNs, secrets), with local values, plus the endpoints of the local engines.
 */
export function functionEnvironment(input: {
  endpoints: { dynamodb: string; sqs: string; s3: string; ses: string; stepfunctions: string };
  queues: Record<string, QueueAddress>;
  logLevel: string;
}): Record<string, string> {
  const environment: Record<string, string> = {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: input.endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: input.endpoints.sqs,
    AWS_ENDPOINT_URL_S3: input.endpoints.s3,
    AWS_ENDPOINT_URL_SESV2: input.endpoints.ses,
    AWS_ENDPOINT_URL_SFN: input.endpoints.stepfunctions,
    // s3rver cannot verify streamed checksums; without these, streamed uploads are corrupted.
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ?? 'false',
    POWERTOOLS_LOG_LEVEL: input.logLevel,
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_DEV: 'true',
    // fauxqs has no StartMessageMoveTask: redrives receive, send to the source queue, then delete.
    O2C_DEAD_LETTER_REDRIVE: 'receive-send-delete',
    [table.envVar]: table.localName,
  };
  for (const bucket of Object.values(buckets)) environment[bucket.envVar] = bucket.localName;
  for (const [key, spec] of Object.entries(queues)) environment[spec.envVar] = input.queues[key]!.url;
  for (const spec of deadLetterQueues) environment[spec.envVar] = input.queues[spec.name]!.url;
  for (const [key, spec] of Object.entries(stateMachines)) environment[spec.envVar] = localStateMachineArn(key as StateMachineKey);
  for (const spec of Object.values(secrets)) environment[spec.localEnvVar] = process.env[spec.localEnvVar] ?? spec.devDefault;
  return environment;
}

/** Every variable that names a resource: a function sees one only when its topology `access` grants the resource. */
export const resourceVariables: ReadonlySet<string> = new Set([
  table.envVar,
  ...Object.values(buckets).map((bucket) => bucket.envVar),
  ...Object.values(queues).map((queue) => queue.envVar),
  ...deadLetterQueues.map((queue) => queue.envVar),
  ...Object.values(stateMachines).map((machine) => machine.envVar),
  ...Object.values(secrets).map((secret) => secret.localEnvVar),
]);

/**
 * The resource variables one function is given, as the CDK's `grantAccess` gives them on AWS: the table, the
 * queues it sends to, the workflows it starts, its secrets, its buckets and its dead-letter queues, nothing else.
 */
export function grantedResourceVariables(key: FunctionKey): ReadonlySet<string> {
  const { access }: FunctionSpec = functions[key];
  return new Set([
    ...(access.table ? [table.envVar] : []),
    ...(access.sendTo ?? []).map((queue) => queues[queue].envVar),
    ...(access.startExecution ?? []).map((machine) => stateMachines[machine].envVar),
    ...(access.secrets ?? []).map((secret) => secrets[secret].localEnvVar),
    ...(Object.keys(access.buckets ?? {}) as BucketKey[]).map((bucket) => buckets[bucket].envVar),
    // Readers see every dead-letter queue; the redrive function only those with a source queue to move back to.
    ...deadLetterQueues.filter((queue) => access.deadLetters !== undefined && (access.deadLetters !== 'redrive' || queue.source.kind === 'queue')).map((queue) => queue.envVar),
  ]);
}
