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
