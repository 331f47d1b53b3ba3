/**
 * The console's record views, lists and reports in a real browser against the real local engines: a customer's
 * 360 (credit, statement, a timeline in the order things happened), an invoice with its lines, tax, documents and
 * payments, the lists across customers with filters, sorting and CSV, and the DSO and match-rate charts drawn from
 * the report job's aggregates; a viewer sees no action anywhere, and no page is seriously inaccessible.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addDays } from '#domain/dates';
import { camt053 } from '../support/camt053.ts';
import { mintDevToken } from '../../local/dev-tokens.ts';
import { baseUrl, batchWrite, eventually, getAs, invoicedOrder, newTestCustomer, sendAs, uniqueId, type InvoiceView } from '../integration/support.ts';
import { launchBrowser, screenshot, seriousViolations, signedIn } from './support/browser.ts';

type Invoice = InvoiceView & { dueDate: string; reference: string; pdfUrl: string | null };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const invoiceNow = async (id: string) => (await (await getAs('viewer', `/invoices/${id}`)).json()) as Invoice;
const businessDate = async () => ((await (await fetch(`${baseUrl()}/_local/clock`)).json()) as { now: string }).now.slice(0, 10);

/** Pays an invoice in full by a camt.053 file quoting its RF reference; waits until it is PAID. */
async function payByBankFile(invoice: Invoice) {
  const body = camt053({ statementId: uniqueId('VIEW'), account: 'DE02120300000000202051', openingMinor: 0, entries: [{ amountMinor: invoice.openMinor, bankReference: uniqueId('BR'), bookingDate: await businessDate(), remittance: invoice.reference }] });
  const response = await fetch(`${baseUrl()}/bank-files?name=views.xml`, { method: 'POST', headers: { authorization: `Bearer ${await mintDevToken('ar-clerk')}` }, body });
  expect(response.status).toBe(202);
  await eventually(async () => ((await invoiceNow(invoice.id)).status === 'PAID' ? true : undefined), 30_000);
}

