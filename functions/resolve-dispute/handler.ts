import { resolveDispute } from '#domain/use-cases/disputes';
import { DisputeResolutionBody, creditRequestOf } from '#schemas/operator-api';
import { httpHandler, json, parseBody, pathParameter } from '#shared/http';
import { creditNoteDeps } from '#shared/policy-wiring';

const deps = creditNoteDeps();

/** `POST /disputes/{id}/resolution`: `{outcome: credit | reject, reason, lines? | amountMinor?}`. */
export const handler = httpHandler('POST /disputes/{id}/resolution', async (event, caller) => {
  const body = parseBody(event, DisputeResolutionBody);
  return json(200, await resolveDispute({ disputeId: pathParameter(event, 'id'), outcome: body.outcome, reason: body.reason, credit: body.outcome === 'credit' ? creditRequestOf(body) : undefined, caller }, deps));
});
