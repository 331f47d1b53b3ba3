import { reserveStock } from '#domain/use-cases/reserve-stock';
import { tableDeps } from '#shared/wiring';
import { workflowStep } from '#shared/workflow-step';

const deps = tableDeps();

/** Order workflow task `ReserveStock`: AWAITING_SHIPMENT, or BACKORDERED with the short SKUs. */
export const handler = workflowStep(({ orderId }) => reserveStock(orderId, deps));
