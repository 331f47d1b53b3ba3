/**
 * The one description of O2C's moving parts: the table, buckets, queues, functions, routes and state machines.
 *
 * Both the CDK constructs (`infra/`) and the embedded runtime (`local/`) are built from this file, so a route,
 * queue or task mapping cannot exist in one and be missing from the other. Pure data: no CDK or SDK imports.
 */

/** Operator roles, from least to most privileged (DESIGN §4). */
export const roles = ['viewer', 'ar-clerk', 'credit-manager', 'admin'] as const;
export type Role = (typeof roles)[number];
/** Every role may read. */
export const readers: readonly Role[] = roles;

export const table = {
  id: 'Table',
  localName: 'o2c-local',
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  globalIndexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'ALL' },
    /**
     * Open invoices by currency and due date, sparse (only while something is open), holding only what cash
     * application and dunning read: a daily job reads what is open, not the table.
     */
    {
      name: 'gsi2',
      partitionKey: 'gsi2pk',
      sortKey: 'gsi2sk',
      projection: ['id', 'customerId', 'customerName', 'invoiceNumber', 'paymentReference', 'currency', 'openMinor', 'status', 'issueDate', 'dueDate', 'earlyPaymentDiscount'],
    },
    /**
     * Collections' work queue: payable invoices by the date their next dunning step is due, sparse (paid, disputed
     * and finished invoices are not in it), holding what the daily run decides with, so it reads only what is due.
     */
    {
      name: 'gsi3',
      partitionKey: 'gsi3pk',
      sortKey: 'gsi3sk',
      projection: ['id', 'customerId', 'customerName', 'invoiceNumber', 'paymentReference', 'currency', 'openMinor', 'status', 'issueDate', 'dueDate', 'version', 'dunning'],
    },
    /**
     * Worklists: the markers of every manual step (`WORK#<kind>`), oldest first, sparse (only while a person is
     * needed), holding the whole marker, so a worklist and its count are read from its own partition only.
     */
    { name: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk', projection: 'ALL' },
  ],
  envVar: 'TABLE_NAME',
} as const satisfies {
  globalIndexes: readonly { name: string; partitionKey: string; sortKey: string; projection: 'ALL' | readonly string[] }[];
  [key: string]: unknown;
};

export interface BucketSpec {
  id: string;
  localName: string;
  envVar: string;
  /** Days after which non-current object versions expire. */
  noncurrentVersionExpirationDays: number;
  /** Days after which objects move to infrequent access (documents are read rarely after the first month). */
  infrequentAccessAfterDays: number;
}

export const buckets = {
  invoices: {
    id: 'InvoicesBucket',
    localName: 'o2c-invoices',
    envVar: 'INVOICES_BUCKET',
    noncurrentVersionExpirationDays: 90,
    infrequentAccessAfterDays: 60,
  },
  bankFiles: {
    id: 'BankFilesBucket',
    localName: 'o2c-bank-files',
    envVar: 'BANK_FILES_BUCKET',
    noncurrentVersionExpirationDays: 90,
    infrequentAccessAfterDays: 30,
  },
} as const satisfies Record<string, BucketSpec>;
export type BucketKey = keyof typeof buckets;

/** Object-created events of a bucket prefix, delivered to a queue (S3 → SQS on AWS, s3rver's events locally). */
export const bucketNotifications = [{ bucket: 'bankFiles', prefix: 'inbound/', queue: 'bankFiles' }] as const satisfies readonly { bucket: BucketKey; prefix: string; queue: string }[];

/** Where bank files go: dropped in `inbound/`, moved to `processed/` or, when unreadable, `quarantine/` with a report beside. */
export const bankFilePrefixes = { inbound: 'inbound/', processed: 'processed/', quarantine: 'quarantine/' } as const;

export interface QueueSpec {
  id: string;
  localName: string;
  envVar: string;
  /** AWS guidance: at least six times the consumer's timeout, so a slow batch is not redelivered mid-flight. */
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  retentionDays: number;
  /** FIFO: one message group is processed in order, one batch at a time (used to serialise invoice numbering). */
  fifo?: boolean;
}