/** Opens a console route in the signed-in tab and waits for its heading. */
async function openRoute(page: Page, route: string, heading: RegExp) {
  await page.goto(`${baseUrl()}/console/#${route}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.waitForLoadState('networkidle');
}

/** Buttons other than reading, paging, sorting, exporting, searching and signing out: a viewer must see none. */
async function actionButtons(page: Page): Promise<string[]> {
  const names = await page.getByRole('button').allTextContents();
  const sortHeadings = await page.locator('th button.sort').allTextContents();
  return names.map((name) => name.trim()).filter((name) => !sortHeadings.map((heading) => heading.trim()).includes(name) && !/^(Search|Sign out|Show|Next page|First page|Later events|Export CSV|Download statement PDF)$/.test(name));
}

describe('the customer 360 and the invoice view, as a viewer', () => {
  it('given a customer with an invoice promised and then paid, and one still open, then the timeline shows issue, promise and payment in that order, with credit, statement and its PDF; the invoice shows its payment', async () => {
    const customer = { ...newTestCustomer(), name: `Timeline ${uniqueId('T')}` };
    const paid = await invoiceNow((await invoicedOrder(1, customer)).id);
    const promised = await sendAs('ar-clerk', 'POST', `/invoices/${paid.id}/promises`, { date: addDays(await businessDate(), 10), amountMinor: paid.openMinor, note: 'paying next week' });
    expect(promised.status).toBe(201);
    await payByBankFile(paid);
    const open = await invoiceNow((await invoicedOrder(2, customer)).id);
    const third = await invoicedOrder(3, customer);
    expect(open.customerId).toBe(paid.customerId);

    const page = await signedIn(browser, baseUrl(), 'viewer');
    await openRoute(page, `/customers/${paid.customerId}`, /^Customer Timeline/);
    // Three orders' events are more than a page of history: the next page comes below the first.
    const firstPage = await page.locator('.timeline li').count();
    await page.getByRole('button', { name: 'Later events' }).click();
    await expect.poll(() => page.locator('.timeline li').count()).toBeGreaterThan(firstPage);

    const types = await page.locator('.timeline li').evaluateAll((items) => items.map((item) => `${item.getAttribute('data-event-type')}`));
    const issued = types.indexOf('InvoiceIssued');
    const promise = types.indexOf('PromiseToPayRecorded');
    const payment = types.indexOf('PaymentApplied');
    expect(issued).toBeGreaterThanOrEqual(0);
    expect(promise).toBeGreaterThan(issued);
    expect(payment).toBeGreaterThan(promise);
    const times = await page.locator('.timeline li time').evaluateAll((items) => items.map((item) => item.getAttribute('datetime') ?? ''));
    expect(times).toEqual([...times].sort());
    expect(await page.locator('.timeline li[data-event-type="PromiseToPayRecorded"]').textContent()).toContain('by dev-ar-clerk (a person)');
    await expect.poll(() => page.locator('[data-figure="credit-limit"]').textContent()).toMatch(/^\d+\.\d{2} EUR$/);
    expect(await page.locator('[data-figure="credit-hold"]').textContent()).toBe('no');
    await expect.poll(() => page.locator('table.open-items').textContent()).toContain(open.number);
    expect(await page.locator('table.ageing [data-figure="balance"]').textContent()).toBe(`${((open.openMinor + third.openMinor) / 100).toFixed(2)} EUR`);
    expect(await actionButtons(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-customer-360');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download statement PDF' }).click()]);
    expect(readFileSync((await download.path())!).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    await page.locator(`.timeline li[data-event-type="PaymentApplied"] a[href$="${paid.id}"]`).first().click();
    await page.getByRole('heading', { level: 1, name: new RegExp(`^Invoice ${paid.number}`) }).waitFor();
    await expect.poll(() => page.locator('table.payments tbody tr').count()).toBe(1);
    expect(await page.locator('table.payments tbody tr td').nth(4).textContent()).toBe(`${(paid.totalMinor / 100).toFixed(2)} EUR`);
    expect(await actionButtons(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);

    await page.locator('table.payments tbody tr a').click();
    await page.getByRole('heading', { level: 1, name: /^Payment / }).waitFor();
    await expect.poll(() => page.locator(`a[href$="/invoices/${paid.id}"]`).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('given an invoice of two units at 19 %, then its view shows the line, the tax breakdown and totals, and its PDF link answers with the PDF; its order and customer link to their views', async () => {
    const invoice = await invoiceNow((await invoicedOrder(2)).id);
    const page = await signedIn(browser, baseUrl(), 'viewer');

    await openRoute(page, `/invoices/${invoice.id}`, new RegExp(`^Invoice ${invoice.number}`));

    expect(await page.locator('table.lines tbody tr').count()).toBe(1);
    expect(await page.locator('table.lines tbody tr td').nth(3).textContent()).toBe('2');
    expect(await page.locator('table.tax-breakdown tbody tr').count()).toBe(1);
    expect(await page.locator('table.tax-breakdown tbody tr td').allTextContents()).toEqual(['S', '19 %', '39.98 EUR', '7.60 EUR']);
    expect(await page.locator('[data-figure="total"]').textContent()).toBe('47.58 EUR');
    const pdfUrl = await page.locator('a[data-document="pdf"]').getAttribute('href');
    const pdf = await fetch(pdfUrl!);
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await fetch((await page.locator('a[data-document="ubl"]').getAttribute('href'))!)).status).toBe(200);
    expect(await actionButtons(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-invoice');

    await page.getByRole('link', { name: invoice.customerId }).click();
    await page.getByRole('heading', { level: 1, name: /^Customer / }).waitFor();
    await page.goBack();
    await page.locator('dl.facts a[href*="/orders/"]').click();
    await page.getByRole('heading', { level: 1, name: /^Order / }).waitFor();
    await expect.poll(() => page.locator(`a[href$="/invoices/${invoice.id}"]`).count()).toBe(1);
    expect(await page.locator('[data-figure="total"]').textContent()).toBe('47.58 EUR');
    await expect.poll(() => page.locator('section[aria-labelledby="shipments-heading"] tr[data-event-type="OrderShipped"]').count()).toBe(1);
    expect(await actionButtons(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-order');
    await page.context().close();
  });
});

describe('the lists across customers', () => {
  it('given a customer with a unique name, when the customers list is filtered by its first letters, then it shows and links to its view; the page exports as CSV', async () => {
    const name = `Listed ${Math.random().toString(36).slice(2, 10)} GmbH`;
    const invoice = await invoicedOrder(1, { ...newTestCustomer(), name });
    const page = await signedIn(browser, baseUrl(), 'viewer');
    await page.getByRole('link', { name: 'Lists' }).click();
    await page.getByRole('heading', { level: 1, name: 'Lists: Invoices' }).waitFor();
    await page.getByRole('link', { name: 'Customers' }).click();

    await page.getByLabel('Name starts with').fill(name.slice(0, 14));
    await page.getByRole('button', { name: 'Show' }).click();

    const row = page.locator(`table.list tr[data-entity="${invoice.customerId}"]`);
    await expect.poll(() => page.locator('table.list tbody tr').count()).toBe(1);
    expect(await row.count()).toBe(1);
    expect(await actionButtons(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('customers.csv');
    const csv = readFileSync((await download.path())!, 'utf8').split('\n');
    expect(csv[0]).toMatch(/\bname\b/);
    expect(csv.filter((line) => line.includes(name))).toHaveLength(1);

    await row.getByRole('link', { name }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(`^Customer ${name}`) }).waitFor();
    await page.context().close();
  });

  it('given an open invoice, when the invoices list is filtered to its due date, then it shows (paging on), a column sorts the page, and every list renders', async () => {
    const invoice = await invoiceNow((await invoicedOrder(1)).id);
    const page = await signedIn(browser, baseUrl(), 'viewer');
    await openRoute(page, '/lists/invoices', /^Lists: Invoices/);

    await page.getByLabel('Due from').fill(invoice.dueDate);
    await page.getByLabel('Due to').fill(invoice.dueDate);
    await page.getByLabel('Currency').fill('EUR');
    await page.getByRole('button', { name: 'Show' }).click();
    // The filtered page is shown once every due date on it is the one asked for.
    const dueDates = () => page.locator('table.list tbody tr td:nth-child(6)').allTextContents();
    await expect.poll(async () => (await dueDates()).length > 0 && (await dueDates()).every((due) => due === invoice.dueDate)).toBe(true);
    const row = page.locator(`table.list tr[data-entity="${invoice.id}"]`);
    for (let pages = 2; pages < 40 && (await row.count()) === 0; pages++) {
      const next = page.getByRole('button', { name: 'Next page' });
      if ((await next.count()) === 0) break;
      await next.click();
      await expect.poll(() => page.locator('.pager span').textContent()).toBe(`Page ${pages}`);
    }
    expect(await row.count()).toBe(1);
    expect(await row.getByRole('link', { name: invoice.number }).count()).toBe(1);

    await page.getByRole('button', { name: 'Open' }).click();
    expect(await page.locator('th[aria-sort="ascending"]').textContent()).toContain('Open');
    await screenshot(page, 'console-lists');
    const open = await page.locator('table.list tbody tr td:nth-child(8)').allTextContents();
    expect(open.map((text) => Number(text.split(' ')[0]))).toEqual(open.map((text) => Number(text.split(' ')[0])).sort((a, b) => a - b));
    expect(await seriousViolations(page)).toEqual([]);

    for (const [tab, heading] of [['Orders', 'Lists: Orders'], ['Disputes', 'Lists: Disputes']] as const) {
      await page.getByRole('navigation', { name: 'Lists' }).getByRole('link', { name: tab }).click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.locator('[role="alert"]').count()).toBe(0);
      expect(await actionButtons(page)).toEqual([]);
      expect(await seriousViolations(page)).toEqual([]);
    }
    await page.context().close();
  });
});

/** A currency no other test books in: its month aggregates and AR snapshots are this test's alone. */
const SEEDED = 'DKK';
const SEEDED_MONTHS = [
  // month, days, credit sales, ending AR, current AR → DSO = AR ÷ sales × days, BPDSO = current ÷ sales × days
  ['2026-04', 30, 100_000, 150_000, 20_000],
  ['2026-05', 31, 100_000, 120_000, 20_000],
  ['2026-06', 30, 100_000, 90_000, 20_000],
  ['2026-07', 31, 100_000, 100_000, 20_000],
  ['2026-08', 31, 100_000, 80_000, 20_000],
  ['2026-09', 30, 100_000, 60_000, 20_000],
] as const;

const cash = (count: number, amountMinor: number) => ({ count, amountMinor });
function seededMonth([month, days, sales]: (typeof SEEDED_MONTHS)[number]) {
  return {
    PutRequest: {
      Item: {
        pk: `REPORT#${SEEDED}`,
        sk: `MONTH#${month}`,
        entityType: 'MonthFigures',
        currency: SEEDED,
        month,
        through: `${month}-${days}`,
        computedAt: `${month}-${days}T23:00:00.000Z`,
        creditSalesMinor: sales,
        invoicesIssued: cash(1, sales),
        creditNotesIssued: cash(0, 0),
        cash: {
          entries: cash(6, 600),
          autoApplied: cash(4, 350),
          straightThrough: cash(3, 300),
          lines: cash(4, 350),
          autoLines: cash(4, 350),
          byFormat: { camt053: { entries: cash(4, 400), autoApplied: cash(3, 250), straightThrough: cash(2, 200) }, mt940: { entries: cash(2, 200), autoApplied: cash(1, 100), straightThrough: cash(1, 100) } },
          byRule: { reference: cash(4, 350) },
          exceptions: { raised: 2, open: 0, resolved: 2, resolvedPerDay: [], ageAtResolution: { count: 0, seconds: [] }, openAge: { count: 0, seconds: [] } },
        },
        collections: { promises: { kept: 0, broken: 0, pending: 0, keptAmountMinor: 0, judgedAmountMinor: 0 }, disputes: { issued: cash(1, sales), disputed: cash(0, 0), resolvedIn: { count: 0, seconds: [] }, openFor: { count: 0, seconds: [] } }, reminders: [] },
        orders: { orders: 1, invoiced: 1, touchless: 1, cycle: { orderedToApproved: { count: 0, seconds: [] }, approvedToShipped: { count: 0, seconds: [] }, shippedToInvoiced: { count: 0, seconds: [] }, invoicedToPaid: { count: 0, seconds: [] }, orderedToPaid: { count: 0, seconds: [] } }, credit: { decided: 1, approved: 1, review: 0, rejected: 0, reviewApproved: 0, reviewRejected: 0, reviewPending: 0 } },
      },
    },
  };
}
const seededSnapshot = ([month, days, , ar, current]: (typeof SEEDED_MONTHS)[number]) => ({
  PutRequest: { Item: { pk: `REPORT#${SEEDED}`, sk: `AR#${month}-${days}`, entityType: 'ArSnapshot', currency: SEEDED, date: `${month}-${days}`, takenAt: `${month}-${days}T23:00:00.000Z`, openArMinor: ar, currentArMinor: current, invoices: 3 } },
});

