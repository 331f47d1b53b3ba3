/**
 * Every worklist worked in place in a real browser (Chromium via playwright-core) against the real local engines:
 * each situation is created for the test (through the API, or as the outside event that causes it arrives), worked
 * in the console by the role that may, and its effect checked through the API. A viewer sees the items and their
 * details but no action; every page is checked with axe-core with an item open.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { buckets, type Role } from '#shared/topology';
import { addDays } from '#domain/dates';
import { camt053 } from '../support/camt053.ts';
import { awsConfig, baseUrl, eventually, getAs, invoicedOrder, orderByExternalId, orderInStatus, sendAs, uniqueId } from '../integration/support.ts';
import { launchBrowser, screenshot, seriousViolations, signedIn } from './support/browser.ts';
import {
  backorderedOrder,
  bouncedInvoice,
  brokenPromise,
  businessDate,
  disputedInvoice,
  invoiceNow,
  json,
  namedCustomer,
  onWorklist,
  OUR_ACCOUNT,
  openDeduction,
  orderDeadLetter,
  orderOnHoldForRetiredSku,
  paymentFromNobody,
  paymentNow,
  paymentWithTwinCandidates,
  quarantinedCsv,
} from './support/situations.ts';

const TIMEOUT = 150_000;
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Signed in as `role` on the worklist `kind`. */
async function onList(role: Role, kind: string): Promise<Page> {
  const page = await signedIn(browser, baseUrl(), role);
  await page.goto(`${baseUrl()}/console/#/worklists/${kind}`);
  await page.locator('table.worklist, p:text("Nothing waiting.")').first().waitFor();
  return page;
}

/** The worklist row of an entity, paging on (oldest first) until it shows. */
async function rowOf(page: Page, entityId: string): Promise<Locator> {
  const row = page.locator(`tr[data-entity="${entityId}"]`);
  for (let pages = 0; pages < 40 && (await row.count()) === 0; pages++) {
    const next = page.getByRole('button', { name: 'Next page' });
    if ((await next.count()) === 0) break;
    await next.click();
    await page.waitForLoadState('networkidle');
  }
  await row.waitFor();
  return row;
}

/** Opens the item's panel (details below its row) and gives it. */
async function openPanel(page: Page, row: Locator, entityId: string): Promise<Locator> {
  await row.getByRole('button', { name: /^Open/ }).click();
  const panel = page.locator(`tr[data-panel-for="${entityId}"]`);
  await panel.waitFor();
  return panel;
}

const statusText = (page: Page) => page.locator('main > p[role="status"]').textContent();
const alertText = (page: Page) => page.locator('main > p[role="alert"]').textContent();
const gone = (page: Page, entityId: string) => page.locator(`tr[data-entity="${entityId}"]`).count();

