import { createHash } from 'node:crypto';
import { auditTrail, type AuditEvent } from '../audit.ts';
import { assertBalanced, BankFileError, type ParsedBankFile } from '../bank-statement.ts';
import { Conflict, Forbidden, InvalidRequest, NotFound } from '../errors.ts';
import type { Invoice } from '../invoice.ts';
import { normalizeAccount } from '../remittance.ts';
import { settlementViolation } from '../cash-matching.ts';
import { customerAfterPayment, isAllocatable, mayReleaseHold, openToPayment, orderChangesFor, overdueAfter, paymentStatuses, settleInvoice, type Payment, type PaymentStatus } from '../payment.ts';
import type { BankFileRecord, BankFileStorage, Change, Clock, Customers, IdGenerator, InvoiceStore, OrderStore, PaymentStore, Receivables } from '../ports.ts';
import { RETRY, retryOnChange } from '../retry.ts';
import type { QuarantineReport } from './receive-bank-file.ts';

/** A payment as the operator API shows it: everything but the bookkeeping version. */
export function paymentView(payment: Payment) {
  const { version: _version, ...view } = payment;
  return { ...view, allocatedMinor: payment.allocations.reduce((sum, allocation) => sum + allocation.amountMinor, 0) };
}

export async function getPayment(paymentId: string, deps: { payments: PaymentStore }) {
  const payment = await deps.payments.get(paymentId);
  if (!payment) throw new NotFound(`payment ${paymentId} does not exist`);
  return paymentView(payment);
}

/** `GET /payments?status=unmatched`: the exceptions queue (oldest booking first), or any other status. */
export async function findPayments(query: { status?: string | undefined; limit: number; cursor?: string | undefined }, deps: { payments: PaymentStore }) {
  const status = (query.status ?? 'unmatched').toUpperCase();
  if (!paymentStatuses.includes(status as PaymentStatus)) throw new InvalidRequest(`status must be one of ${paymentStatuses.map((value) => value.toLowerCase()).join(', ')}`);
  const page = await deps.payments.listByStatus(status as PaymentStatus, query);
  return { items: page.items.map(paymentView), cursor: page.cursor };
}

export interface AllocationRequest {
  allocations: { invoiceId: string; amountMinor: number }[];
  /** Small differences closed on an invoice allocated in the same request. */
  writeOffs: { invoiceId: string; amountMinor: number; reason: string }[];
  /** Remember the payer's account for this customer, so the next payment from it is matched automatically. */
  rememberPayer: boolean;
  note?: string | undefined;
}

export interface AllocatePaymentDeps {
  payments: PaymentStore;
  invoices: InvoiceStore;
  customers: Customers;
  receivables: Receivables;
  orders: Pick<OrderStore, 'get'>;
  clock: Clock;
  ids: IdGenerator;
  /** Write-offs above this (minor units of the payment's currency) need a credit manager. */
  clerkWriteOffLimitMinor: (currency: string) => number;
}

const MAX_ATTEMPTS = 5;

/**
 * A person allocates what the engine could not: cash of an unmatched payment (or the unapplied rest of an
 * overpayment) to invoices of one customer, optionally closing small differences with a write-off within their
 * role's limit. The rest stays unapplied on the customer's account. The payer's account is learned for next time.
 */
