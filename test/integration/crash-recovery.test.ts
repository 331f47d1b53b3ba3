import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signGenericWebhook } from '#domain/webhook-signature';
import { secrets } from '#shared/topology';
import { genericOrder } from '../support/fixtures.ts';
import { mintDevToken } from '../../local/dev-tokens.ts';
import { freePorts, killRuntimeProcess, startRuntimeProcess, type RuntimePorts } from '../../local/simulate/runtime-process.ts';

/** States an order rests in until a person or a partner acts: nothing left for the runtime to do. */
const SETTLED = ['ON_HOLD', 'CREDIT_REVIEW', 'REJECTED', 'BACKORDERED', 'AWAITING_SHIPMENT', 'CANCELLED'];
const ORDERS = 100;

/**
 * The queues' visibility timeout is 35 s, above the intake function's 30 s timeout as on AWS (180 s there): a message
 * whose processing the crash cut off meets its in-progress idempotency record once more, and comes back after it expired.
 */
const startRuntime = (dataDir: string, ports: RuntimePorts) =>
  startRuntimeProcess({ dataDir, ports, env: { O2C_SQS_VISIBILITY_SECONDS: '35', POWERTOOLS_LOG_LEVEL: process.env.O2C_CRASH_LOG_LEVEL ?? 'ERROR' }, logs: Boolean(process.env.O2C_CRASH_LOG_LEVEL) });
const killGroup = killRuntimeProcess;

describe('accepted means durable', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'o2c-crash-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) killGroup(child, 'SIGKILL');
    if (!process.env.O2C_KEEP_CRASH_DATA) rmSync(dataDir, { recursive: true, force: true });
    else console.log('crash data kept in', dataDir);
  });

  it(`given ${ORDERS} orders answered 202 and the runtime killed (-9) at once, when it starts again on the same data, then every one reaches a resting state and a re-send is a duplicate`, async () => {
    const ports = await freePorts();
    const first = startRuntime(dataDir, ports);
    children.push(first.child);
    await first.ready;

    const bodies = Array.from({ length: ORDERS }, (_, index) =>
      JSON.stringify(genericOrder({ externalId: `CRASH-${index}-${Date.now()}`, customer: { externalId: `CRASH-C-${index}-${Date.now()}`, name: 'Crash Test GmbH', email: `c${index}@crash.example`, country: 'DE' } })),
    );
    const send = (body: string) => fetch(`http://127.0.0.1:${ports.api}/webhooks/orders`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-o2c-signature': signGenericWebhook(body, secrets.webhook.devDefault, Math.floor(Date.now() / 1000)) }, body });
    const answers = await Promise.all(bodies.map(async (body) => (await send(body)).status));
    expect(answers.every((status) => status === 202)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    killGroup(first.child, 'SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    const second = startRuntime(dataDir, ports);
    children.push(second.child);
    await second.ready;
    const token = await mintDevToken('viewer');
    const statusOf = async (body: string) => {
      const externalId = (JSON.parse(body) as { externalId: string }).externalId;
      const response = await fetch(`http://127.0.0.1:${ports.api}/orders?source=generic&externalId=${externalId}`, { headers: { authorization: `Bearer ${token}` } });
      return ((await response.json()) as { items: { status: string }[] }).items[0]?.status;
    };
    let statuses: (string | undefined)[] = [];
    for (let waited = 0; waited < 180_000; waited += 1_000) {
      statuses = await Promise.all(bodies.map(statusOf));
      if (statuses.every((status) => status && SETTLED.includes(status))) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const unsettled = statuses.flatMap((status, index) => (status && SETTLED.includes(status) ? [] : [`${index}: ${status ?? 'missing'}`]));
    expect(unsettled, `orders not at rest after the restart: ${unsettled.join(', ')}`).toEqual([]);

    const again = await Promise.all(bodies.slice(0, 10).map(async (body) => (await (await send(body)).json()) as { status: string }));
    expect(again.map((answer) => answer.status)).toEqual(Array(10).fill('duplicate'));
    killGroup(second.child, 'SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
  }, 300_000);
});
