import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '#domain/dates';
import { TransientError } from '#domain/errors';
import { keys } from '#domain/keys';
import type { Workflows } from '#domain/ports';

/** Where starts are claimed: the single table. */
export interface StartClaims {
  documents: DynamoDBDocumentClient;
  tableName: string;
  now?: () => number;
}

/**
 * A claim that is not confirmed within this time belongs to an invocation that died between claiming and starting;
 * the next attempt takes it over. Shorter than every starter's SQS visibility timeout, so the dead invocation's own
 * redelivery finds it stale.
 */
export const START_CLAIM_LEASE_MS = 30_000;
/** As long as Step Functions keeps a Standard execution's name: a start repeated within 90 days is a no-op. */
const START_RETENTION_SECONDS = 90 * 86_400;

/** Another invocation claimed this start a moment ago and has not confirmed it yet: retry later, do not start twice. */
export class StartInFlight extends TransientError {}

export function stepFunctionsWorkflows(client: SFNClient, orderStateMachineArn: string, claims: StartClaims): Workflows {
  return { startOrder: (input, name) => startOnce(client, claims, orderStateMachineArn, name, input) };
}

/**
 * Starts an execution once per state machine and name. Express workflows start every request (and may run one twice),
 * so the table decides: a conditional put claims the name, the execution is started, the claim is confirmed.
 * - claimed and confirmed before: `already-started`, nothing is sent;
 * - claimed by another invocation within the lease: {@link StartInFlight} (transient: the redelivery finds it settled);
 * - claimed but never confirmed (the claimer died): taken over after the lease, and started;
 * - StartExecution failed: the claim is released, so the retry can claim it at once.
 * A Standard workflow's own refusal of a used name (`ExecutionAlreadyExists`) still reads as `already-started`.
 * Every step of both workflows is a conditional write, so a start that slips through twice changes nothing twice.
 */
export async function startOnce(client: SFNClient, claims: StartClaims, stateMachineArn: string, name: string, input: unknown): Promise<'started' | 'already-started'> {
  const now = (claims.now ?? Date.now)();
  const key = keys.workflowStart(stateMachineArn.split(':').at(-1) ?? stateMachineArn, name);
  try {
    await claims.documents.send(
      new PutCommand({
        TableName: claims.tableName,
        Item: { ...key, entityType: 'WorkflowStart', state: 'CLAIMED', claimedAt: now, expiresAt: epochSeconds(new Date(now)) + START_RETENTION_SECONDS },
        ConditionExpression: 'attribute_not_exists(pk) OR (#state = :claimed AND claimedAt < :stale)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':claimed': 'CLAIMED', ':stale': now - START_CLAIM_LEASE_MS },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // The low-level item (`{ S: ... }`): the document client does not unmarshall what a failed condition returns.
    const state = error.Item?.state as { S?: string } | string | undefined;
    if ((typeof state === 'string' ? state : state?.S) === 'STARTED') return 'already-started';
    throw new StartInFlight(`workflow start ${name} is being claimed by another invocation; retry`);
  }

  try {
    await client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
  } catch (error) {
    const alreadyExists = error instanceof ExecutionAlreadyExists || (error as Error).name === 'ExecutionAlreadyExists';
    if (!alreadyExists) {
      try {
        await claims.documents.send(new DeleteCommand({ TableName: claims.tableName, Key: key, ConditionExpression: 'claimedAt = :mine', ExpressionAttributeValues: { ':mine': now } }));
      } catch {
        // Not released (taken over, or the table failed too): the lease frees it; the start's own error is what matters.
      }
      throw error;
    }
  }
  await claims.documents.send(
    new UpdateCommand({ TableName: claims.tableName, Key: key, UpdateExpression: 'SET #state = :started', ExpressionAttributeNames: { '#state': 'state' }, ExpressionAttributeValues: { ':started': 'STARTED' } }),
  );
  return 'started';
}
