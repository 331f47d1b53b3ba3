import type { OrderSource } from './order.ts';

/** When an invoice falls due: N days after the invoice date, or N days after the end of the invoice's month. */
export interface PaymentTerms {
  basis: 'invoice-date' | 'end-of-month';
  days: number;
  /** e.g. 2/10 net 30: 2 % (200 bp) off when paid within 10 days. */
  earlyPaymentDiscount?: { rateBasisPoints: number; days: number } | undefined;
}

export interface Contact {
  name: string;
  email: string;
  role?: 'billing' | 'purchasing' | 'other' | undefined;
  phone?: string | undefined;
}

export const riskClasses = ['low', 'medium', 'high'] as const;
export type RiskClass = (typeof riskClasses)[number];

/**
 * A buyer: identity as first seen on an order, plus the credit terms finance manages. `exposureMinor` is what the
 * customer owes or will owe (accepted uninvoiced orders, then open receivables), in the credit `currency`.
 */
export interface Customer {
  id: string;
  source: OrderSource;
  externalId: string;
  name: string;
  email: string;
  country: string;
  /** The buyer's VAT identification number (EN 16931 BT-48), as its first order gave it. */
  vatId?: string | undefined;
  currency: string;
  creditLimitMinor: number;
  terms: PaymentTerms;
  contacts: Contact[];
  riskClass: RiskClass;
  onCreditHold: boolean;
  creditHoldReason?: string | undefined;
  /** Who placed the hold: collections' holds are released by collections when the overdue balance is paid. */
  creditHoldSource?: 'dunning' | 'manual' | undefined;
  /** A person handles this customer's collections: dunning skips its invoices (and records why). */
  collectionsHold?: boolean | undefined;
  collectionsHoldReason?: string | undefined;
  exposureMinor: number;
  /** Orders whose credit was approved: zero means the next order is the customer's first. */
  approvedOrders: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Where a customer's invoices are emailed: its billing contact, else its own address. */
export const invoiceAddressOf = (customer: Pick<Customer, 'contacts' | 'email'>): string => customer.contacts.find((contact) => contact.role === 'billing')?.email ?? customer.email;

export const defaultTerms: PaymentTerms = { basis: 'invoice-date', days: 30 };

/** A customer created from its first order, with the policy's starting limit and standard terms. */
export function newCustomer(
  input: { id: string; source: OrderSource; externalId: string; name: string; email: string; country: string; vatId?: string | undefined; currency: string },
  creditLimitMinor: number,
  now: string,
): Customer {
  return {
    ...input,
    creditLimitMinor,
    terms: defaultTerms,
    contacts: [],
    riskClass: 'medium',
    onCreditHold: false,
    exposureMinor: 0,
    approvedOrders: 0,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}
