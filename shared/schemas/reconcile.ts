import * as z from 'zod';
import { isCurrency, MAX_AMOUNT_MINOR } from '#domain/money';

const isoDate = z.iso.date();

/** `o2c reconcile --invoices FILE`: the open invoices to match against (DESIGN §4), checked before anything runs. */
export const OpenInvoicesFile = z.array(
  z.strictObject({
    id: z.string().min(1),
    number: z.string().min(1),
    customerId: z.string().min(1),
    customerName: z.string().min(1),
    currency: z.string().refine(isCurrency, 'must be an ISO 4217 currency code'),
    openMinor: z.number().int('must be an integer number of minor units').min(0).max(MAX_AMOUNT_MINOR),
    issueDate: isoDate,
    dueDate: isoDate,
    reference: z.string().min(1).optional(),
    payerAccounts: z.array(z.string().min(1)).optional(),
    earlyPaymentDiscount: z.strictObject({ rateBasisPoints: z.number().int().min(1).max(10_000), days: z.number().int().min(0).max(365) }).optional(),
  }),
);
