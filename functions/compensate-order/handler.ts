import { cancelOrder } from '#domain/use-cases/release-order';
import { tableDeps } from '#shared/wiring';
import { workflowStep } from '#shared/workflow-step';

const deps = tableDeps();

/** Order workflow compensation: the failed step's error becomes the cancellation reason; stock and exposure are released. */
export const handler = workflowStep(({ orderId, error }) =>
  cancelOrder(orderId, `fulfilment failed: ${error?.Error ?? 'unknown error'}${error?.Cause ? ` (${error.Cause.slice(0, 300)})` : ''}`, 'workflow:compensation', deps),
);
