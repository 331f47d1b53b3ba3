import type { DeductionRecord, DeductionStatus } from './deduction.ts';
import type { AuditEvent } from './audit.ts';
import type { OpenItem, OpenItemKeys } from './cash-matching.ts';
import type { CashOnAccount } from './cash-on-account.ts';
import type { Customer } from './customer.ts';
import type { DunningItem, DunningPolicy, DunningState } from './dunning.ts';
import type { Invoice } from './invoice.ts';
import type { Payment, PaymentStatus } from './payment.ts';
import type { CanonicalOrder, CatalogueProduct, Order, OrderSource, OrderStatus } from './order.ts';

/** Business time. Locally it can be moved forward to exercise dunning and ageing; on AWS it is the wall clock. */
export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  next(): string;
}

/** A before/after pair: the write applies `after` only if the stored item is still `before` (same version). */
export interface Change<T> {
  before: T;
  after: T;
}

export interface Page<T> {
  items: T[];
  cursor: string | null;
}

export interface ShipmentRecord {
  orderId: string;
  carrier: string;
  trackingNumber: string;
  shippedAt: string;
  quantities: Record<string, number>;
  recordedAt: string;
  deliveredAt?: string | undefined;
  proofOfDelivery?: { signedBy?: string | undefined; url?: string | undefined } | undefined;
}

export type ReservationResult = { kind: 'reserved' } | { kind: 'short'; skus: string[] } | { kind: 'order-changed' };

/**
 * What use cases need from the order store (`#adapters/order-store`). Every multi-item change is one transaction
 * that also appends its audit event; every `Change` is conditional on the version read, so a concurrent writer
 * makes the call answer false (or a conflict) instead of being overwritten.
 */
export interface OrderStore {
  get(orderId: string): Promise<Order | undefined>;
  findIdByRef(source: OrderSource, externalId: string): Promise<string | undefined>;
  findCustomerIdByRef(source: OrderSource, externalId: string): Promise<string | undefined>;
  getCustomer(customerId: string): Promise<Customer | undefined>;
  /** The order, its business-key reference, its first audit event and (if new) its customer, all or nothing. */
  create(input: { order: Order; newCustomer?: Customer | undefined; audit: AuditEvent }): Promise<'created' | 'order-exists' | 'customer-exists'>;
  update(before: Order, after: Order, audit: AuditEvent): Promise<boolean>;
  /** Order and customer change together (credit approval moves exposure). */
  updateWithCustomer(order: Change<Order>, customer: Change<Customer>, audit: AuditEvent): Promise<boolean>;
  /** Takes `after.reservedQuantities` out of available stock, all SKUs or none, and clears backorder marks. */
  reserve(before: Order, after: Order, audit: AuditEvent): Promise<ReservationResult>;
  /** Marks the order as waiting for stock of `skus`, so a restock finds it. */
  backorder(before: Order, after: Order, skus: string[], audit: AuditEvent): Promise<boolean>;
  /** Returns the order's reserved units to stock and (if given) its exposure to the customer's credit. */
  release(order: Change<Order>, customer: Change<Customer> | undefined, audit: AuditEvent): Promise<boolean>;
  recordShipmentRequest(order: Order, audit: AuditEvent): Promise<boolean>;
  recordShipment(before: Order, after: Order, shipment: ShipmentRecord, audit: AuditEvent): Promise<'recorded' | 'duplicate' | 'conflict'>;
  getShipment(orderId: string, carrier: string, trackingNumber: string): Promise<ShipmentRecord | undefined>;
  recordDelivery(shipment: ShipmentRecord, audit: AuditEvent): Promise<boolean>;
  listAudit(orderId: string): Promise<AuditEvent[]>;
  /** An audit event that records no change to the order (a store's claim that was refused), on its own. */
  appendAudit(audit: AuditEvent): Promise<void>;
  listOrdersOfCustomer(customerId: string, page: { status?: OrderStatus | undefined; limit: number; cursor?: string | undefined }): Promise<Page<Order>>;
}

export interface Product extends CatalogueProduct {
  onHand: number;
  reserved: number;
  /** onHand − reserved, kept as its own attribute because a DynamoDB condition cannot subtract. */
  available: number;
  updatedAt: string;
  version: number;
}