export async function allocatePayment(input: { paymentId: string; request: AllocationRequest; caller: { actor: string; roles: readonly string[] } }, deps: AllocatePaymentDeps) {
  const { request } = input;
  if (request.allocations.length === 0 && request.writeOffs.length === 0) throw new InvalidRequest('give at least one allocation or write-off');
  const notPositive = [...request.allocations, ...request.writeOffs].find((line) => !Number.isSafeInteger(line.amountMinor) || line.amountMinor <= 0);
  if (notPositive) throw new InvalidRequest(`${notPositive.amountMinor} on ${notPositive.invoiceId}: amounts are positive whole minor units`);
  return retryOnChange(
    `payment ${input.paymentId} kept changing; try again`,
    async () => {
      const payment = await deps.payments.get(input.paymentId);
      if (!payment) throw new NotFound(`payment ${input.paymentId} does not exist`);
      if (payment.amountMinor <= 0) throw new Conflict(`payment ${payment.id} is money out: nothing to allocate`);
      if (!(payment.status === 'UNMATCHED' || (payment.status === 'APPLIED' && payment.unappliedMinor > 0)))
        throw new Conflict(`payment ${payment.id} is ${payment.status} with ${payment.unappliedMinor} unapplied: nothing to allocate`);
      const cash = request.allocations.reduce((sum, allocation) => sum + allocation.amountMinor, 0);
      if (cash > payment.unappliedMinor) throw new Conflict(`the allocations add up to ${cash}, more than the ${payment.unappliedMinor} unapplied on ${payment.id}`);
      const unappliedAfter = payment.unappliedMinor - cash;

      const writeOffTotal = request.writeOffs.reduce((sum, writeOff) => sum + writeOff.amountMinor, 0);
      const privileged = input.caller.roles.some((role) => role === 'credit-manager' || role === 'admin');
      if (!privileged && writeOffTotal > deps.clerkWriteOffLimitMinor(payment.currency))
        throw new Forbidden(`write-offs above ${deps.clerkWriteOffLimitMinor(payment.currency)} ${payment.currency} (minor units) need a credit manager`);

      const invoiceIds = [...new Set([...request.allocations, ...request.writeOffs].map((line) => line.invoiceId))];
      const invoices = new Map<string, Invoice>();
      for (const invoiceId of invoiceIds) {
        const invoice = await deps.invoices.get(invoiceId);
        if (!invoice || invoice.document.kind !== 'invoice') throw new NotFound(`invoice ${invoiceId} does not exist`);
        if (!isAllocatable(invoice)) throw new Conflict(`invoice ${invoice.document.number} is ${invoice.status} with ${invoice.openMinor} open: nothing to pay`);
        if (invoice.document.currency !== payment.currency) throw new Conflict(`invoice ${invoice.document.number} is in ${invoice.document.currency}, the payment in ${payment.currency}`);
        invoices.set(invoiceId, invoice);
      }
      const customers = new Set([...invoices.values()].map((invoice) => invoice.customerId));
      if (customers.size > 1) throw new Conflict('one payment is allocated to invoices of one customer at a time');
      const customerId = [...customers][0] as string;
      if (payment.customerId && payment.customerId !== customerId) throw new Conflict(`payment ${payment.id} is on the account of customer ${payment.customerId}, not ${customerId}`);
      const allocatedIds = new Set(request.allocations.map((allocation) => allocation.invoiceId));
      const orphan = request.writeOffs.find((writeOff) => !allocatedIds.has(writeOff.invoiceId));
      if (orphan) throw new InvalidRequest(`a write-off closes a difference on an invoice this request allocates to; ${orphan.invoiceId} is not one of them`);
      // The same rule the bank-file path keeps: no more cash than is unapplied, nothing settled past what is open.
      const violation = settlementViolation(
        { amountMinor: payment.unappliedMinor, allocations: request.allocations, adjustments: request.writeOffs, unappliedMinor: unappliedAfter },
        (invoiceId) => openToPayment(invoices.get(invoiceId), { currency: payment.currency, customerId }),
      );
      if (violation) throw new Conflict(`payment ${payment.id} ${violation}`);

      const at = deps.clock.now().toISOString();
      const by = input.caller.actor;
      const audit = auditTrail(deps, { actor: by, at });
      const audits: AuditEvent[] = [];
      const invoiceChanges: Change<Invoice>[] = [];
      for (const invoice of invoices.values()) {
        const paid = request.allocations.filter((allocation) => allocation.invoiceId === invoice.id).reduce((sum, allocation) => sum + allocation.amountMinor, 0);
        const writtenOff = request.writeOffs.filter((writeOff) => writeOff.invoiceId === invoice.id).reduce((sum, writeOff) => sum + writeOff.amountMinor, 0);
        const after = settleInvoice(invoice, paid, writtenOff, at);
        invoiceChanges.push({ before: invoice, after });
        audits.push(audit({ entity: 'invoice', entityId: invoice.id, customerId, type: 'PaymentApplied', before: invoice.status, after: after.status, reason: `${paid} cash${writtenOff ? ` and ${writtenOff} written off` : ''} by payment ${payment.id}, allocated by hand; open ${after.openMinor}` }));
      }
      const note = request.note ? `: ${request.note}` : '';
      const after: Payment = {
        ...payment,
        status: 'APPLIED',
        customerId,
        allocations: [
          ...payment.allocations,
          ...request.allocations.map((allocation) => ({ ...allocation, invoiceNumber: invoices.get(allocation.invoiceId)?.document.number ?? allocation.invoiceId, rule: 'manual' as const, reason: `allocated by ${by}${note}`, by, at })),
        ],
        adjustments: [...payment.adjustments, ...request.writeOffs.map((writeOff) => ({ invoiceId: writeOff.invoiceId, kind: 'write-off' as const, amountMinor: writeOff.amountMinor, reason: writeOff.reason, by, at }))],
        unappliedMinor: unappliedAfter,
        reason: unappliedAfter > 0 ? `allocated by ${by}; ${unappliedAfter} stays unapplied on the customer's account` : `allocated by ${by}`,
        candidates: [],
        updatedAt: at,
        version: payment.version + 1,
      };
      audits.unshift(audit({ entity: 'payment', entityId: payment.id, customerId, type: 'PaymentAllocated', before: payment.status, after: 'APPLIED', reason: `${cash} allocated to ${invoiceChanges.map(({ before }) => before.document.number).join(', ')}${writeOffTotal ? `, ${writeOffTotal} written off` : ''}${note}` }));

      const customer = await deps.customers.get(customerId);
      const overdueRemains = mayReleaseHold(customer) && (await overdueAfter(customerId, invoiceChanges, deps));
      const change = customer ? customerAfterPayment(customer, { currency: payment.currency, settledMinor: cash + writeOffTotal, overdueRemains, at }) : undefined;
      const customerAfter = change?.after;
      if (change?.released) audits.push(audit({ entity: 'customer', entityId: customerId, customerId, type: 'CreditHoldReleased', before: 'ON_HOLD', after: 'ACTIVE', reason: `payment ${payment.id}, allocated by ${by}, cleared the overdue balance` }));
      const payerAccount = normalizeAccount(payment.counterparty.account);
      const settledOrders = await orderChangesFor(invoiceChanges, deps, at, audit);
      audits.push(...settledOrders.audits);
      const outcome = await deps.payments.write({
        payment: { changed: { before: payment, after } },
        invoices: invoiceChanges,
        orders: settledOrders.orders,
        customers: customer && customerAfter ? [{ before: customer, after: customerAfter }] : [],
        learnedPayer: request.rememberPayer && payerAccount ? { account: payerAccount, customerId, learnedFrom: payment.id, by, at } : undefined,
        audits,
      });
      if (outcome === 'written') return paymentView(after);
      if (outcome === 'too-large') throw new InvalidRequest('this allocation changes more than one transaction can hold: allocate the payment in parts (fewer invoices at a time)');
      return RETRY;
    },
    { attempts: MAX_ATTEMPTS },
  );
}

