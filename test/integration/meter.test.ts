import { describe, expect, it } from 'vitest';
import { SIMULATOR_CHAOS_HEADER, SIMULATOR_PROBE_HEADER } from '../../local/api-gateway.ts';
import { MeterSnapshot } from '../../local/meter-snapshot.ts';
import { mintDevToken } from '../../local/dev-tokens.ts';
import { signGenericWebhook } from '#domain/webhook-signature';
import { secrets } from '#shared/topology';
import { genericOrder } from '../support/fixtures.ts';
import { baseUrl, createProduct, eventually, getAs, orderByExternalId, orderInStatus, postOrder, postSigned, uniqueId } from './support.ts';

/**
 * The meter counts what the runtime really does on the real engines. Other test files share the runtime, so this
 * never resets it: it reads the meter before and after its own order and asserts on what grew.
 */
async function readMeter(): Promise<MeterSnapshot> {
  const response = await fetch(`${baseUrl()}/_local/meter`);
  expect(response.status).toBe(200);
  return MeterSnapshot.parse(await response.json());
}

const fn = (snapshot: MeterSnapshot, key: string) =>
  snapshot.lambda.functions[key] ?? { invocations: 0, billedMs: 0, memoryMb: 0, readUnits: 0, writeUnits: 0, byTrigger: { api: 0, sqs: 0, stepFunctions: 0, schedule: 0, rateSchedule: 0, local: 0 } };
const sqsSends = (snapshot: MeterSnapshot) => Object.values(snapshot.sqs.queues).reduce((sum, queue) => sum + (queue.byOperation.SendMessage ?? 0) + (queue.byOperation.SendMessageBatch ?? 0), 0);
const sqsBilled = (snapshot: MeterSnapshot) => Object.values(snapshot.sqs.queues).reduce((sum, queue) => sum + queue.billedRequests, 0);

