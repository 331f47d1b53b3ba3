import { describe, expect, it } from 'vitest';
import { roles } from '#shared/topology';
import { mintTokenWithGroups } from '../../local/dev-tokens.ts';
import { createProduct, getAs, invoicedOrder, sendAs, uniqueId } from './support.ts';

describe('operator API authentication and roles', () => {
  it('given no token, when reading orders, then 401', async () => {
    const response = await getAs(undefined, '/orders?source=generic&externalId=X');

    expect(response.status).toBe(401);
  });

  it('given a forged token, when reading orders, then 401', async () => {
    const response = await getAs(undefined, '/orders?source=generic&externalId=X', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl');

    expect(response.status).toBe(401);
  });

  it('given a valid token without an operator role, when reading an order, then 403 naming the roles', async () => {
    const response = await getAs(undefined, '/orders/01ANYORDER', await mintTokenWithGroups(['customer']));

    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/viewer/);
  });

  it.each(roles)('given the %s role, when reading an unknown order, then 404 (reads are open to every role)', async (role) => {
    const response = await getAs(role, '/orders/01UNKNOWNORDER000000000000');

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'ORDER_NOT_FOUND', message: 'order 01UNKNOWNORDER000000000000 does not exist' } });
  });

  it('given a lookup without externalId, when asked, then 400 with the reason', async () => {
    const response = await getAs('viewer', '/orders?source=generic');

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/externalId/);
  });
});

describe('products: what GET answers, PUT accepts', () => {
  it('given a product, when its GET body is PUT back unchanged, then 200 and nothing but the version moves', async () => {
    const sku = uniqueId('ROUND');
    await createProduct(sku, 7, 1999, 'KWD');
    const read = (await (await getAs('viewer', `/products/${sku}`)).json()) as Record<string, unknown>;

    const saved = await sendAs('admin', 'PUT', `/products/${sku}`, read);

    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ sku, priceMinor: 1999, currency: 'KWD', onHand: 7, reserved: 0, available: 7 });
  });

  it('given a body naming another SKU or faking its stock, when PUT, then the SKU is a 400 and reserved/available are not written', async () => {
    const sku = uniqueId('ROUND');
    await createProduct(sku, 7);

    const other = await sendAs('admin', 'PUT', `/products/${sku}`, { sku: 'SOMETHING-ELSE', onHand: 9 });
    const faked = await sendAs('admin', 'PUT', `/products/${sku}`, { sku, reserved: 5, available: 100 });

    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ error: { code: 'INVALID_REQUEST', details: [{ path: 'sku' }] } });
    expect(faked.status).toBe(200);
    expect(await (await getAs('viewer', `/products/${sku}`)).json()).toMatchObject({ onHand: 7, reserved: 0, available: 7 });
  });
});

describe('customers by the number people use', () => {
  it('given the demo customer C-42, when found by externalId with and without source, then the same one customer', async () => {
    const bare = await getAs('viewer', '/customers?externalId=C-42');
    const sourced = await getAs('viewer', '/customers?externalId=C-42&source=generic');

    expect(bare.status).toBe(200);
    const found = (await bare.json()) as { items: { id: string; name: string; externalId: string; source: string }[]; cursor: null };
    expect(found).toMatchObject({ items: [{ id: '01KDVDNA00Z50Z6FFENR57T6DS', name: 'Acme GmbH', source: 'generic', externalId: 'C-42' }], cursor: null });
    expect(await sourced.json()).toEqual(found);
  });

  it('given a number nobody has, or another source, when found, then 200 with an empty list (as GET /orders answers)', async () => {
    const unknown = await getAs('viewer', '/customers?externalId=NOBODY-HAS-THIS');
    const elsewhere = await getAs('viewer', '/customers?externalId=C-42&source=shopify');

    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ items: [], cursor: null });
    expect(await elsewhere.json()).toEqual({ items: [], cursor: null });
  });

  it('given no externalId or an unknown source, when found, then 400 with the reason', async () => {
    const missing = await getAs('viewer', '/customers?source=generic');
    const badSource = await getAs('viewer', '/customers?externalId=C-42&source=magento');

    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/externalId/);
    expect(badSource.status).toBe(400);
    expect(((await badSource.json()) as { error: { message: string } }).error.message).toMatch(/source must be one of/);
  });
});


describe('customers: the VAT id', () => {
  it('given an invoiced customer, when an ar-clerk sets its VAT id with spaces, then GET shows it normalised; a malformed one is a 400 naming vatId', async () => {
    const invoice = await invoicedOrder(1);

    const saved = await sendAs('ar-clerk', 'PUT', `/customers/${invoice.customerId}`, { vatId: 'de 123 456 789' });
    const refused = await sendAs('ar-clerk', 'PUT', `/customers/${invoice.customerId}`, { vatId: '123' });

    expect(saved.status).toBe(200);
    expect(((await (await getAs('viewer', `/customers/${invoice.customerId}`)).json()) as { vatId?: string }).vatId).toBe('DE123456789');
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('vatId');
  });
});
