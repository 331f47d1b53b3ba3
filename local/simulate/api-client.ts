import type { Role } from '#shared/topology';
import { signGenericWebhook } from '#domain/webhook-signature';
import { secrets } from '#shared/topology';
import { SIMULATOR_CHAOS_HEADER, SIMULATOR_PROBE_HEADER } from '../api-gateway.ts';
import { mintDevToken } from '../dev-tokens.ts';

/**
 * What the simulator sends only because of `--chaos` (a duplicate delivery, a file dropped again): `{ chaos: true }`
 * marks it, and the local runtime meters it in its chaos bucket, apart from the business's cost.
 */
export interface SendOptions {
  chaos?: boolean;
}

const chaosMark = (options: SendOptions | undefined): Record<string, string> => (options?.chaos ? { [SIMULATOR_CHAOS_HEADER]: '1' } : {});

/** Every call the simulator makes goes through O2C's public API, as a store, a carrier or a person would. */
export class O2cApi {
  private readonly tokens = new Map<Role, { token: string; mintedAt: number }>();

  constructor(readonly baseUrl: string) {}

  private async token(role: Role): Promise<string> {
    const cached = this.tokens.get(role);
    if (cached && Date.now() - cached.mintedAt < 10 * 60_000) return cached.token;
    const token = await mintDevToken(role);
    this.tokens.set(role, { token, mintedAt: Date.now() });
    return token;
  }

  /**
   * A read, marked as the simulator's probe: the simulator polls O2C to keep its books, which a real business's
   * clients would not, so the local runtime leaves these out of its meter. The actions below (webhooks, POSTs, PUTs,
   * uploads) stay metered.
   */
  async get<T>(path: string, role: Role = 'viewer'): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { authorization: `Bearer ${await this.token(role)}`, [SIMULATOR_PROBE_HEADER]: '1' } });
    return { status: response.status, body: (await response.json().catch(() => undefined)) as T };
  }

  async send<T = unknown>(role: Role, method: 'POST' | 'PUT', path: string, body: unknown, options?: SendOptions): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${await this.token(role)}`, 'content-type': 'application/json', ...chaosMark(options) }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json().catch(() => undefined)) as T };
  }

  /** A body signed with the generic scheme (order webhooks, shipments), as the store or carrier signs it. */
  async signed(path: string, body: unknown, options?: SendOptions): Promise<number> {
    const text = JSON.stringify(body);
    const signature = signGenericWebhook(text, process.env.O2C_WEBHOOK_SECRET ?? secrets.webhook.devDefault, Math.floor(Date.now() / 1000));
    const response = await fetch(`${this.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-o2c-signature': signature, ...chaosMark(options) }, body: text });
    await response.arrayBuffer();
    return response.status;
  }

  /** A request signed elsewhere (a store's webhook), sent as it is. */
  async post(path: string, headers: Record<string, string>, body: string, options?: SendOptions): Promise<number> {
    const response = await fetch(`${this.baseUrl}${path}`, { method: 'POST', headers: { ...headers, ...chaosMark(options) }, body });
    await response.arrayBuffer();
    return response.status;
  }

  async uploadBankFile(name: string, content: string, account?: string, options?: SendOptions): Promise<number> {
    const response = await fetch(`${this.baseUrl}/bank-files?name=${encodeURIComponent(name)}${account ? `&account=${encodeURIComponent(account)}` : ''}`, { method: 'POST', headers: { authorization: `Bearer ${await this.token('ar-clerk')}`, ...chaosMark(options) }, body: content });
    await response.arrayBuffer();
    return response.status;
  }

  /** The business clock's instant (the runtime's simulated time). */
  async businessNow(): Promise<string> {
    const response = await fetch(`${this.baseUrl}/_local/clock`);
    return ((await response.json()) as { now: string }).now;
  }

  async businessDate(): Promise<string> {
    return (await this.businessNow()).slice(0, 10);
  }

  async advanceDays(days: number): Promise<void> {
    const response = await fetch(`${this.baseUrl}/_local/clock`, { method: 'POST', body: JSON.stringify({ advanceDays: days }) });
    if (!response.ok) throw new Error(`moving the clock answered ${response.status}`);
    await response.arrayBuffer();
  }
}

/** Polls `probe` until it returns a value, or `undefined` after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 100; ; pause = Math.min(pause * 2, 1_000)) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
