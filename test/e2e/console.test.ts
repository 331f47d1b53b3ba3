/**
 * The operator console in a real browser (Chromium via playwright-core) against the real local engines: sign in per
 * role, Today's worklists, figures and charts, a credit review decided in place with its effect checked through the
 * API, CSV export, search, a viewer who sees no actions, and no serious accessibility violations on each page.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, createProduct, eventually, getAs, newTestCustomer, orderByExternalId, orderInStatus, postOrder, uniqueId } from '../integration/support.ts';
import { genericOrder } from '../support/fixtures.ts';
import { launchBrowser, screenshot, seriousViolations, signedIn } from './support/browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A new customer's large first order, which the default credit policy holds for review. */
async function orderInCreditReview(): Promise<{ id: string; externalId: string }> {
  const sku = uniqueId('CON');
  await createProduct(sku, 5, 250_000);
  const order = genericOrder({ customer: newTestCustomer(), lines: [{ sku, quantity: 1, unitPriceMinor: 250_000, taxRatePercent: 19 }], shippingMinor: 0 });
  await postOrder(JSON.stringify(order));
  const stored = await eventually(async () => orderByExternalId(String(order.externalId)));
  await orderInStatus(String(stored.id), ['CREDIT_REVIEW']);
  return { id: String(stored.id), externalId: String(order.externalId) };
}

/** The worklist row of an entity, paging on (oldest first) until it shows. */
async function rowOf(page: Page, entityId: string) {
  const row = page.locator(`tr[data-entity="${entityId}"]`);
  for (let pages = 0; pages < 20 && (await row.count()) === 0; pages++) {
    const next = page.getByRole('button', { name: 'Next page' });
    if ((await next.count()) === 0) break;
    await next.click();
    await page.waitForLoadState('networkidle');
  }
  return row;
}

describe('the console, signed in as a viewer', () => {
  it('given a viewer, when Today opens, then every worklist shows with its count, the headline figures and the charts are drawn, and nothing is seriously inaccessible', async () => {
    const page = await signedIn(browser, baseUrl(), 'viewer');

    await expect.poll(() => page.locator('tr[data-worklist]').count()).toBe(10);
    await expect.poll(() => page.locator('[data-figure="open-ar"]').textContent()).toMatch(/^\d+\.\d{2} EUR$/);
    await page.locator('[data-chart^="Open receivables by days past due"] svg').waitFor();
    expect(await page.locator('[data-chart^="Open receivables by days past due"] svg path').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-today');
    await page.context().close();
  });

  it('given a viewer on the credit-review worklist, then the items show but no action does', async () => {
    const order = await orderInCreditReview();
    const page = await signedIn(browser, baseUrl(), 'viewer');

    await page.getByRole('link', { name: 'Credit reviews' }).click();
    const row = await rowOf(page, order.id);

    await expect.poll(() => row.count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });
});

describe('the console, signed in as a credit manager', () => {
  it('given an order in credit review, when the credit manager approves it with a reason, then the console says so, the item leaves the list and the API shows the order approved', async () => {
    const order = await orderInCreditReview();
    const page = await signedIn(browser, baseUrl(), 'credit-manager');
    await page.getByRole('link', { name: 'Credit reviews' }).click();
    const row = await rowOf(page, order.id);

    await row.getByLabel('Reason').fill('references checked by phone');
    await screenshot(page, 'console-credit-review');
    await row.getByRole('button', { name: 'Approve' }).click();

    await expect.poll(() => page.getByRole('status').textContent()).toContain(`Order ${order.id}: approved`);
    await expect.poll(() => page.locator(`tr[data-entity="${order.id}"]`).count()).toBe(0);
    const view = (await (await getAs('viewer', `/orders/${order.id}`)).json()) as { status: string };
    expect(view.status).not.toBe('CREDIT_REVIEW');
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('given the credit-review worklist, when exported, then the browser downloads the CSV the API gives', async () => {
    const page = await signedIn(browser, baseUrl(), 'credit-manager');
    await page.getByRole('link', { name: 'Credit reviews' }).click();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);

    expect(download.suggestedFilename()).toBe('credit-review.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/kind/);
    await page.context().close();
  });

  it('given an order, when its reference is searched from the box on the page, then it is found', async () => {
    const order = await orderInCreditReview();
    const page = await signedIn(browser, baseUrl(), 'credit-manager');

    await page.getByLabel('Search', { exact: true }).fill(order.externalId);
    await page.getByRole('button', { name: 'Search' }).click();

    await expect.poll(() => page.locator('.hits').textContent()).toContain('order');
    await page.context().close();
  });
});

describe('the console sign-in', () => {
  it('given a role that does not exist, when signing in locally, then 400 says which roles there are', async () => {
    const response = await fetch(`${baseUrl()}/console/login?role=owner`, { redirect: 'manual' });

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('viewer, ar-clerk, credit-manager, admin');
  });
});
