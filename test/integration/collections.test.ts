import { describe, expect, it } from 'vitest';
import { addDays } from '#domain/dates';
import { defaultDunningPolicy, type DunningPolicy } from '#domain/dunning';
import { camt053 } from '../support/camt053.ts';
import { genericOrder } from '../support/fixtures.ts';
import { mintDevToken } from '../../local/dev-tokens.ts';
import { baseUrl, eventually, getAs, invoicedOrder, itemsMentioning, newTestCustomer, orderByExternalId, orderInStatus, postOrder, sendAs, uniqueId, useLocalFunctionEnvironment, type InvoiceView } from './support.ts';

type Invoice = InvoiceView & { dueDate: string; reference: string };

const invoiceNow = async (id: string) => (await (await getAs('viewer', `/invoices/${id}`)).json()) as Invoice;
const customerNow = async (id: string) => (await (await getAs('viewer', `/customers/${id}`)).json()) as { onCreditHold: boolean; creditHoldReason?: string; exposureMinor: number };
const businessDate = async () => ((await (await fetch(`${baseUrl()}/_local/clock`)).json()) as { now: string }).now.slice(0, 10);
const advanceOneDay = async () => {
  const response = await fetch(`${baseUrl()}/_local/clock`, { method: 'POST', body: JSON.stringify({ advanceDays: 1 }) });
  expect(response.status).toBe(200);
};

/** Pays an invoice in full by a camt.053 file quoting its RF reference, uploaded as an ar-clerk; waits until it is PAID. */
async function payByBankFile(invoice: Invoice, bookingDate: string) {
  const body = camt053({ statementId: uniqueId('DUN'), account: 'DE02120300000000202051', openingMinor: 0, entries: [{ amountMinor: invoice.openMinor, bankReference: uniqueId('BR'), bookingDate, remittance: invoice.reference }] });
  const response = await fetch(`${baseUrl()}/bank-files?name=pay.xml`, { method: 'POST', headers: { authorization: `Bearer ${await mintDevToken('ar-clerk')}` }, body });
  expect(response.status).toBe(202);
  await eventually(async () => ((await invoiceNow(invoice.id)).status === 'PAID' ? true : undefined), 30_000);
}

const policy: DunningPolicy = {
  ...defaultDunningPolicy,
  levels: [
    { name: 'friendly reminder', offsetDays: -3, tone: 'friendly' },
    { name: 'first reminder', offsetDays: 1, tone: 'reminder' },
    { name: 'second reminder', offsetDays: 7, tone: 'reminder' },
    { name: 'firm reminder', offsetDays: 14, tone: 'firm' },
    { name: 'final notice and credit hold', offsetDays: 21, tone: 'final', creditHold: true, lateFeeMinor: { EUR: 500 } },
  ],
};

describe('collections policy and promises: bad input', () => {
  it('given levels out of order, when saved, then 400 names the level and the policy in force is unchanged', async () => {
    const before = await (await getAs('viewer', '/dunning-policy')).json();
    const response = await sendAs('admin', 'PUT', '/dunning-policy', { ...policy, levels: [policy.levels[1], policy.levels[0]] });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/levels\[1\]\.offsetDays: levels must be in increasing order/);
    expect(await (await getAs('viewer', '/dunning-policy')).json()).toEqual(before);
  });
});

