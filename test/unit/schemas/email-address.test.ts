import { describe, expect, it } from 'vitest';
import { composeMime } from '#shared/documents/invoice-email';
import { GenericOrderBody } from '#schemas/generic-order';
import { CustomerBody } from '#schemas/operator-api';
import { SellerSchema, demoSeller } from '#schemas/seller';

/**
 * Every address a boundary accepts is one an email can be written to: a customer whose address the API took must not
 * find out at the first invoice, as a FAILED email the workflow retried in vain, that nothing can be sent to it.
 */
const unsendable = [
  ['a domain label ending in a hyphen', 'ap@acme-.example.com'],
  ['a local part over 64 characters', `${'a'.repeat(65)}@acme.example`],
  ['a punycode label that is not punycode', 'ap@xn--abc.com'],
  ['a DNS label over 63 characters', `ap@${'a'.repeat(64)}.example`],
  ['an address over 254 characters', `ap@${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.e.example`],
] as const;

const sendable = ['ap@acme.example', 'first.last+invoices@sub.acme.example', "o'brien@acme.co.uk", 'AP@ACME.EXAMPLE', 'x@a-b.example'];

const writeTo = (address: string) =>
  composeMime({ from: { name: 'Seller', address: 'billing@seller.example' }, to: [address], messageId: '<m@seller.example>', date: new Date('2027-01-04T07:00:00Z') }, { subject: 's', text: 't', html: '<p>h</p>' }, 'b', []);

const genericOrder = (email: string) => ({
  externalId: 'E-1',
  orderedAt: '2027-01-04T07:00:00Z',
  currency: 'EUR',
  customer: { externalId: 'C', name: 'N', email, country: 'DE' },
  lines: [{ sku: 'SKU-1', quantity: 1, unitPriceMinor: 100, taxRatePercent: 19 }],
});

describe('email addresses at the boundaries', () => {
  it.each(unsendable)('given %s, when a customer is saved with it, then refused with a reason and the writer refuses it too', async (_, address) => {
    const result = CustomerBody.safeParse({ email: address });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/email/i);
    expect(CustomerBody.safeParse({ contacts: [{ name: 'AP', email: address }] }).success).toBe(false);
    await expect(writeTo(address)).rejects.toThrow(RangeError);
  });

  it.each(unsendable)('given %s, when a generic order or the seller carries it, then refused', (_, address) => {
    expect(GenericOrderBody.safeParse(genericOrder(address)).success).toBe(false);
    expect(SellerSchema.safeParse({ ...demoSeller, email: { ...demoSeller.email, fromAddress: address } }).success).toBe(false);
  });

  it.each(sendable)('given %s, when saved and then written to, then both accept it', async (address) => {
    expect(CustomerBody.safeParse({ email: address }).success).toBe(true);
    expect(GenericOrderBody.safeParse(genericOrder(address)).success).toBe(true);
    await expect(writeTo(address)).resolves.toBeInstanceOf(Buffer);
  });
});
