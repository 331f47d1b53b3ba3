import { orderSources } from './order.ts';

/** An append-only record of one state change: who, when, what (before → after), and why. */
export interface AuditEvent {
  id: string;
  entity: 'order' | 'customer' | 'product' | 'invoice' | 'payment';
  entityId: string;
  /** Set on order and customer events, so a customer's history includes its orders'. */
  customerId?: string | undefined;
  /** Past tense, e.g. `OrderReceived`, `OrderValidated`. */
  type: string;
  actor: string;
  at: string;
  before?: string | undefined;
  after?: string | undefined;
  reason?: string | undefined;
}

/** Builds audit events for one actor and moment, so every use case records them the same way. */
export function auditTrail(deps: { ids: { next(): string } }, base: Pick<AuditEvent, 'actor' | 'at'>) {
  return (event: Omit<AuditEvent, 'id' | 'actor' | 'at'>): AuditEvent => ({ id: deps.ids.next(), ...base, ...event });
}

/** Who cash application is in the audit trail and on the allocations it makes itself (`PaymentAllocation.by`). */
export const CASH_APPLICATION_ACTOR = 'cash-application';
/** Who the daily dunning run is in the audit trail. */
export const COLLECTIONS_ACTOR = 'collections';

/**
 * Actors that are O2C or a partner system rather than a person: cash application, collections, SES's delivery
 * events, a signed sender, a store's webhook (`webhook:<source>`, or the source's name), the workflows
 * (`workflow:<name>`) and carriers (`carrier:<name>`). Every other actor is a person's user name, so an event by it
 * is a manual step.
 */
const SYSTEM_ACTORS: ReadonlySet<string> = new Set([CASH_APPLICATION_ACTOR, COLLECTIONS_ACTOR, 'ses', 'signed-sender', ...orderSources]);
const SYSTEM_ACTOR_PREFIXES = ['workflow:', 'webhook:', 'carrier:'];

/** True when `actor` is a person (an operator's user name): what they did was a manual step. */
export const isPersonActor = (actor: string): boolean => !SYSTEM_ACTORS.has(actor) && !SYSTEM_ACTOR_PREFIXES.some((prefix) => actor.startsWith(prefix));