describe('unmatched payments', () => {
  it(
    'given a payment with two equally likely invoices, when an ar-clerk opens it, sees why each is a candidate and allocates it to one, then the payment is applied, that invoice paid, and the payment leaves the list',
    async () => {
      const { invoices, paymentId } = await paymentWithTwinCandidates();
      const [chosen, other] = invoices as [(typeof invoices)[number], (typeof invoices)[number]];
      const page = await onList('ar-clerk', 'unmatched-payments');
      const row = await rowOf(page, paymentId);

      const panel = await openPanel(page, row, paymentId);
      await expect.poll(() => panel.locator('table.candidates tbody tr').count()).toBe(2);
      expect(await panel.locator(`tr[data-invoice="${chosen.id}"]`).textContent()).toContain('same payer, same open amount');
      await panel.getByLabel(`Allocate to ${chosen.number}`).check();
      await expect.poll(() => panel.locator('[data-allocation-total]').textContent()).toContain('23.79 EUR of 23.79 EUR allocated');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'console-allocate-payment');
      await panel.getByRole('button', { name: 'Allocate', exact: true }).click();

      await expect.poll(() => statusText(page)).toContain(`23.79 EUR allocated to ${chosen.number}`);
      await expect.poll(() => gone(page, paymentId)).toBe(0);
      expect(await paymentNow(paymentId)).toMatchObject({ status: 'APPLIED', unappliedMinor: 0, allocations: [{ invoiceId: chosen.id, amountMinor: 2_379, rule: 'manual' }] });
      expect(await invoiceNow(chosen.id)).toMatchObject({ status: 'PAID', openMinor: 0 });
      expect(await invoiceNow(other.id)).toMatchObject({ openMinor: 2_379 });
      expect(await onWorklist('unmatched-payments', paymentId)).toBe(false);
      await page.context().close();
    },
    TIMEOUT,
  );

  it(
    'given a payment nobody can match, when an ar-clerk splits it over two invoices found by number with a small write-off (a too large one refused first) and remembers the payer, then both invoices are paid, the write-off recorded, and the payer matched automatically next time',
    async () => {
      const customer = namedCustomer();
      const first = await invoicedOrder(1, customer);
      const second = await invoicedOrder(1, customer);
      const third = await invoicedOrder(1, customer);
      const { paymentId, payerAccount } = await paymentFromNobody(2_379 + 2_279);
      const page = await onList('ar-clerk', 'unmatched-payments');
      const panel = await openPanel(page, await rowOf(page, paymentId), paymentId);
      await expect.poll(() => panel.textContent()).toContain('No candidates');

      for (const invoice of [first, second]) {
        await panel.getByLabel('Another invoice (number)').fill(invoice.number);
        await panel.getByRole('button', { name: 'Add invoice' }).click();
        await panel.locator(`tr[data-invoice="${invoice.id}"]`).waitFor();
      }
      await panel.getByLabel(`Amount for ${second.number}`).fill('22.79');
      await panel.getByLabel(`Write-off on ${second.number}`).fill('60.00');
      await panel.getByLabel('Write-off reason').fill('bank charges');
      await panel.getByLabel('Note').fill('customer called');
      expect(await panel.getByLabel("Remember the payer's account for this customer").isChecked()).toBe(true);
      await panel.getByRole('button', { name: 'Allocate', exact: true }).click();
      await expect.poll(() => alertText(page)).toMatch(/write-offs above .* need a credit manager/);
      expect(await paymentNow(paymentId)).toMatchObject({ status: 'UNMATCHED' });

      await panel.getByLabel(`Write-off on ${second.number}`).fill('1.00');
      expect(await seriousViolations(page)).toEqual([]);
      await panel.getByRole('button', { name: 'Allocate', exact: true }).click();

      await expect.poll(() => statusText(page)).toContain(`46.58 EUR allocated to ${first.number}, ${second.number}, 1.00 EUR written off`);
      await expect.poll(() => gone(page, paymentId)).toBe(0);
      expect(await paymentNow(paymentId)).toMatchObject({
        status: 'APPLIED',
        unappliedMinor: 0,
        allocations: [
          { invoiceId: first.id, amountMinor: 2_379 },
          { invoiceId: second.id, amountMinor: 2_279 },
        ],
        adjustments: [{ invoiceId: second.id, kind: 'write-off', amountMinor: 100 }],
      });
      expect(await invoiceNow(first.id)).toMatchObject({ status: 'PAID', openMinor: 0 });
      expect(await invoiceNow(second.id)).toMatchObject({ status: 'PAID', openMinor: 0 });
      // The payer's account was learned: the next transfer from it pays the customer's only 23.79 invoice by itself.
      const next = await paymentFromNobody(2_379, payerAccount);
      expect(await paymentNow(next.paymentId)).toMatchObject({ status: 'APPLIED', allocations: [{ invoiceId: third.id, rule: 'amount-exact' }] });
      await page.context().close();
    },
    TIMEOUT,
  );
});

