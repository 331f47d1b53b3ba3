import * as z from 'zod';
import type { Seller } from '#domain/invoicing';

const Address = z.strictObject({
  line1: z.string().min(1),
  line2: z.string().optional(),
  city: z.string().min(1),
  postalCode: z.string().min(1),
  region: z.string().optional(),
  country: z.string().regex(/^[A-Z]{2}$/),
});

export const SellerSchema = z.strictObject({
  party: z.strictObject({ name: z.string().min(1), vatId: z.string().optional(), registrationId: z.string().optional(), email: z.email().optional(), address: Address }),
  paymentInstructions: z.strictObject({ accountName: z.string().min(1), iban: z.string().regex(/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/), bic: z.string().optional(), bankName: z.string().optional() }),
  invoiceSeries: z.string().regex(/^[A-Z]{2,6}$/).default('INV'),
  creditNoteSeries: z.string().regex(/^[A-Z]{2,6}$/).default('CN'),
  email: z.strictObject({ fromAddress: z.email(), replyTo: z.email().optional() }),
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
