/**
 * Order KPIs from the orders' audit trail: how many orders went from intake to invoice with no person involved
 * (touchless), how long each stage of the cycle takes, and how credit decided. Only the audit events are read:
 * each records who (`actor`), when (`at`) and the status after (`after`), and a person's actor is their user name
 * (`isPersonActor`).
 *
 * The stages of an order are the first time its events reached:
 * - ordered: its first event (`OrderStored`);
 * - approved: status `APPROVED` (`CreditApproved`, or `CreditApprovedByReview` after a review);
 * - shipped: status `SHIPPED`, everything shipped (`OrderShipped`);
 * - invoiced: status `INVOICED` (`InvoiceIssued` of its last shipment), or `PAID` by that same event when the store
 *   had already collected everything at checkout;
 * - paid: status `PAID` (`OrderPaid` when its invoices are settled, or at invoicing as above).
 * Orders without an event count nowhere; a stage an order has not reached yet has no duration.
 *
 * Counts only: orders of any currency may be passed together. Pure: no clock, no I/O.
 */
import { isPersonActor, type AuditEvent } from './audit.ts';
import { durationStats, secondsBetween, share, type DurationStats, type Share } from './figures.ts';
import { compareText } from './text.ts';

export const orderStages = ['ordered', 'approved', 'shipped', 'invoiced', 'paid'] as const;
export type OrderStage = (typeof orderStages)[number];

export type OrderEvent = Pick<AuditEvent, 'id' | 'entity' | 'entityId' | 'type' | 'actor' | 'at' | 'after'>;

/** One order as the KPIs read it: the inputs of every figure. */
export interface OrderTrace {
  orderId: string;
  reached: Partial<Record<OrderStage, string>>;
  /** Events by a person up to the order's invoicing (all of them while it is not invoiced). */
  manualSteps: { type: string; actor: string; at: string }[];
  /** Invoiced with no manual step before. */
  touchless: boolean;
  /** The policy's decision (`CreditApproved`, `CreditReviewRequired`, `CreditRejected`) and a reviewer's. */
  credit?: { policy: 'APPROVED' | 'CREDIT_REVIEW' | 'REJECTED'; review?: 'APPROVED' | 'REJECTED' | undefined } | undefined;
}

export interface OrderKpis {
  /** Orders invoiced with no manual step ÷ orders invoiced. */
  touchless: Share;
  /** Orders with at least one event; of them, invoiced. */
  orderCount: number;
  invoicedCount: number;
  /** Each stage from the one before, and the whole cycle from order to paid. */
  cycle: Record<'orderedToApproved' | 'approvedToShipped' | 'shippedToInvoiced' | 'invoicedToPaid' | 'orderedToPaid', DurationStats>;
  credit: {
    decided: number;
    /** The policy's outcomes ÷ orders it decided. */
    approved: Share;
    review: Share;
    rejected: Share;
    /** Of the orders sent to review: approved, rejected, not yet decided. */
    reviewApproved: number;
    reviewRejected: number;
    reviewPending: number;
  };
  /** Every order read, by id. */
  traces: OrderTrace[];
}

const POLICY_OUTCOMES: Readonly<Record<string, 'APPROVED' | 'CREDIT_REVIEW' | 'REJECTED'>> = { CreditApproved: 'APPROVED', CreditReviewRequired: 'CREDIT_REVIEW', CreditRejected: 'REJECTED' };
const REVIEW_OUTCOMES: Readonly<Record<string, 'APPROVED' | 'REJECTED'>> = { CreditApprovedByReview: 'APPROVED', CreditRejectedByReview: 'REJECTED' };

function stageOf(event: OrderEvent): OrderStage[] {
  switch (event.after) {
    case 'APPROVED':
      return ['approved'];
    case 'SHIPPED':
      return ['shipped'];
    case 'INVOICED':
      return ['invoiced'];
    case 'PAID':
      return event.type === 'InvoiceIssued' ? ['invoiced', 'paid'] : ['paid'];
    default:
      return [];
  }
}

/** The trace of one order from its events (any order; sorted here by time, then id). */
export function traceOrder(orderId: string, events: readonly OrderEvent[]): OrderTrace {
  const sorted = [...events].sort((a, b) => compareText(a.at, b.at) || compareText(a.id, b.id));
  const reached: Partial<Record<OrderStage, string>> = {};
  if (sorted[0]) reached.ordered = sorted[0].at;
  let credit: OrderTrace['credit'];
  for (const event of sorted) {
    for (const stage of stageOf(event)) reached[stage] ??= event.at;
    const policy = POLICY_OUTCOMES[event.type];
    if (policy && !credit) credit = { policy };
    const review = REVIEW_OUTCOMES[event.type];
    if (review && credit && !credit.review) credit.review = review;
  }
  const invoicedAt = reached.invoiced;
  const manualSteps = sorted.filter((event) => isPersonActor(event.actor) && (invoicedAt === undefined || event.at <= invoicedAt)).map(({ type, actor, at }) => ({ type, actor, at }));
  return { orderId, reached, manualSteps, touchless: invoicedAt !== undefined && manualSteps.length === 0, credit };
}

const stretch = (traces: readonly OrderTrace[], from: OrderStage, to: OrderStage): DurationStats =>
  durationStats(traces.flatMap((trace) => (trace.reached[from] && trace.reached[to] ? [{ id: trace.orderId, seconds: secondsBetween(trace.reached[from], trace.reached[to]) }] : [])));

/** The order KPIs of the orders whose events are passed (events of other entities are left out). */
export function orderKpis(input: { events: readonly OrderEvent[] }): OrderKpis {
  const byOrder = new Map<string, OrderEvent[]>();
  for (const event of input.events) if (event.entity === 'order') (byOrder.get(event.entityId) ?? byOrder.set(event.entityId, []).get(event.entityId)!).push(event);
  const traces = [...byOrder.entries()].map(([orderId, events]) => traceOrder(orderId, events)).sort((a, b) => compareText(a.orderId, b.orderId));
  const invoiced = traces.filter((trace) => trace.reached.invoiced !== undefined);
  const decided = traces.filter((trace) => trace.credit);
  const policy = (outcome: string) => share(decided.filter((trace) => trace.credit?.policy === outcome).length, decided.length);
  const reviewed = decided.filter((trace) => trace.credit?.policy === 'CREDIT_REVIEW');
  return {
    touchless: share(invoiced.filter((trace) => trace.touchless).length, invoiced.length),
    orderCount: traces.length,
    invoicedCount: invoiced.length,
    cycle: {
      orderedToApproved: stretch(traces, 'ordered', 'approved'),
      approvedToShipped: stretch(traces, 'approved', 'shipped'),
      shippedToInvoiced: stretch(traces, 'shipped', 'invoiced'),
      invoicedToPaid: stretch(traces, 'invoiced', 'paid'),
      orderedToPaid: stretch(traces, 'ordered', 'paid'),
    },
    credit: {
      decided: decided.length,
      approved: policy('APPROVED'),
      review: policy('CREDIT_REVIEW'),
      rejected: policy('REJECTED'),
      reviewApproved: reviewed.filter((trace) => trace.credit?.review === 'APPROVED').length,
      reviewRejected: reviewed.filter((trace) => trace.credit?.review === 'REJECTED').length,
      reviewPending: reviewed.filter((trace) => !trace.credit?.review).length,
    },
    traces,
  };
}
