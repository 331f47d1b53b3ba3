import type { OrderSource } from './order.ts';

/** A buyer as first seen on an order. Credit terms arrive with credit management; these are the identity fields. */
export interface Customer {
  id: string;
  source: OrderSource;
  externalId: string;
  name: string;
  email: string;
  country: string;
  createdAt: string;
}