describe('the reports', () => {
  it('given six months of report aggregates, when Reports shows them, then DSO and BPDSO by month and the match rate per bank format are drawn and tabled with the figures the API computes', async () => {
    await batchWrite(inject('o2cTable'), SEEDED_MONTHS.flatMap((row) => [seededMonth(row), seededSnapshot(row)]));
    const page = await signedIn(browser, baseUrl(), 'viewer');
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    await page.getByLabel('Currency').fill(SEEDED);
    await page.getByLabel('Up to month').fill('2026-09');
    await page.getByRole('button', { name: 'Show' }).click();

    const dsoChart = page.locator('[data-chart^="Days sales outstanding by month, DKK"] svg');
    await dsoChart.waitFor();
    expect(await dsoChart.locator('path').count()).toBeGreaterThan(0);
    const dso = await page.locator('table[data-figures="dso"] td[data-figure="dso"]').allTextContents();
    expect(dso).toEqual(['45.00', '37.20', '27.00', '31.00', '24.80', '18.00']);
    expect(await page.locator('table[data-figures="dso"] td[data-figure="bpdso"]').allTextContents()).toEqual(['6.00', '6.20', '6.00', '6.20', '6.20', '6.00']);
    const matchChart = page.locator('[data-chart^="Cash application match rate by bank format, DKK"] svg');
    await matchChart.waitFor();
    expect(await matchChart.locator('path').count()).toBeGreaterThan(0);
    expect(await page.locator('table[data-figures="match-rate"] tr[data-format="camt053"] td[data-figure="match-rate"]').textContent()).toBe('75.00 %');
    expect(await page.locator('table[data-figures="match-rate"] tr[data-format="mt940"] td[data-figure="match-rate"]').textContent()).toBe('50.00 %');
    expect(await actionButtons(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-reports');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('kpis-DKK-2026-04-2026-09.csv');

    await openRoute(page, '/reports', /^Reports$/);
    await page.locator('table[data-figures="dso"]').waitFor();
    expect(await page.locator('[role="alert"]').count()).toBe(0);
    await page.context().close();
  });
});

/** Search hits link to their views. */
describe('search', () => {
  it('given an invoice, when its number is searched, then the hit links to the invoice view', async () => {
    const invoice = await invoiceNow((await invoicedOrder(1)).id);
    const page = await signedIn(browser, baseUrl(), 'viewer');

    await page.getByLabel('Search', { exact: true }).fill(invoice.number);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator(`.hits a[href$="/invoices/${invoice.id}"]`).click();

    await page.getByRole('heading', { level: 1, name: new RegExp(`^Invoice ${invoice.number}`) }).waitFor();
    await page.context().close();
  });
});
