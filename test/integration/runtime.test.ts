import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/engines/engine.ts';
import { startRuntime } from '../../local/runtime.ts';
import { baseUrl } from './support.ts';

describe('embedded runtime', () => {
  it('given the runtime is up, when /health is asked, then 200', async () => {
    const response = await fetch(`${baseUrl()}/health`);

    expect(response.status).toBe(200);
  });

  it('given the simulated clock, when moved forward 30 days, then business time is 30 days later', async () => {
    const before = (await (await fetch(`${baseUrl()}/_local/clock`)).json()) as { now: string; offsetDays: number };

    const moved = await fetch(`${baseUrl()}/_local/clock`, { method: 'POST', body: JSON.stringify({ advanceDays: 30 }) });

    const after = (await moved.json()) as { now: string; offsetDays: number };
    expect(after.offsetDays).toBe(before.offsetDays + 30);
    expect(Date.parse(after.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(30 * 86_400_000);
  });

  it.each([{ advanceDays: -1 }, { advanceDays: 1.5 }, {}])('given %j, when moving the clock, then 400', async (body) => {
    const response = await fetch(`${baseUrl()}/_local/clock`, { method: 'POST', body: JSON.stringify(body) });

    expect(response.status).toBe(400);
  });

  it('given a validly signed token issued an hour in the future, when calling an authenticated route, then 401 as the HTTP API JWT authorizer answers, while the same token issued now gets through', async () => {
    const { mintDevToken } = await import('../../local/dev-tokens.ts');
    const now = Math.floor(Date.now() / 1000);
    const call = async (issuedAt: number) =>
      (await fetch(`${baseUrl()}/orders?source=generic&externalId=IAT-1`, { headers: { authorization: `Bearer ${await mintDevToken('admin', { issuedAt })}` } })).status;

    expect({ future: await call(now + 3600), now: await call(now) }).toEqual({ future: 401, now: 200 });
  });

  it('given the local SES store, when listed, then it answers with the messages SES received, each with subject and recipients', async () => {
    const response = await fetch(`${baseUrl()}/_local/emails`);

    expect(response.status).toBe(200);
    const { emails } = (await response.json()) as { emails: { subject: string; destination: { to: string[] } }[] };
    expect(Array.isArray(emails)).toBe(true);
    for (const email of emails) expect(email).toMatchObject({ subject: expect.any(String), destination: { to: expect.any(Array) } });
  });
});

describe('data directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'o2c-restart-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('given an order stored before a restart, when the runtime starts again on the same data, then the order is still there; --fresh empties it', async () => {
    const ports = { api: await freePort(), dynamodb: await freePort(), sqs: await freePort(), s3: await freePort(), ses: await freePort(), stepfunctions: await freePort() };
    const lookup = (url: string, token: string) =>
      fetch(`${url}/orders?source=generic&externalId=RESTART-1`, { headers: { authorization: `Bearer ${token}` } }).then(async (response) => ((await response.json()) as { items: unknown[] }).items.length);
    const { mintDevToken } = await import('../../local/dev-tokens.ts');
    const { signGenericWebhook } = await import('#domain/webhook-signature');
    const token = await mintDevToken('viewer');
    const body = JSON.stringify({
      externalId: 'RESTART-1',
      orderedAt: '2026-11-23T10:00:00Z',
      currency: 'EUR',
      customer: { externalId: 'C-42', name: 'Acme GmbH', email: 'ap@acme.example', country: 'DE' },
      lines: [{ sku: 'WIDGET-1', quantity: 1, unitPriceMinor: 1999, taxRatePercent: 19 }],
    });

    const first = await startRuntime({ dataDir, fresh: true, ports, logLevel: 'SILENT' });
    await fetch(`${first.url}/webhooks/orders`, { method: 'POST', headers: { 'x-o2c-signature': signGenericWebhook(body, 'o2c-dev-webhook-secret', Math.floor(Date.now() / 1000)) }, body });
    await first.settle();
    const storedBefore = await lookup(first.url, token);
    await first.stop();
    const second = await startRuntime({ dataDir, ports, logLevel: 'SILENT' });
    const storedAfter = await lookup(second.url, token);
    await second.stop();
    const third = await startRuntime({ dataDir, fresh: true, ports, logLevel: 'SILENT' });
    const storedAfterFresh = await lookup(third.url, token);
    await third.stop();

    expect([storedBefore, storedAfter, storedAfterFresh]).toEqual([1, 1, 0]);
  }, 120_000);
});