export interface Catalogue {
  getMany(skus: readonly string[]): Promise<Map<string, CatalogueProduct>>;
  get(sku: string): Promise<Product | undefined>;
  /** Creates (no `before`) or replaces the product if unchanged since read. */
  save(before: Product | undefined, after: Product, audit: AuditEvent): Promise<boolean>;
  /** Orders waiting for this SKU, oldest first. */
  backorders(sku: string, limit: number): Promise<string[]>;
  /** Orders in `currency` ON_HOLD because of this SKU's catalogue entry, oldest first. */
  heldOrders(sku: string, currency: string, limit: number): Promise<string[]>;
}

export interface Customers {
  get(customerId: string): Promise<Customer | undefined>;
  save(before: Customer, after: Customer, audit: AuditEvent): Promise<boolean>;
  /** The customer's and its orders' audit events, oldest first. */
  history(customerId: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<AuditEvent>>;
}

/** Open receivables as credit sees them. */
export interface Receivables {
  /** Days the oldest open invoice of the customer is past due on `today` (0 when none is). */
  oldestOverdueDays(customerId: string, today: Date): Promise<number>;
  /** Ids of the customer's open invoices past due on `today`, leaving out disputed ones (paused in collections). */
  overdueInvoiceIds(customerId: string, today: Date): Promise<string[]>;
}

/** Remembers which webhook deliveries were already taken, to answer a redelivery with `duplicate`. */
export interface DeliveryLog {
  has(source: OrderSource, deliveryId: string): Promise<boolean>;
  record(source: OrderSource, deliveryId: string, at: Date): Promise<void>;
}

export type IntakeQueueMessage =
  | { kind: 'order'; deliveryId: string; receivedAt: string; order: CanonicalOrder }
  | { kind: 'cancellation'; deliveryId: string; receivedAt: string; source: OrderSource; externalId: string; reason: string };

export interface OrderQueue {
  enqueue(message: IntakeQueueMessage): Promise<void>;
}

/** A shipment to invoice (`shipmentKeyOf` its carrier and tracking number), queued on the FIFO invoicing queue. */
export interface InvoicingRequest {
  orderId: string;
  shipmentKey: string;
}

export interface InvoicingQueue {
  enqueue(request: InvoicingRequest): Promise<void>;
}

/** A recorded shipment whose invoicing request has not been sent yet. */
export type PendingInvoicing = Pick<ShipmentRecord, 'orderId' | 'carrier' | 'trackingNumber'>;

/**
 * The invoicing outbox: a shipment is recorded together with its pending mark, in one transaction, and the mark is
 * cleared only once the request is queued, so no crash leaves a shipment that is never invoiced.
 */
export interface InvoicingOutbox {
  /** Every pending request, oldest first, across pages. */
  pending(): AsyncIterable<PendingInvoicing>;
  markSent(shipment: PendingInvoicing): Promise<void>;
}

export interface Workflows {
  /** Starts the order workflow under `name` (the order id, or the order id and version when resuming); a repeat is a no-op. */
  startOrder(input: { orderId: string; resumeAt?: 'RESERVE' | undefined }, name: string): Promise<'started' | 'already-started'>;
}

export type InvoiceCreation = 'created' | 'number-taken' | 'exists' | 'order-changed';

/** Invoices, their per-shipment references and the gapless number counters. */
export interface InvoiceStore {
  get(invoiceId: string): Promise<Invoice | undefined>;
  findIdByShipment(orderId: string, shipmentKey: string): Promise<string | undefined>;
  /** The last number issued in a series and year (0 before the first). */
  lastSequence(series: string, year: number): Promise<number>;
  /**
   * Takes number `sequence` (only if `sequence − 1` is still the last), writes the invoice, its shipment
   * reference, the order's invoiced state and the audit event: one transaction, so no gap and no duplicate.
   */
  create(input: { invoice: Invoice; series: string; year: number; sequence: number; order: Change<Order>; audit: AuditEvent }): Promise<InvoiceCreation>;
  update(before: Invoice, after: Invoice, audit?: AuditEvent | undefined): Promise<boolean>;
  /** Takes a number and writes a document linked to an invoice (a credit note, a corrected reissue), the invoice and the customer's exposure at once. */
  createLinkedDocument(input: {
    document: Invoice;
    series: string;
    year: number;
    sequence: number;
    invoice: Change<Invoice>;
    customer?: Change<Customer> | undefined;
    /** A deduction this credit note accepts, resolved in the same transaction. */
    deduction?: Change<DeductionRecord> | undefined;
    audit: AuditEvent;
  }): Promise<'created' | 'number-taken' | 'invoice-changed'>;
  saveDispute(dispute: Dispute, invoice: Change<Invoice>, audit: AuditEvent): Promise<boolean>;
  getDispute(disputeId: string): Promise<Dispute | undefined>;
  /** Remembers which invoice an SES message carried (kept 180 days), so its delivery events find it. */
  linkEmailMessage(messageId: string, invoiceId: string, at: Date): Promise<void>;
  findByEmailMessage(messageId: string): Promise<Invoice | undefined>;
  listOfCustomer(customerId: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<Invoice>>;
  /** The invoice's audit events, oldest first, at most `limit`. */
  history(invoiceId: string, limit: number): Promise<AuditEvent[]>;
}

/** Where rendered documents live (the private invoices bucket on AWS). */
export interface DocumentStore {
  put(key: string, body: Uint8Array | string, contentType: string): Promise<void>;
  get(key: string): Promise<Uint8Array | undefined>;
  /** A short-lived URL a person's browser can open. */
  presignedUrl(key: string, expiresInSeconds: number): Promise<string>;
}

export interface Mailer {
  /** Sends a raw MIME message; resolves with the provider's message id. */
  sendRaw(input: { from: string; to: string[]; raw: Uint8Array }): Promise<string>;
}

export const disputeReasons = ['pricing', 'damaged', 'not-received', 'duplicate', 'other'] as const;
export type DisputeReason = (typeof disputeReasons)[number];

export interface Dispute {
  id: string;
  invoiceId: string;
  customerId: string;
  reasonCode: DisputeReason;
  note: string;
  attachments: { name: string; url?: string | undefined }[];
  status: 'OPEN' | 'RESOLVED_WITH_CREDIT' | 'REJECTED';
  openedBy: string;
  openedAt: string;
  resolution?: { by: string; at: string; reason: string; creditNoteId?: string | undefined } | undefined;
  version: number;
}

/** What became of a bank file: applied (with per-statement figures) or quarantined (with the reason). */
export interface BankFileRecord {
  sha256: string;
  fileKey: string;
  status: 'APPLIED' | 'QUARANTINED';
  format?: string | undefined;
  statements?: { id: string; account: string; currency: string; openingMinor: number; closingMinor: number; balanced: boolean; entries: number }[] | undefined;
  counts?: Record<string, number> | undefined;
  error?: { message: string; location?: string | undefined } | undefined;
  /** Where a quarantined file was moved (under `quarantine/`); its report is `<quarantinedAs>.report.json`. */
  quarantinedAs?: string | undefined;
  receivedAt: string;
  processedAt: string;
}

/** Bank files in their bucket: dropped in `inbound/`, then moved to `processed/` or `quarantine/`. */
export interface BankFileStorage {
  /** The file's text, or `undefined` when it is gone (moved by an earlier delivery of the same event). */
  read(key: string): Promise<string | undefined>;
  put(key: string, body: string): Promise<void>;
  /** Moves an inbound file under `prefix`, keeping its name; returns the new key. */
  move(key: string, prefix: string): Promise<string>;
}

/** One payment written with everything it changes, in one transaction. */
export interface PaymentWrite {
  /** A new payment (written only if absent), or a change to an existing one. */
  payment: { created: Payment } | { changed: Change<Payment> };
  /** The earlier payment a return undoes. */
  reversed?: Change<Payment> | undefined;
  invoices: Change<Invoice>[];
  customers: Change<Customer>[];
  /** Orders whose invoices are all settled now (`PAID`), or no longer (back to `INVOICED`). */
  orders?: Change<Order>[] | undefined;
  /** Deductions the payer took, recorded with the payment (created only if absent). */
  deductions?: DeductionRecord[] | undefined;
  /** Deductions this write decides (a returned payment cancels the ones it took). */
  deductionChanges?: Change<DeductionRecord>[] | undefined;
  /** A payer account learned from a person's allocation. */
  learnedPayer?: { account: string; customerId: string; learnedFrom: string; by: string; at: string } | undefined;
  audits: AuditEvent[];
}

export interface PaymentStore {
  getBankFile(sha256: string): Promise<BankFileRecord | undefined>;
  saveBankFile(record: BankFileRecord): Promise<void>;
  /** Which of these payment ids are already recorded. */
  recorded(paymentIds: readonly string[]): Promise<Set<string>>;
  get(paymentId: string): Promise<Payment | undefined>;
  listByStatus(status: PaymentStatus, page: { limit: number; cursor?: string | undefined }): Promise<Page<Payment>>;
  /** Earlier payments into `account` a return could undo: from the same payer account or with the same end-to-end id. */
  returnable(query: { account: string; payerAccount?: string | undefined; endToEndId?: string | undefined }): Promise<Payment[]>;
  /** Learned payer accounts → customer id, for those of `accounts` that are known. */
  payerAccounts(accounts: readonly string[]): Promise<Record<string, string>>;
  /** `exists`: the payment was already written (a redelivery); `changed`: an invoice, customer or payment moved on meanwhile. */
  /** `too-large`: more items than one DynamoDB transaction holds (100); nothing was written. */
  write(change: PaymentWrite): Promise<'written' | 'exists' | 'changed' | 'too-large'>;
}

/** Cash a customer paid that sits on no invoice yet, for its statement of account. */
export interface CashOnAccountReader {
  ofCustomer(customerId: string): Promise<CashOnAccount[]>;
}

/**
 * The open items a bank file's entries can match, as cash application matches against them: those `keys` reach
 * (`openItemsReached` in `cash-matching.ts` is the contract), never every open item of a currency.
 */
export interface OpenItems {
  find(keys: OpenItemKeys): Promise<OpenItem[]>;
}

/** A due invoice as collections' work queue holds it (gsi3 projection). */
export interface DueInvoice extends DunningItem {
  customerName: string;
  paymentReference: string;
  issueDate: string;
  status: Invoice['status'];
  version: number;
}

/** What one customer's dunning run of one day sent: written once, so a second run that day sends nothing. */
export interface DunningRun {
  date: string;
  customerId: string;
  reminders: { invoiceId: string; invoiceNumber: string; level: number; levelName: string; currency: string; openMinor: number; dueDate: string; paymentReference: string; lateFeeMinor?: number | undefined; interestMinor?: number | undefined }[];
  email: { status: 'PENDING' | 'SENT' | 'NO_ADDRESS'; messageId?: string | undefined };
  createdAt: string;
}

export interface DunningStore {
  policy(): Promise<DunningPolicy | undefined>;
  savePolicy(policy: DunningPolicy, savedBy: string, savedAt: string): Promise<void>;
  /** Every invoice whose next step is due by `today`, and the read capacity the query consumed. */
  due(today: string): Promise<{ items: DueInvoice[]; readCapacity: number }>;
  runOf(date: string, customerId: string): Promise<DunningRun | undefined>;
  /** The run marker (when something is sent), the invoices' new dunning state (each conditional on its version), the customer and the audit events, at once. */
  recordRun(input: {
    run?: DunningRun | undefined;
    invoices: { invoice: DueInvoice; dunning: DunningState; at: string }[];
    customer?: Change<Customer> | undefined;
    audits: AuditEvent[];
  }): Promise<'written' | 'exists' | 'changed'>;
  markRunEmailed(date: string, customerId: string, messageId: string): Promise<void>;
}

/** A decision on a deduction with everything it changes, in one transaction. */
export interface DeductionResolution {
  deduction: Change<DeductionRecord>;
  invoice: Change<Invoice>;
  customer?: Change<Customer> | undefined;
  orders?: Change<Order>[] | undefined;
  audits: AuditEvent[];
}

/** Deductions payers took: the worklist by status, and decisions on them. */
export interface DeductionStore {
  get(deductionId: string): Promise<DeductionRecord | undefined>;
  list(status: DeductionStatus, page: { limit: number; cursor?: string | undefined }): Promise<Page<DeductionRecord>>;
  /** `changed` when the deduction, its invoice or its customer changed since they were read. */
  resolve(resolution: DeductionResolution): Promise<boolean>;
}
