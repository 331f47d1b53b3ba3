import { allocatePayment } from '#domain/use-cases/payments';
import { AllocationBody } from '#schemas/operator-api';
import { httpHandler, json, parseBody, pathParameter } from '#shared/http';
import { allocationDeps } from '#shared/wiring';

const deps = allocationDeps();

/** `POST /payments/{id}/allocations`: `{allocations, writeOffs?, rememberPayer?, note?}`; 409 when it does not fit. */
export const handler = httpHandler('POST /payments/{id}/allocations', async (event, caller) =>
  json(200, await allocatePayment({ paymentId: pathParameter(event, 'id'), request: parseBody(event, AllocationBody), caller }, deps)),
);
