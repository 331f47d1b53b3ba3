import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { recordCreditDecision } from '#domain/use-cases/record-credit-decision';
import { CreditDecisionBody } from '#schemas/operator-api';
import { httpHandler, json, parseBody, pathParameter } from '#shared/http';
import { businessMetrics, creditDeciders, point } from '#shared/metrics';
import { metrics, recordMetrics } from '#shared/observability';
import { orderWorkflows, tableDeps } from '#shared/wiring';

const deps = { ...tableDeps(), workflows: orderWorkflows() };

/** `POST /orders/{id}/credit-decision`: a credit manager's approve or reject, with the reason, on a held order. */
export const handler = httpHandler('POST /orders/{id}/credit-decision', async (event, caller) => {
  const body = parseBody(event, CreditDecisionBody);
  const decision = await recordCreditDecision({ orderId: pathParameter(event, 'id'), ...body, actor: caller.actor }, deps);
  recordMetrics([point(businessMetrics.creditDecisions, { Outcome: decision.status, DecidedBy: creditDeciders.review })]);
  return json(200, decision);
}).use(logMetrics(metrics));
