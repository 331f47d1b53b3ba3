import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { endpoints } from './support.ts';

/**
 * The local engines take unsigned requests (any key pair, no IAM), so none may be reachable from the network:
 * each listens on 127.0.0.1 only. The probe connects to this machine's own non-loopback addresses and nowhere else.
 */
const ownAddresses = Object.values(networkInterfaces())
  .flatMap((addresses) => addresses ?? [])
  // Link-local IPv6 needs a zone to be reachable at all; it is left out rather than guessed.
  .filter((address) => !address.internal && !address.address.toLowerCase().startsWith('fe80:'))
  .map((address) => address.address);

type Outcome = 'connected' | `refused (${string})`;

function tryConnect(host: string, port: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('refused (timeout)');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(`refused (${error.code ?? error.message})`));
  });
}

const engines = ['dynamodb', 'sqs', 's3', 'ses', 'stepfunctions', 'api'] as const;
const portOf = (name: string) => Number(new URL(endpoints()[name]!).port);

describe('local engines listen on loopback only', () => {
  it.each(engines)('given the %s engine is up, when connecting to 127.0.0.1, then it answers', async (name) => {
    expect(await tryConnect('127.0.0.1', portOf(name))).toBe('connected');
  });

  // A machine without a network interface has nothing to probe; the warning says so instead of a silent pass.
  if (ownAddresses.length === 0) console.warn('loopback-binding: this machine has no non-loopback address, so "unreachable from the network" cannot be probed here');
  it.runIf(ownAddresses.length > 0).each(engines)("given this machine's non-loopback addresses, when connecting to the %s engine, then every connection is refused", async (name) => {
    const port = portOf(name);
    const outcomes = await Promise.all(ownAddresses.map(async (address) => ({ address, outcome: await tryConnect(address, port) })));

    expect(outcomes.filter(({ outcome }) => outcome === 'connected')).toEqual([]);
  });
});
