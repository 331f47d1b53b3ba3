/**
 * Every key of the single table, built in one place so a person (or an ASL state) can rebuild them.
 * Uppercase entity prefixes, `#` separators, values kept as given (no case folding).
 */
export const keys = {
  order: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ORDER' }),
  orderAudit: (orderId: string, at: string, eventId: string) => ({ pk: `ORDER#${orderId}`, sk: `AUDIT#${at}#${eventId}` }),
  orderAuditPrefix: 'AUDIT#',
  orderRef: (source: string, externalId: string) => ({ pk: `ORDERREF#${source}#${externalId}`, sk: 'ORDERREF' }),
  ordersOfCustomer: (customerId: string, createdAt: string, orderId: string) => ({
    gsi1pk: `CUSTOMER#${customerId}`,
    gsi1sk: `ORDER#${createdAt}#${orderId}`,
  }),
  customer: (customerId: string) => ({ pk: `CUSTOMER#${customerId}`, sk: 'CUSTOMER' }),
  customerRef: (source: string, externalId: string) => ({ pk: `CUSTOMERREF#${source}#${externalId}`, sk: 'CUSTOMERREF' }),
  product: (sku: string) => ({ pk: `PRODUCT#${sku}`, sk: 'PRODUCT' }),
  webhookDelivery: (source: string, deliveryId: string) => ({ pk: `DELIVERY#${source}#${deliveryId}`, sk: 'DELIVERY' }),
  /** Powertools idempotency records share the table under their own partition per function. */
  idempotencyPartition: (functionName: string) => `IDEMPOTENCY#${functionName}`,
} as const;
