import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A started local engine: where it listens and how to stop it. */
export interface Engine {
  name: string;
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Credentials every local engine accepts (s3rver knows only its built-in key pair; the others take any),
 * which also keeps the SDK from searching for real ones.
 */
export const localCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** Retries `probe` until it resolves, or fails with the last error after `timeoutMs`. */
export async function waitFor(what: string, timeoutMs: number, probe: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error;
      if ((error as Error).message?.includes('exited')) throw error;
      await sleep(200);
    }
  }
  throw new Error(`${what} did not come up within ${timeoutMs / 1000}s: ${(lastError as Error)?.message ?? lastError}`);
}

/** Stops a child process: SIGTERM, then SIGKILL if it has not exited within five seconds. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), sleep(5000).then(() => true)]);
  if (timedOut) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** A port the OS says is free right now (for tests and `--port 0`). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Fails clearly when something else already listens on `port` (a probe would otherwise talk to the wrong server). */
export async function assertPortFree(port: number, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', () => reject(new Error(`${what} cannot use port ${port}: it is in use (set another port, see README)`)));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}
