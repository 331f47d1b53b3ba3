import { NotFound } from '../errors.ts';
import type { Invoice } from '../invoice.ts';
import type { Seller } from '../invoicing.ts';
import type { Clock, Customers, InvoiceStore } from '../ports.ts';
import { buildStatement, type Statement } from '../statement.ts';

/** A page of this size covers most customers in one read; the loop handles the rest. */
const PAGE = 100;

/**
 * The customer's statement of account as of business today: open items with ageing and the balance per
 * currency, from the customer's invoice collection (gsi1, by due date).
 */
export async function customerStatement(customerId: string, deps: { customers: Customers; invoices: InvoiceStore; seller: Seller; clock: Clock }): Promise<Statement> {
  const customer = await deps.customers.get(customerId);
  if (!customer) throw new NotFound(`customer ${customerId} does not exist`);
  const invoices: Invoice[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.invoices.listOfCustomer(customerId, { limit: PAGE, cursor });
    invoices.push(...page.items);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return buildStatement({ customer, invoices, asOf: deps.clock.now().toISOString().slice(0, 10), seller: deps.seller });
}