export const queues = {
  orders: {
    id: 'OrdersQueue',
    localName: 'o2c-orders',
    envVar: 'ORDERS_QUEUE_URL',
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    retentionDays: 14,
  },
  invoicing: {
    id: 'InvoicingQueue',
    localName: 'o2c-invoicing.fifo',
    envVar: 'INVOICING_QUEUE_URL',
    visibilityTimeoutSeconds: 360,
    maxReceiveCount: 5,
    retentionDays: 14,
    fifo: true,
  },
  bankFiles: {
    id: 'BankFilesQueue',
    localName: 'o2c-bank-files',
    envVar: 'BANK_FILES_QUEUE_URL',
    visibilityTimeoutSeconds: 5400,
    maxReceiveCount: 3,
    retentionDays: 14,
  },
} as const satisfies Record<string, QueueSpec>;
export type QueueKey = keyof typeof queues;

/** Secrets: a plain env var locally (`localEnvVar`), a Secrets Manager secret on AWS (`arnEnvVar`). */
export const secrets = {
  webhook: { id: 'WebhookSecret', localEnvVar: 'O2C_WEBHOOK_SECRET', arnEnvVar: 'O2C_WEBHOOK_SECRET_ARN', devDefault: 'o2c-dev-webhook-secret' },
  shopify: { id: 'ShopifySecret', localEnvVar: 'O2C_SHOPIFY_SECRET', arnEnvVar: 'O2C_SHOPIFY_SECRET_ARN', devDefault: 'o2c-dev-shopify-secret' },
  woocommerce: { id: 'WooCommerceSecret', localEnvVar: 'O2C_WOOCOMMERCE_SECRET', arnEnvVar: 'O2C_WOOCOMMERCE_SECRET_ARN', devDefault: 'o2c-dev-woocommerce-secret' },
} as const;
export type SecretKey = keyof typeof secrets;

export type StateMachineKey = 'order' | 'billing';

export interface FunctionSpec {
  /** Folder under `functions/` holding `handler.ts`. */
  dir: string;
  description: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** What the function may touch; the CDK grants exactly this and nothing more. */
  access: {
    table?: 'read' | 'readwrite';
    sendTo?: readonly QueueKey[];
    /** SES: send raw email (invoices, reminders). */
    sendEmail?: boolean;
    startExecution?: readonly StateMachineKey[];
    secrets?: readonly SecretKey[];
    buckets?: Partial<Record<BucketKey, 'read' | 'readwrite'>>;
    /**
     * The dead-letter queues (`deadLetterQueues`): `count` reads their depth (GetQueueAttributes), `peek` also samples
     * messages (ReceiveMessage with no visibility timeout), `redrive` moves the messages of the redrivable ones back to
     * their source queues (StartMessageMoveTask on AWS; needs `sendTo` those source queues as well).
     */
    deadLetters?: 'count' | 'peek' | 'redrive';
  };
}

