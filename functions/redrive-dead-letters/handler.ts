import { redriveDeadLetters } from '#domain/use-cases/dead-letters';
import { InvalidRequest } from '#domain/errors';
import { RedriveParameters } from '#schemas/operator-api';
import { describeIssues } from '#schemas/issues';
import { httpHandler, json } from '#shared/http';
import { logger } from '#shared/logger';
import { deadLetters } from '#shared/dead-letters-wiring';

const deps = { deadLetters: deadLetters('redrive') };

/**
 * `POST /dead-letters/{queue}/redrive` (admin): moves the queue's messages back to their source queue. 202: on AWS
 * the SQS move task runs on (`status: RUNNING`); locally the move is done before the answer (`COMPLETED`, or
 * `PARTIAL` with what is left for another call). 404 for an unknown queue, 409 for one with no source queue.
 */
export const handler = httpHandler('POST /dead-letters/{queue}/redrive', async (event, caller) => {
  const parameters = RedriveParameters.safeParse(event.pathParameters ?? {});
  if (!parameters.success) throw new InvalidRequest(parameters.error.issues[0]?.message ?? 'invalid dead-letter queue name', describeIssues(parameters.error));
  const outcome = await redriveDeadLetters(parameters.data, deps);
  logger.info('dead letters redriven', { actor: caller.actor, ...outcome });
  return json(202, outcome);
});
