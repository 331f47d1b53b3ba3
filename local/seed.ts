import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoCatalogue } from '#adapters/order-store';
import { keys } from '#domain/keys';
import type { CatalogueProduct } from '#domain/order';

/** Demo catalogue: EUR, JPY (0 decimals) and KWD (3 decimals) prices, so exact money shows from the first order. */
export const demoProducts: (CatalogueProduct & { onHand: number })[] = [
  { sku: 'WIDGET-1', name: 'Widget', priceMinor: 1999, currency: 'EUR', active: true, onHand: 100 },
  { sku: 'GADGET-2', name: 'Gadget', priceMinor: 4950, currency: 'EUR', active: true, onHand: 25 },
  { sku: 'SPROCKET-3', name: 'Sprocket (retired)', priceMinor: 799, currency: 'EUR', active: false, onHand: 0 },
  { sku: 'TEA-JP', name: 'Sencha, 100 g', priceMinor: 1200, currency: 'JPY', active: true, onHand: 50 },
  { sku: 'DATES-KW', name: 'Dates, 1 kg', priceMinor: 2750, currency: 'KWD', active: true, onHand: 40 },
];

export const demoCustomers = [
  { id: '01KDVDNA00Z50Z6FFENR57T6DS', source: 'generic', externalId: 'C-42', name: 'Acme GmbH', email: 'ap@acme.example', country: 'DE' },
  { id: '01KDVDNA005QJVTTR5T6V3K63T', source: 'generic', externalId: 'C-77', name: 'Globex Corporation', email: 'payables@globex.example', country: 'US' },
] as const;

/** Seeds demo data with create-if-absent writes, so it lands once and never overwrites what a user changed. */
export async function seedDemoData(client: DynamoDBDocumentClient, tableName: string, now: Date): Promise<{ created: number }> {
  let created = 0;
  const catalogue = dynamoCatalogue(client, tableName);
  for (const product of demoProducts) if (await catalogue.put(product)) created++;
  for (const customer of demoCustomers) {
    for (const item of [
      { ...keys.customer(customer.id), entityType: 'Customer', ...customer, createdAt: now.toISOString() },
      { ...keys.customerRef(customer.source, customer.externalId), entityType: 'CustomerRef', customerId: customer.id },
    ]) {
      try {
        await client.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
        created++;
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
  }
  return { created };
}
