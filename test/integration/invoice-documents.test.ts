import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { genericOrder } from '../support/fixtures.ts';
import { en16931Validator, EN16931_COMPILE_TIMEOUT_MS, fatal, type FailedAssert } from '../support/en16931.ts';
import { createProduct, eventually, getAs, orderByExternalId, orderInStatus, postOrder, postSigned, uniqueId } from './support.ts';

type Node = Record<string, unknown>;
const at = (node: unknown, path: string): unknown => path.split('/').reduce<unknown>((current, key) => (current as Node | undefined)?.[key], node);

describe('the e-invoice of a domestic German B2B order, end to end (generic webhook → shipment → UBL in S3)', () => {
  let validate: (xml: string) => FailedAssert[];
  beforeAll(async () => {
    validate = await en16931Validator();
  }, EN16931_COMPILE_TIMEOUT_MS);

  it('given an order with the buyer VAT id, billing address and shipping tax, when shipped and invoiced, then the UBL carries them and the delivery date, and passes EN 16931', async () => {
    const sku = uniqueId('DEB2B');
    await createProduct(sku, 5, 1999);
    const customerNumber = uniqueId('K');
    const order = genericOrder({
      customer: { externalId: customerNumber, name: 'Bäckerei Müller GmbH', email: `${uniqueId('ap')}@mueller.example`, country: 'DE', vatId: 'DE 811 907 980' },
      billingAddress: { company: 'Bäckerei Müller GmbH', line1: 'Lindenstraße 12', city: 'Köln', postalCode: '50674', country: 'DE' },
      lines: [{ sku, description: 'Weizenmehl Type 550, 25 kg', quantity: 3, unitPriceMinor: 1999, taxRatePercent: 7 }],
      shippingMinor: 490,
      shippingTaxRatePercent: 19,
    });
    await postOrder(JSON.stringify(order));
    const stored = await eventually(async () => orderByExternalId(String(order.externalId)));
    await orderInStatus(String(stored.id), ['AWAITING_SHIPMENT']);
    const shippedAt = '2026-11-23T16:40:00+01:00';
    expect((await postSigned('/shipments', { orderId: stored.id, carrier: 'DHL', trackingNumber: uniqueId('JD'), shippedAt })).status).toBe(201);

    const invoice = await eventually(async () => {
      const { items } = (await (await getAs('viewer', `/invoices?orderId=${String(stored.id)}`)).json()) as { items: { id: string }[] };
      if (!items[0]) return undefined;
      const detail = (await (await getAs('viewer', `/invoices/${items[0].id}`)).json()) as { ublUrl: string | null };
      return detail.ublUrl ? detail : undefined;
    }, 30_000);
    const xml = await (await fetch(invoice.ublUrl!)).text();

    const root = (new XMLParser({ ignoreAttributes: true, parseTagValue: false }).parse(xml) as Node)['Invoice'];
    const buyer = at(root, 'cac:AccountingCustomerParty/cac:Party');
    expect(at(root, 'cac:Delivery/cbc:ActualDeliveryDate')).toBe('2026-11-23');
    expect(at(buyer, 'cac:PartyIdentification/cbc:ID')).toBe(customerNumber);
    expect(at(buyer, 'cac:PartyTaxScheme/cbc:CompanyID')).toBe('DE811907980');
    expect(at(buyer, 'cac:PostalAddress')).toMatchObject({ 'cbc:StreetName': 'Lindenstraße 12', 'cbc:CityName': 'Köln', 'cbc:PostalZone': '50674' });
    const failures = fatal(validate(xml));
    expect(failures, failures.join('\n')).toEqual([]);
  });
});