export interface UploadBankFileDeps {
  files: BankFileStorage;
  payments: PaymentStore;
  clock: Clock;
  ids: IdGenerator;
  parse: (text: string, fileKey: string) => Promise<ParsedBankFile>;
  maxBytes: number;
  inboundPrefix: string;
}

/**
 * `POST /bank-files`: the file is read here first, so a person uploading a bad file gets the reason at once and
 * nothing is stored; a good file is dropped under `inbound/`, where the same path as a file put there directly
 * applies it. The same file twice is answered as a duplicate, unless it was quarantined: then it is read again.
 */
export async function uploadBankFile(input: { name: string; text: string; account?: string | undefined }, deps: UploadBankFileDeps) {
  if (input.account !== undefined && !/^[A-Za-z0-9]{4,34}$/.test(input.account)) throw new InvalidRequest('account must be the bank account number or IBAN without spaces (4 to 34 letters and digits)');
  const bytes = Buffer.byteLength(input.text, 'utf8');
  if (bytes === 0) throw new InvalidRequest('the bank file is empty');
  if (bytes > deps.maxBytes) throw new InvalidRequest(`the file is ${bytes} bytes; bank files are limited to ${deps.maxBytes} bytes`);
  const sha256 = createHash('sha256').update(input.text).digest('hex');
  const previous = await deps.payments.getBankFile(sha256);
  // A file quarantined before (say, for want of a CSV profile) is read again: that is how its worklist item is resolved.
  if (previous && previous.status !== 'QUARANTINED') return { statusCode: 200, body: { status: 'duplicate' as const, sha256, fileKey: previous.fileKey, previousStatus: previous.status } };

  const safeName = input.name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 100) || 'bank-file';
  const now = deps.clock.now();
  // A CSV file is read with its account's column profile, found by the account in its key.
  const folder = input.account ? `csv/${input.account}/` : '';
  const fileKey = `${deps.inboundPrefix}${folder}${now.toISOString().slice(0, 10)}/${deps.ids.next()}-${safeName}`;
  let parsed: ParsedBankFile;
  try {
    parsed = await deps.parse(input.text, fileKey);
    assertBalanced(parsed);
  } catch (error) {
    if (error instanceof BankFileError) throw new InvalidRequest(`not a readable bank file: ${error.message}`, { location: error.location });
    throw error;
  }
  await deps.files.put(fileKey, input.text);
  const statements = parsed.statements.map(({ entries, ...statement }) => ({ ...statement, entries: entries.length }));
  return { statusCode: 202, body: { status: 'received' as const, sha256, fileKey, format: parsed.format, statements } };
}

