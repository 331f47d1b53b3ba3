import { validateOrder } from '#domain/use-cases/validate-order';
import { tableDeps } from '#shared/wiring';
import { workflowStep } from '#shared/workflow-step';

const deps = tableDeps();

/** Order workflow task `ValidateOrder`: `{orderId, status, reasons}` for the next Choice state. */
export const handler = workflowStep(({ orderId }) => validateOrder(orderId, deps));