export const functions = {
  webhookOrders: {
    dir: 'webhook-orders',
    description: 'Verifies and enqueues signed generic order webhooks',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'readwrite', sendTo: ['orders'], secrets: ['webhook'] },
  },
  webhookShopify: {
    dir: 'webhook-shopify',
    description: 'Verifies and enqueues Shopify order webhooks',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'readwrite', sendTo: ['orders'], secrets: ['shopify'] },
  },
  webhookWooCommerce: {
    dir: 'webhook-woocommerce',
    description: 'Verifies and enqueues WooCommerce order webhooks',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'readwrite', sendTo: ['orders'], secrets: ['woocommerce'] },
  },
  intakeOrders: {
    dir: 'intake-orders',
    description: 'Stores queued orders and cancellations once and starts their workflow',
    memoryMb: 512,
    timeoutSeconds: 30,
    access: { table: 'readwrite', startExecution: ['order'] },
  },
  validateOrder: {
    dir: 'validate-order',
    description: 'Order workflow step: checks an order against the catalogue',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'readwrite' },
  },
  checkCredit: {
    dir: 'check-credit',
    description: 'Order workflow step: approves, holds for review or rejects on credit',
    memoryMb: 256,
    timeoutSeconds: 15,
    access: { table: 'readwrite' },
  },
  reserveStock: {
    dir: 'reserve-stock',
    description: 'Order workflow step: reserves stock or backorders',
    memoryMb: 256,
    timeoutSeconds: 15,
    access: { table: 'readwrite' },
  },
  requestShipment: {
    dir: 'request-shipment',
    description: 'Order workflow step: records the shipment request',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'readwrite' },
  },
  compensateOrder: {
    dir: 'compensate-order',
    description: 'Order workflow compensation: cancels and releases stock and exposure',
    memoryMb: 256,
    timeoutSeconds: 15,
    access: { table: 'readwrite' },
  },
  confirmShipment: {
    dir: 'confirm-shipment',
    description: 'Carrier or 3PL shipment and delivery confirmations',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'readwrite', secrets: ['webhook'], sendTo: ['invoicing'] },
  },
  relayOutbox: {
    dir: 'relay-outbox',
    description: 'Outbox relay: queues the invoicing requests of recorded shipments whose sender died before queueing them',
    memoryMb: 256,
    timeoutSeconds: 60,
    access: { table: 'readwrite', sendTo: ['invoicing'] },
  },
  issueInvoices: {
    dir: 'issue-invoices',
    description: 'Invoicing queue consumer: one numbered invoice per shipment, then its billing workflow',
    memoryMb: 512,
    timeoutSeconds: 60,
    access: { table: 'readwrite', startExecution: ['billing'] },
  },
  renderInvoiceDocuments: {
    dir: 'render-invoice-documents',
    description: 'Billing workflow step: invoice PDF and UBL into the invoices bucket',
    memoryMb: 512,
    timeoutSeconds: 30,
    access: { table: 'readwrite', buckets: { invoices: 'readwrite' } },
  },
  sendInvoiceEmail: {
    dir: 'send-invoice-email',
    description: 'Billing workflow step: the invoice email with its documents, once',
    memoryMb: 512,
    timeoutSeconds: 30,
    access: { table: 'readwrite', buckets: { invoices: 'read' }, sendEmail: true },
  },
  resendInvoiceEmail: {
    dir: 'resend-invoice-email',
    description: 'Operator API: sends a failed or bounced invoice email again, to the customer\'s current address, once',
    memoryMb: 512,
    timeoutSeconds: 30,
    access: { table: 'readwrite', buckets: { invoices: 'read' }, sendEmail: true },
  },
  issueCreditNote: {
    dir: 'issue-credit-note',
    description: 'Operator API: a credit note against an invoice (by lines, amount, or all that is open)',
    memoryMb: 256,
    timeoutSeconds: 15,
    access: { table: 'readwrite', startExecution: ['billing'] },
  },
  reissueInvoice: {
    dir: 'reissue-invoice',
    description: 'Operator API: a corrected reissue (credit note plus a new, linked invoice)',
    memoryMb: 256,
    timeoutSeconds: 20,
    access: { table: 'readwrite', startExecution: ['billing'] },
  },
  openDispute: {
    dir: 'open-dispute',
    description: 'Operator API: a customer disputes an invoice; dunning skips it',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'readwrite' },
  },
  resolveDispute: {
    dir: 'resolve-dispute',
    description: 'Operator API: resolve a dispute by a credit note or by rejecting it',
    memoryMb: 256,
    timeoutSeconds: 15,
    access: { table: 'readwrite', startExecution: ['billing'] },
  },
  customerStatement: {
    dir: 'customer-statement',
    description: 'Operator API: statement of account (open items, ageing) as JSON or PDF',
    memoryMb: 512,
    timeoutSeconds: 15,
    access: { table: 'read' },
  },
  recordEmailEvents: {
    dir: 'record-email-events',
    description: 'SES delivery and bounce events recorded on invoices',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'readwrite' },
  },
  getInvoice: {
    dir: 'get-invoice',
    description: 'Operator API: an invoice with a short-lived PDF link',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'read', buckets: { invoices: 'read' } },
  },
  findInvoices: {
    dir: 'find-invoices',
    description: 'Operator API: invoices by order or customer',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'read' },
  },
  getOrder: {
    dir: 'get-order',
    description: 'Operator API: one order by id',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'read' },
  },
  findOrders: {
    dir: 'find-orders',
    description: 'Operator API: orders by store reference or by customer',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'read' },
  },
  decideCredit: {
    dir: 'decide-credit',
    description: 'Operator API: a credit manager approves or rejects a held order',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'readwrite', startExecution: ['order'] },
  },
  recheckOrder: {
    dir: 'recheck-order',
    description: 'Operator API: checks a held order against the catalogue again and restarts it when it passes',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'readwrite', startExecution: ['order'] },
  },
  findCustomers: {
    dir: 'find-customers',
    description: 'Operator API: customers by the store or external customer number',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'read' },
  },
  getCustomer: {
    dir: 'get-customer',
    description: 'Operator API: a customer with credit and history',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'read' },
  },
  updateCustomer: {
    dir: 'update-customer',
    description: 'Operator API: change contacts, terms and credit of a customer',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'readwrite' },
  },
  getProduct: {
    dir: 'get-product',
    description: 'Operator API: a product with its stock',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'read' },
  },
  saveProduct: {
    dir: 'save-product',
    description: 'Operator API: create or change a product; a restock resumes backorders',
    memoryMb: 256,
    timeoutSeconds: 15,
    access: { table: 'readwrite', startExecution: ['order'] },
  },
  reconcileBankFiles: {
    dir: 'reconcile-bank-files',
    description: 'Parses bank files dropped in S3, matches their entries to open invoices and applies them once',
    memoryMb: 1769,
    timeoutSeconds: 900,
    access: { table: 'readwrite', buckets: { bankFiles: 'readwrite' } },
  },
  uploadBankFile: {
    dir: 'upload-bank-file',
    description: 'Operator API: checks an uploaded bank file and drops it in the inbound prefix',
    memoryMb: 512,
    timeoutSeconds: 30,
    access: { table: 'read', buckets: { bankFiles: 'readwrite' } },
  },
  getBankFile: {
    dir: 'get-bank-file',
    description: 'Operator API: what became of a bank file, and the report of a quarantined one',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'read', buckets: { bankFiles: 'read' } },
  },
  findPayments: {
    dir: 'find-payments',
    description: 'Operator API: payments by status, unmatched ones with their candidates',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'read' },
  },
  getPayment: {
    dir: 'get-payment',
    description: 'Operator API: one payment with its allocations',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'read' },
  },
  runDunning: {
    dir: 'run-dunning',
    description: 'Daily collections run: reminders by dunning level, one email per customer, pauses, credit hold',
    memoryMb: 1024,
    timeoutSeconds: 900,
    access: { table: 'readwrite', sendEmail: true },
  },
  getDunningPolicy: {
    dir: 'get-dunning-policy',
    description: 'Operator API: the dunning policy in force',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'read' },
  },
  saveDunningPolicy: {
    dir: 'save-dunning-policy',
    description: 'Operator API: replaces the dunning policy after checking its levels',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'readwrite' },
  },
  recordPromise: {
    dir: 'record-promise',
    description: 'Operator API: records a promise to pay, which pauses dunning of the invoice until its date',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'readwrite' },
  },
  saveCsvProfile: {
    dir: 'save-csv-profile',
    description: 'Operator API: saves the CSV column profile of one of our bank accounts',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'readwrite' },
  },
  findDisputes: {
    dir: 'find-disputes',
    description: 'Operator API: disputes across customers by status and reason',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'read' },
  },
  search: {
    dir: 'search',
    description: 'Operator API: find invoices, credit notes, payments, orders and customers by number, reference or name',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'read' },
  },
  reportAgeing: {
    dir: 'report-ageing',
    description: 'Reports: the ageing of the open receivables of one currency across customers',
    memoryMb: 512,
    timeoutSeconds: 30,
    access: { table: 'read' },
  },
  snapshotReports: {
    dir: 'snapshot-reports',
    description: 'Daily report job: AR snapshot, month figures and cash forecast per currency, for the reports to read',
    memoryMb: 1024,
    timeoutSeconds: 900,
    access: { table: 'readwrite' },
  },
  refreshReports: {
    dir: 'refresh-reports',
    description: 'Operator API: runs the report job now, for today so far',
    memoryMb: 1024,
    timeoutSeconds: 29,
    access: { table: 'readwrite' },
  },
  reportKpis: {
    dir: 'report-kpis',
    description: 'Reports: DSO, BPDSO, ADD, CEI, cash application, collections and order KPIs of one currency, with their inputs',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'read' },
  },
  reportForecast: {
    dir: 'report-forecast',
    description: 'Reports: the cash forecast of one currency per week, with its backtest accuracy',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'read' },
  },
  getWorklists: {
    dir: 'get-worklists',
    description: 'Operator API: every worklist of manual steps with its count, oldest item and amount',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'read', deadLetters: 'count' },
  },
  getWorklist: {
    dir: 'get-worklist',
    description: 'Operator API: the items of one worklist, oldest first, each with the route that resolves it',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'read', deadLetters: 'peek' },
  },
  redriveDeadLetters: {
    dir: 'redrive-dead-letters',
    description: 'Operator API (admin): moves the messages of a dead-letter queue back to the queue they came from',
    memoryMb: 256,
    // Locally the move is a receive-send-delete loop that stops after 20 s; on AWS StartMessageMoveTask returns at once.
    timeoutSeconds: 30,
    access: { deadLetters: 'redrive', sendTo: ['orders', 'invoicing', 'bankFiles'] },
  },
  findDeductions: {
    dir: 'find-deductions',
    description: 'Operator API: deductions payers took, by status (the deductions worklist)',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { table: 'read' },
  },
  resolveDeduction: {
    dir: 'resolve-deduction',
    description: 'Operator API: accept a deduction (credit note or write-off) or reject it back to collections',
    memoryMb: 256,
    timeoutSeconds: 15,
    access: { table: 'readwrite', startExecution: ['billing'] },
  },
  allocatePayment: {
    dir: 'allocate-payment',
    description: 'Operator API: allocates a payment by hand, writes off small differences and learns the payer',
    memoryMb: 256,
    timeoutSeconds: 15,
    access: { table: 'readwrite' },
  },
} as const satisfies Record<string, FunctionSpec>;
export type FunctionKey = keyof typeof functions;

