import { NotFound } from '../errors.ts';
import type { Invoice } from '../invoice.ts';
import type { Seller } from '../invoicing.ts';
import type { CashOnAccountReader, Clock, Customers, InvoiceStore } from '../ports.ts';
import { buildStatement, type Statement } from '../statement.ts';

/** A page of this size covers most customers in one read; the loop handles the rest. */
const PAGE = 100;

/**
 * The customer's statement of account as of business today: open items with ageing, credit notes and cash on
 * account, and the balance per currency, from the customer's invoice collection (gsi1, by due date) and its cash
 * on account (gsi2).
 */
export async function customerStatement(customerId: string, deps: { customers: Customers; invoices: InvoiceStore; cashOnAccount: CashOnAccountReader; seller: Seller; clock: Clock }): Promise<Statement> {
  const customer = await deps.customers.get(customerId);
  if (!customer) throw new NotFound(`customer ${customerId} does not exist`);
  const invoices = await allInvoicesOf(customerId, deps.invoices);
  return buildStatement({ customer, invoices, cashOnAccount: await deps.cashOnAccount.ofCustomer(customerId), asOf: deps.clock.now().toISOString().slice(0, 10), seller: deps.seller });
}

/** Every invoice and credit note of a customer, page by page. */
export async function allInvoicesOf(customerId: string, store: InvoiceStore): Promise<Invoice[]> {
  const invoices: Invoice[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listOfCustomer(customerId, { limit: PAGE, cursor });
    invoices.push(...page.items);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return invoices;
}
