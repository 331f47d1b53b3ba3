import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '#domain/audit';
import type { Customer } from '#domain/customer';
import { Conflict, EmailNotSent, NotFound } from '#domain/errors';
import type { Invoice, InvoiceEmail } from '#domain/invoice';
import type { InvoiceStore } from '#domain/ports';
import { resendInvoiceEmail, sendInvoiceEmail, SENDING_LEASE_MS, type ResendInvoiceEmailDeps } from '#domain/use-cases/billing';
import type { InvoiceEmailInput } from '#domain/emails';
import { invoiceWork } from '#domain/worklists';
import { demoSeller } from '#schemas/seller';
import { storedInvoice } from '../../../support/cash-fixtures.ts';

const NOW = new Date('2026-11-23T08:00:00.000Z');
const BOUNCED_AT = '2026-11-20T09:00:00.000Z';

/** An invoice the billing workflow emailed, whose email then failed or bounced (it waits on email-failures). */
const failedInvoice = (email: Partial<InvoiceEmail> = {}): Invoice =>
  storedInvoice('INV-2026-000777', 2_379, {
    pdfKey: 'invoices/2026/INV-2026-000777.pdf',
    ublKey: 'invoices/2026/INV-2026-000777.xml',
    email: { status: 'BOUNCED', attempts: 1, messageId: 'old-message', failedAt: BOUNCED_AT, lastError: 'bounce: smtp; 550 5.1.1 user unknown', ...email },
  });

const customer = (email: string, contacts: Customer['contacts'] = []) => ({ id: 'C-42', email, contacts }) as unknown as Customer;

/** A store that writes on the version it was given, like the DynamoDB one; every write kept with its audit event. */
function harness(invoice: Invoice, options: { mailerFails?: string; customer?: Customer } = {}) {
  let stored = invoice;
  const writes: { before: Invoice; after: Invoice; audit?: AuditEvent | undefined }[] = [];
  const sent: { to: string[]; input: InvoiceEmailInput }[] = [];
  const links: string[] = [];
  let onSend: () => Promise<void> = async () => {};
  let n = 0;
  const invoices = {
    get: async (id: string) => (id === stored.id ? stored : undefined),
    update: async (before: Invoice, after: Invoice, audit?: AuditEvent) => {
      if (before.version !== stored.version) return false;
      stored = after;
      writes.push({ before, after, audit });
      return true;
    },
    linkEmailMessage: async (messageId: string) => void links.push(messageId),
  } as unknown as InvoiceStore;
  const deps: ResendInvoiceEmailDeps = {
    invoices,
    documents: { get: async (key: string) => new TextEncoder().encode(`bytes of ${key}`), put: async () => {}, presignedUrl: async () => '' },
    mailer: {
      sendRaw: async ({ to }) => {
        await onSend();
        if (options.mailerFails) throw new Error(options.mailerFails);
        sent.push({ to, input: lastComposed! });
        return `message-${sent.length}`;
      },
    },
    compose: async (input) => {
      lastComposed = input;
      return new TextEncoder().encode('raw');
    },
    seller: demoSeller,
    clock: { now: () => NOW },
    ids: { next: () => `EV${++n}` },
    customers: { get: async (id: string) => (id === 'C-42' ? (options.customer ?? customer('ap-fixed@buyer.example')) : undefined) },
  };
  let lastComposed: InvoiceEmailInput | undefined;
  return {
    deps,
    sent,
    writes,
    links,
    current: () => stored,
    /** Changes the invoice behind the use case's back (a payment, a bounce) at the moment the mailer is called. */
    duringSend: (change: (invoice: Invoice) => Invoice) => {
      onSend = async () => {
        stored = change(stored);
      };
    },
  };
}

const clerk = { invoiceId: 'id-INV-2026-000777', actor: 'dev-ar-clerk' };