describe('disputes', () => {
  it(
    'given a disputed invoice, when an ar-clerk resolves it by a credit note with a reason, then a credit note is issued for what was open, the invoice is credited and it leaves the list',
    async () => {
      const { invoice } = await disputedInvoice();
      const page = await onList('ar-clerk', 'disputes');
      const row = await rowOf(page, invoice.id);

      await row.getByLabel('Reason').fill('price list was out of date');
      expect(await seriousViolations(page)).toEqual([]);
      await row.getByRole('button', { name: 'Resolve by credit note' }).click();

      await expect.poll(() => statusText(page)).toMatch(new RegExp(`${invoice.number} disputed: resolved by credit note \\S+ of 23.79 EUR; the invoice is CREDITED`));
      await expect.poll(() => gone(page, invoice.id)).toBe(0);
      const after = await invoiceNow(invoice.id);
      expect(after).toMatchObject({ status: 'CREDITED', openMinor: 0 });
      expect(after.creditNoteIds).toHaveLength(1);
      await page.context().close();
    },
    TIMEOUT,
  );

  it(
    'given a disputed invoice, when an ar-clerk rejects the dispute with a reason, then the invoice is open again and leaves the list; a reason too short is refused in the API’s words',
    async () => {
      const { invoice } = await disputedInvoice();
      const page = await onList('ar-clerk', 'disputes');
      const row = await rowOf(page, invoice.id);

      await row.getByLabel('Reason').fill('no');
      await row.getByRole('button', { name: 'Reject dispute' }).click();
      await expect.poll(() => alertText(page)).toMatch(/^invalid request body: reason: /);
      await row.getByLabel('Reason').fill('the price list was agreed');
      await row.getByRole('button', { name: 'Reject dispute' }).click();

      await expect.poll(() => statusText(page)).toContain(`${invoice.number} disputed: dispute rejected (the price list was agreed); the invoice is OPEN`);
      await expect.poll(() => gone(page, invoice.id)).toBe(0);
      expect(await invoiceNow(invoice.id)).toMatchObject({ status: 'OPEN', openMinor: 2_379 });
      await page.context().close();
    },
    TIMEOUT,
  );
});

describe('broken promises', () => {
  it('given an invoice whose promise to pay was broken, when an ar-clerk records a new promise, then the invoice carries it and it leaves the list', async () => {
    const invoice = await brokenPromise();
    const date = addDays(await businessDate(), 7);
    const page = await onList('ar-clerk', 'broken-promises');
    const row = await rowOf(page, invoice.id);

    await row.getByLabel('Promised date').fill(date);
    await row.getByLabel('Amount (EUR)').fill('20.00');
    await row.getByLabel('Note').fill('new promise by phone');
    expect(await seriousViolations(page)).toEqual([]);
    await row.getByRole('button', { name: 'Record promise' }).click();

    await expect.poll(() => statusText(page)).toContain(`${invoice.number}: promise of 20.00 EUR by ${date} recorded; dunning resumes ${addDays(date, 1)}`);
    await expect.poll(() => gone(page, invoice.id)).toBe(0);
    expect((await invoiceNow(invoice.id)).dunning?.promise).toMatchObject({ date, amountMinor: 2_000 });
    expect(await onWorklist('broken-promises', invoice.id)).toBe(false);
    await page.context().close();
  }, TIMEOUT);
});

describe('orders on hold', () => {
  it('given an order held for a SKU no longer sold, when an ar-clerk rechecks it before and after the SKU is sold again, then it stays with the reason, then it is released and leaves the list', async () => {
    const { orderId, sku, sellAgain } = await orderOnHoldForRetiredSku();
    const page = await onList('ar-clerk', 'on-hold');
    const row = await rowOf(page, orderId);
    expect(await seriousViolations(page)).toEqual([]);

    await row.getByRole('button', { name: 'Recheck and release' }).click();
    await expect.poll(() => statusText(page)).toContain(`Order ${orderId}: still on hold (lines[0]: SKU ${sku} is no longer sold)`);
    expect(await gone(page, orderId)).toBe(1);

    await sellAgain();
    await page.locator(`tr[data-entity="${orderId}"]`).getByRole('button', { name: 'Recheck and release' }).click();

    await expect.poll(() => statusText(page)).toContain(`Order ${orderId}: released (RECEIVED)`);
    await expect.poll(() => gone(page, orderId)).toBe(0);
    expect(await orderInStatus(orderId, ['AWAITING_SHIPMENT'])).toMatchObject({ holdReasons: [] });
    await page.context().close();
  }, TIMEOUT);
});

