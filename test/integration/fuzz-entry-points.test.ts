import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signBase64Hmac } from '#domain/store-signatures';
import { signGenericWebhook } from '#domain/webhook-signature';
import { repoRoot } from '#shared/state-machine-definitions';
import { secrets } from '#shared/topology';
import { Random } from '../support/cash-ledger.ts';
import { camt053 } from '../support/camt053.ts';
import { genericOrder } from '../support/fixtures.ts';
import { mutate, randomJson, randomText, systematicMutations } from '../support/fuzz.ts';
import { mintDevToken } from '../../local/dev-tokens.ts';
import { baseUrl, createProduct, eventually, getAs, itemsMentioning, orderByExternalId, orderInStatus, postOrder, uniqueId } from './support.ts';

/**
 * Seeded fuzzing of every entry point a client's bytes reach: the generic, Shopify and WooCommerce webhooks, carrier
 * shipments and bank-file uploads. Random text, random JSON and real payloads with one place made hostile, all
 * correctly signed so that the parsers, not the signature check, meet them. Whatever arrives: never a 5xx; a refused
 * request leaves no item behind; an accepted order is processed to a state a person can see. `O2C_FUZZ_CASES` raises
 * the count per entry point (the suite runs a few dozen; `O2C_FUZZ_CASES=2000 npx vitest run --project integration
 * test/integration/fuzz-entry-points.test.ts` for a long run).
 */
const CASES = Number(process.env.O2C_FUZZ_CASES ?? 40);
const SETTLED = ['ON_HOLD', 'CREDIT_REVIEW', 'REJECTED', 'BACKORDERED', 'AWAITING_SHIPMENT', 'CANCELLED'];
const fixture = (path: string) => JSON.parse(readFileSync(join(repoRoot, 'test/fixtures', path), 'utf8')) as Record<string, unknown>;

interface Outcome {
  marker: string | undefined;
  status: number;
  body: string;
}

