import { compensateFailedStep } from '#domain/use-cases/release-order';
import { tableDeps } from '#shared/wiring';
import { workflowStep } from '#shared/workflow-step';

const deps = tableDeps();

/** Order workflow compensation: the failed step's error becomes the cancellation reason; stock and exposure are released. */
export const handler = workflowStep(({ orderId, failedStep, error }) =>
  compensateFailedStep({ orderId, failedStep, reason: `fulfilment failed: ${error?.Error ?? 'unknown error'}${error?.Cause ? ` (${error.Cause.slice(0, 300)})` : ''}` }, deps),
);
