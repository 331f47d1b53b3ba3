import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Workflows } from '#domain/ports';

/**
 * Executions are named after the order (Standard workflows keep names unique for 90 days), so a redelivered
 * start is refused by Step Functions itself and read here as "already started".
 */
export function stepFunctionsWorkflows(client: SFNClient, orderStateMachineArn: string): Workflows {
  return {
    async startOrder(input, name) {
      try {
        await client.send(new StartExecutionCommand({ stateMachineArn: orderStateMachineArn, name, input: JSON.stringify(input) }));
        return 'started';
      } catch (error) {
        if (error instanceof ExecutionAlreadyExists || (error as Error).name === 'ExecutionAlreadyExists') return 'already-started';
        throw error;
      }
    },
  };
}