export type RouteAuth = { kind: 'signature' } | { kind: 'jwt'; roles: readonly Role[] };

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway v2 path syntax, e.g. `/orders/{id}`. */
  path: string;
  function: FunctionKey;
  auth: RouteAuth;
}

/** Who may change things: finance roles by concern, admin everything (DESIGN §4). */
const clerks: readonly Role[] = ['ar-clerk', 'credit-manager', 'admin'];
const creditManagers: readonly Role[] = ['credit-manager', 'admin'];
const admins: readonly Role[] = ['admin'];

export const routes: readonly RouteSpec[] = [
  { method: 'POST', path: '/webhooks/orders', function: 'webhookOrders', auth: { kind: 'signature' } },
  { method: 'POST', path: '/webhooks/shopify', function: 'webhookShopify', auth: { kind: 'signature' } },
  { method: 'POST', path: '/webhooks/woocommerce', function: 'webhookWooCommerce', auth: { kind: 'signature' } },
  { method: 'POST', path: '/shipments', function: 'confirmShipment', auth: { kind: 'signature' } },
  { method: 'GET', path: '/orders/{id}', function: 'getOrder', auth: { kind: 'jwt', roles: readers } },
  { method: 'GET', path: '/orders', function: 'findOrders', auth: { kind: 'jwt', roles: readers } },
  { method: 'POST', path: '/orders/{id}/credit-decision', function: 'decideCredit', auth: { kind: 'jwt', roles: creditManagers } },
  { method: 'POST', path: '/orders/{id}/recheck', function: 'recheckOrder', auth: { kind: 'jwt', roles: clerks } },
  { method: 'GET', path: '/customers', function: 'findCustomers', auth: { kind: 'jwt', roles: readers } },
  { method: 'GET', path: '/customers/{id}', function: 'getCustomer', auth: { kind: 'jwt', roles: readers } },
  // Field-level rules (ar-clerk: contacts; credit-manager: limits and terms) are the use case's.
  { method: 'PUT', path: '/customers/{id}', function: 'updateCustomer', auth: { kind: 'jwt', roles: clerks } },
  { method: 'GET', path: '/customers/{id}/statement', function: 'customerStatement', auth: { kind: 'jwt', roles: readers } },
  { method: 'GET', path: '/products/{sku}', function: 'getProduct', auth: { kind: 'jwt', roles: readers } },
  { method: 'PUT', path: '/products/{sku}', function: 'saveProduct', auth: { kind: 'jwt', roles: admins } },
  { method: 'GET', path: '/invoices/{id}', function: 'getInvoice', auth: { kind: 'jwt', roles: readers } },
  { method: 'GET', path: '/invoices', function: 'findInvoices', auth: { kind: 'jwt', roles: readers } },
  // An ar-clerk credits up to O2C_CREDIT_NOTE_CLERK_LIMIT; above it the use case asks for a credit manager.
  { method: 'POST', path: '/invoices/{id}/credit-notes', function: 'issueCreditNote', auth: { kind: 'jwt', roles: clerks } },
  { method: 'POST', path: '/invoices/{id}/reissue', function: 'reissueInvoice', auth: { kind: 'jwt', roles: clerks } },
  { method: 'POST', path: '/invoices/{id}/disputes', function: 'openDispute', auth: { kind: 'jwt', roles: clerks } },
  { method: 'POST', path: '/disputes/{id}/resolution', function: 'resolveDispute', auth: { kind: 'jwt', roles: clerks } },
  { method: 'POST', path: '/invoices/{id}/promises', function: 'recordPromise', auth: { kind: 'jwt', roles: clerks } },
  // Sends again what failed or bounced; fixing the address first is PUT /customers/{id}, also a clerk's.
  { method: 'POST', path: '/invoices/{id}/email', function: 'resendInvoiceEmail', auth: { kind: 'jwt', roles: clerks } },
  { method: 'GET', path: '/dunning-policy', function: 'getDunningPolicy', auth: { kind: 'jwt', roles: readers } },
  { method: 'PUT', path: '/dunning-policy', function: 'saveDunningPolicy', auth: { kind: 'jwt', roles: admins } },
  { method: 'POST', path: '/bank-files', function: 'uploadBankFile', auth: { kind: 'jwt', roles: clerks } },
  { method: 'GET', path: '/bank-files/{sha256}', function: 'getBankFile', auth: { kind: 'jwt', roles: readers } },
  { method: 'PUT', path: '/bank-accounts/{account}/csv-profile', function: 'saveCsvProfile', auth: { kind: 'jwt', roles: admins } },
  { method: 'GET', path: '/payments', function: 'findPayments', auth: { kind: 'jwt', roles: readers } },
  { method: 'GET', path: '/payments/{id}', function: 'getPayment', auth: { kind: 'jwt', roles: readers } },
  // An ar-clerk writes off up to O2C_WRITE_OFF_CLERK_LIMIT; above it the use case asks for a credit manager.
  { method: 'POST', path: '/payments/{id}/allocations', function: 'allocatePayment', auth: { kind: 'jwt', roles: clerks } },
  { method: 'GET', path: '/disputes', function: 'findDisputes', auth: { kind: 'jwt', roles: readers } },
  { method: 'GET', path: '/search', function: 'search', auth: { kind: 'jwt', roles: readers } },
  { method: 'GET', path: '/reports/ageing', function: 'reportAgeing', auth: { kind: 'jwt', roles: readers } },
  { method: 'GET', path: '/reports/kpis', function: 'reportKpis', auth: { kind: 'jwt', roles: readers } },
  { method: 'GET', path: '/reports/forecast', function: 'reportForecast', auth: { kind: 'jwt', roles: readers } },
  { method: 'POST', path: '/reports/snapshots', function: 'refreshReports', auth: { kind: 'jwt', roles: admins } },
  { method: 'GET', path: '/worklists', function: 'getWorklists', auth: { kind: 'jwt', roles: readers } },
  { method: 'GET', path: '/worklists/{kind}', function: 'getWorklist', auth: { kind: 'jwt', roles: readers } },
  { method: 'GET', path: '/deductions', function: 'findDeductions', auth: { kind: 'jwt', roles: readers } },
  // An ar-clerk writes off up to O2C_WRITE_OFF_CLERK_LIMIT and credits up to O2C_CREDIT_NOTE_CLERK_LIMIT.
  { method: 'POST', path: '/deductions/{id}/resolution', function: 'resolveDeduction', auth: { kind: 'jwt', roles: clerks } },
  { method: 'POST', path: '/dead-letters/{queue}/redrive', function: 'redriveDeadLetters', auth: { kind: 'jwt', roles: admins } },
];

