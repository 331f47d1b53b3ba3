import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { putIfAbsent } from '#adapters/order-store';
import { newCustomer } from '#domain/customer';
import { keys } from '#domain/keys';
import type { CatalogueProduct } from '#domain/order';
import { customerItem, productItem } from '#adapters/entities';

/** Demo catalogue: EUR, JPY (0 decimals) and KWD (3 decimals) prices, so exact money shows from the first order. */
export const demoProducts: (CatalogueProduct & { onHand: number })[] = [
  { sku: 'WIDGET-1', name: 'Widget', priceMinor: 1999, currency: 'EUR', active: true, onHand: 100 },
  { sku: 'GADGET-2', name: 'Gadget', priceMinor: 4950, currency: 'EUR', active: true, onHand: 25 },
  { sku: 'SPROCKET-3', name: 'Sprocket (retired)', priceMinor: 799, currency: 'EUR', active: false, onHand: 0 },
  { sku: 'TEA-JP', name: 'Sencha, 100 g', priceMinor: 1200, currency: 'JPY', active: true, onHand: 50 },
  { sku: 'DATES-KW', name: 'Dates, 1 kg', priceMinor: 2750, currency: 'KWD', active: true, onHand: 40 },
];

/** Demo customers with their credit: Acme has room, Globex is on credit hold (its orders are rejected). */
export const demoCustomers = [
  { id: '01KDVDNA00Z50Z6FFENR57T6DS', source: 'generic', externalId: 'C-42', name: 'Acme GmbH', email: 'ap@acme.example', country: 'DE', currency: 'EUR', creditLimitMinor: 5_000_000 },
  { id: '01KDVDNA005QJVTTR5T6V3K63T', source: 'generic', externalId: 'C-77', name: 'Globex Corporation', email: 'payables@globex.example', country: 'US', currency: 'USD', creditLimitMinor: 1_000_000, onCreditHold: true, creditHoldReason: 'demo: payments 90 days late' },
] as const;

/** Seeds demo data with create-if-absent writes, so it lands once and never overwrites what a user changed. */
export async function seedDemoData(client: DynamoDBDocumentClient, tableName: string, now: Date): Promise<{ created: number }> {
  const at = now.toISOString();
  const items = [
    ...demoProducts.map((product) => productItem({ ...product, reserved: 0, available: product.onHand, updatedAt: at, version: 1 })),
    ...demoCustomers.flatMap(({ creditLimitMinor, ...identity }) => [
      customerItem({ ...newCustomer(identity, creditLimitMinor, at), onCreditHold: 'onCreditHold' in identity, creditHoldReason: 'creditHoldReason' in identity ? identity.creditHoldReason : undefined }),
      { ...keys.customerRef(identity.source, identity.externalId), entityType: 'CustomerRef', customerId: identity.id },
    ]),
  ];
  let created = 0;
  for (const item of items) if (await putIfAbsent(client, tableName, item)) created++;
  return { created };
}