/** A bank file as the operator API shows it: what became of it, and where a quarantined one is kept. */
export function bankFileView(record: BankFileRecord) {
  return {
    sha256: record.sha256,
    fileKey: record.fileKey,
    status: record.status,
    format: record.format,
    statements: record.statements,
    counts: record.counts,
    error: record.error,
    quarantinedAs: record.quarantinedAs,
    receivedAt: record.receivedAt,
    processedAt: record.processedAt,
  };
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * `GET /bank-files/{sha256}`: the record of a file received (applied or quarantined) and, for a quarantined one, the
 * report written beside the moved file (`<quarantinedAs>.report.json`, read from the bucket as it is); `report` is
 * null for an applied file, or when the report is gone or the record predates `quarantinedAs`.
 */
export async function getBankFile(sha256: string, deps: { payments: Pick<PaymentStore, 'getBankFile'>; files: Pick<BankFileStorage, 'read'> }) {
  const wanted = sha256.toLowerCase();
  if (!SHA256.test(wanted)) throw new InvalidRequest('a bank file is known by the SHA-256 of its content: 64 hexadecimal digits');
  const record = await deps.payments.getBankFile(wanted);
  if (!record) throw new NotFound(`no bank file with SHA-256 ${wanted} was received`);
  const view = bankFileView(record);
  if (record.status !== 'QUARANTINED' || !record.quarantinedAs) return { ...view, reportKey: null, report: null };
  const reportKey = `${record.quarantinedAs}.report.json`;
  const text = await deps.files.read(reportKey);
  return { ...view, reportKey, report: text === undefined ? null : (JSON.parse(text) as QuarantineReport) };
}

/** Saves the CSV column profile of one of our bank accounts (checked by the caller against the profile schema). */
export async function saveCsvProfile<Profile extends { account: string }>(
  input: { account: string; profile: Profile; caller: { actor: string } },
  deps: { profiles: { save(account: string, profile: Profile, savedBy: string, savedAt: string): Promise<void> }; clock: Clock },
) {
  if (input.profile.account !== input.account) throw new InvalidRequest(`the profile is for account ${input.profile.account}, the path names ${input.account}`);
  const savedAt = deps.clock.now().toISOString();
  await deps.profiles.save(input.account, input.profile, input.caller.actor, savedAt);
  return { account: input.account, savedBy: input.caller.actor, savedAt, profile: input.profile };
}