/** The route key API Gateway v2 puts in `event.routeKey`. */
export const routeKey = (route: Pick<RouteSpec, 'method' | 'path'>): string => `${route.method} ${route.path}`;

export function findRoute(key: string): RouteSpec {
  const route = routes.find((candidate) => routeKey(candidate) === key);
  if (!route) throw new Error(`No route ${key} in the topology`);
  return route;
}

export interface ConsumerSpec {
  queue: QueueKey;
  function: FunctionKey;
  batchSize: number;
  maxBatchingWindowSeconds: number;
}

export const consumers: readonly ConsumerSpec[] = [
  { queue: 'orders', function: 'intakeOrders', batchSize: 10, maxBatchingWindowSeconds: 1 },
  // FIFO queues take no batching window.
  { queue: 'invoicing', function: 'issueInvoices', batchSize: 10, maxBatchingWindowSeconds: 0 },
  // One bank file per invocation: a file can hold thousands of entries.
  { queue: 'bankFiles', function: 'reconcileBankFiles', batchSize: 1, maxBatchingWindowSeconds: 0 },
];

export interface ScheduleSpec {
  id: string;
  /** The function invoked, with `{"schedule": id, "scheduledTime": ISO}` (EventBridge Scheduler's scheduled time). */
  function: FunctionKey;
  /** Once a day at this hour, in `timezone` (IANA): daylight saving moves with it. */
  hourOfDay: number;
  timezone: string;
  description: string;
}

