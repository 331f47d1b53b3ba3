import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { OrderWorkflowInput } from '#schemas/messages';
import { logger } from '#shared/logger';

/** A Task of the order workflow: its input checked, its errors left to the ASL's Retry and Catch by name. */
const StepInput = OrderWorkflowInput.extend({
  /** Compensation only: which step failed for good, and its error. */
  failedStep: z.enum(['ReserveStock', 'RequestShipment']).optional(),
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});
export type StepInput = z.infer<typeof StepInput>;

export function workflowStep<Result>(handle: (input: StepInput) => Promise<Result>) {
  return middy(async (event: unknown) => handle(StepInput.parse(event))).use(injectLambdaContext(logger));
}
