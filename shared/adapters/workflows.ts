import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Workflows } from '#domain/ports';

/**
 * Executions are named after the order (Standard workflows keep names unique for 90 days), so a redelivered
 * start is refused by Step Functions itself and read here as "already started".
 */
export function stepFunctionsWorkflows(client: SFNClient, orderStateMachineArn: string): Workflows {
  return { startOrder: (input, name) => startNamedExecution(client, orderStateMachineArn, name, input) };
}

/** Starts an execution under a deterministic name; an existing one of that name means it was already started. */
export async function startNamedExecution(client: SFNClient, stateMachineArn: string, name: string, input: unknown): Promise<'started' | 'already-started'> {
  try {
    await client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    return 'started';
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists || (error as Error).name === 'ExecutionAlreadyExists') return 'already-started';
    throw error;
  }
}
