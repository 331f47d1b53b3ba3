/** An append-only record of one state change: who, when, what (before → after), and why. */
export interface AuditEvent {
  id: string;
  entity: 'order' | 'customer' | 'product';
  entityId: string;
  /** Past tense, e.g. `OrderReceived`, `OrderValidated`. */
  type: string;
  actor: string;
  at: string;
  before?: string | undefined;
  after?: string | undefined;
  reason?: string | undefined;
}