describe('the meter of billable operations (GET /_local/meter)', () => {
  it('given one signed order shipped and billed, when the pipeline settles, then every service it used counted more', async () => {
    const sku = uniqueId('METER');
    await createProduct(sku, 5, 1999);
    const before = await readMeter();

    const order = genericOrder({ customer: { externalId: uniqueId('C'), name: 'Meter GmbH', email: `${uniqueId('ap')}@buyer.example`, country: 'DE' }, lines: [{ sku, quantity: 1, unitPriceMinor: 1999, taxRatePercent: 19 }] });
    expect((await postOrder(JSON.stringify(order))).status).toBe(202);
    const stored = await eventually(async () => orderByExternalId(String(order.externalId)));
    await orderInStatus(String(stored.id), ['AWAITING_SHIPMENT']);
    expect((await postSigned('/shipments', { orderId: stored.id, carrier: 'UPS', trackingNumber: uniqueId('1Z'), shippedAt: new Date().toISOString() })).status).toBe(201);
    await eventually(async () => {
      const { items } = (await (await getAs('viewer', `/invoices?orderId=${String(stored.id)}`)).json()) as { items: { email: { status: string } }[] };
      return items[0]?.email.status === 'SENT' ? true : undefined;
    }, 30_000);
    const after = await readMeter();

    // The webhook, the shipment and this test's operator reads all passed the HTTP API.
    expect(after.apiGateway.requests - before.apiGateway.requests).toBeGreaterThanOrEqual(3);
    const webhook = { before: fn(before, 'webhookOrders'), after: fn(after, 'webhookOrders') };
    expect(webhook.after.invocations - webhook.before.invocations).toBeGreaterThanOrEqual(1);
    expect(webhook.after.byTrigger.api - webhook.before.byTrigger.api).toBeGreaterThanOrEqual(1);
    expect(webhook.after.billedMs).toBeGreaterThan(webhook.before.billedMs);
    expect(webhook.after.memoryMb).toBe(256);
    expect(fn(after, 'intakeOrders').byTrigger.sqs).toBeGreaterThan(fn(before, 'intakeOrders').byTrigger.sqs);
    expect(fn(after, 'validateOrder').byTrigger.stepFunctions).toBeGreaterThan(fn(before, 'validateOrder').byTrigger.stepFunctions);
    // DynamoDB Local reports ConsumedCapacity when asked: the handlers' requests asked.
    expect(after.dynamodb.writeUnits).toBeGreaterThan(before.dynamodb.writeUnits);
    expect(after.dynamodb.readUnits).toBeGreaterThan(before.dynamodb.readUnits);
    expect(fn(after, 'webhookOrders').writeUnits).toBeGreaterThan(fn(before, 'webhookOrders').writeUnits);
    expect(sqsSends(after)).toBeGreaterThan(sqsSends(before));
    expect(sqsBilled(after)).toBeGreaterThan(sqsBilled(before));
    const order$ = { before: before.stepFunctions.stateMachines.order!, after: after.stepFunctions.stateMachines.order! };
    // A straight-through order enters at least its four task states.
    expect(order$.after.stateTransitions - order$.before.stateTransitions).toBeGreaterThanOrEqual(4);
    expect(order$.after.executionsStarted).toBeGreaterThan(order$.before.executionsStarted);
    expect(order$.after.executionDataBytes).toBeGreaterThan(order$.before.executionDataBytes);
    expect(after.stepFunctions.stateMachines.billing!.stateTransitions).toBeGreaterThan(before.stepFunctions.stateMachines.billing!.stateTransitions);
    // The invoice PDF and UBL were stored, and one email with them as attachments went out.
    expect(after.s3.putRequests - before.s3.putRequests).toBeGreaterThanOrEqual(2);
    expect(after.s3.bytesPut).toBeGreaterThan(before.s3.bytesPut);
    expect(after.s3.bytesStored).toBeGreaterThan(0);
    expect(after.ses.messages - before.ses.messages).toBeGreaterThanOrEqual(1);
    expect(after.ses.attachmentBytes).toBeGreaterThan(before.ses.attachmentBytes);
    // The webhook reads its signing secret: the modelled cache fetches it at least once per function.
    expect(after.secretsManager.reads).toBeGreaterThan(before.secretsManager.reads);
    expect(after.secretsManager.calls).toBeGreaterThanOrEqual(1);
    expect(after.dynamodb.tableBytes).not.toBeNull();
  });

  it('given the simulator\'s probe header, when a GET is served, then nothing it did is metered; the same GET unmarked counts', async () => {
    const headers = { authorization: `Bearer ${await mintDevToken('viewer')}` };
    const read = async (probe: boolean) => {
      const response = await fetch(`${baseUrl()}/orders?source=generic&externalId=${uniqueId('none')}`, { headers: probe ? { ...headers, [SIMULATOR_PROBE_HEADER]: '1' } : headers });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    };
    // Only this file's requests reach the HTTP API now; background work (the outbox relay) calls no read function.
    const reads = (snapshot: MeterSnapshot) => ({ api: snapshot.apiGateway.requests, ...pick(fn(snapshot, 'findOrders')) });
    const pick = ({ invocations, billedMs, readUnits, byTrigger }: ReturnType<typeof fn>) => ({ invocations, billedMs, readUnits, apiTrigger: byTrigger.api });

    const before = await readMeter();
    await read(true);
    await read(true);
    const afterProbes = await readMeter();
    await read(false);
    const afterRead = await readMeter();

    expect(reads(afterProbes)).toEqual(reads(before));
    expect(afterRead.apiGateway.requests - afterProbes.apiGateway.requests).toBe(1);
    expect(fn(afterRead, 'findOrders').invocations - fn(afterProbes, 'findOrders').invocations).toBe(1);
    expect(fn(afterRead, 'findOrders').readUnits).toBeGreaterThan(fn(afterProbes, 'findOrders').readUnits);
  });

  it('given a duplicate delivery marked as chaos\'s, when it is served, then it is metered in the chaos bucket, not the business\'s', async () => {
    const body = JSON.stringify(genericOrder({ customer: { externalId: uniqueId('C'), name: 'Chaos GmbH', email: `${uniqueId('ap')}@buyer.example`, country: 'DE' } }));
    expect((await postOrder(body)).status).toBe(202);
    const before = await readMeter();

    const duplicate = await fetch(`${baseUrl()}/webhooks/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-o2c-signature': signGenericWebhook(body, secrets.webhook.devDefault, Math.floor(Date.now() / 1000)), [SIMULATOR_CHAOS_HEADER]: '1' },
      body,
    });
    expect(((await duplicate.json()) as { status: string }).status).toBe('duplicate');
    const after = await readMeter();

    expect(after.apiGateway.requests).toBe(before.apiGateway.requests);
    expect(fn(after, 'webhookOrders').invocations).toBe(fn(before, 'webhookOrders').invocations);
    expect(after.chaos!.apiGateway.requests - before.chaos!.apiGateway.requests).toBe(1);
    const chaosWebhook = (snapshot: MeterSnapshot) => snapshot.chaos!.lambda.functions.webhookOrders ?? { invocations: 0, readUnits: 0, writeUnits: 0 };
    expect(chaosWebhook(after).invocations - chaosWebhook(before).invocations).toBe(1);
    expect(chaosWebhook(after).readUnits + chaosWebhook(after).writeUnits).toBeGreaterThan(chaosWebhook(before).readUnits + chaosWebhook(before).writeUnits);
  });

  it('given the runtime\'s start-up, when the meter is read, then the report job it ran at start was not metered', async () => {
    // Nothing but the start-up invokes a function as `local` in the runtime's process.
    expect(fn(await readMeter(), 'snapshotReports').byTrigger.local).toBe(0);
  });

  it('given a reset, when the meter is read, then its counters start again from the moment of the reset', async () => {
    const before = await readMeter();

    const response = await fetch(`${baseUrl()}/_local/meter/reset`, { method: 'POST' });

    expect(response.status).toBe(200);
    const reset = MeterSnapshot.parse(await response.json());
    expect(Date.parse(reset.startedAt)).toBeGreaterThanOrEqual(Date.parse(before.takenAt));
    // Other files' work may land between the reset and this read, but never the totals counted before it.
    expect(reset.apiGateway.requests).toBeLessThanOrEqual(before.apiGateway.requests);
  });
});