async function post(path: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const response = await fetch(`${baseUrl()}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: await response.text() };
}

const signedGeneric = (body: string) => ({ 'x-o2c-signature': signGenericWebhook(body, secrets.webhook.devDefault, Math.floor(Date.now() / 1000)) });

/** Every case answered below 500, with what was sent when not. */
function expectNoServerErrors(outcomes: Outcome[], sent: string[]) {
  const failures = outcomes.flatMap((outcome, index) => (outcome.status >= 500 ? [`${outcome.status} ${outcome.body.slice(0, 200)} for ${sent[index]!.slice(0, 300)}`] : []));
  expect(failures, failures.join('\n')).toEqual([]);
}

/** Refused cases whose marker some table item still mentions: a partial write. */
async function expectNothingWrittenFor(refused: string[]) {
  if (refused.length === 0) return;
  const left = await itemsMentioning(refused[0]!.split('#')[0]!);
  const partial = refused.filter((marker) => left.some((item) => JSON.stringify(item).includes(`"${marker}"`)));
  expect(partial, `refused but written: ${partial.join(', ')}`).toEqual([]);
}

describe('fuzzing the entry points', () => {
  it(`given ${CASES} hostile generic orders (mutated real payloads, random JSON, random text), when posted signed, then never a 5xx, nothing written for a refusal, every accepted order processed`, async () => {
    const random = new Random(7011);
    const run = uniqueId('FZG');
    const sku = `${run}-SKU`;
    await createProduct(sku, 1_000, 1999);
    const sent: string[] = [];
    const outcomes: Outcome[] = [];
    for (let index = 0; index < CASES; index++) {
      const externalId = `${run}#${index}`;
      const base = genericOrder({ externalId, lines: [{ sku, quantity: 2, unitPriceMinor: 1999, taxRatePercent: 19, description: 'Widget' }] });
      const kind = index % 4;
      const body = kind === 0 ? randomText(random, random.int(0, 300)) : kind === 1 ? JSON.stringify(randomJson(random)) : JSON.stringify(mutate(random, base).mutated);
      sent.push(body);
      outcomes.push({ marker: body.includes(externalId) ? externalId : undefined, ...(await post('/webhooks/orders', body, signedGeneric(body))) });
    }
    expectNoServerErrors(outcomes, sent);
    await expectNothingWrittenFor(outcomes.filter((outcome) => outcome.status >= 400 && outcome.marker).map((outcome) => outcome.marker!));
    const accepted = outcomes.filter((outcome) => outcome.status === 202 && outcome.marker && JSON.parse(outcome.body).status === 'accepted');
    for (const { marker } of accepted) {
      await eventually(async () => {
        const { items } = (await (await getAs('viewer', `/orders?source=generic&externalId=${encodeURIComponent(marker!)}`)).json()) as { items: { status: string }[] };
        return items[0] && SETTLED.includes(items[0].status) ? true : undefined;
      }, 30_000);
    }
  }, 300_000);

  it('given a real generic order with every string and number field made hostile in turn, when posted signed, then never a 5xx, nothing written for a refusal, every accepted order processed', async () => {
    const run = uniqueId('FZX');
    const sku = `${run}-SKU`;
    await createProduct(sku, 100_000, 1999);
    const base = genericOrder({ externalId: 'MARKER', lines: [{ sku, quantity: 2, unitPriceMinor: 1999, taxRatePercent: 19, description: 'Widget' }] });
    const cases = systematicMutations(base).filter(({ where }) => !where.startsWith('externalId=') && !where.startsWith('lines.0.sku=') && !where.startsWith('currency='));
    const sent: string[] = [];
    const outcomes: Outcome[] = [];
    for (const [index, { mutated, where }] of cases.entries()) {
      const externalId = `${run}#${index}`;
      const body = JSON.stringify({ ...(mutated as object), externalId });
      sent.push(`${where}: ${body}`);
      outcomes.push({ marker: externalId, ...(await post('/webhooks/orders', body, signedGeneric(body))) });
    }
    expectNoServerErrors(outcomes, sent);
    await expectNothingWrittenFor(outcomes.filter((outcome) => outcome.status >= 400).map((outcome) => outcome.marker!));
    const accepted = outcomes.filter((outcome) => outcome.status === 202);
    const unprocessed: string[] = [];
    await Promise.all(
      accepted.map(async ({ marker }) => {
        try {
          await eventually(async () => {
            const { items } = (await (await getAs('viewer', `/orders?source=generic&externalId=${encodeURIComponent(marker!)}`)).json()) as { items: { status: string }[] };
            return items[0] && SETTLED.includes(items[0].status) ? true : undefined;
          }, 30_000);
        } catch {
          unprocessed.push(sent[outcomes.findIndex((outcome) => outcome.marker === marker)]!.slice(0, 200));
        }
      }),
    );
    expect(unprocessed, `answered 202 but never processed:\n${unprocessed.join('\n')}`).toEqual([]);
  }, 300_000);

  it(`given ${CASES} hostile Shopify and WooCommerce orders, when delivered signed, then never a 5xx and nothing written for a refusal`, async () => {
    const random = new Random(7012);
    const run = String(Date.now());
    const shopify = fixture('shopify/dev-store-aud-gst.json');
    const woo = fixture('woocommerce/rest-docs-order-727.json');
    const sent: string[] = [];
    const outcomes: Outcome[] = [];
    for (let index = 0; index < CASES; index++) {
      const id = Number(`${run.slice(-9)}${String(index).padStart(3, '0')}`);
      const toShopify = index % 2 === 0;
      const base = toShopify ? { ...shopify, id, admin_graphql_api_id: `gid://shopify/Order/${id}` } : { ...woo, id };
      const body = index % 6 === 1 ? randomText(random, random.int(0, 300)) : JSON.stringify(mutate(random, base).mutated);
      sent.push(body);
      const headers: Record<string, string> = toShopify
        ? { 'x-shopify-topic': 'orders/create', 'x-shopify-webhook-id': uniqueId('fz'), 'x-shopify-hmac-sha256': signBase64Hmac(body, secrets.shopify.devDefault) }
        : { 'x-wc-webhook-topic': 'order.created', 'x-wc-webhook-delivery-id': uniqueId('fz'), 'x-wc-webhook-signature': signBase64Hmac(body, secrets.woocommerce.devDefault) };
      outcomes.push({ marker: undefined, ...(await post(toShopify ? '/webhooks/shopify' : '/webhooks/woocommerce', body, headers)) });
    }
    expectNoServerErrors(outcomes, sent);
  }, 300_000);

  it(`given ${CASES} hostile shipment confirmations, when posted signed, then never a 5xx and a refused one records no shipment`, async () => {
    const random = new Random(7013);
    const run = uniqueId('FZS');
    const sku = `${run}-SKU`;
    await createProduct(sku, 1_000, 1999);
    const order = genericOrder({ lines: [{ sku, quantity: 500, unitPriceMinor: 1, taxRatePercent: 19 }] });
    await postOrder(JSON.stringify(order));
    const stored = await eventually(async () => orderByExternalId(String(order.externalId)), 60_000); // behind the webhook cases still in the queue
    await orderInStatus(String(stored.id), ['AWAITING_SHIPMENT', 'CREDIT_REVIEW']);
    const sent: string[] = [];
    const outcomes: Outcome[] = [];
    for (let index = 0; index < CASES; index++) {
      const trackingNumber = `${run}#${index}`;
      const base = { orderId: String(stored.id), carrier: 'GLS', trackingNumber, shippedAt: new Date().toISOString(), lines: [{ sku, quantity: 1 }] };
      const body = index % 5 === 0 ? JSON.stringify(randomJson(random)) : JSON.stringify(mutate(random, base).mutated);
      sent.push(body);
      outcomes.push({ marker: body.includes(trackingNumber) ? trackingNumber : undefined, ...(await post('/shipments', body, signedGeneric(body))) });
    }
    expectNoServerErrors(outcomes, sent);
    await expectNothingWrittenFor(outcomes.filter((outcome) => outcome.status >= 400 && outcome.marker).map((outcome) => outcome.marker!));
  }, 300_000);

  it(`given ${CASES} damaged bank files (bytes flipped, cut, hostile remittance), when uploaded, then never a 5xx`, async () => {
    const random = new Random(7014);
    const token = await mintDevToken('ar-clerk');
    const sent: string[] = [];
    const outcomes: Outcome[] = [];
    for (let index = 0; index < CASES; index++) {
      const run = uniqueId('FZB');
      const good = camt053({ statementId: run, account: 'DE02120300000000202051', openingMinor: 0, entries: [{ amountMinor: random.int(1, 99_999), bankReference: `${run}-1`, bookingDate: '2026-11-20', remittance: random.pick(['INV-2026-000001', '\uFFFF', 'a'.repeat(500), '𝔘']) }] });
      const at = random.int(0, good.length - 1);
      const body = [good, good.slice(0, at), `${good.slice(0, at)}${randomText(random, 3)}${good.slice(at + 3)}`, randomText(random, 200)][index % 4]!;
      sent.push(body);
      const response = await fetch(`${baseUrl()}/bank-files?name=${run}.xml`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' }, body });
      outcomes.push({ marker: undefined, status: response.status, body: await response.text() });
    }
    expectNoServerErrors(outcomes, sent);
  }, 300_000);
});
