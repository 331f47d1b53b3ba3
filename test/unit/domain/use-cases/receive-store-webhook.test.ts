import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '#domain/audit';
import type { Order } from '#domain/order';
import type { IntakeQueueMessage } from '#domain/ports';
import { signBase64Hmac } from '#domain/store-signatures';
import { receiveStoreWebhook, type ReceiveStoreWebhookDeps } from '#domain/use-cases/receive-store-webhook';
import { wooCommerceWebhookToIntake } from '#schemas/woocommerce';

const SECRET = 'wc-secret';

/** In-memory ports: what was queued, audited, logged and remembered. */
function world(stored: { externalId: string; orderId: string } | undefined) {
  const queued: IntakeQueueMessage[] = [];
  const audits: AuditEvent[] = [];
  const warnings: Record<string, string>[] = [];
  const delivered = new Set<string>();
  let id = 0;
  const deps: ReceiveStoreWebhookDeps = {
    secret: SECRET,
    clock: { now: () => new Date('2025-03-01T10:00:00Z') },
    deliveries: { has: async (source, deliveryId) => delivered.has(`${source}#${deliveryId}`), record: async (source, deliveryId) => void delivered.add(`${source}#${deliveryId}`) },
    queue: { enqueue: async (message) => void queued.push(message) },
    toIntake: wooCommerceWebhookToIntake,
    orders: {
      findIdByRef: async (_source, externalId) => (stored?.externalId === externalId ? stored.orderId : undefined),
      get: async (orderId) => (stored?.orderId === orderId ? ({ id: orderId, customerId: 'CUS-1' } as Order) : undefined),
      appendAudit: async (audit) => void audits.push(audit),
    },
    ids: { next: () => `ID-${(id += 1)}` },
    warn: (_message, fields) => void warnings.push(fields),
  };
  return { deps, queued, audits, warnings };
}

const deliver = (deps: ReceiveStoreWebhookDeps, topic: string, body: unknown, deliveryId: string) => {
  const rawBody = JSON.stringify(body);
  return receiveStoreWebhook({ source: 'woocommerce', rawBody, signatureHeader: signBase64Hmac(rawBody, SECRET), topic, deliveryId }, deps);
};

describe('receiveStoreWebhook: only signed facts act', () => {
  it('given a stored order, when a processing body arrives as order.deleted twice, then ignored both times, nothing queued and one audit event on the order', async () => {
    const { deps, queued, audits, warnings } = world({ externalId: '727', orderId: 'ORD-1' });

    const first = await deliver(deps, 'order.deleted', { id: 727, status: 'processing' }, 'd-1');
    const retried = await deliver(deps, 'order.deleted', { id: 727, status: 'processing' }, 'd-1');

    expect(first).toEqual({ status: 'ignored', deliveryId: 'd-1', reason: expect.stringContaining('status processing') });
    expect(retried).toMatchObject({ status: 'ignored' });
    expect(queued).toEqual([]);
    expect(warnings).toEqual([]);
    expect(audits).toEqual([
      expect.objectContaining({ entity: 'order', entityId: 'ORD-1', customerId: 'CUS-1', type: 'StoreWebhookRefused', actor: 'woocommerce', reason: expect.stringContaining('delivery d-1 (topic order.deleted)') }),
    ]);
  });

  it('given no stored order, when an id-only order.deleted arrives, then ignored, nothing queued or audited, and a warning names the delivery id', async () => {
    const { deps, queued, audits, warnings } = world(undefined);

    const outcome = await deliver(deps, 'order.deleted', { id: 728 }, 'd-2');

    expect(outcome).toMatchObject({ status: 'ignored', deliveryId: 'd-2' });
    expect(queued).toEqual([]);
    expect(audits).toEqual([]);
    expect(warnings).toEqual([expect.objectContaining({ source: 'woocommerce', deliveryId: 'd-2', topic: 'order.deleted', externalId: '728' })]);
  });

  it('given a topic the platform does not act on, when delivered, then ignored without an audit or a warning (nothing was claimed)', async () => {
    const { deps, audits, warnings } = world({ externalId: '727', orderId: 'ORD-1' });

    expect(await deliver(deps, 'order.restored', { id: 727, status: 'processing' }, 'd-3')).toMatchObject({ status: 'ignored' });
    expect(audits).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('given order.updated whose signed body says cancelled, when delivered, then the cancellation is queued and the outcome says a cancellation was accepted', async () => {
    const { deps, queued } = world({ externalId: '727', orderId: 'ORD-1' });

    expect(await deliver(deps, 'order.updated', { id: 727, status: 'cancelled' }, 'd-4')).toEqual({ status: 'accepted', deliveryId: 'd-4', intake: 'cancellation' });
    expect(queued).toEqual([expect.objectContaining({ kind: 'cancellation', externalId: '727', reason: 'WooCommerce status cancelled' })]);
  });
});
