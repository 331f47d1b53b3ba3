/**
 * Every key of the single table, built in one place so a person (or an ASL state) can rebuild them.
 * Uppercase entity prefixes, `#` separators, values kept as given (no case folding).
 */
/** A day's events spread over this many index partitions, so a burst (a big bank file, an order rush) has room. */
export const EVENT_SHARDS = 4;
/** The shard of an event: a stable hash of its id. */
export function eventShard(eventId: string): number {
  let hash = 0;
  for (const char of eventId) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
  return hash % EVENT_SHARDS;
}

/** How much of a payer's normalized name keys its links (ASCII after `normalizePartyName`). */
const PAYER_NAME_KEY_LENGTH = 200;

export const keys = {
  order: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ORDER' }),
  /** What an order never changes after creation (its lines, addresses, the store's figures), beside the order: written once. */
  orderDetail: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ORDER#DETAIL' }),
  /** The order and its detail share this sort-key prefix, so one query reads both (and nothing else of the collection). */
  orderItemsPrefix: 'ORDER',
  orderAudit: (orderId: string, at: string, eventId: string) => ({ pk: `ORDER#${orderId}`, sk: `AUDIT#${at}#${eventId}` }),
  auditPrefix: 'AUDIT#',
  customerAudit: (customerId: string, at: string, eventId: string) => ({ pk: `CUSTOMER#${customerId}`, sk: `AUDIT#${at}#${eventId}` }),
  productAudit: (sku: string, at: string, eventId: string) => ({ pk: `PRODUCT#${sku}`, sk: `AUDIT#${at}#${eventId}` }),
  /** On every audit event of a customer or its orders: the customer's history is one gsi1 query. */
  auditOfCustomer: (customerId: string, at: string, eventId: string) => ({ gsi1pk: `CUSTOMER#${customerId}`, gsi1sk: `AUDIT#${at}#${eventId}` }),
  customerPartition: (customerId: string) => `CUSTOMER#${customerId}`,
  ordersOfCustomerPrefix: 'ORDER#',
  /** An order waiting for stock of one SKU; oldest first, deleted when reserved or cancelled. */
  backorder: (sku: string, orderedAt: string, orderId: string) => ({ pk: `PRODUCT#${sku}`, sk: `BACKORDER#${orderedAt}#${orderId}` }),
  backorderPrefix: 'BACKORDER#',
  /**
   * An order ON_HOLD because of this SKU's catalogue entry, by the order's currency (only a product sold in that
   * currency can release it), oldest first; deleted when the order leaves ON_HOLD.
   */
  heldOrder: (sku: string, currency: string, orderedAt: string, orderId: string) => ({ pk: `PRODUCT#${sku}`, sk: `HELD#${currency}#${orderedAt}#${orderId}` }),
  heldOrderPrefix: (currency: string) => `HELD#${currency}#`,
  shipmentRequest: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'SHIPMENT_REQUEST' }),
  shipment: (orderId: string, carrier: string, trackingNumber: string) => ({ pk: `ORDER#${orderId}`, sk: `SHIPMENT#${carrier}#${trackingNumber}` }),
  shipmentPrefix: 'SHIPMENT#',
  /** On a shipment until its invoicing request is queued: the invoicing outbox is one sparse gsi1 partition. */
  invoicingOutbox: (recordedAt: string, orderId: string, carrier: string, trackingNumber: string) => ({ gsi1pk: 'OUTBOX#invoicing', gsi1sk: `${recordedAt}#${orderId}#${carrier}#${trackingNumber}` }),
  invoicingOutboxPartition: 'OUTBOX#invoicing',
  orderRef: (source: string, externalId: string) => ({ pk: `ORDERREF#${source}#${externalId}`, sk: 'ORDERREF' }),
  ordersOfCustomer: (customerId: string, createdAt: string, orderId: string) => ({
    gsi1pk: `CUSTOMER#${customerId}`,
    gsi1sk: `ORDER#${createdAt}#${orderId}`,
  }),
  customer: (customerId: string) => ({ pk: `CUSTOMER#${customerId}`, sk: 'CUSTOMER' }),
  customerRef: (source: string, externalId: string) => ({ pk: `CUSTOMERREF#${source}#${externalId}`, sk: 'CUSTOMERREF' }),
  product: (sku: string) => ({ pk: `PRODUCT#${sku}`, sk: 'PRODUCT' }),
  /** A workflow execution's start, claimed once per state machine and execution name (Express does not dedupe names). */
  workflowStart: (stateMachine: string, executionName: string) => ({ pk: `START#${stateMachine}#${executionName}`, sk: 'START' }),
  webhookDelivery: (source: string, deliveryId: string) => ({ pk: `DELIVERY#${source}#${deliveryId}`, sk: 'DELIVERY' }),
  invoice: (invoiceId: string) => ({ pk: `INVOICE#${invoiceId}`, sk: 'INVOICE' }),
  /** The document as issued (lines, tax breakdown, parties, terms), beside the invoice: written once, never changed. */
  invoiceDocument: (invoiceId: string) => ({ pk: `INVOICE#${invoiceId}`, sk: 'INVOICE#DOCUMENT' }),
  /** The invoice and its document share this sort-key prefix, so one query reads both (and nothing else of the collection). */
  invoiceItemsPrefix: 'INVOICE',
  /** On the invoice: a customer's open items by due date (credit's overdue check, statements, dunning). */
  invoicesOfCustomer: (customerId: string, dueDate: string, invoiceId: string) => ({ gsi1pk: `CUSTOMER#${customerId}`, gsi1sk: `INVOICE#${dueDate}#${invoiceId}` }),
  invoicesOfCustomerPrefix: 'INVOICE#',
  /** One invoice per shipment: the idempotency key of billing. */
  invoiceRef: (orderId: string, shipmentKey: string) => ({ pk: `INVOICEREF#${orderId}#${shipmentKey}`, sk: 'INVOICEREF' }),
  /** SES message id → the invoice it carried, for delivery and bounce events. */
  emailMessage: (messageId: string) => ({ pk: `EMAIL#${messageId}`, sk: 'EMAIL' }),
  dispute: (disputeId: string) => ({ pk: `DISPUTE#${disputeId}`, sk: 'DISPUTE' }),
  /** Cross-customer lists (gsi4, beside the worklists): one partition per entity and status, in date or name order. */
  orderList: (status: string, orderedAt: string, orderId: string) => ({ gsi4pk: `LIST#order#${status}`, gsi4sk: `${orderedAt}#${orderId}` }),
  documentList: (kind: string, status: string, dueDate: string, invoiceId: string) => ({ gsi4pk: `LIST#${kind}#${status}`, gsi4sk: `${dueDate}#${invoiceId}` }),
  customerList: (nameKey: string, customerId: string) => ({ gsi4pk: 'LIST#customer', gsi4sk: `${nameKey}#${customerId}` }),
  disputeList: (status: string, openedAt: string, disputeId: string) => ({ gsi4pk: `LIST#dispute#${status}`, gsi4sk: `${openedAt}#${disputeId}` }),
  /**
   * On every audit event of an order or invoice: that day's events of the entity kind, in time order (gsi4). The
   * report job reads what happened in its window day by day, not per customer or per order.
   */
  eventsOfDay: (entity: string, at: string, eventId: string) => ({ gsi4pk: `EVENTS#${entity}#${at.slice(0, 10)}#${eventShard(eventId)}`, gsi4sk: `${at}#${eventId}` }),
  eventsOfDayPartition: (entity: string, date: string, shard: number) => `EVENTS#${entity}#${date}#${shard}`,
  /** What a search for a document number or bank reference finds: one item per (key, entity), written with the entity. */
  searchEntry: (key: string, entity: string, id: string) => ({ pk: `SEARCH#${key}`, sk: `${entity}#${id}` }),
  searchPartition: (key: string) => `SEARCH#${key}`,
  /** One per (worklist, entity) while the entity needs a person; listed through gsi4 by `worklist`. */
  workMarker: (kind: string, entityId: string) => ({ pk: `WORK#${kind}#${entityId}`, sk: 'WORK' }),
  worklist: (kind: string, since: string, entityId: string) => ({ gsi4pk: `WORK#${kind}`, gsi4sk: `${since}#${entityId}` }),
  worklistPartition: (kind: string) => `WORK#${kind}`,
  deduction: (deductionId: string) => ({ pk: `DEDUCTION#${deductionId}`, sk: 'DEDUCTION' }),
  /** On every deduction: the deductions worklist is one gsi1 partition per status, oldest first. */
  deductionsByStatus: (status: string, createdAt: string, deductionId: string) => ({ gsi1pk: `DEDUCTIONS#${status}`, gsi1sk: `${createdAt}#${deductionId}` }),
  deductionsByStatusPartition: (status: string) => `DEDUCTIONS#${status}`,
  /** The gapless number counter of one series and year. */
  numberCounter: (series: string, year: number) => ({ pk: `COUNTER#${series}#${year}`, sk: 'COUNTER' }),
  /**
   * On an invoice while something is open (gsi2, sparse): cash application reads one customer's open items of a
   * currency (`begins_with(gsi2sk, openInvoicesOfCustomerPrefix)`), in due-date order.
   */
  openInvoice: (currency: string, customerId: string, dueDate: string, invoiceId: string) => ({ gsi2pk: `OPEN#${currency}`, gsi2sk: `${customerId}#${dueDate}#${invoiceId}` }),
  openInvoicesPartition: (currency: string) => `OPEN#${currency}`,
  openInvoicesOfCustomerPrefix: (customerId: string) => `${customerId}#`,
  /** Written with an invoice: the digits of its number (`invoiceNumberKeys(number).digits`), as payers write it without its series. */
  invoiceNumberDigits: (digits: string, invoiceId: string) => ({ pk: `NUMBERDIGITS#${digits}`, sk: `INVOICE#${invoiceId}` }),
  invoiceNumberDigitsPartition: (digits: string) => `NUMBERDIGITS#${digits}`,
  /**
   * Written with an invoice: its buyer's name as cash application compares payer names (`normalizePartyName`) → the
   * customer. Keyed by the name's first 200 characters (a partition key holds at most 2,048 bytes, and a payer's name
   * comes from the bank file): the link finds candidates, the matcher compares whole names.
   */
  payerName: (name: string, customerId: string) => ({ pk: `PAYERNAME#${name.slice(0, PAYER_NAME_KEY_LENGTH)}`, sk: `CUSTOMER#${customerId}` }),
  payerNamePartition: (name: string) => `PAYERNAME#${name.slice(0, PAYER_NAME_KEY_LENGTH)}`,
  linkedInvoicePrefix: 'INVOICE#',
  linkedCustomerPrefix: 'CUSTOMER#',
  /** On a payment that leaves cash on its customer's account (sparse, gsi2): the statement reads a customer's credits. */
  cashOnAccount: (customerId: string, bookingDate: string, paymentId: string) => ({ gsi2pk: `ONACCOUNT#${customerId}`, gsi2sk: `${bookingDate}#${paymentId}` }),
  /** On a payable invoice not in dispute: collections' work queue by the date its next dunning step is due. */
  dunningQueue: (nextActionDate: string, invoiceId: string) => ({ gsi3pk: 'DUNNING', gsi3sk: `${nextActionDate}#${invoiceId}` }),
  dunningQueuePartition: 'DUNNING',
  /** One dunning run of one customer on one day: what it sent, so a second run that day sends nothing. */
  dunningRun: (date: string, customerId: string) => ({ pk: `DUNNINGRUN#${date}#${customerId}`, sk: 'DUNNINGRUN' }),
  dunningPolicy: { pk: 'CONFIG#DUNNING', sk: 'POLICY' },
  /** A bank file by the SHA-256 of its content: the same file twice is one record. */
  bankFile: (sha256: string) => ({ pk: `BANKFILE#${sha256}`, sk: 'BANKFILE' }),
  payment: (paymentId: string) => ({ pk: `PAYMENT#${paymentId}`, sk: 'PAYMENT' }),
  /** On a payment: the work queue of its status (`UNMATCHED` is what people work through), by booking date. */
  paymentsByStatus: (status: string, bookingDate: string, paymentId: string) => ({ gsi1pk: `PAYMENTS#${status}`, gsi1sk: `${bookingDate}#${paymentId}` }),
  paymentsByStatusPartition: (status: string) => `PAYMENTS#${status}`,
  /** Links from what a return carries (the payer's account, the end-to-end id) to the payments it may undo. */
  paymentOfPayer: (account: string, payerAccount: string, paymentId: string) => ({ pk: `PAYER#${account}#${payerAccount}`, sk: `PAYMENT#${paymentId}` }),
  paymentOfEndToEnd: (account: string, endToEndId: string, paymentId: string) => ({ pk: `ENDTOEND#${account}#${endToEndId}`, sk: `PAYMENT#${paymentId}` }),
  paymentLinkPrefix: 'PAYMENT#',
  /** A payer account learned from a manual allocation → the customer it belongs to. */
  payerAccount: (account: string) => ({ pk: `PAYERACCOUNT#${account}`, sk: 'PAYERACCOUNT' }),
  /** The CSV column mapping of one of our bank accounts. */
  csvProfile: (account: string) => ({ pk: `BANKACCOUNT#${account}`, sk: 'CSVPROFILE' }),
  /**
   * The report job's aggregates of one currency (`report-snapshots.ts`): `AR#<date>` snapshots, `MONTH#<YYYY-MM>`
   * figures and `FORECAST#<date>` forecasts, each a whole item a rerun puts again.
   */
  reportPartition: (currency: string) => `REPORT#${currency}`,
  arSnapshot: (currency: string, date: string) => ({ pk: `REPORT#${currency}`, sk: `AR#${date}` }),
  monthFigures: (currency: string, month: string) => ({ pk: `REPORT#${currency}`, sk: `MONTH#${month}` }),
  forecastSnapshot: (currency: string, date: string) => ({ pk: `REPORT#${currency}`, sk: `FORECAST#${date}` }),
  /** Powertools idempotency records share the table under their own partition per function. */
  idempotencyPartition: (functionName: string) => `IDEMPOTENCY#${functionName}`,
} as const;