describe('deductions', () => {
  it('given a payment short by 10.00 for damaged goods, when an ar-clerk accepts the deduction by a write-off, then the invoice is paid and the deduction leaves the list', async () => {
    const { invoice, deductionId } = await openDeduction();
    const page = await onList('ar-clerk', 'deductions');
    const row = await rowOf(page, deductionId);

    await row.getByLabel('Reason').fill('two units arrived broken');
    await row.getByLabel('Accept by').selectOption('write-off');
    expect(await seriousViolations(page)).toEqual([]);
    await row.getByRole('button', { name: 'Accept deduction' }).click();

    await expect.poll(() => statusText(page)).toContain(`Deduction ${deductionId} (10.00 EUR): accepted by write-off`);
    await expect.poll(() => gone(page, deductionId)).toBe(0);
    expect(await invoiceNow(invoice.id)).toMatchObject({ status: 'PAID', openMinor: 0 });
    const accepted = await json<{ items: { id: string; status: string }[] }>(getAs('viewer', '/deductions?status=accepted&limit=100'));
    expect(accepted.items.find((deduction) => deduction.id === deductionId)?.status).toBe('ACCEPTED');
    await page.context().close();
  }, TIMEOUT);
});

describe('failed emails', () => {
  it('given an invoice email that bounced, when an ar-clerk opens it, corrects the customer’s address and retries the email (the entry’s resolve route), then one email goes to the new address, the email is SENT and it leaves the list', async () => {
    const invoice = await bouncedInvoice();
    const address = `fixed-${Date.now()}@buyer.example`;
    const page = await onList('ar-clerk', 'email-failures');
    const panel = await openPanel(page, await rowOf(page, invoice.id), invoice.id);

    await expect.poll(() => panel.textContent()).toContain('BOUNCED after 1 attempt: bounce: smtp; 550 5.1.1 user unknown');
    await panel.getByLabel("Customer's email address").fill(address);
    expect(await seriousViolations(page)).toEqual([]);
    await panel.getByRole('button', { name: 'Save address' }).click();
    await expect.poll(() => statusText(page)).toContain(`email address changed to ${address}. Retry the email to send it there.`);
    expect(await json<{ email: string }>(getAs('viewer', `/customers/${invoice.customerId}`))).toMatchObject({ email: address });
    expect(await onWorklist('email-failures', invoice.id)).toBe(true);

    await panel.getByRole('button', { name: 'Retry email' }).click();

    await expect.poll(() => statusText(page)).toContain(`${invoice.number}: email sent again to ${address} (attempt 2); it has left this list.`);
    await expect.poll(() => gone(page, invoice.id)).toBe(0);
    expect(await invoiceNow(invoice.id)).toMatchObject({ email: { status: 'SENT', attempts: 2 } });
    expect(await onWorklist('email-failures', invoice.id)).toBe(false);
    const { emails } = await json<{ emails: { subject: string; destination: { to: string[] }; attachments: { filename: string }[] }[] }>(fetch(`${baseUrl()}/_local/emails`));
    const resent = emails.filter((email) => email.subject.includes(invoice.number) && email.destination.to.includes(address));
    expect(resent).toHaveLength(1);
    expect(resent[0]!.attachments.map((attachment) => attachment.filename).sort()).toEqual([`${invoice.number}.pdf`, `${invoice.number}.xml`]);
    await page.context().close();
  }, TIMEOUT);
});