/** Time-driven work: EventBridge Scheduler on AWS; locally the simulated clock fires each one that falls due. */
export const schedules: readonly ScheduleSpec[] = [
  { id: 'DailyDunning', function: 'runDunning', hourOfDay: 6, timezone: 'Europe/Berlin', description: 'Collections: the daily dunning run' },
  { id: 'DailyReports', function: 'snapshotReports', hourOfDay: 1, timezone: 'Europe/Berlin', description: 'Reports: the snapshot of the business day that just closed' },
];

/**
 * Work on a fixed rate in real time, not business time: EventBridge Scheduler `rate(n minutes)` on AWS; locally
 * once when the runtime starts (what a crash left behind) and then at the same rate.
 */
export interface RateScheduleSpec {
  id: string;
  /** The function invoked, with `{"schedule": id, "scheduledTime": ISO}`. */
  function: FunctionKey;
  everyMinutes: number;
  description: string;
}

export const rateSchedules: readonly RateScheduleSpec[] = [
  { id: 'OutboxRelay', function: 'relayOutbox', everyMinutes: 1, description: 'Transactional outbox: invoicing requests a crashed sender left behind' },
];

/** Where the messages of a dead-letter queue came from, and so whether they can be moved back. */
export type DeadLetterSource =
  /** Messages its consumer gave up on after `maxReceiveCount` receives: a redrive sends them back to the queue. */
  | { kind: 'queue'; queue: QueueKey; function: FunctionKey | undefined }
  /** Lambda's failed asynchronous invocations (scheduled runs): no source queue to move them back to. */
  | { kind: 'async-invocations' }
  /** Firings EventBridge Scheduler could not deliver: no source queue either. */
  | { kind: 'schedule'; schedule: string; function: FunctionKey };