describe('collections over 60 simulated days', () => {
  it('given one customer with an unpaid, a paid, a disputed and a promised invoice, when the days pass, then reminders go out exactly at the offsets for the unpaid one only, once a day at most, and the hold level holds credit until it is paid', async () => {
    expect((await sendAs('admin', 'PUT', '/dunning-policy', policy)).status).toBe(200);
    const customer = newTestCustomer();
    const ids: string[] = [];
    for (let count = 0; count < 4; count++) ids.push((await invoicedOrder(1, customer)).id);
    const [unpaid, paidEarly, disputed, promised] = (await Promise.all(ids.map(invoiceNow))) as [Invoice, Invoice, Invoice, Invoice];
    const customerId = unpaid.customerId;
    expect(new Set([paidEarly.customerId, disputed.customerId, promised.customerId])).toEqual(new Set([customerId]));
    const due = unpaid.dueDate;

    expect((await sendAs('ar-clerk', 'POST', `/invoices/${disputed.id}/disputes`, { reasonCode: 'damaged', note: 'arrived broken' })).status).toBe(201);
    const badPromises = await Promise.all([
      sendAs('ar-clerk', 'POST', `/invoices/${promised.id}/promises`, { date: addDays(await businessDate(), -1), amountMinor: 100 }),
      sendAs('ar-clerk', 'POST', `/invoices/${promised.id}/promises`, { date: addDays(due, 20), amountMinor: promised.openMinor + 1 }),
    ]);
    expect(badPromises.map((response) => response.status)).toEqual([400, 400]);
    expect((await sendAs('ar-clerk', 'POST', `/invoices/${promised.id}/promises`, { date: addDays(due, 20), amountMinor: promised.openMinor })).status).toBe(201);

    for (let day = 1; day <= 60; day++) {
      await advanceOneDay();
      const today = await businessDate();
      if (today === addDays(due, -10)) await payByBankFile(paidEarly, today);
      if (today === addDays(due, 19)) await payByBankFile(promised, today);
    }

    const runs = (await itemsMentioning(`DUNNINGRUN#`)).filter((item) => item.customerId === customerId) as { date: string; reminders: { invoiceId: string; levelName: string }[] }[];
    expect(runs.map((run) => run.date).sort()).toEqual(policy.levels.map((level) => addDays(due, level.offsetDays)));
    for (const run of runs) expect(run.reminders.map((reminder) => reminder.invoiceId)).toEqual([unpaid.id]);
    const { emails } = (await (await fetch(`${baseUrl()}/_local/emails`)).json()) as { emails: { subject: string; destination: { to: string[] } }[] };
    expect(emails.filter((email) => email.destination.to.includes(customer.email) && !email.subject.startsWith('Invoice'))).toHaveLength(policy.levels.length);
    const history = (id: string) => getAs('viewer', `/invoices/${id}`).then(async (response) => ((await response.json()) as { history: { type: string }[] }).history.map((event) => event.type));
    expect((await history(unpaid.id)).filter((type) => type === 'DunningReminderSent')).toHaveLength(policy.levels.length);
    expect(await history(promised.id)).toEqual(expect.arrayContaining(['PromiseToPayRecorded', 'PaymentApplied']));
    expect(await history(promised.id)).not.toContain('DunningReminderSent');
    const held = await customerNow(customerId);
    expect(held.onCreditHold).toBe(true);
    expect(held.creditHoldReason).toContain('dunning');

    // A second run on the same business day sends nothing.
    useLocalFunctionEnvironment();
    const { handler } = await import('../../functions/run-dunning/handler.ts');
    const rerun = (await handler({ schedule: 'DailyDunning', scheduledTime: new Date(Date.parse(`${await businessDate()}T12:00:00Z`)).toISOString() }, {} as never)) as { reminders: number; emails: number };
    expect(rerun).toMatchObject({ reminders: 0, emails: 0 });

    // On hold, the next order is rejected by the credit step.
    const order = genericOrder({ customer, lines: [{ sku: 'WIDGET-1', quantity: 1, unitPriceMinor: 1999, taxRatePercent: 19 }] });
    await postOrder(JSON.stringify(order));
    const stored = await eventually(async () => orderByExternalId(String(order.externalId)));
    await orderInStatus(String(stored.id), ['REJECTED']);

    // Paying what is overdue releases the hold.
    await payByBankFile(await invoiceNow(unpaid.id), await businessDate());
    expect((await customerNow(customerId)).onCreditHold).toBe(false);
    expect(await invoiceNow(disputed.id)).toMatchObject({ status: 'DISPUTED' });
  }, 600_000);
});
