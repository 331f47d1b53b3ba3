import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { readSecret } from '#adapters/secrets';
import { receiveGenericOrder } from '#domain/use-cases/receive-generic-order';
import { readGenericOrder } from '#schemas/generic-order';
import { wallClock } from '#shared/clock';
import { header, httpHandler, json, rawBody } from '#shared/http';
import { businessMetrics, point } from '#shared/metrics';
import { metrics, recordMetrics } from '#shared/observability';
import { intakeTableDeps, orderQueue } from '#shared/wiring';

const deps = { ...intakeTableDeps(), queue: orderQueue(), wallClock, readOrder: readGenericOrder };

/** `POST /webhooks/orders`: 202 once the order is safely queued (or was already), 4xx with a reason otherwise. */
export const handler = httpHandler('POST /webhooks/orders', async (event) => {
  const outcome = await receiveGenericOrder(
    { rawBody: rawBody(event), signatureHeader: header(event, 'x-o2c-signature') },
    { ...deps, secret: await readSecret('webhook') },
  );
  if (outcome.status === 'accepted') recordMetrics([point(businessMetrics.ordersAccepted, { Source: 'generic' })]);
  return json(202, outcome);
}).use(logMetrics(metrics));