describe('resendInvoiceEmail: a person sends a failed or bounced invoice email again', () => {
  it('given a bounced email and an address corrected since, when an ar-clerk retries it, then one email with the PDF and the UBL goes to the current address, the email is SENT with its new message, and the worklist entry leaves in that write with an audit event by the clerk', async () => {
    const { deps, sent, writes, links, current } = harness(failedInvoice());

    const outcome = await resendInvoiceEmail(clerk, deps);

    expect(outcome).toMatchObject({ invoiceId: 'id-INV-2026-000777', number: 'INV-2026-000777', outcome: 'sent', to: ['ap-fixed@buyer.example'], email: { status: 'SENT', attempts: 2, messageId: 'message-1' } });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toEqual(['ap-fixed@buyer.example']);
    expect(sent[0]!.input).toMatchObject({ number: 'INV-2026-000777', pdfFilename: 'INV-2026-000777.pdf', ublFilename: 'INV-2026-000777.xml', ubl: 'bytes of invoices/2026/INV-2026-000777.xml' });
    expect(new TextDecoder().decode(sent[0]!.input.pdf)).toBe('bytes of invoices/2026/INV-2026-000777.pdf');
    expect(links).toEqual(['message-1']);
    expect(current().email).toMatchObject({ status: 'SENT', messageId: 'message-1', sentAt: NOW.toISOString(), lastError: undefined });
    const last = writes.at(-1)!;
    expect(invoiceWork(last.before).map((entry) => entry.kind)).toEqual(['email-failures']);
    expect(invoiceWork(last.after)).toEqual([]);
    expect(last.audit).toMatchObject({ entity: 'invoice', entityId: 'id-INV-2026-000777', customerId: 'C-42', type: 'InvoiceEmailResent', actor: 'dev-ar-clerk', before: 'BOUNCED', after: 'SENT' });
  });

  it('given a customer with a billing contact, when retried, then the email goes where an invoice would be sent now: the billing contact', async () => {
    const { deps, sent } = harness(failedInvoice(), { customer: customer('main@buyer.example', [{ name: 'Jo Payables', email: 'jo@buyer.example', role: 'billing' }]) });

    await resendInvoiceEmail(clerk, deps);

    expect(sent.map((message) => message.to)).toEqual([['jo@buyer.example']]);
  });

  it('given SES refusing the message, when retried, then the failure is recorded (FAILED, the reason, one more attempt, still waiting since the first failure), audited, and answered with the reason', async () => {
    const { deps, sent, writes, current } = harness(failedInvoice({ status: 'FAILED', lastError: 'throttled' }), { mailerFails: 'MessageRejected: Email address is not verified' });

    const retried = resendInvoiceEmail(clerk, deps);

    await expect(retried).rejects.toBeInstanceOf(EmailNotSent);
    await expect(retried).rejects.toThrow(/INV-2026-000777.*MessageRejected: Email address is not verified/);
    expect(sent).toEqual([]);
    expect(current().email).toMatchObject({ status: 'FAILED', attempts: 2, failedAt: BOUNCED_AT, lastError: 'MessageRejected: Email address is not verified' });
    expect(invoiceWork(current()).map((entry) => [entry.kind, entry.since])).toEqual([['email-failures', BOUNCED_AT]]);
    expect(writes.at(-1)!.audit).toMatchObject({ type: 'InvoiceEmailResendFailed', actor: 'dev-ar-clerk', reason: expect.stringContaining('MessageRejected') });
  });

  it('given an email already SENT, when retried, then it answers so and sends nothing', async () => {
    const { deps, sent, writes } = harness(failedInvoice({ status: 'SENT', messageId: 'm-1', sentAt: '2026-11-22T10:00:00.000Z', failedAt: undefined }));

    expect(await resendInvoiceEmail(clerk, deps)).toMatchObject({ outcome: 'already-sent', email: { status: 'SENT', messageId: 'm-1' } });
    expect(sent).toEqual([]);
    expect(writes).toEqual([]);
  });

  it('given two retries at once, when both run, then one email is sent and the other is told it is being sent (409)', async () => {
    const { deps, sent } = harness(failedInvoice());

    const outcomes = await Promise.allSettled([resendInvoiceEmail(clerk, deps), resendInvoiceEmail({ ...clerk, actor: 'dev-admin' }, deps)]);

    expect(sent).toHaveLength(1);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(Conflict);
    expect((refused.reason as Error).message).toMatch(/INV-2026-000777 is being sent/);
  });

  it('given a send in flight (SENDING, claimed a minute ago), when retried, then 409 and nothing is sent; given a claim older than the lease (its sender died), then it is taken over and sent', async () => {
    const claimed = (at: Date) => failedInvoice({ status: 'SENDING', attempts: 2, claimedBy: 'dev-ar-clerk', claimedAt: at.toISOString() });
    const fresh = harness(claimed(new Date(NOW.getTime() - 60_000)));
    const lapsed = harness(claimed(new Date(NOW.getTime() - SENDING_LEASE_MS - 1)));

    await expect(resendInvoiceEmail(clerk, fresh.deps)).rejects.toBeInstanceOf(Conflict);
    expect(fresh.sent).toEqual([]);
    expect(await resendInvoiceEmail(clerk, lapsed.deps)).toMatchObject({ outcome: 'sent', email: { status: 'SENT', attempts: 3 } });
    expect(lapsed.sent).toHaveLength(1);
  });

  it('given an email the workflow has not sent yet (PENDING), then 409; given no such invoice, then 404', async () => {
    const { deps, sent } = harness(failedInvoice({ status: 'PENDING', attempts: 0, failedAt: undefined, messageId: undefined, lastError: undefined }));

    await expect(resendInvoiceEmail(clerk, deps)).rejects.toBeInstanceOf(Conflict);
    await expect(resendInvoiceEmail({ ...clerk, invoiceId: 'nope' }, deps)).rejects.toBeInstanceOf(NotFound);
    expect(sent).toEqual([]);
  });

  it('given a payment applied to the invoice while its email was being sent, when the email is recorded SENT, then on the invoice as it is now: the payment is kept and the email is not sent twice', async () => {
    const { deps, sent, current, duringSend } = harness(failedInvoice());
    duringSend((invoice) => ({ ...invoice, openMinor: 0, status: 'PAID', version: invoice.version + 1 }));

    await resendInvoiceEmail(clerk, deps);

    expect(sent).toHaveLength(1);
    expect(current()).toMatchObject({ status: 'PAID', openMinor: 0, email: { status: 'SENT', messageId: 'message-1' } });
  });
});

describe('sendInvoiceEmail (billing workflow) beside a person’s retry', () => {
  it('given an invoice a person is sending again right now, when the workflow’s own retry runs, then it leaves it to them and sends nothing', async () => {
    const { deps, sent } = harness(failedInvoice({ status: 'SENDING', attempts: 2, claimedBy: 'dev-ar-clerk', claimedAt: new Date(NOW.getTime() - 5_000).toISOString() }));

    expect(await sendInvoiceEmail('id-INV-2026-000777', deps)).toMatchObject({ email: 'claimed-elsewhere' });
    expect(sent).toEqual([]);
  });

  it('given an invoice its own earlier attempt claimed and died on, when the workflow retries, then it sends (as before)', async () => {
    const { deps, sent } = harness(failedInvoice({ status: 'SENDING', attempts: 1, claimedBy: 'workflow:billing', claimedAt: new Date(NOW.getTime() - 5_000).toISOString() }));

    expect(await sendInvoiceEmail('id-INV-2026-000777', deps)).toMatchObject({ email: 'sent' });
    expect(sent).toHaveLength(1);
  });
});
