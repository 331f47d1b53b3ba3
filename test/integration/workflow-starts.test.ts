import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { START_CLAIM_LEASE_MS, startOnce, StartInFlight } from '#adapters/workflows';
import { keys } from '#domain/keys';
import { stateMachines } from '#shared/topology';
import { localStateMachineArn } from '../../local/step-functions.ts';
import { genericOrder } from '../support/fixtures.ts';
import { awsConfig, baseUrl, createProduct, eventually, getAs, invoicedOrder, newTestCustomer, orderByExternalId, postOrder, productStock, uniqueId } from './support.ts';

/**
 * Both workflows are Express (issue 16): Step Functions neither refuses a second execution of one name nor runs an
 * asynchronous execution only once. These tests start the same work again and again, at once, straight at the
 * engine (as AWS may), and show the table's conditional writes keep every effect single.
 */
const sfn = () => new SFNClient(awsConfig('stepfunctions'));
const documents = () => DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')));

async function auditTypes(partition: string): Promise<string[]> {
  const { Items = [] } = await documents().send(
    new QueryCommand({ TableName: inject('o2cTable'), KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)', ExpressionAttributeValues: { ':pk': partition, ':audit': keys.auditPrefix }, ConsistentRead: true }),
  );
  return Items.map((item) => String(item.type)).sort();
}

const executionsNamed = async (machine: 'order' | 'billing', name: string) =>
  ((await sfn().send(new ListExecutionsCommand({ stateMachineArn: localStateMachineArn(machine) }))).executions ?? []).filter((execution) => execution.name === name);

const settled = async (machine: 'order' | 'billing', name: string, count: number) =>
  eventually(async () => {
    const executions = await executionsNamed(machine, name);
    return executions.length >= count && executions.every((execution) => execution.status !== 'RUNNING') ? executions : undefined;
  }, 60_000);

describe('given Express workflows', () => {
  it('then both are Express in the topology the runtime and CDK share', () => {
    expect(Object.values(stateMachines).map((machine) => machine.type)).toEqual(['EXPRESS', 'EXPRESS']);
  });

  it('given an order just accepted, when its workflow is started four more times at once, then stock is reserved once and each step is recorded once', async () => {
    const sku = uniqueId('ALO');
    await createProduct(sku, 10, 1999);
    const order = genericOrder({ customer: newTestCustomer(), lines: [{ sku, quantity: 3, unitPriceMinor: 1999, taxRatePercent: 19 }], shippingMinor: 0 });
    await postOrder(JSON.stringify(order));
    const stored = await eventually(async () => orderByExternalId(String(order.externalId)));
    const orderId = String(stored.id);

    await Promise.all(Array.from({ length: 4 }, () => sfn().send(new StartExecutionCommand({ stateMachineArn: localStateMachineArn('order'), name: orderId, input: JSON.stringify({ orderId }) }))));

    const executions = await settled('order', orderId, 5);
    const after = (await (await getAs('viewer', `/orders/${orderId}`)).json()) as { status: string; cancelReason?: string };
    expect(after, `executions: ${JSON.stringify(executions.map((execution) => execution.status))}; events: ${(await auditTypes(keys.order(orderId).pk)).join(', ')}`).toMatchObject({ status: 'AWAITING_SHIPMENT' });
    expect(executions.length).toBeGreaterThanOrEqual(5);
    expect(executions.map((execution) => execution.status)).toEqual(executions.map(() => 'SUCCEEDED'));
    expect(await productStock(sku)).toMatchObject({ onHand: 10, reserved: 3, available: 7 });
    const types = await auditTypes(keys.order(orderId).pk);
    expect(types.length).toBe(new Set(types).size);
    expect(types).toEqual(expect.arrayContaining(['OrderStored', 'StockReserved']));
  });

  it('given an invoice already emailed, when its billing workflow is started three more times at once, then no second email is sent', async () => {
    const invoice = await invoicedOrder(1);
    const name = `invoice-${invoice.id}`;

    await Promise.all(Array.from({ length: 3 }, () => sfn().send(new StartExecutionCommand({ stateMachineArn: localStateMachineArn('billing'), name, input: JSON.stringify({ invoiceId: invoice.id }) }))));

    await settled('billing', name, 4);
    const { emails } = (await (await fetch(`${baseUrl()}/_local/emails`)).json()) as { emails: { subject: string }[] };
    expect(emails.filter((message) => message.subject.includes(invoice.number))).toHaveLength(1);
    const view = (await (await getAs('viewer', `/invoices/${invoice.id}`)).json()) as { email: { status: string } };
    expect(view.email.status).toBe('SENT');
  });

  it('given five starts of one name at once through the table claim, then exactly one execution runs and the rest are refused or told it is in flight', async () => {
    const name = uniqueId('claimed');
    const claims = { documents: documents(), tableName: inject('o2cTable') };

    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () => startOnce(sfn(), claims, localStateMachineArn('order'), name, { orderId: 'NO-SUCH-ORDER' })),
    );

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled' && outcome.value === 'started')).toHaveLength(1);
    for (const outcome of outcomes)
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(StartInFlight);
      else expect(['started', 'already-started']).toContain(outcome.value);
    await settled('order', name, 1);
    expect(await executionsNamed('order', name)).toHaveLength(1);

    await expect(startOnce(sfn(), claims, localStateMachineArn('order'), name, { orderId: 'NO-SUCH-ORDER' })).resolves.toBe('already-started');
    expect(await executionsNamed('order', name)).toHaveLength(1);
  });

  it('given a claim whose claimer died before starting, when a start comes within the lease it is told to retry, and after the lease it takes the claim over and runs once', async () => {
    const name = uniqueId('orphan');
    const claims = { documents: documents(), tableName: inject('o2cTable') };
    const claimedAt = Date.now() - 5_000;
    // The dead invocation's claim, never confirmed.
    await documents().send(new PutCommand({ TableName: inject('o2cTable'), Item: { ...keys.workflowStart(stateMachines.order.localName, name), entityType: 'WorkflowStart', state: 'CLAIMED', claimedAt } }));

    await expect(startOnce(sfn(), { ...claims, now: () => claimedAt + 1_000 }, localStateMachineArn('order'), name, { orderId: 'NO-SUCH-ORDER' })).rejects.toBeInstanceOf(StartInFlight);
    expect(await executionsNamed('order', name)).toHaveLength(0);

    await expect(startOnce(sfn(), { ...claims, now: () => claimedAt + START_CLAIM_LEASE_MS + 1 }, localStateMachineArn('order'), name, { orderId: 'NO-SUCH-ORDER' })).resolves.toBe('started');
    await settled('order', name, 1);
    expect(await executionsNamed('order', name)).toHaveLength(1);
  });
});
