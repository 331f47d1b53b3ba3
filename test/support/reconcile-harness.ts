/**
 * Cash application through the real use case (`receiveBankFile`) and the real DynamoDB adapters, with the bank file
 * handed over already parsed and kept in memory instead of S3: for tests and benches that measure what reconciling a
 * file reads. Ledger items are made by the production entity mappers, so every index key is what production writes.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoCustomers } from '#adapters/customers';
import { dynamoDeductionStore } from '#adapters/deduction-store';
import type { Item } from '#adapters/dynamo-items';
import { customerItem, invoiceDocumentItem, invoiceItem, invoiceSearchItems } from '#adapters/entities';
import { dynamoInvoiceStore } from '#adapters/invoice-store';
import { dynamoOrderStore } from '#adapters/order-store';
import { dynamoOpenItems, dynamoPaymentStore } from '#adapters/payment-store';
import { dynamoReceivables } from '#adapters/receivables';
import type { BankEntry, ParsedBankFile } from '#domain/bank-statement';
import { defaultMatchingPolicy } from '#domain/cash-matching';
import { creditorReferenceFor } from '#domain/creditor-reference';
import { newCustomer } from '#domain/customer';
import type { Invoice } from '#domain/invoice';
import type { Clock } from '#domain/ports';
import { receiveBankFile, type ReceiveBankFileDeps } from '#domain/use-cases/receive-bank-file';
import { eurInvoice } from '../fixtures/invoices/samples.ts';

export const OUR_ACCOUNT = 'DE02120300000000202051';

/** An open invoice of `customerId`, numbered `number`, with the creditor reference issuing prints on it. */
export function openInvoice(input: { id: string; number: string; customerId: string; customerName: string; currency: string; openMinor: number; issueDate?: string; dueDate?: string }): Invoice {
  const issueDate = input.issueDate ?? '2026-05-01';
  return {
    id: input.id,
    customerId: input.customerId,
    orderId: `O-${input.id}`,
    shipmentKey: `DHL#${input.id}`,
    document: {
      ...eurInvoice,
      id: input.id,
      number: input.number,
      currency: input.currency,
      issueDate,
      dueDate: input.dueDate ?? '2026-05-31',
      buyer: { ...eurInvoice.buyer, name: input.customerName },
      totalMinor: input.openMinor,
      prepaidMinor: 0,
      payableMinor: input.openMinor,
      paymentReference: creditorReferenceFor(input.number),
    },
    status: 'OPEN',
    openMinor: input.openMinor,
    email: { status: 'SENT', attempts: 1 },
    createdAt: `${issueDate}T09:00:00.000Z`,
    updatedAt: `${issueDate}T09:00:00.000Z`,
    version: 1,
  };
}

/** The items issuing writes for an invoice that matching reads: the invoice and its search (and match) entries. */
export const invoiceItems = (invoice: Invoice): Item[] => [invoiceItem(invoice), invoiceDocumentItem(invoice), ...invoiceSearchItems(invoice)];

export const customerItems = (customer: { id: string; name: string; currency: string }): Item[] => [
  customerItem(newCustomer({ id: customer.id, source: 'generic', externalId: `ext-${customer.id}`, name: customer.name, email: `ap@${customer.id.toLowerCase()}.example`, country: 'DE', currency: customer.currency }, 10_000_000_00, '2026-01-01T00:00:00.000Z')),
];

/** A credit to our account, as a parser makes it. */
export function bankEntry(id: string, amountMinor: number, fields: Partial<BankEntry> = {}): BankEntry {
  return { id, account: OUR_ACCOUNT, currency: 'EUR', amountMinor, bookingDate: '2026-06-02', valueDate: '2026-06-02', reversal: false, bankReference: `BR-${id}`, references: [], remittance: '', counterparty: {}, ...fields };
}

/** One balanced statement of `entries` (all of one currency). */
export function bankFileOf(entries: readonly BankEntry[], currency: string): ParsedBankFile {
  const total = entries.reduce((sum, entry) => sum + entry.amountMinor, 0);
  return { format: 'camt053', statements: [{ id: `STMT-${entries[0]?.id ?? 'empty'}`, account: OUR_ACCOUNT, currency, openingMinor: 0, closingMinor: total, balanced: true, entries: [...entries] }] };
}

/**
 * The use case's dependencies on one table through `documents` (a metered client, say): bank files are kept in
 * memory, already parsed. `reconcile(file)` runs `receiveBankFile` on it.
 */
export function reconcileHarness(documents: DynamoDBDocumentClient, tableName: string, clock: Clock = { now: () => new Date('2026-06-03T08:00:00.000Z') }) {
  const files = new Map<string, { text: string; parsed: ParsedBankFile }>();
  let fileNumber = 0;
  let idNumber = 0;
  const deps: ReceiveBankFileDeps = {
    files: {
      read: async (key) => files.get(key)?.text,
      put: async () => {},
      move: async (key, prefix) => {
        const moved = `${prefix}${key.split('/').pop() ?? key}`;
        const file = files.get(key);
        if (file) files.set(moved, file);
        files.delete(key);
        return moved;
      },
    },
    payments: dynamoPaymentStore(documents, tableName),
    openItems: dynamoOpenItems(documents, tableName),
    invoices: dynamoInvoiceStore(documents, tableName),
    customers: dynamoCustomers(documents, tableName),
    receivables: dynamoReceivables(documents, tableName),
    orders: dynamoOrderStore(documents, tableName),
    deductions: dynamoDeductionStore(documents, tableName),
    clock,
    ids: { next: () => `ID${String(++idNumber).padStart(10, '0')}` },
    policy: defaultMatchingPolicy,
    parse: async (_text, fileKey) => {
      const file = [...files.values()].find((candidate) => candidate.text === _text) ?? files.get(fileKey);
      if (!file) throw new Error(`no parsed file for ${fileKey}`);
      return file.parsed;
    },
    maxBytes: 32 * 1024 * 1024,
    prefixes: { processed: 'processed/', quarantine: 'quarantine/' },
  };
  return {
    deps,
    /** Drops `parsed` as a new file and reconciles it. */
    async reconcile(parsed: ParsedBankFile) {
      const fileKey = `inbound/harness-${Date.now()}-${++fileNumber}.xml`;
      files.set(fileKey, { text: `${fileKey}\n${JSON.stringify(parsed)}`, parsed });
      return receiveBankFile({ fileKey }, deps);
    },
  };
}
