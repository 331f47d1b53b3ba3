import * as z from '#schemas/zod';
import { EmailAddress } from './text.ts';
import type { Seller } from '#domain/invoicing';

const Address = z.strictObject({
  line1: z.string().check(z.minLength(1)),
  line2: z.optional(z.string()),
  city: z.string().check(z.minLength(1)),
  postalCode: z.string().check(z.minLength(1)),
  region: z.optional(z.string()),
  country: z.string().check(z.regex(/^[A-Z]{2}$/)),
});

export const SellerSchema = z.strictObject({
  party: z.strictObject({ name: z.string().check(z.minLength(1)), vatId: z.optional(z.string()), registrationId: z.optional(z.string()), email: z.optional(EmailAddress), address: Address }),
  paymentInstructions: z.strictObject({ accountName: z.string().check(z.minLength(1)), iban: z.string().check(z.regex(/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/)), bic: z.optional(z.string()), bankName: z.optional(z.string()) }),
  invoiceSeries: z._default(z.string().check(z.regex(/^[A-Z]{2,6}$/)), 'INV'),
  creditNoteSeries: z._default(z.string().check(z.regex(/^[A-Z]{2,6}$/)), 'CN'),
  email: z.strictObject({ fromAddress: EmailAddress, replyTo: z.optional(EmailAddress) }),
});

/** The demo seller of the embedded runtime (an IBAN from the ECBS examples, a reserved domain). */
export const demoSeller: Seller = {
  party: {
    name: 'O2C Demo Seller GmbH',
    vatId: 'DE123456789',
    registrationId: 'HRB 12345, Amtsgericht Berlin',
    email: 'billing@seller.example',
    address: { line1: 'Beispielstraße 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
  },
  paymentInstructions: { accountName: 'O2C Demo Seller GmbH', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', bankName: 'Commerzbank' },
  invoiceSeries: 'INV',
  creditNoteSeries: 'CN',
  email: { fromAddress: 'billing@seller.example' },
};

/** The seller from `O2C_SELLER` (JSON, checked at cold start), or the demo seller when unset. */
export function sellerFrom(json: string | undefined): Seller {
  if (!json) return demoSeller;
  const parsed = SellerSchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`Invalid O2C_SELLER: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}
