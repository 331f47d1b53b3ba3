import { documentClient, s3Client, sfnClient, sqsClient } from '#adapters/aws-clients';
import { s3DocumentStore } from '#adapters/documents-s3';
import { dynamoInvoiceStore } from '#adapters/invoice-store';
import { sqsInvoicingQueue } from '#adapters/invoicing-queue';
import { dynamoInvoicingOutbox } from '#adapters/invoicing-outbox';
import { dynamoDeductionStore } from '#adapters/deduction-store';
import { dynamoWorklists } from '#adapters/worklists-store';
import { dynamoBrowse } from '#adapters/browse';
import { dynamoCatalogue } from '#adapters/catalogue';
import { dynamoCustomers } from '#adapters/customers';
import { dynamoDeliveryLog } from '#adapters/delivery-log';
import { sqsOrderQueue } from '#adapters/order-queue';
import { dynamoOrderStore } from '#adapters/order-store';
import { s3BankFiles } from '#adapters/bank-files-s3';
import { dynamoPaymentStore } from '#adapters/payment-store';
import { dynamoCashOnAccount } from '#adapters/cash-on-account';
import { dynamoReceivables } from '#adapters/receivables';
import { dynamoCsvProfiles } from '#adapters/csv-profiles';
import { dynamoDunningStore } from '#adapters/dunning-store';
import { dynamoReportSource, dynamoReportStore } from '#adapters/report-store';
import { startOnce, stepFunctionsWorkflows, type StartClaims } from '#adapters/workflows';
import { wholeUnitsToMinor } from '#domain/credit';
import { businessClock } from '#shared/clock';
import { loadConfig, requiredName } from '#shared/config';
import { bankFilePrefixes } from '#shared/topology';
import { ulids } from '#shared/ids';

/**
 * The adapters a function's use cases need, built once per instance from its checked configuration. Each getter
 * reads its own variables, so a function only needs the environment of what it uses.
 */
export function tableDeps() {
  const { TABLE_NAME } = loadConfig({ TABLE_NAME: requiredName });
  const documents = documentClient();
  return {
    orders: dynamoOrderStore(documents, TABLE_NAME),
    catalogue: dynamoCatalogue(documents, TABLE_NAME),
    customers: dynamoCustomers(documents, TABLE_NAME),
    receivables: dynamoReceivables(documents, TABLE_NAME),
    deliveries: dynamoDeliveryLog(documents, TABLE_NAME),
    clock: businessClock,
    ids: ulids,
  };
}

/**
 * What order intake from a store or webhook needs of the table: the orders (for audit entries) and the delivery log.
 * Narrower than {@link tableDeps} so the webhook functions bundle no catalogue, customer or receivables adapter.
 */
export function intakeTableDeps() {
  const { TABLE_NAME } = loadConfig({ TABLE_NAME: requiredName });
  const documents = documentClient();
  return { orders: dynamoOrderStore(documents, TABLE_NAME), deliveries: dynamoDeliveryLog(documents, TABLE_NAME), clock: businessClock, ids: ulids };
}

export function orderQueue() {
  return sqsOrderQueue(sqsClient(), loadConfig({ ORDERS_QUEUE_URL: requiredName }).ORDERS_QUEUE_URL);
}

/** Workflow starts are claimed in the table (Express workflows do not dedupe execution names). */
function startClaims(): StartClaims {
  return { documents: documentClient(), tableName: loadConfig({ TABLE_NAME: requiredName }).TABLE_NAME };
}

export function orderWorkflows() {
  return stepFunctionsWorkflows(sfnClient(), loadConfig({ ORDER_STATE_MACHINE_ARN: requiredName }).ORDER_STATE_MACHINE_ARN, startClaims());
}

export function invoicingQueue() {
  return sqsInvoicingQueue(sqsClient(), loadConfig({ INVOICING_QUEUE_URL: requiredName }).INVOICING_QUEUE_URL);
}

/** The invoicing outbox and the queue it relays to. */
export function invoicingRelay() {
  return { queue: invoicingQueue(), outbox: dynamoInvoicingOutbox(documentClient(), loadConfig({ TABLE_NAME: requiredName }).TABLE_NAME) };
}

export function billingWorkflows() {
  const { BILLING_STATE_MACHINE_ARN } = loadConfig({ BILLING_STATE_MACHINE_ARN: requiredName });
  return {
    /** One billing execution per invoice, named after it: a repeated start is a no-op. */
    start: (invoiceId: string) => startOnce(sfnClient(), startClaims(), BILLING_STATE_MACHINE_ARN, `invoice-${invoiceId}`, { invoiceId }),
  };
}

export function invoiceStore() {
  return dynamoInvoiceStore(documentClient(), loadConfig({ TABLE_NAME: requiredName }).TABLE_NAME);
}

export function invoiceDocuments() {
  return s3DocumentStore(s3Client(), loadConfig({ INVOICES_BUCKET: requiredName }).INVOICES_BUCKET);
}

export function paymentStore() {
  return dynamoPaymentStore(documentClient(), loadConfig({ TABLE_NAME: requiredName }).TABLE_NAME);
}

/** The bank files received and the bucket they are kept in, to read a file's record and its quarantine report. */
export function bankFileRecords() {
  const { BANK_FILES_BUCKET } = loadConfig({ BANK_FILES_BUCKET: requiredName });
  return { payments: paymentStore(), files: s3BankFiles(s3Client(), BANK_FILES_BUCKET, bankFilePrefixes.inbound) };
}

/** Manual allocation: an ar-clerk writes off up to `O2C_WRITE_OFF_CLERK_LIMIT` whole units (default 50) per request. */
export function allocationDeps() {
  const limit = Number(process.env.O2C_WRITE_OFF_CLERK_LIMIT ?? 50);
  if (!Number.isSafeInteger(limit) || limit < 0) throw new Error('O2C_WRITE_OFF_CLERK_LIMIT must be a whole number of units');
  return { ...tableDeps(), payments: paymentStore(), invoices: invoiceStore(), clerkWriteOffLimitMinor: (currency: string) => wholeUnitsToMinor(limit, currency) };
}

export function deductionStore() {
  return dynamoDeductionStore(documentClient(), loadConfig({ TABLE_NAME: requiredName }).TABLE_NAME);
}

export function browse() {
  return dynamoBrowse(documentClient(), loadConfig({ TABLE_NAME: requiredName }).TABLE_NAME);
}

export function worklists() {
  return dynamoWorklists(documentClient(), loadConfig({ TABLE_NAME: requiredName }).TABLE_NAME);
}

export function csvProfiles() {
  return dynamoCsvProfiles(documentClient(), loadConfig({ TABLE_NAME: requiredName }).TABLE_NAME);
}

export function dunningStore() {
  return dynamoDunningStore(documentClient(), loadConfig({ TABLE_NAME: requiredName }).TABLE_NAME);
}

/** A customer's cash on account (payments that left something unapplied), for its statement. */
export function cashOnAccount() {
  return dynamoCashOnAccount(documentClient(), loadConfig({ TABLE_NAME: requiredName }).TABLE_NAME);
}

/** The report job's aggregates, and (for the job) the ledger it reads them from. */
export function reportStore() {
  return dynamoReportStore(documentClient(), loadConfig({ TABLE_NAME: requiredName }).TABLE_NAME);
}

export function reportJobDeps() {
  const { TABLE_NAME } = loadConfig({ TABLE_NAME: requiredName });
  return { source: dynamoReportSource(documentClient(), TABLE_NAME), store: reportStore(), dunning: dunningStore(), clock: businessClock };
}
