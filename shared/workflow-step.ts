import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from '#schemas/zod';
import { OrderWorkflowInput } from '#schemas/messages';
import { logger } from '#shared/logger';

/** A Task of the order workflow: its input checked, its errors left to the ASL's Retry and Catch by name. */
const StepInput = z.extend(OrderWorkflowInput, {
  /** Compensation only: which step failed for good, and its error. */
  failedStep: z.optional(z.enum(['ReserveStock', 'RequestShipment'])),
  error: z.optional(z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) })),
});
export type StepInput = z.infer<typeof StepInput>;

export function workflowStep<Result>(handle: (input: StepInput) => Promise<Result>) {
  return middy(async (event: unknown) => handle(StepInput.parse(event))).use(injectLambdaContext(logger));
}
