import { describe, expect, it } from 'vitest';
import { roles, routes, type Role } from '#shared/topology';
import { mintDevToken } from '../../local/dev-tokens.ts';
import { baseUrl } from './support.ts';

const operatorRoutes = routes.filter((route) => route.auth.kind === 'jwt');
const matrix = operatorRoutes.flatMap((route) => roles.map((role) => ({ route, role, allowed: route.auth.kind === 'jwt' && route.auth.roles.includes(role) })));

/** A concrete path for a route template; the ids need not exist: authorisation comes before lookups. */
const concrete = (path: string) => path.replace('{id}', '01MATRIXNOSUCHID0000000000').replace('{sku}', 'MATRIX-NO-SUCH-SKU');

describe('operator API: every route × every role', () => {
  it.each(matrix.map(({ route, role, allowed }) => [`${route.method} ${route.path}`, role, allowed, route] as const))(
    '%s as %s: allowed=%s',
    async (_key, role: Role, allowed, route) => {
      const response = await fetch(`${baseUrl()}${concrete(route.path)}${route.path === '/orders' ? '?customerId=nobody' : ''}`, {
        method: route.method,
        headers: { authorization: `Bearer ${await mintDevToken(role)}`, 'content-type': 'application/json' },
        ...(route.method === 'GET' ? {} : { body: '{}' }),
      });

      if (allowed) expect(response.status).not.toBe(403);
      else expect(response.status).toBe(403);
      expect(response.status).toBeLessThan(500);
    },
  );

  it('covers every operator route of the topology', () => {
    expect(new Set(matrix.map(({ route }) => route.path + route.method)).size).toBe(operatorRoutes.length);
  });
});

describe('customer fields by role', () => {
  it('given an ar-clerk, when changing contacts, then allowed; when changing the credit limit, then 403 naming the field', async () => {
    const { sendAs } = await import('./support.ts');
    const customer = '01KDVDNA00Z50Z6FFENR57T6DS';

    const contacts = await sendAs('ar-clerk', 'PUT', `/customers/${customer}`, { contacts: [{ name: 'Jo Payables', email: 'jo@acme.example', role: 'billing' }] });
    const limit = await sendAs('ar-clerk', 'PUT', `/customers/${customer}`, { creditLimitMinor: 1 });

    expect(contacts.status).toBe(200);
    expect(limit.status).toBe(403);
    expect(((await limit.json()) as { error: { message: string } }).error.message).toMatch(/creditLimitMinor/);
  });

  it('given a credit manager, when placing a credit hold, then it shows on the customer and in its history with the reason', async () => {
    const { getAs, sendAs, uniqueId } = await import('./support.ts');
    const { postOrder, orderByExternalId, eventually } = await import('./support.ts');
    const { genericOrder } = await import('../support/fixtures.ts');
    const order = genericOrder({ customer: { externalId: uniqueId('C'), name: 'Hold Me Ltd', email: 'h@x.example', country: 'DE' } });
    await postOrder(JSON.stringify(order));
    const stored = await eventually(async () => orderByExternalId(String(order.externalId)));

    const held = await sendAs('credit-manager', 'PUT', `/customers/${String(stored.customerId)}`, { onCreditHold: true, creditHoldReason: 'cheque bounced' });

    expect(held.status).toBe(200);
    const customer = (await (await getAs('viewer', `/customers/${String(stored.customerId)}`)).json()) as { onCreditHold: boolean; history: { type: string; reason?: string; actor: string }[] };
    expect(customer.onCreditHold).toBe(true);
    expect(customer.history.find((event) => event.type === 'CreditHoldPlaced')).toMatchObject({ reason: 'cheque bounced', actor: 'dev-credit-manager' });
    expect(customer.history.some((event) => event.type === 'OrderStored')).toBe(true);
  });
});
