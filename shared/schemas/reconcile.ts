import * as z from '#schemas/zod';
import { isCurrency, MAX_AMOUNT_MINOR } from '#domain/money';

const isoDate = z.iso.date();

/** `o2c reconcile --invoices FILE`: the open invoices to match against (DESIGN §4), checked before anything runs. */
export const OpenInvoicesFile = z.array(
  z.strictObject({
    id: z.string().check(z.minLength(1)),
    number: z.string().check(z.minLength(1)),
    customerId: z.string().check(z.minLength(1)),
    customerName: z.string().check(z.minLength(1)),
    currency: z.string().check(z.refine(isCurrency, 'must be an ISO 4217 currency code')),
    openMinor: z.number().check(z.int('must be an integer number of minor units'), z.gte(0), z.lte(MAX_AMOUNT_MINOR)),
    issueDate: isoDate,
    dueDate: isoDate,
    reference: z.optional(z.string().check(z.minLength(1))),
    payerAccounts: z.optional(z.array(z.string().check(z.minLength(1)))),
    earlyPaymentDiscount: z.optional(z.strictObject({ rateBasisPoints: z.number().check(z.int(), z.gte(1), z.lte(10_000)), days: z.number().check(z.int(), z.gte(0), z.lte(365)) })),
  }),
);
