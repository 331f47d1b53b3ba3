import { checkCredit } from '#domain/use-cases/check-credit';
import { creditPolicy, tableDeps } from '#shared/wiring';
import { workflowStep } from '#shared/workflow-step';

const deps = { ...tableDeps(), policy: creditPolicy() };

/** Order workflow task `CheckCredit`: APPROVED, CREDIT_REVIEW or REJECTED with the reasons. */
export const handler = workflowStep(({ orderId }) => checkCredit(orderId, deps));
