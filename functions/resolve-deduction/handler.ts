import { resolveDeduction } from '#domain/use-cases/deductions';
import { DeductionResolutionBody } from '#schemas/operator-api';
import { httpHandler, json, parseBody, pathParameter } from '#shared/http';
import { deductionDeps } from '#shared/policy-wiring';

const deps = deductionDeps();

/** `POST /deductions/{id}/resolution`: `{decision: accept, settleBy: credit-note | write-off, reason}` or `{decision: reject, reason}`. */
export const handler = httpHandler('POST /deductions/{id}/resolution', async (event, caller) =>
  json(200, await resolveDeduction({ deductionId: pathParameter(event, 'id'), decision: parseBody(event, DeductionResolutionBody), caller }, deps)),
);
