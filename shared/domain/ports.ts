import type { AuditEvent } from './audit.ts';
import type { Customer } from './customer.ts';
import type { CanonicalOrder, CatalogueCheck, CatalogueProduct, Order, OrderSource } from './order.ts';

/** Business time. Locally it can be moved forward to exercise dunning and ageing; on AWS it is the wall clock. */
export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  next(): string;
}

/** What a use case needs from the order store; implemented by `#adapters/order-store`. */
export interface OrderStore {
  get(orderId: string): Promise<Order | undefined>;
  findIdByRef(source: OrderSource, externalId: string): Promise<string | undefined>;
  findCustomerIdByRef(source: OrderSource, externalId: string): Promise<string | undefined>;
  /** Writes the order, its business-key reference, its first audit event and (if new) its customer, all or nothing. */
  create(input: { order: Order; newCustomer?: Customer | undefined; audit: AuditEvent }): Promise<'created' | 'order-exists' | 'customer-exists'>;
  /** Applies a catalogue check if the order is still at `expectedVersion`; false when someone got there first. */
  recordCheck(order: Order, check: CatalogueCheck, audit: AuditEvent, now: string): Promise<boolean>;
  listAudit(orderId: string): Promise<AuditEvent[]>;
}

export interface Catalogue {
  getMany(skus: readonly string[]): Promise<Map<string, CatalogueProduct>>;
}

/** Remembers which webhook deliveries were already taken, to answer a redelivery with `duplicate`. */
export interface DeliveryLog {
  has(source: OrderSource, deliveryId: string): Promise<boolean>;
  record(source: OrderSource, deliveryId: string, at: Date): Promise<void>;
}

export interface OrderQueue {
  enqueue(message: { deliveryId: string; receivedAt: string; order: CanonicalOrder }): Promise<void>;
}

export interface Workflows {
  /** Starts the order workflow named after the order; a second start for the same order is a no-op. */
  startOrder(orderId: string): Promise<'started' | 'already-started'>;
}
