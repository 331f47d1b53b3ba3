import { auditTrail } from '../audit.ts';
import type { Contact, Customer, PaymentTerms, RiskClass } from '../customer.ts';
import { Conflict, Forbidden, InvalidRequest, NotFound } from '../errors.ts';
import { orderSources, type OrderSource } from '../order.ts';
import type { Clock, Customers, IdGenerator, OrderStore } from '../ports.ts';
import { RETRY, retryOnChange } from '../retry.ts';

export interface CustomerChange {
  name?: string | undefined;
  email?: string | undefined;
  contacts?: Contact[] | undefined;
  currency?: string | undefined;
  creditLimitMinor?: number | undefined;
  terms?: PaymentTerms | undefined;
  riskClass?: RiskClass | undefined;
  onCreditHold?: boolean | undefined;
  creditHoldReason?: string | undefined;
  collectionsHold?: boolean | undefined;
  collectionsHoldReason?: string | undefined;
  /** The buyer's VAT id (BT-48), printed on its invoices when an order does not carry one. */
  vatId?: string | undefined;
}

/** Who may change what (issue: ar-clerk edits contacts; credit-manager edits limits; admin everything). */
const FIELD_ROLES: Record<keyof CustomerChange, readonly string[]> = {
  name: ['ar-clerk', 'credit-manager', 'admin'],
  email: ['ar-clerk', 'credit-manager', 'admin'],
  contacts: ['ar-clerk', 'credit-manager', 'admin'],
  currency: ['credit-manager', 'admin'],
  creditLimitMinor: ['credit-manager', 'admin'],
  terms: ['credit-manager', 'admin'],
  riskClass: ['credit-manager', 'admin'],
  onCreditHold: ['credit-manager', 'admin'],
  creditHoldReason: ['credit-manager', 'admin'],
  // Holding collections (a person is talking to the customer) is the receivables team's call.
  collectionsHold: ['ar-clerk', 'credit-manager', 'admin'],
  collectionsHoldReason: ['ar-clerk', 'credit-manager', 'admin'],
  vatId: ['ar-clerk', 'credit-manager', 'admin'],
};

export const customerView = (customer: Customer) => ({
  id: customer.id,
  source: customer.source,
  externalId: customer.externalId,
  name: customer.name,
  email: customer.email,
  country: customer.country,
  vatId: customer.vatId,
  currency: customer.currency,
  creditLimitMinor: customer.creditLimitMinor,
  exposureMinor: customer.exposureMinor,
  availableCreditMinor: customer.creditLimitMinor - customer.exposureMinor,
  terms: customer.terms,
  contacts: customer.contacts,
  riskClass: customer.riskClass,
  onCreditHold: customer.onCreditHold,
  creditHoldReason: customer.creditHoldReason,
  creditHoldSource: customer.creditHoldSource,
  collectionsHold: customer.collectionsHold ?? false,
  collectionsHoldReason: customer.collectionsHoldReason,
  createdAt: customer.createdAt,
  updatedAt: customer.updatedAt,
});

export async function getCustomer(customerId: string, page: { limit: number; cursor?: string | undefined }, deps: { customers: Customers }) {
  const customer = await deps.customers.get(customerId);
  if (!customer) throw new NotFound(`customer ${customerId} does not exist`);
  const history = await deps.customers.history(customerId, page);
  return { ...customerView(customer), history: history.items, historyCursor: history.cursor };
}

/**
 * "Which customer is the store's 4711 / our customer number C-42?": the customer by the number people use, through
 * the reference written when the customer was created (`CUSTOMERREF#<source>#<externalId>`), one read per source.
 * Without `source` every source is asked. A list like the other finds: empty when nobody has that number.
 */
export async function findCustomers(
  query: { externalId?: string | undefined; source?: string | undefined },
  deps: { orders: Pick<OrderStore, 'findCustomerIdByRef'>; customers: Customers },
) {
  const externalId = query.externalId?.trim();
  if (!externalId) throw new InvalidRequest('give externalId (the store\'s customer id or your customer number), optionally with source');
  if (query.source !== undefined && !orderSources.includes(query.source as OrderSource)) throw new InvalidRequest(`source must be one of ${orderSources.join(', ')}`);
  const sources = query.source === undefined ? orderSources : [query.source as OrderSource];
  const ids = await Promise.all(sources.map((source) => deps.orders.findCustomerIdByRef(source, externalId)));
  const customers = await Promise.all([...new Set(ids.filter((id) => id !== undefined))].map((id) => deps.customers.get(id)));
  return { items: customers.filter((customer) => customer !== undefined).map(customerView), cursor: null };
}

/** Applies the fields the caller's roles allow, all or none (403 naming the others), audited with before → after. */
export async function updateCustomer(customerId: string, change: CustomerChange, caller: { actor: string; roles: readonly string[] }, deps: { customers: Customers; clock: Clock; ids: IdGenerator }) {
  const fields = (Object.keys(change) as (keyof CustomerChange)[]).filter((field) => change[field] !== undefined);
  const forbidden = fields.filter((field) => !FIELD_ROLES[field].some((role) => caller.roles.includes(role)));
  if (forbidden.length > 0) throw new Forbidden(`your role may not change ${forbidden.join(', ')}`);

  return retryOnChange(
    `customer ${customerId} kept changing; retry`,
    async () => {
      const before = await deps.customers.get(customerId);
      if (!before) throw new NotFound(`customer ${customerId} does not exist`);
      if (change.currency && change.currency !== before.currency && before.exposureMinor !== 0)
        throw new Conflict(`the credit currency cannot change while exposure is ${before.exposureMinor} ${before.currency}`);
      const at = deps.clock.now().toISOString();
      const picked = Object.fromEntries(fields.map((field) => [field, change[field]]));
      const after: Customer = {
        ...before,
        ...picked,
        ...(change.onCreditHold === false ? { creditHoldReason: undefined, creditHoldSource: undefined } : {}),
        // A hold placed by a person is released by a person, never by collections.
        ...(change.onCreditHold === true && !before.onCreditHold ? { creditHoldSource: 'manual' as const } : {}),
        ...(change.collectionsHold === false ? { collectionsHoldReason: undefined } : {}),
        updatedAt: at,
        version: before.version + 1,
      };
      const audit = auditTrail(deps, { actor: caller.actor, at })({
        entity: 'customer',
        entityId: customerId,
        customerId,
        type: change.onCreditHold === true && !before.onCreditHold ? 'CreditHoldPlaced' : 'CustomerChanged',
        before: JSON.stringify(Object.fromEntries(fields.map((field) => [field, before[field]]))),
        after: JSON.stringify(picked),
        reason: change.creditHoldReason,
      });
      if (await deps.customers.save(before, after, audit)) return customerView(after);
      return RETRY;
    },
    { attempts: 5 },
  );
}
