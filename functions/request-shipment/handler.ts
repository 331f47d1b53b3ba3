import { requestShipment } from '#domain/use-cases/request-shipment';
import { tableDeps } from '#shared/wiring';
import { workflowStep } from '#shared/workflow-step';

const deps = tableDeps();

/** Order workflow task `RequestShipment`: records what the warehouse should ship. */
export const handler = workflowStep(({ orderId }) => requestShipment(orderId, deps));
