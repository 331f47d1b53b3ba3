import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { checkCredit } from '#domain/use-cases/check-credit';
import { businessMetrics, creditDeciders, isCreditOutcome, point } from '#shared/metrics';
import { metrics, recordMetrics } from '#shared/observability';
import { creditPolicy } from '#shared/policy-wiring';
import { tableDeps } from '#shared/wiring';
import { workflowStep } from '#shared/workflow-step';

const deps = { ...tableDeps(), policy: creditPolicy() };

/** Order workflow task `CheckCredit`: APPROVED, CREDIT_REVIEW or REJECTED with the reasons. */
export const handler = workflowStep(async ({ orderId }) => {
  const result = await checkCredit(orderId, deps);
  // A replayed step answers the order's later status (RESERVED, …): only a credit outcome is counted.
  if (isCreditOutcome(result.status)) recordMetrics([point(businessMetrics.creditDecisions, { Outcome: result.status, DecidedBy: creditDeciders.policy })]);
  return result;
}).use(logMetrics(metrics));