export interface DeadLetterQueueSpec {
  /** Public name, e.g. `orders-dlq`: the `{queue}` of `POST /dead-letters/{queue}/redrive` and of the worklist item. */
  name: string;
  /** The queue's URL for the functions with `deadLetters` access. */
  envVar: string;
  localName: string;
  source: DeadLetterSource;
}

const kebab = (text: string) => text.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
const deadLetterQueue = (name: string, source: DeadLetterSource, fifo = false): DeadLetterQueueSpec => ({
  name,
  envVar: `${name.toUpperCase().replace(/-/g, '_')}_URL`,
  localName: `o2c-${name}${fifo ? '.fifo' : ''}`,
  source,
});

/**
 * Every dead-letter queue CDK builds: one per work queue (`<queue>Dlq` in the intake construct), the functions'
 * async-failures queue, and one per daily schedule. Derived from the entries above, so a new queue or schedule is
 * listed on the dead-letters worklist without another edit.
 */
export const deadLetterQueues: readonly DeadLetterQueueSpec[] = [
  ...(Object.keys(queues) as QueueKey[]).map((queue) =>
    deadLetterQueue(`${kebab(queue)}-dlq`, { kind: 'queue', queue, function: consumers.find((consumer) => consumer.queue === queue)?.function }, 'fifo' in queues[queue] && queues[queue].fifo === true),
  ),
  deadLetterQueue('async-failures-dlq', { kind: 'async-invocations' }),
  ...schedules.map((schedule) => deadLetterQueue(`${kebab(schedule.id)}-schedule-dlq`, { kind: 'schedule', schedule: schedule.id, function: schedule.function })),
];