describe('quarantined bank files', () => {
  it('given a CSV file quarantined for want of a column profile, when an ar-clerk reads its quarantine report (the reason, the place in the file, where the file is kept) and uploads it again before and after the profile is saved, then first the API’s reason, then it is applied and leaves the list', async () => {
    const fixture = (name: string) => readFileSync(new URL(`../fixtures/bank/csv/${name}`, import.meta.url), 'utf8');
    const file = await quarantinedCsv(fixture);
    await eventually(async () => ((await onWorklist('quarantined-files', file.sha256)) ? true : undefined), 30_000);
    const page = await onList('ar-clerk', 'quarantined-files');
    const panel = await openPanel(page, await rowOf(page, file.sha256), file.sha256);

    // The quarantine report, as GET /bank-files/{sha256} (the entry's details) gives it: the reason, the place, where the file is kept.
    const record = await json<{ error: { message: string; location?: string }; quarantinedAs: string }>(getAs('viewer', `/bank-files/${file.sha256}`));
    expect(record.quarantinedAs).toMatch(new RegExp(`^quarantine/csv/${file.account}/.+/ing\\.csv$`));
    await expect.poll(() => panel.locator('[data-reason]').textContent()).toContain(`no CSV column profile is saved for account ${file.account}`);
    expect(await panel.locator('[data-reason]').textContent()).toBe(record.error.message);
    // Inferring a profile fails for the file as a whole: the report names no place (a statement that does not add up does, below).
    expect(await panel.locator('[data-location]').textContent()).toBe(record.error.location ?? 'not said');
    expect(await panel.locator('[data-kept]').textContent()).toContain(record.quarantinedAs);
    expect(await panel.getByLabel('Account (CSV files)').inputValue()).toBe(file.account);
    await panel.getByLabel('Bank file').setInputFiles({ name: 'ing.csv', mimeType: 'text/csv', buffer: Buffer.from(file.text) });
    expect(await seriousViolations(page)).toEqual([]);
    await panel.getByRole('button', { name: 'Upload again' }).click();
    await expect.poll(() => alertText(page)).toContain(`not a readable bank file`);

    expect((await sendAs('admin', 'PUT', `/bank-accounts/${file.account}/csv-profile`, file.profile)).status).toBe(200);
    await panel.getByRole('button', { name: 'Upload again' }).click();

    await expect.poll(() => statusText(page), { timeout: 40_000 }).toContain('ing.csv received again (csv, 1 statement) and applied: it has left the quarantine');
    await expect.poll(() => gone(page, file.sha256)).toBe(0);
    expect(await onWorklist('quarantined-files', file.sha256)).toBe(false);
    await page.context().close();
  }, TIMEOUT);
  it('given a statement that does not add up, dropped by the bank, when a viewer opens its quarantine report, then the reason, the statement it is in and where the file is kept show, and no upload', async () => {
    const run = uniqueId('cwq');
    const key = `inbound/${run}/unbalanced.xml`;
    const good = camt053({ statementId: run, account: OUR_ACCOUNT, openingMinor: 0, entries: [{ amountMinor: 500, bankReference: `${run}-1`, bookingDate: '2026-11-20' }] });
    const text = good.replace('<Amt Ccy="EUR">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt>', '<Amt Ccy="EUR">6.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt>');
    const sha256 = createHash('sha256').update(text).digest('hex');
    await new S3Client({ ...awsConfig('s3'), forcePathStyle: true }).send(new PutObjectCommand({ Bucket: buckets.bankFiles.localName, Key: key, Body: text }));
    await eventually(async () => ((await onWorklist('quarantined-files', sha256)) ? true : undefined), 30_000);
    const page = await onList('viewer', 'quarantined-files');
    const panel = await openPanel(page, await rowOf(page, sha256), sha256);

    await expect.poll(() => panel.locator('[data-reason]').textContent()).toContain('≠ closing 600');
    expect(await panel.locator('[data-location]').textContent()).toBe(`statement ${run}`);
    expect(await panel.locator('[data-kept]').textContent()).toContain(`quarantine/${run}/unbalanced.xml`);
    expect(await panel.locator('code').first().textContent()).toBe(key);
    expect(await panel.locator('input').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  }, TIMEOUT);
});

describe('dead letters', () => {
  it('given an order message intake gave up on, when an admin looks at the sampled messages and redrives the queue, then the messages go back and the order is stored', async () => {
    const { externalId } = await orderDeadLetter();
    const clerk = await onList('ar-clerk', 'dead-letters');
    await rowOf(clerk, 'orders-dlq');
    expect(await clerk.getByRole('button', { name: /^Redrive/ }).count()).toBe(0);
    await clerk.context().close();

    const page = await onList('admin', 'dead-letters');
    const row = await rowOf(page, 'orders-dlq');
    const panel = await openPanel(page, row, 'orders-dlq');
    await expect.poll(() => panel.textContent()).toContain(externalId);
    expect(await seriousViolations(page)).toEqual([]);
    await row.getByRole('button', { name: 'Redrive orders-dlq' }).click();

    await expect.poll(() => statusText(page)).toMatch(/orders-dlq: \d+ messages? moved back to the orders queue/);
    const stored = await eventually(async () => orderByExternalId(externalId), 30_000);
    expect(stored.externalId).toBe(externalId);
    await page.context().close();
  }, TIMEOUT);
});

describe('backordered orders', () => {
  it('given an order waiting for stock, when anyone opens it, then it shows what it waits for and offers no action', async () => {
    const { orderId, sku } = await backorderedOrder();
    const page = await onList('admin', 'backordered');
    const row = await rowOf(page, orderId);
    const panel = await openPanel(page, row, orderId);

    const line = panel.locator(`tr[data-sku="${sku}"]`);
    await expect.poll(() => line.locator('td').allTextContents()).toEqual([sku, expect.any(String), '3', '0', '1 (on hand 1)']);
    expect(await panel.textContent()).toContain(`not enough ${sku} available for 3 units`);
    expect(await row.locator('td').last().textContent()).toBe('');
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  }, TIMEOUT);
});

describe('a viewer', () => {
  const actionNames = /^(Approve|Reject|Allocate|Add invoice|Resolve by credit note|Reject dispute|Record promise|Recheck and release|Accept deduction|Reject deduction|Save address|Retry email|Upload again|Redrive)/;

  it('given items on every kind of list, when a viewer opens each list (and an unmatched payment), then the items and details show but no action does', async () => {
    const [{ paymentId }, { invoice: disputed }, held] = await Promise.all([paymentWithTwinCandidates(), disputedInvoice(), orderOnHoldForRetiredSku()]);
    const page = await signedIn(browser, baseUrl(), 'viewer');
    const lists = ['credit-review', 'on-hold', 'backordered', 'unmatched-payments', 'deductions', 'disputes', 'broken-promises', 'email-failures', 'quarantined-files', 'dead-letters'];
    for (const kind of lists) {
      await page.goto(`${baseUrl()}/console/#/worklists/${kind}`);
      await page.locator('table.worklist, p:text("Nothing waiting.")').first().waitFor();
      if (kind === 'disputes') await rowOf(page, disputed.id);
      if (kind === 'on-hold') await rowOf(page, held.orderId);
      if (kind === 'unmatched-payments') {
        const panel = await openPanel(page, await rowOf(page, paymentId), paymentId);
        await expect.poll(() => panel.locator('table.candidates tbody tr').count()).toBe(2);
        expect(await panel.locator('input').count()).toBe(0);
        expect(await seriousViolations(page)).toEqual([]);
      }
      expect(await page.getByRole('button', { name: actionNames }).count(), kind).toBe(0);
      expect(await page.locator('td input, td select').count(), kind).toBe(0);
    }
    await page.context().close();
  }, TIMEOUT);
});