/** The dead-letter queue of a work queue. */
export const deadLetterQueueOf = (queue: QueueKey): DeadLetterQueueSpec => deadLetterQueues.find((spec) => spec.source.kind === 'queue' && spec.source.queue === queue)!;

export interface StateMachineSpec {
  id: string;
  localName: string;
  envVar: string;
  /** Path from the repository root. */
  file: string;
  /** ASL `${Placeholder}` → the function whose ARN replaces it. */
  taskFunctions: Readonly<Record<string, FunctionKey>>;
  /**
   * EXPRESS: billed per execution and duration instead of per state transition (a straight-through order was 9
   * Standard transitions, $0.000225; as an Express execution of ~2 s it is $0.000003). Human and partner waits end
   * an execution, so none runs near Express's 5 minutes. Express starts are at least once and never deduplicated by
   * name: `shared/adapters/workflows.ts` claims each start in the table, and every step is a conditional write.
   */
  type: 'STANDARD' | 'EXPRESS';
  /**
   * What the execution log keeps (CloudWatch Logs, the only history an Express execution has): `ERROR` writes the
   * failure events (a task failed or timed out, the execution failed) with their input and error, which is what an
   * operator reads; successful executions leave their trace in the table's audit events instead.
   */
  logLevel: 'ALL' | 'ERROR' | 'OFF';
}

export const stateMachines: Record<StateMachineKey, StateMachineSpec> = {
  order: {
    id: 'OrderWorkflow',
    localName: 'o2c-order-workflow',
    envVar: 'ORDER_STATE_MACHINE_ARN',
    file: 'state-machines/order.asl.json',
    type: 'EXPRESS',
    logLevel: 'ERROR',
    taskFunctions: {
      ValidateOrderFunctionArn: 'validateOrder',
      CheckCreditFunctionArn: 'checkCredit',
      ReserveStockFunctionArn: 'reserveStock',
      RequestShipmentFunctionArn: 'requestShipment',
      CompensateOrderFunctionArn: 'compensateOrder',
    },
  },
  billing: {
    id: 'BillingWorkflow',
    localName: 'o2c-billing-workflow',
    envVar: 'BILLING_STATE_MACHINE_ARN',
    file: 'state-machines/billing.asl.json',
    type: 'EXPRESS',
    logLevel: 'ERROR',
    taskFunctions: {
      RenderInvoiceDocumentsFunctionArn: 'renderInvoiceDocuments',
      SendInvoiceEmailFunctionArn: 'sendInvoiceEmail',
    },
  },
};

/**
 * X-Ray sampling for the stack's functions and workflows (one sampling rule, `infra/constructs/workflows.ts`): one
 * trace in twenty, no per-second reservoir. AWS's default rule records the first request of every second, which for
 * an order pipeline below one request a second is every trace ($5 per million). Failures do not depend on a trace:
 * they are in the logs, the metrics and the alarms; an investigation raises the rate in the console, no deploy.
 */
export const tracing = { fixedRate: { numerator: 1, denominator: 20 }, reservoirPerSecond: 0 } as const;

/** Placeholders in an ASL text (`${Name}`), in order of first appearance. */
export function aslPlaceholders(definition: string): string[] {
  return [...new Set([...definition.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((match) => match[1]!))];
}

/** Which function receives SES's email events (delivery, bounce, complaint, reject) through EventBridge. */
export const emailEvents = { function: 'recordEmailEvents' as FunctionKey, envVar: 'SES_CONFIGURATION_SET' };
